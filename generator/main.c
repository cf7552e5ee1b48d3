/*
 * main.c — process entry: initialise the libraries once, before any
 * thread, run the command line, shut the libraries down.
 */
#include <locale.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif

#include "cli.h"
#include "markdown.h"
#include "repo.h"

int main(int argc, char **argv)
{
	int rc;

#ifdef __GLIBC__
	/* A build holds hundreds of thousands of small objects (cached
	 * records, page models) and frees them together: glibc's fastbins
	 * make that free pass consolidate them over and over (a tenth of a
	 * 10,000-dataset rebuild). Without fastbins, small frees coalesce at
	 * once; see make bench-build. */
	mallopt(M_MXFAST, 0);
#endif
	repo_global_init();
	markdown_global_init();
	rc = cli_run(argc, argv);
	repo_global_shutdown();
	return rc;
}
