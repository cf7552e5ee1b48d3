/*
 * dcatap.c — DCAT-AP 3.0.1 catalog.ttl and catalog.jsonld (see dcatap.h).
 *
 * The graph is kept as a list of nodes, each an IRI with its types and its
 * (predicate, object) pairs in the order they were added; both writers walk
 * the same list, predicates grouped in first-use order, so the two files
 * always hold the same triples and are byte-identical from build to build.
 * Nodes shared between datasets (agents, licences, themes, languages,
 * frequencies, media types, formats, standards) are kept apart, added once
 * and written after the datasets.
 *
 * A dataset is added in a scratch graph of its own (ds_part): its own
 * nodes become text once (Turtle, and JSON-LD written as json_dumps would
 * at @graph depth), and its calls for shared nodes are logged. Adding it
 * to the catalogue replays those calls, so the shared nodes come out as
 * if every dataset had been added to one graph; the files are then joined
 * text. The same part, made in parallel, is the dataset's fragment.
 */
#include "dcatap.h"

#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dcat.h"
#include "digest.h"
#include "escape.h"

enum { O_IRI, O_LANG, O_TYPED, O_PLAIN };

typedef struct {
	const char *p; /* compact predicate, a constant */
	int kind;
	char *v;       /* IRI or lexical form */
	char *x;       /* language tag or compact datatype */
} ap_obj;

typedef struct {
	char *iri;
	const char *types[2];
	ap_obj *o;
	size_t n, cap;
} ap_node;

typedef struct {
	ap_node *v;
	size_t n, cap;
} ap_nodes;

/* A dataset's part of the graph, kept as text: its own nodes (the
 * dcat:Dataset and what it owns) as they read in any of the files, the
 * IRIs they point to (to find the shared nodes a file of it needs), and
 * the shared nodes it asked for. Made from the dataset alone, so that it
 * can be made in parallel and kept in the build cache (a fragment). */
typedef struct {
	char *iri;
	const char *type;
	ap_obj *o;   /* objects of the node when this call makes it */
	size_t n;
} ap_call;

typedef struct {
	char *slug;
	char *land;  /* the landing page IRI: the catalogue's dcat:dataset */
	char *ttl;   /* its own nodes in Turtle, each starting with "\n" */
	char *jld;   /* its own nodes in JSON-LD at @graph depth, ",\n    " between */
	char **iris; /* the IRIs its own nodes point to */
	size_t niris;
	ap_call *calls; /* the shared nodes it makes or points to, in order */
	size_t ncalls;
	char *sig;   /* the shared nodes its stored dataset.* files hold (a
		      * SHA-256 of their Turtle), or NULL: not written yet */
	size_t ttl_len, jld_len; /* strlen of ttl and jld, once added (dcatap_add) */
	json_t *held; /* the fragment whose strings ttl and jld are (a reference
		       * held, not copied: tens of MB at 10,000 datasets), or
		       * NULL: they are owned */
} ap_ds;

struct odc_dcatap {
	ap_nodes own;    /* the catalogue, then each dataset and what it owns */
	ap_nodes shared; /* resources several datasets point to */
	size_t *shix;    /* open-addressing index of shared by IRI: index + 1, 0 = empty */
	size_t shcap;    /* slots in shix (a power of two) */
	ap_ds *ds;       /* the datasets added, in order */
	size_t nds, capds;
	size_t page_size; /* datasets per catalog/page-<n> file */
	char *base;      /* base URL with one trailing '/' */
	char *today;     /* NULL in a scratch graph: need_today says it was wanted */
	const char *lang[2];
	int scratch;     /* a graph of one dataset (ds_part): logs shared calls */
	int need_today;
	int predict;     /* has_json not known yet: take it from the CSV's state */
	ap_call *calls;  /* scratch: the shared() calls, in order */
	size_t ncalls, capcalls;
	char **sh_ttl;   /* the shared nodes' text, once sealed */
	char **sh_jld;
	size_t nsealed;
};


static const char *const prefixes[][2] = {
	{"dcat", "http://www.w3.org/ns/dcat#"},
	{"dct", "http://purl.org/dc/terms/"},
	{"foaf", "http://xmlns.com/foaf/0.1/"},
	{"vcard", "http://www.w3.org/2006/vcard/ns#"},
	{"xsd", "http://www.w3.org/2001/XMLSchema#"},
	{"adms", "http://www.w3.org/ns/adms#"},
	{"spdx", "http://spdx.org/rdf/terms#"},
	{"skos", "http://www.w3.org/2004/02/skos/core#"},
	{"rdf", "http://www.w3.org/1999/02/22-rdf-syntax-ns#"},
	{"rdfs", "http://www.w3.org/2000/01/rdf-schema#"},
	{"locn", "http://www.w3.org/ns/locn#"},
	{"dcatap", "http://data.europa.eu/r5r/"},
	{"hydra", "http://www.w3.org/ns/hydra/core#"},
};

#define ODC_DCATAP_PAGE_SIZE 100

#define EU_AUTH "http://publications.europa.eu/resource/authority/"
#define WKT "http://www.opengis.net/ont/geosparql#wktLiteral"

/* ---------------------------------------------------------------- escaping */

void dcatap_ttl_string(odc_buf *b, const char *s)
{
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		switch (c) {
		case '\\': buf_puts(b, "\\\\"); break;
		case '"': buf_puts(b, "\\\""); break;
		case '\n': buf_puts(b, "\\n"); break;
		case '\r': buf_puts(b, "\\r"); break;
		case '\t': buf_puts(b, "\\t"); break;
		default:
			if (c < 0x20 || c == 0x7f)
				buf_printf(b, "\\u%04X", c);
			else
				buf_putc(b, (char)c);
		}
	}
}

int dcatap_iri(odc_buf *b, const char *s)
{
	static const char hex[] = "0123456789ABCDEF";
	if (!s || !((strncmp(s, "http://", 7) == 0 && s[7]) || (strncmp(s, "https://", 8) == 0 && s[8]) ||
		    (strncmp(s, "mailto:", 7) == 0 && s[7])))
		return 0;
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		if (c <= 0x20 || c == 0x7f || strchr("<>\"{}|^`\\", c)) {
			char e[3] = {'%', hex[c >> 4], hex[c & 15]};
			buf_put(b, e, 3);
		} else {
			buf_putc(b, (char)c);
		}
	}
	return 1;
}

/* The IRI of s as a new string, or NULL when s is not one. */
static char *iri_dup(const char *s)
{
	odc_buf b = ODC_BUF_INIT;
	if (!dcatap_iri(&b, s)) {
		buf_free(&b);
		return NULL;
	}
	return buf_detach(&b);
}

/* A language tag as RDF takes it (lower case), or NULL. */
static const char *lang_ok(const char *l)
{
	const char *p;
	if (!l || !*l)
		return NULL;
	for (p = l; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9' && p > l) ||
		      (*p == '-' && p > l && p[1] && p[-1] != '-')))
			return NULL;
	return l;
}

/* ---------------------------------------------------------------- graph */

static ap_node *node_new(ap_nodes *ns, const char *iri, const char *type)
{
	ap_node *n;
	if (ns->n == ns->cap) {
		ns->cap = ns->cap ? ns->cap * 2 : 64;
		ns->v = xrealloc(ns->v, ns->cap * sizeof(*ns->v));
	}
	n = &ns->v[ns->n++];
	memset(n, 0, sizeof(*n));
	n->iri = xstrdup(iri);
	n->types[0] = type;
	return n;
}

/* The shared node iri, created with type (and an English label) when new. */
static void shared(odc_dcatap *g, const char *iri, const char *type, const char *label);

static void add(ap_node *n, const char *p, int kind, const char *v, const char *x)
{
	size_t i;
	if (!v || !*v)
		return;
	for (i = 0; i < n->n; i++)
		if (n->o[i].p == p && n->o[i].kind == kind && !strcmp(n->o[i].v, v) &&
		    ((!x && !n->o[i].x) || (x && n->o[i].x && !strcmp(x, n->o[i].x))))
			return;
	if (n->n == n->cap) {
		n->cap = n->cap ? n->cap * 2 : 16;
		n->o = xrealloc(n->o, n->cap * sizeof(*n->o));
	}
	n->o[n->n].p = p;
	n->o[n->n].kind = kind;
	n->o[n->n].v = xstrdup(v);
	n->o[n->n].x = x ? xstrdup(x) : NULL;
	n->n++;
}

/* Adds an IRI object; the node at n may move when nodes are added, so the
 * callers add shared nodes through g, never own ones, while they hold n. */
static void add_iri(ap_node *n, const char *p, const char *iri)
{
	add(n, p, O_IRI, iri, NULL);
}

