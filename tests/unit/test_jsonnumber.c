/*
 * test_jsonnumber.c — the typed JSON's numbers (catalog.c,
 * dataset_json_number) against the definition they must keep: the
 * shortest of printf's %.15g, %.16g and %.17g that strtod reads back as
 * the same double, "null" for NaN and infinities. The oracle below is that
 * definition written out with snprintf; the function under test takes a
 * printf-free path for short decimals, so every kind of value is tried:
 * short decimals (prices, coordinates), integers, values at the fixed and
 * exponent notation borders, negative zero, and random bit patterns.
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "catalog.h"
#include "harness.h"

static void oracle(char *t, size_t n, double x)
{
	int p;
	if (!isfinite(x)) {
		snprintf(t, n, "null");
		return;
	}
	for (p = 15; p <= 17; p++) {
		snprintf(t, n, "%.*g", p, x);
		if (strtod(t, NULL) == x)
			return;
	}
}

static size_t mismatches;
static char first_bad[160];

static void try(double x)
{
	odc_buf b = ODC_BUF_INIT;
	char want[64];
	oracle(want, sizeof(want), x);
	dataset_json_number(&b, x);
	if (strcmp(buf_cstr(&b), want)) {
		if (!mismatches++)
			snprintf(first_bad, sizeof(first_bad), "%a: got %s, want %s", x, buf_cstr(&b), want);
	}
	buf_free(&b);
}

/* xorshift64*: a fixed sequence, so a failure can be repeated. */
static uint64_t state = 0x9E3779B97F4A7C15ULL;
static uint64_t next(void)
{
	state ^= state >> 12;
	state ^= state << 25;
	state ^= state >> 27;
	return state * 0x2545F4914F6CDD1DULL;
}

int main(void)
{
	static const char *const texts[] = {
		"0", "-0", "1", "-1", "0.1", "0.2", "0.3", "12648.01", "55209.1", "35.681236",
		"139.767125", "-33.8688", "1e-4", "0.0001", "0.00009999", "9.999e-5", "1e15", "999999999999999",
		"999999999999999.9", "1e14", "123456789012345", "1234567890123456", "0.1234567890123456",
		"4503599627370496.5", "9007199254740993", "1.7976931348623157e308", "5e-324", "2.2250738585072014e-308",
		"0.30000000000000004", "100", "1e21", "1e22", "12.5", "0.5", "0.05", "0.00012345678",
		"3.14159265358979", "2.718281828459045", "1e-5", "123.456e3", "0.000123"};
	size_t i;
	for (i = 0; i < sizeof(texts) / sizeof(texts[0]); i++) {
		double x = strtod(texts[i], NULL);
		try(x);
		try(-x);
	}
	try(NAN);
	try(INFINITY);
	try(-INFINITY);
	th_check(mismatches == 0, "jsonnumber-chosen-values", "%zu mismatches, first %s", mismatches, first_bad);

	/* Short decimals, as CSV cells write them: m / 10^k. */
	mismatches = 0;
	for (i = 0; i < 300000; i++) {
		uint64_t r = next();
		int digits = 1 + (int)(r % 17), k = (int)((r >> 8) % 12);
		uint64_t m = next() % (uint64_t)pow(10, digits);
		char t[64];
		snprintf(t, sizeof(t), "%s%llu.%0*llue-%d", (r >> 20) & 1 ? "-" : "", (unsigned long long)(m / 10),
			 1, (unsigned long long)(m % 10), k);
		try(strtod(t, NULL));
		try((double)m / pow(10, k));
	}
	th_check(mismatches == 0, "jsonnumber-short-decimals", "%zu mismatches, first %s", mismatches, first_bad);

	/* Integers, and the neighbours of powers of ten (notation borders). */
	mismatches = 0;
	for (i = 0; i < 100000; i++) {
		int64_t v = (int64_t)(next() >> (next() % 64));
		try((double)v);
		try(-(double)v);
	}
	for (i = 0; i < 40; i++) {
		double p = pow(10, (double)i - 20);
		try(p);
		try(nextafter(p, 0));
		try(nextafter(p, INFINITY));
	}
	th_check(mismatches == 0, "jsonnumber-integers-and-borders", "%zu mismatches, first %s", mismatches,
		 first_bad);

	/* Any double at all. */
	mismatches = 0;
	for (i = 0; i < 300000; i++) {
		uint64_t bits = next();
		double x;
		memcpy(&x, &bits, sizeof(x));
		try(x);
	}
	th_check(mismatches == 0, "jsonnumber-random-bits", "%zu mismatches, first %s", mismatches, first_bad);
	return th_summary();
}
