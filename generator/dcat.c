/*
 * dcat.c — DCAT-US 1.1 data.json (see dcat.h).
 */
#include "dcat.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "buf.h"
#include "escape.h"

void dcat_date(int64_t t, char out[11])
{
	time_t tt = (time_t)t;
	struct tm tm;
	gmtime_r(&tt, &tm);
	strftime(out, 11, "%Y-%m-%d", &tm);
}

/* base_url without a trailing '/'. */
void dcat_base_url(const odc_catalog *cat, odc_buf *b)
{
	size_t n = cat->base_url ? strlen(cat->base_url) : 0;
	while (n > 0 && cat->base_url[n - 1] == '/')
		n--;
	if (n == 0)
		return;
	buf_put(b, cat->base_url, n);
	buf_putc(b, '/');
}

static void set_str(json_t *o, const char *k, const char *v)
{
	json_t *s;
	if (!v || !*v)
		return;
	s = json_string(v);
	if (s)
		json_object_set_new(o, k, s);
}

/* Whether s is an absolute URI (RFC 3986 scheme ":" ...): DCAT-US takes
 * landingPage, downloadURL, accessURL and license only as absolute URIs. */
static int is_absolute_uri(const char *s)
{
	const char *p = s;
	if (!s || !((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z')))
		return 0;
	for (p++; *p && *p != ':'; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		      (*p >= '0' && *p <= '9') || *p == '+' || *p == '-' || *p == '.'))
			return 0;
	if (*p != ':' || !p[1])
		return 0;
	for (p++; *p; p++)
		if ((unsigned char)*p <= ' ' || *p == '"' || *p == '<' || *p == '>' || *p == '\\' ||
		    *p == '^' || *p == '`' || *p == '{' || *p == '|' || *p == '}')
			return 0;
	return 1;
}

/* set_str for a URI-valued property: left out unless v is absolute. */
static void set_uri(json_t *o, const char *k, const char *v)
{
	if (is_absolute_uri(v))
		set_str(o, k, v);
}

/* Digits: n of them at *p, advancing; the value in *v. */
static int digits(const char **p, int n, int *v)
{
	*v = 0;
	while (n-- > 0) {
		if (**p < '0' || **p > '9')
			return 0;
		*v = *v * 10 + (*(*p)++ - '0');
	}
	return 1;
}

/* Whether s is an ISO 8601 date as DCAT-US takes it (a subset of its
 * pattern): YYYY, YYYY-MM, YYYY-MM-DD, or a date with Thh:mm[:ss[.f]] and
 * an optional Z or +hh:mm. Stops at end or at '/' (for intervals), *end. */
static int iso_date(const char *s, const char **end)
{
	const char *p = s;
	int v;
	if (!s || !digits(&p, 4, &v))
		return 0;
	if (*p == '-') {
		p++;
		if (!digits(&p, 2, &v) || v < 1 || v > 12)
			return 0;
		if (*p == '-') {
			p++;
			if (!digits(&p, 2, &v) || v < 1 || v > 31)
				return 0;
			if (*p == 'T') {
				p++;
				if (!digits(&p, 2, &v) || v > 23 || *p++ != ':' || !digits(&p, 2, &v) || v > 59)
					return 0;
				if (*p == ':') {
					p++;
					if (!digits(&p, 2, &v) || v > 59)
						return 0;
					if (*p == '.' && p[1] >= '0' && p[1] <= '9')
						for (p++; *p >= '0' && *p <= '9'; p++)
							;
				}
				if (*p == 'Z') {
					p++;
				} else if (*p == '+' || *p == '-') {
					p++;
					if (!digits(&p, 2, &v) || v > 23 || *p++ != ':' || !digits(&p, 2, &v) || v > 59)
						return 0;
				}
			}
		}
	}
	*end = p;
	return *p == '\0' || *p == '/';
}

static int is_iso_date(const char *s)
{
	const char *e;
	return iso_date(s, &e) && !*e;
}

/* "R/P1Y", "R/PT1H"...: the accrualPeriodicity pattern of DCAT-US. */
static int is_repeating_duration(const char *s)
{
	static const char units[] = "YMWD";
	static const char tunits[] = "HMS";
	const char *p = s + 3, *u = units;
	int any = 0, in_t = 0;
	if (strncmp(s, "R/P", 3) != 0)
		return 0;
	while (*p) {
		if (*p == 'T' && !in_t) {
			in_t = 1, u = tunits, p++;
			continue;
		}
		if (*p < '0' || *p > '9')
			return 0;
		while (*p >= '0' && *p <= '9')
			p++;
		if (*p == '.' && p[1] >= '0' && p[1] <= '9')
			for (p++; *p >= '0' && *p <= '9'; p++)
				;
		while (*u && *u != *p)
			u++;
		if (!*u)
			return 0;
		u++, p++, any = 1;
	}
	return any || s[3] == '\0';
}

/* The address part of DCAT-US's hasEmail pattern, ASCII only. */
static int is_email(const char *s)
{
	const char *at = s ? strchr(s, '@') : NULL, *p, *dot = NULL;
	if (!at || at == s)
		return 0;
	for (p = s; p < at; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
		      strchr("_~!$&'()*+,;=:.-", *p)))
			return 0;
	for (p = at + 1; *p; p++) {
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
		      *p == '_' || *p == '.' || *p == '-'))
			return 0;
		if (*p == '.' && p > at + 1 && p[1])
			dot = p;
	}
	return dot != NULL;
}

