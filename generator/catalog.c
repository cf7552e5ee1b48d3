/*
 * catalog.c — loading odcat.json and the dataset folders (see catalog.h).
 */
#include "catalog.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "csvscan.h"
#include "digest.h"
#include "markdown.h"
#include "odc.h"

/*====================================================================
 * Licences
 *====================================================================*/

typedef struct license_info {
	const char *id;
	const char *url;
	const char *title_ja;
	const char *title_en;
} license_info;

/* One table maps every licence id odcat knows to its URL and title. */
static const license_info licenses[] = {
	{"CC-BY-4.0", "https://creativecommons.org/licenses/by/4.0/",
	 "クリエイティブ・コモンズ 表示 4.0 国際", "Creative Commons Attribution 4.0 International"},
	{"CC-BY-SA-4.0", "https://creativecommons.org/licenses/by-sa/4.0/",
	 "クリエイティブ・コモンズ 表示-継承 4.0 国際", "Creative Commons Attribution-ShareAlike 4.0 International"},
	{"CC-BY-2.1-JP", "https://creativecommons.org/licenses/by/2.1/jp/",
	 "クリエイティブ・コモンズ 表示 2.1 日本", "Creative Commons Attribution 2.1 Japan"},
	{"CC0-1.0", "https://creativecommons.org/publicdomain/zero/1.0/",
	 "CC0 1.0 全世界 パブリック・ドメイン提供", "CC0 1.0 Universal Public Domain Dedication"},
	{"ODbL-1.0", "https://opendatacommons.org/licenses/odbl/1-0/",
	 "Open Data Commons Open Database License 1.0", "Open Data Commons Open Database License 1.0"},
	{"ODC-By-1.0", "https://opendatacommons.org/licenses/by/1-0/",
	 "Open Data Commons Attribution License 1.0", "Open Data Commons Attribution License 1.0"},
	{"PDDL-1.0", "https://opendatacommons.org/licenses/pddl/1-0/",
	 "Open Data Commons Public Domain Dedication and License 1.0",
	 "Open Data Commons Public Domain Dedication and License 1.0"},
	{"gov-std-2.0", "https://www.digital.go.jp/resources/open_data/",
	 "政府標準利用規約（第2.0版）", "Government of Japan Standard Terms of Use (Version 2.0)"},
	{"PDL-1.0", "https://www.digital.go.jp/resources/open_data/public_data_license_v1.0",
	 "公共データ利用規約（第1.0版）", "Public Data License (Version 1.0)"},
};

static const license_info *license_find(const char *id)
{
	size_t i;
	if (!id)
		return NULL;
	for (i = 0; i < sizeof(licenses) / sizeof(licenses[0]); i++)
		if (!strcasecmp(licenses[i].id, id))
			return &licenses[i];
	return NULL;
}

const char *catalog_license_url(const char *id)
{
	const license_info *l = license_find(id);
	return l ? l->url : NULL;
}

const char *catalog_license_title(const char *id, const char *lang)
{
	const license_info *l = license_find(id);
	if (!l)
		return NULL;
	return lang && !strcmp(lang, "ja") ? l->title_ja : l->title_en;
}

/*====================================================================
 * Accessors
 *====================================================================*/

const char *catalog_text(const odc_catalog *cat, const json_t *v, const char *lang)
{
	const char *k;
	json_t *x;

	if (!v)
		return NULL;
	if (json_is_string(v))
		return json_string_value(v);
	if (!json_is_object(v))
		return NULL;
	if (lang && json_is_string(json_object_get(v, lang)))
		return json_string_value(json_object_get(v, lang));
	if (cat && cat->lang[0] && json_is_string(json_object_get(v, cat->lang[0])))
		return json_string_value(json_object_get(v, cat->lang[0]));
	json_object_foreach((json_t *)v, k, x)
		if (json_is_string(x))
			return json_string_value(x);
	return NULL;
}

