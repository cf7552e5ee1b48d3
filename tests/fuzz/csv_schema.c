/*
 * csv_schema.c — fuzz target for the CSV + Table Schema path: schema_load,
 * validate_resource (and validate_collect_keys), and csvscan_run in UTF-8
 * and CP932.
 *
 * Input format (two modes, chosen by the first byte):
 *
 *   '{' ...   JSON mode: the bytes up to the first NUL byte (or the end)
 *             are a Table Schema as JSON text, the bytes after that NUL
 *             are the CSV. Default dialect. Finds schema parsing problems
 *             (formats, constraints, keys, v1 forms).
 *
 *   any other first byte B: built-in mode: the rest of the input is the
 *             CSV, checked against built-in schema number (B & 7), one of
 *             the eight below, which together use every type, format,
 *             constraint, key kind and fieldsMatch mode; the other bits of
 *             B choose the dialect:
 *               B & 0x10   delimiter ';' instead of ','
 *               B & 0x20   encoding "cp932" (Shift_JIS) for validation
 *               B & 0x40   skipInitialSpace
 *               B & 0x80   quote character '\''
 *               B & 0x08   no header row, except when B & 0xC0 is 0xC0:
 *                          then the CSV is repeated until it is at least
 *                          70,000 bytes (header on, default quote, no
 *                          skipInitialSpace), so that records and CP932
 *                          characters straddle csvscan's 64 KiB chunks;
 *                          such inputs are only scanned (csvscan_run in
 *                          UTF-8, or CP932 with B & 0x20, with the oracles
 *                          below): chunking is csvscan's alone, and
 *                          validating 70 KB would make them the slowest
 *                          inputs by far, which libFuzzer then favours
 *             Finds what lies behind a valid schema: casting, constraints,
 *             key sets, header matching, row shapes.
 *
 * Mutation keeps most inputs in built-in mode (which reaches the deep
 * validation code with almost every input), while the JSON-mode seeds and
 * the dictionary csv_schema.dict keep the schema parser covered too. Both
 * modes then scan the same CSV bytes with csvscan_run directly, once as
 * UTF-8 and once as CP932, with oracles: every field is NUL-terminated at
 * its length and valid UTF-8, record numbers count up by one, lines never
 * go back, and for an all-ASCII input both encodings give the same records.
 * validate_resource must return 0 exactly when its report counts no error.
 */
#include <jansson.h>
#include <string.h>

#include "csvscan.h"
#include "diag.h"
#include "fuzz.h"
#include "odc.h"
#include "schema.h"
#include "validate.h"