/* ISO 8601 repeating durations of DCAT-US for odcat's frequency words. */
static const char *periodicity(const char *w)
{
	const odc_frequency *f = catalog_frequency(w);
	if (f)
		return f->iso8601;
	return w && w[0] == 'R' && w[1] == '/' ? w : NULL;
}

/* Whether dcat_us_dataset needs today (no date DCAT-US can read). */
static int needs_today(const odc_dataset *ds)
{
	return !is_iso_date(json_string_value(json_object_get(ds->dp, "modified"))) &&
	       !is_iso_date(json_string_value(json_object_get(ds->dp, "issued")));
}

json_t *dcat_us_dataset(const odc_catalog *cat, const odc_dataset *ds, const char *today)
{
	const char *lang = cat->lang[0];
	json_t *o = json_object(), *kw = json_array(), *dist = json_array(), *v, *x;
	json_t *pub = json_object(), *cp = json_object();
	odc_buf b = ODC_BUF_INIT, landing = ODC_BUF_INIT;
	const char *s;
	size_t i;

	dcat_base_url(cat, &b);
	buf_printf(&landing, "%sdatasets/", b.ptr ? b.ptr : "");
	escape_url_segment(&landing, ds->slug, strlen(ds->slug));
	buf_putc(&landing, '/');

	json_object_set_new(o, "@type", json_string("dcat:Dataset"));
	set_str(o, "title", catalog_text(cat, json_object_get(ds->dp, "title"), lang));
	set_str(o, "description", catalog_text(cat, json_object_get(ds->dp, "description"), lang));
	json_array_foreach(catalog_keywords(ds->dp, lang), i, x)
		if (json_is_string(x) && json_string_length(x))
			json_array_append(kw, x);
	/* DCAT-US: at least one keyword, when given at all. */
	if (json_array_size(kw))
		json_object_set_new(o, "keyword", kw);
	else
		json_decref(kw);
	/* Dates DCAT-US cannot read fall back (modified) or are left out. */
	s = json_string_value(json_object_get(ds->dp, "modified"));
	if (!is_iso_date(s))
		s = json_string_value(json_object_get(ds->dp, "issued"));
	set_str(o, "modified", is_iso_date(s) ? s : today);
	s = json_string_value(json_object_get(ds->dp, "issued"));
	if (is_iso_date(s))
		set_str(o, "issued", s);

	json_object_set_new(pub, "@type", json_string("org:Organization"));
	v = catalog_publisher(cat, ds->publisher_id);
	{
		json_t *city = json_object_get(cat->conf, "publisher");
		const char *city_name = catalog_text(cat, json_object_get(city, "name"), lang);
		if (v) {
			set_str(pub, "name", catalog_text(cat, json_object_get(v, "name"), lang));
			if (city_name) {
				json_t *parent = json_object();
				json_object_set_new(parent, "@type", json_string("org:Organization"));
				set_str(parent, "name", city_name);
				json_object_set_new(pub, "subOrganizationOf", parent);
			}
		} else {
			set_str(pub, "name", city_name ? city_name : "unknown");
		}
	}
	json_object_set_new(o, "publisher", pub);

	json_object_set_new(cp, "@type", json_string("vcard:Contact"));
	set_str(cp, "fn", catalog_text(cat, json_object_get(ds->contact, "name"), lang));
	if (!json_object_get(cp, "fn"))
		set_str(cp, "fn", json_string_value(json_object_get(pub, "name")));
	s = json_string_value(json_object_get(ds->contact, "email"));
	if (is_email(s)) {
		odc_buf m = ODC_BUF_INIT;
		buf_printf(&m, "mailto:%s", s);
		set_str(cp, "hasEmail", m.ptr);
		buf_free(&m);
	}
	json_object_set_new(o, "contactPoint", cp);

	set_str(o, "identifier", landing.ptr);
	json_object_set_new(o, "accessLevel", json_string("public"));
	{
		const char *u = catalog_license_url(ds->license_id);
		if (!u && ds->license)
			u = json_string_value(json_object_get(ds->license, "path"));
		set_uri(o, "license", u);
	}
	set_uri(o, "landingPage", landing.ptr);
	s = periodicity(json_string_value(json_object_get(ds->dp, "accrualPeriodicity")));
	if (s && (!strcmp(s, "irregular") || is_repeating_duration(s)))
		set_str(o, "accrualPeriodicity", s);
	v = json_object_get(ds->dp, "temporal");
	if (is_iso_date(json_string_value(json_object_get(v, "start"))) &&
	    is_iso_date(json_string_value(json_object_get(v, "end")))) {
		odc_buf t = ODC_BUF_INIT;
		buf_printf(&t, "%s/%s", json_string_value(json_object_get(v, "start")),
			   json_string_value(json_object_get(v, "end")));
		set_str(o, "temporal", t.ptr);
		buf_free(&t);
	}
	v = json_object_get(ds->dp, "spatial");
	if (json_is_object(v) && json_is_array(json_object_get(v, "bbox")) &&
	    json_array_size(json_object_get(v, "bbox")) == 4) {
		/* DCAT-US takes a bounding box as "west,south,east,north". */
		odc_buf t = ODC_BUF_INIT;
		for (i = 0; i < 4; i++)
			buf_printf(&t, "%s%.6g", i ? "," : "",
				   json_number_value(json_array_get(json_object_get(v, "bbox"), i)));
		set_str(o, "spatial", t.ptr);
		buf_free(&t);
	} else {
		set_str(o, "spatial", json_is_object(v) ? catalog_text(cat, json_object_get(v, "name"), lang)
							: catalog_text(cat, v, lang));
	}
	{
		json_t *langs = json_array();
		json_array_append_new(langs, json_string(lang));
		json_object_set_new(o, "language", langs);
	}
	v = json_object_get(ds->dp, "theme");
	if (json_is_array(v) && json_array_size(v)) {
		/* DCAT-US: non-empty strings, no two alike, at least one. */
		json_t *th = json_array(), *y;
		size_t j;
		json_array_foreach(v, i, x) {
			int dup = 0;
			if (!json_is_string(x) || !json_string_length(x))
				continue;
			json_array_foreach(th, j, y)
				if (json_equal(x, y))
					dup = 1;
			if (!dup)
				json_array_append(th, x);
		}
		if (json_array_size(th))
			json_object_set_new(o, "theme", th);
		else
			json_decref(th);
	}
	set_uri(o, "conformsTo", json_string_value(json_object_get(ds->dp, "conformsTo")));

	for (i = 0; i < ds->nres; i++) {
		const odc_resource *r = &ds->res[i];
		json_t *d = json_object();
		odc_buf u = ODC_BUF_INIT;
		char *fmt = xstrdup(r->format);
		char *p;
		for (p = fmt; *p; p++)
			if (*p >= 'a' && *p <= 'z')
				*p = (char)(*p - 'a' + 'A');
		json_object_set_new(d, "@type", json_string("dcat:Distribution"));
		if (r->is_url) {
			set_uri(d, "accessURL", r->path);
		} else {
			buf_printf(&u, "%sdatasets/", b.ptr ? b.ptr : "");
			escape_url_segment(&u, ds->slug, strlen(ds->slug));
			buf_putc(&u, '/');
			escape_url_path(&u, r->path, strlen(r->path));
			/* Without an absolute base_url there is no URL to give
			 * (build warns); DCAT-US has no relative downloadURL. */
			set_uri(d, "downloadURL", u.ptr);
			set_str(d, "mediaType", r->mediatype);
		}
		set_str(d, "format", fmt);
		set_str(d, "title", catalog_text(cat, json_object_get(r->json, "title"), lang));
		if (!json_object_get(d, "title"))
			set_str(d, "title", r->name);
		json_array_append_new(dist, d);
		if (r->has_json && !r->is_url) {
			/* The records as typed JSON, written beside the CSV as <path>.json. */
			json_t *t = json_object_get(d, "title");
			odc_buf tt = ODC_BUF_INIT;
			json_t *dj = json_object();
			buf_puts(&u, ".json");
			json_object_set_new(dj, "@type", json_string("dcat:Distribution"));
			set_uri(dj, "downloadURL", u.ptr);
			json_object_set_new(dj, "mediaType", json_string("application/json"));
			json_object_set_new(dj, "format", json_string("JSON"));
			buf_printf(&tt, "%s (JSON)", json_is_string(t) ? json_string_value(t) : r->name);
			set_str(dj, "title", tt.ptr);
			json_array_append_new(dist, dj);
			buf_free(&tt);
		}
		buf_free(&u);
		free(fmt);
	}
	json_object_set_new(o, "distribution", dist);
	buf_free(&b);
	buf_free(&landing);
	return o;
}

