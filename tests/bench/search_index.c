/*
 * search_index.c — times odcat's search indexing alone (make bench-search).
 *
 *   bench_search REPO OUT
 *
 * Loads every dataset of REPO at HEAD as `odcat build` does (dataset_load:
 * descriptor, README, CSV validation), adds each to a search index, and
 * writes the index into OUT/search/. Prints one JSON line with the
 * dataset count and the seconds spent loading, adding and writing, so the
 * benchmark can report the index's own cost next to the whole build's.
 */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "catalog.h"
#include "markdown.h"
#include "out.h"
#include "search.h"

static double now(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
	odc_buf msg = ODC_BUF_INIT, hint = ODC_BUF_INIT, err = ODC_BUF_INIT;
	odc_diags diags = ODC_DIAGS_INIT;
	odc_repo *r = NULL;
	odc_catalog cat = {0};
	odc_out out = {0};
	odc_search *s;
	char **slugs;
	size_t n, i, added = 0;
	double load = 0, add = 0, t0, t1;

	if (argc != 3) {
		fprintf(stderr, "usage: %s REPO OUT\n", argv[0]);
		return 2;
	}
	repo_global_init();
	markdown_global_init();
	if (repo_open(&r, argv[1], NULL, 0, &msg, &hint) < 0 || catalog_load(&cat, r, &msg, &hint) < 0 ||
	    out_begin(&out, argv[2], &msg) < 0) {
		fprintf(stderr, "bench_search: %s\n", buf_cstr(&msg));
		return 2;
	}
	s = search_new(&cat, NULL, &msg);
	slugs = catalog_list(r, &n, &diags);
	for (i = 0; i < n; i++) {
		odc_dataset ds = {0};
		int ok;
		t0 = now();
		ok = dataset_load(&ds, &cat, r, slugs[i], NULL, &diags) == 0;
		t1 = now();
		load += t1 - t0;
		if (ok) {
			search_add(s, &cat, &ds);
			added++;
		}
		add += now() - t1;
		dataset_free(&ds);
	}
	t0 = now();
	if (search_write(s, &out, &err) < 0 || out_commit(&out, &msg) < 0) {
		fprintf(stderr, "bench_search: %s%s\n", buf_cstr(&err), buf_cstr(&msg));
		return 1;
	}
	t1 = now();
	printf("{\"datasets\": %zu, \"load_s\": %.3f, \"add_s\": %.3f, \"write_s\": %.3f, \"index_s\": %.3f}\n",
	       added, load, add, t1 - t0, add + (t1 - t0));
	search_free(s);
	catalog_slugs_free(slugs, n);
	out_free(&out);
	catalog_free(&cat);
	repo_free(r);
	diag_free(&diags);
	buf_free(&msg);
	buf_free(&hint);
	buf_free(&err);
	repo_global_shutdown();
	return 0;
}