/* FNV-1a of an IRI, for the shared-node index. */
static size_t iri_hash(const char *s)
{
	size_t h = (size_t)14695981039346656037ULL;
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * (size_t)1099511628211ULL;
	return h;
}

/* The index in g->shared of the node named iri, or -1. A hash index, not
 * a scan: a catalogue of 10,000 datasets has as many shared landing
 * pages, and every dataset file looks up each IRI it points to. */
static long shared_find(const odc_dcatap *g, const char *iri)
{
	size_t i;
	if (!g->shcap)
		return -1;
	for (i = iri_hash(iri) & (g->shcap - 1); g->shix[i]; i = (i + 1) & (g->shcap - 1))
		if (!strcmp(g->shared.v[g->shix[i] - 1].iri, iri))
			return (long)(g->shix[i] - 1);
	return -1;
}

static void shared_index(odc_dcatap *g, size_t idx)
{
	size_t i;
	if ((g->shared.n + 1) * 2 > g->shcap) {
		size_t k;
		free(g->shix);
		g->shcap = g->shcap ? g->shcap * 2 : 256;
		while (g->shcap < (g->shared.n + 1) * 2)
			g->shcap *= 2;
		g->shix = xcalloc(g->shcap, sizeof(*g->shix));
		for (k = 0; k < g->shared.n; k++)
			if (k != idx) {
				for (i = iri_hash(g->shared.v[k].iri) & (g->shcap - 1); g->shix[i];
				     i = (i + 1) & (g->shcap - 1))
					;
				g->shix[i] = k + 1;
			}
	}
	for (i = iri_hash(g->shared.v[idx].iri) & (g->shcap - 1); g->shix[i]; i = (i + 1) & (g->shcap - 1))
		;
	g->shix[i] = idx + 1;
}

static void shared(odc_dcatap *g, const char *iri, const char *type, const char *label)
{
	long found = shared_find(g, iri);
	ap_node *n;
	if (g->scratch) {
		if (g->ncalls == g->capcalls) {
			g->capcalls = g->capcalls ? g->capcalls * 2 : 16;
			g->calls = xrealloc(g->calls, g->capcalls * sizeof(*g->calls));
		}
		memset(&g->calls[g->ncalls], 0, sizeof(g->calls[0]));
		g->calls[g->ncalls].iri = xstrdup(iri);
		g->calls[g->ncalls++].type = type;
	}
	if (found >= 0) {
		n = &g->shared.v[found];
		if (n->types[0] != type && !n->types[1] && strcmp(n->types[0], type))
			n->types[1] = type;
		return;
	}
	n = node_new(&g->shared, iri, type);
	shared_index(g, g->shared.n - 1);
	if (label)
		add(n, "skos:prefLabel", O_LANG, label, "en");
}

/* Texts of v (a string or a language map) as literals tagged with the
 * catalogue's languages; a plain string is in the primary language. */
static void add_texts(odc_dcatap *g, ap_node *n, const char *p, const json_t *v)
{
	int i, any = 0;
	if (json_is_string(v)) {
		add(n, p, lang_ok(g->lang[0]) ? O_LANG : O_PLAIN, json_string_value(v), lang_ok(g->lang[0]));
		return;
	}
	if (!json_is_object(v))
		return;
	for (i = 0; i < 2 && g->lang[i]; i++) {
		const char *s = json_string_value(json_object_get(v, g->lang[i]));
		if (s && *s && lang_ok(g->lang[i])) {
			add(n, p, O_LANG, s, g->lang[i]);
			any = 1;
		}
	}
	if (!any) {
		const char *k;
		json_t *x;
		json_object_foreach((json_t *)v, k, x)
			if (json_is_string(x) && json_string_length(x)) {
				add(n, p, lang_ok(k) ? O_LANG : O_PLAIN, json_string_value(x), lang_ok(k));
				break;
			}
	}
}

/* ---------------------------------------------------------------- vocabularies */

static const char *lang_authority(const char *l)
{
	static const char *const map[][2] = {
		{"ja", "JPN"}, {"en", "ENG"}, {"zh", "ZHO"}, {"ko", "KOR"}, {"fr", "FRA"},
		{"de", "DEU"}, {"es", "SPA"}, {"pt", "POR"}, {"it", "ITA"}, {"nl", "NLD"},
	};
	size_t i;
	for (i = 0; l && i < sizeof(map) / sizeof(map[0]); i++)
		if (!strcmp(map[i][0], l))
			return map[i][1];
	return NULL;
}

static const char *theme_label(const char *code)
{
	static const char *const map[][2] = {
		{"AGRI", "Agriculture, fisheries, forestry and food"},
		{"ECON", "Economy and finance"},
		{"EDUC", "Education, culture and sport"},
		{"ENER", "Energy"},
		{"ENVI", "Environment"},
		{"GOVE", "Government and public sector"},
		{"HEAL", "Health"},
		{"INTR", "International issues"},
		{"JUST", "Justice, legal system and public safety"},
		{"OP_DATPRO", "Provisional data"},
		{"REGI", "Regions and cities"},
		{"SOCI", "Population and society"},
		{"TECH", "Science and technology"},
		{"TRAN", "Transport"},
	};
	size_t i;
	for (i = 0; code && i < sizeof(map) / sizeof(map[0]); i++)
		if (!strcmp(map[i][0], code))
			return map[i][1];
	return NULL;
}

/* The EU frequency authority code for odcat's words and DCAT-US durations. */
static const char *frequency(const char *w)
{
	const odc_frequency *f = catalog_frequency(w);
	return f ? f->eu : NULL;
}

/* The EU file-type code for a format, or NULL. */
static const char *file_type(const char *f)
{
	static const char *const map[][2] = {
		{"csv", "CSV"}, {"json", "JSON"}, {"pdf", "PDF"}, {"geojson", "GEOJSON"},
		{"zip", "ZIP"}, {"xlsx", "XLSX"}, {"xls", "XLS"}, {"xml", "XML"},
		{"html", "HTML"}, {"txt", "TXT"},
	};
	size_t i;
	for (i = 0; f && i < sizeof(map) / sizeof(map[0]); i++)
		if (!strcmp(map[i][0], f))
			return map[i][1];
	return NULL;
}

/* type/subtype of an IANA media type (parameters dropped), or 0. */
static int media_type(odc_buf *b, const char *m)
{
	size_t i, slash = 0, n = m ? strcspn(m, ";") : 0;
	while (n > 0 && m[n - 1] == ' ')
		n--;
	for (i = 0; i < n; i++) {
		char c = m[i];
		if (c == '/' && !slash && i > 0)
			slash = i;
		else if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
			   strchr("!#$&^_.+-", c)))
			return 0;
	}
	if (!slash || slash + 1 >= n)
		return 0;
	buf_puts(b, "https://www.iana.org/assignments/media-types/");
	for (i = 0; i < n; i++)
		buf_putc(b, (char)(m[i] >= 'A' && m[i] <= 'Z' ? m[i] - 'A' + 'a' : m[i]));
	return 1;
}

/* Whether s is YYYY-MM-DD. */
static int is_date(const char *s)
{
	int i;
	if (!s || strlen(s) != 10)
		return 0;
	for (i = 0; i < 10; i++)
		if (i == 4 || i == 7 ? s[i] != '-' : (s[i] < '0' || s[i] > '9'))
			return 0;
	return memcmp(s + 5, "01", 2) >= 0 && memcmp(s + 5, "12", 2) <= 0 &&
	       memcmp(s + 8, "01", 2) >= 0 && memcmp(s + 8, "31", 2) <= 0;
}

/* ---------------------------------------------------------------- building */

