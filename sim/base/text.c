#include "sim/base/text.h"

#include <string.h>

bool sr_text_is_control(uint32_t cp)
{
    return cp < 0x20 || (cp >= 0x7F && cp <= 0x9F) || cp == 0xAD || cp == 0x61C ||
           cp == 0x180E || (cp >= 0x200B && cp <= 0x200F) || (cp >= 0x2028 && cp <= 0x202E) ||
           (cp >= 0x2060 && cp <= 0x206F) || cp == 0xFEFF || (cp >= 0xFFF9 && cp <= 0xFFFB) ||
           (cp >= 0xE0000 && cp <= 0xE007F);
}

/* Decodes the UTF-8 sequence at s into *cp. Returns its length in bytes, or 0 when s does
 * not start a valid sequence (a stray, overlong or truncated one, a surrogate, or beyond
 * U+10FFFF). s[0] is not NUL. */
static size_t decode(const unsigned char *s, uint32_t *cp)
{
    unsigned b = s[0];
    size_t k;
    uint32_t c;
    if (b < 0x80) {
        *cp = b;
        return 1;
    } else if (b >= 0xC2 && b <= 0xDF) {
        c = b & 0x1F;
        k = 2;
    } else if (b >= 0xE0 && b <= 0xEF) {
        c = b & 0x0F;
        k = 3;
    } else if (b >= 0xF0 && b <= 0xF4) {
        c = b & 0x07;
        k = 4;
    } else {
        return 0;
    }
    for (size_t j = 1; j < k; j++) {
        if ((s[j] & 0xC0) != 0x80)   /* also stops at the terminating NUL */
            return 0;
        c = (c << 6) | (s[j] & 0x3F);
    }
    if ((k == 3 && c < 0x800) || (k == 4 && c < 0x10000) || (c >= 0xD800 && c <= 0xDFFF) ||
        c > 0x10FFFF)
        return 0;
    *cp = c;
    return k;
}

/* The escape of code point cp (or, below U+0100, of a stray byte of that value). */
static void escape(uint32_t cp, char out[SR_TEXT_ESCAPE_MAX])
{
    if (cp < 0x100)
        snprintf(out, SR_TEXT_ESCAPE_MAX, "\\x%02x", (unsigned)cp);
    else if (cp < 0x10000)
        snprintf(out, SR_TEXT_ESCAPE_MAX, "\\u%04x", (unsigned)cp);
    else
        snprintf(out, SR_TEXT_ESCAPE_MAX, "\\U%08x", (unsigned)cp);
}

/* The next character of s (not at its end): its length in bytes, and whether it must be
 * escaped (then its escape is in esc). */
static size_t next(const char *s, bool *bad, char esc[SR_TEXT_ESCAPE_MAX])
{
    uint32_t cp;
    size_t k = decode((const unsigned char *)s, &cp);
    if (k == 0) {
        *bad = true;
        escape((unsigned char)s[0], esc);
        return 1;
    }
    *bad = sr_text_is_control(cp);
    if (*bad)
        escape(cp, esc);
    return k;
}

bool sr_text_find_control(const char *s, sr_text_control *found)
{
    size_t character = 1;
    for (size_t i = 0; s[i] != '\0'; character++) {
        bool bad;
        size_t k = next(s + i, &bad, found->escaped);
        if (bad) {
            found->byte = i;
            found->character = character;
            return true;
        }
        i += k;
    }
    return false;
}

void sr_text_write(FILE *out, const char *s, const char *newline)
{
    size_t i = 0;
    while (s[i] != '\0') {
        /* the longest run of characters that need no escape goes out in one write */
        size_t run = i, k = 0;
        bool bad = false;
        char esc[SR_TEXT_ESCAPE_MAX];
        while (s[run] != '\0' && !bad) {
            k = next(s + run, &bad, esc);
            if (!bad)
                run += k;
        }
        fwrite(s + i, 1, run - i, out);
        if (!bad)
            break;
        fputs(s[run] == '\n' && newline != NULL ? newline : esc, out);
        i = run + k;
    }
}

const char *sr_text_count(double n, char *buf, size_t size)
{
    char digits[48];
    snprintf(digits, sizeof digits, "%.0f", n);
    const size_t len = strlen(digits), lead = digits[0] == '-';
    size_t k = 0;
    for (size_t i = 0; i < len && k + 2 < size; i++) {
        if (i > lead && (len - i) % 3 == 0)
            buf[k++] = ',';
        buf[k++] = digits[i];
    }
    if (size > 0)
        buf[k < size ? k : size - 1] = '\0';
    return buf;
}
