/*
 * render.c — view models and page rendering through the theme (see render.h).
 */
#include "render.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "dcat.h"
#include "escape.h"
#include "markdown.h"
#include "mqa.h"
#include "odc.h"
#include "template.h"

#define MAX_TEMPLATE_BYTES (1024 * 1024)

/*====================================================================
 * Theme files
 *====================================================================*/

static int read_small_file(const char *path, odc_buf *b)
{
	char tmp[8192];
	ssize_t k;
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return ODC_ENOTFOUND;
	while ((k = read(fd, tmp, sizeof(tmp))) > 0) {
		if (b->len + (size_t)k > MAX_TEMPLATE_BYTES) {
			close(fd);
			return ODC_ELIMIT;
		}
		buf_put(b, tmp, (size_t)k);
	}
	close(fd);
	return k < 0 ? ODC_EIO : ODC_OK;
}

/* Partial and template names are file names: letters, digits, - and _. */
static int name_is_safe(const char *n)
{
	if (!*n)
		return 0;
	for (; *n; n++)
		if (!((*n >= 'a' && *n <= 'z') || (*n >= 'A' && *n <= 'Z') ||
		      (*n >= '0' && *n <= '9') || *n == '-' || *n == '_'))
			return 0;
	return 1;
}

/* Reads templates/<name>.mustache from the theme, or from the default theme
 * when the theme does not override it. */
static int theme_template(const odc_theme *t, const char *name, odc_buf *out)
{
	odc_buf p = ODC_BUF_INIT;
	int rc;

	if (!name_is_safe(name))
		return ODC_ENOTFOUND;
	buf_printf(&p, "%s/templates/%s.mustache", t->dir, name);
	rc = read_small_file(p.ptr, out);
	if (rc == ODC_ENOTFOUND && t->fallback) {
		buf_clear(&p);
		buf_printf(&p, "%s/templates/%s.mustache", t->fallback, name);
		rc = read_small_file(p.ptr, out);
	}
	buf_free(&p);
	return rc;
}

/* Where partials come from: the theme, except that card, when not NULL,
 * stands for the dataset-card partial (cards rendered ahead, below). */
struct partials {
	const odc_theme *theme;
	const char *card;
	size_t card_len;
};

static int partial_cb(void *payload, const char *name, char **out, size_t *out_len)
{
	const struct partials *ps = payload;
	odc_buf b = ODC_BUF_INIT;
	int rc;
	if (ps->card && !strcmp(name, "dataset-card")) {
		*out = xstrndup(ps->card, ps->card_len);
		*out_len = ps->card_len;
		return 0;
	}
	if (!ps->theme)
		return ODC_ENOTFOUND;
	rc = theme_template(ps->theme, name, &b);
	if (rc < 0) {
		buf_free(&b);
		return ODC_ENOTFOUND;
	}
	*out_len = b.len;
	*out = buf_detach(&b);
	return 0;
}

static int theme_check(const odc_theme *t, const odc_catalog *cat, odc_buf *msg, odc_buf *hint);

int theme_load(odc_theme *t, const char *dir, const char *fallback, const odc_catalog *cat,
	       odc_buf *msg, odc_buf *hint)
{
	static const char *const pages[] = {"home", "datasets", "dataset"};
	struct stat st;
	size_t i;

	memset(t, 0, sizeof(*t));
	t->dir = xstrdup(dir);
	t->fallback = fallback && strcmp(fallback, dir) ? xstrdup(fallback) : NULL;
	if (stat(dir, &st) < 0 || !S_ISDIR(st.st_mode)) {
		buf_printf(msg, "theme folder %s not found", dir);
		buf_printf(hint, "give --theme a folder with templates/ and strings/ (see themes/default)");
		return ODC_ENOTFOUND;
	}
	for (i = 0; i < sizeof(pages) / sizeof(pages[0]); i++) {
		odc_buf b = ODC_BUF_INIT;
		int rc = theme_template(t, pages[i], &b);
		buf_free(&b);
		if (rc < 0) {
			buf_printf(msg, "theme %s has no templates/%s.mustache", dir, pages[i]);
			buf_printf(hint, "copy it from themes/default/templates/");
			return ODC_EINVALID;
		}
	}
	for (i = 0; i < 2; i++) {
		odc_buf p = ODC_BUF_INIT, b = ODC_BUF_INIT;
		json_error_t e;
		int rc;
		if (!cat->lang[i])
			continue;
		if (!name_is_safe(cat->lang[i])) {
			buf_printf(msg, "odcat.json: language code \"%s\" is not valid", cat->lang[i]);
			buf_printf(hint, "use codes such as \"ja\" and \"en\"");
			return ODC_EINVALID;
		}
		buf_printf(&p, "%s/strings/%s.json", dir, cat->lang[i]);
		rc = read_small_file(p.ptr, &b);
		if (rc == ODC_ENOTFOUND && t->fallback) {
			buf_clear(&p);
			buf_printf(&p, "%s/strings/%s.json", t->fallback, cat->lang[i]);
			rc = read_small_file(p.ptr, &b);
		}
		if (rc == 0)
			t->strings[i] = json_loadb(b.ptr ? b.ptr : "", b.len, JSON_REJECT_DUPLICATES, &e);
		if (rc < 0 || !json_is_object(t->strings[i])) {
			if (rc < 0)
				buf_printf(msg, "theme strings %s not found", p.ptr);
			else if (!t->strings[i])
				/* rc == 0 here, so json_loadb ran and filled e */
				/* NOLINTNEXTLINE(clang-analyzer-core.CallAndMessage) */
				buf_printf(msg, "%s:%d:%d: invalid JSON: %s", p.ptr, e.line, e.column, e.text);
			else
				buf_printf(msg, "%s: must be a JSON object of strings", p.ptr);
			buf_printf(hint, "every catalogue language needs strings/<lang>.json in the theme");
			buf_free(&p);
			buf_free(&b);
			return ODC_EINVALID;
		}
		buf_free(&p);
		buf_free(&b);
	}
	return theme_check(t, cat, msg, hint);
}

/* The file a template name is read from: the theme's, else the default's. */
static void template_file(const odc_theme *t, const char *name, odc_buf *out)
{
	struct stat st;
	buf_printf(out, "%s/templates/%s.mustache", t->dir, name);
	if (t->fallback && stat(out->ptr, &st) < 0) {
		buf_clear(out);
		buf_printf(out, "%s/templates/%s.mustache", t->fallback, name);
	}
}

/* Static check of one template (see theme_check). */
struct name_check {
	const odc_theme *t;
	const odc_catalog *cat;
	const char *file;
	odc_buf *msg, *hint;
};

static int check_name(void *payload, int is_partial, const char *name, size_t len, size_t line,
		      size_t col)
{
	struct name_check *c = payload;
	int li;
	if (is_partial) {
		odc_buf n = ODC_BUF_INIT, b = ODC_BUF_INIT;
		int rc;
		buf_put(&n, name, len);
		rc = theme_template(c->t, n.ptr, &b);
		if (rc < 0) {
			buf_printf(c->msg, "%s:%zu:%zu: partial '%s' not found", c->file, line, col, n.ptr);
			buf_printf(c->hint, "add templates/%s.mustache to the theme", n.ptr);
		}
		buf_free(&n);
		buf_free(&b);
		return rc < 0 ? ODC_ENOTFOUND : 0;
	}
	if (len <= 2 || memcmp(name, "t.", 2))
		return 0;
	for (li = 0; li < 2; li++) {
		if (!c->cat->lang[li] || json_object_getn(c->t->strings[li], name + 2, len - 2))
			continue;
		buf_printf(c->msg, "%s:%zu:%zu: '%.*s' is not defined", c->file, line, col, (int)len, name);
		buf_printf(c->hint, "add \"%.*s\" to strings/%s.json of the theme", (int)(len - 2), name + 2,
			   c->cat->lang[li]);
		return ODC_ENOTFOUND;
	}
	return 0;
}

/* Checks every template of the theme (and those of the default it does
 * not override) before anything is rendered: syntax, partials that exist,
 * and every string t.* in every catalogue language — also in branches the
 * catalogue's data never takes. */
static int theme_check(const odc_theme *t, const odc_catalog *cat, odc_buf *msg, odc_buf *hint)
{
	const char *dirs[2] = {t->dir, t->fallback};
	int d, rc = 0;

	for (d = 0; d < 2 && rc == 0; d++) {
		odc_buf p = ODC_BUF_INIT;
		struct dirent **names = NULL;
		int n, i;
		if (!dirs[d])
			continue;
		buf_printf(&p, "%s/templates", dirs[d]);
		n = scandir(p.ptr, &names, NULL, alphasort);
		for (i = 0; i < n; i++) {
			const char *e = names[i]->d_name;
			size_t len = strlen(e);
			odc_buf name = ODC_BUF_INIT, file = ODC_BUF_INIT, src = ODC_BUF_INIT;
			if (rc == 0 && len > 9 && !strcmp(e + len - 9, ".mustache")) {
				buf_put(&name, e, len - 9);
				template_file(t, name.ptr, &file);
				/* A default template the theme overrides is not its concern. */
				if (!strncmp(file.ptr, dirs[d], strlen(dirs[d])) && name_is_safe(name.ptr) &&
				    read_small_file(file.ptr, &src) == 0) {
					struct name_check c = {t, cat, file.ptr, msg, hint};
					odc_tpl_where w;
					char err[512];
					rc = template_names(buf_cstr(&src), src.len, check_name, &c, &w, err,
							    sizeof(err));
					if (rc < 0 && !msg->len) {
						const char *text = strstr(err, "line ");
						text = text ? strstr(text, ": ") : NULL;
						buf_printf(msg, "%s:%zu:%zu: %s", file.ptr, w.line, w.column,
							   text ? text + 2 : err);
						buf_printf(hint, "fix the template's Mustache syntax");
					}
				}
			}
			buf_free(&name);
			buf_free(&file);
			buf_free(&src);
			free(names[i]);
		}
		free(names);
		buf_free(&p);
	}
	return rc < 0 ? ODC_EINVALID : 0;
}

