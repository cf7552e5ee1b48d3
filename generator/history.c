/*
 * history.c — datasets through the git history (see history.h).
 *
 * The walk visits each commit once (libgit2 revwalk, topological + time
 * order). Per commit it compares the id of the datasets/ folder with its
 * parents' first: when one parent has the same folder, nothing changed and
 * the commit costs two lookups. Otherwise the folder listings (sorted by
 * name) are merged and each slug whose tree id differs from every parent's
 * becomes a change. All later questions (dates, last known good, withdrawn
 * datasets, monthly counts) are answered from these lists without walking
 * again.
 */
#include "history.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "dcat.h"
#include "escape.h"
#include "odc.h"

typedef struct dsent {
	char *slug;
	odc_change *ch; /* newest first */
	size_t n, cap;
} dsent;

typedef struct vcache {
	char *slug;
	char tree[ODC_OID_HEX];
	int ok;
	char *publisher;
} vcache;

struct odc_history {
	odc_repo *r;           /* the repository read: own after the walk, else the build's */
	odc_repo *own;         /* owned: a repository of history's own (threads) */
	int worktree;
	dsent *ds;             /* sorted by slug */
	size_t nds, capds;
	odc_mainline *ml;      /* first-parent chain, newest first */
	size_t nml, capml;
	char ml_next[ODC_OID_HEX];
	int walked_head;
	odc_id_entry *head;    /* datasets/ of the published commit (not in worktree mode) */
	size_t nhead;
	vcache *vc;
	size_t nvc, capvc;
	json_t *vc_index;      /* "slug/tree/conf" -> index into vc */
	int vc_dirty;          /* vc holds answers the validity file lacks */
	pthread_mutex_t lock;  /* history_resolve and history_note may run in worker threads */
	odc_repo *open;        /* one other commit kept open */
	char open_commit[ODC_OID_HEX];
	odc_catalog open_cat;  /* its odcat.json, when loaded */
	int open_cat_state;    /* 0 not tried, 1 loaded, -1 invalid there */
	char head_conf[ODC_OID_HEX]; /* blob id of odcat.json at the published commit */
	json_t *notes;
	json_t *pages;         /* {"redirects": [...], "withdrawn": [...]} written */
	char lc_id[ODC_OID_HEX]; /* the walk's cached listing: datasets/ of this commit */
	odc_id_entry *lc;
	size_t nlc;
};

void history_date(int64_t t, int offset, char out[11])
{
	time_t tt = (time_t)(t + (int64_t)offset * 60);
	struct tm tm;
	gmtime_r(&tt, &tm);
	strftime(out, 11, "%Y-%m-%d", &tm);
}

/* RFC 3339 date-time in the commit's own offset: 2025-04-01T09:00:00+09:00. */
static void rfc3339(int64_t t, int offset, char out[26])
{
	time_t tt = (time_t)(t + (int64_t)offset * 60);
	struct tm tm;
	int o = offset < 0 ? -offset : offset;
	gmtime_r(&tt, &tm);
	strftime(out, 20, "%Y-%m-%dT%H:%M:%S", &tm);
	snprintf(out + 19, 7, "%c%02d:%02d", offset < 0 ? '-' : '+', (o / 60) % 100, o % 60);
}

/*====================================================================
 * The walk
 *====================================================================*/

static dsent *find_ds(const odc_history *h, const char *slug, size_t *pos)
{
	size_t lo = 0, hi = h->nds;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		int c = strcmp(h->ds[mid].slug, slug);
		if (c == 0)
			return &h->ds[mid];
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (pos)
		*pos = lo;
	return NULL;
}

static dsent *get_ds(odc_history *h, const char *slug)
{
	size_t pos = 0;
	dsent *e = find_ds(h, slug, &pos);
	if (e)
		return e;
	if (h->nds == h->capds) {
		h->capds = h->capds ? h->capds * 2 : 64;
		h->ds = xrealloc(h->ds, h->capds * sizeof(*h->ds));
	}
	memmove(&h->ds[pos + 1], &h->ds[pos], (h->nds - pos) * sizeof(*h->ds));
	memset(&h->ds[pos], 0, sizeof(*h->ds));
	h->ds[pos].slug = xstrdup(slug);
	h->nds++;
	return &h->ds[pos];
}

/* The id of folder name in a sorted listing, "" when absent or not a folder. */
static const char *entry_id(const odc_id_entry *e, size_t n, const char *name)
{
	size_t lo = 0, hi = n;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		int c = strcmp(e[mid].name, name);
		if (c == 0)
			return e[mid].kind == ODC_ENTRY_DIR ? e[mid].id : "";
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return "";
}

typedef struct listing {
	odc_id_entry *e;
	size_t n;
} listing;

static void add_change(odc_history *h, const odc_commit *c, const char *slug, const char *tree,
		       const char *before)
{
	dsent *d = get_ds(h, slug);
	odc_change *x;
	if (d->n == d->cap) {
		d->cap = d->cap ? d->cap * 2 : 8;
		d->ch = xrealloc(d->ch, d->cap * sizeof(*d->ch));
	}
	x = &d->ch[d->n++];
	memset(x, 0, sizeof(*x));
	memcpy(x->commit, c->id, ODC_OID_HEX);
	snprintf(x->tree, sizeof(x->tree), "%.40s", tree);
	snprintf(x->before, sizeof(x->before), "%.40s", before);
	x->time = c->time;
	x->offset = c->offset;
	x->summary = xstrdup(c->summary);
	x->author = xstrdup(c->author);
}

/* A slug seen in the union of the listings: a change when its id differs
 * from every parent's (a root commit: when it exists). */
static void consider(odc_history *h, const odc_commit *c, const listing *cur, const listing *par,
		     const char *slug)
{
	const char *id = entry_id(cur->e, cur->n, slug);
	size_t i;
	if (!catalog_slug_is_valid(slug))
		return;
	for (i = 0; i < c->nparents; i++)
		if (!strcmp(entry_id(par[i].e, par[i].n, slug), id))
			return;
	if (!c->nparents && !*id)
		return;
	add_change(h, c, slug, id, c->nparents ? entry_id(par[0].e, par[0].n, slug) : "");
}

