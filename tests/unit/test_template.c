/*
 * test_template.c — the official Mustache spec is the test of template.c.
 *
 * Reads every JSON file of $ODC_SHARED/mustache-spec (ODC_SHARED defaults to
 * "../shared", relative to the project root where tests run) and renders
 * each test's template with its data and partials; each spec test is one
 * check named "<file>: <test name>". ~lambdas.json cannot apply (Jansson
 * values hold no code), so its tests are counted and reported as skipped.
 * Then odcat's own checks: error codes and messages for malformed
 * templates, the nesting and work limits, HTML escaping, number printing,
 * and every prefix of every spec template rendered from an exact-size heap
 * copy so that ASan sees any read past the end.
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "buf.h"
#include "odc.h"
#include "template.h"

#include "harness.h"

/* Spec files every build must pass; a missing one is a failure. */
static const char *const required[] = {
	"comments.json", "delimiters.json", "interpolation.json", "inverted.json",
	"partials.json", "sections.json", "~dynamic-names.json", "~inheritance.json",
};

/*============================== Helpers ==============================*/

/* Partial callback over a JSON object of name -> template text. */
static int json_partial(void *payload, const char *name, char **out, size_t *out_len)
{
	json_t *v = json_object_get((json_t *)payload, name);
	if (!json_is_string(v))
		return ODC_ENOTFOUND;
	*out = xstrndup(json_string_value(v), json_string_length(v));
	*out_len = json_string_length(v);
	return 0;
}

/* Renders src (copied to an exact-size heap block, no NUL after it, so ASan
 * catches any read past len) into out; returns template_render's code. */
static int render_exact(odc_buf *out, const char *src, size_t len, json_t *data,
			json_t *partials, char *err, size_t errlen)
{
	char *copy = xmalloc(len);
	int rc;

	if (len)
		memcpy(copy, src, len);
	rc = template_render(out, copy, len, data, partials ? json_partial : NULL, partials, err,
			     errlen);
	free(copy);
	return rc;
}

/* A C-escaped copy of s for failure messages (caller frees). */
static char *quoted(const char *s, size_t len)
{
	odc_buf b = ODC_BUF_INIT;
	buf_putc(&b, '"');
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c == '\n')
			buf_puts(&b, "\\n");
		else if (c == '\r')
			buf_puts(&b, "\\r");
		else if (c == '\t')
			buf_puts(&b, "\\t");
		else if (c == '"' || c == '\\')
			buf_printf(&b, "\\%c", c);
		else if (c < 0x20)
			buf_printf(&b, "\\x%02x", c);
		else
			buf_putc(&b, (char)c);
	}
	buf_putc(&b, '"');
	return buf_detach(&b);
}

/* Renders a NUL-terminated template with data given as JSON text and
 * partials as a JSON object text (or NULL); checks output and code. */
static void check_render(const char *name, const char *tpl, const char *data_json,
			 const char *partials_json, int want_rc, const char *want_out,
			 const char *want_err)
{
	json_t *data = data_json ? json_loads(data_json, JSON_DECODE_ANY, NULL) : NULL;
	json_t *partials = partials_json ? json_loads(partials_json, 0, NULL) : NULL;
	odc_buf out = ODC_BUF_INIT;
	char err[256];
	int rc = render_exact(&out, tpl, strlen(tpl), data, partials, err, sizeof err);
	int ok = rc == want_rc;

	if (ok && want_out)
		ok = strcmp(buf_cstr(&out), want_out) == 0;
	if (ok && want_err)
		ok = strstr(err, want_err) != NULL;
	if (ok && rc != 0)
		ok = err[0] != '\0' && !strchr(err, '\n');
	char *got = quoted(buf_cstr(&out), out.len);
	th_check(ok, name, "rc %d (want %d), output %s, err \"%s\" (want it to contain \"%s\")",
		 rc, want_rc, got, err, want_err ? want_err : "");
	free(got);
	buf_free(&out);
	json_decref(data);
	json_decref(partials);
}

