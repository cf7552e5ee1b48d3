/*
 * test_markdown.c — the README limits and safe rendering of markdown.c.
 */
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "diag.h"
#include "harness.h"
#include "markdown.h"

static int check_md(const char *src, long *line)
{
	odc_diags d = ODC_DIAGS_INIT;
	int rc = markdown_check(src, strlen(src), "README.md", &d);
	*line = d.n ? d.items[0].line : 0;
	diag_free(&d);
	return rc;
}

static void table(odc_buf *b, int cols, int leading_pipe)
{
	int i;
	buf_puts(b, "# t\n\n");
	for (i = 0; i < cols; i++)
		buf_puts(b, leading_pipe || i ? "| h " : "h ");
	buf_puts(b, "|\n");
	for (i = 0; i < cols; i++)
		buf_puts(b, leading_pipe || i ? "|:--:" : "---");
	buf_puts(b, "|\n");
}

int main(void)
{
	odc_buf b = ODC_BUF_INIT;
	long line;
	char *html;

	markdown_global_init();
	table(&b, 128, 1);
	TH_INT_EQ("128-column table is accepted", check_md(b.ptr, &line), 0);
	buf_clear(&b);
	table(&b, 129, 1);
	TH_INT_EQ("129-column table is refused", check_md(b.ptr, &line), -1);
	TH_INT_EQ("the refusal names the delimiter row's line", line, 4);
	buf_clear(&b);
	table(&b, 200, 0);
	TH_INT_EQ("a table without leading pipe is counted too", check_md(b.ptr, &line), -1);
	TH_INT_EQ("a thematic break is not a table", check_md("a\n\n---\n\n- - -\n", &line), 0);
	{
		odc_diags d = ODC_DIAGS_INIT;
		TH_INT_EQ("over 1 MB is refused", markdown_check("x", ODC_MARKDOWN_MAX_BYTES + 1, "R", &d), -1);
		diag_free(&d);
	}

	html = markdown_render("<script>alert(1)</script>\n\n<b onclick=\"x\">b</b> [a](javascript:alert(2))\n",
			       strlen("<script>alert(1)</script>\n\n<b onclick=\"x\">b</b> [a](javascript:alert(2))\n"), "");
	th_check(strstr(html, "<script") == NULL, "raw <script> is omitted", "%s", html);
	th_check(strstr(html, "onclick") == NULL, "raw attributes are omitted", "%s", html);
	th_check(strstr(html, "javascript:") == NULL, "javascript: URLs are emptied", "%s", html);
	free(html);
	{
		const char *src = "[a](data/x.csv) ![m](map.png) [b](https://e.jp/) [c](#top) [d](/abs)\n";
		html = markdown_render(src, strlen(src), "../../../datasets/s/");
	}
	th_check(strstr(html, "href=\"../../../datasets/s/data/x.csv\"") != NULL, "relative link is prefixed", "%s", html);
	th_check(strstr(html, "src=\"../../../datasets/s/map.png\"") != NULL, "relative image is prefixed", "%s", html);
	th_check(strstr(html, "href=\"https://e.jp/\"") != NULL, "absolute URL is kept", "%s", html);
	th_check(strstr(html, "href=\"#top\"") != NULL, "fragment is kept", "%s", html);
	th_check(strstr(html, "href=\"/abs\"") != NULL, "root-relative URL is kept", "%s", html);
	free(html);
	{
		const char *src = "| a | b |\n|---|---|\n| 1 | ~~2~~ |\n\nwww.example.jp\n";
		html = markdown_render(src, strlen(src), NULL);
	}
	th_check(strstr(html, "<td>1</td>") && strstr(html, "<del>2</del>"), "GFM table and strikethrough", "%s", html);
	th_check(strstr(html, "href=\"http://www.example.jp\"") != NULL, "GFM autolink", "%s", html);
	free(html);
	buf_free(&b);
	return th_summary();
}
