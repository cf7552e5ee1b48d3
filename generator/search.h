/*
 * search.h — the static search index (docs/search.md is the specification).
 *
 * Owns the text normalisation and tokenisation that the browser client
 * (themes/default/assets/search.js) repeats exactly, the MeCab readings
 * added at index time, and the index files under site/search/:
 *
 *   search/manifest.json   format version, document count, the first term
 *                          of every shard, facet values with labels
 *   search/s/<n>.json      a shard: {term: postings} for a range of terms
 *   search/d/<n>.json      what a result shows of document n
 *
 * Only this module includes mecab.h and utf8proc.h. It does not read the
 * repository, render HTML or decide what is published: build.c hands it
 * the published datasets.
 *
 * Use: search_new, search_add (or search_add_fragment with what
 * search_fragment made) once per published dataset (in the order the site
 * lists them), search_write once, search_free always.
 */
#ifndef ODC_SEARCH_H
#define ODC_SEARCH_H

#include <jansson.h>
#include <stddef.h>

#include "buf.h"
#include "catalog.h"
#include "out.h"

/* Longest Latin/digit word kept, in code points (longer ones are cut). */
#define ODC_SEARCH_MAX_WORD 32

/* Normalises UTF-8 text as docs/search.md says: invalid UTF-8 becomes a
 * space, then NFKC, simple lower-case mapping, hiragana to katakana.
 * Appends to out. */
void search_normalize(const char *s, size_t len, odc_buf *out);

/* Called once per token; tok is NUL-terminated and lent for the call. */
typedef void (*search_token_cb)(const char *tok, size_t len, void *payload);

/* Normalises s and calls cb for each index token in document order
 * (docs/search.md, "Tokens"). */
void search_tokenize(const char *s, size_t len, search_token_cb cb, void *payload);

/* MeCab with a UTF-8 dictionary, for readings. */
typedef struct odc_reader odc_reader;

/* Opens MeCab with the system's default dictionary (mecabrc). Returns NULL
 * with a message when MeCab or a UTF-8 dictionary is not available. */
odc_reader *search_reader_new(odc_buf *msg);
void search_reader_free(odc_reader *r);

/* Calls cb for each reading token of s: the katakana bigrams of the
 * readings of runs of kanji words, with rendaku variants
 * (docs/search.md, "Readings"). */
void search_readings(odc_reader *r, const char *s, size_t len, search_token_cb cb,
		     void *payload);

typedef struct odc_search odc_search;

/* A new, empty index. strings are the theme's strings per catalogue
 * language (labels of themes), borrowed for the index's lifetime. Without
 * MeCab the index is built without readings and *warning says why. */
odc_search *search_new(const odc_catalog *cat, json_t *const strings[2], odc_buf *warning);

/* Adds one published dataset, all its languages. ds is read during the call only. */
void search_add(odc_search *s, const odc_catalog *cat, const odc_dataset *ds);

/* The index's part of one published dataset, made from the dataset alone
 * (its terms with their postings, token counts, facet values and what a
 * result shows) as a JSON value to keep (build.c's fragments). May be
 * called from several threads at once between search_new and the first
 * search_add or search_add_fragment. NULL when the dataset cannot be
 * kept so (search_add it then). */
json_t *search_fragment(odc_search *s, const odc_catalog *cat, const odc_dataset *ds);

/* Adds the dataset whose fragment frag is, as search_add would have.
 * Returns 0, or -1 (nothing added) when frag is not one this index can
 * take (another format, made with readings and now without or the other
 * way round or with another dictionary, damaged): search_add the dataset then. */
int search_add_fragment(odc_search *s, const json_t *frag);

/* Writes search/ into the site. Returns 0, or the out_write error with the
 * file named in err. */
int search_write(odc_search *s, odc_out *o, odc_buf *err);

void search_free(odc_search *s);

#endif
