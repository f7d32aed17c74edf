/* Parsing the command line with getopt_long: the option table below is the only list of
 * options; getopt_long's own tables are built from it. */
#include "sim/cli/args.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim/engine/run.h"

static const char *const langs[] = {"en", "da", NULL};
static const char *const formats[] = {"xlsx", "csv", NULL};
static const char *const dialects[] = {"rfc4180", "danish", NULL};

static const struct {
    const char *name;   /* as written: "-o" (a short option) or "--trials" */
    bool value;         /* takes a value */
    const char *const *choices;   /* its only values, or NULL */
} option_table[SR_CLI_N_OPTIONS] = {
    [SR_CLI_OUTPUT] = {"-o", true},         [SR_CLI_TRIALS] = {"--trials", true},
    [SR_CLI_SEED] = {"--seed", true},       [SR_CLI_THREADS] = {"--threads", true},
    [SR_CLI_SET] = {"--set", true},         [SR_CLI_QUIET] = {"--quiet", false},
    [SR_CLI_ONLY] = {"--only", true},       [SR_CLI_PARAM] = {"--param", true},
    [SR_CLI_VALUES] = {"--values", true},   [SR_CLI_LANG] = {"--lang", true, langs},
    [SR_CLI_FORMAT] = {"--format", true, formats},
    [SR_CLI_TABLE] = {"--table", true},
    [SR_CLI_DIALECT] = {"--dialect", true, dialects},
    [SR_CLI_OPTIONS] = {"--options", true},
    [SR_CLI_GROUPS] = {"--groups", true},   [SR_CLI_BOOTSTRAP] = {"--bootstrap", true},
    [SR_CLI_POPULATION] = {"--population", true},
    [SR_CLI_PILOT_SIZES] = {"--pilot-sizes", true},
    [SR_CLI_PILOT_MONTHS] = {"--pilot-months", true},
    [SR_CLI_VARY] = {"--vary", true},       [SR_CLI_TARGET] = {"--target", true},
    [SR_CLI_BRACKET] = {"--bracket", true}, [SR_CLI_MAP] = {"--map", true},
    [SR_CLI_INVESTOR_IRR] = {"--investor-irr", true},
    [SR_CLI_MUNICIPALITY_RISK] = {"--municipality-risk", true},
};

const char *const *sr_cli_choices(sr_cli_option option)
{
    return option_table[option].choices;
}

/* The index of value in option k's choices, or a usage error listing them. */
static int choose(sr_cli_options *o, int k, const char *value, sr_error *err)
{
    const char *const *choices = option_table[k].choices;
    char listed[128] = "";
    for (int i = 0; choices[i] != NULL; i++) {
        if (strcmp(value, choices[i]) == 0) {
            o->choice[k] = i;
            return 0;
        }
        const char *sep = i == 0 ? "" : choices[i + 1] != NULL ? ", " : " or ";
        size_t len = strlen(listed);
        snprintf(listed + len, sizeof listed - len, "%s%s", sep, choices[i]);
    }
    return sr_error_set(err, SR_EXIT_USAGE, "%s: expected %s, got '%s'", option_table[k].name,
                        listed, value);
}

/* getopt_long returns LONG_BASE + option for a long option (above every character it
 * returns for a short one). */
#define LONG_BASE 256

/* getopt_long's tables for option_table: "-:" then each short option ("o:"), and the long
 * options. The leading '-' hands back other words in order (as 1), so that a stray second
 * argument is seen where it stands; ':' reports a missing value as ':'. */
typedef struct {
    char shorts[2 + 3 * SR_CLI_N_OPTIONS + 1];
    struct option longs[SR_CLI_N_OPTIONS + 1];
} getopt_tables;

