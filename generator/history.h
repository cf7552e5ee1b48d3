/*
 * history.h — what the git history tells about each dataset.
 *
 * Owns one walk of the commit graph behind the published revision (all
 * datasets at once, never one walk per dataset) and what is derived from
 * it:
 *
 *   - the changes of every datasets/<slug> folder: the commits where the
 *     folder's tree id differs from its parent's (for a merge: from every
 *     parent, as `git log -- datasets/<slug>` simplifies history, so a change
 *     made on a branch is listed once, at the branch's commit, and a merge
 *     counts only when it changed the folder itself);
 *   - issued (the oldest change that added the folder) and modified (the
 *     change that made the published revision), written into the dataset's
 *     descriptor only where datapackage.json does not give them;
 *   - the change history view model of each dataset page (dataset.history);
 *   - last known good: when the newest revision of a dataset fails, the
 *     newest earlier revision that passes is loaded and published instead;
 *   - stable URLs: redirect pages for `redirect_from` slugs and withdrawn
 *     pages for datasets removed from the repository;
 *   - the Atom feeds of changes (feed.xml and publishers/<id>/feed.xml);
 *   - which revisions pass validation, cached by tree id (stats.c uses it
 *     for the month-by-month counts).
 *
 * Dates are the committer's date in the committer's own time zone
 * ("YYYY-MM-DD"): when the change landed, as the city's clock showed it.
 * Nothing here reads the clock.
 *
 * Use: history_load once after repo_open; per dataset history_resolve
 * (after dataset_load) and, when published, history_note; at the end
 * history_write (pages and feeds); history_free always. history_resolve
 * and history_note may be called from several threads at once (a lock
 * inside serialises them, and all their git reads go through the
 * history's own repository); the rest is for one thread, after them.
 * The order of the history_note calls does not matter: the notes are
 * sorted by slug.
 */
#ifndef ODC_HISTORY_H
#define ODC_HISTORY_H

#include <jansson.h>
#include <stdint.h>

#include "catalog.h"
#include "diag.h"
#include "out.h"
#include "render.h"
#include "repo.h"

/* At most this many earlier revisions of one dataset are validated when
 * looking for its last good one. */
#define ODC_HISTORY_MAX_TRIES 10
/* A dataset page lists at most this many changes (newest first). */
#define ODC_HISTORY_MAX_SHOWN 20
/* Rows added/removed are counted for CSV files up to this size. */
#define ODC_HISTORY_DIFF_BYTES ((size_t)4 * 1024 * 1024)

typedef struct odc_history odc_history;

/* One change of a dataset folder. */
typedef struct odc_change {
	char commit[ODC_OID_HEX];
	char tree[ODC_OID_HEX];   /* the folder's tree after the change, "" when removed */
	char before[ODC_OID_HEX]; /* its tree in the first parent, "" when added */
	int64_t time;             /* committer time */
	int offset;               /* minutes east of UTC */
	char *summary;            /* owned: first line of the message */
	char *author;             /* owned: the author's name */
} odc_change;

/* A commit of the first-parent chain from the published revision. */
typedef struct odc_mainline {
	char commit[ODC_OID_HEX];
	int64_t time;
	int offset;
} odc_mainline;

/* How a dataset came to be published (filled by history_resolve). */
typedef struct odc_pub {
	odc_repo *repo;          /* owned: the revision's repository when it is not the
				    build's (last known good), else NULL */
	const odc_change *rev;   /* the change that made the published revision, or NULL */
	const odc_change *held;  /* the newest change, held back because it failed, or NULL */
} odc_pub;

/* Walks the history of r's revision once. worktree: r reads the working
 * tree (history is HEAD's; last known good is off). Returns 0 or ODC_EIO
 * (with a message). *out belongs to the caller: history_free. */
int history_load(odc_history **out, odc_repo *r, int worktree, odc_buf *msg);
void history_free(odc_history *h);

/* "YYYY-MM-DD" of t in the time zone offset minutes east of UTC. */
void history_date(int64_t t, int offset, char out[11]);

