/* The command line's words: every option any command takes, parsed with getopt_long
 * (`--trials 10` and `--trials=10` alike; long options are matched whole, never by an
 * abbreviation), against the row of the command table (sim/cli/main.c) of the command
 * given. An option the command does not take, an unknown one, a missing value or a stray
 * argument is a usage error (SR_EXIT_USAGE) that names the option and the command. */
#ifndef SR_CLI_ARGS_H
#define SR_CLI_ARGS_H

#include <stdbool.h>
#include <stddef.h>

#include "sim/base/error.h"
#include "sim/scenario/scenario.h"
#include "sim/variants/price.h"
#include "sim/variants/sweep.h"
#include "sim/variants/voi_run.h"

/* Every option of every command. */
typedef enum {
    SR_CLI_OUTPUT,      /* -o FILE.h5 */
    SR_CLI_TRIALS,      /* --trials N: an override of simulation.trials */
    SR_CLI_SEED,        /* --seed S: an override of simulation.seed */
    SR_CLI_THREADS,     /* --threads T */
    SR_CLI_SET,         /* --set PATH=VALUE, repeatable */
    SR_CLI_QUIET,       /* --quiet */
    SR_CLI_ONLY,        /* --only NAME,... (stress) */
    SR_CLI_PARAM,       /* --param PATH (sweep), repeatable */
    SR_CLI_VALUES,      /* --values V1,V2,... (sweep), after each --param */
    SR_CLI_LANG,        /* --lang en|da (report, export): the language of the text */
    SR_CLI_FORMAT,      /* --format xlsx|csv (export) */
    SR_CLI_TABLE,       /* --table NAME (export): one table only */
    SR_CLI_DIALECT,     /* --dialect rfc4180|danish (export to CSV) */
    SR_CLI_VARY,        /* --vary PATH (price) */
    SR_CLI_TARGET,      /* --target STATISTIC=VALUE (price) */
    SR_CLI_BRACKET,     /* --bracket LO,HI (price) */
    SR_CLI_MAP,         /* --map PATH=V1,V2,... (price), at most twice */
    SR_CLI_INVESTOR_IRR,        /* --investor-irr R (price) */
    SR_CLI_MUNICIPALITY_RISK,   /* --municipality-risk P (price) */
    SR_CLI_OPTIONS,     /* --options NAME,NAME=METRIC,... (voi) */
    SR_CLI_GROUPS,      /* --groups A+B,A+B+C (voi) */
    SR_CLI_BOOTSTRAP,   /* --bootstrap B (voi) */
    SR_CLI_POPULATION,  /* --population N (voi) */
    SR_CLI_PILOT_SIZES, /* --pilot-sizes N1,N2,... (voi) */
    SR_CLI_PILOT_MONTHS,/* --pilot-months M (voi) */
    SR_CLI_N_OPTIONS
} sr_cli_option;

/* A command's set of options: SR_CLI_TAKES(a) | SR_CLI_TAKES(b) ... */
#define SR_CLI_TAKES(option) (1u << (option))
/* What a run takes: run, stress and sweep take all of these. */
#define SR_CLI_RUN_OPTIONS                                                                 \
    (SR_CLI_TAKES(SR_CLI_OUTPUT) | SR_CLI_TAKES(SR_CLI_TRIALS) | SR_CLI_TAKES(SR_CLI_SEED) | \
     SR_CLI_TAKES(SR_CLI_THREADS) | SR_CLI_TAKES(SR_CLI_SET) | SR_CLI_TAKES(SR_CLI_QUIET))

typedef struct sr_cli_options sr_cli_options;

/* A row of the command table. */
typedef struct {
    const char *name;            /* as typed: "run", "--help" */
    const char *usage;           /* its lines of the usage text; NULL: another row's show it */
    const char *operand;         /* what its one argument is ("scenario file"); NULL: none */
    unsigned takes;              /* its options, SR_CLI_TAKES bits */
    const char *takes_text;      /* what it takes, said when given another option ("a
                                  * scenario and --set only") */
    const char *output_suffix;   /* its result file is results/<scenario stem><suffix>.h5
                                  * unless -o; NULL: it writes none */
    bool exit_on_interrupt;      /* it only reads: SIGINT and SIGTERM end it at once */
    int (*handler)(const sr_cli_options *o, sr_error *err);
} sr_cli_command;

/* What the command line asked for. */
struct sr_cli_options {
    const sr_cli_command *command;
    const char *operand;         /* the scenario or result file; NULL when the command
                                  * takes none */
    const char *output;          /* -o; NULL: the default */
    const char *only;            /* --only */
    sr_sweep_spec sweep;         /* --param and --values, in order */
    sr_price_spec price;         /* --vary, --target, --bracket, --map, --investor-irr,
                                  * --municipality-risk */
    int threads;                 /* --threads; 0: not given */
    const char *table;           /* --table; NULL: every table */
    int choice[SR_CLI_N_OPTIONS];   /* an option with a fixed set of values (--lang,
                                     * --format, --dialect): the index of the value given
                                     * in its list (sr_cli_choices), -1 when not given */
    bool quiet;
    const char *voi_options;     /* --options */
    const char *voi_groups;      /* --groups */
    size_t bootstrap;            /* --bootstrap; 0: not given */
    double population;           /* --population; 0: not given */
    size_t n_pilots;             /* --pilot-sizes */
    double pilot_size[SR_VOI_MAX_PILOTS];
    unsigned pilot_months;       /* --pilot-months; 0: not given */
    size_t n_overrides;
    sr_override *overrides;      /* --set, --trials and --seed in the order given, as
                                  * overrides ("simulation.trials=10") */
};

/* Parses argv[1..argc) for command c, whose name is argv[0], into o (cleared first; it
 * borrows argv's strings). commands[0..n_commands) is the whole table, to say which
 * command takes an option c does not. Returns 0, or the error code with err:
 * SR_EXIT_USAGE with a message that begins with the command's name, SR_EXIT_SOFTWARE when
 * out of memory. Uses getopt_long's globals: call once at a time. */
int sr_cli_parse(int argc, char **argv, const sr_cli_command *c,
                 const sr_cli_command *commands, size_t n_commands, sr_cli_options *o,
                 sr_error *err);

void sr_cli_options_clear(sr_cli_options *o);

/* The values an option with a fixed set of them takes, NULL-terminated ({"en", "da",
 * NULL}); NULL for other options. */
const char *const *sr_cli_choices(sr_cli_option option);

#endif
