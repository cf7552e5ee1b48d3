/*
 * tree.h — a small catalogue folder written from one fuzz input, shared by
 * the catalog and writers targets (static functions: each target is one
 * translation unit).
 *
 * Input format: up to four parts separated by NUL bytes, each optional:
 *
 *   datapackage.json \0 odcat.json \0 README.md \0 data.csv
 *
 * (the last part keeps any further NUL bytes). A part that is missing, or
 * empty, gets a fixed default: a valid odcat.json with a base URL and one
 * department "dept", a short README and a two-column CSV. The fuzzed
 * datapackage.json comes first because it is what both targets are about.
 *
 * The files go to a fresh folder under $TMPDIR (tree_write), laid out as a
 * catalogue: odcat.json, datasets/x/{datapackage.json,README.md,data.csv};
 * tree_remove deletes it. One folder per input, so that every input
 * replays alone (standalone.c runs each in a child process).
 */
#ifndef ODC_FUZZ_TREE_H
#define ODC_FUZZ_TREE_H

#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "buf.h"
#include "fuzz.h"
#include "out.h"

static const char tree_default_conf[] =
	"{\"title\": {\"ja\": \"ファズ\", \"en\": \"Fuzz\"}, \"languages\": [\"ja\", \"en\"],"
	" \"base_url\": \"https://opendata.example.jp/\","
	" \"publisher\": {\"name\": {\"ja\": \"市\", \"en\": \"City\"}, \"code\": \"141305\"},"
	" \"publishers\": {\"dept\": {\"name\": {\"ja\": \"局\", \"en\": \"Bureau\"},"
	" \"email\": \"dept@example.jp\"}},"
	" \"license\": \"CC-BY-4.0\","
	" \"contactPoint\": {\"name\": \"窓口\", \"email\": \"desk@example.jp\"}}";
static const char tree_default_readme[] = "# Data\n\nA *dataset* with a [link](data.csv).\n";
static const char tree_default_csv[] = "a,b\n1,x\n2,y\n";

typedef struct tree_part {
	const char *p;
	size_t n;
} tree_part;

/* Splits the input into the four parts described above. */
static void tree_split(const uint8_t *data, size_t size, tree_part part[4])
{
	size_t i, at = 0;
	memset(part, 0, 4 * sizeof(*part));
	for (i = 0; i < 4 && at <= size; i++) {
		const uint8_t *nul = i < 3 ? memchr(data + at, '\0', size - at) : NULL;
		size_t end = nul ? (size_t)(nul - data) : size;
		part[i].p = (const char *)data + at;
		part[i].n = end - at;
		at = end + 1;
		if (!nul)
			break;
	}
	if (!part[1].n) {
		part[1].p = tree_default_conf;
		part[1].n = sizeof(tree_default_conf) - 1;
	}
	if (!part[2].n) {
		part[2].p = tree_default_readme;
		part[2].n = sizeof(tree_default_readme) - 1;
	}
	if (!part[3].n) {
		part[3].p = tree_default_csv;
		part[3].n = sizeof(tree_default_csv) - 1;
	}
}

static void tree_file(const char *root, const char *rel, const char *p, size_t n)
{
	odc_buf path = ODC_BUF_INIT;
	FILE *f;
	buf_printf(&path, "%s/%s", root, rel);
	f = fopen(path.ptr, "wb");
	FUZZ_ASSERT(f != NULL);
	FUZZ_ASSERT(n == 0 || fwrite(p, 1, n, f) == n);
	FUZZ_ASSERT(fclose(f) == 0);
	buf_free(&path);
}

/* Writes the catalogue folder; returns its path (malloc'd). A missing
 * datapackage.json part (an empty input) leaves the file out. */
static char *tree_write(const tree_part part[4])
{
	const char *tmp = getenv("TMPDIR");
	odc_buf root = ODC_BUF_INIT, sub = ODC_BUF_INIT;

	buf_printf(&root, "%s/odcat-fuzz.XXXXXX", tmp && *tmp ? tmp : "/tmp");
	FUZZ_ASSERT(mkdtemp(root.ptr) != NULL);
	buf_printf(&sub, "%s/datasets", root.ptr);
	FUZZ_ASSERT(mkdir(sub.ptr, 0755) == 0);
	buf_puts(&sub, "/x");
	FUZZ_ASSERT(mkdir(sub.ptr, 0755) == 0);
	buf_free(&sub);
	if (part[0].p)
		tree_file(root.ptr, "datasets/x/datapackage.json", part[0].p, part[0].n);
	tree_file(root.ptr, "odcat.json", part[1].p, part[1].n);
	tree_file(root.ptr, "datasets/x/README.md", part[2].p, part[2].n);
	tree_file(root.ptr, "datasets/x/data.csv", part[3].p, part[3].n);
	return buf_detach(&root);
}

static void tree_remove(char *root)
{
	FUZZ_ASSERT(out_rmtree(root) == 0);
	free(root);
}

#endif
