/*
 * test_escape.c — escape.c against a table of hostile strings, with the
 * expected output worked out by hand from the HTML, JSON and RFC 3986 rules.
 */
#include <string.h>

#include "buf.h"
#include "escape.h"
#include "harness.h"

typedef void (*esc_fn)(odc_buf *, const char *, size_t);

static void check(const char *name, esc_fn f, const char *in, size_t len, const char *want,
		  size_t want_len)
{
	odc_buf b = ODC_BUF_INIT;
	f(&b, in, len);
	th_check(b.len == want_len && memcmp(buf_cstr(&b), want, b.len) == 0, name,
		 "got \"%s\", want \"%s\"", buf_cstr(&b), want);
	buf_free(&b);
}
#define CHECK(name, f, in, want) check(name, f, in, sizeof(in) - 1, want, sizeof(want) - 1)

int main(void)
{
	CHECK("html: script tag", escape_html, "<script>alert('x')</script>",
	      "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;");
	CHECK("html: attribute breakout", escape_html, "\" onmouseover=\"x", "&quot; onmouseover=&quot;x");
	CHECK("html: ampersand entity", escape_html, "&amp; &#60;", "&amp;amp; &amp;#60;");
	CHECK("html: Japanese passes unchanged", escape_html, "避難所（川崎区）", "避難所（川崎区）");
	CHECK("html: empty", escape_html, "", "");
	CHECK("html: embedded NUL kept as a byte", escape_html, "a\0<", "a\0&lt;");
	CHECK("xml: apostrophe", escape_xml, "it's <b>", "it&apos;s &lt;b&gt;");
	CHECK("json-in-script: end tag", escape_json_for_script, "{\"t\":\"</script><script>x\"}",
	      "{\"t\":\"\\u003c/script\\u003e\\u003cscript\\u003ex\"}");
	CHECK("json-in-script: comment opener", escape_json_for_script, "\"<!--\"", "\"\\u003c!--\"");
	CHECK("json-in-script: ampersand", escape_json_for_script, "\"a&b\"", "\"a\\u0026b\"");
	CHECK("json-in-script: U+2028 and U+2029", escape_json_for_script, "\"\xe2\x80\xa8\xe2\x80\xa9\"",
	      "\"\\u2028\\u2029\"");
	CHECK("json-in-script: other U+20xx untouched", escape_json_for_script, "\"\xe2\x80\xa6\"",
	      "\"\xe2\x80\xa6\"");
	CHECK("url segment: reserved and space", escape_url_segment, "a b/c?d#e", "a%20b%2Fc%3Fd%23e");
	CHECK("url segment: UTF-8 bytes", escape_url_segment, "川崎", "%E5%B7%9D%E5%B4%8E");
	CHECK("url segment: unreserved kept", escape_url_segment, "A-z_0.9~", "A-z_0.9~");
	CHECK("url path: slashes kept", escape_url_path, "data/2024 年.csv", "data/2024%20%E5%B9%B4.csv");
	CHECK("url path: quotes cannot break an attribute", escape_url_path, "x\"onload=\"y", "x%22onload%3D%22y");
	CHECK("csv: plain cell unchanged", escape_csv_cell, "川崎区", "川崎区");
	CHECK("csv: comma is quoted", escape_csv_cell, "a,b", "\"a,b\"");
	CHECK("csv: quotes are doubled", escape_csv_cell, "say \"hi\"", "\"say \"\"hi\"\"\"");
	CHECK("csv: line breaks are quoted", escape_csv_cell, "a\r\nb", "\"a\r\nb\"");
	CHECK("csv: edge spaces are quoted", escape_csv_cell, " a", "\" a\"");
	CHECK("csv: empty stays empty", escape_csv_cell, "", "");
	return th_summary();
}
