/*
 * build.c — the build pipeline (see build.h).
 *
 * A build runs in three phases over the sorted dataset slugs:
 *
 *   A  (parallel) each dataset is looked up in the cache; a hit is
 *      restored from its record, a miss is read and validated;
 *   B  (parallel) each published dataset's files and pages go into the
 *      staging folder: linked from the cache on a hit, written and
 *      rendered (and stored in the cache) on a miss. Pages need the
 *      number of published datasets, known only after phase A;
 *   C  (in slug order, one thread) diagnostics, the report, and the
 *      catalogue-wide outputs (list pages, data.json, DCAT-AP, feeds,
 *      CKAN, MQA tally) from every dataset's model, restored or loaded.
 *
 * Everything a dataset contributes is kept in its ds_job, so phase C sees
 * the same inputs in the same order whatever the number of threads and
 * whether the cache was used: the output is byte-identical.
 */
#include "build.h"

#include <limits.h>
#include <pthread.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cache.h"
#include "catalog.h"
#include "check.h"
#include "ckan.h"
#include "dcat.h"
#include "dcatap.h"
#include "derived.h"
#include "diag.h"
#include "digest.h"
#include "escape.h"
#include "feeds.h"
#include "history.h"
#include "mqa.h"
#include "odc.h"
#include "out.h"
#include "pages.h"
#include "markdown.h"
#include "render.h"
#include "repo.h"
#include "search.h"
#include "stats.h"

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
	{
		/* issued and modified that history.c filled in are not committed keys. */
		json_t *committed = json_loadb(ds->dp_raw, ds->dp_raw_len, 0, NULL);
		if (!json_object_get(committed, "issued"))
			json_object_del(dp, "issued");
		if (!json_object_get(committed, "modified"))
			json_object_del(dp, "modified");
		json_decref(committed);
	}
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


/* One dataset's build: its model, diagnostics and the site files it wrote. */
typedef struct ds_job {
	const char *slug; /* borrowed from the slug list */
	odc_dataset ds;
	odc_diags diags;  /* this dataset's diagnostics, merged in slug order */
	int ok;           /* published */
	int hit;          /* restored from the cache: not read, not validated */
	json_t *rec;      /* the cache entry's record while hit */
	odc_buf err;      /* why its files could not be written */
	char **files;     /* site-relative paths it wrote (for the cache) */
	size_t nfiles, capfiles;
	odc_pub pub;      /* how it is published: last known good (history.c) */
	json_t *st;       /* with --report: the checked revision's facts */
	int written;      /* its files and pages are written (job_files) */
	json_t *frags;    /* its parts of the catalogue-wide outputs (fragments) */
} ds_job;

typedef struct build_ctx {
	const odc_build_opts *opt;
	odc_history *hist;     /* dates, last known good (thread-safe calls) */
	int report;            /* --report: keep each job's checked facts */
	odc_catalog *cat;
	odc_out *out;
	odc_page_ctx *pc;
	int nlang;
	odc_search *search;    /* for its fragments (search.c) */
	odc_cache cache;
	int use_cache;
	char *key_common;      /* version, base URL, odcat.json, theme */
	int count_in_pages;    /* dataset pages show site.dataset_count */
	odc_dcatap *plan;      /* DCAT-AP's shared nodes, for the dataset files (dcatap.h) */
	const char *today;
	int plan_thread;       /* the plan is made in its own thread (plan_main) */
	int plan_ready;        /* ... and is done, under plan_mu */
	pthread_t plan_t;
	pthread_mutex_t plan_mu;
	pthread_cond_t plan_cv;
	ds_job *jobs;
	size_t njobs;
	size_t next;           /* next job to take, under lock */
	size_t loaded;         /* datasets read and validated, under lock */
	int early;             /* 0 not known yet; 1 dataset pages do not show the
				* dataset count: a dataset's files and pages are
				* written as soon as it is read; 2 in phase B */
	pthread_mutex_t lock;
} build_ctx;

static void job_add_file(ds_job *j, const char *rel)
{
	if (j->nfiles == j->capfiles) {
		j->capfiles = j->capfiles ? j->capfiles * 2 : 8;
		j->files = xrealloc(j->files, j->capfiles * sizeof(*j->files));
	}
	j->files[j->nfiles++] = xstrdup(rel);
}

/* derived_build's report of a file it wrote (for the cache). */
static void job_wrote(void *payload, const char *rel)
{
	job_add_file(payload, rel);
}

static void job_clear_files(ds_job *j)
{
	size_t i;
	for (i = 0; i < j->nfiles; i++)
		free(j->files[i]);
	j->nfiles = 0;
}

/* Writes the committed files of ds, the records of each valid CSV as
 * <path>.json, and its descriptor under datasets/<slug>/. */
