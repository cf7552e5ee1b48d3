/*
 * feeds.h — the catalogue listings written beside the pages.
 *
 * Owns three files of the site root, built from the same model as the pages
 * and data.json:
 *
 *   opendata-list.csv  the catalogue in the Japanese standard format
 *                      「オープンデータ一覧」 (推奨データセット): the 15 columns of
 *                      ../shared/ja-standard-schemas/open-data-list.schema.json
 *                      in their order, one row per published dataset, UTF-8
 *                      with BOM and CRLF line endings as the official
 *                      templates are;
 *   sitemap.xml        sitemaps.org 0.9: every HTML page the build writes
 *                      (home, dataset list, each dataset page, and the
 *                      pages given to feeds_add_page: facets, about...,
 *                      in every language), absolute URLs; only with a
 *                      base URL;
 *   robots.txt         allows everything and names the sitemap.
 *
 * Nothing here reads the clock: dates come from the datasets ("modified",
 * "issued") or the commit date the caller passes as today. Does not write
 * Atom feeds or facet pages.
 *
 * Use: an odc_feeds initialised with ODC_FEEDS_INIT, feeds_add once per
 * published dataset in slug order, feeds_write once, feeds_free always.
 */
#ifndef ODC_FEEDS_H
#define ODC_FEEDS_H

#include <stddef.h>

#include "buf.h"
#include "catalog.h"
#include "out.h"

typedef struct odc_feeds {
	odc_buf rows;     /* opendata-list.csv data rows, each ending in CRLF */
	odc_buf urls;     /* sitemap <url> entries of the dataset pages */
	odc_buf pages;    /* sitemap <url> entries of the other pages (feeds_add_page) */
	char lastmod[11]; /* the latest dataset date seen, "" when none */
	size_t n;         /* datasets added */
} odc_feeds;

#define ODC_FEEDS_INIT {ODC_BUF_INIT, ODC_BUF_INIT, ODC_BUF_INIT, "", 0}

/* Adds one published dataset: its row of opendata-list.csv and its pages
 * in the sitemap. today ("YYYY-MM-DD") is the fallback for 最終更新日, as in
 * data.json. Never fails; ds is only read during the call. */
void feeds_add(odc_feeds *f, const odc_catalog *cat, const odc_dataset *ds, const char *today);

/* Adds a page other than home, datasets/ and the dataset pages to the
 * sitemap, in every language: path is its folder, site-relative and without
 * language ("tags/aed/"). The caller percent-encodes nothing. */
void feeds_add_page(odc_feeds *f, const odc_catalog *cat, const char *path);

/* Writes opendata-list.csv and robots.txt, and sitemap.xml when the
 * catalogue has a base URL. Returns 0, or ODC_EIO / ODC_EINVALID from
 * out_write with the file named in err. */
int feeds_write(odc_feeds *f, const odc_catalog *cat, odc_out *o, odc_buf *err);

void feeds_free(odc_feeds *f);

#endif
