/*
 * out.c — staging folder, file writes and the atomic swap (see out.h).
 */
#define _GNU_SOURCE
#include "out.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <sys/file.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "odc.h"
#include "repo.h"

static int rm_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(path);
}

int out_rmtree(const char *path)
{
	struct stat st;
	if (lstat(path, &st) < 0)
		return errno == ENOENT ? 0 : -1;
	return nftw(path, rm_entry, 32, FTW_DEPTH | FTW_PHYS);
}

/*--------------------------------------------------------------------
 * The paths written by this build: an open-addressing set of strings.
 *------------------------------------------------------------------*/

static size_t path_hash(const char *s)
{
	size_t h = 1469598103934665603ULL;
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ULL;
	return h;
}

/* The slot of path (hash h; empty or holding it); the set is never full.
 * Each slot keeps its string's hash, so a probe only reads a string (a
 * cache miss each, with 100,000s of paths) when the hashes agree. */
static size_t path_slot(char *const *set, const size_t *hashes, size_t cap, const char *path, size_t h)
{
	size_t i = h & (cap - 1);
	while (set[i] && (hashes[i] != h || strcmp(set[i], path) != 0))
		i = (i + 1) & (cap - 1);
	return i;
}

/* Adds rel to the written set; the caller holds o->mu. */
static void path_record_locked(odc_out *o, const char *rel)
{
	size_t i, h = path_hash(rel);
	if ((o->npaths + 1) * 2 > o->cappaths) {
		size_t cap = o->cappaths ? o->cappaths * 2 : 1024, k;
		char **set = xcalloc(cap, sizeof(*set));
		size_t *hashes = xcalloc(cap, sizeof(*hashes));
		for (k = 0; k < o->cappaths; k++)
			if (o->paths[k]) {
				size_t j = path_slot(set, hashes, cap, o->paths[k], o->hashes[k]);
				set[j] = o->paths[k];
				hashes[j] = o->hashes[k];
			}
		free(o->paths);
		free(o->hashes);
		o->paths = set;
		o->hashes = hashes;
		o->cappaths = cap;
	}
	i = path_slot(o->paths, o->hashes, o->cappaths, rel, h);
	if (!o->paths[i]) {
		o->paths[i] = xstrdup(rel);
		o->hashes[i] = h;
		o->npaths++;
	}
}

static void path_record(odc_out *o, const char *rel)
{
	pthread_mutex_lock(&o->mu);
	path_record_locked(o, rel);
	pthread_mutex_unlock(&o->mu);
}

/* Whether rel is in the written set, without the lock: for when no
 * writer can be adding to it. */
static int written_now(const odc_out *o, const char *rel)
{
	return o->cappaths && o->paths[path_slot(o->paths, o->hashes, o->cappaths, rel, path_hash(rel))] != NULL;
}

int out_written(odc_out *o, const char *rel)
{
	int found;
	pthread_mutex_lock(&o->mu);
	found = written_now(o, rel);
	pthread_mutex_unlock(&o->mu);
	return found;
}

static void paths_free(odc_out *o)
{
	size_t i;
	for (i = 0; i < o->cappaths; i++)
		free(o->paths[i]);
	free(o->paths);
	free(o->hashes);
	o->paths = NULL;
	o->hashes = NULL;
	o->npaths = o->cappaths = 0;
}

/*--------------------------------------------------------------------
 * String maps, and the manifest of file groups (out.h).
 *------------------------------------------------------------------*/

static size_t hash_n(const char *s, size_t n)
{
	size_t h = 1469598103934665603ULL, i;
	for (i = 0; i < n; i++)
		h = (h ^ (unsigned char)s[i]) * 1099511628211ULL;
	return h;
}

/* The slot of key k[0..n) (empty or holding it). */
static size_t map_slot(const odc_strmap *m, const char *k, size_t n, size_t h)
{
	size_t i = h & (m->cap - 1);
	while (m->keys[i] &&
	       (m->hashes[i] != h || strncmp(m->keys[i], k, n) != 0 || m->keys[i][n] != '\0'))
		i = (i + 1) & (m->cap - 1);
	return i;
}

/* The entry of k[0..n), or NULL. */
static char **map_get(const odc_strmap *m, const char *k, size_t n)
{
	size_t i;
	if (!m->cap)
		return NULL;
	i = map_slot(m, k, n, hash_n(k, n));
	return m->keys[i] ? &m->vals[i] : NULL;
}

/* Sets k[0..n) to a copy of v (or NULL). Returns whether k was new. */
static int map_put(odc_strmap *m, const char *k, size_t n, const char *v)
{
	size_t i, h = hash_n(k, n);
	if ((m->n + 1) * 2 > m->cap) {
		odc_strmap g = {NULL, NULL, NULL, m->n, m->cap ? m->cap * 2 : 64};
		size_t j;
		g.keys = xcalloc(g.cap, sizeof(*g.keys));
		g.vals = xcalloc(g.cap, sizeof(*g.vals));
		g.hashes = xcalloc(g.cap, sizeof(*g.hashes));
		for (j = 0; j < m->cap; j++)
			if (m->keys[j]) {
				size_t s = map_slot(&g, m->keys[j], strlen(m->keys[j]), m->hashes[j]);
				g.keys[s] = m->keys[j];
				g.vals[s] = m->vals[j];
				g.hashes[s] = m->hashes[j];
			}
		free(m->keys);
		free(m->vals);
		free(m->hashes);
		*m = g;
	}
	i = map_slot(m, k, n, h);
	if (m->keys[i]) {
		free(m->vals[i]);
		m->vals[i] = v ? xstrdup(v) : NULL;
		return 0;
	}
	m->keys[i] = xstrndup(k, n);
	m->vals[i] = v ? xstrdup(v) : NULL;
	m->hashes[i] = h;
	m->n++;
	return 1;
}

static void map_free(odc_strmap *m)
{
	size_t i;
	for (i = 0; i < m->cap; i++) {
		free(m->keys[i]);
		free(m->vals[i]);
	}
	free(m->keys);
	free(m->vals);
	free(m->hashes);
	memset(m, 0, sizeof(*m));
}

