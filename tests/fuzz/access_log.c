/*
 * access_log.c — fuzz target for stats_log_line, the combined-log-format
 * reader of `odcat stats --access-log` (web server logs are outside input).
 *
 * Input format: lines of a log (split at '\n'); each is counted with base
 * path "/" into one result, as stats_access_logs does.
 *
 * Oracles: the return value is 0, 1 or 2; the total grows by one exactly
 * when a line returns 1, and bots by one exactly when it returns 2; at the
 * end the total equals the sum of the per-month counts and the sum of the
 * per-dataset totals, every dataset key is a valid slug and every month
 * key has the form YYYY-MM with a month 01-12.
 */
#include <jansson.h>
#include <string.h>

#include "buf.h"
#include "catalog.h"
#include "fuzz.h"
#include "stats.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	json_t *res = stats_downloads_new(), *v, *d;
	char *text = xstrndup((const char *)data, size), *line = text, *nl;
	json_int_t total = 0, bots = 0, sum;
	const char *k;

	for (;;) {
		int r;
		nl = strchr(line, '\n');
		if (nl)
			*nl = '\0';
		r = stats_log_line(line, "/", res);
		FUZZ_ASSERT(r >= 0 && r <= 2);
		total += r == 1;
		bots += r == 2;
		FUZZ_ASSERT(json_integer_value(json_object_get(res, "total")) == total);
		FUZZ_ASSERT(json_integer_value(json_object_get(res, "bots")) == bots);
		if (!nl)
			break;
		line = nl + 1;
	}
	sum = 0;
	json_object_foreach(json_object_get(res, "months"), k, v) {
		FUZZ_ASSERT(strlen(k) == 7 && k[4] == '-' && strcmp(k + 5, "01") >= 0 &&
			    strcmp(k + 5, "12") <= 0);
		sum += json_integer_value(v);
	}
	FUZZ_ASSERT(sum == total);
	sum = 0;
	json_object_foreach(json_object_get(res, "datasets"), k, d) {
		FUZZ_ASSERT(catalog_slug_is_valid(k));
		sum += json_integer_value(json_object_get(d, "total"));
	}
	FUZZ_ASSERT(sum == total);
	json_decref(res);
	free(text);
	return 0;
}
