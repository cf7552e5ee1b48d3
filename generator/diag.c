/*
 * diag.c — the diagnostic list and its output formats (see diag.h).
 */
#include "diag.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"

void diag_add(odc_diags *d, odc_severity sev, const char *code, const char *file,
	      long line, long column, const char *hint, const char *fmt, ...)
{
	odc_buf msg = ODC_BUF_INIT;
	va_list ap;
	odc_diag *x;

	if (d->n == d->cap) {
		d->cap = d->cap ? d->cap * 2 : 16;
		d->items = xrealloc(d->items, d->cap * sizeof(*d->items));
	}
	va_start(ap, fmt);
	buf_vprintf(&msg, fmt, ap);
	va_end(ap);
	x = &d->items[d->n++];
	memset(x, 0, sizeof(*x));
	x->sev = sev;
	x->code = xstrdup(code);
	x->file = file ? xstrdup(file) : NULL;
	x->line = line;
	x->column = column;
	x->message = buf_detach(&msg);
	x->hint = hint ? xstrdup(hint) : NULL;
	if (sev == ODC_SEV_ERROR)
		d->errors++;
	else
		d->warnings++;
}

void diag_ja(odc_diags *d, const char *hint, const char *fmt, ...)
{
	odc_buf msg = ODC_BUF_INIT;
	va_list ap;
	odc_diag *x;

	if (!d->n)
		return;
	x = &d->items[d->n - 1];
	va_start(ap, fmt);
	buf_vprintf(&msg, fmt, ap);
	va_end(ap);
	free(x->message_ja);
	free(x->hint_ja);
	x->message_ja = buf_detach(&msg);
	x->hint_ja = hint ? xstrdup(hint) : NULL;
}

char *diag_shorten(const char *s, size_t len, size_t max)
{
	odc_buf b = ODC_BUF_INIT;
	size_t i = 0, chars = 0;

	while (i < len) {
		unsigned char c = (unsigned char)s[i];
		size_t n = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
		if (chars == max) {
			buf_puts(&b, "…");
			break;
		}
		if (i + n > len)
			n = len - i;
		if (c < 0x20 || c == 0x7F)
			buf_printf(&b, "\\x%02X", c);
		else
			buf_put(&b, s + i, n);
		i += n;
		chars++;
	}
	return buf_detach(&b);
}

void diag_cell(odc_diags *d, long row, long field, const char *field_name, const char *value,
	       size_t len)
{
	odc_diag *x;
	if (!d->n)
		return;
	x = &d->items[d->n - 1];
	x->row = row;
	x->field = field;
	free(x->field_name);
	free(x->value);
	x->field_name = field_name ? xstrdup(field_name) : NULL;
	x->value = value ? diag_shorten(value, len, 40) : NULL;
}

void diag_move(odc_diags *dst, odc_diags *src)
{
	size_t i;

	for (i = 0; i < src->n; i++) {
		if (dst->n == dst->cap) {
			dst->cap = dst->cap ? dst->cap * 2 : 16;
			dst->items = xrealloc(dst->items, dst->cap * sizeof(*dst->items));
		}
		dst->items[dst->n++] = src->items[i];
	}
	dst->errors += src->errors;
	dst->warnings += src->warnings;
	free(src->items);
	src->items = NULL;
	src->n = src->cap = src->errors = src->warnings = 0;
}

static void rec_set(json_t *o, const char *key, const char *s)
{
	if (s)
		json_object_set_new(o, key, json_string(s));
}

json_t *diag_record(const odc_diags *d)
{
	json_t *a = json_array();
	size_t i;
	for (i = 0; i < d->n; i++) {
		const odc_diag *x = &d->items[i];
		json_t *o = json_object();
		json_object_set_new(o, "error", json_boolean(x->sev == ODC_SEV_ERROR));
		rec_set(o, "code", x->code);
		rec_set(o, "file", x->file);
		json_object_set_new(o, "line", json_integer(x->line));
		json_object_set_new(o, "column", json_integer(x->column));
		json_object_set_new(o, "row", json_integer(x->row));
		json_object_set_new(o, "field", json_integer(x->field));
		rec_set(o, "field_name", x->field_name);
		rec_set(o, "value", x->value);
		rec_set(o, "message", x->message);
		rec_set(o, "hint", x->hint);
		rec_set(o, "message_ja", x->message_ja);
		rec_set(o, "hint_ja", x->hint_ja);
		json_array_append_new(a, o);
	}
	return a;
}

