/*
 * catalog.c — loading odcat.json and the dataset folders (see catalog.h).
 */
#include "catalog.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "csvscan.h"
#include "derived.h"
#include "digest.h"
#include "jsonloc.h"
#include "markdown.h"
#include "odc.h"
#include "schema.h"
#include "validate.h"

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
 * Update frequencies
 *====================================================================*/

/* One table for every vocabulary: data.json (ISO 8601 repeating
 * durations), DCAT-AP (EU frequency authority), オープンデータ一覧. */
static const odc_frequency frequencies[] = {
	{"annual", "R/P1Y", "ANNUAL", "毎年"},
	{"semiannual", "R/P6M", "ANNUAL_2", "半年ごと"},
	{"quarterly", "R/P3M", "QUARTERLY", "四半期ごと"},
	{"monthly", "R/P1M", "MONTHLY", "毎月"},
	{"weekly", "R/P1W", "WEEKLY", "毎週"},
	{"daily", "R/P1D", "DAILY", "毎日"},
	{"biennial", "R/P2Y", "BIENNIAL", "2年ごと"},
	{"continuous", "R/PT1S", "UPDATE_CONT", "随時"},
	{"irregular", "irregular", "IRREG", "不定期"},
};

const odc_frequency *catalog_frequency(const char *word)
{
	size_t i;
	if (!word)
		return NULL;
	for (i = 0; i < sizeof(frequencies) / sizeof(frequencies[0]); i++)
		if (!strcmp(frequencies[i].word, word) || !strcmp(frequencies[i].iso8601, word))
			return &frequencies[i];
	return NULL;
}

/*====================================================================
 * Accessors
 *====================================================================*/

const char *catalog_text_lang(const odc_catalog *cat, const json_t *v, const char *lang,
			      const char **got)
{
	const char *k;
	json_t *x;

	if (got)
		*got = NULL;
	if (!v)
		return NULL;
	if (json_is_string(v))
		return json_string_value(v);
	if (!json_is_object(v))
		return NULL;
	if (lang && json_is_string(json_object_get(v, lang))) {
		if (got)
			*got = lang;
		return json_string_value(json_object_get(v, lang));
	}
	if (cat && cat->lang[0] && json_is_string(json_object_get(v, cat->lang[0]))) {
		if (got)
			*got = cat->lang[0];
		return json_string_value(json_object_get(v, cat->lang[0]));
	}
	json_object_foreach((json_t *)v, k, x)
		if (json_is_string(x)) {
			if (got)
				*got = k;
			return json_string_value(x);
		}
	return NULL;
}