/*============================== The spec ==============================*/

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Runs one spec file; returns the number of tests run. */
static int run_spec_file(const char *dir, const char *file)
{
	odc_buf path = ODC_BUF_INIT, name = ODC_BUF_INIT, prefix_fail = ODC_BUF_INIT;
	json_error_t jerr;
	json_t *doc, *tests, *t;
	size_t i;
	int n = 0, prefixes_ok = 1;

	buf_printf(&path, "%s/%s", dir, file);
	doc = json_load_file(buf_cstr(&path), 0, &jerr);
	tests = json_object_get(doc, "tests");
	buf_printf(&name, "%s: file loads", file);
	if (!th_check(json_is_array(tests), buf_cstr(&name), "%s: %s", buf_cstr(&path), jerr.text))
		goto done;
	if (strstr(file, "lambdas")) {
		printf("skipped %zu tests of %s (lambdas need code in the data)\n",
		       json_array_size(tests), file);
		goto done;
	}

	json_array_foreach(tests, i, t) {
		json_t *tpl = json_object_get(t, "template");
		json_t *want = json_object_get(t, "expected");
		json_t *partials = json_object_get(t, "partials");
		json_t *data = json_object_get(t, "data");
		odc_buf out = ODC_BUF_INIT;
		char err[256];

		buf_clear(&name);
		buf_printf(&name, "%s: %s", file, json_string_value(json_object_get(t, "name")));
		int rc = render_exact(&out, json_string_value(tpl), json_string_length(tpl), data,
				      partials, err, sizeof err);
		int ok = rc == 0 && out.len == json_string_length(want) &&
			 memcmp(buf_cstr(&out), json_string_value(want), out.len) == 0;
		char *got = quoted(buf_cstr(&out), out.len);
		char *exp = quoted(json_string_value(want), json_string_length(want));
		th_check(ok, buf_cstr(&name), "rc %d (%s), got %s, want %s", rc, err, got, exp);
		free(got);
		free(exp);
		buf_free(&out);
		n++;

		/* Every truncation of the template must render or fail cleanly. */
		for (size_t len = 0; len < json_string_length(tpl); len++) {
			odc_buf o = ODC_BUF_INIT;
			rc = render_exact(&o, json_string_value(tpl), len, data, partials, err,
					  sizeof err);
			if (rc != 0 && (rc != ODC_EINVALID || !err[0]) && prefixes_ok) {
				prefixes_ok = 0;
				buf_printf(&prefix_fail, "%s, %zu bytes: rc %d (%s)",
					   buf_cstr(&name), len, rc, err);
			}
			buf_free(&o);
		}
	}
	buf_clear(&name);
	buf_printf(&name, "%s: every template prefix renders or is EINVALID", file);
	th_check(prefixes_ok, buf_cstr(&name), "%s", buf_cstr(&prefix_fail));
done:
	json_decref(doc);
	buf_free(&path);
	buf_free(&name);
	buf_free(&prefix_fail);
	return n;
}

static void test_template__spec(void)
{
	const char *shared = getenv("ODC_SHARED");
	odc_buf dirb = ODC_BUF_INIT;
	const char *dir;
	char **files = NULL;
	size_t nfiles = 0, cap = 0;
	struct dirent *de;
	DIR *d;
	int total = 0;

	buf_printf(&dirb, "%s/mustache-spec", shared && *shared ? shared : "../shared");
	dir = buf_cstr(&dirb);
	d = opendir(dir);
	if (!th_check(d != NULL, "spec: directory present",
		      "cannot open %s (set ODC_SHARED to the shared folder)", dir)) {
		buf_free(&dirb);
		return;
	}
	while ((de = readdir(d))) {
		size_t len = strlen(de->d_name);
		if (len < 5 || strcmp(de->d_name + len - 5, ".json") != 0)
			continue;
		if (nfiles == cap) {
			cap = cap ? cap * 2 : 16;
			files = xrealloc(files, cap * sizeof *files);
		}
		files[nfiles++] = xstrdup(de->d_name);
	}
	closedir(d);
	qsort(files, nfiles, sizeof *files, cmp_str);

	for (size_t r = 0; r < sizeof required / sizeof *required; r++) {
		int found = 0;
		char name[64];
		for (size_t i = 0; i < nfiles; i++)
			found |= strcmp(files[i], required[r]) == 0;
		snprintf(name, sizeof name, "spec: %.40s present", required[r]);
		th_check(found, name, "%s/%s is missing", dir, required[r]);
	}
	for (size_t i = 0; i < nfiles; i++) {
		total += run_spec_file(dir, files[i]);
		free(files[i]);
	}
	free(files);
	printf("ran %d spec tests from %s\n", total, dir);
	th_check(total > 0, "spec: some tests ran", "no spec tests found in %s", dir);
	buf_free(&dirb);
}