static int on_commit(const odc_commit *c, void *payload)
{
	odc_history *h = payload;
	char cur_id[ODC_OID_HEX], pid[ODC_OID_HEX];
	listing cur = {NULL, 0}, *par = NULL;
	unsigned char *same, *kept;
	size_t i, j;

	if (!h->walked_head) {
		h->walked_head = 1;
		memcpy(h->ml_next, c->id, ODC_OID_HEX);
	}
	if (!strcmp(c->id, h->ml_next)) {
		odc_mainline *m;
		if (h->nml == h->capml) {
			h->capml = h->capml ? h->capml * 2 : 64;
			h->ml = xrealloc(h->ml, h->capml * sizeof(*h->ml));
		}
		m = &h->ml[h->nml++];
		memcpy(m->commit, c->id, ODC_OID_HEX);
		m->time = c->time;
		m->offset = c->offset;
		if (c->nparents)
			memcpy(h->ml_next, c->parents[0], ODC_OID_HEX);
		else
			h->ml_next[0] = '\0';
	}
	if (repo_path_id(h->r, c->id, "datasets", cur_id) < 0)
		cur_id[0] = '\0';
	for (i = 0; i < c->nparents; i++) {
		if (repo_path_id(h->r, c->parents[i], "datasets", pid) < 0)
			pid[0] = '\0';
		if (!strcmp(pid, cur_id))
			return 0; /* same as one parent: nothing of datasets/ changed */
	}
	if (!c->nparents && !cur_id[0])
		return 0;
	/* In a linear history the parent listed now is the next commit:
	 * its listing is kept for that turn. */
	if (h->lc && !strcmp(h->lc_id, c->id)) {
		cur.e = h->lc;
		cur.n = h->nlc;
		h->lc = NULL;
		h->nlc = 0;
	} else {
		repo_list_ids(h->r, c->id, "datasets", &cur.e, &cur.n);
	}
	par = xcalloc(c->nparents ? c->nparents : 1, sizeof(*par));
	for (i = 0; i < c->nparents; i++)
		repo_list_ids(h->r, c->parents[i], "datasets", &par[i].e, &par[i].n);
	/* One merge of the commit's listing with its first parent's (both
	 * sorted) marks the slugs whose entry is the same in both, which
	 * consider() would pass over, and the first parent's slugs that are
	 * folders in the commit: a commit touching one dataset of 10,000
	 * then costs one pass, not two binary searches per slug. */
	same = xcalloc(cur.n + 1, 1);
	kept = xcalloc((c->nparents ? par[0].n : 0) + 1, 1);
	for (i = 0, j = 0; c->nparents && i < cur.n && j < par[0].n;) {
		int d = strcmp(cur.e[i].name, par[0].e[j].name);
		if (d == 0) {
			same[i] = cur.e[i].kind == par[0].e[j].kind && !strcmp(cur.e[i].id, par[0].e[j].id);
			kept[j] = cur.e[i].kind == ODC_ENTRY_DIR;
		}
		i += d <= 0;
		j += d >= 0;
	}
	for (i = 0; i < cur.n; i++)
		if (!same[i])
			consider(h, c, &cur, par, cur.e[i].name);
	/* Slugs only in parents: removed (unless also in the commit, done). */
	for (i = 0; i < c->nparents; i++)
		for (j = 0; j < par[i].n; j++) {
			const char *s = par[i].e[j].name;
			size_t k;
			int seen = 0;
			if (i == 0 ? kept[j] : *entry_id(cur.e, cur.n, s) != '\0')
				continue;
			for (k = 0; k < i && !seen; k++)
				seen = *entry_id(par[k].e, par[k].n, s) != '\0';
			if (!seen && par[i].e[j].kind == ODC_ENTRY_DIR)
				consider(h, c, &cur, par, s);
		}
	repo_id_entries_free(cur.e, cur.n);
	repo_id_entries_free(h->lc, h->nlc);
	h->lc = NULL;
	h->nlc = 0;
	for (i = 0; i < c->nparents; i++) {
		if (i == 0 && par[0].e) {
			h->lc = par[0].e;
			h->nlc = par[0].n;
			memcpy(h->lc_id, c->parents[0], ODC_OID_HEX);
			continue;
		}
		repo_id_entries_free(par[i].e, par[i].n);
	}
	free(par);
	free(same);
	free(kept);
	return 0;
}

int history_load(odc_history **out, odc_repo *r, int worktree, odc_buf *msg)
{
	odc_history *h = xcalloc(1, sizeof(*h));
	int rc;
	h->r = r;
	h->worktree = worktree;
	h->notes = json_array();
	h->pages = json_pack("{s:[],s:[]}", "redirects", "withdrawn");
	h->vc_index = json_object();
	pthread_mutex_init(&h->lock, NULL);
	*out = h;
	rc = repo_walk(r, on_commit, h);
	repo_id_entries_free(h->lc, h->nlc);
	h->lc = NULL;
	h->nlc = 0;
	if (rc < 0) {
		buf_printf(msg, "cannot walk the history of the repository");
		return ODC_EIO;
	}
	if (!worktree && h->nml) {
		repo_list_ids(r, h->ml[0].commit, "datasets", &h->head, &h->nhead);
		repo_path_id(r, h->ml[0].commit, "odcat.json", h->head_conf);
	}
	/* Later reads (diffs, earlier revisions) may come from worker
	 * threads: they use a repository handle no one else uses. */
	if (h->nml && repo_open_commit(&h->own, r, h->ml[0].commit) == 0)
		h->r = h->own;
	return ODC_OK;
}

void history_free(odc_history *h)
{
	size_t i, j;
	if (!h)
		return;
	for (i = 0; i < h->nds; i++) {
		for (j = 0; j < h->ds[i].n; j++) {
			free(h->ds[i].ch[j].summary);
			free(h->ds[i].ch[j].author);
		}
		free(h->ds[i].ch);
		free(h->ds[i].slug);
	}
	free(h->ds);
	free(h->ml);
	repo_id_entries_free(h->head, h->nhead);
	for (i = 0; i < h->nvc; i++) {
		free(h->vc[i].slug);
		free(h->vc[i].publisher);
	}
	free(h->vc);
	repo_free(h->open);
	if (h->open_cat_state == 1)
		catalog_free(&h->open_cat);
	repo_free(h->own);
	json_decref(h->notes);
	json_decref(h->pages);
	json_decref(h->vc_index);
	pthread_mutex_destroy(&h->lock);
	free(h);
}

const odc_change *history_changes(const odc_history *h, const char *slug, size_t *n)
{
	const dsent *d = h ? find_ds(h, slug, NULL) : NULL;
	*n = d ? d->n : 0;
	return d ? d->ch : NULL;
}

const odc_mainline *history_mainline(const odc_history *h, size_t *n)
{
	*n = h->nml;
	return h->ml;
}

/*====================================================================
 * Validity by tree id
 *====================================================================*/

/* Validity depends on the folder's tree and on the odcat.json it is
 * checked with (publishers, defaults): both are in the key. */
static void vc_key(odc_buf *k, const char *slug, const char *tree, const char *conf)
{
	buf_printf(k, "%s/%s/%s", slug, tree, conf);
}

static vcache *vc_find(odc_history *h, const char *slug, const char *tree, const char *conf)
{
	odc_buf k = ODC_BUF_INIT;
	json_t *i;
	vc_key(&k, slug, tree, conf);
	i = json_object_get(h->vc_index, k.ptr);
	buf_free(&k);
	return i ? &h->vc[json_integer_value(i)] : NULL;
}

