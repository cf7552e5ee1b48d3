/*
 * test_search.c — the search tokeniser against the shared vectors.
 *
 * tests/search/vectors.json holds hand-worked normalisation and token
 * vectors from docs/search.md; the browser client is tested against the
 * same file (tests/js/search.test.mjs), so the two cannot drift apart.
 * The readings section (MeCab with IPADIC) is checked here only: the
 * browser never computes readings.
 */
#include <jansson.h>

#include "harness.h"
#include "search.h"

typedef struct toks {
	json_t *arr;
} toks;

static void collect(const char *tok, size_t len, void *payload)
{
	toks *t = payload;
	json_array_append_new(t->arr, json_stringn(tok, len));
}

static int has(json_t *arr, const char *s)
{
	size_t i;
	json_t *x;
	json_array_foreach(arr, i, x) if (!strcmp(json_string_value(x), s)) return 1;
	return 0;
}

static char *show(json_t *v)
{
	return json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY);
}

int main(void)
{
	json_error_t e;
	json_t *v = json_load_file("tests/search/vectors.json", JSON_ALLOW_NUL, &e), *x;
	odc_buf msg = ODC_BUF_INIT;
	odc_reader *r;
	size_t i;

	if (!th_check(v != NULL, "test_search__vectors_load", "%s:%d: %s", e.source, e.line, e.text))
		return th_summary();

	json_array_foreach(json_object_get(v, "normalize"), i, x) {
		const char *in = json_string_value(json_object_get(x, "in"));
		size_t inlen = json_string_length(json_object_get(x, "in"));
		odc_buf out = ODC_BUF_INIT;
		char name[64];
		snprintf(name, sizeof(name), "test_search__normalize_%zu", i);
		search_normalize(in, inlen, &out);
		TH_STR_EQ(name, buf_cstr(&out), json_string_value(json_object_get(x, "out")));
		buf_free(&out);
	}

	json_array_foreach(json_object_get(v, "tokens"), i, x) {
		json_t *want = json_object_get(x, "tokens");
		toks t = {json_array()};
		char name[64], *g, *w;
		snprintf(name, sizeof(name), "test_search__tokens_%zu", i);
		search_tokenize(json_string_value(json_object_get(x, "in")),
				json_string_length(json_object_get(x, "in")), collect, &t);
		g = show(t.arr);
		w = show(want);
		th_check(json_equal(t.arr, want), name, "%s: got %s, want %s",
			 json_string_value(json_object_get(x, "in")), g, w);
		free(g);
		free(w);
		json_decref(t.arr);
	}

	r = search_reader_new(&msg);
	th_check(r != NULL, "test_search__mecab_utf8_dictionary", "%s", buf_cstr(&msg));
	json_array_foreach(json_object_get(v, "readings"), i, x) {
		const char *in = json_string_value(json_object_get(x, "in"));
		toks t = {json_array()};
		size_t k;
		json_t *y, *exact = json_object_get(x, "exact");
		char name[80], *g;
		if (!r)
			break;
		search_readings(r, in, strlen(in), collect, &t);
		g = show(t.arr);
		json_array_foreach(json_object_get(x, "includes"), k, y) {
			snprintf(name, sizeof(name), "test_search__readings_%zu_has_%zu", i, k);
			th_check(has(t.arr, json_string_value(y)), name, "%s: %s lacks %s", in, g,
				 json_string_value(y));
		}
		json_array_foreach(json_object_get(x, "excludes"), k, y) {
			snprintf(name, sizeof(name), "test_search__readings_%zu_not_%zu", i, k);
			th_check(!has(t.arr, json_string_value(y)), name, "%s: %s holds %s", in, g,
				 json_string_value(y));
		}
		if (exact) {
			snprintf(name, sizeof(name), "test_search__readings_%zu_exact", i);
			th_check(json_equal(t.arr, exact), name, "%s: got %s", in, g);
		}
		free(g);
		json_decref(t.arr);
	}
	/* Invalid UTF-8 is a separator, never a crash. */
	{
		toks t = {json_array()};
		search_tokenize("ab\xff\xfe" "cd\xe3\x81", 8, collect, &t);
		th_check(json_array_size(t.arr) == 2 && has(t.arr, "ab") && has(t.arr, "cd"),
			 "test_search__invalid_utf8", "got %zu tokens", json_array_size(t.arr));
		json_decref(t.arr);
	}
	search_reader_free(r);
	buf_free(&msg);
	json_decref(v);
	return th_summary();
}