static const char *const schemas[8] = {
	/* 0: the bench's kinds of columns */
	"{\"fields\": ["
	"{\"name\": \"id\", \"type\": \"integer\", \"constraints\": {\"required\": true, \"minimum\": 1}},"
	"{\"name\": \"人数\", \"type\": \"integer\", \"constraints\": {\"minimum\": 0, \"maximum\": 1000000}},"
	"{\"name\": \"金額\", \"type\": \"number\", \"constraints\": {\"minimum\": 0}},"
	"{\"name\": \"日付\", \"type\": \"date\", \"constraints\": {\"minimum\": \"1900-01-01\"}},"
	"{\"name\": \"名称\", \"type\": \"string\", \"constraints\": {\"minLength\": 1, \"maxLength\": 10}},"
	"{\"name\": \"区名\", \"type\": \"string\", \"constraints\": {\"enum\": [\"川崎区\", \"幸区\", \"中原区\"]}},"
	"{\"name\": \"コード\", \"type\": \"string\", \"constraints\": {\"pattern\": \"^[0-9]{6}$\"}},"
	"{\"name\": \"有無\", \"type\": \"boolean\"}],"
	"\"missingValues\": [\"\", \"-\"]}",

	/* 1: dates and times, default and strptime formats; keys over them */
	"{\"fields\": ["
	"{\"name\": \"d\", \"type\": \"date\", \"format\": \"%Y年%m月%d日\"},"
	"{\"name\": \"t\", \"type\": \"time\", \"constraints\": {\"minimum\": \"08:00:00\", \"maximum\": \"20:00:00\"}},"
	"{\"name\": \"dt\", \"type\": \"datetime\", \"constraints\": {\"exclusiveMinimum\": \"2000-01-01T00:00:00Z\"}},"
	"{\"name\": \"y\", \"type\": \"year\", \"constraints\": {\"minimum\": 1900}},"
	"{\"name\": \"ym\", \"type\": \"yearmonth\", \"constraints\": {\"maximum\": \"2030-12\"}},"
	"{\"name\": \"du\", \"type\": \"duration\", \"constraints\": {\"maximum\": \"P1Y\", \"unique\": true}},"
	"{\"name\": \"da\", \"type\": \"date\", \"format\": \"any\"},"
	"{\"name\": \"tf\", \"type\": \"time\", \"format\": \"%H時%M分\"},"
	"{\"name\": \"dtf\", \"type\": \"datetime\", \"format\": \"%Y/%m/%d %H:%M\"}],"
	"\"primaryKey\": [\"dt\", \"t\"], \"uniqueKeys\": [[\"y\", \"ym\", \"d\"]]}",

	/* 2: numbers, booleans, schema-level missing values in v2 form; keys */
	"{\"fields\": ["
	"{\"name\": \"n1\", \"type\": \"number\", \"decimalChar\": \",\", \"groupChar\": \".\"},"
	"{\"name\": \"n2\", \"type\": \"number\", \"bareNumber\": false, \"constraints\": {\"exclusiveMaximum\": 100}},"
	"{\"name\": \"i1\", \"type\": \"integer\", \"groupChar\": \",\", \"bareNumber\": false},"
	"{\"name\": \"i2\", \"type\": \"integer\", \"constraints\": {\"enum\": [\"1\", \"2\", 3, 4.0]}},"
	"{\"name\": \"n3\", \"type\": \"number\", \"constraints\": {\"required\": true, \"unique\": true, \"enum\": [1.5, \"2.50\", \"1e1\", 3]}},"
	"{\"name\": \"b\", \"type\": \"boolean\", \"trueValues\": [\"はい\", \"yes\"], \"falseValues\": [\"いいえ\", \"no\"], \"constraints\": {\"enum\": [true, \"いいえ\"]}}],"
	"\"missingValues\": [{\"value\": \"NA\", \"label\": \"not available\"}, \"\"],"
	"\"uniqueKeys\": [[\"n1\", \"b\"], [\"i1\"]]}",

	/* 3: every kind of key */
	"{\"fields\": ["
	"{\"name\": \"a\", \"type\": \"integer\"},"
	"{\"name\": \"b\", \"type\": \"string\", \"constraints\": {\"unique\": true}},"
	"{\"name\": \"c\", \"type\": \"integer\"},"
	"{\"name\": \"d\", \"type\": \"date\"}],"
	"\"primaryKey\": [\"a\", \"d\"],"
	"\"uniqueKeys\": [[\"b\", \"c\"], [\"c\"]],"
	"\"foreignKeys\": ["
	"{\"fields\": [\"c\"], \"reference\": {\"resource\": \"\", \"fields\": [\"a\"]}},"
	"{\"fields\": \"b\", \"reference\": {\"resource\": \"other\", \"fields\": \"k\"}},"
	"{\"fields\": [\"a\", \"b\"], \"reference\": {\"package\": \"elsewhere\", \"resource\": \"r\", \"fields\": [\"x\", \"y\"]}}]}",

	/* 4: structured types, field-level missing values; keys and enums of JSON values */
	"{\"fields\": ["
	"{\"name\": \"g1\", \"type\": \"geopoint\", \"constraints\": {\"unique\": true}},"
	"{\"name\": \"g2\", \"type\": \"geopoint\", \"format\": \"array\"},"
	"{\"name\": \"g3\", \"type\": \"geopoint\", \"format\": \"object\"},"
	"{\"name\": \"gj\", \"type\": \"geojson\", \"constraints\": {\"unique\": true}},"
	"{\"name\": \"o\", \"type\": \"object\", \"constraints\": {\"minLength\": 1, \"unique\": true, \"enum\": [{\"a\": 1}, {\"b\": [1, 2.5, null]}]}},"
	"{\"name\": \"ar\", \"type\": \"array\", \"constraints\": {\"maxLength\": 3}},"
	"{\"name\": \"l\", \"type\": \"list\", \"itemType\": \"integer\", \"delimiter\": \";\"},"
	"{\"name\": \"l2\", \"type\": \"list\", \"itemType\": \"date\"},"
	"{\"name\": \"x\", \"type\": \"any\", \"missingValues\": [\"-\"], \"constraints\": {\"enum\": [\"s\", 1, 2.5, true, false, null, {\"a\": 1}, [1]]}}],"
	"\"uniqueKeys\": [[\"ar\", \"l\"], [\"g2\", \"x\"], [\"l2\"]]}",

	/* 5: Japanese standard-dataset names and aliases, matched by name */
	"{\"fieldsMatch\": \"equal\", \"fields\": ["
	"{\"name\": \"全国地方公共団体コード\", \"type\": \"string\", \"constraints\": {\"required\": true, \"pattern\": \"[0-9]{6}\"}},"
	"{\"name\": \"所在地_連結表記\", \"type\": \"string\"},"
	"{\"name\": \"建物名等(方書)\", \"type\": \"string\"},"
	"{\"name\": \"ID\", \"type\": \"string\"},"
	"{\"name\": \"バリアフリートイレ数\", \"type\": \"integer\", \"constraints\": {\"minimum\": 0}},"
	"{\"name\": \"緯度\", \"type\": \"number\", \"constraints\": {\"minimum\": 20, \"maximum\": 46}},"
	"{\"name\": \"電話番号\", \"type\": \"string\", \"constraints\": {\"pattern\": \"0[0-9]{1,4}-[0-9]{1,4}-[0-9]{4}\"}}]}",

	/* 6: string formats, categories, lengths in characters */
	"{\"fieldsMatch\": \"subset\", \"fields\": ["
	"{\"name\": \"e\", \"type\": \"string\", \"format\": \"email\"},"
	"{\"name\": \"u\", \"type\": \"string\", \"format\": \"uri\"},"
	"{\"name\": \"bin\", \"type\": \"string\", \"format\": \"binary\"},"
	"{\"name\": \"id\", \"type\": \"string\", \"format\": \"uuid\"},"
	"{\"name\": \"cat\", \"type\": \"string\", \"categories\": [\"a\", \"b\", {\"value\": \"c\", \"label\": \"C\"}], \"categoriesOrdered\": true},"
	"{\"name\": \"ci\", \"type\": \"integer\", \"categories\": [1, 2, 3]},"
	"{\"name\": \"len\", \"type\": \"string\", \"constraints\": {\"minLength\": 2, \"maxLength\": 5, \"pattern\": \"[ぁ-んァ-ヶー一-龠]+\"}}]}",

	/* 7: v1 forms: primaryKey as a string, fmt: prefix, no type, duplicate names */
	"{\"fieldsMatch\": \"partial\", \"fields\": ["
	"{\"name\": \"k\", \"type\": \"string\"},"
	"{\"name\": \"yr\", \"type\": \"date\", \"format\": \"fmt:%Y\"},"
	"{\"name\": \"v\"},"
	"{\"name\": \"dup\", \"type\": \"integer\"},"
	"{\"name\": \"dup\", \"type\": \"number\"},"
	"{\"name\": \"dt\", \"type\": \"datetime\", \"format\": \"any\"},"
	"{\"name\": \"t\", \"type\": \"time\", \"format\": \"any\"}],"
	"\"primaryKey\": \"k\", \"missingValues\": []}",
};