static void vc_put(odc_history *h, const char *slug, const char *tree, const char *conf, int ok,
		   const char *publisher)
{
	vcache *v = vc_find(h, slug, tree, conf);
	odc_buf k = ODC_BUF_INIT;
	if (v)
		return;
	if (h->nvc == h->capvc) {
		h->capvc = h->capvc ? h->capvc * 2 : 64;
		h->vc = xrealloc(h->vc, h->capvc * sizeof(*h->vc));
	}
	v = &h->vc[h->nvc];
	/* xrealloc never returns NULL, so h->vc holds this slot */
	/* NOLINTNEXTLINE(clang-analyzer-core.NullDereference) */
	v->slug = xstrdup(slug);
	snprintf(v->tree, sizeof(v->tree), "%.40s", tree);
	v->ok = ok;
	v->publisher = xstrdup(publisher ? publisher : "");
	vc_key(&k, slug, tree, conf);
	json_object_set_new(h->vc_index, k.ptr, json_integer((json_int_t)h->nvc));
	h->nvc++;
	h->vc_dirty = 1;
	buf_free(&k);
}

/* A repository at commit: the one kept open, reopened when it differs. Lent. */
static odc_repo *at_commit(odc_history *h, const char *commit)
{
	if (h->open && !strcmp(h->open_commit, commit))
		return h->open;
	repo_free(h->open);
	if (h->open_cat_state == 1)
		catalog_free(&h->open_cat);
	h->open_cat_state = 0;
	h->open = NULL;
	h->open_commit[0] = '\0';
	if (repo_open_commit(&h->open, h->r, commit) < 0)
		return NULL;
	snprintf(h->open_commit, sizeof(h->open_commit), "%.40s", commit);
	return h->open;
}

int history_valid(odc_history *h, const odc_catalog *cat, const char *slug, const char *commit,
		  const char *tree, const char **publisher)
{
	char conf[ODC_OID_HEX];
	vcache *v;

	if (repo_path_id(h->r, commit, "odcat.json", conf) < 0)
		conf[0] = '\0';
	v = vc_find(h, slug, tree, conf);
	if (!v) {
		odc_repo *r = at_commit(h, commit);
		const odc_catalog *c = NULL;
		odc_dataset ds;
		odc_diags scratch = ODC_DIAGS_INIT;
		int ok = 0;
		/* The dataset is checked with the odcat.json of its own commit:
		 * the build's when it is the same file. */
		if (r && conf[0] && !strcmp(conf, h->head_conf)) {
			c = cat;
		} else if (r && conf[0]) {
			if (!h->open_cat_state) {
				odc_buf m = ODC_BUF_INIT, hi = ODC_BUF_INIT;
				memset(&h->open_cat, 0, sizeof(h->open_cat));
				h->open_cat_state = catalog_load(&h->open_cat, r, &m, &hi) == 0 ? 1 : -1;
				if (h->open_cat_state < 0)
					catalog_free(&h->open_cat);
				buf_free(&m);
				buf_free(&hi);
			}
			if (h->open_cat_state == 1)
				c = &h->open_cat;
		}
		memset(&ds, 0, sizeof(ds));
		if (c)
			ok = dataset_load(&ds, c, r, slug, NULL, &scratch) == 0;
		vc_put(h, slug, tree, conf, ok, ok ? ds.publisher_id : NULL);
		dataset_free(&ds);
		diag_free(&scratch);
		v = vc_find(h, slug, tree, conf);
	}
	if (publisher)
		*publisher = v->publisher;
	return v->ok;
}

size_t history_count_valid(odc_history *h, const odc_catalog *cat, const char *commit,
			   json_t *by_publisher)
{
	odc_id_entry *e = NULL;
	size_t n = 0, i, count = 0;
	if (repo_list_ids(h->r, commit, "datasets", &e, &n) < 0)
		return 0;
	for (i = 0; i < n; i++) {
		const char *pub = NULL;
		if (e[i].kind != ODC_ENTRY_DIR || !catalog_slug_is_valid(e[i].name))
			continue;
		if (!history_valid(h, cat, e[i].name, commit, e[i].id, &pub))
			continue;
		count++;
		if (by_publisher) {
			json_t *v = json_object_get(by_publisher, pub);
			json_object_set_new(by_publisher, pub, json_integer(v ? json_integer_value(v) + 1 : 1));
		}
	}
	repo_id_entries_free(e, n);
	return count;
}

/*====================================================================
 * Dates and the change history of a dataset
 *====================================================================*/

static void set_date(json_t *o, const char *key, int64_t t, int offset)
{
	char d[11];
	history_date(t, offset, d);
	json_object_set_new(o, key, json_string(d));
}

static void short_id(const char *id, char out[13])
{
	snprintf(out, 13, "%.12s", id);
}

static json_t *change_model(odc_repo *r, const odc_change *c)
{
	json_t *o = json_object(), *files = json_array(), *s;
	odc_file_change *fc = NULL;
	size_t n = 0, i;
	char sid[13];

	set_date(o, "date", c->time, c->offset);
	short_id(c->commit, sid);
	json_object_set_new(o, "commit", json_string(sid));
	if ((s = json_string(c->summary)) && *c->summary)
		json_object_set_new(o, "summary", s);
	else
		json_decref(s);
	if ((s = json_string(c->author)) && *c->author)
		json_object_set_new(o, "author", s);
	else
		json_decref(s);
	json_object_set_new(o, "dataset_added", json_boolean(!c->before[0] && c->tree[0]));
	json_object_set_new(o, "dataset_removed", json_boolean(!c->tree[0]));
	if (c->tree[0] && repo_diff_trees(r, c->before, c->tree, ODC_HISTORY_DIFF_BYTES, &fc, &n) == 0) {
		for (i = 0; i < n; i++) {
			json_t *f = json_object(), *p = json_string(fc[i].path);
			if (!p) { /* a name that is not UTF-8 */
				json_decref(f);
				continue;
			}
			json_object_set_new(f, "path", p);
			json_object_set_new(f, "added", json_boolean(fc[i].status == 'A'));
			json_object_set_new(f, "removed", json_boolean(fc[i].status == 'D'));
			json_object_set_new(f, "changed", json_boolean(fc[i].status == 'M'));
			/* A CSV's lines: the header is not a row of a new or deleted file. */
			if (fc[i].status == 'A' && fc[i].added > 0)
				json_object_set_new(f, "rows_added", json_integer(fc[i].added - 1));
			else if (fc[i].status == 'D' && fc[i].removed > 0)
				json_object_set_new(f, "rows_removed", json_integer(fc[i].removed - 1));
			else if (fc[i].status == 'M' && fc[i].added >= 0) {
				json_object_set_new(f, "rows_added", json_integer(fc[i].added));
				json_object_set_new(f, "rows_removed", json_integer(fc[i].removed));
			}
			json_array_append_new(files, f);
		}
		repo_file_changes_free(fc, n);
	}
	json_object_set_new(o, "has_files", json_boolean(json_array_size(files) > 0));
	json_object_set_new(o, "files", files);
	return o;
}

