/*
 * render.h — pages: view models (Jansson) rendered through the theme.
 *
 * Owns the theme (templates, partials and per-language strings from a
 * theme folder, with single templates falling back to the default theme)
 * and the view model of every page kind, as documented in
 * docs/view-model.md. Everything from a dataset reaches HTML only through
 * the template engine's escaping, except rendered Markdown (readme_html),
 * which markdown.c produced in safe mode.
 */
#ifndef ODC_RENDER_H
#define ODC_RENDER_H

#include <jansson.h>

#include "buf.h"
#include "catalog.h"

typedef struct odc_theme {
	char *dir;       /* the theme folder */
	char *fallback;  /* the default theme folder, or NULL */
	json_t *strings[2]; /* per catalogue language */
} odc_theme;

/* Loads the theme: checks that the page templates exist and reads
 * strings/<lang>.json for each catalogue language. Returns 0 or ODC_EINVALID
 * / ODC_ENOTFOUND with a message and a hint. */
int theme_load(odc_theme *t, const char *dir, const char *fallback, const odc_catalog *cat,
	       odc_buf *msg, odc_buf *hint);
void theme_free(odc_theme *t);

/* Index of lang in the catalogue's languages (0 or 1). */
typedef struct odc_page_ctx {
	const odc_catalog *cat;
	const odc_theme *theme;
	size_t dataset_count;
	const char *version;
} odc_page_ctx;

/* The summary of a dataset that list pages show, for language li. Owned by caller. */
json_t *render_dataset_summary(const odc_page_ctx *pc, const odc_dataset *ds, int li);

/* Cards rendered ahead (pages.c): the theme's dataset-card partial for
 * summary (a render_dataset_summary of this thread; its "href" is
 * changed) in language li, rendered on its own with the theme's strings
 * around it and its "href" left open: a JSON array of the pieces between
 * which the link goes. NULL when the card cannot be rendered so (it uses
 * partials or other delimiters, the render fails). Safe in several
 * threads at once. */
json_t *render_dataset_card(const odc_page_ctx *pc, json_t *summary, int li);
/* The theme's dataset-card source into src, or -1 when cards are not
 * rendered ahead (as render_dataset_card). */
int render_card_source(const odc_page_ctx *pc, odc_buf *src);
/* Whether render_dataset_summary sets key (len bytes) in every summary. */
int render_summary_always_has(const char *key, size_t len);
/* render_page with the dataset-card partial replaced by the string
 * "_odcat_card_html" of the context (set on each summary by the caller). */
int render_page_cards(const odc_page_ctx *pc, const char *name, json_t *model, odc_buf *out,
		      odc_buf *err);

/* Renders the dataset page of ds in language li into out. */
int render_dataset_page(const odc_page_ctx *pc, const odc_dataset *ds, int li, odc_buf *out,
			odc_buf *err);
/* For pages.c, which builds the site-level pages (home, lists, facets,
 * about, terms, 404): the model every page shares (see docs/view-model.md;
 * base is the page's site-relative path without language, kind its
 * page.kind; root_override replaces the relative root, or NULL), a link
 * from a page whose root is root to a site-relative path (folder form,
 * percent-encoded; caller frees), the relative root of a site-relative
 * path, and rendering a theme template by name. */
json_t *render_page_model(const odc_page_ctx *pc, int li, const char *base, const char *title,
			  const char *kind, const char *root_override);
char *render_href(const char *root, const char *path);
void render_root_of(const char *path, odc_buf *out);
int render_page(const odc_page_ctx *pc, const char *name, json_t *model, odc_buf *out, odc_buf *err);
/* Reads relpath ("pages/terms.ja.md") from the theme, or from the default
 * theme when the theme lacks it. Returns 0 or ODC_ENOTFOUND / ODC_EIO /
 * ODC_ELIMIT (over 1 MiB). */
int render_theme_file(const odc_theme *t, const char *relpath, odc_buf *out);

/* Renders a page of another kind through template name (e.g. "stats",
 * "withdrawn", "redirect") in language li: the common model of every page
 * (docs/view-model.md) for the page at site-relative path base (without
 * language) titled title, plus content under key (borrowed). */
int render_kind_page(const odc_page_ctx *pc, const char *name, const char *base, const char *title,
		const char *key, json_t *content, int li, odc_buf *out, odc_buf *err);

/* Site-relative path of a page in language li: "datasets/x/index.html" →
 * "en/datasets/x/index.html" for the second language. Appends to out. */
void render_page_path(const odc_catalog *cat, int li, const char *path, odc_buf *out);
/* Formats a count with thousands separators: 50904 → "50,904". */
void render_count(long n, odc_buf *out);
/* Formats a byte count for people: "512 B", "1.2 KB", "3.4 MB". */
void render_human_size(size_t bytes, odc_buf *out);
/* Sets key to the string s only when it is non-empty (absent keys are
 * falsey in Mustache, empty strings are not); _own also frees s. */
void render_set_text(json_t *o, const char *key, const char *s);
void render_set_own(json_t *o, const char *key, char *s);

#endif
