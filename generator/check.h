/*
 * check.h — `odcat check`: the validation report for data stewards.
 *
 * Owns the check sub-command: which revision is read (the working tree by
 * default, a commit with --ref, one stand-alone Data Package folder with
 * --package), which datasets, and the report in text, JSON or GitHub
 * annotations, in Japanese or English. Exit 0 when there is no error,
 * 1 when there is one, 2 when the check cannot run.
 */
#ifndef ODC_CHECK_H
#define ODC_CHECK_H

#include <jansson.h>

#include "catalog.h"

/* argv[0] is the first argument after "check". Returns the exit code. */
int check_main(int argc, char **argv);

/* The message language from the environment: "ja" when LC_ALL,
 * LC_MESSAGES or LANG (the first that is set) starts with "ja", else "en". */
const char *check_env_lang(void);

/* The JSON summary of one loaded (or dropped) dataset: slug, valid, and
 * per resource name, path, format, rows, validated, errors. */
json_t *check_dataset_json(const char *slug, const odc_dataset *ds, int ok);

#endif
