/*
 * repo.c — reading one revision of the catalogue repository (see repo.h).
 *
 * Two back ends behind one interface: the tree of a commit through libgit2
 * (what `build` publishes), and the working tree on disk (`--worktree`,
 * what a steward previews before committing). The working-tree back end
 * uses lstat and O_NOFOLLOW so that a symbolic link is reported, never
 * followed, exactly as a link stored in a commit is.
 */
#include "repo.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <git2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include "digest.h"
#include "odc.h"

struct odc_repo {
	git_repository *repo;
	git_odb *odb;
	git_tree *tree;    /* NULL in worktree mode */
	char *workdir;     /* worktree mode: the root folder, ending in '/' */
	char *gitdir;      /* the .git folder, ending in '/' (LFS objects), or NULL */
	int64_t time;
	int offset;        /* minutes east of UTC of time */
	char id[GIT_OID_HEXSZ + 1];
	git_oid head;      /* the commit walked by repo_walk */
	int has_head;
	int shallow;
};

void repo_global_init(void)
{
	git_libgit2_init();
	/* libgit2 re-hashes every object it reads with collision-detecting
	 * SHA-1 (a sixth of the time of checking a large CSV). git itself
	 * verifies objects when they are fetched or cloned, and odcat hashes
	 * every published file with SHA-256 anyway. */
	git_libgit2_opts(GIT_OPT_ENABLE_STRICT_HASH_VERIFICATION, 0);
	/* Pack files are read through memory-mapped windows, whose pages
	 * stay resident while mapped: small windows and a low limit on what is
	 * mapped at once keep a large blob's compressed bytes from adding to
	 * the blob itself in memory. */
	git_libgit2_opts(GIT_OPT_SET_MWINDOW_SIZE, (size_t)32 << 20);
	git_libgit2_opts(GIT_OPT_SET_MWINDOW_MAPPED_LIMIT, (size_t)64 << 20);
	/* libgit2 caches trees only up to 4 KiB by default: the datasets/
	 * folder of a large catalogue (about 50 bytes an entry) was inflated
	 * again for every path looked up through it — most of the time of
	 * checking 1,000 small datasets from a pack, and quadratic in the
	 * number of datasets (a 10,000-dataset build, --jobs 1: 152 s of CPU
	 * before, 39 s after). Trees up to 16 MiB stay in the object cache. */
	git_libgit2_opts(GIT_OPT_SET_CACHE_OBJECT_LIMIT, GIT_OBJECT_TREE, (size_t)16 << 20);
}

void repo_global_shutdown(void)
{
	git_libgit2_shutdown();
}

int repo_path_is_safe(const char *path)
{
	const char *p = path, *seg;

	if (!path || !*path || *path == '/')
		return 0;
	for (seg = p;; p++) {
		if (*p == '\\')
			return 0;
		if (*p == '/' || *p == '\0') {
			size_t n = (size_t)(p - seg);
			if (n == 0 || (n == 1 && seg[0] == '.') ||
			    (n == 2 && seg[0] == '.' && seg[1] == '.'))
				return 0;
			if (*p == '\0')
				return 1;
			seg = p + 1;
		}
	}
}

static const char *git_msg(void)
{
	const git_error *e = git_error_last();
	return e && e->message ? e->message : "unknown libgit2 error";
}