static int write_dataset_files(odc_out *o, odc_repo *r, const odc_catalog *cat, ds_job *j,
			       odc_buf *err)
{
	odc_dataset *ds = &j->ds;
	odc_buf p = ODC_BUF_INIT;
	size_t i;
	int rc = 0;
	char *norm = normalised_descriptor(cat, ds);

	buf_printf(&p, "datasets/%s/datapackage.json", ds->slug);
	if (out_write(o, p.ptr, norm ? norm : ds->dp_raw, norm ? strlen(norm) : ds->dp_raw_len) < 0) {
		buf_printf(err, "cannot write %s", p.ptr);
		rc = ODC_EIO;
	} else {
		job_add_file(j, p.ptr);
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
		if (res->has_kept) {
			/* Read once while loading (dataset_load_staged). */
			if (out_write(o, p.ptr, res->kept.data, res->kept.len) < 0) {
				buf_printf(err, "cannot write %s", p.ptr);
				rc = ODC_EIO;
			} else {
				job_add_file(j, p.ptr);
			}
		} else if (repo_read(r, src.ptr, ODC_MAX_RESOURCE_BYTES, &b) < 0) {
			buf_printf(err, "cannot read %s again", src.ptr);
			rc = ODC_EIO;
		} else {
			if (out_write(o, p.ptr, b.data, b.len) < 0) {
				buf_printf(err, "cannot write %s", p.ptr);
				rc = ODC_EIO;
			} else {
				job_add_file(j, p.ptr);
			}
			/* A small CSV's bytes serve its copies too (derived.c). */
			if (res->is_csv && b.len <= ODC_KEEP_BLOB_BYTES) {
				res->kept = b;
				res->has_kept = 1;
			} else {
				repo_blob_free(&b);
			}
		}
		if (rc == 0 && res->is_csv && res->validated) {
			/* out.c writes whole buffers only: the JSON is streamed into
			 * the staging folder's file directly (the CSV's folder exists),
			 * or was written by the validating pass (dataset_load_staged)
			 * and is moved there. */
			buf_puts(&p, ".json");
			if (out_claim(o, p.ptr, &src) < 0 ||
			    (dataset_place_json(ds, i, src.ptr) < 0 &&
			     dataset_resource_json(r, ds, i, src.ptr, NULL) < 0)) {
				buf_printf(err, "cannot write %s", p.ptr);
				rc = ODC_EIO;
			} else {
				res->has_json = 1;
				job_add_file(j, p.ptr);
			}
		}
		buf_free(&src);
	}
	buf_free(&p);
	return rc;
}

static int write_page(odc_out *o, const odc_catalog *cat, int li, const char *base, odc_buf *html,
		      ds_job *j, odc_buf *err)
{
	odc_buf p = ODC_BUF_INIT;
	int rc;
	render_page_path(cat, li, base, &p);
	rc = out_write(o, p.ptr, html->ptr ? html->ptr : "", html->len);
	if (rc < 0)
		buf_printf(err, "cannot write %s", p.ptr);
	else if (j)
		job_add_file(j, p.ptr);
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
	int rc = write_page(s->out, s->cat, li, base, (odc_buf *)html, NULL, err);
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
		      const odc_theme *theme, json_t *summaries[2], json_t *cards[2], odc_out *out,
		      odc_feeds *feeds, void (*before_static)(void *), void *arg, odc_buf *err)
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
	in.cards[0] = cards[0];
	in.cards[1] = cards[1];
	in.has_file = mqa_site_has_file;
	in.has_file_arg = (void *)mqa_site_dir();
	in.before_static = before_static;
	in.before_static_arg = arg;
	rc = page_texts(cat, r, &in, blobs, err);
	if (rc == 0)
		rc = pages_write(pc, &in, sink_page, &sink, err);
	for (i = 0; i < ODC_PAGE_TEXTS * 2; i++)
		repo_blob_free(&blobs[i]);
	return rc;
}

/*====================================================================
 * The cache key
 *====================================================================*/

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Whether a template other than the list pages' mentions dataset_count:
 * then every dataset page depends on the number of published datasets. */
static int theme_count_in_pages(const char *dir)
{
	odc_buf p = ODC_BUF_INIT;
	DIR *d;
	struct dirent *de;
	int found = 0;

	if (!dir)
		return 0;
	buf_printf(&p, "%s/templates", dir);
	d = opendir(p.ptr);
	while (d && !found && (de = readdir(d))) {
		odc_buf f = ODC_BUF_INIT, text = ODC_BUF_INIT;
		if (de->d_name[0] == '.' || !strcmp(de->d_name, "home.mustache") ||
		    !strcmp(de->d_name, "datasets.mustache"))
			continue;
		buf_printf(&f, "%s/%s", p.ptr, de->d_name);
		buf_read_file(&text, f.ptr);
		found = text.ptr && strstr(text.ptr, "dataset_count") != NULL;
		buf_free(&f);
		buf_free(&text);
	}
	if (d)
		closedir(d);
	buf_free(&p);
	return found;
}

/* What every dataset's key shares: the odcat version, the base URL,
 * odcat.json's blob id and the theme's content (its own files and the
 * default theme's it falls back on). NULL when the revision has no ids. */
static char *key_common(odc_repo *r, const odc_catalog *cat, const odc_theme *theme)
{
	odc_buf k = ODC_BUF_INIT, t = ODC_BUF_INIT;
	const char *version = getenv("ODCAT_VERSION_OVERRIDE");
	char id[41], hex[65];

	if (repo_entry_id(r, "odcat.json", id) < 0)
		return NULL;
	/* ODCAT_VERSION_OVERRIDE stands in for another odcat version in the
	 * key only (the tests' way to see a version change invalidate it). */
	buf_printf(&k, "odcat-cache-key 1\nversion %s\nbase-url %s\nodcat.json %s\n",
		   version && *version ? version : ODCAT_VERSION, cat->base_url ? cat->base_url : "",
		   id);
	buf_puts(&t, "theme\n");
	cache_hash_dir(theme->dir, &t);
	if (theme->fallback) {
		buf_puts(&t, "fallback\n");
		cache_hash_dir(theme->fallback, &t);
	}
	digest_sha256_hex(t.ptr, t.len, hex);
	buf_printf(&k, "theme %s\n", hex);
	buf_free(&t);
	return buf_detach(&k);
}

/* The datasets whose CSVs ds's foreign keys reference (reference.package
 * other than itself), sorted and unique, as a JSON array. Schemas given by
 * path are read from the dataset's folder. */
