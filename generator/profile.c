/*
 * profile.c — column profiles in one pass and bounded memory (see profile.h).
 *
 * Each column keeps a small hash table of the values seen so far, keyed by
 * a 128-bit hash of the value's canonical text (schema_value_key: 1, 1.0
 * and 1e0 are one number; one date in any format is one date). While the
 * table holds at most ODC_PROFILE_DISTINCT_CAP values its counts are exact.
 * A text column then turns the same entries into a Space-Saving summary:
 * a min-heap by count finds the least frequent entry, which the new value
 * replaces, inheriting its count plus one. Numeric and date columns only
 * needed the table to count distinct values, and free it at the cap.
 */
#include "profile.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"

#define MAX_BUCKETS 16384 /* a power of two above the cap */
#define MIN_BUCKETS 64    /* tables start small and stay in cache for the
			   * many columns with few distinct values */
#define SCHEMA_BINS 10
#define SCHEMA_INT_BINS 20 /* one bin per value up to this many integers */

enum { KIND_TEXT, KIND_NUMERIC, KIND_DATE };

typedef struct entry {
	uint64_t h1, h2;
	long count;
	long first;   /* sequence number of the value's first appearance */
	int32_t next; /* next entry in the bucket, -1 = none */
	char *text;   /* the value as first written, cut for display */
} entry;

typedef struct column {
	char *name;
	odc_type type;
	int kind;
	int integral;   /* values are whole units (integers, days, seconds...) */
	long count, missing;
	/* distinct values and top values */
	entry *e;
	size_t n, cap;
	int32_t *bucket; /* nbuckets heads, -1 = empty */
	size_t nbuckets; /* a power of two, at least the entries up to MAX_BUCKETS */
	int capped;      /* more distinct values than the cap were seen */
	size_t limit;    /* the cap of this column (see profile_new) */
	int32_t *heap;   /* Space-Saving: entry indices, min-heap by count */
	int32_t *pos;    /* position of each entry in heap */
	/* minimum and maximum */
	int has_range;
	double min, max;
	/* histogram */
	int hist;        /* 0 none, 1 schema range, 2 from the data */
	double lo, w;    /* data: bins [lo + j w, lo + (j + 1) w) */
	long fine[ODC_PROFILE_FINE_BINS];
	int hinit;
	double smin, smax, width; /* schema: bins [smin + k width, ...) up to smax */
	int nb;
	long sbins[SCHEMA_INT_BINS];
} column;

struct odc_profile {
	column *c;
	size_t n;
	long seq;
	odc_buf key;
};

/*====================================================================
 * Hashing and the table
 *====================================================================*/

static uint64_t mix64(uint64_t x)
{
	x ^= x >> 30;
	x *= 0xbf58476d1ce4e5b9ULL;
	x ^= x >> 27;
	x *= 0x94d049bb133111ebULL;
	x ^= x >> 31;
	return x;
}

/* Two independent 64-bit hashes of s, eight bytes at a time. */
static void hash128(const char *s, size_t n, uint64_t *h1, uint64_t *h2)
{
	uint64_t a = 0xcbf29ce484222325ULL ^ n, b = 0x9e3779b97f4a7c15ULL + n;
	while (n >= 8) {
		uint64_t w;
		memcpy(&w, s, 8);
		a = (a ^ w) * 0x100000001b3ULL;
		a ^= a >> 32;
		b = (b + w) * 0xff51afd7ed558ccdULL;
		b ^= b >> 29;
		s += 8;
		n -= 8;
	}
	if (n) {
		uint64_t w = 0;
		memcpy(&w, s, n);
		a = (a ^ w) * 0x100000001b3ULL;
		a ^= a >> 32;
		b = (b + w) * 0xff51afd7ed558ccdULL;
		b ^= b >> 29;
	}
	*h1 = mix64(a);
	*h2 = mix64(b ^ 0x2545f4914f6cdd1dULL);
}

/* Cuts s to at most max bytes on a UTF-8 character boundary, adding "…". */
static char *display_text(const char *s, size_t n)
{
	odc_buf b = ODC_BUF_INIT;
	if (n <= ODC_PROFILE_TEXT_BYTES) {
		/* one allocation of the exact size */
		char *t = xmalloc(n + 1);
		memcpy(t, s, n);
		t[n] = '\0';
		return t;
	} else {
		size_t k = ODC_PROFILE_TEXT_BYTES;
		while (k > 0 && ((unsigned char)s[k] & 0xC0) == 0x80)
			k--;
		buf_put(&b, s, k);
		buf_puts(&b, "\xe2\x80\xa6");
	}
	return buf_detach(&b);
}

