/*
 * writers.c — fuzz target for everything the build writes from a loaded
 * dataset, given hostile metadata: the dataset page and list pages
 * (render.c, with the schema.org JSON-LD <script> block), data.json
 * (dcat.c), DCAT-AP catalog/dataset .jsonld and .ttl (dcatap.c),
 * opendata-list.csv, sitemap.xml and robots.txt (feeds.c), the static CKAN
 * API (ckan.c) and the typed JSON copy of a valid CSV
 * (dataset_resource_json).
 *
 * Input format: tree.h's — datapackage.json \0 odcat.json \0 README.md \0
 * data.csv. The catalogue and the dataset are loaded as the build loads
 * them; only a dataset that loads (would be published) reaches the
 * writers, so the seeds are complete, valid datasets whose values the
 * fuzzer then changes. The pages use the theme in themes/default (or
 * $ODCAT_FUZZ_THEME), relative to the folder the target runs in (the
 * repository root under make).
 *
 * Oracles, on the written site folder:
 *   - every .json and .jsonld file is JSON that Jansson reads;
 *   - every .ttl file is lexically sound Turtle: IRIs hold none of the
 *     characters an IRIREF excludes, string literals end on their line and
 *     use only Turtle's escapes, the text is valid UTF-8;
 *   - sitemap.xml is well-formed XML as far as a tag stack, quoted
 *     attributes and entity references go;
 *   - opendata-list.csv reads back (csvscan) as records of 15 fields;
 *   - every HTML page: each <script> is <script type="application/ld+json">
 *     whose body is JSON and holds neither "</script" nor "<!--" (any
 *     case); no href or src value, after HTML character references are
 *     decoded and tabs/newlines dropped as browsers do, starts with
 *     javascript:, vbscript: or data:; no tag "<pwn" (the dictionary's
 *     marker for injected markup) appears in any case.
 */
#include <ctype.h>
#include <dirent.h>
#include <jansson.h>
#include <string.h>
#include <strings.h>

#include "catalog.h"
#include "ckan.h"
#include "csvscan.h"
#include "dcat.h"
#include "dcatap.h"
#include "diag.h"
#include "feeds.h"
#include "fuzz.h"
#include "mqa.h"
#include "out.h"
#include "render.h"
#include "repo.h"
#include "tree.h"

/*---- Turtle ----*/

static int ttl_ok(const char *s, size_t n)
{
	size_t i = 0;
	if (!fuzz_utf8_ok((const unsigned char *)s, n)) {
		fprintf(stderr, "ttl: not UTF-8\n");
		return 0;
	}
	while (i < n) {
		char c = s[i];
		if (c == '#') { /* comment to the end of the line */
			while (i < n && s[i] != '\n')
				i++;
		} else if (c == '<') {
			for (i++; i < n && s[i] != '>'; i++) {
				unsigned char x = (unsigned char)s[i];
				if (x <= 0x20 || strchr("<\"{}|^`\\", x)) {
					fprintf(stderr, "ttl: IRI holds 0x%02x: %.60s\n", x, s + i);
					return 0;
				}
			}
			if (i == n)
				return 0;
			i++;
		} else if (c == '"') {
			if (i + 2 < n && s[i + 1] == '"' && s[i + 2] == '"') {
				fprintf(stderr, "ttl: long string literal\n");
				return 0; /* the writer uses short literals only */
			}
			for (i++; i < n && s[i] != '"'; i++) {
				if (s[i] == '\n' || s[i] == '\r') {
					fprintf(stderr, "ttl: line break in a literal\n");
					return 0;
				}
				if (s[i] == '\\') {
					size_t k, len;
					i++;
					if (i == n)
						return 0;
					if (strchr("tbnrf\"'\\", s[i]))
						continue;
					len = s[i] == 'u' ? 4 : s[i] == 'U' ? 8 : 0;
					if (!len || i + len >= n) {
						fprintf(stderr, "ttl: bad escape \\%c\n", s[i]);
						return 0;
					}
					for (k = 1; k <= len; k++)
						if (!isxdigit((unsigned char)s[i + k]))
							return 0;
					i += len;
				}
			}
			if (i == n) {
				fprintf(stderr, "ttl: unterminated literal\n");
				return 0;
			}
			i++;
		} else {
			i++;
		}
	}
	return 1;
}

/*---- XML ----*/

