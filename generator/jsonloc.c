/*
 * jsonloc.c — locating a JSON pointer in JSON text (see jsonloc.h).
 */
#include "jsonloc.h"

#include "buf.h"

#include <stdlib.h>
#include <string.h>

typedef struct cur {
	const char *s;
	size_t len, i;
	long line, col;
} cur;

static void adv(cur *c)
{
	unsigned char ch = (unsigned char)c->s[c->i++];
	if (ch == '\n') {
		c->line++;
		c->col = 1;
	} else if ((ch & 0xC0) != 0x80) {
		c->col++; /* count characters, not continuation bytes */
	}
}

/* Jansson 2.14 also accepts a NUL right after a number or literal and
 * goes on as if it were not there: so does this scanner. */
static void ws(cur *c)
{
	while (c->i < c->len && (c->s[c->i] == ' ' || c->s[c->i] == '\t' || c->s[c->i] == '\n' ||
				 c->s[c->i] == '\r' || c->s[c->i] == '\0'))
		adv(c);
}

static int hexval(char ch)
{
	if (ch >= '0' && ch <= '9')
		return ch - '0';
	if (ch >= 'a' && ch <= 'f')
		return ch - 'a' + 10;
	if (ch >= 'A' && ch <= 'F')
		return ch - 'A' + 10;
	return -1;
}