void theme_free(odc_theme *t)
{
	free(t->dir);
	free(t->fallback);
	json_decref(t->strings[0]);
	json_decref(t->strings[1]);
	memset(t, 0, sizeof(*t));
}

/*====================================================================
 * Small helpers
 *====================================================================*/

void render_human_size(size_t bytes, odc_buf *out)
{
	static const char *const units[] = {"KB", "MB", "GB", "TB"};
	double v = (double)bytes;
	int u = -1;

	if (bytes < 1024) {
		buf_printf(out, "%zu B", bytes);
		return;
	}
	while (v >= 1024 && u < 3) {
		v /= 1024;
		u++;
	}
	buf_printf(out, v < 10 ? "%.1f %s" : "%.0f %s", v, units[u]);
}

void render_count(long n, odc_buf *out)
{
	char digits[32];
	int len = snprintf(digits, sizeof(digits), "%ld", n < 0 ? -n : n), i;

	if (n < 0)
		buf_putc(out, '-');
	for (i = 0; i < len; i++) {
		if (i > 0 && (len - i) % 3 == 0)
			buf_putc(out, ',');
		buf_putc(out, digits[i]);
	}
}

void render_page_path(const odc_catalog *cat, int li, const char *path, odc_buf *out)
{
	if (li > 0)
		/* li is 0 or 1: a catalogue has at most two languages */
		/* cppcheck-suppress arrayIndexOutOfBoundsCond */
		buf_printf(out, "%s/", cat->lang[li]);
	buf_puts(out, path);
}

/* "../" once per folder level of a site-relative path. */
static void root_of(const char *path, odc_buf *out)
{
	for (; *path; path++)
		if (*path == '/')
			buf_puts(out, "../");
}

/* A link from a page with prefix root to site-relative path; a trailing
 * "index.html" becomes the folder URL. */
static char *href(const char *root, const char *path)
{
	odc_buf b = ODC_BUF_INIT;
	size_t n = strlen(path);
	buf_puts(&b, root);
	/* n is strlen(path): path + n is its terminating NUL */
	/* cppcheck-suppress pointerOutOfBoundsCond */
	if (n >= 10 && !strcmp(path + n - 10, "index.html"))
		n -= 10;
	escape_url_path(&b, path, n);
	if (!b.len)
		buf_puts(&b, "./");
	return buf_detach(&b);
}

/* Sets key to a string only when it is non-empty: absent keys are falsey in
 * Mustache, empty strings are not. */
void render_set_text(json_t *o, const char *key, const char *s)
{
	json_t *v;
	if (!s || !*s)
		return;
	v = json_string(s);
	if (v)
		json_object_set_new(o, key, v);
}

void render_set_own(json_t *o, const char *key, char *s)
{
	render_set_text(o, key, s);
	free(s);
}

/* The page's URL in language li, for links in <head>: absolute with a base
 * URL, else relative from root. base is the site-relative path without
 * language; a trailing index.html becomes the folder. Caller frees. */
static char *page_href(const odc_page_ctx *pc, int li, const char *base, const char *root)
{
	odc_buf prefix = ODC_BUF_INIT, p = ODC_BUF_INIT;
	char *h;
	dcat_base_url(pc->cat, &prefix);
	if (!prefix.len)
		buf_puts(&prefix, root);
	render_page_path(pc->cat, li, base, &p);
	h = href(buf_cstr(&prefix), p.ptr);
	buf_free(&prefix);
	buf_free(&p);
	return h;
}

static const char *strings_get(const json_t *strings, const char *key)
{
	return json_string_value(json_object_get(strings, key));
}

/* The common part of every page's model (docs/view-model.md, "Every page").
 * base is the page's site-relative path without language; root_override,
 * when not NULL, replaces the relative root (the 404 pages, which are
 * served at any depth). */
static json_t *common_model_at(const odc_page_ctx *pc, int li, const char *base, const char *title,
			       const char *kind, const char *root_override)
{
	const odc_catalog *cat = pc->cat;
	odc_buf path = ODC_BUF_INIT, root = ODC_BUF_INIT, home = ODC_BUF_INIT;
	json_t *m = json_object(), *site = json_object(), *page = json_object();
	json_t *alts = json_array(), *og = json_object();
	const char *lang = cat->lang[li];
	json_t *pub = json_object_get(cat->conf, "publisher");
	int nlang = cat->lang[1] ? 2 : 1, ai;
	int is_404 = !strcmp(kind, "404");

	render_page_path(cat, li, base, &path);
	if (root_override)
		buf_puts(&root, root_override);
	else
		root_of(path.ptr, &root);
	buf_puts(&home, buf_cstr(&root));
	if (li > 0)
		buf_printf(&home, "%s/", lang);
	if (!home.len)
		buf_puts(&home, "./");

	render_set_text(m, "lang", lang);
	json_object_set_new(m, "root", json_string(buf_cstr(&root)));
	render_set_text(m, "home", buf_cstr(&home));
	/* A copy, not a reference: pages render in several threads, and
	 * Jansson's reference counts are not entirely thread-safe (json_incref
	 * reads the count without an atomic before it adds). */
	json_object_set_new(m, "t", pc->theme->strings[li] ? json_deep_copy(pc->theme->strings[li])
							   : json_object());
	/* The other language: the same page, except that a 404 page links to
	 * the other language's home (the missing page has no twin). */
	if (cat->lang[1]) {
		odc_buf ap = ODC_BUF_INIT;
		json_t *alt = json_object();
		const char *label;
		ai = li ? 0 : 1;
		label = strings_get(pc->theme->strings[ai], "language_name");
		render_page_path(cat, ai, is_404 ? "" : base, &ap);
		render_set_own(alt, "href", href(buf_cstr(&root), ap.ptr));
		render_set_text(alt, "lang", cat->lang[ai]);
		render_set_text(alt, "label", label ? label : cat->lang[ai]);
		json_object_set_new(m, "alt", alt);
		buf_free(&ap);
	}
	/* hreflang alternates: every language, this one included, and
	 * x-default = the primary language. None for 404 pages. */
	for (ai = 0; ai < nlang && !is_404; ai++) {
		json_t *a = json_object();
		render_set_text(a, "lang", cat->lang[ai]);
		render_set_own(a, "href", page_href(pc, ai, base, buf_cstr(&root)));
		if (ai == 0)
			render_set_text(m, "x_default_href", json_string_value(json_object_get(a, "href")));
		json_array_append_new(alts, a);
	}
	json_object_set_new(m, "alternates", alts);
	render_set_text(og, "locale", strings_get(pc->theme->strings[li], "og_locale"));
	if (cat->lang[1])
		render_set_text(og, "locale_alternate", strings_get(pc->theme->strings[li ? 0 : 1], "og_locale"));
	render_set_text(og, "type", "website");
	json_object_set_new(m, "og", og);

	render_set_text(site, "title", catalog_text(cat, json_object_get(cat->conf, "title"), lang));
	render_set_text(site, "description", catalog_text(cat, json_object_get(cat->conf, "description"), lang));
	render_set_text(site, "publisher", catalog_text(cat, json_object_get(pub, "name"), lang));
	json_object_set_new(site, "dataset_count", json_integer((json_int_t)pc->dataset_count));
	/* Outputs that need absolute URLs (DCAT-AP, sitemap) exist only then. */
	json_object_set_new(site, "has_base_url", json_boolean(cat->base_url && *cat->base_url));
	render_set_text(site, "version", pc->version);
	json_object_set_new(m, "site", site);
	render_set_text(page, "title", title);
	render_set_text(page, "kind", kind);
	if (cat->base_url && *cat->base_url && !is_404)
		render_set_own(page, "url", page_href(pc, li, base, ""));
	json_object_set_new(page, "is_home", json_boolean(!strcmp(kind, "home")));
	json_object_set_new(page, "is_dataset", json_boolean(!strcmp(kind, "dataset")));
	json_object_set_new(page, "is_list", json_boolean(!strcmp(kind, "datasets")));
	json_object_set_new(m, "page", page);
	buf_free(&path);
	buf_free(&root);
	buf_free(&home);
	return m;
}

static json_t *common_model(const odc_page_ctx *pc, int li, const char *base, const char *title,
			    const char *kind)
{
	return common_model_at(pc, li, base, title, kind, NULL);
}

/* Renders template name. Themes are strict: a missing partial or string
 * (t.*) is an error, like a syntax error, and names the template file,
 * line and column: "<theme>/templates/home.mustache:3:5: message". */
static int render_template_with(const odc_page_ctx *pc, const char *name, json_t *model,
				const char *card, odc_buf *out, odc_buf *err)
{
	odc_buf src = ODC_BUF_INIT, file = ODC_BUF_INIT;
	char msg[512] = "";
	odc_tpl_where where;
	struct partials ps = {pc->theme, card, card ? strlen(card) : 0};
	odc_tpl_opts o = {partial_cb, &ps, 1, "t.", &where};
	int rc = theme_template(pc->theme, name, &src);

	if (rc < 0) {
		buf_printf(err, "theme template %s.mustache cannot be read", name);
		buf_free(&src);
		return rc;
	}
	rc = template_render_opts(out, buf_cstr(&src), src.len, model, &o, msg, sizeof(msg));
	if (rc < 0) {
		/* The message without its "partial 'x', line N, column C: " prefix. */
		const char *text = strstr(msg, "line ");
		text = text ? strstr(text, ": ") : NULL;
		text = text ? text + 2 : msg;
		template_file(pc->theme, where.partial[0] ? where.partial : name, &file);
		if (where.column)
			buf_printf(err, "%s:%zu:%zu: %s", file.ptr, where.line, where.column, text);
		else
			buf_printf(err, "%s:%zu: %s", file.ptr, where.line, text);
		if (rc == ODC_ENOTFOUND && strstr(text, "is not defined"))
			buf_printf(err, " (hint: add it to strings/%s.json of the theme)",
				   json_string_value(json_object_get(model, "lang")));
		else if (rc == ODC_ENOTFOUND)
			buf_printf(err, " (hint: add templates/<name>.mustache to the theme)");
	}
	buf_free(&src);
	buf_free(&file);
	return rc;
}

