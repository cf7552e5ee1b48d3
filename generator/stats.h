/*
 * stats.h — the publishing KPIs: datasets published over time and downloads.
 *
 * Owns `odcat stats` and the stats/ page of the site. From the history
 * (history.h): the number of published datasets month by month (a dataset
 * counts in month M when its folder exists and passes validation at the
 * last commit of M on the first-parent chain of the published revision,
 * with that commit's odcat.json; validation is cached by tree id and
 * odcat.json blob id), overall and per publisher, with the
 * target of odcat.json; datasets added and updated in the current year;
 * stale datasets (not updated within their accrualPeriodicity). From web
 * server access logs (combined log format, plain or gzip): downloads per
 * dataset and month, without bots.
 *
 * "Today" is always given by the caller (the commit's date or --now).
 */
#ifndef ODC_STATS_H
#define ODC_STATS_H

#include <jansson.h>

#include "catalog.h"
#include "history.h"
#include "out.h"
#include "render.h"

/* 1 when s is a valid calendar date YYYY-MM-DD, else 0. */
int stats_parse_date(const char *s);

/* The statistics as JSON (docs/guide-en.md, "Publishing statistics"):
 * months, publishers, target, added/updated this year, stale datasets and,
 * with logs (a NULL-terminated list of files, or NULL), downloads. The
 * published datasets are history_notes(h). Returns NULL with err set when
 * a log cannot be read. Owned by the caller. */
json_t *stats_compute(odc_history *h, const odc_catalog *cat, const char *today,
		      const char **logs, odc_buf *err);

/* Counts downloads in access logs into a JSON object {total, bots,
 * months: {YYYY-MM: n}, datasets: {slug: {total, months}}}. Returns
 * NULL with err set when a file cannot be read. base_path is the path of
 * the site's base URL ("/" or "/opendata/"). */
json_t *stats_access_logs(const char **logs, const char *base_path, odc_buf *err);

/* An empty count {total: 0, bots: 0, months: {}, datasets: {}} (owned). */
json_t *stats_downloads_new(void);
/* Counts one line (NUL-terminated, changed in place) of the combined log
 * format into res (from stats_downloads_new). Returns 1 when it is a
 * download, 2 a bot's download, 0 anything else (including lines that are
 * not log lines). */
int stats_log_line(char *line, const char *base_path, json_t *res);

/* Computes the statistics and writes stats/index.html in every language. */
int stats_build_page(odc_history *h, const odc_page_ctx *pc, odc_out *o, const char *today,
		     const char **logs, odc_buf *err);

/* `odcat stats`: returns the exit code. */
int stats_main(int argc, char **argv);

#endif