static void put_utf8(odc_buf *b, unsigned long cp)
{
	char u[4];
	if (cp < 0x80) {
		buf_putc(b, (char)cp);
	} else if (cp < 0x800) {
		u[0] = (char)(0xC0 | (cp >> 6));
		u[1] = (char)(0x80 | (cp & 0x3F));
		buf_put(b, u, 2);
	} else if (cp < 0x10000) {
		u[0] = (char)(0xE0 | (cp >> 12));
		u[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
		u[2] = (char)(0x80 | (cp & 0x3F));
		buf_put(b, u, 3);
	} else {
		u[0] = (char)(0xF0 | (cp >> 18));
		u[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
		u[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
		u[3] = (char)(0x80 | (cp & 0x3F));
		buf_put(b, u, 4);
	}
}

/* Reads 4 hex digits at c; returns the value or -1. */
static long hex4(cur *c)
{
	long v = 0;
	int k;
	for (k = 0; k < 4; k++) {
		int h;
		if (c->i >= c->len || (h = hexval(c->s[c->i])) < 0)
			return -1;
		v = v * 16 + h;
		adv(c);
	}
	return v;
}

/* Skips a string starting at '"'; when out is not NULL, stores its value
 * (escapes decoded, as Jansson decodes them) there. */
static int skip_string(cur *c, odc_buf *out)
{
	if (c->i >= c->len || c->s[c->i] != '"')
		return -1;
	adv(c);
	while (c->i < c->len && c->s[c->i] != '"') {
		if (c->s[c->i] == '\\') {
			char e;
			adv(c);
			if (c->i >= c->len)
				return -1;
			e = c->s[c->i];
			if (e == 'u') {
				long cp, lo;
				adv(c);
				if ((cp = hex4(c)) < 0)
					return -1;
				if (cp >= 0xD800 && cp <= 0xDBFF && c->i + 1 < c->len && c->s[c->i] == '\\' &&
				    c->s[c->i + 1] == 'u') {
					adv(c);
					adv(c);
					if ((lo = hex4(c)) < 0)
						return -1;
					cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
				}
				if (out)
					put_utf8(out, (unsigned long)cp);
				continue;
			}
			if (out) {
				const char *from = "bfnrt", *to = "\b\f\n\r\t";
				const char *k = strchr(from, e);
				buf_putc(out, k && *k ? to[k - from] : e);
			}
			adv(c);
			continue;
		}
		if (out)
			buf_putc(out, c->s[c->i]);
		adv(c);
	}
	if (c->i >= c->len)
		return -1;
	adv(c);
	return 0;
}

/* Skips one value of any kind, nesting counted without recursion. */
static int skip_value(cur *c)
{
	long depth = 0;
	ws(c);
	do {
		if (c->i >= c->len)
			return -1;
		char ch = c->s[c->i];
		if (ch == '"') {
			if (skip_string(c, NULL) < 0)
				return -1;
		} else if (ch == '{' || ch == '[') {
			depth++;
			adv(c);
		} else if (ch == '}' || ch == ']') {
			depth--;
			adv(c);
		} else {
			adv(c);
			/* A scalar at depth 0 ends at a delimiter. */
			if (depth == 0) {
				while (c->i < c->len && c->s[c->i] && !strchr(",}] \t\r\n", c->s[c->i]))
					adv(c);
				return 0;
			}
		}
	} while (depth > 0);
	return 0;
}

/* Unescapes one pointer token (~1 → /, ~0 → ~) into out. */
static void token(const char *p, size_t n, odc_buf *out)
{
	size_t i;
	for (i = 0; i < n; i++) {
		if (p[i] == '~' && i + 1 < n && (p[i + 1] == '0' || p[i + 1] == '1')) {
			buf_putc(out, p[i + 1] == '0' ? '~' : '/');
			i++;
		} else {
			buf_putc(out, p[i]);
		}
	}
}

/* An RFC 6901 array index: "0" or digits without a leading zero. */
static long array_index(const odc_buf *t)
{
	size_t i;
	long v = 0;
	if (t->len == 0 || (t->len > 1 && t->ptr[0] == '0') || t->len > 9)
		return -1;
	for (i = 0; i < t->len; i++) {
		if (t->ptr[i] < '0' || t->ptr[i] > '9')
			return -1;
		v = v * 10 + (t->ptr[i] - '0');
	}
	return v;
}

int jsonloc_find(const char *json, size_t len, const char *pointer, long *line, long *col)
{
	cur c = {json, len, 0, 1, 1};
	const char *p = pointer;
	odc_buf want = ODC_BUF_INIT, key = ODC_BUF_INIT;
	int rc = 0;

	ws(&c);
	*line = c.line;
	*col = c.col;
	while (*p == '/') {
		const char *end = strchr(p + 1, '/');
		size_t n = end ? (size_t)(end - p - 1) : strlen(p + 1);
		int found = 0;

		buf_clear(&want);
		token(p + 1, n, &want);
		if (c.i >= c.len) {
			rc = -1;
			goto done;
		}
		if (c.s[c.i] == '{') {
			adv(&c);
			ws(&c);
			while (c.i < c.len && c.s[c.i] != '}') {
				buf_clear(&key);
				if (skip_string(&c, &key) < 0) {
					rc = -1;
					goto done;
				}
				ws(&c);
				if (c.i >= c.len || c.s[c.i] != ':') {
					rc = -1;
					goto done;
				}
				adv(&c);
				ws(&c);
				if (key.len == want.len && !memcmp(buf_cstr(&key), buf_cstr(&want), key.len)) {
					found = 1;
					break;
				}
				if (skip_value(&c) < 0) {
					rc = -1;
					goto done;
				}
				ws(&c);
				if (c.i < c.len && c.s[c.i] == ',') {
					adv(&c);
					ws(&c);
				}
			}
		} else if (c.s[c.i] == '[') {
			long idx = array_index(&want), k;
			if (idx < 0) {
				rc = 1;
				goto done;
			}
			adv(&c);
			ws(&c);
			for (k = 0; c.i < c.len && c.s[c.i] != ']'; k++) {
				if (k == idx) {
					found = 1;
					break;
				}
				if (skip_value(&c) < 0) {
					rc = -1;
					goto done;
				}
				ws(&c);
				if (c.i < c.len && c.s[c.i] == ',') {
					adv(&c);
					ws(&c);
				}
			}
		}
		if (!found) {
			rc = 1;
			goto done;
		}
		*line = c.line;
		*col = c.col;
		p = end ? end : p + 1 + n;
	}
done:
	buf_free(&want);
	buf_free(&key);
	return rc;
}