static void build_tables(getopt_tables *t)
{
    memset(t, 0, sizeof *t);
    size_t s = 0, l = 0;
    t->shorts[s++] = '-';
    t->shorts[s++] = ':';
    for (int k = 0; k < SR_CLI_N_OPTIONS; k++) {
        const char *name = option_table[k].name;
        if (name[1] != '-') {
            t->shorts[s++] = name[1];
            if (option_table[k].value)
                t->shorts[s++] = ':';
        } else {
            t->longs[l++] = (struct option){name + 2, option_table[k].value ? required_argument
                                                                            : no_argument,
                                            NULL, LONG_BASE + k};
        }
    }
}

/* The option getopt_long's code ch (or optopt) stands for; -1 for none. */
static int option_of(int ch)
{
    if (ch >= LONG_BASE && ch < LONG_BASE + SR_CLI_N_OPTIONS)
        return ch - LONG_BASE;
    for (int k = 0; k < SR_CLI_N_OPTIONS; k++)
        if (option_table[k].name[1] == ch && option_table[k].name[2] == '\0')
            return k;
    return -1;
}

/* Whether word spells long option k whole ("--trials" or "--trials=..."): getopt_long
 * would also take an abbreviation ("--tri"), which a later option could make ambiguous. */
static bool spelled_whole(const char *word, int k)
{
    const char *name = option_table[k].name;
    size_t len = strlen(name);
    return name[1] != '-' || (strncmp(word, name, len) == 0 &&
                              (word[len] == '\0' || word[len] == '='));
}

static int add_override(sr_cli_options *o, const char *arg, sr_error *err)
{
    sr_override *grown = realloc(o->overrides, (o->n_overrides + 1) * sizeof *grown);
    if (grown == NULL)
        return sr_error_set(err, SR_EXIT_SOFTWARE, "out of memory");
    o->overrides = grown;
    if (sr_override_parse(arg, &o->overrides[o->n_overrides], err) != 0)
        return err->code;
    o->n_overrides++;
    return 0;
}

/* A whole number in [lo, hi]. */
static int parse_count(const char *flag, const char *text, long long lo, long long hi,
                       long long *out, sr_error *err)
{
    char *end;
    errno = 0;
    long long v = strtoll(text, &end, 10);
    if (errno != 0 || end == text || *end != '\0' || v < lo || v > hi)
        return sr_error_set(err, SR_EXIT_USAGE, "%s: expected a whole number from %lld to "
                            "%lld, got '%s'", flag, lo, hi, text);
    *out = v;
    return 0;
}

/* --pilot-sizes: whole numbers of persons, comma separated, increasing. */
static int parse_pilot_sizes(sr_cli_options *o, const char *text, sr_error *err)
{
    o->n_pilots = 0;
    for (const char *item = text;;) {
        const size_t len = strcspn(item, ",");
        char word[32];
        long long n = 0;
        if (o->n_pilots == SR_VOI_MAX_PILOTS)
            return sr_error_set(err, SR_EXIT_USAGE, "--pilot-sizes: at most %d sizes",
                                SR_VOI_MAX_PILOTS);
        if (len >= sizeof word)
            return sr_error_set(err, SR_EXIT_USAGE, "--pilot-sizes: '%.*s' is not a whole "
                                "number of persons", (int)len, item);
        snprintf(word, sizeof word, "%.*s", (int)len, item);
        if (parse_count("--pilot-sizes", word, 1, 4294967295LL, &n, err) != 0)
            return err->code;
        if (o->n_pilots > 0 && (double)n <= o->pilot_size[o->n_pilots - 1])
            return sr_error_set(err, SR_EXIT_USAGE, "--pilot-sizes: sizes must increase");
        o->pilot_size[o->n_pilots++] = (double)n;
        if (item[len] == '\0')
            return 0;
        item += len + 1;
    }
}

/* Sets a price search's option that may be given once. */
static int set_once(const char **slot, const char *flag, const char *value, sr_error *err)
{
    if (*slot != NULL)
        return sr_error_set(err, SR_EXIT_USAGE, "%s given twice", flag);
    *slot = value;
    return 0;
}