int repo_open(odc_repo **out, const char *path, const char *ref, int worktree,
	      odc_buf *msg, odc_buf *hint)
{
	odc_repo *r = xcalloc(1, sizeof(*r));
	git_object *obj = NULL;
	git_commit *commit = NULL;
	int rc = ODC_OK, err;

	*out = NULL;
	err = git_repository_open_ext(&r->repo, path, 0, NULL);
	if (err < 0) {
		const char *m = git_msg();
		buf_printf(msg, "%s is not a git repository (or cannot be opened): %s", path, m);
		if (strstr(m, "safe.directory"))
			buf_printf(hint, "the repository belongs to another user; run "
					 "'git config --global --add safe.directory <path>' if you trust it");
		else
			buf_printf(hint, "run odcat inside the catalogue's git repository or "
					 "pass --repo DIR; create one with 'git init' and commit odcat.json");
		rc = ODC_ENOTFOUND;
		goto done;
	}
	if (git_repository_odb(&r->odb, r->repo) < 0) {
		buf_printf(msg, "cannot open the object database of %s: %s", path, git_msg());
		rc = ODC_EINVALID;
		goto done;
	}
	r->shallow = git_repository_is_shallow(r->repo) == 1;
	r->gitdir = xstrdup(git_repository_path(r->repo));

	if (worktree) {
		const char *wd = git_repository_workdir(r->repo);
		if (!wd) {
			buf_printf(msg, "%s is a bare repository: it has no working tree", path);
			buf_printf(hint, "drop --worktree to read a commit");
			rc = ODC_EINVALID;
			goto done;
		}
		r->workdir = xstrdup(wd);
		strcpy(r->id, "worktree");
		/* "Today" is still the last commit's time, if there is one. */
		if (git_revparse_single(&obj, r->repo, ref ? ref : "HEAD") == 0 &&
		    git_object_peel((git_object **)&commit, obj, GIT_OBJECT_COMMIT) == 0) {
			r->time = (int64_t)git_commit_time(commit);
			r->offset = git_commit_time_offset(commit);
			git_oid_cpy(&r->head, git_commit_id(commit));
			r->has_head = 1;
		}
		goto done;
	}

	if (git_revparse_single(&obj, r->repo, ref ? ref : "HEAD") < 0 ||
	    git_object_peel((git_object **)&commit, obj, GIT_OBJECT_COMMIT) < 0) {
		buf_printf(msg, "unknown revision '%s': %s", ref ? ref : "HEAD", git_msg());
		if (!ref && git_repository_head_unborn(r->repo) == 1)
			buf_printf(hint, "the repository has no commits yet: commit odcat.json and "
					 "datasets/ first, or preview with --worktree");
		else
			buf_printf(hint, "give a branch, tag or commit id that exists "
					 "(see 'git log --oneline')");
		rc = ODC_ENOTFOUND;
		goto done;
	}
	if (git_commit_tree(&r->tree, commit) < 0) {
		buf_printf(msg, "cannot read the tree of '%s': %s", ref ? ref : "HEAD", git_msg());
		rc = ODC_EINVALID;
		goto done;
	}
	r->time = (int64_t)git_commit_time(commit);
	r->offset = git_commit_time_offset(commit);
	git_oid_cpy(&r->head, git_commit_id(commit));
	r->has_head = 1;
	git_oid_tostr(r->id, sizeof(r->id), git_commit_id(commit));

done:
	git_commit_free(commit);
	git_object_free(obj);
	if (rc < 0)
		repo_free(r);
	else
		*out = r;
	return rc;
}

int repo_open_dir(odc_repo **out, const char *dir)
{
	struct stat st;
	odc_repo *r;
	odc_buf p = ODC_BUF_INIT;

	*out = NULL;
	if (stat(dir, &st) < 0 || !S_ISDIR(st.st_mode))
		return ODC_ENOTFOUND;
	r = xcalloc(1, sizeof(*r));
	buf_puts(&p, dir);
	if (p.len == 0 || p.ptr[p.len - 1] != '/')
		buf_putc(&p, '/');
	r->workdir = buf_detach(&p);
	strcpy(r->id, "folder");
	*out = r;
	return ODC_OK;
}

void repo_free(odc_repo *r)
{
	if (!r)
		return;
	git_tree_free(r->tree);
	git_odb_free(r->odb);
	git_repository_free(r->repo);
	free(r->workdir);
	free(r->gitdir);
	free(r);
}

int64_t repo_time(const odc_repo *r)
{
	return r->time;
}

const char *repo_commit_id(const odc_repo *r)
{
	return r->id;
}

int repo_is_shallow(const odc_repo *r)
{
	return r->shallow;
}

/* Inflates loose object id (of inflated body size len) from its file
 * into a malloc'd buffer, 64 KiB of compressed input at a time. Returns -1
 * when there is no such loose file or it is not a blob of that size; the
 * caller then asks libgit2. */
static int read_loose(odc_repo *r, const git_oid *id, size_t len, odc_blob *out)
{
	char hex[GIT_OID_HEXSZ + 1];
	odc_buf path = ODC_BUF_INIT;
	unsigned char in[65536];
	char head[64];
	size_t headlen = 0, got = 0;
	char *data = NULL;
	z_stream z;
	int fd, zrc = Z_OK, in_body = 0, ok = -1;

	git_oid_tostr(hex, sizeof(hex), id);
	buf_printf(&path, "%sobjects/%.2s/%s", git_repository_path(r->repo), hex, hex + 2);
	fd = open(path.ptr, O_RDONLY | O_CLOEXEC);
	buf_free(&path);
	if (fd < 0)
		return -1;
	memset(&z, 0, sizeof(z));
	if (inflateInit(&z) != Z_OK) {
		close(fd);
		return -1;
	}
	data = xmalloc(len + 1);
	while (zrc != Z_STREAM_END) {
		ssize_t k = read(fd, in, sizeof(in));
		if (k <= 0)
			break;
		z.next_in = in;
		z.avail_in = (uInt)k;
		while (z.avail_in > 0 && zrc != Z_STREAM_END) {
			if (!in_body) {
				/* The header "blob <size>\0" comes first, byte by byte. */
				char c;
				z.next_out = (Bytef *)&c;
				z.avail_out = 1;
				zrc = inflate(&z, Z_NO_FLUSH);
				if (zrc != Z_OK && zrc != Z_STREAM_END)
					goto done;
				if (z.avail_out == 0) {
					if (headlen + 1 >= sizeof(head))
						goto done;
					head[headlen++] = c;
					if (c == '\0') {
						char want[64];
						snprintf(want, sizeof(want), "blob %zu", len);
						if (strcmp(head, want) != 0)
							goto done;
						in_body = 1;
					}
				}
				continue;
			}
			z.next_out = (Bytef *)data + got;
			z.avail_out = (uInt)((len - got) > (1u << 30) ? (1u << 30) : (len - got));
			if (z.avail_out == 0)
				goto done;
			zrc = inflate(&z, Z_NO_FLUSH);
			if (zrc != Z_OK && zrc != Z_STREAM_END)
				goto done;
			got = (size_t)((char *)z.next_out - data);
		}
	}
	if (zrc == Z_STREAM_END && in_body && got == len)
		ok = 0;
done:
	inflateEnd(&z);
	close(fd);
	if (ok < 0) {
		free(data);
		return -1;
	}
	out->data = data;
	out->len = len;
	out->priv = data;
	out->is_git = 0;
	return 0;
}

