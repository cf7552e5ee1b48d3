/*
 * catalog.h — the in-memory model of a catalogue and how it is loaded.
 *
 * Owns the catalogue (odcat.json), its datasets (datasets/<slug>/ with
 * datapackage.json and README.md) and their resources. The JSON documents
 * themselves are the model for everything descriptive (titles, keywords,
 * licences...), read through the accessors below; what odcat derives (sizes,
 * checksums, row counts, fallbacks from odcat.json) is kept in the structs.
 *
 * Loading never trusts a dataset: every problem becomes a diagnostic and the
 * dataset is dropped (dataset_load returns -1), while the catalogue goes on.
 * Problems with odcat.json itself stop the run (catalog_load returns < 0).
 */
#ifndef ODC_CATALOG_H
#define ODC_CATALOG_H

#include <jansson.h>
#include <stddef.h>

#include "diag.h"
#include "repo.h"
#include "validate.h"

#define ODC_MAX_JSON_BYTES (8u * 1024 * 1024)
#define ODC_MAX_RESOURCE_BYTES ((size_t)2 * 1024 * 1024 * 1024)
#define ODC_MAX_SLUG 100

typedef struct odc_resource {
	char *name;
	char *path;      /* as written: relative to the dataset folder, or a URL */
	char *format;    /* lower case: "csv", "geojson", "pdf", "api" ... */
	char *mediatype; /* as declared, or guessed from the format */
	char *encoding;  /* as declared, or NULL */
	int is_url;      /* path is an http(s) URL: linked, not downloaded */
	int is_csv;      /* parsed as CSV */
	int has_schema;
	size_t bytes;    /* size of the committed file */
	char sha256[65]; /* hex, "" for URLs */
	long rows;       /* data rows of a CSV (header excluded), -1 otherwise */
	int validated;   /* a CSV with a schema that passed validation */
	size_t errors;   /* errors found in this resource's data */
	size_t omitted;  /* of its problems, how many were counted but not listed */
	int has_json;    /* the build wrote <path>.json: the records as typed JSON */
	json_t *json;    /* borrowed from the dataset's descriptor */
	int copy_clash;  /* ODC_COPY_* bits: a committed file has that copy's name */
	size_t warnings; /* warning diagnostics of this file (set by the build) */
	json_t *page;    /* owned: what the build derived for the dataset page
			  * (copies, preview, profile; see derived.h), or NULL */
	char *json_tmp;  /* owned: dataset_load_staged's typed JSON of this CSV,
			  * a file waiting in the staging folder, or NULL */
	char *page_tmp;  /* owned: res->page packed as compact JSON text while
			  * the files wait for a later phase, or NULL */
	odc_blob kept;   /* the committed bytes, held for the copies (build) */
	int has_kept;
} odc_resource;

/* The copies odcat derives from a CSV resource (design.md URL layout). */
#define ODC_COPY_UTF8 1  /* <name>.utf8.csv: a CSV not in UTF-8, converted */
#define ODC_COPY_EXCEL 2 /* <name>.excel.csv: a validated CSV, UTF-8 with BOM and CRLF */

typedef struct odc_dataset {
	char *slug;
	char *dir;           /* "datasets/<slug>" */
	json_t *dp;          /* owned: the parsed datapackage.json */
	char *dp_raw;        /* owned: its committed bytes */
	size_t dp_raw_len;
	char *readme;        /* owned: README.md, NUL-terminated, or NULL */
	size_t readme_len;
	char *readme_en;     /* owned: README.en.md, or NULL */
	size_t readme_en_len;
	odc_resource *res;
	size_t nres;
	const char *publisher_id; /* borrowed from dp or NULL */
	json_t *license;     /* borrowed: {"name", "path", "title"} from dp, or NULL */
	const char *license_id;   /* dp's licence name, or odcat.json's default */
	json_t *contact;     /* borrowed: dp's contactPoint or odcat.json's */
	size_t warnings;     /* warning diagnostics of the dataset (set by the build) */
	json_t *history;     /* owned: the change history view model (history.c), or NULL */
} odc_dataset;

