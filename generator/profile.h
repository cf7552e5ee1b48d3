/*
 * profile.h — a profile of each column of a CSV resource, in one pass and
 * bounded memory.
 *
 * Owns the statistics a dataset page shows per column: how many values
 * there are and how many are missing, how many distinct values (exact up to
 * ODC_PROFILE_DISTINCT_CAP, then only "more than that"), the minimum and
 * maximum of numeric and date columns with a histogram of equal-width bins,
 * and the most frequent values of the other columns.
 *
 * Memory does not grow with the number of rows: per column at most
 * ODC_PROFILE_DISTINCT_CAP entries (a 128-bit hash of the value, a count
 * and the first ODC_PROFILE_TEXT_BYTES bytes of the value as written) and
 * ODC_PROFILE_FINE_BINS histogram counters; a table of more than 64
 * columns shares ODC_PROFILE_TOTAL_ENTRIES among them (at least
 * ODC_PROFILE_MIN_CAP each), so a wide table does not multiply it. Once a text column has more
 * distinct values than the cap, its most frequent values are followed with
 * the Space-Saving algorithm (Metwally et al., 2005) over the same entries:
 * counts are then upper bounds, and the profile says they are approximate.
 * Numeric and date columns drop their table at the cap (they show no top
 * values).
 *
 * Histogram bins: when the schema gives both "minimum" and "maximum" of a
 * numeric field (or of a date field, as YYYY-MM-DD), 10 equal bins over
 * that range (whole-unit widths for integers and dates, one bin per value
 * when the range holds at most 20 of them). Otherwise the range comes from the data in the same
 * pass: ODC_PROFILE_FINE_BINS exact counters whose width (a power of two)
 * doubles, merging neighbours, whenever a value falls outside; at the end
 * they are grouped into at most ODC_PROFILE_BINS bins of a power-of-two
 * width. Counts are exact either way.
 */
#ifndef ODC_PROFILE_H
#define ODC_PROFILE_H

#include <jansson.h>
#include <stddef.h>

#include "schema.h"

#define ODC_PROFILE_DISTINCT_CAP 10000
#define ODC_PROFILE_TOTAL_ENTRIES (64 * ODC_PROFILE_DISTINCT_CAP) /* over all columns */
#define ODC_PROFILE_MIN_CAP 1000
#define ODC_PROFILE_TOP 10
#define ODC_PROFILE_BINS 16
#define ODC_PROFILE_FINE_BINS 64
#define ODC_PROFILE_TEXT_BYTES 80

typedef struct odc_profile odc_profile;

/* A profiler for the fields of schema s; fields is the schema's "fields"
 * JSON array (borrowed during the call: constraints "minimum"/"maximum"
 * are read from it). Owned by the caller: profile_free. */
odc_profile *profile_new(const odc_schema *s, const json_t *fields);
/* Adds one row of typed values, one per field in schema order (as
 * validate.c hands them out). */
void profile_add(odc_profile *p, const odc_value *vals, size_t n);
/* The profile as JSON (owned by the caller): an array, one object per
 * field in schema order:
 *   name, type ("integer", ...), count (values present), missing,
 *   distinct (integer), distinct_capped (true: more than distinct, which
 *     is then the column's cap: 10,000, less for tables over 64 columns),
 *   kind ("numeric", "date" or "text"),
 *   min, max (text: numbers as %.10g, dates as YYYY-MM-DD, datetimes as
 *     YYYY-MM-DDTHH:MM:SSZ, year-months as YYYY-MM, times as HH:MM:SS;
 *     numeric and date columns with a value only),
 *   top (text columns): [{value, count}] most frequent first, equal counts
 *     in order of first appearance, at most ODC_PROFILE_TOP; value cut at
 *     ODC_PROFILE_TEXT_BYTES bytes (on a character boundary, "…" added),
 *   top_approximate (true when the counts are Space-Saving bounds),
 *   histogram (numeric and date columns with a finite value):
 *     {source: "schema" | "data", bins: [{from, to, count, from_text,
 *     to_text}]} — a bin holds from <= x < to (the last one also x == to
 *     for schema ranges); from/to are numbers in the column's unit (days
 *     since 1970-01-01 for dates, seconds for datetimes and times, months
 *     for year-months), *_text formatted as min/max are. */
json_t *profile_result(const odc_profile *p);
void profile_free(odc_profile *p);

#endif