static long find(const column *c, uint64_t h1, uint64_t h2)
{
	int32_t i = c->bucket[h1 & (c->nbuckets - 1)];
	for (; i >= 0; i = c->e[i].next)
		if (c->e[i].h1 == h1 && c->e[i].h2 == h2)
			return i;
	return -1;
}

static void link_entry(column *c, int32_t i)
{
	int32_t *head = &c->bucket[c->e[i].h1 & (c->nbuckets - 1)];
	c->e[i].next = *head;
	*head = i;
}

static void unlink_entry(column *c, int32_t i)
{
	int32_t *p = &c->bucket[c->e[i].h1 & (c->nbuckets - 1)];
	while (*p != i)
		p = &c->e[*p].next;
	*p = c->e[i].next;
}

static void free_table(column *c)
{
	size_t i;
	for (i = 0; i < c->n; i++)
		free(c->e[i].text);
	free(c->e);
	free(c->bucket);
	free(c->heap);
	free(c->pos);
	c->e = NULL;
	c->bucket = c->heap = c->pos = NULL;
	c->n = c->cap = c->nbuckets = 0;
}

/* Min-heap by count; among equal counts the later first appearance is
 * smaller, so that Space-Saving evicts the newest of the least frequent. */
static int heap_less(const column *c, int32_t a, int32_t b)
{
	if (c->e[a].count != c->e[b].count)
		return c->e[a].count < c->e[b].count;
	return c->e[a].first > c->e[b].first;
}

static void heap_down(column *c, size_t k)
{
	size_t n = c->n;
	for (;;) {
		size_t l = 2 * k + 1, r = l + 1, m = k;
		if (l < n && heap_less(c, c->heap[l], c->heap[m]))
			m = l;
		if (r < n && heap_less(c, c->heap[r], c->heap[m]))
			m = r;
		if (m == k)
			return;
		int32_t t = c->heap[k];
		c->heap[k] = c->heap[m];
		c->heap[m] = t;
		c->pos[c->heap[k]] = (int32_t)k;
		c->pos[c->heap[m]] = (int32_t)m;
		k = m;
	}
}

static double axis_value(const odc_value *v);

static void count_value(odc_profile *p, column *c, const odc_value *v)
{
	uint64_t h1, h2;
	long i;

	if (c->capped && !c->heap)
		return; /* numeric or date column past the cap */
	if (c->kind != KIND_TEXT) {
		/* Numbers and dates are one value on their axis: hash its bits
		 * (0 and -0 as one) rather than print a canonical text. */
		double x = axis_value(v);
		char k[9];
		x += 0.0; /* -0 + 0 is +0: 0 and -0 hash as one */
		if (x != x)
			x = NAN;
		memcpy(k, &x, 8);
		k[8] = (char)c->type;
		hash128(k, 9, &h1, &h2);
	} else if (v->type == ODC_T_STRING || v->type == ODC_T_ANY || v->type == ODC_T_LIST) {
		hash128(v->str ? v->str : "", v->str ? v->len : 0, &h1, &h2);
	} else {
		buf_clear(&p->key);
		schema_value_key(v, &p->key);
		hash128(p->key.ptr ? p->key.ptr : "", p->key.len, &h1, &h2);
	}
	if (!c->bucket || (c->n >= c->nbuckets && c->nbuckets < MAX_BUCKETS)) {
		/* (Re)build the heads: twice as many, every entry relinked. */
		size_t k;
		c->nbuckets = c->nbuckets ? c->nbuckets * 2 : MIN_BUCKETS;
		free(c->bucket);
		c->bucket = xmalloc(c->nbuckets * sizeof(*c->bucket));
		memset(c->bucket, 0xff, c->nbuckets * sizeof(*c->bucket));
		for (k = 0; k < c->n; k++)
			link_entry(c, (int32_t)k);
	}
	i = find(c, h1, h2);
	if (i >= 0) {
		c->e[i].count++;
		if (c->heap)
			heap_down(c, (size_t)c->pos[i]);
		return;
	}
	if (c->n < c->limit) {
		if (c->n == c->cap) {
			c->cap = c->cap ? c->cap * 2 : 64;
			if (c->cap > c->limit)
				c->cap = c->limit;
			c->e = xrealloc(c->e, c->cap * sizeof(*c->e));
		}
		i = (long)c->n++;
		c->e[i].h1 = h1;
		c->e[i].h2 = h2;
		c->e[i].count = 1;
		c->e[i].first = p->seq;
		c->e[i].text = c->kind == KIND_TEXT ? display_text(v->str ? v->str : "", v->str ? v->len : 0) : NULL;
		link_entry(c, (int32_t)i);
		return;
	}
	/* A new value beyond the cap. */
	if (!c->capped) {
		size_t k;
		c->capped = 1;
		if (c->kind != KIND_TEXT) {
			free_table(c);
			return;
		}
		c->heap = xmalloc(c->n * sizeof(*c->heap));
		c->pos = xmalloc(c->n * sizeof(*c->pos));
		for (k = 0; k < c->n; k++) {
			c->heap[k] = (int32_t)k;
			c->pos[k] = (int32_t)k;
		}
		for (k = c->n / 2; k-- > 0;)
			heap_down(c, k);
	}
	i = c->heap[0];
	unlink_entry(c, (int32_t)i);
	c->e[i].h1 = h1;
	c->e[i].h2 = h2;
	c->e[i].count++;
	c->e[i].first = p->seq;
	free(c->e[i].text);
	c->e[i].text = display_text(v->str ? v->str : "", v->str ? v->len : 0);
	link_entry(c, (int32_t)i);
	heap_down(c, 0);
}

