/*
 * markdown.c — cmark-gfm in safe mode with bounded input (see markdown.h).
 */
#include "markdown.h"

#include <cmark-gfm-core-extensions.h>
#include <cmark-gfm.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"

void markdown_global_init(void)
{
	cmark_gfm_core_extensions_ensure_registered();
}

/* Counts the cells of a GFM table delimiter row ("| --- | :-: |"), or
 * returns 0 when the line is not one. */
static size_t delimiter_cells(const char *s, size_t len)
{
	size_t i = 0, cells = 0;
	int in_cell = 0, saw_dash = 0, pipes = 0;

	while (i < len && (s[i] == ' ' || s[i] == '\t'))
		i++;
	for (; i < len; i++) {
		char c = s[i];
		if (c == '|') {
			pipes++;
			if (in_cell)
				cells++;
			in_cell = 0;
		} else if (c == '-' || c == ':') {
			if (c == '-')
				saw_dash = 1;
			in_cell = 1;
		} else if (c == ' ' || c == '\t' || c == '\r') {
			/* spacing inside or between cells */
		} else {
			return 0;
		}
	}
	if (in_cell)
		cells++;
	/* A delimiter row needs dashes, and a pipe unless it is one cell. */
	if (!saw_dash || (pipes == 0 && cells > 1))
		return 0;
	return cells;
}

int markdown_check(const char *src, size_t len, const char *file, odc_diags *d)
{
	size_t pos = 0;
	long line = 1;

	if (len > ODC_MARKDOWN_MAX_BYTES) {
		diag_add(d, ODC_SEV_ERROR, "odcat-readme-too-large", file, 0, 0,
			 "keep README.md to the description; publish long documents as a resource (e.g. a PDF)",
			 "README is %zu bytes, more than the limit of %d bytes", len,
			 ODC_MARKDOWN_MAX_BYTES);
		diag_ja(d, "README.md には説明だけを書き、長い文書は PDF などのリソースとして公開してください",
			"README が %zu バイトあり、上限の %d バイトを超えています", len, ODC_MARKDOWN_MAX_BYTES);
		return -1;
	}
	while (pos < len) {
		const char *nl = memchr(src + pos, '\n', len - pos);
		size_t end = nl ? (size_t)(nl - src) : len;
		size_t cells = delimiter_cells(src + pos, end - pos);
		if (cells > ODC_MARKDOWN_MAX_TABLE_CELLS) {
			diag_add(d, ODC_SEV_ERROR, "odcat-readme-table-too-wide", file, line, 1,
				 "publish wide tables as a CSV resource and describe the columns in the schema",
				 "README table has %zu columns, more than the limit of %d",
				 cells, ODC_MARKDOWN_MAX_TABLE_CELLS);
			diag_ja(d, "列の多い表は CSV リソースとして公開し、列の説明はスキーマに書いてください",
				"README の表が %zu 列あり、上限の %d 列を超えています", cells, ODC_MARKDOWN_MAX_TABLE_CELLS);
			return -1;
		}
		pos = end + 1;
		line++;
	}
	return 0;
}

/* True for URLs that resolve against the page: no scheme, not absolute,
 * not a fragment or query. */
static int is_relative_url(const char *u)
{
	const char *p;

	if (!u || !*u || *u == '/' || *u == '#' || *u == '?')
		return 0;
	for (p = u; *p; p++) {
		if (*p == ':')
			return 0; /* has a scheme (or is unsafe and emptied on output) */
		if (*p == '/' || *p == '?' || *p == '#')
			break;
	}
	return 1;
}

static void rewrite_links(cmark_node *root, const char *prefix)
{
	cmark_iter *it = cmark_iter_new(root);
	cmark_event_type ev;

	while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
		cmark_node *n = cmark_iter_get_node(it);
		cmark_node_type t = cmark_node_get_type(n);
		const char *url;
		if (ev != CMARK_EVENT_ENTER || (t != CMARK_NODE_LINK && t != CMARK_NODE_IMAGE))
			continue;
		url = cmark_node_get_url(n);
		if (is_relative_url(url)) {
			odc_buf b = ODC_BUF_INIT;
			buf_puts(&b, prefix);
			buf_puts(&b, url);
			cmark_node_set_url(n, buf_cstr(&b));
			buf_free(&b);
		}
	}
	cmark_iter_free(it);
}

char *markdown_render(const char *src, size_t len, const char *link_prefix)
{
	static const char *const exts[] = {"table", "autolink", "strikethrough", "tagfilter"};
	const int opts = CMARK_OPT_DEFAULT | CMARK_OPT_VALIDATE_UTF8;
	cmark_parser *p = cmark_parser_new(opts);
	cmark_node *root;
	char *html;
	size_t i;

	for (i = 0; i < sizeof(exts) / sizeof(exts[0]); i++) {
		cmark_syntax_extension *e = cmark_find_syntax_extension(exts[i]);
		if (e)
			cmark_parser_attach_syntax_extension(p, e);
	}
	cmark_parser_feed(p, src, len);
	root = cmark_parser_finish(p);
	if (link_prefix && *link_prefix)
		rewrite_links(root, link_prefix);
	html = cmark_render_html(root, opts, cmark_parser_get_syntax_extensions(p));
	cmark_node_free(root);
	cmark_parser_free(p);
	return html;
}
