/*
 * test_crlf.c — the Excel copy's line ends (derived.c, derived_crlf_feed)
 * against the rule of derived.h written out one byte at a time: outside
 * quotes CR, LF and CRLF end a record and become CRLF; inside quotes (the
 * dialect's quote character, doubled to escape) every byte passes; the
 * text ends with CRLF unless empty or already ending a record. The
 * function under test skips whole runs of bytes at once, and is fed the
 * text in random pieces, so the pieces' borders fall everywhere (inside a
 * CRLF, right after a quote, ...).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "derived.h"
#include "harness.h"

/* The rule, one byte at a time, on the whole text. */
static void reference(const char *p, size_t n, char q, odc_buf *out)
{
	size_t i;
	int in_quote = 0, at_end = 0;
	for (i = 0; i < n; i++) {
		char c = p[i];
		if (in_quote) {
			buf_putc(out, c);
			if (c == q)
				in_quote = 0;
			at_end = 0;
		} else if (c == '\r') {
			buf_puts(out, "\r\n");
			if (i + 1 < n && p[i + 1] == '\n')
				i++;
			at_end = 1;
		} else if (c == '\n') {
			buf_puts(out, "\r\n");
			at_end = 1;
		} else {
			buf_putc(out, c);
			if (c == q)
				in_quote = 1;
			at_end = 0;
		}
	}
	if (n && !at_end)
		buf_puts(out, "\r\n");
}

static uint64_t state = 88172645463325252ULL;
static uint64_t next(void)
{
	state ^= state << 13;
	state ^= state >> 7;
	state ^= state << 17;
	return state;
}

int main(void)
{
	static const char alphabet[] = {'a', 'b', ',', '"', '\'', '\r', '\n', ' ', '\xe3'};
	size_t bad = 0, k;
	char first[300] = "";
	for (k = 0; k < 20000; k++) {
		char text[64];
		size_t n = next() % sizeof(text), i, at = 0;
		char q = next() % 4 == 0 ? '\'' : '"';
		odc_buf want = ODC_BUF_INIT, got = ODC_BUF_INIT;
		derived_crlf st;
		for (i = 0; i < n; i++)
			text[i] = alphabet[next() % sizeof(alphabet)];
		reference(text, n, q, &want);
		memset(&st, 0, sizeof(st));
		st.quote = q;
		while (at < n) { /* random pieces, empty ones too */
			size_t m = next() % (n - at + 1);
			derived_crlf_feed(&st, text + at, m, &got);
			at += m;
		}
		derived_crlf_feed(&st, NULL, 0, &got);
		if (want.len != got.len || (want.len && memcmp(want.ptr, got.ptr, want.len))) {
			if (!bad++)
				snprintf(first, sizeof(first), "case %zu (%zu bytes): got %zu bytes, want %zu", k, n,
					 got.len, want.len);
		}
		buf_free(&want);
		buf_free(&got);
	}
	th_check(bad == 0, "crlf-random-pieces", "%zu of 20000 differ; first %s", bad, first);
	return th_summary();
}
