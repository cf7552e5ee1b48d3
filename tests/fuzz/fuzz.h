/*
 * fuzz.h — what every fuzz target of odcat shares.
 *
 * A target is one file tests/fuzz/<target>.c defining
 * LLVMFuzzerTestOneInput (and, when it needs set-up done once,
 * LLVMFuzzerInitialize). It is linked either with libFuzzer (clang
 * -fsanitize=fuzzer, `make fuzz`) or with tests/fuzz/standalone.c, which
 * replays a corpus with any compiler (`make fuzz-replay`, gcc + ASan/UBSan).
 *
 * A target must free everything it allocates (LeakSanitizer runs in both
 * builds) and must not keep state between inputs other than what
 * LLVMFuzzerInitialize builds once, so that every input replays alone.
 * An oracle that finds a wrong answer (not only a crash) calls
 * FUZZ_ASSERT, which prints the failed condition and aborts: libFuzzer and
 * the standalone driver both treat that as a crash.
 */
#ifndef ODC_FUZZ_H
#define ODC_FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv);

#define FUZZ_ASSERT(cond)                                                              \
	do {                                                                           \
		if (!(cond)) {                                                         \
			fprintf(stderr, "%s:%d: oracle failed: %s\n", __FILE__, __LINE__, \
				#cond);                                                \
			abort();                                                       \
		}                                                                      \
	} while (0)

/* An oracle: strict UTF-8 (RFC 3629): no overlong forms, no surrogates, at most U+10FFFF. */
static inline int fuzz_utf8_ok(const unsigned char *s, size_t len)
{
	size_t i = 0;
	while (i < len) {
		unsigned c = s[i], cp, n, k;
		if (c < 0x80) {
			i++;
			continue;
		}
		if (c >= 0xC2 && c <= 0xDF)
			n = 1, cp = c & 0x1F;
		else if (c >= 0xE0 && c <= 0xEF)
			n = 2, cp = c & 0x0F;
		else if (c >= 0xF0 && c <= 0xF4)
			n = 3, cp = c & 0x07;
		else
			return 0;
		if (i + n >= len)
			return 0;
		for (k = 1; k <= n; k++) {
			if ((s[i + k] & 0xC0) != 0x80)
				return 0;
			cp = (cp << 6) | (s[i + k] & 0x3F);
		}
		if ((n == 2 && cp < 0x800) || (n == 3 && (cp < 0x10000 || cp > 0x10FFFF)) ||
		    (cp >= 0xD800 && cp <= 0xDFFF))
			return 0;
		i += n + 1;
	}
	return 1;
}

#endif
