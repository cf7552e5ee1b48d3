/*
 * test_profile.c — profile.c (column profiles) and the Excel copy's line
 * ends of derived.c, against expectations worked out by hand.
 *
 * The small table (fields name, age, score, day, flag):
 *   a, 10, 1.5, 2024-01-01, true
 *   b, 20, 2.5, 2024-01-03, false
 *   a,   , 3.5, 2024-01-02, true
 *   c, 40,    ,           , true
 *   a, 10, 0.5, 2024-01-05,
 * name: 5 values, 0 missing, 3 distinct; top a 3, b 1, c 1 (ties in order
 *   of first appearance).
 * age (integer, schema range 0..100): 4 values, 1 missing, 3 distinct,
 *   min 10, max 40. 101 whole values > 20, so bins of ceil(101/10) = 11:
 *   [0,11) holds 10, 10; [11,22) holds 20; [33,44) holds 40; 10 bins, the
 *   last "99–100".
 * score (number, no range): 4 values, min 0.5, max 3.5. The 64 fine bins
 *   start at 1.5 with width 2^-20; 2.5 needs 64 w > 1, so w doubles to
 *   2^-5 ([1.5, 3.5), lo stays 1.5, a multiple of every w); 3.5 is not
 *   below 3.5: w = 2^-4 ([1.5, 5.5)); 0.5 is below lo: w = 2^-3 and lo
 *   moves down 31 bins, lo = 1.5 - 3.875 = -2.375. Counted from 0 in units
 *   of 0.125 the values sit at 4, 12, 20 and 28: 25 bins > 16, so groups of
 *   2 aligned on 0: 13 bins of 0.25 from 0.5 to 3.75, each value opening
 *   every fourth bin.
 * day (date): 4 values, min 2024-01-01, max 2024-01-05; bins of one day:
 *   1,1,1,0,1, labels the single days.
 * flag (boolean): 4 values, 1 missing; top "true" 3, "false" 1.
 */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "derived.h"
#include "diag.h"
#include "harness.h"
#include "profile.h"
#include "schema.h"

static odc_schema *load(const char *text, json_t **fields)
{
	json_error_t e;
	json_t *j = json_loads(text, 0, &e);
	odc_diags d = ODC_DIAGS_INIT;
	odc_schema *s = NULL;
	if (!j || schema_load(&s, j, "t", "", &d) < 0) {
		th_check(0, "schema loads", "%s", j ? "schema_load failed" : e.text);
		diag_free(&d);
		json_decref(j);
		return NULL;
	}
	diag_free(&d);
	*fields = json_incref(json_object_get(j, "fields"));
	json_decref(j);
	return s;
}

/* Casts a row of cells (NULL-terminated list of n) and adds it. */
static void add_row(odc_profile *p, odc_schema *s, const char *const *cells, size_t n)
{
	odc_value v[8];
	odc_cell_error err;
	size_t i;
	for (i = 0; i < n; i++)
		if (schema_check_cell(s, i, cells[i], strlen(cells[i]), &v[i], &err) < 0)
			th_check(0, "test cell casts", "cell \"%s\" of field %zu: %s", cells[i], i, err.code);
	profile_add(p, v, n);
}

static const char *str(const json_t *o, const char *k)
{
	const char *s = json_string_value(json_object_get(o, k));
	return s ? s : "(absent)";
}

static long num(const json_t *o, const char *k)
{
	return (long)json_integer_value(json_object_get(o, k));
}

/* "label:count,label:count..." of a histogram. */
static char *bins_text(const json_t *col)
{
	odc_buf b = ODC_BUF_INIT;
	json_t *x;
	size_t i;
	json_array_foreach(json_object_get(json_object_get(col, "histogram"), "bins"), i, x)
		buf_printf(&b, "%s%s:%ld", i ? "," : "", str(x, "label"), num(x, "count"));
	return buf_detach(&b);
}