/*
 * The manifest, <final>.manifest ("odcat-manifest 2" on its first line):
 * one section per tree (the live site's and the spare's, which swap places
 * at every build), each
 *
 *   tree <dev> <inode of the tree's top folder>
 *   d <inode> <mtime s> <ns> <ctime s> <ns> <site-relative folder path>
 *   f <site-relative file path>
 *   g <token> <group>
 *   end [swept]
 *
 * every folder of the tree (a parent's line before its children's), the
 * files below the top folder and the groups; "swept" when the tree held
 * nothing but those files (its build swept it). What it lets a build
 * trust, and why that is safe:
 *
 * - A folder whose inode, mtime and ctime are those recorded has the same
 *   entries as then: adding, removing, renaming or replacing an entry
 *   sets the folder's mtime and ctime to the current time, and nothing
 *   sets a ctime back. Each is checked before the build writes into the
 *   stage. A group's files must be in such folders; the folders above
 *   them need only be the recorded folders (same inode, each checked with
 *   lstat from the top), so the path leads through no symlink or
 *   replacement, while other entries there may come and go.
 * - Kernel timestamps are coarse (a clock tick, or what the file system
 *   keeps): a change in the same tick as the state recorded could leave
 *   the times as they were. So a folder is recorded only when its ctime
 *   is older than that of a file created in the stage just before the
 *   folders are looked at (same file system, same clock, same
 *   granularity): any later change gets at least that file's time. A
 *   folder changed too recently is recorded without times (-1: never
 *   unchanged). This assumes the clock is not set back meanwhile.
 * - The sweep (sweep_known): an unchanged folder holds the files listed
 *   for it and the folders listed below it, nothing else, when the
 *   section says "swept". Those listed files this build did not write
 *   are removed without reading the folder; the top folder and every
 *   folder not unchanged (with all below it) are read as by sweep().
 * - A group's files are hard links to (or copies of) a cache entry's,
 *   which is never changed in place: odcat replaces an entry as a whole,
 *   under a new token. Writing into a file in place (through the site,
 *   the spare or the cache) is not detected, neither by this nor by the
 *   inode comparison of out_place.
 * - The manifest itself is trusted as the cache is: only odcat writes it.
 *   Removing it at any time is safe (files are then checked one by one).
 */

/* The manifest's path for output folder final. */
static char *mf_path(const char *final, const char *suffix)
{
	odc_buf p = ODC_BUF_INIT;
	buf_printf(&p, "%s%s", final, suffix);
	return buf_detach(&p);
}

static int read_file(const char *path, odc_buf *b);

/* fstatat (no symlink followed) of a site-relative path below folder
 * root, through its parent folder kept open between calls: the manifest's
 * folders come sorted, so most share their parent (10,000 under
 * datasets/), and a one-name lookup is cheaper than a whole path's. */
typedef struct {
	int root, fd; /* fd: the open parent, or -1 */
	char *dir;    /* its path */
} dirstat;

