/*
 * ckan.c — a read-only CKAN API v3 subset as static files (see ckan.h).
 */
#include "ckan.h"

#include <nettle/sha1.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dcat.h"
#include "escape.h"
#include "odc.h"
#include "repo.h"

void ckan_uuid5_url(const char *name, char out[37])
{
	/* 6ba7b811-9dad-11d1-80b4-00c04fd430c8, RFC 4122 appendix C. */
	static const unsigned char ns[16] = {0x6b, 0xa7, 0xb8, 0x11, 0x9d, 0xad, 0x11, 0xd1,
					     0x80, 0xb4, 0x00, 0xc0, 0x4f, 0xd4, 0x30, 0xc8};
	struct sha1_ctx ctx;
	unsigned char d[SHA1_DIGEST_SIZE];
	size_t i, k = 0;

	sha1_init(&ctx);
	sha1_update(&ctx, sizeof(ns), ns);
	sha1_update(&ctx, strlen(name), (const uint8_t *)name);
	sha1_digest(&ctx, sizeof(d), d);
	d[6] = (unsigned char)((d[6] & 0x0f) | 0x50);
	d[8] = (unsigned char)((d[8] & 0x3f) | 0x80);
	for (i = 0; i < 16; i++) {
		if (i == 4 || i == 6 || i == 8 || i == 10)
			out[k++] = '-';
		snprintf(out + k, 3, "%02x", d[i]);
		k += 2;
	}
	out[k] = '\0';
}

static void set_str(json_t *o, const char *k, const char *v)
{
	json_object_set_new(o, k, json_string(v ? v : ""));
	if (!json_object_get(o, k)) /* not UTF-8: jansson refused it */
		json_object_set_new(o, k, json_string(""));
}

static void add_extra(json_t *extras, const char *k, const char *v)
{
	json_t *e;
	if (!v || !*v)
		return;
	e = json_object();
	set_str(e, "key", k);
	set_str(e, "value", v);
	json_array_append_new(extras, e);
}

/* A CKAN name: [a-z0-9_-], 2 to 100 characters. */
static int is_ckan_name(const char *s)
{
	size_t n = s ? strlen(s) : 0;
	const char *p;
	if (n < 2 || n > 100)
		return 0;
	for (p = s; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '-' || *p == '_'))
			return 0;
	return 1;
}

/* "YYYY-MM-DDT00:00:00" from a date that starts with YYYY-MM-DD, else from today. */
static int date_ok(const char *s);

static void ckan_time(const char *s, const char *today, char out[20])
{
	snprintf(out, 20, "%.10sT00:00:00", date_ok(s) ? s : today);
}

static int cmp_extra(const void *a, const void *b)
{
	return strcmp(json_string_value(json_object_get(*(json_t *const *)a, "key")),
		      json_string_value(json_object_get(*(json_t *const *)b, "key")));
}

static void sort_extras(json_t *extras)
{
	size_t n = json_array_size(extras), i;
	json_t **v;
	if (n < 2)
		return;
	v = xcalloc(n, sizeof(*v));
	for (i = 0; i < n; i++)
		v[i] = json_incref(json_array_get(extras, i));
	qsort(v, n, sizeof(*v), cmp_extra);
	json_array_clear(extras);
	for (i = 0; i < n; i++)
		json_array_append_new(extras, v[i]);
	free(v);
}

/* The organization dict of ds: its department, else the municipality. */
static json_t *organization(const odc_catalog *cat, const odc_dataset *ds, const char *base)
{
	const char *lang = cat->lang[0];
	json_t *dept = catalog_publisher(cat, ds->publisher_id), *city = json_object_get(cat->conf, "publisher");
	json_t *o = json_object();
	const char *name, *title, *code = json_string_value(json_object_get(city, "code"));
	odc_buf u = ODC_BUF_INIT, nm = ODC_BUF_INIT;
	char id[37];

	if (dept && is_ckan_name(ds->publisher_id)) {
		name = ds->publisher_id;
		title = catalog_text(cat, json_object_get(dept, "name"), lang);
	} else {
		if (code && is_ckan_name(code))
			buf_puts(&nm, code);
		else
			buf_puts(&nm, "publisher");
		name = nm.ptr;
		title = catalog_text(cat, json_object_get(city, "name"), lang);
	}
	buf_printf(&u, "%sapi/3/action/organization_show?id=%s", base, name);
	ckan_uuid5_url(u.ptr, id);
	set_str(o, "id", id);
	set_str(o, "name", name);
	set_str(o, "title", title ? title : name);
	set_str(o, "type", "organization");
	set_str(o, "description", "");
	set_str(o, "image_url", "");
	json_object_set_new(o, "is_organization", json_true());
	set_str(o, "approval_status", "approved");
	set_str(o, "state", "active");
	buf_free(&u);
	buf_free(&nm);
	return o;
}

