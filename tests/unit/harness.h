/*
 * harness.h — the tiny test harness of odcat's C unit tests.
 *
 * Each test binary calls th_check() (or the TH_* macros) for every
 * assertion-group it runs, and th_summary() at the end, which prints the
 * closing line "N passed, N failed" that tests/run.sh adds up. A failing
 * check prints "FAIL <name>: <detail>" so the test is named in the log.
 * Set TH_VERBOSE=1 in the environment to see "ok <name>" lines too.
 */
#ifndef ODC_TEST_HARNESS_H
#define ODC_TEST_HARNESS_H

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The bytes of file path (malloc'ed, NUL-terminated, *len without the
 * NUL), or NULL when it cannot be read. */
static inline char *th_slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *data = NULL;
	size_t n = 0, cap = 0, k;
	if (!f)
		return NULL;
	do {
		if (cap - n < 4096) {
			char *grown;
			cap = cap ? cap * 2 : 8192;
			grown = realloc(data, cap + 1);
			if (!grown) {
				free(data);
				fclose(f);
				return NULL;
			}
			data = grown;
		}
		k = fread(data + n, 1, cap - n, f);
		n += k;
	} while (k > 0);
	fclose(f);
	data[n] = '\0';
	*len = n;
	return data;
}

static int th_passed, th_failed;

/* Records one test named name: passed when ok is non-zero. fmt explains a
 * failure (printed only then). Returns ok. */
static int th_check(int ok, const char *name, const char *fmt, ...)
	__attribute__((format(printf, 3, 4), unused));
static int th_check(int ok, const char *name, const char *fmt, ...)
{
	if (ok) {
		th_passed++;
		if (getenv("TH_VERBOSE"))
			printf("ok %s\n", name);
	} else {
		va_list ap;
		th_failed++;
		printf("FAIL %s: ", name);
		va_start(ap, fmt);
		vprintf(fmt, ap);
		va_end(ap);
		printf("\n");
	}
	return ok;
}

#define TH_STR_EQ(name, got, want)                                               \
	th_check(strcmp((got), (want)) == 0, (name), "got \"%s\", want \"%s\"", \
		 (got), (want))
#define TH_INT_EQ(name, got, want)                                      \
	th_check((long long)(got) == (long long)(want), (name),        \
		 "got %lld, want %lld", (long long)(got), (long long)(want))

/* Prints the closing line; returns the process exit status. */
static int th_summary(void) __attribute__((unused));
static int th_summary(void)
{
	printf("%d passed, %d failed\n", th_passed, th_failed);
	return th_failed ? 1 : 0;
}

#endif