/*====================================================================
 * Numbers, dates and the histogram
 *====================================================================*/

/* The value of a numeric or date cell on one axis, or NAN. */
static double axis_value(const odc_value *v)
{
	switch (v->type) {
	case ODC_T_NUMBER:
	case ODC_T_DURATION:
		return v->num;
	case ODC_T_INTEGER:
	case ODC_T_YEAR:
	case ODC_T_DATE:
	case ODC_T_DATETIME:
	case ODC_T_YEARMONTH:
	case ODC_T_TIME:
		return (double)v->i;
	default:
		return NAN;
	}
}

/* Days since 1970-01-01 of a civil date (H. Hinnant's algorithm). */
static long long days_from_civil(long long y, unsigned m, unsigned d)
{
	long long era;
	unsigned yoe, doy, doe;
	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = (unsigned)(y - era * 400);
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + (long long)doe - 719468;
}

static void civil_from_days(long long z, long long *y, unsigned *m, unsigned *d)
{
	long long era;
	unsigned doe, yoe, doy, mp;
	z += 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = (unsigned)(z - era * 146097);
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	*y = (long long)yoe + era * 400;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	*d = doy - (153 * mp + 2) / 5 + 1;
	*m = mp < 10 ? mp + 3 : mp - 9;
	*y += *m <= 2;
}

static long long floor_div(long long a, long long b)
{
	return a / b - ((a % b != 0) && ((a < 0) != (b < 0)));
}

/* Formats x, a value on the axis of type t, as profile.h says. */
static void format_axis(odc_type t, double x, odc_buf *out)
{
	long long y, v = (long long)floor(x);
	unsigned m, d;
	switch (t) {
	case ODC_T_INTEGER:
	case ODC_T_YEAR:
		buf_printf(out, "%lld", v);
		break;
	case ODC_T_DATE:
		civil_from_days(v, &y, &m, &d);
		buf_printf(out, "%04lld-%02u-%02u", y, m, d);
		break;
	case ODC_T_DATETIME: {
		long long days = floor_div(v, 86400), s = v - days * 86400;
		civil_from_days(days, &y, &m, &d);
		buf_printf(out, "%04lld-%02u-%02uT%02lld:%02lld:%02lldZ", y, m, d, s / 3600, s / 60 % 60, s % 60);
		break;
	}
	case ODC_T_YEARMONTH:
		buf_printf(out, "%04lld-%02lld", floor_div(v, 12), v - floor_div(v, 12) * 12 + 1);
		break;
	case ODC_T_TIME:
		buf_printf(out, "%02lld:%02lld:%02lld", v / 3600, v / 60 % 60, v % 60);
		break;
	default:
		buf_printf(out, "%.10g", x);
	}
}