static json_t *fk_packages(odc_repo *r, const odc_dataset *ds)
{
	json_t *out = json_array(), *rj, *fk;
	size_t i, k;

	json_array_foreach(json_object_get(ds->dp, "resources"), i, rj) {
		json_t *sj = json_object_get(rj, "schema"), *owned = NULL;
		if (json_is_string(sj)) {
			odc_buf p = ODC_BUF_INIT;
			odc_blob b;
			buf_printf(&p, "%s/%s", ds->dir, json_string_value(sj));
			if (repo_path_is_safe(p.ptr) && repo_read(r, p.ptr, ODC_MAX_JSON_BYTES, &b) == 0) {
				owned = sj = json_loadb(b.data, b.len, 0, NULL);
				repo_blob_free(&b);
			}
			buf_free(&p);
		}
		json_array_foreach(json_object_get(sj, "foreignKeys"), k, fk) {
			const char *pkg = json_string_value(json_object_get(json_object_get(fk, "reference"), "package"));
			if (pkg && *pkg && strcmp(pkg, ds->slug) != 0)
				json_array_append_new(out, json_string(pkg));
		}
		json_decref(owned);
	}
	/* sorted and unique */
	{
		size_t m = json_array_size(out), w = 0;
		char **v = xcalloc(m ? m : 1, sizeof(*v));
		json_t *res = json_array();
		for (k = 0; k < m; k++)
			v[k] = xstrdup(json_string_value(json_array_get(out, k)));
		qsort(v, m, sizeof(*v), cmp_str);
		for (k = 0; k < m; k++) {
			if (!w || strcmp(v[k], v[w - 1]) != 0) {
				v[w++] = v[k];
				json_array_append_new(res, json_string(v[k]));
			} else {
				free(v[k]);
			}
		}
		for (k = 0; k < w; k++)
			free(v[k]);
		free(v);
		json_decref(out);
		out = res;
	}
	return out;
}

/* The full key of slug with the datasets it references (a JSON array of
 * slugs): the common part, its tree id and theirs. NULL without ids.
 * Anything else a dataset's pages or record come to depend on (dates or a
 * change list taken from the history, say) must be added here, or a
 * cached page would keep showing the old value. */
static char *key_of(build_ctx *b, odc_repo *r, const char *slug, const json_t *refs)
{
	odc_buf k = ODC_BUF_INIT, p = ODC_BUF_INIT;
	char id[41];
	json_t *x;
	size_t i;

	buf_printf(&p, "datasets/%s", slug);
	if (repo_entry_id(r, p.ptr, id) < 0) {
		buf_free(&p);
		return NULL;
	}
	buf_puts(&k, b->key_common);
	buf_printf(&k, "dataset %s %s\n", slug, id);
	/* Its pages show its change history and dates. */
	buf_printf(&k, "history %s\n", history_newest(b->hist, slug));
	json_array_foreach(refs, i, x) {
		const char *o = json_string_value(x);
		buf_clear(&p);
		if (!o || !catalog_slug_is_valid(o)) {
			buf_free(&p);
			buf_free(&k);
			return NULL;
		}
		buf_printf(&p, "datasets/%s", o);
		if (repo_entry_id(r, p.ptr, id) < 0)
			strcpy(id, "-");
		buf_printf(&k, "references %s %s\n", o, id);
	}
	buf_free(&p);
	return buf_detach(&k);
}

/*====================================================================
 * Fragments
 *
 * A catalogue-wide writer (data.json, DCAT-AP, CKAN, search, feeds,
 * pages) may split its per-dataset work out as a fragment: a JSON value
 * made in phase B, in parallel, from the dataset alone, and kept in the
 * dataset's cache record, so that phase C only assembles fragments and a
 * cache hit costs the writer nothing. Each writer owns one key of the
 * object below. A fragment may depend only on what the cache key covers
 * (the dataset's tree, the trees its foreign keys reference, odcat.json,
 * the theme, the odcat version, the base URL) and on the history dates
 * (a dataset whose tree is unchanged keeps them): never on "today" or on
 * the number of datasets. A writer given no fragment (NULL) works from
 * the dataset model as before.
 *====================================================================*/

static json_t *dataset_fragments(build_ctx *b, ds_job *j)
{
	json_t *f = json_object(), *x;
	/* data.json, DCAT-AP and CKAN: the dataset's part; DCAT-AP and CKAN
	 * also write the dataset's own files here (dataset.ttl/.jsonld,
	 * package_show), kept in the cache. (The CSV list and sitemap rows
	 * cost less to make in phase C than to read back from the record.) */
	if ((x = dcat_us_fragment(b->cat, &j->ds)))
		json_object_set_new(f, "datajson", x);
	if (!j->err.len && (x = dcatap_fragment(b->plan, b->cat, &j->ds, b->out, job_wrote, j, &j->err)))
		json_object_set_new(f, "dcatap", x);
	if (!j->err.len && (x = ckan_fragment(b->cat, &j->ds, b->out, job_wrote, j, &j->err)))
		json_object_set_new(f, "ckan", x);
	/* search: the dataset's terms and result record (search.c). */
	if ((x = search_fragment(b->search, b->cat, &j->ds)))
		json_object_set_new(f, "search", x);
	/* card: per language, its list-page card rendered ahead (render.c). */
	{
		json_t *cards = json_array();
		int li;
		for (li = 0; li < b->nlang && cards; li++) {
			json_t *sum = render_dataset_summary(b->pc, &j->ds, li);
			if ((x = render_dataset_card(b->pc, sum, li))) {
				json_array_append_new(cards, x);
			} else {
				json_decref(cards);
				cards = NULL;
			}
			json_decref(sum);
		}
		if (cards)
			json_object_set_new(f, "card", cards);
	}
	return f;
}

/*====================================================================
 * The phases
 *====================================================================*/

/* A published dataset's files and pages into the staging folder (once). */
static void job_files(build_ctx *b, ds_job *j, odc_repo *r)
{
	odc_buf html = ODC_BUF_INIT, base = ODC_BUF_INIT;
	int li;

	j->written = 1;
	if (write_dataset_files(b->out, j->pub.repo ? j->pub.repo : r, b->cat, j, &j->err) < 0 ||
	    derived_build(b->out, j->pub.repo ? j->pub.repo : r, &j->ds, &j->diags, job_wrote, j, &j->err) < 0)
		goto done;
	buf_printf(&base, "datasets/%s/index.html", j->slug);
	for (li = 0; li < b->nlang && !j->err.len; li++) {
		buf_clear(&html);
		if (render_dataset_page(b->pc, &j->ds, li, &html, &j->err) == 0)
			write_page(b->out, b->cat, li, base.ptr, &html, j, &j->err);
	}
done:
	derived_release(&j->ds);
	buf_free(&html);
	buf_free(&base);
}