const char *catalog_text(const odc_catalog *cat, const json_t *v, const char *lang)
{
	return catalog_text_lang(cat, v, lang, NULL);
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

/* True when s names a URL scheme other than http and https, read as a
 * browser reads an href: leading spaces and controls skipped, tabs and
 * line breaks dropped (so "java\tscript:" is javascript:). A relative path
 * has no scheme. */
static int has_unsafe_scheme(const char *s)
{
	char scheme[16];
	size_t n = 0;
	while (*s && (unsigned char)*s <= 0x20)
		s++;
	for (; *s; s++) {
		char c = *s;
		if (c == '\t' || c == '\n' || c == '\r')
			continue;
		if (c == ':')
			break;
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		      (n > 0 && ((c >= '0' && c <= '9') || c == '+' || c == '-' || c == '.'))))
			return 0; /* not a scheme: a relative path */
		if (n + 1 < sizeof(scheme))
			scheme[n++] = (char)(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
		else
			return 1;
	}
	if (!*s || n == 0)
		return 0;
	scheme[n] = '\0';
	return strcmp(scheme, "http") != 0 && strcmp(scheme, "https") != 0;
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
			if (e[i].kind != ODC_ENTRY_FILE)
				diag_ja(d, "データセットはこのリポジトリにコミットされたフォルダにしてください",
					"%s はデータセットのフォルダではないため、読み飛ばしました", buf_cstr(&path));
		} else if (!catalog_slug_is_valid(e[i].name)) {
			diag_add(d, ODC_SEV_ERROR, "odcat-invalid-slug", buf_cstr(&path), 0, 0,
				 "rename the folder with lower-case ASCII letters, digits and hyphens, "
				 "starting with a letter or digit (e.g. \"aed-locations\")",
				 "dataset folder name \"%s\" is not a valid slug [a-z0-9][a-z0-9-]*: "
				 "dataset not published", e[i].name);
			diag_ja(d, "フォルダ名は半角英小文字・数字・ハイフンにし、英小文字か数字で始めてください（例：\"aed-locations\"）",
				"フォルダ名 \"%s\" はデータセット名 [a-z0-9][a-z0-9-]* として使えないため、公開しません", e[i].name);
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

static int count_record(void *payload, const odc_record *rec)
{
	(void)rec;
	(*(long *)payload)++;
	return 0;
}

/* Output names that odcat itself writes into datasets/<slug>/. */
static int is_reserved_name(const char *path)
{
	return !strcmp(path, "index.html") || !strcmp(path, "datapackage.json") ||
	       !strcmp(path, "dataset.jsonld") || !strcmp(path, "dataset.ttl");
}

/* A path of the dataset folder: "dir/path", or "path" when dir is "". */
static char *join(const char *dir, const char *path)
{
	odc_buf b = ODC_BUF_INIT;
	if (*dir)
		buf_printf(&b, "%s/%s", dir, path);
	else
		buf_puts(&b, path);
	return buf_detach(&b);
}

/* Everything one dataset load needs, passed around as one. */
typedef struct loadctx {
	odc_dataset *ds;
	const odc_catalog *cat;
	odc_repo *r;
	odc_diags *d;
	const odc_validate_opts *vo;
	int package_only;     /* Frictionless rules only (check --package) */
	char *dpfile;         /* path of datapackage.json */
	const char *stage;    /* dataset_load_staged: where typed JSON goes, else NULL */
	/* foreign-key key sets, kept for the whole load */
	struct fkcache {
		char *id;
		odc_keyset *set;
	} *fk;
	size_t nfk;
} loadctx;

/* Adds a metadata diagnostic located at JSON pointer ptr of datapackage.json. */
static void meta(loadctx *c, const char *code, const char *ptr, const char *hint_en,
		 const char *hint_ja, const char *msg_en, const char *msg_ja)
{
	long line = 0, col = 0;
	if (c->ds->dp_raw && ptr)
		jsonloc_find(c->ds->dp_raw, c->ds->dp_raw_len, ptr, &line, &col);
	diag_add(c->d, ODC_SEV_ERROR, code, c->dpfile, line, col, hint_en, "%s", msg_en);
	if (msg_ja)
		diag_ja(c->d, hint_ja, "%s", msg_ja);
}

/* Reads a JSON document of the dataset folder (a schema or dialect given
 * by path). Returns NULL with a diagnostic on failure. */
static json_t *read_json_file(loadctx *c, const char *path, const char *what)
{
	char *full;
	odc_blob b;
	json_error_t je;
	json_t *j = NULL;
	int rc;

	if (is_url(path) || !repo_path_is_safe(path) || has_hidden_segment(path)) {
		odc_buf m = ODC_BUF_INIT;
		buf_printf(&m, "%s \"%s\" must be a relative path inside the dataset folder (URLs are not fetched)", what, path);
		meta(c, "odcat-unsafe-path", NULL, "put the file in the dataset folder, or write it inline",
		     "ファイルをデータセットのフォルダに置くか、datapackage.json に直接書いてください", m.ptr, NULL);
		buf_free(&m);
		return NULL;
	}
	full = join(c->ds->dir, path);
	rc = repo_read(c->r, full, ODC_MAX_JSON_BYTES, &b);
	if (rc < 0) {
		diag_add(c->d, ODC_SEV_ERROR, "odcat-missing-resource", c->dpfile, 0, 0,
			 "commit the file, or correct the path", "%s file %s cannot be read", what, full);
		diag_ja(c->d, "ファイルをコミットするか、パスを直してください", "%s のファイル %s を読めません", what, full);
		free(full);
		return NULL;
	}
	j = json_loadb(b.data, b.len, JSON_REJECT_DUPLICATES, &je);
	repo_blob_free(&b);
	if (!j) {
		diag_add(c->d, ODC_SEV_ERROR, "odcat-invalid-json", full, je.line, je.column,
			 "fix the JSON syntax", "invalid JSON: %s", je.text);
		diag_ja(c->d, "JSON の書き方を直してください", "JSON として読めません：%s", je.text);
	}
	free(full);
	return j;
}

/* Finds resource name in the dataset's descriptor. */
static json_t *find_resource(json_t *dp, const char *name)
{
	json_t *res = json_object_get(dp, "resources"), *x;
	size_t i;
	json_array_foreach(res, i, x)
		if (json_is_string(json_object_get(x, "name")) &&
		    !strcmp(json_string_value(json_object_get(x, "name")), name))
			return x;
	return NULL;
}

static void dialect_opts(loadctx *c, json_t *rj, odc_validate_opts *o);

/* The schema of resource rj (inline or by path), owned by the caller. */
static json_t *resource_schema_json(loadctx *c, json_t *rj)
{
	json_t *s = json_object_get(rj, "schema");
	if (json_is_string(s))
		return read_json_file(c, json_string_value(s), "schema");
	if (s)
		json_incref(s);
	return s;
}

/* Collects the key tuples of reference.fields of another resource, of this
 * dataset or (reference.package) of another dataset of the catalogue. */
static int resolve_fk(void *payload, const odc_fkey *fk, const odc_keyset **out)
{
	loadctx *c = payload;
	odc_buf id = ODC_BUF_INIT, where = ODC_BUF_INIT;
	json_t *dp = c->ds->dp, *other = NULL, *rj, *sj = NULL;
	const char *dir = c->ds->dir;
	odc_schema *s = NULL;
	odc_diags quiet = ODC_DIAGS_INIT;
	odc_keyset *set = NULL;
	char *path = NULL, *otherdir = NULL;
	odc_blob b;
	size_t i;
	int rc = -1;

	buf_printf(&id, "%s/%s", fk->package ? fk->package : "", fk->resource);
	for (i = 0; i < fk->n; i++)
		buf_printf(&id, "/%s", fk->ref_fields[i]);
	for (i = 0; i < c->nfk; i++)
		if (!strcmp(c->fk[i].id, id.ptr)) {
			*out = c->fk[i].set;
			buf_free(&id);
			return 0;
		}
	if (fk->package && strcmp(fk->package, c->ds->slug ? c->ds->slug : "") != 0) {
		odc_blob pb;
		json_error_t je;
		if (c->package_only || !catalog_slug_is_valid(fk->package)) {
			buf_printf(&where, "dataset \"%s\"", fk->package);
			goto missing;
		}
		buf_printf(&where, "datasets/%s/datapackage.json", fk->package);
		if (repo_read(c->r, where.ptr, ODC_MAX_JSON_BYTES, &pb) < 0) {
			buf_clear(&where);
			buf_printf(&where, "dataset \"%s\"", fk->package);
			goto missing;
		}
		other = json_loadb(pb.data, pb.len, 0, &je);
		repo_blob_free(&pb);
		if (!other)
			goto missing;
		dp = other;
		buf_clear(&where);
		buf_printf(&where, "datasets/%s", fk->package);
		otherdir = buf_detach(&where);
		dir = otherdir;
	}
	rj = find_resource(dp, fk->resource);
	buf_clear(&where);
	buf_printf(&where, "resource \"%s\"%s%s", fk->resource, fk->package ? " of dataset " : "",
		   fk->package ? fk->package : "");
	if (!rj || !json_is_string(json_object_get(rj, "path")))
		goto missing;
	sj = json_is_object(json_object_get(rj, "schema")) ? json_incref(json_object_get(rj, "schema")) : NULL;
	if (!sj || schema_load(&s, sj, c->dpfile, "/", &quiet) < 0)
		goto missing;
	path = join(dir, json_string_value(json_object_get(rj, "path")));
	if (!repo_path_is_safe(path) || repo_read(c->r, path, ODC_MAX_RESOURCE_BYTES, &b) < 0)
		goto missing;
	{
		odc_validate_opts o;
		validate_opts_init(&o);
		dialect_opts(c, rj, &o);
		rc = validate_collect_keys(b.data, b.len, s, path, &o, fk->ref_fields, fk->n, &set, c->d);
	}
	repo_blob_free(&b);
	if (rc == 0) {
		c->fk = xrealloc(c->fk, (c->nfk + 1) * sizeof(*c->fk));
		c->fk[c->nfk].id = buf_detach(&id);
		c->fk[c->nfk].set = set;
		c->nfk++;
		*out = set;
	}
	goto done;
missing:
	diag_add(c->d, ODC_SEV_ERROR, "foreign-key", c->dpfile, 0, 0,
		 "reference.resource (and reference.package for another dataset) must name a CSV "
		 "resource with an inline schema",
		 "the foreign key refers to %s, which does not exist or cannot be read", where.ptr);
	diag_ja(c->d, "reference.resource（別のデータセットなら reference.package も）に、スキーマを持つ CSV リソースを指定してください",
		"外部キーの参照先 %s が存在しないか、読めません", where.ptr);
done:
	schema_free(s);
	json_decref(sj);
	json_decref(other);
	free(otherdir);
	free(path);
	diag_free(&quiet);
	buf_free(&id);
	buf_free(&where);
	return rc;
}

static void dialect_opts(loadctx *c, json_t *rj, odc_validate_opts *o)
{
	json_t *dia = json_object_get(rj, "dialect"), *owned = NULL, *v;

	o->csv.encoding = json_string_value(json_object_get(rj, "encoding"));
	if (json_is_string(dia))
		dia = owned = read_json_file(c, json_string_value(dia), "dialect");
	v = json_object_get(dia, "delimiter");
	if (json_is_string(v) && json_string_length(v) == 1)
		o->csv.delimiter = json_string_value(v)[0];
	v = json_object_get(dia, "quoteChar");
	if (json_is_string(v) && json_string_length(v) == 1)
		o->csv.quote = json_string_value(v)[0];
	if (json_is_true(json_object_get(dia, "skipInitialSpace")))
		o->csv.skip_initial_space = 1;
	if (json_is_false(json_object_get(dia, "header")))
		o->header = 0;
	json_decref(owned);
}

/* Schema diagnostics start with the JSON pointer of what is wrong
 * ("/resources/0/schema/fields/3/type: ..."): turn it into the line and
 * column of datapackage.json, and give them a Japanese frame. */
static void locate_schema_diags(loadctx *c, size_t first)
{
	size_t i;
	for (i = first; i < c->d->n; i++) {
		odc_diag *x = &c->d->items[i];
		const char *colon;
		if (!x->file || strcmp(x->file, c->dpfile) || x->line || x->message[0] != '/')
			continue;
		colon = strstr(x->message, ": ");
		if (colon && c->ds->dp_raw) {
			char *ptr = xstrndup(x->message, (size_t)(colon - x->message));
			jsonloc_find(c->ds->dp_raw, c->ds->dp_raw_len, ptr, &x->line, &x->column);
			free(ptr);
		}
		if (!x->message_ja) {
			odc_buf m = ODC_BUF_INIT;
			buf_printf(&m, "Table Schema の誤り：%s", x->message);
			x->message_ja = buf_detach(&m);
			free(x->hint_ja);
			x->hint_ja = xstrdup("schema を Table Schema の仕様に合わせて直してください（詳しくは docs/guide-ja.md）");
		}
	}
}

/* Gives back the pages of a mapped working-tree file once they are read. */
static void release_blob(void *payload, size_t upto)
{
	repo_blob_release(payload, upto);
}

typedef struct jsonrows jsonrows;
static jsonrows *typed_begin(loadctx *c, odc_resource *res, size_t idx, odc_schema *s, json_t *sj,
			     odc_validate_opts *o);
static void typed_end(jsonrows *j, odc_resource *res, int keep);
static void typed_drop(odc_resource *res);

static int load_resource(loadctx *c, odc_resource *res, json_t *rj, size_t idx)
{
	odc_dataset *ds = c->ds;
	odc_diags *d = c->d;
	char ptr[64], *full = NULL;
	json_t *path = json_object_get(rj, "path");
	json_t *name = json_object_get(rj, "name");
	json_t *fmt = json_object_get(rj, "format");
	json_t *mt = json_object_get(rj, "mediatype");
	odc_buf m = ODC_BUF_INIT, mj = ODC_BUF_INIT;
	odc_entry_kind kind;
	size_t size;
	int ok = -1, rc, declared_bad = 0;

	snprintf(ptr, sizeof(ptr), "/resources/%zu", idx);
	res->json = rj;
	res->rows = -1;
	if (!json_is_object(rj)) {
		buf_printf(&m, "resources[%zu] is not an object", idx);
		buf_printf(&mj, "resources[%zu] がオブジェクトではありません", idx);
		meta(c, "resource-error", ptr, "each entry of \"resources\" is an object with \"name\" and \"path\"",
		     "resources の各要素は \"name\" と \"path\" を持つオブジェクトです", m.ptr, mj.ptr);
		goto done;
	}
	if (!json_is_string(path) || json_string_length(path) == 0) {
		buf_printf(&m, "resources[%zu]: \"path\" must be a non-empty string", idx);
		buf_printf(&mj, "resources[%zu]: \"path\" には空でない文字列を書いてください", idx);
		meta(c, "resource-error", ptr,
		     json_is_array(path) ? "odcat does not join multi-part resources yet: commit the parts as one file"
					 : "give the file name relative to the dataset folder, e.g. \"path\": \"data.csv\"",
		     "データセットのフォルダからの相対パスでファイル名を書いてください（例：\"path\": \"data.csv\"）",
		     m.ptr, mj.ptr);
		goto done;
	}
	res->path = xstrdup(json_string_value(path));
	if (!json_is_string(name) || !json_string_length(name)) {
		buf_printf(&m, "resources[%zu] has no \"name\"", idx);
		buf_printf(&mj, "resources[%zu] に \"name\" がありません", idx);
		meta(c, "resource-error", ptr, "give every resource a unique \"name\", e.g. \"aed\"",
		     "すべてのリソースに重複しない \"name\" を付けてください（例：\"aed\"）", m.ptr, mj.ptr);
		goto done;
	}
	res->name = xstrdup(json_string_value(name));
	if (strlen(res->path) != json_string_length(path)) {
		meta(c, "odcat-unsafe-path", ptr, "remove the NUL character from the path", NULL,
		     "the path contains a NUL byte", NULL);
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
	res->encoding = json_is_string(json_object_get(rj, "encoding"))
				? xstrdup(json_string_value(json_object_get(rj, "encoding")))
				: NULL;
	res->has_schema = json_object_get(rj, "schema") != NULL;
	if (res->is_url) {
		ok = 0;
		goto done;
	}
	if (!repo_path_is_safe(res->path) || has_hidden_segment(res->path) || strchr(res->path, ':')) {
		buf_printf(&m, "resources[%zu]: path \"%s\" is not allowed", idx, res->path);
		buf_printf(&mj, "resources[%zu]: パス \"%s\" は使えません", idx, res->path);
		meta(c, "odcat-unsafe-path", ptr,
		     "a resource path is relative to the dataset folder, with '/' between folders, "
		     "and may not contain \"..\", \"\\\", hidden names (\".x\") or start with '/'",
		     "リソースのパスはデータセットのフォルダからの相対パスで、\"..\"、\"\\\"、\".\" で始まる名前、先頭の '/' は使えません",
		     m.ptr, mj.ptr);
		goto done;
	}
	if (!c->package_only && is_reserved_name(res->path)) {
		buf_printf(&m, "resources[%zu]: path \"%s\" collides with a file odcat generates", idx, res->path);
		meta(c, "odcat-output-collision", ptr,
		     "rename the file: odcat writes its own index.html, datapackage.json, dataset.jsonld and dataset.ttl there",
		     NULL, m.ptr, NULL);
		goto done;
	}
	full = join(ds->dir, res->path);
	rc = repo_stat(c->r, full, &kind, &size);
	if (rc == ODC_ENOTFOUND) {
		buf_printf(&m, "resources[%zu]: file %s is not in the revision", idx, full);
		buf_printf(&mj, "resources[%zu]: ファイル %s がありません", idx, full);
		meta(c, "odcat-missing-resource", ptr, "commit the file, or correct \"path\" (names are case-sensitive)",
		     "ファイルをコミットするか、\"path\" を直してください（大文字と小文字は区別されます）", m.ptr, mj.ptr);
		goto done;
	}
	if (rc < 0 || kind != ODC_ENTRY_FILE) {
		diag_add(d, ODC_SEV_ERROR, "odcat-unsafe-path", full, 0, 0,
			 "commit the data itself as a regular file; symbolic links and submodules are never followed",
			 "resources[%zu]: %s is %s, not a regular file", idx, full, kind_name(kind));
		diag_ja(d, "データそのものを通常のファイルとしてコミットしてください。シンボリックリンクとサブモジュールはたどりません",
			"resources[%zu]: %s は通常のファイルではありません", idx, full);
		goto done;
	}
	{
		odc_blob b;
		json_t *v;
		rc = repo_read(c->r, full, ODC_MAX_RESOURCE_BYTES, &b);
		if (rc == ODC_ELFSMISSING) {
			diag_add(d, ODC_SEV_ERROR, "odcat-lfs-missing", full, 0, 0,
				 "fetch the LFS objects of the revision first: 'git lfs fetch' (or 'git lfs pull'), "
				 "e.g. 'git lfs install' and 'lfs: true' in the CI checkout",
				 "the file is a Git LFS pointer and its object is not in .git/lfs/objects");
			diag_ja(d, "先に LFS のオブジェクトを取得してください（git lfs fetch または git lfs pull）",
				"このファイルは Git LFS のポインタで、実体が .git/lfs/objects にありません");
			goto done;
		}
		if (rc == ODC_ELFSCORRUPT) {
			diag_add(d, ODC_SEV_ERROR, "odcat-lfs-corrupt", full, 0, 0,
				 "fetch the object again: remove it from .git/lfs/objects and run 'git lfs fetch'",
				 "the Git LFS object of this file does not match its pointer (size or SHA-256)");
			diag_ja(d, ".git/lfs/objects から削除して、git lfs fetch でもう一度取得してください",
				"このファイルの Git LFS オブジェクトがポインタ（サイズまたは SHA-256）と一致しません");
			goto done;
		}
		if (rc < 0) {
			diag_add(d, ODC_SEV_ERROR, "odcat-resource-unreadable", full, 0, 0,
				 rc == ODC_ELIMIT ? "split the file or publish it elsewhere and link it by URL" : NULL,
				 "the file cannot be read%s", rc == ODC_ELIMIT ? ": larger than 2 GiB" : "");
			goto done;
		}
		res->bytes = b.len;
		digest_sha256_hex_cb(b.data, b.len, res->sha256, release_blob, &b);
		/* Declared size and hash (Frictionless byte-count, hash-count). */
		v = json_object_get(rj, "bytes");
		if (json_is_integer(v) && (json_int_t)b.len != json_integer_value(v)) {
			buf_printf(&m, "the file has %zu bytes, datapackage.json declares %lld", b.len,
				   (long long)json_integer_value(v));
			buf_printf(&mj, "ファイルは %zu バイトですが、datapackage.json では %lld バイトです", b.len,
				   (long long)json_integer_value(v));
			buf_printf(&mj, "%s", "");
			snprintf(ptr, sizeof(ptr), "/resources/%zu/bytes", idx);
			meta(c, "byte-count", ptr, "update \"bytes\" or remove it (odcat computes the size)",
			     "\"bytes\" を更新するか削除してください（odcat がサイズを計算します）", m.ptr, mj.ptr);
			declared_bad = 1;
			buf_clear(&m);
			buf_clear(&mj);
		}
		v = json_object_get(rj, "hash");
		if (json_is_string(v)) {
			const char *h = json_string_value(v);
			char md5hex[33];
			const char *want = NULL, *got = NULL;
			if (!strncasecmp(h, "sha256:", 7)) {
				want = h + 7;
				got = res->sha256;
			} else if (!strncasecmp(h, "md5:", 4) || strlen(h) == 32) {
				digest_md5_hex(b.data, b.len, md5hex);
				want = h + (strchr(h, ':') ? 4 : 0);
				got = md5hex;
			}
			if (want && strcasecmp(want, got) != 0) {
				buf_printf(&m, "the file's hash is %s, datapackage.json declares %s", got, want);
				snprintf(ptr, sizeof(ptr), "/resources/%zu/hash", idx);
				meta(c, "hash-count", ptr, "update \"hash\" or remove it (odcat computes the SHA-256)",
				     "\"hash\" を更新するか削除してください（odcat が SHA-256 を計算します）", m.ptr, NULL);
				declared_bad = 1;
				buf_clear(&m);
			}
		}
		res->is_csv = !strcmp(res->format, "csv") || !strcmp(res->mediatype, "text/csv");
		if (res->is_csv) {
			odc_validate_opts o;
			json_t *sj = NULL;
			odc_schema *s = NULL;
			size_t schema_errors = d->errors;
			if (c->vo)
				o = *c->vo;
			else
				validate_opts_init(&o);
			dialect_opts(c, rj, &o);
			{
				/* libcsv reads quotes doubled ("") and nothing else. */
				json_t *dia = json_object_get(rj, "dialect");
				if (json_is_false(json_object_get(dia, "doubleQuote")) ||
				    json_object_get(dia, "escapeChar") || json_object_get(dia, "commentChar")) {
					char dptr[64];
					snprintf(dptr, sizeof(dptr), "/resources/%zu/dialect", idx);
					meta(c, "dialect-error", dptr,
					     "odcat reads CSV with quotes doubled (\"\") and no comment lines: "
					     "save the file that way and remove these dialect keys",
					     "odcat が読めるのは引用符を 2 つ重ねる（\"\"）形式でコメント行のない CSV です。"
					     "その形で保存し、これらの dialect のキーを削除してください",
					     "dialect doubleQuote: false, escapeChar and commentChar are not supported",
					     "dialect の doubleQuote: false、escapeChar、commentChar には対応していません");
					repo_blob_free(&b);
					goto done;
				}
			}
			o.fk = resolve_fk;
			o.fk_payload = c;
			o.csv.consumed = release_blob;
			o.csv.consumed_payload = &b;
			if (res->has_schema) {
				char sptr[64];
				snprintf(sptr, sizeof(sptr), "/resources/%zu/schema", idx);
				size_t first = d->n;
				int src;
				schema_errors = d->errors;
				sj = resource_schema_json(c, rj);
				src = sj ? schema_load(&s, sj, c->dpfile, sptr, d) : -1;
				locate_schema_diags(c, first);
				if (src < 0) {
					json_decref(sj);
					repo_blob_free(&b);
					goto done;
				}
			}
			if (s) {
				odc_validate_report rep;
				size_t before = schema_errors;
				/* The build's typed JSON and page profile, from this pass. */
				jsonrows *tj = c->stage ? typed_begin(c, res, idx, s, sj, &o) : NULL;
				int vrc = validate_resource(b.data, b.len, s, full, &o, d, &rep);
				typed_end(tj, res, vrc == 0 && d->errors <= before);
				res->rows = rep.rows;
				res->validated = vrc == 0;
				res->errors = rep.errors;
				res->omitted = rep.omitted;
				if (rep.omitted) {
					diag_add(d, ODC_SEV_ERROR, "odcat-more-errors", full, 0, 0,
						 "fix the errors above and check again",
						 "%zu more problems (%zu errors in all) are not listed", rep.omitted, rep.errors);
					diag_ja(d, "上の問題を直して、もう一度チェックしてください",
						"ほかに %zu 件の問題があります（エラーは全部で %zu 件）", rep.omitted, rep.errors);
				}
				schema_free(s);
				json_decref(sj);
				if (vrc < 0 || d->errors > before) {
					repo_blob_free(&b);
					goto done;
				}
			} else {
				long records = 0;
				o.csv.report_blank = 0;
				if (csvscan_run(b.data, b.len, &o.csv, count_record, &records, full, d) < 0) {
					repo_blob_free(&b);
					goto done;
				}
				res->rows = o.header ? (records > 0 ? records - 1 : 0) : records;
			}
		}
		/* The build writes a small CSV's copies from these bytes. */
		if (c->stage && res->is_csv && !declared_bad && b.len <= ODC_KEEP_BLOB_BYTES) {
			res->kept = b;
			res->has_kept = 1;
		} else {
			repo_blob_free(&b);
		}
	}
	ok = declared_bad ? -1 : 0;
done:
	buf_free(&m);
	buf_free(&mj);
	free(full);
	return ok;
}

/* Reads an optional Markdown file of the dataset. Returns -1 (with a
 * diagnostic) when it exists but cannot be used. */
static int load_readme(loadctx *c, const char *name, char **out, size_t *out_len)
{
	char *path = join(c->ds->dir, name);
	odc_blob b;
	int rc, ok = 0;

	rc = repo_read(c->r, path, ODC_MARKDOWN_MAX_BYTES, &b);
	if (rc == ODC_ENOTFOUND) {
		goto done;
	} else if (rc == ODC_ELIMIT) {
		odc_entry_kind k;
		size_t size = 0;
		repo_stat(c->r, path, &k, &size);
		ok = markdown_check(NULL, size, path, c->d);
		goto done;
	} else if (rc < 0) {
		diag_add(c->d, ODC_SEV_ERROR, "odcat-unsafe-path", path, 0, 0,
			 "commit README.md as a regular file; symbolic links are never followed",
			 "%s is not a regular file", name);
		diag_ja(c->d, "README.md は通常のファイルとしてコミットしてください", "%s は通常のファイルではありません", name);
		ok = -1;
		goto done;
	}
	if (markdown_check(b.data, b.len, path, c->d) < 0) {
		ok = -1;
	} else {
		*out = xstrndup(b.data, b.len);
		*out_len = b.len;
	}
	repo_blob_free(&b);
done:
	free(path);
	return ok;
}

/* Points ds->license, license_id, publisher_id and contact into its
 * descriptor or odcat.json, as check_metadata accepts them; pointers that
 * check_metadata would reject stay NULL. */
static void bind_metadata(odc_dataset *ds, const odc_catalog *cat)
{
	json_t *v = json_object_get(ds->dp, "licenses");
	if (json_is_array(v) && json_is_object(json_array_get(v, 0)) &&
	    json_is_string(json_object_get(json_array_get(v, 0), "name"))) {
		ds->license = json_array_get(v, 0);
		ds->license_id = json_string_value(json_object_get(ds->license, "name"));
	} else if (!v) {
		ds->license_id = json_string_value(json_object_get(cat->conf, "license"));
	}
	v = json_object_get(ds->dp, "publisher");
	if (json_is_string(v))
		ds->publisher_id = json_string_value(v);
	v = json_object_get(ds->dp, "contactPoint");
	if (json_is_object(v) && json_is_string(json_object_get(v, "email")))
		ds->contact = v;
	else if (!v && json_is_object(json_object_get(cat->conf, "contactPoint")))
		ds->contact = json_object_get(cat->conf, "contactPoint");
}

/* odcat's own metadata requirements (design.md), with fallbacks to odcat.json. */
static int check_metadata(loadctx *c)
{
	odc_dataset *ds = c->ds;
	const odc_catalog *cat = c->cat;
	json_t *v;
	int missing = 0;

	if (!has_text(json_object_get(ds->dp, "title"))) {
		meta(c, "odcat-missing-metadata", "/title", "add \"title\": {\"ja\": \"...\", \"en\": \"...\"}",
		     "\"title\": {\"ja\": \"...\", \"en\": \"...\"} を追加してください", "\"title\" is missing or empty",
		     "\"title\"（タイトル）がないか空です");
		missing = 1;
	}
	if (!has_text(json_object_get(ds->dp, "description"))) {
		meta(c, "odcat-missing-metadata", "/description",
		     "add \"description\": a one or two sentence summary (README.md holds the long form)",
		     "\"description\" に 1〜2 文の概要を書いてください（詳しい説明は README.md に）",
		     "\"description\" is missing or empty", "\"description\"（説明）がないか空です");
		missing = 1;
	}
	{
		/* Google Dataset Search wants 50 to 5000 characters; the page's
		 * schema.org JSON-LD then borrows the README's first paragraph. */
		const char *desc = catalog_text(cat, json_object_get(ds->dp, "description"), cat->lang[0]);
		size_t chars = 0;
		const char *q;
		for (q = desc; q && *q; q++)
			if (((unsigned char)*q & 0xC0) != 0x80)
				chars++;
		if (desc && *desc && chars < 50) {
			long line = 0, col = 0;
			jsonloc_find(ds->dp_raw, ds->dp_raw_len, "/description", &line, &col);
			diag_add(c->d, ODC_SEV_WARNING, "odcat-short-description", c->dpfile, line, col,
				 "write at least 50 characters: what the data is, where, when and how often it is updated",
				 "\"description\" has %zu characters; search engines want at least 50", chars);
			diag_ja(c->d, "50 文字以上で、何のデータか、どこ・いつのデータか、更新頻度を書いてください",
				"\"description\" が %zu 文字です。検索エンジンには 50 文字以上が必要です", chars);
		}
	}
	v = catalog_keywords(ds->dp, cat->lang[0]);
	if (!v || json_array_size(v) == 0) {
		meta(c, "odcat-missing-metadata", "/keywords", "add \"keywords\": [\"...\"] or {\"ja\": [...], \"en\": [...]}",
		     "\"keywords\": [\"...\"] を追加してください", "\"keywords\" is missing or empty",
		     "\"keywords\"（キーワード）がないか空です");
		missing = 1;
	}
	bind_metadata(ds, cat);
	v = json_object_get(ds->dp, "licenses");
	if (ds->license) {
		/* a licence object with a name */
		const char *lp = json_string_value(json_object_get(ds->license, "path"));
		if (lp && has_unsafe_scheme(lp)) {
			/* It becomes a link on the page: javascript: would run there. */
			meta(c, "odcat-unsafe-url", "/licenses/0/path",
			     "give the licence as an http(s) URL, e.g. \"https://creativecommons.org/licenses/by/4.0/\"",
			     "ライセンスは http(s) の URL で書いてください",
			     "the licence path is not an http(s) URL", "ライセンスの path が http(s) の URL ではありません");
			missing = 1;
		}
	} else if (v) {
		meta(c, "odcat-missing-metadata", "/licenses", "write \"licenses\": [{\"name\": \"CC-BY-4.0\"}]",
		     "\"licenses\": [{\"name\": \"CC-BY-4.0\"}] のように書いてください",
		     "\"licenses\" must be an array of objects with a \"name\"",
		     "\"licenses\" は \"name\" を持つオブジェクトの配列にしてください");
		missing = 1;
	} else {
		if (!ds->license_id) {
			meta(c, "odcat-missing-metadata", "", "add \"licenses\": [{\"name\": \"CC-BY-4.0\"}], or a default \"license\" in odcat.json",
			     "\"licenses\" を追加するか、odcat.json に既定の \"license\" を書いてください",
			     "no licence: neither datapackage.json nor odcat.json gives one",
			     "ライセンスがありません（datapackage.json にも odcat.json にもありません）");
			missing = 1;
		}
	}
	v = json_object_get(ds->dp, "publisher");
	if (json_is_string(v)) {
		if (!catalog_publisher(cat, ds->publisher_id)) {
			odc_buf m = ODC_BUF_INIT, mj = ODC_BUF_INIT;
			buf_printf(&m, "publisher \"%s\" is not a department of odcat.json", ds->publisher_id);
			buf_printf(&mj, "publisher \"%s\" は odcat.json の部署にありません", ds->publisher_id);
			meta(c, "odcat-unknown-publisher", "/publisher",
			     "use one of the department ids listed under \"publishers\" in odcat.json, or add this one there",
			     "odcat.json の \"publishers\" にある部署 ID を使うか、そこに追加してください", m.ptr, mj.ptr);
			buf_free(&m);
			buf_free(&mj);
			missing = 1;
		}
	} else if (v || !json_object_get(cat->conf, "publisher")) {
		meta(c, "odcat-missing-metadata", v ? "/publisher" : "", "add \"publisher\": \"<department id from odcat.json>\"",
		     "\"publisher\": \"<odcat.json の部署 ID>\" を追加してください",
		     "\"publisher\" is missing or not a department id", "\"publisher\"（担当部署）がないか、部署 ID ではありません");
		missing = 1;
	}
	v = json_object_get(ds->dp, "contactPoint");
	if (!ds->contact) {
		meta(c, "odcat-missing-metadata", v ? "/contactPoint" : "",
		     "add \"contactPoint\": {\"name\": \"...\", \"email\": \"...\"}, or a default in odcat.json",
		     "\"contactPoint\": {\"name\": \"...\", \"email\": \"...\"} を追加するか、odcat.json に既定値を書いてください",
		     "no contact point with an e-mail address", "メールアドレスのある問い合わせ先（contactPoint）がありません");
		missing = 1;
	}
	v = json_object_get(ds->dp, "name");
	if (json_is_string(v) && ds->slug && strcmp(json_string_value(v), ds->slug) != 0) {
		long line = 0, col = 0;
		jsonloc_find(ds->dp_raw, ds->dp_raw_len, "/name", &line, &col);
		diag_add(c->d, ODC_SEV_WARNING, "odcat-name-mismatch", c->dpfile, line, col,
			 "make \"name\" the same as the folder name",
			 "\"name\" is \"%s\" but the folder is \"%s\"; the folder name is used", json_string_value(v), ds->slug);
		diag_ja(c->d, "\"name\" をフォルダ名と同じにしてください",
			"\"name\" は \"%s\" ですがフォルダは \"%s\" です。フォルダ名を使います", json_string_value(v), ds->slug);
	}
	return missing ? -1 : 0;
}

/* True when path is a file the build derives from CSV resource r: its
 * typed JSON copy <r.path>.json (compared without case, as output paths
 * are). */
static int derived_collides(const odc_resource *r, const char *path)
{
	static const char *const suffixes[] = {".json"};
	size_t i, n = strlen(r->path);
	if (!r->is_csv)
		return 0;
	for (i = 0; i < sizeof(suffixes) / sizeof(suffixes[0]); i++)
		if (strlen(path) == n + strlen(suffixes[i]) && !strncasecmp(path, r->path, n) &&
		    !strcasecmp(path + n, suffixes[i]))
			return 1;
	return 0;
}

int dataset_copies(const odc_resource *r)
{
	int k = 0;
	if (r->is_url || !r->is_csv)
		return 0;
	if (strcmp(csvscan_encoding_name(r->encoding), "UTF-8"))
		k |= ODC_COPY_UTF8;
	if (r->validated)
		k |= ODC_COPY_EXCEL;
	return k;
}

char *dataset_copy_path(const char *path, int copy)
{
	odc_buf b = ODC_BUF_INIT;
	size_t n = strlen(path);
	if (n > 4 && !strcasecmp(path + n - 4, ".csv"))
		n -= 4;
	buf_put(&b, path, n);
	buf_puts(&b, copy == ODC_COPY_UTF8 ? ".utf8.csv" : ".excel.csv");
	return buf_detach(&b);
}

/* The copies odcat derives (<name>.utf8.csv, <name>.excel.csv) may not
 * take the name of a committed file, nor of another resource's copy: such
 * a copy is not written (a warning says so); the committed file is
 * published as it is. */
static void check_copy_names(loadctx *c)
{
	odc_dataset *ds = c->ds;
	size_t i, j;
	int k, l;

	for (i = 0; i < ds->nres; i++)
		for (k = ODC_COPY_UTF8; k <= ODC_COPY_EXCEL; k <<= 1) {
			char *name, *full;
			odc_entry_kind kind;
			size_t size;
			int clash = 0;
			if (!(dataset_copies(&ds->res[i]) & k))
				continue;
			name = dataset_copy_path(ds->res[i].path, k);
			full = join(ds->dir, name);
			if (repo_stat(c->r, full, &kind, &size) != ODC_ENOTFOUND)
				clash = 1;
			for (j = 0; j < i && !clash; j++)
				for (l = ODC_COPY_UTF8; l <= ODC_COPY_EXCEL; l <<= 1)
					if (dataset_copies(&ds->res[j]) & l) {
						char *other = dataset_copy_path(ds->res[j].path, l);
						if (!strcasecmp(other, name))
							clash = 1;
						free(other);
					}
			if (clash) {
				ds->res[i].copy_clash |= k;
				diag_add(c->d, ODC_SEV_WARNING, "odcat-copy-collision", full, 0, 0,
					 "rename the committed file: odcat writes its own copies of a CSV as "
					 "<name>.utf8.csv and <name>.excel.csv",
					 "the %s copy of %s is not written: %s is already taken",
					 k == ODC_COPY_UTF8 ? "UTF-8" : "Excel", ds->res[i].path, name);
				diag_ja(c->d, "コミットしたファイルの名前を変えてください。odcat は CSV の複製を "
					"<名前>.utf8.csv と <名前>.excel.csv として書き出します",
					"%s の%s用の複製は書き出しません：%s という名前がすでに使われています",
					ds->res[i].path, k == ODC_COPY_UTF8 ? " UTF-8 " : " Excel ", name);
			}
			free(name);
			free(full);
		}
}

int dataset_resource_reader(odc_repo *r, const odc_dataset *ds, size_t idx, json_t **schema,
			    odc_validate_opts *o)
{
	const odc_resource *res = &ds->res[idx];
	odc_diags quiet = ODC_DIAGS_INIT;
	loadctx c;
	int rc = 0;

	memset(&c, 0, sizeof(c));
	c.ds = (odc_dataset *)ds;
	c.r = r;
	c.d = &quiet;
	c.dpfile = join(ds->dir, "datapackage.json");
	*schema = NULL;
	validate_opts_init(o);
	dialect_opts(&c, res->json, o);
	if (res->has_schema) {
		*schema = resource_schema_json(&c, res->json);
		if (!*schema)
			rc = -1;
	}
	if (quiet.errors)
		rc = -1;
	free(c.dpfile);
	diag_free(&quiet);
	return rc;
}

static int load_common(odc_dataset *ds, loadctx *c)
{
	odc_diags *d = c->d;
	odc_blob b;
	json_error_t je;
	json_t *resources;
	size_t i;
	int rc, bad = 0;

	rc = repo_read(c->r, c->dpfile, ODC_MAX_JSON_BYTES, &b);
	if (rc == ODC_ENOTFOUND) {
		diag_add(d, ODC_SEV_ERROR, "odcat-missing-datapackage", c->dpfile, 0, 0,
			 "add datapackage.json describing the dataset (see README.md, \"Adding a dataset\"); "
			 "'odcat new' writes one",
			 "dataset folder %s has no datapackage.json", *ds->dir ? ds->dir : ".");
		diag_ja(d, "データセットを説明する datapackage.json を追加してください（odcat new で作れます）",
			"データセットのフォルダ %s に datapackage.json がありません", *ds->dir ? ds->dir : ".");
		return -1;
	}
	if (rc < 0) {
		diag_add(d, ODC_SEV_ERROR, rc == ODC_ETYPE ? "odcat-unsafe-path" : "odcat-invalid-datapackage",
			 c->dpfile, 0, 0,
			 rc == ODC_ETYPE ? "commit datapackage.json as a regular file, not a symbolic link" : NULL,
			 "datapackage.json cannot be read (%s)",
			 rc == ODC_ETYPE ? "not a regular file" : rc == ODC_ELIMIT ? "larger than 8 MB" : "read error");
		return -1;
	}
	ds->dp = json_loadb(b.data, b.len, JSON_REJECT_DUPLICATES, &je);
	if (ds->dp) {
		ds->dp_raw = xstrndup(b.data, b.len);
		ds->dp_raw_len = b.len;
	}
	repo_blob_free(&b);
	if (!ds->dp) {
		diag_add(d, ODC_SEV_ERROR, "odcat-invalid-json", c->dpfile, je.line, je.column,
			 "fix the JSON syntax (a missing comma or quote, a trailing comma, or a duplicated key)",
			 "invalid JSON: %s", je.text);
		diag_ja(d, "JSON の書き方を直してください（カンマや引用符の抜け、最後の余分なカンマ、重複したキー）",
			"JSON として読めません：%s", je.text);
		return -1;
	}
	if (!json_is_object(ds->dp)) {
		meta(c, "package-error", "", "datapackage.json is one JSON object {\"name\": ..., \"resources\": [...]}",
		     "datapackage.json は 1 つの JSON オブジェクト {\"name\": ..., \"resources\": [...]} です",
		     "the top level is not an object", "最上位がオブジェクトではありません");
		return -1;
	}
	resources = json_object_get(ds->dp, "resources");
	if (!json_is_array(resources) || json_array_size(resources) == 0) {
		meta(c, c->package_only ? "package-error" : "odcat-missing-metadata", resources ? "/resources" : "",
		     "list the data files in \"resources\": [{\"name\": ..., \"path\": ...}]",
		     "データファイルを \"resources\": [{\"name\": ..., \"path\": ...}] に書いてください",
		     "\"resources\" is missing or empty", "\"resources\"（リソース）がないか空です");
		bad = 1;
	}
	if (!c->package_only && check_metadata(c) < 0)
		bad = 1;
	if (bad)
		return -1;
	if (!c->package_only &&
	    (load_readme(c, "README.md", &ds->readme, &ds->readme_len) < 0 ||
	     load_readme(c, "README.en.md", &ds->readme_en, &ds->readme_en_len) < 0))
		return -1;

	ds->nres = json_array_size(resources);
	ds->res = xcalloc(ds->nres, sizeof(*ds->res));
	for (i = 0; i < ds->nres; i++)
		if (load_resource(c, &ds->res[i], json_array_get(resources, i), i) < 0)
			bad = 1;
	/* Names must be unique; two resources may not publish to one file. */
	for (i = 0; i < ds->nres; i++) {
		size_t j;
		for (j = i + 1; j < ds->nres; j++) {
			char ptr[64];
			odc_buf m = ODC_BUF_INIT;
			snprintf(ptr, sizeof(ptr), "/resources/%zu", j);
			if (ds->res[i].name && ds->res[j].name && !strcmp(ds->res[i].name, ds->res[j].name)) {
				buf_printf(&m, "resources[%zu] and resources[%zu] are both named \"%s\"", i, j, ds->res[j].name);
				meta(c, "resource-error", ptr, "give each resource its own name",
				     "リソースごとに別の名前を付けてください", m.ptr, NULL);
				bad = 1;
			} else if (!ds->res[i].is_url && !ds->res[j].is_url && ds->res[i].path && ds->res[j].path &&
				   !strcasecmp(ds->res[i].path, ds->res[j].path)) {
				buf_printf(&m, "resources[%zu] and resources[%zu] both publish \"%s\"", i, j, ds->res[j].path);
				meta(c, "odcat-output-collision", ptr, "give each resource its own file",
				     "リソースごとに別のファイルにしてください", m.ptr, NULL);
				bad = 1;
			} else if (!ds->res[i].is_url && !ds->res[j].is_url && ds->res[i].path && ds->res[j].path &&
				   (derived_collides(&ds->res[i], ds->res[j].path) ||
				    derived_collides(&ds->res[j], ds->res[i].path))) {
				buf_printf(&m, "resources[%zu] \"%s\" and resources[%zu] \"%s\" publish to one file: "
					   "odcat writes a CSV's typed JSON copy as <path>.json",
					   i, ds->res[i].path, j, ds->res[j].path);
				meta(c, "odcat-output-collision", ptr, "rename the file that ends in .json",
				     "名前が .json で終わるファイルの名前を変えてください", m.ptr, NULL);
				bad = 1;
			}
			buf_free(&m);
		}
	}
	if (!c->package_only)
		check_copy_names(c);
	return bad ? -1 : 0;
}

static int load(odc_dataset *ds, const odc_catalog *cat, odc_repo *r, const char *slug,
		const odc_validate_opts *vo, int package_only, const char *stage, odc_diags *d)
{
	loadctx c;
	size_t i, before;
	int ok;

	memset(ds, 0, sizeof(*ds));
	memset(&c, 0, sizeof(c));
	ds->slug = slug ? xstrdup(slug) : NULL;
	if (slug) {
		odc_buf dir = ODC_BUF_INIT;
		buf_printf(&dir, "datasets/%s", slug);
		ds->dir = buf_detach(&dir);
	} else {
		ds->dir = xstrdup("");
	}
	c.ds = ds;
	c.cat = cat;
	c.r = r;
	c.d = d;
	c.vo = vo;
	c.package_only = package_only;
	c.stage = stage;
	c.dpfile = join(ds->dir, "datapackage.json");
	before = d->errors;
	ok = load_common(ds, &c);
	/* Whatever reported an error, the dataset is not valid. */
	/* load_common adds diagnostics through c.d, which cppcheck does not follow */
	/* cppcheck-suppress knownConditionTrueFalse */
	if (ok == 0 && d->errors > before)
		ok = -1;
	if (ok < 0 && stage)
		dataset_stage_later(ds); /* the kept bytes and pages go */
	if (ok < 0)
		for (i = 0; i < ds->nres; i++)
			typed_drop(&ds->res[i]);
	if (ok < 0 && slug) {
		diag_add(d, ODC_SEV_ERROR, "odcat-dataset-dropped", ds->dir, 0, 0, NULL,
			 "dataset \"%s\" is not published because of the errors above", slug);
		diag_ja(d, NULL, "上のエラーのため、データセット「%s」は公開されません", slug);
	}
	for (i = 0; i < c.nfk; i++) {
		free(c.fk[i].id);
		keyset_free(c.fk[i].set);
	}
	free(c.fk);
	free(c.dpfile);
	return ok;
}

int dataset_load(odc_dataset *ds, const odc_catalog *cat, odc_repo *r, const char *slug,
		 const odc_validate_opts *vo, odc_diags *d)
{
	return load(ds, cat, r, slug, vo, 0, NULL, d);
}

int dataset_load_staged(odc_dataset *ds, const odc_catalog *cat, odc_repo *r, const char *slug,
			const char *stage, odc_diags *d)
{
	return load(ds, cat, r, slug, NULL, 0, stage, d);
}

int package_load(odc_dataset *ds, odc_repo *r, const odc_validate_opts *vo, odc_diags *d)
{
	return load(ds, NULL, r, NULL, vo, 1, NULL, d);
}

/*====================================================================
 * A published dataset as a record, for the build cache
 *====================================================================*/

static json_t *str_or_null(const char *s)
{
	return s ? json_string(s) : json_null();
}

json_t *dataset_record(const odc_dataset *ds)
{
	json_t *o = json_object(), *res = json_array();
	size_t i;

	json_object_set_new(o, "slug", json_string(ds->slug));
	json_object_set_new(o, "datapackage", json_stringn(ds->dp_raw, ds->dp_raw_len));
	/* The descriptor parsed, as committed (ds->dp may have gained dates
	 * since): the cache's binary form reads back a tree several times
	 * faster than jansson parses the text, on every build. */
	json_object_set_new(o, "descriptor",
			    json_loadb(ds->dp_raw, ds->dp_raw_len, JSON_REJECT_DUPLICATES, NULL));
	/* The READMEs, for the search index (built in every build). One that
	 * is not valid UTF-8 or holds a NUL cannot be kept as a JSON string:
	 * the record says false and dataset_restore refuses it, so the
	 * dataset is read again. */
	if (ds->readme) {
		json_t *t = memchr(ds->readme, 0, ds->readme_len) ? NULL
								   : json_stringn(ds->readme, ds->readme_len);
		json_object_set_new(o, "readme", t ? t : json_false());
	}
	if (ds->readme_en) {
		json_t *t = memchr(ds->readme_en, 0, ds->readme_en_len)
				    ? NULL
				    : json_stringn(ds->readme_en, ds->readme_en_len);
		json_object_set_new(o, "readme_en", t ? t : json_false());
	}
	for (i = 0; i < ds->nres; i++) {
		const odc_resource *r = &ds->res[i];
		json_t *x = json_object();
		json_object_set_new(x, "name", str_or_null(r->name));
		json_object_set_new(x, "path", str_or_null(r->path));
		json_object_set_new(x, "format", str_or_null(r->format));
		json_object_set_new(x, "mediatype", str_or_null(r->mediatype));
		json_object_set_new(x, "encoding", str_or_null(r->encoding));
		json_object_set_new(x, "is_url", json_boolean(r->is_url));
		json_object_set_new(x, "is_csv", json_boolean(r->is_csv));
		json_object_set_new(x, "has_schema", json_boolean(r->has_schema));
		json_object_set_new(x, "bytes", json_integer((json_int_t)r->bytes));
		json_object_set_new(x, "sha256", json_string(r->sha256));
		json_object_set_new(x, "rows", json_integer(r->rows));
		json_object_set_new(x, "validated", json_boolean(r->validated));
		json_object_set_new(x, "errors", json_integer((json_int_t)r->errors));
		json_object_set_new(x, "omitted", json_integer((json_int_t)r->omitted));
		json_object_set_new(x, "has_json", json_boolean(r->has_json));
		json_array_append_new(res, x);
	}
	json_object_set_new(o, "resources", res);
	return o;
}

static char *rec_str(const json_t *o, const char *key)
{
	const char *s = json_string_value(json_object_get(o, key));
	return s ? xstrdup(s) : NULL;
}

int dataset_restore(odc_dataset *ds, const odc_catalog *cat, json_t *rec)
{
	const char *slug = json_string_value(json_object_get(rec, "slug"));
	json_t *raw = json_object_get(rec, "datapackage"), *res = json_object_get(rec, "resources"), *x;
	odc_buf dir = ODC_BUF_INIT;
	size_t i;

	memset(ds, 0, sizeof(*ds));
	if (!slug || !catalog_slug_is_valid(slug) || !json_is_string(raw) || !json_is_array(res))
		return ODC_EINVALID;
	/* Taken out of rec: the model changes it (dates), rec must not. */
	ds->dp = json_incref(json_object_get(rec, "descriptor"));
	json_object_del(rec, "descriptor");
	if (!json_is_object(ds->dp) ||
	    json_array_size(res) != json_array_size(json_object_get(ds->dp, "resources"))) {
		dataset_free(ds);
		return ODC_EINVALID;
	}
	ds->slug = xstrdup(slug);
	buf_printf(&dir, "datasets/%s", slug);
	ds->dir = buf_detach(&dir);
	ds->dp_raw = xstrndup(json_string_value(raw), json_string_length(raw));
	ds->dp_raw_len = json_string_length(raw);
	x = json_object_get(rec, "readme");
	if (x && !json_is_string(x)) {
		dataset_free(ds);
		return ODC_EINVALID;
	}
	if (x) {
		ds->readme = xstrndup(json_string_value(x), json_string_length(x));
		ds->readme_len = json_string_length(x);
	}
	x = json_object_get(rec, "readme_en");
	if (x && !json_is_string(x)) {
		dataset_free(ds);
		return ODC_EINVALID;
	}
	if (x) {
		ds->readme_en = xstrndup(json_string_value(x), json_string_length(x));
		ds->readme_en_len = json_string_length(x);
	}
	bind_metadata(ds, cat);
	ds->nres = json_array_size(res);
	ds->res = xcalloc(ds->nres ? ds->nres : 1, sizeof(*ds->res));
	json_array_foreach(res, i, x) {
		odc_resource *r = &ds->res[i];
		const char *h = json_string_value(json_object_get(x, "sha256"));
		r->name = rec_str(x, "name");
		r->path = rec_str(x, "path");
		r->format = rec_str(x, "format");
		r->mediatype = rec_str(x, "mediatype");
		r->encoding = rec_str(x, "encoding");
		r->is_url = json_is_true(json_object_get(x, "is_url"));
		r->is_csv = json_is_true(json_object_get(x, "is_csv"));
		r->has_schema = json_is_true(json_object_get(x, "has_schema"));
		r->bytes = (size_t)json_integer_value(json_object_get(x, "bytes"));
		snprintf(r->sha256, sizeof(r->sha256), "%s", h ? h : "");
		r->rows = (long)json_integer_value(json_object_get(x, "rows"));
		r->validated = json_is_true(json_object_get(x, "validated"));
		r->errors = (size_t)json_integer_value(json_object_get(x, "errors"));
		r->omitted = (size_t)json_integer_value(json_object_get(x, "omitted"));
		r->has_json = json_is_true(json_object_get(x, "has_json"));
		r->json = json_array_get(json_object_get(ds->dp, "resources"), i);
		if (!r->name || !r->path || !r->format || !r->mediatype) {
			dataset_free(ds);
			return ODC_EINVALID;
		}
	}
	return ODC_OK;
}

void dataset_free(odc_dataset *ds)
{
	size_t i;
	for (i = 0; i < ds->nres; i++) {
		json_decref(ds->res[i].page);
		typed_drop(&ds->res[i]);
		if (ds->res[i].has_kept)
			repo_blob_free(&ds->res[i].kept);
		free(ds->res[i].name);
		free(ds->res[i].path);
		free(ds->res[i].format);
		free(ds->res[i].mediatype);
		free(ds->res[i].encoding);
	}
	free(ds->res);
	json_decref(ds->dp);
	json_decref(ds->history);
	free(ds->dp_raw);
	free(ds->readme);
	free(ds->readme_en);
	free(ds->slug);
	free(ds->dir);
	memset(ds, 0, sizeof(*ds));
}

/*====================================================================
 * The records of a valid CSV resource as typed JSON (<path>.json)
 *====================================================================*/

#define JSON_FLUSH_BYTES (32 * 1024) /* written out in chunks of about 32 KiB: the buffer
				    * stays below malloc's trim and mmap sizes */

struct jsonrows {
	odc_schema *s;       /* borrowed */
	char **key;          /* per field: its name as a JSON string and ':' */
	char **delim;        /* per field: list delimiter (default ",") */
	odc_type *item;      /* per field: list itemType */
	FILE *f;
	odc_buf b;
	long count;
	int failed;
	derived_rows *dr;    /* the page's preview and profile, from the same rows */
	size_t nf;
	char *file;          /* typed_begin: the file written */
};

static void json_text(odc_buf *b, const char *s, size_t n)
{
	static const char hex[] = "0123456789abcdef";
	size_t i, from = 0;
	buf_putc(b, '"');
	for (i = 0; i < n; i++) {
		unsigned char ch = (unsigned char)s[i];
		if (ch >= 0x20 && ch != '"' && ch != '\\')
			continue;
		buf_put(b, s + from, i - from);
		from = i + 1;
		switch (ch) {
		case '"': buf_puts(b, "\\\""); break;
		case '\\': buf_puts(b, "\\\\"); break;
		case '\n': buf_puts(b, "\\n"); break;
		case '\r': buf_puts(b, "\\r"); break;
		case '\t': buf_puts(b, "\\t"); break;
		default:
			buf_puts(b, "\\u00");
			buf_putc(b, hex[ch >> 4]);
			buf_putc(b, hex[ch & 15]);
		}
	}
	buf_put(b, s + from, n - from);
	buf_putc(b, '"');
}

/* Powers of ten exact in a double, for the decimal fast path below. */
static const double pow10_exact[] = {1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8};

/* The text of x when it is a decimal of at most 15 significant digits and
 * at most 8 decimals in [1e-4, 1e15): then %.15g prints exactly that
 * decimal (a 15-digit decimal reads back to itself through a double) in
 * fixed notation, and it reads back as x, so json_number's loop would stop
 * there. m / 10^k with m < 2^53 and 10^k exact is the correctly rounded
 * value of the decimal, as strtod gives it. Returns 0, or -1 to let
 * snprintf decide. */
static int number_fast(odc_buf *b, double x)
{
	double ax = fabs(x);
	int k;
	if (!(ax >= 1e-4 && ax < 1e15))
		return -1;
	for (k = 0; k <= 8; k++) {
		double y = ax * pow10_exact[k], m;
		if (!(y < 1e15))
			return -1;
		m = nearbyint(y);
		if (m / pow10_exact[k] == ax) {
			unsigned long long v = (unsigned long long)m, p = (unsigned long long)pow10_exact[k];
			unsigned long long ip = v / p, fp = v % p;
			char t[48];
			size_t n = sizeof(t);
			int nf = k;
			/* the fraction without its trailing zeros, then the integer part */
			while (nf > 0 && fp % 10 == 0) {
				fp /= 10;
				nf--;
			}
			if (nf) {
				int i;
				for (i = 0; i < nf; i++) {
					t[--n] = (char)('0' + fp % 10);
					fp /= 10;
				}
				t[--n] = '.';
			}
			do {
				t[--n] = (char)('0' + ip % 10);
				ip /= 10;
			} while (ip);
			if (x < 0)
				t[--n] = '-';
			buf_put(b, t + n, sizeof(t) - n);
			return 0;
		}
	}
	return -1;
}

/* The shortest of %.15g..%.17g that reads back the same; null for NaN and
 * infinities (JSON has no such numbers). */
void dataset_json_number(odc_buf *b, double x)
{
	char t[40];
	int p;
	if (!isfinite(x)) {
		buf_puts(b, "null");
		return;
	}
	if (x == 0 && !signbit(x)) {
		buf_putc(b, '0');
		return;
	}
	if (number_fast(b, x) == 0)
		return;
	for (p = 15; p <= 17; p++) {
		snprintf(t, sizeof(t), "%.*g", p, x);
		if (strtod(t, NULL) == x)
			break;
	}
	buf_puts(b, t);
}

/* A JSON integer without printf. */
static void json_integer_text(odc_buf *b, long long v)
{
	char t[24];
	size_t n = sizeof(t);
	unsigned long long u = v < 0 ? 0ULL - (unsigned long long)v : (unsigned long long)v;
	do {
		t[--n] = (char)('0' + u % 10);
		u /= 10;
	} while (u);
	if (v < 0)
		t[--n] = '-';
	buf_put(b, t + n, sizeof(t) - n);
}

/* One item of a list cell, by the list's itemType (default options). */
static void json_list_item(odc_buf *b, odc_type t, const char *s, size_t n)
{
	static const char *const yes[] = {"true", "True", "TRUE", "1"}, *const no[] = {"false", "False", "FALSE", "0"};
	size_t k;
	if (t == ODC_T_INTEGER || t == ODC_T_NUMBER) {
		char tmp[64], *end;
		double x;
		if (n > 0 && n < sizeof(tmp)) {
			memcpy(tmp, s, n);
			tmp[n] = '\0';
			x = strtod(tmp, &end);
			if (!*end && isfinite(x)) {
				dataset_json_number(b, x);
				return;
			}
		}
	} else if (t == ODC_T_BOOLEAN) {
		for (k = 0; k < 4; k++) {
			if (n == strlen(yes[k]) && !memcmp(s, yes[k], n)) {
				buf_puts(b, "true");
				return;
			}
			if (n == strlen(no[k]) && !memcmp(s, no[k], n)) {
				buf_puts(b, "false");
				return;
			}
		}
	}
	json_text(b, s, n);
}

static void json_value(jsonrows *j, size_t i, const odc_value *v)
{
	odc_buf *b = &j->b;
	if (v->missing) {
		buf_puts(b, "null");
		return;
	}
	switch (v->type) {
	case ODC_T_INTEGER:
		json_integer_text(b, v->i);
		break;
	case ODC_T_NUMBER:
		dataset_json_number(b, v->num);
		break;
	case ODC_T_BOOLEAN:
		buf_puts(b, v->i ? "true" : "false");
		break;
	case ODC_T_GEOPOINT:
		buf_putc(b, '[');
		dataset_json_number(b, v->lon);
		buf_putc(b, ',');
		dataset_json_number(b, v->lat);
		buf_putc(b, ']');
		break;
	case ODC_T_OBJECT:
	case ODC_T_ARRAY:
	case ODC_T_GEOJSON: {
		json_t *x = json_loadb(v->str, v->len, JSON_DECODE_ANY, NULL);
		char *t = x ? json_dumps(x, JSON_COMPACT | JSON_ENCODE_ANY) : NULL;
		if (t)
			buf_puts(b, t);
		else
			json_text(b, v->str, v->len);
		free(t);
		json_decref(x);
		break;
	}
	case ODC_T_LIST: {
		const char *p = v->str, *end = v->str + v->len, *d = j->delim[i];
		size_t dl = strlen(d);
		buf_putc(b, '[');
		while (1) {
			const char *q = p;
			while (q + dl <= end && memcmp(q, d, dl))
				q++;
			if (q + dl > end)
				q = end;
			json_list_item(b, j->item[i], p, (size_t)(q - p));
			if (q == end)
				break;
			buf_putc(b, ',');
			p = q + dl;
		}
		buf_putc(b, ']');
		break;
	}
	default: /* strings, any, and dates, times, years, durations as written */
		json_text(b, v->str ? v->str : "", v->str ? v->len : 0);
	}
}

static int flush_rows(jsonrows *j)
{
	if (j->b.len && fwrite(j->b.ptr, 1, j->b.len, j->f) != j->b.len)
		j->failed = 1;
	buf_clear(&j->b);
	return j->failed ? -1 : 0;
}

static int on_typed_row(void *payload, const odc_value *vals, size_t n, long row)
{
	jsonrows *j = payload;
	size_t i;
	buf_puts(&j->b, j->count ? ",\n{" : "\n{");
	for (i = 0; i < n; i++) {
		if (i)
			buf_putc(&j->b, ',');
		buf_puts(&j->b, j->key[i]);
		json_value(j, i, &vals[i]);
	}
	buf_putc(&j->b, '}');
	j->count++;
	if (j->dr)
		derived_rows_add(j->dr, vals, n, row);
	if (j->b.len >= JSON_FLUSH_BYTES)
		return flush_rows(j);
	return 0;
}

/* Sets up j for the rows of schema s (fields: its "fields") into f. */
static void jsonrows_init(jsonrows *j, odc_schema *s, json_t *fields, FILE *f)
{
	size_t i, nf = schema_field_count(s);
	memset(j, 0, sizeof(*j));
	j->s = s;
	j->f = f;
	j->nf = nf;
	j->dr = derived_rows_new(s, fields);
	j->key = xcalloc(nf ? nf : 1, sizeof(char *));
	j->delim = xcalloc(nf ? nf : 1, sizeof(char *));
	j->item = xcalloc(nf ? nf : 1, sizeof(odc_type));
	for (i = 0; i < nf; i++) {
		odc_buf k = ODC_BUF_INIT;
		json_t *fj = json_array_get(fields, i);
		const char *dl = json_string_value(json_object_get(fj, "delimiter"));
		const char *it = json_string_value(json_object_get(fj, "itemType"));
		int t = it ? schema_type_from_name(it) : -1;
		json_text(&k, schema_field_name(s, i), strlen(schema_field_name(s, i)));
		buf_putc(&k, ':');
		j->key[i] = buf_detach(&k);
		j->delim[i] = xstrdup(dl && *dl ? dl : ",");
		j->item[i] = t < 0 ? ODC_T_STRING : (odc_type)t;
	}
	buf_puts(&j->b, "[");
}

/* Ends the array and closes the file; fills page (may be NULL) with the
 * preview and profile. Returns 0, or -1 when the file could not be
 * written. Frees what j holds but the schema and the file name. */
static int jsonrows_finish(jsonrows *j, json_t *page)
{
	size_t i;
	int rc;
	buf_puts(&j->b, j->count ? "\n]\n" : "]\n");
	flush_rows(j);
	if (fclose(j->f) != 0)
		j->failed = 1;
	j->f = NULL;
	rc = j->failed ? -1 : 0;
	derived_rows_finish(j->dr, rc == 0 ? page : NULL);
	j->dr = NULL;
	for (i = 0; i < j->nf; i++) {
		free(j->key[i]);
		free(j->delim[i]);
	}
	free(j->key);
	free(j->delim);
	free(j->item);
	buf_free(&j->b);
	return rc;
}

/* The staging folder's waiting files of resource idx: <stage>/.odcat-typed-<slug>-<idx>.<ext>. */
static char *typed_tmp_path(const loadctx *c, size_t idx, const char *ext)
{
	odc_buf p = ODC_BUF_INIT;
	buf_printf(&p, "%s/.odcat-typed-%s-%zu.%s", c->stage, c->ds->slug ? c->ds->slug : "", idx, ext);
	return buf_detach(&p);
}

/* Hooks the typed JSON writer onto the validating pass of load_resource
 * (o->row must be free). NULL when the file cannot be opened: the build
 * then writes the JSON with dataset_resource_json. */
static jsonrows *typed_begin(loadctx *c, odc_resource *res, size_t idx, odc_schema *s, json_t *sj,
			     odc_validate_opts *o)
{
	jsonrows *j;
	char *file;
	FILE *f;
	if (o->row || !c->ds->slug)
		return NULL;
	(void)res;
	file = typed_tmp_path(c, idx, "json");
	f = fopen(file, "wb");
	if (!f) {
		free(file);
		return NULL;
	}
	j = xmalloc(sizeof(*j));
	jsonrows_init(j, s, json_object_get(sj, "fields"), f);
	j->file = file;
	o->row = on_typed_row;
	o->row_payload = j;
	return j;
}

/* Ends typed_begin's pass: keeps the files in res when keep (the
 * resource passed), else removes them. */
static void typed_end(jsonrows *j, odc_resource *res, int keep)
{
	json_t *page;
	if (!j)
		return;
	page = json_object();
	if (jsonrows_finish(j, page) < 0 || !keep) {
		remove(j->file);
		free(j->file);
		json_decref(page);
	} else {
		typed_drop(res);
		res->json_tmp = j->file;
		json_decref(res->page);
		res->page = page;
	}
	free(j);
}

/* Removes the waiting typed JSON of resource res. */
static void typed_drop(odc_resource *res)
{
	if (res->json_tmp)
		remove(res->json_tmp);
	free(res->json_tmp);
	free(res->page_tmp);
	res->json_tmp = res->page_tmp = NULL;
}

int dataset_place_json(odc_dataset *ds, size_t idx, const char *file)
{
	odc_resource *res = &ds->res[idx];
	json_t *page = NULL;
	if (!res->json_tmp)
		return -1;
	if (res->page_tmp) {
		page = json_loads(res->page_tmp, JSON_ALLOW_NUL, NULL);
		free(res->page_tmp);
		res->page_tmp = NULL;
		json_decref(res->page);
		res->page = json_is_object(page) ? page : NULL;
	}
	if (!json_is_object(res->page) || rename(res->json_tmp, file) < 0) {
		typed_drop(res);
		json_decref(res->page);
		res->page = NULL;
		return -1;
	}
	free(res->json_tmp);
	res->json_tmp = NULL;
	return 0;
}

void dataset_stage_later(odc_dataset *ds)
{
	size_t i;
	for (i = 0; i < ds->nres; i++) {
		odc_resource *res = &ds->res[i];
		if (res->has_kept)
			repo_blob_free(&res->kept);
		res->has_kept = 0;
		if (res->json_tmp && res->page && !res->page_tmp) {
			res->page_tmp = json_dumps(res->page, JSON_COMPACT);
			if (!res->page_tmp)
				typed_drop(res);
		}
		json_decref(res->page);
		res->page = NULL;
	}
}

/* Writes the records of resource idx of ds (a local CSV that passed
 * validation against its schema) to file (a file-system path) as a JSON
 * array of objects keyed by field name in schema order, with values typed
 * by the schema. A second streaming pass over the committed file, keys not
 * checked again: memory does not grow with rows. The same rows feed the
 * dataset page's preview and column profile (derived.h), left in
 * res->page. Returns 0, or
 * -1 when the resource cannot be read again or file cannot be written. */
int dataset_resource_json(odc_repo *r, odc_dataset *ds, size_t idx, const char *file,
			  long *records)
{
	odc_resource *res = &ds->res[idx];
	loadctx c;
	odc_diags quiet = ODC_DIAGS_INIT;
	odc_validate_opts o;
	odc_validate_report rep;
	odc_blob b;
	json_t *sj = NULL, *page;
	odc_schema *s = NULL;
	jsonrows j;
	char *full = NULL;
	FILE *f;
	int rc = -1;

	memset(&c, 0, sizeof(c));
	c.ds = ds;
	c.r = r;
	c.d = &quiet;
	c.dpfile = join(ds->dir, "datapackage.json");
	if (res->is_url || !res->is_csv || !res->validated || !res->json)
		goto done;
	sj = resource_schema_json(&c, res->json);
	if (!sj || schema_load(&s, sj, c.dpfile, "", &quiet) < 0)
		goto done;
	full = join(ds->dir, res->path);
	if (repo_read(r, full, ODC_MAX_RESOURCE_BYTES, &b) < 0)
		goto done;
	f = fopen(file, "wb");
	if (!f) {
		repo_blob_free(&b);
		goto done;
	}
	jsonrows_init(&j, s, json_object_get(sj, "fields"), f);
	validate_opts_init(&o);
	dialect_opts(&c, res->json, &o);
	o.max_errors = 0;
	o.warn_formula = 0;
	o.warn_personal = 0;
	o.check_keys = 0; /* passed already: no key sets that grow with rows */
	o.row = on_typed_row;
	o.row_payload = &j;
	o.csv.consumed = release_blob;
	o.csv.consumed_payload = &b;
	if (validate_resource(b.data, b.len, s, full, &o, &quiet, &rep) < 0)
		j.failed = 1; /* cannot happen for a resource that passed */
	repo_blob_free(&b);
	if (records)
		*records = j.count;
	/* The dataset page's preview and profile (derived.c completes it). */
	page = json_object();
	if (jsonrows_finish(&j, page) < 0) {
		remove(file);
		json_decref(page);
	} else {
		json_decref(res->page);
		res->page = page;
		rc = 0;
	}
done:
	schema_free(s);
	json_decref(sj);
	free(full);
	free(c.dpfile);
	diag_free(&quiet);
	return rc;
}
