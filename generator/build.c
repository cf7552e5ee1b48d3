/*
 * build.c — the build pipeline (see build.h).
 */
#include "build.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "catalog.h"
#include "check.h"
#include "ckan.h"
#include "dcat.h"
#include "dcatap.h"
#include "diag.h"
#include "escape.h"
#include "feeds.h"
#include "mqa.h"
#include "odc.h"
#include "out.h"
#include "pages.h"
#include "markdown.h"
#include "render.h"
#include "repo.h"

char *build_default_theme(void)
{
	static const char *const rel[] = {"/../themes/default", "/../../themes/default",
					  "/../share/odcat/themes/default"};
	char exe[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	size_t i;

	if (n <= 0)
		return NULL;
	exe[n] = '\0';
	*strrchr(exe, '/') = '\0';
	for (i = 0; i < sizeof(rel) / sizeof(rel[0]); i++) {
		odc_buf p = ODC_BUF_INIT;
		struct stat st;
		buf_printf(&p, "%s%s", exe, rel[i]);
		if (stat(p.ptr, &st) == 0 && S_ISDIR(st.st_mode)) {
			char *real = realpath(p.ptr, NULL);
			buf_free(&p);
			return real;
		}
		buf_free(&p);
	}
	return NULL;
}

static void fatal(const char *msg, const char *hint)
{
	fprintf(stderr, "odcat: error: %s\n", msg);
	if (hint && *hint)
		fprintf(stderr, "  hint: %s\n", hint);
}

/* The published descriptor: with a base URL, the committed one with each
 * local resource's "path" made an absolute URL and "bytes" and "hash"
 * ("sha256:...") filled in; other keys as committed. Without a base URL,
 * NULL: the committed bytes are published. */
static char *normalised_descriptor(const odc_catalog *cat, const odc_dataset *ds)
{
	odc_buf base = ODC_BUF_INIT;
	json_t *dp, *resources;
	char *text = NULL;
	size_t i;

	dcat_base_url(cat, &base);
	if (!base.len || !json_is_object(ds->dp)) {
		buf_free(&base);
		return NULL;
	}
	dp = json_deep_copy(ds->dp);
	resources = json_object_get(dp, "resources");
	for (i = 0; i < ds->nres; i++) {
		const odc_resource *res = &ds->res[i];
		json_t *rj = json_array_get(resources, i);
		odc_buf u = ODC_BUF_INIT;
		char hash[80];
		if (!json_is_object(rj) || !res->path || res->is_url)
			continue;
		buf_printf(&u, "%sdatasets/", base.ptr);
		escape_url_segment(&u, ds->slug, strlen(ds->slug));
		buf_putc(&u, '/');
		escape_url_path(&u, res->path, strlen(res->path));
		json_object_set_new(rj, "path", json_string(u.ptr));
		json_object_set_new(rj, "bytes", json_integer((json_int_t)res->bytes));
		snprintf(hash, sizeof(hash), "sha256:%s", res->sha256);
		json_object_set_new(rj, "hash", json_string(hash));
		buf_free(&u);
	}
	text = json_dumps(dp, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	json_decref(dp);
	buf_free(&base);
	if (text) {
		size_t n = strlen(text);
		text = xrealloc(text, n + 2);
		text[n] = '\n';
		text[n + 1] = '\0';
	}
	return text;
}

/* Writes the committed files of ds, the records of each valid CSV as
 * <path>.json, and its descriptor under datasets/<slug>/. */
static int write_dataset_files(odc_out *o, odc_repo *r, const odc_catalog *cat, odc_dataset *ds,
			       odc_buf *err)
{
	odc_buf p = ODC_BUF_INIT;
	size_t i;
	int rc = 0;
	char *norm = normalised_descriptor(cat, ds);

	buf_printf(&p, "datasets/%s/datapackage.json", ds->slug);
	if (out_write(o, p.ptr, norm ? norm : ds->dp_raw, norm ? strlen(norm) : ds->dp_raw_len) < 0) {
		buf_printf(err, "cannot write %s", p.ptr);
		rc = ODC_EIO;
	}
	free(norm);
	for (i = 0; i < ds->nres && rc == 0; i++) {
		odc_resource *res = &ds->res[i];
		odc_buf src = ODC_BUF_INIT;
		odc_blob b;
		if (res->is_url)
			continue;
		buf_clear(&p);
		buf_printf(&p, "datasets/%s/%s", ds->slug, res->path);
		buf_printf(&src, "%s/%s", ds->dir, res->path);
		if (repo_read(r, src.ptr, ODC_MAX_RESOURCE_BYTES, &b) < 0) {
			buf_printf(err, "cannot read %s again", src.ptr);
			rc = ODC_EIO;
		} else {
			if (out_write(o, p.ptr, b.data, b.len) < 0) {
				buf_printf(err, "cannot write %s", p.ptr);
				rc = ODC_EIO;
			}
			repo_blob_free(&b);
		}
		if (rc == 0 && res->is_csv && res->validated) {
			/* out.c writes whole buffers only: the JSON is streamed into
			 * the staging folder's file directly (the CSV's folder exists). */
			buf_clear(&src);
			buf_printf(&src, "%s/%s.json", o->stage, p.ptr);
			if (dataset_resource_json(r, ds, i, src.ptr, NULL) < 0) {
				buf_printf(err, "cannot write %s.json", p.ptr);
				rc = ODC_EIO;
			} else {
				res->has_json = 1;
			}
		}
		buf_free(&src);
	}
	buf_free(&p);
	return rc;
}

static int write_page(odc_out *o, const odc_catalog *cat, int li, const char *base, odc_buf *html,
		      odc_buf *err)
{
	odc_buf p = ODC_BUF_INIT;
	int rc;
	render_page_path(cat, li, base, &p);
	rc = out_write(o, p.ptr, html->ptr ? html->ptr : "", html->len);
	if (rc < 0)
		buf_printf(err, "cannot write %s", p.ptr);
	buf_free(&p);
	return rc;
}

/*--------------------------------------------------------------------
 * Site-level pages (pages.c)
 *------------------------------------------------------------------*/

struct page_sink {
	odc_out *out;
	const odc_catalog *cat;
	odc_feeds *feeds;
};

/* Writes one page and names it in the sitemap (home and datasets/ are
 * there already; 404.html is not a page to find). */
static int sink_page(void *payload, int li, const char *base, const odc_buf *html, odc_buf *err)
{
	struct page_sink *s = payload;
	size_t n = strlen(base);
	int rc = write_page(s->out, s->cat, li, base, (odc_buf *)html, err);
	if (rc == 0 && li == 0 && n >= 10 && !strcmp(base + n - 10, "index.html") &&
	    strcmp(base, "index.html") && strcmp(base, "datasets/index.html")) {
		char *folder = xstrndup(base, n - 10);
		feeds_add_page(s->feeds, s->cat, folder);
		free(folder);
	}
	return rc;
}

/* The Markdown of the static pages that odcat.json names ("pages":
 * {"terms": {"ja": "docs/terms.md", "en": ...}} or one path for every
 * language), read from the revision; NULL entries fall back to the theme.
 * A named file that cannot be read is an error. */
static int page_texts(const odc_catalog *cat, odc_repo *r, odc_pages_in *in, odc_blob *blobs,
		      odc_buf *err)
{
	json_t *pages = json_object_get(cat->conf, "pages");
	int n, li;
	for (n = 0; n < ODC_PAGE_TEXTS; n++) {
		json_t *v = json_object_get(pages, pages_text_names[n]);
		for (li = 0; li < 2 && cat->lang[li]; li++) {
			const char *path = json_is_string(v) ? json_string_value(v)
							     : json_string_value(json_object_get(v, cat->lang[li]));
			odc_blob *b = &blobs[n * 2 + li];
			if (!path)
				continue;
			if (!*path || path[0] == '/' || strstr(path, "..") || strchr(path, '\\')) {
				buf_printf(err, "odcat.json: pages.%s: \"%s\" must be a path inside the repository",
					   pages_text_names[n], path);
				return ODC_EINVALID;
			}
			if (repo_read(r, path, ODC_MARKDOWN_MAX_BYTES, b) < 0) {
				buf_printf(err, "odcat.json: pages.%s names %s, which is not in the revision (or over 1 MB)",
					   pages_text_names[n], path);
				return ODC_ENOTFOUND;
			}
			in->text[n][li] = b->data ? (const char *)b->data : "";
			in->text_len[n][li] = b->len;
		}
	}
	return 0;
}

static int site_pages(const odc_page_ctx *pc, const odc_catalog *cat, odc_repo *r,
		      const odc_theme *theme, json_t *summaries[2], odc_out *out, odc_feeds *feeds,
		      odc_buf *err)
{
	odc_pages_in in;
	odc_blob blobs[ODC_PAGE_TEXTS * 2];
	struct page_sink sink = {out, cat, feeds};
	int rc, i;

	(void)theme;
	memset(&in, 0, sizeof(in));
	memset(blobs, 0, sizeof(blobs));
	in.summaries[0] = summaries[0];
	in.summaries[1] = summaries[1];
	in.has_file = mqa_site_has_file;
	in.has_file_arg = out->stage;
	rc = page_texts(cat, r, &in, blobs, err);
	if (rc == 0)
		rc = pages_write(pc, &in, sink_page, &sink, err);
	for (i = 0; i < ODC_PAGE_TEXTS * 2; i++)
		repo_blob_free(&blobs[i]);
	return rc;
}

int build_run(const odc_build_opts *opt)
{
	odc_buf msg = ODC_BUF_INIT, hint = ODC_BUF_INIT, err = ODC_BUF_INIT;
	odc_diags diags = ODC_DIAGS_INIT;
	odc_repo *r = NULL;
	odc_catalog cat;
	odc_theme theme;
	odc_out out;
	char *default_theme = build_default_theme();
	char **slugs = NULL;
	size_t nslugs = 0, i, published = 0, dropped = 0;
	json_t *summaries[2] = {json_array(), json_array()}, *dcat = json_array();
	char today[11];
	int rc = ODC_EXIT_FATAL, li, nlang, printed = 0;
	json_t *report = opt->report ? json_array() : NULL;
	odc_page_ctx pc;
	odc_feeds feeds = ODC_FEEDS_INIT;
	odc_ckan ckan = ODC_CKAN_INIT;
	odc_dcatap *ap = NULL;
	odc_mqa_tally mqa = {{0, 0, 0, 0}, 0};

	memset(&cat, 0, sizeof(cat));
	memset(&theme, 0, sizeof(theme));
	memset(&out, 0, sizeof(out));

	if (repo_open(&r, opt->repo ? opt->repo : ".", opt->ref, opt->worktree, &msg, &hint) < 0) {
		fatal(msg.ptr, hint.ptr);
		goto done;
	}
	if (repo_is_shallow(r))
		diag_add(&diags, ODC_SEV_WARNING, "odcat-shallow-clone", NULL, 0, 0,
			 "fetch the full history (git fetch --unshallow)",
			 "the repository is a shallow clone");
	if (catalog_load(&cat, r, &msg, &hint) < 0) {
		fatal(msg.ptr, hint.ptr);
		goto done;
	}
	if (opt->base_url)
		cat.base_url = opt->base_url;
	if (!*cat.base_url)
		diag_add(&diags, ODC_SEV_WARNING, "odcat-no-base-url", "odcat.json", 0, 0,
			 "set \"base_url\" in odcat.json or pass --base-url: harvesters need absolute URLs",
			 "no base URL: data.json uses URLs relative to the site root");
	if (!opt->theme && !default_theme) {
		fatal("the bundled theme (themes/default) was not found beside the odcat executable",
		      "pass --theme DIR");
		goto done;
	}
	if (theme_load(&theme, opt->theme ? opt->theme : default_theme, default_theme, &cat, &msg,
		       &hint) < 0) {
		fatal(msg.ptr, hint.ptr);
		goto done;
	}
	if (out_begin(&out, opt->out ? opt->out : "site", &msg) < 0) {
		fatal(msg.ptr, "check that the parent folder of --out exists and is writable");
		goto done;
	}
	mqa_set_site_dir(out.stage);
	dcat_date(repo_time(r), today);
	ap = dcatap_new(&cat, today);
	nlang = cat.lang[1] ? 2 : 1;

	slugs = catalog_list(r, &nslugs, &diags);
	pc.cat = &cat;
	pc.theme = &theme;
	pc.dataset_count = 0;
	pc.version = ODCAT_VERSION;

	/* Pages of one dataset show the catalogue's count; count first. */
	{
		odc_dataset *all = xcalloc(nslugs ? nslugs : 1, sizeof(*all));
		int *ok = xcalloc(nslugs ? nslugs : 1, sizeof(*ok));
		for (i = 0; i < nslugs; i++) {
			ok[i] = dataset_load(&all[i], &cat, r, slugs[i], NULL, &diags) == 0;
			if (report) {
				json_t *st = check_dataset_json(slugs[i], &all[i], ok[i]);
				json_object_set_new(st, "status", json_string(ok[i] ? "published" : "not published"));
				json_array_append_new(report, st);
			}
			if (ok[i])
				published++;
			else
				dropped++;
			/* Only what pages need is kept until all are counted. */
		}
		pc.dataset_count = published;
		for (i = 0; i < nslugs && !err.len; i++) {
			odc_buf html = ODC_BUF_INIT, base = ODC_BUF_INIT;
			if (ok[i]) {
				if (write_dataset_files(&out, r, &cat, &all[i], &err) == 0) {
					buf_printf(&base, "datasets/%s/index.html", all[i].slug);
					for (li = 0; li < nlang && !err.len; li++) {
						buf_clear(&html);
						if (render_dataset_page(&pc, &all[i], li, &html, &err) == 0)
							write_page(&out, &cat, li, base.ptr, &html, &err);
						json_array_append_new(summaries[li],
								      render_dataset_summary(&pc, &all[i], li));
					}
					json_array_append_new(dcat, dcat_us_dataset(&cat, &all[i], today));
					feeds_add(&feeds, &cat, &all[i], today);
					dcatap_add(ap, &cat, &all[i]);
					ckan_add(&ckan, &cat, &all[i], today);
					mqa_tally_add(&mqa, &cat, &all[i]);
				}
			}
			buf_free(&html);
			buf_free(&base);
		}
		for (i = 0; i < nslugs; i++)
			dataset_free(&all[i]);
		free(all);
		free(ok);
	}
	if (!err.len) {
		char *text = dcat_us_catalog(&cat, dcat);
		if (out_write(&out, "data.json", text, strlen(text)) < 0)
			buf_printf(&err, "cannot write data.json");
		free(text);
	}
	if (!err.len)
		dcatap_write(ap, &out, &err);
	if (!err.len)
		ckan_write(&ckan, &cat, &out, &err);
	/* Site-level pages (pages.c): home, lists, facets, about, terms, 404;
	 * after the files about/ lists, before the sitemap that lists them. */
	if (!err.len)
		site_pages(&pc, &cat, r, &theme, summaries, &out, &feeds, &err);
	if (!err.len)
		feeds_write(&feeds, &cat, &out, &err);
	if (!err.len) {
		odc_buf a = ODC_BUF_INIT;
		/* Default assets first, then the theme's own on top. */
		if (theme.fallback) {
			buf_printf(&a, "%s/assets", theme.fallback);
			out_copy_tree(&out, a.ptr, "assets");
			buf_clear(&a);
		}
		buf_printf(&a, "%s/assets", theme.dir);
		out_copy_tree(&out, a.ptr, "assets");
		buf_free(&a);
	}
	diag_print(&diags, stderr, ODC_FMT_TEXT, check_env_lang(), 3);
	printed = 1;
	if (report) {
		json_t *o = json_object();
		json_object_set_new(o, "valid", json_boolean(diags.errors == 0));
		json_object_set_new(o, "errors", json_integer((json_int_t)diags.errors));
		json_object_set_new(o, "warnings", json_integer((json_int_t)diags.warnings));
		json_object_set_new(o, "commit", json_string(repo_commit_id(r)));
		json_object_set(o, "datasets", report);
		json_object_set_new(o, "diagnostics", diag_to_json(&diags, check_env_lang()));
		if (json_dump_file(o, opt->report, JSON_INDENT(2)) < 0)
			buf_printf(&err, "cannot write the report %s", opt->report);
		json_decref(o);
	}
	if (err.len) {
		fatal(err.ptr, NULL);
		out_abort(&out);
		goto done;
	}
	if (out_commit(&out, &msg) < 0) {
		fatal(msg.ptr, NULL);
		goto done;
	}
	if (!opt->quiet)
		fprintf(stderr, "odcat: %zu dataset%s published, %zu not published, from %s%s%.12s, into %s/\n",
			published, published == 1 ? "" : "s", dropped,
			opt->worktree ? "the working tree" : "commit ", opt->worktree ? "" : "",
			opt->worktree ? "" : repo_commit_id(r), out.final);
	if (!opt->quiet)
		mqa_tally_print(&mqa, stderr, check_env_lang());
	rc = (opt->strict && dropped) ? ODC_EXIT_DATA : ODC_EXIT_OK;
done:
	if (!printed)
		diag_print(&diags, stderr, ODC_FMT_TEXT, check_env_lang(), 3);
	json_decref(report);
	json_decref(summaries[0]);
	json_decref(summaries[1]);
	json_decref(dcat);
	feeds_free(&feeds);
	ckan_free(&ckan);
	dcatap_free(ap);
	catalog_slugs_free(slugs, nslugs);
	out_free(&out);
	theme_free(&theme);
	catalog_free(&cat);
	repo_free(r);
	free(default_theme);
	diag_free(&diags);
	buf_free(&msg);
	buf_free(&hint);
	buf_free(&err);
	return rc;
}
