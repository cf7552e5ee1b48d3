/*
 * pages.c — the site-level pages (see pages.h).
 *
 * Facets are computed once from the dataset summaries of every language:
 * a group per publisher id, theme code, keyword, format and licence id,
 * holding the indexes of its datasets. A group's page exists in every
 * language (every HTML page has its twin), so a keyword given only in
 * English still has a page at tags/<slug>/ and en/tags/<slug>/; each
 * language's index lists the keywords of that language.
 */
#include "pages.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "dcat.h"
#include "markdown.h"
#include "odc.h"
#include "template.h"

const char *const pages_text_names[ODC_PAGE_TEXTS] = {"about", "terms", "disclaimer", "accessibility"};

#define SLUG_MAX 100
#define HOME_LIST 6      /* newest and recently updated datasets on the home page */
#define HOME_TAGS 20     /* keywords on the home page (all of them on tags/) */

/*====================================================================
 * Slugs
 *====================================================================*/

void pages_slug(const char *s, odc_buf *out)
{
	size_t start = out->len, n = 0;
	int dash = 0;

	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		if (c >= 0x80 || (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') ||
		    (c >= 'A' && c <= 'Z')) {
			size_t k = 1;
			if (c >= 0xF0)
				k = 4;
			else if (c >= 0xE0)
				k = 3;
			else if (c >= 0xC0)
				k = 2;
			if (n + (dash && n) + k > SLUG_MAX)
				break;
			if (dash && n) {
				buf_putc(out, '-');
				n++;
			}
			dash = 0;
			if (c >= 'A' && c <= 'Z')
				c = (unsigned char)(c - 'A' + 'a');
			if (c < 0x80) {
				buf_putc(out, (char)c);
			} else {
				/* a whole UTF-8 sequence (the JSON it came from was valid) */
				size_t j;
				for (j = 0; j < k && s[j]; j++)
					buf_putc(out, s[j]);
				s += j - 1;
				k = j;
			}
			n += k;
		} else {
			dash = 1;
		}
	}
	if (out->len == start)
		buf_puts(out, "tag");
}

/* A key that is already a safe path segment is its own slug; one ending
 * in ".html" is not, as a folder so named could be taken for a page. */
static int segment_is_safe(const char *s)
{
	size_t n = strlen(s);
	if (n >= 5 && !strcasecmp(s + n - 5, ".html"))
		return 0;
	n = 0;
	if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || (*s >= '0' && *s <= '9')))
		return 0;
	for (; *s; s++, n++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || (*s >= '0' && *s <= '9') ||
		      *s == '-' || *s == '_' || *s == '.' || *s == '+'))
			return 0;
	return n <= SLUG_MAX;
}

/*====================================================================
 * Facets
 *====================================================================*/

struct group {
	char *key;           /* publisher id, theme code, keyword, format (lower case), licence id */
	char *slug;          /* its path segment */
	const char *name[2]; /* shown name per language (borrowed from the summaries) */
	const char *url;     /* licence URL (borrowed), or NULL */
	size_t *ds;          /* dataset indexes, sorted, unique */
	size_t nds, cap;
	int listed[2];       /* on language li's index (keywords: given in li) */
};

struct facet {
	const char *kind;    /* "publishers", "themes", "tags", "formats", "licenses" */
	int always_slug;     /* keys are always slugged (keywords) */
	struct group *g;
	size_t n, cap;
	json_t *index;       /* key -> position in g */
};

enum { F_PUBLISHERS, F_THEMES, F_TAGS, F_FORMATS, F_LICENSES, NFACETS };

static struct group *group_get(struct facet *f, const char *key)
{
	json_t *at = json_object_get(f->index, key);
	struct group *g;
	if (at)
		return &f->g[json_integer_value(at)];
	if (f->n == f->cap) {
		f->cap = f->cap ? f->cap * 2 : 16;
		f->g = xrealloc(f->g, f->cap * sizeof(*f->g));
	}
	g = &f->g[f->n];
	memset(g, 0, sizeof(*g));
	g->key = xstrdup(key);
	json_object_set_new(f->index, key, json_integer((json_int_t)f->n));
	f->n++;
	return g;
}

static void group_add(struct group *g, size_t i, int li, const char *name)
{
	if (g->nds == g->cap) {
		g->cap = g->cap ? g->cap * 2 : 8;
		g->ds = xrealloc(g->ds, g->cap * sizeof(*g->ds));
	}
	g->ds[g->nds++] = i;
	g->listed[li] = 1;
	if (name && *name && !g->name[li])
		g->name[li] = name;
}

static int cmp_size(const void *a, const void *b)
{
	size_t x = *(const size_t *)a, y = *(const size_t *)b;
	return x < y ? -1 : x > y;
}

static int cmp_key(const void *a, const void *b)
{
	return strcmp(((const struct group *)a)->key, ((const struct group *)b)->key);
}

/* Most datasets first, then by name in the primary language, then key. */
static int cmp_shown(const void *a, const void *b)
{
	const struct group *x = a, *y = b;
	int c;
	if (x->nds != y->nds)
		return x->nds > y->nds ? -1 : 1;
	c = strcmp(x->name[0] ? x->name[0] : x->key, y->name[0] ? y->name[0] : y->key);
	return c ? c : strcmp(x->key, y->key); /* keys are unique: a total order */
}

static char *lower_dup(const char *s)
{
	char *d = xstrdup(s), *p;
	for (p = d; *p; p++)
		if (*p >= 'A' && *p <= 'Z')
			*p = (char)(*p - 'A' + 'a');
	return d;
}

