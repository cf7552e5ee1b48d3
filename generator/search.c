/*
 * search.c — the static search index (see search.h and docs/search.md).
 *
 * Text is normalised (NFKC through utf8proc, simple lower-case mapping,
 * hiragana folded to katakana) and cut into tokens: Latin and digit words,
 * pieces joined by '-', '.' or '・' also as one word, and CJK runs as
 * overlapping character bigrams plus unigrams. MeCab adds the katakana
 * readings of kanji words as bigrams, so that a kana query finds kanji
 * text without a dictionary in the browser.
 *
 * Scores are computed here, once: every posting carries its BM25F score
 * (field weights, per-field length normalisation) quantised to an integer,
 * so the client only adds numbers. The term dictionary is cut, in sorted
 * order, into shards of about ODC_SEARCH_SHARD_BYTES; the manifest lists
 * the first term of each, so a query fetches only the shards holding its
 * terms (a prefix query: the one or two shards whose range covers it).
 */
#include "search.h"

#include <math.h>
#include <pthread.h>
#include <mecab.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

#include "odc.h"

#define ODC_SEARCH_FORMAT 1
#define ODC_SEARCH_SHARD_BYTES (16 * 1024)
#define ODC_SEARCH_DESC_MAX 400 /* code points of description kept for snippets */
#define MECAB_CHUNK 2048        /* bytes given to MeCab at a time */

/*====================================================================
 * Normalisation
 *====================================================================*/

static int32_t kana_fold(int32_t c)
{
	if (c >= 0x3041 && c <= 0x3096)
		return c + 0x60;
	if (c == 0x309D || c == 0x309E)
		return c + 0x60;
	return c;
}

/* Valid UTF-8 with invalid sequences and NUL replaced by a space, then
 * NFKC. Appends to out. */
static void nfkc(const char *s, size_t len, odc_buf *out)
{
	odc_buf clean = ODC_BUF_INIT;
	utf8proc_uint8_t *mapped = NULL;
	utf8proc_ssize_t n;
	size_t i = 0;

	while (i < len) {
		utf8proc_int32_t c;
		utf8proc_ssize_t k = utf8proc_iterate((const utf8proc_uint8_t *)s + i,
						      (utf8proc_ssize_t)(len - i), &c);
		if (k <= 0 || c == 0) {
			buf_putc(&clean, ' ');
			i += k <= 0 ? 1 : (size_t)k;
			continue;
		}
		buf_put(&clean, s + i, (size_t)k);
		i += (size_t)k;
	}
	if (!clean.len) {
		buf_free(&clean);
		return;
	}
	n = utf8proc_map((const utf8proc_uint8_t *)clean.ptr, (utf8proc_ssize_t)clean.len, &mapped,
			 UTF8PROC_STABLE | UTF8PROC_COMPOSE | UTF8PROC_COMPAT);
	if (n >= 0)
		buf_put(out, mapped, (size_t)n);
	else /* cannot happen on valid UTF-8 but out of memory; keep the text */
		buf_put(out, clean.ptr, clean.len);
	free(mapped);
	buf_free(&clean);
}

static void put_cp(odc_buf *b, int32_t c)
{
	utf8proc_uint8_t u[4];
	utf8proc_ssize_t k = utf8proc_encode_char(c, u);
	buf_put(b, u, (size_t)k);
}

void search_normalize(const char *s, size_t len, odc_buf *out)
{
	odc_buf t = ODC_BUF_INIT;
	size_t i = 0;

	nfkc(s, len, &t);
	while (i < t.len) {
		utf8proc_int32_t c;
		utf8proc_ssize_t k = utf8proc_iterate((const utf8proc_uint8_t *)t.ptr + i,
						      (utf8proc_ssize_t)(t.len - i), &c);
		if (k <= 0) { /* not after nfkc(); be safe */
			i++;
			continue;
		}
		put_cp(out, kana_fold(utf8proc_tolower(c)));
		i += (size_t)k;
	}
	buf_free(&t);
}

/* Decodes normalised UTF-8 into code points (malloc'd; *n set). */
static int32_t *to_cps(const char *s, size_t len, size_t *n)
{
	int32_t *cp = xmalloc((len + 1) * sizeof(*cp));
	size_t i = 0, m = 0;
	while (i < len) {
		utf8proc_int32_t c;
		utf8proc_ssize_t k = utf8proc_iterate((const utf8proc_uint8_t *)s + i,
						      (utf8proc_ssize_t)(len - i), &c);
		if (k <= 0) {
			i++;
			continue;
		}
		cp[m++] = c;
		i += (size_t)k;
	}
	*n = m;
	return cp;
}

/*====================================================================
 * Tokens
 *====================================================================*/

enum { CL_SEP, CL_WORD, CL_CJK, CL_JOIN };

static int is_han(int32_t c)
{
	return (c >= 0x3400 && c <= 0x4DBF) || (c >= 0x4E00 && c <= 0x9FFF) ||
	       (c >= 0xF900 && c <= 0xFAFF) || (c >= 0x20000 && c <= 0x3FFFF) || c == 0x3005 ||
	       c == 0x3006;
}

static int char_class(int32_t c)
{
	if (c == '-' || c == '.' || c == 0x30FB)
		return CL_JOIN;
	if (is_han(c) || c == 0x3007 || (c >= 0x3041 && c <= 0x3096) ||
	    (c >= 0x30A1 && c <= 0x30FA) || (c >= 0x30FC && c <= 0x30FF) ||
	    (c >= 0x31F0 && c <= 0x31FF) || (c >= 0xAC00 && c <= 0xD7A3) ||
	    (c >= 0x1100 && c <= 0x11FF) || (c >= 0x3131 && c <= 0x318E))
		return CL_CJK;
	switch (utf8proc_category(c)) {
	case UTF8PROC_CATEGORY_LU:
	case UTF8PROC_CATEGORY_LL:
	case UTF8PROC_CATEGORY_LT:
	case UTF8PROC_CATEGORY_LM:
	case UTF8PROC_CATEGORY_LO:
	case UTF8PROC_CATEGORY_MN:
	case UTF8PROC_CATEGORY_MC:
	case UTF8PROC_CATEGORY_ME:
	case UTF8PROC_CATEGORY_ND:
	case UTF8PROC_CATEGORY_NL:
	case UTF8PROC_CATEGORY_NO:
		return CL_WORD;
	default:
		return CL_SEP;
	}
}

static void emit(odc_buf *tok, search_token_cb cb, void *payload)
{
	cb(buf_cstr(tok), tok->len, payload);
}

