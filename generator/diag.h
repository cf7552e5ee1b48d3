/*
 * diag.h — diagnostics: what is wrong with the input, where, and how to fix it.
 *
 * Owns the list of diagnostics a run collects. A diagnostic has a severity,
 * a code (Frictionless error names where Frictionless knows the problem,
 * "odcat-*" codes for the rest), a location (file relative to the
 * repository root, 1-based line and column, 0 when unknown), a one-line
 * message and an optional hint saying how to fix it. Bad input never stops a
 * run by itself: callers add a diagnostic and decide whether to go on.
 *
 * The list copies every string it is given; diag_free releases them all.
 */
#ifndef ODC_DIAG_H
#define ODC_DIAG_H

#include <stddef.h>
#include <stdio.h>

typedef enum { ODC_SEV_ERROR, ODC_SEV_WARNING } odc_severity;

typedef struct odc_diag {
	odc_severity sev;
	char *code;    /* e.g. "invalid-json", "odcat-unsafe-path" */
	char *file;    /* relative to the repository root, or NULL */
	long line;     /* 1-based, 0 = unknown */
	long column;   /* 1-based, 0 = unknown */
	char *message; /* one line, impersonal */
	char *hint;    /* how to fix it, or NULL */
} odc_diag;

typedef struct odc_diags {
	odc_diag *items;
	size_t n, cap;
	size_t errors, warnings;
} odc_diags;

#define ODC_DIAGS_INIT {NULL, 0, 0, 0, 0}

/* Appends one diagnostic. file and hint may be NULL; fmt builds the message. */
void diag_add(odc_diags *d, odc_severity sev, const char *code, const char *file,
	      long line, long column, const char *hint, const char *fmt, ...)
	__attribute__((format(printf, 8, 9)));
/* Moves every diagnostic of src to the end of dst; src is left empty. */
void diag_move(odc_diags *dst, odc_diags *src);
/* Writes "file:line:col: error: message [code]" and an indented hint line,
 * one diagnostic after the other, in the order they were added. */
void diag_print(const odc_diags *d, FILE *f);
void diag_free(odc_diags *d);

#endif