/* Appends text, a value dumped at depth 0 with JSON_INDENT(2), as it reads
 * at depth 2: every line after the first gains four spaces (a JSON string
 * holds no raw newline, so every newline is layout). */
static void put_indented(odc_buf *b, const char *text, size_t len)
{
	const char *p = text, *end = text + len, *nl;
	while ((nl = memchr(p, '\n', (size_t)(end - p))) != NULL) {
		buf_put(b, p, (size_t)(nl - p) + 1);
		buf_puts(b, "    ");
		p = nl + 1;
	}
	buf_put(b, p, (size_t)(end - p));
}

static char *dataset_text(const odc_catalog *cat, const odc_dataset *ds, const char *today)
{
	json_t *o = dcat_us_dataset(cat, ds, today);
	char *text = json_dumps(o, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	json_decref(o);
	return text;
}

json_t *dcat_us_fragment(const odc_catalog *cat, const odc_dataset *ds)
{
	char *text;
	json_t *f;
	if (needs_today(ds))
		return NULL;
	text = dataset_text(cat, ds, "");
	f = text ? json_string(text) : NULL;
	free(text);
	return f;
}

void dcat_us_add(odc_datajson *d, const odc_catalog *cat, const odc_dataset *ds, const char *today,
		 const json_t *frag)
{
	const char *text = json_string_value(frag);
	char *own = NULL;
	if (!text)
		text = own = dataset_text(cat, ds, today);
	if (!text)
		return;
	if (d->n++)
		buf_puts(&d->items, ",\n    ");
	put_indented(&d->items, text, strlen(text));
	free(own);
}

char *dcat_us_text(const odc_catalog *cat, odc_datajson *d)
{
	json_t *none = json_array();
	char *head = dcat_us_catalog(cat, none);
	size_t n = strlen(head);
	odc_buf b = ODC_BUF_INIT;
	json_decref(none);
	/* The "dataset" key is the last: the text ends with "[]\n}\n". */
	if (!d->n || n < 5 || strcmp(head + n - 5, "[]\n}\n") != 0)
		return head;
	buf_put(&b, head, n - 4);
	buf_puts(&b, "\n    ");
	buf_put(&b, d->items.ptr, d->items.len);
	buf_puts(&b, "\n  ]\n}\n");
	free(head);
	return buf_detach(&b);
}

char *dcat_read_staged(const odc_out *o, const char *rel, size_t *len)
{
	odc_buf p = ODC_BUF_INIT;
	struct stat st;
	char *text = NULL;
	size_t got = 0;
	int fd;
	*len = 0;
	if (!o || !o->stage)
		return NULL;
	buf_printf(&p, "%s/%s", o->stage, rel);
	fd = open(p.ptr, O_RDONLY | O_CLOEXEC);
	buf_free(&p);
	if (fd < 0)
		return NULL;
	/* Small files (a dataset's own): one read of the size fstat gives. */
	if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_size >= 0 && st.st_size <= (1 << 26)) {
		text = xmalloc((size_t)st.st_size + 1);
		while (got < (size_t)st.st_size) {
			ssize_t k = read(fd, text + got, (size_t)st.st_size - got);
			if (k < 0 && errno == EINTR)
				continue;
			if (k <= 0)
				break;
			got += (size_t)k;
		}
		if (got != (size_t)st.st_size) {
			free(text);
			text = NULL;
		} else {
			text[got] = '\0';
			*len = got;
		}
	}
	close(fd);
	return text;
}

