/*
 * schema.h — Frictionless Table Schema: fields, types, formats, constraints
 * and keys, and the casting and checking of one cell.
 *
 * Owns the parsed form of one resource's schema (v2, reading v1 forms too;
 * see ../shared/docs/tableschema.md). Compiles what can be compiled once
 * (PCRE2 patterns, enum values cast to the field's type, strptime-style
 * formats) so that checking a cell does no allocation in the common case.
 *
 * Problems in the schema itself become diagnostics (schema-error,
 * field-error) located by a JSON pointer; schema_load returns -1 when the
 * schema cannot be used at all.
 *
 * Threads: an odc_schema holds PCRE2 match data, so one schema is used by
 * one thread at a time (one dataset per thread).
 */
#ifndef ODC_SCHEMA_H
#define ODC_SCHEMA_H

#include <jansson.h>
#include <stddef.h>

#include "buf.h"
#include "diag.h"

typedef enum odc_type {
	ODC_T_STRING,
	ODC_T_NUMBER,
	ODC_T_INTEGER,
	ODC_T_BOOLEAN,
	ODC_T_DATE,
	ODC_T_TIME,
	ODC_T_DATETIME,
	ODC_T_YEAR,
	ODC_T_YEARMONTH,
	ODC_T_DURATION,
	ODC_T_GEOPOINT,
	ODC_T_GEOJSON,
	ODC_T_OBJECT,
	ODC_T_ARRAY,
	ODC_T_LIST,
	ODC_T_ANY,
} odc_type;

typedef struct odc_schema odc_schema;

/* The logical value of one cell, after missing values and casting. Only the
 * members for its type are meaningful. str/len are lent from the cell. */
typedef struct odc_value {
	int missing;      /* the cell is one of the missing values: null */
	odc_type type;
	long long i;      /* integer, year, boolean (0/1), yearmonth (year*12+month-1),
			   * date (days since 1970-01-01), time (seconds of the day),
			   * datetime (seconds since the epoch, UTC when zoned) */
	double num;       /* number; duration in seconds (months as 30 days, years as 365) */
	double lon, lat;  /* geopoint */
	const char *str;  /* the cell text as given (UTF-8) */
	size_t len;
} odc_value;

/* Why a cell failed. */
typedef struct odc_cell_error {
	const char *code;       /* "type-error" or "constraint-error" */
	const char *constraint; /* NULL for type errors; else the constraint's name:
				 * "required", "minimum", "maximum", "exclusiveMinimum",
				 * "exclusiveMaximum", "minLength", "maxLength", "pattern",
				 * "enum", "categories" */
	char expected[200];     /* what was expected, in words for people, English:
				 * "number", "date in the form %Y年%m月%d日", "at least 0",
				 * "one of: 有, 無", "the pattern ^[0-9]{6}$" */
} odc_cell_error;

/* A foreign key of the schema. */
typedef struct odc_fkey {
	size_t n;               /* number of fields */
	const size_t *fields;   /* their indices in this schema */
	const char *package;    /* reference.package (a dataset slug) or NULL = this package */
	const char *resource;   /* reference.resource; "" = this resource */
	const char *const *ref_fields; /* reference.fields, n names */
} odc_fkey;

/* Parses schema (a JSON object) into *out. file and ptr locate it for
 * diagnostics (e.g. "datasets/x/datapackage.json", "/resources/0/schema").
 * Unknown types or formats, patterns that do not compile, keys naming
 * unknown fields... add schema-error / field-error diagnostics. Returns 0,
 * or -1 when the schema cannot be used (then *out is NULL). */
int schema_load(odc_schema **out, const json_t *schema, const char *file, const char *ptr,
		odc_diags *d);
void schema_free(odc_schema *s);

size_t schema_field_count(const odc_schema *s);
const char *schema_field_name(const odc_schema *s, size_t i);
const char *schema_field_title(const odc_schema *s, size_t i); /* NULL when absent */
odc_type schema_field_type(const odc_schema *s, size_t i);
const char *schema_field_format(const odc_schema *s, size_t i); /* "default" when absent */
int schema_field_required(const odc_schema *s, size_t i);
int schema_field_unique(const odc_schema *s, size_t i);
/* Index of the field called name, or -1. */
long schema_field_index(const odc_schema *s, const char *name);
/* "exact" (default), "equal", "subset", "superset" or "partial". */
const char *schema_fields_match(const odc_schema *s);
/* Primary key fields (indices); returns their number, 0 when none. */
size_t schema_primary_key(const odc_schema *s, const size_t **fields);
/* v2 uniqueKeys: count, and the i-th key's fields. */
size_t schema_unique_key_count(const odc_schema *s);
size_t schema_unique_key(const odc_schema *s, size_t i, const size_t **fields);
size_t schema_foreign_key_count(const odc_schema *s);
const odc_fkey *schema_foreign_key(const odc_schema *s, size_t i);

/* Casts one raw cell (UTF-8, len bytes) of field i and checks the field's
 * constraints other than unique. Returns 0 when valid (v filled; v->missing
 * for a missing value), or -1 with err filled. Never allocates on success
 * for scalar types. */
int schema_check_cell(odc_schema *s, size_t i, const char *cell, size_t len, odc_value *v,
		      odc_cell_error *err);

/* Appends the canonical text of a logical value, so that equal logical
 * values compare equal as bytes (1, 1.0 and 1e0 as number → one text; dates
 * in any format → one text). Used for unique, primary and foreign keys. */
void schema_value_key(const odc_value *v, odc_buf *out);

/* The type's name as in Table Schema ("integer"), and back (-1 if unknown). */
const char *schema_type_name(odc_type t);
int schema_type_from_name(const char *name);

#endif
