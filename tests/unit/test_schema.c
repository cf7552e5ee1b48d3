/*
 * test_schema.c — schema.c against the Table Schema v2 rules
 * (../shared/docs/tableschema.md §3–5), with every expectation worked out by
 * hand: each type and format with valid and invalid values, each
 * constraint passing and failing, missing values, keys and the canonical
 * key text, and the diagnostics of broken schemas.
 *
 * Day numbers used below (days since 1970-01-01): 2024-01-01 = 19723
 * (54 years, 13 of them leap), 2024-02-29 = 19723 + 31 + 28 = 19782,
 * 2024-04-01 = 19723 + 31 + 29 + 31 = 19814; 2024-01-01T00:00:00Z =
 * 19723 * 86400 = 1704067200.
 */
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "buf.h"
#include "diag.h"
#include "harness.h"
#include "schema.h"

#define FILE_NAME "datasets/t/datapackage.json"
#define PTR "/resources/0/schema"

/*====================================================================
 * Helpers
 *====================================================================*/

/* Loads a schema from JSON text; diagnostics go to d (may be NULL: then
 * any diagnostic fails the check named name). */
static odc_schema *load_into(const char *name, const char *text, odc_diags *d, int want_rc)
{
	json_error_t e;
	json_t *j = json_loads(text, JSON_DECODE_ANY, &e);
	odc_schema *s = NULL;
	odc_diags own = ODC_DIAGS_INIT;
	int rc;
	if (!j) {
		th_check(0, name, "test JSON does not parse: %s", e.text);
		return NULL;
	}
	rc = schema_load(&s, j, FILE_NAME, PTR, d ? d : &own);
	json_decref(j);
	if (!d && own.n) {
		th_check(0, name, "unexpected diagnostic: %s [%s]", own.items[0].message,
			 own.items[0].code);
	} else
		th_check(rc == want_rc && (rc == 0) == (s != NULL), name, "schema_load returned %d",
			 rc);
	diag_free(&own);
	return s;
}

/* A schema with one field "x" with the given extra properties (JSON
 * members, without braces). */
static odc_schema *one(const char *props)
{
	char text[4096], name[4200];
	snprintf(text, sizeof(text), "{\"fields\":[{\"name\":\"x\"%s%s}]}", *props ? "," : "",
		 props);
	snprintf(name, sizeof(name), "load {%s}", props);
	return load_into(name, text, NULL, 0);
}

/* want: "ok", "missing", "type", or a constraint's name. */
static void cell(odc_schema *s, const char *props, const char *c, size_t len, const char *want)
{
	odc_value v;
	odc_cell_error e;
	char name[600];
	int rc;
	snprintf(name, sizeof(name), "{%s} \"%.*s\" -> %s", props, (int)len, c, want);
	if (!s) {
		th_check(0, name, "no schema");
		return;
	}
	{
		/* an exact-size copy without a NUL: ASan sees any read past the end */
		char *exact = malloc(len ? len : 1);
		memcpy(exact, c, len);
		rc = schema_check_cell(s, 0, exact, len, &v, &e);
		free(exact);
	}
	if (!strcmp(want, "ok"))
		th_check(rc == 0 && !v.missing, name, "rc %d missing %d (%s %s: %s)", rc, v.missing,
			 e.code ? e.code : "", e.constraint ? e.constraint : "", e.expected);
	else if (!strcmp(want, "missing"))
		th_check(rc == 0 && v.missing, name, "rc %d missing %d", rc, v.missing);
	else if (!strcmp(want, "type"))
		th_check(rc == -1 && e.code && !strcmp(e.code, "type-error") && !e.constraint, name,
			 "rc %d code %s", rc, rc ? e.code : "(none)");
	else
		th_check(rc == -1 && e.code && !strcmp(e.code, "constraint-error") &&
				 e.constraint && !strcmp(e.constraint, want),
			 name, "rc %d code %s constraint %s", rc, rc ? e.code : "(none)",
			 rc && e.constraint ? e.constraint : "(none)");
}

/* Runs a list of cells (NULL-terminated pairs cell, want) on one schema. */
static void cells(const char *props, const char *const *list)
{
	odc_schema *s = one(props);
	size_t k;
	for (k = 0; list[k]; k += 2)
		cell(s, props, list[k], strlen(list[k]), list[k + 1]);
	schema_free(s);
}
#define CELLS(props, ...)                                      \
	do {                                                   \
		static const char *const l_[] = {__VA_ARGS__, NULL}; \
		cells(props, l_);                              \
	} while (0)

/* Casts c with the one-field schema props and returns the value (rc in *rc). */
static odc_value value_of(const char *props, const char *c, int *rc)
{
	odc_schema *s = one(props);
	odc_value v;
	odc_cell_error e;
	memset(&v, 0, sizeof(v));
	*rc = -2;
	if (s)
		*rc = schema_check_cell(s, 0, c, strlen(c), &v, &e);
	schema_free(s);
	v.str = NULL; /* lent from c, which the caller owns: not used after */
	return v;
}

static void int_value(const char *props, const char *c, long long want)
{
	int rc;
	odc_value v = value_of(props, c, &rc);
	char name[600];
	snprintf(name, sizeof(name), "value {%s} \"%s\" = %lld", props, c, want);
	th_check(rc == 0 && v.i == want, name, "rc %d, got %lld", rc, v.i);
}

static void num_value(const char *props, const char *c, double want)
{
	int rc;
	odc_value v = value_of(props, c, &rc);
	char name[600];
	snprintf(name, sizeof(name), "value {%s} \"%s\" = %.17g", props, c, want);
	th_check(rc == 0 && (v.num == want || (isnan(want) && isnan(v.num))), name,
		 "rc %d, got %.17g", rc, v.num);
}

/* The canonical key of c cast with props. */
static void key_is(const char *props, const char *c, const char *want)
{
	odc_schema *s = one(props);
	odc_value v;
	odc_cell_error e;
	odc_buf b = ODC_BUF_INIT;
	char name[600];
	int rc = -2;
	snprintf(name, sizeof(name), "key {%s} \"%s\" = \"%s\"", props, c, want);
	if (s) {
		rc = schema_check_cell(s, 0, c, strlen(c), &v, &e);
		if (rc == 0)
			schema_value_key(&v, &b);
	}
	th_check(rc == 0 && b.len == strlen(want) && !memcmp(buf_cstr(&b), want, b.len), name,
		 "rc %d, got \"%s\"", rc, buf_cstr(&b));
	buf_free(&b);
	schema_free(s);
}

/* A diagnostic with this code and exactly this message is in d. */
static void has_diag(const char *name, const odc_diags *d, odc_severity sev, const char *code,
		     const char *message)
{
	size_t k;
	for (k = 0; k < d->n; k++)
		if (d->items[k].sev == sev && !strcmp(d->items[k].code, code) &&
		    !strcmp(d->items[k].message, message) && d->items[k].file &&
		    !strcmp(d->items[k].file, FILE_NAME))
			break;
	if (!th_check(k < d->n, name, "no %s \"%s\" among %zu diagnostics", code, message, d->n))
		for (k = 0; k < d->n; k++)
			printf("  have: %s [%s]\n", d->items[k].message, d->items[k].code);
}

/* Loads text expecting want_rc and exactly one diagnostic (code, message). */
static odc_schema *bad_schema(const char *name, const char *text, int want_rc, odc_severity sev,
			      const char *code, const char *message)
{
	odc_diags d = ODC_DIAGS_INIT;
	odc_schema *s = load_into(name, text, &d, want_rc);
	has_diag(name, &d, sev, code, message);
	th_check(d.n == 1, name, "%zu diagnostics, want 1", d.n);
	diag_free(&d);
	return s;
}

/*====================================================================
 * Types and formats
 *====================================================================*/

static void test_schema__string(void)
{
	CELLS("\"type\":\"string\"", "anything", "ok", "川崎市", "ok", " ", "ok");
	CELLS("\"type\":\"string\",\"format\":\"email\"", "a@example.jp", "ok",
	      "first.last+tag@mail.city.kawasaki.jp", "ok", "a@b", "type", "a b@c.jp", "type",
	      "@example.jp", "type", "a@@example.jp", "type", "a@example..jp", "type",
	      "a@example.jp.", "type", "plain", "type");
	CELLS("\"type\":\"string\",\"format\":\"uri\"", "https://example.jp/a?b=1#c", "ok",
	      "urn:isbn:4-00-000000-0", "ok", "mailto:a@example.jp", "ok",
	      "https://ja.wikipedia.org/wiki/川崎市", "ok", "example.jp", "type", "http://a b",
	      "type", "1http://x", "type", "https:", "type", "http://x/<y>", "type");
	CELLS("\"type\":\"string\",\"format\":\"uuid\"", "123e4567-e89b-12d3-a456-426614174000",
	      "ok", "123E4567-E89B-12D3-A456-426614174000", "ok",
	      "123e4567e89b12d3a456426614174000", "type", "123e4567-e89b-12d3-a456-42661417400g",
	      "type", "123e4567-e89b-12d3-a456-4266141740000", "type");
	CELLS("\"type\":\"string\",\"format\":\"binary\"", "aGVsbG8=", "ok", "aGk=", "ok",
	      "YQ==", "ok", "aGVsbG8", "type", "aGV*bG8=", "type", "Y===", "type",
	      "aGk=aGk=", "type");
	CELLS("\"type\":\"string\",\"format\":\"fmt:email\"", "a@example.jp", "ok", "x", "type");
}