/* Tokens of a CJK run: each character, and each pair of neighbours. */
static void emit_cjk(const int32_t *run, size_t m, search_token_cb cb, void *payload)
{
	odc_buf t = ODC_BUF_INIT;
	size_t k;
	for (k = 0; k < m; k++) {
		buf_clear(&t);
		put_cp(&t, run[k]);
		emit(&t, cb, payload);
		if (k + 1 < m) {
			put_cp(&t, run[k + 1]);
			emit(&t, cb, payload);
		}
	}
	buf_free(&t);
}

void search_tokenize(const char *s, size_t len, search_token_cb cb, void *payload)
{
	odc_buf norm = ODC_BUF_INIT, piece = ODC_BUF_INIT, joined = ODC_BUF_INIT;
	size_t n, i = 0;
	int32_t *cp, *run;

	search_normalize(s, len, &norm);
	cp = to_cps(buf_cstr(&norm), norm.len, &n);
	run = xmalloc((n + 1) * sizeof(*run));
	while (i < n) {
		int cl = char_class(cp[i]);
		if (cl == CL_CJK) {
			size_t m = 0;
			for (;;) {
				while (i < n && char_class(cp[i]) == CL_CJK)
					run[m++] = cp[i++];
				if (i + 1 < n && char_class(cp[i]) == CL_JOIN &&
				    char_class(cp[i + 1]) == CL_CJK)
					i++;
				else
					break;
			}
			emit_cjk(run, m, cb, payload);
		} else if (cl == CL_WORD) {
			size_t pieces = 0, jn = 0;
			buf_clear(&joined);
			for (;;) {
				size_t pn = 0;
				buf_clear(&piece);
				while (i < n && char_class(cp[i]) == CL_WORD) {
					if (pn++ < ODC_SEARCH_MAX_WORD)
						put_cp(&piece, cp[i]);
					if (jn < ODC_SEARCH_MAX_WORD) {
						put_cp(&joined, cp[i]);
						jn++;
					}
					i++;
				}
				emit(&piece, cb, payload);
				pieces++;
				if (i + 1 < n && char_class(cp[i]) == CL_JOIN &&
				    char_class(cp[i + 1]) == CL_WORD)
					i++;
				else
					break;
			}
			if (pieces > 1)
				emit(&joined, cb, payload);
		} else {
			i++;
		}
	}
	free(run);
	free(cp);
	buf_free(&norm);
	buf_free(&piece);
	buf_free(&joined);
}

/*====================================================================
 * Readings (MeCab)
 *====================================================================*/

struct odc_reader {
	mecab_model_t *model;
	mecab_t *tagger;
	mecab_lattice_t *lattice;
};

odc_reader *search_reader_new(odc_buf *msg)
{
	odc_reader *r = xcalloc(1, sizeof(*r));
	const mecab_dictionary_info_t *di;

	r->model = mecab_model_new2("");
	if (!r->model) {
		buf_printf(msg, "MeCab cannot start: %s", mecab_strerror(NULL));
		goto fail;
	}
	di = mecab_model_dictionary_info(r->model);
	if (!di || !di->charset ||
	    (strcmp(di->charset, "UTF-8") && strcmp(di->charset, "utf-8") && strcmp(di->charset, "utf8"))) {
		buf_printf(msg, "MeCab's default dictionary is not UTF-8 (%s)",
			   di && di->charset ? di->charset : "unknown");
		goto fail;
	}
	r->tagger = mecab_model_new_tagger(r->model);
	r->lattice = mecab_model_new_lattice(r->model);
	if (!r->tagger || !r->lattice) {
		buf_printf(msg, "MeCab cannot start: %s", mecab_strerror(NULL));
		goto fail;
	}
	return r;
fail:
	search_reader_free(r);
	return NULL;
}

void search_reader_free(odc_reader *r)
{
	if (!r)
		return;
	if (r->lattice)
		mecab_lattice_destroy(r->lattice);
	if (r->tagger)
		mecab_destroy(r->tagger);
	if (r->model)
		mecab_model_destroy(r->model);
	free(r);
}

/* The voiced kana of c (カ → ガ, ハ → バ), or 0. */
static int32_t voiced(int32_t c)
{
	if ((c >= 0x30AB && c <= 0x30C1 && (c & 1)) || c == 0x30C4 || c == 0x30C6 || c == 0x30C8)
		return c + 1;
	if (c >= 0x30CF && c <= 0x30DB && (c - 0x30CF) % 3 == 0)
		return c + 1;
	return 0;
}

typedef struct reading_run {
	int32_t *c, *alt; /* characters, and a voiced alternative or 0 */
	size_t n, cap;
} reading_run;

static void run_flush(reading_run *rr, search_token_cb cb, void *payload)
{
	odc_buf t = ODC_BUF_INIT;
	size_t k;
	for (k = 0; k + 1 < rr->n; k++) {
		int32_t a[2] = {rr->c[k], rr->alt[k]}, b[2] = {rr->c[k + 1], rr->alt[k + 1]};
		int x, y;
		for (x = 0; x < 2; x++)
			for (y = 0; y < 2; y++) {
				if (!a[x] || !b[y])
					continue;
				buf_clear(&t);
				put_cp(&t, a[x]);
				put_cp(&t, b[y]);
				emit(&t, cb, payload);
			}
	}
	buf_free(&t);
	rr->n = 0;
}

static void run_push(reading_run *rr, int32_t c, int32_t alt)
{
	if (rr->n == rr->cap) {
		rr->cap = rr->cap ? rr->cap * 2 : 64;
		rr->c = xrealloc(rr->c, rr->cap * sizeof(int32_t));
		rr->alt = xrealloc(rr->alt, rr->cap * sizeof(int32_t));
	}
	rr->c[rr->n] = c;
	rr->alt[rr->n] = alt;
	rr->n++;
}

static int has_han(const char *s, size_t len)
{
	size_t i = 0;
	while (i < len) {
		utf8proc_int32_t c;
		utf8proc_ssize_t k = utf8proc_iterate((const utf8proc_uint8_t *)s + i,
						      (utf8proc_ssize_t)(len - i), &c);
		if (k <= 0)
			return 0;
		if (is_han(c))
			return 1;
		i += (size_t)k;
	}
	return 0;
}

/* The reading (8th feature) of an IPADIC node, or NULL; into out. */
static int node_reading(const char *feature, odc_buf *out)
{
	const char *p = feature;
	const char *end;
	int f;
	for (f = 0; f < 7 && p; f++) {
		p = strchr(p, ',');
		if (p)
			p++;
	}
	if (!p)
		return 0;
	end = strchr(p, ',');
	if (!end)
		end = p + strlen(p);
	if (end == p || (end - p == 1 && *p == '*'))
		return 0;
	buf_clear(out);
	search_normalize(p, (size_t)(end - p), out);
	return 1;
}

