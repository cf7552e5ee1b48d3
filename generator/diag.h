/*
 * diag.h — diagnostics: what is wrong with the input, where, and how to fix it.
 *
 * Owns the list of diagnostics a run collects and their output as text,
 * JSON and GitHub workflow annotations. A diagnostic has a severity, a code
 * (Frictionless error names where Frictionless knows the problem, "odcat-*"
 * codes for the rest; docs/diagnostics.md lists them), a location (file
 * relative to the repository root; physical line; column — for CSV cells
 * the field's position; 0 when unknown), for CSV problems the Frictionless
 * row number, field position, field name and the offending value, and a
 * one-line message and hint in English and (where given) Japanese.
 *
 * Bad input never stops a run by itself: callers add a diagnostic and
 * decide whether to go on. The list copies every string it is given;
 * diag_free releases them all.
 */
#ifndef ODC_DIAG_H
#define ODC_DIAG_H

#include <jansson.h>
#include <stddef.h>
#include <stdio.h>

typedef enum { ODC_SEV_ERROR, ODC_SEV_WARNING } odc_severity;

typedef struct odc_diag {
	odc_severity sev;
	char *code;       /* e.g. "type-error", "odcat-unsafe-path" */
	char *file;       /* relative to the repository root, or NULL */
	long line;        /* physical line, 1-based, 0 = unknown */
	long column;      /* 1-based, 0 = unknown (for cells: the field position) */
	long row;         /* Frictionless rowNumber (header = 1), 0 = none */
	long field;       /* Frictionless fieldNumber (1-based), 0 = none */
	char *field_name; /* or NULL */
	char *value;      /* the offending cell, shortened, or NULL */
	char *message;    /* English, one line, impersonal */
	char *hint;       /* English, how to fix it, or NULL */
	char *message_ja; /* Japanese, or NULL (then English is used) */
	char *hint_ja;
} odc_diag;

typedef struct odc_diags {
	odc_diag *items;
	size_t n, cap;
	size_t errors, warnings;
} odc_diags;

#define ODC_DIAGS_INIT {NULL, 0, 0, 0, 0}

typedef enum { ODC_FMT_TEXT, ODC_FMT_JSON, ODC_FMT_GITHUB } odc_diag_format;

/* Appends one diagnostic. file and hint may be NULL; fmt builds the message. */
void diag_add(odc_diags *d, odc_severity sev, const char *code, const char *file,
	      long line, long column, const char *hint, const char *fmt, ...)
	__attribute__((format(printf, 8, 9)));
/* Gives the last diagnostic its Japanese message and hint (hint may be NULL). */
void diag_ja(odc_diags *d, const char *hint, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* Gives the last diagnostic its cell facts. value (len bytes) is shortened to
 * at most 40 characters; field_name and value may be NULL. */
void diag_cell(odc_diags *d, long row, long field, const char *field_name, const char *value,
	       size_t len);
/* Moves every diagnostic of src to the end of dst; src is left empty. */
void diag_move(odc_diags *dst, odc_diags *src);

/* Writes the diagnostics one line each:
 *   text:   file:line:col: code: message (hint: ...)      (errors)
 *           file:line:col: warning: code: message (hint: ...)
 *   github: ::error file=...,line=...,col=...,title=code::message (hint: ...)
 * lang is "ja" or "en". In text and github output, after group_after
 * diagnostics of one code in one file and column, the rest are counted and
 * summarised in one line (group_after 0 = never group). */
void diag_print(const odc_diags *d, FILE *f, odc_diag_format fmt, const char *lang,
		size_t group_after);
/* One JSON object per diagnostic, with every fact (owned by the caller). */
json_t *diag_to_json(const odc_diags *d, const char *lang);
void diag_free(odc_diags *d);

/* Every field of every diagnostic as JSON (both languages), for the
 * build cache; diag_restore appends them back to d. diag_restore returns
 * 0, or -1 when a is not such an array (what was read stays in d). */
json_t *diag_record(const odc_diags *d);
int diag_restore(odc_diags *d, const json_t *a);

/* Shortens s (len bytes of UTF-8) to at most max characters, with "…" when
 * cut, and makes control characters visible; appends to a malloc'd string. */
char *diag_shorten(const char *s, size_t len, size_t max);

#endif
