/*
 * mqa.c — MQA points and 5-star ratings (see mqa.h).
 */
#include "mqa.h"

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "buf.h"
#include "dcat.h"
#include "odc.h"
#include "out.h"

/* The indicator table: id, dimension, points. */
static const struct {
	const char *id;
	int dim, max, per_res;
} table[ODC_MQA_INDICATORS] = {
	{"keywords", 0, 30, 0},
	{"themes", 0, 30, 0},
	{"spatial", 0, 20, 0},
	{"temporal", 0, 20, 0},
	{"access_url", 1, 50, 1},
	{"download_url", 1, 20, 1},
	{"download_url_ok", 1, 30, 1},
	{"format", 2, 20, 1},
	{"mediatype", 2, 10, 1},
	{"format_vocab", 2, 10, 1},
	{"nonproprietary", 2, 20, 1},
	{"machine_readable", 2, 20, 1},
	{"dcat_ap", 2, 30, 0},
	{"license", 3, 20, 0},
	{"license_vocab", 3, 10, 0},
	{"access_rights", 3, 10, 0},
	{"access_rights_vocab", 3, 5, 0},
	{"contact", 3, 20, 0},
	{"publisher", 3, 10, 0},
	{"rights", 4, 5, 0},
	{"byte_size", 4, 5, 1},
	{"issued", 4, 5, 0},
	{"modified", 4, 5, 0},
};

static const char *const dim_names[ODC_MQA_DIMS] = {"findability", "accessibility", "interoperability",
						    "reusability", "contextuality"};

static char *site_dir; /* a copy: the build's odc_out may go first */

/* During a build: the output whose written files count (out.h). */
static odc_out *site_out;

void mqa_set_site_dir(const char *dir)
{
	site_out = NULL;
	free(site_dir);
	site_dir = dir ? xstrdup(dir) : NULL;
}

const char *mqa_site_dir(void)
{
	return site_dir;
}

void mqa_set_site_out(odc_out *o)
{
	mqa_set_site_dir(o ? o->stage : NULL);
	site_out = o;
}

int mqa_site_has_file(const char *relpath, void *arg)
{
	odc_buf p = ODC_BUF_INIT;
	struct stat st;
	int ok;
	if (!arg || !relpath)
		return 0;
	/* A stage taken over from the spare holds files of an earlier build:
	 * only what this build wrote is in the site. */
	if (site_out && arg == site_dir)
		return out_written(site_out, relpath);
	buf_printf(&p, "%s/%s", (const char *)arg, relpath);
	ok = stat(p.ptr, &st) == 0 && S_ISREG(st.st_mode);
	buf_free(&p);
	return ok;
}

static int in_list(const char *s, const char *const *list)
{
	for (; s && *list; list++)
		if (!strcmp(s, *list))
			return 1;
	return 0;
}

/* The EU file-type codes catalog.ttl writes as dct:format (dcatap.c). */
static const char *const vocab_formats[] = {"csv", "json", "pdf", "geojson", "zip", "xlsx",
					    "xls", "xml", "html", "txt", NULL};
static const char *const open_formats[] = {"csv", "tsv", "json", "geojson", "jsonld", "xml", "rdf",
					   "ttl", "nt", "txt", "html", "ods", "kml", "gml", "gpx", NULL};
static const char *const machine_formats[] = {"csv", "tsv", "json", "geojson", "jsonld", "xml",
					      "rdf", "ttl", "nt", "ods", "xlsx", "xls", "kml", "gml",
					      "gpx", NULL};

static int nonempty_str(const json_t *v)
{
	return json_is_string(v) && json_string_length(v) > 0;
}

/* A string, a non-empty array with a string, or a non-empty object. */
static int present(const json_t *v)
{
	size_t i;
	json_t *x;
	if (json_is_object(v))
		return json_object_size(v) > 0;
	if (json_is_array(v)) {
		json_array_foreach(v, i, x)
			if (present(x))
				return 1;
		return 0;
	}
	return nonempty_str(v);
}