/* A schema bound of field f ("minimum"/"maximum") on the axis, or NAN. */
static double schema_bound(const json_t *f, const char *key, odc_type t)
{
	const json_t *v = json_object_get(json_object_get(f, "constraints"), key);
	if (t == ODC_T_DATE) {
		const char *s = json_string_value(v);
		int y, m, d;
		char tail;
		if (s && sscanf(s, "%4d-%2d-%2d%c", &y, &m, &d, &tail) == 3 && m >= 1 && m <= 12 && d >= 1 &&
		    d <= 31)
			return (double)days_from_civil(y, (unsigned)m, (unsigned)d);
		return NAN;
	}
	if (t != ODC_T_INTEGER && t != ODC_T_NUMBER && t != ODC_T_YEAR)
		return NAN;
	if (json_is_number(v))
		return json_number_value(v);
	if (json_is_string(v)) { /* v1 schemas may write numbers as strings */
		char *end;
		double x = strtod(json_string_value(v), &end);
		if (*json_string_value(v) && !*end)
			return x;
	}
	return NAN;
}

static void hist_setup_schema(column *c, const json_t *f)
{
	double a = schema_bound(f, "minimum", c->type), b = schema_bound(f, "maximum", c->type);
	if (!isfinite(a) || !isfinite(b) || b <= a || b - a > 1e300)
		return;
	if (c->integral) {
		double span;
		a = ceil(a);
		b = floor(b);
		if (b < a)
			return;
		span = b - a + 1;
		if (span <= SCHEMA_INT_BINS) {
			c->nb = (int)span;
			c->width = 1;
		} else {
			c->width = ceil(span / SCHEMA_BINS);
			c->nb = (int)ceil(span / c->width);
		}
	} else {
		c->nb = SCHEMA_BINS;
		c->width = (b - a) / SCHEMA_BINS;
	}
	c->smin = a;
	c->smax = b;
	c->hist = 1;
}

static void hist_add(column *c, double x)
{
	if (!isfinite(x))
		return;
	if (c->hist == 1) {
		/* Validated data lies within the schema's range; the clamp
		 * only guards against rounding at the top edge. */
		double k = floor((x - c->smin) / c->width);
		if (k < 0)
			k = 0;
		if (k > c->nb - 1)
			k = c->nb - 1;
		c->sbins[(int)k]++;
		return;
	}
	if (c->hist != 2)
		return;
	if (!c->hinit) {
		c->w = c->integral ? 1 : ldexp(1, -20);
		c->lo = floor(x / c->w) * c->w;
		c->hinit = 1;
	}
	while (x < c->lo || x >= c->lo + ODC_PROFILE_FINE_BINS * c->w) {
		double w2 = 2 * c->w, newlo = floor(c->lo / w2) * w2, off;
		long nf[ODC_PROFILE_FINE_BINS];
		int j;
		if (x < c->lo)
			newlo -= (ODC_PROFILE_FINE_BINS - 2) * 0.5 * w2; /* half the bins, less one */
		if (!isfinite(w2) || !isfinite(newlo) || !isfinite(newlo + ODC_PROFILE_FINE_BINS * w2)) {
			c->hist = 0; /* beyond what doubles can bin */
			return;
		}
		memset(nf, 0, sizeof(nf));
		for (j = 0; j < ODC_PROFILE_FINE_BINS; j++) {
			if (!c->fine[j])
				continue;
			off = floor((c->lo + j * c->w - newlo) / w2);
			/* In range by construction; the clamp guards rounding
			 * at magnitudes where doubles are no longer exact. */
			if (off < 0)
				off = 0;
			if (off > ODC_PROFILE_FINE_BINS - 1)
				off = ODC_PROFILE_FINE_BINS - 1;
			nf[(int)off] += c->fine[j];
		}
		memcpy(c->fine, nf, sizeof(nf));
		c->lo = newlo;
		c->w = w2;
	}
	{
		int j = (int)floor((x - c->lo) / c->w);
		if (j >= ODC_PROFILE_FINE_BINS)
			j = ODC_PROFILE_FINE_BINS - 1;
		c->fine[j]++;
	}
}

