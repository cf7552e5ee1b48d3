/*
 * test_csvscan.c — the CSV reader: records and positions, checked against
 * the "records" of the shared validation fixtures (raw cell strings the
 * reader must produce) and against hand-made inputs.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "csvscan.h"
#include "diag.h"
#include "harness.h"

typedef struct got {
	odc_buf text; /* records as "a|b\n" */
	long lines[64];
	long numbers[64];
	size_t n;
} got;

static int collect(void *payload, const odc_record *r)
{
	got *g = payload;
	size_t i;
	for (i = 0; i < r->n; i++) {
		if (i)
			buf_putc(&g->text, '|');
		buf_put(&g->text, r->fields[i], r->lens[i]);
	}
	buf_putc(&g->text, '\n');
	if (g->n < 64) {
		g->lines[g->n] = r->line;
		g->numbers[g->n] = r->number;
	}
	g->n++;
	return 0;
}

static void scan(const char *name, const char *in, size_t len, const odc_csv_opts *o, const char *want,
		 int want_rc)
{
	got g;
	odc_diags d = ODC_DIAGS_INIT;
	int rc;
	memset(&g, 0, sizeof(g));
	rc = csvscan_run(in, len, o, collect, &g, "t.csv", &d);
	th_check(rc == want_rc && !strcmp(buf_cstr(&g.text), want), name, "rc %d, records \"%s\", want \"%s\"%s%s",
		 rc, buf_cstr(&g.text), want, d.n ? "; diag: " : "", d.n ? d.items[0].message : "");
	buf_free(&g.text);
	diag_free(&d);
}

/* The fixture's expected records, joined as the collector joins them. */
static void fixture(const char *shared, const char *name, const char *csv)
{
	char path[1024];
	json_error_t e;
	json_t *exp, *recs, *r;
	size_t i, len = 0;
	odc_buf want = ODC_BUF_INIT;
	char *data;
	odc_csv_opts o = {0};
	got g;
	odc_diags d = ODC_DIAGS_INIT;

	snprintf(path, sizeof(path), "%s/fixtures/validation/%s/expected.json", shared, name);
	exp = json_load_file(path, 0, &e);
	if (!th_check(exp != NULL, name, "cannot read %s", path))
		return;
	recs = json_object_get(exp, "records");
	snprintf(path, sizeof(path), "%s/fixtures/validation/%s/%s", shared, name, csv);
	data = th_slurp(path, &len);
	if (!th_check(data != NULL && json_is_array(recs), name, "cannot read %s or no records", path)) {
		json_decref(exp);
		free(data);
		return;
	}
	memset(&g, 0, sizeof(g));
	csvscan_run(data, len, &o, collect, &g, csv, &d);
	/* Header first, from the first record's keys in order. */
	{
		const char *k;
		json_t *v;
		int first = 1;
		json_object_foreach(json_array_get(recs, 0), k, v) {
			buf_puts(&want, first ? "" : "|");
			buf_puts(&want, k);
			first = 0;
		}
		buf_putc(&want, '\n');
	}
	json_array_foreach(recs, i, r) {
		const char *k;
		json_t *v;
		int first = 1;
		json_object_foreach(r, k, v) {
			buf_puts(&want, first ? "" : "|");
			buf_puts(&want, json_string_value(v));
			first = 0;
		}
		buf_putc(&want, '\n');
	}
	th_check(!strcmp(buf_cstr(&g.text), buf_cstr(&want)), name, "records \"%s\", want \"%s\"",
		 buf_cstr(&g.text), buf_cstr(&want));
	buf_free(&want);
	buf_free(&g.text);
	diag_free(&d);
	free(data);
	json_decref(exp);
}