static void test_schema__number(void)
{
	CELLS("\"type\":\"number\"", "1e3", "ok", "-1.5E-3", "ok", "+2", "ok", ".5", "ok", "5.",
	      "ok", "NaN", "ok", "nan", "ok", "INF", "ok", "-INF", "ok", "+inf", "ok", "Infinity",
	      "ok", " 42 ", "ok", "1,000", "type", "€95", "type", "95%", "type", "1.2.3", "type",
	      "abc", "type", "1e", "type", "+", "type", ".", "type", "0x10", "type", "1_000",
	      "type", "-NaN", "type", "１２", "type");
	CELLS("\"type\":\"number\",\"groupChar\":\",\"", "1,000", "ok", "1,000,000.5", "ok", ",5",
	      "type");
	CELLS("\"type\":\"number\",\"bareNumber\":false", "€95", "ok", "95%", "ok", "$ -1.5 USD",
	      "ok", "円", "type", "NaN", "ok");
	CELLS("\"type\":\"number\",\"decimalChar\":\",\"", "1,5", "ok", "1.5", "type");
	CELLS("\"type\":\"number\",\"decimalChar\":\",\",\"groupChar\":\".\"", "1.234,5", "ok",
	      "1,234.5", "type");
	CELLS("\"type\":\"number\",\"decimalChar\":\",\",\"groupChar\":\" \"", "1 234 567,25",
	      "ok");
	num_value("\"type\":\"number\"", "1e3", 1000);
	num_value("\"type\":\"number\"", "-1.5E-3", -0.0015);
	num_value("\"type\":\"number\"", "0.1", 0.1);
	num_value("\"type\":\"number\"", "35.5308", 35.5308);
	num_value("\"type\":\"number\"", "3.14159265358979323846264338327950288",
		  3.14159265358979323846);
	num_value("\"type\":\"number\"", "12345678901234567890123", 12345678901234567890123.0);
	num_value("\"type\":\"number\"", "1e-400", 0);
	num_value("\"type\":\"number\"", "1e400", INFINITY);
	num_value("\"type\":\"number\"", "-inf", -INFINITY);
	num_value("\"type\":\"number\"", "NaN", NAN);
	num_value("\"type\":\"number\",\"groupChar\":\",\"", "1,000,000.5", 1000000.5);
	num_value("\"type\":\"number\",\"bareNumber\":false", "€95", 95);
	num_value("\"type\":\"number\",\"bareNumber\":false", "$ -1.5 USD", -1.5);
	num_value("\"type\":\"number\",\"decimalChar\":\",\",\"groupChar\":\".\"", "1.234,5",
		  1234.5);
}

static void test_schema__integer(void)
{
	CELLS("\"type\":\"integer\"", "42", "ok", "-7", "ok", "+7", "ok", "007", "ok", " 5 ", "ok",
	      "9223372036854775807", "ok", "-9223372036854775808", "ok", "9223372036854775808",
	      "type", "-9223372036854775809", "type", "1.0", "type", "1e3", "type", "1,000", "type",
	      "ten", "type", "-", "type", "", "missing");
	CELLS("\"type\":\"integer\",\"groupChar\":\",\"", "1,000,000", "ok", "1.0", "type");
	CELLS("\"type\":\"integer\",\"bareNumber\":false", "第3号", "ok", "95%", "ok", "1.5%",
	      "type");
	int_value("\"type\":\"integer\"", "-9223372036854775808", -9223372036854775807LL - 1);
	int_value("\"type\":\"integer\"", "007", 7);
	int_value("\"type\":\"integer\",\"groupChar\":\",\"", "1,000,000", 1000000);
	int_value("\"type\":\"integer\",\"bareNumber\":false", "第3号", 3);
}

static void test_schema__boolean(void)
{
	CELLS("\"type\":\"boolean\"", "true", "ok", "True", "ok", "TRUE", "ok", "1", "ok", "false",
	      "ok", "False", "ok", "FALSE", "ok", "0", "ok", "yes", "type", " true", "type", "tRuE",
	      "type");
	CELLS("\"type\":\"boolean\",\"trueValues\":[\"有\"],\"falseValues\":[\"無\"]", "有", "ok",
	      "無", "ok", "true", "type", "0", "type");
	CELLS("\"type\":\"boolean\",\"trueValues\":[\"y\"]", "y", "ok", "true", "type", "false",
	      "ok");
	int_value("\"type\":\"boolean\"", "TRUE", 1);
	int_value("\"type\":\"boolean\"", "0", 0);
	int_value("\"type\":\"boolean\",\"trueValues\":[\"有\"],\"falseValues\":[\"無\"]", "有", 1);
}

static void test_schema__date(void)
{
	CELLS("\"type\":\"date\"", "2024-02-29", "ok", "2023-02-29", "type", "2024-02-30", "type",
	      "2000-02-29", "ok", "1900-02-29", "type", "2024-13-01", "type", "2024-00-10", "type",
	      "2024-04-31", "type", "2024-4-1", "type", "05/03/2024", "type", "2024-04-01T00:00:00",
	      "type", "0000-01-01", "type", " 2024-04-01", "type", "２０２４-04-01", "type");
	int_value("\"type\":\"date\"", "2024-02-29", 19782);
	int_value("\"type\":\"date\"", "1970-01-01", 0);
	int_value("\"type\":\"date\"", "1969-12-31", -1);
	CELLS("\"type\":\"date\",\"format\":\"%Y年%m月%d日\"", "2024年4月1日", "ok",
	      "2024年04月01日", "ok", "２０２４年４月１日", "ok", "2024年4月31日", "type",
	      "2024-04-01", "type", "2024年4月1", "type");
	int_value("\"type\":\"date\",\"format\":\"%Y年%m月%d日\"", "2024年4月1日", 19814);
	int_value("\"type\":\"date\",\"format\":\"%Y年%m月%d日\"", "２０２４年４月１日", 19814);
	CELLS("\"type\":\"date\",\"format\":\"%d/%m/%Y\"", "1/4/2024", "ok", "01/04/2024", "ok",
	      "32/1/2024", "type", "1/13/2024", "type");
	int_value("\"type\":\"date\",\"format\":\"%d/%m/%Y\"", "1/4/2024", 19814);
	int_value("\"type\":\"date\",\"format\":\"%Y%m%d\"", "20240401", 19814);
	/* %m tries "13" (invalid), then "1"; %d takes "31": 2024-01-31 */
	int_value("\"type\":\"date\",\"format\":\"%m%d%Y\"", "1312024", 19753);
	int_value("\"type\":\"date\",\"format\":\"%b %d, %Y\"", "Apr 1, 2024", 19814);
	int_value("\"type\":\"date\",\"format\":\"%b %d, %Y\"", "apr 01,   2024", 19814);
	int_value("\"type\":\"date\",\"format\":\"%B %e %Y\"", "April  1 2024", 19814);
	int_value("\"type\":\"date\",\"format\":\"%Y-%j\"", "2024-092", 19814);
	int_value("\"type\":\"date\",\"format\":\"%y/%m/%d\"", "24/4/1", 19814);
	int_value("\"type\":\"date\",\"format\":\"%y/%m/%d\"", "69/1/1", -365);
	int_value("\"type\":\"date\",\"format\":\"%F\"", "2024-04-01", 19814);
	int_value("\"type\":\"date\",\"format\":\"%a %Y-%m-%d\"", "Mon 2024-04-01", 19814);
	CELLS("\"type\":\"date\",\"format\":\"%Y-%j\"", "2023-366", "type", "2024-366", "ok");
	CELLS("\"type\":\"date\",\"format\":\"%Y 100%%\"", "2024 100%", "ok", "2024 100", "type");
	CELLS("\"type\":\"date\",\"format\":\"any\"", "2024-04-01", "ok", "2024/4/1", "ok",
	      "2024.04.01", "ok", "20240401", "ok", "2024年4月1日", "ok", "令和6年4月1日", "ok",
	      "令和元年5月1日", "ok", "R6.4.1", "ok", "H31/4/30", "ok", "2024-04-01 10:00", "ok",
	      "2024-04-01T10:00:00Z", "ok", "4/1/2024", "type", "2024/4-1", "type",
	      "令和6年13月1日", "type", "2024/2/30", "type", "yesterday", "type", "202404011",
	      "type");
	int_value("\"type\":\"date\",\"format\":\"any\"", "令和6年4月1日", 19814);
	int_value("\"type\":\"date\",\"format\":\"any\"", "R6.4.1", 19814);
	CELLS("\"type\":\"date\",\"format\":\"any\"", "２０２４／4／1",
	      "type"); /* full-width slash: not a separator */
	/* 2019-01-01 = 17897 (49 years, 12 leap); 2019-05-01 = 17897 + 120 */
	int_value("\"type\":\"date\",\"format\":\"any\"", "令和元年5月1日", 18017);
	int_value("\"type\":\"date\",\"format\":\"any\"", "平成31年4月30日", 18016);
	int_value("\"type\":\"date\",\"format\":\"any\"", "H31/4/30", 18016);
}

static void test_schema__time(void)
{
	CELLS("\"type\":\"time\"", "12:30:15", "ok", "00:00:00", "ok", "23:59:59", "ok", "24:00:00",
	      "type", "12:60:00", "type", "12:00:60", "type", "12:30", "type", "9:30:00", "type",
	      "12:30:15.5", "ok", "12:30:15Z", "ok", "12:30:15+09:00", "ok", "12:30:15+0900",
	      "type", "12:30:15.", "type");
	int_value("\"type\":\"time\"", "12:30:15", 45015);
	int_value("\"type\":\"time\"", "09:00:00+09:00", 0);
	int_value("\"type\":\"time\"", "01:00:00+09:00", 16 * 3600);
	num_value("\"type\":\"time\"", "12:30:15.25", 0.25);
	CELLS("\"type\":\"time\",\"format\":\"%H時%M分\"", "9時5分", "ok", "09時05分", "ok",
	      "24時0分", "type");
	int_value("\"type\":\"time\",\"format\":\"%H時%M分\"", "9時5分", 32700);
	CELLS("\"type\":\"time\",\"format\":\"%I:%M %p\"", "9:30 PM", "ok", "12:00 am", "ok",
	      "13:00 PM", "type", "0:30 AM", "type", "9:30 午後", "ok");
	int_value("\"type\":\"time\",\"format\":\"%I:%M %p\"", "9:30 PM", 77400);
	int_value("\"type\":\"time\",\"format\":\"%I:%M %p\"", "12:00 AM", 0);
	int_value("\"type\":\"time\",\"format\":\"%I:%M %p\"", "12:15 PM", 12 * 3600 + 900);
	int_value("\"type\":\"time\",\"format\":\"%T\"", "23:59:58", 86398);
	num_value("\"type\":\"time\",\"format\":\"%H:%M:%S.%f\"", "10:00:00.125", 0.125);
	CELLS("\"type\":\"time\",\"format\":\"any\"", "9:30", "ok", "09:30:15", "ok", "9時30分",
	      "ok", "午後1時30分", "ok", "9:30 pm", "ok", "9時", "ok", "25:00", "type", "9", "type",
	      "9:3", "type", "13:00 PM", "type");
	int_value("\"type\":\"time\",\"format\":\"any\"", "9:30", 34200);
	int_value("\"type\":\"time\",\"format\":\"any\"", "午後1時30分", 48600);
	int_value("\"type\":\"time\",\"format\":\"any\"", "9:30 pm", 77400);
	int_value("\"type\":\"time\",\"format\":\"any\"", "１０：００", 36000);
}