static int render_template(const odc_page_ctx *pc, const char *name, json_t *model, odc_buf *out,
			   odc_buf *err)
{
	return render_template_with(pc, name, model, NULL, out, err);
}

static json_t *string_array(const json_t *a)
{
	json_t *out = json_array(), *v;
	size_t i;
	json_array_foreach(a, i, v)
		if (json_is_string(v) && json_string_length(v))
			json_array_append(out, v);
	return out;
}

static void upper(char *s)
{
	for (; *s; s++)
		if (*s >= 'a' && *s <= 'z')
			*s = (char)(*s - 'a' + 'A');
}

static json_t *publisher_model(const odc_page_ctx *pc, const odc_dataset *ds, const char *lang)
{
	json_t *p = json_object();
	json_t *dept = catalog_publisher(pc->cat, ds->publisher_id);
	if (dept) {
		render_set_text(p, "id", ds->publisher_id);
		render_set_text(p, "name", catalog_text(pc->cat, json_object_get(dept, "name"), lang));
		render_set_text(p, "email", json_string_value(json_object_get(dept, "email")));
	} else {
		/* No department: the city itself publishes. */
		json_t *city = json_object_get(pc->cat->conf, "publisher");
		render_set_text(p, "name", catalog_text(pc->cat, json_object_get(city, "name"), lang));
	}
	return p;
}

static const char *dataset_title(const odc_page_ctx *pc, const odc_dataset *ds, const char *lang)
{
	return catalog_text(pc->cat, json_object_get(ds->dp, "title"), lang);
}

/*====================================================================
 * Page models
 *====================================================================*/

static json_t *themes_model(const odc_page_ctx *pc, const odc_dataset *ds, int li);

json_t *render_dataset_summary(const odc_page_ctx *pc, const odc_dataset *ds, int li)
{
	const char *lang = pc->cat->lang[li];
	json_t *s = json_object(), *formats = json_array();
	odc_buf path = ODC_BUF_INIT, base = ODC_BUF_INIT;
	size_t i;

	buf_printf(&base, "datasets/%s/", ds->slug);
	render_page_path(pc->cat, li, base.ptr, &path);
	render_set_text(s, "slug", ds->slug);
	render_set_text(s, "_path", path.ptr);
	render_set_text(s, "title", dataset_title(pc, ds, lang));
	render_set_text(s, "summary", catalog_text(pc->cat, json_object_get(ds->dp, "description"), lang));
	json_object_set_new(s, "publisher", publisher_model(pc, ds, lang));
	json_object_set_new(s, "keywords", string_array(catalog_keywords(ds->dp, lang)));
	for (i = 0; i < ds->nres; i++) {
		char *f = xstrdup(ds->res[i].format);
		size_t j, seen = 0;
		upper(f);
		for (j = 0; j < json_array_size(formats); j++)
			if (!strcmp(json_string_value(json_array_get(formats, j)), f))
				seen = 1;
		if (!seen)
			json_array_append_new(formats, json_string(f));
		free(f);
	}
	json_object_set_new(s, "has_formats", json_boolean(json_array_size(formats) > 0));
	json_object_set_new(s, "formats", formats);
	json_object_set_new(s, "has_keywords",
			    json_boolean(json_array_size(json_object_get(s, "keywords")) > 0));
	render_set_text(s, "modified", json_string_value(json_object_get(ds->dp, "modified")));
	render_set_text(s, "issued", json_string_value(json_object_get(ds->dp, "issued")));
	/* What the facet pages group by (pages.c). */
	json_object_set_new(s, "themes", themes_model(pc, ds, li));
	{
		json_t *lic = json_object();
		const char *t = catalog_license_title(ds->license_id, lang);
		if (!t && ds->license)
			t = catalog_text(pc->cat, json_object_get(ds->license, "title"), lang);
		render_set_text(lic, "id", ds->license_id);
		render_set_text(lic, "title", t);
		render_set_text(lic, "url", catalog_license_url(ds->license_id));
		json_object_set_new(s, "license", lic);
	}
	buf_free(&path);
	buf_free(&base);
	return s;
}

/*--------------------------------------------------------------------
 * Cards rendered ahead
 *
 * The list pages show each dataset through the theme's dataset-card
 * partial. A card reads only its summary and the theme's strings (t.*),
 * except for its link, which depends on the page's folder: so a card is
 * rendered once per language with its link left open, and a list page
 * joins the pieces around each link instead of rendering the partial
 * again (pages.c decides when a page can). The link is found by
 * rendering twice with two one-byte stand-ins that no escaping changes:
 * the outputs differ exactly where it goes.
 *------------------------------------------------------------------*/

#define CARD_KEY "_odcat_card" /* the wrapper's section; also marks pages.c's key */

/* The keys render_dataset_summary always sets: a card's lookup of them
 * never reaches the page around it. */
static const char *const summary_keys[] = {"slug", "_path", "href", "publisher", "keywords",
					   "has_formats", "formats", "has_keywords", "themes", "license"};

int render_summary_always_has(const char *key, size_t len)
{
	size_t i;
	for (i = 0; i < sizeof(summary_keys) / sizeof(summary_keys[0]); i++)
		if (strlen(summary_keys[i]) == len && !memcmp(summary_keys[i], key, len))
			return 1;
	return 0;
}

/* Whether src has a tag with one of the sigils (after "{{" and spaces). */
static int has_sigil(const char *src, const char *sigils)
{
	const char *p = src;
	while ((p = strstr(p, "{{")) != NULL) {
		p += 2;
		while (*p == '{')
			p++;
		while (*p == ' ' || *p == '\t')
			p++;
		if (*p && strchr(sigils, *p))
			return 1;
	}
	return 0;
}

int render_card_source(const odc_page_ctx *pc, odc_buf *src)
{
	buf_clear(src);
	if (theme_template(pc->theme, "dataset-card", src) < 0 || !src->len)
		return -1;
	/* Partials, parents, blocks and other delimiters: not rendered ahead. */
	if (has_sigil(buf_cstr(src), "><=$") || strstr(buf_cstr(src), CARD_KEY) || memchr(src->ptr, 0, src->len))
		return -1;
	return 0;
}

static int card_render(const odc_page_ctx *pc, const char *card, size_t len, json_t *model,
		       odc_buf *out)
{
	static const char wrapper[] = "{{#" CARD_KEY "}}\n{{> dataset-card}}\n{{/" CARD_KEY "}}\n";
	char msg[256];
	struct partials ps = {NULL, card, len};
	odc_tpl_opts o = {partial_cb, &ps, 1, "t.", NULL};
	(void)pc;
	return template_render_opts(out, wrapper, sizeof(wrapper) - 1, model, &o, msg, sizeof(msg));
}

/* The theme's strings a card reads (t.name), copied into an object. */
struct card_strings {
	const json_t *strings;
	json_t *t;
	int all; /* the card reads t itself: every string */
};

static int card_string(void *payload, int is_partial, const char *name, size_t len, size_t line,
		       size_t col)
{
	struct card_strings *c = payload;
	size_t n = 2;
	(void)is_partial;
	(void)line;
	(void)col;
	if (len == 1 && name[0] == 't')
		c->all = 1;
	if (len < 3 || name[0] != 't' || name[1] != '.')
		return 0;
	while (n < len && name[n] != '.')
		n++;
	{
		char *key = xstrndup(name + 2, n - 2);
		json_t *v = json_object_get(c->strings, key);
		if (v && !json_object_get(c->t, key))
			json_object_set_new(c->t, key, json_deep_copy(v));
		free(key);
	}
	return 0;
}

json_t *render_dataset_card(const odc_page_ctx *pc, json_t *summary, int li)
{
	odc_buf src = ODC_BUF_INIT, a = ODC_BUF_INIT, b = ODC_BUF_INIT;
	json_t *model = NULL, *s = summary, *pieces = NULL;
	struct card_strings cs = {pc->theme->strings[li], json_object(), 0};
	char msg[256];
	size_t i, start = 0;

	if (render_card_source(pc, &src) < 0 ||
	    template_names(src.ptr, src.len, card_string, &cs, NULL, msg, sizeof(msg)) != 0) {
		json_decref(cs.t);
		goto done;
	}
	/* Copies of the strings the card reads, not references: cards are
	 * rendered in several threads (see common_model_at). */
	if (cs.all) {
		json_decref(cs.t);
		cs.t = cs.strings ? json_deep_copy(cs.strings) : json_object();
	}
	model = json_pack("{s:o,s:[O]}", "t", cs.t, CARD_KEY, s);
	json_object_set_new(s, "href", json_string("\x01"));
	if (card_render(pc, src.ptr, src.len, model, &a) < 0)
		goto done;
	json_object_set_new(s, "href", json_string("\x02"));
	if (card_render(pc, src.ptr, src.len, model, &b) < 0 || a.len != b.len)
		goto done;
	pieces = json_array();
	for (i = 0; i < a.len; i++) {
		if (a.ptr[i] == b.ptr[i])
			continue;
		if (a.ptr[i] != '\x01' || b.ptr[i] != '\x02') {
			json_decref(pieces);
			pieces = NULL;
			goto done;
		}
		json_array_append_new(pieces, json_stringn(a.ptr + start, i - start));
		start = i + 1;
	}
	json_array_append_new(pieces, json_stringn(a.len ? a.ptr + start : "", a.len - start));
done:
	json_decref(model);
	buf_free(&src);
	buf_free(&a);
	buf_free(&b);
	return pieces;
}