odc_dcatap *dcatap_new(const odc_catalog *cat, const char *today)
{
	odc_dcatap *g;
	odc_buf b = ODC_BUF_INIT, p = ODC_BUF_INIT;
	ap_node *c;
	json_t *pub = json_object_get(cat->conf, "publisher");
	const char *u;
	int i;

	dcat_base_url(cat, &b);
	if (!b.len || !dcatap_iri(&p, b.ptr) || strncmp(p.ptr, "http", 4)) {
		buf_free(&b);
		buf_free(&p);
		return NULL;
	}
	g = xcalloc(1, sizeof(*g));
	g->base = buf_detach(&p);
	g->today = xstrdup(today);
	g->lang[0] = cat->lang[0];
	g->lang[1] = cat->lang[1];
	{
		json_t *ps = json_object_get(cat->conf, "page_size");
		g->page_size = json_is_integer(ps) && json_integer_value(ps) > 0
				       ? (size_t)json_integer_value(ps)
				       : ODC_DCATAP_PAGE_SIZE;
	}
	buf_free(&b);

	c = node_new(&g->own, g->base, "dcat:Catalog");
	add_texts(g, c, "dct:title", json_object_get(cat->conf, "title"));
	{
		size_t before = c->n;
		add_texts(g, c, "dct:description", json_object_get(cat->conf, "description"));
		if (c->n == before) /* mandatory: the title stands in */
			add_texts(g, c, "dct:description", json_object_get(cat->conf, "title"));
	}
	buf_printf(&b, "%s#publisher", g->base);
	add_iri(c, "dct:publisher", b.ptr);
	add_iri(c, "foaf:homepage", g->base);
	for (i = 0; i < 2 && g->lang[i]; i++)
		if (lang_authority(g->lang[i])) {
			buf_clear(&p);
			buf_printf(&p, EU_AUTH "language/%s", lang_authority(g->lang[i]));
			add_iri(c, "dct:language", p.ptr);
		}
	add(c, "dct:modified", O_TYPED, today, "xsd:date");
	/* The themes are EU data-theme codes; odcat.json may name another
	 * taxonomy (a SKOS concept scheme IRI) with "themeTaxonomy". */
	{
		const char *tax = json_string_value(json_object_get(cat->conf, "themeTaxonomy"));
		buf_clear(&p);
		if (tax && !strncmp(tax, "http", 4))
			dcatap_iri(&p, tax);
		else
			buf_puts(&p, EU_AUTH "data-theme");
		add_iri(c, "dcat:themeTaxonomy", p.ptr);
	}
	u = catalog_license_url(json_string_value(json_object_get(cat->conf, "license")));
	if (u && !strncmp(u, "http", 4)) {
		buf_clear(&p);
		dcatap_iri(&p, u);
		add_iri(c, "dct:license", p.ptr);
	}
	/* The catalogue's own resources (shared nodes never move c). */
	{
		size_t k, n = g->own.v[0].n;
		for (k = 0; k < n; k++) {
			const ap_obj *o = &g->own.v[0].o[k];
			if (!strcmp(o->p, "dct:language"))
				shared(g, o->v, "dct:LinguisticSystem", NULL);
			else if (!strcmp(o->p, "dct:license"))
				shared(g, o->v, "dct:LicenseDocument", NULL);
			else if (!strcmp(o->p, "foaf:homepage"))
				shared(g, o->v, "foaf:Document", NULL);
			else if (!strcmp(o->p, "dcat:themeTaxonomy")) {
				/* A concept scheme needs a title (shapes.ttl). */
				shared(g, o->v, "skos:ConceptScheme", NULL);
				add(&g->shared.v[g->shared.n - 1], "dct:title", O_LANG, "Themes", "en");
			}
		}
	}
	shared(g, b.ptr, "foaf:Agent", NULL);
	{
		ap_node *a = &g->shared.v[g->shared.n - 1];
		add_texts(g, a, "foaf:name", json_object_get(pub, "name"));
		if (!a->n)
			add(a, "foaf:name", O_PLAIN, "unknown", NULL);
	}
	buf_free(&b);
	buf_free(&p);
	return g;
}

/* The shared agent for a department (or the city), returned as an IRI. */
static void agent(odc_dcatap *g, const odc_catalog *cat, const char *id, odc_buf *iri)
{
	json_t *dep = id ? catalog_publisher(cat, id) : NULL;
	size_t before = g->shared.n;
	if (!dep || !json_object_get(dep, "name")) {
		buf_printf(iri, "%s#publisher", g->base);
		return;
	}
	buf_printf(iri, "%s#publisher-", g->base);
	escape_url_segment(iri, id, strlen(id));
	shared(g, iri->ptr, "foaf:Agent", NULL);
	if (g->shared.n > before) {
		ap_node *a = &g->shared.v[g->shared.n - 1];
		add_texts(g, a, "foaf:name", json_object_get(dep, "name"));
		if (!a->n)
			add(a, "foaf:name", O_PLAIN, id, NULL);
	}
}

/* Whether the build writes <path>.json beside r (before phase B has,
 * the plan's guess: a validated CSV gets one). */
static int has_json(const odc_dcatap *g, const odc_resource *r)
{
	return !r->is_url && (r->has_json || (g->predict && r->is_csv && r->validated));
}

/* Adds ds to g as the whole-graph writer always did (g may be a scratch
 * graph of one dataset). */