static void test_schema__datetime(void)
{
	CELLS("\"type\":\"datetime\"", "2024-01-01T00:00:00Z", "ok", "2024-01-01T09:00:00+09:00",
	      "ok", "2024-01-01T00:00:00", "ok", "2024-01-01T00:00:00.123-05:00", "ok",
	      "2024-01-01 00:00:00", "type", "2024-01-01T00:00", "type", "2024-01-01T00:00:00+0900",
	      "type", "2024-02-30T00:00:00", "type", "2024-01-01T24:00:00", "type", "2024-01-01",
	      "type", "2024-01-01T00:00:00+09:00x", "type");
	int_value("\"type\":\"datetime\"", "2024-01-01T00:00:00Z", 1704067200);
	int_value("\"type\":\"datetime\"", "2024-01-01T09:00:00+09:00", 1704067200);
	int_value("\"type\":\"datetime\"", "2023-12-31T19:00:00-05:00", 1704067200);
	int_value("\"type\":\"datetime\"", "2024-01-01T00:00:00.123-05:00", 1704085200);
	num_value("\"type\":\"datetime\"", "2024-01-01T00:00:00.5Z", 0.5);
	int_value("\"type\":\"datetime\",\"format\":\"%Y/%m/%d %H:%M\"", "2024/1/1 9:05",
		  1704067200 + 9 * 3600 + 300);
	int_value("\"type\":\"datetime\",\"format\":\"%Y-%m-%dT%H:%M:%S%z\"",
		  "2024-01-01T09:00:00+0900", 1704067200);
	int_value("\"type\":\"datetime\",\"format\":\"%Y-%m-%dT%H:%M:%S%z\"",
		  "2024-01-01T00:00:00Z", 1704067200);
	CELLS("\"type\":\"datetime\",\"format\":\"%Y/%m/%d %H:%M\"", "2024/1/1   9:05", "ok",
	      "2024/1/19:05", "type");
	CELLS("\"type\":\"datetime\",\"format\":\"any\"", "2024-01-01 09:00", "ok", "2024/1/1",
	      "ok", "2024年1月1日 9時0分", "ok", "2024-01-01T09:00:00+09:00", "ok",
	      "2024/1/1 25:00", "type", "2024-01-01 09:00 x", "type");
	int_value("\"type\":\"datetime\",\"format\":\"any\"", "2024-01-01 09:00",
		  1704067200 + 9 * 3600);
	int_value("\"type\":\"datetime\",\"format\":\"any\"", "2024年1月1日 9時0分",
		  1704067200 + 9 * 3600);
	int_value("\"type\":\"datetime\",\"format\":\"any\"", "2024年1月1日午前9時",
		  1704067200 + 9 * 3600);
	int_value("\"type\":\"datetime\",\"format\":\"any\"", "2024/1/1", 1704067200);
}

static void test_schema__year_yearmonth_duration(void)
{
	CELLS("\"type\":\"year\"", "2024", "ok", "0000", "ok", "24", "type", "20245", "type",
	      "-2024", "type", "2024 ", "type", "２０２４", "type");
	int_value("\"type\":\"year\"", "2024", 2024);
	CELLS("\"type\":\"yearmonth\"", "2024-04", "ok", "2024-12", "ok", "2024-4", "type",
	      "2024-13", "type", "2024-00", "type", "2024/04", "type", "2024-04-01", "type");
	int_value("\"type\":\"yearmonth\"", "2024-04", 2024 * 12 + 3);
	CELLS("\"type\":\"duration\"", "P1Y2M3DT4H5M6.5S", "ok", "P1D", "ok", "PT1.5S", "ok",
	      "PT0S", "ok", "P2W", "ok", "-P1D", "ok", "P", "type", "PT", "type", "P1DT", "type",
	      "P1.5D", "type", "P1M2Y", "type", "P1Y1Y", "type", "1D", "type", "P1W2D", "type",
	      "PT1.S", "type", "P-1D", "type", "PT1H2H", "type", "pt1h", "type");
	num_value("\"type\":\"duration\"", "P1Y2M3DT4H5M6.5S",
		  365.0 * 86400 + 60.0 * 86400 + 3 * 86400 + 4 * 3600 + 5 * 60 + 6.5);
	num_value("\"type\":\"duration\"", "PT1M", 60);
	num_value("\"type\":\"duration\"", "P1M", 30.0 * 86400);
	num_value("\"type\":\"duration\"", "P2W", 14.0 * 86400);
	num_value("\"type\":\"duration\"", "-P1D", -86400);
}

static void test_schema__geo(void)
{
	int rc;
	odc_value v;
	CELLS("\"type\":\"geopoint\"", "139.7, 35.5", "ok", "139.7,35.5", "ok", " 139.7 , 35.5 ",
	      "ok", "-180, -90", "ok", "180,90", "ok", "200, 35", "type", "139.7, 95", "type",
	      "139.7", "type", "a, b", "type", "NaN, 0", "type", "1, 2, 3", "type", "[139.7, 35.5]",
	      "type");
	v = value_of("\"type\":\"geopoint\"", "139.7, 35.5", &rc);
	th_check(rc == 0 && v.lon == 139.7 && v.lat == 35.5,
		 "geopoint \"139.7, 35.5\" gives lon 139.7, lat 35.5", "rc %d lon %g lat %g", rc,
		 v.lon, v.lat);
	CELLS("\"type\":\"geopoint\",\"format\":\"array\"", "[139.7, 35.5]", "ok", "[139.7,35.5",
	      "type", "139.7, 35.5", "type", "[200, 0]", "type");
	CELLS("\"type\":\"geopoint\",\"format\":\"object\"", "{\"lon\": 139.7, \"lat\": 35.5}",
	      "ok", "{\"lat\":35.5,\"lon\":139.7}", "ok", "{\"lon\":1}", "type",
	      "{\"lon\":1,\"lon\":2}", "type", "{\"lon\":1,\"lat\":2,\"x\":3}", "type",
	      "{\"lon\":1,\"lat\":100}", "type");
	v = value_of("\"type\":\"geopoint\",\"format\":\"object\"", "{\"lat\":35.5,\"lon\":139.7}",
		     &rc);
	th_check(rc == 0 && v.lon == 139.7 && v.lat == 35.5, "geopoint object in lat, lon order",
		 "rc %d lon %g lat %g", rc, v.lon, v.lat);
	CELLS("\"type\":\"geojson\"", "{\"type\":\"Point\",\"coordinates\":[139.7,35.5]}", "ok",
	      "{\"type\":\"LineString\",\"coordinates\":[[0,0],[1,1]]}", "ok",
	      "{\"type\":\"Polygon\",\"coordinates\":[[[0,0],[1,0],[1,1],[0,0]]]}", "ok",
	      "{\"type\":\"MultiPolygon\",\"coordinates\":[[[[0,0],[1,0],[1,1],[0,0]]]]}", "ok",
	      "{\"type\":\"Feature\",\"geometry\":null,\"properties\":null}", "ok",
	      "{\"type\":\"FeatureCollection\",\"features\":[{\"type\":\"Feature\",\"properties\":{"
	      "\"n\":1},"
	      "\"geometry\":{\"type\":\"Point\",\"coordinates\":[1,2]}}]}",
	      "ok",
	      "{\"type\":\"GeometryCollection\",\"geometries\":[{\"type\":\"Point\","
	      "\"coordinates\":[1,2]}]}",
	      "ok", "{\"type\":\"Circle\"}", "type", "{\"type\":\"Point\",\"coordinates\":[1]}",
	      "type", "{\"type\":\"Point\",\"coordinates\":[\"1\",2]}", "type",
	      "{\"type\":\"LineString\",\"coordinates\":[[0,0]]}", "type",
	      "{\"type\":\"Polygon\",\"coordinates\":[[[0,0],[1,0],[0,0]]]}", "type",
	      "{\"type\":\"Feature\",\"geometry\":null}", "type", "[1]", "type", "{", "type", "",
	      "missing");
	CELLS("\"type\":\"geojson\",\"format\":\"topojson\"",
	      "{\"type\":\"Topology\",\"objects\":{},\"arcs\":[]}", "ok",
	      "{\"type\":\"Point\",\"coordinates\":[1,2]}", "type", "{\"type\":\"Topology\"}",
	      "type");
}

static void test_schema__json_list_any(void)
{
	char deep[5000];
	size_t k;
	CELLS("\"type\":\"object\"", "{\"a\":1}", "ok", "{}", "ok", "[1]", "type", "{", "type",
	      "\"x\"", "type", "1", "type");
	CELLS("\"type\":\"array\"", "[1,2]", "ok", "[]", "ok", "{}", "type", "[1,", "type");
	/* 2400 nested arrays: beyond Jansson's depth limit, a type error, no crash */
	for (k = 0; k < 2400; k++)
		deep[k] = '[';
	for (k = 0; k < 2400; k++)
		deep[2400 + k] = ']';
	deep[4800] = '\0';
	{
		odc_schema *s = one("\"type\":\"array\"");
		cell(s, "deep nesting", deep, strlen(deep), "type");
		schema_free(s);
	}
	CELLS("\"type\":\"list\",\"itemType\":\"integer\"", "1,2,3", "ok", "7", "ok", "1,x", "type",
	      "1,,2", "type", "1, 2", "ok");
	int_value("\"type\":\"list\",\"itemType\":\"integer\"", "1,2,3", 3);
	CELLS("\"type\":\"list\"", "a,b", "ok", "a,,b", "ok");
	CELLS("\"type\":\"list\",\"delimiter\":\";\",\"itemType\":\"date\"",
	      "2024-04-01;2024-04-02", "ok", "2024-04-01,2024-04-02", "type");
	CELLS("\"type\":\"list\",\"delimiter\":\" / \",\"itemType\":\"boolean\"", "true / 0", "ok",
	      "true/0", "type");
	int_value("\"type\":\"list\",\"delimiter\":\" / \",\"itemType\":\"boolean\"",
		  "true / 0 / 1", 3);
	CELLS("\"type\":\"list\",\"itemType\":\"integer\",\"missingValues\":[]", "", "type");
	CELLS("\"type\":\"any\"", "anything", "ok", "", "missing", "\xff", "ok");
	CELLS("", "anything", "ok", "12", "ok");
	{
		odc_schema *s = one("");
		th_check(s && schema_field_type(s, 0) == ODC_T_ANY &&
				 !strcmp(schema_type_name(ODC_T_ANY), "any"),
			 "a field without type is type any", "type %d",
			 s ? (int)schema_field_type(s, 0) : -1);
		schema_free(s);
	}
}