/* Gives every group a slug, unique without regard to ASCII case (so that
 * the folders differ on case-insensitive file systems too): the first
 * group in key order keeps it, the next get "-2", "-3"... */
static void assign_slugs(struct facet *f)
{
	json_t *taken = json_object();
	size_t i;

	if (f->n)
		qsort(f->g, f->n, sizeof(*f->g), cmp_key);
	for (i = 0; i < f->n; i++) {
		odc_buf b = ODC_BUF_INIT;
		char *low;
		int k;
		if (!f->always_slug && segment_is_safe(f->g[i].key))
			buf_puts(&b, f->g[i].key);
		else
			pages_slug(f->g[i].key, &b);
		low = lower_dup(b.ptr);
		for (k = 2; json_object_get(taken, low); k++) {
			odc_buf c = ODC_BUF_INIT;
			buf_printf(&c, "%s-%d", b.ptr, k);
			free(low);
			low = lower_dup(c.ptr);
			if (!json_object_get(taken, low)) {
				buf_clear(&b);
				buf_puts(&b, c.ptr);
			}
			buf_free(&c);
		}
		json_object_set_new(taken, low, json_true());
		free(low);
		f->g[i].slug = buf_detach(&b);
	}
	json_decref(taken);
}

static void facets_build(struct facet *fs, json_t *const summaries[2], int nlang)
{
	static const char *const kinds[NFACETS] = {"publishers", "themes", "tags", "formats", "licenses"};
	int li, k;
	size_t i, j;

	memset(fs, 0, NFACETS * sizeof(*fs));
	for (k = 0; k < NFACETS; k++) {
		fs[k].kind = kinds[k];
		fs[k].always_slug = k == F_TAGS;
		fs[k].index = json_object();
	}
	for (li = 0; li < nlang; li++) {
		json_t *s, *x;
		json_array_foreach(summaries[li], i, s) {
			json_t *pub = json_object_get(s, "publisher"), *lic = json_object_get(s, "license");
			const char *id = json_string_value(json_object_get(pub, "id"));
			if (id)
				group_add(group_get(&fs[F_PUBLISHERS], id), i, li,
					  json_string_value(json_object_get(pub, "name")));
			json_array_foreach(json_object_get(s, "themes"), j, x) {
				const char *code = json_string_value(json_object_get(x, "code"));
				if (code)
					group_add(group_get(&fs[F_THEMES], code), i, li,
						  json_string_value(json_object_get(x, "label")));
			}
			json_array_foreach(json_object_get(s, "keywords"), j, x) {
				struct group *g = group_get(&fs[F_TAGS], json_string_value(x));
				group_add(g, i, li, json_string_value(x));
			}
			json_array_foreach(json_object_get(s, "formats"), j, x) {
				char *low = lower_dup(json_string_value(x));
				group_add(group_get(&fs[F_FORMATS], low), i, li, json_string_value(x));
				free(low);
			}
			id = json_string_value(json_object_get(lic, "id"));
			if (id) {
				const char *t = json_string_value(json_object_get(lic, "title"));
				struct group *g = group_get(&fs[F_LICENSES], id);
				group_add(g, i, li, t ? t : id);
				if (!g->url)
					g->url = json_string_value(json_object_get(lic, "url"));
			}
		}
	}
	for (k = 0; k < NFACETS; k++) {
		struct facet *f = &fs[k];
		for (i = 0; i < f->n; i++) {
			struct group *g = &f->g[i];
			size_t w = 0;
			/* Every language lists every group except keywords. */
			for (li = 0; li < nlang; li++) {
				if (k != F_TAGS)
					g->listed[li] = 1;
				if (!g->name[li])
					g->name[li] = g->name[li ? 0 : 1] ? g->name[li ? 0 : 1] : g->key;
			}
			qsort(g->ds, g->nds, sizeof(*g->ds), cmp_size);
			for (j = 0; j < g->nds; j++)
				if (!w || g->ds[w - 1] != g->ds[j])
					g->ds[w++] = g->ds[j];
			g->nds = w;
		}
		assign_slugs(f);
		if (f->n)
			qsort(f->g, f->n, sizeof(*f->g), cmp_shown);
		json_decref(f->index);
		f->index = NULL;
	}
}

static void facets_free(struct facet *fs)
{
	int k;
	size_t i;
	for (k = 0; k < NFACETS; k++) {
		for (i = 0; i < fs[k].n; i++) {
			free(fs[k].g[i].key);
			free(fs[k].g[i].slug);
			free(fs[k].g[i].ds);
		}
		free(fs[k].g);
		json_decref(fs[k].index);
	}
}

/*====================================================================
 * Models
 *====================================================================*/

struct pages {
	const odc_page_ctx *pc;
	const odc_pages_in *in;
	struct facet f[NFACETS];
	int nlang;
	odc_page_sink sink;
	void *payload;
	odc_buf *err;
	int card_ok[3];          /* home, datasets, facet join cards (below) */
	unsigned card_lists[3];  /* ... of these lists (bits of card_lists) */
	unsigned card_splice[3]; /* ... and these in one piece (bits) */
	json_t *card_names;      /* names a card looks up beyond its summary */
	struct card_ref *cards[2]; /* per language and summary (links_make) */
	odc_buf arena[2];        /* ... their bytes */
	odc_buf card;            /* the cards of one list, joined (kept for its memory) */
};