json_t *catalog_keywords(const json_t *dp, const char *lang)
{
	json_t *k = json_object_get(dp, "keywords");
	const char *key;
	json_t *x;

	if (json_is_array(k))
		return k;
	if (!json_is_object(k))
		return NULL;
	if (lang && json_is_array(json_object_get(k, lang)))
		return json_object_get(k, lang);
	json_object_foreach(k, key, x)
		if (json_is_array(x))
			return x;
	return NULL;
}

json_t *catalog_publisher(const odc_catalog *cat, const char *id)
{
	json_t *p;
	if (!id)
		return NULL;
	p = json_object_get(json_object_get(cat->conf, "publishers"), id);
	return json_is_object(p) ? p : NULL;
}

int catalog_slug_is_valid(const char *s)
{
	size_t i;
	if (!s || !*s || strlen(s) > ODC_MAX_SLUG)
		return 0;
	if (!((s[0] >= 'a' && s[0] <= 'z') || (s[0] >= '0' && s[0] <= '9')))
		return 0;
	for (i = 1; s[i]; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= '0' && s[i] <= '9') || s[i] == '-'))
			return 0;
	return 1;
}

/* True when a language map or string has at least one non-empty text. */
static int has_text(const json_t *v)
{
	const char *k;
	json_t *x;
	if (json_is_string(v))
		return json_string_length(v) > 0;
	if (!json_is_object(v))
		return 0;
	json_object_foreach((json_t *)v, k, x)
		if (json_is_string(x) && json_string_length(x) > 0)
			return 1;
	return 0;
}

/*====================================================================
 * odcat.json
 *====================================================================*/

static json_t *parse_json(const char *data, size_t len, const char *file, odc_buf *msg,
			  odc_buf *hint, long *line, long *col)
{
	json_error_t e;
	json_t *j = json_loadb(data, len, JSON_REJECT_DUPLICATES, &e);

	if (!j) {
		*line = e.line;
		*col = e.column;
		buf_printf(msg, "%s:%d:%d: invalid JSON: %s", file, e.line, e.column, e.text);
		buf_printf(hint, "fix the JSON syntax (a missing comma or quote, or a duplicated key); "
				 "a JSON linter shows the exact spot");
	}
	return j;
}