static char *top_text(const json_t *col)
{
	odc_buf b = ODC_BUF_INIT;
	json_t *x;
	size_t i;
	json_array_foreach(json_object_get(col, "top"), i, x)
		buf_printf(&b, "%s%s:%ld", i ? "," : "", str(x, "value"), num(x, "count"));
	return buf_detach(&b);
}

static void test_profile__small_table(void)
{
	json_t *fields = NULL, *r, *c;
	odc_schema *s = load("{\"fields\": ["
			     "{\"name\": \"name\", \"type\": \"string\"},"
			     "{\"name\": \"age\", \"type\": \"integer\", \"constraints\": {\"minimum\": 0, \"maximum\": 100}},"
			     "{\"name\": \"score\", \"type\": \"number\"},"
			     "{\"name\": \"day\", \"type\": \"date\"},"
			     "{\"name\": \"flag\", \"type\": \"boolean\"}]}",
			     &fields);
	static const char *const rows[5][5] = {{"a", "10", "1.5", "2024-01-01", "true"},
					      {"b", "20", "2.5", "2024-01-03", "false"},
					      {"a", "", "3.5", "2024-01-02", "true"},
					      {"c", "40", "", "", "true"},
					      {"a", "10", "0.5", "2024-01-05", ""}};
	odc_profile *p;
	char *t;
	size_t i;

	if (!s)
		return;
	p = profile_new(s, fields);
	for (i = 0; i < 5; i++)
		add_row(p, s, rows[i], 5);
	r = profile_result(p);
	TH_INT_EQ("profile: one entry per field", json_array_size(r), 5);

	c = json_array_get(r, 0);
	TH_STR_EQ("text column: kind", str(c, "kind"), "text");
	TH_INT_EQ("text column: count", num(c, "count"), 5);
	TH_INT_EQ("text column: missing", num(c, "missing"), 0);
	TH_INT_EQ("text column: distinct", num(c, "distinct"), 3);
	th_check(json_is_false(json_object_get(c, "distinct_capped")), "text column: not capped", "capped");
	t = top_text(c);
	TH_STR_EQ("text column: top values, ties by first appearance", t, "a:3,b:1,c:1");
	free(t);
	th_check(!json_object_get(c, "min") && !json_object_get(c, "histogram"), "text column: no min, no histogram", "present");

	c = json_array_get(r, 1);
	TH_STR_EQ("integer: kind", str(c, "kind"), "numeric");
	TH_INT_EQ("integer: count", num(c, "count"), 4);
	TH_INT_EQ("integer: missing", num(c, "missing"), 1);
	TH_INT_EQ("integer: distinct", num(c, "distinct"), 3);
	TH_STR_EQ("integer: min", str(c, "min"), "10");
	TH_STR_EQ("integer: max", str(c, "max"), "40");
	TH_STR_EQ("integer: bins from the schema", str(json_object_get(c, "histogram"), "source"), "schema");
	t = bins_text(c);
	TH_STR_EQ("integer: schema bins of 11 values", t,
		  "0–10:2,11–21:1,22–32:0,33–43:1,44–54:0,55–65:0,66–76:0,77–87:0,88–98:0,99–100:0");
	free(t);
	th_check(!json_object_get(c, "top"), "numeric column: no top values", "present");

	c = json_array_get(r, 2);
	TH_INT_EQ("number: count", num(c, "count"), 4);
	TH_INT_EQ("number: missing", num(c, "missing"), 1);
	TH_STR_EQ("number: min", str(c, "min"), "0.5");
	TH_STR_EQ("number: max", str(c, "max"), "3.5");
	TH_STR_EQ("number: bins from the data", str(json_object_get(c, "histogram"), "source"), "data");
	t = bins_text(c);
	TH_STR_EQ("number: 13 bins of 0.25", t,
		  "0.5–0.75:1,0.75–1:0,1–1.25:0,1.25–1.5:0,1.5–1.75:1,1.75–2:0,2–2.25:0,2.25–2.5:0,"
		  "2.5–2.75:1,2.75–3:0,3–3.25:0,3.25–3.5:0,3.5–3.75:1");
	free(t);

	c = json_array_get(r, 3);
	TH_STR_EQ("date: kind", str(c, "kind"), "date");
	TH_STR_EQ("date: min", str(c, "min"), "2024-01-01");
	TH_STR_EQ("date: max", str(c, "max"), "2024-01-05");
	t = bins_text(c);
	TH_STR_EQ("date: one bin per day", t, "2024-01-01:1,2024-01-02:1,2024-01-03:1,2024-01-04:0,2024-01-05:1");
	free(t);

	c = json_array_get(r, 4);
	TH_INT_EQ("boolean: count", num(c, "count"), 4);
	TH_INT_EQ("boolean: missing", num(c, "missing"), 1);
	TH_INT_EQ("boolean: distinct", num(c, "distinct"), 2);
	t = top_text(c);
	TH_STR_EQ("boolean: top values", t, "true:3,false:1");
	free(t);

	json_decref(r);
	profile_free(p);
	schema_free(s);
	json_decref(fields);
}