static odc_entry_kind kind_of_mode(git_filemode_t m)
{
	switch (m) {
	case GIT_FILEMODE_BLOB:
	case GIT_FILEMODE_BLOB_EXECUTABLE: return ODC_ENTRY_FILE;
	case GIT_FILEMODE_TREE: return ODC_ENTRY_DIR;
	case GIT_FILEMODE_LINK: return ODC_ENTRY_LINK;
	case GIT_FILEMODE_COMMIT: return ODC_ENTRY_SUBMODULE;
	default: return ODC_ENTRY_OTHER;
	}
}

static odc_entry_kind kind_of_stat(const struct stat *st)
{
	if (S_ISREG(st->st_mode))
		return ODC_ENTRY_FILE;
	if (S_ISDIR(st->st_mode))
		return ODC_ENTRY_DIR;
	if (S_ISLNK(st->st_mode))
		return ODC_ENTRY_LINK;
	return ODC_ENTRY_OTHER;
}

/* Builds workdir + path into b. */
static void wt_path(const odc_repo *r, const char *path, odc_buf *b)
{
	buf_puts(b, r->workdir);
	buf_puts(b, path);
}

static int cmp_entry(const void *a, const void *b)
{
	return strcmp(((const odc_entry *)a)->name, ((const odc_entry *)b)->name);
}

static int cmp_entry_name(const void *a, const void *b)
{
	return strcmp(((const odc_id_entry *)a)->name, ((const odc_id_entry *)b)->name);
}

int repo_list(odc_repo *r, const char *dir, odc_entry **out, size_t *n)
{
	odc_entry *e = NULL;
	size_t cnt = 0, cap = 0;
	int rc = ODC_OK;

	*out = NULL;
	*n = 0;
	if (*dir && !repo_path_is_safe(dir))
		return ODC_EINVALID;

	if (r->workdir) {
		odc_buf p = ODC_BUF_INIT;
		DIR *d;
		struct dirent *de;
		struct stat st;

		wt_path(r, dir, &p);
		if (lstat(buf_cstr(&p), &st) < 0) {
			buf_free(&p);
			return ODC_ENOTFOUND;
		}
		if (!S_ISDIR(st.st_mode)) {
			buf_free(&p);
			return ODC_ETYPE;
		}
		d = opendir(buf_cstr(&p));
		if (!d) {
			buf_free(&p);
			return ODC_EIO;
		}
		while ((de = readdir(d))) {
			odc_buf q = ODC_BUF_INIT;
			if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
				continue;
			if (!*dir && !strcmp(de->d_name, ".git"))
				continue;
			buf_printf(&q, "%s/%s", buf_cstr(&p), de->d_name);
			if (lstat(buf_cstr(&q), &st) < 0) {
				buf_free(&q);
				continue;
			}
			buf_free(&q);
			if (cnt == cap) {
				cap = cap ? cap * 2 : 16;
				e = xrealloc(e, cap * sizeof(*e));
			}
			e[cnt].name = xstrdup(de->d_name);
			e[cnt].kind = kind_of_stat(&st);
			cnt++;
		}
		closedir(d);
		buf_free(&p);
	} else {
		git_tree *t = NULL;
		git_tree_entry *te = NULL;
		size_t i, count;

		if (!*dir) {
			t = r->tree;
		} else {
			if (git_tree_entry_bypath(&te, r->tree, dir) < 0)
				return ODC_ENOTFOUND;
			if (git_tree_entry_type(te) != GIT_OBJECT_TREE ||
			    git_tree_entry_filemode(te) != GIT_FILEMODE_TREE) {
				git_tree_entry_free(te);
				return ODC_ETYPE;
			}
			if (git_tree_lookup(&t, r->repo, git_tree_entry_id(te)) < 0) {
				git_tree_entry_free(te);
				return ODC_EIO;
			}
			git_tree_entry_free(te);
		}
		count = git_tree_entrycount(t);
		e = xcalloc(count ? count : 1, sizeof(*e));
		for (i = 0; i < count; i++) {
			const git_tree_entry *x = git_tree_entry_byindex(t, i);
			e[cnt].name = xstrdup(git_tree_entry_name(x));
			e[cnt].kind = kind_of_mode(git_tree_entry_filemode(x));
			cnt++;
		}
		if (t != r->tree)
			git_tree_free(t);
	}
	if (cnt)
		qsort(e, cnt, sizeof(*e), cmp_entry);
	*out = e;
	*n = cnt;
	return rc;
}