static json_t *schema_json[8];
static odc_keyset *other_keys;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	size_t i;
	(void)argc;
	(void)argv;
	for (i = 0; i < 8; i++) {
		json_error_t e;
		schema_json[i] = json_loads(schemas[i], JSON_REJECT_DUPLICATES, &e);
		if (!schema_json[i]) {
			fprintf(stderr, "built-in schema %zu: %s (line %d)\n", i, e.text, e.line);
			abort();
		}
	}
	other_keys = keyset_new();
	keyset_add(other_keys, "x", 1);
	keyset_add(other_keys, "1", 1);
	keyset_add(other_keys, "2", 1);
	keyset_add(other_keys, "x\x1f" "1", 3);
	return 0;
}

/* Resolves reference.resource "other" (any package) to a fixed key set;
 * anything else cannot be resolved, with a diagnostic as the contract says. */
static int resolve(void *payload, const odc_fkey *fk, const odc_keyset **out)
{
	odc_diags *d = payload;
	if (fk->resource && !strcmp(fk->resource, "other") && !fk->package) {
		*out = other_keys;
		return 0;
	}
	diag_add(d, ODC_SEV_ERROR, "foreign-key", "fuzz/datapackage.json", 0, 0, NULL,
		 "reference to resource \"%s\" cannot be resolved", fk->resource ? fk->resource : "");
	return -1;
}

typedef struct scanstate {
	long records, last_number, last_line;
	uint64_t hash; /* FNV-1a over the record stream, for the ASCII differential */
} scanstate;

static void mix(scanstate *st, const void *p, size_t n)
{
	const unsigned char *b = p;
	size_t i;
	for (i = 0; i < n; i++) {
		st->hash ^= b[i];
		st->hash *= 1099511628211ULL;
	}
}

static int on_record(void *payload, const odc_record *rec)
{
	scanstate *st = payload;
	size_t i;

	FUZZ_ASSERT(rec->number == st->last_number + 1);
	FUZZ_ASSERT(rec->line >= 1 && rec->line >= st->last_line);
	st->last_number = rec->number;
	st->last_line = rec->line;
	st->records++;
	mix(st, &rec->n, sizeof(rec->n));
	mix(st, &rec->line, sizeof(rec->line));
	for (i = 0; i < rec->n; i++) {
		FUZZ_ASSERT(rec->fields[i] != NULL);
		FUZZ_ASSERT(rec->fields[i][rec->lens[i]] == '\0');
		FUZZ_ASSERT(fuzz_utf8_ok((const unsigned char *)rec->fields[i], rec->lens[i]));
		mix(st, &rec->lens[i], sizeof(rec->lens[i]));
		mix(st, rec->fields[i], rec->lens[i]);
	}
	return 0;
}

