/*
 * dcatap.h — DCAT-AP 3.0.1 for European harvesters.
 *
 * Owns site/catalog.ttl (Turtle) and site/catalog.jsonld (JSON-LD with an
 * inline @context of prefixes), two serialisations of one RDF graph built
 * from the same model as data.json. The graph has no blank nodes: nodes a
 * dataset owns (contact, period, distributions, checksums) get fragment
 * IRIs of the dataset page, so that both files compare triple by triple.
 *
 * The same writer also gives, from that node list, datasets/<slug>/dataset.ttl
 * and .jsonld (one dataset, the nodes it owns and the shared nodes they point
 * to: valid on its own) and, when there are more published datasets than
 * odcat.json's "page_size" (default 100), catalog/page-<n>.ttl and .jsonld
 * (n from 1) as ckanext-dcat pages them: the catalogue node with that page's
 * datasets and a hydra:PagedCollection node named by the page file, with
 * totalItems, itemsPerPage, firstPage, lastPage, nextPage, previousPage; its
 * links name the pages of the same format (.ttl from .ttl, .jsonld from
 * .jsonld). catalog.ttl and catalog.jsonld always hold every dataset. A
 * resource with has_json gets a second distribution (#distribution-<n>-json)
 * for <path>.json.
 *
 * Harvesters need absolute IRIs: without a base URL nothing is written
 * (dcatap_new returns NULL, and the other calls accept NULL).
 */
#ifndef ODC_DCATAP_H
#define ODC_DCATAP_H

#include <jansson.h>

#include "buf.h"
#include "catalog.h"
#include "out.h"

typedef struct odc_dcatap odc_dcatap;

/* A new graph with the catalogue node, or NULL when cat has no base URL.
 * today is "YYYY-MM-DD", the catalogue's dct:modified and the fallback
 * of each dataset's. */
odc_dcatap *dcatap_new(const odc_catalog *cat, const char *today);
/* Adds ds (a published dataset) with its distributions, in slug order.
 * frag, when not NULL, is dcatap_fragment's for ds: its nodes are taken
 * as they are, their text from the fragment (or, in a fragment of an
 * older cache, from its dataset files in out's staging folder); else
 * they are made from ds now. */
void dcatap_add(odc_dcatap *g, const odc_catalog *cat, const odc_dataset *ds, const json_t *frag,
		const odc_out *out);
/* Writes catalog.*, datasets/<slug>/dataset.* (those not written with the
 * right shared nodes by dcatap_fragment) and catalog/page-<n>.* into out;
 * on failure returns -1 with a message in err. */
int dcatap_write(odc_dcatap *g, odc_out *out, odc_buf *err);

/* Per-dataset work in parallel (the build's phase B). The dataset files
 * hold the shared nodes (agents, licences, landing pages...) a dataset
 * points to in the order the whole catalogue makes them, so they need
 * every dataset: a plan is a graph of every published dataset added
 * (from its fragment, or its model with dcatap_predict: a validated CSV
 * gets a JSON distribution) and then sealed. dcatap_fragment, given the
 * sealed plan (only read: any number of threads), writes
 * datasets/<slug>/dataset.* (telling wrote of each) and returns ds's
 * nodes as a JSON value for dcatap_add, with a signature of the shared
 * nodes written; dcatap_write writes again only the files whose shared
 * nodes differ. NULL when there is no plan, ds needs today (no date for
 * dct:modified), or a file cannot be written (err says which). */
void dcatap_predict(odc_dcatap *g);
void dcatap_seal(odc_dcatap *g);
json_t *dcatap_fragment(const odc_dcatap *plan, const odc_catalog *cat, const odc_dataset *ds, odc_out *out,
			void (*wrote)(void *, const char *), void *arg, odc_buf *err);
void dcatap_free(odc_dcatap *g);

/* Turtle string literal body: \\ \" \n \r \t escaped, other controls as
 * \uXXXX (exposed for the unit tests). */
void dcatap_ttl_string(odc_buf *b, const char *s);
/* Appends s as an absolute IRI, percent-encoding what an IRI cannot hold
 * (controls, space, <>"{}|^`\); returns 0 (appending nothing) unless s is
 * an http, https or mailto URI. */
int dcatap_iri(odc_buf *b, const char *s);

#endif