int render_page_cards(const odc_page_ctx *pc, const char *name, json_t *model, odc_buf *out,
		      odc_buf *err)
{
	return render_template_with(pc, name, model, "{{{" CARD_KEY "_html}}}", out, err);
}

/* The dataset's EU data-theme codes with their labels from the theme's
 * strings ("theme_HEAL"), the code itself when there is none. */
static json_t *themes_model(const odc_page_ctx *pc, const odc_dataset *ds, int li)
{
	json_t *v = json_object_get(ds->dp, "theme"), *out = json_array(), *x;
	json_t *one = NULL;
	size_t i;

	if (json_is_string(v)) {
		one = json_array();
		json_array_append(one, v);
		v = one;
	}
	json_array_foreach(v, i, x) {
		odc_buf key = ODC_BUF_INIT;
		json_t *t;
		const char *label;
		if (!json_is_string(x) || !json_string_length(x))
			continue;
		buf_printf(&key, "theme_%s", json_string_value(x));
		label = json_string_value(json_object_get(pc->theme->strings[li], key.ptr));
		t = json_object();
		render_set_text(t, "code", json_string_value(x));
		render_set_text(t, "label", label ? label : json_string_value(x));
		json_array_append_new(out, t);
		buf_free(&key);
	}
	json_decref(one);
	return out;
}

static json_t *resource_model(const odc_page_ctx *pc, const odc_dataset *ds, const odc_resource *r,
			      const char *root, const char *lang)
{
	json_t *o = json_object();
	odc_buf b = ODC_BUF_INIT;
	char *fmt = xstrdup(r->format);
	const char *title = catalog_text(pc->cat, json_object_get(r->json, "title"), lang);

	upper(fmt);
	render_set_text(o, "name", r->name);
	render_set_text(o, "title", title ? title : r->name);
	render_set_text(o, "path", r->path);
	if (r->is_url) {
		render_set_text(o, "href", r->path);
	} else {
		odc_buf p = ODC_BUF_INIT;
		buf_printf(&p, "datasets/%s/%s", ds->slug, r->path);
		render_set_own(o, "href", href(root, p.ptr));
		if (r->has_json) {
			/* The records as typed JSON, beside the file as <path>.json. */
			buf_puts(&p, ".json");
			render_set_own(o, "json_href", href(root, p.ptr));
		}
		buf_free(&p);
		json_object_set_new(o, "bytes", json_integer((json_int_t)r->bytes));
		render_human_size(r->bytes, &b);
		render_set_text(o, "size", b.ptr);
		render_set_text(o, "sha256", r->sha256);
	}
	render_set_text(o, "format", fmt);
	render_set_text(o, "mediatype", r->mediatype);
	render_set_text(o, "encoding", r->encoding);
	if (r->rows >= 0) {
		odc_buf n = ODC_BUF_INIT;
		render_count(r->rows, &n);
		render_set_text(o, "rows", n.ptr);
		json_object_set_new(o, "row_count", json_integer(r->rows));
		buf_free(&n);
	}
	json_object_set_new(o, "is_url", json_boolean(r->is_url));
	json_object_set_new(o, "validated", json_boolean(r->validated));
	free(fmt);
	buf_free(&b);
	return o;
}

/*====================================================================
 * Dataset page: copies, schema, preview, profile, citation, status
 *====================================================================*/

/* A string of the theme for page language li, or key itself. */
static const char *str_of(const odc_page_ctx *pc, int li, const char *key)
{
	const char *v = json_string_value(json_object_get(pc->theme->strings[li], key));
	return v ? v : key;
}

/* s with each "{name}" of names[] replaced by vals[] (NULL: ""). */
static char *fill(const char *s, const char *const *names, const char *const *vals, size_t n)
{
	odc_buf b = ODC_BUF_INIT;
	while (*s) {
		size_t k, done = 0;
		if (*s == '{')
			for (k = 0; k < n && !done; k++) {
				size_t l = strlen(names[k]);
				if (!strncmp(s + 1, names[k], l) && s[1 + l] == '}') {
					buf_puts(&b, vals[k] ? vals[k] : "");
					s += l + 2;
					done = 1;
				}
			}
		if (!done)
			buf_putc(&b, *s++);
	}
	return buf_detach(&b);
}

/* A key of a language map usable as a lang attribute: a BCP 47-like tag
 * of letters, digits and hyphens (the map comes from the dataset). */
static int is_lang_tag(const char *s)
{
	size_t n = 0;
	if (!s || !*s)
		return 0;
	for (; *s; s++, n++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || (*s >= '0' && *s <= '9') ||
		      (*s == '-' && n > 0)))
			return 0;
	return n <= 35;
}

/* Sets key to the text of v in the page language and, when it came from
 * another language, key_lang to that language and *fallback. */
static void set_text_lang(const odc_page_ctx *pc, int li, json_t *o, const char *key, const json_t *v,
			  int *fallback)
{
	const char *got = NULL, *t = catalog_text_lang(pc->cat, v, pc->cat->lang[li], &got);
	render_set_text(o, key, t);
	if (t && *t && got && strcmp(got, pc->cat->lang[li]) && is_lang_tag(got)) {
		odc_buf k = ODC_BUF_INIT;
		buf_printf(&k, "%s_lang", key);
		render_set_text(o, k.ptr, got);
		buf_free(&k);
		if (fallback)
			*fallback = 1;
	}
}

static void set_count(json_t *o, const char *key, long n)
{
	odc_buf b = ODC_BUF_INIT;
	render_count(n, &b);
	render_set_text(o, key, b.ptr);
	buf_free(&b);
}

/* The constraints of a schema field, as [{label, value}]. */
static json_t *constraints_model(const odc_page_ctx *pc, int li, const json_t *f, int in_pk)
{
	static const char *const keys[] = {"required", "unique", "minimum", "maximum", "exclusiveMinimum",
					   "exclusiveMaximum", "minLength", "maxLength", "pattern", "enum"};
	json_t *c = json_object_get(f, "constraints"), *out = json_array();
	size_t i;

	if (in_pk) {
		json_t *o = json_object();
		render_set_text(o, "label", str_of(pc, li, "constraint_primaryKey"));
		json_array_append_new(out, o);
	}
	for (i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
		json_t *v = json_object_get(c, keys[i]), *o;
		odc_buf k = ODC_BUF_INIT, val = ODC_BUF_INIT;
		if (!v || json_is_false(v))
			continue;
		buf_printf(&k, "constraint_%s", keys[i]);
		if (json_is_array(v)) {
			json_t *x;
			size_t j;
			json_array_foreach(v, j, x) {
				char *t = json_is_string(x) ? NULL : json_dumps(x, JSON_ENCODE_ANY);
				if (j)
					buf_puts(&val, ", ");
				buf_puts(&val, t ? t : json_string_value(x));
				free(t);
			}
		} else if (!json_is_true(v)) {
			char *t = json_is_string(v) ? NULL : json_dumps(v, JSON_ENCODE_ANY);
			buf_puts(&val, t ? t : json_string_value(v));
			free(t);
		}
		o = json_object();
		render_set_text(o, "label", str_of(pc, li, k.ptr));
		render_set_text(o, "value", buf_cstr(&val));
		json_array_append_new(out, o);
		buf_free(&k);
		buf_free(&val);
	}
	return out;
}

static json_t *schema_model(const odc_page_ctx *pc, int li, const json_t *schema, int *fallback)
{
	json_t *fields = json_array(), *f, *pk = json_object_get(schema, "primaryKey");
	size_t i;

	json_array_foreach(json_object_get(schema, "fields"), i, f) {
		json_t *o = json_object(), *cons, *x;
		const char *name = json_string_value(json_object_get(f, "name"));
		const char *type = json_string_value(json_object_get(f, "type"));
		const char *format = json_string_value(json_object_get(f, "format"));
		int in_pk = 0;
		size_t j;
		/* Keys unlike the resource's own (title, format...): a key absent
		 * here would otherwise be found on the resource by Mustache. */
		render_set_text(o, "field_name", name);
		set_text_lang(pc, li, o, "field_title", json_object_get(f, "title"), fallback);
		set_text_lang(pc, li, o, "field_description", json_object_get(f, "description"), fallback);
		render_set_text(o, "field_type", type ? type : "string");
		if (format && strcmp(format, "default"))
			render_set_text(o, "field_format", format);
		if (name && json_is_string(pk) && !strcmp(json_string_value(pk), name))
			in_pk = 1;
		json_array_foreach(pk, j, x)
			if (name && json_is_string(x) && !strcmp(json_string_value(x), name))
				in_pk = 1;
		cons = constraints_model(pc, li, f, in_pk);
		json_object_set_new(o, "has_constraints", json_boolean(json_array_size(cons) > 0));
		json_object_set_new(o, "constraints", cons);
		json_array_append_new(fields, o);
	}
	return fields;
}

/* The OpenStreetMap link of a point. */
static char *osm_href(const char *lat, const char *lon)
{
	odc_buf b = ODC_BUF_INIT;
	buf_printf(&b, "https://www.openstreetmap.org/?mlat=%s&mlon=%s#map=17/%s/%s", lat, lon, lat, lon);
	return buf_detach(&b);
}