void dcat_us_free(odc_datajson *d)
{
	buf_free(&d->items);
	d->n = 0;
}

char *dcat_us_catalog(const odc_catalog *cat, json_t *datasets)
{
	json_t *c = json_object();
	odc_buf b = ODC_BUF_INIT;
	char *text;

	dcat_base_url(cat, &b);
	json_object_set_new(c, "@context",
			    json_string("https://project-open-data.cio.gov/v1.1/schema/catalog.jsonld"));
	if (b.len) {
		buf_puts(&b, "data.json");
		json_object_set_new(c, "@id", json_string(b.ptr));
	}
	json_object_set_new(c, "@type", json_string("dcat:Catalog"));
	json_object_set_new(c, "conformsTo", json_string("https://project-open-data.cio.gov/v1.1/schema"));
	json_object_set_new(c, "describedBy",
			    json_string("https://project-open-data.cio.gov/v1.1/schema/catalog.json"));
	json_object_set(c, "dataset", datasets);
	text = json_dumps(c, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	json_decref(c);
	buf_free(&b);
	{
		/* End the file with a newline, as text files do. */
		size_t n = strlen(text);
		char *t = xmalloc(n + 2);
		memcpy(t, text, n);
		t[n] = '\n';
		t[n + 1] = '\0';
		free(text);
		return t;
	}
}
