/*
 * test_search_fragment.c — an index made from kept fragments is the index.
 *
 * The build keeps each dataset's part of the search index as a fragment
 * (search_fragment, made in a worker thread and stored in the cache as
 * JSON) and later adds it with search_add_fragment. Here the sample
 * catalogue of this repository (datasets/ at HEAD) is indexed twice, once
 * with search_add from the datasets and once from their fragments after
 * a JSON round trip, and every file of the two search/ folders must be
 * the same bytes. A fragment that is not one (another format, readings
 * of another dictionary, damaged terms) must be refused without changing
 * the index.
 */
#define _XOPEN_SOURCE 700 /* nftw */
#include <dirent.h>
#include <ftw.h>
#include <jansson.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

#include "harness.h"
#include "catalog.h"
#include "markdown.h"
#include "out.h"
#include "repo.h"
#include "search.h"

/* Whether every file of folder a/rel is in b/rel with the same bytes (and
 * the other way round); *files counts them. */
static int same_tree(const char *a, const char *b, const char *rel, size_t *files)
{
	odc_buf pa = ODC_BUF_INIT, pb = ODC_BUF_INIT;
	DIR *d;
	struct dirent *de;
	int same = 1;
	size_t na = 0, nb = 0;

	buf_printf(&pa, "%s/%s", a, rel);
	buf_printf(&pb, "%s/%s", b, rel);
	d = opendir(pb.ptr);
	while (d && (de = readdir(d)))
		nb += de->d_name[0] != '.';
	if (d)
		closedir(d);
	d = opendir(pa.ptr);
	if (!d)
		same = 0;
	while (same && (de = readdir(d))) {
		odc_buf fa = ODC_BUF_INIT, fb = ODC_BUF_INIT, r = ODC_BUF_INIT;
		struct stat st;
		if (de->d_name[0] == '.')
			continue;
		na++;
		buf_printf(&fa, "%s/%s", pa.ptr, de->d_name);
		buf_printf(&fb, "%s/%s", pb.ptr, de->d_name);
		buf_printf(&r, "%s/%s", rel, de->d_name);
		if (stat(fa.ptr, &st) == 0 && S_ISDIR(st.st_mode)) {
			same = same_tree(a, b, r.ptr, files);
		} else {
			size_t la = 0, lb = 0;
			char *ca = th_slurp(fa.ptr, &la), *cb = th_slurp(fb.ptr, &lb);
			same = ca && cb && la == lb && !memcmp(ca, cb, la);
			if (!same)
				printf("differs: %s\n", r.ptr);
			free(ca);
			free(cb);
			(*files)++;
		}
		buf_free(&fa);
		buf_free(&fb);
		buf_free(&r);
	}
	if (d)
		closedir(d);
	buf_free(&pa);
	buf_free(&pb);
	return same && na == nb;
}

static int rm_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(path);
}

int main(void)
{
	odc_buf msg = ODC_BUF_INIT, hint = ODC_BUF_INIT, err = ODC_BUF_INIT;
	odc_diags diags = ODC_DIAGS_INIT;
	odc_repo *r = NULL;
	odc_catalog cat;
	odc_out o1, o2;
	odc_search *s1, *s2;
	char tmpl[] = "/tmp/odcat-fragXXXXXX", *dir;
	char **slugs;
	size_t n, i, added = 0, files = 0, kept = 0;
	odc_buf d1 = ODC_BUF_INIT, d2 = ODC_BUF_INIT;

	memset(&cat, 0, sizeof(cat));
	memset(&o1, 0, sizeof(o1));
	memset(&o2, 0, sizeof(o2));
	repo_global_init();
	markdown_global_init();
	dir = mkdtemp(tmpl);
	buf_printf(&d1, "%s/a", dir);
	buf_printf(&d2, "%s/b", dir);
	if (!dir || repo_open(&r, ".", NULL, 0, &msg, &hint) < 0 || catalog_load(&cat, r, &msg, &hint) < 0 ||
	    out_begin(&o1, d1.ptr, &msg) < 0 || out_begin(&o2, d2.ptr, &msg) < 0) {
		th_check(0, "setup", "%s", buf_cstr(&msg));
		return th_summary();
	}
	s1 = search_new(&cat, NULL, &msg);
	buf_clear(&msg);
	s2 = search_new(&cat, NULL, &msg);
	buf_clear(&msg);
	slugs = catalog_list(r, &n, &diags);
	for (i = 0; i < n; i++) {
		odc_dataset ds;
		memset(&ds, 0, sizeof(ds));
		if (dataset_load(&ds, &cat, r, slugs[i], NULL, &diags) == 0) {
			json_t *f = search_fragment(s2, &cat, &ds), *back = NULL;
			char *text = f ? json_dumps(f, JSON_COMPACT) : NULL;
			search_add(s1, &cat, &ds);
			/* As the cache keeps it: JSON text, read back. */
			if (text)
				back = json_loads(text, 0, NULL);
			if (back && search_add_fragment(s2, back) == 0)
				kept++;
			else
				search_add(s2, &cat, &ds);
			if (back && i == 0) {
				/* Refused fragments leave the index as it was. */
				json_t *bad = json_deep_copy(back);
				json_array_set_new(bad, 0, json_integer(99));
				TH_INT_EQ("a fragment of another format is refused", search_add_fragment(s2, bad), -1);
				json_array_set_new(bad, 0, json_integer(json_integer_value(json_array_get(back, 0))));
				json_array_set_new(bad, 1, json_string("another dictionary 1 2 3 4;"));
				TH_INT_EQ("readings from another dictionary are refused", search_add_fragment(s2, bad), -1);
				json_array_set(bad, 1, json_array_get(back, 1));
				json_array_set_new(bad, 4, json_string("term 0x|"));
				TH_INT_EQ("damaged terms are refused", search_add_fragment(s2, bad), -1);
				json_array_set_new(bad, 4, json_string("term 02"));
				TH_INT_EQ("cut-off terms are refused", search_add_fragment(s2, bad), -1);
				json_array_set_new(bad, 4, json_string("term 02|"));
				json_array_set_new(bad, 2, json_pack("[i]", 1));
				TH_INT_EQ("token counts of the wrong shape are refused", search_add_fragment(s2, bad), -1);
				json_decref(bad);
			}
			json_decref(f);
			json_decref(back);
			free(text);
			added++;
		}
		dataset_free(&ds);
	}
	th_check(added >= 5, "the sample catalogue has datasets", "%zu", added);
	TH_INT_EQ("every sample dataset gives a fragment", kept, added);
	th_check(search_write(s1, &o1, &err) == 0 && search_write(s2, &o2, &err) == 0, "both indexes written",
		 "%s", buf_cstr(&err));
	th_check(out_commit(&o1, &msg) == 0 && out_commit(&o2, &msg) == 0, "both committed", "%s", buf_cstr(&msg));
	th_check(same_tree(d1.ptr, d2.ptr, "search", &files), "the index from fragments is the same bytes",
		 "see the file named above");
	th_check(files > added, "...compared file by file", "%zu files", files);

	search_free(s1);
	search_free(s2);
	catalog_slugs_free(slugs, n);
	out_free(&o1);
	out_free(&o2);
	catalog_free(&cat);
	repo_free(r);
	diag_free(&diags);
	if (nftw(dir, rm_one, 16, FTW_DEPTH | FTW_PHYS) != 0)
		printf("could not remove %s\n", dir);
	buf_free(&d1);
	buf_free(&d2);
	buf_free(&msg);
	buf_free(&hint);
	buf_free(&err);
	return th_summary();
}