/* Phase A: the dataset from the cache (unless no_hit), or read and validated. */
static void job_read(build_ctx *b, ds_job *j, odc_repo *r, int no_hit)
{
	if (b->use_cache && !no_hit) {
		json_t *rec = cache_get(&b->cache, j->slug);
		json_t *refs = json_object_get(rec, "references");
		char *key = rec && json_is_array(refs) ? key_of(b, r, j->slug, refs) : NULL;
		const char *want = json_string_value(json_object_get(rec, "key"));
		if (key && want && !strcmp(key, want) &&
		    dataset_restore(&j->ds, b->cat, json_object_get(rec, "dataset")) == 0) {
			if (diag_restore(&j->diags, json_object_get(rec, "diagnostics")) == 0 &&
			    j->diags.errors == 0 && !strcmp(j->ds.slug, j->slug)) {
				j->hit = 1;
				j->ok = 1;
				j->rec = rec;
				j->frags = json_incref(json_object_get(rec, "fragments"));
				if (!json_is_object(j->frags)) {
					json_decref(j->frags);
					j->frags = json_object();
				}
				/* Only "files", "count" and "entry" are read again (phase B):
				 * the rest goes now, and the next records reuse its
				 * memory instead of new pages. */
				json_object_del(rec, "dataset");
				json_object_del(rec, "diagnostics");
				json_object_del(rec, "fragments");
				json_object_del(rec, "key");
				json_object_del(rec, "references");
				history_restored(b->hist, &j->ds, &j->pub);
				free(key);
				return;
			}
			dataset_free(&j->ds);
			diag_free(&j->diags);
		}
		free(key);
		json_decref(rec);
	}
	/* The typed JSON of each valid CSV comes from the validating pass. */
	j->ok = dataset_load_staged(&j->ds, b->cat, r, j->slug, b->out->stage, &j->diags) == 0;
	if (b->report && !j->st)
		j->st = check_dataset_json(j->slug, &j->ds, j->ok);
	/* Last known good, dates and change history (history.c). */
	history_pub_free(&j->pub);
	j->ok = history_resolve(b->hist, r, b->cat, j->slug, &j->ds, j->ok, &j->pub, &j->diags);
	pthread_mutex_lock(&b->lock);
	b->loaded++;
	if (!b->early) {
		int counted = theme_count_in_pages(b->pc->theme->dir) ||
			      theme_count_in_pages(b->pc->theme->fallback);
		b->early = counted ? 2 : 1;
	}
	pthread_mutex_unlock(&b->lock);
	/* While the bytes of its CSVs are at hand: the dataset's files, and
	 * its pages unless they show the number of datasets (known after
	 * phase A). Otherwise what waits for phase B is kept small. */
	if (j->ok && (b->early == 1 || no_hit))
		job_files(b, j, r);
	else
		dataset_stage_later(&j->ds);
}

static void job_load(build_ctx *b, ds_job *j, odc_repo *r)
{
	job_read(b, j, r, 0);
}

/* Drops a cache hit that cannot be used after all and reads the dataset. */
static void job_unhit(build_ctx *b, ds_job *j, odc_repo *r)
{
	const char *rel;
	size_t at = 0, size;
	/* Files already linked in share their inode with the cache (and maybe
	 * the live site): unlink them, never write through them. */
	while (cache_file_next(j->rec, &at, &rel, &size) > 0) {
		odc_buf p = ODC_BUF_INIT;
		buf_printf(&p, "%s/%s", b->out->stage, rel);
		unlink(p.ptr);
		buf_free(&p);
	}
	job_clear_files(j);
	json_decref(j->rec);
	j->rec = NULL;
	json_decref(j->frags);
	j->frags = NULL;
	j->hit = 0;
	dataset_free(&j->ds);
	diag_free(&j->diags);
	job_read(b, j, r, 1);
	if (!j->ok)
		buf_printf(&j->err, "dataset %s was valid when cached but is not now", j->slug);
}

/* Phase B: the dataset's files and pages into the staging folder. */
/* DCAT-AP's plan: every published dataset's shared nodes in slug order,
 * which the dataset files phase B writes need (dcatap.h). Only a dataset
 * read in this build (not restored) needs it, so phase B's restores do
 * not wait for it: it is made in a thread beside them (plan_main), and
 * plan_wait comes before anything that reads the plan or changes a
 * dataset's model, which the plan reads. */
static void make_plan(build_ctx *b)
{
	odc_dcatap *plan = dcatap_new(b->cat, b->today);
	size_t i;
	dcatap_predict(plan);
	for (i = 0; i < b->njobs; i++)
		if (b->jobs[i].ok)
			dcatap_add(plan, b->cat, &b->jobs[i].ds, json_object_get(b->jobs[i].frags, "dcatap"), NULL);
	dcatap_seal(plan);
	b->plan = plan;
}

static void *plan_main(void *arg)
{
	build_ctx *b = arg;
	make_plan(b);
	pthread_mutex_lock(&b->plan_mu);
	b->plan_ready = 1;
	pthread_cond_broadcast(&b->plan_cv);
	pthread_mutex_unlock(&b->plan_mu);
	return NULL;
}

static void plan_wait(build_ctx *b)
{
	if (!b->plan_thread)
		return;
	pthread_mutex_lock(&b->plan_mu);
	while (!b->plan_ready)
		pthread_cond_wait(&b->plan_cv, &b->plan_mu);
	pthread_mutex_unlock(&b->plan_mu);
}