/* A string of the theme that C needs (a page title): missing is an error,
 * as it is in a template. */
static const char *need_string(struct pages *P, int li, const char *key)
{
	const char *s = json_string_value(json_object_get(P->pc->theme->strings[li], key));
	if (!s && !P->err->len)
		buf_printf(P->err, "theme strings/%s.json has no string \"%s\"", P->pc->cat->lang[li], key);
	return s;
}

/* A link from a page with prefix root to page base in language li. */
static char *page_link(const odc_catalog *cat, int li, const char *root, const char *base)
{
	odc_buf p = ODC_BUF_INIT;
	char *h;
	render_page_path(cat, li, base, &p);
	h = render_href(root, p.ptr);
	buf_free(&p);
	return h;
}

static char *group_path(const struct facet *f, const struct group *g)
{
	odc_buf b = ODC_BUF_INIT;
	buf_printf(&b, "%s/%s/index.html", f->kind, g->slug);
	return buf_detach(&b);
}

/* Links from a page with prefix root: {name, href, count} per group listed
 * in language li, at most limit (0: all). */
static json_t *group_items(const odc_catalog *cat, const struct facet *f, int li, const char *root,
			   size_t limit)
{
	json_t *a = json_array();
	size_t i;
	for (i = 0; i < f->n; i++) {
		const struct group *g = &f->g[i];
		json_t *o;
		char *p;
		if (!g->listed[li])
			continue;
		if (limit && json_array_size(a) >= limit)
			break;
		o = json_object();
		p = group_path(f, g);
		render_set_text(o, "name", g->name[li]);
		render_set_text(o, "id", g->key);
		render_set_text(o, "slug", g->slug);
		render_set_own(o, "href", page_link(cat, li, root, p));
		render_set_text(o, "url", g->url);
		json_object_set_new(o, "count", json_integer((json_int_t)g->nds));
		json_array_append_new(a, o);
		free(p);
	}
	return a;
}

static size_t listed_count(const struct facet *f, int li)
{
	size_t i, n = 0;
	for (i = 0; i < f->n; i++)
		n += f->g[i].listed[li] ? 1 : 0;
	return n;
}

/* The facet lists of the home and all-datasets pages. */
static json_t *facets_model(struct pages *P, int li, const char *root, int on_home)
{
	json_t *a = json_array();
	int k;
	for (k = 0; k < NFACETS; k++) {
		const struct facet *f = &P->f[k];
		odc_buf key = ODC_BUF_INIT, p = ODC_BUF_INIT;
		size_t limit = on_home && k == F_TAGS ? HOME_TAGS : 0;
		json_t *o;
		if (!listed_count(f, li))
			continue;
		o = json_object();
		buf_printf(&key, "facet_%s", f->kind);
		render_set_text(o, "kind", f->kind);
		render_set_text(o, "label", need_string(P, li, key.ptr));
		buf_printf(&p, "%s/index.html", f->kind);
		render_set_own(o, "index_href", page_link(P->pc->cat, li, root, p.ptr));
		json_object_set_new(o, "items", group_items(P->pc->cat, f, li, root, limit));
		json_object_set_new(o, "count", json_integer((json_int_t)listed_count(f, li)));
		json_object_set_new(o, "has_more", json_boolean(limit && listed_count(f, li) > limit));
		json_array_append_new(a, o);
		buf_free(&key);
		buf_free(&p);
	}
	return a;
}

/* o[flag] = whether the array o[key] has elements (an array section
 * repeats, so it cannot guard a heading). */
static void has_items(json_t *o, const char *flag, const char *key)
{
	json_object_set_new(o, flag, json_boolean(json_array_size(json_object_get(o, key)) > 0));
}

/* Sets "href" of the summaries of language li at idx (NULL: the first n)
 * for a page with prefix root. Only a page rendered by the template reads
 * them: a page joining cards (emit_cards) links from P->cards. */
static void summary_hrefs(struct pages *P, int li, const size_t *idx, size_t n, const char *root)
{
	size_t i;
	for (i = 0; i < n; i++) {
		json_t *s = json_array_get(P->in->summaries[li], idx ? idx[i] : i);
		render_set_own(s, "href", render_href(root, json_string_value(json_object_get(s, "_path"))));
	}
}

/* Summaries (borrowed) of the datasets at idx. */
static json_t *summaries_at(struct pages *P, int li, const size_t *idx, size_t n)
{
	json_t *a = json_array(), *s;
	size_t i;
	for (i = 0; i < n; i++) {
		s = json_array_get(P->in->summaries[li], idx[i]);
		json_array_append(a, s);
	}
	return a;
}

struct dated {
	const char *date;
	size_t i;
};

/* Latest date first, then slug order (the summaries' order). */
static int cmp_date(const void *a, const void *b)
{
	const struct dated *x = a, *y = b;
	int c = strcmp(y->date, x->date);
	return c ? c : (x->i < y->i ? -1 : x->i > y->i);
}

/* The datasets having date key, latest first, at most HOME_LIST (their
 * indexes into idx, how many into *nidx). */
static json_t *latest(struct pages *P, int li, const char *key, size_t idx[HOME_LIST], size_t *nidx)
{
	json_t *list = P->in->summaries[li], *s, *out;
	struct dated *d = xcalloc(json_array_size(list) + 1, sizeof(*d));
	size_t n = 0, i;
	json_array_foreach(list, i, s) {
		const char *date = json_string_value(json_object_get(s, key));
		if (date) {
			d[n].date = date;
			d[n++].i = i;
		}
	}
	if (n)
		qsort(d, n, sizeof(*d), cmp_date);
	for (i = 0; i < n && i < HOME_LIST; i++)
		idx[i] = d[i].i;
	out = summaries_at(P, li, idx, i);
	*nidx = i;
	free(d);
	return out;
}

