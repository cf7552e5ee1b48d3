/*
 * check.c — the check sub-command (see check.h).
 */
#include "check.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "diag.h"
#include "odc.h"
#include "repo.h"
#include "validate.h"

static const char check_help[] =
	"Usage: odcat check [options] [dataset...]\n"
	"\n"
	"Checks datasets the way `odcat build` does before publishing them: the\n"
	"metadata in datapackage.json, and every CSV against its Table Schema\n"
	"(types, formats, constraints, keys, foreign keys, table shape, encoding).\n"
	"Reads the working tree by default - what you are about to commit.\n"
	"Without dataset names, every dataset under datasets/ is checked.\n"
	"\n"
	"Options:\n"
	"  --repo DIR        the catalogue's git repository (default: .)\n"
	"  --ref REF         check a commit instead of the working tree\n"
	"  --worktree        check the working tree (the default without --ref)\n"
	"  --package DIR     check one stand-alone Data Package folder with the\n"
	"                    Frictionless rules only (no catalogue, no git)\n"
	"  --format FORMAT   text (default), json, or github (workflow annotations)\n"
	"  --lang LANG       ja or en (default: from LANG / LC_ALL)\n"
	"  --max-errors N    problems listed per resource (default 1000); the rest\n"
	"                    are counted\n"
	"  -h, --help        show this help\n"
	"\n"
	"Exit codes: 0 no errors (warnings allowed); 1 errors; 2 cannot run.\n";

const char *check_env_lang(void)
{
	static const char *const vars[] = {"LC_ALL", "LC_MESSAGES", "LANG"};
	size_t i;
	for (i = 0; i < sizeof(vars) / sizeof(vars[0]); i++) {
		const char *v = getenv(vars[i]);
		if (v && *v)
			return !strncmp(v, "ja", 2) ? "ja" : "en";
	}
	return "en";
}

json_t *check_dataset_json(const char *slug, const odc_dataset *ds, int ok)
{
	json_t *o = json_object(), *res = json_array();
	size_t i;

	json_object_set_new(o, "dataset", slug ? json_string(slug) : json_null());
	json_object_set_new(o, "valid", json_boolean(ok));
	for (i = 0; ds && i < ds->nres; i++) {
		const odc_resource *r = &ds->res[i];
		json_t *x = json_object();
		json_object_set_new(x, "name", r->name ? json_string(r->name) : json_null());
		json_object_set_new(x, "path", r->path ? json_string(r->path) : json_null());
		json_object_set_new(x, "format", r->format ? json_string(r->format) : json_null());
		json_object_set_new(x, "rows", r->rows >= 0 ? json_integer(r->rows) : json_null());
		json_object_set_new(x, "validated", json_boolean(r->validated));
		json_object_set_new(x, "errors", json_integer((json_int_t)r->errors));
		json_object_set_new(x, "omitted", json_integer((json_int_t)r->omitted));
		json_array_append_new(res, x);
	}
	json_object_set_new(o, "resources", res);
	return o;
}

static void fatal(const char *lang, const char *msg, const char *hint)
{
	fprintf(stderr, "odcat: %s: %s\n", !strcmp(lang, "ja") ? "エラー" : "error", msg);
	if (hint && *hint)
		fprintf(stderr, "  %s: %s\n", !strcmp(lang, "ja") ? "ヒント" : "hint", hint);
}