/* Whether s starts with YYYY-MM-DD (ckan_time takes it). */
static int date_ok(const char *s)
{
	int ok = s && strlen(s) >= 10;
	int i;
	for (i = 0; ok && i < 10; i++)
		ok = (i == 4 || i == 7) ? s[i] == '-' : (s[i] >= '0' && s[i] <= '9');
	return ok;
}

/* Whether package() needs today (a date it takes is missing or malformed). */
static int needs_today(const odc_dataset *ds)
{
	const char *i = json_string_value(json_object_get(ds->dp, "issued"));
	const char *m = json_string_value(json_object_get(ds->dp, "modified"));
	return !date_ok(i) || !date_ok(m ? m : i);
}

/* The CKAN package dict of ds (base is the base URL, non-empty). */
static json_t *package(const odc_catalog *cat, const odc_dataset *ds, const char *today, const char *basep)
{
	const char *lang = cat->lang[0], *lang2 = cat->lang[1], *s;
	odc_buf base = ODC_BUF_INIT, page = ODC_BUF_INIT, t = ODC_BUF_INIT;
	json_t *p, *org, *tags, *res, *extras, *v, *x;
	char id[37], created[20], modified[20];
	size_t i;

	buf_puts(&base, basep);
	buf_printf(&page, "%sdatasets/", base.ptr);
	escape_url_segment(&page, ds->slug, strlen(ds->slug));
	buf_putc(&page, '/');
	ckan_uuid5_url(page.ptr, id);
	ckan_time(json_string_value(json_object_get(ds->dp, "issued")), today, created);
	s = json_string_value(json_object_get(ds->dp, "modified"));
	ckan_time(s ? s : json_string_value(json_object_get(ds->dp, "issued")), today, modified);

	p = json_object();
	set_str(p, "id", id);
	set_str(p, "name", ds->slug);
	set_str(p, "title", catalog_text(cat, json_object_get(ds->dp, "title"), lang));
	set_str(p, "notes", catalog_text(cat, json_object_get(ds->dp, "description"), lang));
	set_str(p, "url", page.ptr);
	set_str(p, "version", json_string_value(json_object_get(ds->dp, "version")));
	set_str(p, "license_id", ds->license_id);
	s = catalog_license_title(ds->license_id, lang);
	if (!s && ds->license)
		s = json_string_value(json_object_get(ds->license, "title"));
	set_str(p, "license_title", s ? s : ds->license_id);
	s = catalog_license_url(ds->license_id);
	if (!s && ds->license)
		s = json_string_value(json_object_get(ds->license, "path"));
	set_str(p, "license_url", s);
	org = organization(cat, ds, base.ptr);
	set_str(p, "author", json_string_value(json_object_get(org, "title")));
	set_str(p, "author_email", json_string_value(json_object_get(catalog_publisher(cat, ds->publisher_id), "email")));
	set_str(p, "maintainer", catalog_text(cat, json_object_get(ds->contact, "name"), lang));
	set_str(p, "maintainer_email", json_string_value(json_object_get(ds->contact, "email")));
	set_str(p, "state", "active");
	set_str(p, "type", "dataset");
	json_object_set_new(p, "private", json_false());
	json_object_set_new(p, "isopen", json_boolean(catalog_license_url(ds->license_id) != NULL));
	set_str(p, "metadata_created", created);
	set_str(p, "metadata_modified", modified);
	set_str(p, "owner_org", json_string_value(json_object_get(org, "id")));
	json_object_set_new(p, "organization", org);

	tags = json_array();
	json_array_foreach(catalog_keywords(ds->dp, lang), i, x) {
		json_t *tg;
		size_t j;
		int dup = 0;
		if (!json_is_string(x) || !json_string_length(x))
			continue;
		json_array_foreach(tags, j, v)
			if (!strcmp(json_string_value(json_object_get(v, "name")), json_string_value(x)))
				dup = 1;
		if (dup)
			continue;
		tg = json_object();
		set_str(tg, "name", json_string_value(x));
		set_str(tg, "display_name", json_string_value(x));
		set_str(tg, "state", "active");
		json_object_set_new(tg, "vocabulary_id", json_null());
		json_array_append_new(tags, tg);
	}
	json_object_set_new(p, "num_tags", json_integer((json_int_t)json_array_size(tags)));
	json_object_set_new(p, "tags", tags);
	json_object_set_new(p, "groups", json_array());

	res = json_array();
	for (i = 0; i < ds->nres; i++) {
		const odc_resource *r = &ds->res[i];
		json_t *d = json_object();
		char rid[37];
		char *fmt = xstrdup(r->format ? r->format : "");
		char *q;
		for (q = fmt; *q; q++)
			if (*q >= 'a' && *q <= 'z')
				*q = (char)(*q - 'a' + 'A');
		buf_clear(&t);
		buf_printf(&t, "%s#%s", page.ptr, r->name ? r->name : "");
		ckan_uuid5_url(t.ptr, rid);
		set_str(d, "id", rid);
		set_str(d, "package_id", id);
		s = catalog_text(cat, json_object_get(r->json, "title"), lang);
		set_str(d, "name", s ? s : r->name);
		set_str(d, "description", catalog_text(cat, json_object_get(r->json, "description"), lang));
		buf_clear(&t);
		if (r->is_url) {
			buf_puts(&t, r->path);
		} else {
			buf_puts(&t, page.ptr);
			escape_url_path(&t, r->path, strlen(r->path));
		}
		set_str(d, "url", t.ptr);
		set_str(d, "format", fmt);
		set_str(d, "mimetype", r->mediatype);
		if (!r->is_url) {
			json_object_set_new(d, "size", json_integer((json_int_t)r->bytes));
			buf_clear(&t);
			buf_printf(&t, "sha256:%s", r->sha256);
			set_str(d, "hash", t.ptr);
		} else {
			json_object_set_new(d, "size", json_null());
			set_str(d, "hash", "");
		}
		if (r->encoding)
			set_str(d, "encoding", r->encoding);
		json_object_set_new(d, "position", json_integer((json_int_t)i));
		set_str(d, "state", "active");
		json_object_set_new(d, "url_type", json_null());
		json_object_set_new(d, "datastore_active", json_false());
		set_str(d, "created", created);
		set_str(d, "last_modified", modified);
		json_array_append_new(res, d);
		free(fmt);
	}
	json_object_set_new(p, "num_resources", json_integer((json_int_t)ds->nres));
	json_object_set_new(p, "resources", res);

	/* Everything CKAN has no field for. */
	extras = json_array();
	add_extra(extras, "uri", page.ptr);
	add_extra(extras, "guid", id);
	add_extra(extras, "issued", json_string_value(json_object_get(ds->dp, "issued")));
	add_extra(extras, "modified", json_string_value(json_object_get(ds->dp, "modified")));
	add_extra(extras, "frequency", json_string_value(json_object_get(ds->dp, "accrualPeriodicity")));
	add_extra(extras, "category", catalog_text(cat, json_object_get(ds->dp, "category"), lang));
	add_extra(extras, "conforms_to", json_string_value(json_object_get(ds->dp, "conformsTo")));
	add_extra(extras, "language", lang);
	add_extra(extras, "publisher_name",
		  catalog_text(cat, json_object_get(json_object_get(cat->conf, "publisher"), "name"), lang));
	add_extra(extras, "publisher_code",
		  json_string_value(json_object_get(json_object_get(cat->conf, "publisher"), "code")));
	v = json_object_get(ds->dp, "theme");
	if (json_is_array(v)) {
		buf_clear(&t);
		json_array_foreach(v, i, x)
			if (json_is_string(x))
				buf_printf(&t, "%s%s", t.len ? "," : "", json_string_value(x));
		add_extra(extras, "theme", t.ptr);
	}
	v = json_object_get(ds->dp, "temporal");
	add_extra(extras, "temporal_start", json_string_value(json_object_get(v, "start")));
	add_extra(extras, "temporal_end", json_string_value(json_object_get(v, "end")));
	v = json_object_get(ds->dp, "spatial");
	add_extra(extras, "spatial_text", json_is_object(v) ? catalog_text(cat, json_object_get(v, "name"), lang)
							     : catalog_text(cat, v, lang));
	if (json_is_object(v))
		add_extra(extras, "spatial_code", json_string_value(json_object_get(v, "code")));
	x = json_object_get(v, "bbox");
	if (json_is_array(x) && json_array_size(x) == 4) {
		/* ckanext-spatial reads "spatial" as a GeoJSON geometry. */
		double w = json_number_value(json_array_get(x, 0)), so = json_number_value(json_array_get(x, 1));
		double e = json_number_value(json_array_get(x, 2)), n = json_number_value(json_array_get(x, 3));
		buf_clear(&t);
		buf_printf(&t,
			   "{\"type\": \"Polygon\", \"coordinates\": [[[%.6g, %.6g], [%.6g, %.6g], [%.6g, %.6g], "
			   "[%.6g, %.6g], [%.6g, %.6g]]]}",
			   w, so, e, so, e, n, w, n, w, so);
		add_extra(extras, "spatial", t.ptr);
	}
	if (lang2) {
		buf_clear(&t);
		buf_printf(&t, "title_%s", lang2);
		s = json_string_value(json_object_get(json_object_get(ds->dp, "title"), lang2));
		add_extra(extras, t.ptr, s);
		buf_clear(&t);
		buf_printf(&t, "notes_%s", lang2);
		s = json_string_value(json_object_get(json_object_get(ds->dp, "description"), lang2));
		add_extra(extras, t.ptr, s);
	}
	sort_extras(extras);
	json_object_set_new(p, "extras", extras);

	buf_free(&base);
	buf_free(&page);
	buf_free(&t);
	return p;
}