static json_t *page_model(struct pages *P, int li, const char *base, const char *title,
			  const char *kind, odc_buf *root, const char *root_override)
{
	odc_buf path = ODC_BUF_INIT;
	render_page_path(P->pc->cat, li, base, &path);
	buf_clear(root);
	if (root_override)
		buf_puts(root, root_override);
	else
		render_root_of(path.ptr, root);
	buf_free(&path);
	return render_page_model(P->pc, li, base, title, kind, root_override);
}

static int emit(struct pages *P, int li, const char *base, const char *tpl, json_t *m)
{
	odc_buf html = ODC_BUF_INIT;
	int rc = P->err->len ? ODC_EINVALID : 0;
	if (rc == 0)
		rc = render_page(P->pc, tpl, m, &html, P->err);
	if (rc == 0)
		rc = P->sink(P->payload, li, base, &html, P->err);
	json_decref(m);
	buf_free(&html);
	return rc;
}

/*====================================================================
 * Cards rendered ahead
 *
 * A list page may join each dataset's card from the pieces rendered
 * ahead (render_dataset_card) instead of rendering the dataset-card
 * partial again, when that gives the same bytes: the page's template
 * calls the partial only right inside a top-level section over one of
 * its lists of summaries (datasets, newest, updated), never indented
 * and through no other partial; and no name the card looks up outside
 * its summary (other than t) is one the page model has. Otherwise the
 * page is rendered as it always was. When such a section is exactly
 * "{{#list}}\n{{> dataset-card}}\n{{/list}}\n" at the start of a line
 * (it renders the cards one after the other, nothing between) and the
 * list's name is used nowhere else but in inverted sections, the list
 * is given to the template as one item holding all its cards.
 *====================================================================*/

enum { CT_HOME, CT_DATASETS, CT_FACET, NCARD_TPL };
static const char *const card_tpl[NCARD_TPL] = {"home", "datasets", "facet"};
static const char *const card_lists[3] = {"datasets", "newest", "updated"};
#define CARD_HTML "_odcat_card_html"
#define MAX_PARTIAL_DEPTH 8

struct tag {
	char sigil;      /* '#', '^', '/', '>', '!', '&', '{', '=', '<', '$' or 0 */
	const char *name;
	size_t len, at; /* name, and the tag's offset */
};

/* The next tag of src at or after *pos (delimiters {{ }} only), or 0. */
static int next_tag(const char *src, size_t len, size_t *pos, struct tag *t)
{
	const char *p = *pos < len ? strstr(src + *pos, "{{") : NULL, *q, *end;
	if (!p)
		return 0;
	t->at = (size_t)(p - src);
	t->sigil = 0;
	q = p + 2;
	if (*q == '{') {
		t->sigil = '{';
		q++;
		end = strstr(q, "}}}");
	} else {
		end = strstr(q, "}}");
	}
	if (!end)
		return 0;
	while (q < end && (*q == ' ' || *q == '\t'))
		q++;
	if (t->sigil != '{') {
		if (q < end && strchr("#^/>!&=<$", *q))
			t->sigil = *q++;
		while (q < end && (*q == ' ' || *q == '\t'))
			q++;
	}
	t->name = q;
	while (end > q && (end[-1] == ' ' || end[-1] == '\t'))
		end--;
	t->len = (size_t)(end - q);
	*pos = (size_t)(strstr(p + 2, t->sigil == '{' ? "}}}" : "}}") - src) + (t->sigil == '{' ? 3 : 2);
	return 1;
}

static int tag_is(const struct tag *t, const char *name)
{
	return t->len == strlen(name) && !memcmp(t->name, name, t->len);
}

struct card_scan {
	unsigned lists;   /* lists whose items are cards (bits of card_lists) */
	int total[3];     /* card sections per list */
	int exact[3];     /* ... of the exact form to splice */
	int other[3];     /* other uses of the list's name */
};

/* The list (index into card_lists) that name's first segment is, or -1. */
static int list_of(const char *name, size_t len)
{
	size_t n = 0, k;
	while (n < len && name[n] != '.')
		n++;
	for (k = 0; k < 3; k++)
		if (strlen(card_lists[k]) == n && !memcmp(card_lists[k], name, n))
			return (int)k;
	return -1;
}

/* Whether template name (depth partials deep) keeps to the rules; what
 * it does with the lists goes into *st. */