/* Exactly the cap is exact; one more distinct value is "10,000+", and the
 * most frequent value is still found (Space-Saving). */
static void test_profile__distinct_cap(void)
{
	json_t *fields = NULL, *r, *c;
	odc_schema *s = load("{\"fields\": [{\"name\": \"t\", \"type\": \"string\"},"
			     "{\"name\": \"n\", \"type\": \"integer\"}]}",
			     &fields);
	odc_profile *p, *q;
	char a[32], b[32];
	const char *row[2] = {a, b};
	int i;
	char *t;

	if (!s)
		return;
	p = profile_new(s, fields);
	q = profile_new(s, fields);
	for (i = 0; i < 12000; i++) {
		snprintf(a, sizeof(a), "v%d", i);
		snprintf(b, sizeof(b), "%d", i);
		add_row(p, s, row, 2);
		if (i < ODC_PROFILE_DISTINCT_CAP)
			add_row(q, s, row, 2);
	}
	for (i = 0; i < 5; i++) {
		snprintf(a, sizeof(a), "v5");
		snprintf(b, sizeof(b), "5");
		add_row(p, s, row, 2);
	}
	r = profile_result(q);
	c = json_array_get(r, 0);
	TH_INT_EQ("10,000 distinct: exact", num(c, "distinct"), 10000);
	th_check(json_is_false(json_object_get(c, "distinct_capped")), "10,000 distinct: not capped", "capped");
	json_decref(r);

	r = profile_result(p);
	c = json_array_get(r, 0);
	TH_INT_EQ("12,000 distinct text: count", num(c, "count"), 12005);
	TH_INT_EQ("12,000 distinct text: shown as the cap", num(c, "distinct"), 10000);
	th_check(json_is_true(json_object_get(c, "distinct_capped")), "12,000 distinct text: capped", "not capped");
	th_check(json_is_true(json_object_get(c, "top_approximate")), "past the cap: top counts approximate", "exact");
	t = top_text(c);
	th_check(!strncmp(t, "v5:6,", 5), "past the cap: the repeated value is first with 6", "top %s", t);
	TH_INT_EQ("past the cap: still 10 top values", json_array_size(json_object_get(c, "top")), 10);
	free(t);
	c = json_array_get(r, 1);
	TH_INT_EQ("12,000 distinct integers: shown as the cap", num(c, "distinct"), 10000);
	th_check(json_is_true(json_object_get(c, "distinct_capped")), "12,000 distinct integers: capped", "no");
	TH_STR_EQ("12,000 distinct integers: min", str(c, "min"), "0");
	TH_STR_EQ("12,000 distinct integers: max", str(c, "max"), "11999");
	{
		/* 0..11999 with 5 more 5s: 12005 values in the bins. */
		json_t *x;
		size_t k;
		long sum = 0;
		json_array_foreach(json_object_get(json_object_get(c, "histogram"), "bins"), k, x)
			sum += num(x, "count");
		TH_INT_EQ("histogram counts every value", sum, 12005);
		th_check(json_array_size(json_object_get(json_object_get(c, "histogram"), "bins")) <= ODC_PROFILE_BINS,
			 "at most ODC_PROFILE_BINS bins", "%zu bins",
			 json_array_size(json_object_get(json_object_get(c, "histogram"), "bins")));
	}
	json_decref(r);
	profile_free(p);
	profile_free(q);
	schema_free(s);
	json_decref(fields);
}