/* ------------------------------------------------------------------ writing */

static json_t *envelope(const char *base, const char *action, json_t *result)
{
	json_t *e = json_object();
	odc_buf h = ODC_BUF_INIT;
	buf_printf(&h, "%sapi/3/action/help_show?name=%s", base, action);
	set_str(e, "help", h.ptr);
	json_object_set_new(e, "success", json_true());
	json_object_set_new(e, "result", result);
	buf_free(&h);
	return e;
}

/* Appends s as a JSON string (as set_str would store it). */
static void put_json_string(odc_buf *b, const char *s)
{
	json_t *v = json_string(s ? s : "");
	char *t = v ? json_dumps(v, JSON_ENCODE_ANY | JSON_COMPACT) : NULL;
	buf_puts(b, t ? t : "\"\"");
	free(t);
	json_decref(v);
}

/* The envelope around result (compact JSON text), and a newline: the
 * bytes json_dumps gives for {"help", "success": true, "result"}. */
static void envelope_text(odc_buf *b, const char *base, const char *action, const char *result, size_t len)
{
	odc_buf h = ODC_BUF_INIT;
	buf_printf(&h, "%sapi/3/action/help_show?name=%s", base, action);
	buf_puts(b, "{\"help\":");
	put_json_string(b, h.ptr);
	buf_puts(b, ",\"success\":true,\"result\":");
	buf_put(b, result, len);
	buf_puts(b, "}\n");
	buf_free(&h);
}