static void add_model(odc_dcatap *g, const odc_catalog *cat, const odc_dataset *ds)
{
	odc_buf land = ODC_BUF_INIT, t = ODC_BUF_INIT;
	json_t *dp = ds->dp, *v, *x;
	const char *s, *lic = NULL;
	char *licence = NULL;
	size_t i, di;
	int li;
	ap_node *d;

	if (!g)
		return;
	buf_printf(&land, "%sdatasets/", g->base);
	escape_url_segment(&land, ds->slug, strlen(ds->slug));
	buf_putc(&land, '/');
	/* Slugs are unique, so is this IRI: appended without add()'s
	 * duplicate scan, which is linear in the datasets added so far. */
	{
		ap_node *c = &g->own.v[0];
		if (c->n == c->cap) {
			c->cap = c->cap ? c->cap * 2 : 16;
			c->o = xrealloc(c->o, c->cap * sizeof(*c->o));
		}
		c->o[c->n].p = "dcat:dataset";
		c->o[c->n].kind = O_IRI;
		c->o[c->n].v = xstrdup(land.ptr);
		c->o[c->n].x = NULL;
		c->n++;
	}

	/* Shared resources first: adding them never moves own nodes. */
	agent(g, cat, ds->publisher_id, &t);
	shared(g, land.ptr, "foaf:Document", NULL);

	di = g->own.n;
	d = node_new(&g->own, land.ptr, "dcat:Dataset");
	add_texts(g, d, "dct:title", json_object_get(dp, "title"));
	add_texts(g, d, "dct:description", json_object_get(dp, "description"));
	if (!d->n)
		add(d, "dct:title", O_PLAIN, ds->slug, NULL);
	v = json_object_get(dp, "keywords");
	for (li = 0; li < 2 && g->lang[li]; li++) {
		json_array_foreach(catalog_keywords(dp, g->lang[li]), i, x)
			if (json_is_string(x))
				add(d, "dcat:keyword", lang_ok(g->lang[li]) ? O_LANG : O_PLAIN,
				    json_string_value(x), lang_ok(g->lang[li]));
		if (!json_is_object(v))
			break; /* a plain array: in the primary language */
	}
	add(d, "dct:identifier", O_PLAIN, land.ptr, NULL);
	v = json_object_get(dp, "theme");
	json_array_foreach(json_is_array(v) ? v : NULL, i, x) {
		const char *code = json_string_value(x);
		if (theme_label(code)) {
			buf_clear(&t);
			buf_printf(&t, EU_AUTH "data-theme/%s", code);
			add_iri(d, "dcat:theme", t.ptr);
		}
	}
	buf_clear(&t);
	agent(g, cat, ds->publisher_id, &t); /* already there: d stays put */
	add_iri(d, "dct:publisher", t.ptr);
	buf_clear(&t);
	buf_printf(&t, "%s#contact", land.ptr);
	add_iri(d, "dcat:contactPoint", t.ptr);
	s = json_string_value(json_object_get(dp, "issued"));
	if (is_date(s))
		add(d, "dct:issued", O_TYPED, s, "xsd:date");
	s = json_string_value(json_object_get(dp, "modified"));
	if (!is_date(s))
		s = json_string_value(json_object_get(dp, "issued"));
	if (!is_date(s) && !g->today)
		g->need_today = 1;
	add(d, "dct:modified", O_TYPED, is_date(s) ? s : g->today ? g->today : "-", "xsd:date");
	v = json_object_get(dp, "temporal");
	{
		const char *a = json_string_value(json_object_get(v, "start"));
		const char *b = json_string_value(json_object_get(v, "end"));
		int has_t = is_date(a) || is_date(b);
		if (has_t) {
			buf_clear(&t);
			buf_printf(&t, "%s#temporal", land.ptr);
			add_iri(d, "dct:temporal", t.ptr);
		}
		v = json_object_get(dp, "spatial");
		if (json_is_string(v) || json_is_object(v)) {
			buf_clear(&t);
			buf_printf(&t, "%s#spatial", land.ptr);
			add_iri(d, "dct:spatial", t.ptr);
		}
	}
	s = frequency(json_string_value(json_object_get(dp, "accrualPeriodicity")));
	if (s) {
		buf_clear(&t);
		buf_printf(&t, EU_AUTH "frequency/%s", s);
		add_iri(d, "dct:accrualPeriodicity", t.ptr);
	}
	v = json_object_get(dp, "conformsTo");
	if (json_is_string(v)) {
		char *u = iri_dup(json_string_value(v));
		if (u && strncmp(u, "mailto:", 7))
			add_iri(d, "dct:conformsTo", u);
		free(u);
	}
	add_iri(d, "dcat:landingPage", land.ptr);
	for (i = 0; i < ds->nres; i++) {
		buf_clear(&t);
		buf_printf(&t, "%s#distribution-%zu", land.ptr, i + 1);
		add_iri(d, "dcat:distribution", t.ptr);
		if (has_json(g, &ds->res[i])) {
			buf_puts(&t, "-json");
			add_iri(d, "dcat:distribution", t.ptr);
		}
	}

	/* Nodes the dataset owns, then the shared ones it points to. */
	{
		ap_node *c;
		buf_clear(&t);
		buf_printf(&t, "%s#contact", land.ptr);
		c = node_new(&g->own, t.ptr, "vcard:Kind");
		add_texts(g, c, "vcard:fn", json_object_get(ds->contact, "name"));
		if (!c->n)
			add(c, "vcard:fn", O_PLAIN, "contact", NULL);
		s = json_string_value(json_object_get(ds->contact, "email"));
		if (s && strchr(s, '@') && s[0] != '@' && !strchr(s, ' ') && !strchr(s, ':')) {
			buf_clear(&t);
			buf_printf(&t, "mailto:%s", s);
			{
				char *m = iri_dup(t.ptr);
				add_iri(c, "vcard:hasEmail", m);
				free(m);
			}
		}
	}
	v = json_object_get(dp, "temporal");
	{
		const char *a = json_string_value(json_object_get(v, "start"));
		const char *b = json_string_value(json_object_get(v, "end"));
		if (is_date(a) || is_date(b)) {
			ap_node *p;
			buf_clear(&t);
			buf_printf(&t, "%s#temporal", land.ptr);
			p = node_new(&g->own, t.ptr, "dct:PeriodOfTime");
			if (is_date(a))
				add(p, "dcat:startDate", O_TYPED, a, "xsd:date");
			if (is_date(b))
				add(p, "dcat:endDate", O_TYPED, b, "xsd:date");
		}
	}
	v = json_object_get(dp, "spatial");
	if (json_is_string(v) || json_is_object(v)) {
		ap_node *p;
		json_t *bb = json_object_get(v, "bbox");
		buf_clear(&t);
		buf_printf(&t, "%s#spatial", land.ptr);
		p = node_new(&g->own, t.ptr, "dct:Location");
		add_texts(g, p, "skos:prefLabel", json_is_object(v) ? json_object_get(v, "name") : v);
		if (json_is_array(bb) && json_array_size(bb) == 4) {
			double c[4];
			int ok = 1, k;
			for (k = 0; k < 4; k++) {
				c[k] = json_number_value(json_array_get(bb, (size_t)k));
				ok = ok && json_is_number(json_array_get(bb, (size_t)k)) && isfinite(c[k]);
			}
			if (ok) {
				buf_clear(&t);
				buf_printf(&t, "POLYGON((%.6g %.6g, %.6g %.6g, %.6g %.6g, %.6g %.6g, %.6g %.6g))",
					   c[0], c[1], c[2], c[1], c[2], c[3], c[0], c[3], c[0], c[1]);
				add(p, "dcat:bbox", O_TYPED, t.ptr, WKT);
			}
		}
	}

	s = catalog_license_url(ds->license_id);
	if (!s && ds->license)
		s = json_string_value(json_object_get(ds->license, "path"));
	licence = iri_dup(s);
	if (licence && !strncmp(licence, "mailto:", 7)) {
		free(licence);
		licence = NULL;
	}
	lic = licence;
	for (i = 0; i < ds->nres; i++) {
		const odc_resource *r = &ds->res[i];
		ap_node *n;
		char *url = NULL;
		odc_buf m = ODC_BUF_INIT, f = ODC_BUF_INIT;
		if (r->is_url) {
			url = iri_dup(r->path);
			if (url && !strncmp(url, "mailto:", 7)) {
				free(url);
				url = NULL;
			}
		} else {
			buf_clear(&t);
			buf_puts(&t, land.ptr);
			escape_url_path(&t, r->path, strlen(r->path));
			url = xstrdup(t.ptr);
		}
		buf_clear(&t);
		buf_printf(&t, "%s#distribution-%zu", land.ptr, i + 1);
		n = node_new(&g->own, t.ptr, "dcat:Distribution");
		add_iri(n, "dcat:accessURL", url ? url : land.ptr);
		if (!r->is_url)
			add_iri(n, "dcat:downloadURL", url);
		{
			json_t *title = json_object_get(r->json, "title");
			add_texts(g, n, "dct:title", title);
			if (!title)
				add(n, "dct:title", O_PLAIN, r->name, NULL);
		}
		if (media_type(&m, r->mediatype))
			add_iri(n, "dcat:mediaType", m.ptr);
		if (file_type(r->format)) {
			buf_printf(&f, EU_AUTH "file-type/%s", file_type(r->format));
			add_iri(n, "dct:format", f.ptr);
		}
		if (!r->is_url) {
			char num[32];
			snprintf(num, sizeof(num), "%zu", r->bytes);
			add(n, "dcat:byteSize", O_TYPED, num, "xsd:nonNegativeInteger");
		}
		if (r->sha256[0]) {
			buf_clear(&t);
			buf_printf(&t, "%s#distribution-%zu-checksum", land.ptr, i + 1);
			add_iri(n, "spdx:checksum", t.ptr);
		}
		if (lic)
			add_iri(n, "dct:license", lic);
		if (r->sha256[0]) {
			ap_node *k = node_new(&g->own, t.ptr, "spdx:Checksum");
			add_iri(k, "spdx:algorithm", "http://spdx.org/rdf/terms#checksumAlgorithm_sha256");
			add(k, "spdx:checksumValue", O_TYPED, r->sha256, "xsd:hexBinary");
		}
		if (has_json(g, r)) {
			/* The records as typed JSON, written by the build beside the file. */
			ap_node *j;
			char *ju;
			buf_clear(&t);
			buf_puts(&t, land.ptr);
			escape_url_path(&t, r->path, strlen(r->path));
			buf_puts(&t, ".json");
			ju = xstrdup(t.ptr);
			buf_clear(&t);
			buf_printf(&t, "%s#distribution-%zu-json", land.ptr, i + 1);
			j = node_new(&g->own, t.ptr, "dcat:Distribution");
			add_iri(j, "dcat:accessURL", ju);
			add_iri(j, "dcat:downloadURL", ju);
			buf_clear(&t);
			buf_printf(&t, "%s.json", r->path);
			add(j, "dct:title", O_PLAIN, t.ptr, NULL);
			add_iri(j, "dcat:mediaType", "https://www.iana.org/assignments/media-types/application/json");
			add_iri(j, "dct:format", EU_AUTH "file-type/JSON");
			if (lic)
				add_iri(j, "dct:license", lic);
			free(ju);
			shared(g, "https://www.iana.org/assignments/media-types/application/json", "dct:MediaType", NULL);
			shared(g, EU_AUTH "file-type/JSON", "dct:MediaTypeOrExtent", NULL);
		}
		/* Shared nodes last: they never move own nodes. */
		if (m.len)
			shared(g, m.ptr, "dct:MediaType", NULL);
		if (f.len)
			shared(g, f.ptr, "dct:MediaTypeOrExtent", NULL);
		buf_free(&m);
		buf_free(&f);
		free(url);
	}
	if (lic)
		shared(g, lic, "dct:LicenseDocument", NULL);
	/* What the dataset node points to, by value (d may have moved). */
	d = &g->own.v[di];
	{
		size_t k, n = d->n;
		for (k = 0; k < n; k++) {
			const ap_obj *o = &g->own.v[di].o[k];
			if (!strcmp(o->p, "dcat:theme")) {
				const char *code = strrchr(o->v, '/') + 1;
				shared(g, o->v, "skos:Concept", theme_label(code));
			} else if (!strcmp(o->p, "dct:accrualPeriodicity")) {
				shared(g, o->v, "dct:Frequency", NULL);
			} else if (!strcmp(o->p, "dct:conformsTo")) {
				shared(g, o->v, "dct:Standard", NULL);
			}
		}
	}
	free(licence);
	buf_free(&land);
	buf_free(&t);
}

/* ---------------------------------------------------------------- writing */

