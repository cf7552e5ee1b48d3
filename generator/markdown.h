/*
 * markdown.h — README.md to safe HTML through cmark-gfm.
 *
 * Owns the use of cmark-gfm (only markdown.c includes it): GitHub-flavoured
 * Markdown with the table, autolink, strikethrough and tagfilter extensions,
 * in cmark-gfm's default safe mode, so raw HTML in a README is omitted and
 * javascript:/vbscript:/file:/data: links are emptied. Relative link and
 * image URLs are prefixed so that they resolve against the dataset folder
 * from wherever the page lives.
 *
 * Debian's cmark-gfm predates upstream's fixes for quadratic inputs, so
 * inputs are bounded before parsing (see markdown_check).
 */
#ifndef ODC_MARKDOWN_H
#define ODC_MARKDOWN_H

#include <stddef.h>

#include "diag.h"

#define ODC_MARKDOWN_MAX_BYTES (1024 * 1024)
#define ODC_MARKDOWN_MAX_TABLE_CELLS 128

/* Registers the extensions; call once in main before threads start. */
void markdown_global_init(void);

/* Checks the limits: size, and table delimiter rows of more than
 * ODC_MARKDOWN_MAX_TABLE_CELLS cells. Adds an error diagnostic naming file
 * (and the line) and returns -1 when the README must not be rendered; 0 when
 * it is fine. */
int markdown_check(const char *src, size_t len, const char *file, odc_diags *d);

/* Renders src to HTML. link_prefix (may be "" or NULL) is put before every
 * relative link and image URL. Returns a malloc'd string; the caller frees. */
char *markdown_render(const char *src, size_t len, const char *link_prefix);

#endif