/* 100 columns share 640,000 entries: 6,400 each. 7,000 distinct values in
 * every column are then "6,400+"; 6,400 are exact. */
static void test_profile__wide_table(void)
{
	odc_buf sj = ODC_BUF_INIT;
	json_t *fields = NULL, *r;
	odc_schema *s;
	odc_profile *p;
	odc_value v[100];
	odc_cell_error err;
	char cell[16];
	int i, k, bad = 0;
	buf_puts(&sj, "{\"fields\": [");
	for (k = 0; k < 100; k++)
		buf_printf(&sj, "%s{\"name\": \"c%d\", \"type\": \"string\"}", k ? "," : "", k);
	buf_puts(&sj, "]}");
	s = load(sj.ptr, &fields);
	buf_free(&sj);
	if (!s)
		return;
	p = profile_new(s, fields);
	for (i = 0; i < 7000; i++) {
		snprintf(cell, sizeof(cell), "v%d", i);
		for (k = 0; k < 100; k++)
			if (schema_check_cell(s, (size_t)k, cell, strlen(cell), &v[k], &err) < 0)
				bad++;
		/* the last column stops at 6,400 distinct values */
		if (i >= 6400) {
			snprintf(cell, sizeof(cell), "v0");
			schema_check_cell(s, 99, cell, strlen(cell), &v[99], &err);
		}
		profile_add(p, v, 100);
	}
	TH_INT_EQ("wide table: cells cast", bad, 0);
	r = profile_result(p);
	TH_INT_EQ("wide table: 7,000 distinct shown as the shared cap", num(json_array_get(r, 0), "distinct"), 6400);
	th_check(json_is_true(json_object_get(json_array_get(r, 0), "distinct_capped")), "wide table: capped", "no");
	TH_INT_EQ("wide table: 6,400 distinct are exact", num(json_array_get(r, 99), "distinct"), 6400);
	th_check(json_is_false(json_object_get(json_array_get(r, 99), "distinct_capped")), "wide table: at the cap, exact",
		 "capped");
	json_decref(r);
	profile_free(p);
	schema_free(s);
	json_decref(fields);
}

/* Date bounds in the schema: 2024-01-01..2024-01-10 is 10 days, one bin
 * per day; a number range 0..1 gives 10 bins of 0.1, the last ending at 1. */
static void test_profile__schema_ranges(void)
{
	json_t *fields = NULL, *r;
	odc_schema *s = load("{\"fields\": ["
			     "{\"name\": \"d\", \"type\": \"date\", \"constraints\": {\"minimum\": \"2024-01-01\", \"maximum\": \"2024-01-10\"}},"
			     "{\"name\": \"x\", \"type\": \"number\", \"constraints\": {\"minimum\": 0, \"maximum\": 1}}]}",
			     &fields);
	static const char *const rows[3][2] = {{"2024-01-01", "0"}, {"2024-01-10", "1"}, {"2024-01-10", "0.55"}};
	odc_profile *p;
	char *t;
	size_t i;
	if (!s)
		return;
	p = profile_new(s, fields);
	for (i = 0; i < 3; i++)
		add_row(p, s, rows[i], 2);
	r = profile_result(p);
	t = bins_text(json_array_get(r, 0));
	TH_STR_EQ("date schema range: a bin per day", t,
		  "2024-01-01:1,2024-01-02:0,2024-01-03:0,2024-01-04:0,2024-01-05:0,2024-01-06:0,2024-01-07:0,"
		  "2024-01-08:0,2024-01-09:0,2024-01-10:2");
	free(t);
	t = bins_text(json_array_get(r, 1));
	TH_STR_EQ("number schema range: 10 bins, the maximum in the last", t,
		  "0–0.1:1,0.1–0.2:0,0.2–0.3:0,0.3–0.4:0,0.4–0.5:0,0.5–0.6:1,0.6–0.7:0,0.7–0.8:0,0.8–0.9:0,0.9–1:1");
	free(t);
	json_decref(r);
	profile_free(p);
	schema_free(s);
	json_decref(fields);
}