/*============================== odcat's own checks ==============================*/

static void test_template__malformed(void)
{
	check_render("malformed: unclosed section names it and its line", "a\nb\n{{#items}}\nc\n",
		     "{}", NULL, ODC_EINVALID, NULL, "line 3, column 1: section 'items' is not closed");
	check_render("malformed: mismatched end tag", "{{#a}}\n\n{{/b}}", "{}", NULL, ODC_EINVALID,
		     NULL, "line 3, column 1:");
	check_render("malformed: end tag without section", "x {{/a}}", "{}", NULL, ODC_EINVALID,
		     NULL, "line 1, column 3:");
	check_render("malformed: unclosed tag", "x\n{{name", "{}", NULL, ODC_EINVALID, NULL,
		     "line 2, column 1:");
	check_render("malformed: unclosed triple mustache", "{{{name}}", "{}", NULL, ODC_EINVALID,
		     NULL, "line 1, column 1:");
	check_render("malformed: opening delimiter at the end", "abc{{", "{}", NULL, ODC_EINVALID,
		     NULL, "line 1, column 4:");
	check_render("malformed: one delimiter only", "\n{{=<% =}}", "{}", NULL, ODC_EINVALID,
		     NULL, "line 2, column 1: bad delimiter");
	check_render("malformed: delimiter with '='", "{{=<= =>=}}", "{}", NULL, ODC_EINVALID,
		     NULL, "line 1, column 1: bad delimiter");
	check_render("malformed: empty tag", "{{ }}", "{}", NULL, ODC_EINVALID, NULL, "line 1, column 1:");
	check_render("malformed: whitespace in a name", "{{a b}}", "{}", NULL, ODC_EINVALID, NULL,
		     "line 1, column 1:");
	check_render("malformed: unclosed parent", "{{<p}}\n{{$b}}x{{/b}}\n", "{}", "{}",
		     ODC_EINVALID, NULL, "line 1, column 1: parent 'p' is not closed");
	check_render("malformed: error inside a partial names the partial", "{{>bad}}", "{}",
		     "{\"bad\": \"ok\\n{{#x}}\"}", ODC_EINVALID, NULL,
		     "partial 'bad', line 2, column 1: section 'x' is not closed");
	/* The node array grows while an end tag is handled (its text comes
	 * first); the open node must not be reached through a stale pointer. */
	for (int kind = 0; kind < 3; kind++) {
		static const char *const open[] = {"{{#a}}", "{{$a}}", "{{<p}}{{$a}}"};
		static const char *const close[] = {"{{/a}}", "{{/a}}", "{{/a}}{{/p}}"};
		static const char *const names[] = {"regression: end tag of a section after many lines",
						    "regression: end tag of a block after many lines",
						    "regression: end tag of an argument after many lines"};
		odc_buf tpl = ODC_BUF_INIT, want = ODC_BUF_INIT;
		buf_puts(&tpl, open[kind]);
		for (int i = 0; i < 300; i++) {
			buf_puts(&tpl, "x\n");
			buf_puts(&want, "x\n");
		}
		buf_puts(&tpl, close[kind]);
		check_render(names[kind], buf_cstr(&tpl), "{\"a\": true}", "{\"p\": \"{{$a}}{{/a}}\"}", 0,
			     buf_cstr(&want), NULL);
		buf_free(&tpl);
		buf_free(&want);
	}
	check_render("malformed: unclosed comment", "{{! never closed }", "{}", NULL,
		     ODC_EINVALID, NULL, "line 1, column 1:");
	/* Columns count characters, not bytes, from the start of the line. */
	check_render("malformed: column in characters after UTF-8 text", "x\n日本語 {{#x}}\n", "{}", NULL,
		     ODC_EINVALID, NULL, "line 2, column 5: section 'x' is not closed");
	check_render("malformed: column of the faulty tag, not the first", "ab {{x}} {{/y}}", "{}", NULL,
		     ODC_EINVALID, NULL, "line 1, column 10: end tag 'y' has no open section");
	check_render("malformed: bad delimiter after a good change", "{{=<% %>=}}\nab <%=x=%>", "{}", NULL,
		     ODC_EINVALID, NULL, "line 2, column 4: bad delimiter");
}

