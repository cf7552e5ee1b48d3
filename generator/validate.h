/*
 * validate.h — checking one CSV resource against its Table Schema.
 *
 * Owns the drive of csvscan (records) and schema (cells) over a resource,
 * in one streaming pass: header against the schema (fieldsMatch, labels),
 * table shape (blank rows, missing and extra cells), every cell (types,
 * formats, constraints), unique and primary keys, foreign keys, and
 * warnings for what harms residents (spreadsheet formula injection,
 * personal data). Diagnostics use Frictionless's error codes and row
 * numbers (header = row 1; a quoted multi-line cell is one row; blank lines
 * are rows) plus the physical line.
 *
 * Memory does not grow with the file except for the key sets that unique,
 * primary and foreign keys need (one canonical string per row and key).
 */
#ifndef ODC_VALIDATE_H
#define ODC_VALIDATE_H

#include <stddef.h>

#include "csvscan.h"
#include "diag.h"
#include "schema.h"

/* A set of byte strings (canonical key values), for keys. */
typedef struct odc_keyset odc_keyset;
odc_keyset *keyset_new(void);
/* Adds key; returns 1 when it was new, 0 when already there. */
int keyset_add(odc_keyset *k, const char *key, size_t len);
int keyset_has(const odc_keyset *k, const char *key, size_t len);
size_t keyset_count(const odc_keyset *k);
void keyset_free(odc_keyset *k);

/* Supplies the set of key tuples of a foreign key's referenced resource
 * (reference.package/resource, reference.fields), joined as
 * schema_value_key texts separated by "\x1f". Returns 0 with *out (lent,
 * kept by the resolver) or -1 when the reference cannot be resolved (the
 * resolver has added a diagnostic; the key is then not checked). Self
 * references (resource "") never reach the resolver. */
typedef int (*odc_fk_resolver)(void *payload, const odc_fkey *fk, const odc_keyset **out);

/* Receives the typed values of each valid data row (one per schema field,
 * in schema order; vals[i].missing for a missing value or an absent
 * column). A row is valid when checking it added no error (self foreign
 * keys are only known at the end: a caller that needs a valid resource
 * checks the result of validate_resource). vals and the strings they lend
 * live only during the call. row is the Frictionless row number. A
 * non-zero return stops further calls (the pass itself goes on). */
typedef int (*odc_row_fn)(void *payload, const odc_value *vals, size_t n, long row);

typedef struct odc_validate_opts {
	size_t max_errors;     /* diagnostics kept per resource (default 1000); the rest are counted */
	int header;            /* dialect header (default 1) */
	odc_csv_opts csv;      /* delimiter, quote, encoding, doubleQuote, skipInitialSpace */
	odc_fk_resolver fk;    /* NULL: foreign keys to other resources are not checked */
	void *fk_payload;
	int warn_formula;      /* warn about cells starting with = + - @ in text columns (default on) */
	int warn_personal;     /* warn about columns that look like personal data (default on) */
	int check_keys;        /* unique, primary and foreign keys (default on); a further pass
				* over a resource known to be valid turns them off, so that its
				* memory does not grow with the rows */
	odc_row_fn row;        /* NULL: rows are not handed out */
	void *row_payload;
} odc_validate_opts;

/* Fills defaults: max_errors 1000, header 1, warnings on. */
void validate_opts_init(odc_validate_opts *o);

typedef struct odc_validate_report {
	long rows;            /* data rows read (header excluded) */
	size_t errors;        /* all errors, including those not kept */
	size_t warnings;
	size_t omitted;       /* diagnostics counted but not kept (over max_errors) */
	int fatal;            /* reading stopped early (encoding or parse error) */
} odc_validate_report;

/* Validates data (len bytes) against schema. Diagnostics name file; the
 * report is filled. Returns 0 when the resource has no error, -1 otherwise. */
int validate_resource(const char *data, size_t len, odc_schema *schema, const char *file,
		      const odc_validate_opts *o, odc_diags *d, odc_validate_report *rep);

/* Collects the key tuples of fields (names) of a resource into *out
 * (owned by the caller) — the other side of a foreign key. Rows with an
 * invalid or missing key cell are skipped. Returns 0, or -1 when a field is
 * not in the schema or the file cannot be read (a diagnostic says so). */
int validate_collect_keys(const char *data, size_t len, odc_schema *schema, const char *file,
			  const odc_validate_opts *o, const char *const *fields, size_t n,
			  odc_keyset **out, odc_diags *d);

#endif
