/*
 * csvscan.h — streaming CSV reading on libcsv (only csvscan.c includes csv.h).
 *
 * Owns turning the bytes of one CSV resource into records of UTF-8 fields:
 * the dialect (delimiter, quote character), the encoding (UTF-8 with or
 * without BOM; Shift_JIS labels decoded as CP932 through iconv, as the
 * WHATWG Encoding Standard does), and positions (record number and the
 * physical line where each record starts, counting quoted newlines).
 *
 * Memory is bounded by the largest record, never by the file: input is
 * fed to libcsv in fixed chunks and each record is handed to the caller's
 * callback and then forgotten.
 */
#ifndef ODC_CSVSCAN_H
#define ODC_CSVSCAN_H

#include <stddef.h>

#include "diag.h"

#define ODC_CSV_MAX_RECORD (64u * 1024 * 1024) /* bytes in one record */

typedef struct odc_csv_opts {
	char delimiter;       /* default ',' */
	char quote;           /* default '"' */
	const char *encoding; /* NULL or "" = UTF-8 */
	int skip_initial_space; /* dialect skipInitialSpace: spaces around unquoted
				 * fields are dropped (libcsv trims both ends) */
	int report_blank;     /* call the callback with n == 0 for blank lines
			       * (Frictionless counts them as rows) */
	/* Called now and then with the number of input bytes fully consumed,
	 * so that the caller can release them (repo_blob_release). */
	void (*consumed)(void *payload, size_t upto);
	void *consumed_payload;
} odc_csv_opts;

/* One record, lent to the callback for its duration only. */
typedef struct odc_record {
	const char *const *fields; /* NUL-terminated UTF-8 */
	const size_t *lens;
	size_t n;
	long number; /* 1-based record number, header included (blank lines
		      * included when report_blank is set) */
	long line;   /* physical line where the record starts */
} odc_record;

/* Returns 0 to go on, non-zero to stop reading. */
typedef int (*odc_record_fn)(void *payload, const odc_record *rec);

/* Maps an encoding label to the iconv name odcat decodes it with: "UTF-8"
 * or "CP932" for the Shift_JIS family; other labels are returned as given.
 * NULL or "" means UTF-8. */
const char *csvscan_encoding_name(const char *label);

/* The byte offset of the first invalid UTF-8 sequence in p (overlong
 * forms and surrogates are invalid), or len when all of it is valid. */
size_t csvscan_utf8_prefix(const char *p, size_t len);

/* Receives consecutive pieces of a text; non-zero stops the stream. */
typedef int (*odc_text_fn)(void *payload, const char *p, size_t n);
/* Streams data (len bytes in encoding, a label as for csvscan_encoding_name)
 * to sink as UTF-8 in pieces of at most a few hundred KB: a UTF-8 file
 * without its BOM, anything else converted through iconv. Memory does not
 * grow with len. Returns 0, or -1 when the encoding is unknown, the bytes
 * are invalid in it, or sink stopped the stream. */
int csvscan_transcode(const char *data, size_t len, const char *encoding, odc_text_fn sink,
		      void *payload);
/* Reads data (len bytes) as CSV, calling fn for every non-blank record.
 * Problems (unparsable CSV, bytes invalid in the encoding, an unknown
 * encoding, a record over the size limit) become error diagnostics naming
 * file, line and column; the function then returns -1. Returns 0 when the
 * whole input was read (or fn asked to stop). */
int csvscan_run(const char *data, size_t len, const odc_csv_opts *opts,
		odc_record_fn fn, void *payload, const char *file, odc_diags *d);

#endif
