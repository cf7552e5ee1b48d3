/*
 * build.h — the `odcat build` pipeline: repository → model → site/.
 *
 * Owns the order of the stages (design.md, "Pipeline") and the exit code.
 * Each dataset is built on its own — loaded and checked, or restored from
 * the build cache (cache.h) when its key is unchanged; its files and pages
 * written — by up to `jobs` threads; then the catalogue-wide outputs (list
 * pages, data.json, DCAT-AP, feeds, CKAN) are made from every dataset in
 * slug order, so the output is the same for any number of threads, with or
 * without the cache. A dataset with problems is dropped with diagnostics;
 * the rest of the site is written, into a staging folder swapped in at the
 * end (out.h).
 */
#ifndef ODC_BUILD_H
#define ODC_BUILD_H

typedef struct odc_build_opts {
	const char *repo;     /* repository folder (default ".") */
	const char *ref;      /* revision (default HEAD) */
	const char *out;      /* output folder (default "site") */
	const char *theme;    /* theme folder (default: the bundled one) */
	const char *base_url; /* overrides odcat.json's base_url */
	const char *report;   /* write the JSON report here, or NULL */
	const char *now;      /* "today" as YYYY-MM-DD, or NULL: the commit's date */
	const char **access_logs; /* --access-log files (NULL-terminated), or NULL */
	int allow_shallow;    /* build a shallow clone anyway (history is cut) */
	int worktree;         /* read the working tree instead of a commit */
	int strict;           /* exit 1 when a dataset is not published */
	int quiet;            /* no progress lines, diagnostics only */
	int jobs;             /* worker threads (>= 1) */
	const char *cache;    /* cache folder (default: .odcat-cache beside out) */
	int no_cache;         /* build every dataset afresh */
} odc_build_opts;

/* Runs a build and returns the exit code (design.md: 0, 1 or 2). */
int build_run(const odc_build_opts *o);

/* The bundled default theme folder, found beside the executable
 * (build/odcat → themes/default). Malloc'd; NULL when not found. */
char *build_default_theme(void);

#endif
