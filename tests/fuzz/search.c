/*
 * search.c — fuzz target for the search tokeniser and MeCab readings.
 *
 * Input format: the whole input is text (any bytes: invalid UTF-8 is a
 * separator). It goes through search_tokenize and search_readings.
 *
 * Oracles (docs/search.md): every token is non-empty valid UTF-8 holding
 * no space, no ASCII punctuation other than inside nothing (separators and
 * joiners never reach a token), no upper-case ASCII letter and no
 * hiragana; a word is at most ODC_SEARCH_MAX_WORD code points; a reading
 * token is exactly two code points; tokenising twice gives the same
 * tokens (no hidden state).
 */
#include <string.h>
#include <utf8proc.h>

#include "buf.h"
#include "fuzz.h"
#include "search.h"

static odc_reader *reader;

typedef struct seen {
	odc_buf all; /* every token, NUL-separated */
	size_t n;
	int reading;
} seen;

static void check(const char *tok, size_t len, void *payload)
{
	seen *s = payload;
	size_t i = 0, cps = 0;

	FUZZ_ASSERT(len > 0);
	FUZZ_ASSERT(strlen(tok) == len);
	while (i < len) {
		utf8proc_int32_t c;
		utf8proc_ssize_t k = utf8proc_iterate((const utf8proc_uint8_t *)tok + i,
						      (utf8proc_ssize_t)(len - i), &c);
		FUZZ_ASSERT(k > 0);
		FUZZ_ASSERT(c > 0x20 && c != 0x7F);
		FUZZ_ASSERT(!(c < 0x80 && !((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z'))));
		FUZZ_ASSERT(!(c >= 0x3041 && c <= 0x3096));
		i += (size_t)k;
		cps++;
	}
	FUZZ_ASSERT(cps <= ODC_SEARCH_MAX_WORD);
	if (s->reading)
		FUZZ_ASSERT(cps == 2);
	buf_put(&s->all, tok, len + 1);
	s->n++;
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	odc_buf msg = ODC_BUF_INIT;
	(void)argc;
	(void)argv;
	reader = search_reader_new(&msg); /* NULL without a dictionary: no readings */
	buf_free(&msg);
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	seen a = {ODC_BUF_INIT, 0, 0}, b = {ODC_BUF_INIT, 0, 0}, r = {ODC_BUF_INIT, 0, 1};

	search_tokenize((const char *)data, size, check, &a);
	search_tokenize((const char *)data, size, check, &b);
	FUZZ_ASSERT(a.n == b.n && a.all.len == b.all.len);
	FUZZ_ASSERT(a.all.len == 0 || !memcmp(a.all.ptr, b.all.ptr, a.all.len));
	if (reader)
		search_readings(reader, (const char *)data, size, check, &r);
	buf_free(&a.all);
	buf_free(&b.all);
	buf_free(&r.all);
	return 0;
}