/* Applies option k with its value (NULL for a flag) to o. */
static int apply(sr_cli_options *o, int k, const char *value, sr_error *err)
{
    const char *flag = option_table[k].name;
    char buf[64];
    long long n = 0;
    if (option_table[k].choices != NULL)
        return choose(o, k, value, err);
    switch ((sr_cli_option)k) {
    case SR_CLI_OUTPUT:
        o->output = value;
        return 0;
    case SR_CLI_ONLY:
        o->only = value;
        return 0;
    case SR_CLI_PARAM:
        return sr_sweep_spec_param(&o->sweep, value, err);
    case SR_CLI_VALUES:
        return sr_sweep_spec_values(&o->sweep, value, err);
    case SR_CLI_VARY:
        return set_once(&o->price.vary, flag, value, err);
    case SR_CLI_TARGET:
        return set_once(&o->price.target, flag, value, err);
    case SR_CLI_BRACKET:
        return set_once(&o->price.bracket, flag, value, err);
    case SR_CLI_INVESTOR_IRR:
        return set_once(&o->price.investor_irr, flag, value, err);
    case SR_CLI_MUNICIPALITY_RISK:
        return set_once(&o->price.municipality_risk, flag, value, err);
    case SR_CLI_MAP:
        if (o->price.n_maps == SR_PRICE_MAX_MAPS)
            return sr_error_set(err, SR_EXIT_USAGE, "--map: at most %d terms",
                                SR_PRICE_MAX_MAPS);
        o->price.map[o->price.n_maps++] = value;
        return 0;
    case SR_CLI_TRIALS:
        if (parse_count(flag, value, 1, 1000000000LL, &n, err) != 0)
            return err->code;
        snprintf(buf, sizeof buf, "simulation.trials=%lld", n);
        return add_override(o, buf, err);
    case SR_CLI_SEED: {
        char *end;
        errno = 0;
        unsigned long long seed = strtoull(value, &end, 10);
        if (errno != 0 || end == value || *end != '\0' || value[0] == '-')
            return sr_error_set(err, SR_EXIT_USAGE, "--seed: expected a whole number from "
                                "0 to 18446744073709551615, got '%s'", value);
        snprintf(buf, sizeof buf, "simulation.seed=%llu", seed);
        return add_override(o, buf, err);
    }
    case SR_CLI_THREADS:
        if (parse_count(flag, value, 1, SR_MAX_THREADS, &n, err) != 0)
            return err->code;
        o->threads = (int)n;
        return 0;
    case SR_CLI_SET:
        return add_override(o, value, err);
    case SR_CLI_QUIET:
        o->quiet = true;
        return 0;
    case SR_CLI_OPTIONS:
        o->voi_options = value;
        return 0;
    case SR_CLI_GROUPS:
        o->voi_groups = value;
        return 0;
    case SR_CLI_BOOTSTRAP:
        if (parse_count(flag, value, 2, 100000, &n, err) != 0)
            return err->code;
        o->bootstrap = (size_t)n;
        return 0;
    case SR_CLI_POPULATION:
        if (parse_count(flag, value, 1, 1000000000000LL, &n, err) != 0)
            return err->code;
        o->population = (double)n;
        return 0;
    case SR_CLI_PILOT_SIZES:
        return parse_pilot_sizes(o, value, err);
    case SR_CLI_PILOT_MONTHS:
        if (parse_count(flag, value, 1, 1200, &n, err) != 0)
            return err->code;
        o->pilot_months = (unsigned)n;
        return 0;
    case SR_CLI_TABLE:
        o->table = value;
        return 0;
    case SR_CLI_LANG:
    case SR_CLI_FORMAT:
    case SR_CLI_DIALECT:   /* taken by choose above */
    case SR_CLI_N_OPTIONS:
        break;
    }
    return sr_error_set(err, SR_EXIT_SOFTWARE, "option %d has no meaning", k);
}