/* csvscan alone, as `encoding`; returns its result and fills *st. */
static int scan(const char *csv, size_t len, const char *encoding, scanstate *st)
{
	odc_csv_opts o;
	odc_diags d = ODC_DIAGS_INIT;
	int rc;

	memset(&o, 0, sizeof(o));
	o.encoding = encoding;
	o.report_blank = 1;
	memset(st, 0, sizeof(*st));
	st->hash = 1469598103934665603ULL;
	rc = csvscan_run(csv, len, &o, on_record, st, "fuzz/data.csv", &d);
	FUZZ_ASSERT(rc == 0 || d.errors > 0);
	diag_free(&d);
	return rc;
}

static void validate(const char *csv, size_t len, json_t *sj, const odc_validate_opts *base)
{
	odc_diags d = ODC_DIAGS_INIT;
	odc_schema *s = NULL;
	odc_validate_opts o = *base;
	odc_validate_report rep;
	int rc;

	if (schema_load(&s, sj, "fuzz/datapackage.json", "/resources/0/schema", &d) < 0) {
		FUZZ_ASSERT(s == NULL);
		goto done;
	}
	FUZZ_ASSERT(s != NULL);
	o.fk = resolve;
	o.fk_payload = &d;
	memset(&rep, 0, sizeof(rep));
	rc = validate_resource(csv, len, s, "fuzz/data.csv", &o, &d, &rep);
	FUZZ_ASSERT((rc == 0) == (rep.errors == 0));
	FUZZ_ASSERT(rep.rows >= 0);
	if (schema_field_count(s) > 0) {
		const char *fields[1];
		odc_keyset *keys = NULL;
		fields[0] = schema_field_name(s, 0);
		if (validate_collect_keys(csv, len, s, "fuzz/data.csv", &o, fields, 1, &keys, &d) == 0)
			FUZZ_ASSERT(keys != NULL);
		keyset_free(keys);
	}
done:
	schema_free(s);
	diag_free(&d);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	odc_validate_opts o;
	const char *csv;
	size_t csvlen, i;
	char *rep = NULL;
	json_t *sj = NULL;
	int owned = 0, ascii = 1, repeat = 0;
	scanstate u, c;
	int ru, rc;

	if (size < 1)
		return 0;
	validate_opts_init(&o);
	o.max_errors = 5;
	if (data[0] == '{') {
		const uint8_t *nul = memchr(data, '\0', size);
		size_t jlen = nul ? (size_t)(nul - data) : size;
		json_error_t e;
		sj = json_loadb((const char *)data, jlen, JSON_REJECT_DUPLICATES, &e);
		owned = 1;
		csv = nul ? (const char *)nul + 1 : "";
		csvlen = nul ? size - jlen - 1 : 0;
	} else {
		unsigned b = data[0];
		sj = schema_json[b & 7];
		if (b & 0x10)
			o.csv.delimiter = ';';
		if (b & 0x20)
			o.csv.encoding = "cp932";
		repeat = (b & 0xC8) == 0xC8;
		if (!repeat) {
			if (b & 0x08)
				o.header = 0;
			if (b & 0x40)
				o.csv.skip_initial_space = 1;
			if (b & 0x80)
				o.csv.quote = '\'';
		}
		csv = (const char *)data + 1;
		csvlen = size - 1;
		if (repeat && csvlen > 0) {
			size_t n = 0;
			rep = malloc(70000 + csvlen);
			if (!rep)
				abort();
			while (n < 70000) {
				memcpy(rep + n, csv, csvlen);
				n += csvlen;
			}
			csv = rep;
			csvlen = n;
		}
	}
	if (repeat) {
		scan(csv, csvlen, o.csv.encoding, &u);
		goto done;
	}
	if (sj)
		validate(csv, csvlen, sj, &o);

	ru = scan(csv, csvlen, NULL, &u);
	rc = scan(csv, csvlen, "cp932", &c);
	for (i = 0; i < csvlen; i++)
		if ((unsigned char)csv[i] >= 0x80) {
			ascii = 0;
			break;
		}
	if (ascii) {
		FUZZ_ASSERT(ru == rc);
		if (ru == 0) {
			FUZZ_ASSERT(u.records == c.records);
			FUZZ_ASSERT(u.hash == c.hash);
		}
	}
done:
	if (owned)
		json_decref(sj);
	free(rep);
	return 0;
}