static int dirstat_get(dirstat *ds, const char *path, struct stat *st)
{
	const char *slash = strrchr(path, '/');
	size_t n;
	if (!slash)
		return fstatat(ds->root, path, st, AT_SYMLINK_NOFOLLOW);
	n = (size_t)(slash - path);
	if (!ds->dir || strncmp(ds->dir, path, n) != 0 || ds->dir[n] != '\0') {
		if (ds->fd >= 0)
			close(ds->fd);
		free(ds->dir);
		ds->dir = xstrndup(path, n);
		ds->fd = openat(ds->root, ds->dir, O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	}
	return ds->fd < 0 ? -1 : fstatat(ds->fd, slash + 1, st, AT_SYMLINK_NOFOLLOW);
}

static void dirstat_free(dirstat *ds)
{
	if (ds->fd >= 0)
		close(ds->fd);
	free(ds->dir);
}

/* dirstat_get of paths[0..n) (sorted) into st[] and ok[], by two threads
 * each taking one half: the manifest's 20,000 folders of a
 * 10,000-dataset site are checked before phase A and recorded at the
 * swap, where nothing else runs, and each lookup is kernel time. */
typedef struct {
	int root;
	char *const *paths;
	size_t n;
	struct stat *st;
	unsigned char *ok;
} stat_range;

static void *stat_range_run(void *arg)
{
	stat_range *r = arg;
	dirstat ds = {r->root, -1, NULL};
	size_t i;
	for (i = 0; i < r->n; i++)
		r->ok[i] = dirstat_get(&ds, r->paths[i], &r->st[i]) == 0;
	dirstat_free(&ds);
	return NULL;
}

static void stat_many(int root, char *const *paths, size_t n, struct stat *st, unsigned char *ok)
{
	size_t h = n / 2;
	stat_range a = {root, paths, h, st, ok}, b = {root, paths + h, n - h, st + h, ok + h};
	pthread_t t;
	int started = n >= 512 && pthread_create(&t, NULL, stat_range_run, &b) == 0;
	stat_range_run(&a);
	if (started)
		pthread_join(t, NULL);
	else
		stat_range_run(&b);
}

/* The folder's path in a "d" line (after "d "), with its recorded
 * inode and times; NULL when malformed or unsafe. */
static const char *mf_dir_parse(const char *line, unsigned long long *ino, long long t[4])
{
	char *e;
	int k;
	/* (strtoll, not sscanf: 20,000 lines, and this is before phase A) */
	*ino = strtoull(line, &e, 10);
	if (e == line)
		return NULL;
	for (k = 0; k < 4; k++)
		t[k] = *e == ' ' ? strtoll(e + 1, &e, 10) : 0;
	if (*e != ' ' || !e[1] || !repo_path_is_safe(e + 1))
		return NULL;
	return e + 1;
}

/* Checks a "d" line (after "d ") against the stage, given the stat of
 * its path there (st, or NULL when it failed). A folder that is still
 * the recorded one (same inode, and so for each folder above it: the
 * path leads through no symlink or replacement) goes into mf_ok; with
 * the value "=" when its times are the recorded ones too (its entries
 * are unchanged). The folders above a group's files may change (other
 * files come and go there), the files' own folder not. */
static int mf_check_dir(odc_out *o, const struct stat *st, dev_t dev, const char *line, const char **path_out)
{
	unsigned long long ino;
	long long t[4];
	int same;
	const char *path = mf_dir_parse(line, &ino, t), *slash;

	*path_out = path;
	if (!path)
		return 0;
	slash = strrchr(path, '/');
	if (slash && !map_get(&o->mf_ok, path, (size_t)(slash - path)))
		return 0; /* the folder above is not the recorded one */
	if (!st || !S_ISDIR(st->st_mode) || st->st_dev != dev || (unsigned long long)st->st_ino != ino)
		return 0;
	same = st->st_mtim.tv_sec == t[0] && st->st_mtim.tv_nsec == t[1] && st->st_ctim.tv_sec == t[2] &&
	       st->st_ctim.tv_nsec == t[3];
	map_put(&o->mf_ok, path, strlen(path), same ? "=" : NULL);
	return same ? 2 : 1;
}

/* Whether folder path[0..n) is in mf_ok as unchanged. */
static int mf_unchanged(const odc_out *o, const char *path, size_t n)
{
	char **v = map_get(&o->mf_ok, path, n);
	return v && *v;
}

static void vec_push(char ***v, size_t *n, size_t *cap, char *s)
{
	if (*n == *cap) {
		*cap = *cap ? *cap * 2 : 256;
		*v = xrealloc(*v, *cap * sizeof(**v));
	}
	(*v)[(*n)++] = s;
}

/* Reads the manifest (out_begin): the stage's section is checked against
 * the stage, the live site's kept for the next manifest. Anything
 * malformed only means less is trusted. */
static void mf_load(odc_out *o)
{
	char *path = mf_path(o->final, ".manifest");
	odc_buf text = ODC_BUF_INIT;
	struct stat sst, lst;
	int root = -1, live, mine = 0, keep = 0, seen = 0;
	char *line, *next;
	const char *keep_from = NULL;
	char **lines = NULL, **dpaths = NULL;
	size_t nl = 0, capl = 0, nd = 0, capd = 0, li, di = 0;
	struct stat *dst = NULL;
	unsigned char *dok = NULL;

	if (read_file(path, &text) < 0 || !text.len ||
	    (root = open(o->stage, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)) < 0 ||
	    fstat(root, &sst) < 0)
		goto done;
	live = lstat(o->final, &lst) == 0 && S_ISDIR(lst.st_mode);
	if (strncmp(text.ptr, "odcat-manifest 2\n", 17) != 0)
		goto done;
	/* The whole lines (a last one without its newline was not written
	 * whole), and the paths of this tree's "d" lines, stat'ed at once
	 * (stat_many) for the checks below, which go in order. */
	for (line = text.ptr + 17; line < text.ptr + text.len; line = next) {
		char *end = memchr(line, '\n', (size_t)(text.ptr + text.len - line));
		if (!end)
			break;
		*end = '\0';
		next = end + 1;
		vec_push(&lines, &nl, &capl, line);
		if (!strncmp(line, "tree ", 5)) {
			unsigned long long dev, ino;
			mine = sscanf(line + 5, "%llu %llu", &dev, &ino) == 2 && !seen &&
			       dev == (unsigned long long)sst.st_dev && ino == (unsigned long long)sst.st_ino;
			seen |= mine;
		} else if (!strcmp(line, "end") || !strcmp(line, "end swept")) {
			mine = 0;
		} else if (mine && !strncmp(line, "d ", 2)) {
			unsigned long long ino;
			long long t[4];
			const char *p = mf_dir_parse(line + 2, &ino, t);
			if (p)
				vec_push(&dpaths, &nd, &capd, (char *)p);
		}
	}
	dst = xmalloc((nd ? nd : 1) * sizeof(*dst));
	dok = xmalloc(nd ? nd : 1);
	stat_many(root, dpaths, nd, dst, dok);
	mine = seen = 0;
	for (li = 0; li < nl; li++) {
		line = lines[li];
		next = li + 1 < nl ? lines[li + 1] : line + strlen(line) + 1;
		if (!strncmp(line, "tree ", 5)) {
			unsigned long long dev, ino;
			if (sscanf(line + 5, "%llu %llu", &dev, &ino) != 2)
				goto done;
			mine = !seen && dev == (unsigned long long)sst.st_dev && ino == (unsigned long long)sst.st_ino;
			seen |= mine;
			keep = !mine && live && dev == (unsigned long long)lst.st_dev &&
			       ino == (unsigned long long)lst.st_ino;
			keep_from = line;
		} else if (!strcmp(line, "end") || !strcmp(line, "end swept")) {
			if (keep && keep_from) {
				/* The live site's section, as it was (lines joined again). */
				char *q;
				for (q = (char *)keep_from; q < next; q++)
					if (!*q)
						*q = '\n';
				free(o->mf_live);
				o->mf_live = xstrndup(keep_from, (size_t)(next - keep_from));
			}
			/* The section's file list is whole only when read to its end. */
			if (mine && !strcmp(line, "end swept"))
				o->mf_complete = 1;
			mine = keep = 0;
			keep_from = NULL;
		} else if (mine && !strncmp(line, "d ", 2)) {
			const char *dir;
			unsigned long long ino;
			long long t[4];
			/* the lines the first pass stat'ed, in the same order */
			int got = di < nd && mf_dir_parse(line + 2, &ino, t) != NULL;
			int st = mf_check_dir(o, got && dok[di] ? &dst[di] : NULL, sst.st_dev, line + 2, &dir);
			di += got;
			const char *slash = dir ? strrchr(dir, '/') : NULL;
			/* A folder not known unchanged in one that is: swept by a
			 * walk (the sweep knows what the unchanged ones hold). */
			if (st < 2 && slash && mf_unchanged(o, dir, (size_t)(slash - dir)))
				vec_push(&o->mf_walk, &o->mf_nwalk, &o->mf_capwalk, (char *)dir);
		} else if (mine && !strncmp(line, "f ", 2)) {
			const char *slash = strrchr(line + 2, '/');
			if (slash && mf_unchanged(o, line + 2, (size_t)(slash - line - 2)))
				vec_push(&o->mf_known, &o->mf_nknown, &o->mf_capknown, line + 2);
		} else if (mine && !strncmp(line, "g ", 2)) {
			char *sp = strchr(line + 2, ' ');
			if (sp && sp[1]) {
				*sp = '\0';
				map_put(&o->mf_groups, sp + 1, strlen(sp + 1), line + 2);
				*sp = ' ';
			}
		}
	}
done:
	free(lines);
	free(dpaths);
	free(dst);
	free(dok);
	if (root >= 0)
		close(root);
	/* mf_known and mf_walk point into the text. */
	o->mf_text = text.ptr;
	free(path);
}

/* Adds the folders of rels[0..n) and those above them to mf_dirs (with
 * the lock held). */
static void mf_add_dirs(odc_out *o, char *const *rels, size_t n)
{
	size_t i;
	for (i = 0; i < n; i++) {
		const char *r = rels[i], *end = strrchr(r, '/');
		/* Deepest first: a folder already there has its parents there. */
		while (end && map_put(&o->mf_dirs, r, (size_t)(end - r), NULL)) {
			while (end > r && *--end != '/')
				;
			if (end == r)
				break;
		}
	}
}

/* out_group_note with the lock held. */
static void group_note_locked(odc_out *o, const char *group, const char *token, char *const *rels, size_t n)
{
	if (!group || !token || strchr(group, '\n') || strchr(token, '\n') || strchr(token, ' '))
		return;
	map_put(&o->mf_note, group, strlen(group), token);
	mf_add_dirs(o, rels, n);
}

void out_group_note(odc_out *o, const char *group, const char *token, char *const *rels, size_t n)
{
	pthread_mutex_lock(&o->mu);
	group_note_locked(o, group, token, rels, n);
	pthread_mutex_unlock(&o->mu);
}

int out_group_kept(odc_out *o, const char *group, const char *token, char *const *rels, size_t n)
{
	char **had;
	size_t i;

	/* mf_ok and mf_groups are only read after out_begin: no lock. */
	if (!o->stage || !o->reused || !group || !token || !(had = map_get(&o->mf_groups, group, strlen(group))) ||
	    !*had || strcmp(*had, token) != 0)
		return 0;
	for (i = 0; i < n; i++) {
		const char *slash = strrchr(rels[i], '/');
		char **ok = slash ? map_get(&o->mf_ok, rels[i], (size_t)(slash - rels[i])) : NULL;
		if (!repo_path_is_safe(rels[i]) || !ok || !*ok)
			return 0; /* its folder changed (or is not known) */
	}
	pthread_mutex_lock(&o->mu);
	for (i = 0; i < n; i++)
		path_record_locked(o, rels[i]);
	group_note_locked(o, group, token, rels, n);
	o->groups_kept++;
	pthread_mutex_unlock(&o->mu);
	return 1;
}

static int cmp_cstr(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Writes the manifest (out_commit, after the sweep): the stage's tree,
 * and the live site's section kept from the last one. A failure costs
 * only the next build's time (no manifest, files checked one by one). */
static void mf_save(odc_out *o)
{
	char *path = mf_path(o->final, ".manifest"), *tmp = mf_path(o->final, ".tmp-manifest");
	char **dirs = NULL;
	size_t nd = 0, i;
	struct stat st, clk;
	int root = open(o->stage, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC), fd;
	int whole = 1; /* swept: the stage holds nothing but the files written */
	struct stat *dst = NULL;
	unsigned char *dok = NULL;
	odc_buf out = ODC_BUF_INIT; /* written with one write(2): 10 MB at 10,000 datasets */
	size_t at = 0;

	if (root < 0 || fstat(root, &st) < 0)
		goto fail;
	/* The clock of the stage's file system, now (see above). */
	unlinkat(root, ".odcat-clock", 0);
	fd = openat(root, ".odcat-clock", O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
	if (fd < 0 || fstat(fd, &clk) < 0) {
		if (fd >= 0)
			close(fd);
		unlinkat(root, ".odcat-clock", 0);
		goto fail;
	}
	close(fd);
	unlinkat(root, ".odcat-clock", 0);
	unlink(tmp);
	buf_puts(&out, "odcat-manifest 2\n");
	if (o->mf_live)
		buf_puts(&out, o->mf_live);
	buf_printf(&out, "tree %llu %llu\n", (unsigned long long)st.st_dev, (unsigned long long)st.st_ino);
	/* Every folder of the tree: after the sweep, those of the files
	 * written (the writers have finished: no lock). */
	for (i = 0; i < o->cappaths; i++)
		if (o->paths[i])
			mf_add_dirs(o, &o->paths[i], 1);
	dirs = xmalloc((o->mf_dirs.n ? o->mf_dirs.n : 1) * sizeof(*dirs));
	for (i = 0; i < o->mf_dirs.cap; i++)
		if (o->mf_dirs.keys[i]) {
			if (!strchr(o->mf_dirs.keys[i], '\n'))
				dirs[nd++] = o->mf_dirs.keys[i];
			else
				whole = 0;
		}
	qsort(dirs, nd, sizeof(*dirs), cmp_cstr); /* a parent before its children */
	dst = xmalloc((nd ? nd : 1) * sizeof(*dst));
	dok = xmalloc(nd ? nd : 1);
	stat_many(root, dirs, nd, dst, dok);
	for (i = 0; i < nd; i++) {
		const struct stat d = dst[i];
		if (!dok[i] || !S_ISDIR(d.st_mode)) {
			whole = 0;
			continue;
		}
		if (d.st_ctim.tv_sec > clk.st_ctim.tv_sec ||
		    (d.st_ctim.tv_sec == clk.st_ctim.tv_sec && d.st_ctim.tv_nsec >= clk.st_ctim.tv_nsec))
			/* Changed too recently to be told from a later change:
			 * recorded without times (never "unchanged"). */
			buf_printf(&out, "d %llu -1 -1 -1 -1 %s\n", (unsigned long long)d.st_ino, dirs[i]);
		else
			buf_printf(&out, "d %llu %lld %ld %lld %ld %s\n", (unsigned long long)d.st_ino,
				(long long)d.st_mtim.tv_sec, d.st_mtim.tv_nsec, (long long)d.st_ctim.tv_sec,
				d.st_ctim.tv_nsec, dirs[i]);
	}
	/* The files: after a sweep, exactly the files written (those at the
	 * top, never "unchanged", are listed by the next sweep anyway). */
	for (i = 0; i < o->cappaths; i++)
		if (o->paths[i] && strchr(o->paths[i], '/')) {
			if (!strchr(o->paths[i], '\n')) {
				buf_put(&out, "f ", 2);
				buf_puts(&out, o->paths[i]);
				buf_put(&out, "\n", 1);
			} else
				whole = 0;
		}
	for (i = 0; i < o->mf_note.cap; i++)
		if (o->mf_note.keys[i])
			buf_printf(&out, "g %s %s\n", o->mf_note.vals[i], o->mf_note.keys[i]);
	/* "swept": the lists are the tree's whole content, so the next
	 * sweep of this tree need not read the unchanged folders. */
	buf_puts(&out, whole ? "end swept\n" : "end\n");
	fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
	if (fd < 0)
		goto fail;
	while (at < out.len) {
		ssize_t k = write(fd, out.ptr + at, out.len - at);
		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0)
			break;
		at += (size_t)k;
	}
	if (close(fd) < 0 || at != out.len || rename(tmp, path) < 0)
		goto fail;
	goto done;
fail:
	unlink(tmp);
	unlink(path);
done:
	if (root >= 0)
		close(root);
	free(dirs);
	free(dst);
	free(dok);
	buf_free(&out);
	free(path);
	free(tmp);
}

/* The site-relative path of the entry being looked at during the sweep,
 * grown in place (one buffer for the whole walk, no printf per entry). */
typedef struct {
	char *p;
	size_t cap;
} relbuf;

/* Puts name (n bytes) after the folder path rel->p[0..len): returns
 * where name starts (after a '/' unless at the top). */
static size_t rel_push(relbuf *rel, size_t len, const char *name, size_t n)
{
	size_t at = len;
	if (len + n + 2 > rel->cap) {
		rel->cap = (len + n + 2) * 2;
		rel->p = xrealloc(rel->p, rel->cap);
	}
	if (len)
		rel->p[at++] = '/';
	memcpy(rel->p + at, name, n + 1);
	return at;
}

/* Removes from folder dfd (taken over, closed here) every file this
 * build did not write, and below it the folders left empty; rel->p[0..len)
 * is its site-relative path. The walk goes by file descriptors (openat,
 * no path resolution from the root per entry) and reads the written set
 * without its lock. Returns the number of entries left in the folder, or
 * -1 when a folder could not be read or an entry not removed (the stage
 * must not be published then: it may hold stale files). */
static long sweep_dir(odc_out *o, int dfd, relbuf *rel, size_t len)
{
	DIR *d = fdopendir(dfd);
	struct dirent *de;
	long left = 0;

	if (!d) {
		close(dfd);
		return -1;
	}
	o->sweep_read++;
	while ((de = readdir(d))) {
		size_t n = strlen(de->d_name), at;
		int is_dir;
		if (de->d_name[0] == '.' && (n == 1 || (n == 2 && de->d_name[1] == '.')))
			continue;
		at = rel_push(rel, len, de->d_name, n);
		if (de->d_type == DT_UNKNOWN) {
			struct stat st;
			is_dir = fstatat(dirfd(d), de->d_name, &st, AT_SYMLINK_NOFOLLOW) == 0 &&
				 S_ISDIR(st.st_mode);
		} else {
			is_dir = de->d_type == DT_DIR;
		}
		if (is_dir) {
			int sub = openat(dirfd(d), de->d_name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
			long k = sub < 0 ? -1 : sweep_dir(o, sub, rel, at + n);
			if (k < 0) {
				left = -1;
				break;
			}
			/* Only a folder left empty is removed: no rmdir attempt
			 * on the folders that keep files (nearly all). */
			if (k > 0)
				left++;
			else if (unlinkat(dirfd(d), de->d_name, AT_REMOVEDIR) < 0) {
				left = -1;
				break;
			}
		} else if (written_now(o, rel->p)) {
			left++;
		} else if (unlinkat(dirfd(d), de->d_name, 0) < 0 && errno != ENOENT) {
			left = -1;
			break;
		}
	}
	if (left < 0) {
		int e = errno;
		closedir(d);
		errno = e;
	} else {
		closedir(d);
	}
	rel->p[len] = '\0';
	return left;
}

/* Removes from the stage every file this build did not write, and the
 * folders left empty. Returns 0 or -1. */
static int sweep(odc_out *o)
{
	relbuf rel = {xmalloc(256), 256};
	int fd = open(o->stage, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	long k;

	rel.p[0] = '\0';
	k = fd < 0 ? -1 : sweep_dir(o, fd, &rel, 0);
	free(rel.p);
	return k < 0 ? -1 : 0;
}

/* Removes folder dir (site-relative) if it is empty, and then each folder
 * above it that this leaves empty. */
static void rmdir_up(int root, char *dir)
{
	for (;;) {
		char *slash;
		if (unlinkat(root, dir, AT_REMOVEDIR) < 0)
			return; /* not empty (or gone): nothing above changes */
		if (!(slash = strrchr(dir, '/')))
			return;
		*slash = '\0';
	}
}

/* The sweep when the manifest lists every file the stage's tree held in
 * its unchanged folders (out.h): those files not written by this build go
 * without a look at the folders; only the top folder, the folders not
 * known unchanged and what lies below them are read (sweep_dir). What
 * the stage holds now is what it held (listed, or in the folders read)
 * plus what this build wrote, so this removes what the walk would.
 * Returns 0 or -1. */
static int sweep_known(odc_out *o)
{
	int root = open(o->stage, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC), top, rc = 0;
	relbuf rel = {xmalloc(256), 256};
	char **touched = NULL, **walk = NULL; /* folders to try to remove, to read */
	size_t nt = 0, capt = 0, nw = 0, capw = 0, i;
	DIR *d;
	struct dirent *de;

	if (root < 0 || (top = dup(root)) < 0 || !(d = fdopendir(top))) {
		if (root >= 0)
			close(root);
		free(rel.p);
		return -1;
	}
	o->sweep_read++; /* the top folder */
	for (i = 0; i < o->mf_nknown && rc == 0; i++) {
		const char *k = o->mf_known[i];
		if (written_now(o, k))
			continue;
		if (unlinkat(root, k, 0) == 0)
			vec_push(&touched, &nt, &capt, xstrndup(k, (size_t)(strrchr(k, '/') - k)));
		else if (errno != ENOENT && errno != EISDIR && errno != ENOTDIR)
			rc = -1; /* (a folder there now: this build made it, for files it wrote) */
	}
	/* The top folder: its files, and the folders not known unchanged. */
	while (rc == 0 && (de = readdir(d))) {
		size_t n = strlen(de->d_name);
		struct stat st;
		int is_dir;
		if (de->d_name[0] == '.' && (n == 1 || (n == 2 && de->d_name[1] == '.')))
			continue;
		is_dir = de->d_type == DT_UNKNOWN ? fstatat(root, de->d_name, &st, AT_SYMLINK_NOFOLLOW) == 0 &&
							    S_ISDIR(st.st_mode)
						  : de->d_type == DT_DIR;
		if (!is_dir) {
			if (!written_now(o, de->d_name) && unlinkat(root, de->d_name, 0) < 0 && errno != ENOENT)
				rc = -1;
		} else if (!mf_unchanged(o, de->d_name, n)) {
			vec_push(&walk, &nw, &capw, xstrdup(de->d_name));
		}
	}
	for (i = 0; i < o->mf_nwalk; i++)
		vec_push(&walk, &nw, &capw, xstrdup(o->mf_walk[i]));
	for (i = 0; i < nw && rc == 0; i++) {
		const char *w = walk[i];
		size_t n = strlen(w);
		int fd = openat(root, w, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		long left;
		if (fd < 0) {
			if (errno != ENOENT && errno != ENOTDIR)
				rc = -1;
			continue; /* gone, or a file this build wrote */
		}
		if (n + 1 > rel.cap) {
			rel.cap = 2 * (n + 1);
			rel.p = xrealloc(rel.p, rel.cap);
		}
		memcpy(rel.p, w, n + 1);
		left = sweep_dir(o, fd, &rel, n);
		if (left < 0)
			rc = -1;
		else if (left == 0)
			vec_push(&touched, &nt, &capt, xstrdup(w));
	}
	closedir(d);
	for (i = 0; i < nt; i++) {
		if (rc == 0)
			rmdir_up(root, touched[i]);
		free(touched[i]);
	}
	for (i = 0; i < nw; i++)
		free(walk[i]);
	free(walk);
	free(touched);
	free(rel.p);
	close(root);
	return rc;
}

/* Removes every symbolic link from folder dfd (taken over, closed here)
 * and the folders below it, except below folders the manifest knows
 * unchanged (which hold none: the sweep that recorded them removed them,
 * and an entry added since would have changed them). rel->p[0..len) is
 * its site-relative path. odcat makes no links; one in a spare (say, a
 * folder replaced by a link to a copy) would make a file below it look
 * present (out_place keeps it) until the sweep removed the link. */
static void drop_links(odc_out *o, int dfd, relbuf *rel, size_t len)
{
	DIR *d = fdopendir(dfd);
	struct dirent *de;

	if (!d) {
		close(dfd);
		return;
	}
	while ((de = readdir(d))) {
		size_t n = strlen(de->d_name), at;
		struct stat st;
		int type = de->d_type;
		if (de->d_name[0] == '.' && (n == 1 || (n == 2 && de->d_name[1] == '.')))
			continue;
		if (type == DT_UNKNOWN)
			type = fstatat(dirfd(d), de->d_name, &st, AT_SYMLINK_NOFOLLOW) < 0 ? DT_UNKNOWN
			       : S_ISLNK(st.st_mode)					  ? DT_LNK
			       : S_ISDIR(st.st_mode)					  ? DT_DIR
											  : DT_REG;
		if (type == DT_LNK) {
			unlinkat(dirfd(d), de->d_name, 0);
			continue;
		}
		if (type != DT_DIR)
			continue;
		at = rel_push(rel, len, de->d_name, n);
		if (!mf_unchanged(o, rel->p, at + n)) {
			int sub = openat(dirfd(d), de->d_name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
			if (sub >= 0)
				drop_links(o, sub, rel, at + n);
		}
		rel->p[len] = '\0';
	}
	closedir(d);
}

/* drop_links over the stage: from the top, and from each folder not known
 * unchanged in one that is (out_begin, before anything is written). */
static void stage_drop_links(odc_out *o)
{
	relbuf rel = {xmalloc(256), 256};
	int root = open(o->stage, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	size_t i;

	rel.p[0] = '\0';
	for (i = 0; root >= 0 && i < o->mf_nwalk; i++) {
		size_t n = strlen(o->mf_walk[i]);
		int fd = openat(root, o->mf_walk[i], O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		if (fd < 0)
			continue;
		if (n + 1 > rel.cap) {
			rel.cap = 2 * (n + 1);
			rel.p = xrealloc(rel.p, rel.cap);
		}
		memcpy(rel.p, o->mf_walk[i], n + 1);
		drop_links(o, fd, &rel, n);
	}
	if (root >= 0) {
		rel.p[0] = '\0';
		drop_links(o, root, &rel, 0);
	}
	free(rel.p);
}

/* Removes <final>.tmp-* and <final>.old-* beside the output folder. */
static void remove_leftovers(const char *final)
{
	const char *slash = strrchr(final, '/');
	char *parent = slash ? xstrndup(final, (size_t)(slash - final) + (slash == final)) : xstrdup(".");
	const char *base = slash ? slash + 1 : final;
	size_t bn = strlen(base);
	DIR *d = opendir(parent);
	struct dirent *de;

	while (d && (de = readdir(d))) {
		if (!strncmp(de->d_name, base, bn) &&
		    (!strncmp(de->d_name + bn, ".tmp-", 5) || !strncmp(de->d_name + bn, ".old-", 5))) {
			odc_buf p = ODC_BUF_INIT;
			buf_printf(&p, "%s/%s", parent, de->d_name);
			out_rmtree(p.ptr);
			buf_free(&p);
		}
	}
	if (d)
		closedir(d);
	free(parent);
}

int out_begin(odc_out *o, const char *dir, odc_buf *msg)
{
	odc_buf t = ODC_BUF_INIT;
	size_t n = strlen(dir);
	struct stat st;

	memset(o, 0, sizeof(*o));
	pthread_mutex_init(&o->mu, NULL);
	o->keep_spare = 1;
	while (n > 1 && dir[n - 1] == '/')
		n--;
	o->final = xstrndup(dir, n);
	if (lstat(o->final, &st) == 0 && !S_ISDIR(st.st_mode)) {
		buf_printf(msg, "output %s exists and is not a folder", o->final);
		return ODC_EIO;
	}
	buf_printf(&t, "%s.lock", o->final);
	o->lock_fd = open(t.ptr, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0644);
	if (o->lock_fd < 0) {
		buf_printf(msg, "cannot create the lock file %s: %s", t.ptr, strerror(errno));
		buf_free(&t);
		return ODC_EIO;
	}
	if (flock(o->lock_fd, LOCK_EX | LOCK_NB) < 0) {
		buf_printf(msg, "another odcat build is writing %s (it holds %s)", o->final, t.ptr);
		close(o->lock_fd);
		buf_free(&t);
		return ODC_EIO;
	}
	o->locked = 1;
	buf_clear(&t);
	remove_leftovers(o->final);
	buf_printf(&t, "%s.tmp-XXXXXX", o->final);
	if (!mkdtemp(t.ptr)) {
		buf_printf(msg, "cannot create the staging folder %s: %s", t.ptr, strerror(errno));
		buf_free(&t);
		return ODC_EIO;
	}
	chmod(t.ptr, 0755);
	o->stage = buf_detach(&t);
	/* The tree the last build swapped out becomes this build's stage. */
	buf_printf(&t, "%s.spare", o->final);
	if (lstat(t.ptr, &st) == 0 && S_ISDIR(st.st_mode)) {
		if (rename(t.ptr, o->stage) == 0)
			o->reused = 1;
		else
			out_rmtree(t.ptr);
	}
	buf_free(&t);
	/* Before anything is written into the stage (see out_group_kept). */
	mf_load(o);
	if (o->reused)
		stage_drop_links(o);
	return ODC_OK;
}

/* Creates every parent folder of path below its first skip bytes (the stage). */
static int mkparents(char *path, size_t skip)
{
	char *p;
	for (p = strchr(path + skip + 1, '/'); p; p = strchr(p + 1, '/')) {
		struct stat st;
		*p = '\0';
		if (mkdir(path, 0755) < 0 &&
		    (errno != EEXIST ||
		     /* a stage taken over from the spare may hold a file there */
		     (lstat(path, &st) == 0 && !S_ISDIR(st.st_mode) &&
		      (unlink(path) < 0 || mkdir(path, 0755) < 0)))) {
			*p = '/';
			return -1;
		}
		*p = '/';
	}
	return 0;
}

/* Removes what the stage holds at path: a file, or (in a spare) a folder. */
static void clear_path(const char *path)
{
	if (unlink(path) < 0 && (errno == EISDIR || errno == EPERM))
		out_rmtree(path);
}

/* Whether file path holds exactly data (len bytes). */
static int same_file(const char *path, const void *data, size_t len)
{
	char tmp[65536];
	const char *d = data;
	struct stat st;
	size_t at = 0;
	int fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC), same = 0;

	if (fd < 0)
		return 0;
	if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && (size_t)st.st_size == len) {
		same = 1;
		while (same && at < len) {
			ssize_t k = read(fd, tmp, sizeof(tmp));
			if (k <= 0 || (size_t)k > len - at || memcmp(tmp, d + at, (size_t)k) != 0)
				same = 0;
			else
				at += (size_t)k;
		}
	}
	close(fd);
	return same && at == len;
}

int out_write(odc_out *o, const char *relpath, const void *data, size_t len)
{
	odc_buf p = ODC_BUF_INIT, old = ODC_BUF_INIT;
	const char *d = data;
	int fd, rc = ODC_OK;

	if (!o->stage || !repo_path_is_safe(relpath))
		return ODC_EINVALID;
	path_record(o, relpath);
	buf_printf(&p, "%s/%s", o->stage, relpath);
	/* A stage taken over from the spare may hold these bytes already. */
	if (o->reused && same_file(p.ptr, data, len)) {
		buf_free(&p);
		return ODC_OK;
	}
	/* Else a new inode: a file of the stage may be a hard link to the
	 * build cache or the live site, which must not change through it. */
	clear_path(p.ptr);
	/* A file the current site already holds byte for byte is linked
	 * from it, not written again: cheaper to make, and cheaper to remove
	 * with the old site (no blocks to free). The bytes are compared, so
	 * the output is the same either way. */
	buf_printf(&old, "%s/%s", o->final, relpath);
	if (same_file(old.ptr, data, len) &&
	    (link(old.ptr, p.ptr) == 0 ||
	     (errno == ENOENT && mkparents(p.ptr, strlen(o->stage)) == 0 && link(old.ptr, p.ptr) == 0))) {
		buf_free(&old);
		buf_free(&p);
		return ODC_OK;
	}
	buf_free(&old);
	fd = open(p.ptr, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
	if (fd < 0 && errno == ENOENT) {
		/* Parent folders are made only when missing. */
		if (mkparents(p.ptr, strlen(o->stage)) < 0) {
			buf_free(&p);
			return ODC_EIO;
		}
		fd = open(p.ptr, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
	}
	if (fd < 0) {
		buf_free(&p);
		return ODC_EIO;
	}
	while (len > 0) {
		ssize_t k = write(fd, d, len);
		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0) {
			rc = ODC_EIO;
			break;
		}
		d += k;
		len -= (size_t)k;
	}
	if (close(fd) < 0)
		rc = ODC_EIO;
	buf_free(&p);
	return rc;
}

int out_claim(odc_out *o, const char *relpath, odc_buf *abs)
{
	char *slash;
	struct stat st;

	if (!o->stage || !repo_path_is_safe(relpath))
		return ODC_EINVALID;
	path_record(o, relpath);
	buf_clear(abs);
	buf_printf(abs, "%s/%s", o->stage, relpath);
	if (unlink(abs->ptr) == 0)
		return ODC_OK;
	if (errno == EISDIR || errno == EPERM)
		out_rmtree(abs->ptr);
	else if (errno != ENOENT)
		return ODC_OK;
	slash = strrchr(abs->ptr, '/');
	*slash = '\0';
	if (lstat(abs->ptr, &st) == 0) {
		*slash = '/';
		return ODC_OK;
	}
	*slash = '/';
	return mkparents(abs->ptr, strlen(o->stage)) == 0 ? ODC_OK : ODC_EIO;
}

int out_place(odc_out *o, const char *src, const struct stat *src_st, const char *relpath)
{
	odc_buf p = ODC_BUF_INIT;
	struct stat a, b;
	int rc;

	if (!o->stage || !repo_path_is_safe(relpath))
		return -1;
	path_record(o, relpath);
	buf_printf(&p, "%s/%s", o->stage, relpath);
	if (src_st)
		a = *src_st;
	if (o->reused && lstat(p.ptr, &b) == 0 && S_ISREG(b.st_mode) && (src_st || stat(src, &a) == 0) &&
	    a.st_ino == b.st_ino && a.st_dev == b.st_dev) {
		buf_free(&p);
		return 0;
	}
	rc = out_place_file(src, p.ptr, strlen(o->stage));
	buf_free(&p);
	return rc;
}

static int read_file(const char *path, odc_buf *b)
{
	char tmp[65536];
	int fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	ssize_t k;
	if (fd < 0)
		return -1;
	while ((k = read(fd, tmp, sizeof(tmp))) > 0)
		buf_put(b, tmp, (size_t)k);
	close(fd);
	return k < 0 ? -1 : 0;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int out_list_dir(const char *dir, char ***names_out, size_t *n_out)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	char **names = NULL;
	size_t n = 0, cap = 0;

	*names_out = NULL;
	*n_out = 0;
	if (!d)
		return ODC_ENOTFOUND;
	while ((de = readdir(d))) {
		if (de->d_name[0] == '.')
			continue;
		if (n == cap) {
			cap = cap ? cap * 2 : 16;
			names = xrealloc(names, cap * sizeof(*names));
		}
		names[n++] = xstrdup(de->d_name);
	}
	closedir(d);
	if (n)
		qsort(names, n, sizeof(*names), cmp_str);
	*names_out = names;
	*n_out = n;
	return ODC_OK;
}

int out_copy_tree(odc_out *o, const char *src, const char *dst)
{
	char **names;
	size_t n, i;
	int rc = ODC_OK;

	if (out_list_dir(src, &names, &n) < 0)
		return ODC_ENOTFOUND;
	for (i = 0; i < n; i++) {
		odc_buf s = ODC_BUF_INIT, t = ODC_BUF_INIT;
		struct stat st;
		buf_printf(&s, "%s/%s", src, names[i]);
		buf_printf(&t, "%s/%s", dst, names[i]);
		if (lstat(s.ptr, &st) == 0) {
			if (S_ISDIR(st.st_mode)) {
				if (out_copy_tree(o, s.ptr, t.ptr) < 0)
					rc = ODC_EIO;
			} else if (S_ISREG(st.st_mode)) {
				odc_buf data = ODC_BUF_INIT;
				if (read_file(s.ptr, &data) < 0 || out_write(o, t.ptr, data.ptr, data.len) < 0)
					rc = ODC_EIO;
				buf_free(&data);
			}
		}
		buf_free(&s);
		buf_free(&t);
		free(names[i]);
	}
	free(names);
	return rc;
}

/* The tree swapped out (at path) becomes the spare, or goes. */
static void keep_as_spare(odc_out *o, const char *path)
{
	odc_buf sp = ODC_BUF_INIT;
	buf_printf(&sp, "%s.spare", o->final);
	out_rmtree(sp.ptr); /* none, unless another tool made one */
	if (!o->keep_spare || rename(path, sp.ptr) < 0)
		out_rmtree(path);
	buf_free(&sp);
}

int out_commit(odc_out *o, odc_buf *msg)
{
	struct stat st;

	/* Every writer has finished (out.h): the sweep reads the written
	 * set without the lock. A new stage is swept too (it should hold
	 * nothing else): then its manifest lists all it holds, and the build
	 * that takes it over as the spare needs no walk. */
	if ((o->reused && o->mf_complete ? sweep_known(o) : sweep(o)) < 0) {
		buf_printf(msg, "cannot remove the files this build did not write from %s: %s", o->stage,
			   strerror(errno));
		return ODC_EIO;
	}
	mf_save(o);
	if (lstat(o->final, &st) < 0) {
		if (rename(o->stage, o->final) < 0) {
			buf_printf(msg, "cannot move %s to %s: %s", o->stage, o->final, strerror(errno));
			return ODC_EIO;
		}
		free(o->stage);
		o->stage = NULL;
		return ODC_OK;
	}
	if (renameat2(AT_FDCWD, o->stage, AT_FDCWD, o->final, RENAME_EXCHANGE) == 0) {
		/* The stage now holds the old site. */
		keep_as_spare(o, o->stage);
	} else {
		/* No RENAME_EXCHANGE (old kernel, some file systems): two renames. */
		odc_buf old = ODC_BUF_INIT;
		buf_printf(&old, "%s.old-XXXXXX", o->final);
		if (!mkdtemp(old.ptr) || rmdir(old.ptr) < 0 || rename(o->final, old.ptr) < 0) {
			buf_printf(msg, "cannot replace %s: %s", o->final, strerror(errno));
			buf_free(&old);
			return ODC_EIO;
		}
		if (rename(o->stage, o->final) < 0) {
			buf_printf(msg, "cannot move %s to %s: %s", o->stage, o->final, strerror(errno));
			rename(old.ptr, o->final);
			buf_free(&old);
			return ODC_EIO;
		}
		keep_as_spare(o, old.ptr);
		buf_free(&old);
	}
	free(o->stage);
	o->stage = NULL;
	return ODC_OK;
}

void out_abort(odc_out *o)
{
	if (o->stage) {
		/* A stage that was the spare stays the spare: its files are
		 * checked again by the next build anyway. */
		if (o->reused)
			keep_as_spare(o, o->stage);
		else
			out_rmtree(o->stage);
		free(o->stage);
		o->stage = NULL;
	}
}

int out_place_file(const char *src, const char *dst, size_t skip)
{
	char *d = xstrdup(dst);
	char buf[65536];
	int in = -1, out = -1, rc = -1;
	ssize_t k;

	clear_path(d);
	if (link(src, d) == 0 ||
	    (errno == ENOENT && mkparents(d, skip) == 0 && link(src, d) == 0)) {
		rc = 0;
		goto done;
	}
	if (mkparents(d, skip) < 0)
		goto done;
	in = open(src, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	out = in < 0 ? -1 : open(d, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0644);
	if (out < 0)
		goto done;
	while ((k = read(in, buf, sizeof(buf))) > 0) {
		const char *p = buf;
		while (k > 0) {
			ssize_t w = write(out, p, (size_t)k);
			if (w < 0 && errno == EINTR)
				continue;
			if (w <= 0)
				goto done;
			p += w;
			k -= w;
		}
	}
	rc = k < 0 ? -1 : 0;
done:
	if (in >= 0)
		close(in);
	if (out >= 0 && close(out) < 0)
		rc = -1;
	free(d);
	return rc;
}

void out_free(odc_out *o)
{
	out_abort(o);
	if (o->locked) {
		close(o->lock_fd); /* releases the lock */
		o->locked = 0;
	}
	free(o->final);
	o->final = NULL;
	paths_free(o);
	map_free(&o->mf_ok);
	map_free(&o->mf_groups);
	map_free(&o->mf_note);
	map_free(&o->mf_dirs);
	free(o->mf_live);
	o->mf_live = NULL;
	free(o->mf_known);
	free(o->mf_walk);
	free(o->mf_text);
	o->mf_known = o->mf_walk = NULL;
	o->mf_text = NULL;
	pthread_mutex_destroy(&o->mu);
}