/* The media type names an open, structured format (a JSON API has format "api"). */
static int open_mediatype(const char *m)
{
	return m && (strstr(m, "json") || strstr(m, "csv") || strstr(m, "xml"));
}

static int has_license(const odc_dataset *ds)
{
	return (ds->license_id && *ds->license_id) ||
	       (ds->license && nonempty_str(json_object_get(ds->license, "path")));
}

static int is_http_uri(const char *s)
{
	return s && (!strncmp(s, "http://", 7) || !strncmp(s, "https://", 8)) && !strchr(s, ' ');
}

int mqa_stars(const odc_dataset *ds, const odc_resource *r)
{
	json_t *schema, *f;
	size_t i;
	int uris = 0, s;

	if (!has_license(ds))
		return 0;
	if (in_list(r->format, open_formats) || open_mediatype(r->mediatype))
		s = 3;
	else if (in_list(r->format, machine_formats))
		s = 2;
	else
		return 1;
	schema = json_object_get(r->json, "schema");
	if (s < 3 || !r->is_csv || !json_is_object(schema))
		return s;
	json_array_foreach(json_object_get(schema, "fields"), i, f)
		if (is_http_uri(json_string_value(json_object_get(f, "rdfType"))))
			uris = 1;
	if (!uris)
		return 3;
	return json_array_size(json_object_get(schema, "foreignKeys")) > 0 ? 5 : 4;
}

/* Whether resource r meets distribution-level indicator i. */
static int res_meets(int i, const odc_dataset *ds, const odc_resource *r, odc_mqa_has_file has_file,
		     void *arg)
{
	const char *id = table[i].id;
	if (!strcmp(id, "access_url") || !strcmp(id, "download_url_ok")) {
		odc_buf p = ODC_BUF_INIT;
		int ok;
		if (r->is_url || !has_file)
			return 0;
		buf_printf(&p, "datasets/%s/%s", ds->slug, r->path);
		ok = has_file(p.ptr, arg);
		buf_free(&p);
		return ok;
	}
	if (!strcmp(id, "download_url") || !strcmp(id, "byte_size"))
		return !r->is_url;
	if (!strcmp(id, "format"))
		return r->format && *r->format;
	if (!strcmp(id, "mediatype"))
		return r->mediatype && *r->mediatype;
	if (!strcmp(id, "format_vocab"))
		return in_list(r->format, vocab_formats);
	if (!strcmp(id, "nonproprietary"))
		return in_list(r->format, open_formats) || open_mediatype(r->mediatype);
	if (!strcmp(id, "machine_readable"))
		return in_list(r->format, machine_formats) || open_mediatype(r->mediatype);
	return 0;
}

/* Whether dataset-level indicator i is met. */
static int ds_meets(int i, const odc_catalog *cat, const odc_dataset *ds)
{
	const char *id = table[i].id;
	const json_t *dp = ds->dp;
	json_t *v;
	if (!strcmp(id, "keywords"))
		return present(catalog_keywords(dp, cat->lang[0]));
	if (!strcmp(id, "themes"))
		return present(json_object_get(dp, "theme"));
	if (!strcmp(id, "spatial"))
		return present(json_object_get(dp, "spatial"));
	if (!strcmp(id, "temporal")) {
		v = json_object_get(dp, "temporal");
		return nonempty_str(json_object_get(v, "start")) || nonempty_str(json_object_get(v, "end"));
	}
	if (!strcmp(id, "dcat_ap")) {
		odc_buf b = ODC_BUF_INIT;
		int ok;
		dcat_base_url(cat, &b);
		ok = b.len > 0;
		buf_free(&b);
		return ok;
	}
	if (!strcmp(id, "license"))
		return has_license(ds);
	if (!strcmp(id, "license_vocab"))
		return catalog_license_url(ds->license_id) != NULL;
	if (!strcmp(id, "access_rights"))
		return nonempty_str(json_object_get(dp, "accessRights"));
	if (!strcmp(id, "access_rights_vocab")) {
		static const char *const codes[] = {"PUBLIC", "RESTRICTED", "NON_PUBLIC", NULL};
		const char *s = json_string_value(json_object_get(dp, "accessRights"));
		const char *eu = "http://publications.europa.eu/resource/authority/access-right/";
		if (s && !strncmp(s, eu, strlen(eu)))
			s += strlen(eu);
		return in_list(s, codes);
	}
	if (!strcmp(id, "contact"))
		return ds->contact && (catalog_text(cat, json_object_get(ds->contact, "name"), NULL) ||
				       nonempty_str(json_object_get(ds->contact, "email")));
	if (!strcmp(id, "publisher")) {
		json_t *dept = catalog_publisher(cat, ds->publisher_id);
		json_t *city = json_object_get(cat->conf, "publisher");
		return catalog_text(cat, json_object_get(dept ? dept : city, "name"), NULL) != NULL;
	}
	if (!strcmp(id, "rights"))
		return present(json_object_get(dp, "rights"));
	if (!strcmp(id, "issued"))
		return nonempty_str(json_object_get(dp, "issued"));
	if (!strcmp(id, "modified"))
		return nonempty_str(json_object_get(dp, "modified"));
	return 0;
}

