/*
 * jsonloc.c — locating a JSON pointer in JSON text (see jsonloc.h).
 */
#include "jsonloc.h"

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

static void ws(cur *c)
{
	while (c->i < c->len && (c->s[c->i] == ' ' || c->s[c->i] == '\t' || c->s[c->i] == '\n' ||
				 c->s[c->i] == '\r'))
		adv(c);
}

/* Skips a string starting at '"'; copies its raw bytes (escapes kept
 * verbatim) to out when out is not NULL (at most cap-1 bytes). */
static int skip_string(cur *c, char *out, size_t cap, size_t *outlen)
{
	size_t n = 0;
	if (c->i >= c->len || c->s[c->i] != '"')
		return -1;
	adv(c);
	while (c->i < c->len && c->s[c->i] != '"') {
		if (c->s[c->i] == '\\') {
			if (out && n + 1 < cap)
				out[n++] = c->s[c->i];
			adv(c);
			if (c->i >= c->len)
				return -1;
		}
		if (out && n + 1 < cap)
			out[n++] = c->s[c->i];
		adv(c);
	}
	if (c->i >= c->len)
		return -1;
	adv(c);
	if (outlen)
		*outlen = n;
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
			if (skip_string(c, NULL, 0, NULL) < 0)
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
				while (c->i < c->len && !strchr(",}] \t\r\n", c->s[c->i]))
					adv(c);
				return 0;
			}
		}
	} while (depth > 0);
	return 0;
}

/* Unescapes one pointer token (~1 → /, ~0 → ~) into out. */
static size_t token(const char *p, size_t n, char *out, size_t cap)
{
	size_t i, k = 0;
	for (i = 0; i < n && k + 1 < cap; i++) {
		if (p[i] == '~' && i + 1 < n && (p[i + 1] == '0' || p[i + 1] == '1')) {
			out[k++] = p[i + 1] == '0' ? '~' : '/';
			i++;
		} else {
			out[k++] = p[i];
		}
	}
	out[k] = '\0';
	return k;
}

int jsonloc_find(const char *json, size_t len, const char *pointer, long *line, long *col)
{
	cur c = {json, len, 0, 1, 1};
	const char *p = pointer;

	ws(&c);
	*line = c.line;
	*col = c.col;
	while (*p == '/') {
		const char *end = strchr(p + 1, '/');
		size_t n = end ? (size_t)(end - p - 1) : strlen(p + 1);
		char want[512];
		size_t wlen = token(p + 1, n, want, sizeof(want));
		int found = 0;

		if (c.i >= c.len)
			return -1;
		if (c.s[c.i] == '{') {
			adv(&c);
			ws(&c);
			while (c.i < c.len && c.s[c.i] != '}') {
				char key[512];
				size_t klen = 0;
				if (skip_string(&c, key, sizeof(key), &klen) < 0)
					return -1;
				ws(&c);
				if (c.i >= c.len || c.s[c.i] != ':')
					return -1;
				adv(&c);
				ws(&c);
				if (klen == wlen && !memcmp(key, want, klen)) {
					found = 1;
					break;
				}
				if (skip_value(&c) < 0)
					return -1;
				ws(&c);
				if (c.i < c.len && c.s[c.i] == ',') {
					adv(&c);
					ws(&c);
				}
			}
		} else if (c.s[c.i] == '[') {
			char *e;
			long idx = strtol(want, &e, 10), k;
			if (*e || idx < 0)
				return 1;
			adv(&c);
			ws(&c);
			for (k = 0; c.i < c.len && c.s[c.i] != ']'; k++) {
				if (k == idx) {
					found = 1;
					break;
				}
				if (skip_value(&c) < 0)
					return -1;
				ws(&c);
				if (c.i < c.len && c.s[c.i] == ',') {
					adv(&c);
					ws(&c);
				}
			}
		}
		if (!found)
			return 1;
		*line = c.line;
		*col = c.col;
		p = end ? end : p + 1 + n;
	}
	return 0;
}