/*====================================================================
 * Constraints
 *====================================================================*/

static void test_schema__constraints(void)
{
	clock_t t0;
	char catastrophic[64];
	odc_schema *s;
	odc_value v;
	odc_cell_error e;
	int rc;

	CELLS("\"type\":\"string\",\"constraints\":{\"required\":true}", "", "required", "x", "ok");
	CELLS("\"type\":\"integer\",\"constraints\":{\"required\":false}", "", "missing");
	/* characters, not bytes: 川崎 is 6 bytes, 2 characters */
	CELLS("\"type\":\"string\",\"constraints\":{\"minLength\":3}", "川崎市", "ok", "川崎",
	      "minLength", "abc", "ok", "", "missing");
	CELLS("\"type\":\"string\",\"constraints\":{\"maxLength\":2}", "川崎", "ok", "川崎市",
	      "maxLength");
	CELLS("\"type\":\"list\",\"constraints\":{\"minLength\":2,\"maxLength\":3}", "a,b", "ok",
	      "a", "minLength", "a,b,c,d", "maxLength");
	CELLS("\"type\":\"array\",\"constraints\":{\"minLength\":2}", "[1,2]", "ok", "[1]",
	      "minLength");
	CELLS("\"type\":\"object\",\"constraints\":{\"maxLength\":1}", "{\"a\":1}", "ok",
	      "{\"a\":1,\"b\":2}", "maxLength");
	CELLS("\"type\":\"integer\",\"constraints\":{\"minimum\":0,\"maximum\":10}", "0", "ok",
	      "10", "ok", "-1", "minimum", "11", "maximum", "x", "type");
	CELLS("\"type\":\"integer\",\"constraints\":{\"minimum\":\"5\"}", "5", "ok", "4",
	      "minimum");
	CELLS("\"type\":\"integer\",\"constraints\":{\"exclusiveMinimum\":0,\"exclusiveMaximum\":"
	      "3}",
	      "0", "exclusiveMinimum", "1", "ok", "2", "ok", "3", "exclusiveMaximum");
	CELLS("\"type\":\"number\",\"constraints\":{\"exclusiveMaximum\":1.5,\"minimum\":-1}",
	      "1.5", "exclusiveMaximum", "1.49", "ok", "-1", "ok", "-1.01", "minimum", "NaN",
	      "minimum", "INF", "exclusiveMaximum", "-INF", "minimum");
	CELLS("\"type\":\"number\",\"constraints\":{\"minimum\":20,\"maximum\":46}", "35.5", "ok",
	      "19.9", "minimum", "46.0", "ok", "46.01", "maximum");
	CELLS("\"type\":\"date\",\"constraints\":{\"minimum\":\"2024-01-01\",\"maximum\":\"2024-12-"
	      "31\"}",
	      "2024-01-01", "ok", "2023-12-31", "minimum", "2025-01-01", "maximum");
	CELLS("\"type\":\"date\",\"format\":\"%Y/%m/%d\",\"constraints\":{\"minimum\":\"2024/01/"
	      "01\"}",
	      "2024/1/1", "ok", "2023/12/31", "minimum");
	CELLS("\"type\":\"time\",\"constraints\":{\"maximum\":\"12:00:00\"}", "12:00:00", "ok",
	      "12:00:01", "maximum");
	CELLS("\"type\":\"time\",\"constraints\":{\"maximum\":\"12:00:00\"}", "12:00:00.5",
	      "maximum");
	CELLS("\"type\":\"datetime\",\"constraints\":{\"minimum\":\"2024-01-01T00:00:00Z\"}",
	      "2024-01-01T09:00:00+09:00", "ok", "2024-01-01T08:59:59+09:00", "minimum");
	CELLS("\"type\":\"year\",\"constraints\":{\"minimum\":2000,\"maximum\":\"2030\"}", "2000",
	      "ok", "1999", "minimum", "2031", "maximum");
	CELLS("\"type\":\"yearmonth\",\"constraints\":{\"maximum\":\"2024-12\"}", "2024-12", "ok",
	      "2025-01", "maximum");
	CELLS("\"type\":\"duration\",\"constraints\":{\"maximum\":\"PT1H\"}", "PT30M", "ok",
	      "PT60M", "ok", "PT2H", "maximum", "P1D", "maximum");
	/* pattern */
	CELLS("\"type\":\"string\",\"constraints\":{\"pattern\":\"[0-9]{3}-[0-9]{4}\"}", "100-0001",
	      "ok", "1000001", "pattern", "100-00011", "pattern", "x100-0001", "pattern");
	CELLS("\"type\":\"string\",\"constraints\":{\"pattern\":\"[0-9]{3}\"}", "123", "ok", "1234",
	      "pattern", "x123", "pattern", "", "missing");
	CELLS("\"type\":\"string\",\"constraints\":{\"pattern\":\"^[0-9]{6}$\"}", "141305", "ok",
	      "14130", "pattern");
	CELLS("\"type\":\"string\",\"constraints\":{\"pattern\":\"abc$\"}", "abc", "ok", "abc\n",
	      "pattern");
	CELLS("\"type\":\"string\",\"constraints\":{\"pattern\":\"a|ab\"}", "ab", "ok", "a", "ok",
	      "abc", "pattern");
	CELLS("\"type\":\"string\",\"constraints\":{\"pattern\":\"\\\\d+\"}", "１２３", "ok", "123",
	      "ok", "一二三", "pattern");
	CELLS("\"type\":\"string\",\"constraints\":{\"pattern\":\"^[^｡-ﾟ]*$\"}", "カワサキ", "ok",
	      "ｶﾜｻｷ", "pattern");
	CELLS("\"type\":\"string\",\"constraints\":{\"pattern\":\".*\"}", "\xff", "pattern",
	      "\xc0\xaf", "pattern", "\xed\xa0\x80", "pattern", "ok é", "ok");
	/* (a+)+$ on 30 a's and "!": exponential backtracking, stopped by the match limit */
	memset(catastrophic, 'a', 30);
	catastrophic[30] = '!';
	catastrophic[31] = '\0';
	s = one("\"type\":\"string\",\"constraints\":{\"pattern\":\"(a+)+$\"}");
	t0 = clock();
	rc = s ? schema_check_cell(s, 0, catastrophic, 31, &v, &e) : 0;
	th_check(rc == -1 && !strcmp(e.code, "constraint-error") &&
			 !strcmp(e.constraint, "pattern") && strstr(e.expected, "too costly"),
		 "catastrophic pattern (a+)+$ gives a constraint-error saying the pattern is too "
		 "costly",
		 "rc %d expected \"%s\"", rc, rc ? e.expected : "");
	th_check((double)(clock() - t0) / CLOCKS_PER_SEC < 2.0,
		 "catastrophic pattern stops within 2 s", "took %.2f s",
		 (double)(clock() - t0) / CLOCKS_PER_SEC);
	rc = s ? schema_check_cell(s, 0, "aaaa", 4, &v, &e) : -1;
	th_check(rc == 0, "the same pattern still matches a short value", "rc %d", rc);
	schema_free(s);
	s = one("\"type\":\"string\",\"constraints\":{\"pattern\":\"[0-9]{3}\"}");
	rc = s ? schema_check_cell(s, 0, "12", 2, &v, &e) : 0;
	th_check(rc == -1 && !strcmp(e.expected, "the pattern [0-9]{3}"),
		 "pattern error names the pattern", "got \"%s\"", rc ? e.expected : "");
	schema_free(s);
	/* enum */
	CELLS("\"type\":\"string\",\"constraints\":{\"enum\":[\"open\",\"closed\"]}", "open", "ok",
	      "closed", "ok", "Open", "enum", "", "missing");
	CELLS("\"type\":\"integer\",\"constraints\":{\"enum\":[\"1\",\"2\",3]}", "2", "ok", "02",
	      "ok", "+3", "ok", "4", "enum");
	CELLS("\"type\":\"number\",\"constraints\":{\"enum\":[1.5,\"2\"]}", "1.50", "ok", "2e0",
	      "ok", "2.5", "enum");
	CELLS("\"type\":\"boolean\",\"constraints\":{\"enum\":[true]}", "1", "ok", "TRUE", "ok",
	      "0", "enum");
	CELLS("\"type\":\"date\",\"format\":\"%Y/%m/%d\",\"constraints\":{\"enum\":[\"2024/04/"
	      "01\"]}",
	      "2024/4/1", "ok", "2024/4/2", "enum");
	CELLS("\"type\":\"object\",\"constraints\":{\"enum\":[{\"a\":1,\"b\":2}]}",
	      "{\"b\":2, \"a\":1}", "ok", "{\"a\":1}", "enum");
	CELLS("\"type\":\"any\",\"constraints\":{\"enum\":[1,\"x\",true]}", "1", "ok", "x", "ok",
	      "true", "ok", "1.0", "enum");
	s = one("\"type\":\"string\",\"constraints\":{\"enum\":[\"有\",\"無\"]}");
	rc = s ? schema_check_cell(s, 0, "あり", strlen("あり"), &v, &e) : 0;
	th_check(rc == -1 && !strcmp(e.expected, "one of: 有, 無"), "enum error lists the values",
		 "got \"%s\"", rc ? e.expected : "");
	schema_free(s);
	/* v2 categories */
	CELLS("\"type\":\"string\",\"categories\":[\"有\",\"無\"]", "有", "ok", "あり",
	      "categories");
	CELLS("\"type\":\"integer\",\"categories\":[{\"value\":1,\"label\":\"one\"},{\"value\":2,"
	      "\"label\":\"two\"}]",
	      "1", "ok", "2", "ok", "3", "categories");
	/* the limit words */
	s = one("\"type\":\"integer\",\"constraints\":{\"minimum\":0}");
	rc = s ? schema_check_cell(s, 0, "-1", 2, &v, &e) : 0;
	th_check(rc == -1 && !strcmp(e.expected, "at least 0"), "minimum error says \"at least 0\"",
		 "got \"%s\"", rc ? e.expected : "");
	schema_free(s);
	s = one("\"type\":\"string\",\"constraints\":{\"required\":true}");
	rc = s ? schema_check_cell(s, 0, "", 0, &v, &e) : 0;
	th_check(rc == -1 && v.missing && !strcmp(e.expected, "a value"),
		 "required on a missing value: constraint-error, value missing", "rc %d missing %d",
		 rc, v.missing);
	schema_free(s);
	s = one("\"type\":\"date\",\"format\":\"%Y年%m月%d日\"");
	rc = s ? schema_check_cell(s, 0, "2024-04-01", 10, &v, &e) : 0;
	th_check(rc == -1 && !strcmp(e.expected, "date in the form %Y年%m月%d日"),
		 "type error of a date pattern names the pattern", "got \"%s\"",
		 rc ? e.expected : "");
	schema_free(s);
}