static int xml_entity_ok(const char *s, size_t n, size_t i)
{
	static const char *const names[] = {"amp;", "lt;", "gt;", "quot;", "apos;"};
	size_t k;
	for (k = 0; k < 5; k++)
		if (n - i - 1 >= strlen(names[k]) && !strncmp(s + i + 1, names[k], strlen(names[k])))
			return 1;
	if (i + 1 < n && s[i + 1] == '#') {
		size_t j = i + 2;
		int hex = j < n && s[j] == 'x';
		if (hex)
			j++;
		k = j;
		while (j < n && (hex ? isxdigit((unsigned char)s[j]) : isdigit((unsigned char)s[j])))
			j++;
		return j > k && j < n && s[j] == ';';
	}
	return 0;
}

static int xml_ok(const char *s, size_t n)
{
	const char *stack[64];
	size_t sl[64], depth = 0, i = 0;

	if (!fuzz_utf8_ok((const unsigned char *)s, n))
		return 0;
	while (i < n) {
		if (s[i] == '&') {
			if (!xml_entity_ok(s, n, i)) {
				fprintf(stderr, "xml: bad entity %.20s\n", s + i);
				return 0;
			}
			i++;
		} else if (s[i] == '<') {
			size_t j = i + 1, k;
			if (j < n && s[j] == '?') {
				const char *e = strstr(s + j, "?>");
				if (!e)
					return 0;
				i = (size_t)(e - s) + 2;
				continue;
			}
			if (j < n && s[j] == '/') {
				for (k = ++j; k < n && s[k] != '>'; k++)
					;
				if (k == n || depth == 0 || sl[depth - 1] != k - j ||
				    strncmp(stack[depth - 1], s + j, k - j)) {
					fprintf(stderr, "xml: unbalanced </%.20s\n", s + j);
					return 0;
				}
				depth--;
				i = k + 1;
				continue;
			}
			for (k = j; k < n && (isalnum((unsigned char)s[k]) || s[k] == ':' || s[k] == '_' ||
					      s[k] == '-' || s[k] == '.');
			     k++)
				;
			if (k == j || depth == 64)
				return 0;
			stack[depth] = s + j;
			sl[depth] = k - j;
			for (;;) { /* attributes */
				while (k < n && s[k] == ' ')
					k++;
				if (k < n && s[k] == '>') {
					depth++;
					break;
				}
				if (k + 1 < n && s[k] == '/' && s[k + 1] == '>') {
					k++;
					break;
				}
				while (k < n && (isalnum((unsigned char)s[k]) || s[k] == ':' || s[k] == '-'))
					k++;
				if (k + 1 >= n || s[k] != '=' || s[k + 1] != '"') {
					fprintf(stderr, "xml: bad attribute at %.20s\n", s + k);
					return 0;
				}
				for (k += 2; k < n && s[k] != '"'; k++)
					if (s[k] == '<' || (s[k] == '&' && !xml_entity_ok(s, n, k)))
						return 0;
				if (k == n)
					return 0;
				k++;
			}
			i = k + 1;
		} else {
			i++;
		}
	}
	if (depth) {
		fprintf(stderr, "xml: %zu elements left open\n", depth);
		return 0;
	}
	return 1;
}

/*---- HTML ----*/

/* strcasestr for ASCII needles (not in C11 or POSIX). */
static const char *ci_find(const char *hay, const char *needle)
{
	size_t n = strlen(needle);
	for (; *hay; hay++)
		if (!strncasecmp(hay, needle, n))
			return hay;
	return NULL;
}

/* Decodes the character references a browser decodes in an attribute
 * value and drops tab, CR and LF (the URL parser does), lower-cased,
 * into out (at most cap-1 bytes). */
