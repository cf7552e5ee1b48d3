/*
 * catalog.c — fuzz target for loading a catalogue: catalog_load
 * (odcat.json), catalog_list, dataset_load (datapackage.json with odcat's
 * metadata rules, README.md, the resources and their CSV) and package_load
 * (the same folder as a stand-alone Data Package, Frictionless rules only).
 *
 * Input format: tree.h's — datapackage.json \0 odcat.json \0 README.md \0
 * data.csv, written to a temporary folder and read through repo_open_dir
 * as the build reads a working tree.
 *
 * Oracles: catalog_load fails exactly when it says why (a message), and on
 * success has a primary language; dataset_load and package_load succeed
 * exactly when they added no error diagnostic; a loaded dataset's local
 * resource paths are safe repository paths (repo_path_is_safe: no "..",
 * no leading '/', no backslash) without hidden segments; every diagnostic
 * has a code and a message, and the diagnostics as JSON (check --format
 * json) are JSON that Jansson reads back with the same number of items.
 */
#include <jansson.h>
#include <string.h>

#include "catalog.h"
#include "diag.h"
#include "fuzz.h"
#include "repo.h"
#include "tree.h"

static void check_diags(const odc_diags *d)
{
	size_t i;
	json_t *j;
	char *text;
	json_t *back;
	FILE *f;

	for (i = 0; i < d->n; i++) {
		FUZZ_ASSERT(d->items[i].code && *d->items[i].code);
		FUZZ_ASSERT(d->items[i].message && *d->items[i].message);
	}
	j = diag_to_json(d, "ja");
	FUZZ_ASSERT(json_is_array(j) && json_array_size(j) == d->n);
	text = json_dumps(j, JSON_COMPACT);
	FUZZ_ASSERT(text != NULL);
	back = json_loads(text, 0, NULL);
	FUZZ_ASSERT(back != NULL && json_array_size(back) == d->n);
	json_decref(back);
	free(text);
	json_decref(j);
	/* The text and GitHub formats must not crash on any message. */
	f = fopen("/dev/null", "w");
	FUZZ_ASSERT(f != NULL);
	diag_print(d, f, ODC_FMT_TEXT, "en", 3);
	diag_print(d, f, ODC_FMT_GITHUB, "ja", 3);
	fclose(f);
}

static void check_dataset(const odc_dataset *ds)
{
	size_t i;
	for (i = 0; i < ds->nres; i++) {
		const odc_resource *r = &ds->res[i];
		FUZZ_ASSERT(r->name && r->path && r->format);
		if (!r->is_url) {
			FUZZ_ASSERT(repo_path_is_safe(r->path));
			FUZZ_ASSERT(r->path[0] != '.' && !strstr(r->path, "/."));
		}
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	tree_part part[4];
	char *root;
	odc_repo *r = NULL, *pr = NULL;
	odc_buf msg = ODC_BUF_INIT, hint = ODC_BUF_INIT, sub = ODC_BUF_INIT;
	odc_catalog cat;
	odc_diags d = ODC_DIAGS_INIT;
	size_t before, nslugs = 0, i;
	char **slugs;
	int rc;

	tree_split(data, size, part);
	root = tree_write(part);
	FUZZ_ASSERT(repo_open_dir(&r, root) == 0);

	rc = catalog_load(&cat, r, &msg, &hint);
	if (rc < 0) {
		FUZZ_ASSERT(msg.len > 0);
		FUZZ_ASSERT(cat.conf == NULL);
	} else {
		FUZZ_ASSERT(json_is_object(cat.conf) && cat.lang[0] != NULL && cat.base_url != NULL);
		slugs = catalog_list(r, &nslugs, &d);
		FUZZ_ASSERT(nslugs == 1 && !strcmp(slugs[0], "x"));
		for (i = 0; i < nslugs; i++) {
			odc_dataset ds;
			before = d.errors;
			rc = dataset_load(&ds, &cat, r, slugs[i], NULL, &d);
			FUZZ_ASSERT((rc == 0) == (d.errors == before));
			if (rc == 0)
				check_dataset(&ds);
			dataset_free(&ds);
		}
		catalog_slugs_free(slugs, nslugs);
		catalog_free(&cat);
	}

	/* The same folder as `check --package datasets/x`. */
	buf_printf(&sub, "%s/datasets/x", root);
	FUZZ_ASSERT(repo_open_dir(&pr, sub.ptr) == 0);
	{
		odc_dataset ds;
		before = d.errors;
		rc = package_load(&ds, pr, NULL, &d);
		FUZZ_ASSERT((rc == 0) == (d.errors == before));
		if (rc == 0)
			check_dataset(&ds);
		dataset_free(&ds);
	}
	check_diags(&d);

	repo_free(pr);
	repo_free(r);
	diag_free(&d);
	buf_free(&msg);
	buf_free(&hint);
	buf_free(&sub);
	tree_remove(root);
	return 0;
}
