/*
 * ckan.h — a read-only CKAN API v3 subset as static files.
 *
 * Harvesters of Japanese portals (the national portal, search.ckan.jp,
 * BODIK) read municipal catalogues through the CKAN Action API, not DCAT.
 * This module writes the answers of the actions they call as files, with
 * CKAN's envelope {"help", "success", "result"} and CKAN's field names, the
 * same under api/3/action/ and api/action/:
 *
 *   package_list.json                          package_list (names, sorted)
 *   organization_list.json                     organization_list (names, sorted)
 *   current_package_list_with_resources.json   every package, newest first
 *   package_show/<name>.json                   package_show?id=<name>
 *   package_show/<id>.json                     package_show?id=<uuid>
 *   package_search.json                        package_search (= start 0)
 *   package_search/rows-100-start-<S>.json     package_search?rows=100&start=S
 *   not_found.json                             the 404 body (success false)
 *
 * package_search pages hold 100 packages sorted by id ascending (the order
 * ckanext-harvest asks for with sort=id asc), "count" is always the total,
 * and one empty page follows the last one (harvesters page until empty).
 * rows is not honoured: every page holds up to 100; a start that is not a
 * multiple of 100 is a 404.
 *
 * id is the UUIDv5 (RFC 4122, URL namespace) of the dataset page URL
 * (base_url + "datasets/<slug>/"), so it is stable across builds. Resource
 * ids are the UUIDv5 of "<page URL>#<resource name>", organization ids of
 * "<base_url>api/3/action/organization_show?id=<name>".
 *
 * Rewrite rules map the query strings harvesters send onto those files
 * (also /api/2/action/, which ckanext-harvest uses by default):
 *
 *   api/nginx.conf   location blocks to include in the server block whose
 *                    root is the site;
 *   .htaccess        mod_rewrite rules (AllowOverride FileInfo), at the site
 *                    root.
 *
 * package_show with an unknown or missing id, package_search with a bad
 * start, and unknown actions answer 404 with not_found.json as the body.
 *
 * Written only with a base URL (ids and URLs need it). Nothing reads the
 * clock: dates come from the datasets or the commit date passed as today.
 *
 * Use: ODC_CKAN_INIT, ckan_add once per published dataset, ckan_write once,
 * ckan_free always.
 */
#ifndef ODC_CKAN_H
#define ODC_CKAN_H

#include <jansson.h>
#include <stddef.h>

#include "buf.h"
#include "catalog.h"
#include "out.h"

/* One package as the files need it: its dict as compact JSON text and the
 * keys the lists sort by. */
typedef struct odc_ckan_pkg {
	char *text, *name, *id, *modified, *org;
	int written; /* its package_show files are in the site already */
} odc_ckan_pkg;

typedef struct odc_ckan {
	odc_ckan_pkg *v; /* the packages, in the order added */
	size_t n, cap;
	json_t *orgs;    /* organization names (keys) */
} odc_ckan;

#define ODC_CKAN_INIT {NULL, 0, 0, NULL}

/* Made per dataset, in parallel, from the dataset alone: writes its four
 * package_show files into o (telling wrote of each, for the build cache)
 * and returns what ckan_add needs of it, or NULL when there is nothing to
 * keep (no base URL, or the package would need today's date) or a file
 * could not be written (then err says which). */
json_t *ckan_fragment(const odc_catalog *cat, const odc_dataset *ds, odc_out *o,
		      void (*wrote)(void *, const char *), void *arg, odc_buf *err);

/* Adds one published dataset; today ("YYYY-MM-DD") is the fallback date.
 * frag is ckan_fragment's (its files are written in o's staging folder;
 * the package's text is kept in it, or, in a fragment of an older
 * cache, read back from those files), or NULL: the package is
 * made from ds and ckan_write writes its files. Does nothing without a
 * base URL. ds is only read during the call. */
void ckan_add(odc_ckan *c, const odc_catalog *cat, const odc_dataset *ds, const char *today,
	      const json_t *frag, const odc_out *o);

/* Writes the API files and the rewrite rules (nothing without a base URL).
 * Returns 0, or the out_write error with the file named in err. */
int ckan_write(odc_ckan *c, const odc_catalog *cat, odc_out *o, odc_buf *err);

void ckan_free(odc_ckan *c);

/* The UUIDv5 of name in the URL namespace, as 36 characters and a NUL. */
void ckan_uuid5_url(const char *name, char out[37]);

#endif