int catalog_load(odc_catalog *cat, odc_repo *r, odc_buf *msg, odc_buf *hint)
{
	odc_blob b;
	long line = 0, col = 0;
	json_t *langs;
	int rc;

	memset(cat, 0, sizeof(*cat));
	rc = repo_read(r, "odcat.json", ODC_MAX_JSON_BYTES, &b);
	if (rc == ODC_ENOTFOUND) {
		buf_printf(msg, "odcat.json: not found at the root of revision %s", repo_commit_id(r));
		buf_printf(hint, "create odcat.json with at least {\"title\": ...} and commit it "
				 "(see README.md, \"Catalogue settings\")");
		return ODC_ENOTFOUND;
	}
	if (rc < 0) {
		buf_printf(msg, "odcat.json: cannot be read (%s)",
			   rc == ODC_ETYPE ? "it is not a regular file: a symlink, folder or submodule"
			   : rc == ODC_ELIMIT ? "it is larger than 8 MB" : "read error");
		buf_printf(hint, "commit odcat.json as a regular file");
		return ODC_EINVALID;
	}
	cat->conf = parse_json(b.data, b.len, "odcat.json", msg, hint, &line, &col);
	repo_blob_free(&b);
	if (!cat->conf)
		return ODC_EINVALID;
	if (!json_is_object(cat->conf)) {
		buf_printf(msg, "odcat.json: the top level must be a JSON object");
		buf_printf(hint, "write the settings as {\"title\": ..., \"languages\": [\"ja\", \"en\"], ...}");
		goto invalid;
	}
	if (!has_text(json_object_get(cat->conf, "title"))) {
		buf_printf(msg, "odcat.json: \"title\" is missing or empty");
		buf_printf(hint, "add \"title\": {\"ja\": \"...\", \"en\": \"...\"} (or a plain string)");
		goto invalid;
	}
	langs = json_object_get(cat->conf, "languages");
	if (langs && (!json_is_array(langs) || json_array_size(langs) == 0 ||
		      json_array_size(langs) > 2 || !json_is_string(json_array_get(langs, 0)) ||
		      (json_array_size(langs) == 2 && !json_is_string(json_array_get(langs, 1))))) {
		buf_printf(msg, "odcat.json: \"languages\" must be an array of one or two language codes");
		buf_printf(hint, "write \"languages\": [\"ja\", \"en\"] (the first is the primary language)");
		goto invalid;
	}
	cat->lang[0] = langs ? json_string_value(json_array_get(langs, 0)) : "ja";
	cat->lang[1] = langs && json_array_size(langs) > 1 ? json_string_value(json_array_get(langs, 1))
							    : (langs ? NULL : "en");
	if (json_object_get(cat->conf, "base_url") &&
	    !json_is_string(json_object_get(cat->conf, "base_url"))) {
		buf_printf(msg, "odcat.json: \"base_url\" must be a string");
		buf_printf(hint, "write \"base_url\": \"https://opendata.example.jp/\"");
		goto invalid;
	}
	cat->base_url = json_string_value(json_object_get(cat->conf, "base_url"));
	if (!cat->base_url)
		cat->base_url = "";
	if (json_object_get(cat->conf, "publishers") &&
	    !json_is_object(json_object_get(cat->conf, "publishers"))) {
		buf_printf(msg, "odcat.json: \"publishers\" must be an object of departments by id");
		buf_printf(hint, "write \"publishers\": {\"kankyo\": {\"name\": {\"ja\": \"環境局\"}, \"email\": ...}}");
		goto invalid;
	}
	if (json_object_get(cat->conf, "license") &&
	    !json_is_string(json_object_get(cat->conf, "license"))) {
		buf_printf(msg, "odcat.json: \"license\" must be a licence id such as \"CC-BY-4.0\"");
		buf_printf(hint, "write \"license\": \"CC-BY-4.0\"");
		goto invalid;
	}
	return ODC_OK;
invalid:
	json_decref(cat->conf);
	cat->conf = NULL;
	return ODC_EINVALID;
}

void catalog_free(odc_catalog *cat)
{
	json_decref(cat->conf);
	memset(cat, 0, sizeof(*cat));
}

/*====================================================================
 * Listing datasets
 *====================================================================*/

static const char *kind_name(odc_entry_kind k)
{
	switch (k) {
	case ODC_ENTRY_LINK: return "a symbolic link";
	case ODC_ENTRY_SUBMODULE: return "a submodule";
	case ODC_ENTRY_DIR: return "a folder";
	case ODC_ENTRY_FILE: return "a file";
	default: return "a special file";
	}
}

char **catalog_list(odc_repo *r, size_t *n, odc_diags *d)
{
	odc_entry *e = NULL;
	size_t ne = 0, i;
	char **slugs;
	int rc;

	*n = 0;
	rc = repo_list(r, "datasets", &e, &ne);
	if (rc == ODC_ENOTFOUND) {
		diag_add(d, ODC_SEV_WARNING, "odcat-no-datasets", "datasets", 0, 0,
			 "create datasets/<slug>/ with datapackage.json, README.md and the data files",
			 "the revision has no datasets/ folder: the catalogue is empty");
		return xcalloc(1, sizeof(char *));
	}
	if (rc < 0) {
		diag_add(d, ODC_SEV_ERROR, "odcat-no-datasets", "datasets", 0, 0, NULL,
			 "datasets is not a folder: the catalogue is empty");
		return xcalloc(1, sizeof(char *));
	}
	slugs = xcalloc(ne ? ne : 1, sizeof(char *));
	for (i = 0; i < ne; i++) {
		odc_buf path = ODC_BUF_INIT;
		buf_printf(&path, "datasets/%s", e[i].name);
		if (e[i].kind != ODC_ENTRY_DIR) {
			/* Plain files next to the dataset folders (a README, say) are fine. */
			if (e[i].kind != ODC_ENTRY_FILE)
				diag_add(d, ODC_SEV_ERROR, "odcat-unsafe-path", buf_cstr(&path), 0, 0,
					 "a dataset must be a folder committed in this repository",
					 "%s is %s, not a dataset folder: skipped", buf_cstr(&path),
					 kind_name(e[i].kind));
		} else if (!catalog_slug_is_valid(e[i].name)) {
			diag_add(d, ODC_SEV_ERROR, "odcat-invalid-slug", buf_cstr(&path), 0, 0,
				 "rename the folder with lower-case ASCII letters, digits and hyphens, "
				 "starting with a letter or digit (e.g. \"aed-locations\")",
				 "dataset folder name \"%s\" is not a valid slug [a-z0-9][a-z0-9-]*: "
				 "dataset not published", e[i].name);
		} else {
			slugs[(*n)++] = xstrdup(e[i].name);
		}
		buf_free(&path);
	}
	repo_entries_free(e, ne);
	return slugs;
}

