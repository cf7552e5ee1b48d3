/*
 * cli.c — sub-commands and their options (see cli.h).
 *
 * Options are GNU style: "--name value" or "--name=value". Every option
 * of every sub-command is described by its --help; an unknown option or a
 * missing value is a usage error (exit 2) that names the option.
 */
#include "cli.h"

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include <string.h>

#include "build.h"
#include "check.h"
#include "infer.h"
#include "odc.h"
#include "stats.h"

static const char main_help[] =
	"Usage: odcat <command> [options]\n"
	"\n"
	"odcat builds a static open-data catalogue from the datasets committed to a\n"
	"git repository: pages for residents, downloads, and DCAT data.json for\n"
	"harvesters.\n"
	"\n"
	"Commands:\n"
	"  build      build the site from a commit of the catalogue repository\n"
	"  check      check datasets (metadata, CSV against Table Schema) before committing\n"
	"  infer      print a draft Table Schema for a CSV file\n"
	"  new        create datasets/SLUG/ with datapackage.json and a README skeleton\n"
	"  stats      publishing statistics from the history (and downloads from access logs)\n"
	"\n"
	"Options:\n"
	"  -h, --help     show this help (odcat <command> --help for a command)\n"
	"  -V, --version  print the version\n"
	"\n"
	"Exit codes: 0 done; 1 data errors (build: only with --strict);\n"
	"2 cannot run (usage, repository, revision, shallow clone, odcat.json, theme).\n";

static const char build_help[] =
	"Usage: odcat build [options]\n"
	"\n"
	"Reads odcat.json and every datasets/<slug>/ from the tree of a commit\n"
	"(never the working tree unless --worktree is given) and writes the site.\n"
	"Every dataset is checked as `odcat check` does; a dataset with errors is\n"
	"left out and reported (on stderr, in check's text format); the rest is built.\n"
	"The output folder is replaced in one step only when the build succeeds.\n"
	"\n"
	"Options:\n"
	"  --repo DIR      the catalogue's git repository (default: .)\n"
	"  --ref REF       the revision to publish: branch, tag or commit (default: HEAD)\n"
	"  --out DIR       the output folder (default: site)\n"
	"  --theme DIR     a theme folder; templates it lacks come from the default theme\n"
	"                  (default: themes/default beside the odcat executable)\n"
	"  --base-url URL  the public URL of the site, for data.json (default:\n"
	"                  base_url of odcat.json)\n"
	"  --worktree      read the working tree instead of a commit, to preview\n"
	"                  changes that are not committed yet\n"
	"  --now DATE      today, YYYY-MM-DD (default: the date of the revision's commit)\n"
	"  --allow-shallow build a shallow clone anyway (dates from its cut history)\n"
	"  --access-log FILE  a web server access log (combined format, plain or\n"
	"                  gzip) for the downloads on the stats/ page; repeatable\n"
	"  --strict        exit 1 when any dataset is not published or held back\n"
	"  --report FILE   also write the report as JSON (check's format plus each\n"
	"                  dataset's status: published, held back or not published)\n"
	"  -q, --quiet     print diagnostics only\n"
	"  --jobs N        build N datasets at a time in threads (default: the\n"
	"                  number of processors); the output does not depend on N\n"
	"  --cache DIR     the build cache (default: .odcat-cache beside --out):\n"
	"                  a dataset whose files, the datasets its foreign keys\n"
	"                  reference, odcat.json, the theme, odcat's version and\n"
	"                  --base-url are unchanged is reused, not read again\n"
	"  --no-cache      build every dataset afresh (the cache is not read or\n"
	"                  written); --worktree builds never use the cache\n"
	"  -h, --help      show this help\n"
	"\n"
	"Exit codes: 0 built; 1 with --strict, a dataset was not published or held\n"
	"back; 2 cannot run (not a repository, unknown revision, a shallow clone\n"
	"without --allow-shallow, missing or invalid odcat.json or theme) - then\n"
	"the output folder is left untouched.\n";

int cli_usage(const char *cmd, const char *fmt, const char *arg)
{
	fprintf(stderr, "odcat%s%s: ", cmd ? " " : "", cmd ? cmd : "");
	fprintf(stderr, fmt, arg);
	fprintf(stderr, "\nTry 'odcat %s%s--help'.\n", cmd ? cmd : "", cmd ? " " : "");
	return ODC_EXIT_FATAL;
}

/* Matches argv[*i] against --name; takes the value from "=value" or the
 * next argument. Returns 1 on a match (with *val set), 0 when it is not
 * this option, -1 when the value is missing. */
