/* Text from a scenario or a command line, shown on a terminal. A control character (ESC
 * starts a sequence that can clear the screen or retitle the window) or an invisible format
 * character (a right-to-left override reorders what follows it) is never written raw: names
 * that hold one are refused when a scenario is read, and everything else is written with
 * such characters escaped, the way YAML's double-quoted strings spell them. */
#ifndef SR_TEXT_H
#define SR_TEXT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* Whether code point cp is a control or format character that must not reach a terminal
 * raw: C0 controls (tab and line feed included), DEL, C1 controls, and the Unicode format
 * characters that are invisible or steer the direction of text: soft hyphen U+00AD, U+061C,
 * U+180E, U+200B-U+200F, U+2028-U+202E, U+2060-U+206F, U+FEFF, U+FFF9-U+FFFB and the tags
 * U+E0000-U+E007F. */
bool sr_text_is_control(uint32_t cp);

/* The escape of one control character or byte: "\x1b", "\u202e", "\U000e0041". */
enum { SR_TEXT_ESCAPE_MAX = 12 };

/* Where a text holds its first control character (or a byte that is not UTF-8). */
typedef struct {
    size_t byte;                       /* offset in bytes, from 0 */
    size_t character;                  /* position in characters, from 1 */
    char escaped[SR_TEXT_ESCAPE_MAX];  /* the character as an escape */
} sr_text_control;

/* Finds the first control character (sr_text_is_control) or byte that is not part of valid
 * UTF-8 in s. Returns whether there is one; *found says where and what. */
bool sr_text_find_control(const char *s, sr_text_control *found);

/* Writes s to out with each control character and each byte that is not valid UTF-8
 * escaped: \xNN below U+0100 and for a stray byte, \uNNNN, \UNNNNNNNN above U+FFFF. A
 * backslash stays as it is. A line feed is written as newline ("\n", or "\n  " to indent
 * what follows), or escaped like any control character when newline is NULL. */
void sr_text_write(FILE *out, const char *s, const char *newline);

/* n (a whole number, rounded) with a comma between groups of three digits: "10,000",
 * "-1,234"; into buf[size]. Returns buf. */
const char *sr_text_count(double n, char *buf, size_t size);

#endif