void repo_entries_free(odc_entry *e, size_t n)
{
	size_t i;
	for (i = 0; i < n; i++)
		free(e[i].name);
	free(e);
}

static int lfs_pointer(odc_repo *r, const char *path, size_t size, char oid[65], uint64_t *lsize);
static int stat_raw(odc_repo *r, const char *path, odc_entry_kind *kind, size_t *size);

int repo_stat(odc_repo *r, const char *path, odc_entry_kind *kind, size_t *size)
{
	int rc = stat_raw(r, path, kind, size);
	char oid[65];
	uint64_t lsize;
	if (rc == ODC_OK && *kind == ODC_ENTRY_FILE && lfs_pointer(r, path, *size, oid, &lsize))
		*size = (size_t)lsize;
	return rc;
}

static int stat_raw(odc_repo *r, const char *path, odc_entry_kind *kind, size_t *size)
{
	if (!repo_path_is_safe(path))
		return ODC_EINVALID;
	*size = 0;
	if (r->workdir) {
		odc_buf p = ODC_BUF_INIT;
		struct stat st;
		int err;
		wt_path(r, path, &p);
		err = lstat(buf_cstr(&p), &st);
		buf_free(&p);
		if (err < 0)
			return ODC_ENOTFOUND;
		*kind = kind_of_stat(&st);
		if (*kind == ODC_ENTRY_FILE)
			*size = (size_t)st.st_size;
		return ODC_OK;
	} else {
		git_tree_entry *te = NULL;
		if (git_tree_entry_bypath(&te, r->tree, path) < 0)
			return ODC_ENOTFOUND;
		*kind = kind_of_mode(git_tree_entry_filemode(te));
		if (*kind == ODC_ENTRY_FILE) {
			size_t len;
			git_object_t type;
			if (git_odb_read_header(&len, &type, r->odb, git_tree_entry_id(te)) == 0)
				*size = len;
		}
		git_tree_entry_free(te);
		return ODC_OK;
	}
}