int cli_opt_value(int argc, char **argv, int *i, const char *name, const char **val)
{
	size_t n = strlen(name);
	const char *a = argv[*i];
	if (strncmp(a, name, n) != 0)
		return 0;
	if (a[n] == '=') {
		*val = a + n + 1;
		return 1;
	}
	if (a[n] != '\0')
		return 0;
	if (*i + 1 >= argc)
		return -1;
	*val = argv[++*i];
	return 1;
}

static int cmd_build(int argc, char **argv)
{
	static const char *const valued[] = {"--repo", "--ref", "--out", "--theme", "--base-url", "--report",
					     "--cache", "--jobs", "--now", "--access-log"};
	odc_build_opts o;
	const char *jobs = NULL, *log = NULL;
	const char **logs = xcalloc((size_t)argc + 1, sizeof(char *));
	size_t nlogs = 0;
	int i, rc;

	memset(&o, 0, sizeof(o));
	o.access_logs = logs;
	for (i = 0; i < argc; i++) {
		const char *a = argv[i], *v = NULL;
		const char **slot[] = {&o.repo, &o.ref, &o.out, &o.theme, &o.base_url, &o.report,
				       &o.cache, &jobs, &o.now, &log};
		size_t k;
		int matched = 0;
		if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
			fputs(build_help, stdout);
			free(logs);
			return ODC_EXIT_OK;
		}
		if (!strcmp(a, "--allow-shallow")) {
			o.allow_shallow = 1;
			continue;
		}
		if (!strcmp(a, "--worktree")) {
			o.worktree = 1;
			continue;
		}
		if (!strcmp(a, "--strict")) {
			o.strict = 1;
			continue;
		}
		if (!strcmp(a, "--no-cache")) {
			o.no_cache = 1;
			continue;
		}
		if (!strcmp(a, "-q") || !strcmp(a, "--quiet")) {
			o.quiet = 1;
			continue;
		}
		for (k = 0; k < sizeof(valued) / sizeof(valued[0]) && !matched; k++) {
			int m = cli_opt_value(argc, argv, &i, valued[k], &v);
			if (m < 0) {
				free(logs);
				return cli_usage("build", "option %s needs a value", valued[k]);
			}
			if (m > 0) {
				if (!*v) {
					free(logs);
					return cli_usage("build", "option %s needs a non-empty value", valued[k]);
				}
				*slot[k] = v;
				matched = 1;
			}
		}
		if (!matched) {
			free(logs);
			return cli_usage("build", a[0] == '-' ? "unknown option '%s'"
								: "unexpected argument '%s'", a);
		}
		if (log) {
			logs[nlogs++] = log;
			log = NULL;
		}
	}
	if (jobs) {
		char *end;
		long n = strtol(jobs, &end, 10);
		if (*end || n < 1 || n > 1024) {
			free(logs);
			return cli_usage("build", "--jobs wants a number from 1 to 1024, not '%s'", jobs);
		}
		o.jobs = (int)n;
	} else {
		long n = sysconf(_SC_NPROCESSORS_ONLN);
		o.jobs = n < 1 ? 1 : n > 64 ? 64 : (int)n;
	}
	if (o.cache && o.no_cache) {
		free(logs);
		return cli_usage("build", "%s", "--cache and --no-cache exclude each other");
	}
	rc = build_run(&o);
	free(logs);
	return rc;
}

int cli_run(int argc, char **argv)
{
	if (argc < 2) {
		fputs(main_help, stderr);
		return ODC_EXIT_FATAL;
	}
	if (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help") || !strcmp(argv[1], "help")) {
		fputs(main_help, stdout);
		return ODC_EXIT_OK;
	}
	if (!strcmp(argv[1], "-V") || !strcmp(argv[1], "--version")) {
		printf("odcat %s\n", ODCAT_VERSION);
		return ODC_EXIT_OK;
	}
	if (!strcmp(argv[1], "build"))
		return cmd_build(argc - 2, argv + 2);
	if (!strcmp(argv[1], "check"))
		return check_main(argc - 2, argv + 2);
	if (!strcmp(argv[1], "infer"))
		return infer_main(argc - 2, argv + 2);
	if (!strcmp(argv[1], "new"))
		return new_main(argc - 2, argv + 2);
	if (!strcmp(argv[1], "stats"))
		return stats_main(argc - 2, argv + 2);
	return cli_usage(NULL, "unknown command '%s'", argv[1]);
}