void catalog_slugs_free(char **slugs, size_t n)
{
	size_t i;
	for (i = 0; i < n; i++)
		free(slugs[i]);
	free(slugs);
}

/*====================================================================
 * Loading one dataset
 *====================================================================*/

static int is_url(const char *p)
{
	return !strncasecmp(p, "http://", 7) || !strncasecmp(p, "https://", 8);
}

/* Lower-cases an ASCII string in place. */
static void lower(char *s)
{
	for (; *s; s++)
		if (*s >= 'A' && *s <= 'Z')
			*s = (char)(*s - 'A' + 'a');
}

static const char *ext_of(const char *path)
{
	const char *slash = strrchr(path, '/');
	const char *dot = strrchr(slash ? slash : path, '.');
	return dot ? dot + 1 : "";
}

static const char *mediatype_of(const char *format)
{
	static const char *const map[][2] = {
		{"csv", "text/csv"}, {"json", "application/json"},
		{"geojson", "application/geo+json"}, {"pdf", "application/pdf"},
		{"zip", "application/zip"}, {"xml", "application/xml"},
		{"xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"},
		{"xls", "application/vnd.ms-excel"}, {"txt", "text/plain"},
		{"html", "text/html"}, {"png", "image/png"}, {"jpg", "image/jpeg"},
		{"kml", "application/vnd.google-earth.kml+xml"},
	};
	size_t i;
	for (i = 0; i < sizeof(map) / sizeof(map[0]); i++)
		if (!strcmp(map[i][0], format))
			return map[i][1];
	return "application/octet-stream";
}

/* Hidden segments (".git", ".env") are refused as Frictionless v2 does. */
static int has_hidden_segment(const char *p)
{
	if (*p == '.')
		return 1;
	return strstr(p, "/.") != NULL;
}

typedef struct count_state {
	long records;
} count_state;

static int count_record(void *payload, const odc_record *rec)
{
	(void)rec;
	((count_state *)payload)->records++;
	return 0;
}

/* Output names that odcat itself writes into datasets/<slug>/. */
static int is_reserved_name(const char *path)
{
	return !strcmp(path, "index.html") || !strcmp(path, "datapackage.json");
}