static void attr_decode(const char *v, size_t n, char *out, size_t cap)
{
	size_t i = 0, o = 0;
	while (i < n && o + 1 < cap) {
		unsigned long cp = (unsigned char)v[i];
		size_t adv = 1;
		if (v[i] == '&') {
			static const struct {
				const char *name;
				char c;
			} ents[] = {{"amp;", '&'}, {"lt;", '<'}, {"gt;", '>'}, {"quot;", '"'},
				    {"apos;", '\''}, {"colon;", ':'}, {"tab;", '\t'}, {"newline;", '\n'}};
			size_t k;
			for (k = 0; k < sizeof(ents) / sizeof(ents[0]); k++) {
				size_t l = strlen(ents[k].name);
				if (n - i - 1 >= l && !strncasecmp(v + i + 1, ents[k].name, l)) {
					cp = (unsigned char)ents[k].c;
					adv = l + 1;
					break;
				}
			}
			if (adv == 1 && i + 1 < n && v[i + 1] == '#') {
				size_t j = i + 2;
				int hex = j < n && (v[j] == 'x' || v[j] == 'X');
				unsigned long x = 0;
				if (hex)
					j++;
				while (j < n && (hex ? isxdigit((unsigned char)v[j]) : isdigit((unsigned char)v[j])) &&
				       x < 0x110000) {
					x = x * (hex ? 16 : 10) +
					    (unsigned long)(isdigit((unsigned char)v[j]) ? v[j] - '0'
									  : (tolower((unsigned char)v[j]) - 'a' + 10));
					j++;
				}
				if (j > i + 2 + (size_t)hex) {
					cp = x;
					adv = j - i + (j < n && v[j] == ';');
				}
			}
		}
		i += adv;
		if (cp == '\t' || cp == '\n' || cp == '\r')
			continue;
		out[o++] = cp < 0x80 ? (char)tolower((int)cp) : '?';
	}
	out[o] = '\0';
}

static int url_attr_ok(const char *v, size_t n)
{
	char dec[64];
	const char *p = dec;
	attr_decode(v, n < 200 ? n : 200, dec, sizeof(dec));
	while (*p && (unsigned char)*p <= 0x20)
		p++;
	if (!strncmp(p, "javascript:", 11) || !strncmp(p, "vbscript:", 9) || !strncmp(p, "data:", 5)) {
		fprintf(stderr, "html: unsafe URL %.60s\n", v);
		return 0;
	}
	return 1;
}

static int html_ok(const char *s, size_t n)
{
	const char *p;
	(void)n;
	if (ci_find(s, "<pwn")) {
		fprintf(stderr, "html: injected tag %.60s\n", ci_find(s, "<pwn"));
		return 0;
	}
	for (p = s; (p = ci_find(p, "<script")) != NULL;) {
		static const char open[] = "<script type=\"application/ld+json\">";
		const char *body, *end;
		char *text;
		json_t *j;
		if (!strncmp(p, "<script src=\"", 13)) {
			/* The theme's own script: a relative src, no scheme, no body. */
			const char *q = strchr(p + 13, '"');
			FUZZ_ASSERT(q != NULL);
			FUZZ_ASSERT(memchr(p + 13, ':', (size_t)(q - p - 13)) == NULL);
			q = strchr(q, '>');
			FUZZ_ASSERT(q != NULL && !strncmp(q, "></script>", 10));
			p = q + 10;
			continue;
		}
		if (strncmp(p, open, sizeof(open) - 1)) {
			fprintf(stderr, "html: unexpected script element %.60s\n", p);
			return 0;
		}
		body = p + sizeof(open) - 1;
		end = ci_find(body, "</script");
		if (!end)
			return 0;
		text = strndup(body, (size_t)(end - body));
		FUZZ_ASSERT(text != NULL);
		if (strstr(text, "<!--") || ci_find(text, "<script")) {
			fprintf(stderr, "html: script body holds <!-- or <script\n");
			free(text);
			return 0;
		}
		j = json_loads(text, 0, NULL);
		free(text);
		if (!j) {
			fprintf(stderr, "html: JSON-LD is not JSON\n");
			return 0;
		}
		json_decref(j);
		p = end + 8;
	}
	for (p = s; (p = strstr(p, "=\"")) != NULL; p += 2) {
		const char *q;
		int is_url = (p - s >= 5 && !strncmp(p - 5, " href", 5)) ||
			     (p - s >= 4 && !strncmp(p - 4, " src", 4));
		if (!is_url)
			continue;
		q = strchr(p + 2, '"');
		if (!q)
			return 0;
		if (!url_attr_ok(p + 2, (size_t)(q - p - 2)))
			return 0;
	}
	return 1;
}

/*---- CSV ----*/

typedef struct csvstate {
	long records;
	int bad;
} csvstate;

static int on_row(void *payload, const odc_record *rec)
{
	csvstate *st = payload;
	st->records++;
	if (rec->n != 15) {
		fprintf(stderr, "opendata-list.csv: record %ld has %zu fields\n", st->records, (size_t)rec->n);
		st->bad = 1;
	}
	return 0;
}

static int csv_ok(const char *s, size_t n)
{
	odc_csv_opts o;
	odc_diags d = ODC_DIAGS_INIT;
	csvstate st = {0, 0};
	int rc;
	memset(&o, 0, sizeof(o));
	rc = csvscan_run(s, n, &o, on_row, &st, "opendata-list.csv", &d);
	if (rc != 0)
		diag_print(&d, stderr, ODC_FMT_TEXT, "en", 3);
	diag_free(&d);
	return rc == 0 && !st.bad && st.records >= 1;
}