/* Renders with the options themes use (strict, prefix "t."); checks the
 * code, the output or message, and where the error is. */
static void check_strict(const char *name, const char *tpl, const char *data_json,
			 const char *partials_json, int want_rc, const char *want,
			 const char *want_partial, size_t want_line, size_t want_col)
{
	json_t *data = json_loads(data_json, 0, NULL);
	json_t *partials = partials_json ? json_loads(partials_json, 0, NULL) : NULL;
	odc_buf out = ODC_BUF_INIT;
	odc_tpl_where where;
	odc_tpl_opts o = {json_partial, partials, 1, "t.", &where};
	char err[256];
	int rc = template_render_opts(&out, tpl, strlen(tpl), data, &o, err, sizeof err);
	int ok = rc == want_rc;
	if (ok && rc == 0)
		ok = !strcmp(buf_cstr(&out), want);
	if (ok && rc != 0)
		ok = strstr(err, want) && !strcmp(where.partial, want_partial) &&
		     where.line == want_line && where.column == want_col;
	th_check(ok, name, "rc %d (want %d), out \"%s\", err \"%s\", where '%s' %zu:%zu", rc, want_rc,
		 buf_cstr(&out), err, where.partial, where.line, where.column);
	buf_free(&out);
	json_decref(data);
	json_decref(partials);
}

static int collect_name(void *payload, int is_partial, const char *name, size_t len, size_t line,
			size_t col)
{
	buf_printf(payload, "%s%.*s@%zu:%zu ", is_partial ? ">" : "", (int)len, name, line, col);
	return 0;
}

static void test_template__names(void)
{
	odc_buf b = ODC_BUF_INIT;
	odc_tpl_where w;
	char err[256];
	int rc = template_names("a {{x}}\n{{#s}}{{{t.y}}}{{/s}}{{^z}}{{/z}}\n  {{>p}}{{>*dyn}}{{! c}}{{&r}}", 72,
				collect_name, &b, &w, err, sizeof err);
	th_check(rc == 0 && !strcmp(buf_cstr(&b), "x@1:3 s@2:1 t.y@2:7 z@2:22 >p@3:3 r@3:25 "),
		 "names: every name in order with line and column; dynamic partials skipped", "rc %d, got \"%s\"",
		 rc, buf_cstr(&b));
	buf_clear(&b);
	rc = template_names("ok\n {{#x}}", 10, collect_name, &b, &w, err, sizeof err);
	th_check(rc == ODC_EINVALID && w.line == 2 && w.column == 2 && strstr(err, "not closed"),
		 "names: a syntax error says where", "rc %d, %zu:%zu, err %s", rc, w.line, w.column, err);
	buf_free(&b);
}

static void test_template__strict(void)
{
	const char *data = "{\"t\": {\"home\": \"Home\"}, \"x\": 1}";
	check_strict("strict: a defined string renders", "{{t.home}}", data, NULL, 0, "Home", "", 0, 0);
	check_strict("strict: other missing names stay blank", "[{{nope}}{{#nope}}x{{/nope}}]", data, NULL,
		     0, "[]", "", 0, 0);
	check_strict("strict: a missing string is an error", "a\n  {{t.nope}}", data, NULL, ODC_ENOTFOUND,
		     "'t.nope' is not defined", "", 2, 3);
	check_strict("strict: a missing string as a section is an error", "{{#t.nope}}x{{/t.nope}}", data,
		     NULL, ODC_ENOTFOUND, "'t.nope' is not defined", "", 1, 1);
	check_strict("strict: a missing string inside a partial names the partial", "{{>p}}", data,
		     "{\"p\": \"ok\\n{{t.gone}}\"}", ODC_ENOTFOUND, "'t.gone' is not defined", "p", 2, 1);
	check_strict("strict: a missing partial is an error", "x {{>nothere}}", data, "{}", ODC_ENOTFOUND,
		     "partial 'nothere' not found", "", 1, 3);
	check_strict("strict: a syntax error reports where", "{{#x}}\n {{/y}}", data, NULL, ODC_EINVALID,
		     "does not match", "", 2, 2);
	/* Without strict the spec holds: a missing partial is empty. */
	check_render("not strict: a missing partial renders as nothing", "[{{>nothere}}]", "{}", "{}", 0,
		     "[]", NULL);
}