static json_t *preview_model(const odc_page_ctx *pc, int li, const odc_resource *r, const char *title)
{
	json_t *pg = r->page, *m = json_object(), *cols = json_array(), *rows = json_array(), *x;
	size_t i, n = json_array_size(json_object_get(pg, "preview"));
	int osm = json_object_get(pg, "lat_lon") != NULL;
	const char *names[] = {"shown", "rows", "title"};
	const char *vals[3];
	odc_buf shown = ODC_BUF_INIT, total = ODC_BUF_INIT;
	char *cap;

	json_array_foreach(json_object_get(pg, "columns"), i, x) {
		json_t *c = json_object();
		json_object_set(c, "label", x); /* always set, even when empty */
		json_array_append_new(cols, c);
	}
	json_array_foreach(json_object_get(pg, "preview"), i, x) {
		json_t *row = json_object(), *cells = json_array(), *c;
		const char *lat = json_string_value(json_object_get(x, "lat"));
		const char *lon = json_string_value(json_object_get(x, "lon"));
		size_t j;
		json_array_foreach(json_object_get(x, "cells"), j, c) {
			json_t *cell = json_object();
			json_object_set(cell, "text", c);
			json_array_append_new(cells, cell);
		}
		json_object_set_new(row, "cells", cells);
		json_object_set_new(row, "number", json_integer((json_int_t)i + 1));
		if (lat && lon)
			render_set_own(row, "osm_href", osm_href(lat, lon));
		json_array_append_new(rows, row);
	}
	render_count((long)n, &shown);
	render_count(r->rows >= 0 ? r->rows : (long)n, &total);
	vals[0] = shown.ptr;
	vals[1] = total.ptr;
	vals[2] = title;
	cap = fill(str_of(pc, li, "preview_caption"), names, vals, 3);
	render_set_own(m, "caption", cap);
	json_object_set_new(m, "columns", cols);
	json_object_set_new(m, "rows", rows);
	json_object_set_new(m, "has_osm", json_boolean(osm));
	json_object_set_new(m, "more", json_is_true(json_object_get(pg, "rows_more")) ? json_true() : json_false());
	buf_free(&shown);
	buf_free(&total);
	return m;
}

#define HIST_W 160
#define HIST_H 40

/* Bars of an inline SVG histogram, its text alternative and its bins. */
static json_t *histogram_model(const odc_page_ctx *pc, int li, const json_t *h, const char *column)
{
	json_t *m = json_object(), *bars = json_array(), *b;
	const json_t *bins = json_object_get(h, "bins");
	size_t i, n = json_array_size(bins), top = 0;
	long maxc = 0;
	double bw = n ? (double)HIST_W / (double)n : 0;
	const char *names[] = {"column", "bins", "from", "to", "peak", "peak_count"};
	const char *vals[6];
	odc_buf nb = ODC_BUF_INIT, pcount = ODC_BUF_INIT;

	json_array_foreach(bins, i, b) {
		long c = (long)json_integer_value(json_object_get(b, "count"));
		if (c > maxc) {
			maxc = c;
			top = i;
		}
	}
	json_array_foreach(bins, i, b) {
		long c = (long)json_integer_value(json_object_get(b, "count"));
		json_t *o = json_object();
		double hh = maxc ? (double)c * (HIST_H - 2) / (double)maxc : 0;
		char t[32];
		if (c > 0 && hh < 1)
			hh = 1;
		snprintf(t, sizeof(t), "%.1f", (double)i * bw);
		render_set_text(o, "x", t);
		snprintf(t, sizeof(t), "%.1f", bw > 2 ? bw - 1 : bw);
		render_set_text(o, "width", t);
		snprintf(t, sizeof(t), "%.1f", HIST_H - hh);
		render_set_text(o, "y", t);
		snprintf(t, sizeof(t), "%.1f", hh);
		render_set_text(o, "height", t);
		render_set_text(o, "label", json_string_value(json_object_get(b, "label")));
		set_count(o, "count", c);
		json_array_append_new(bars, o);
	}
	render_count((long)n, &nb);
	render_count(maxc, &pcount);
	vals[0] = column;
	vals[1] = nb.ptr;
	vals[2] = json_string_value(json_object_get(json_array_get(bins, 0), "from_text"));
	vals[3] = json_string_value(json_object_get(json_array_get(bins, n ? n - 1 : 0), "to_text"));
	vals[4] = json_string_value(json_object_get(json_array_get(bins, top), "label"));
	vals[5] = pcount.ptr;
	render_set_own(m, "alt", fill(str_of(pc, li, "histogram_alt"), names, vals, 6));
	json_object_set_new(m, "width", json_integer(HIST_W));
	json_object_set_new(m, "height", json_integer(HIST_H));
	json_object_set_new(m, "bars", bars);
	buf_free(&nb);
	buf_free(&pcount);
	return m;
}

static json_t *profile_model(const odc_page_ctx *pc, int li, const json_t *prof, const char *anchor)
{
	json_t *out = json_array(), *c;
	size_t i;

	json_array_foreach(prof, i, c) {
		json_t *o = json_object(), *h = json_object_get(c, "histogram"), *top = json_object_get(c, "top");
		const char *name = json_string_value(json_object_get(c, "name"));
		odc_buf id = ODC_BUF_INIT, d = ODC_BUF_INIT;
		render_set_text(o, "name", name);
		render_set_text(o, "type", json_string_value(json_object_get(c, "type")));
		set_count(o, "count", (long)json_integer_value(json_object_get(c, "count")));
		set_count(o, "missing", (long)json_integer_value(json_object_get(c, "missing")));
		render_count((long)json_integer_value(json_object_get(c, "distinct")), &d);
		if (json_is_true(json_object_get(c, "distinct_capped")))
			buf_putc(&d, '+');
		render_set_text(o, "distinct", d.ptr);
		render_set_text(o, "min", json_string_value(json_object_get(c, "min")));
		render_set_text(o, "max", json_string_value(json_object_get(c, "max")));
		/* Top values say something only when a value repeats. */
		if (json_array_size(top) && json_integer_value(json_object_get(json_array_get(top, 0), "count")) > 1) {
			json_t *t = json_array(), *x;
			size_t j;
			json_array_foreach(top, j, x) {
				json_t *v = json_object();
				json_object_set(v, "value", json_object_get(x, "value"));
				set_count(v, "count", (long)json_integer_value(json_object_get(x, "count")));
				json_array_append_new(t, v);
			}
			json_object_set_new(o, "top", t);
			json_object_set_new(o, "has_top", json_true());
			json_object_set_new(o, "top_approximate", json_boolean(json_is_true(json_object_get(c, "top_approximate"))));
		}
		if (h) {
			json_t *hm = histogram_model(pc, li, h, name ? name : "");
			buf_printf(&id, "%s-h%zu", anchor, i + 1);
			render_set_text(hm, "id", id.ptr);
			json_object_set_new(o, "histogram", hm);
		}
		json_array_append_new(out, o);
		buf_free(&id);
		buf_free(&d);
	}
	return out;
}

/* The page's parts derived from a CSV (derived.c): copies, schema,
 * preview and profile, added to the resource's model o. */
static void resource_page_model(const odc_page_ctx *pc, int li, const odc_dataset *ds, const odc_resource *r,
				size_t idx, const char *root, json_t *o, int *fallback)
{
	json_t *pg = r->page, *copies = json_object_get(pg, "copies"), *schema = json_object_get(pg, "schema");
	static const char *const kinds[] = {"utf8", "excel"};
	const char *title = json_string_value(json_object_get(o, "title"));
	odc_buf anchor = ODC_BUF_INIT;
	size_t k;

	buf_printf(&anchor, "r%zu", idx + 1);
	render_set_text(o, "anchor", anchor.ptr);
	json_object_set_new(o, "warnings", json_integer((json_int_t)r->warnings));
	if (r->warnings) {
		odc_buf n = ODC_BUF_INIT;
		const char *names[] = {"n"};
		const char *vals[1];
		render_count((long)r->warnings, &n);
		vals[0] = n.ptr;
		render_set_own(o, "warnings_text", fill(str_of(pc, li, r->warnings == 1 ? "warning_one" : "warnings_n"), names, vals, 1));
		buf_free(&n);
	}
	if (!pg) {
		buf_free(&anchor);
		return;
	}
	for (k = 0; k < 2; k++) {
		json_t *c = json_object_get(copies, kinds[k]);
		odc_buf p = ODC_BUF_INIT, key = ODC_BUF_INIT, sz = ODC_BUF_INIT;
		if (!c)
			continue;
		buf_printf(&p, "datasets/%s/%s", ds->slug, json_string_value(json_object_get(c, "path")));
		buf_printf(&key, "%s_href", kinds[k]);
		render_set_own(o, key.ptr, href(root, p.ptr));
		buf_clear(&key);
		buf_printf(&key, "%s_size", kinds[k]);
		render_human_size((size_t)json_integer_value(json_object_get(c, "bytes")), &sz);
		render_set_text(o, key.ptr, sz.ptr);
		buf_free(&p);
		buf_free(&key);
		buf_free(&sz);
	}
	if (json_is_integer(json_object_get(pg, "json_bytes"))) {
		odc_buf sz = ODC_BUF_INIT;
		render_human_size((size_t)json_integer_value(json_object_get(pg, "json_bytes")), &sz);
		render_set_text(o, "json_size", sz.ptr);
		buf_free(&sz);
	}
	if (schema) {
		json_t *fields = schema_model(pc, li, schema, fallback);
		json_object_set_new(o, "has_schema", json_boolean(json_array_size(fields) > 0));
		json_object_set_new(o, "schema_fields", fields);
	}
	if (json_object_get(pg, "preview")) {
		json_object_set_new(o, "preview", preview_model(pc, li, r, title ? title : r->name));
		json_object_set_new(o, "has_detail", json_true());
	}
	if (json_array_size(json_object_get(pg, "profile"))) {
		json_object_set_new(o, "profile", profile_model(pc, li, json_object_get(pg, "profile"), anchor.ptr));
		json_object_set_new(o, "has_profile", json_true());
	}
	buf_free(&anchor);
}