/* Writes body under api/3/action/<rel> and api/action/<rel>; wrote, when
 * given, hears of each file written. With like (a staged file of the same
 * bytes), both are links to it: one inode for a package's four files. */
static int write_text(odc_out *o, const char *rel, const odc_buf *body, const char *like,
		      void (*wrote)(void *, const char *), void *arg, odc_buf *err)
{
	static const char *const dirs[] = {"api/3/action/", "api/action/"};
	odc_buf p = ODC_BUF_INIT, src = ODC_BUF_INIT, first = ODC_BUF_INIT;
	size_t i;
	int rc = 0;
	for (i = 0; i < 2 && rc == 0; i++) {
		buf_clear(&p);
		buf_printf(&p, "%s%s", dirs[i], rel);
		if (i == 1 && !like) /* the second file links to the first (the same bytes) */
			like = first.ptr;
		if (like) {
			buf_clear(&src);
			buf_printf(&src, "%s/%s", o->stage, like);
			rc = repo_path_is_safe(p.ptr) && out_place(o, src.ptr, NULL, p.ptr) == 0
				     ? 0
				     : out_write(o, p.ptr, body->ptr, body->len);
		} else {
			rc = out_write(o, p.ptr, body->ptr, body->len);
		}
		if (rc < 0)
			buf_printf(err, "cannot write %s", p.ptr);
		else if (wrote)
			wrote(arg, p.ptr);
		if (i == 0)
			buf_puts(&first, p.ptr);
	}
	buf_free(&p);
	buf_free(&first);
	buf_free(&src);
	return rc;
}