/* Index of the change c in the list of slug. */
static size_t change_index(const odc_change *list, const odc_change *c)
{
	return (size_t)(c - list);
}

/* issued and modified into the descriptor, where it does not give them. */
static void apply_dates(odc_dataset *ds, const odc_change *list, size_t n, const odc_pub *pub)
{
	size_t i;
	if (!n || !pub->rev || !json_is_object(ds->dp))
		return;
	/* issued: the oldest change that added the folder. */
	for (i = n; i-- > 0;)
		if (list[i].tree[0] && !list[i].before[0])
			break;
	if (i == (size_t)-1)
		i = n - 1;
	if (!json_object_get(ds->dp, "issued"))
		set_date(ds->dp, "issued", list[i].time, list[i].offset);
	if (!json_object_get(ds->dp, "modified"))
		set_date(ds->dp, "modified", pub->rev->time, pub->rev->offset);
}

/* Dates and the change history into ds; r: any handle of the repository
 * (a worker's own: the diffs run outside the history's lock). */
static void apply(odc_repo *r, odc_dataset *ds, const odc_change *list, size_t n,
		  const odc_pub *pub)
{
	json_t *m, *changes;
	size_t i, from, shown = 0;
	char sid[13];

	if (!n || !pub->rev || !json_is_object(ds->dp))
		return;
	apply_dates(ds, list, n, pub);
	m = json_object();
	changes = json_array();
	from = change_index(list, pub->rev);
	for (i = from; i < n && shown < ODC_HISTORY_MAX_SHOWN; i++, shown++)
		json_array_append_new(changes, change_model(r, &list[i]));
	json_object_set_new(m, "has_changes", json_boolean(json_array_size(changes) > 0));
	json_object_set_new(m, "changes", changes);
	if (n - from > shown)
		json_object_set_new(m, "more", json_integer((json_int_t)(n - from - shown)));
	if (pub->held) {
		json_t *p = json_object(), *s;
		set_date(p, "date", pub->held->time, pub->held->offset);
		short_id(pub->held->commit, sid);
		json_object_set_new(p, "commit", json_string(sid));
		if ((s = json_string(pub->held->summary)))
			json_object_set_new(p, "summary", s);
		json_object_set_new(m, "pending", p);
	}
	json_decref(ds->history);
	ds->history = m;
}

/* Replaces the "not published" summary that dataset_load added last for
 * this dataset by the held-back warning. */
static void drop_dropped(odc_diags *d, const char *dir)
{
	odc_diag *x;
	if (!d->n)
		return;
	x = &d->items[d->n - 1];
	if (strcmp(x->code, "odcat-dataset-dropped") || !x->file || strncmp(x->file, dir, strlen(dir)))
		return;
	if (x->sev == ODC_SEV_ERROR)
		d->errors--;
	else
		d->warnings--;
	free(x->code);
	free(x->file);
	free(x->field_name);
	free(x->value);
	free(x->message);
	free(x->hint);
	free(x->message_ja);
	free(x->hint_ja);
	d->n--;
}

static int resolve(odc_history *h, const odc_catalog *cat, const char *slug, odc_dataset *ds,
		   int ok, odc_pub *pub, odc_diags *d);

int history_resolve(odc_history *h, odc_repo *r, const odc_catalog *cat, const char *slug,
		    odc_dataset *ds, int ok, odc_pub *pub, odc_diags *d)
{
	int rc;
	memset(pub, 0, sizeof(*pub));
	if (!h)
		return ok;
	pthread_mutex_lock(&h->lock);
	rc = resolve(h, cat, slug, ds, ok, pub, d);
	pthread_mutex_unlock(&h->lock);
	/* The change history (a tree diff per change, the costly part) reads
	 * only the change list, fixed since history_load: no lock needed. */
	if (rc && pub->rev) {
		size_t n;
		const odc_change *list = history_changes(h, slug, &n);
		apply(r ? r : h->r, ds, list, n, pub);
	}
	return rc;
}

static int resolve(odc_history *h, const odc_catalog *cat, const char *slug, odc_dataset *ds,
		   int ok, odc_pub *pub, odc_diags *d)
{
	const odc_change *list;
	const char *cur;
	size_t n, i, j, tries = 0;

	list = history_changes(h, slug, &n);
	if (h->worktree) {
		/* The working tree has no history of its own: dates and changes
		 * are HEAD's; a dataset not in HEAD has none. */
		if (ok && n && list[0].tree[0])
			pub->rev = &list[0];
		return ok;
	}
	cur = entry_id(h->head, h->nhead, slug);
	if (ok) {
		vc_put(h, slug, cur, h->head_conf, 1, ds->publisher_id);
		for (i = 0; i < n; i++)
			if (!strcmp(list[i].tree, cur)) {
				pub->rev = &list[i];
				break;
			}
		return 1;
	}
	vc_put(h, slug, cur, h->head_conf, 0, NULL);
	for (i = 0; i < n && tries < ODC_HISTORY_MAX_TRIES; i++) {
		odc_repo *r2 = NULL;
		odc_dataset old;
		odc_diags scratch = ODC_DIAGS_INIT;
		vcache *v;
		int seen = 0, good;
		if (!list[i].tree[0] || !strcmp(list[i].tree, cur))
			continue;
		for (j = 0; j < i && !seen; j++)
			seen = !strcmp(list[j].tree, list[i].tree);
		v = vc_find(h, slug, list[i].tree, h->head_conf);
		if (seen || (v && !v->ok))
			continue;
		tries++;
		if (repo_open_commit(&r2, h->r, list[i].commit) < 0)
			continue;
		memset(&old, 0, sizeof(old));
		good = dataset_load(&old, cat, r2, slug, NULL, &scratch) == 0;
		diag_free(&scratch);
		vc_put(h, slug, list[i].tree, h->head_conf, good, good ? old.publisher_id : NULL);
		if (!good) {
			dataset_free(&old);
			repo_free(r2);
			continue;
		}
		dataset_free(ds);
		*ds = old;
		pub->repo = r2;
		pub->rev = &list[i];
		pub->held = &list[0];
		{
			char held[11], kept[11];
			history_date(list[0].time, list[0].offset, held);
			history_date(list[i].time, list[i].offset, kept);
			drop_dropped(d, ds->dir);
			diag_add(d, ODC_SEV_WARNING, "odcat-held-back", ds->dir, 0, 0,
				 "fix the errors above and commit: the update is published with the next build",
				 "the latest change (commit %.12s of %s) did not pass validation; the "
				 "revision of commit %.12s (%s) stays published",
				 list[0].commit, held, list[i].commit, kept);
			diag_ja(d, "上のエラーを直してコミットしてください。次のビルドで更新が公開されます",
				"最新の変更（%s のコミット %.12s）は検証に通りませんでした。%s のコミット "
				"%.12s の版を公開したままにします",
				held, list[0].commit, kept, list[i].commit);
		}
		return 1;
	}
	return 0;
}