/*---- the site folder ----*/

static int ends_with(const char *s, const char *suf)
{
	size_t a = strlen(s), b = strlen(suf);
	return a >= b && !strcmp(s + a - b, suf);
}

static void check_file(const char *path)
{
	FILE *f = fopen(path, "rb");
	odc_buf b = ODC_BUF_INIT;
	char chunk[65536];
	size_t got;
	int ok = 1;

	FUZZ_ASSERT(f != NULL);
	while ((got = fread(chunk, 1, sizeof(chunk), f)) > 0)
		buf_put(&b, chunk, got);
	fclose(f);
	if (ends_with(path, ".json") || ends_with(path, ".jsonld")) {
		json_error_t e;
		/* RFC 8259 allows \u0000 (a NUL in a CSV cell): Jansson needs a flag. */
		json_t *j = json_loadb(b.ptr ? b.ptr : "", b.len, JSON_ALLOW_NUL, &e);
		if (!j)
			fprintf(stderr, "%s: not JSON: %s (%d:%d)\n", path, e.text, e.line, e.column);
		ok = j != NULL;
		json_decref(j);
	} else if (ends_with(path, ".ttl")) {
		ok = ttl_ok(buf_cstr(&b), b.len);
	} else if (ends_with(path, ".xml")) {
		ok = xml_ok(buf_cstr(&b), b.len);
	} else if (ends_with(path, "/opendata-list.csv")) {
		ok = csv_ok(buf_cstr(&b), b.len);
	} else if (ends_with(path, ".html")) {
		ok = html_ok(buf_cstr(&b), b.len);
	}
	if (!ok)
		fprintf(stderr, "oracle failed on %s\n", path);
	FUZZ_ASSERT(ok);
	buf_free(&b);
}

static size_t files_checked;

static void check_tree(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	FUZZ_ASSERT(d != NULL);
	while ((e = readdir(d)) != NULL) {
		odc_buf p = ODC_BUF_INIT;
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		buf_printf(&p, "%s/%s", dir, e->d_name);
		if (e->d_type == DT_DIR)
			check_tree(p.ptr);
		else {
			check_file(p.ptr);
			files_checked++;
		}
		buf_free(&p);
	}
	closedir(d);
}

/*---- the build, in miniature ----*/