static void ttl_object(odc_buf *b, const ap_obj *o)
{
	if (o->kind == O_IRI) {
		buf_putc(b, '<');
		buf_puts(b, o->v);
		buf_putc(b, '>');
		return;
	}
	buf_putc(b, '"');
	dcatap_ttl_string(b, o->v);
	buf_putc(b, '"');
	if (o->kind == O_LANG)
		buf_printf(b, "@%s", o->x);
	else if (o->kind == O_TYPED && strchr(o->x, '/'))
		buf_printf(b, "^^<%s>", o->x);
	else if (o->kind == O_TYPED)
		buf_printf(b, "^^%s", o->x);
}

static void ttl_node(odc_buf *b, const ap_node *n)
{
	size_t i, j;
	buf_printf(b, "\n<%s> a %s", n->iri, n->types[0]);
	if (n->types[1])
		buf_printf(b, ", %s", n->types[1]);
	for (i = 0; i < n->n; i++) {
		int first = 1;
		for (j = 0; j < i; j++)
			if (!strcmp(n->o[j].p, n->o[i].p))
				break;
		if (j < i)
			continue; /* written with the first of its predicate */
		buf_printf(b, " ;\n    %s ", n->o[i].p);
		for (j = i; j < n->n; j++)
			if (!strcmp(n->o[j].p, n->o[i].p)) {
				if (!first)
					buf_puts(b, ",\n        ");
				ttl_object(b, &n->o[j]);
				first = 0;
			}
	}
	buf_puts(b, " .\n");
}

/* Appends s as a JSON string, escaped as jansson's json_dumps does (", \,
 * controls; UTF-8 kept as it is). */
static void json_str(odc_buf *b, const char *s)
{
	const char *run = s;
	buf_putc(b, '"');
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		const char *e = NULL;
		char u[8];
		if (c >= 0x20 && c != '"' && c != '\\')
			continue;
		buf_put(b, run, (size_t)(s - run));
		switch (c) {
		case '"': e = "\\\""; break;
		case '\\': e = "\\\\"; break;
		case '\b': e = "\\b"; break;
		case '\f': e = "\\f"; break;
		case '\n': e = "\\n"; break;
		case '\r': e = "\\r"; break;
		case '\t': e = "\\t"; break;
		default:
			snprintf(u, sizeof(u), "\\u%04X", c);
			e = u;
		}
		buf_puts(b, e);
		run = s + 1;
	}
	buf_put(b, run, (size_t)(s - run));
	buf_putc(b, '"');
}

static void jld_object(odc_buf *b, const ap_obj *x)
{
	buf_puts(b, "{\n          ");
	if (x->kind == O_IRI) {
		buf_puts(b, "\"@id\": ");
		json_str(b, x->v);
	} else {
		buf_puts(b, "\"@value\": ");
		json_str(b, x->v);
		if (x->kind == O_LANG) {
			buf_puts(b, ",\n          \"@language\": ");
			json_str(b, x->x);
		} else if (x->kind == O_TYPED) {
			buf_puts(b, ",\n          \"@type\": ");
			json_str(b, x->x);
		}
	}
	buf_puts(b, "\n        }");
}

/* Appends n as JSON-LD, as json_dumps(JSON_INDENT(2)) writes it as an item
 * of "@graph" (from its "{" to its "}"); xp, when given, is one more
 * predicate with the nx IRIs of xv (the catalogue's dcat:dataset). */
static void jld_node(odc_buf *b, const ap_node *n, const char *xp, char *const *xv, size_t nx)
{
	size_t i, j;
	buf_puts(b, "{\n      \"@id\": ");
	json_str(b, n->iri);
	buf_puts(b, ",\n      \"@type\": [\n        ");
	json_str(b, n->types[0]);
	if (n->types[1]) {
		buf_puts(b, ",\n        ");
		json_str(b, n->types[1]);
	}
	buf_puts(b, "\n      ]");
	for (i = 0; i < n->n; i++) {
		int first = 1;
		for (j = 0; j < i; j++)
			if (!strcmp(n->o[j].p, n->o[i].p))
				break;
		if (j < i)
			continue; /* written with the first of its predicate */
		buf_puts(b, ",\n      ");
		json_str(b, n->o[i].p);
		buf_puts(b, ": [\n        ");
		for (j = i; j < n->n; j++)
			if (!strcmp(n->o[j].p, n->o[i].p)) {
				if (!first)
					buf_puts(b, ",\n        ");
				jld_object(b, &n->o[j]);
				first = 0;
			}
		buf_puts(b, "\n      ]");
	}
	if (xp && nx) {
		ap_obj o = {xp, O_IRI, NULL, NULL};
		buf_puts(b, ",\n      ");
		json_str(b, xp);
		buf_puts(b, ": [\n        ");
		for (j = 0; j < nx; j++) {
			if (j)
				buf_puts(b, ",\n        ");
			o.v = xv[j];
			jld_object(b, &o);
		}
		buf_puts(b, "\n      ]");
	}
	buf_puts(b, "\n    }");
}

/* ttl_node of n with, when nx > 0, the nx IRIs of xv as predicate xp. */
static void ttl_node_x(odc_buf *b, const ap_node *n, const char *xp, char *const *xv, size_t nx)
{
	size_t j;
	ttl_node(b, n);
	if (!xp || !nx)
		return;
	b->len -= 3; /* " .\n" */
	b->ptr[b->len] = '\0';
	buf_printf(b, " ;\n    %s ", xp);
	for (j = 0; j < nx; j++) {
		if (j)
			buf_puts(b, ",\n        ");
		buf_printf(b, "<%s>", xv[j]);
	}
	buf_puts(b, " .\n");
}

/* ---------------------------------------------------------------- types */

/* The constant of a type or predicate name read back from a fragment. */
static const char *intern(const char *s)
{
	static const char *const known[] = {
		"foaf:Agent", "foaf:Document", "dct:LinguisticSystem", "dct:LicenseDocument",
		"skos:ConceptScheme", "dct:MediaType", "dct:MediaTypeOrExtent", "skos:Concept",
		"dct:Frequency", "dct:Standard", "skos:prefLabel", "foaf:name", "dct:title",
	};
	size_t i;
	for (i = 0; s && i < sizeof(known) / sizeof(known[0]); i++)
		if (!strcmp(known[i], s))
			return known[i];
	return NULL;
}

/* ---------------------------------------------------------------- parts */

static void calls_free(ap_call *c, size_t n)
{
	size_t i, k;
	for (i = 0; i < n; i++) {
		for (k = 0; k < c[i].n; k++) {
			free(c[i].o[k].v);
			free(c[i].o[k].x);
		}
		free(c[i].o);
		free(c[i].iri);
	}
	free(c);
}

static void part_free(ap_ds *e)
{
	size_t i;
	free(e->slug);
	free(e->land);
	if (e->held) {
		json_decref(e->held);
	} else {
		free(e->ttl);
		free(e->jld);
	}
	for (i = 0; i < e->niris; i++)
		free(e->iris[i]);
	free(e->iris);
	calls_free(e->calls, e->ncalls);
	free(e->sig);
	memset(e, 0, sizeof(*e));
}