void history_restored(odc_history *h, odc_dataset *ds, odc_pub *pub)
{
	const odc_change *list;
	const char *cur;
	size_t n, i;

	memset(pub, 0, sizeof(*pub));
	if (!h || h->worktree)
		return;
	pthread_mutex_lock(&h->lock);
	list = history_changes(h, ds->slug, &n);
	cur = entry_id(h->head, h->nhead, ds->slug);
	vc_put(h, ds->slug, cur, h->head_conf, 1, ds->publisher_id);
	for (i = 0; i < n; i++)
		if (!strcmp(list[i].tree, cur)) {
			pub->rev = &list[i];
			break;
		}
	apply_dates(ds, list, n, pub);
	pthread_mutex_unlock(&h->lock);
}

const char *history_newest(const odc_history *h, const char *slug)
{
	size_t n;
	const odc_change *list = history_changes(h, slug, &n);
	return n ? list[0].commit : "";
}

void history_pub_free(odc_pub *pub)
{
	repo_free(pub->repo);
	memset(pub, 0, sizeof(*pub));
}

void history_report(json_t *st, int published, const odc_pub *pub)
{
	json_object_set_new(st, "status", json_string(!published ? "not published"
							: pub->held ? "held back" : "published"));
	if (published && pub->rev)
		json_object_set_new(st, "published_commit", json_string(pub->rev->commit));
	if (published && pub->held)
		json_object_set_new(st, "held_back_commit", json_string(pub->held->commit));
}

/*====================================================================
 * Notes of the published datasets
 *====================================================================*/

void history_note(odc_history *h, const odc_catalog *cat, const odc_dataset *ds, const odc_pub *pub)
{
	json_t *o, *v;
	size_t n;
	const odc_change *list;
	(void)cat;
	if (!h)
		return;
	pthread_mutex_lock(&h->lock);
	o = json_object();
	json_object_set_new(o, "slug", json_string(ds->slug));
	if ((v = json_object_get(ds->dp, "title")))
		json_object_set(o, "title", v);
	json_object_set_new(o, "publisher", json_string(ds->publisher_id ? ds->publisher_id : ""));
	if (json_is_string(v = json_object_get(ds->dp, "issued")))
		json_object_set(o, "issued", v);
	if (json_is_string(v = json_object_get(ds->dp, "modified")))
		json_object_set(o, "modified", v);
	if (json_is_string(v = json_object_get(ds->dp, "accrualPeriodicity")))
		json_object_set(o, "accrualPeriodicity", v);
	if (json_is_array(v = json_object_get(ds->dp, "redirect_from")))
		json_object_set(o, "redirect_from", v);
	json_object_set_new(o, "held", json_boolean(pub && pub->held));
	list = history_changes(h, ds->slug, &n);
	if (pub && pub->rev)
		json_object_set_new(o, "rev", json_integer((json_int_t)change_index(list, pub->rev)));
	json_array_append_new(h->notes, o);
	pthread_mutex_unlock(&h->lock);
}

static int cmp_note(const void *a, const void *b)
{
	return strcmp(json_string_value(json_object_get(*(json_t *const *)a, "slug")),
		      json_string_value(json_object_get(*(json_t *const *)b, "slug")));
}

/* Notes in slug order, whatever order the datasets were built in. */
static void sort_notes(odc_history *h)
{
	size_t n = json_array_size(h->notes), i;
	json_t **v, *sorted;
	if (n < 2)
		return;
	v = xcalloc(n, sizeof(*v));
	for (i = 0; i < n; i++)
		v[i] = json_incref(json_array_get(h->notes, i));
	qsort(v, n, sizeof(*v), cmp_note);
	sorted = json_array();
	for (i = 0; i < n; i++)
		json_array_append_new(sorted, v[i]);
	json_decref(h->notes);
	h->notes = sorted;
	free(v);
}

json_t *history_notes(odc_history *h)
{
	sort_notes(h);
	return h->notes;
}

/*====================================================================
 * Stable URLs: redirect and withdrawn pages
 *====================================================================*/

static int is_live(const odc_history *h, const char *slug)
{
	size_t i;
	json_t *o;
	if (*entry_id(h->head, h->nhead, slug))
		return 1;
	json_array_foreach(h->notes, i, o)
		if (!strcmp(json_string_value(json_object_get(o, "slug")), slug))
			return 1;
	return 0;
}

static int write_pages(const odc_page_ctx *pc, odc_out *o, const char *tmpl, const char *slug,
		       const char *title, json_t *content, odc_buf *err)
{
	odc_buf base = ODC_BUF_INIT;
	int li, rc = 0;
	buf_printf(&base, "datasets/%s/index.html", slug);
	for (li = 0; li < (pc->cat->lang[1] ? 2 : 1) && rc == 0; li++) {
		odc_buf html = ODC_BUF_INIT, p = ODC_BUF_INIT;
		const char *t = catalog_text(pc->cat, json_object_get(content, "title_text"), pc->cat->lang[li]);
		json_object_set_new(content, "title", json_string(t && *t ? t : slug));
		if (t && *t)
			title = t;
		rc = render_kind_page(pc, tmpl, base.ptr, title, tmpl, content, li, &html, err);
		if (rc == 0) {
			render_page_path(pc->cat, li, base.ptr, &p);
			if ((rc = out_write(o, p.ptr, html.ptr ? html.ptr : "", html.len)) < 0)
				buf_printf(err, "cannot write %s", p.ptr);
		}
		buf_free(&html);
		buf_free(&p);
	}
	buf_free(&base);
	return rc;
}

static int write_redirects(odc_history *h, const odc_page_ctx *pc, odc_out *o, json_t *done,
			   odc_diags *d, odc_buf *err)
{
	size_t i, j;
	json_t *note, *x;
	odc_buf base = ODC_BUF_INIT;

	dcat_base_url(pc->cat, &base);
	json_array_foreach(h->notes, i, note) {
		const char *to = json_string_value(json_object_get(note, "slug"));
		json_array_foreach(json_object_get(note, "redirect_from"), j, x) {
			const char *from = json_string_value(x);
			json_t *c;
			odc_buf canon = ODC_BUF_INIT, file = ODC_BUF_INIT;
			int rc;
			if (!from || !catalog_slug_is_valid(from) || is_live(h, from) ||
			    json_object_get(done, from)) {
				diag_add(d, ODC_SEV_WARNING, "odcat-redirect-conflict", NULL, 0, 0,
					 "redirect_from names old slugs that are no dataset now",
					 "datasets/%s/datapackage.json: redirect_from \"%s\" is not a valid "
					 "slug, is a live dataset or is claimed twice: no redirect written",
					 to, from ? from : "(not a string)");
				continue;
			}
			json_object_set_new(done, from, json_true());
			c = json_object();
			json_object_set_new(c, "from", json_string(from));
			json_object_set_new(c, "slug", json_string(to));
			if (base.len) {
				buf_printf(&canon, "%sdatasets/", base.ptr);
				escape_url_segment(&canon, to, strlen(to));
				buf_putc(&canon, '/');
				json_object_set_new(c, "canonical", json_string(canon.ptr));
			}
			json_object_set(c, "title_text", json_object_get(note, "title"));
			buf_printf(&file, "datasets/%s", from);
			rc = write_pages(pc, o, "redirect", from, catalog_text(pc->cat, json_object_get(note, "title"), pc->cat->lang[0]), c, err);
			json_array_append_new(json_object_get(h->pages, "redirects"),
					      json_pack("{s:s,s:s}", "from", from, "to", to));
			json_decref(c);
			buf_free(&canon);
			buf_free(&file);
			if (rc < 0) {
				buf_free(&base);
				return rc;
			}
		}
	}
	buf_free(&base);
	return 0;
}