static void test_schema__missing_values(void)
{
	static const char two[] = "{\"missingValues\":[\"\",\"N/A\"],\"fields\":["
				  "{\"name\":\"a\",\"type\":\"integer\"},"
				  "{\"name\":\"b\",\"type\":\"integer\",\"missingValues\":[\"-\"]},"
				  "{\"name\":\"c\",\"type\":\"string\",\"missingValues\":[]},"
				  "{\"name\":\"d\",\"type\":\"integer\",\"missingValues\":[{"
				  "\"value\":\"999\",\"label\":\"unknown\"}]},"
				  "{\"name\":\"e\",\"type\":\"integer\",\"missingValues\":[],"
				  "\"constraints\":{\"required\":true}}]}";
	odc_schema *s = load_into("load schema with missingValues at two levels", two, NULL, 0);
	static const struct {
		size_t f;
		const char *cell, *want, *name;
	} cases[] = {
		{0, "", "missing", "schema-level list: \"\" is missing"},
		{0, "N/A", "missing", "schema-level list: N/A is missing"},
		{0, "-", "type", "schema-level list: - is a value (type error for integer)"},
		{1, "-", "missing", "field-level list replaces the schema's: - is missing"},
		{1, "N/A", "type", "field-level list replaces the schema's: N/A is a value"},
		{1, "", "type", "field-level list replaces the schema's: \"\" is a value"},
		{2, "", "ok", "missingValues [] makes \"\" a string value"},
		{3, "999", "missing", "v2 {value, label} missing value"},
		{3, "", "type", "v2 {value, label} list replaces the default"},
		{4, "", "type",
		 "missingValues [] on an integer: \"\" is a type error, not a required error"},
	};
	size_t k;
	for (k = 0; k < sizeof(cases) / sizeof(cases[0]); k++) {
		odc_value v;
		odc_cell_error e;
		const char *want = cases[k].want;
		int rc = s ? schema_check_cell(s, cases[k].f, cases[k].cell, strlen(cases[k].cell),
					       &v, &e)
			   : -2;
		if (!strcmp(want, "missing"))
			th_check(rc == 0 && v.missing, cases[k].name, "rc %d missing %d", rc,
				 v.missing);
		else if (!strcmp(want, "ok"))
			th_check(rc == 0 && !v.missing, cases[k].name, "rc %d missing %d", rc,
				 v.missing);
		else
			th_check(rc == -1 && !strcmp(e.code, "type-error"), cases[k].name, "rc %d",
				 rc);
	}
	schema_free(s);
	CELLS("\"type\":\"integer\",\"missingValues\":[\"\",\"-\"],\"constraints\":{\"minimum\":5}",
	      "-", "missing", "", "missing", "3", "minimum");
}

/*====================================================================
 * Keys
 *====================================================================*/

static void test_schema__value_keys(void)
{
	key_is("\"type\":\"number\"", "1", "1");
	key_is("\"type\":\"number\"", "1.0", "1");
	key_is("\"type\":\"number\"", "1e0", "1");
	key_is("\"type\":\"number\"", "10E-1", "1");
	key_is("\"type\":\"number\"", "1.5", "1.5");
	key_is("\"type\":\"number\"", "0.1", "0.1");
	key_is("\"type\":\"number\"", "-0", "0");
	key_is("\"type\":\"number\"", "nan", "NaN");
	key_is("\"type\":\"number\"", "-Infinity", "-INF");
	key_is("\"type\":\"number\"", "1e20", "1e+20");
	key_is("\"type\":\"number\"", "123456789.123", "123456789.123");
	key_is("\"type\":\"number\",\"decimalChar\":\",\"", "1,50", "1.5");
	key_is("\"type\":\"integer\"", "007", "7");
	key_is("\"type\":\"integer\"", "-42", "-42");
	key_is("\"type\":\"boolean\"", "1", "true");
	key_is("\"type\":\"boolean\"", "False", "false");
	key_is("\"type\":\"date\"", "2024-04-01", "19814");
	key_is("\"type\":\"date\",\"format\":\"%Y/%m/%d\"", "2024/4/1", "19814");
	key_is("\"type\":\"date\",\"format\":\"any\"", "令和6年4月1日", "19814");
	key_is("\"type\":\"datetime\"", "2024-01-01T09:00:00+09:00", "1704067200");
	key_is("\"type\":\"datetime\"", "2024-01-01T00:00:00.5Z", "1704067200.5");
	key_is("\"type\":\"time\"", "12:30:15.250", "45015.25");
	key_is("\"type\":\"year\"", "2024", "2024");
	key_is("\"type\":\"yearmonth\"", "2024-04", "24291");
	key_is("\"type\":\"duration\"", "PT1H", "3600");
	key_is("\"type\":\"duration\"", "PT60M", "3600");
	key_is("\"type\":\"geopoint\"", "139.70, 35.5", "139.7,35.5");
	key_is("\"type\":\"object\"", "{\"b\":1, \"a\":[1, 2]}", "{\"a\":[1,2],\"b\":1}");
	key_is("\"type\":\"string\"", "川崎", "川崎");
	key_is("\"type\":\"list\",\"itemType\":\"integer\"", "1,2", "1,2");
	{
		odc_value v;
		odc_buf b = ODC_BUF_INIT;
		memset(&v, 0, sizeof(v));
		v.missing = 1;
		v.type = ODC_T_INTEGER;
		schema_value_key(&v, &b);
		th_check(b.len == 0, "key of a missing value is empty", "got %zu bytes", b.len);
		buf_free(&b);
	}
}