/* Values at the ends of the doubles, NaN and infinities: min and max of the
 * finite ones; no histogram, as equal bins cannot span them; no hang. */
static void test_profile__extreme_numbers(void)
{
	json_t *fields = NULL, *r, *c;
	odc_schema *s = load("{\"fields\": [{\"name\": \"x\", \"type\": \"number\"}]}", &fields);
	static const char *const cells[] = {"5", "1e308", "-1e308", "NaN", "INF", "-INF", "1e-300"};
	odc_profile *p;
	size_t i;
	if (!s)
		return;
	p = profile_new(s, fields);
	for (i = 0; i < sizeof(cells) / sizeof(cells[0]); i++)
		add_row(p, s, &cells[i], 1);
	r = profile_result(p);
	c = json_array_get(r, 0);
	TH_INT_EQ("extreme numbers: all counted", num(c, "count"), 7);
	TH_INT_EQ("extreme numbers: NaN and infinities are distinct values", num(c, "distinct"), 7);
	TH_STR_EQ("extreme numbers: min of the finite values", str(c, "min"), "-1e+308");
	TH_STR_EQ("extreme numbers: max of the finite values", str(c, "max"), "1e+308");
	th_check(!json_object_get(c, "histogram"), "extreme numbers: no histogram", "present");
	json_decref(r);
	profile_free(p);
	schema_free(s);
	json_decref(fields);
}

static void crlf_case(const char *name, const char *const *pieces, const char *want)
{
	derived_crlf st;
	odc_buf out = ODC_BUF_INIT;
	memset(&st, 0, sizeof(st));
	for (; *pieces; pieces++)
		derived_crlf_feed(&st, *pieces, strlen(*pieces), &out);
	derived_crlf_feed(&st, NULL, 0, &out);
	TH_STR_EQ(name, buf_cstr(&out), want);
	buf_free(&out);
}

static void test_derived__crlf(void)
{
	static const char *const lf[] = {"a,b\nc,d\n", NULL};
	static const char *const crlf_nolast[] = {"a,b\r\nc,d", NULL};
	static const char *const quoted[] = {"a,\"x\ny\"\rz\n", NULL};
	static const char *const split[] = {"a\r", "\nb", NULL};
	static const char *const doubled[] = {"\"he said \"\"hi\"\"\n\",2\n", NULL};
	static const char *const empty[] = {"", NULL};
	static const char *const blank[] = {"a\n\nb\n", NULL};
	static const char *const open_at_end[] = {"\"a\n", NULL};
	crlf_case("LF becomes CRLF", lf, "a,b\r\nc,d\r\n");
	crlf_case("a last record without a line end gets CRLF", crlf_nolast, "a,b\r\nc,d\r\n");
	crlf_case("LF inside quotes is kept, a bare CR becomes CRLF", quoted, "a,\"x\ny\"\r\nz\r\n");
	crlf_case("CRLF split between two pieces", split, "a\r\nb\r\n");
	crlf_case("doubled quotes keep the field quoted", doubled, "\"he said \"\"hi\"\"\n\",2\r\n");
	crlf_case("empty text stays empty", empty, "");
	crlf_case("blank lines are kept", blank, "a\r\n\r\nb\r\n");
	crlf_case("text ending inside quotes gets a CRLF after it", open_at_end, "\"a\n\r\n");
}

int main(void)
{
	test_profile__small_table();
	test_profile__distinct_cap();
	test_profile__schema_ranges();
	test_profile__extreme_numbers();
	test_profile__wide_table();
	test_derived__crlf();
	return th_summary();
}