static void test_template__limits(void)
{
	check_render("limits: self-recursive partial without end", "{{>self}}", "{}",
		     "{\"self\": \"x{{>self}}\"}", ODC_ELIMIT, NULL, "100");
	check_render("limits: self-recursive parent", "{{<p}}{{/p}}", "{}",
		     "{\"p\": \"{{<p}}{{/p}}\"}", ODC_ELIMIT, NULL, "100");
	check_render("limits: block overriding itself forever", "{{<p}}{{$a}}{{$a}}{{/a}}{{/a}}{{/p}}",
		     "{}", "{\"p\": \"{{$a}}{{/a}}\"}", ODC_ELIMIT, NULL, "nested deeper");
	check_render("limits: recursion that ends is fine", "{{>node}}",
		     "{\"n\": \"a\", \"kids\": [{\"n\": \"b\", \"kids\": [{\"n\": \"c\", \"kids\": []}]}]}",
		     "{\"node\": \"{{n}}({{#kids}}{{>node}}{{/kids}})\"}", 0, "a(b(c()))", NULL);

	/* 1000 nested sections parse and render; 1001 are refused. */
	for (int depth = 1000; depth <= 1001; depth++) {
		odc_buf tpl = ODC_BUF_INIT;
		char name[64];
		for (int i = 0; i < depth; i++)
			buf_puts(&tpl, "{{#a}}");
		buf_putc(&tpl, 'x');
		for (int i = 0; i < depth; i++)
			buf_puts(&tpl, "{{/a}}");
		snprintf(name, sizeof name, "limits: %d nested sections", depth);
		check_render(name, buf_cstr(&tpl), "{\"a\": true}", NULL,
			     depth > 1000 ? ODC_ELIMIT : 0, depth > 1000 ? NULL : "x",
			     depth > 1000 ? "1000" : NULL);
		buf_free(&tpl);
	}

	/* Partials that double at each of 60 levels: 2^60 expansions must end
	 * on the work budget, quickly, without output to speak of. */
	{
		odc_buf parts = ODC_BUF_INIT;
		clock_t start = clock();
		buf_putc(&parts, '{');
		for (int i = 0; i < 60; i++)
			buf_printf(&parts, "\"p%d\": \"{{>p%d}}{{>p%d}}\", ", i, i + 1, i + 1);
		buf_puts(&parts, "\"p60\": \"\"}");
		check_render("limits: exponential partials end on the work budget", "{{>p0}}", "{}",
			     buf_cstr(&parts), ODC_ELIMIT, NULL, "steps");
		double secs = (double)(clock() - start) / CLOCKS_PER_SEC;
		th_check(secs < 60, "limits: work budget is spent in under a minute", "took %.1f s",
			 secs);
		buf_free(&parts);
	}

	/* Many arguments for many blocks: the hashed frame must pick the same
	 * arguments as the scan, a later duplicate winning. */
	{
		odc_buf tpl = ODC_BUF_INIT, parts = ODC_BUF_INIT, want = ODC_BUF_INIT;
		buf_puts(&tpl, "{{<p}}");
		buf_puts(&parts, "{\"p\": \"");
		for (int i = 0; i < 40; i++) {
			if (i % 2 == 0)
				buf_printf(&tpl, "{{$b%d}}x{{/b%d}}", i, i);
			buf_printf(&parts, "{{$b%d}}%d{{/b%d}},", i, i, i);
			if (i % 2 == 0)
				buf_puts(&want, i == 10 ? "y," : "x,");
			else
				buf_printf(&want, "%d,", i);
		}
		buf_puts(&tpl, "{{$b10}}y{{/b10}}{{/p}}");
		buf_puts(&parts, "\"}");
		check_render("inheritance: many arguments, hashed", buf_cstr(&tpl), "{}",
			     buf_cstr(&parts), 0, buf_cstr(&want), NULL);
		buf_free(&tpl);
		buf_free(&parts);
		buf_free(&want);
	}

	/* A missing name looked up inside deeply nested sections searches every
	 * context frame; that work counts toward the budget too. */
	{
		odc_buf tpl = ODC_BUF_INIT;
		buf_puts(&tpl, "{{#l}}");
		for (int i = 0; i < 900; i++)
			buf_puts(&tpl, "{{#t}}");
		for (int i = 0; i < 2000; i++)
			buf_puts(&tpl, "{{missing}}");
		for (int i = 0; i < 900; i++)
			buf_puts(&tpl, "{{/t}}");
		buf_puts(&tpl, "{{/l}}");
		odc_buf data = ODC_BUF_INIT;
		buf_puts(&data, "{\"t\": {}, \"l\": [");
		for (int i = 0; i < 1000; i++)
			buf_puts(&data, i ? ",1" : "1");
		buf_puts(&data, "]}");
		check_render("limits: deep lookups end on the work budget", buf_cstr(&tpl),
			     buf_cstr(&data), NULL, ODC_ELIMIT, NULL, "steps");
		buf_free(&tpl);
		buf_free(&data);
	}

	/* Nested loops over one long list multiply too. */
	{
		odc_buf data = ODC_BUF_INIT;
		buf_puts(&data, "{\"l\": [");
		for (int i = 0; i < 1000; i++)
			buf_puts(&data, i ? ",1" : "1");
		buf_puts(&data, "]}");
		check_render("limits: nested loops end on the work budget",
			     "{{#l}}{{#l}}{{#l}}{{#l}}{{/l}}{{/l}}{{/l}}{{/l}}", buf_cstr(&data), NULL,
			     ODC_ELIMIT, NULL, "steps");
		buf_free(&data);
	}
}

