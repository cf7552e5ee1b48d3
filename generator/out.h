/*
 * out.h — writing the site atomically.
 *
 * Owns the output folder. A build writes into a staging folder beside
 * the output (same file system) and, only when everything succeeded, swaps
 * it in with one rename (RENAME_EXCHANGE where the kernel has it). A failed
 * or interrupted build leaves the previous site untouched; files of removed
 * datasets disappear.
 *
 * The spare. The tree swapped out is not removed but kept beside the output
 * as <dir>.spare, and the next build uses it as its staging folder: a file
 * it already holds with the right bytes (out_write compares them) or the
 * right inode (out_place) is left as it is, every other file is replaced by
 * a new inode (never written through: a file may be a hard link into the
 * build cache or the live site), and at the swap every file this build did
 * not write is removed. So a rebuild costs what changed, not the size of
 * the site, and the spare's content never needs to be trusted. Removing
 * <dir>.spare at any time is safe (the next build starts from empty).
 *
 * The manifest, <dir>.manifest (out.c says what it trusts and why): what
 * each of the two trees held when it was published, with the times of its
 * folders, so that a build taking a tree over skips the per-file checks of
 * restored datasets and the walk of the whole tree where folders are
 * unchanged (out_group_kept, out_commit's sweep).
 *
 * Writers that create a stage file themselves (streams) call out_claim
 * first. Every out_* call below is thread-safe (phase B writes in parallel).
 *
 * Paths given to out_write are relative to the site root and are checked:
 * no absolute paths, no "..".
 */
#ifndef ODC_OUT_H
#define ODC_OUT_H

#include <pthread.h>
#include <stddef.h>
#include <sys/stat.h>

#include "buf.h"

/* A string map (open addressing; out.c): keys and values malloc'ed. */
typedef struct odc_strmap {
	char **keys, **vals;
	size_t *hashes;
	size_t n, cap;
} odc_strmap;

typedef struct odc_out {
	char *final; /* the output folder as given, without trailing '/' */
	char *stage; /* the staging folder, or NULL once committed/aborted */
	int locked;  /* lock_fd holds the lock on <final>.lock */
	int lock_fd;
	int reused;  /* the stage started as the spare (an earlier tree) */
	int keep_spare; /* keep the swapped-out tree as <final>.spare (default) */
	/* The site-relative paths written by this build (a hash set). */
	pthread_mutex_t mu;
	char **paths;
	size_t *hashes; /* the hash of each slot's path */
	size_t npaths, cappaths;
	/* The manifest (<final>.manifest, see out_group_kept): */
	odc_strmap mf_ok;     /* the stage's folders unchanged since it was recorded */
	odc_strmap mf_groups; /* group -> token the stage's tree held then */
	odc_strmap mf_note;   /* group -> token this build leaves in the stage */
	odc_strmap mf_dirs;   /* the folders (and their parents) of mf_note's files */
	char *mf_live;        /* the live site's section, kept for the next build */
	size_t groups_kept;   /* how many out_group_kept said yes to */
	size_t sweep_read;    /* folders the sweep read (ODCAT_TIMING) */
	char *mf_text;        /* the manifest read; mf_known and mf_walk point into it */
	int mf_complete;      /* its section of the stage lists every file (swept) */
	char **mf_known;      /* the files it lists in unchanged folders */
	size_t mf_nknown, mf_capknown;
	char **mf_walk;       /* folders, in unchanged ones, not known unchanged */
	size_t mf_nwalk, mf_capwalk;
} odc_out;

/* Creates the staging folder for output folder dir. Returns 0, or ODC_EIO
 * with a message.
 *
 * One build at a time writes an output folder: out_begin takes an
 * exclusive lock (flock) on the file <dir>.lock beside it, held until
 * out_free, and fails with a message when another build holds it. Holding
 * the lock, it removes the staging (<dir>.tmp-*) and old (<dir>.old-*)
 * folders that a killed build left behind. */
int out_begin(odc_out *o, const char *dir, odc_buf *msg);
/* Writes a file, creating its parent folders. ODC_EINVALID for an unsafe path.
 * A stage file that already holds exactly these bytes is kept. */
int out_write(odc_out *o, const char *relpath, const void *data, size_t len);
/* For a writer that creates stage file relpath itself: records it as
 * written by this build, removes what the stage held there, makes its
 * parent folders and sets *abs to the file's path. Returns 0, or
 * ODC_EINVALID / ODC_EIO. */
int out_claim(odc_out *o, const char *relpath, odc_buf *abs);
/* Whether relpath was written (or claimed, or placed) by this build. */
int out_written(odc_out *o, const char *relpath);
/* Puts regular file src (e.g. in the build cache; src_st its stat, or
 * NULL) at relpath as a hard link (or a copy across file systems); a stage
 * file that already is src's inode is kept. Returns 0 or -1. */
int out_place(odc_out *o, const char *src, const struct stat *src_st, const char *relpath);
/* File groups: the files of one source that never changes in place (a
 * build cache entry, named by a token unique to it), placed together.
 *
 * At the swap a build records in <final>.manifest, for the tree it
 * publishes, each group it left complete in the stage (placed, or written
 * and then stored as that entry) and the identity and times (inode,
 * mtime, ctime to the ns) of every folder holding their files, and of
 * the folders above those. A later build that takes this tree over as its
 * stage checks every recorded folder before it writes anything: a folder
 * is trusted only when it and all folders above it are unchanged.
 *
 * out_group_kept: when the manifest says the stage's tree held group as
 * token and the folder of each of rels[0..n) is trusted, records the n
 * paths as written (as out_place would) and returns 1; no file is looked
 * at. Else 0: place the files one by one, then call out_group_note. */
int out_group_kept(odc_out *o, const char *group, const char *token, char *const *rels, size_t n);
/* Notes that the stage holds group's files rels[0..n) as token's. */
void out_group_note(odc_out *o, const char *group, const char *token, char *const *rels, size_t n);

/* Copies the regular files of folder src (recursively, skipping links and
 * hidden names) under relative folder dst of the site. */
int out_copy_tree(odc_out *o, const char *src, const char *dst);
/* The names in dir, hidden ones (".…") left out, in strcmp order: a
 * malloc'ed array of malloc'ed strings. ODC_ENOTFOUND when dir cannot be
 * opened (then *names is NULL and *n 0). */
int out_list_dir(const char *dir, char ***names, size_t *n);
/* Swaps the staging folder in, after removing from it every file this
 * build did not write (a stage taken over from the spare holds older ones). Call it once every writer
 * has finished (it reads the written set without the lock). Returns 0 or
 * ODC_EIO with a message (then the stage is kept as the spare). */
int out_commit(odc_out *o, odc_buf *msg);
/* Removes the staging folder; the output folder is untouched. */
void out_abort(odc_out *o);
void out_free(odc_out *o);

/* Puts regular file src at dst as a hard link, or a copy when src is on
 * another file system (or links are refused), creating the parent folders
 * of dst below its first skip bytes (a folder that exists). An existing dst
 * is replaced. Returns 0 or -1. */
int out_place_file(const char *src, const char *dst, size_t skip);

/* Removes a folder tree (no symlinks followed). Returns 0 or -1. */
int out_rmtree(const char *path);

#endif