static char *rec_get(const json_t *o, const char *key)
{
	const char *s = json_string_value(json_object_get(o, key));
	return s ? xstrdup(s) : NULL;
}

int diag_restore(odc_diags *d, const json_t *a)
{
	const json_t *o;
	size_t i;
	if (!json_is_array(a))
		return -1;
	json_array_foreach(a, i, o) {
		odc_diag *x;
		if (!json_is_string(json_object_get(o, "code")) || !json_is_string(json_object_get(o, "message")))
			return -1;
		if (d->n == d->cap) {
			d->cap = d->cap ? d->cap * 2 : 16;
			d->items = xrealloc(d->items, d->cap * sizeof(*d->items));
		}
		x = &d->items[d->n++];
		memset(x, 0, sizeof(*x));
		x->sev = json_is_true(json_object_get(o, "error")) ? ODC_SEV_ERROR : ODC_SEV_WARNING;
		x->code = rec_get(o, "code");
		x->file = rec_get(o, "file");
		x->line = (long)json_integer_value(json_object_get(o, "line"));
		x->column = (long)json_integer_value(json_object_get(o, "column"));
		x->row = (long)json_integer_value(json_object_get(o, "row"));
		x->field = (long)json_integer_value(json_object_get(o, "field"));
		x->field_name = rec_get(o, "field_name");
		x->value = rec_get(o, "value");
		x->message = rec_get(o, "message");
		x->hint = rec_get(o, "hint");
		x->message_ja = rec_get(o, "message_ja");
		x->hint_ja = rec_get(o, "hint_ja");
		if (x->sev == ODC_SEV_ERROR)
			d->errors++;
		else
			d->warnings++;
	}
	return 0;
}

static const char *msg_of(const odc_diag *x, const char *lang)
{
	return lang && !strcmp(lang, "ja") && x->message_ja ? x->message_ja : x->message;
}

static const char *hint_of(const odc_diag *x, const char *lang)
{
	if (lang && !strcmp(lang, "ja") && x->message_ja)
		return x->hint_ja ? x->hint_ja : x->hint;
	return x->hint;
}

/* GitHub's workflow-command escaping: data escapes %, CR, LF; properties
 * also : and ,. */
static void gh_escape(FILE *f, const char *s, int property)
{
	for (; *s; s++) {
		switch (*s) {
		case '%': fputs("%25", f); break;
		case '\r': fputs("%0D", f); break;
		case '\n': fputs("%0A", f); break;
		case ':': fputs(property ? "%3A" : ":", f); break;
		case ',': fputs(property ? "%2C" : ",", f); break;
		default: fputc(*s, f);
		}
	}
}

static void print_one(const odc_diag *x, FILE *f, odc_diag_format fmt, const char *lang)
{
	const char *m = msg_of(x, lang), *h = hint_of(x, lang);
	const char *hint_word = lang && !strcmp(lang, "ja") ? "ヒント" : "hint";

	if (fmt == ODC_FMT_GITHUB) {
		fputs(x->sev == ODC_SEV_ERROR ? "::error " : "::warning ", f);
		if (x->file) {
			fputs("file=", f);
			gh_escape(f, x->file, 1);
			if (x->line > 0)
				fprintf(f, ",line=%ld", x->line);
			if (x->column > 0)
				fprintf(f, ",col=%ld", x->column);
			fputc(',', f);
		}
		fputs("title=", f);
		gh_escape(f, x->code, 1);
		fputs("::", f);
		gh_escape(f, m, 0);
		if (h) {
			fprintf(f, " (%s: ", hint_word);
			gh_escape(f, h, 0);
			fputc(')', f);
		}
		fputc('\n', f);
		return;
	}
	if (x->file) {
		fputs(x->file, f);
		if (x->line > 0) {
			fprintf(f, ":%ld", x->line);
			if (x->column > 0)
				fprintf(f, ":%ld", x->column);
		}
		fputs(": ", f);
	}
	if (x->sev == ODC_SEV_WARNING)
		fputs("warning: ", f);
	fprintf(f, "%s: %s", x->code, m);
	if (h)
		fprintf(f, " (%s: %s)", hint_word, h);
	fputc('\n', f);
}

