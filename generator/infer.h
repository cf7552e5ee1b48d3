/*
 * infer.h — the `odcat infer` and `odcat new` sub-commands: from a CSV file
 * to a draft Table Schema, and from a slug (and optionally a CSV) to a new
 * dataset folder.
 *
 * Owns schema inference: reading a CSV in one streaming pass (csvscan)
 * with per-column counters and at most 13 distinct values per column, so
 * memory does not grow with the file; detecting its encoding (UTF-8, UTF-8
 * with BOM, or Shift_JIS (CP932) when the bytes are not UTF-8); choosing
 * each column's type and suggested constraints; and checking the draft
 * against the whole file before printing it. Candidate types are tested
 * with schema_check_cell on small one-field schemas, so inference and
 * validation agree by construction, and the draft always validates the
 * file it came from.
 *
 * Also owns the skeleton of a new dataset folder (datapackage.json,
 * README.md, the copied CSV) and the next steps printed for the steward.
 *
 * Does not own option parsing of other commands, the Table Schema rules
 * (schema.c) or CSV parsing (csvscan.c).
 *
 * Output: infer prints the schema JSON alone on stdout and every note
 * (encoding, row count, why each column got its type) on stderr; new
 * prints the next steps on stdout. Errors name the file and give a hint.
 */
#ifndef ODC_INFER_H
#define ODC_INFER_H

/* `odcat infer FILE.csv [--encoding E] [--delimiter C]`. argv[0] is the
 * first argument after "infer". Returns the exit code: 0 done, 2 usage
 * error or a file that is missing, empty, unreadable or not CSV. */
int infer_main(int argc, char **argv);

/* `odcat new SLUG [--from FILE.csv] [--repo DIR] [--encoding E]
 * [--delimiter C]`. argv[0] is the first argument after "new". Creates
 * DIR/datasets/SLUG/ and nothing else. Returns the exit code: 0 done, 2
 * usage error, a bad slug, a folder that already exists, or a --from file
 * that cannot be read (then nothing is created). */
int new_main(int argc, char **argv);

#endif