/* Option k given to command c, which does not take it: says which command does, or what
 * c takes. */
static int not_taken(const sr_cli_command *c, int k, const sr_cli_command *commands,
                     size_t n_commands, sr_error *err)
{
    const sr_cli_command *owner = NULL;
    size_t owners = 0;
    for (size_t i = 0; i < n_commands; i++)
        if (commands[i].takes & SR_CLI_TAKES(k)) {
            owner = &commands[i];
            owners++;
        }
    if (owners == 1)
        return sr_error_set(err, SR_EXIT_USAGE, "%s is an option of %s",
                            option_table[k].name, owner->name);
    return sr_error_set(err, SR_EXIT_USAGE, "%s: %s takes %s", option_table[k].name, c->name,
                        c->takes_text);
}

/* A word that is not an option: the operand, once. */
static int take_operand(sr_cli_options *o, const char *word, sr_error *err)
{
    if (o->command->operand == NULL || o->operand != NULL)
        return sr_error_set(err, SR_EXIT_USAGE, "unexpected argument '%s'", word);
    o->operand = word;
    return 0;
}

/* The options and the operand, in the order given; errors not yet prefixed. */
static int parse_words(int argc, char **argv, const sr_cli_command *c,
                       const sr_cli_command *commands, size_t n_commands, sr_cli_options *o,
                       sr_error *err)
{
    getopt_tables t;
    build_tables(&t);
    opterr = 0;   /* getopt_long prints nothing: the messages are ours */
    optind = 0;   /* glibc: start afresh, at argv[1] */
    for (;;) {
        const int at = optind > 0 ? optind : 1;   /* the word getopt_long reads next */
        const char *word = at < argc ? argv[at] : "";
        const int ch = getopt_long(argc, argv, t.shorts, t.longs, NULL);
        if (ch == -1)
            break;
        if (ch == 1) {
            if (take_operand(o, optarg, err) != 0)
                return err->code;
            continue;
        }
        const int k = option_of(ch == '?' || ch == ':' ? optopt : ch);
        if (k < 0 || !spelled_whole(word, k)) {
            size_t len = strcspn(word, "=");
            return sr_error_set(err, SR_EXIT_USAGE, "unknown option '%.*s'", (int)len, word);
        }
        if (ch == ':')
            return sr_error_set(err, SR_EXIT_USAGE, "%s needs a value", option_table[k].name);
        if (ch == '?')
            return sr_error_set(err, SR_EXIT_USAGE, "%s takes no value",
                                option_table[k].name);
        if (!(c->takes & SR_CLI_TAKES(k)))
            return not_taken(c, k, commands, n_commands, err);
        if (apply(o, k, option_table[k].value ? optarg : NULL, err) != 0)
            return err->code;
    }
    /* after "--", every word is an operand */
    for (int i = optind; i < argc; i++)
        if (take_operand(o, argv[i], err) != 0)
            return err->code;
    return 0;
}

int sr_cli_parse(int argc, char **argv, const sr_cli_command *c,
                 const sr_cli_command *commands, size_t n_commands, sr_cli_options *o,
                 sr_error *err)
{
    memset(o, 0, sizeof *o);
    o->command = c;
    for (int k = 0; k < SR_CLI_N_OPTIONS; k++)
        o->choice[k] = -1;
    if (parse_words(argc, argv, c, commands, n_commands, o, err) != 0) {
        sr_error_prefix(err, "%s", c->name);
        return err->code;
    }
    if (c->operand != NULL && o->operand == NULL)
        return sr_error_set(err, SR_EXIT_USAGE, "%s needs a %s", c->name, c->operand);
    return 0;
}

void sr_cli_options_clear(sr_cli_options *o)
{
    for (size_t i = 0; i < o->n_overrides; i++)
        sr_override_clear(&o->overrides[i]);
    free(o->overrides);
    sr_sweep_spec_clear(&o->sweep);
    memset(o, 0, sizeof *o);
}