static void read_chunk(odc_reader *r, const char *s, size_t len, reading_run *rr,
		       search_token_cb cb, void *payload)
{
	const mecab_node_t *nd;
	odc_buf rd = ODC_BUF_INIT;

	mecab_lattice_set_sentence2(r->lattice, s, len);
	if (!mecab_parse_lattice(r->tagger, r->lattice))
		return;
	for (nd = mecab_lattice_get_bos_node(r->lattice); nd; nd = nd->next) {
		size_t n, k;
		int32_t *cp;
		if (nd->stat == MECAB_BOS_NODE || nd->stat == MECAB_EOS_NODE)
			continue;
		if (!has_han(nd->surface, nd->length) || !nd->feature ||
		    !node_reading(nd->feature, &rd)) {
			run_flush(rr, cb, payload);
			continue;
		}
		cp = to_cps(rd.ptr, rd.len, &n);
		for (k = 0; k < n; k++) {
			if (char_class(cp[k]) != CL_CJK) {
				run_flush(rr, cb, payload);
				continue;
			}
			/* Rendaku: a word after another may start voiced (所 ショ → ジョ). */
			run_push(rr, cp[k], k == 0 && rr->n > 0 ? voiced(cp[k]) : 0);
		}
		free(cp);
	}
	run_flush(rr, cb, payload);
	buf_free(&rd);
}

/* The whole reading of a short text: kanji words as their readings, the
 * rest as it is, all normalised (for the client's phrase ranking). */
static void reading_text(odc_reader *r, const char *s, odc_buf *out)
{
	odc_buf t = ODC_BUF_INIT, rd = ODC_BUF_INIT;
	const mecab_node_t *nd;

	nfkc(s, strlen(s), &t);
	if (t.len > MECAB_CHUNK || !t.len)
		goto done;
	mecab_lattice_set_sentence2(r->lattice, t.ptr, t.len);
	if (!mecab_parse_lattice(r->tagger, r->lattice))
		goto done;
	for (nd = mecab_lattice_get_bos_node(r->lattice); nd; nd = nd->next) {
		if (nd->stat == MECAB_BOS_NODE || nd->stat == MECAB_EOS_NODE)
			continue;
		if (has_han(nd->surface, nd->length) && nd->feature && node_reading(nd->feature, &rd))
			buf_put(out, rd.ptr, rd.len);
		else
			search_normalize(nd->surface, nd->length, out);
	}
done:
	buf_free(&t);
	buf_free(&rd);
}

void search_readings(odc_reader *r, const char *s, size_t len, search_token_cb cb, void *payload)
{
	odc_buf t = ODC_BUF_INIT;
	reading_run rr = {NULL, NULL, 0, 0};
	size_t start = 0, i;

	if (!r)
		return;
	nfkc(s, len, &t);
	/* Lines and sentences separately, and never more than MECAB_CHUNK
	 * bytes at a time (cut before a UTF-8 lead byte). */
	for (i = 0; i <= t.len; i++) {
		int cut = i == t.len || t.ptr[i] == '\n';
		if (!cut && i - start >= 3 && !memcmp(t.ptr + i - 3, "\xe3\x80\x82", 3)) /* 。 */
			cut = 1;
		if (!cut && i - start >= MECAB_CHUNK && ((unsigned char)t.ptr[i] & 0xC0) != 0x80)
			cut = 1;
		if (cut) {
			if (i > start)
				read_chunk(r, t.ptr + start, i - start, &rr, cb, payload);
			start = i < t.len && t.ptr[i] == '\n' ? i + 1 : i;
		}
	}
	free(rr.c);
	free(rr.alt);
	buf_free(&t);
}

/*====================================================================
 * The index
 *====================================================================*/

enum {
	F_TITLE,
	F_KEYWORDS,
	F_PUBLISHER,
	F_THEME,
	F_DESCRIPTION,
	F_COLUMNS,
	F_RESOURCES,
	F_README,
	NFIELDS,
	F_FACET = 255 /* filter terms: no score */
};

/* docs/search.md, "Scores". */
static const double field_weight[NFIELDS] = {10, 6, 4, 3, 3, 2, 2, 1};
#define BM25_K1 1.2
#define BM25_B 0.75

typedef struct posting {
	uint32_t doc;
	uint8_t field;
	uint16_t units; /* 2 per surface occurrence, 1 per reading */
} posting;

typedef struct term {
	char *s;
	posting *p;
	size_t n, cap;
} term;

struct odc_search {
	const odc_catalog *cat;
	json_t *strings[2];
	odc_reader *reader;
	term *terms;
	size_t nterms, termcap;
	uint32_t *slots; /* open addressing: term index + 1, 0 = empty */
	size_t nslots;
	uint32_t (*len)[NFIELDS]; /* per document: surface tokens per field */
	char **docs;              /* per document: what a result shows (compact JSON) */
	size_t ndocs, doccap;
	json_t *facets[4];        /* publisher, theme, format, license: id -> {label, count} */
	/* Lattices lent to search_fragment callers in other threads (the
	 * tagger is shared: MeCab parses with it concurrently). */
	pthread_mutex_t lock;
	mecab_lattice_t **lattices;
	size_t nlattices;
	char *dict; /* which dictionaries gave the readings (kept in fragments) */
	struct doc_acc **accs; /* documents' scratch, kept for the next (under lock) */
	size_t naccs;
};

static const char *const facet_names[4] = {"publisher", "theme", "format", "license"};
static const char *const facet_prefix[4] = {"!p:", "!t:", "!f:", "!l:"};

static uint32_t hash(const char *s, size_t n)
{
	uint32_t h = 2166136261u;
	size_t i;
	for (i = 0; i < n; i++)
		h = (h ^ (unsigned char)s[i]) * 16777619u;
	return h;
}

static void rehash(odc_search *s)
{
	size_t i, ns = s->nslots ? s->nslots * 2 : 4096;
	uint32_t *slots = xcalloc(ns, sizeof(*slots));
	for (i = 0; i < s->nterms; i++) {
		size_t j = hash(s->terms[i].s, strlen(s->terms[i].s)) & (ns - 1);
		while (slots[j])
			j = (j + 1) & (ns - 1);
		slots[j] = (uint32_t)(i + 1);
	}
	free(s->slots);
	s->slots = slots;
	s->nslots = ns;
}