static int write_withdrawn(odc_history *h, const odc_page_ctx *pc, odc_out *o, json_t *done,
			   odc_buf *err)
{
	size_t i, k, j;
	if (h->worktree)
		return 0;
	for (i = 0; i < h->nds; i++) {
		const dsent *e = &h->ds[i];
		const odc_change *kept = NULL;
		size_t tries = 0;
		if (!e->n || e->ch[0].tree[0] || is_live(h, e->slug) || json_object_get(done, e->slug))
			continue;
		for (k = 1; k < e->n && !kept && tries < ODC_HISTORY_MAX_TRIES; k++) {
			int seen = 0;
			if (!e->ch[k].tree[0])
				continue;
			for (j = 1; j < k && !seen; j++)
				seen = !strcmp(e->ch[j].tree, e->ch[k].tree);
			if (seen)
				continue;
			tries++;
			if (history_valid(h, pc->cat, e->slug, e->ch[k].commit, e->ch[k].tree, NULL))
				kept = &e->ch[k];
		}
		if (!kept)
			continue; /* never published: nothing to keep */
		{
			odc_repo *r = at_commit(h, kept->commit);
			odc_buf path = ODC_BUF_INIT;
			odc_blob b;
			json_t *dp = NULL, *c;
			json_error_t je;
			char sid[13];
			int rc = 0;
			buf_printf(&path, "datasets/%s/datapackage.json", e->slug);
			if (!r || repo_read(r, path.ptr, ODC_MAX_JSON_BYTES, &b) < 0) {
				buf_free(&path);
				continue;
			}
			dp = json_loadb(b.data, b.len, 0, &je);
			if (out_write(o, path.ptr, b.data, b.len) < 0) {
				buf_printf(err, "cannot write %s", path.ptr);
				rc = ODC_EIO;
			}
			repo_blob_free(&b);
			buf_free(&path);
			c = json_object();
			json_object_set_new(c, "slug", json_string(e->slug));
			set_date(c, "withdrawn", e->ch[0].time, e->ch[0].offset);
			set_date(c, "last_published", kept->time, kept->offset);
			short_id(kept->commit, sid);
			json_object_set_new(c, "commit", json_string(sid));
			if (json_is_object(dp) && json_object_get(dp, "title"))
				json_object_set(c, "title_text", json_object_get(dp, "title"));
			json_object_set_new(c, "datapackage_href", json_string("datapackage.json"));
			if (rc == 0)
				rc = write_pages(pc, o, "withdrawn", e->slug,
						 json_is_object(dp) ? catalog_text(pc->cat, json_object_get(dp, "title"), pc->cat->lang[0]) : e->slug,
						 c, err);
			json_decref(c);
			json_decref(dp);
			if (rc < 0)
				return rc;
			{
				char wd[11];
				history_date(e->ch[0].time, e->ch[0].offset, wd);
				json_array_append_new(json_object_get(h->pages, "withdrawn"),
						      json_pack("{s:s,s:s,s:s,s:s}", "dataset", e->slug, "withdrawn", wd,
								"withdrawn_commit", e->ch[0].commit,
								"last_published_commit", kept->commit));
			}
		}
	}
	return 0;
}

/*====================================================================
 * Atom feeds
 *====================================================================*/

typedef struct fentry {
	const odc_change *c;
	json_t *note; /* borrowed */
} fentry;

static int cmp_fentry(const void *a, const void *b)
{
	const fentry *x = a, *y = b;
	int c;
	if (x->c->time != y->c->time)
		return x->c->time < y->c->time ? 1 : -1;
	c = strcmp(json_string_value(json_object_get(x->note, "slug")),
		   json_string_value(json_object_get(y->note, "slug")));
	return c ? c : strcmp(x->c->commit, y->c->commit);
}

#define FEED_MAX_ENTRIES 50

/* Text for XML: nothing when s is not UTF-8 (a commit message may be in
 * any encoding), and control characters XML 1.0 forbids become spaces. */
static void xml_text(odc_buf *b, const char *s)
{
	json_t *check = s ? json_string(s) : NULL;
	char *t;
	size_t i;
	if (!check)
		return;
	json_decref(check);
	t = xstrdup(s);
	for (i = 0; t[i]; i++)
		if ((unsigned char)t[i] < 0x20 && t[i] != '\t' && t[i] != '\n' && t[i] != '\r')
			t[i] = ' ';
	escape_xml(b, t, strlen(t));
	free(t);
}

