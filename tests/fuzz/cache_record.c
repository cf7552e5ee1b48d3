/*
 * cache_record.c — fuzz target for the build cache's binary record form
 * (cache.h: every build reads one record per dataset, and a cache folder
 * can be damaged or tampered with like any file).
 *
 * Input format: the bytes of a record file.
 *
 * Oracles: decoding never reads past the input (ASan) and gives NULL or a
 * value; for a value, every string and key is valid UTF-8, encoding it and
 * decoding that gives an equal value, whose encoding is the same bytes.
 */
#include <jansson.h>
#include <string.h>

#include "buf.h"
#include "cache.h"
#include "fuzz.h"

static int strings_ok(const json_t *v, int depth)
{
	const char *k;
	json_t *x;
	size_t i;
	if (depth > 80)
		return 0;
	switch (json_typeof(v)) {
	case JSON_STRING:
		return fuzz_utf8_ok((const unsigned char *)json_string_value(v), json_string_length(v));
	case JSON_OBJECT:
		json_object_foreach((json_t *)v, k, x)
			if (!fuzz_utf8_ok((const unsigned char *)k, strlen(k)) || !strings_ok(x, depth + 1))
				return 0;
		return 1;
	case JSON_ARRAY:
		json_array_foreach(v, i, x)
			if (!strings_ok(x, depth + 1))
				return 0;
		return 1;
	default:
		return 1;
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	json_t *v = cache_record_decode(data, size), *again;
	odc_buf b = ODC_BUF_INIT;

	if (!v)
		return 0;
	FUZZ_ASSERT(strings_ok(v, 0));
	cache_record_encode(v, &b);
	/* (The input itself need not be that encoding: a varint with needless
	 * continuation bytes or a repeated key decodes too.) */
	again = cache_record_decode(b.ptr, b.len);
	FUZZ_ASSERT(again != NULL);
	FUZZ_ASSERT(json_equal(v, again));
	{
		odc_buf b2 = ODC_BUF_INIT;
		cache_record_encode(again, &b2);
		FUZZ_ASSERT(b2.len == b.len && memcmp(b2.ptr, b.ptr, b.len) == 0);
		buf_free(&b2);
	}
	json_decref(again);
	json_decref(v);
	buf_free(&b);
	return 0;
}