static int card_scan(const odc_theme *theme, const char *name, int depth, struct card_scan *st)
{
	odc_buf src = ODC_BUF_INIT, rel = ODC_BUF_INIT;
	struct tag t, prev = {0, NULL, 0, 0};
	size_t pos = 0;
	int ok = 1, level = 0, prev_level = -1, card_open = -1;

	buf_printf(&rel, "templates/%s.mustache", name);
	if (depth > MAX_PARTIAL_DEPTH || render_theme_file(theme, rel.ptr, &src) < 0 || !src.len ||
	    memchr(src.ptr, 0, src.len) || strstr(src.ptr, "_odcat_card"))
		ok = 0;
	while (ok && next_tag(src.ptr, src.len, &pos, &t)) {
		int list = t.sigil == '!' || t.sigil == '>' ? -1 : list_of(t.name, t.len);
		if (t.sigil == '!')
			continue;
		if (t.sigil == '=' || t.sigil == '<' || t.sigil == '$') {
			ok = 0;
		} else if (t.sigil == '>') {
			if (t.len && t.name[0] == '*') {
				ok = 0;
			} else if (tag_is(&t, "dataset-card")) {
				size_t k, bol = t.at;
				int l = -1;
				while (bol > 0 && src.ptr[bol - 1] != '\n')
					bol--;
				for (k = 0; k < 3; k++)
					if (prev.sigil == '#' && tag_is(&prev, card_lists[k]))
						l = (int)k;
				/* Indented and alone on its line, it would be indented. */
				for (k = bol; k < t.at && (src.ptr[k] == ' ' || src.ptr[k] == '\t'); k++)
					;
				if (depth || l < 0 || prev_level != 0 || (k == t.at && t.at > bol)) {
					ok = 0;
				} else {
					odc_buf want = ODC_BUF_INIT;
					st->lists |= 1u << l;
					st->total[l]++;
					st->other[l]--; /* its section's open tag was counted */
					buf_printf(&want, "{{#%s}}\n{{> dataset-card}}\n{{/%s}}\n", card_lists[l], card_lists[l]);
					if ((prev.at == 0 || src.ptr[prev.at - 1] == '\n') &&
					    src.len - prev.at >= want.len && !memcmp(src.ptr + prev.at, want.ptr, want.len))
						st->exact[l]++;
					buf_free(&want);
					card_open = l;
				}
			} else {
				char *p = xstrndup(t.name, t.len);
				ok = card_scan(theme, p, depth + 1, st);
				free(p);
			}
		} else if (list >= 0 && !(t.sigil == '/' && (depth == 0 || card_open == list)) &&
			   !(t.sigil == '^' && depth == 0)) {
			st->other[list]++;
		}
		prev = t;
		prev_level = level;
		if (t.sigil == '#' || t.sigil == '^')
			level++;
		else if (t.sigil == '/')
			level--;
	}
	buf_free(&src);
	buf_free(&rel);
	return ok;
}

struct card_names {
	json_t *set;
};

/* The names a card looks up beyond its summary and t. */
static int card_name(void *payload, int is_partial, const char *name, size_t len, size_t line,
		     size_t col)
{
	struct card_names *c = payload;
	size_t n = 0;
	(void)line;
	(void)col;
	if (is_partial)
		return -1;
	while (n < len && name[n] != '.')
		n++;
	if (!n || (n == 1 && name[0] == 't') || render_summary_always_has(name, n))
		return 0;
	{
		char *k = xstrndup(name, n);
		json_object_set_new(c->set, k, json_true());
		free(k);
	}
	return 0;
}

/* Decides, once, which list pages join cards (P->cards_tpl) and for which lists. */
static void cards_plan(struct pages *P)
{
	odc_buf src = ODC_BUF_INIT;
	struct card_names cn = {NULL};
	char msg[256];
	int k;

	if (!P->in->cards[0] || render_card_source(P->pc, &src) < 0)
		goto done;
	cn.set = json_object();
	if (template_names(src.ptr, src.len, card_name, &cn, NULL, msg, sizeof(msg)) != 0)
		goto done;
	for (k = 0; k < NCARD_TPL; k++) {
		struct card_scan st;
		int l;
		memset(&st, 0, sizeof(st));
		P->card_ok[k] = card_scan(P->pc->theme, card_tpl[k], 0, &st);
		P->card_lists[k] = st.lists;
		for (l = 0; l < 3; l++)
			if (st.total[l] && st.exact[l] == st.total[l] && st.other[l] == 0)
				P->card_splice[k] |= 1u << l;
	}
	P->card_names = cn.set;
	cn.set = NULL;
done:
	json_decref(cn.set);
	buf_free(&src);
}

/* A summary's card and link for joining (emit_cards): the pieces of
 * its card (render_dataset_card) and its "_path" as a link, escaped as
 * render_href does (a page's link is its root and this), one after the
 * other in P->arena, so that joining a list reads memory in order. */
struct card_ref {
	size_t off;   /* in the arena: the link, then the pieces */
	size_t ll;    /* the link's length */
	size_t np;    /* pieces; 0: no card, or a link that would need escaping */
	size_t bytes; /* the pieces' length in all */
};

static void links_make(struct pages *P, int li)
{
	json_t *s, *v;
	size_t i, j, n = json_array_size(P->in->summaries[li]);
	odc_buf *a = &P->arena[li];
	P->cards[li] = xcalloc(n + 1, sizeof(*P->cards[li]));
	json_array_foreach(P->in->summaries[li], i, s) {
		struct card_ref *c = &P->cards[li][i];
		json_t *pieces = json_array_get(P->in->cards[li], i);
		char *h;
		if (!json_is_array(pieces) || !json_array_size(pieces))
			continue;
		h = render_href("", json_string_value(json_object_get(s, "_path")));
		/* A link that would need HTML escaping is not joined in. */
		if (!strpbrk(h, "&<>\"'") && strcmp(h, "./")) {
			c->off = a->len;
			c->ll = strlen(h);
			buf_put(a, h, c->ll);
			json_array_foreach(pieces, j, v) {
				size_t len = json_string_length(v);
				buf_put(a, &len, sizeof(len));
				buf_put(a, json_string_value(v), len);
				c->bytes += len;
			}
			c->np = json_array_size(pieces);
		}
		free(h);
	}
}