/* Reads path as stored (an LFS pointer stays a pointer). */
static int read_raw(odc_repo *r, const char *path, size_t max, odc_blob *out)
{
	memset(out, 0, sizeof(*out));
	if (!repo_path_is_safe(path))
		return ODC_EINVALID;
	if (r->workdir) {
		odc_buf p = ODC_BUF_INIT;
		struct stat st;
		char *data;
		size_t got = 0;
		int fd;

		wt_path(r, path, &p);
		if (lstat(buf_cstr(&p), &st) < 0) {
			buf_free(&p);
			return ODC_ENOTFOUND;
		}
		if (!S_ISREG(st.st_mode)) {
			buf_free(&p);
			return ODC_ETYPE;
		}
		if ((uint64_t)st.st_size > (uint64_t)max) {
			buf_free(&p);
			return ODC_ELIMIT;
		}
		fd = open(buf_cstr(&p), O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
		buf_free(&p);
		if (fd < 0)
			return errno == ELOOP ? ODC_ETYPE : ODC_EIO;
		/* Large files are mapped, so that their pages can be given back
		 * as they are read (repo_blob_release). */
		if (st.st_size >= (off_t)(1 << 20)) {
			void *m = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
			if (m != MAP_FAILED) {
				close(fd);
				madvise(m, (size_t)st.st_size, MADV_SEQUENTIAL);
				out->data = m;
				out->len = (size_t)st.st_size;
				out->priv = m;
				out->is_git = 2;
				return ODC_OK;
			}
		}
		data = xmalloc((size_t)st.st_size + 1);
		while (got < (size_t)st.st_size) {
			ssize_t k = read(fd, data + got, (size_t)st.st_size - got);
			if (k < 0 && errno == EINTR)
				continue;
			if (k <= 0)
				break;
			got += (size_t)k;
		}
		close(fd);
		out->data = data;
		out->len = got;
		out->priv = data;
		out->is_git = 0;
		return ODC_OK;
	} else {
		git_tree_entry *te = NULL;
		git_blob *blob = NULL;
		odc_entry_kind kind;
		size_t len;
		git_object_t type;

		if (git_tree_entry_bypath(&te, r->tree, path) < 0)
			return ODC_ENOTFOUND;
		kind = kind_of_mode(git_tree_entry_filemode(te));
		if (kind != ODC_ENTRY_FILE) {
			git_tree_entry_free(te);
			return ODC_ETYPE;
		}
		if (git_odb_read_header(&len, &type, r->odb, git_tree_entry_id(te)) < 0) {
			git_tree_entry_free(te);
			return ODC_EIO;
		}
		if (len > max) {
			git_tree_entry_free(te);
			return ODC_ELIMIT;
		}
		/* A large loose object is inflated here, reading its file in
		 * small pieces: libgit2 would map the whole compressed file
		 * next to the blob. Packed objects take the libgit2 path. */
		if (len >= ((size_t)1 << 20) &&
		    read_loose(r, git_tree_entry_id(te), len, out) == 0) {
			git_tree_entry_free(te);
			return ODC_OK;
		}
		if (git_blob_lookup(&blob, r->repo, git_tree_entry_id(te)) < 0) {
			git_tree_entry_free(te);
			return ODC_EIO;
		}
		git_tree_entry_free(te);
		out->data = git_blob_rawcontent(blob);
		out->len = (size_t)git_blob_rawsize(blob);
		out->priv = blob;
		out->is_git = 1;
		return ODC_OK;
	}
}

void repo_blob_free(odc_blob *b)
{
	if (!b->priv)
		return;
	if (b->is_git == 1)
		git_blob_free((git_blob *)b->priv);
	else if (b->is_git == 2)
		munmap(b->priv, b->len);
	else
		free(b->priv);
	memset(b, 0, sizeof(*b));
}

void repo_blob_release(odc_blob *b, size_t upto)
{
	size_t page = (size_t)sysconf(_SC_PAGESIZE);
	if (b->is_git != 2 || upto < page)
		return;
	/* A private read-only file mapping: the pages come back from the file
	 * if they are ever touched again. */
	madvise(b->priv, upto - upto % page, MADV_DONTNEED);
}

/*====================================================================
 * History
 *====================================================================*/

int repo_time_offset(const odc_repo *r)
{
	return r->offset;
}

int repo_walk(odc_repo *r, int (*cb)(const odc_commit *c, void *payload), void *payload)
{
	git_revwalk *w = NULL;
	git_oid oid;
	int rc = ODC_OK, err;
	char(*parents)[ODC_OID_HEX] = NULL;
	size_t cap = 0;

	if (!r->repo || !r->has_head)
		return ODC_OK;
	if (git_revwalk_new(&w, r->repo) < 0)
		return ODC_EIO;
	git_revwalk_sorting(w, GIT_SORT_TOPOLOGICAL | GIT_SORT_TIME);
	if (git_revwalk_push(w, &r->head) < 0) {
		git_revwalk_free(w);
		return ODC_EIO;
	}
	while ((err = git_revwalk_next(&oid, w)) == 0) {
		git_commit *c = NULL;
		odc_commit oc;
		const git_signature *a;
		const char *sum;
		size_t i;
		int stop;

		if (git_commit_lookup(&c, r->repo, &oid) < 0) {
			if (!r->shallow)
				rc = ODC_EIO;
			break;
		}
		memset(&oc, 0, sizeof(oc));
		git_oid_tostr(oc.id, sizeof(oc.id), &oid);
		oc.time = (int64_t)git_commit_time(c);
		oc.offset = git_commit_time_offset(c);
		sum = git_commit_summary(c);
		oc.summary = sum ? sum : "";
		a = git_commit_author(c);
		oc.author = a && a->name ? a->name : "";
		oc.nparents = git_commit_parentcount(c);
		if (oc.nparents > cap) {
			cap = oc.nparents;
			parents = xrealloc(parents, cap * sizeof(*parents));
		}
		for (i = 0; i < oc.nparents; i++)
			git_oid_tostr(parents[i], ODC_OID_HEX, git_commit_parent_id(c, (unsigned)i));
		oc.parents = parents;
		stop = cb(&oc, payload);
		git_commit_free(c);
		if (stop)
			break;
	}
	/* libgit2 1.5 cannot walk past the cut of a shallow clone: there the
	 * history simply ends (the build was told so with --allow-shallow). */
	if (err < 0 && err != GIT_ITEROVER && !r->shallow)
		rc = ODC_EIO;
	free(parents);
	git_revwalk_free(w);
	return rc;
}

/* The tree of commit (hex). */
static int commit_tree(odc_repo *r, const char *commit, git_tree **out)
{
	git_oid oid;
	git_commit *c = NULL;
	int err;

	*out = NULL;
	if (!r->repo || git_oid_fromstr(&oid, commit) < 0 || git_commit_lookup(&c, r->repo, &oid) < 0)
		return ODC_ENOTFOUND;
	err = git_commit_tree(out, c);
	git_commit_free(c);
	return err < 0 ? ODC_ENOTFOUND : ODC_OK;
}

int repo_path_id(odc_repo *r, const char *commit, const char *path, char out[ODC_OID_HEX])
{
	git_tree *t = NULL;
	git_tree_entry *te = NULL;
	int rc;

	out[0] = '\0';
	if ((rc = commit_tree(r, commit, &t)) < 0)
		return rc;
	if (!*path) {
		git_oid_tostr(out, ODC_OID_HEX, git_tree_id(t));
	} else if (git_tree_entry_bypath(&te, t, path) == 0) {
		git_oid_tostr(out, ODC_OID_HEX, git_tree_entry_id(te));
		git_tree_entry_free(te);
	} else {
		rc = ODC_ENOTFOUND;
	}
	git_tree_free(t);
	return rc;
}

int repo_list_ids(odc_repo *r, const char *commit, const char *dir, odc_id_entry **out, size_t *n)
{
	git_tree *root = NULL, *t = NULL;
	git_tree_entry *te = NULL;
	size_t i, count;
	int rc;

	*out = NULL;
	*n = 0;
	if ((rc = commit_tree(r, commit, &root)) < 0)
		return rc;
	if (!*dir) {
		t = root;
		root = NULL;
	} else if (git_tree_entry_bypath(&te, root, dir) < 0 ||
		   git_tree_entry_type(te) != GIT_OBJECT_TREE ||
		   git_tree_lookup(&t, r->repo, git_tree_entry_id(te)) < 0) {
		git_tree_entry_free(te);
		git_tree_free(root);
		return ODC_ENOTFOUND;
	}
	git_tree_entry_free(te);
	count = git_tree_entrycount(t);
	*out = xcalloc(count ? count : 1, sizeof(**out));
	/* Tree entries are sorted by name already, as git sorts them (a
	 * folder as if its name ended in '/'); sort bytewise for callers. */
	for (i = 0; i < count; i++) {
		const git_tree_entry *x = git_tree_entry_byindex(t, i);
		(*out)[i].name = xstrdup(git_tree_entry_name(x));
		git_oid_tostr((*out)[i].id, ODC_OID_HEX, git_tree_entry_id(x));
		(*out)[i].kind = kind_of_mode(git_tree_entry_filemode(x));
	}
	*n = count;
	/* Git's order differs from bytewise only around names that are
	 * prefixes of others: sort only then. */
	for (i = 1; i < count; i++)
		if (cmp_entry_name(&(*out)[i - 1], &(*out)[i]) > 0) {
			qsort(*out, count, sizeof(**out), cmp_entry_name);
			break;
		}
	git_tree_free(t);
	git_tree_free(root);
	return ODC_OK;
}

void repo_id_entries_free(odc_id_entry *e, size_t n)
{
	size_t i;
	for (i = 0; i < n; i++)
		free(e[i].name);
	free(e);
}

static int tree_of_hex(odc_repo *r, const char *hex, git_tree **out)
{
	git_oid oid;
	*out = NULL;
	if (!hex || !*hex)
		return 0;
	if (git_oid_fromstr(&oid, hex) < 0 || git_tree_lookup(out, r->repo, &oid) < 0)
		return -1;
	return 0;
}

static int ends_with_csv(const char *p)
{
	size_t n = strlen(p);
	return n >= 4 && p[n - 4] == '.' && (p[n - 3] | 32) == 'c' && (p[n - 2] | 32) == 's' &&
	       (p[n - 1] | 32) == 'v';
}

int repo_diff_trees(odc_repo *r, const char *old_tree, const char *new_tree, size_t max_bytes,
		    odc_file_change **out, size_t *n)
{
	git_tree *a = NULL, *b = NULL;
	git_diff *diff = NULL;
	git_diff_options opts;
	size_t i, count;
	int rc = ODC_OK;

	*out = NULL;
	*n = 0;
	git_diff_options_init(&opts, GIT_DIFF_OPTIONS_VERSION);
	if (!r->repo || tree_of_hex(r, old_tree, &a) < 0 || tree_of_hex(r, new_tree, &b) < 0) {
		rc = ODC_EIO;
		goto done;
	}
	opts.context_lines = 0;
	opts.max_size = (git_off_t)max_bytes;
	if (git_diff_tree_to_tree(&diff, r->repo, a, b, &opts) < 0) {
		rc = ODC_EIO;
		goto done;
	}
	count = git_diff_num_deltas(diff);
	*out = xcalloc(count ? count : 1, sizeof(**out));
	for (i = 0; i < count; i++) {
		const git_diff_delta *d = git_diff_get_delta(diff, i);
		odc_file_change *fc = &(*out)[*n];
		const char *path = d->new_file.path ? d->new_file.path : d->old_file.path;
		if (d->status == GIT_DELTA_ADDED)
			fc->status = 'A';
		else if (d->status == GIT_DELTA_DELETED)
			fc->status = 'D';
		else if (d->status == GIT_DELTA_MODIFIED)
			fc->status = 'M';
		else
			continue;
		fc->path = xstrdup(path ? path : "");
		fc->added = fc->removed = -1;
		if (ends_with_csv(fc->path) && (size_t)d->old_file.size <= max_bytes &&
		    (size_t)d->new_file.size <= max_bytes && !(d->flags & GIT_DIFF_FLAG_BINARY)) {
			git_patch *p = NULL;
			size_t adds = 0, dels = 0;
			if (git_patch_from_diff(&p, diff, i) == 0 && p &&
			    git_patch_line_stats(NULL, &adds, &dels, p) == 0 &&
			    !(git_patch_get_delta(p)->flags & GIT_DIFF_FLAG_BINARY)) {
				fc->added = (long)adds;
				fc->removed = (long)dels;
			}
			git_patch_free(p);
		}
		(*n)++;
	}
done:
	git_diff_free(diff);
	git_tree_free(a);
	git_tree_free(b);
	return rc;
}

void repo_file_changes_free(odc_file_change *c, size_t n)
{
	size_t i;
	for (i = 0; i < n; i++)
		free(c[i].path);
	free(c);
}

int repo_open_commit(odc_repo **out, odc_repo *r, const char *commit)
{
	odc_repo *o;
	git_commit *c = NULL;
	git_oid oid;

	*out = NULL;
	if (!r->repo || git_oid_fromstr(&oid, commit) < 0)
		return ODC_ENOTFOUND;
	o = xcalloc(1, sizeof(*o));
	if (git_repository_open(&o->repo, git_repository_path(r->repo)) < 0 ||
	    git_repository_odb(&o->odb, o->repo) < 0 || git_commit_lookup(&c, o->repo, &oid) < 0 ||
	    git_commit_tree(&o->tree, c) < 0) {
		git_commit_free(c);
		repo_free(o);
		return ODC_ENOTFOUND;
	}
	o->time = (int64_t)git_commit_time(c);
	o->offset = git_commit_time_offset(c);
	git_oid_cpy(&o->head, &oid);
	o->has_head = 1;
	o->shallow = r->shallow;
	git_oid_tostr(o->id, sizeof(o->id), &oid);
	git_commit_free(c);
	*out = o;
	return ODC_OK;
}

/*====================================================================
 * Git LFS
 *====================================================================*/

/* A pointer file is small: git-lfs itself treats anything over 1024 bytes
 * as content. */
#define LFS_POINTER_MAX 1024
#define LFS_VERSION "version https://git-lfs.github.com/spec/v1\n"

/* Parses a Git LFS pointer (git-lfs docs/spec.md): the version line first,
 * then "key value" lines, among them "oid sha256:<64 hex>" and "size <n>".
 * Returns 1 with oid (lower-case hex) and size, or 0 when data is not a
 * pointer. */
static int lfs_parse(const char *data, size_t len, char oid[65], uint64_t *size)
{
	const char *p = data, *end = data + len;
	int have_oid = 0, have_size = 0;

	if (len > LFS_POINTER_MAX || len < sizeof(LFS_VERSION) - 1 ||
	    memcmp(data, LFS_VERSION, sizeof(LFS_VERSION) - 1) != 0)
		return 0;
	p += sizeof(LFS_VERSION) - 1;
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t n;
		if (!nl)
			return 0; /* every line ends in a newline */
		n = (size_t)(nl - p);
		if (n == 75 && !memcmp(p, "oid sha256:", 11)) {
			size_t i;
			for (i = 0; i < 64; i++) {
				char c = p[11 + i];
				if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f')))
					return 0;
				oid[i] = c;
			}
			oid[64] = '\0';
			have_oid = 1;
		} else if (n > 5 && n < 26 && !memcmp(p, "size ", 5)) {
			uint64_t v = 0;
			size_t i;
			for (i = 5; i < n; i++) {
				if (p[i] < '0' || p[i] > '9')
					return 0;
				v = v * 10 + (uint64_t)(p[i] - '0');
			}
			*size = v;
			have_size = 1;
		}
		p = nl + 1;
	}
	return have_oid && have_size;
}