static void test_template__escaping(void)
{
	const char *data = "{\"x\": \"<script>alert(\\\"a\\\" + 'b' & 1)</script>\"}";
	check_render("escaping: {{x}} escapes tags, quotes and ampersands", "{{x}}", data, NULL, 0,
		     "&lt;script&gt;alert(&quot;a&quot; + &#39;b&#39; &amp; 1)&lt;/script&gt;", NULL);
	check_render("escaping: {{{x}}} does not escape", "{{{x}}}", data, NULL, 0,
		     "<script>alert(\"a\" + 'b' & 1)</script>", NULL);
	check_render("escaping: {{&x}} does not escape", "{{& x }}", data, NULL, 0,
		     "<script>alert(\"a\" + 'b' & 1)</script>", NULL);
	check_render("escaping: attribute values are safe", "<a title=\"{{x}}\" data-y='{{x}}'>",
		     "{\"x\": \"\\\" onclick='evil()'\"}", NULL, 0,
		     "<a title=\"&quot; onclick=&#39;evil()&#39;\" data-y='&quot; onclick=&#39;evil()&#39;'>",
		     NULL);
	check_render("escaping: data is never parsed as a template", "{{x}}{{{x}}}",
		     "{\"x\": \"{{y}}\", \"y\": \"no\"}", NULL, 0, "{{y}}{{y}}", NULL);
}

static void test_template__values(void)
{
	check_render("values: integral real prints without decimal point", "{{a}} {{b}}",
		     "{\"a\": 1.0, \"b\": -0.5}", NULL, 0, "1 -0.5", NULL);
	check_render("values: reals print in the shortest exact form", "{{a}} {{b}} {{c}} {{d}}",
		     "{\"a\": 0.1, \"b\": 0.3333333333333333, \"c\": 1e300, \"d\": 1.210}", NULL, 0,
		     "0.1 0.3333333333333333 1e+300 1.21", NULL);
	check_render("values: big integers print exactly", "{{a}} {{b}}",
		     "{\"a\": 9007199254740993, \"b\": -42}", NULL, 0, "9007199254740993 -42", NULL);
	check_render("values: booleans print as words, containers as nothing", "{{t}}{{f}}[{{o}}{{l}}]",
		     "{\"t\": true, \"f\": false, \"o\": {\"a\": 1}, \"l\": [1]}", NULL, 0,
		     "truefalse[]", NULL);
	check_render("values: empty string is falsey, zero is truthy",
		     "{{#s}}s{{/s}}{{^s}}!s{{/s}}{{#z}}z={{z}}{{/z}}", "{\"s\": \"\", \"z\": 0}", NULL,
		     0, "!sz=0", NULL);
	check_render("values: NULL data renders names as empty", "a{{x}}b{{#x}}c{{/x}}{{^x}}d{{/x}}",
		     NULL, NULL, 0, "abd", NULL);
	check_render("values: NULL partial callback means missing partials", "[{{>p}}]", "{}", NULL,
		     0, "[]", NULL);
}

/* Partial callback that counts its calls and can fail on request. */
struct counting {
	int calls;
	int fail;
};

