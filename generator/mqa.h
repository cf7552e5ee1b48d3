/*
 * mqa.h — metadata quality at build time: the European Data Portal's
 * Metadata Quality Assessment (MQA) points of a dataset and the 5-star open
 * data rating of each resource.
 *
 * Owns the indicator table (docs/view-model.md, "dataset.mqa"): 23
 * indicators in five dimensions, 405 points in all. Dataset-level
 * indicators score all or nothing; distribution-level ones score
 * round(points × k / n) for k of the dataset's n resources meeting them
 * (0 with no resources). URL accessibility is checked against the built
 * site: a committed file is accessible when the site holds it at its
 * download path; a link to another site is never counted as accessible
 * (odcat does not fetch it). DCAT-AP compliance is granted when the build
 * writes catalog.ttl (a base URL is set), without running SHACL.
 */
#ifndef ODC_MQA_H
#define ODC_MQA_H

#include <stdio.h>

#include "catalog.h"
#include "out.h"

#define ODC_MQA_MAX 405
#define ODC_MQA_DIMS 5
#define ODC_MQA_INDICATORS 23

typedef struct odc_mqa_item {
	const char *id;   /* "keywords", "temporal", ... (strings mqa_fix_<id>) */
	int dim;          /* 0..4: findability ... contextuality */
	int points, max;
} odc_mqa_item;

typedef struct odc_mqa {
	int points, max;
	struct {
		const char *name; /* "findability", ... (strings mqa_dim_<name>) */
		int points, max;
	} dims[ODC_MQA_DIMS];
	odc_mqa_item items[ODC_MQA_INDICATORS]; /* in table order */
} odc_mqa;

/* Whether the built site holds relpath (site-relative, e.g.
 * "datasets/x/a.csv"). */
typedef int (*odc_mqa_has_file)(const char *relpath, void *arg);

/* Scores ds. has_file may be NULL: nothing is then accessible. */
void mqa_score(const odc_catalog *cat, const odc_dataset *ds, odc_mqa_has_file has_file, void *arg,
	       odc_mqa *out);

/* "excellent" (>= 351), "good" (>= 221), "sufficient" (>= 121) or "bad". */
const char *mqa_rating(int points);

/* The 5-star rating of r in ds: 0 without any licence; 1 any file (PDF);
 * 2 machine-readable structured (XLSX, XLS); 3 non-proprietary (CSV, JSON,
 * GeoJSON, XML, or a JSON API by media type); 4 a CSV whose inline schema
 * gives fields an rdfType URI; 5 that and foreign keys (links to other data). */
int mqa_stars(const odc_dataset *ds, const odc_resource *r);

/* The site folder the build writes into (its staging folder), for
 * mqa_site_has_file; NULL outside a build. */
void mqa_set_site_dir(const char *dir);
/* The same for a build's output: a file counts when the build wrote it
 * (out_written), whatever else the staging folder holds. NULL: none. */
void mqa_set_site_out(odc_out *o);
const char *mqa_site_dir(void);
/* odc_mqa_has_file over a folder (arg: const char *); 0 when arg is NULL. */
int mqa_site_has_file(const char *relpath, void *arg);

/* Catalogue summary for the build report. */
typedef struct odc_mqa_tally {
	size_t n[4]; /* excellent, good, sufficient, bad */
	long sum;
} odc_mqa_tally;
void mqa_tally_add(odc_mqa_tally *t, const odc_catalog *cat, const odc_dataset *ds);
/* "odcat: metadata quality: N excellent, ... (mean P/405)" in lang ("ja"
 * or else English); nothing when no dataset was counted. */
void mqa_tally_print(const odc_mqa_tally *t, FILE *f, const char *lang);

#endif