static void links_free(struct pages *P)
{
	int li;
	for (li = 0; li < 2; li++) {
		free(P->cards[li]);
		buf_free(&P->arena[li]);
	}
	buf_free(&P->card);
}

/* The card of summary at of language li joined for a page with prefix
 * root (rl bytes) into out; -1 when it has none or the link would need
 * escaping. */
static int join_card(struct pages *P, int li, size_t at, const char *root, size_t rl, odc_buf *out)
{
	const struct card_ref *c = &P->cards[li][at];
	const char *p = P->arena[li].ptr + c->off, *link = p;
	size_t j, len;
	if (!c->np)
		return -1;
	buf_grow(out, c->bytes + (c->np - 1) * (rl + c->ll));
	p += c->ll;
	for (j = 0; j < c->np; j++) {
		if (j) {
			buf_put(out, root, rl);
			buf_put(out, link, c->ll);
		}
		memcpy(&len, p, sizeof(len));
		buf_put(out, p + sizeof(len), len);
		p += sizeof(len) + len;
	}
	return 0;
}

/* Renders page m of template card_tpl[ct] (prefix root) joining the cards
 * of the summaries it lists (in[k]: the summaries' indexes of list
 * card_lists[k], NULL for all, n[k] how many), or as emit() does when it
 * cannot. */
static int emit_cards(struct pages *P, int li, const char *base, int ct, json_t *m, const char *root,
		      const size_t *const in[3], const size_t n[3])
{
	json_t *sums = P->in->summaries[li];
	odc_buf html = ODC_BUF_INIT, *card = &P->card;
	json_t *spliced[3] = {NULL, NULL, NULL};
	const char *key;
	json_t *v;
	size_t k, i, rl = strlen(root);
	int rc = 0, ok = P->card_ok[ct] && P->cards[li] && !P->err->len;

	json_object_foreach(P->card_names, key, v) if (ok && json_object_get(m, key)) ok = 0;
	if (ok && (P->card_lists[ct] & ~P->card_splice[ct]))
		/* The template renders list items around the cards: they
		 * may read "href". */
		for (k = 0; k < 3; k++)
			summary_hrefs(P, li, in[k], n[k], root);
	for (k = 0; k < 3 && ok; k++) {
		int whole = (P->card_splice[ct] >> k) & 1;
		if (!((P->card_lists[ct] >> k) & 1) || !n[k])
			continue;
		buf_clear(card);
		for (i = 0; i < n[k] && ok; i++) {
			size_t at = in[k] ? in[k][i] : i;
			if (!whole)
				buf_clear(card);
			if (join_card(P, li, at, root, rl, card) < 0)
				ok = 0;
			else if (!whole)
				json_object_set_new_nocheck(json_array_get(sums, at), CARD_HTML,
							    json_stringn_nocheck(buf_cstr(card), card->len));
		}
		if (ok && whole) {
			/* One item holding every card; the list itself is kept aside. */
			spliced[k] = json_incref(json_object_get(m, card_lists[k]));
			json_object_set_new(m, card_lists[k],
					    json_pack("[{s:o}]", CARD_HTML, json_stringn_nocheck(buf_cstr(card), card->len)));
		}
	}
	if (ok) {
		rc = render_page_cards(P->pc, card_tpl[ct], m, &html, P->err);
		if (rc == 0)
			rc = P->sink(P->payload, li, base, &html, P->err);
	}
	for (k = 0; k < 3; k++) {
		if (spliced[k])
			json_object_set_new(m, card_lists[k], spliced[k]);
		for (i = 0; i < n[k] && ((P->card_lists[ct] >> k) & 1) && !((P->card_splice[ct] >> k) & 1); i++)
			json_object_del(json_array_get(sums, in[k] ? in[k][i] : i), CARD_HTML);
	}
	if (!ok) {
		for (k = 0; k < 3; k++)
			summary_hrefs(P, li, in[k], n[k], root);
		rc = emit(P, li, base, card_tpl[ct], m);
	} else {
		json_decref(m);
	}
	buf_free(&html);
	return rc;
}

/* home, datasets/ */
static int lists(struct pages *P, int li)
{
	odc_buf root = ODC_BUF_INIT;
	const char *t;
	json_t *m;
	int rc;
	size_t newest[HOME_LIST], updated[HOME_LIST];
	const size_t *in[3] = {NULL, newest, updated};
	size_t n[3] = {json_array_size(P->in->summaries[li]), 0, 0};

	t = need_string(P, li, "home");
	m = page_model(P, li, "index.html", t, "home", &root, NULL);
	json_object_set(m, "datasets", P->in->summaries[li]);
	json_object_set_new(m, "newest", latest(P, li, "issued", newest, &n[1]));
	json_object_set_new(m, "updated", latest(P, li, "modified", updated, &n[2]));
	json_object_set_new(m, "facets", facets_model(P, li, buf_cstr(&root), 1));
	has_items(m, "has_newest", "newest");
	has_items(m, "has_updated", "updated");
	has_items(m, "has_facets", "facets");
	rc = emit_cards(P, li, "index.html", CT_HOME, m, buf_cstr(&root), in, n);

	if (rc == 0) {
		t = need_string(P, li, "all_datasets");
		m = page_model(P, li, "datasets/index.html", t, "datasets", &root, NULL);
		json_object_set(m, "datasets", P->in->summaries[li]);
		json_object_set_new(m, "facets", facets_model(P, li, buf_cstr(&root), 0));
		has_items(m, "has_facets", "facets");
		n[1] = n[2] = 0;
		rc = emit_cards(P, li, "datasets/index.html", CT_DATASETS, m, buf_cstr(&root), in, n);
	}
	buf_free(&root);
	return rc;
}

