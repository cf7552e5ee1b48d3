/*
 * buf.h — odcat's one growable byte buffer.
 *
 * Owns a heap block that is always NUL-terminated yet binary safe (len
 * counts the bytes, embedded NULs allowed). Grows geometrically. Running out
 * of memory aborts with a message, as in cmark, jq and redis: there is no
 * sensible way to continue a build without memory. Hostile input is bounded
 * by the callers' own limits, not here.
 *
 * An odc_buf initialised with ODC_BUF_INIT (or zeroed) is empty and owns
 * nothing; buf_free releases the block; buf_detach hands it to the caller.
 */
#ifndef ODC_BUF_H
#define ODC_BUF_H

#include <stdarg.h>
#include <stddef.h>

typedef struct odc_buf {
	char *ptr;   /* NULL while nothing was ever added; else NUL-terminated */
	size_t len;  /* bytes used, excluding the terminating NUL */
	size_t cap;  /* bytes allocated */
} odc_buf;

#define ODC_BUF_INIT {NULL, 0, 0}

void buf_grow(odc_buf *b, size_t extra);
void buf_put(odc_buf *b, const void *data, size_t len);
void buf_puts(odc_buf *b, const char *s);
void buf_putc(odc_buf *b, char c);
void buf_printf(odc_buf *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void buf_vprintf(odc_buf *b, const char *fmt, va_list ap);
/* Empties the buffer but keeps its memory. */
void buf_clear(odc_buf *b);
/* Returns the string ("" when empty); never NULL. Lent: valid until the next change. */
const char *buf_cstr(const odc_buf *b);
/* Hands the malloc'd, NUL-terminated block to the caller (never NULL) and empties b. */
char *buf_detach(odc_buf *b);
/* Appends the whole file at path to b. Returns 0, or -1 when it cannot be
 * opened or read (b then holds what was read). */
int buf_read_file(odc_buf *b, const char *path);
void buf_free(odc_buf *b);

/* Allocation helpers that abort with a message on out-of-memory. */
void *xmalloc(size_t n);
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);

#endif
