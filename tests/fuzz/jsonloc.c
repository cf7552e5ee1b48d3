/*
 * jsonloc.c — fuzz target for jsonloc_find.
 *
 * Input format: the whole input is JSON text. As jsonloc.h's contract
 * says, jsonloc_find is only asked about text that Jansson accepts (with
 * the flags catalog.c uses: JSON_REJECT_DUPLICATES, an object or array at
 * the top); other inputs are skipped.
 *
 * For an accepted document it is asked about a few fixed pointers
 * (usually absent: the answer must be 0 or 1, never -1, since the text is
 * JSON) and about the pointers of up to 64 values that do exist (found by
 * walking the parsed document breadth first). Oracle for the existing
 * ones: the answer is 0 and the line and column point at the first
 * character of that value ('{', '[', '"', a digit or '-', t, f, n), with
 * columns counted in characters as jsonloc.h says — for every document
 * Jansson accepts, escaped member names, member names of any length and a
 * NUL right after a literal (which Jansson 2.14 skips) included.
 */
#include <jansson.h>
#include <string.h>

#include "buf.h"
#include "fuzz.h"
#include "jsonloc.h"

/* Byte offset of (line, col), counted as jsonloc counts, or (size_t)-1. */
static size_t offset_of(const char *s, size_t len, long line, long col)
{
	long l = 1, c = 1;
	size_t i;
	for (i = 0; i < len; i++) {
		unsigned char ch = (unsigned char)s[i];
		if (l == line && c == col && (ch & 0xC0) != 0x80)
			return i;
		if (ch == '\n') {
			l++;
			c = 1;
		} else if ((ch & 0xC0) != 0x80) {
			c++;
		}
	}
	return (size_t)-1;
}

static int starts_value(const json_t *v, char ch)
{
	switch (json_typeof(v)) {
	case JSON_OBJECT:
		return ch == '{';
	case JSON_ARRAY:
		return ch == '[';
	case JSON_STRING:
		return ch == '"';
	case JSON_INTEGER:
	case JSON_REAL:
		return ch == '-' || (ch >= '0' && ch <= '9');
	case JSON_TRUE:
		return ch == 't';
	case JSON_FALSE:
		return ch == 'f';
	case JSON_NULL:
		return ch == 'n';
	}
	return 0;
}

/* Appends "/" and the RFC 6901 escaped token. */
static void put_token(odc_buf *b, const char *t, size_t n)
{
	size_t i;
	buf_putc(b, '/');
	for (i = 0; i < n; i++) {
		if (t[i] == '~')
			buf_puts(b, "~0");
		else if (t[i] == '/')
			buf_puts(b, "~1");
		else
			buf_putc(b, t[i]);
	}
}

#define MAXQ 64

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const fixed[] = {"", "/", "/resources", "/resources/0/schema",
					    "/resources/0/schema/fields/1/name", "/0", "/1/0",
					    "/a~1b", "/~0", "/name", "/-1", "/999999999999999999999"};
	const char *text = (const char *)data;
	json_error_t e;
	json_t *root = json_loadb(text, size, JSON_REJECT_DUPLICATES, &e);
	json_t *vals[MAXQ];
	odc_buf ptrs[MAXQ];
	size_t head = 0, tail = 0, i;
	long line, col;

	if (!root)
		return 0;
	for (i = 0; i < sizeof(fixed) / sizeof(fixed[0]); i++) {
		int rc = jsonloc_find(text, size, fixed[i], &line, &col);
		FUZZ_ASSERT(rc == 0 || rc == 1);
		FUZZ_ASSERT(line >= 1 && col >= 1);
	}
	memset(ptrs, 0, sizeof(ptrs));
	vals[tail] = root;
	buf_puts(&ptrs[tail], "");
	tail++;
	while (head < tail) {
		json_t *v = vals[head];
		const char *p = buf_cstr(&ptrs[head]);
		int rc = jsonloc_find(text, size, p, &line, &col);
		FUZZ_ASSERT(rc == 0 || rc == 1);
		{
			size_t off;
			if (rc != 0)
				fprintf(stderr, "pointer \"%s\" exists but was not found\n", p);
			FUZZ_ASSERT(rc == 0);
			off = offset_of(text, size, line, col);
			if (off == (size_t)-1 || !starts_value(v, text[off]))
				fprintf(stderr, "pointer \"%s\" located at %ld:%ld\n", p, line, col);
			FUZZ_ASSERT(off != (size_t)-1);
			FUZZ_ASSERT(starts_value(v, text[off]));
		}
		if (json_is_object(v)) {
			const char *key;
			json_t *m;
			json_object_foreach(v, key, m) {
				if (tail == MAXQ)
					break;
				vals[tail] = m;
				buf_puts(&ptrs[tail], p);
				put_token(&ptrs[tail], key, strlen(key));
				tail++;
			}
		} else if (json_is_array(v)) {
			size_t k;
			json_t *m;
			json_array_foreach(v, k, m) {
				char num[32];
				if (tail == MAXQ)
					break;
				vals[tail] = m;
				buf_puts(&ptrs[tail], p);
				snprintf(num, sizeof(num), "/%zu", k);
				buf_puts(&ptrs[tail], num);
				tail++;
			}
		}
		head++;
	}
	for (i = 0; i < tail; i++)
		buf_free(&ptrs[i]);
	json_decref(root);
	return 0;
}
