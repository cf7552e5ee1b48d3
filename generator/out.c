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

/* The slot of path (empty or holding it); the set is never full. */
static size_t path_slot(char **set, size_t cap, const char *path)
{
	size_t i = path_hash(path) & (cap - 1);
	while (set[i] && strcmp(set[i], path) != 0)
		i = (i + 1) & (cap - 1);
	return i;
}

static void path_record(odc_out *o, const char *rel)
{
	size_t i;
	pthread_mutex_lock(&o->mu);
	if ((o->npaths + 1) * 2 > o->cappaths) {
		size_t cap = o->cappaths ? o->cappaths * 2 : 1024, k;
		char **set = xcalloc(cap, sizeof(*set));
		for (k = 0; k < o->cappaths; k++)
			if (o->paths[k])
				set[path_slot(set, cap, o->paths[k])] = o->paths[k];
		free(o->paths);
		o->paths = set;
		o->cappaths = cap;
	}
	i = path_slot(o->paths, o->cappaths, rel);
	if (!o->paths[i]) {
		o->paths[i] = xstrdup(rel);
		o->npaths++;
	}
	pthread_mutex_unlock(&o->mu);
}

int out_written(odc_out *o, const char *rel)
{
	int found;
	pthread_mutex_lock(&o->mu);
	found = o->cappaths && o->paths[path_slot(o->paths, o->cappaths, rel)] != NULL;
	pthread_mutex_unlock(&o->mu);
	return found;
}

static void paths_free(odc_out *o)
{
	size_t i;
	for (i = 0; i < o->cappaths; i++)
		free(o->paths[i]);
	free(o->paths);
	o->paths = NULL;
	o->npaths = o->cappaths = 0;
}

/* Removes from the stage every file this build did not write, and the
 * folders left empty; rel is dir's site-relative path ("" at the root). */
static void sweep(odc_out *o, const char *dir, const char *rel)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	odc_buf p = ODC_BUF_INIT, r = ODC_BUF_INIT;

	if (!d)
		return;
	while ((de = readdir(d))) {
		int is_dir;
		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		buf_clear(&p);
		buf_clear(&r);
		buf_printf(&p, "%s/%s", dir, de->d_name);
		buf_printf(&r, "%s%s%s", rel, *rel ? "/" : "", de->d_name);
		if (de->d_type == DT_UNKNOWN) {
			struct stat st;
			is_dir = lstat(p.ptr, &st) == 0 && S_ISDIR(st.st_mode);
		} else {
			is_dir = de->d_type == DT_DIR;
		}
		if (is_dir) {
			sweep(o, p.ptr, r.ptr);
			rmdir(p.ptr); /* only when empty now */
		} else if (!out_written(o, r.ptr)) {
			unlink(p.ptr);
		}
	}
	closedir(d);
	buf_free(&p);
	buf_free(&r);
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

	if (o->reused)
		sweep(o, o->stage, "");
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
	pthread_mutex_destroy(&o->mu);
}