typedef struct odc_catalog {
	json_t *conf;          /* owned: odcat.json */
	const char *lang[2];   /* primary and second language, borrowed ("ja", "en") */
	const char *base_url;  /* borrowed, "" when unset; ends without '/' trimmed? as given */
} odc_catalog;

/* Reads and checks odcat.json at the root of the revision. On failure
 * returns ODC_ENOTFOUND or ODC_EINVALID with a one-line message (file,
 * line:column where known) and a hint. */
int catalog_load(odc_catalog *cat, odc_repo *r, odc_buf *msg, odc_buf *hint);
void catalog_free(odc_catalog *cat);

/* Lists the dataset slugs under datasets/ (sorted). Entries that cannot be
 * datasets (bad slug, a file, a symlink, a submodule) become diagnostics.
 * Returns a malloc'd array of malloc'd strings; free with catalog_slugs_free. */
char **catalog_list(odc_repo *r, size_t *n, odc_diags *d);
void catalog_slugs_free(char **slugs, size_t n);

/* Loads and checks datasets/<slug>/: the descriptor and odcat's metadata
 * requirements, README, and every resource (size, SHA-256; CSVs validated
 * against their schema, foreign keys resolved in this dataset or, by
 * reference.package, in another one). vo (may be NULL for defaults) sets
 * the error cap. Returns 0 with *out filled, or -1 when the dataset has
 * errors and must not be published (diagnostics say why). */
int dataset_load(odc_dataset *out, const odc_catalog *cat, odc_repo *r,
		 const char *slug, const odc_validate_opts *vo, odc_diags *d);
/* Memory a CSV may keep for the build's further use (copies). */
#define ODC_KEEP_BLOB_BYTES ((size_t)4 * 1024 * 1024)

/* dataset_load for the build: the pass that validates a CSV with a schema
 * also writes its typed JSON (as dataset_resource_json would) into a file
 * in folder stage (the staging folder), kept in res->json_tmp, and the
 * page's preview and profile into res->page, only when the resource
 * passed and the dataset loaded; a CSV of at most ODC_KEEP_BLOB_BYTES
 * keeps its bytes in res->kept for the copies. dataset_place_json puts
 * the JSON in place; dataset_free removes files never placed. stage NULL:
 * dataset_load. */
int dataset_load_staged(odc_dataset *out, const odc_catalog *cat, odc_repo *r,
			const char *slug, const char *stage, odc_diags *d);
/* For a dataset whose files are written later (another phase): frees the
 * kept bytes and packs each staged page into text (res->page_tmp), so that
 * memory does not grow with the datasets waiting. */
void dataset_stage_later(odc_dataset *ds);
/* Moves the typed JSON that dataset_load_staged wrote for resource idx to
 * file (a file-system path whose folder exists); its page part is then in
 * res->page. Returns 0, or -1 when there is none or it cannot be moved
 * (then dataset_resource_json writes it). */
int dataset_place_json(odc_dataset *ds, size_t idx, const char *file);
/* The same for a stand-alone Data Package at the root of r, with the
 * Frictionless rules only (no odcat metadata requirements). */
int package_load(odc_dataset *out, odc_repo *r, const odc_validate_opts *vo, odc_diags *d);
void dataset_free(odc_dataset *ds);

/* A published dataset as JSON, for the build cache: its committed
 * descriptor (the bytes, and parsed as dataset_load parses them) and what
 * loading derived (resource formats, sizes, SHA-256, rows, validation),
 * everything the catalogue-wide outputs read, and the READMEs. Owned by
 * the caller. */