/* Whether path (of stored size) is an LFS pointer; fills oid and lsize. */
static int lfs_pointer(odc_repo *r, const char *path, size_t size, char oid[65], uint64_t *lsize)
{
	odc_blob b;
	int is = 0;
	if (!r->gitdir || size > LFS_POINTER_MAX || size < sizeof(LFS_VERSION) - 1)
		return 0;
	if (read_raw(r, path, LFS_POINTER_MAX, &b) < 0)
		return 0;
	is = lfs_parse(b.data, b.len, oid, lsize);
	repo_blob_free(&b);
	return is;
}

static void lfs_release(void *payload, size_t upto)
{
	repo_blob_release(payload, upto);
}

/* Maps the LFS object oid, checking its size and SHA-256. */
static int lfs_read(odc_repo *r, const char *oid, uint64_t size, size_t max, odc_blob *out)
{
	odc_buf p = ODC_BUF_INIT;
	struct stat st;
	char got[65];
	void *m;
	int fd;

	memset(out, 0, sizeof(*out));
	if (size > (uint64_t)max)
		return ODC_ELIMIT;
	buf_printf(&p, "%slfs/objects/%.2s/%.2s/%s", r->gitdir, oid, oid + 2, oid);
	fd = open(p.ptr, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	buf_free(&p);
	if (fd < 0)
		return errno == ENOENT ? ODC_ELFSMISSING : ODC_EIO;
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		close(fd);
		return ODC_EIO;
	}
	if ((uint64_t)st.st_size != size) {
		close(fd);
		return ODC_ELFSCORRUPT;
	}
	if (size == 0) {
		close(fd);
		out->data = "";
		digest_sha256_hex("", 0, got);
		return strcmp(got, oid) ? ODC_ELFSCORRUPT : ODC_OK;
	}
	m = mmap(NULL, (size_t)size, PROT_READ, MAP_PRIVATE, fd, 0);
	close(fd);
	if (m == MAP_FAILED)
		return ODC_EIO;
	madvise(m, (size_t)size, MADV_SEQUENTIAL);
	out->data = m;
	out->len = (size_t)size;
	out->priv = m;
	out->is_git = 2;
	/* The object is hashed once here, its pages given back as they are
	 * done; the caller's reading brings them in again from the page cache. */
	digest_sha256_hex_cb(out->data, out->len, got, lfs_release, out);
	if (strcmp(got, oid) != 0) {
		repo_blob_free(out);
		return ODC_ELFSCORRUPT;
	}
	return ODC_OK;
}