static term *term_get(odc_search *s, const char *tok, size_t len)
{
	size_t j;
	if ((s->nterms + 1) * 2 > s->nslots)
		rehash(s);
	j = hash(tok, len) & (s->nslots - 1);
	while (s->slots[j]) {
		term *t = &s->terms[s->slots[j] - 1];
		if (!strncmp(t->s, tok, len) && t->s[len] == '\0')
			return t;
		j = (j + 1) & (s->nslots - 1);
	}
	if (s->nterms == s->termcap) {
		s->termcap = s->termcap ? s->termcap * 2 : 4096;
		s->terms = xrealloc(s->terms, s->termcap * sizeof(*s->terms));
	}
	s->terms[s->nterms].s = xstrndup(tok, len);
	s->terms[s->nterms].p = NULL;
	s->terms[s->nterms].n = s->terms[s->nterms].cap = 0;
	s->slots[j] = (uint32_t)(s->nterms + 1);
	return &s->terms[s->nterms++];
}

/*--------------------------------------------------------------------
 * One document's terms
 *
 * A dataset is first indexed on its own (doc_acc): its terms in the
 * order they first occur, each with its postings (field, units) in
 * token order, the token count per field, its facet values and what a
 * result shows. That needs nothing but the dataset, so it can be made
 * in any thread and kept (search_fragment); the index then takes the
 * document over in slug order (merge), which is all a cached dataset
 * costs.
 *------------------------------------------------------------------*/

typedef struct dpost {
	uint8_t field;
	uint16_t units; /* 2 per surface occurrence, 1 per reading */
	uint32_t next;  /* the term's next posting (index), or 0 */
} dpost;

/* A term of the document: its bytes in the document's arena, its postings
 * a chain through the document's posting array (no allocation per term:
 * a document has hundreds). */
typedef struct dterm {
	size_t off, len;
	uint32_t first, last, n;
} dterm;

typedef struct dfacet {
	int f;
	char *id, *label[2];
} dfacet;

typedef struct doc_acc {
	const odc_search *s;
	odc_reader *reader; /* NULL: no readings */
	dterm *terms;
	size_t nterms, termcap;
	odc_buf chars;      /* every term's bytes */
	dpost *posts;
	size_t nposts, postcap;
	uint32_t *slots; /* open addressing: term index + 1, 0 = empty */
	size_t nslots;
	uint32_t len[NFIELDS];
	dfacet *facets;
	size_t nfacets;
	int field, units;
	char *doc; /* compact JSON of what a result shows */
} doc_acc;

static const char *dterm_s(const doc_acc *a, const dterm *t)
{
	return a->chars.ptr + t->off;
}

static void acc_rehash(doc_acc *a)
{
	size_t i, ns = a->nslots ? a->nslots * 2 : 512;
	uint32_t *slots = xcalloc(ns, sizeof(*slots));
	for (i = 0; i < a->nterms; i++) {
		size_t j = hash(dterm_s(a, &a->terms[i]), a->terms[i].len) & (ns - 1);
		while (slots[j])
			j = (j + 1) & (ns - 1);
		slots[j] = (uint32_t)(i + 1);
	}
	free(a->slots);
	a->slots = slots;
	a->nslots = ns;
}

static dterm *acc_term(doc_acc *a, const char *tok, size_t len)
{
	size_t j;
	dterm *t;
	if ((a->nterms + 1) * 2 > a->nslots)
		acc_rehash(a);
	j = hash(tok, len) & (a->nslots - 1);
	while (a->slots[j]) {
		t = &a->terms[a->slots[j] - 1];
		if (t->len == len && !memcmp(dterm_s(a, t), tok, len))
			return t;
		j = (j + 1) & (a->nslots - 1);
	}
	if (a->nterms == a->termcap) {
		a->termcap = a->termcap ? a->termcap * 2 : 256;
		a->terms = xrealloc(a->terms, a->termcap * sizeof(*a->terms));
	}
	t = &a->terms[a->nterms];
	t->off = a->chars.len;
	t->len = len;
	t->first = t->last = t->n = 0;
	buf_put(&a->chars, tok, len);
	a->slots[j] = (uint32_t)(a->nterms + 1);
	a->nterms++;
	return t;
}

/* Empties a for the next document; its tables stay allocated (reused:
 * allocating them for every document cost more than the tokenising). */
static void acc_clear(doc_acc *a)
{
	size_t i;
	for (i = 0; i < a->nfacets; i++) {
		free(a->facets[i].id);
		free(a->facets[i].label[0]);
		free(a->facets[i].label[1]);
	}
	free(a->facets);
	free(a->doc);
	a->facets = NULL;
	a->nfacets = 0;
	a->doc = NULL;
	a->nterms = a->nposts = 0;
	buf_clear(&a->chars);
	if (a->slots)
		memset(a->slots, 0, a->nslots * sizeof(*a->slots));
	memset(a->len, 0, sizeof(a->len));
	a->field = a->units = 0;
	a->reader = NULL;
}

static void acc_free(doc_acc *a)
{
	acc_clear(a);
	free(a->terms);
	buf_free(&a->chars);
	free(a->posts);
	free(a->slots);
	free(a);
}

static doc_acc *acc_take(odc_search *s)
{
	doc_acc *a = NULL;
	pthread_mutex_lock(&s->lock);
	if (s->naccs)
		a = s->accs[--s->naccs];
	pthread_mutex_unlock(&s->lock);
	if (!a)
		a = xcalloc(1, sizeof(*a));
	a->s = s;
	return a;
}

static void acc_give(odc_search *s, doc_acc *a)
{
	acc_clear(a);
	pthread_mutex_lock(&s->lock);
	s->accs = xrealloc(s->accs, (s->naccs + 1) * sizeof(*s->accs));
	s->accs[s->naccs++] = a;
	pthread_mutex_unlock(&s->lock);
}

static void add_token(const char *tok, size_t len, void *payload)
{
	doc_acc *a = payload;
	dterm *t = acc_term(a, tok, len);
	dpost *last = t->n ? &a->posts[t->last] : NULL;
	uint32_t at;

	if (a->units == 2 && a->field < NFIELDS)
		a->len[a->field]++;
	if (last && last->field == a->field) {
		if (last->units <= UINT16_MAX - 2)
			last->units = (uint16_t)(last->units + a->units);
		return;
	}
	if (a->nposts == a->postcap || !a->posts) {
		a->postcap = a->postcap > a->nposts ? a->postcap : a->postcap ? a->postcap * 2 : 1024;
		a->posts = xrealloc(a->posts, a->postcap * sizeof(*a->posts));
	}
	at = (uint32_t)a->nposts++;
	a->posts[at].field = (uint8_t)a->field;
	a->posts[at].units = (uint16_t)a->units;
	a->posts[at].next = 0;
	if (t->n)
		a->posts[t->last].next = at;
	else
		t->first = at;
	t->last = at;
	t->n++;
}