/* <kind>/index.html and <kind>/<slug>/index.html */
static int facet_pages(struct pages *P, int li, const struct facet *f)
{
	odc_buf root = ODC_BUF_INIT, base = ODC_BUF_INIT, key = ODC_BUF_INIT, one = ODC_BUF_INIT;
	const char *label, *label_one;
	json_t *m, *fm;
	size_t i;
	int rc;

	buf_printf(&key, "facet_%s", f->kind);
	buf_printf(&one, "facet_%s_one", f->kind);
	label = need_string(P, li, key.ptr);
	label_one = need_string(P, li, one.ptr);
	buf_printf(&base, "%s/index.html", f->kind);
	m = page_model(P, li, base.ptr, label, "facet-index", &root, NULL);
	fm = json_object();
	render_set_text(fm, "kind", f->kind);
	render_set_text(fm, "label", label);
	json_object_set_new(fm, "items", group_items(P->pc->cat, f, li, buf_cstr(&root), 0));
	has_items(fm, "has_items", "items");
	json_object_set_new(m, "facet", fm);
	rc = emit(P, li, base.ptr, "facet-index", m);

	for (i = 0; i < f->n && rc == 0; i++) {
		const struct group *g = &f->g[i];
		char *p = group_path(f, g);
		odc_buf title = ODC_BUF_INIT;
		buf_printf(&title, "%s: %s", label_one ? label_one : "", g->name[li]);
		m = page_model(P, li, p, title.ptr, "facet", &root, NULL);
		fm = json_object();
		render_set_text(fm, "kind", f->kind);
		render_set_text(fm, "label", label);
		render_set_text(fm, "label_one", label_one);
		render_set_text(fm, "name", g->name[li]);
		render_set_text(fm, "id", g->key);
		render_set_text(fm, "url", g->url);
		json_object_set_new(fm, "count", json_integer((json_int_t)g->nds));
		render_set_own(fm, "index_href", page_link(P->pc->cat, li, buf_cstr(&root), base.ptr));
		json_object_set_new(m, "facet", fm);
		json_object_set_new(m, "datasets", summaries_at(P, li, g->ds, g->nds));
		{
			const size_t *in[3] = {g->ds, NULL, NULL};
			size_t n[3] = {g->nds, 0, 0};
			rc = emit_cards(P, li, p, CT_FACET, m, buf_cstr(&root), in, n);
		}
		free(p);
		buf_free(&title);
	}
	buf_free(&root);
	buf_free(&base);
	buf_free(&key);
	buf_free(&one);
	return rc;
}

/* The Markdown of static page n in language li, rendered. */
static char *page_text(struct pages *P, int n, int li)
{
	const char *md = P->in->text[n][li];
	size_t len = P->in->text_len[n][li];
	odc_buf b = ODC_BUF_INIT, rel = ODC_BUF_INIT;
	char *html = NULL;

	if (!md) {
		buf_printf(&rel, "pages/%s.%s.md", pages_text_names[n], P->pc->cat->lang[li]);
		if (render_theme_file(P->pc->theme, rel.ptr, &b) < 0) {
			if (!P->err->len)
				buf_printf(P->err, "the theme has no %s (the text of %s/)", rel.ptr,
					   pages_text_names[n]);
		} else {
			md = b.ptr ? b.ptr : "";
			len = b.len;
		}
	}
	if (md)
		html = markdown_render(md, len, NULL);
	buf_free(&b);
	buf_free(&rel);
	return html;
}

/* about/: the machine-readable outputs. when: 0 the file is in the site,
 * 1 always written (after the pages), 2 written with a base URL. */
static const struct {
	const char *path, *label, *format;
	int when;
} outputs[] = {
	{"data.json", "out_data_json", "JSON (DCAT-US 1.1)", 0},
	{"catalog.jsonld", "out_catalog_jsonld", "JSON-LD (DCAT-AP 3.0.1)", 0},
	{"catalog.ttl", "out_catalog_ttl", "Turtle (DCAT-AP 3.0.1)", 0},
	{"opendata-list.csv", "out_opendata_list", "CSV", 1},
	{"feed.xml", "out_feed", "Atom", 0},
	{"sitemap.xml", "out_sitemap", "XML (sitemaps.org 0.9)", 2},
	{"api/3/action/package_list.json", "out_ckan", "JSON (CKAN API v3)", 0},
	{"api/3/action/package_search.json", "out_ckan_search", "JSON (CKAN API v3)", 0},
};

static const struct {
	const char *file, *label, *format;
} dataset_outputs[] = {
	{"datapackage.json", "out_datapackage", "JSON (Frictionless Data Package)"},
	{"dataset.jsonld", "out_dataset_jsonld", "JSON-LD (DCAT-AP 3.0.1)"},
	{"dataset.ttl", "out_dataset_ttl", "Turtle (DCAT-AP 3.0.1)"},
};

static json_t *output_item(struct pages *P, int li, const char *prefix, const char *path,
			   const char *label, const char *format)
{
	json_t *o = json_object();
	render_set_text(o, "path", path);
	render_set_own(o, "href", render_href(prefix, path));
	render_set_text(o, "label", need_string(P, li, label));
	render_set_text(o, "format", format);
	return o;
}