static void test_schema__keys(void)
{
	odc_diags d = ODC_DIAGS_INIT;
	const size_t *idx;
	const odc_fkey *fk;
	odc_schema *s;
	size_t n;

	s = load_into("load schema with primaryKey (v1 string), uniqueKeys and foreignKeys",
		      "{\"fields\":[{\"name\":\"id\",\"type\":\"integer\"},{\"name\":\"parent\","
		      "\"type\":\"integer\"},"
		      "{\"name\":\"kind\"},{\"name\":\"code\"}],"
		      "\"primaryKey\":\"id\",\"uniqueKeys\":[[\"kind\",\"code\"],[\"code\"]],"
		      "\"foreignKeys\":[{\"fields\":\"parent\",\"reference\":{\"resource\":\"\","
		      "\"fields\":\"id\"}},"
		      "{\"fields\":[\"kind\"],\"reference\":{\"resource\":\"kinds\",\"fields\":["
		      "\"name\"]}},"
		      "{\"fields\":[\"code\"],\"reference\":{\"package\":\"codes\",\"resource\":"
		      "\"c\",\"fields\":[\"code\"]}}],"
		      "\"fieldsMatch\":\"subset\"}",
		      NULL, 0);
	if (s) {
		n = schema_primary_key(s, &idx);
		th_check(n == 1 && idx[0] == 0, "v1 string primaryKey names field 0", "n %zu", n);
		th_check(schema_field_required(s, 0) && !schema_field_required(s, 1),
			 "primaryKey implies required on its fields only", "%d %d",
			 schema_field_required(s, 0), schema_field_required(s, 1));
		th_check(schema_unique_key_count(s) == 2, "two uniqueKeys", "%zu",
			 schema_unique_key_count(s));
		n = schema_unique_key(s, 0, &idx);
		th_check(n == 2 && idx[0] == 2 && idx[1] == 3, "uniqueKeys[0] = kind, code",
			 "n %zu", n);
		th_check(schema_foreign_key_count(s) == 3, "three foreignKeys", "%zu",
			 schema_foreign_key_count(s));
		fk = schema_foreign_key(s, 0);
		th_check(fk && fk->n == 1 && fk->fields[0] == 1 && !strcmp(fk->resource, "") &&
				 !fk->package && !strcmp(fk->ref_fields[0], "id"),
			 "v1 self-reference foreign key with string fields", "bad fk 0");
		fk = schema_foreign_key(s, 1);
		th_check(fk && fk->n == 1 && fk->fields[0] == 2 && !strcmp(fk->resource, "kinds") &&
				 !strcmp(fk->ref_fields[0], "name"),
			 "foreign key into another resource", "bad fk 1");
		fk = schema_foreign_key(s, 2);
		th_check(fk && fk->package && !strcmp(fk->package, "codes") &&
				 !strcmp(fk->resource, "c"),
			 "foreign key into another dataset (reference.package)", "bad fk 2");
		TH_STR_EQ("fieldsMatch subset", schema_fields_match(s), "subset");
		TH_INT_EQ("field index of \"code\"", schema_field_index(s, "code"), 3);
		TH_INT_EQ("field index of an unknown name", schema_field_index(s, "nope"), -1);
		TH_STR_EQ("field name 1", schema_field_name(s, 1), "parent");
		TH_STR_EQ("format defaults to \"default\"", schema_field_format(s, 0), "default");
		th_check(schema_field_title(s, 0) == NULL, "absent title is NULL", "not NULL");
	}
	schema_free(s);

	s = load_into("primaryKey as an array, v2 foreign key without resource",
		      "{\"fields\":[{\"name\":\"a\",\"title\":\"A\"},{\"name\":\"b\"}],"
		      "\"primaryKey\":[\"a\",\"b\"],"
		      "\"foreignKeys\":[{\"fields\":[\"b\"],\"reference\":{\"fields\":[\"a\"]}}]}",
		      NULL, 0);
	if (s) {
		n = schema_primary_key(s, &idx);
		th_check(n == 2 && idx[0] == 0 && idx[1] == 1, "array primaryKey", "n %zu", n);
		fk = schema_foreign_key(s, 0);
		th_check(fk && !strcmp(fk->resource, ""),
			 "absent reference.resource means this resource", "bad");
		TH_STR_EQ("fieldsMatch defaults to exact", schema_fields_match(s), "exact");
		TH_STR_EQ("title", schema_field_title(s, 0), "A");
	}
	schema_free(s);

	s = bad_schema("primaryKey naming an unknown field",
		       "{\"fields\":[{\"name\":\"id\"}],\"primaryKey\":[\"id2\"]}", 0,
		       ODC_SEV_ERROR, "schema-error", PTR "/primaryKey/0: unknown field \"id2\"");
	th_check(s && schema_primary_key(s, &idx) == 0, "an unknown primaryKey field drops the key",
		 "kept");
	schema_free(s);
	s = bad_schema("v1 string primaryKey naming an unknown field",
		       "{\"fields\":[{\"name\":\"id\"}],\"primaryKey\":\"ID\"}", 0, ODC_SEV_ERROR,
		       "schema-error", PTR "/primaryKey: unknown field \"ID\"");
	schema_free(s);
	s = bad_schema("uniqueKeys naming an unknown field",
		       "{\"fields\":[{\"name\":\"a\"}],\"uniqueKeys\":[[\"a\"],[\"a\",\"z\"]]}", 0,
		       ODC_SEV_ERROR, "schema-error", PTR "/uniqueKeys/1/1: unknown field \"z\"");
	th_check(s && schema_unique_key_count(s) == 1, "the good unique key stays", "count %zu",
		 s ? schema_unique_key_count(s) : 0);
	schema_free(s);
	s = bad_schema("foreign key field counts differ",
		       "{\"fields\":[{\"name\":\"a\"},{\"name\":\"b\"}],\"foreignKeys\":[{"
		       "\"fields\":[\"a\",\"b\"],"
		       "\"reference\":{\"resource\":\"r\",\"fields\":[\"x\"]}}]}",
		       0, ODC_SEV_ERROR, "schema-error",
		       PTR "/foreignKeys/0: 2 fields but 1 reference fields");
	th_check(s && schema_foreign_key_count(s) == 0, "a bad foreign key is dropped", "count %zu",
		 s ? schema_foreign_key_count(s) : 0);
	schema_free(s);
	s = bad_schema("self-referencing foreign key naming an unknown field",
		       "{\"fields\":[{\"name\":\"a\"}],\"foreignKeys\":[{\"fields\":\"a\","
		       "\"reference\":{\"resource\":\"\","
		       "\"fields\":\"zz\"}}]}",
		       0, ODC_SEV_ERROR, "schema-error",
		       PTR "/foreignKeys/0/reference/fields/0: unknown field \"zz\"");
	schema_free(s);
	s = bad_schema("foreign key without reference",
		       "{\"fields\":[{\"name\":\"a\"}],\"foreignKeys\":[{\"fields\":\"a\"}]}", 0,
		       ODC_SEV_ERROR, "schema-error",
		       PTR "/foreignKeys/0/reference: missing or not an object");
	schema_free(s);
	s = bad_schema("unknown fieldsMatch", "{\"fields\":[],\"fieldsMatch\":\"some\"}", 0,
		       ODC_SEV_ERROR, "schema-error",
		       PTR "/fieldsMatch: not a known mode (exact is used)");
	th_check(s && !strcmp(schema_fields_match(s), "exact"),
		 "unknown fieldsMatch falls back to exact", "no");
	schema_free(s);
	s = bad_schema("duplicate field names are a warning only",
		       "{\"fields\":[{\"name\":\"a\"},{\"name\":\"a\"}]}", 0, ODC_SEV_WARNING,
		       "schema-error", PTR "/fields/1/name: \"a\" is also the name of field 0");
	TH_INT_EQ("duplicate names: lookup finds the first", s ? schema_field_index(s, "a") : -2,
		  0);
	schema_free(s);
	diag_free(&d);
}

/*====================================================================
 * Broken schemas
 *====================================================================*/