static void add_text(doc_acc *a, int field, const char *text)
{
	size_t n;
	if (!text || !*text)
		return;
	n = strlen(text);
	a->field = field;
	a->units = 2;
	search_tokenize(text, n, add_token, a);
	if (a->reader) {
		a->units = 1;
		search_readings(a->reader, text, n, add_token, a);
	}
}

/* The texts of v in every catalogue language, each once. */
static void add_lang_text(doc_acc *a, int field, const json_t *v)
{
	const odc_catalog *cat = a->s->cat;
	const char *t0 = catalog_text(cat, v, cat->lang[0]);
	const char *t1 = cat->lang[1] ? catalog_text(cat, v, cat->lang[1]) : NULL;
	add_text(a, field, t0);
	if (t1 && (!t0 || strcmp(t0, t1)))
		add_text(a, field, t1);
}

/* A filter term of the document (once per value) and its facet value. */
static void add_facet(doc_acc *a, int f, const char *id, const char *label0, const char *label1)
{
	odc_buf t = ODC_BUF_INIT;
	dfacet *x;

	if (!id || !*id)
		return;
	buf_printf(&t, "%s%s", facet_prefix[f], id);
	if (acc_term(a, t.ptr, t.len)->n) {
		buf_free(&t);
		return; /* a second CSV: the format once */
	}
	a->field = F_FACET;
	a->units = 0;
	add_token(t.ptr, t.len, a);
	a->facets = xrealloc(a->facets, (a->nfacets + 1) * sizeof(*a->facets));
	x = &a->facets[a->nfacets++];
	x->f = f;
	x->id = xstrdup(id);
	x->label[0] = label0 ? xstrdup(label0) : NULL;
	x->label[1] = label1 ? xstrdup(label1) : NULL;
	buf_free(&t);
}

odc_search *search_new(const odc_catalog *cat, json_t *const strings[2], odc_buf *warning)
{
	odc_search *s = xcalloc(1, sizeof(*s));
	int i;
	s->cat = cat;
	s->strings[0] = strings ? strings[0] : NULL;
	s->strings[1] = strings ? strings[1] : NULL;
	s->reader = search_reader_new(warning);
	if (s->reader) {
		odc_buf d = ODC_BUF_INIT;
		const mecab_dictionary_info_t *di;
		for (di = mecab_model_dictionary_info(s->reader->model); di; di = di->next)
			buf_printf(&d, "%s %u %u %u %u;", di->filename ? di->filename : "", di->size, di->lsize,
				   di->rsize, (unsigned)di->version);
		s->dict = buf_detach(&d);
	}
	for (i = 0; i < 4; i++)
		s->facets[i] = json_object();
	pthread_mutex_init(&s->lock, NULL);
	rehash(s);
	return s;
}

/* A copy of s cut to at most max code points. */
static json_t *cut_string(const char *s, size_t max)
{
	size_t i = 0, n = 0, len;
	if (!s)
		return json_string("");
	len = strlen(s);
	while (i < len && n < max) {
		i++;
		while (i < len && ((unsigned char)s[i] & 0xC0) == 0x80)
			i++;
		n++;
	}
	return json_stringn(s, i);
}

static json_t *lang_pair(const odc_catalog *cat, const json_t *v, size_t max)
{
	json_t *a = json_array();
	int li;
	for (li = 0; li < 2; li++) {
		const char *lang = cat->lang[li] ? cat->lang[li] : cat->lang[0];
		json_array_append_new(a, cut_string(catalog_text(cat, v, lang), max));
	}
	return a;
}

/* Indexes ds on its own into a (zeroed; a->s and a->reader set). */
static void acc_dataset(doc_acc *a, const odc_catalog *cat, const odc_dataset *ds)
{
	const odc_search *s = a->s;
	json_t *dp = ds->dp, *d = json_object(), *kw = json_array(), *fmts = json_array(),
	       *cols = json_array(), *themes, *x;
	json_t *dept = catalog_publisher(cat, ds->publisher_id);
	size_t i, j;
	int li;

	add_lang_text(a, F_TITLE, json_object_get(dp, "title"));
	for (li = 0; li < 2; li++) {
		json_t *k = catalog_keywords(dp, cat->lang[li] ? cat->lang[li] : cat->lang[0]);
		json_t *copy = json_array();
		if (li == 0 || k != catalog_keywords(dp, cat->lang[0]))
			json_array_foreach(k, i, x) add_text(a, F_KEYWORDS, json_string_value(x));
		json_array_foreach(k, i, x) if (json_is_string(x)) json_array_append(copy, x);
		json_array_append_new(kw, copy);
	}
	if (dept) {
		add_lang_text(a, F_PUBLISHER, json_object_get(dept, "name"));
		add_facet(a, 0, ds->publisher_id,
			  catalog_text(cat, json_object_get(dept, "name"), cat->lang[0]),
			  cat->lang[1] ? catalog_text(cat, json_object_get(dept, "name"), cat->lang[1]) : NULL);
	} else {
		add_lang_text(a, F_PUBLISHER, json_object_get(json_object_get(cat->conf, "publisher"), "name"));
	}
	themes = json_object_get(dp, "theme");
	json_array_foreach(themes, i, x) {
		const char *code = json_string_value(x);
		const char *label[2] = {NULL, NULL};
		odc_buf key = ODC_BUF_INIT;
		if (!code)
			continue;
		buf_printf(&key, "theme_%s", code);
		for (li = 0; li < 2; li++) {
			label[li] = json_string_value(json_object_get(s->strings[li], key.ptr));
			add_text(a, F_THEME, label[li]);
		}
		add_text(a, F_THEME, code);
		add_facet(a, 1, code, label[0], label[1]);
		buf_free(&key);
	}
	add_lang_text(a, F_DESCRIPTION, json_object_get(dp, "description"));
	for (i = 0; i < ds->nres; i++) {
		const odc_resource *r = &ds->res[i];
		json_t *fields = json_object_get(json_object_get(r->json, "schema"), "fields");
		char fmt[32];
		add_text(a, F_RESOURCES, r->name);
		add_lang_text(a, F_RESOURCES, json_object_get(r->json, "title"));
		json_array_foreach(fields, j, x) {
			const char *name = json_string_value(json_object_get(x, "name"));
			json_t *en = json_object_get(json_object_get(x, "constraints"), "enum"), *y;
			size_t k;
			add_text(a, F_COLUMNS, name);
			add_lang_text(a, F_COLUMNS, json_object_get(x, "title"));
			add_lang_text(a, F_COLUMNS, json_object_get(x, "description"));
			/* The values a column may take (ward names...) say what is in it. */
			json_array_foreach(en, k, y) if (k < 100) add_text(a, F_COLUMNS, json_string_value(y));
			if (name && json_array_size(cols) < 40)
				json_array_append_new(cols, json_string(name));
		}
		if (r->format && *r->format) {
			size_t k, seen = 0;
			char up[32];
			snprintf(fmt, sizeof(fmt), "%s", r->format);
			for (k = 0; fmt[k]; k++)
				up[k] = (char)(fmt[k] >= 'a' && fmt[k] <= 'z' ? fmt[k] - 'a' + 'A' : fmt[k]);
			up[k] = '\0';
			add_text(a, F_RESOURCES, fmt);
			add_facet(a, 2, fmt, up, up);
			snprintf(fmt, sizeof(fmt), "%s", up);
			json_array_foreach(fmts, k, x) if (!strcmp(json_string_value(x), fmt)) seen = 1;
			if (!seen)
				json_array_append_new(fmts, json_string(fmt));
		}
	}
	add_text(a, F_README, ds->readme);
	add_text(a, F_README, ds->readme_en);
	if (ds->license_id)
		add_facet(a, 3, ds->license_id, catalog_license_title(ds->license_id, cat->lang[0]),
			  cat->lang[1] ? catalog_license_title(ds->license_id, cat->lang[1]) : NULL);

	json_object_set_new(d, "slug", json_string(ds->slug));
	json_object_set_new(d, "title", lang_pair(cat, json_object_get(dp, "title"), 200));
	json_object_set_new(d, "desc", lang_pair(cat, json_object_get(dp, "description"), ODC_SEARCH_DESC_MAX));
	json_object_set_new(d, "kw", kw);
	json_object_set_new(d, "pub", json_string(dept ? ds->publisher_id : ""));
	json_object_set_new(d, "fmt", fmts);
	json_object_set_new(d, "cols", cols);
	if (a->reader) {
		odc_buf y = ODC_BUF_INIT;
		const char *t0 = catalog_text(cat, json_object_get(dp, "title"), cat->lang[0]);
		if (t0)
			reading_text(a->reader, t0, &y);
		json_object_set_new(d, "yomi", json_stringn(buf_cstr(&y), y.len));
		buf_free(&y);
	}
	x = json_object_get(dp, "modified");
	json_object_set_new(d, "mod", json_string(json_is_string(x) ? json_string_value(x) : ""));
	a->doc = json_dumps(d, JSON_COMPACT | JSON_PRESERVE_ORDER);
	json_decref(d);
}