/* Diagnostics group by code, file and column (field). */
static int same_group(const odc_diag *a, const odc_diag *b)
{
	return a->column == b->column && a->field == b->field && !strcmp(a->code, b->code) &&
	       ((!a->file && !b->file) || (a->file && b->file && !strcmp(a->file, b->file)));
}

void diag_print(const odc_diags *d, FILE *f, odc_diag_format fmt, const char *lang,
		size_t group_after)
{
	size_t i, j;
	int ja = lang && !strcmp(lang, "ja");
	char *done;

	if (fmt == ODC_FMT_JSON) {
		json_t *all = diag_to_json(d, lang);
		json_dumpf(all, f, JSON_INDENT(2));
		fputc('\n', f);
		json_decref(all);
		return;
	}
	done = xcalloc(d->n ? d->n : 1, 1);
	for (i = 0; i < d->n; i++) {
		size_t seen = 0, more = 0;
		long first_row = 0, last_row = 0;
		if (done[i])
			continue;
		/* Print the first few of this group, count the rest. */
		for (j = i; j < d->n; j++) {
			if (done[j] || !same_group(&d->items[i], &d->items[j]))
				continue;
			if (!group_after || !d->items[i].field || seen < group_after) {
				print_one(&d->items[j], f, fmt, lang);
				if (j != i)
					done[j] = 1;
				seen++;
			} else {
				if (!more)
					first_row = d->items[j].row;
				last_row = d->items[j].row;
				more++;
				done[j] = 1;
			}
			if (!group_after || !d->items[i].field)
				break;
		}
		done[i] = 1;
		if (more) {
			const odc_diag *x = &d->items[i];
			odc_diags one = ODC_DIAGS_INIT;
			diag_add(&one, x->sev, x->code, x->file, 0, x->column, NULL,
				 "%zu more like this in field %ld%s%s%s (rows %ld to %ld)", more, x->field,
				 x->field_name ? " \"" : "", x->field_name ? x->field_name : "",
				 x->field_name ? "\"" : "", first_row, last_row);
			diag_ja(&one, NULL, "同様の問題があと %zu 件（%ld 列目%s%s%s、%ld 行目から %ld 行目）", more,
				x->field, x->field_name ? "「" : "", x->field_name ? x->field_name : "",
				x->field_name ? "」" : "", first_row, last_row);
			print_one(&one.items[0], f, fmt, ja ? "ja" : "en");
			diag_free(&one);
		}
	}
	free(done);
}

json_t *diag_to_json(const odc_diags *d, const char *lang)
{
	json_t *a = json_array();
	size_t i;

	for (i = 0; i < d->n; i++) {
		const odc_diag *x = &d->items[i];
		json_t *o = json_object();
		const char *h = hint_of(x, lang);
		json_object_set_new(o, "severity", json_string(x->sev == ODC_SEV_ERROR ? "error" : "warning"));
		json_object_set_new(o, "code", json_string(x->code));
		json_object_set_new(o, "file", x->file ? json_string(x->file) : json_null());
		json_object_set_new(o, "line", x->line ? json_integer(x->line) : json_null());
		json_object_set_new(o, "column", x->column ? json_integer(x->column) : json_null());
		json_object_set_new(o, "row", x->row ? json_integer(x->row) : json_null());
		json_object_set_new(o, "field", x->field ? json_integer(x->field) : json_null());
		json_object_set_new(o, "fieldName", x->field_name ? json_string(x->field_name) : json_null());
		json_object_set_new(o, "value", x->value ? json_string(x->value) : json_null());
		json_object_set_new(o, "message", json_string(msg_of(x, lang)));
		json_object_set_new(o, "hint", h ? json_string(h) : json_null());
		/* json_string returns NULL on invalid UTF-8: keep the key, as null. */
		json_array_append_new(a, o);
	}
	return a;
}

void diag_free(odc_diags *d)
{
	size_t i;

	for (i = 0; i < d->n; i++) {
		free(d->items[i].code);
		free(d->items[i].file);
		free(d->items[i].field_name);
		free(d->items[i].value);
		free(d->items[i].message);
		free(d->items[i].hint);
		free(d->items[i].message_ja);
		free(d->items[i].hint_ja);
	}
	free(d->items);
	d->items = NULL;
	d->n = d->cap = d->errors = d->warnings = 0;
}