static void test_schema__schema_errors(void)
{
	odc_diags d = ODC_DIAGS_INIT;
	odc_schema *s;

	bad_schema("schema that is not an object", "[1]", -1, ODC_SEV_ERROR, "schema-error",
		   PTR ": not an object");
	bad_schema("schema without fields", "{\"name\":\"x\"}", -1, ODC_SEV_ERROR, "schema-error",
		   PTR "/fields: missing");
	bad_schema("fields that is not an array", "{\"fields\":{}}", -1, ODC_SEV_ERROR,
		   "schema-error", PTR "/fields: not an array");
	bad_schema("field that is not an object", "{\"fields\":[\"a\"]}", -1, ODC_SEV_ERROR,
		   "schema-error", PTR "/fields/0: not an object");
	bad_schema("field without name", "{\"fields\":[{\"name\":\"a\"},{\"type\":\"string\"}]}",
		   -1, ODC_SEV_ERROR, "schema-error", PTR "/fields/1/name: missing");
	bad_schema("field name that is not a string", "{\"fields\":[{\"name\":1}]}", -1,
		   ODC_SEV_ERROR, "schema-error", PTR "/fields/0/name: not a string");
	bad_schema("unknown type", "{\"fields\":[{\"name\":\"a\",\"type\":\"strng\"}]}", -1,
		   ODC_SEV_ERROR, "schema-error", PTR "/fields/0/type: unknown type strng");
	bad_schema("type that is not a string", "{\"fields\":[{\"name\":\"a\",\"type\":3}]}", -1,
		   ODC_SEV_ERROR, "schema-error", PTR "/fields/0/type: unknown type 3");

	s = bad_schema(
		"pattern that does not compile, with PCRE2's message and offset",
		"{\"fields\":[{\"name\":\"a\"},{\"name\":\"b\"},{\"name\":\"c\"},"
		"{\"name\":\"d\",\"type\":\"string\",\"constraints\":{\"pattern\":\"(abc\"}}]}",
		0, ODC_SEV_ERROR, "field-error",
		PTR "/fields/3/constraints/pattern: pattern does not compile: missing closing "
		    "parenthesis at 4");
	if (s) {
		odc_value v;
		odc_cell_error e;
		th_check(schema_check_cell(s, 3, "zzz", 3, &v, &e) == 0,
			 "a bad pattern is dropped, the field stays", "failed");
	}
	schema_free(s);
	s = bad_schema("pattern on an integer field",
		       "{\"fields\":[{\"name\":\"a\",\"type\":\"integer\",\"constraints\":"
		       "{\"pattern\":\"[0-9]+\"}}]}",
		       0, ODC_SEV_ERROR, "field-error",
		       PTR "/fields/0/constraints/pattern: does not apply to type integer");
	schema_free(s);

	s = bad_schema("unsupported date directive: field-error, field becomes any",
		       "{\"fields\":[{\"name\":\"a\",\"type\":\"date\",\"format\":\"%Q-%m\","
		       "\"constraints\":"
		       "{\"minimum\":\"x\",\"required\":true}}]}",
		       0, ODC_SEV_ERROR, "field-error",
		       PTR "/fields/0/format: \"%Q-%m\" is not usable: unsupported directive %Q");
	if (s) {
		odc_value v;
		odc_cell_error e;
		th_check(schema_field_type(s, 0) == ODC_T_ANY, "unusable format: type any",
			 "type %d", (int)schema_field_type(s, 0));
		th_check(schema_check_cell(s, 0, "whatever", 8, &v, &e) == 0 && v.type == ODC_T_ANY,
			 "unusable format: any text passes", "failed");
		th_check(schema_check_cell(s, 0, "", 0, &v, &e) == -1 &&
				 !strcmp(e.constraint, "required"),
			 "unusable format: required still applies", "no");
	}
	schema_free(s);
	s = bad_schema(
		"date format without directive",
		"{\"fields\":[{\"name\":\"a\",\"type\":\"date\",\"format\":\"yyyy-mm-dd\"}]}", 0,
		ODC_SEV_ERROR, "field-error",
		PTR "/fields/0/format: \"yyyy-mm-dd\" is not usable: the format has no % directive "
		    "(e.g. %Y-%m-%d)");
	schema_free(s);
	s = bad_schema("date format ending with a lone %",
		       "{\"fields\":[{\"name\":\"a\",\"type\":\"date\",\"format\":\"%Y%\"}]}", 0,
		       ODC_SEV_ERROR, "field-error",
		       PTR
		       "/fields/0/format: \"%Y%\" is not usable: the format ends with a lone %");
	schema_free(s);
	s = bad_schema(
		"unknown string format: field-error, default used",
		"{\"fields\":[{\"name\":\"a\",\"type\":\"string\",\"format\":\"phone\"}]}", 0,
		ODC_SEV_ERROR, "field-error",
		PTR "/fields/0/format: unknown format \"phone\" for type string (default is used)");
	th_check(s && schema_field_type(s, 0) == ODC_T_STRING,
		 "unknown string format keeps type string", "no");
	schema_free(s);
	s = bad_schema(
		"format on an integer",
		"{\"fields\":[{\"name\":\"a\",\"type\":\"integer\",\"format\":\"currency\"}]}", 0,
		ODC_SEV_ERROR, "field-error",
		PTR "/fields/0/format: unknown format \"currency\" for type integer (ignored)");
	schema_free(s);
	s = bad_schema("unknown constraint",
		       "{\"fields\":[{\"name\":\"a\",\"constraints\":{\"minLenght\":1}}]}", 0,
		       ODC_SEV_ERROR, "field-error",
		       PTR "/fields/0/constraints/minLenght: unknown constraint");
	schema_free(s);
	s = bad_schema("unknown constraint name with / and ~ is escaped in the pointer",
		       "{\"fields\":[{\"name\":\"a\",\"constraints\":{\"a/b~c\":1}}]}", 0,
		       ODC_SEV_ERROR, "field-error",
		       PTR "/fields/0/constraints/a~1b~0c: unknown constraint");
	schema_free(s);
	s = bad_schema("minimum that does not cast",
		       "{\"fields\":[{\"name\":\"a\",\"type\":\"date\",\"constraints\":"
		       "{\"minimum\":\"yesterday\"}}]}",
		       0, ODC_SEV_ERROR, "field-error",
		       PTR "/fields/0/constraints/minimum: yesterday is not a valid date");
	if (s) {
		odc_value v;
		odc_cell_error e;
		th_check(schema_check_cell(s, 0, "1900-01-01", 10, &v, &e) == 0,
			 "a limit that does not cast is dropped", "failed");
	}
	schema_free(s);
	s = bad_schema("minimum on a string",
		       "{\"fields\":[{\"name\":\"a\",\"type\":\"string\",\"constraints\":"
		       "{\"minimum\":1}}]}",
		       0, ODC_SEV_ERROR, "field-error",
		       PTR "/fields/0/constraints/minimum: does not apply to type string");
	schema_free(s);
	s = bad_schema("minLength that is negative",
		       "{\"fields\":[{\"name\":\"a\",\"constraints\":{\"minLength\":-1}}]}", 0,
		       ODC_SEV_ERROR, "field-error",
		       PTR "/fields/0/constraints/minLength: does not apply to type any");
	schema_free(s);
	s = bad_schema("minLength that is negative on a string",
		       "{\"fields\":[{\"name\":\"a\",\"type\":\"string\",\"constraints\":{"
		       "\"minLength\":-1}}]}",
		       0, ODC_SEV_ERROR, "field-error",
		       PTR "/fields/0/constraints/minLength: not a non-negative integer");
	schema_free(s);
	s = bad_schema("enum value that does not cast",
		       "{\"fields\":[{\"name\":\"a\",\"type\":\"integer\",\"constraints\":"
		       "{\"enum\":[\"1\",\"one\"]}}]}",
		       0, ODC_SEV_ERROR, "field-error",
		       PTR "/fields/0/constraints/enum/1: one is not a valid integer");
	if (s) {
		odc_value v;
		odc_cell_error e;
		th_check(schema_check_cell(s, 0, "1", 1, &v, &e) == 0 &&
				 schema_check_cell(s, 0, "2", 1, &v, &e) == -1,
			 "the good enum values stay", "no");
	}
	schema_free(s);
	s = bad_schema("required that is not a boolean",
		       "{\"fields\":[{\"name\":\"a\",\"constraints\":{\"required\":\"yes\"}}]}", 0,
		       ODC_SEV_ERROR, "field-error",
		       PTR "/fields/0/constraints/required: not a boolean");
	schema_free(s);
	s = bad_schema("jsonSchema is not checked: a warning",
		       "{\"fields\":[{\"name\":\"a\",\"type\":\"object\",\"constraints\":{"
		       "\"jsonSchema\":{}}}]}",
		       0, ODC_SEV_WARNING, "field-error",
		       PTR "/fields/0/constraints/jsonSchema: not checked");
	schema_free(s);
	s = bad_schema("decimalChar with a digit",
		       "{\"fields\":[{\"name\":\"a\",\"type\":\"number\",\"decimalChar\":\"1\"}]}",
		       0, ODC_SEV_ERROR, "field-error",
		       PTR "/fields/0/decimalChar: \"1\" cannot be a mark in numbers");
	schema_free(s);
	s = bad_schema("groupChar equal to decimalChar",
		       "{\"fields\":[{\"name\":\"a\",\"type\":\"number\",\"groupChar\":\".\"}]}", 0,
		       ODC_SEV_ERROR, "field-error",
		       PTR "/fields/0/groupChar: \".\" is the same as the decimal mark");
	schema_free(s);
	s = bad_schema(
		"trueValues that is not an array",
		"{\"fields\":[{\"name\":\"a\",\"type\":\"boolean\",\"trueValues\":\"yes\"}]}", 0,
		ODC_SEV_ERROR, "field-error", PTR "/fields/0/trueValues: not an array");
	schema_free(s);
	s = bad_schema("list itemType that a list cannot hold",
		       "{\"fields\":[{\"name\":\"a\",\"type\":\"list\",\"itemType\":\"object\"}]}",
		       0, ODC_SEV_ERROR, "field-error",
		       PTR "/fields/0/itemType: not a type a list can hold");
	schema_free(s);
	s = bad_schema("schema missingValues that is not an array",
		       "{\"fields\":[{\"name\":\"a\"}],\"missingValues\":\"\"}", 0, ODC_SEV_ERROR,
		       "schema-error", PTR "/missingValues: not an array");
	if (s) {
		odc_value v;
		odc_cell_error e;
		th_check(schema_check_cell(s, 0, "", 0, &v, &e) == 0 && v.missing,
			 "bad missingValues: the default [\"\"] is used", "no");
	}
	schema_free(s);
	s = bad_schema(
		"categories on a date field",
		"{\"fields\":[{\"name\":\"a\",\"type\":\"date\",\"categories\":[\"2024-01-01\"]}]}",
		0, ODC_SEV_ERROR, "field-error",
		PTR "/fields/0/categories: does not apply to type date");
	schema_free(s);
	s = bad_schema("control characters in names do not break the message's line",
		       "{\"fields\":[{\"name\":\"a\"}],\"primaryKey\":\"x\\ny\"}", 0, ODC_SEV_ERROR,
		       "schema-error", PTR "/primaryKey: unknown field \"x y\"");
	schema_free(s);
	{
		odc_schema *t = NULL;
		int rc = schema_load(&t, NULL, FILE_NAME, PTR, &d);
		th_check(rc == -1 && !t && d.n == 1, "NULL schema is not an object", "rc %d", rc);
	}
	diag_free(&d);
}

/* Odd JSON everywhere must not crash (run under ASan/UBSan). */
static void test_schema__robustness(void)
{
	static const char *const odd[] = {
		"{\"fields\":[{\"name\":\"a\",\"type\":\"number\",\"constraints\":null,"
		"\"decimalChar\":[],"
		"\"groupChar\":{},\"bareNumber\":\"no\",\"missingValues\":[1,null,{\"label\":\"x\"}"
		"]}]}",
		"{\"fields\":[{\"name\":\"a\",\"type\":\"boolean\",\"trueValues\":[],"
		"\"falseValues\":[1]}]}",
		"{\"fields\":[{\"name\":\"a\",\"type\":\"list\",\"delimiter\":\"\",\"itemType\":7}]"
		"}",
		"{\"fields\":[{\"name\":\"a\",\"type\":\"integer\",\"constraints\":{\"enum\":{},"
		"\"minimum\":[],"
		"\"maximum\":null,\"minLength\":1,\"pattern\":5}}]}",
		"{\"fields\":[{\"name\":\"a\",\"type\":\"geopoint\",\"format\":\"xy\","
		"\"constraints\":{\"enum\":"
		"[[1,2],{\"lon\":1,\"lat\":2},\"3,4\"]}}]}",
		"{\"fields\":[{\"name\":\"a\",\"type\":\"date\",\"format\":7}]}",
		"{\"fields\":[{\"name\":\"a\",\"type\":\"date\",\"format\":\"%Y%Y%Y%Y%Y%Y%Y%Y%Y%Y%"
		"Y%Y%Y%Y%Y%Y%Y%Y%Y%Y"
		"%Y%Y%Y%Y%Y%Y%Y%Y%Y%Y%Y%Y%Y%Y%Y%Y%Y%Y%Y%Y%Y%Y%Y%Y%Y%Y%Y%Y%Y%Y%Y%Y%Y%Y%Y%Y%Y%Y%Y%Y%"
		"Y%Y%Y%Y%Y\"}]}",
		"{\"fields\":[{\"name\":\"a\"}],\"primaryKey\":5,\"uniqueKeys\":{},\"foreignKeys\":"
		"[5,{\"fields\":[]},"
		"{\"fields\":\"a\",\"reference\":{\"resource\":3,\"fields\":[]}}],\"fieldsMatch\":"
		"true}",
		"{\"fields\":[{\"name\":\"a\",\"categories\":{}}],\"uniqueKeys\":[[],5,[\"a\",7]]}",
		"{\"fields\":[{\"name\":\"a\",\"type\":\"string\",\"categories\":[{\"label\":\"x\"}"
		",null,3,\"ok\"]}]}",
	};
	size_t k;
	for (k = 0; k < sizeof(odd) / sizeof(odd[0]); k++) {
		odc_diags d = ODC_DIAGS_INIT;
		json_error_t e;
		json_t *j = json_loads(odd[k], 0, &e);
		odc_schema *s = NULL;
		char name[64];
		int rc;
		snprintf(name, sizeof(name), "odd schema %zu loads with diagnostics", k);
		rc = j ? schema_load(&s, j, FILE_NAME, PTR, &d) : -9;
		th_check(rc == 0 && d.errors > 0, name, "rc %d, %zu errors", rc, d.errors);
		if (s) {
			odc_value v;
			odc_cell_error ce;
			static const char *const probes[] = {
				"", "1", "x", "1,2", "2024-01-01", "[1,2]", "\xff\xfe"};
			size_t p, f;
			for (f = 0; f < schema_field_count(s); f++)
				for (p = 0; p < sizeof(probes) / sizeof(probes[0]); p++)
					schema_check_cell(s, f, probes[p], strlen(probes[p]), &v,
							  &ce);
		}
		schema_free(s);
		json_decref(j);
		diag_free(&d);
	}
	{
		odc_schema *s = one("\"type\":\"integer\"");
		odc_value v;
		odc_cell_error e;
		int rc = s ? schema_check_cell(s, 5, "1", 1, &v, &e) : 0;
		th_check(rc == -1, "a field index beyond the schema is refused", "rc %d", rc);
		rc = s ? schema_check_cell(s, 0, "1", 1, &v, NULL) : -1;
		th_check(rc == 0 && v.i == 1, "err may be NULL", "rc %d", rc);
		schema_free(s);
	}
	TH_INT_EQ("type name round trip", schema_type_from_name(schema_type_name(ODC_T_YEARMONTH)),
		  ODC_T_YEARMONTH);
	TH_INT_EQ("unknown type name", schema_type_from_name("float"), -1);
}