static int cmp_cstr(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void nodes_free(ap_nodes *ns);

/* ds's part, made in a scratch graph of g's base and languages. today
 * NULL: returns -1 when the dataset needs it (no date for dct:modified). */
static int ds_part(const odc_dcatap *g, const odc_catalog *cat, const odc_dataset *ds, const char *today,
		   int predict, int texts, ap_ds *e)
{
	odc_dcatap sg;
	odc_buf t = ODC_BUF_INIT, j = ODC_BUF_INIT;
	size_t i, k, cap = 0;

	memset(&sg, 0, sizeof(sg));
	memset(e, 0, sizeof(*e));
	sg.base = g->base;
	sg.today = (char *)today;
	sg.lang[0] = g->lang[0];
	sg.lang[1] = g->lang[1];
	sg.scratch = 1;
	sg.predict = predict;
	node_new(&sg.own, g->base, "dcat:Catalog");
	add_model(&sg, cat, ds);
	if (sg.need_today) {
		nodes_free(&sg.own);
		nodes_free(&sg.shared);
		free(sg.shix);
		calls_free(sg.calls, sg.ncalls);
		return -1;
	}
	e->slug = xstrdup(ds->slug);
	e->land = xstrdup(sg.own.v[0].o[0].v);
	for (i = 1; i < sg.own.n; i++) {
		const ap_node *n = &sg.own.v[i];
		if (texts) {
			ttl_node(&t, n);
			if (i > 1)
				buf_puts(&j, ",\n    ");
			jld_node(&j, n, NULL, NULL, 0);
		}
		for (k = 0; k < n->n; k++) {
			if (n->o[k].kind != O_IRI)
				continue;
			if (e->niris == cap) {
				cap = cap ? cap * 2 : 16;
				e->iris = xrealloc(e->iris, cap * sizeof(*e->iris));
			}
			e->iris[e->niris++] = xstrdup(n->o[k].v);
		}
	}
	if (e->niris > 1) {
		size_t w = 1;
		qsort(e->iris, e->niris, sizeof(*e->iris), cmp_cstr);
		for (k = 1; k < e->niris; k++) {
			if (strcmp(e->iris[k], e->iris[w - 1]))
				e->iris[w++] = e->iris[k];
			else
				free(e->iris[k]);
		}
		e->niris = w;
	}
	e->ttl = buf_detach(&t);
	e->jld = buf_detach(&j);
	if (!e->ttl)
		e->ttl = xstrdup("");
	if (!e->jld)
		e->jld = xstrdup("");
	/* Each shared node with the objects it was made with (its first call
	 * here: the scratch graph starts without any). */
	for (i = 0; i < sg.ncalls; i++) {
		ap_call *c = &sg.calls[i];
		long at = shared_find(&sg, c->iri);
		for (k = 0; k < i; k++)
			if (!strcmp(sg.calls[k].iri, c->iri))
				break;
		if (k == i && at >= 0 && sg.shared.v[at].n) {
			const ap_node *n = &sg.shared.v[at];
			c->n = n->n;
			c->o = xcalloc(n->n, sizeof(*c->o));
			for (k = 0; k < n->n; k++) {
				c->o[k].p = n->o[k].p;
				c->o[k].kind = n->o[k].kind;
				c->o[k].v = xstrdup(n->o[k].v);
				c->o[k].x = n->o[k].x ? xstrdup(n->o[k].x) : NULL;
			}
		}
	}
	e->calls = sg.calls;
	e->ncalls = sg.ncalls;
	nodes_free(&sg.own);
	nodes_free(&sg.shared);
	free(sg.shix);
	return 0;
}

/* Makes g's shared nodes as the whole-graph writer would have made them
 * on adding the dataset of e. */
static void replay(odc_dcatap *g, const ap_ds *e)
{
	size_t i, k;
	for (i = 0; i < e->ncalls; i++) {
		const ap_call *c = &e->calls[i];
		size_t before = g->shared.n;
		shared(g, c->iri, c->type, NULL);
		if (g->shared.n > before)
			for (k = 0; k < c->n; k++)
				add(&g->shared.v[g->shared.n - 1], c->o[k].p, c->o[k].kind, c->o[k].v, c->o[k].x);
	}
}

static json_t *jstr_or_fail(const char *s, int *bad)
{
	json_t *v = json_string(s);
	if (!v)
		*bad = 1;
	return v ? v : json_null();
}

/* e as a fragment (a JSON value), or NULL when a text is not UTF-8. */
static json_t *part_json(const ap_ds *e)
{
	json_t *f = json_object(), *calls = json_array();
	int bad = 0;
	size_t i, k;
	json_object_set_new(f, "land", jstr_or_fail(e->land, &bad));
	/* The texts are in the dataset files, after their head; and here
	 * (ttl_text, jld_text), so that phase C need not read those files.
	 * A fragment without them (an older cache) reads the files. */
	json_object_set_new(f, "ttl", json_integer((json_int_t)strlen(e->ttl)));
	json_object_set_new(f, "jld", json_integer((json_int_t)strlen(e->jld)));
	json_object_set_new(f, "ttl_text", jstr_or_fail(e->ttl, &bad));
	json_object_set_new(f, "jld_text", jstr_or_fail(e->jld, &bad));
	for (i = 0; i < e->ncalls; i++) {
		const ap_call *c = &e->calls[i];
		json_t *a = json_array();
		json_array_append_new(a, jstr_or_fail(c->iri, &bad));
		json_array_append_new(a, json_string(c->type));
		if (c->n) {
			json_t *os = json_array();
			for (k = 0; k < c->n; k++) {
				json_t *o = json_array();
				json_array_append_new(o, json_string(c->o[k].p));
				json_array_append_new(o, json_integer(c->o[k].kind));
				json_array_append_new(o, jstr_or_fail(c->o[k].v, &bad));
				json_array_append_new(o, c->o[k].x ? jstr_or_fail(c->o[k].x, &bad) : json_null());
				json_array_append_new(os, o);
			}
			json_array_append_new(a, os);
		}
		json_array_append_new(calls, a);
	}
	json_object_set_new(f, "calls", calls);
	if (e->sig)
		json_object_set_new(f, "sig", json_string(e->sig));
	if (bad) {
		json_decref(f);
		return NULL;
	}
	return f;
}

static void doc_head(odc_buf *ttl, odc_buf *jld, const char *what, const char *base);

/* The IRIs that the nodes of ttl (ttl_node's text) point to: every <...>
 * but the subjects (at the start of a line) and datatypes (after ^^).
 * Literals are skipped ("..." with \ escapes); an IRI holds no '>' (IRIs
 * are made by dcatap_iri and the escape_url_* functions). */
static void ttl_iris(ap_ds *e)
{
	const char *p = e->ttl;
	size_t cap = 0;
	while (*p) {
		if (*p == '"') {
			for (p++; *p && *p != '"'; p++)
				if (*p == '\\' && p[1])
					p++;
			if (*p)
				p++;
		} else if (*p == '<') {
			const char *end = strchr(p, '>');
			int object = p > e->ttl && p[-1] != '\n' && !(p - e->ttl >= 2 && p[-1] == '^' && p[-2] == '^');
			if (!end)
				break;
			if (object) {
				if (e->niris == cap) {
					cap = cap ? cap * 2 : 16;
					e->iris = xrealloc(e->iris, cap * sizeof(*e->iris));
				}
				e->iris[e->niris++] = xstrndup(p + 1, (size_t)(end - p - 1));
			}
			p = end + 1;
		} else {
			p++;
		}
	}
}

/* The own nodes' text of a dataset file: len bytes after its head. */
static char *own_text(const odc_out *out, const char *slug, const char *ext, const char *head, json_t *len)
{
	odc_buf p = ODC_BUF_INIT;
	size_t n, h = strlen(head), want = (size_t)json_integer_value(len);
	char *text, *own = NULL;
	if (!json_is_integer(len) || json_integer_value(len) < 0)
		return NULL;
	buf_printf(&p, "datasets/%s/dataset.%s", slug, ext);
	text = dcat_read_staged(out, p.ptr, &n);
	buf_free(&p);
	if (text && n >= h + want && !memcmp(text, head, h))
		own = xstrndup(text + h, want);
	free(text);
	return own;
}

/* The own nodes' text that fragment f keeps (key "<name>_text") when it
 * has the length f says, or NULL. Lent: f's string. */
static char *kept_text(const json_t *f, const char *name)
{
	char key[16];
	const json_t *t, *len = json_object_get(f, name);
	snprintf(key, sizeof(key), "%s_text", name);
	t = json_object_get(f, key);
	if (!json_is_string(t) || !json_is_integer(len) ||
	    json_integer_value(len) != (json_int_t)json_string_length(t) ||
	    strlen(json_string_value(t)) != json_string_length(t))
		return NULL;
	return (char *)json_string_value(t);
}

/* e from a fragment, its texts from the dataset files in out (none for a
 * plan); -1 (e empty) when f is not one of part_json's. */
static int part_from_json(const odc_dcatap *g, ap_ds *e, const char *slug, const json_t *f, const odc_out *out)
{
	json_t *calls = json_object_get(f, "calls"), *x;
	size_t i, k;
	memset(e, 0, sizeof(*e));
	if (!json_is_string(json_object_get(f, "land")) || !json_is_array(calls))
		return -1;
	e->slug = xstrdup(slug);
	e->land = xstrdup(json_string_value(json_object_get(f, "land")));
	if (!g->predict && (e->ttl = kept_text(f, "ttl")) && (e->jld = kept_text(f, "jld"))) {
		e->held = json_incref((json_t *)f);
		ttl_iris(e);
	} else if (!g->predict) {
		odc_buf t = ODC_BUF_INIT, j = ODC_BUF_INIT;
		doc_head(&t, &j, "dataset", "dataset");
		e->ttl = own_text(out, slug, "ttl", t.ptr, json_object_get(f, "ttl"));
		e->jld = own_text(out, slug, "jsonld", j.ptr, json_object_get(f, "jld"));
		buf_free(&t);
		buf_free(&j);
		if (!e->ttl || !e->jld)
			goto bad;
		ttl_iris(e);
	}
	if (json_is_string(json_object_get(f, "sig")))
		e->sig = xstrdup(json_string_value(json_object_get(f, "sig")));
	e->calls = xcalloc(json_array_size(calls) + 1, sizeof(*e->calls));
	json_array_foreach(calls, i, x) {
		ap_call *c = &e->calls[e->ncalls];
		json_t *os = json_array_get(x, 2), *o;
		const char *iri = json_string_value(json_array_get(x, 0));
		c->type = intern(json_string_value(json_array_get(x, 1)));
		if (!iri || !c->type || (os && !json_is_array(os)))
			goto bad;
		c->iri = xstrdup(iri);
		e->ncalls++;
		c->o = xcalloc(json_array_size(os) + 1, sizeof(*c->o));
		json_array_foreach(os, k, o) {
			ap_obj *y = &c->o[c->n];
			json_t *xv = json_array_get(o, 3);
			y->p = intern(json_string_value(json_array_get(o, 0)));
			y->kind = (int)json_integer_value(json_array_get(o, 1));
			if (!y->p || !json_is_string(json_array_get(o, 2)) || y->kind < O_IRI || y->kind > O_PLAIN ||
			    !(json_is_null(xv) || json_is_string(xv)))
				goto bad;
			y->v = xstrdup(json_string_value(json_array_get(o, 2)));
			y->x = json_is_string(xv) ? xstrdup(json_string_value(xv)) : NULL;
			c->n++;
		}
	}
	return 0;
bad:
	part_free(e);
	return -1;
}

void dcatap_add(odc_dcatap *g, const odc_catalog *cat, const odc_dataset *ds, const json_t *frag,
		const odc_out *out)
{
	ap_ds *e;
	if (!g)
		return;
	if (g->nds == g->capds) {
		g->capds = g->capds ? g->capds * 2 : 32;
		g->ds = xrealloc(g->ds, g->capds * sizeof(*g->ds));
	}
	e = &g->ds[g->nds];
	if (!frag || part_from_json(g, e, ds->slug, frag, out) < 0)
		ds_part(g, cat, ds, g->today, g->predict, !g->predict, e); /* with today: never fails */
	e->ttl_len = e->ttl ? strlen(e->ttl) : 0;
	e->jld_len = e->jld ? strlen(e->jld) : 0;
	replay(g, e);
	g->nds++;
}

/* ---------------------------------------------------------------- writing */

/* The shared nodes' texts, made once when all datasets are in. */
void dcatap_seal(odc_dcatap *g)
{
	size_t i;
	if (!g)
		return;
	g->sh_ttl = xrealloc(g->sh_ttl, (g->shared.n + 1) * sizeof(*g->sh_ttl));
	g->sh_jld = xrealloc(g->sh_jld, (g->shared.n + 1) * sizeof(*g->sh_jld));
	for (i = g->nsealed; i < g->shared.n; i++) {
		odc_buf b = ODC_BUF_INIT;
		ttl_node(&b, &g->shared.v[i]);
		g->sh_ttl[i] = buf_detach(&b);
		jld_node(&b, &g->shared.v[i], NULL, NULL, 0);
		g->sh_jld[i] = buf_detach(&b);
	}
	g->nsealed = g->shared.n;
}

/* Appends to *used (unsorted) the shared nodes the IRIs of iris name. */
static void used_add(const odc_dcatap *g, char *const *iris, size_t n, size_t **used, size_t *nu, size_t *cap)
{
	size_t i;
	for (i = 0; i < n; i++) {
		long at = shared_find(g, iris[i]);
		if (at < 0)
			continue;
		if (*nu == *cap) {
			*cap = *cap ? *cap * 2 : 32;
			*used = xrealloc(*used, *cap * sizeof(**used));
		}
		(*used)[(*nu)++] = (size_t)at;
	}
}

static int cmp_size(const void *a, const void *b)
{
	size_t x = *(const size_t *)a, y = *(const size_t *)b;
	return x < y ? -1 : x > y;
}

/* Sorts used and drops repeats: the order of g->shared. */
static void used_sort(size_t *used, size_t *nu)
{
	size_t k, w = 0;
	if (*nu)
		qsort(used, *nu, sizeof(*used), cmp_size);
	for (k = 0; k < *nu; k++)
		if (!w || used[k] != used[w - 1])
			used[w++] = used[k];
	*nu = w;
}

/* The IRIs a node points to, as a list for used_add. */
static char **node_iris(const ap_node *n, size_t *count)
{
	char **v = xcalloc(n->n + 1, sizeof(*v));
	size_t k;
	*count = 0;
	for (k = 0; k < n->n; k++)
		if (n->o[k].kind == O_IRI)
			v[(*count)++] = n->o[k].v;
	return v;
}

/* The shared nodes a dataset file of e needs, in order, and their
 * signature (hex SHA-256 of their Turtle). */
static size_t *ds_used(const odc_dcatap *g, const ap_ds *e, size_t *nu, char sig[65])
{
	size_t cap = e->niris + 1, k, *used = xcalloc(cap, sizeof(*used));
	odc_buf b = ODC_BUF_INIT;
	*nu = 0;
	used_add(g, e->iris, e->niris, &used, nu, &cap);
	used_sort(used, nu);
	for (k = 0; k < *nu; k++)
		buf_puts(&b, g->sh_ttl[used[k]]);
	digest_sha256_hex(b.ptr ? b.ptr : "", b.len, sig);
	buf_free(&b);
	return used;
}

static void doc_head(odc_buf *ttl, odc_buf *jld, const char *what, const char *base)
{
	size_t i;
	buf_printf(ttl, "# DCAT-AP 3.0.1 %s written by odcat; the same graph as %s.jsonld.\n", what, base);
	for (i = 0; i < sizeof(prefixes) / sizeof(prefixes[0]); i++)
		buf_printf(ttl, "@prefix %s: <%s> .\n", prefixes[i][0], prefixes[i][1]);
	buf_puts(jld, "{\n  \"@context\": {");
	for (i = 0; i < sizeof(prefixes) / sizeof(prefixes[0]); i++) {
		buf_puts(jld, i ? ",\n    " : "\n    ");
		json_str(jld, prefixes[i][0]);
		buf_puts(jld, ": ");
		json_str(jld, prefixes[i][1]);
	}
	buf_puts(jld, "\n  },\n  \"@graph\": [\n    ");
}

/* Writes <stem>.jsonld and <stem>.ttl (jld still without its end). */
static int put_pair(odc_out *out, const char *stem, odc_buf *ttl, odc_buf *jld,
		    void (*wrote)(void *, const char *), void *arg, odc_buf *err)
{
	odc_buf name = ODC_BUF_INIT;
	int rc = 0;
	buf_puts(jld, "\n  ]\n}\n");
	buf_printf(&name, "%s.jsonld", stem);
	if (out_write(out, name.ptr, jld->ptr, jld->len) < 0) {
		buf_printf(err, "cannot write %s", name.ptr);
		rc = -1;
	} else {
		if (wrote)
			wrote(arg, name.ptr);
		buf_clear(&name);
		buf_printf(&name, "%s.ttl", stem);
		if (out_write(out, name.ptr, ttl->ptr, ttl->len) < 0) {
			buf_printf(err, "cannot write %s", name.ptr);
			rc = -1;
		} else if (wrote) {
			wrote(arg, name.ptr);
		}
	}
	buf_free(&name);
	return rc;
}

/* datasets/<slug>/dataset.*: e's own nodes and the used shared ones. */
static int write_ds_files(const odc_dcatap *g, odc_out *out, const ap_ds *e, const size_t *used, size_t nu,
			  void (*wrote)(void *, const char *), void *arg, odc_buf *err)
{
	odc_buf ttl = ODC_BUF_INIT, jld = ODC_BUF_INIT, stem = ODC_BUF_INIT;
	size_t k;
	int rc;
	doc_head(&ttl, &jld, "dataset", "dataset");
	buf_puts(&ttl, e->ttl);
	buf_puts(&jld, e->jld);
	for (k = 0; k < nu; k++) {
		buf_puts(&ttl, g->sh_ttl[used[k]]);
		buf_puts(&jld, ",\n    ");
		buf_puts(&jld, g->sh_jld[used[k]]);
	}
	buf_printf(&stem, "datasets/%s/dataset", e->slug);
	rc = put_pair(out, stem.ptr, &ttl, &jld, wrote, arg, err);
	buf_free(&ttl);
	buf_free(&jld);
	buf_free(&stem);
	return rc;
}

json_t *dcatap_fragment(const odc_dcatap *plan, const odc_catalog *cat, const odc_dataset *ds, odc_out *out,
			void (*wrote)(void *, const char *), void *arg, odc_buf *err)
{
	ap_ds e;
	json_t *f = NULL;
	size_t *used, nu;
	char sig[65];

	if (!plan || ds_part(plan, cat, ds, NULL, 0, 1, &e) < 0)
		return NULL;
	used = ds_used(plan, &e, &nu, sig);
	if (write_ds_files(plan, out, &e, used, nu, wrote, arg, err) == 0) {
		e.sig = xstrdup(sig);
		f = part_json(&e);
	}
	free(used);
	part_free(&e);
	return f;
}

/* The hydra:PagedCollection node of page p (1-based) of np, its IRIs
 * naming the page files with extension ext. */
static void page_node(const odc_dcatap *g, ap_node *n, size_t p, size_t np, const char *ext)
{
	odc_buf b = ODC_BUF_INIT;
	char num[32];
	memset(n, 0, sizeof(*n));
	buf_printf(&b, "%scatalog/page-%zu.%s", g->base, p, ext);
	n->iri = buf_detach(&b);
	n->types[0] = "hydra:PagedCollection";
	snprintf(num, sizeof(num), "%zu", g->nds);
	add(n, "hydra:totalItems", O_TYPED, num, "xsd:nonNegativeInteger");
	snprintf(num, sizeof(num), "%zu", g->page_size);
	add(n, "hydra:itemsPerPage", O_TYPED, num, "xsd:nonNegativeInteger");
	buf_printf(&b, "%scatalog/page-1.%s", g->base, ext);
	add_iri(n, "hydra:firstPage", b.ptr);
	buf_clear(&b);
	buf_printf(&b, "%scatalog/page-%zu.%s", g->base, np, ext);
	add_iri(n, "hydra:lastPage", b.ptr);
	if (p < np) {
		buf_clear(&b);
		buf_printf(&b, "%scatalog/page-%zu.%s", g->base, p + 1, ext);
		add_iri(n, "hydra:nextPage", b.ptr);
	}
	if (p > 1) {
		buf_clear(&b);
		buf_printf(&b, "%scatalog/page-%zu.%s", g->base, p - 1, ext);
		add_iri(n, "hydra:previousPage", b.ptr);
	}
	buf_free(&b);
}

static void page_node_free(ap_node *n)
{
	size_t k;
	for (k = 0; k < n->n; k++) {
		free(n->o[k].v);
		free(n->o[k].x);
	}
	free(n->o);
	free(n->iri);
}

/* catalog.* (from 0 to nds, no paging node) or catalog/page-<p>.*: the
 * catalogue node with the datasets from..to, those datasets with what
 * they own, the shared nodes they need (all of them for catalog.*), the
 * paging node. */
static int write_catalog(odc_dcatap *g, odc_out *out, size_t p, size_t np, char **lands, odc_buf bufs[2],
			 odc_buf *err)
{
	const ap_node *c = &g->own.v[0];
	ap_node ht, hj;
	odc_buf stem = ODC_BUF_INIT;
	/* The caller's buffers, emptied: one pair for every file, so that
	 * the pages reuse the memory the whole catalogue's files took. */
	odc_buf ttl = bufs[0], jld = bufs[1];
	size_t from = 0, to = g->nds, k, nu = 0, cap = 32, *used = xcalloc(cap, sizeof(*used));
	int rc;

	if (p) {
		from = (p - 1) * g->page_size;
		to = from + g->page_size;
		if (to > g->nds)
			to = g->nds;
		page_node(g, &ht, p, np, "ttl");
		page_node(g, &hj, p, np, "jsonld");
		buf_printf(&stem, "page-%zu", p);
		doc_head(&ttl, &jld, "catalogue page", stem.ptr);
	} else {
		doc_head(&ttl, &jld, "catalogue", "catalog");
	}
	{
		/* The datasets' texts are most of the files: room for them at
		 * once, not by doubling (tens of MB at 10,000 datasets). */
		size_t nt = 0, nj = 0;
		for (k = from; k < to; k++) {
			nt += g->ds[k].ttl_len;
			nj += g->ds[k].jld_len + 6;
		}
		buf_grow(&ttl, nt + 65536);
		buf_grow(&jld, nj + 65536);
	}
	ttl_node_x(&ttl, c, "dcat:dataset", lands + from, to - from);
	jld_node(&jld, c, "dcat:dataset", lands + from, to - from);
	if (p) {
		size_t n;
		char **iris;
		ttl_node(&ttl, &ht);
		buf_puts(&jld, ",\n    ");
		jld_node(&jld, &hj, NULL, NULL, 0);
		iris = node_iris(c, &n);
		used_add(g, iris, n, &used, &nu, &cap);
		free(iris);
		used_add(g, lands + from, to - from, &used, &nu, &cap);
		iris = node_iris(&ht, &n);
		used_add(g, iris, n, &used, &nu, &cap);
		free(iris);
	}
	for (k = from; k < to; k++) {
		buf_put(&ttl, g->ds[k].ttl, g->ds[k].ttl_len);
		if (g->ds[k].jld_len) {
			buf_puts(&jld, ",\n    ");
			buf_put(&jld, g->ds[k].jld, g->ds[k].jld_len);
		}
		if (p)
			used_add(g, g->ds[k].iris, g->ds[k].niris, &used, &nu, &cap);
	}
	if (p) {
		used_sort(used, &nu);
	} else {
		free(used);
		used = xcalloc(g->shared.n + 1, sizeof(*used));
		for (k = 0; k < g->shared.n; k++)
			used[k] = k;
		nu = g->shared.n;
	}
	for (k = 0; k < nu; k++) {
		buf_puts(&ttl, g->sh_ttl[used[k]]);
		buf_puts(&jld, ",\n    ");
		buf_puts(&jld, g->sh_jld[used[k]]);
	}
	buf_clear(&stem);
	if (p)
		buf_printf(&stem, "catalog/page-%zu", p);
	else
		buf_puts(&stem, "catalog");
	rc = put_pair(out, stem.ptr, &ttl, &jld, NULL, NULL, err);
	if (p) {
		page_node_free(&ht);
		page_node_free(&hj);
	}
	free(used);
	buf_clear(&ttl);
	buf_clear(&jld);
	bufs[0] = ttl;
	bufs[1] = jld;
	buf_free(&stem);
	return rc;
}

int dcatap_write(odc_dcatap *g, odc_out *out, odc_buf *err)
{
	size_t i;
	char **lands;
	int rc;
	odc_buf bufs[2] = {ODC_BUF_INIT, ODC_BUF_INIT};

	if (!g)
		return 0;
	dcatap_seal(g);
	lands = xcalloc(g->nds + 1, sizeof(*lands));
	for (i = 0; i < g->nds; i++)
		lands[i] = g->ds[i].land;
	/* catalog.*: everything. */
	rc = write_catalog(g, out, 0, 0, lands, bufs, err);
	/* datasets/<slug>/dataset.*: one dataset and what it points to;
	 * written in phase B (and kept in the cache) unless the shared nodes
	 * it needs are no longer those it was written with. */
	for (i = 0; i < g->nds && rc == 0; i++) {
		char sig[65];
		size_t nu, *used = ds_used(g, &g->ds[i], &nu, sig);
		if (!g->ds[i].sig || strcmp(g->ds[i].sig, sig))
			rc = write_ds_files(g, out, &g->ds[i], used, nu, NULL, NULL, err);
		free(used);
	}
	/* catalog/page-<n>.*: pages as ckanext-dcat gives them, when needed. */
	if (rc == 0 && g->nds > g->page_size) {
		/* page_size is at least 1 (dcatap_new) */
		/* NOLINTNEXTLINE(clang-analyzer-core.DivideZero) */
		size_t np = (g->nds + g->page_size - 1) / g->page_size;
		for (i = 1; i <= np && rc == 0; i++)
			rc = write_catalog(g, out, i, np, lands, bufs, err);
	}
	free(lands);
	buf_free(&bufs[0]);
	buf_free(&bufs[1]);
	return rc;
}

static void nodes_free(ap_nodes *ns)
{
	size_t i, k;
	for (i = 0; i < ns->n; i++) {
		for (k = 0; k < ns->v[i].n; k++) {
			free(ns->v[i].o[k].v);
			free(ns->v[i].o[k].x);
		}
		free(ns->v[i].o);
		free(ns->v[i].iri);
	}
	free(ns->v);
}

void dcatap_predict(odc_dcatap *g)
{
	if (g)
		g->predict = 1;
}

void dcatap_free(odc_dcatap *g)
{
	size_t i;
	if (!g)
		return;
	nodes_free(&g->own);
	nodes_free(&g->shared);
	free(g->shix);
	for (i = 0; i < g->nds; i++)
		part_free(&g->ds[i]);
	free(g->ds);
	for (i = 0; i < g->nsealed; i++) {
		free(g->sh_ttl[i]);
		free(g->sh_jld[i]);
	}
	free(g->sh_ttl);
	free(g->sh_jld);
	calls_free(g->calls, g->ncalls);
	free(g->base);
	free(g->today);
	free(g);
}
