/*
 * test_stats.c — the date helpers of history.c and stats.c and the
 * access-log line reader, against answers worked out by hand from the
 * Gregorian calendar and the combined log format.
 */
#include <jansson.h>
#include <string.h>

#include "buf.h"
#include "harness.h"
#include "history.h"
#include "stats.h"

static void date_is(const char *name, int64_t t, int offset, const char *want)
{
	char got[11];
	history_date(t, offset, got);
	TH_STR_EQ(name, got, want);
}

/* (TH_INT_EQ evaluates its argument twice: count first, then compare.) */
static int line(const char *text, json_t *res)
{
	char *copy = xstrdup(text);
	int r = stats_log_line(copy, "/od/", res);
	free(copy);
	return r;
}

int main(void)
{
	json_t *res;

	/* 1743463800 = 2025-03-31T23:30:00Z. */
	date_is("date: UTC", 1743463800, 0, "2025-03-31");
	date_is("date: the same instant is April 1st in Japan (+09:00)", 1743463800, 540, "2025-04-01");
	date_is("date: and still March 31st in New York (-04:00)", 1743463800, -240, "2025-03-31");
	date_is("date: the epoch", 0, 0, "1970-01-01");
	/* 1709208000 = 2024-02-29T12:00:00Z, a leap day. */
	date_is("date: leap day", 1709208000, 0, "2024-02-29");

	TH_INT_EQ("parse: a date", stats_parse_date("2025-04-01"), 1);
	TH_INT_EQ("parse: 29 February of a leap year", stats_parse_date("2024-02-29"), 1);
	TH_INT_EQ("parse: 29 February of 2000 (divisible by 400)", stats_parse_date("2000-02-29"), 1);
	TH_INT_EQ("parse: no 29 February in 2025", stats_parse_date("2025-02-29"), 0);
	TH_INT_EQ("parse: no 29 February in 1900 (divisible by 100)", stats_parse_date("1900-02-29"), 0);
	TH_INT_EQ("parse: no 31 April", stats_parse_date("2025-04-31"), 0);
	TH_INT_EQ("parse: month 13", stats_parse_date("2025-13-01"), 0);
	TH_INT_EQ("parse: day 0", stats_parse_date("2025-01-00"), 0);
	TH_INT_EQ("parse: not zero-padded", stats_parse_date("2025-4-01"), 0);
	TH_INT_EQ("parse: a time after it", stats_parse_date("2025-04-01T00:00"), 0);
	TH_INT_EQ("parse: empty", stats_parse_date(""), 0);

	res = stats_downloads_new();
	{
		int r = line("1.2.3.4 - - [10/Apr/2025:13:55:36 +0900] \"GET /od/datasets/a/d.csv HTTP/1.1\" 200 12 \"-\" \"Mozilla/5.0\"", res);
		TH_INT_EQ("log: a download", r, 1);
	}
	{
		int r = line("1.2.3.4 - - [10/Apr/2025:13:55:36 +0900] \"GET /od/datasets/a/d.csv HTTP/1.1\" 200 12 \"-\" \"Mozilla/5.0 (compatible; bingBOT/2.0)\"", res);
		TH_INT_EQ("log: a bot (any case)", r, 2);
	}
	{
		int r = line("1.2.3.4 - - [10/Apr/2025:13:55:36 +0900] \"GET /datasets/a/d.csv HTTP/1.1\" 200 12 \"-\" \"x\"", res);
		TH_INT_EQ("log: outside the base path", r, 0);
	}
	{
		int r = line("1.2.3.4 - - [10/Apr/2025:13:55:36 +0900] \"GET /od/datasets/a/index.html HTTP/1.1\" 200 12 \"-\" \"x\"", res);
		TH_INT_EQ("log: the page is no download", r, 0);
	}
	{
		int r = line("1.2.3.4 - - [10/Apr/2025:13:55:36 +0900] \"GET /od/datasets/a/d.csv HTTP/1.1\" 206 12 \"-\" \"x\"", res);
		TH_INT_EQ("log: 206 is no download", r, 0);
	}
	{
		int r = line("1.2.3.4 - - [10/Apr/2025:13:55:36 +0900] \"POST /od/datasets/a/d.csv HTTP/1.1\" 200 12 \"-\" \"x\"", res);
		TH_INT_EQ("log: POST is no download", r, 0);
	}
	{
		int r = line("1.2.3.4 - - [10/Apr/2025:13:55:36 +0900] \"GET /od/datasets/A_B/d.csv HTTP/1.1\" 200 12 \"-\" \"x\"", res);
		TH_INT_EQ("log: a slug that cannot be one", r, 0);
	}
	{
		int r = line("1.2.3.4 - - [31/Dec/2024:23:59:59 +0900] \"GET /od/datasets/b/x/y.json?v=2 HTTP/2.0\" 200 12 \"-\" \"curl/8.5.0\"", res);
		TH_INT_EQ("log: December", r, 1);
	}
	{
		int r = line("not a log line", res);
		TH_INT_EQ("log: garbage", r, 0);
	}
	TH_INT_EQ("log: counted total", (int)json_integer_value(json_object_get(res, "total")), 2);
	TH_INT_EQ("log: counted bots", (int)json_integer_value(json_object_get(res, "bots")), 1);
	TH_INT_EQ("log: month of the December line", (int)json_integer_value(json_object_get(json_object_get(res, "months"), "2024-12")), 1);
	TH_INT_EQ("log: dataset b", (int)json_integer_value(json_object_get(json_object_get(json_object_get(res, "datasets"), "b"), "total")), 1);
	json_decref(res);
	return th_summary();
}