/* Writes v (stolen) under api/3/action/<rel> and api/action/<rel>. */
static int write_both(odc_out *o, const char *rel, json_t *v, odc_buf *err)
{
	char *text = json_dumps(v, JSON_COMPACT | JSON_PRESERVE_ORDER);
	odc_buf body = ODC_BUF_INIT;
	int rc;

	json_decref(v);
	buf_puts(&body, text ? text : "{}");
	buf_putc(&body, '\n');
	free(text);
	rc = write_text(o, rel, &body, NULL, NULL, NULL, err);
	buf_free(&body);
	return rc;
}

/* package_show/<name>.json and package_show/<id>.json of one package. */
static int write_show(odc_out *o, const char *base, const odc_ckan_pkg *k, void (*wrote)(void *, const char *),
		      void *arg, odc_buf *err)
{
	odc_buf body = ODC_BUF_INIT, p = ODC_BUF_INIT;
	int rc;
	envelope_text(&body, base, "package_show", k->text, strlen(k->text));
	buf_printf(&p, "package_show/%s.json", k->name);
	rc = write_text(o, p.ptr, &body, NULL, wrote, arg, err);
	if (rc == 0) {
		odc_buf first = ODC_BUF_INIT;
		buf_printf(&first, "api/3/action/%s", p.ptr);
		buf_clear(&p);
		buf_printf(&p, "package_show/%s.json", k->id);
		rc = write_text(o, p.ptr, &body, first.ptr, wrote, arg, err);
		buf_free(&first);
	}
	buf_free(&body);
	buf_free(&p);
	return rc;
}

/* The package of ds as kept for writing (base non-empty). */
static void pkg_of(odc_ckan_pkg *k, const odc_catalog *cat, const odc_dataset *ds, const char *today,
		   const char *base)
{
	json_t *p = package(cat, ds, today, base);
	char *text = json_dumps(p, JSON_COMPACT | JSON_PRESERVE_ORDER);
	k->text = text ? text : xstrdup("{}");
	k->name = xstrdup(json_string_value(json_object_get(p, "name")));
	k->id = xstrdup(json_string_value(json_object_get(p, "id")));
	k->modified = xstrdup(json_string_value(json_object_get(p, "metadata_modified")));
	k->org = xstrdup(json_string_value(json_object_get(json_object_get(p, "organization"), "name")));
	json_decref(p);
}

static void pkg_free(odc_ckan_pkg *k)
{
	free(k->text);
	free(k->name);
	free(k->id);
	free(k->modified);
	free(k->org);
}

json_t *ckan_fragment(const odc_catalog *cat, const odc_dataset *ds, odc_out *o,
		      void (*wrote)(void *, const char *), void *arg, odc_buf *err)
{
	odc_buf base = ODC_BUF_INIT;
	odc_ckan_pkg k;
	json_t *f = NULL;

	dcat_base_url(cat, &base);
	if (!base.len || needs_today(ds)) {
		buf_free(&base);
		return NULL;
	}
	pkg_of(&k, cat, ds, "", base.ptr);
	if (write_show(o, base.ptr, &k, wrote, arg, err) == 0) {
		odc_buf body = ODC_BUF_INIT, head = ODC_BUF_INIT;
		f = json_object();
		json_object_set_new(f, "name", json_string(k.name));
		json_object_set_new(f, "id", json_string(k.id));
		json_object_set_new(f, "modified", json_string(k.modified));
		json_object_set_new(f, "org", json_string(k.org));
		/* The package's text as ckan_add takes it from the package_show
		 * file, kept so that phase C need not read the file. */
		envelope_text(&body, base.ptr, "package_show", k.text, strlen(k.text));
		envelope_text(&head, base.ptr, "package_show", "", 0);
		if (head.len >= 2 && body.len >= head.len && memcmp(body.ptr, head.ptr, head.len - 2) == 0) {
			json_t *t = json_stringn(body.ptr + head.len - 2, body.len - head.len);
			if (t)
				json_object_set_new(f, "text", t);
		}
		buf_free(&body);
		buf_free(&head);
	}
	pkg_free(&k);
	buf_free(&base);
	return f;
}