static void job_write(build_ctx *b, ds_job *j, odc_repo *r)
{
	if (!j->ok)
		return;
	if (j->hit && b->count_in_pages &&
	    json_integer_value(json_object_get(j->rec, "count")) != (json_int_t)b->pc->dataset_count) {
		plan_wait(b);
		job_unhit(b, j, r);
	}
	if (j->hit && cache_restore_files(&b->cache, j->slug, j->rec, b->out) < 0) {
		plan_wait(b);
		job_unhit(b, j, r);
	}
	if (j->hit || j->err.len)
		return;
	plan_wait(b);
	if (!j->written)
		job_files(b, j, r);
	if (!j->err.len)
		j->frags = dataset_fragments(b, j);
	if (b->use_cache && !j->err.len) {
		json_t *refs = fk_packages(r, &j->ds);
		char *key = key_of(b, r, j->slug, refs);
		if (key) {
			json_t *rec = json_object();
			json_object_set_new(rec, "key", json_string(key));
			json_object_set(rec, "references", refs);
			json_object_set_new(rec, "count", json_integer((json_int_t)b->pc->dataset_count));
			json_object_set_new(rec, "dataset", dataset_record(&j->ds));
			json_object_set_new(rec, "diagnostics", diag_record(&j->diags));
			json_object_set(rec, "fragments", j->frags);
			/* A failed cache write costs only the next build's time. The
			 * stage's files are now the entry's (out_group_note). */
			if (cache_put(&b->cache, j->slug, rec, b->out->stage, j->files, j->nfiles) == 0)
				out_group_note(b->out, j->slug, json_string_value(json_object_get(rec, "entry")),
					       j->files, j->nfiles);
			json_decref(rec);
			free(key);
		}
		json_decref(refs);
	}
}

typedef struct worker {
	build_ctx *b;
	odc_repo *r;
	void (*fn)(build_ctx *, ds_job *, odc_repo *);
	pthread_t t;
} worker;

static void *worker_main(void *arg)
{
	worker *w = arg;
	build_ctx *b = w->b;
	for (;;) {
		size_t i;
		pthread_mutex_lock(&b->lock);
		i = b->next++;
		pthread_mutex_unlock(&b->lock);
		if (i >= b->njobs)
			break;
		w->fn(b, &b->jobs[i], w->r);
	}
	return NULL;
}

/* Runs fn over every job with nw workers (worker 0 is this thread). */
static void run_phase(build_ctx *b, worker *w, int nw, void (*fn)(build_ctx *, ds_job *, odc_repo *))
{
	int i, started = 1;
	b->next = 0;
	for (i = 0; i < nw; i++) {
		w[i].b = b;
		w[i].fn = fn;
	}
	for (i = 1; i < nw; i++) {
		if (pthread_create(&w[i].t, NULL, worker_main, &w[i]) != 0)
			break; /* the threads that did start, and this one, do the work */
		started++;
	}
	worker_main(&w[0]);
	for (i = 1; i < started; i++)
		pthread_join(w[i].t, NULL);
}

/* The cache folder: --cache, or .odcat-cache beside the output folder. */
static char *cache_dir(const odc_build_opts *opt, const char *final)
{
	const char *slash;
	if (opt->cache)
		return xstrdup(opt->cache);
	slash = strrchr(final, '/');
	if (!slash)
		return xstrdup(".odcat-cache");
	{
		odc_buf p = ODC_BUF_INIT;
		buf_put(&p, final, (size_t)(slash - final));
		buf_puts(&p, "/.odcat-cache");
		return buf_detach(&p);
	}
}

/* Phase C's second thread: DCAT-AP and CKAN, from the published
 * datasets in slug order (the same ones the main thread
 * adds); then, once the main thread's dataset loop is done with the
 * models too, it frees them (free_models: the main thread takes what is
 * left when it gets there). */
typedef struct c_lane {
	build_ctx *b;
	odc_dcatap *ap;
	odc_ckan *ckan;
	const char *today;
	odc_buf err;
	odc_search *search; /* to write once free_go (the main thread's dataset
			     * loop built it), or NULL */
	odc_buf serr;       /* why it could not be */
	pthread_t t;
	int started;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	int written;      /* its files are written (or err says why not), under mu */
	int free_go;      /* the main thread is done with the models (its dataset
			   * loop: what it keeps of them holds references), under mu */
	size_t next_free; /* the next job whose model to free, under mu */
} c_lane;

static void lane_work(c_lane *l)
{
	build_ctx *b = l->b;
	size_t i;
	for (i = 0; i < b->njobs; i++) {
		ds_job *j = &b->jobs[i];
		if (!j->ok)
			continue;
		dcatap_add(l->ap, b->cat, &j->ds, json_object_get(j->frags, "dcatap"), b->out);
		ckan_add(l->ckan, b->cat, &j->ds, l->today, json_object_get(j->frags, "ckan"), b->out);
	}
	dcatap_write(l->ap, b->out, &l->err);
	if (!l->err.len)
		ckan_write(l->ckan, b->cat, b->out, &l->err);
}

/* Frees the models of the jobs not taken yet, a run of them at a time
 * (the accumulators keep what they need). */
/* Whether a build frees, one by one, the models, records and
 * accumulators that live until its end. The process exits right after
 * build_run, and the kernel takes its memory back at once; freeing a
 * 10,000-dataset catalogue's hundreds of thousands of objects cost a
 * tenth of a one-dataset rebuild (compilers skip it the same way, e.g.
 * clang's -disable-free). Sanitizer builds, which the tests run to find
 * leaks, and ODCAT_FREE_ALL=1 (for valgrind) free everything. Only
 * memory is left: files, locks and the stage are always released. */
static int free_all(void)
{
#if defined(__SANITIZE_ADDRESS__)
	return 1;
#else
	static int v = -1;
	if (v < 0) {
		const char *e = getenv("ODCAT_FREE_ALL");
		v = e && *e && strcmp(e, "0") != 0;
	}
	return v;
#endif
}