static int load_resource(odc_resource *res, json_t *rj, size_t idx, const odc_dataset *ds,
			 odc_repo *r, odc_diags *d)
{
	const char *dpfile_fmt = "%s/datapackage.json";
	odc_buf dpfile = ODC_BUF_INIT, full = ODC_BUF_INIT;
	json_t *path = json_object_get(rj, "path");
	json_t *name = json_object_get(rj, "name");
	json_t *fmt = json_object_get(rj, "format");
	json_t *enc = json_object_get(rj, "encoding");
	json_t *mt = json_object_get(rj, "mediatype");
	odc_entry_kind kind;
	size_t size;
	int ok = -1, rc;

	buf_printf(&dpfile, dpfile_fmt, ds->dir);
	res->json = rj;
	res->rows = -1;
	if (!json_is_object(rj)) {
		diag_add(d, ODC_SEV_ERROR, "resource-error", buf_cstr(&dpfile), 0, 0,
			 "each entry of \"resources\" is an object with \"name\" and \"path\"",
			 "resources[%zu] is not an object", idx);
		goto done;
	}
	if (!json_is_string(path) || json_string_length(path) == 0) {
		diag_add(d, ODC_SEV_ERROR, "resource-error", buf_cstr(&dpfile), 0, 0,
			 json_is_array(path) ? "odcat does not join multi-part resources yet: "
					       "commit the parts as one file"
					     : "give the file name relative to the dataset folder, e.g. \"path\": \"data.csv\"",
			 "resources[%zu]: \"path\" must be a non-empty string", idx);
		goto done;
	}
	res->path = xstrdup(json_string_value(path));
	res->name = xstrdup(json_is_string(name) ? json_string_value(name) : res->path);
	if (strlen(res->path) != json_string_length(path)) {
		diag_add(d, ODC_SEV_ERROR, "odcat-unsafe-path", buf_cstr(&dpfile), 0, 0,
			 "remove the NUL character from the path", "resources[%zu]: path contains a NUL byte", idx);
		goto done;
	}
	res->is_url = is_url(res->path);
	if (json_is_string(fmt))
		res->format = xstrdup(json_string_value(fmt));
	else
		res->format = xstrdup(res->is_url ? "html" : ext_of(res->path));
	lower(res->format);
	if (!*res->format) {
		free(res->format);
		res->format = xstrdup("bin");
	}
	res->mediatype = xstrdup(json_is_string(mt) ? json_string_value(mt) : mediatype_of(res->format));
	res->encoding = json_is_string(enc) ? xstrdup(json_string_value(enc)) : NULL;
	res->has_schema = json_object_get(rj, "schema") != NULL;
	if (res->is_url) {
		res->sha256[0] = '\0';
		ok = 0;
		goto done;
	}
	if (!repo_path_is_safe(res->path) || has_hidden_segment(res->path) ||
	    strchr(res->path, ':')) {
		diag_add(d, ODC_SEV_ERROR, "odcat-unsafe-path", buf_cstr(&dpfile), 0, 0,
			 "a resource path is relative to the dataset folder, with '/' between folders, "
			 "and may not contain \"..\", \"\\\", hidden names (\".x\") or start with '/'",
			 "resources[%zu]: path \"%s\" is not allowed", idx, res->path);
		goto done;
	}
	if (is_reserved_name(res->path)) {
		diag_add(d, ODC_SEV_ERROR, "odcat-output-collision", buf_cstr(&dpfile), 0, 0,
			 "rename the file: odcat writes its own index.html and datapackage.json there",
			 "resources[%zu]: path \"%s\" collides with a file odcat generates", idx, res->path);
		goto done;
	}
	buf_printf(&full, "%s/%s", ds->dir, res->path);
	rc = repo_stat(r, buf_cstr(&full), &kind, &size);
	if (rc == ODC_ENOTFOUND) {
		diag_add(d, ODC_SEV_ERROR, "odcat-missing-resource", buf_cstr(&dpfile), 0, 0,
			 "commit the file, or correct \"path\" (names are case-sensitive)",
			 "resources[%zu]: file %s is not in the revision", idx, buf_cstr(&full));
		goto done;
	}
	if (rc < 0 || kind != ODC_ENTRY_FILE) {
		diag_add(d, ODC_SEV_ERROR, "odcat-unsafe-path", buf_cstr(&full), 0, 0,
			 "commit the data itself as a regular file; symbolic links and submodules are "
			 "never followed",
			 "resources[%zu]: %s is %s, not a regular file", idx, buf_cstr(&full),
			 kind_name(kind));
		goto done;
	}
	{
		odc_blob b;
		rc = repo_read(r, buf_cstr(&full), ODC_MAX_RESOURCE_BYTES, &b);
		if (rc < 0) {
			diag_add(d, ODC_SEV_ERROR, "odcat-resource-unreadable", buf_cstr(&full), 0, 0,
				 rc == ODC_ELIMIT ? "split the file or publish it elsewhere and link it by URL" : NULL,
				 "the file cannot be read%s", rc == ODC_ELIMIT ? ": larger than 2 GiB" : "");
			goto done;
		}
		res->bytes = b.len;
		digest_sha256_hex(b.data, b.len, res->sha256);
		res->is_csv = !strcmp(res->format, "csv") || !strcmp(res->mediatype, "text/csv");
		if (res->is_csv) {
			odc_csv_opts o = {0, 0, res->encoding};
			json_t *dialect = json_object_get(rj, "dialect");
			json_t *delim = json_object_get(dialect, "delimiter");
			json_t *quote = json_object_get(dialect, "quoteChar");
			count_state cs = {0};
			json_t *header = json_object_get(dialect, "header");
			if (json_is_string(delim) && json_string_length(delim) == 1)
				o.delimiter = json_string_value(delim)[0];
			if (json_is_string(quote) && json_string_length(quote) == 1)
				o.quote = json_string_value(quote)[0];
			if (csvscan_run(b.data, b.len, &o, count_record, &cs, buf_cstr(&full), d) < 0) {
				repo_blob_free(&b);
				goto done;
			}
			res->rows = json_is_false(header) ? cs.records
							  : (cs.records > 0 ? cs.records - 1 : 0);
		}
		repo_blob_free(&b);
	}
	ok = 0;
done:
	buf_free(&dpfile);
	buf_free(&full);
	return ok;
}