/*====================================================================
 * Properties, random input, real schemas
 *====================================================================*/

static unsigned long long rng_state = 88172645463325252ULL;

static unsigned long long rng(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return rng_state;
}

/* Random decimal texts cast as number agree bit for bit with strtod (the
 * fast path is Clinger's exact case; the rest goes through strtod). */
static void test_schema__number_vs_strtod(void)
{
	odc_schema *s = one("\"type\":\"number\"");
	size_t k, bad = 0;
	char t[64], first_bad[64] = "";
	for (k = 0; s && k < 200000; k++) {
		size_t n = 0, digits = 1 + rng() % 22, point = rng() % (digits + 1), q;
		odc_value v;
		odc_cell_error e;
		double want;
		if (rng() % 2)
			t[n++] = '-';
		for (q = 0; q < digits; q++) {
			if (q == point && q)
				t[n++] = '.';
			t[n++] = (char)('0' + rng() % 10);
		}
		if (rng() % 3 == 0)
			n += (size_t)snprintf(t + n, sizeof(t) - n, "e%d", (int)(rng() % 80) - 40);
		t[n] = '\0';
		want = strtod(t, NULL);
		if (schema_check_cell(s, 0, t, n, &v, &e) != 0 ||
		    memcmp(&v.num, &want, sizeof(want))) {
			if (!bad++)
				snprintf(first_bad, sizeof(first_bad), "%s", t);
		}
	}
	th_check(s && bad == 0, "200000 random decimals cast exactly as strtod reads them",
		 "%zu differ, e.g. %s", bad, first_bad);
	schema_free(s);
}

/* The number key is a function of the value that reads back as the value. */
static void test_schema__number_key_round_trip(void)
{
	odc_buf b = ODC_BUF_INIT;
	odc_value v;
	size_t k, bad = 0;
	double first_bad = 0;
	static const double scale[9] = {1, 10, 100, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8};
	memset(&v, 0, sizeof(v));
	v.type = ODC_T_NUMBER;
	for (k = 0; k < 200000; k++) {
		unsigned long long bits = rng();
		double x;
		if (k % 2) {
			memcpy(&x, &bits, sizeof(x));
			if (isnan(x) || isinf(x))
				continue;
		} else /* short decimals, the common case */
			x = (double)(long long)(bits % 2000000001ULL - 1000000000LL) /
			    scale[k / 2 % 9];
		v.num = x;
		buf_clear(&b);
		schema_value_key(&v, &b);
		if (strtod(buf_cstr(&b), NULL) != x) {
			if (!bad++)
				first_bad = x;
		}
	}
	th_check(bad == 0, "200000 number keys read back as the same double",
		 "%zu differ, e.g. %.17g", bad, first_bad);
	buf_free(&b);
}

/* Random short cells over an alphabet of meaningful characters, against
 * every type and format: results are 0 or -1, never a crash or a read past
 * the cell (ASan/UBSan). */
static void test_schema__random_cells(void)
{
	static const char *const props[] = {
		"\"type\":\"string\",\"format\":\"email\"",
		"\"type\":\"string\",\"format\":\"uri\"",
		"\"type\":\"string\",\"format\":\"uuid\"",
		"\"type\":\"string\",\"format\":\"binary\"",
		"\"type\":\"number\",\"bareNumber\":false,\"groupChar\":\",\"",
		"\"type\":\"integer\",\"groupChar\":\" \"",
		"\"type\":\"boolean\"",
		"\"type\":\"date\"",
		"\"type\":\"date\",\"format\":\"any\"",
		"\"type\":\"date\",\"format\":\"%Y年%m月%d日\"",
		"\"type\":\"time\",\"format\":\"any\"",
		"\"type\":\"time\",\"format\":\"%I:%M:%S.%f %p%z\"",
		"\"type\":\"datetime\"",
		"\"type\":\"datetime\",\"format\":\"any\"",
		"\"type\":\"datetime\",\"format\":\"%b %e %Y %H:%M %j %a\"",
		"\"type\":\"year\"",
		"\"type\":\"yearmonth\"",
		"\"type\":\"duration\"",
		"\"type\":\"geopoint\"",
		"\"type\":\"geopoint\",\"format\":\"array\"",
		"\"type\":\"geopoint\",\"format\":\"object\"",
		"\"type\":\"geojson\"",
		"\"type\":\"object\"",
		"\"type\":\"list\",\"itemType\":\"time\"",
		"\"type\":\"string\",\"constraints\":{\"pattern\":\"(\\\\d|年)*\",\"minLength\":2}",
	};
	static const char *const alphabet[] = {
		"0",  "1",    "2",    "9",    "3",   ".",  ",",    ":",  "-", "+",   "T",
		"Z",  "P",    "Y",    "M",    "D",   "H",  "S",    "W",  "e", "E",   " ",
		"年", "月",   "日",   "午後", "時",  "分", "令和", "元", "R", "[",   "]",
		"{",  "}",    "\"",   "lon",  "lat", "/",  "N",    "a",  "m", "Feb", "１",
		"：", "\xff", "\xe5", "@",    "=",   "%",  "\n",
	};
	size_t p, k, other = 0;
	for (p = 0; p < sizeof(props) / sizeof(props[0]); p++) {
		odc_schema *s = one(props[p]);
		for (k = 0; s && k < 3000; k++) {
			char t[128], *exact;
			size_t n = 0, parts = rng() % 12, q;
			odc_value v;
			odc_cell_error e;
			int rc;
			for (q = 0; q < parts; q++) {
				const char *a =
					alphabet[rng() % (sizeof(alphabet) / sizeof(alphabet[0]))];
				size_t l = strlen(a);
				if (n + l >= sizeof(t))
					break;
				memcpy(t + n, a, l);
				n += l;
			}
			/* an exact-size copy without a NUL: ASan sees any read past the end */
			exact = malloc(n ? n : 1);
			memcpy(exact, t, n);
			rc = schema_check_cell(s, 0, exact, n, &v, &e);
			if (rc != 0 && rc != -1)
				other++;
			if (rc == 0 && !v.missing) {
				odc_buf b = ODC_BUF_INIT;
				schema_value_key(&v, &b);
				buf_free(&b);
			}
			free(exact);
		}
		schema_free(s);
	}
	th_check(other == 0, "random cells against every type: results are 0 or -1",
		 "%zu other results", other);
}

/* A format of 30 one-or-two-digit fields against 60 digits: the matcher's
 * backtracking is bounded by its budget. */
static void test_schema__pattern_budget(void)
{
	char fmt[128], text[128];
	char props[256];
	odc_schema *s;
	odc_value v;
	odc_cell_error e;
	clock_t t0;
	int k, rc = 0;
	for (k = 0; k < 30; k++)
		memcpy(fmt + 2 * k, "%M", 2);
	fmt[60] = '\0';
	memset(text, '5', 61);
	text[61] = '\0'; /* odd length: no split works */
	snprintf(props, sizeof(props), "\"type\":\"time\",\"format\":\"%s\"", fmt);
	s = one(props);
	t0 = clock();
	if (s)
		rc = schema_check_cell(s, 0, text, 61, &v, &e);
	th_check(rc == -1 && (double)(clock() - t0) / CLOCKS_PER_SEC < 1.0,
		 "30 variable-width directives on 61 digits fail fast", "rc %d, %.2f s", rc,
		 (double)(clock() - t0) / CLOCKS_PER_SEC);
	schema_free(s);
}

/* The Digital Agency standard schemas in ../shared load without a single
 * diagnostic, and their patterns behave as their README says. */
static void test_schema__ja_standard_schemas(void)
{
	static const char *const files[] = {
		"aed",           "evacuation-space", "open-data-list", "public-facility",
		"public-toilet", "tourism"};
	size_t k;
	for (k = 0; k < sizeof(files) / sizeof(files[0]); k++) {
		char path[256], name[300];
		json_error_t e;
		json_t *j;
		odc_diags d = ODC_DIAGS_INIT;
		odc_schema *s = NULL;
		int rc;
		snprintf(path, sizeof(path), "../shared/ja-standard-schemas/%s.schema.json",
			 files[k]);
		j = json_load_file(path, 0, &e);
		if (!j) {
			printf("skipped %s: %s\n", path, e.text);
			continue;
		}
		rc = schema_load(&s, j, FILE_NAME, "", &d);
		snprintf(name, sizeof(name), "standard schema %s loads without diagnostics",
			 files[k]);
		th_check(rc == 0 && d.n == 0, name, "rc %d, %zu diagnostics, first: %s", rc, d.n,
			 d.n ? d.items[0].message : "");
		if (s && !strcmp(files[k], "tourism")) {
			/* the opening-hours pattern on a string field */
			long f = -1;
			size_t i;
			for (i = 0; i < schema_field_count(s) && f < 0; i++)
				if (strstr(schema_field_name(s, i), "時間"))
					f = (long)i;
			if (f >= 0) {
				odc_value v;
				odc_cell_error ce;
				th_check(schema_check_cell(s, (size_t)f, "9:00", 4, &v, &ce) == 0 &&
						 schema_check_cell(s, (size_t)f, "24:00", 5, &v,
								   &ce) == 0 &&
						 schema_check_cell(s, (size_t)f, "25:00", 5, &v,
								   &ce) == -1,
					 "tourism time pattern: 9:00 and 24:00 pass, 25:00 fails",
					 "no");
			}
		}
		schema_free(s);
		json_decref(j);
		diag_free(&d);
	}
}

int main(void)
{
	test_schema__string();
	test_schema__number();
	test_schema__integer();
	test_schema__boolean();
	test_schema__date();
	test_schema__time();
	test_schema__datetime();
	test_schema__year_yearmonth_duration();
	test_schema__geo();
	test_schema__json_list_any();
	test_schema__constraints();
	test_schema__missing_values();
	test_schema__value_keys();
	test_schema__keys();
	test_schema__schema_errors();
	test_schema__robustness();
	test_schema__number_vs_strtod();
	test_schema__number_key_round_trip();
	test_schema__random_cells();
	test_schema__pattern_budget();
	test_schema__ja_standard_schemas();
	return th_summary();
}
