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

#endif