/*--------------------------------------------------------------------
 * Into the index
 *------------------------------------------------------------------*/

/* A new document: its token counts per field and what a result shows
 * (taken). Returns its number. */
static uint32_t new_doc(odc_search *s, const uint32_t len[NFIELDS], char *doc)
{
	uint32_t n = (uint32_t)s->ndocs;
	/* len grows with docs (once per doubling, not once per document). */
	if (s->ndocs == s->doccap) {
		s->doccap = s->doccap ? s->doccap * 2 : 256;
		s->docs = xrealloc(s->docs, s->doccap * sizeof(*s->docs));
		s->len = xrealloc(s->len, s->doccap * sizeof(*s->len));
	}
	memcpy(s->len[n], len, sizeof(s->len[n]));
	s->docs[s->ndocs++] = doc;
	return n;
}

static void put_posting(term *t, uint32_t doc, unsigned field, unsigned units)
{
	if (t->n == t->cap || !t->p) {
		t->cap = t->cap > t->n ? t->cap : t->cap ? t->cap * 2 : 4;
		t->p = xrealloc(t->p, t->cap * sizeof(*t->p));
	}
	t->p[t->n].doc = doc;
	t->p[t->n].field = (uint8_t)field;
	t->p[t->n].units = (uint16_t)units;
	t->n++;
}

/* Counts a facet value of a document; the first document having it names it. */
static void count_facet(odc_search *s, int f, const char *id, const char *label0, const char *label1)
{
	json_t *v = json_object_get(s->facets[f], id);
	if (!v) {
		json_t *label = json_array();
		json_array_append_new(label, json_string(label0 && *label0 ? label0 : id));
		json_array_append_new(label, json_string(label1 && *label1 ? label1 : (label0 && *label0 ? label0 : id)));
		v = json_pack("{s:o,s:i}", "label", label, "count", 0);
		json_object_set_new(s->facets[f], id, v);
	}
	json_object_set_new(v, "count", json_integer(json_integer_value(json_object_get(v, "count")) + 1));
}

void search_add(odc_search *s, const odc_catalog *cat, const odc_dataset *ds)
{
	doc_acc *a = acc_take(s);
	uint32_t doc;
	size_t i, k;

	a->reader = s->reader;
	acc_dataset(a, cat, ds);
	doc = new_doc(s, a->len, a->doc);
	a->doc = NULL;
	for (i = 0; i < a->nterms; i++) {
		term *t = term_get(s, dterm_s(a, &a->terms[i]), a->terms[i].len);
		uint32_t at = a->terms[i].first;
		for (k = 0; k < a->terms[i].n; k++, at = a->posts[at].next)
			put_posting(t, doc, a->posts[at].field, a->posts[at].units);
	}
	for (i = 0; i < a->nfacets; i++)
		count_facet(s, a->facets[i].f, a->facets[i].id, a->facets[i].label[0], a->facets[i].label[1]);
	acc_give(s, a);
}

/*--------------------------------------------------------------------
 * Fragments
 *
 * [format, readings, [token count per field], [[facet, id, label0,
 * label1]...], terms, doc]: readings names MeCab's dictionaries (file,
 * size, version), false without readings; terms is text, each term in the order of
 * first occurrence as "term posting,posting|" (terms hold no space or
 * '|': tokens cannot, and a facet value that does gets no fragment), a
 * posting the field's digit and the units ("02": title, one surface
 * occurrence) or "f" for a filter term; doc the compact JSON of
 * search/d/<n>.json. Compact: every build reads it back.
 *------------------------------------------------------------------*/

#define FRAGMENT_FORMAT 3

