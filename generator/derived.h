/*
 * derived.h — what the build derives from a dataset's CSV files for its
 * page: the UTF-8 and Excel copies, the preview rows and the column
 * profiles.
 *
 * Owns, per local CSV resource:
 *   - the text is decoded once (csvscan_transcode) and written as
 *     <name>.utf8.csv when the file is not UTF-8, and as <name>.excel.csv
 *     (UTF-8 with a BOM, every record ending in CRLF, quoted fields and the
 *     line breaks inside them byte for byte as committed) when the CSV
 *     passed validation — unless a committed file has that name
 *     (catalog.c warns, odc_resource.copy_clash);
 *   - the first DERIVED_PREVIEW_ROWS rows and, for a validated CSV, the
 *     column profile (profile.c): a validated CSV's typed rows come from
 *     the pass that writes its typed JSON (catalog.c drives derived_rows;
 *     in a build that is the pass that validates it, dataset_load_staged),
 *     so its records are not read again; any other CSV is read once more
 *     through csvscan, for the preview only. The bytes are those the build
 *     kept while loading (res->kept, a CSV up to ODC_KEEP_BLOB_BYTES), else
 *     read again.
 * Memory does not grow with the file: the copies are written as they are
 * decoded, the preview keeps DERIVED_PREVIEW_ROWS rows of cells cut at
 * DERIVED_CELL_BYTES, and profile.c is bounded. It does not render HTML:
 * render.c turns the result (odc_resource.page) into the page's view model.
 */
#ifndef ODC_DERIVED_H
#define ODC_DERIVED_H

#include "buf.h"
#include "catalog.h"
#include "diag.h"
#include "out.h"
#include "repo.h"
#include "schema.h"

#define DERIVED_PREVIEW_ROWS 100
#define DERIVED_CELL_BYTES 200

/* For every local CSV of ds: writes its copies into the staging folder of
 * o beside the committed file (which must already be there), and sets
 * res->page to a JSON object (owned by the resource):
 *   copies: {utf8: {path, bytes}, excel: {path, bytes}} (those written;
 *     path relative to the dataset folder),
 *   json_bytes: the size of the typed JSON copy (<path>.json) when the
 *     build wrote one,
 *   schema: the resolved Table Schema (absent without one),
 *   columns: [label] of the preview (field names, or the CSV's header),
 *   lat_lon: [i, j] column indices of latitude and longitude when the
 *     schema's names or titles say so (latitude/lat/緯度, longitude/lon/
 *     lng/経度), or [i] for a geopoint field,
 *   preview: [{cells: [text], lat, lon}] (lat/lon as text, only for a row
 *     whose coordinates are valid numbers in range),
 *   rows_more: true when the file has more rows than the preview,
 *   profile: profile.h's result (validated CSVs only).
 * wrote (may be NULL) is told the site-relative path of every file
 * written. Counts the warnings of d for the dataset (ds->warnings: its
 * files) and each resource (res->warnings: its file). Returns 0, or
 * ODC_EIO with err when a copy cannot be written (the build then stops). */
int derived_build(odc_out *o, odc_repo *r, odc_dataset *ds, const odc_diags *d,
		  void (*wrote)(void *payload, const char *relpath), void *payload, odc_buf *err);

/* The preview rows and column profile of a validated CSV, collected from
 * its typed rows: catalog.c's typed JSON pass feeds them (so that the
 * file is not read once more for the page) and stores the result in
 * res->page, which derived_build then completes. */
typedef struct derived_rows derived_rows;
derived_rows *derived_rows_new(const odc_schema *s, const json_t *fields);
/* An odc_row_fn: payload is the derived_rows. */
int derived_rows_add(void *payload, const odc_value *vals, size_t n, long row);
/* Puts columns, lat_lon, preview, rows_more and profile into page (NULL:
 * nothing) and frees d. */
void derived_rows_finish(derived_rows *d, json_t *page);

/* Frees what derived_build kept for the pages (each res->page). Call it
 * once the dataset's pages are rendered: the build keeps every dataset
 * loaded until the end, and the previews would otherwise add up with the
 * number of datasets. */
void derived_release(odc_dataset *ds);

/* Feeds UTF-8 CSV text to the Excel copy's rewriting: record ends (CR,
 * LF, CRLF outside quotes) become CRLF, everything else passes unchanged;
 * exposed for the unit tests. state starts zeroed; finish with p == NULL
 * (adds a CRLF when the text does not end with a record end). */
typedef struct derived_crlf {
	char quote;
	int in_quote, after_cr, at_end, any;
} derived_crlf;
void derived_crlf_feed(derived_crlf *st, const char *p, size_t n, odc_buf *out);

#endif