static int static_pages(struct pages *P, int li)
{
	const odc_catalog *cat = P->pc->cat;
	int has_base = cat->base_url && *cat->base_url, n, rc = 0;
	odc_buf root = ODC_BUF_INIT, abs = ODC_BUF_INIT, key = ODC_BUF_INIT, base = ODC_BUF_INIT;
	size_t i;

	for (n = 0; n < ODC_PAGE_TEXTS && rc == 0; n++) {
		json_t *m, *pg = json_object();
		char *html;
		buf_clear(&key);
		buf_printf(&key, "page_%s", pages_text_names[n]);
		buf_clear(&base);
		buf_printf(&base, "%s/index.html", pages_text_names[n]);
		m = page_model(P, li, base.ptr, need_string(P, li, key.ptr), pages_text_names[n], &root, NULL);
		html = page_text(P, n, li);
		render_set_own(pg, "text_html", html);
		render_set_text(pg, "id", pages_text_names[n]);
		render_set_text(pg, "title", need_string(P, li, key.ptr));
		json_object_set_new(m, "static_page", pg);
		if (n == ODC_PAGE_TERMS) {
			json_object_set_new(m, "licenses", group_items(P->pc->cat, &P->f[F_LICENSES], li, buf_cstr(&root), 0));
			has_items(m, "has_licenses", "licenses");
		}
		if (n == ODC_PAGE_ABOUT) {
			/* URLs are absolute with a base URL, so they can be copied. */
			json_t *outs = json_array(), *douts = json_array();
			json_t *first = json_array_get(P->in->summaries[li], 0);
			buf_clear(&abs);
			dcat_base_url(cat, &abs);
			if (!abs.len)
				buf_puts(&abs, buf_cstr(&root));
			for (i = 0; i < sizeof(outputs) / sizeof(outputs[0]); i++) {
				int ok = outputs[i].when == 1 || (outputs[i].when == 2 && has_base) ||
					 (outputs[i].when == 0 && P->in->has_file &&
					  P->in->has_file(outputs[i].path, P->in->has_file_arg));
				if (ok)
					json_array_append_new(outs, output_item(P, li, buf_cstr(&abs), outputs[i].path,
										outputs[i].label, outputs[i].format));
			}
			for (i = 0; first && i < sizeof(dataset_outputs) / sizeof(dataset_outputs[0]); i++) {
				odc_buf p = ODC_BUF_INIT;
				buf_printf(&p, "datasets/%s/%s", json_string_value(json_object_get(first, "slug")),
					   dataset_outputs[i].file);
				if (P->in->has_file && P->in->has_file(p.ptr, P->in->has_file_arg))
					json_array_append_new(douts, output_item(P, li, buf_cstr(&abs), p.ptr,
										 dataset_outputs[i].label,
										 dataset_outputs[i].format));
				buf_free(&p);
			}
			json_object_set_new(m, "outputs", outs);
			json_object_set_new(m, "dataset_outputs", douts);
			has_items(m, "has_outputs", "outputs");
			has_items(m, "has_dataset_outputs", "dataset_outputs");
			render_set_text(m, "example_slug", json_string_value(json_object_get(first, "slug")));
		}
		rc = emit(P, li, base.ptr, "page", m);
	}
	/* 404.html: served for any missing URL, at any depth, so its links
	 * start at the site's path (the path of base_url, else "/"). */
	if (rc == 0) {
		const char *u = cat->base_url ? strstr(cat->base_url, "://") : NULL;
		const char *slash = u ? strchr(u + 3, '/') : NULL;
		json_t *m;
		buf_clear(&abs);
		if (slash)
			buf_puts(&abs, slash);
		if (!abs.len || abs.ptr[abs.len - 1] != '/')
			buf_putc(&abs, '/');
		m = page_model(P, li, "404.html", need_string(P, li, "page_404"), "404", &root, abs.ptr);
		rc = emit(P, li, "404.html", "404", m);
	}
	buf_free(&root);
	buf_free(&abs);
	buf_free(&key);
	buf_free(&base);
	return rc;
}

int pages_write(const odc_page_ctx *pc, const odc_pages_in *in, odc_page_sink sink, void *payload,
		odc_buf *err)
{
	struct pages P;
	int li, k, rc = 0;

	memset(&P, 0, sizeof(P));
	P.pc = pc;
	P.in = in;
	P.nlang = pc->cat->lang[1] ? 2 : 1;
	P.sink = sink;
	P.payload = payload;
	P.err = err;
	facets_build(P.f, in->summaries, P.nlang);
	cards_plan(&P);
	for (li = 0; li < P.nlang && P.in->cards[0]; li++)
		links_make(&P, li);
	/* The list and facet pages of every language, then the static ones:
	 * the primary language's pages keep their order (the sitemap's). */
	for (li = 0; li < P.nlang && rc == 0; li++) {
		rc = lists(&P, li);
		for (k = 0; k < NFACETS && rc == 0; k++)
			rc = facet_pages(&P, li, &P.f[k]);
	}
	if (in->before_static)
		in->before_static(in->before_static_arg);
	for (li = 0; li < P.nlang && rc == 0; li++)
		rc = static_pages(&P, li);
	if (rc == 0 && err->len)
		rc = ODC_EINVALID;
	facets_free(P.f);
	links_free(&P);
	json_decref(P.card_names);
	return rc;
}