static int write_feed(odc_history *h, const odc_page_ctx *pc, odc_out *o, const char *path,
		      const char *publisher, const char *today, odc_buf *err)
{
	const odc_catalog *cat = pc->cat;
	const char *lang = cat->lang[0];
	fentry *fe = NULL;
	size_t nfe = 0, cap = 0, i, k;
	json_t *note;
	odc_buf x = ODC_BUF_INIT, base = ODC_BUF_INIT, u = ODC_BUF_INIT;
	char ts[26];
	int rc = 0;

	json_array_foreach(h->notes, i, note) {
		size_t n;
		const odc_change *list;
		json_t *rev = json_object_get(note, "rev");
		if (!rev || (publisher && strcmp(publisher, json_string_value(json_object_get(note, "publisher")))))
			continue;
		list = history_changes(h, json_string_value(json_object_get(note, "slug")), &n);
		for (k = (size_t)json_integer_value(rev); k < n; k++) {
			if (!list[k].tree[0])
				continue;
			if (nfe == cap) {
				cap = cap ? cap * 2 : 64;
				fe = xrealloc(fe, cap * sizeof(*fe));
			}
			fe[nfe].c = &list[k];
			fe[nfe].note = note;
			nfe++;
		}
	}
	if (nfe > 1)
		qsort(fe, nfe, sizeof(*fe), cmp_fentry);
	if (nfe > FEED_MAX_ENTRIES)
		nfe = FEED_MAX_ENTRIES;

	dcat_base_url(cat, &base);
	buf_printf(&x, "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"");
	xml_text(&x, lang);
	buf_puts(&x, "\">\n  <id>");
	if (base.len) {
		buf_printf(&u, "%s%s", base.ptr, path);
		xml_text(&x, u.ptr);
	} else {
		buf_puts(&x, "urn:odcat:feed:");
		xml_text(&x, path);
	}
	buf_puts(&x, "</id>\n  <title>");
	{
		const char *t = catalog_text(cat, json_object_get(cat->conf, "title"), lang);
		json_t *dept = publisher ? catalog_publisher(cat, publisher) : NULL;
		xml_text(&x, t);
		if (dept) {
			buf_puts(&x, " — ");
			xml_text(&x, catalog_text(cat, json_object_get(dept, "name"), lang));
		}
	}
	buf_puts(&x, "</title>\n  <updated>");
	if (nfe) {
		rfc3339(fe[0].c->time, fe[0].c->offset, ts);
		buf_puts(&x, ts);
	} else {
		buf_printf(&x, "%sT00:00:00Z", today);
	}
	buf_puts(&x, "</updated>\n");
	/* Without a base URL, links are relative to the feed's own URL. */
	buf_puts(&x, "  <link rel=\"self\" type=\"application/atom+xml\" href=\"");
	xml_text(&x, base.len ? u.ptr : "feed.xml");
	buf_puts(&x, "\"/>\n  <link rel=\"alternate\" type=\"text/html\" href=\"");
	buf_clear(&u);
	if (base.len) {
		buf_puts(&u, base.ptr);
		if (publisher)
			buf_printf(&u, "publishers/%s/", publisher);
	}
	xml_text(&x, u.len ? u.ptr : "./");
	buf_puts(&x, "\"/>\n  <author><name>");
	{
		json_t *city = json_object_get(cat->conf, "publisher");
		const char *name = catalog_text(cat, json_object_get(city, "name"), lang);
		xml_text(&x, name ? name : catalog_text(cat, json_object_get(cat->conf, "title"), lang));
	}
	buf_printf(&x, "</name></author>\n  <generator version=\"%s\">odcat</generator>\n", pc->version);
	for (i = 0; i < nfe; i++) {
		const odc_change *c = fe[i].c;
		const char *slug = json_string_value(json_object_get(fe[i].note, "slug"));
		const char *title = catalog_text(cat, json_object_get(fe[i].note, "title"), lang);
		buf_clear(&u);
		if (base.len)
			buf_puts(&u, base.ptr);
		else if (publisher)
			buf_puts(&u, "../../");
		buf_puts(&u, "datasets/");
		escape_url_segment(&u, slug, strlen(slug));
		buf_putc(&u, '/');
		buf_puts(&x, "  <entry>\n    <id>");
		if (base.len) {
			xml_text(&x, u.ptr);
			buf_printf(&x, "#change-%.12s", c->commit);
		} else {
			buf_printf(&x, "urn:odcat:change:%s:", c->commit);
			xml_text(&x, slug);
		}
		buf_puts(&x, "</id>\n    <title>");
		xml_text(&x, title ? title : slug);
		if (*c->summary) {
			buf_puts(&x, ": ");
			xml_text(&x, c->summary);
		}
		rfc3339(c->time, c->offset, ts);
		buf_printf(&x, "</title>\n    <updated>%s</updated>\n    <author><name>", ts);
		xml_text(&x, *c->author ? c->author : "-");
		buf_puts(&x, "</name></author>\n    <link rel=\"alternate\" type=\"text/html\" href=\"");
		xml_text(&x, u.ptr);
		buf_puts(&x, "\"/>\n    <summary>");
		{
			/* "dataset added" or "changed", in the feed's language. */
			const char *w = json_string_value(json_object_get(
				pc->theme->strings[0], c->before[0] ? "history_file_changed" : "history_dataset_added"));
			xml_text(&x, w ? w : c->before[0] ? "changed" : "dataset added");
			buf_puts(&x, ": ");
			xml_text(&x, slug);
		}
		buf_puts(&x, "</summary>\n  </entry>\n");
	}
	buf_puts(&x, "</feed>\n");
	if (out_write(o, path, x.ptr, x.len) < 0) {
		buf_printf(err, "cannot write %s", path);
		rc = ODC_EIO;
	}
	free(fe);
	buf_free(&x);
	buf_free(&base);
	buf_free(&u);
	return rc;
}

/*====================================================================
 * The validity cache on disk (beside the build cache)
 *====================================================================*/

/* One answer of the validity file: key "slug/tree/conf". Returns 1 when
 * taken, 0 when the entry is not one odcat writes. Under h->lock. */
static int take_answer(odc_history *h, const char *k, int ok, const char *pubs)
{
	char slug[ODC_MAX_SLUG + 1], tree[ODC_OID_HEX], conf[ODC_OID_HEX];
	const char *a = strchr(k, '/'), *b2 = a ? strchr(a + 1, '/') : NULL;
	if (!b2 || (size_t)(a - k) > ODC_MAX_SLUG || b2 - a - 1 != 40 || strlen(b2 + 1) > 40 || !pubs)
		return 0;
	memcpy(slug, k, (size_t)(a - k));
	slug[a - k] = '\0';
	memcpy(tree, a + 1, 40);
	tree[40] = '\0';
	snprintf(conf, sizeof(conf), "%s", b2 + 1);
	if (!catalog_slug_is_valid(slug))
		return 0;
	vc_put(h, slug, tree, conf, ok, pubs);
	return 1;
}

/* A string of the simple file below at p: printable ASCII without '"'
 * or '\\' up to its closing quote, copied into out (size cap). Returns
 * the byte after the quote, or NULL. */
static const char *simple_string(const char *p, const char *end, char *out, size_t cap)
{
	size_t n = 0;
	if (p >= end || *p++ != '"')
		return NULL;
	for (; p < end && *p != '"'; p++) {
		if (*p < 0x20 || *p > 0x7e || *p == '\\' || n + 1 >= cap)
			return NULL;
		out[n++] = *p;
	}
	if (p >= end)
		return NULL;
	out[n] = '\0';
	return p + 1;
}

/* The entries of the file as history_validity_save writes it when every
 * key and publisher is plain ASCII -- {"entries":{"K":[true,"P"],...},
 * "odcat":"VERSION"} without spaces or escapes -- read without jansson
 * (10,000 answers took json_load_file 30-50 ms on every build). Two
 * passes: the first only checks, so that nothing is taken from a file
 * that turns out not to be of this form. Returns the number of entries,
 * *taken those taken; -1 when the text is not of this form (the caller
 * asks jansson). */
static long load_simple(odc_history *h, const char *t, size_t len, long *taken)
{
	static const char head[] = "{\"entries\":{";
	odc_buf tail = ODC_BUF_INIT;
	const char *end, *p;
	long n = 0;
	int pass;

	buf_printf(&tail, "},\"odcat\":\"%s\"}", ODCAT_VERSION);
	if (len < sizeof(head) - 1 + tail.len || memcmp(t, head, sizeof(head) - 1) ||
	    memcmp(t + len - tail.len, tail.ptr, tail.len)) {
		buf_free(&tail);
		return -1;
	}
	end = t + len - tail.len;
	buf_free(&tail);
	*taken = 0;
	for (pass = 0; pass < 2; pass++) {
		n = 0;
		for (p = t + sizeof(head) - 1; p < end;) {
			char k[256], pub[256];
			int ok;
			if (n && *p++ != ',')
				return -1;
			if (!(p = simple_string(p, end, k, sizeof(k))) || end - p < 3 || memcmp(p, ":[", 2))
				return -1;
			p += 2;
			if (end - p >= 5 && !memcmp(p, "true,", 5))
				ok = 1, p += 5;
			else if (end - p >= 6 && !memcmp(p, "false,", 6))
				ok = 0, p += 6;
			else
				return -1;
			if (!(p = simple_string(p, end, pub, sizeof(pub))) || p >= end || *p++ != ']')
				return -1;
			n++;
			if (pass == 1)
				*taken += take_answer(h, k, ok, pub);
		}
	}
	return n;
}

int history_validity_load(odc_history *h, const char *file)
{
	json_t *doc = NULL, *v;
	const char *k;
	odc_buf text = ODC_BUF_INIT;
	long n = 0, entries = -1;
	int dirty;
	size_t before;

	buf_read_file(&text, file);
	pthread_mutex_lock(&h->lock);
	dirty = h->vc_dirty;
	before = h->nvc;
	if (text.len)
		entries = load_simple(h, text.ptr, text.len, &n);
	if (entries < 0) {
		doc = json_loadb(text.ptr ? text.ptr : "", text.len, JSON_REJECT_DUPLICATES, NULL);
		/* Another odcat may validate differently: its answers are not used. */
		if (!json_is_object(doc) ||
		    strcmp(json_string_value(json_object_get(doc, "odcat"))
				   ? json_string_value(json_object_get(doc, "odcat"))
				   : "",
			   ODCAT_VERSION)) {
			h->vc_dirty = 1; /* to be written anew */
			pthread_mutex_unlock(&h->lock);
			json_decref(doc);
			buf_free(&text);
			return 0;
		}
		entries = json_is_object(json_object_get(doc, "entries"))
				  ? (long)json_object_size(json_object_get(doc, "entries"))
				  : -1;
		json_object_foreach(json_object_get(doc, "entries"), k, v)
			if (json_is_boolean(json_array_get(v, 0)))
				n += take_answer(h, k, json_is_true(json_array_get(v, 0)),
						 json_string_value(json_array_get(v, 1)));
	}
	/* Answers read back are not news; a file with entries left out (or
	 * said twice) is written again without them. */
	h->vc_dirty = dirty || n != entries || h->nvc - before != (size_t)n;
	pthread_mutex_unlock(&h->lock);
	json_decref(doc);
	buf_free(&text);
	return (int)n;
}

/* s as a JSON string: '"', '\\' and control bytes escaped as jansson
 * does, the rest as is (every string held here came through jansson, so
 * it is UTF-8). */
static void json_quote(odc_buf *b, const char *s)
{
	buf_putc(b, '"');
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		if (c == '"' || c == '\\') {
			buf_putc(b, '\\');
			buf_putc(b, (char)c);
		} else if (c < 0x20) {
			buf_printf(b, "\\u%04x", c);
		} else {
			buf_putc(b, (char)c);
		}
	}
	buf_putc(b, '"');
}