static int counting_partial(void *payload, const char *name, char **out, size_t *out_len)
{
	struct counting *c = payload;
	c->calls++;
	if (c->fail)
		return ODC_EIO;
	if (strcmp(name, "item") != 0)
		return ODC_ENOTFOUND;
	*out = xstrdup("<{{.}}>");
	*out_len = 7;
	return 0;
}

static void test_template__partials(void)
{
	struct counting c = {0, 0};
	odc_buf out = ODC_BUF_INIT;
	json_t *data = json_loads("{\"l\": [1, 2, 3]}", 0, NULL);
	const char *tpl = "{{#l}}{{>item}}{{>nope}}{{/l}}";
	char err[256];
	int rc;

	buf_puts(&out, "kept:");
	rc = template_render(&out, tpl, strlen(tpl), data, counting_partial, &c, err, sizeof err);
	TH_INT_EQ("partials: renders", rc, 0);
	TH_STR_EQ("partials: appends to what out holds", buf_cstr(&out), "kept:<1><2><3>");
	TH_INT_EQ("partials: callback asked once per name, found or not", c.calls, 2);

	c.fail = 1;
	buf_clear(&out);
	rc = template_render(&out, tpl, strlen(tpl), data, counting_partial, &c, err, sizeof err);
	TH_INT_EQ("partials: callback error is returned unchanged", rc, ODC_EIO);
	th_check(strstr(err, "item") != NULL, "partials: callback error names the partial",
		 "err \"%s\"", err);
	buf_free(&out);
	json_decref(data);

	check_render("partials: standalone indentation accumulates", "  {{>a}}\n", "{}",
		     "{\"a\": \"x\\n  {{>b}}\\n\", \"b\": \"1\\n2\\n\"}", 0, "  x\n    1\n    2\n",
		     NULL);
	check_render("partials: inline partial is not indented", "  {{>a}}\n", "{}",
		     "{\"a\": \"x {{>b}}\\n\", \"b\": \"1\\n2\"}", 0, "  x 1\n2\n", NULL);
	check_render("partials: dynamic name from a number", "{{>*n}}", "{\"n\": 7}",
		     "{\"7\": \"seven\"}", 0, "seven", NULL);
	check_render("inheritance: empty argument leaves no stray indentation",
		     "{{<p}}{{$items}}{{/items}}{{/p}}", "{}",
		     "{\"p\": \"<ul>\\n  {{$items}}\\n  <li>x</li>\\n  {{/items}}\\n</ul>\\n\"}", 0,
		     "<ul>\n</ul>\n", NULL);
	check_render("inheritance: argument in a standalone block is reindented",
		     "{{<p}}\n  {{$items}}\n    <li>a</li>\n    <li>b</li>\n  {{/items}}\n{{/p}}\n",
		     "{}",
		     "{\"p\": \"<ul>\\n  {{$items}}\\n  <li>x</li>\\n  {{/items}}\\n</ul>\\n\"}", 0,
		     "<ul>\n  <li>a</li>\n  <li>b</li>\n</ul>\n", NULL);
	check_render("inheritance: parent inside an indented partial", "  {{>page}}\n", "{}",
		     "{\"page\": \"{{<base}}{{$body}}\\nb1\\nb2\\n{{/body}}{{/base}}\\n\","
		     " \"base\": \"<main>\\n  {{$body}}\\n  {{/body}}\\n</main>\\n\"}",
		     0, "  <main>\n    b1\n    b2\n  </main>\n", NULL);
}

/* Runs every test, or only those named on the command line
 * (e.g. "test_template__limits"). */
int main(int argc, char **argv)
{
	static const struct {
		const char *name;
		void (*fn)(void);
	} tests[] = {
		{"test_template__spec", test_template__spec},
		{"test_template__strict", test_template__strict},
		{"test_template__names", test_template__names},
		{"test_template__malformed", test_template__malformed},
		{"test_template__limits", test_template__limits},
		{"test_template__escaping", test_template__escaping},
		{"test_template__values", test_template__values},
		{"test_template__partials", test_template__partials},
	};
	size_t n = sizeof tests / sizeof *tests;

	for (size_t i = 0; i < n; i++) {
		int run = argc < 2;
		for (int a = 1; a < argc; a++)
			run |= strcmp(argv[a], tests[i].name) == 0;
		if (run)
			tests[i].fn();
	}
	return th_summary();
}
