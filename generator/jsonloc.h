/*
 * jsonloc.h — where a JSON value is in its text, by JSON pointer.
 *
 * Jansson parses a document but keeps no positions, and a steward needs
 * "datapackage.json:12:7" to find a problem. This module scans the raw,
 * already-valid JSON text once along a JSON pointer (RFC 6901,
 * "/resources/0/schema") and reports the line and column (1-based,
 * counted in characters as Jansson counts them) where that value starts —
 * or, when the pointer names a member that is absent, where the deepest
 * existing ancestor starts. Iterative: no recursion on nesting depth.
 */
#ifndef ODC_JSONLOC_H
#define ODC_JSONLOC_H

#include <stddef.h>

/* Returns 0 when the whole pointer was found, 1 when only an ancestor was
 * (line/col then locate that ancestor), -1 when the text is not JSON. */
int jsonloc_find(const char *json, size_t len, const char *pointer, long *line, long *col);

#endif