static void free_models(c_lane *l)
{
	build_ctx *b = l->b;
	if (!free_all())
		return;
	for (;;) {
		size_t i, from, to;
		pthread_mutex_lock(&l->mu);
		from = l->next_free;
		to = b->njobs - from > 64 ? from + 64 : b->njobs;
		if (from < to)
			l->next_free = to;
		pthread_mutex_unlock(&l->mu);
		if (from == to)
			break;
		for (i = from; i < to; i++) {
			ds_job *j = &b->jobs[i];
			dataset_free(&j->ds);
			json_decref(j->rec);
			j->rec = NULL;
			json_decref(j->frags);
			j->frags = NULL;
		}
	}
}

static void *lane_main(void *arg)
{
	c_lane *l = arg;
	lane_work(l);
	pthread_mutex_lock(&l->mu);
	l->written = 1;
	pthread_cond_broadcast(&l->cv);
	pthread_mutex_unlock(&l->mu);
	/* Its accumulators (nothing reads them after lane_work), while the
	 * main thread still needs the models. */
	if (free_all()) {
		dcatap_free(l->ap);
		ckan_free(l->ckan);
	}
	l->ap = NULL;
	pthread_mutex_lock(&l->mu);
	while (!l->free_go)
		pthread_cond_wait(&l->cv, &l->mu);
	pthread_mutex_unlock(&l->mu);
	if (l->search)
		search_write(l->search, l->b->out, &l->serr);
	free_models(l);
	return NULL;
}

/* Waits until the second thread's files are written (pages_write's
 * before_static: about/ lists them). */
static void lane_wait_written(void *arg)
{
	c_lane *l = arg;
	if (!l->started)
		return;
	pthread_mutex_lock(&l->mu);
	while (!l->written)
		pthread_cond_wait(&l->cv, &l->mu);
	pthread_mutex_unlock(&l->mu);
}

static double seconds(const struct timespec *a, const struct timespec *b)
{
	return (double)(b->tv_sec - a->tv_sec) + (double)(b->tv_nsec - a->tv_nsec) / 1e9;
}

/* ODCAT_TIMING=1: for each step on stderr (for make bench-build and
 * profiling; never part of the output) the wall-clock seconds and, less
 * disturbed by other processes, the CPU seconds of the whole process
 * (every thread) since the last step, and the resident memory after it. */
