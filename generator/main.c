/*
 * main.c — process entry: initialise the libraries once, before any
 * thread, run the command line, shut the libraries down.
 */
#include <locale.h>

#include "cli.h"
#include "markdown.h"
#include "repo.h"

int main(int argc, char **argv)
{
	int rc;

	repo_global_init();
	markdown_global_init();
	rc = cli_run(argc, argv);
	repo_global_shutdown();
	return rc;
}