void ckan_add(odc_ckan *c, const odc_catalog *cat, const odc_dataset *ds, const char *today,
	      const json_t *frag, const odc_out *o)
{
	odc_buf base = ODC_BUF_INIT;
	odc_ckan_pkg *k;
	static const char *const keys[] = {"name", "id", "modified", "org"};
	size_t i;
	int ok = json_is_object(frag);

	for (i = 0; ok && i < sizeof(keys) / sizeof(keys[0]); i++)
		ok = json_is_string(json_object_get(frag, keys[i]));
	dcat_base_url(cat, &base);
	if (!base.len) {
		buf_free(&base);
		return;
	}
	if (!c->orgs)
		c->orgs = json_object();
	if (c->n == c->cap) {
		c->cap = c->cap ? c->cap * 2 : 64;
		c->v = xrealloc(c->v, c->cap * sizeof(*c->v));
	}
	k = &c->v[c->n++];
	if (ok && json_is_string(json_object_get(frag, "text"))) {
		/* The package's text, kept in the fragment. */
		const json_t *t = json_object_get(frag, "text");
		k->text = xstrndup(json_string_value(t), json_string_length(t));
	} else if (ok) {
		/* The package's text is in its package_show file (a fragment
		 * of an older cache). */
		odc_buf p = ODC_BUF_INIT, head = ODC_BUF_INIT;
		size_t len;
		char *body;
		buf_printf(&p, "api/3/action/package_show/%s.json", json_string_value(json_object_get(frag, "name")));
		body = dcat_read_staged(o, p.ptr, &len);
		envelope_text(&head, base.ptr, "package_show", "", 0);
		head.len -= 2; /* "}\n" */
		ok = body && len >= head.len + 2 && !memcmp(body, head.ptr, head.len) &&
		     !memcmp(body + len - 2, "}\n", 2);
		k->text = ok ? xstrndup(body + head.len, len - head.len - 2) : NULL;
		free(body);
		buf_free(&p);
		buf_free(&head);
	}
	if (ok) {
		k->name = xstrdup(json_string_value(json_object_get(frag, "name")));
		k->id = xstrdup(json_string_value(json_object_get(frag, "id")));
		k->modified = xstrdup(json_string_value(json_object_get(frag, "modified")));
		k->org = xstrdup(json_string_value(json_object_get(frag, "org")));
		k->written = 1;
	} else {
		pkg_of(k, cat, ds, today, base.ptr);
		k->written = 0;
	}
	json_object_set_new(c->orgs, k->org, json_true());
	buf_free(&base);
}

static int cmp_id(const void *a, const void *b)
{
	return strcmp((*(odc_ckan_pkg *const *)a)->id, (*(odc_ckan_pkg *const *)b)->id);
}

