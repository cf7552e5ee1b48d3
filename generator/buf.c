/*
 * buf.c — the growable byte buffer and the aborting allocators (see buf.h).
 */
#include "buf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void oom(size_t n)
{
	fprintf(stderr, "odcat: out of memory (asked for %zu bytes)\n", n);
	abort();
}

void *xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);
	if (!p)
		oom(n);
	return p;
}

void *xcalloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size ? size : 1);
	if (!p)
		oom(n * size);
	return p;
}

void *xrealloc(void *p, size_t n)
{
	void *q = realloc(p, n ? n : 1);
	if (!q)
		oom(n);
	return q;
}

char *xstrdup(const char *s)
{
	return xstrndup(s, strlen(s));
}

char *xstrndup(const char *s, size_t n)
{
	char *p = xmalloc(n + 1);
	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

void buf_grow(odc_buf *b, size_t extra)
{
	size_t need;

	if (extra > (size_t)-1 / 2 - b->len)
		oom(extra);
	need = b->len + extra + 1;
	if (need <= b->cap)
		return;
	size_t cap = b->cap ? b->cap : 64;
	while (cap < need)
		cap *= 2;
	b->ptr = xrealloc(b->ptr, cap);
	b->cap = cap;
}

void buf_put(odc_buf *b, const void *data, size_t len)
{
	buf_grow(b, len);
	if (len)
		memcpy(b->ptr + b->len, data, len);
	b->len += len;
	b->ptr[b->len] = '\0';
}

void buf_puts(odc_buf *b, const char *s)
{
	buf_put(b, s, strlen(s));
}

void buf_putc(odc_buf *b, char c)
{
	buf_put(b, &c, 1);
}

void buf_vprintf(odc_buf *b, const char *fmt, va_list ap)
{
	va_list ap2;
	int n;

	va_copy(ap2, ap);
	n = vsnprintf(NULL, 0, fmt, ap2);
	va_end(ap2);
	if (n < 0)
		return;
	buf_grow(b, (size_t)n);
	vsnprintf(b->ptr + b->len, (size_t)n + 1, fmt, ap);
	b->len += (size_t)n;
}

void buf_printf(odc_buf *b, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	buf_vprintf(b, fmt, ap);
	va_end(ap);
}

void buf_clear(odc_buf *b)
{
	b->len = 0;
	if (b->ptr)
		b->ptr[0] = '\0';
}

const char *buf_cstr(const odc_buf *b)
{
	return b->ptr ? b->ptr : "";
}

char *buf_detach(odc_buf *b)
{
	char *p = b->ptr ? b->ptr : xstrdup("");
	b->ptr = NULL;
	b->len = b->cap = 0;
	return p;
}

void buf_free(odc_buf *b)
{
	free(b->ptr);
	b->ptr = NULL;
	b->len = b->cap = 0;
}

int buf_read_file(odc_buf *b, const char *path)
{
	char tmp[65536];
	size_t k;
	int rc;
	FILE *f = fopen(path, "rb");
	if (!f)
		return -1;
	while ((k = fread(tmp, 1, sizeof(tmp), f)) > 0)
		buf_put(b, tmp, k);
	rc = ferror(f) ? -1 : 0;
	fclose(f);
	return rc;
}
