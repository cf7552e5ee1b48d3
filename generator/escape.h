/*
 * escape.h — every escaping odcat does, in one place (as cmark's houdini).
 *
 * Renderers and templates call these; nobody writes "&lt;" by hand. All
 * functions append to an odc_buf and never fail; input is taken as bytes.
 */
#ifndef ODC_ESCAPE_H
#define ODC_ESCAPE_H

#include <stddef.h>

#include "buf.h"

/* HTML text and attribute values: & < > " ' become entities. */
void escape_html(odc_buf *out, const char *s, size_t len);
/* JSON text that will sit inside an HTML <script> element: < > & and the
 * line separators U+2028/U+2029 become \u escapes, so "</script>" or "<!--"
 * in a value cannot end or confuse the element. Input must be JSON already. */
void escape_json_for_script(odc_buf *out, const char *json, size_t len);
/* Percent-encodes a URL path segment: everything outside the RFC 3986
 * unreserved set (A-Z a-z 0-9 - . _ ~) becomes %XX (UTF-8 bytes). */
void escape_url_segment(odc_buf *out, const char *s, size_t len);
/* Percent-encodes a relative path, keeping '/' separators. */
void escape_url_path(odc_buf *out, const char *s, size_t len);
/* XML text/attribute (for Atom, sitemap): as HTML, with &apos; for '. */
void escape_xml(odc_buf *out, const char *s, size_t len);

/* A CSV cell (RFC 4180): quoted when it holds a comma, quote, CR or LF or
 * starts or ends with a space, with quotes doubled. */
void escape_csv_cell(odc_buf *out, const char *s, size_t len);

#endif
