/*
 * cli.h — the command line: sub-commands, options, help texts, exit codes.
 */
#ifndef ODC_CLI_H
#define ODC_CLI_H

/* Runs odcat with the given arguments; returns the process exit code. */
int cli_run(int argc, char **argv);

#endif