/*====================================================================
 * The profiler
 *====================================================================*/

odc_profile *profile_new(const odc_schema *s, const json_t *fields)
{
	odc_profile *p = xcalloc(1, sizeof(*p));
	size_t i;

	p->n = schema_field_count(s);
	p->c = xcalloc(p->n ? p->n : 1, sizeof(*p->c));
	for (i = 0; i < p->n; i++) {
		column *c = &p->c[i];
		/* All columns share ODC_PROFILE_TOTAL_ENTRIES: a wide table counts
		 * fewer distinct values exactly per column (never under
		 * ODC_PROFILE_MIN_CAP), so memory has one bound. */
		c->limit = ODC_PROFILE_DISTINCT_CAP;
		if (p->n * ODC_PROFILE_DISTINCT_CAP > ODC_PROFILE_TOTAL_ENTRIES)
			c->limit = ODC_PROFILE_TOTAL_ENTRIES / p->n > ODC_PROFILE_MIN_CAP
					   ? ODC_PROFILE_TOTAL_ENTRIES / p->n
					   : ODC_PROFILE_MIN_CAP;
		c->name = xstrdup(schema_field_name(s, i));
		c->type = schema_field_type(s, i);
		switch (c->type) {
		case ODC_T_INTEGER:
		case ODC_T_YEAR:
			c->kind = KIND_NUMERIC;
			c->integral = 1;
			break;
		case ODC_T_NUMBER:
		case ODC_T_DURATION:
			c->kind = KIND_NUMERIC;
			break;
		case ODC_T_DATE:
		case ODC_T_DATETIME:
		case ODC_T_YEARMONTH:
		case ODC_T_TIME:
			c->kind = KIND_DATE;
			c->integral = 1;
			break;
		default:
			c->kind = KIND_TEXT;
		}
		if (c->kind != KIND_TEXT) {
			hist_setup_schema(c, json_array_get(fields, i));
			if (!c->hist)
				c->hist = 2;
		}
	}
	return p;
}

void profile_add(odc_profile *p, const odc_value *vals, size_t n)
{
	size_t i;
	p->seq++;
	for (i = 0; i < p->n; i++) {
		column *c = &p->c[i];
		const odc_value *v = i < n ? &vals[i] : NULL;
		double x;
		if (!v || v->missing) {
			c->missing++;
			continue;
		}
		c->count++;
		count_value(p, c, v);
		if (c->kind == KIND_TEXT)
			continue;
		x = axis_value(v);
		if (!isfinite(x))
			continue;
		if (!c->has_range || x < c->min)
			c->min = x;
		if (!c->has_range || x > c->max)
			c->max = x;
		c->has_range = 1;
		hist_add(c, x);
	}
}

static json_t *axis_json(odc_type t, double x)
{
	odc_buf b = ODC_BUF_INIT;
	json_t *s;
	format_axis(t, x, &b);
	s = json_string(buf_cstr(&b));
	buf_free(&b);
	return s;
}

/* A bin [from, to) as JSON; for whole units of width 1 its label is one
 * value, else "from–to" with the last value included for whole units. */
static json_t *bin_json(const column *c, double from, double to, long count)
{
	json_t *o = json_object();
	odc_buf l = ODC_BUF_INIT;
	json_object_set_new(o, "from", json_real(from));
	json_object_set_new(o, "to", json_real(to));
	json_object_set_new(o, "count", json_integer(count));
	json_object_set_new(o, "from_text", axis_json(c->type, from));
	json_object_set_new(o, "to_text", axis_json(c->type, c->integral ? to - 1 : to));
	format_axis(c->type, from, &l);
	if (!c->integral || to - from > 1) {
		buf_puts(&l, "\xe2\x80\x93"); /* – */
		format_axis(c->type, c->integral ? to - 1 : to, &l);
	}
	json_object_set_new(o, "label", json_string(buf_cstr(&l)));
	buf_free(&l);
	return o;
}

