/*
 * cache.h — the incremental build cache.
 *
 * Owns a folder (by default .odcat-cache/ beside the output folder) with
 * one entry per dataset slug:
 *
 *   <dir>/v1/<slug>/record.bin    what the build needs of the dataset
 *                                 without reading it again (a JSON value
 *                                 in a compact binary form, below)
 *   <dir>/v1/<slug>/files/...     the files its build wrote into the site
 *                                 (downloads, typed JSON, descriptor, pages),
 *                                 at their site-relative paths
 *
 * The record is an object with "format": "odcat-cache-3", "files": one
 * string, for each file its site-relative path, a NUL, its size in bytes
 * in decimal and a NUL (one string, not an array of pairs: every build
 * decodes 10,000 of these lists, and 3 values per file were a tenth of a
 * record's values; a path cannot hold a NUL), and "entry": a random token
 * naming this entry (a new entry gets a new one; an entry made before
 * tokens gets one the first time its files are restored); everything else in it
 * (the key, the dataset record, its diagnostics) belongs to the caller,
 * which decides whether an entry is still good. This module knows nothing
 * of datasets or git.
 *
 * Every build reads one record per dataset, so the record is not JSON
 * text (jansson parses ~50 MB/s; 10,000 records of ~11 KB took 2 s) but a
 * tagged binary form read without a lexer: "ODCR1\n", then one value:
 * 'o' count (key-length key value)*, 'a' count value*, 's' length bytes,
 * 'i' int64, 'r' double (both little-endian, 8 bytes), 't', 'f', 'n';
 * counts and lengths as LEB128 varints. Reading checks every length
 * against the file's end, nesting (64 levels), and UTF-8 of every string;
 * anything else makes the entry absent.
 *
 * Files move between the cache and the site as hard links when both are on
 * one file system (the default place is chosen for that), else as copies.
 * odcat never writes into an existing site or cache file (every build
 * writes new files into a fresh folder), so the shared inodes are never
 * changed in place.
 *
 * An entry is written into a temporary folder and renamed into place, so
 * a killed build leaves either the old entry or the new one. An entry that
 * cannot be read, is of another format, or lacks a file of the listed size
 * is treated as absent and rebuilt.
 */
#ifndef ODC_CACHE_H
#define ODC_CACHE_H

#include <jansson.h>
#include <stddef.h>

#include "buf.h"
#include "out.h"

typedef struct odc_cache {
	char *dir; /* <dir>/v1 */
	int dirfd; /* it, open (-1 when it cannot be opened: no entry is read) */
} odc_cache;

/* Opens (creating) the cache folder dir. Returns 0, or ODC_EIO with a message. */
int cache_open(odc_cache *c, const char *dir, odc_buf *msg);
void cache_free(odc_cache *c);

/* The record of slug's entry, or NULL when there is none or it is not a
 * well-formed entry. Owned by the caller. */
json_t *cache_get(odc_cache *c, const char *slug);

/* Puts the files listed in rec (from cache_get) into the site folder
 * stage. Returns 0, or -1 when a file is missing or has another size (the
 * entry is then useless; files already placed are left for the caller's
 * rebuild to overwrite). When the stage still holds the entry's files
 * from the build that made its tree, they are kept without a look at
 * each (out_group_kept: the record's "entry" token names the entry). */
int cache_restore_files(odc_cache *c, const char *slug, const json_t *rec, odc_out *o);

/* The next file of rec's list (from cache_get) from *at (0 to begin):
 * 1 with *path (lent from rec) and *size, and *at moved on; 0 at the end;
 * -1 when the list is malformed. */
int cache_file_next(const json_t *rec, size_t *at, const char **path, size_t *size);

/* Stores slug's entry: rec (borrowed; "format", "files" and "entry", a
 * token unique to this entry, are set here)
 * and the files named by files[0..n) (site-relative, under stage).
 * Returns 0, or -1 when the entry cannot be written (the build goes on;
 * the next one rebuilds the dataset). */
/* The record's binary form (above): decode gives NULL for anything that
 * is not exactly one well-formed record; encode appends to out. */
json_t *cache_record_decode(const void *data, size_t len);
void cache_record_encode(const json_t *rec, odc_buf *out);

int cache_put(odc_cache *c, const char *slug, json_t *rec, const char *stage, char *const *files,
	      size_t n);

/* Removes the entries of slugs that are not among slugs[0..n) and
 * temporary folders left by killed builds. */
void cache_prune(odc_cache *c, char *const *slugs, size_t n);

/* Appends to acc one line per regular file below dir (recursively, sorted,
 * hidden names skipped): its path relative to dir, size and SHA-256. A
 * content fingerprint of a theme folder. */
void cache_hash_dir(const char *dir, odc_buf *acc);

#endif