json_t *dataset_record(const odc_dataset *ds);
/* The dataset back from a dataset_record, without reading the repository:
 * the parsed descriptor is taken out of rec (rec is left without it) and
 * linked to cat as dataset_load does. Returns 0, or ODC_EINVALID (ds
 * empty) when rec is not such a record. */
int dataset_restore(odc_dataset *ds, const odc_catalog *cat, json_t *rec);

/* Writes the records of resource idx of ds (a local CSV that passed
 * validation against its schema) to file (a file-system path) as a JSON
 * array of objects keyed by field name in schema order, with values typed
 * by the schema, in one streaming pass; the same pass collects the dataset
 * page's preview and column profile into res->page (derived.h). *records
 * (may be NULL) gets their number. Returns 0, or -1 when the resource
 * cannot be read again or file cannot be written. */
int dataset_resource_json(odc_repo *r, odc_dataset *ds, size_t idx, const char *file,
			  long *records);

/* Appends x as the typed JSON writes a number: the shortest of %.15g,
 * %.16g and %.17g that reads back as x; null for NaN and infinities. */
void dataset_json_number(odc_buf *b, double x);

/* The ODC_COPY_* copies odcat derives from resource r (clashes not
 * considered): UTF-8 for a local CSV in another encoding, Excel for a
 * validated CSV. */
int dataset_copies(const odc_resource *r);
/* The path of copy (one ODC_COPY_* bit) of a resource path, relative to
 * the dataset folder: the path without a final ".csv" (any case), then
 * ".utf8.csv" or ".excel.csv" ("data/x.csv" -> "data/x.excel.csv").
 * Malloc'd. */
char *dataset_copy_path(const char *path, int copy);
/* What a further streaming pass over resource idx of ds needs: its schema
 * (inline or read by path; *schema owned by the caller, NULL without one)
 * and the reading options of its dialect and encoding. Returns 0, or -1
 * when a schema or dialect given by path cannot be read again. */
int dataset_resource_reader(odc_repo *r, const odc_dataset *ds, size_t idx, json_t **schema,
			    odc_validate_opts *o);

/* A text that may be a string or a language map {"ja": ..., "en": ...}:
 * returns it in lang, else in the catalogue's primary language, else any
 * language; NULL when v holds no string. Lent from v. */
const char *catalog_text(const odc_catalog *cat, const json_t *v, const char *lang);
/* The same, and *got (may be NULL) the language of the text returned:
 * lang, or another when v is a language map without text in lang; NULL
 * for a plain string, whose language is not stated. */
const char *catalog_text_lang(const odc_catalog *cat, const json_t *v, const char *lang,
			      const char **got);
/* Keywords as an array of strings in lang (a plain array serves every
 * language). Lent; NULL when absent. */
json_t *catalog_keywords(const json_t *dp, const char *lang);
/* The department object {"name", "email", ...} of odcat.json for id, or NULL. */
json_t *catalog_publisher(const odc_catalog *cat, const char *id);
/* Licence title and URL for an SPDX id or odcat's Japanese ids; NULL when unknown. */
const char *catalog_license_url(const char *id);
const char *catalog_license_title(const char *id, const char *lang);

/* An update frequency (accrualPeriodicity) in every vocabulary odcat
 * writes. */
typedef struct odc_frequency {
	const char *word;    /* odcat's word: "annual", "monthly", "irregular", ... */
	const char *iso8601; /* DCAT-US: "R/P1Y", ..., or "irregular" */
	const char *eu;      /* EU frequency authority code: "ANNUAL", "IRREG", ... */
	const char *ja;      /* Japanese: "毎年", "不定期", ... */
} odc_frequency;
/* The frequency for odcat's word or a DCAT-US duration ("R/P1M"), or NULL. */
const odc_frequency *catalog_frequency(const char *word);

/* Slug rule of design.md: [a-z0-9][a-z0-9-]*, at most ODC_MAX_SLUG bytes. */
int catalog_slug_is_valid(const char *s);

#endif