static void timing(const char *step)
{
	static struct timespec last, last_cpu;
	struct timespec now, cpu;
	if (!getenv("ODCAT_TIMING"))
		return;
	clock_gettime(CLOCK_MONOTONIC, &now);
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &cpu);
	if (*step) {
		long rss = 0;
		FILE *f = fopen("/proc/self/statm", "r");
		if (f) {
			if (fscanf(f, "%*s %ld", &rss) != 1)
				rss = 0;
			fclose(f);
		}
		fprintf(stderr, "odcat: timing %-24s %8.3f s %8.3f cpu %6ld MB\n", step, seconds(&last, &now),
			seconds(&last_cpu, &cpu), rss * 4096 / 1000000);
	}
	last = now;
	last_cpu = cpu;
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
	json_t *summaries[2] = {json_array(), json_array()};
	json_t *cards[2] = {json_array(), json_array()}; /* pieces per summary (pages.c) */
	odc_datajson datajson = ODC_DATAJSON_INIT;
	char today[11];
	int rc = ODC_EXIT_FATAL, li, nlang, printed = 0, nw = 0;
	json_t *report = opt->report ? json_array() : NULL;
	odc_page_ctx pc;
	odc_feeds feeds = ODC_FEEDS_INIT;
	odc_ckan ckan = ODC_CKAN_INIT;
	odc_dcatap *ap = NULL;
	odc_mqa_tally mqa = {{0, 0, 0, 0}, 0};
	odc_search *search = NULL;
	odc_history *hist = NULL;
	size_t held = 0;
	char *validity = NULL; /* the history's validity file in the cache folder */
	build_ctx b;
	worker *w = NULL;
	c_lane lane;

	memset(&cat, 0, sizeof(cat));
	memset(&theme, 0, sizeof(theme));
	memset(&out, 0, sizeof(out));
	memset(&b, 0, sizeof(b));
	memset(&lane, 0, sizeof(lane));
	pthread_mutex_init(&b.lock, NULL);
	pthread_mutex_init(&b.plan_mu, NULL);
	pthread_cond_init(&b.plan_cv, NULL);
	pthread_mutex_init(&lane.mu, NULL);
	pthread_cond_init(&lane.cv, NULL);

	timing("");
	if (repo_open(&r, opt->repo ? opt->repo : ".", opt->ref, opt->worktree, &msg, &hint) < 0) {
		fatal(msg.ptr, hint.ptr);
		goto done;
	}
	if (repo_is_shallow(r) && !opt->allow_shallow) {
		fatal("the repository is a shallow clone: dates from its history would be wrong "
		      "(every dataset \"issued\" at the oldest fetched commit)",
		      "fetch the full history (git fetch --unshallow, or fetch-depth: 0 in CI), "
		      "or pass --allow-shallow to build anyway");
		goto done;
	}
	if (repo_is_shallow(r))
		diag_add(&diags, ODC_SEV_WARNING, "odcat-shallow-clone", NULL, 0, 0,
			 "fetch the full history (git fetch --unshallow)",
			 "the repository is a shallow clone: issued and modified dates may be wrong");
	timing("setup: repository");
	if (history_load(&hist, r, opt->worktree, &msg) < 0) {
		fatal(msg.ptr, NULL);
		goto done;
	}
	if (opt->now) {
		if (!stats_parse_date(opt->now)) {
			fatal("--now must be a date YYYY-MM-DD", NULL);
			goto done;
		}
		snprintf(today, sizeof(today), "%s", opt->now);
	} else {
		history_date(repo_time(r), repo_time_offset(r), today);
	}
	timing("setup: history");
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
	mqa_set_site_out(&out);
	ap = dcatap_new(&cat, today);
	nlang = cat.lang[1] ? 2 : 1;

	timing("setup: catalogue, theme");
	slugs = catalog_list(r, &nslugs, &diags);
	timing("setup: list");
	search = search_new(&cat, theme.strings, &msg);
	timing("setup: search (MeCab)");
	if (msg.len) {
		diag_add(&diags, ODC_SEV_WARNING, "odcat-search-no-readings", NULL, 0, 0,
			 "install mecab-ipadic-utf8 (docs/search.md)", "%s: kana queries will not find kanji",
			 msg.ptr);
		diag_ja(&diags, "mecab-ipadic-utf8 をインストールしてください (docs/search.md)",
			"%s: かなで漢字を検索できません", msg.ptr);
		buf_clear(&msg);
	}
	pc.cat = &cat;
	pc.theme = &theme;
	pc.dataset_count = 0;
	pc.version = ODCAT_VERSION;

	b.opt = opt;
	b.hist = hist;
	b.report = report != NULL;
	b.cat = &cat;
	b.out = &out;
	b.pc = &pc;
	b.nlang = nlang;
	b.search = search;
	b.njobs = nslugs;
	b.jobs = xcalloc(nslugs ? nslugs : 1, sizeof(*b.jobs));
	for (i = 0; i < nslugs; i++)
		b.jobs[i].slug = slugs[i];

	/* Working-tree files have no git ids to key on: no cache there. */
	if (!opt->no_cache && !opt->worktree) {
		char *dir = cache_dir(opt, out.final);
		b.key_common = key_common(r, &cat, &theme);
		if (b.key_common && cache_open(&b.cache, dir, &msg) == 0) {
			b.use_cache = 1;
			validity = xstrdup(dir);
			validity = xrealloc(validity, strlen(validity) + sizeof("/history.json"));
			strcat(validity, "/history.json");
			history_validity_load(hist, validity);
			b.count_in_pages = theme_count_in_pages(theme.dir) ||
					   theme_count_in_pages(theme.fallback);
		} else if (b.key_common) {
			diag_add(&diags, ODC_SEV_WARNING, "odcat-no-cache", NULL, 0, 0,
				 "pass --cache DIR with a writable folder, or --no-cache", "%s", msg.ptr);
			buf_clear(&msg);
		}
		free(dir);
	}

	/* One libgit2 handle per worker thread; worker 0 is this thread. */
	nw = opt->jobs > 0 ? opt->jobs : 1;
	if ((size_t)nw > nslugs)
		nw = nslugs ? (int)nslugs : 1;
	w = xcalloc((size_t)nw, sizeof(*w));
	w[0].r = r;
	for (li = 1; li < nw; li++)
		if (repo_reopen(&w[li].r, r) < 0) {
			nw = li; /* fewer workers, same result */
			break;
		}

	timing("setup: cache key, workers");
	run_phase(&b, w, nw, job_load);
	timing("A: read or restore");
	for (i = 0; i < nslugs; i++) {
		if (b.jobs[i].ok)
			published++;
		else
			dropped++;
	}
	pc.dataset_count = published;
	/* Phase B, with DCAT-AP's plan made beside it (make_plan). */
	b.today = today;
	b.plan_thread = nw > 1 && pthread_create(&b.plan_t, NULL, plan_main, &b) == 0;
	if (!b.plan_thread)
		make_plan(&b);
	run_phase(&b, w, nw, job_write);
	if (b.plan_thread)
		pthread_join(b.plan_t, NULL);
	b.plan_thread = 0;
	dcatap_free(b.plan);
	b.plan = NULL;
	timing("B: dataset files");
	if (getenv("ODCAT_TIMING") && b.use_cache)
		fprintf(stderr, "odcat: timing B: %zu restored datasets' files kept without a look\n",
			out.groups_kept);

	/* Phase C: everything catalogue-wide, in slug order. First what
	 * decides what is written: the report, diagnostics, the first error. */
	for (i = 0; i < nslugs; i++) {
		ds_job *j = &b.jobs[i];
		if (report) {
			/* The checked revision's facts (for a held-back dataset: the
			 * failing one), then how it was published (history.c). */
			json_t *st = j->st ? json_incref(j->st) : check_dataset_json(j->slug, &j->ds, j->ok);
			history_report(st, j->ok, &j->pub);
			json_array_append_new(report, st);
		}
		if (j->pub.held)
			held++;
		diag_move(&diags, &j->diags);
		if (j->err.len && !err.len)
			buf_puts(&err, j->err.ptr);
	}
	/* DCAT-AP and CKAN in a second thread (lane_main), the rest here:
	 * both only read the datasets, and out_* is thread-safe. */
	lane.b = &b;
	lane.ap = ap;
	lane.ckan = &ckan;
	lane.today = today;
	lane.started = !err.len && nw > 1 && pthread_create(&lane.t, NULL, lane_main, &lane) == 0;
	if (!err.len && !lane.started)
		lane_work(&lane);
	for (i = 0; i < nslugs && !err.len; i++) {
		ds_job *j = &b.jobs[i];
		if (!j->ok)
			continue;
		history_note(hist, &cat, &j->ds, &j->pub);
		for (li = 0; li < nlang; li++) {
			json_t *card = json_array_get(json_object_get(j->frags, "card"), (size_t)li);
			json_array_append_new(summaries[li], render_dataset_summary(&pc, &j->ds, li));
			json_array_append(cards[li], card ? card : json_null());
		}
		dcat_us_add(&datajson, &cat, &j->ds, today, json_object_get(j->frags, "datajson"));
		feeds_add(&feeds, &cat, &j->ds, today);
		mqa_tally_add(&mqa, &cat, &j->ds);
		if (search_add_fragment(search, json_object_get(j->frags, "search")) < 0)
			search_add(search, &cat, &j->ds);
	}
	/* What this thread keeps of the models holds references (jansson's
	 * counts are atomic): the second thread may free them once done. */
	if (lane.started) {
		pthread_mutex_lock(&lane.mu);
		lane.free_go = 1;
		/* The index is complete: the second thread writes it. */
		lane.search = err.len ? NULL : search;
		pthread_cond_broadcast(&lane.cv);
		pthread_mutex_unlock(&lane.mu);
	}
	timing("C: dataset loop");
	if (!err.len) {
		char *text = dcat_us_text(&cat, &datajson);
		if (out_write(&out, "data.json", text, strlen(text)) < 0)
			buf_printf(&err, "cannot write data.json");
		free(text);
	}
	timing("C: data.json");
	if (!err.len)
		history_write(hist, &pc, &out, today, &diags, &err);
	timing("C: history pages");
	if (!err.len)
		stats_build_page(hist, &pc, &out, today, opt->access_logs, &err);
	timing("C: stats page");
	if (!err.len && !lane.started)
		search_write(search, &out, &err);
	timing("C: search");
	/* Site-level pages (pages.c): home, lists, facets, then (once the
	 * second thread's DCAT-AP and CKAN files, which about/ lists, are
	 * written) about, terms, 404; before the sitemap that lists them. */
	if (!err.len)
		site_pages(&pc, &cat, r, &theme, summaries, cards, &out, &feeds, lane_wait_written, &lane,
			   &err);
	lane_wait_written(&lane);
	if (lane.err.len && !err.len)
		buf_puts(&err, lane.err.ptr);
	timing("C: site pages");
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
	timing("C: feeds, assets");
	/* The accumulators keep what they need: the models can go (those
	 * the second thread has not freed yet), and the summaries. */
	for (li = 0; li < 2 && free_all(); li++) { /* the pages are written */
		json_decref(summaries[li]);
		json_decref(cards[li]);
		summaries[li] = cards[li] = NULL;
	}
	free_models(&lane);
	if (lane.started) {
		pthread_join(lane.t, NULL);
		lane.started = 0;
		ap = NULL; /* freed there */
		if (lane.serr.len && !err.len)
			buf_puts(&err, lane.serr.ptr);
	}
	timing("C: catalogue-wide");
	diag_print(&diags, stderr, ODC_FMT_TEXT, check_env_lang(), 3);
	printed = 1;
	if (report) {
		json_t *o = json_object();
		json_object_set_new(o, "valid", json_boolean(diags.errors == 0));
		json_object_set_new(o, "errors", json_integer((json_int_t)diags.errors));
		json_object_set_new(o, "warnings", json_integer((json_int_t)diags.warnings));
		json_object_set_new(o, "commit", json_string(repo_commit_id(r)));
		json_object_set(o, "datasets", report);
		if (history_pages(hist)) /* redirect and withdrawn pages (history.c) */
			json_object_update(o, history_pages(hist));
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
	timing("swap");
	if (getenv("ODCAT_TIMING"))
		fprintf(stderr, "odcat: timing swap: %zu folders read by the sweep\n", out.sweep_read);
	if (b.use_cache)
		cache_prune(&b.cache, slugs, nslugs);
	timing("cache prune");
	if (validity) /* which revisions passed, for the next build's stats page */
		history_validity_save(hist, validity);
	timing("validity save");
	if (!opt->quiet) {
		fprintf(stderr, "odcat: %zu dataset%s published, %zu not published, from %s%.12s, into %s/\n",
			published, published == 1 ? "" : "s", dropped,
			opt->worktree ? "the working tree" : "commit ",
			opt->worktree ? "" : repo_commit_id(r), out.final);
		mqa_tally_print(&mqa, stderr, check_env_lang());
	}
	if (!opt->quiet && b.use_cache)
		fprintf(stderr, "odcat: %zu dataset%s reused from the cache, %zu read and validated\n",
			nslugs - b.loaded, nslugs - b.loaded == 1 ? "" : "s", b.loaded);
	if (!opt->quiet && held)
		fprintf(stderr, "odcat: %zu dataset%s held back at an earlier revision (latest change failed)\n",
			held, held == 1 ? "" : "s");
	rc = (opt->strict && (dropped || held)) ? ODC_EXIT_DATA : ODC_EXIT_OK;
done:
	if (!printed)
		diag_print(&diags, stderr, ODC_FMT_TEXT, check_env_lang(), 3);
	if (!free_all())
		goto release; /* free_all() */
	for (i = 0; i < b.njobs; i++) {
		ds_job *j = &b.jobs[i];
		dataset_free(&j->ds);
		diag_free(&j->diags);
		history_pub_free(&j->pub);
		json_decref(j->st);
		json_decref(j->rec);
		json_decref(j->frags);
		buf_free(&j->err);
		job_clear_files(j);
		free(j->files);
	}
	free(b.jobs);
	buf_free(&lane.err);
	buf_free(&lane.serr);
	free(b.key_common);
	pthread_mutex_destroy(&b.lock);
	pthread_mutex_destroy(&b.plan_mu);
	pthread_cond_destroy(&b.plan_cv);
	pthread_mutex_destroy(&lane.mu);
	pthread_cond_destroy(&lane.cv);
	json_decref(report);
	json_decref(summaries[0]);
	json_decref(summaries[1]);
	json_decref(cards[0]);
	json_decref(cards[1]);
	dcat_us_free(&datajson);
	feeds_free(&feeds);
	ckan_free(&ckan);
	dcatap_free(ap);
	search_free(search);
	catalog_slugs_free(slugs, nslugs);
	history_free(hist);
	free(validity);
	theme_free(&theme);
	catalog_free(&cat);
	free(default_theme);
	diag_free(&diags);
	buf_free(&msg);
	buf_free(&hint);
	buf_free(&err);
release:
	for (li = 1; li < nw; li++)
		repo_free(w[li].r);
	free(w);
	cache_free(&b.cache);
	mqa_set_site_out(NULL);
	out_free(&out);
	repo_free(r);
	timing("frees");
	return rc;
}