/* Reads an optional Markdown file of the dataset. Returns -1 (with a
 * diagnostic) when it exists but cannot be used. */
static int load_readme(odc_repo *r, const char *dir, const char *name, char **out,
		       size_t *out_len, odc_diags *d)
{
	odc_buf path = ODC_BUF_INIT;
	odc_blob b;
	int rc, ok = 0;

	buf_printf(&path, "%s/%s", dir, name);
	rc = repo_read(r, buf_cstr(&path), ODC_MARKDOWN_MAX_BYTES, &b);
	if (rc == ODC_ENOTFOUND) {
		goto done;
	} else if (rc == ODC_ELIMIT) {
		odc_entry_kind k;
		size_t size = 0;
		repo_stat(r, buf_cstr(&path), &k, &size);
		ok = markdown_check(NULL, size, buf_cstr(&path), d);
		goto done;
	} else if (rc < 0) {
		diag_add(d, ODC_SEV_ERROR, "odcat-unsafe-path", buf_cstr(&path), 0, 0,
			 "commit README.md as a regular file; symbolic links are never followed",
			 "%s is not a regular file", name);
		ok = -1;
		goto done;
	}
	if (markdown_check(b.data, b.len, buf_cstr(&path), d) < 0) {
		ok = -1;
	} else {
		*out = xstrndup(b.data, b.len);
		*out_len = b.len;
	}
	repo_blob_free(&b);
done:
	buf_free(&path);
	return ok;
}

