/*
 * cli.h — the command line: sub-commands, options, help texts, exit codes.
 */
#ifndef ODC_CLI_H
#define ODC_CLI_H

/* Runs odcat with the given arguments; returns the process exit code. */
int cli_run(int argc, char **argv);

/* Matches argv[*i] against option name ("--repo"); takes the value from
 * "--repo=value" or the next argument (advancing *i). Returns 1 on a match
 * (with *val set), 0 when argv[*i] is not this option, -1 when the value
 * is missing. Shared by every sub-command. */
int cli_opt_value(int argc, char **argv, int *i, const char *name, const char **val);
/* Prints "odcat CMD: <message>" and "Try 'odcat CMD --help'." to stderr;
 * returns the usage exit code (2). cmd may be NULL for odcat itself. */
int cli_usage(const char *cmd, const char *fmt, const char *arg);

#endif
