/*
 * stats.c — publishing KPIs (see stats.h).
 *
 * Month-by-month counts come from the first-parent chain of the published
 * revision: for month M the state of the catalogue is the tree of the
 * newest chain commit dated (in its own time zone) in M or before. Months
 * whose state commit is the previous month's reuse its counts, and every
 * (slug, tree id) is validated once (history_valid), so a long history of
 * a large catalogue costs one validation per distinct revision.
 *
 * Access logs: a download is a GET answered 200 for a file under
 * datasets/<slug>/ other than the dataset's pages and metadata
 * (index.html, the folder URL, datapackage.json, dataset.jsonld,
 * dataset.ttl). 206 (a part of a file, a resumed download would be counted
 * twice), 304 (the client's copy is still good), other statuses, HEAD and
 * other methods are not downloads. A request whose user agent contains
 * "bot", "crawl", "spider", "slurp", "archiver", "facebookexternalhit" or
 * "mediapartners" (any case) is a bot and counted apart.
 */
#include "stats.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <zlib.h>

#include "cli.h"
#include "dcat.h"
#include "escape.h"
#include "odc.h"

int stats_parse_date(const char *s)
{
	static const int days[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	int y, m, d, i;
	if (!s || strlen(s) != 10 || s[4] != '-' || s[7] != '-')
		return 0;
	for (i = 0; i < 10; i++)
		if (i != 4 && i != 7 && (s[i] < '0' || s[i] > '9'))
			return 0;
	y = atoi(s);
	m = atoi(s + 5);
	d = atoi(s + 8);
	if (m < 1 || m > 12 || d < 1 || d > days[m - 1])
		return 0;
	if (m == 2 && d == 29 && !((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
		return 0;
	return 1;
}

/* Days since 1970-01-01 of a YYYY-MM-DD date (civil calendar). */
static long day_number(const char *s)
{
	long y = atol(s), m = atol(s + 5), d = atol(s + 8), era, yoe, doy, doe;
	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

/* Days of an ISO 8601 repeating duration "R/P1Y", "R/P6M", "R/P2W",
 * "R/P1D"; 0 when it has no fixed period (irregular, continuous). */
static long period_days(const char *iso)
{
	long n;
	char unit, *end;
	if (!iso || strncmp(iso, "R/P", 3) != 0)
		return 0;
	n = strtol(iso + 3, &end, 10);
	if (end == iso + 3 || n <= 0 || !*end || end[1])
		return 0;
	unit = *end;
	switch (unit) {
	case 'Y': return n * 365;
	case 'M': return n * 31;
	case 'W': return n * 7;
	case 'D': return n;
	default: return 0;
	}
}

/*====================================================================
 * Access logs
 *====================================================================*/

static int is_bot(const char *ua)
{
	static const char *const words[] = {"bot", "crawl", "spider", "slurp", "archiver",
					    "facebookexternalhit", "mediapartners"};
	size_t i, n = strlen(ua), k;
	for (i = 0; i < sizeof(words) / sizeof(words[0]); i++) {
		size_t w = strlen(words[i]);
		for (k = 0; k + w <= n; k++)
			if (!strncasecmp(ua + k, words[i], w))
				return 1;
	}
	return 0;
}

static const char *const months_en[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
					"Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};

static void bump(json_t *o, const char *key)
{
	json_t *v = json_object_get(o, key);
	json_object_set_new(o, key, json_integer(v ? json_integer_value(v) + 1 : 1));
}

int stats_log_line(char *line, const char *base_path, json_t *res)
{
	char *t, *req, *q, *sp, *path, *ua, *slash, month[8];
	int status, mi, k;
	size_t bl = strlen(base_path);

	/* [10/Oct/2025:13:55:36 +0900] */
	if (!(t = strchr(line, '[')) || strlen(t) < 13 || t[3] != '/' || t[7] != '/')
		return 0;
	for (mi = 0; mi < 12 && strncmp(t + 4, months_en[mi], 3); mi++)
		;
	if (mi == 12)
		return 0;
	for (k = 8; k < 12; k++) /* the year: four digits, then ':' */
		if (t[k] < '0' || t[k] > '9')
			return 0;
	if (t[12] != ':')
		return 0;
	snprintf(month, sizeof(month), "%.4s-%02u", t + 8, (unsigned)(mi + 1) % 100u);
	if (!(req = strstr(t, "] \"")))
		return 0;
	req += 3;
	for (q = req; *q && !(*q == '"' && q[-1] != '\\'); q++)
		;
	if (!*q)
		return 0;
	*q = '\0';
	status = atoi(q + 1);
	/* The user agent is the last quoted field. */
	ua = strrchr(q + 1, '"');
	if (ua) {
		*ua = '\0';
		ua = strrchr(q + 1, '"');
		ua = ua ? ua + 1 : (char *)"";
	} else {
		ua = (char *)"";
	}
	if (strncmp(req, "GET ", 4) != 0 || status != 200)
		return 0;
	path = req + 4;
	if ((sp = strchr(path, ' ')))
		*sp = '\0';
	if ((sp = strpbrk(path, "?#")))
		*sp = '\0';
	if (strncmp(path, base_path, bl) != 0 || strncmp(path + bl, "datasets/", 9) != 0)
		return 0;
	path += bl + 9;
	if (!(slash = strchr(path, '/')) || !slash[1])
		return 0;
	*slash = '\0';
	if (!catalog_slug_is_valid(path))
		return 0;
	{
		const char *file = slash + 1;
		size_t n = strlen(file);
		if (file[n - 1] == '/' || !strcmp(file, "index.html") ||
		    !strcmp(file, "datapackage.json") || !strcmp(file, "dataset.jsonld") ||
		    !strcmp(file, "dataset.ttl"))
			return 0;
	}
	if (is_bot(ua)) {
		json_object_set_new(res, "bots", json_integer(json_integer_value(json_object_get(res, "bots")) + 1));
		return 2;
	}
	{
		json_t *dsets = json_object_get(res, "datasets"), *d = json_object_get(dsets, path);
		if (!d) {
			d = json_object();
			json_object_set_new(d, "total", json_integer(0));
			json_object_set_new(d, "months", json_object());
			json_object_set_new(dsets, path, d);
		}
		json_object_set_new(d, "total", json_integer(json_integer_value(json_object_get(d, "total")) + 1));
		bump(json_object_get(d, "months"), month);
		bump(json_object_get(res, "months"), month);
		json_object_set_new(res, "total", json_integer(json_integer_value(json_object_get(res, "total")) + 1));
	}
	return 1;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Reinserts the keys of object o in byte order (Jansson keeps insertion order). */
static void sort_keys(json_t *o)
{
	size_t n = json_object_size(o), i = 0;
	const char **keys;
	const char *k;
	json_t *v, *copy;
	if (n < 2)
		return;
	keys = xcalloc(n, sizeof(*keys));
	copy = json_copy(o);
	json_object_foreach(copy, k, v)
		keys[i++] = k;
	qsort(keys, n, sizeof(*keys), cmp_str);
	json_object_clear(o);
	for (i = 0; i < n; i++)
		json_object_set(o, keys[i], json_object_get(copy, keys[i]));
	json_decref(copy);
	free(keys);
}

json_t *stats_downloads_new(void)
{
	json_t *res = json_object();
	json_object_set_new(res, "total", json_integer(0));
	json_object_set_new(res, "bots", json_integer(0));
	json_object_set_new(res, "months", json_object());
	json_object_set_new(res, "datasets", json_object());
	return res;
}

json_t *stats_access_logs(const char **logs, const char *base_path, odc_buf *err)
{
	json_t *res = stats_downloads_new();
	char line[16384];
	size_t i;

	for (i = 0; logs && logs[i]; i++) {
		/* gzopen reads gzip and plain files alike. */
		gzFile f = gzopen(logs[i], "rb");
		int skipping = 0;
		if (!f) {
			buf_printf(err, "cannot read the access log %s", logs[i]);
			json_decref(res);
			return NULL;
		}
		while (gzgets(f, line, sizeof(line))) {
			size_t n = strlen(line);
			int whole = n && line[n - 1] == '\n';
			/* A line longer than the buffer is no log line: skip it whole. */
			if (!skipping && whole)
				stats_log_line(line, base_path, res);
			skipping = !whole && !gzeof(f);
		}
		{
			int ze;
			const char *m = gzerror(f, &ze);
			if (ze != Z_OK && ze != Z_STREAM_END) {
				buf_printf(err, "cannot read the access log %s: %s", logs[i], m);
				gzclose(f);
				json_decref(res);
				return NULL;
			}
		}
		gzclose(f);
	}
	/* Keys in order, whatever order the log lines came in. */
	sort_keys(json_object_get(res, "months"));
	sort_keys(json_object_get(res, "datasets"));
	{
		const char *k;
		json_t *v;
		json_object_foreach(json_object_get(res, "datasets"), k, v)
			sort_keys(json_object_get(v, "months"));
	}
	return res;
}

/*====================================================================
 * The statistics
 *====================================================================*/

static void next_month(char m[8])
{
	int y = atoi(m), mo = atoi(m + 5);
	if (++mo > 12) {
		mo = 1;
		y++;
	}
	snprintf(m, 8, "%04u-%02u", (unsigned)y % 10000u, (unsigned)mo % 100u);
}

/* The path of the base URL: "https://x.jp/opendata/" → "/opendata/". */
static void base_path_of(const odc_catalog *cat, odc_buf *out)
{
	const char *u = cat->base_url, *p;
	if (u && (p = strstr(u, "://")) && (p = strchr(p + 3, '/')))
		buf_puts(out, p);
	else
		buf_puts(out, "/");
	if (out->ptr[out->len - 1] != '/')
		buf_putc(out, '/');
}

json_t *stats_compute(odc_history *h, const odc_catalog *cat, const char *today,
		      const char **logs, odc_buf *err)
{
	json_t *s = json_object(), *months = json_array(), *notes = history_notes(h), *note;
	json_t *added = json_array(), *updated = json_array(), *stale = json_array(), *v;
	const odc_mainline *ml;
	size_t nml, i;
	char m[8], year[5];
	long tday = day_number(today);

	snprintf(year, sizeof(year), "%.4s", today);
	json_object_set_new(s, "today", json_string(today));
	if (json_is_integer(v = json_object_get(cat->conf, "target")) && json_integer_value(v) > 0)
		json_object_set(s, "target", v);
	json_object_set_new(s, "published", json_integer((json_int_t)json_array_size(notes)));

	ml = history_mainline(h, &nml);
	if (nml) {
		char first[11];
		const char *prev_commit = NULL;
		json_t *prev = NULL;
		history_date(ml[nml - 1].time, ml[nml - 1].offset, first);
		snprintf(m, sizeof(m), "%.7s", first);
		while (strncmp(m, today, 7) <= 0) {
			const char *commit = NULL;
			json_t *row = json_object(), *pubs;
			for (i = 0; i < nml && !commit; i++) {
				char d[11];
				history_date(ml[i].time, ml[i].offset, d);
				if (strncmp(d, m, 7) <= 0)
					commit = ml[i].commit;
			}
			json_object_set_new(row, "month", json_string(m));
			/* prev_commit is set together with prev */
			/* NOLINTNEXTLINE(clang-analyzer-core.NonNullParamChecker) */
			if (prev && commit && !strcmp(commit, prev_commit)) {
				json_object_set(row, "datasets", json_object_get(prev, "datasets"));
				json_object_set_new(row, "publishers", json_deep_copy(json_object_get(prev, "publishers")));
			} else {
				pubs = json_object();
				json_object_set_new(row, "datasets", json_integer(commit ? (json_int_t)history_count_valid(h, cat, commit, pubs) : 0));
				json_object_set_new(row, "publishers", pubs);
			}
			if (commit)
				json_object_set_new(row, "commit", json_string(commit));
			json_array_append_new(months, row);
			prev = row;
			prev_commit = commit;
			next_month(m);
		}
	}
	json_object_set_new(s, "months", months);

	json_array_foreach(notes, i, note) {
		const char *slug = json_string_value(json_object_get(note, "slug"));
		const char *iss = json_string_value(json_object_get(note, "issued"));
		const char *mod = json_string_value(json_object_get(note, "modified"));
		const char *acc = json_string_value(json_object_get(note, "accrualPeriodicity"));
		const odc_frequency *f = acc ? catalog_frequency(acc) : NULL;
		long per = f ? period_days(f->iso8601) : 0;
		if (iss && !strncmp(iss, year, 4))
			json_array_append_new(added, json_string(slug));
		else if (mod && !strncmp(mod, year, 4))
			json_array_append_new(updated, json_string(slug));
		if (per && mod && stats_parse_date(mod) && tday - day_number(mod) > per) {
			json_t *o = json_object();
			json_object_set_new(o, "dataset", json_string(slug));
			json_object_set_new(o, "modified", json_string(mod));
			json_object_set_new(o, "accrualPeriodicity", json_string(acc));
			json_object_set_new(o, "days_overdue", json_integer(tday - day_number(mod) - per));
			json_array_append_new(stale, o);
		}
	}
	json_object_set_new(s, "year", json_string(year));
	json_object_set_new(s, "added_this_year", added);
	json_object_set_new(s, "updated_this_year", updated);
	json_object_set_new(s, "stale", stale);
	if (logs && logs[0]) {
		odc_buf bp = ODC_BUF_INIT;
		json_t *d;
		base_path_of(cat, &bp);
		d = stats_access_logs(logs, bp.ptr, err);
		buf_free(&bp);
		if (!d) {
			json_decref(s);
			return NULL;
		}
		json_object_set_new(s, "downloads", d);
	}
	return s;
}

/*====================================================================
 * The stats/ page
 *====================================================================*/

#define CHART_W 640
#define CHART_H 240
#define CHART_PAD 40 /* left, right and bottom margins: axis labels */
#define CHART_TOP 20 /* top margin: the target's label */

/* The notes by slug (the first note of each), so that a title is one
 * lookup: the lists below can hold every dataset. */
static json_t *notes_by_slug(json_t *notes)
{
	json_t *by = json_object(), *n;
	size_t i;
	json_array_foreach(notes, i, n) {
		const char *slug = json_string_value(json_object_get(n, "slug"));
		if (slug && !json_object_get(by, slug))
			json_object_set(by, slug, n);
	}
	return by;
}

static const char *note_title(const odc_catalog *cat, json_t *by_slug, const char *slug, const char *lang)
{
	json_t *n = slug ? json_object_get(by_slug, slug) : NULL;
	const char *t = n ? catalog_text(cat, json_object_get(n, "title"), lang) : NULL;
	return t ? t : slug;
}

static json_t *dataset_refs(const odc_catalog *cat, json_t *by_slug, json_t *slugs, const char *lang)
{
	json_t *out = json_array(), *x;
	size_t i;
	json_array_foreach(slugs, i, x) {
		json_t *o = json_object();
		const char *slug = json_string_value(json_is_object(x) ? json_object_get(x, "dataset") : x);
		json_object_set_new(o, "slug", json_string(slug));
		json_object_set_new(o, "title", json_string(note_title(cat, by_slug, slug, lang)));
		if (json_is_object(x))
			json_object_update(o, x);
		json_array_append_new(out, o);
	}
	return out;
}

static json_t *page_model(const odc_page_ctx *pc, odc_history *h, json_t *s, int li)
{
	const odc_catalog *cat = pc->cat;
	const char *lang = cat->lang[li];
	json_t *m = json_deep_copy(s), *months = json_object_get(s, "months"), *row;
	json_t *chart = json_object(), *dots = json_array(), *xl = json_array(), *yt = json_array();
	json_t *pubs = json_array(), *notes = notes_by_slug(history_notes(h)), *ids = json_object();
	odc_buf pts = ODC_BUF_INIT;
	size_t i, n = json_array_size(months);
	long ymax = 1, target = (long)json_integer_value(json_object_get(s, "target")), step;
	double dx;
	const char *k;
	json_t *v;

	json_array_foreach(months, i, row)
		if (json_integer_value(json_object_get(row, "datasets")) > ymax)
			ymax = (long)json_integer_value(json_object_get(row, "datasets"));
	if (target > ymax)
		ymax = target;
	json_object_set_new(chart, "width", json_integer(CHART_W));
	json_object_set_new(chart, "height", json_integer(CHART_H));
	json_object_set_new(chart, "left", json_integer(CHART_PAD));
	json_object_set_new(chart, "right", json_integer(CHART_W - CHART_PAD));
	json_object_set_new(chart, "top", json_integer(CHART_TOP));
	json_object_set_new(chart, "bottom", json_integer(CHART_H - CHART_PAD));
	dx = n > 1 ? (double)(CHART_W - 2 * CHART_PAD) / (double)(n - 1) : 0;
	json_array_foreach(months, i, row) {
		long c = (long)json_integer_value(json_object_get(row, "datasets"));
		long x = CHART_PAD + (long)(dx * (double)i + 0.5);
		long y = (CHART_H - CHART_PAD) - c * (CHART_H - CHART_PAD - CHART_TOP) / ymax;
		json_t *d = json_object();
		buf_printf(&pts, "%s%ld,%ld", i ? " " : "", x, y);
		json_object_set_new(d, "x", json_integer(x));
		json_object_set_new(d, "y", json_integer(y));
		json_object_set_new(d, "month", json_incref(json_object_get(row, "month")));
		json_object_set_new(d, "count", json_integer(c));
		json_array_append_new(dots, d);
		/* At most about 12 month labels under the axis. */
		if (i % (n / 12 + 1) == 0 || i + 1 == n) {
			json_t *l = json_object();
			json_object_set_new(l, "x", json_integer(x));
			json_object_set_new(l, "label", json_incref(json_object_get(row, "month")));
			json_array_append_new(xl, l);
		}
	}
	step = ymax <= 5 ? 1 : (ymax + 4) / 5;
	for (i = 0; (long)i * step <= ymax; i++) {
		json_t *t = json_object();
		json_object_set_new(t, "y", json_integer((CHART_H - CHART_PAD) - (long)i * step * (CHART_H - CHART_PAD - CHART_TOP) / ymax));
		json_object_set_new(t, "label", json_integer((long)i * step));
		json_array_append_new(yt, t);
	}
	json_object_set_new(chart, "points", json_string(buf_cstr(&pts)));
	json_object_set_new(chart, "dots", dots);
	json_object_set_new(chart, "x_labels", xl);
	json_object_set_new(chart, "y_ticks", yt);
	if (target > 0) {
		json_object_set_new(chart, "target_y",
				    json_integer((CHART_H - CHART_PAD) - target * (CHART_H - CHART_PAD - CHART_TOP) / ymax));
		json_object_set_new(chart, "has_target", json_true());
	}
	json_object_set_new(m, "chart", chart);
	if (n)
		json_object_set(m, "current", json_object_get(json_array_get(months, n - 1), "datasets"));

	/* Per publisher: one row each with its count per month. */
	json_array_foreach(months, i, row)
		json_object_foreach(json_object_get(row, "publishers"), k, v)
			json_object_set_new(ids, k, json_true());
	json_object_foreach(ids, k, v) {
		json_t *p = json_object(), *cells = json_array(), *dept = catalog_publisher(cat, k);
		const char *name = dept ? catalog_text(cat, json_object_get(dept, "name"), lang) : NULL;
		size_t j;
		json_object_set_new(p, "id", json_string(k));
		json_object_set_new(p, "name", json_string(name ? name : *k ? k : "-"));
		json_array_foreach(months, j, row) {
			json_t *c = json_object_get(json_object_get(row, "publishers"), k);
			json_array_append_new(cells, json_integer(c ? json_integer_value(c) : 0));
		}
		json_object_set_new(p, "counts", cells);
		json_array_append_new(pubs, p);
	}
	json_decref(ids);
	json_object_set_new(m, "by_publisher", pubs);
	json_object_set_new(m, "has_publishers", json_boolean(json_array_size(pubs) > 0));

	json_object_set_new(m, "added", dataset_refs(cat, notes, json_object_get(s, "added_this_year"), lang));
	json_object_set_new(m, "added_count", json_integer((json_int_t)json_array_size(json_object_get(s, "added_this_year"))));
	json_object_set_new(m, "updated", dataset_refs(cat, notes, json_object_get(s, "updated_this_year"), lang));
	json_object_set_new(m, "updated_count", json_integer((json_int_t)json_array_size(json_object_get(s, "updated_this_year"))));
	json_object_set_new(m, "stale", dataset_refs(cat, notes, json_object_get(s, "stale"), lang));
	json_object_set_new(m, "has_stale", json_boolean(json_array_size(json_object_get(s, "stale")) > 0));
	if ((v = json_object_get(s, "downloads"))) {
		json_t *d = json_object(), *dm = json_array(), *dd = json_array(), *x;
		json_object_set(d, "total", json_object_get(v, "total"));
		json_object_set(d, "bots", json_object_get(v, "bots"));
		json_object_foreach(json_object_get(v, "months"), k, x) {
			json_t *o = json_object();
			json_object_set_new(o, "month", json_string(k));
			json_object_set(o, "count", x);
			json_array_append_new(dm, o);
		}
		json_object_foreach(json_object_get(v, "datasets"), k, x) {
			json_t *o = json_object();
			json_object_set_new(o, "slug", json_string(k));
			json_object_set_new(o, "title", json_string(note_title(cat, notes, k, lang)));
			json_object_set(o, "total", json_object_get(x, "total"));
			json_array_append_new(dd, o);
		}
		json_object_set_new(d, "months", dm);
		json_object_set_new(d, "datasets", dd);
		json_object_set_new(m, "downloads", d);
	}
	json_decref(notes);
	buf_free(&pts);
	return m;
}

int stats_build_page(odc_history *h, const odc_page_ctx *pc, odc_out *o, const char *today,
		     const char **logs, odc_buf *err)
{
	json_t *s;
	int li, rc = 0;
	if (!h)
		return 0;
	s = stats_compute(h, pc->cat, today, logs, err);
	if (!s)
		return ODC_EINVALID;
	for (li = 0; li < (pc->cat->lang[1] ? 2 : 1) && rc == 0; li++) {
		json_t *m = page_model(pc, h, s, li);
		odc_buf html = ODC_BUF_INIT, p = ODC_BUF_INIT;
		const char *title = json_string_value(json_object_get(pc->theme->strings[li], "stats_title"));
		rc = render_kind_page(pc, "stats", "stats/index.html", title ? title : "Statistics", "stats", m,
				 li, &html, err);
		if (rc == 0) {
			render_page_path(pc->cat, li, "stats/index.html", &p);
			if ((rc = out_write(o, p.ptr, html.ptr ? html.ptr : "", html.len)) < 0)
				buf_printf(err, "cannot write %s", p.ptr);
		}
		buf_free(&html);
		buf_free(&p);
		json_decref(m);
	}
	json_decref(s);
	return rc;
}

/*====================================================================
 * odcat stats
 *====================================================================*/

static const char stats_help[] =
	"Usage: odcat stats [options]\n"
	"\n"
	"Prints the publishing statistics of the catalogue from its git history:\n"
	"published datasets month by month (overall and per publisher; a dataset\n"
	"counts in a month when it exists and passes validation at the month's last\n"
	"commit), the target of odcat.json, datasets added and updated this year,\n"
	"stale datasets, and with --access-log the downloads per dataset and month.\n"
	"\n"
	"Options:\n"
	"  --repo DIR          the catalogue's git repository (default: .)\n"
	"  --ref REF           the revision (default: HEAD)\n"
	"  --now DATE          today, YYYY-MM-DD (default: the date of the revision)\n"
	"  --format F          text (default), json or csv\n"
	"  --access-log FILE   a web server access log, combined format, plain or gzip\n"
	"                      (repeat the option, or give several files after it)\n"
	"  --allow-shallow     run on a shallow clone (the counts are then cut short)\n"
	"  -h, --help          show this help\n"
	"\n"
	"Exit codes: 0 done; 2 cannot run (usage, repository, odcat.json, unreadable log).\n";

static void print_text(json_t *s, FILE *f)
{
	json_t *row, *v;
	size_t i;
	const char *k;
	fprintf(f, "today: %s\n", json_string_value(json_object_get(s, "today")));
	fprintf(f, "published: %lld\n", (long long)json_integer_value(json_object_get(s, "published")));
	if ((v = json_object_get(s, "target")))
		fprintf(f, "target: %lld\n", (long long)json_integer_value(v));
	fprintf(f, "\nmonth    datasets\n");
	json_array_foreach(json_object_get(s, "months"), i, row)
		fprintf(f, "%s  %lld\n", json_string_value(json_object_get(row, "month")),
			(long long)json_integer_value(json_object_get(row, "datasets")));
	fprintf(f, "\nadded in %s: %zu\n", json_string_value(json_object_get(s, "year")),
		json_array_size(json_object_get(s, "added_this_year")));
	json_array_foreach(json_object_get(s, "added_this_year"), i, v)
		fprintf(f, "  %s\n", json_string_value(v));
	fprintf(f, "updated in %s: %zu\n", json_string_value(json_object_get(s, "year")),
		json_array_size(json_object_get(s, "updated_this_year")));
	json_array_foreach(json_object_get(s, "updated_this_year"), i, v)
		fprintf(f, "  %s\n", json_string_value(v));
	fprintf(f, "stale: %zu\n", json_array_size(json_object_get(s, "stale")));
	json_array_foreach(json_object_get(s, "stale"), i, v)
		fprintf(f, "  %s (modified %s, %s, %lld days overdue)\n",
			json_string_value(json_object_get(v, "dataset")),
			json_string_value(json_object_get(v, "modified")),
			json_string_value(json_object_get(v, "accrualPeriodicity")),
			(long long)json_integer_value(json_object_get(v, "days_overdue")));
	if ((v = json_object_get(s, "downloads"))) {
		json_t *x;
		fprintf(f, "\ndownloads: %lld (bots left out: %lld)\n",
			(long long)json_integer_value(json_object_get(v, "total")),
			(long long)json_integer_value(json_object_get(v, "bots")));
		json_object_foreach(json_object_get(v, "months"), k, x)
			fprintf(f, "  %s  %lld\n", k, (long long)json_integer_value(x));
		json_object_foreach(json_object_get(v, "datasets"), k, x)
			fprintf(f, "  %s  %lld\n", k, (long long)json_integer_value(json_object_get(x, "total")));
	}
}

/* month,datasets,<publisher>...[,downloads] */
static void print_csv(json_t *s, FILE *f)
{
	json_t *ids = json_object(), *row, *v, *dl = json_object_get(json_object_get(s, "downloads"), "months");
	size_t i;
	const char *k;
	json_array_foreach(json_object_get(s, "months"), i, row)
		json_object_foreach(json_object_get(row, "publishers"), k, v)
			json_object_set_new(ids, k, json_true());
	fputs("month,datasets", f);
	json_object_foreach(ids, k, v) {
		odc_buf c = ODC_BUF_INIT;
		buf_puts(&c, "publisher:");
		buf_puts(&c, *k ? k : "-");
		fputc(',', f);
		{
			odc_buf e = ODC_BUF_INIT;
			escape_csv_cell(&e, c.ptr, c.len);
			fputs(e.ptr, f);
			buf_free(&e);
		}
		buf_free(&c);
	}
	if (dl)
		fputs(",downloads", f);
	fputs("\r\n", f);
	json_array_foreach(json_object_get(s, "months"), i, row) {
		const char *m = json_string_value(json_object_get(row, "month"));
		fprintf(f, "%s,%lld", m, (long long)json_integer_value(json_object_get(row, "datasets")));
		json_object_foreach(ids, k, v)
			fprintf(f, ",%lld", (long long)json_integer_value(json_object_get(json_object_get(row, "publishers"), k)));
		if (dl)
			fprintf(f, ",%lld", (long long)json_integer_value(json_object_get(dl, m)));
		fputs("\r\n", f);
	}
	json_decref(ids);
}

int stats_main(int argc, char **argv)
{
	const char *repo = ".", *ref = NULL, *now = NULL, *format = "text";
	const char **logs = xcalloc((size_t)argc + 1, sizeof(char *));
	size_t nlogs = 0, nslugs = 0, i;
	int allow_shallow = 0, rc = ODC_EXIT_FATAL, a;
	odc_buf msg = ODC_BUF_INIT, hint = ODC_BUF_INIT, err = ODC_BUF_INIT;
	odc_repo *r = NULL;
	odc_catalog cat;
	odc_history *h = NULL;
	odc_diags d = ODC_DIAGS_INIT;
	char **slugs = NULL, today[11];
	json_t *s = NULL;

	memset(&cat, 0, sizeof(cat));
	for (a = 0; a < argc; a++) {
		const char *v = NULL;
		int m;
		if (!strcmp(argv[a], "-h") || !strcmp(argv[a], "--help")) {
			fputs(stats_help, stdout);
			rc = ODC_EXIT_OK;
			goto done;
		}
		if (!strcmp(argv[a], "--allow-shallow")) {
			allow_shallow = 1;
			continue;
		}
		if ((m = cli_opt_value(argc, argv, &a, "--access-log", &v)) != 0) {
			if (m < 0 || !*v) {
				rc = cli_usage("stats", "option %s needs a value", "--access-log");
				goto done;
			}
			logs[nlogs++] = v;
			/* Further file names up to the next option. */
			while (a + 1 < argc && argv[a + 1][0] != '-')
				logs[nlogs++] = argv[++a];
			continue;
		}
		{
			static const char *const valued[] = {"--repo", "--ref", "--now", "--format"};
			const char **slot[] = {&repo, &ref, &now, &format};
			size_t k;
			int matched = 0;
			for (k = 0; k < 4 && !matched; k++) {
				m = cli_opt_value(argc, argv, &a, valued[k], &v);
				if (m < 0 || (m > 0 && !*v)) {
					rc = cli_usage("stats", "option %s needs a value", valued[k]);
					goto done;
				}
				if (m > 0) {
					*slot[k] = v;
					matched = 1;
				}
			}
			if (!matched) {
				rc = cli_usage("stats", argv[a][0] == '-' ? "unknown option '%s'"
									  : "unexpected argument '%s'", argv[a]);
				goto done;
			}
		}
	}
	if (strcmp(format, "text") && strcmp(format, "json") && strcmp(format, "csv")) {
		rc = cli_usage("stats", "--format must be text, json or csv, not '%s'", format);
		goto done;
	}
	if (now && !stats_parse_date(now)) {
		rc = cli_usage("stats", "--now must be a date YYYY-MM-DD, not '%s'", now);
		goto done;
	}
	if (repo_open(&r, repo, ref, 0, &msg, &hint) < 0 || catalog_load(&cat, r, &msg, &hint) < 0) {
		fprintf(stderr, "odcat: error: %s\n", msg.ptr);
		if (hint.len)
			fprintf(stderr, "  hint: %s\n", hint.ptr);
		goto done;
	}
	if (repo_is_shallow(r) && !allow_shallow) {
		fprintf(stderr, "odcat: error: the repository is a shallow clone: its history is cut short\n"
				"  hint: fetch the full history (git fetch --unshallow), or pass --allow-shallow\n");
		goto done;
	}
	if (history_load(&h, r, 0, &msg) < 0) {
		fprintf(stderr, "odcat: error: %s\n", msg.ptr);
		goto done;
	}
	if (now)
		snprintf(today, sizeof(today), "%s", now);
	else
		history_date(repo_time(r), repo_time_offset(r), today);
	/* The published datasets, as the build decides them. */
	slugs = catalog_list(r, &nslugs, &d);
	for (i = 0; i < nslugs; i++) {
		odc_dataset ds;
		odc_pub pub;
		int ok;
		memset(&ds, 0, sizeof(ds));
		ok = dataset_load(&ds, &cat, r, slugs[i], NULL, &d) == 0;
		if (history_resolve(h, NULL, &cat, slugs[i], &ds, ok, &pub, &d))
			history_note(h, &cat, &ds, &pub);
		dataset_free(&ds);
		history_pub_free(&pub);
	}
	s = stats_compute(h, &cat, today, nlogs ? logs : NULL, &err);
	if (!s) {
		fprintf(stderr, "odcat: error: %s\n", err.ptr);
		goto done;
	}
	if (!strcmp(format, "json")) {
		json_dumpf(s, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
		fputc('\n', stdout);
	} else if (!strcmp(format, "csv")) {
		print_csv(s, stdout);
	} else {
		print_text(s, stdout);
	}
	rc = ODC_EXIT_OK;
done:
	json_decref(s);
	catalog_slugs_free(slugs, nslugs);
	history_free(h);
	catalog_free(&cat);
	repo_free(r);
	diag_free(&d);
	free(logs);
	buf_free(&msg);
	buf_free(&hint);
	buf_free(&err);
	return rc;
}