int check_main(int argc, char **argv)
{
	const char *repo = ".", *ref = NULL, *package = NULL, *format = "text", *lang = NULL;
	const char *max_text = NULL;
	int worktree = 0, i, rc = ODC_EXIT_FATAL;
	long max_errors = 1000;
	const char **names = xcalloc((size_t)argc + 1, sizeof(char *));
	size_t nnames = 0, nslugs = 0, k, valid = 0, invalid = 0;
	odc_buf msg = ODC_BUF_INIT, hint = ODC_BUF_INIT;
	odc_diags d = ODC_DIAGS_INIT;
	odc_repo *r = NULL;
	odc_catalog cat;
	odc_validate_opts vo;
	odc_diag_format fmt;
	char **slugs = NULL;
	json_t *summary = json_array();

	memset(&cat, 0, sizeof(cat));
	for (i = 0; i < argc; i++) {
		static const char *const valued[] = {"--repo", "--ref", "--package", "--format", "--lang",
						     "--max-errors"};
		const char **slots[] = {&repo, &ref, &package, &format, &lang, &max_text};
		const char *a = argv[i], *v = NULL;
		size_t o;
		int matched = 0;
		if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
			fputs(check_help, stdout);
			rc = ODC_EXIT_OK;
			goto done;
		}
		if (!strcmp(a, "--worktree")) {
			worktree = 1;
			continue;
		}
		for (o = 0; o < sizeof(valued) / sizeof(valued[0]) && !matched; o++) {
			int m = cli_opt_value(argc, argv, &i, valued[o], &v);
			if (m < 0) {
				rc = cli_usage("check", "option %s needs a value", valued[o]);
				goto done;
			}
			if (m > 0) {
				if (!*v) {
					rc = cli_usage("check", "option %s needs a non-empty value", valued[o]);
					goto done;
				}
				*slots[o] = v;
				matched = 1;
			}
		}
		if (matched)
			continue;
		if (a[0] == '-') {
			rc = cli_usage("check", "unknown option '%s'", a);
			goto done;
		}
		names[nnames++] = a;
	}
	if (max_text) {
		char *end;
		max_errors = strtol(max_text, &end, 10);
		if (*end || max_errors < 1) {
			rc = cli_usage("check", "--max-errors needs a positive number, not '%s'", max_text);
			goto done;
		}
	}
	if (!lang)
		lang = check_env_lang();
	if (strcmp(lang, "ja") && strcmp(lang, "en")) {
		rc = cli_usage("check", "--lang must be ja or en, not '%s'", lang);
		goto done;
	}
	if (!strcmp(format, "text"))
		fmt = ODC_FMT_TEXT;
	else if (!strcmp(format, "json"))
		fmt = ODC_FMT_JSON;
	else if (!strcmp(format, "github"))
		fmt = ODC_FMT_GITHUB;
	else {
		rc = cli_usage("check", "--format must be text, json or github, not '%s'", format);
		goto done;
	}
	if (package && (ref || nnames)) {
		rc = cli_usage("check", "%s", "--package checks one folder: it takes no --ref and no dataset names");
		goto done;
	}
	validate_opts_init(&vo);
	vo.max_errors = (size_t)max_errors;

	if (package) {
		odc_dataset ds;
		int ok;
		if (repo_open_dir(&r, package) < 0) {
			buf_printf(&msg, "%s is not a folder", package);
			fatal(lang, msg.ptr, "give the folder that holds datapackage.json");
			goto done;
		}
		ok = package_load(&ds, r, &vo, &d) == 0;
		json_array_append_new(summary, check_dataset_json(NULL, &ds, ok));
		if (ok)
			valid++;
		else
			invalid++;
		dataset_free(&ds);
	} else {
		if (repo_open(&r, repo, ref, ref ? worktree : 1, &msg, &hint) < 0) {
			fatal(lang, msg.ptr, hint.ptr);
			goto done;
		}
		if (catalog_load(&cat, r, &msg, &hint) < 0) {
			fatal(lang, msg.ptr, hint.ptr);
			goto done;
		}
		if (nnames) {
			slugs = xcalloc(nnames, sizeof(char *));
			for (k = 0; k < nnames; k++) {
				/* Accept "datasets/x" and "datasets/x/" as well as "x". */
				const char *n = names[k];
				size_t len;
				if (!strncmp(n, "datasets/", 9))
					n += 9;
				len = strlen(n);
				while (len && n[len - 1] == '/')
					len--;
				slugs[nslugs++] = xstrndup(n, len);
				if (!catalog_slug_is_valid(slugs[nslugs - 1])) {
					buf_printf(&msg, "\"%s\" is not a dataset name", names[k]);
					fatal(lang, msg.ptr, "name datasets by their folder under datasets/, e.g. aed-locations");
					goto done;
				}
			}
		} else {
			slugs = catalog_list(r, &nslugs, &d);
		}
		for (k = 0; k < nslugs; k++) {
			odc_dataset ds;
			int ok;
			odc_entry_kind kind;
			size_t size;
			odc_buf dir = ODC_BUF_INIT;
			buf_printf(&dir, "datasets/%s", slugs[k]);
			if (nnames && (repo_stat(r, dir.ptr, &kind, &size) < 0 || kind != ODC_ENTRY_DIR)) {
				buf_printf(&msg, "there is no dataset folder %s", dir.ptr);
				fatal(lang, msg.ptr, "check the spelling; 'ls datasets' lists them");
				buf_free(&dir);
				goto done;
			}
			buf_free(&dir);
			ok = dataset_load(&ds, &cat, r, slugs[k], &vo, &d) == 0;
			json_array_append_new(summary, check_dataset_json(slugs[k], &ds, ok));
			if (ok)
				valid++;
			else
				invalid++;
			dataset_free(&ds);
		}
	}

	if (fmt == ODC_FMT_JSON) {
		json_t *out = json_object();
		json_object_set_new(out, "valid", json_boolean(d.errors == 0));
		json_object_set_new(out, "errors", json_integer((json_int_t)d.errors));
		json_object_set_new(out, "warnings", json_integer((json_int_t)d.warnings));
		json_object_set_new(out, "datasets", summary);
		summary = NULL;
		json_object_set_new(out, "diagnostics", diag_to_json(&d, lang));
		json_dumpf(out, stdout, JSON_INDENT(2));
		fputc('\n', stdout);
		json_decref(out);
	} else {
		diag_print(&d, stdout, fmt, lang, 3);
		if (!strcmp(lang, "ja"))
			fprintf(stderr, "odcat: %zu 件のデータセットをチェックしました：問題なし %zu 件、エラーあり %zu 件（エラー %zu 件、警告 %zu 件）\n",
				valid + invalid, valid, invalid, d.errors, d.warnings);
		else
			fprintf(stderr, "odcat: %zu dataset%s checked: %zu valid, %zu with errors (%zu error%s, %zu warning%s)\n",
				valid + invalid, valid + invalid == 1 ? "" : "s", valid, invalid, d.errors,
				d.errors == 1 ? "" : "s", d.warnings, d.warnings == 1 ? "" : "s");
	}
	rc = d.errors ? ODC_EXIT_DATA : ODC_EXIT_OK;
done:
	json_decref(summary);
	catalog_slugs_free(slugs, nslugs);
	catalog_free(&cat);
	repo_free(r);
	diag_free(&d);
	buf_free(&msg);
	buf_free(&hint);
	free(names);
	return rc;
}