/* How to cite the dataset: publisher, year, title, catalogue, URL and the
 * date of the last modification, all from the metadata (no clock). */
static char *citation(const odc_page_ctx *pc, const odc_dataset *ds, int li, const char *publisher,
		      const char *title)
{
	const odc_catalog *cat = pc->cat;
	const char *modified = json_string_value(json_object_get(ds->dp, "modified"));
	const char *issued = json_string_value(json_object_get(ds->dp, "issued"));
	const char *date = modified && strlen(modified) >= 4 ? modified : issued;
	const char *names[] = {"publisher", "year", "title", "catalogue", "url", "modified"};
	const char *vals[6];
	odc_buf year = ODC_BUF_INIT, url = ODC_BUF_INIT, out = ODC_BUF_INIT;
	char *s;

	if (date && strlen(date) >= 4)
		buf_put(&year, date, 4);
	else
		buf_puts(&year, str_of(pc, li, "cite_no_year"));
	dcat_base_url(cat, &url);
	render_page_path(cat, li, "", &url);
	buf_printf(&url, "datasets/%s/", ds->slug);
	vals[0] = publisher;
	vals[1] = year.ptr;
	vals[2] = title;
	vals[3] = catalog_text(cat, json_object_get(cat->conf, "title"), cat->lang[li]);
	vals[4] = url.ptr;
	vals[5] = modified;
	s = fill(str_of(pc, li, "cite_format"), names, vals, 6);
	buf_puts(&out, s);
	free(s);
	if (modified && *modified) {
		s = fill(str_of(pc, li, "cite_modified"), names, vals, 6);
		buf_puts(&out, s);
		free(s);
	}
	buf_free(&year);
	buf_free(&url);
	return buf_detach(&out);
}

/* The validation status of the dataset: "validated" when every CSV with
 * a schema passed (and there is one), else "not_validated"; with the
 * number of warnings. */
static json_t *status_model(const odc_page_ctx *pc, const odc_dataset *ds, int li)
{
	json_t *m = json_object();
	size_t i, with_schema = 0, ok = 0;
	const char *state;
	for (i = 0; i < ds->nres; i++)
		if (ds->res[i].is_csv && ds->res[i].has_schema) {
			with_schema++;
			ok += ds->res[i].validated != 0;
		}
	state = with_schema && ok == with_schema ? "validated" : "not_validated";
	render_set_text(m, "state", state);
	render_set_text(m, "label", str_of(pc, li, state));
	json_object_set_new(m, "is_validated", json_boolean(!strcmp(state, "validated")));
	json_object_set_new(m, "warnings", json_integer((json_int_t)ds->warnings));
	if (ds->warnings) {
		odc_buf n = ODC_BUF_INIT;
		const char *names[] = {"n"};
		const char *vals[1];
		render_count((long)ds->warnings, &n);
		vals[0] = n.ptr;
		render_set_own(m, "warnings_text", fill(str_of(pc, li, ds->warnings == 1 ? "warning_one" : "warnings_n"), names, vals, 1));
		buf_free(&n);
	}
	render_set_text(m, "hint", str_of(pc, li, !strcmp(state, "validated") ? "status_validated_hint" : "status_not_validated_hint"));
	return m;
}

/*====================================================================
 * schema.org Dataset (JSON-LD for search engines)
 *====================================================================*/

#define JSONLD_MIN_DESC 50
#define JSONLD_MAX_DESC 5000

/* Number of UTF-8 characters (code points) of s. */
static size_t utf8_chars(const char *s)
{
	size_t n = 0;
	for (; *s; s++)
		if (((unsigned char)*s & 0xC0) != 0x80)
			n++;
	return n;
}

/* Cuts b after max characters, on a character boundary. */
static void utf8_truncate(odc_buf *b, size_t max)
{
	size_t i, n = 0;
	for (i = 0; i < b->len; i++)
		if (((unsigned char)b->ptr[i] & 0xC0) != 0x80 && n++ == max) {
			b->len = i;
			b->ptr[i] = '\0';
			return;
		}
}

/* Markdown inline text as plain text, appended to out: links and images
 * keep their text, markup characters (* _ ` # ~ [ ]) and backslashes go,
 * runs of white space become one space. */
static void md_plain(const char *s, size_t n, odc_buf *out)
{
	size_t i;
	for (i = 0; i < n; i++) {
		char c = s[i];
		if (c == '\\' && i + 1 < n) {
			c = s[++i];
		} else if (c == '!' && i + 1 < n && s[i + 1] == '[') {
			continue;
		} else if (c == ']' && i + 1 < n && s[i + 1] == '(') {
			int depth = 0;
			for (i++; i < n; i++) {
				if (s[i] == '(')
					depth++;
				else if (s[i] == ')' && --depth == 0)
					break;
			}
			continue;
		} else if (c == '*' || c == '_' || c == '`' || c == '#' || c == '~' || c == '[' || c == ']') {
			continue;
		}
		if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
			if (out->len && out->ptr[out->len - 1] != ' ')
				buf_putc(out, ' ');
			continue;
		}
		buf_putc(out, c);
	}
}

/* A thematic break: three or more of one of - * _ (and spaces) only. */
static int md_is_break(const char *l, size_t n)
{
	size_t i, k = 0;
	char m = 0;
	for (i = 0; i < n; i++) {
		if (l[i] == ' ' || l[i] == '\t')
			continue;
		if (l[i] != '-' && l[i] != '*' && l[i] != '_')
			return 0;
		if (m && l[i] != m)
			return 0;
		m = l[i];
		k++;
	}
	return k >= 3;
}

/* The first paragraph of a README that is not a heading, table, code
 * block, HTML block or rule, as plain text (block quote and list markers
 * dropped). Appends to out. */
static void readme_first_paragraph(const char *src, size_t len, odc_buf *out)
{
	const char *p = src, *end = src + len;
	int in_fence = 0, collected = 0;
	odc_buf raw = ODC_BUF_INIT;

	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *le = nl ? nl : end, *l = p;
		size_t n;
		p = nl ? nl + 1 : end;
		while (l < le && (*l == ' ' || *l == '\t'))
			l++;
		n = (size_t)(le - l);
		while (n && (l[n - 1] == '\r' || l[n - 1] == ' ' || l[n - 1] == '\t'))
			n--;
		if ((n >= 3 && (!strncmp(l, "```", 3) || !strncmp(l, "~~~", 3)))) {
			if (collected)
				break;
			in_fence = !in_fence;
			continue;
		}
		if (in_fence)
			continue;
		if (!n || *l == '#' || *l == '|' || *l == '<' || md_is_break(l, n)) {
			if (collected)
				break;
			continue;
		}
		/* Block quote and list markers. */
		for (;;) {
			if (n && *l == '>') {
				l++, n--;
			} else if (n >= 2 && (*l == '-' || *l == '*' || *l == '+') && l[1] == ' ') {
				l += 2, n -= 2;
			} else if (n && (*l == ' ' || *l == '\t')) {
				l++, n--;
			} else {
				size_t d = 0;
				while (d < n && l[d] >= '0' && l[d] <= '9')
					d++;
				if (d && d + 1 < n && (l[d] == '.' || l[d] == ')') && l[d + 1] == ' ') {
					l += d + 2, n -= d + 2;
					continue;
				}
				break;
			}
		}
		if (!n)
			continue;
		if (raw.len)
			buf_putc(&raw, '\n');
		buf_put(&raw, l, n);
		collected = 1;
	}
	if (raw.len)
		md_plain(raw.ptr, raw.len, out);
	while (out->len && out->ptr[out->len - 1] == ' ')
		out->ptr[--out->len] = '\0';
	buf_free(&raw);
}

static json_t *jsonld_typed(const char *type)
{
	json_t *o = json_object();
	json_object_set_new(o, "@type", json_string(type));
	return o;
}

static json_t *jsonld_org(const odc_page_ctx *pc, const odc_dataset *ds, const char *lang)
{
	const odc_catalog *cat = pc->cat;
	json_t *o = jsonld_typed("Organization");
	json_t *dept = catalog_publisher(cat, ds->publisher_id);
	json_t *city = json_object_get(cat->conf, "publisher");
	const char *city_name = catalog_text(cat, json_object_get(city, "name"), lang);

	if (dept) {
		render_set_text(o, "name", catalog_text(cat, json_object_get(dept, "name"), lang));
		if (city_name) {
			json_t *parent = jsonld_typed("Organization");
			render_set_text(parent, "name", city_name);
			json_object_set_new(o, "parentOrganization", parent);
		}
	} else {
		render_set_text(o, "name", city_name);
	}
	return o;
}

/* The dataset's schema.org Dataset as JSON-LD, escaped for a <script>
 * element. prefix is the absolute base URL (with '/') or, without one, the
 * page's relative root: every URL is prefix + site-relative path. */