/* The changes of datasets/<slug>, newest first (lent); *n = 0 when none. */
const odc_change *history_changes(const odc_history *h, const char *slug, size_t *n);
/* The first-parent chain from the published revision, newest first (lent). */
const odc_mainline *history_mainline(const odc_history *h, size_t *n);

/* After dataset_load of slug at the build's revision (ok: it passed),
 * decides what is published. When ok, *ds stays. When not, and the
 * history has an earlier revision that passes (ODC_HISTORY_MAX_TRIES
 * distinct trees at most, newest first), *ds is replaced by it, pub->repo
 * is that revision's repository (read its files from there) and pub->held
 * the change held back; a warning odcat-held-back says so. Then the dates
 * and the change history are set in *ds, reading the trees through r (a
 * worker thread's own handle; NULL: the history's). Returns 1 when *ds is
 * to be published, 0 when not. pub is reset first; free with
 * history_pub_free. */
int history_resolve(odc_history *h, odc_repo *r, const odc_catalog *cat, const char *slug, odc_dataset *ds,
		    int ok, odc_pub *pub, odc_diags *d);
void history_pub_free(odc_pub *pub);
/* For a dataset restored from the build cache (published, its pages kept):
 * sets pub->rev and the dates in its descriptor as history_resolve would,
 * without the change history (its pages have it). */
void history_restored(odc_history *h, odc_dataset *ds, odc_pub *pub);
/* The commit of the newest change of slug ("" when none): part of the
 * build cache's key, since a dataset's pages show its history. */
const char *history_newest(const odc_history *h, const char *slug);
/* Adds the report facts of pub to a dataset's report object st:
 * "status" (published, held back, not published) and the commits. */
void history_report(json_t *st, int published, const odc_pub *pub);

/* Tells whether datasets/<slug> with folder tree `tree` at commit passes
 * validation with that commit's odcat.json (cat when it is the same file
 * as the published commit's), loading it once per (slug, tree, odcat.json);
 * publisher
 * (may be NULL) gets the dataset's publisher id or "" (lent, valid until
 * history_free). Diagnostics are not kept. */
int history_valid(odc_history *h, const odc_catalog *cat, const char *slug, const char *commit,
		  const char *tree, const char **publisher);

/* Counts the datasets of commit's datasets/ folder that pass validation
 * (history_valid), and per publisher id into by_publisher ({id: n}, "" for
 * none). */
size_t history_count_valid(odc_history *h, const odc_catalog *cat, const char *commit,
			   json_t *by_publisher);

/* Remembers a published dataset for the redirect pages, the Atom feeds
 * and the statistics (its slug, title, publisher, dates, frequency,
 * redirect_from). ds is only read during the call. */
void history_note(odc_history *h, const odc_catalog *cat, const odc_dataset *ds, const odc_pub *pub);
/* The notes in slug order, as a JSON array of {slug, title, publisher,
 * issued, modified, accrualPeriodicity, redirect_from, held, rev} (lent). */
json_t *history_notes(odc_history *h);

/* Writes the stable-URL pages (datasets/<old>/index.html redirecting to a
 * dataset's page for each valid redirect_from slug that is no live
 * dataset; a withdrawn page, with the last published revision's
 * datapackage.json, for each dataset removed from the repository that was
 * once published) in every language, and the Atom feeds feed.xml and
 * publishers/<id>/feed.xml. today is "YYYY-MM-DD". Returns 0, or < 0 with
 * err set. */
int history_write(odc_history *h, const odc_page_ctx *pc, odc_out *o, const char *today,
		  odc_diags *d, odc_buf *err);

/* The answers of history_valid (which revision passed, with which
 * odcat.json, and its publisher) kept between builds in file, so that the
 * monthly counts of the stats page validate only new revisions. A file
 * written by another odcat version is ignored. Load returns the number of
 * answers read (0 when the file is missing or unusable); save writes a
 * temporary file and renames it, and returns 0 or ODC_EIO. */
int history_validity_load(odc_history *h, const char *file);
int history_validity_save(odc_history *h, const char *file);

/* What history_write wrote, for the build report: {"redirects": [{from,
 * to}], "withdrawn": [{dataset, withdrawn, withdrawn_commit,
 * last_published_commit}]} (lent; NULL without a history). */
json_t *history_pages(const odc_history *h);

#endif
