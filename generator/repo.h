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

/*====================================================================
 * History: the commit graph behind the opened revision (history.c uses
 * these; they work in worktree mode too, from HEAD)
 *====================================================================*/

#define ODC_OID_HEX 41 /* 40 hex digits and the NUL */

/* One commit, lent to a walk callback for the duration of the call. */
typedef struct odc_commit {
	char id[ODC_OID_HEX];
	int64_t time;        /* committer time, seconds since the epoch */
	int offset;          /* the committer's UTC offset, in minutes */
	const char *summary; /* the first line of the message */
	const char *author;  /* the author's name (never the e-mail address) */
	size_t nparents;
	char (*parents)[ODC_OID_HEX];
} odc_commit;

/* Walks every commit reachable from the opened revision (from HEAD in
 * worktree mode), each once, children before parents, ties by commit
 * time (libgit2's topological + time sorting). cb returning non-zero
 * stops the walk. Returns 0 (also when there are no commits), or ODC_EIO. */
int repo_walk(odc_repo *r, int (*cb)(const odc_commit *c, void *payload), void *payload);

/* The UTC offset (minutes) of the opened commit's time (repo_time); in
 * worktree mode HEAD's (0 without commits). */
int repo_time_offset(const odc_repo *r);

/* Writes the object id of path ("" = the root tree) in commit into out.
 * ODC_ENOTFOUND when commit or path does not exist. */
int repo_path_id(odc_repo *r, const char *commit, const char *path, char out[ODC_OID_HEX]);

/* An entry of a folder with its object id. */
typedef struct odc_id_entry {
	char *name; /* owned */
	char id[ODC_OID_HEX];
	odc_entry_kind kind;
} odc_id_entry;

/* Lists folder dir of commit sorted by name (bytewise), with object ids.
 * ODC_ENOTFOUND when there is no such folder. Free with repo_id_entries_free. */
int repo_list_ids(odc_repo *r, const char *commit, const char *dir, odc_id_entry **out, size_t *n);
void repo_id_entries_free(odc_id_entry *e, size_t n);

/* A file that differs between two trees. */
typedef struct odc_file_change {
	char *path;      /* owned; relative to the trees compared */
	char status;     /* 'A' added, 'D' deleted, 'M' modified */
	long added;      /* lines added, -1 when not counted */
	long removed;    /* lines removed, -1 when not counted */
} odc_file_change;

/* Compares tree old_tree with new_tree (hex ids; "" or NULL = empty) file
 * by file, in path order. Lines added and removed are counted for files
 * whose name ends in ".csv" when both sides are at most max_bytes (a line
 * diff); other files get -1. Free with repo_file_changes_free. Returns 0 or
 * ODC_EIO. */
int repo_diff_trees(odc_repo *r, const char *old_tree, const char *new_tree, size_t max_bytes,
		    odc_file_change **out, size_t *n);
void repo_file_changes_free(odc_file_change *c, size_t n);

/* Opens the same repository as r at another commit (a hex id): the tree
 * that repo_list/repo_read then see is that commit's. Returns 0 or
 * ODC_ENOTFOUND. Free with repo_free. */
int repo_open_commit(odc_repo **out, odc_repo *r, const char *commit);

#endif