static char *dataset_jsonld(const odc_page_ctx *pc, const odc_dataset *ds, int li, const char *root)
{
	const odc_catalog *cat = pc->cat;
	const char *lang = cat->lang[li];
	json_t *o = json_object(), *v, *x, *vars = json_array(), *dist = json_array();
	odc_buf prefix = ODC_BUF_INIT, p = ODC_BUF_INIT, desc = ODC_BUF_INIT, out = ODC_BUF_INIT;
	const char *s;
	char *text, *url;
	size_t i, j;

	dcat_base_url(cat, &prefix);
	if (!prefix.len)
		buf_puts(&prefix, root);

	json_object_set_new(o, "@context", json_string("https://schema.org/"));
	json_object_set_new(o, "@type", json_string("Dataset"));
	render_set_text(o, "name", dataset_title(pc, ds, lang));

	/* description: the dataset's, completed from the README when short. */
	s = catalog_text(cat, json_object_get(ds->dp, "description"), lang);
	if (s)
		buf_puts(&desc, s);
	if (utf8_chars(buf_cstr(&desc)) < JSONLD_MIN_DESC) {
		const char *src = ds->readme;
		size_t src_len = ds->readme_len;
		odc_buf para = ODC_BUF_INIT;
		if (li > 0 && ds->readme_en) {
			src = ds->readme_en;
			src_len = ds->readme_en_len;
		}
		if (src)
			readme_first_paragraph(src, src_len, &para);
		if (para.len && !strstr(buf_cstr(&desc), para.ptr)) {
			if (desc.len)
				buf_putc(&desc, ' ');
			buf_put(&desc, para.ptr, para.len);
		}
		buf_free(&para);
	}
	utf8_truncate(&desc, JSONLD_MAX_DESC);
	render_set_text(o, "description", buf_cstr(&desc));

	render_page_path(cat, li, "", &p);
	buf_printf(&p, "datasets/%s/index.html", ds->slug);
	url = href(buf_cstr(&prefix), p.ptr);
	render_set_text(o, "url", url);
	render_set_text(o, "identifier", url);
	free(url);

	v = string_array(catalog_keywords(ds->dp, lang));
	if (json_array_size(v))
		json_object_set_new(o, "keywords", v);
	else
		json_decref(v);
	s = catalog_license_url(ds->license_id);
	if (!s && ds->license)
		s = json_string_value(json_object_get(ds->license, "path"));
	render_set_text(o, "license", s);
	json_object_set_new(o, "creator", jsonld_org(pc, ds, lang));
	json_object_set_new(o, "publisher", jsonld_org(pc, ds, lang));

	v = json_object_get(ds->dp, "temporal");
	if (json_is_object(v)) {
		const char *a = json_string_value(json_object_get(v, "start"));
		const char *b = json_string_value(json_object_get(v, "end"));
		if ((a && *a) || (b && *b)) {
			odc_buf t = ODC_BUF_INIT;
			buf_printf(&t, "%s/%s", a && *a ? a : "..", b && *b ? b : "..");
			render_set_text(o, "temporalCoverage", t.ptr);
			buf_free(&t);
		}
	}
	v = json_object_get(ds->dp, "spatial");
	s = json_is_object(v) ? catalog_text(cat, json_object_get(v, "name"), lang) : catalog_text(cat, v, lang);
	x = json_object_get(v, "bbox");
	if ((s && *s) || (json_is_array(x) && json_array_size(x) == 4)) {
		json_t *place = jsonld_typed("Place");
		render_set_text(place, "name", s);
		if (json_is_array(x) && json_array_size(x) == 4) {
			/* bbox is [west, south, east, north]; a schema.org box is
			 * "south west north east". */
			static const int order[4] = {1, 0, 3, 2};
			json_t *geo = jsonld_typed("GeoShape");
			odc_buf t = ODC_BUF_INIT;
			int ok = 1;
			for (i = 0; i < 4; i++) {
				json_t *c = json_array_get(x, (size_t)order[i]);
				if (!json_is_number(c))
					ok = 0;
				buf_printf(&t, "%s%.10g", i ? " " : "", json_number_value(c));
			}
			if (ok) {
				render_set_text(geo, "box", t.ptr);
				json_object_set_new(place, "geo", geo);
			} else {
				json_decref(geo);
			}
			buf_free(&t);
		}
		json_object_set_new(o, "spatialCoverage", place);
	}

	/* variableMeasured: the fields of the CSV resources' inline schemas,
	 * each name once, in order. */
	for (i = 0; i < ds->nres; i++) {
		json_t *schema = json_object_get(ds->res[i].json, "schema"), *f;
		if (!ds->res[i].is_csv || !json_is_object(schema))
			continue;
		json_array_foreach(json_object_get(schema, "fields"), j, f) {
			const char *name = json_string_value(json_object_get(f, "name"));
			const char *title = catalog_text(cat, json_object_get(f, "title"), lang);
			const char *fd = catalog_text(cat, json_object_get(f, "description"), lang);
			json_t *pv, *y;
			size_t k;
			int seen = 0;
			if (!name || !*name)
				continue;
			json_array_foreach(vars, k, y)
				if (!strcmp(json_string_value(json_object_get(y, "name")), name))
					seen = 1;
			if (seen)
				continue;
			pv = jsonld_typed("PropertyValue");
			render_set_text(pv, "name", name);
			if (title && *title && fd && *fd) {
				odc_buf t = ODC_BUF_INIT;
				buf_printf(&t, "%s: %s", title, fd);
				render_set_text(pv, "description", t.ptr);
				buf_free(&t);
			} else {
				render_set_text(pv, "description", title && *title ? title : fd);
			}
			json_array_append_new(vars, pv);
		}
	}
	if (json_array_size(vars))
		json_object_set_new(o, "variableMeasured", vars);
	else
		json_decref(vars);

	{
		json_t *dc = jsonld_typed("DataCatalog");
		render_set_text(dc, "name", catalog_text(cat, json_object_get(cat->conf, "title"), lang));
		render_set_own(dc, "url", href(buf_cstr(&prefix), ""));
		json_object_set_new(o, "includedInDataCatalog", dc);
	}

	for (i = 0; i < ds->nres; i++) {
		const odc_resource *r = &ds->res[i];
		json_t *d;
		const char *title;
		if (r->is_url)
			continue;
		d = jsonld_typed("DataDownload");
		title = catalog_text(cat, json_object_get(r->json, "title"), lang);
		render_set_text(d, "name", title ? title : r->name);
		buf_clear(&p);
		buf_printf(&p, "datasets/%s/%s", ds->slug, r->path);
		render_set_own(d, "contentUrl", href(buf_cstr(&prefix), p.ptr));
		render_set_text(d, "encodingFormat", r->mediatype);
		buf_clear(&p);
		buf_printf(&p, "%zu B", r->bytes);
		render_set_text(d, "contentSize", p.ptr);
		render_set_text(d, "sha256", r->sha256);
		json_array_append_new(dist, d);
	}
	if (json_array_size(dist))
		json_object_set_new(o, "distribution", dist);
	else
		json_decref(dist);

	render_set_text(o, "dateModified", json_string_value(json_object_get(ds->dp, "modified")));
	render_set_text(o, "datePublished", json_string_value(json_object_get(ds->dp, "issued")));
	render_set_text(o, "inLanguage", lang);

	text = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER);
	if (text)
		escape_json_for_script(&out, text, strlen(text));
	free(text);
	json_decref(o);
	buf_free(&prefix);
	buf_free(&p);
	buf_free(&desc);
	return buf_detach(&out);
}

/* dataset.mqa: the MQA points of ds, what would raise them, and the 5-star
 * rating of each resource (docs/view-model.md). */
static json_t *mqa_model(const odc_page_ctx *pc, const odc_dataset *ds, int li)
{
	const json_t *t = pc->theme->strings[li];
	json_t *m = json_object(), *dims = json_array(), *fixes = json_array(), *res = json_array();
	odc_buf b = ODC_BUF_INIT;
	const char *s;
	odc_mqa q;
	int i, g;
	size_t j;

	mqa_score(pc->cat, ds, mqa_site_has_file, (void *)mqa_site_dir(), &q);
	json_object_set_new(m, "points", json_integer(q.points));
	json_object_set_new(m, "max", json_integer(q.max));
	render_set_text(m, "rating_id", mqa_rating(q.points));
	buf_printf(&b, "mqa_rating_%s", mqa_rating(q.points));
	s = json_string_value(json_object_get(t, b.ptr));
	render_set_text(m, "rating", s ? s : mqa_rating(q.points));
	for (i = 0; i < ODC_MQA_DIMS; i++) {
		json_t *o = json_object();
		buf_clear(&b);
		buf_printf(&b, "mqa_dim_%s", q.dims[i].name);
		s = json_string_value(json_object_get(t, b.ptr));
		render_set_text(o, "id", q.dims[i].name);
		render_set_text(o, "label", s ? s : q.dims[i].name);
		json_object_set_new(o, "points", json_integer(q.dims[i].points));
		json_object_set_new(o, "max", json_integer(q.dims[i].max));
		json_array_append_new(dims, o);
	}
	json_object_set_new(m, "dimensions", dims);
	/* Biggest gain first; table order among equal gains. */
	for (g = ODC_MQA_MAX; g > 0; g--)
		for (i = 0; i < ODC_MQA_INDICATORS; i++) {
			json_t *o;
			if (q.items[i].max - q.items[i].points != g)
				continue;
			o = json_object();
			buf_clear(&b);
			buf_printf(&b, "mqa_fix_%s", q.items[i].id);
			s = json_string_value(json_object_get(t, b.ptr));
			render_set_text(o, "id", q.items[i].id);
			render_set_text(o, "text", s ? s : q.items[i].id);
			json_object_set_new(o, "gain", json_integer(g));
			json_array_append_new(fixes, o);
		}
	json_object_set_new(m, "has_suggestions", json_boolean(json_array_size(fixes) > 0));
	json_object_set_new(m, "suggestions", fixes);
	for (j = 0; j < ds->nres; j++) {
		const odc_resource *r = &ds->res[j];
		const char *title = catalog_text(pc->cat, json_object_get(r->json, "title"), pc->cat->lang[li]);
		const char *label = json_string_value(json_object_get(t, "mqa_stars_label"));
		const char *at = label ? strstr(label, "{n}") : NULL;
		json_t *o = json_object();
		int n = mqa_stars(ds, r);
		render_set_text(o, "name", r->name);
		render_set_text(o, "title", title ? title : r->name);
		json_object_set_new(o, "stars", json_integer(n));
		buf_clear(&b);
		for (i = 0; i < n; i++)
			buf_puts(&b, "\xe2\x98\x85"); /* ★ */
		render_set_text(o, "stars_filled", buf_cstr(&b));
		buf_clear(&b);
		for (i = n; i < 5; i++)
			buf_puts(&b, "\xe2\x98\x86"); /* ☆ */
		render_set_text(o, "stars_empty", buf_cstr(&b));
		buf_clear(&b);
		if (at)
			buf_printf(&b, "%.*s%d%s", (int)(at - label), label, n, at + 3);
		else
			buf_printf(&b, "%d of 5 stars", n);
		render_set_text(o, "stars_label", b.ptr);
		json_array_append_new(res, o);
	}
	json_object_set_new(m, "resources", res);
	buf_free(&b);
	return m;
}

