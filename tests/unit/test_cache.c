/*
 * test_cache.c — the build cache's record form (cache.c).
 *
 * Strings: cache.c checks UTF-8 itself (8 bytes at a time) and hands the
 * bytes to jansson unchecked, so a record string must be accepted exactly
 * when jansson's own check (json_stringn) accepts the same bytes. The
 * oracle is jansson; the inputs are boundary code points and random byte
 * strings built from the bytes that matter to UTF-8 (lead bytes at the
 * edges of each range, continuation bytes, ASCII runs of 8 and more).
 *
 * File lists: cache_file_next reads "path NUL size NUL" entries and must
 * refuse a list that is not exactly that.
 */
#include <jansson.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "buf.h"
#include "cache.h"
#include "harness.h"

/* "ODCR1\n" then a one-string array holding s[0..n). */
static void record_of(odc_buf *b, const unsigned char *s, size_t n)
{
	size_t v = n;
	buf_clear(b);
	buf_puts(b, "ODCR1\na\001s");
	do {
		unsigned char c = (unsigned char)(v & 0x7f);
		v >>= 7;
		if (v)
			c |= 0x80;
		buf_put(b, &c, 1);
	} while (v);
	buf_put(b, s, n);
}

static size_t mismatches;
static char first_bad[200];

static void try_string(const unsigned char *s, size_t n)
{
	odc_buf b = ODC_BUF_INIT;
	json_t *want = json_stringn((const char *)s, n), *got;
	int same;
	record_of(&b, s, n);
	got = cache_record_decode(b.ptr, b.len);
	same = want ? got && json_array_size(got) == 1 && json_equal(json_array_get(got, 0), want)
		    : got == NULL;
	if (!same && !mismatches++) {
		size_t i, at = 0;
		for (i = 0; i < n && at + 4 < sizeof(first_bad); i++)
			at += (size_t)snprintf(first_bad + at, sizeof(first_bad) - at, "%02x ", s[i]);
		snprintf(first_bad + at, sizeof(first_bad) - at, "(jansson %s)", want ? "accepts" : "refuses");
	}
	json_decref(want);
	json_decref(got);
	buf_free(&b);
}

static uint64_t state = 0x9e3779b97f4a7c15ull;
static uint64_t next(void)
{
	state ^= state << 13;
	state ^= state >> 7;
	state ^= state << 17;
	return state;
}

static size_t files_count(const char *list, size_t len, int *rc)
{
	json_t *rec = json_object();
	const char *path;
	size_t at = 0, size, n = 0;
	json_object_set_new(rec, "files", json_stringn(list, len));
	while ((*rc = cache_file_next(rec, &at, &path, &size)) > 0)
		n++;
	json_decref(rec);
	return n;
}

int main(void)
{
	static const unsigned char edges[] = {'a',  0x00, 0x7f, 0x80, 0xbf, 0xc0, 0xc1, 0xc2, 0xdf,
					      0xe0, 0xe1, 0xec, 0xed, 0xee, 0xef, 0xf0, 0xf1, 0xf3,
					      0xf4, 0xf5, 0xf7, 0xf8, 0xff, 0x90, 0x9f, 0xa0, 0x8f};
	static const char *const fixed[] = {
		"", "plain ASCII, more than eight bytes", "\xc2\x80\xdf\xbf", "\xe0\xa0\x80\xef\xbf\xbf",
		"12345678\xf0\x90\x80\x80", "\xf4\x8f\xbf\xbf", "\xed\x9f\xbf", "\xee\x80\x80",
		/* refused: overlong, surrogates, past U+10FFFF, cut, stray continuation */
		"\xc0\xaf", "\xc1\xbf", "\xe0\x9f\xbf", "\xed\xa0\x80", "\xed\xbf\xbf", "\xf0\x8f\xbf\xbf",
		"\xf4\x90\x80\x80", "\xf5\x80\x80\x80", "abcdefgh\xe3\x81", "\x80", "abcdefg\xbf"};
	unsigned char s[48];
	size_t i, k, n;
	int rc;

	for (i = 0; i < sizeof(fixed) / sizeof(fixed[0]); i++)
		try_string((const unsigned char *)fixed[i], strlen(fixed[i]));
	try_string((const unsigned char *)"nul\0inside", 10);
	th_check(mismatches == 0, "cache-utf8-fixed", "%zu mismatches, first %s", mismatches, first_bad);

	mismatches = 0;
	for (i = 0; i < 300000; i++) {
		n = next() % sizeof(s);
		for (k = 0; k < n; k++) {
			uint64_t r = next();
			/* mostly ASCII (the 8-byte path), else an edge byte */
			s[k] = r % 3 ? (unsigned char)(' ' + r % 90) : edges[(r >> 8) % sizeof(edges)];
		}
		try_string(s, n);
	}
	th_check(mismatches == 0, "cache-utf8-random", "%zu mismatches, first %s", mismatches, first_bad);

	/* A key is checked as strings are, and may not hold a NUL. */
	{
		static const char good[] = "ODCR1\no\001\003k\xc3\xa9t";
		static const char bad[] = "ODCR1\no\001\002\xed\xa0t";
		static const char nul[] = "ODCR1\no\001\002k\000t";
		json_t *v = cache_record_decode(good, sizeof(good) - 1);
		th_check(v && json_is_true(json_object_get(v, "k\xc3\xa9")), "cache-key-utf8", "not decoded");
		json_decref(v);
		th_check(!cache_record_decode(bad, sizeof(bad) - 1), "cache-key-surrogate", "decoded");
		th_check(!cache_record_decode(nul, sizeof(nul) - 1), "cache-key-nul", "decoded");
	}

	/* File lists. */
	{
		static const char ok[] = "a/b.csv\0" "12\0" "c.html\0" "0\0";
		TH_INT_EQ("files-two", files_count(ok, sizeof(ok) - 1, &rc), 2);
		TH_INT_EQ("files-two-end", rc, 0);
		files_count("", 0, &rc);
		TH_INT_EQ("files-empty", rc, 0);
		files_count("a\0" "12", 4, &rc);
		TH_INT_EQ("files-size-without-nul", rc, -1);
		files_count("a\0" "\0", 3, &rc);
		TH_INT_EQ("files-no-size", rc, -1);
		files_count("\0" "12\0", 4, &rc);
		TH_INT_EQ("files-empty-path", rc, -1);
		files_count("a\0" "1x\0", 5, &rc);
		TH_INT_EQ("files-size-not-digits", rc, -1);
		files_count("a\0" "99999999999999999999999\0", 26, &rc);
		TH_INT_EQ("files-size-too-big", rc, -1);
		files_count("a", 1, &rc);
		TH_INT_EQ("files-path-without-nul", rc, -1);
		TH_INT_EQ("files-stop-at-bad", files_count("a\0" "1\0" "b", 5, &rc), 1);
		TH_INT_EQ("files-stop-at-bad-rc", rc, -1);
		{
			json_t *rec = json_object();
			const char *path;
			size_t at = 0, size = 0;
			json_object_set_new(rec, "files", json_stringn(ok, sizeof(ok) - 1));
			rc = cache_file_next(rec, &at, &path, &size);
			th_check(rc == 1 && !strcmp(path, "a/b.csv") && size == 12, "files-first", "rc %d", rc);
			rc = cache_file_next(rec, &at, &path, &size);
			th_check(rc == 1 && !strcmp(path, "c.html") && size == 0, "files-second", "rc %d", rc);
			json_decref(rec);
		}
	}
	return th_summary();
}