json_t *search_fragment(odc_search *s, const odc_catalog *cat, const odc_dataset *ds)
{
	doc_acc *a = acc_take(s);
	odc_reader view;
	mecab_lattice_t *lattice = NULL;
	json_t *frag = NULL, *lens, *facets;
	odc_buf t = ODC_BUF_INIT;
	size_t i, k;
	int f;

	if (s->reader) {
		pthread_mutex_lock(&s->lock);
		if (s->nlattices)
			lattice = s->lattices[--s->nlattices];
		else
			lattice = mecab_model_new_lattice(s->reader->model);
		pthread_mutex_unlock(&s->lock);
		if (!lattice) {
			acc_give(s, a);
			return NULL;
		}
		view.model = s->reader->model;
		view.tagger = s->reader->tagger;
		view.lattice = lattice;
		a->reader = &view;
	}
	acc_dataset(a, cat, ds);
	if (lattice) {
		pthread_mutex_lock(&s->lock);
		s->lattices = xrealloc(s->lattices, (s->nlattices + 1) * sizeof(*s->lattices));
		s->lattices[s->nlattices++] = lattice;
		pthread_mutex_unlock(&s->lock);
	}
	buf_grow(&t, a->chars.len + 8 * a->nposts + 2 * a->nterms);
	for (i = 0; i < a->nterms; i++) {
		const dterm *x = &a->terms[i];
		const char *xs = dterm_s(a, x);
		uint32_t at = x->first;
		if (memchr(xs, ' ', x->len) || memchr(xs, '|', x->len))
			goto done; /* a facet id the text cannot hold: no fragment */
		buf_put(&t, xs, x->len);
		for (k = 0; k < x->n; k++, at = a->posts[at].next) {
			const dpost *p = &a->posts[at];
			buf_putc(&t, k ? ',' : ' ');
			buf_putc(&t, p->field < NFIELDS ? (char)('0' + p->field) : 'f');
			if (p->field < NFIELDS || p->units) {
				char digits[8];
				int nd = 0;
				unsigned u = p->units;
				do
					digits[nd++] = (char)('0' + u % 10);
				while ((u /= 10) && nd < 8);
				while (nd)
					buf_putc(&t, digits[--nd]);
			}
		}
		buf_putc(&t, '|');
	}
	lens = json_array();
	for (f = 0; f < NFIELDS; f++)
		json_array_append_new(lens, json_integer(a->len[f]));
	facets = json_array();
	for (i = 0; i < a->nfacets; i++)
		json_array_append_new(facets, json_pack("[i,s,s?,s?]", a->facets[i].f, a->facets[i].id,
							a->facets[i].label[0], a->facets[i].label[1]));
	frag = json_pack("[i,o,o,o,o,s]", FRAGMENT_FORMAT, s->dict ? json_string(s->dict) : json_false(),
			 lens, facets, json_stringn(buf_cstr(&t), t.len), a->doc);
done:
	buf_free(&t);
	acc_give(s, a);
	return frag;
}

/* Reads a decimal number of at most max at *p; -1 if there is none. */
static long read_num(const char **p, const char *end, long max)
{
	long v = 0;
	const char *q = *p;
	if (q >= end || *q < '0' || *q > '9')
		return -1;
	while (q < end && *q >= '0' && *q <= '9') {
		v = v * 10 + (*q++ - '0');
		if (v > max)
			return -1;
	}
	*p = q;
	return v;
}

/* One posting at *p (after its ' ' or ','): field and units; -1 if malformed. */
static int read_posting(const char **p, const char *end, unsigned *field, unsigned *units)
{
	long u;
	if (*p >= end)
		return -1;
	if (**p == 'f') {
		(*p)++;
		*field = F_FACET;
		*units = 0;
		return 0;
	}
	if (**p < '0' || **p >= '0' + NFIELDS)
		return -1;
	*field = (unsigned)(*(*p)++ - '0');
	if ((u = read_num(p, end, UINT16_MAX)) < 0)
		return -1;
	*units = (unsigned)u;
	return 0;
}

/* Whether the terms text is well formed (checked before any of it is taken). */
static int terms_ok(const char *p, const char *end)
{
	unsigned field, units;
	while (p < end) {
		const char *sp = memchr(p, ' ', (size_t)(end - p));
		if (!sp || sp == p || memchr(p, '|', (size_t)(sp - p)))
			return 0;
		p = sp;
		do {
			p++;
			if (read_posting(&p, end, &field, &units) < 0 || p >= end)
				return 0;
		} while (*p == ',');
		if (*p++ != '|')
			return 0;
	}
	return 1;
}

int search_add_fragment(odc_search *s, const json_t *frag)
{
	json_t *lens = json_array_get(frag, 2), *facets = json_array_get(frag, 3), *x;
	json_t *terms = json_array_get(frag, 4), *doc = json_array_get(frag, 5);
	uint32_t len[NFIELDS], n;
	const char *p, *end;
	size_t i;

	/* Readings from other dictionaries (or none) are not this index's. */
	if (json_integer_value(json_array_get(frag, 0)) != FRAGMENT_FORMAT ||
	    (s->dict ? !json_is_string(json_array_get(frag, 1)) ||
			       strcmp(json_string_value(json_array_get(frag, 1)), s->dict)
		     : !json_is_false(json_array_get(frag, 1))) ||
	    json_array_size(lens) != NFIELDS || !json_is_array(facets) || !json_is_string(terms) ||
	    !json_is_string(doc))
		return -1;
	for (i = 0; i < NFIELDS; i++) {
		json_int_t v = json_integer_value(json_array_get(lens, i));
		if (!json_is_integer(json_array_get(lens, i)) || v < 0 || v > UINT32_MAX)
			return -1;
		len[i] = (uint32_t)v;
	}
	json_array_foreach(facets, i, x) {
		json_int_t f = json_integer_value(json_array_get(x, 0));
		if (f < 0 || f > 3 || !json_is_string(json_array_get(x, 1)))
			return -1;
	}
	p = json_string_value(terms);
	end = p + json_string_length(terms);
	if (!terms_ok(p, end))
		return -1;

	n = new_doc(s, len, xstrdup(json_string_value(doc)));
	while (p < end) {
		const char *sp = memchr(p, ' ', (size_t)(end - p));
		term *t = term_get(s, p, (size_t)(sp - p));
		p = sp;
		do {
			unsigned field, units;
			p++;
			read_posting(&p, end, &field, &units);
			put_posting(t, n, field, units);
		} while (*p == ',');
		p++;
	}
	json_array_foreach(facets, i, x)
		count_facet(s, (int)json_integer_value(json_array_get(x, 0)),
			    json_string_value(json_array_get(x, 1)), json_string_value(json_array_get(x, 2)),
			    json_string_value(json_array_get(x, 3)));
	return 0;
}

/*====================================================================
 * Writing
 *====================================================================*/

static int cmp_term(const void *a, const void *b)
{
	return strcmp(((const term *)a)->s, ((const term *)b)->s);
}