int render_dataset_page(const odc_page_ctx *pc, const odc_dataset *ds, int li, odc_buf *out,
			odc_buf *err)
{
	const odc_catalog *cat = pc->cat;
	const char *lang = cat->lang[li];
	odc_buf base = ODC_BUF_INIT, path = ODC_BUF_INIT, root = ODC_BUF_INIT, prefix = ODC_BUF_INIT;
	json_t *m, *d = json_object(), *v, *res = json_array(), *lic = json_object();
	const char *src;
	size_t src_len, i;
	int rc, fallback = 0;

	buf_printf(&base, "datasets/%s/index.html", ds->slug);
	render_page_path(cat, li, base.ptr, &path);
	root_of(path.ptr, &root);
	m = common_model(pc, li, base.ptr, dataset_title(pc, ds, lang), "dataset");

	render_set_text(d, "slug", ds->slug);
	set_text_lang(pc, li, d, "title", json_object_get(ds->dp, "title"), &fallback);
	set_text_lang(pc, li, d, "summary", json_object_get(ds->dp, "description"), &fallback);

	/* README.en.md serves the second language when it exists; else the
	 * README is shown marked as in the primary language. */
	src = ds->readme;
	src_len = ds->readme_len;
	if (li > 0 && ds->readme_en) {
		src = ds->readme_en;
		src_len = ds->readme_en_len;
	} else if (li > 0 && src) {
		render_set_text(d, "readme_lang", cat->lang[0]);
		fallback = 1;
	}
	if (src) {
		char *html;
		if (li > 0) {
			buf_printf(&prefix, "%sdatasets/", buf_cstr(&root));
			escape_url_segment(&prefix, ds->slug, strlen(ds->slug));
			buf_putc(&prefix, '/');
		}
		html = markdown_render(src, src_len, buf_cstr(&prefix));
		render_set_text(d, "readme_html", html);
		free(html);
	}
	json_object_set_new(d, "publisher", publisher_model(pc, ds, lang));
	if (ds->contact) {
		json_t *c = json_object();
		render_set_text(c, "name", catalog_text(cat, json_object_get(ds->contact, "name"), lang));
		render_set_text(c, "email", json_string_value(json_object_get(ds->contact, "email")));
		json_object_set_new(d, "contact", c);
	}
	render_set_text(lic, "id", ds->license_id);
	{
		const char *t = ds->license ? catalog_text(cat, json_object_get(ds->license, "title"), lang) : NULL;
		const char *u = ds->license ? json_string_value(json_object_get(ds->license, "path")) : NULL;
		render_set_text(lic, "title", catalog_license_title(ds->license_id, lang) ? catalog_license_title(ds->license_id, lang) : t);
		render_set_text(lic, "url", catalog_license_url(ds->license_id) ? catalog_license_url(ds->license_id) : u);
	}
	json_object_set_new(d, "license", lic);
	json_object_set_new(d, "keywords", string_array(catalog_keywords(ds->dp, lang)));
	json_object_set_new(d, "has_keywords",
			    json_boolean(json_array_size(json_object_get(d, "keywords")) > 0));
	v = json_object_get(ds->dp, "keywords");
	if (json_is_object(v) && !json_is_array(json_object_get(v, lang)) && json_object_size(v)) {
		/* A language map without this language: catalog_keywords gave another. */
		const char *k;
		json_t *x;
		json_object_foreach(v, k, x)
			if (json_is_array(x) && x == catalog_keywords(ds->dp, lang) && is_lang_tag(k)) {
				render_set_text(d, "keywords_lang", k);
				fallback = 1;
				break;
			}
	}
	json_object_set_new(d, "themes", themes_model(pc, ds, li));
	json_object_set_new(d, "has_themes",
			    json_boolean(json_array_size(json_object_get(d, "themes")) > 0));
	render_set_text(d, "category", catalog_text(cat, json_object_get(ds->dp, "category"), lang));
	v = json_object_get(ds->dp, "spatial");
	render_set_text(d, "spatial", json_is_object(v) && json_object_get(v, "name")
				       ? catalog_text(cat, json_object_get(v, "name"), lang)
				       : catalog_text(cat, v, lang));
	v = json_object_get(ds->dp, "accrualPeriodicity");
	{
		const char *a = json_string_value(v);
		odc_buf key = ODC_BUF_INIT;
		const char *label;
		if (a) {
			buf_printf(&key, "freq_%s", a);
			label = json_string_value(json_object_get(pc->theme->strings[li], key.ptr));
			render_set_text(d, "accrual", label ? label : a);
		}
		buf_free(&key);
	}
	render_set_text(d, "issued", json_string_value(json_object_get(ds->dp, "issued")));
	render_set_text(d, "modified", json_string_value(json_object_get(ds->dp, "modified")));
	render_set_text(d, "version", json_string_value(json_object_get(ds->dp, "version")));
	if (ds->history) /* the change history (history.c) */
		json_object_set(d, "history", ds->history);
	render_set_text(d, "conforms_to", json_string_value(json_object_get(ds->dp, "conformsTo")));
	v = json_object_get(ds->dp, "temporal");
	if (json_is_object(v)) {
		json_t *t = json_object();
		render_set_text(t, "start", json_string_value(json_object_get(v, "start")));
		render_set_text(t, "end", json_string_value(json_object_get(v, "end")));
		json_object_set_new(d, "temporal", t);
	}
	{
		odc_buf p = ODC_BUF_INIT;
		buf_printf(&p, "datasets/%s/datapackage.json", ds->slug);
		render_set_own(d, "datapackage_href", href(buf_cstr(&root), p.ptr));
		buf_free(&p);
	}
	for (i = 0; i < ds->nres; i++) {
		json_t *ro = resource_model(pc, ds, &ds->res[i], buf_cstr(&root), lang);
		if (json_object_get(ds->res[i].json, "title"))
			set_text_lang(pc, li, ro, "title", json_object_get(ds->res[i].json, "title"), &fallback);
		resource_page_model(pc, li, ds, &ds->res[i], i, buf_cstr(&root), ro, &fallback);
		json_array_append_new(res, ro);
	}
	json_object_set_new(d, "resources", res);
	json_object_set_new(d, "status", status_model(pc, ds, li));
	render_set_own(d, "cite", citation(pc, ds, li, json_string_value(json_object_get(json_object_get(d, "publisher"), "name")),
				    json_string_value(json_object_get(d, "title"))));
	json_object_set_new(d, "fallback", json_boolean(fallback));
	render_set_own(d, "jsonld_html", dataset_jsonld(pc, ds, li, buf_cstr(&root)));
	json_object_set_new(d, "mqa", mqa_model(pc, ds, li));
	json_object_set_new(m, "dataset", d);

	rc = render_template(pc, "dataset", m, out, err);
	json_decref(m);
	buf_free(&base);
	buf_free(&path);
	buf_free(&root);
	buf_free(&prefix);
	return rc;
}

/*====================================================================
 * For the site-level pages (pages.c)
 *====================================================================*/

json_t *render_page_model(const odc_page_ctx *pc, int li, const char *base, const char *title,
			  const char *kind, const char *root_override)
{
	return common_model_at(pc, li, base, title, kind, root_override);
}

char *render_href(const char *root, const char *path)
{
	return href(root, path);
}

void render_root_of(const char *path, odc_buf *out)
{
	root_of(path, out);
}

int render_page(const odc_page_ctx *pc, const char *name, json_t *model, odc_buf *out, odc_buf *err)
{
	return render_template(pc, name, model, out, err);
}

int render_theme_file(const odc_theme *t, const char *relpath, odc_buf *out)
{
	odc_buf p = ODC_BUF_INIT;
	int rc;
	buf_printf(&p, "%s/%s", t->dir, relpath);
	rc = read_small_file(p.ptr, out);
	if (rc == ODC_ENOTFOUND && t->fallback) {
		buf_clear(&p);
		buf_printf(&p, "%s/%s", t->fallback, relpath);
		rc = read_small_file(p.ptr, out);
	}
	buf_free(&p);
	return rc;
}

int render_kind_page(const odc_page_ctx *pc, const char *name, const char *base, const char *title,
		const char *key, json_t *content, int li, odc_buf *out, odc_buf *err)
{
	json_t *m = common_model(pc, li, base, title, name);
	int rc;
	json_object_set(m, key, content);
	rc = render_template(pc, name, m, out, err);
	json_decref(m);
	return rc;
}