static int cmp_name(const void *a, const void *b)
{
	return strcmp((*(odc_ckan_pkg *const *)a)->name, (*(odc_ckan_pkg *const *)b)->name);
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Newest metadata_modified first, then by name. */
static int cmp_recent(const void *a, const void *b)
{
	int r = strcmp((*(odc_ckan_pkg *const *)b)->modified, (*(odc_ckan_pkg *const *)a)->modified);
	return r ? r : cmp_name(a, b);
}

/* The URL path of base ("/" or "/sub/"), or NULL when it cannot go into
 * the rewrite rules as is. */
static char *url_path(const char *base)
{
	const char *p = strstr(base, "://"), *q;
	if (!p)
		return NULL;
	p = strchr(p + 3, '/');
	if (!p)
		return xstrdup("/");
	for (q = p; *q; q++)
		if (!((*q >= 'a' && *q <= 'z') || (*q >= 'A' && *q <= 'Z') || (*q >= '0' && *q <= '9') ||
		      strchr("/-_~%", *q)))
			return NULL;
	return xstrdup(p);
}

static const char *const simple_actions = "package_list|organization_list|current_package_list_with_resources";

static void nginx_conf(odc_buf *b, const char *path)
{
	buf_printf(b,
		   "# odcat: a read-only CKAN API v3 subset as static files.\n"
		   "# Include inside the server { } block whose root is the site folder:\n"
		   "#     include /path/to/site/api/nginx.conf;\n"
		   "# Maps the calls CKAN harvesters make (query strings included) onto the\n"
		   "# files under %sapi/3/action/, for /api/3/action/, /api/2/action/ and /api/action/.\n"
		   "location ~ \"^%sapi/(?:[23]/)?action/(?:%s)/?$\" {\n"
		   "\trewrite \"^%sapi/(?:[23]/)?action/([a-z_]+)/?$\" %sapi/3/action/$1.json? last;\n"
		   "}\n"
		   "location ~ \"^%sapi/(?:[23]/)?action/package_show/?$\" {\n"
		   "\terror_page 404 %sapi/3/action/not_found.json;\n"
		   "\tif ($arg_id ~ \"^(?<odcat_ckan_id>[a-z0-9_-]{1,100})$\") {\n"
		   "\t\trewrite ^ %sapi/3/action/package_show/$odcat_ckan_id.json? last;\n"
		   "\t}\n"
		   "\treturn 404;\n"
		   "}\n"
		   "location ~ \"^%sapi/(?:[23]/)?action/package_search/?$\" {\n"
		   "\terror_page 404 %sapi/3/action/not_found.json;\n"
		   "\tif ($arg_start = \"\") {\n"
		   "\t\trewrite ^ %sapi/3/action/package_search.json? last;\n"
		   "\t}\n"
		   "\tif ($arg_start ~ \"^(?<odcat_ckan_start>[0-9]{1,9})$\") {\n"
		   "\t\trewrite ^ %sapi/3/action/package_search/rows-100-start-$odcat_ckan_start.json? last;\n"
		   "\t}\n"
		   "\treturn 404;\n"
		   "}\n"
		   "location ~ \"^%sapi/(?:[23]/)?action/.+\\.json$\" {\n"
		   "\ttypes { }\n"
		   "\tdefault_type application/json;\n"
		   "\tadd_header Access-Control-Allow-Origin \"*\" always;\n"
		   "\terror_page 404 %sapi/3/action/not_found.json;\n"
		   "\ttry_files $uri =404;\n"
		   "}\n"
		   "location ~ \"^%sapi/(?:[23]/)?action/\" {\n"
		   "\terror_page 404 %sapi/3/action/not_found.json;\n"
		   "\treturn 404;\n"
		   "}\n",
		   path, path, simple_actions, path, path, path, path, path, path, path, path, path, path, path,
		   path, path);
}

static void htaccess(odc_buf *b, const char *path)
{
	buf_printf(b,
		   "# odcat: a read-only CKAN API v3 subset as static files (mod_rewrite).\n"
		   "# Needs AllowOverride FileInfo Indexes. Maps the calls CKAN harvesters make (query\n"
		   "# strings included) onto the files under api/3/action/, for /api/3/action/,\n"
		   "# /api/2/action/ and /api/action/.\n"
		   "<IfModule mod_rewrite.c>\n"
		   "RewriteEngine On\n"
		   "RewriteRule ^api/(?:[23]/)?action/(%s)/?$ api/3/action/$1.json [L,QSD]\n"
		   "RewriteCond %%{QUERY_STRING} (?:^|&)id=([a-z0-9_-]{1,100})(?:&|$)\n"
		   "RewriteRule ^api/(?:[23]/)?action/package_show/?$ api/3/action/package_show/%%1.json [L,QSD]\n"
		   "RewriteCond %%{QUERY_STRING} !(?:^|&)start=\n"
		   "RewriteRule ^api/(?:[23]/)?action/package_search/?$ api/3/action/package_search.json [L,QSD]\n"
		   "RewriteCond %%{QUERY_STRING} (?:^|&)start=([0-9]{1,9})(?:&|$)\n"
		   "RewriteRule ^api/(?:[23]/)?action/package_search/?$ "
		   "api/3/action/package_search/rows-100-start-%%1.json [L,QSD]\n"
		   "RewriteCond %%{REQUEST_FILENAME} !-f\n"
		   "RewriteRule ^api/(?:[23]/)?action/ - [R=404,L]\n"
		   "</IfModule>\n"
		   "<If \"%%{REQUEST_URI} =~ m#^%sapi/(?:[23]/)?action/#\">\n"
		   "\tAddType application/json .json\n"
		   "\t# package_show/ and package_search/ are folders too: no redirect to them.\n"
		   "\t<IfModule mod_dir.c>\n"
		   "\t\tDirectorySlash Off\n"
		   "\t</IfModule>\n"
		   "\tErrorDocument 404 %sapi/3/action/not_found.json\n"
		   "\t<IfModule mod_headers.c>\n"
		   "\t\tHeader always set Access-Control-Allow-Origin \"*\"\n"
		   "\t</IfModule>\n"
		   "</If>\n",
		   simple_actions, path, path);
}

int ckan_write(odc_ckan *c, const odc_catalog *cat, odc_out *o, odc_buf *err)
{
	odc_buf base = ODC_BUF_INIT, p = ODC_BUF_INIT, r = ODC_BUF_INIT, body = ODC_BUF_INIT;
	size_t n = c->n, i, start;
	odc_ckan_pkg **v;
	json_t *list;
	const char *key;
	char *path;
	int rc = 0;

	dcat_base_url(cat, &base);
	if (!base.len) {
		buf_free(&base);
		return 0;
	}
	v = xcalloc(n ? n : 1, sizeof(*v));
	for (i = 0; i < n; i++)
		v[i] = &c->v[i];

	/* package_list: names, sorted. */
	qsort(v, n, sizeof(*v), cmp_name);
	list = json_array();
	for (i = 0; i < n; i++)
		json_array_append_new(list, json_string(v[i]->name));
	rc = write_both(o, "package_list.json", envelope(base.ptr, "package_list", list), err);

	/* organization_list: names, sorted (json_object_foreach is unordered). */
	if (rc == 0) {
		size_t no = c->orgs ? json_object_size(c->orgs) : 0, k = 0;
		const char **names = xcalloc(no ? no : 1, sizeof(*names));
		json_t *ov;
		if (c->orgs)
			json_object_foreach(c->orgs, key, ov)
				names[k++] = key;
		qsort(names, no, sizeof(*names), cmp_str);
		list = json_array();
		for (k = 0; k < no; k++)
			json_array_append_new(list, json_string(names[k]));
		free(names);
		rc = write_both(o, "organization_list.json", envelope(base.ptr, "organization_list", list), err);
	}

	/* package_show, by name and by id: those no fragment brought along. */
	for (i = 0; i < n && rc == 0; i++)
		if (!v[i]->written)
			rc = write_show(o, base.ptr, v[i], NULL, NULL, err);

	/* current_package_list_with_resources: newest first. */
	if (rc == 0) {
		qsort(v, n, sizeof(*v), cmp_recent);
		buf_putc(&r, '[');
		for (i = 0; i < n; i++) {
			if (i)
				buf_putc(&r, ',');
			buf_puts(&r, v[i]->text);
		}
		buf_putc(&r, ']');
		envelope_text(&body, base.ptr, "current_package_list_with_resources", r.ptr, r.len);
		rc = write_text(o, "current_package_list_with_resources.json", &body, NULL, NULL, NULL, err);
	}

	/* package_search pages by id, then one empty page. */
	qsort(v, n, sizeof(*v), cmp_id);
	for (start = 0; rc == 0; start += 100) {
		buf_clear(&r);
		buf_printf(&r, "{\"count\":%zu,\"sort\":\"id asc\",\"facets\":{},\"results\":[", n);
		for (i = start; i < n && i < start + 100; i++) {
			if (i > start)
				buf_putc(&r, ',');
			buf_puts(&r, v[i]->text);
		}
		buf_puts(&r, "],\"search_facets\":{}}");
		buf_clear(&body);
		envelope_text(&body, base.ptr, "package_search", r.ptr, r.len);
		if (start == 0)
			rc = write_text(o, "package_search.json", &body, NULL, NULL, NULL, err);
		buf_clear(&p);
		buf_printf(&p, "package_search/rows-100-start-%zu.json", start);
		if (rc == 0)
			rc = write_text(o, p.ptr, &body, NULL, NULL, NULL, err);
		if (start >= n)
			break;
	}

	if (rc == 0) {
		json_t *nf = json_object(), *er = json_object();
		odc_buf h = ODC_BUF_INIT;
		buf_printf(&h, "%sapi/3/action/help_show?name=package_show", base.ptr);
		set_str(nf, "help", h.ptr);
		json_object_set_new(nf, "success", json_false());
		set_str(er, "message", "Not found");
		set_str(er, "__type", "Not Found Error");
		json_object_set_new(nf, "error", er);
		rc = write_both(o, "not_found.json", nf, err);
		buf_free(&h);
	}

	path = url_path(base.ptr);
	if (rc == 0 && path) {
		buf_clear(&p);
		nginx_conf(&p, path);
		rc = out_write(o, "api/nginx.conf", p.ptr, p.len);
		if (rc < 0)
			buf_printf(err, "cannot write api/nginx.conf");
	}
	if (rc == 0 && path) {
		buf_clear(&p);
		htaccess(&p, path);
		rc = out_write(o, ".htaccess", p.ptr, p.len);
		if (rc < 0)
			buf_printf(err, "cannot write .htaccess");
	}
	free(path);
	free(v);
	buf_free(&base);
	buf_free(&p);
	buf_free(&r);
	buf_free(&body);
	return rc;
}

void ckan_free(odc_ckan *c)
{
	size_t i;
	for (i = 0; i < c->n; i++)
		pkg_free(&c->v[i]);
	free(c->v);
	json_decref(c->orgs);
	c->v = NULL;
	c->n = c->cap = 0;
	c->orgs = NULL;
}