static void write_site(odc_catalog *cat, odc_repo *r, odc_dataset *ds, const char *root)
{
	const char *theme_dir = getenv("ODCAT_FUZZ_THEME");
	odc_buf msg = ODC_BUF_INIT, hint = ODC_BUF_INIT, err = ODC_BUF_INIT, p = ODC_BUF_INIT;
	odc_theme theme;
	odc_out out;
	odc_page_ctx pc;
	odc_feeds feeds = ODC_FEEDS_INIT;
	odc_ckan ckan = ODC_CKAN_INIT;
	odc_dcatap *ap;
	json_t *dcat = json_array(), *summaries[2] = {json_array(), json_array()};
	int li, nlang = cat->lang[1] ? 2 : 1;
	size_t i;
	char *text;

	memset(&out, 0, sizeof(out));
	buf_printf(&p, "%s/site", root);
	FUZZ_ASSERT(out_begin(&out, p.ptr, &msg) == 0);
	mqa_set_site_dir(out.stage);
	if (theme_load(&theme, theme_dir ? theme_dir : "themes/default", NULL, cat, &msg, &hint) < 0)
		nlang = 0; /* a language without strings: no pages, the rest still */

	/* The dataset's files and typed JSON copies, as build.c writes them. */
	for (i = 0; i < ds->nres; i++) {
		odc_resource *res = &ds->res[i];
		odc_blob b;
		if (res->is_url)
			continue;
		buf_clear(&p);
		buf_printf(&p, "datasets/%s/%s", ds->slug, res->path);
		buf_clear(&msg);
		buf_printf(&msg, "%s/%s", ds->dir, res->path);
		if (repo_read(r, msg.ptr, ODC_MAX_RESOURCE_BYTES, &b) == 0) {
			FUZZ_ASSERT(out_write(&out, p.ptr, b.data, b.len) == 0);
			repo_blob_free(&b);
			if (res->is_csv && res->validated) {
				long records = -1;
				buf_clear(&msg);
				buf_printf(&msg, "%s/%s.json", out.stage, p.ptr);
				FUZZ_ASSERT(dataset_resource_json(r, ds, i, msg.ptr, &records) == 0);
				FUZZ_ASSERT(records == res->rows);
				res->has_json = 1;
			}
		}
	}
	pc.cat = cat;
	pc.theme = &theme;
	pc.dataset_count = 1;
	pc.version = "fuzz";
	for (li = 0; li < nlang; li++) {
		odc_buf html = ODC_BUF_INIT;
		buf_clear(&err);
		if (render_dataset_page(&pc, ds, li, &html, &err) == 0) {
			buf_clear(&p);
			render_page_path(cat, li, "datasets/x/index.html", &p);
			FUZZ_ASSERT(out_write(&out, p.ptr, html.ptr ? html.ptr : "", html.len) == 0);
		}
		json_array_append_new(summaries[li], render_dataset_summary(&pc, ds, li));
		buf_free(&html);
	}
	json_array_append_new(dcat, dcat_us_dataset(cat, ds, "2025-04-01"));
	text = dcat_us_catalog(cat, dcat);
	FUZZ_ASSERT(out_write(&out, "data.json", text, strlen(text)) == 0);
	{
		/* data.json from the dataset's fragment (the build's phase B)
		 * is the same bytes as from the whole tree. */
		odc_datajson dj = ODC_DATAJSON_INIT;
		json_t *frag = dcat_us_fragment(cat, ds);
		char *t2;
		dcat_us_add(&dj, cat, ds, "2025-04-01", frag);
		t2 = dcat_us_text(cat, &dj);
		FUZZ_ASSERT(!strcmp(text, t2));
		free(t2);
		json_decref(frag);
		dcat_us_free(&dj);
	}
	free(text);
	{
		/* The writers' per-dataset parts, as the build makes them. */
		odc_dcatap *plan = dcatap_new(cat, "2025-04-01");
		json_t *fa, *fc;
		dcatap_predict(plan);
		dcatap_add(plan, cat, ds, NULL, NULL);
		dcatap_seal(plan);
		buf_clear(&err);
		fa = dcatap_fragment(plan, cat, ds, &out, NULL, NULL, &err);
		fc = ckan_fragment(cat, ds, &out, NULL, NULL, &err);
		dcatap_free(plan);
		feeds_add(&feeds, cat, ds, "2025-04-01");
		buf_clear(&err);
		FUZZ_ASSERT(feeds_write(&feeds, cat, &out, &err) == 0);
		ap = dcatap_new(cat, "2025-04-01");
		dcatap_add(ap, cat, ds, fa, &out);
		FUZZ_ASSERT(dcatap_write(ap, &out, &err) == 0);
		ckan_add(&ckan, cat, ds, "2025-04-01", fc, &out);
		FUZZ_ASSERT(ckan_write(&ckan, cat, &out, &err) == 0);
		json_decref(fa);
		json_decref(fc);
	}

	files_checked = 0;
	check_tree(out.stage);
	if (getenv("FUZZ_VERBOSE"))
		fprintf(stderr, "writers: %zu files checked\n", files_checked);

	out_abort(&out);
	out_free(&out);
	mqa_set_site_dir(NULL);
	dcatap_free(ap);
	ckan_free(&ckan);
	feeds_free(&feeds);
	json_decref(dcat);
	json_decref(summaries[0]);
	json_decref(summaries[1]);
	theme_free(&theme);
	buf_free(&msg);
	buf_free(&hint);
	buf_free(&err);
	buf_free(&p);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	tree_part part[4];
	char *root;
	odc_repo *r = NULL;
	odc_buf msg = ODC_BUF_INIT, hint = ODC_BUF_INIT;
	odc_catalog cat;
	odc_diags d = ODC_DIAGS_INIT;

	tree_split(data, size, part);
	root = tree_write(part);
	FUZZ_ASSERT(repo_open_dir(&r, root) == 0);
	if (catalog_load(&cat, r, &msg, &hint) == 0) {
		odc_dataset ds;
		if (dataset_load(&ds, &cat, r, "x", NULL, &d) == 0)
			write_site(&cat, r, &ds, root);
		else if (getenv("FUZZ_VERBOSE"))
			diag_print(&d, stderr, ODC_FMT_TEXT, "en", 3);
		dataset_free(&ds);
		catalog_free(&cat);
	}
	repo_free(r);
	diag_free(&d);
	buf_free(&msg);
	buf_free(&hint);
	tree_remove(root);
	return 0;
}
