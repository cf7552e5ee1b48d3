/*
 * markdown.c — fuzz target for README rendering: markdown_check, then
 * (when the README may be rendered) markdown_render.
 *
 * Input format: the whole input is the README. The first byte also picks
 * the link prefix (none, "", or "../../datasets/x/"), so that relative link
 * rewriting is exercised with and without a prefix.
 *
 * Oracles (the README is untrusted, the HTML goes onto the catalogue's
 * pages): the output is a list of cmark-gfm's own tags only — every '<'
 * opens one of the tags cmark-gfm writes (or its "raw HTML omitted"
 * comment), every attribute is one cmark-gfm writes, and no href or src
 * starts with javascript:, vbscript:, file: or a data: URL other than the
 * images cmark-gfm allows.
 */
#include <ctype.h>
#include <string.h>
#include <strings.h>

#include "diag.h"
#include "fuzz.h"
#include "markdown.h"

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	markdown_global_init();
	return 0;
}

static int in_list(const char *s, size_t n, const char *const *list)
{
	for (; *list; list++)
		if (strlen(*list) == n && !strncmp(s, *list, n))
			return 1;
	return 0;
}

static const char *const tags[] = {"p", "h1", "h2", "h3", "h4", "h5", "h6", "a", "img", "em",
				   "strong", "code", "pre", "blockquote", "ul", "ol", "li", "hr",
				   "br", "table", "thead", "tbody", "tr", "th", "td", "del", NULL};
static const char *const attrs[] = {"href", "title", "src", "alt", "class", "align", "start",
				    NULL};

static int unsafe_url(const char *v, size_t n)
{
	static const char *const bad[] = {"javascript:", "vbscript:", "file:"};
	size_t i;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		if (n >= strlen(bad[i]) && !strncasecmp(v, bad[i], strlen(bad[i])))
			return 1;
	if (n >= 5 && !strncasecmp(v, "data:", 5)) {
		static const char *const ok[] = {"data:image/png", "data:image/gif", "data:image/jpeg",
						 "data:image/webp"};
		for (i = 0; i < sizeof(ok) / sizeof(ok[0]); i++)
			if (n >= strlen(ok[i]) && !strncasecmp(v, ok[i], strlen(ok[i])))
				return 0;
		return 1;
	}
	return 0;
}

/* Checks the HTML as described above; returns 1 when it is safe. */
static int html_safe(const char *h)
{
	static const char omitted[] = "<!-- raw HTML omitted -->";
	const char *p = h;

	while ((p = strchr(p, '<')) != NULL) {
		size_t n;
		if (!strncmp(p, omitted, sizeof(omitted) - 1)) {
			p += sizeof(omitted) - 1;
			continue;
		}
		p++;
		if (*p == '/')
			p++;
		for (n = 0; islower((unsigned char)p[n]) || isdigit((unsigned char)p[n]); n++)
			;
		if (!in_list(p, n, tags)) {
			fprintf(stderr, "unexpected tag: %.40s\n", p - 1);
			return 0;
		}
		p += n;
		for (;;) {
			const char *name, *val, *q;
			while (*p == ' ')
				p++;
			if (*p == '>') {
				p++;
				break;
			}
			if (p[0] == '/' && p[1] == '>') {
				p += 2;
				break;
			}
			name = p;
			while (islower((unsigned char)*p) || *p == '-')
				p++;
			if (!in_list(name, (size_t)(p - name), attrs) || p[0] != '=' || p[1] != '"') {
				fprintf(stderr, "unexpected attribute: %.40s\n", name);
				return 0;
			}
			val = p + 2;
			q = strchr(val, '"');
			if (!q) {
				fprintf(stderr, "unterminated attribute: %.40s\n", name);
				return 0;
			}
			if ((!strncmp(name, "href", 4) || !strncmp(name, "src", 3)) &&
			    unsafe_url(val, (size_t)(q - val))) {
				fprintf(stderr, "unsafe URL: %.60s\n", val);
				return 0;
			}
			p = q + 1;
		}
	}
	return 1;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const prefixes[] = {NULL, "", "../../datasets/x/"};
	odc_diags d = ODC_DIAGS_INIT;
	const char *prefix = prefixes[size ? data[0] % 3 : 0];

	if (markdown_check((const char *)data, size, "datasets/x/README.md", &d) == 0) {
		char *html = markdown_render((const char *)data, size, prefix);
		FUZZ_ASSERT(html != NULL);
		FUZZ_ASSERT(html_safe(html));
		free(html);
		FUZZ_ASSERT(d.errors == 0);
	} else {
		FUZZ_ASSERT(d.errors > 0);
	}
	diag_free(&d);
	return 0;
}