static json_t *histogram_json(const column *c)
{
	json_t *h = json_object(), *bins = json_array();
	int k;

	if (c->hist == 1) {
		json_object_set_new(h, "source", json_string("schema"));
		for (k = 0; k < c->nb; k++) {
			/* The last bin ends at the schema's maximum (included). */
			double to = k == c->nb - 1 ? c->smax + (c->integral ? 1 : 0) : c->smin + (k + 1) * c->width;
			json_array_append_new(bins, bin_json(c, c->smin + k * c->width, to, c->sbins[k]));
		}
	} else {
		/* Group the non-empty span of fine bins into at most
		 * ODC_PROFILE_BINS bins of g fine bins, aligned on multiples of
		 * g w from zero so that edges are round. */
		int a = 0, b = ODC_PROFILE_FINE_BINS - 1, j;
		double base = floor(c->lo / c->w + 0.5), g = 1, ga, gb;
		int gi, nk;
		while (a < b && !c->fine[a])
			a++;
		while (b > a && !c->fine[b])
			b--;
		while (floor((base + b) / g) - floor((base + a) / g) + 1 > ODC_PROFILE_BINS)
			g *= 2;
		ga = floor((base + a) / g);
		gb = floor((base + b) / g);
		json_object_set_new(h, "source", json_string("data"));
		nk = (int)(gb - ga); /* at most ODC_PROFILE_BINS - 1 */
		for (gi = 0; gi <= nk; gi++) {
			double gk = ga + gi;
			long count = 0;
			for (j = a; j <= b; j++)
				if (floor((base + j) / g) == gk)
					count += c->fine[j];
			json_array_append_new(bins, bin_json(c, gk * g * c->w, (gk + 1) * g * c->w, count));
		}
	}
	json_object_set_new(h, "bins", bins);
	return h;
}

/* One entry's sort key: count (descending), then first appearance. */
typedef struct ranked {
	long count, first;
	int32_t idx;
} ranked;

static int cmp_ranked(const void *pa, const void *pb)
{
	const ranked *a = pa, *b = pb;
	if (a->count != b->count)
		return a->count > b->count ? -1 : 1;
	return a->first < b->first ? -1 : a->first > b->first;
}

json_t *profile_result(const odc_profile *p)
{
	json_t *out = json_array();
	size_t i;

	for (i = 0; i < p->n; i++) {
		const column *c = &p->c[i];
		json_t *o = json_object();
		json_object_set_new(o, "name", json_string(c->name));
		json_object_set_new(o, "type", json_string(schema_type_name(c->type)));
		json_object_set_new(o, "kind", json_string(c->kind == KIND_NUMERIC ? "numeric"
							   : c->kind == KIND_DATE  ? "date"
										   : "text"));
		json_object_set_new(o, "count", json_integer(c->count));
		json_object_set_new(o, "missing", json_integer(c->missing));
		json_object_set_new(o, "distinct",
				    json_integer(c->capped ? (json_int_t)c->limit : (json_int_t)c->n));
		json_object_set_new(o, "distinct_capped", json_boolean(c->capped));
		if (c->kind != KIND_TEXT && c->has_range) {
			json_object_set_new(o, "min", axis_json(c->type, c->min));
			json_object_set_new(o, "max", axis_json(c->type, c->max));
			if (c->hist == 1 || (c->hist == 2 && c->max > c->min))
				json_object_set_new(o, "histogram", histogram_json(c));
		}
		if (c->kind == KIND_TEXT && c->n) {
			ranked *idx = xmalloc(c->n * sizeof(*idx));
			json_t *top = json_array();
			size_t k;
			for (k = 0; k < c->n; k++) {
				idx[k].count = c->e[k].count;
				idx[k].first = c->e[k].first;
				idx[k].idx = (int32_t)k;
			}
			qsort(idx, c->n, sizeof(*idx), cmp_ranked);
			for (k = 0; k < c->n && k < ODC_PROFILE_TOP; k++) {
				json_t *t = json_object();
				json_object_set_new(t, "value", json_string(c->e[idx[k].idx].text));
				json_object_set_new(t, "count", json_integer(c->e[idx[k].idx].count));
				json_array_append_new(top, t);
			}
			free(idx);
			json_object_set_new(o, "top", top);
			json_object_set_new(o, "top_approximate", json_boolean(c->capped));
		}
		json_array_append_new(out, o);
	}
	return out;
}

void profile_free(odc_profile *p)
{
	size_t i;
	if (!p)
		return;
	for (i = 0; i < p->n; i++) {
		free(p->c[i].name);
		free_table(&p->c[i]);
	}
	free(p->c);
	buf_free(&p->key);
	free(p);
}
