/*
 * template.c — fuzz target for the Mustache engine (template_render).
 *
 * Input format: the bytes up to the first NUL byte (or the end) are the
 * template; the bytes after that NUL, when Jansson accepts them as JSON
 * (any value), are the data. Otherwise the data is a fixed object with
 * every kind of value (below), so that inputs without a NUL still render
 * sections over strings, numbers, booleans, null, arrays and nested
 * objects.
 *
 * Partials, looked up by name:
 *   "self"   the template itself (recursion, stopped by the nesting limit)
 *   "a"      "{{a}}"
 *   "rec"    "{{#o}}{{>rec}}{{/o}}"        a recursive partial
 *   "parent" "<{{$x}}default{{/x}}>"       for {{<parent}} inheritance
 *   "dyn"    "{{>*s}}"                     a dynamic name
 *   "bad"    "{{#x}}"                      a malformed partial
 *   "err"    the callback fails with ODC_EIO (returned unchanged)
 *   others   not found (render as empty)
 *
 * Oracles: the result is 0, ODC_EINVALID, ODC_ELIMIT or ODC_EIO (the only
 * failing partial); on failure the message is non-empty; a successful
 * render's output is NUL-terminated at its length; rendering twice gives
 * the same bytes (nothing survives a call).
 */
#include <jansson.h>
#include <string.h>

#include "buf.h"
#include "fuzz.h"
#include "odc.h"
#include "template.h"

static const char default_data[] =
	"{\"a\": 1, \"s\": \"a\", \"h\": \"<b>&\\\"'\", \"t\": true, \"f\": false, \"n\": null,"
	" \"z\": 0, \"r\": 1.21, \"e\": [], \"es\": \"\", \"list\": [1, \"two\", {\"a\": 3}, [4]],"
	" \"o\": {\"o\": {\"o\": {\"a\": \"deep\"}}}, \"x\": {\"y\": {\"z\": \"xyz\"}},"
	" \"items\": [{\"name\": \"川崎\", \"n\": 1}, {\"name\": \"幸\", \"n\": 2}]}";

typedef struct ctx {
	const char *src;
	size_t len;
} ctx;

static int partial(void *payload, const char *name, char **out, size_t *out_len)
{
	const ctx *c = payload;
	const char *s = NULL;
	size_t n;

	if (!strcmp(name, "self")) {
		*out = malloc(c->len + 1);
		if (!*out)
			abort();
		memcpy(*out, c->src, c->len);
		(*out)[c->len] = '\0';
		*out_len = c->len;
		return 0;
	}
	if (!strcmp(name, "a"))
		s = "{{a}}";
	else if (!strcmp(name, "rec"))
		s = "{{#o}}{{>rec}}{{/o}}";
	else if (!strcmp(name, "parent"))
		s = "<{{$x}}default{{/x}}>";
	else if (!strcmp(name, "dyn"))
		s = "{{>*s}}";
	else if (!strcmp(name, "bad"))
		s = "{{#x}}";
	else if (!strcmp(name, "err"))
		return ODC_EIO;
	else
		return ODC_ENOTFOUND;
	n = strlen(s);
	*out = malloc(n + 1);
	if (!*out)
		abort();
	memcpy(*out, s, n + 1);
	*out_len = n;
	return 0;
}

static int count_name(void *payload, int is_partial, const char *name, size_t len, size_t line,
		      size_t col)
{
	(void)payload;
	(void)is_partial;
	FUZZ_ASSERT(name != NULL && len > 0 && line >= 1 && col >= 1);
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const uint8_t *nul = memchr(data, '\0', size);
	size_t tlen = nul ? (size_t)(nul - data) : size;
	json_t *j = NULL;
	odc_buf out = ODC_BUF_INIT, again = ODC_BUF_INIT;
	char err[256], err2[256];
	ctx c;
	int rc, rc2;

	if (nul) {
		json_error_t e;
		j = json_loadb((const char *)nul + 1, size - tlen - 1, JSON_DECODE_ANY, &e);
	}
	if (!j)
		j = json_loads(default_data, 0, NULL);
	FUZZ_ASSERT(j != NULL);
	c.src = (const char *)data;
	c.len = tlen;

	err[0] = '\0';
	rc = template_render(&out, (const char *)data, tlen, j, partial, &c, err, sizeof(err));
	FUZZ_ASSERT(rc == 0 || rc == ODC_EINVALID || rc == ODC_ELIMIT || rc == ODC_EIO);
	if (rc == ODC_EINVALID || rc == ODC_ELIMIT)
		FUZZ_ASSERT(err[0] != '\0' && memchr(err, '\0', sizeof(err)) != NULL);
	if (rc == 0) {
		FUZZ_ASSERT(out.len == 0 || (out.ptr && out.ptr[out.len] == '\0'));
		err2[0] = '\0';
		rc2 = template_render(&again, (const char *)data, tlen, j, partial, &c, err2,
				      sizeof(err2));
		FUZZ_ASSERT(rc2 == 0);
		FUZZ_ASSERT(again.len == out.len);
		FUZZ_ASSERT(out.len == 0 || !memcmp(again.ptr, out.ptr, out.len));
	}
	/* The error message buffer may be NULL. */
	if (rc != 0) {
		buf_clear(&out);
		rc2 = template_render(&out, (const char *)data, tlen, j, partial, &c, NULL, 0);
		FUZZ_ASSERT(rc2 == rc);
	}
	/* Strict rendering (as themes are) and the name walk never crash, and
	 * parse exactly the templates the renderer parses. */
	{
		odc_tpl_where w;
		odc_tpl_opts o = {partial, &c, 1, "t.", &w};
		buf_clear(&out);
		rc2 = template_render_opts(&out, (const char *)data, tlen, j, &o, err2, sizeof(err2));
		FUZZ_ASSERT(rc2 == 0 || rc2 == ODC_EINVALID || rc2 == ODC_ELIMIT || rc2 == ODC_EIO ||
			    rc2 == ODC_ENOTFOUND);
		if (rc2 == ODC_EINVALID || rc2 == ODC_ENOTFOUND)
			FUZZ_ASSERT(w.line >= 1);
		rc2 = template_names((const char *)data, tlen, count_name, NULL, &w, err2, sizeof(err2));
		FUZZ_ASSERT(rc2 == 0 || rc2 == ODC_EINVALID || rc2 == ODC_ELIMIT);
		if (rc == 0)
			FUZZ_ASSERT(rc2 == 0);
	}
	buf_free(&out);
	buf_free(&again);
	json_decref(j);
	return 0;
}
