/*
 * pages.h — the site-level pages: everything that is not one dataset.
 *
 * Owns the view models of the home page, the list of all datasets, the
 * facet pages (publishers/<id>/, themes/<EU code>/, tags/<tag slug>/,
 * formats/<format>/, licenses/<licence id>/) with one index page per facet
 * kind, the about/ page for developers, the terms/, disclaimer/ and
 * accessibility/ pages, and 404.html, each in every catalogue language
 * (docs/view-model.md). Also owns the tag slug rule (pages_slug).
 *
 * Does not write files: every page goes to the caller's sink with its
 * site-relative path without language ("tags/x/index.html"); the caller
 * writes it in the language's folder. Borrows everything it is given.
 */
#ifndef ODC_PAGES_H
#define ODC_PAGES_H

#include <jansson.h>

#include "buf.h"
#include "render.h"

/* The static pages whose text is Markdown, in this order. */
enum { ODC_PAGE_ABOUT, ODC_PAGE_TERMS, ODC_PAGE_DISCLAIMER, ODC_PAGE_ACCESSIBILITY, ODC_PAGE_TEXTS };
extern const char *const pages_text_names[ODC_PAGE_TEXTS]; /* "about", "terms", ... */

/* Receives one rendered page: li its language, base its site-relative path
 * without language. Returns 0, or a negative code with a message in err. */
typedef int (*odc_page_sink)(void *payload, int li, const char *base, const odc_buf *html,
			     odc_buf *err);

typedef struct odc_pages_in {
	json_t *summaries[2]; /* per language: render_dataset_summary of each
			       * published dataset, in slug order (borrowed; changed:
			       * "href" is set per page) */
	json_t *cards[2];     /* per language, or NULL: for each summary the
			       * pieces of its card (render_dataset_card), or
			       * null (borrowed) */
	const char *text[ODC_PAGE_TEXTS][2]; /* Markdown per page and language, or
					      * NULL for the theme's pages/<name>.<lang>.md */
	size_t text_len[ODC_PAGE_TEXTS][2];
	/* Whether the site holds a file (site-relative path), for about/. */
	int (*has_file)(const char *relpath, void *arg);
	void *has_file_arg;
	/* Called once, when set, after the list and facet pages of every
	 * language and before the first static page (about/ lists files
	 * that another thread may still be writing). */
	void (*before_static)(void *arg);
	void *before_static_arg;
} odc_pages_in;

/* Renders and hands to sink every site-level page in every language.
 * Returns 0, or the first error (a template error, a missing theme text,
 * or the sink's) with a message in err. */
int pages_write(const odc_page_ctx *pc, const odc_pages_in *in, odc_page_sink sink, void *payload,
		odc_buf *err);

/* The tag slug of a keyword (docs/view-model.md, "Facet pages"): ASCII
 * letters lower-cased, ASCII letters and digits kept, every run of other
 * ASCII characters one '-', no '-' at either end, characters beyond ASCII
 * kept as they are (the file name is UTF-8; links percent-encode it), at
 * most 100 bytes (cut on a character boundary); "tag" when nothing is left.
 * Appends to out. */
void pages_slug(const char *s, odc_buf *out);

#endif