void mqa_score(const odc_catalog *cat, const odc_dataset *ds, odc_mqa_has_file has_file, void *arg,
	       odc_mqa *out)
{
	int i;
	memset(out, 0, sizeof(*out));
	for (i = 0; i < ODC_MQA_DIMS; i++)
		out->dims[i].name = dim_names[i];
	for (i = 0; i < ODC_MQA_INDICATORS; i++) {
		odc_mqa_item *it = &out->items[i];
		it->id = table[i].id;
		it->dim = table[i].dim;
		it->max = table[i].max;
		if (table[i].per_res) {
			size_t j, k = 0, n = ds->nres;
			for (j = 0; j < n; j++)
				k += (size_t)res_meets(i, ds, &ds->res[j], has_file, arg) != 0;
			/* round(max * k / n), halves up */
			it->points = n ? (int)(((size_t)it->max * k * 2 + n) / (2 * n)) : 0;
		} else {
			it->points = ds_meets(i, cat, ds) ? it->max : 0;
		}
		out->dims[it->dim].points += it->points;
		out->dims[it->dim].max += it->max;
		out->points += it->points;
		out->max += it->max;
	}
}

const char *mqa_rating(int points)
{
	return points >= 351 ? "excellent" : points >= 221 ? "good" : points >= 121 ? "sufficient" : "bad";
}

void mqa_tally_add(odc_mqa_tally *t, const odc_catalog *cat, const odc_dataset *ds)
{
	odc_mqa q;
	const char *r;
	mqa_score(cat, ds, mqa_site_has_file, (void *)site_dir, &q);
	r = mqa_rating(q.points);
	t->n[!strcmp(r, "excellent") ? 0 : !strcmp(r, "good") ? 1 : !strcmp(r, "sufficient") ? 2 : 3]++;
	t->sum += q.points;
}

void mqa_tally_print(const odc_mqa_tally *t, FILE *f, const char *lang)
{
	size_t n = t->n[0] + t->n[1] + t->n[2] + t->n[3];
	long mean;
	if (!n)
		return;
	mean = (long)((t->sum * 2 + (long)n) / (2 * (long)n));
	if (lang && !strcmp(lang, "ja"))
		fprintf(f, "odcat: メタデータの品質: 優良 %zu 件、良好 %zu 件、可 %zu 件、不十分 %zu 件（平均 %ld/%d）\n",
			t->n[0], t->n[1], t->n[2], t->n[3], mean, ODC_MQA_MAX);
	else
		fprintf(f, "odcat: metadata quality: %zu excellent, %zu good, %zu sufficient, %zu bad (mean %ld/%d)\n",
			t->n[0], t->n[1], t->n[2], t->n[3], mean, ODC_MQA_MAX);
}
