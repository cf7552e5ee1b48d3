/*
 * diag.c — the diagnostic list and its text output (see diag.h).
 */
#include "diag.h"

#include <stdarg.h>
#include <stdlib.h>

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

void diag_print(const odc_diags *d, FILE *f)
{
	size_t i;

	for (i = 0; i < d->n; i++) {
		const odc_diag *x = &d->items[i];
		if (x->file) {
			fputs(x->file, f);
			if (x->line > 0) {
				fprintf(f, ":%ld", x->line);
				if (x->column > 0)
					fprintf(f, ":%ld", x->column);
			}
			fputs(": ", f);
		}
		fprintf(f, "%s: %s [%s]\n", x->sev == ODC_SEV_ERROR ? "error" : "warning",
			x->message, x->code);
		if (x->hint)
			fprintf(f, "  hint: %s\n", x->hint);
	}
}

void diag_free(odc_diags *d)
{
	size_t i;

	for (i = 0; i < d->n; i++) {
		free(d->items[i].code);
		free(d->items[i].file);
		free(d->items[i].message);
		free(d->items[i].hint);
	}
	free(d->items);
	d->items = NULL;
	d->n = d->cap = d->errors = d->warnings = 0;
}
