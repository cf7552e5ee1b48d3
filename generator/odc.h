/*
 * odc.h — the few definitions every odcat module shares: return codes and
 * the exit codes fixed in design.md ("Interfaces fixed now").
 *
 * Fallible functions return int: 0 for success or a negative ODC_E* code
 * for an expected failure. Bad *input* is not an error code but a
 * diagnostic (see diag.h); codes say only "could not continue".
 */
#ifndef ODC_H
#define ODC_H

enum {
	ODC_OK = 0,
	ODC_ENOTFOUND = -1, /* no such file, ref, key */
	ODC_EINVALID = -2,  /* input is malformed; a diagnostic says why */
	ODC_ELIMIT = -3,    /* a size or depth limit was hit */
	ODC_EIO = -4,       /* the operating system refused */
	ODC_ETYPE = -5,     /* wrong kind of object: dir, symlink, submodule */
	ODC_EUSAGE = -6,    /* bad command line */
	ODC_ELFSMISSING = -7, /* a Git LFS object is not in .git/lfs/objects */
	ODC_ELFSCORRUPT = -8, /* a Git LFS object does not match its pointer */
};

/* Exit codes of every sub-command. */
enum {
	ODC_EXIT_OK = 0,
	ODC_EXIT_DATA = 1,  /* data errors (check), held back datasets (build --strict) */
	ODC_EXIT_FATAL = 2, /* cannot run: usage, repository, ref, odcat.json, theme */
};

#ifndef ODCAT_VERSION
#define ODCAT_VERSION "0.0.0-dev"
#endif

#endif