static const char vlq_digits[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

static void vlq(odc_buf *b, uint32_t v)
{
	do {
		unsigned d = v & 31;
		v >>= 5;
		if (v)
			d |= 32;
		buf_putc(b, vlq_digits[d]);
	} while (v);
}

/* The postings of t as docs/search.md says: doc id deltas and scores. */
static void encode_postings(const odc_search *s, const term *t, const double *avg, size_t ndocs,
			    odc_buf *out)
{
	size_t i = 0, df = 0;
	uint32_t prev = 0;
	int first = 1;
	double idf;

	for (i = 0; i < t->n; i++)
		if (i == 0 || t->p[i].doc != t->p[i - 1].doc)
			df++;
	idf = log1p(((double)ndocs - (double)df + 0.5) / ((double)df + 0.5));
	i = 0;
	while (i < t->n) {
		uint32_t doc = t->p[i].doc;
		double tf = 0;
		long q = 0;
		for (; i < t->n && t->p[i].doc == doc; i++) {
			const posting *p = &t->p[i];
			double norm;
			if (p->field >= NFIELDS)
				continue;
			norm = 1.0 - BM25_B + BM25_B * (double)s->len[doc][p->field] / avg[p->field];
			tf += field_weight[p->field] * (p->units / 2.0) / norm;
		}
		if (tf > 0) {
			double score = idf * tf * (BM25_K1 + 1) / (BM25_K1 + tf);
			q = lround(score * 8);
			if (q < 1)
				q = 1;
		}
		vlq(out, first ? doc : doc - prev);
		vlq(out, (uint32_t)q);
		prev = doc;
		first = 0;
	}
}

static int write_json(odc_out *o, const char *path, json_t *v, odc_buf *err)
{
	char *text = json_dumps(v, JSON_COMPACT | JSON_PRESERVE_ORDER);
	int rc = out_write(o, path, text, strlen(text));
	if (rc < 0)
		buf_printf(err, "cannot write %s", path);
	free(text);
	return rc;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* The facet values of f, sorted by id: [{id, label: [l0, l1], count}]. */
static json_t *facet_list(json_t *f)
{
	size_t n = json_object_size(f), i = 0;
	const char **keys = xcalloc(n ? n : 1, sizeof(*keys));
	const char *k;
	json_t *v, *out = json_array();
	json_object_foreach(f, k, v) keys[i++] = k;
	qsort(keys, n, sizeof(*keys), cmp_str);
	for (i = 0; i < n; i++) {
		json_t *e = json_object_get(f, keys[i]);
		json_array_append_new(out, json_pack("{s:s,s:O,s:O}", "id", keys[i], "label",
						     json_object_get(e, "label"), "count",
						     json_object_get(e, "count")));
	}
	free(keys);
	return out;
}

int search_write(odc_search *s, odc_out *o, odc_buf *err)
{
	size_t ndocs = s->ndocs, i, nshard = 0;
	double avg[NFIELDS];
	json_t *manifest = json_object(), *shards = json_array(), *shard = NULL, *facets = json_object();
	odc_buf post = ODC_BUF_INIT, path = ODC_BUF_INIT;
	size_t bytes = 0;
	int f, rc = 0;

	for (f = 0; f < NFIELDS; f++) {
		double sum = 0;
		for (i = 0; i < ndocs; i++)
			sum += s->len[i][f];
		avg[f] = ndocs && sum > 0 ? sum / (double)ndocs : 1.0;
	}
	if (s->nterms)
		qsort(s->terms, s->nterms, sizeof(*s->terms), cmp_term);
	free(s->slots); /* indices changed: the table is no longer valid */
	s->slots = NULL;
	s->nslots = 0;
	for (i = 0; i <= s->nterms && rc == 0; i++) {
		if (shard && (i == s->nterms || bytes >= ODC_SEARCH_SHARD_BYTES)) {
			buf_clear(&path);
			buf_printf(&path, "search/s/%zu.json", nshard++);
			rc = write_json(o, path.ptr, shard, err);
			json_decref(shard);
			shard = NULL;
		}
		if (i == s->nterms || rc)
			break;
		if (!shard) {
			shard = json_object();
			bytes = 0;
			json_array_append_new(shards, json_string(s->terms[i].s));
		}
		buf_clear(&post);
		encode_postings(s, &s->terms[i], avg, ndocs, &post);
		json_object_set_new(shard, s->terms[i].s, json_stringn(post.ptr, post.len));
		bytes += strlen(s->terms[i].s) + post.len + 6;
	}
	json_decref(shard);
	for (i = 0; i < ndocs && rc == 0; i++) {
		buf_clear(&path);
		buf_printf(&path, "search/d/%zu.json", i);
		rc = out_write(o, path.ptr, s->docs[i], strlen(s->docs[i]));
		if (rc < 0)
			buf_printf(err, "cannot write %s", path.ptr);
	}
	for (f = 0; f < 4; f++)
		json_object_set_new(facets, facet_names[f], facet_list(s->facets[f]));
	json_object_set_new(manifest, "format", json_integer(ODC_SEARCH_FORMAT));
	json_object_set_new(manifest, "docs", json_integer((json_int_t)ndocs));
	json_object_set_new(manifest, "langs",
			    json_pack("[s,s]", s->cat->lang[0],
				      s->cat->lang[1] ? s->cat->lang[1] : s->cat->lang[0]));
	json_object_set_new(manifest, "readings", json_boolean(s->reader != NULL));
	json_object_set_new(manifest, "shards", shards);
	json_object_set_new(manifest, "facets", facets);
	if (rc == 0)
		rc = write_json(o, "search/manifest.json", manifest, err);
	json_decref(manifest);
	buf_free(&post);
	buf_free(&path);
	return rc;
}

void search_free(odc_search *s)
{
	size_t i;
	int f;
	if (!s)
		return;
	for (i = 0; i < s->nterms; i++) {
		free(s->terms[i].s);
		free(s->terms[i].p);
	}
	free(s->terms);
	free(s->slots);
	free(s->len);
	for (i = 0; i < s->ndocs; i++)
		free(s->docs[i]);
	free(s->docs);
	for (i = 0; i < s->nlattices; i++)
		mecab_lattice_destroy(s->lattices[i]);
	free(s->lattices);
	for (i = 0; i < s->naccs; i++)
		acc_free(s->accs[i]);
	free(s->accs);
	pthread_mutex_destroy(&s->lock);
	free(s->dict);
	for (f = 0; f < 4; f++)
		json_decref(s->facets[f]);
	search_reader_free(s->reader);
	free(s);
}