int repo_read(odc_repo *r, const char *path, size_t max, odc_blob *out)
{
	char oid[65];
	uint64_t size;
	/* A pointer is read whole before it is known to be one: allow its size. */
	int rc = read_raw(r, path, max > LFS_POINTER_MAX ? max : LFS_POINTER_MAX, out);
	if (rc < 0)
		return rc;
	if (r->gitdir && out->len <= LFS_POINTER_MAX && lfs_parse(out->data, out->len, oid, &size)) {
		repo_blob_free(out);
		return lfs_read(r, oid, size, max, out);
	}
	if (out->len > max) {
		repo_blob_free(out);
		return ODC_ELIMIT;
	}
	return ODC_OK;
}

int repo_reopen(odc_repo **out, const odc_repo *r)
{
	odc_repo *n = xcalloc(1, sizeof(*n));

	*out = NULL;
	n->time = r->time;
	n->shallow = r->shallow;
	memcpy(n->id, r->id, sizeof(n->id));
	n->workdir = r->workdir ? xstrdup(r->workdir) : NULL;
	n->gitdir = r->gitdir ? xstrdup(r->gitdir) : NULL;
	if (r->repo && (git_repository_open(&n->repo, r->gitdir) < 0 ||
			git_repository_odb(&n->odb, n->repo) < 0))
		goto fail;
	if (r->tree && git_tree_lookup(&n->tree, n->repo, git_tree_id(r->tree)) < 0)
		goto fail;
	*out = n;
	return ODC_OK;
fail:
	repo_free(n);
	return ODC_EIO;
}

int repo_entry_id(odc_repo *r, const char *path, char out[41])
{
	git_tree_entry *te = NULL;

	out[0] = '\0';
	if (!r->tree)
		return ODC_ETYPE;
	if (!*path) {
		git_oid_tostr(out, 41, git_tree_id(r->tree));
		return ODC_OK;
	}
	if (!repo_path_is_safe(path))
		return ODC_EINVALID;
	if (git_tree_entry_bypath(&te, r->tree, path) < 0)
		return ODC_ENOTFOUND;
	git_oid_tostr(out, 41, git_tree_entry_id(te));
	git_tree_entry_free(te);
	return ODC_OK;
}