int history_validity_save(odc_history *h, const char *file)
{
	json_t *i;
	const char *k;
	odc_buf tmp = ODC_BUF_INIT, text = ODC_BUF_INIT;
	int rc = 0, first = 1;
	FILE *f;

	/* Nothing new since it was read: the file says it all already (a
	 * one-dataset rebuild of 10,000 spent 0.05 s writing it again). */
	if (!h->vc_dirty)
		return 0;
	/* The JSON text by hand: one line per answer through jansson cost
	 * more than everything else here. */
	buf_puts(&text, "{\"entries\":{");
	json_object_foreach(h->vc_index, k, i) {
		const vcache *v = &h->vc[json_integer_value(i)];
		if (!first)
			buf_putc(&text, ',');
		first = 0;
		json_quote(&text, k);
		buf_puts(&text, v->ok ? ":[true," : ":[false,");
		json_quote(&text, v->publisher);
		buf_putc(&text, ']');
	}
	buf_puts(&text, "},\"odcat\":");
	json_quote(&text, ODCAT_VERSION);
	buf_puts(&text, "}");
	/* Written beside and renamed: a killed build leaves the old file. */
	buf_printf(&tmp, "%s.tmp", file);
	f = fopen(tmp.ptr, "wb");
	if (!f) {
		rc = ODC_EIO;
	} else {
		if (fwrite(text.ptr, 1, text.len, f) != text.len)
			rc = ODC_EIO;
		if (fclose(f) != 0)
			rc = ODC_EIO;
	}
	if (rc == 0 && rename(tmp.ptr, file) < 0)
		rc = ODC_EIO;
	if (rc)
		unlink(tmp.ptr);
	else
		h->vc_dirty = 0;
	buf_free(&tmp);
	buf_free(&text);
	return rc;
}

json_t *history_pages(const odc_history *h)
{
	return h ? h->pages : NULL;
}

int history_write(odc_history *h, const odc_page_ctx *pc, odc_out *o, const char *today,
		  odc_diags *d, odc_buf *err)
{
	json_t *done, *pubs, *note, *v;
	size_t i;
	const char *k;
	int rc;

	if (!h)
		return 0;
	sort_notes(h);
	done = json_object();
	rc = write_redirects(h, pc, o, done, d, err);
	if (rc == 0)
		rc = write_withdrawn(h, pc, o, done, err);
	json_decref(done);
	if (rc == 0)
		rc = write_feed(h, pc, o, "feed.xml", NULL, today, err);
	pubs = json_object();
	json_array_foreach(h->notes, i, note) {
		const char *p = json_string_value(json_object_get(note, "publisher"));
		if (p && *p && catalog_publisher(pc->cat, p) && catalog_slug_is_valid(p))
			json_object_set_new(pubs, p, json_true());
	}
	json_object_foreach(pubs, k, v) {
		odc_buf p = ODC_BUF_INIT;
		if (rc < 0)
			break;
		buf_printf(&p, "publishers/%s/feed.xml", k);
		rc = write_feed(h, pc, o, p.ptr, k, today, err);
		buf_free(&p);
	}
	json_decref(pubs);
	return rc;
}
