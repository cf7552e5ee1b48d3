/*
 * dcat.h — machine-readable catalogues for harvesters.
 *
 * Owns the DCAT-US 1.1 data.json (Project Open Data metadata schema): one
 * object per published dataset, built from the same model the pages use.
 * URLs are absolute when odcat.json has base_url, else relative to the
 * site root (harvesters need base_url; the build warns without it).
 */
#ifndef ODC_DCAT_H
#define ODC_DCAT_H

#include <jansson.h>
#include <stdint.h>

#include "buf.h"
#include "catalog.h"
#include "out.h"

/* One DCAT-US dataset object for ds. today is "YYYY-MM-DD", the fallback
 * for "modified". Owned by the caller. */
json_t *dcat_us_dataset(const odc_catalog *cat, const odc_dataset *ds, const char *today);
/* The whole data.json around datasets (an array of dcat_us_dataset
 * results, borrowed). Returns a malloc'd, NUL-terminated JSON text. */
char *dcat_us_catalog(const odc_catalog *cat, json_t *datasets);

/* data.json assembled from text: each dataset's object dumped once. Use
 * ODC_DATAJSON_INIT, dcat_us_add per published dataset in slug order,
 * dcat_us_text once, dcat_us_free always. */
typedef struct odc_datajson {
	odc_buf items; /* the dataset objects as they read inside the array */
	size_t n;
} odc_datajson;

#define ODC_DATAJSON_INIT {ODC_BUF_INIT, 0}

/* ds's dataset object as text (a JSON string), made from the dataset
 * alone: NULL when it would need today (no date to give "modified"). */
json_t *dcat_us_fragment(const odc_catalog *cat, const odc_dataset *ds);
/* Adds ds's object: the text of frag (dcat_us_fragment's) or, when frag
 * is NULL, made from ds now. */
void dcat_us_add(odc_datajson *d, const odc_catalog *cat, const odc_dataset *ds, const char *today,
		 const json_t *frag);
/* The whole data.json, the same bytes as dcat_us_catalog over the same
 * objects. Returns a malloc'd, NUL-terminated JSON text. */
char *dcat_us_text(const odc_catalog *cat, odc_datajson *d);
void dcat_us_free(odc_datajson *d);

/* Appends the catalogue's base URL with exactly one trailing '/', or
 * nothing when there is none. */
void dcat_base_url(const odc_catalog *cat, odc_buf *b);

/* The bytes of the staging folder's file rel (one a writer wrote in phase
 * B, or the cache linked in), NUL-terminated, length in *len; NULL when it
 * cannot be read. */
char *dcat_read_staged(const odc_out *o, const char *rel, size_t *len);

/* Formats a UTC date "YYYY-MM-DD" of t (seconds since the epoch). */
void dcat_date(int64_t t, char out[11]);

#endif