int dataset_load(odc_dataset *ds, const odc_catalog *cat, odc_repo *r, const char *slug,
		 odc_diags *d)
{
	odc_buf dpfile = ODC_BUF_INIT;
	odc_blob b;
	json_error_t je;
	json_t *resources, *v;
	size_t i;
	int rc, ok = -1;
	const char *f;

	memset(ds, 0, sizeof(*ds));
	ds->slug = xstrdup(slug);
	{
		odc_buf dir = ODC_BUF_INIT;
		buf_printf(&dir, "datasets/%s", slug);
		ds->dir = buf_detach(&dir);
	}
	buf_printf(&dpfile, "%s/datapackage.json", ds->dir);
	f = buf_cstr(&dpfile);

	rc = repo_read(r, f, ODC_MAX_JSON_BYTES, &b);
	if (rc == ODC_ENOTFOUND) {
		diag_add(d, ODC_SEV_ERROR, "odcat-missing-datapackage", f, 0, 0,
			 "add datapackage.json describing the dataset (see README.md, \"Adding a dataset\"); "
			 "'odcat new' writes one",
			 "dataset folder %s has no datapackage.json: dataset not published", ds->dir);
		goto done;
	}
	if (rc < 0) {
		diag_add(d, ODC_SEV_ERROR, rc == ODC_ETYPE ? "odcat-unsafe-path" : "odcat-invalid-datapackage",
			 f, 0, 0,
			 rc == ODC_ETYPE ? "commit datapackage.json as a regular file, not a symbolic link" : NULL,
			 "datapackage.json cannot be read (%s): dataset not published",
			 rc == ODC_ETYPE ? "not a regular file" : rc == ODC_ELIMIT ? "larger than 8 MB" : "read error");
		goto done;
	}
	ds->dp = json_loadb(b.data, b.len, JSON_REJECT_DUPLICATES, &je);
	if (ds->dp) {
		ds->dp_raw = xstrndup(b.data, b.len);
		ds->dp_raw_len = b.len;
	}
	repo_blob_free(&b);
	if (!ds->dp) {
		diag_add(d, ODC_SEV_ERROR, "odcat-invalid-json", f, je.line, je.column,
			 "fix the JSON syntax (a missing comma or quote, a trailing comma, or a duplicated key)",
			 "invalid JSON: %s: dataset not published", je.text);
		goto done;
	}
	if (!json_is_object(ds->dp)) {
		diag_add(d, ODC_SEV_ERROR, "package-error", f, 1, 1,
			 "datapackage.json is one JSON object {\"name\": ..., \"resources\": [...]}",
			 "the top level is not an object: dataset not published");
		goto done;
	}

	/* Required metadata (design.md): title, description, keywords, resources. */
	{
		int missing = 0;
		if (!has_text(json_object_get(ds->dp, "title"))) {
			diag_add(d, ODC_SEV_ERROR, "odcat-missing-metadata", f, 0, 0,
				 "add \"title\": {\"ja\": \"...\", \"en\": \"...\"}", "\"title\" is missing or empty");
			missing = 1;
		}
		if (!has_text(json_object_get(ds->dp, "description"))) {
			diag_add(d, ODC_SEV_ERROR, "odcat-missing-metadata", f, 0, 0,
				 "add \"description\": a one or two sentence summary (README.md holds the long form)",
				 "\"description\" is missing or empty");
			missing = 1;
		}
		v = catalog_keywords(ds->dp, cat->lang[0]);
		if (!v || json_array_size(v) == 0) {
			diag_add(d, ODC_SEV_ERROR, "odcat-missing-metadata", f, 0, 0,
				 "add \"keywords\": [\"...\"] or {\"ja\": [...], \"en\": [...]}",
				 "\"keywords\" is missing or empty");
			missing = 1;
		}
		resources = json_object_get(ds->dp, "resources");
		if (!json_is_array(resources) || json_array_size(resources) == 0) {
			diag_add(d, ODC_SEV_ERROR, "odcat-missing-metadata", f, 0, 0,
				 "list the data files in \"resources\": [{\"name\": ..., \"path\": ...}]",
				 "\"resources\" is missing or empty");
			missing = 1;
		}
		/* Licence, publisher and contact point fall back to odcat.json. */
		v = json_object_get(ds->dp, "licenses");
		if (json_is_array(v) && json_is_object(json_array_get(v, 0)) &&
		    json_is_string(json_object_get(json_array_get(v, 0), "name"))) {
			ds->license = json_array_get(v, 0);
			ds->license_id = json_string_value(json_object_get(ds->license, "name"));
		} else if (v) {
			diag_add(d, ODC_SEV_ERROR, "odcat-missing-metadata", f, 0, 0,
				 "write \"licenses\": [{\"name\": \"CC-BY-4.0\"}]",
				 "\"licenses\" must be an array of objects with a \"name\"");
			missing = 1;
		} else {
			ds->license_id = json_string_value(json_object_get(cat->conf, "license"));
			if (!ds->license_id) {
				diag_add(d, ODC_SEV_ERROR, "odcat-missing-metadata", f, 0, 0,
					 "add \"licenses\": [{\"name\": \"CC-BY-4.0\"}], or a default \"license\" in odcat.json",
					 "no licence: neither datapackage.json nor odcat.json gives one");
				missing = 1;
			}
		}
		v = json_object_get(ds->dp, "publisher");
		if (json_is_string(v)) {
			ds->publisher_id = json_string_value(v);
			if (!catalog_publisher(cat, ds->publisher_id)) {
				diag_add(d, ODC_SEV_ERROR, "odcat-unknown-publisher", f, 0, 0,
					 "use one of the department ids listed under \"publishers\" in odcat.json, "
					 "or add this one there",
					 "publisher \"%s\" is not a department of odcat.json", ds->publisher_id);
				missing = 1;
			}
		} else if (v || !json_object_get(cat->conf, "publisher")) {
			diag_add(d, ODC_SEV_ERROR, "odcat-missing-metadata", f, 0, 0,
				 "add \"publisher\": \"<department id from odcat.json>\"",
				 "\"publisher\" is missing or not a department id");
			missing = 1;
		}
		v = json_object_get(ds->dp, "contactPoint");
		if (json_is_object(v) && json_is_string(json_object_get(v, "email")))
			ds->contact = v;
		else if (!v && json_is_object(json_object_get(cat->conf, "contactPoint")))
			ds->contact = json_object_get(cat->conf, "contactPoint");
		else {
			diag_add(d, ODC_SEV_ERROR, "odcat-missing-metadata", f, 0, 0,
				 "add \"contactPoint\": {\"name\": \"...\", \"email\": \"...\"}, or a default in odcat.json",
				 "no contact point with an e-mail address");
			missing = 1;
		}
		if (missing)
			goto done;
	}
	v = json_object_get(ds->dp, "name");
	if (json_is_string(v) && strcmp(json_string_value(v), slug) != 0)
		diag_add(d, ODC_SEV_WARNING, "odcat-name-mismatch", f, 0, 0,
			 "make \"name\" the same as the folder name",
			 "\"name\" is \"%s\" but the folder is \"%s\"; the folder name is used", json_string_value(v), slug);

	if (load_readme(r, ds->dir, "README.md", &ds->readme, &ds->readme_len, d) < 0 ||
	    load_readme(r, ds->dir, "README.en.md", &ds->readme_en, &ds->readme_en_len, d) < 0)
		goto done;

	ds->nres = json_array_size(resources);
	ds->res = xcalloc(ds->nres, sizeof(*ds->res));
	{
		int bad = 0;
		for (i = 0; i < ds->nres; i++)
			if (load_resource(&ds->res[i], json_array_get(resources, i), i, ds, r, d) < 0)
				bad = 1;
		/* Two resources may not publish to one output name. */
		for (i = 0; i < ds->nres && !bad; i++) {
			size_t j;
			for (j = i + 1; j < ds->nres; j++) {
				if (ds->res[i].is_url || ds->res[j].is_url || !ds->res[i].path || !ds->res[j].path)
					continue;
				if (!strcasecmp(ds->res[i].path, ds->res[j].path)) {
					diag_add(d, ODC_SEV_ERROR, "odcat-output-collision", f, 0, 0,
						 "give each resource its own file",
						 "resources[%zu] and resources[%zu] both publish \"%s\"", i, j,
						 ds->res[j].path);
					bad = 1;
				}
			}
		}
		if (bad)
			goto done;
	}
	ok = 0;
done:
	if (ok < 0)
		diag_add(d, ODC_SEV_ERROR, "odcat-dataset-dropped", ds->dir, 0, 0, NULL,
			 "dataset \"%s\" is not published because of the errors above", slug);
	buf_free(&dpfile);
	return ok;
}

void dataset_free(odc_dataset *ds)
{
	size_t i;
	for (i = 0; i < ds->nres; i++) {
		free(ds->res[i].name);
		free(ds->res[i].path);
		free(ds->res[i].format);
		free(ds->res[i].mediatype);
		free(ds->res[i].encoding);
	}
	free(ds->res);
	json_decref(ds->dp);
	free(ds->dp_raw);
	free(ds->readme);
	free(ds->readme_en);
	free(ds->slug);
	free(ds->dir);
	memset(ds, 0, sizeof(*ds));
}
