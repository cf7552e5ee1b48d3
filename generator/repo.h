/*
 * repo.h — the catalogue repository as odcat sees it: one committed tree.
 *
 * Owns the libgit2 handles (only repo.c includes git2.h). A repository is
 * opened at one revision: the tree of a commit (default HEAD), or, with
 * worktree mode, the files on disk beside .git. Either way callers see the
 * same three operations — list a folder, stat a path, read a file — with
 * paths relative to the repository root, '/'-separated.
 *
 * Paths given to these functions must be relative and free of "." and ".."
 * segments; anything else is ODC_EINVALID (the caller has already refused
 * such a path with a diagnostic; this is a second lock on the door).
 * Symbolic links and submodules are reported as such, never followed.
 */
#ifndef ODC_REPO_H
#define ODC_REPO_H

#include <stddef.h>
#include <stdint.h>

#include "buf.h"

typedef struct odc_repo odc_repo;

typedef enum {
	ODC_ENTRY_FILE,
	ODC_ENTRY_DIR,
	ODC_ENTRY_LINK,      /* symbolic link: never followed */
	ODC_ENTRY_SUBMODULE, /* gitlink: content is not in this repository */
	ODC_ENTRY_OTHER,     /* device, fifo, ... (worktree only) */
} odc_entry_kind;

typedef struct odc_entry {
	char *name; /* owned */
	odc_entry_kind kind;
} odc_entry;

/* The bytes of one file. data is lent by the odc_blob and valid until
 * repo_blob_free; it is not NUL-terminated. */
typedef struct odc_blob {
	const char *data;
	size_t len;
	void *priv; /* git_blob *, a malloc'd copy, or the mapping */
	int is_git; /* 1 git blob, 0 malloc'd, 2 memory-mapped file */
} odc_blob;

/* Initialises libgit2; call once in main before any thread starts. */
void repo_global_init(void);
void repo_global_shutdown(void);

/* Opens the repository containing path at revision ref (NULL = HEAD), or
 * its working tree when worktree is non-zero. On failure returns ODC_ENOTFOUND
 * (not a repository, unknown ref) or ODC_EINVALID and writes a one-line
 * message and a hint into msg and hint. *out belongs to the caller: repo_free. */
int repo_open(odc_repo **out, const char *path, const char *ref, int worktree,
	      odc_buf *msg, odc_buf *hint);
/* Opens a plain folder (no git) with the same interface, as a working
 * tree: for `check --package DIR`. Returns ODC_ENOTFOUND when dir is not a
 * folder. */
int repo_open_dir(odc_repo **out, const char *dir);
void repo_free(odc_repo *r);

/* Lists folder dir ("" = root) sorted by name (bytewise). ODC_ENOTFOUND when
 * it does not exist, ODC_ETYPE when it is not a folder. Free with repo_entries_free. */
int repo_list(odc_repo *r, const char *dir, odc_entry **out, size_t *n);
void repo_entries_free(odc_entry *e, size_t n);

/* Tells what path is and its size in bytes (0 for folders). ODC_ENOTFOUND when absent. */
int repo_stat(odc_repo *r, const char *path, odc_entry_kind *kind, size_t *size);

/* Reads file path. ODC_ENOTFOUND when absent, ODC_ETYPE when it is not a
 * regular file (folder, symlink, submodule), ODC_ELIMIT when larger than max
 * bytes (checked before reading). Release with repo_blob_free.
 *
 * A file stored as a Git LFS pointer (a small text starting with
 * "version https://git-lfs.github.com/spec/v1", with "oid sha256:<hex>" and
 * "size <n>") reads as the object it points to, from
 * .git/lfs/objects/<aa>/<bb>/<oid>: mapped, not copied, its SHA-256 and
 * size checked while it is hashed in 8 MiB steps whose pages are given back.
 * ODC_ELFSMISSING when the object is not there (not fetched), ODC_ELFSCORRUPT
 * when its size or hash differs from the pointer's. repo_stat reports the
 * pointer's size. */
int repo_read(odc_repo *r, const char *path, size_t max, odc_blob *out);
void repo_blob_free(odc_blob *b);
/* Tells that the first upto bytes of b will not be read again, so that a
 * memory-mapped working-tree file can give back their pages: reading a
 * file of any size then keeps the resident memory small. A no-op for git
 * blobs (libgit2 inflates them whole). */
void repo_blob_release(odc_blob *b, size_t upto);

/* Another handle on the same revision for another thread: libgit2
 * objects are not shared between threads, so each worker reads through its
 * own. Returns 0 or ODC_EIO. Free with repo_free. */
int repo_reopen(odc_repo **out, const odc_repo *r);

/* The git object id (40 hex digits and a NUL) of path in the revision's
 * tree: a folder's tree id or a file's blob id ("" is the root tree).
 * Unchanged content has an unchanged id, which is what the build cache
 * keys on. ODC_ENOTFOUND when absent; ODC_ETYPE in worktree mode (files on
 * disk have no ids). */
int repo_entry_id(odc_repo *r, const char *path, char out[41]);

/* The commit's time (seconds since the epoch, UTC) — "today" for the build;
 * in worktree mode the HEAD commit's time, or 0 without commits. */
int64_t repo_time(const odc_repo *r);
/* The commit id in hex, or "worktree". Lent. */
const char *repo_commit_id(const odc_repo *r);
/* Non-zero when the repository is a shallow clone. */
int repo_is_shallow(const odc_repo *r);

/* Non-zero when path is relative, non-empty, and has no empty, "." or ".."
 * segment and no backslash or NUL. */
int repo_path_is_safe(const char *path);

#endif
