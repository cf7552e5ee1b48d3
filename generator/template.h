/*
 * template.h — odcat's Mustache engine, rendering over Jansson values.
 *
 * Owns the parsing and rendering of Mustache templates as the official spec
 * (github.com/mustache/spec, copied into ../shared/mustache-spec) defines
 * them: interpolation, sections, inverted sections, comments, set
 * delimiters, partials with standalone indentation, and the optional
 * inheritance ({{<parent}} / {{$block}}) and dynamic names ({{>*name}})
 * modules. Lambdas cannot exist because Jansson values hold no code.
 *
 * Does not own the data, the partial sources or the output buffer: data is
 * borrowed for the duration of one call and never changed or kept; each
 * partial is asked for once per call through the caller's odc_partial_fn,
 * whose malloc'd copy this module frees; output is appended to the caller's
 * odc_buf. Nothing survives a call, so there is nothing to free afterwards.
 * Does not read files: the caller decides where partials come from.
 *
 * Values print as the spec expects: strings as they are, integers without
 * a decimal point, reals in the shortest form that reads back to the same
 * double (1.210 prints "1.21"), true and false as words, and null, missing
 * names, arrays and objects as nothing. {{name}} escapes & < > " ' for HTML
 * (escape_html); {{{name}}} and {{&name}} do not escape.
 *
 * Falsey, for sections and inverted sections: a missing name, null, false,
 * an empty array and the empty string. Every number (0 included), every
 * object and every other string is truthy: a count of zero is data to show,
 * an empty description is not.
 *
 * Limits keep hostile templates and data from exhausting the machine: at
 * most 1000 sections nested inside one template, 100 partials or parents
 * nested inside each other, 2048 levels of rendering in all, 64 Mi render
 * steps and 256 MiB of output per call. Exceeding one is ODC_ELIMIT.
 * At the deepest, a render needs about 512 KiB of C stack (2 MiB under
 * ASan): thread stacks smaller than that are not enough.
 */
#ifndef ODC_TEMPLATE_H
#define ODC_TEMPLATE_H

#include <stddef.h>

#include <jansson.h>

#include "buf.h"

/*
 * Looks up partial `name` (NUL-terminated; the name as written in the tag,
 * or the value a dynamic name resolved to). On success stores a malloc'd
 * copy of its source in *out (the caller of the callback, i.e. this module,
 * frees it) and its length in *out_len and returns 0; returns ODC_ENOTFOUND
 * when there is no such partial (it then renders as empty, as the spec
 * says). Any other negative code stops the render and is returned by
 * template_render. Called at most once per name per template_render call.
 */
typedef int (*odc_partial_fn)(void *payload, const char *name, char **out, size_t *out_len);

/* Where an error is: the partial's name ("" for the template itself) and
 * the 1-based line and column (in characters; 0 when not known) of the
 * tag at fault, e.g. the open tag of a section that is never closed. */
typedef struct odc_tpl_where {
	char partial[128];
	size_t line, column;
} odc_tpl_where;

/*
 * Renders template src (len bytes, need not be NUL-terminated) with data as
 * the context stack's root, appending to out. partials may be NULL (every
 * partial is then missing). Returns 0, or ODC_EINVALID for a malformed
 * template (unclosed section, mismatched end tag, unclosed tag, bad
 * delimiter change, empty tag name or a name containing whitespace) or
 * ODC_ELIMIT when a limit above is exceeded, e.g. partial/parent nesting
 * beyond 100 levels (recursive partials are legal, unbounded recursion is
 * not); then err (errlen bytes, may be NULL) holds one line such as
 * "line 3, column 5: section 'items' is not closed" (prefixed with
 * "partial 'name', " when the problem is inside a partial) and out's
 * content is unspecified. A partial callback's own error code is returned
 * unchanged. Never crashes or hangs on any input.
 */
int template_render(odc_buf *out, const char *src, size_t len, json_t *data,
		    odc_partial_fn partials, void *payload, char *err, size_t errlen);

/* The same with options. strict turns what the spec renders as nothing
 * into errors (ODC_ENOTFOUND), for themes: a partial that does not exist,
 * and a name that starts with strict_prefix (e.g. "t." for the theme's
 * strings) and resolves to nothing. where, when not NULL, gets the place
 * of any error. */
typedef struct odc_tpl_opts {
	odc_partial_fn partials;
	void *payload;
	int strict;
	const char *strict_prefix;
	odc_tpl_where *where;
} odc_tpl_opts;

int template_render_opts(odc_buf *out, const char *src, size_t len, json_t *data,
			 const odc_tpl_opts *opts, char *err, size_t errlen);

/* Parses src without rendering it and calls fn for each name it uses, in
 * source order: interpolations and sections (is_partial 0) and partials and
 * parents written by name (is_partial 1; dynamic names are skipped), with
 * the tag's line and column. Partials are not followed. Returns 0, a parse
 * error as template_render does (err and where say what and where), or
 * the first non-zero value fn returns. */
typedef int (*odc_tpl_name_fn)(void *payload, int is_partial, const char *name, size_t len,
			       size_t line, size_t col);
int template_names(const char *src, size_t len, odc_tpl_name_fn fn, void *payload,
		   odc_tpl_where *where, char *err, size_t errlen);

#endif