int main(void)
{
	const char *shared = getenv("ODC_SHARED") ? getenv("ODC_SHARED") : "../shared";
	odc_csv_opts o = {0};
	odc_csv_opts blank = {0};
	got g;
	odc_diags d = ODC_DIAGS_INIT;
	static const char multi[] = "h1,h2\r\n1,\"a\r\nb\"\r\n\r\n2,c\r\n";

	blank.report_blank = 1;
	fixture(shared, "bom-crlf", "b.csv");
	fixture(shared, "quoted-newline", "q.csv");

	scan("simple", "a,b\n1,2\n", 8, &o, "a|b\n1|2\n", 0);
	scan("BOM is not part of the first label", "\xEF\xBB\xBF" "a,b\n1,2\n", 11, &o, "a|b\n1|2\n", 0);
	scan("spaces are data (skipInitialSpace false)", "a, b \n", 6, &o, "a| b \n", 0);
	scan("doubled quotes", "\"x\"\"y\",z\n", 9, &o, "x\"y|z\n", 0);
	scan("no final newline", "a,b", 3, &o, "a|b\n", 0);
	scan("blank lines are skipped by default", "a\n\n\nb\n", 6, &o, "a\nb\n", 0);
	scan("blank lines are reported when asked", "a\n\nb\n", 5, &blank, "a\n\nb\n", 0);
	scan("CRLF blank line reported once", "a\r\n\r\nb\r\n", 8, &blank, "a\n\nb\n", 0);
	scan("unterminated quote fails", "a\n\"b\n", 5, &o, "a\n", -1);
	scan("stray quote fails", "a,b\"c\n", 6, &o, "", -1);
	scan("invalid UTF-8 fails", "a\n\xff\n", 4, &o, "a\n", -1);
	{
		odc_csv_opts sj = {0};
		sj.encoding = "cp932";
		/* ① ㈱ 髙 ～ : CP932-only characters survive as UTF-8. */
		scan("CP932 decodes NEC and IBM extensions", "\x87\x40,\x87\x8a,\xfb\xfc,\x81\x60\n", 12, &sj,
		     "①|㈱|髙|～\n", 0);
		sj.encoding = "shift_jis";
		scan("the shift_jis label is decoded as CP932", "\x87\x40\n", 3, &sj, "①\n", 0);
		sj.encoding = "klingon";
		scan("an unknown encoding fails", "a\n", 2, &sj, "", -1);
	}
	{
		odc_csv_opts semi = {0};
		semi.delimiter = ';';
		scan("delimiter", "a;b,c\n", 6, &semi, "a|b,c\n", 0);
	}
	/* Positions: record numbers count blank lines; lines count quoted newlines. */
	memset(&g, 0, sizeof(g));
	csvscan_run(multi, sizeof(multi) - 1, &blank, collect, &g, "t.csv", &d);
	TH_INT_EQ("records with a blank line", g.n, 4);
	TH_INT_EQ("record 2 starts on line 2", g.lines[1], 2);
	TH_INT_EQ("blank line is line 4", g.lines[2], 4);
	TH_INT_EQ("record after a quoted newline starts on line 5", g.lines[3], 5);
	TH_INT_EQ("record number counts the blank line", g.numbers[3], 4);
	buf_free(&g.text);
	diag_free(&d);
	/* A CP932 character split across the 64 KiB chunk boundary. */
	{
		odc_buf big = ODC_BUF_INIT;
		size_t i;
		odc_csv_opts sj = {0};
		sj.encoding = "cp932";
		buf_puts(&big, "h\n");
		for (i = 0; big.len < 65535; i++)
			buf_putc(&big, 'x');
		buf_puts(&big, "\x87\x40\n");
		memset(&g, 0, sizeof(g));
		th_check(csvscan_run(big.ptr, big.len, &sj, collect, &g, "t.csv", &d) == 0 &&
				 strstr(buf_cstr(&g.text), "x①\n") != NULL,
			 "a character across the chunk boundary", "not decoded");
		buf_free(&g.text);
		buf_free(&big);
		diag_free(&d);
	}
	return th_summary();
}
