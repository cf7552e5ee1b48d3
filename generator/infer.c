/*
 * infer.c — draft Table Schemas from CSV files (`odcat infer`) and new
 * dataset folders (`odcat new`); see infer.h.
 *
 * Inference reads the file once through csvscan. Every non-empty cell of a
 * column is tried against the candidate types that column still has
 * (integer, number, three date forms, datetime, boolean, and for columns
 * named like a latitude or longitude, numbers within Japan's extent or the
 * world's). A candidate is a one-field schema loaded by schema_load and a
 * cell is tried with schema_check_cell, the very function validation uses,
 * so a type survives only when the validator accepts every value. Beside
 * the candidates a column keeps counters (filled and empty cells), the
 * "digit shape" of its values (groups of digits and the separators between
 * them, for codes, phone and postal numbers) and at most 13 distinct
 * values (for enum suggestions). Nothing else is kept, so memory does not
 * grow with the file, which is mapped rather than read into memory.
 *
 * The draft is then checked against the whole file in a second pass. What
 * the candidates did not test (patterns, enums) cannot fail by design, but
 * when a value does fail, the failing constraint (or the type) is dropped
 * and the file checked again, so the printed schema always validates the
 * file it came from.
 */
#include "infer.h"

#include <errno.h>
#include <fcntl.h>
#include <iconv.h>
#include <jansson.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "buf.h"
#include "catalog.h"
#include "cli.h"
#include "csvscan.h"
#include "diag.h"
#include "odc.h"
#include "schema.h"

#define MAX_DISTINCT 13      /* distinct values kept per column: enough to tell "at most 12" */
#define ENUM_MAX 12          /* an enum is suggested for at most this many values ... */
#define ENUM_MIN_ROWS 20     /* ... seen over at least this many filled cells */
#define MAX_DISTINCT_LEN 200 /* bytes; a longer value is not a category */
#define MAX_GROUPS 4         /* digit groups in a code such as 044-200-2111 */
#define LONG_DIGITS 15       /* more digits than this is an identifier, not a quantity */
#define EXAMPLE_LEN 40       /* characters of a value quoted in a note */
#define VERIFY_PASSES 4      /* checks of the draft; each may drop what failed */

/*====================================================================
 * Messages
 *====================================================================*/

/* Prints "odcat CMD: error: ..." and a hint; returns the exit code 2. */
static int fail(const char *cmd, const char *hint, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static int fail(const char *cmd, const char *hint, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "odcat %s: error: ", cmd);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	if (hint)
		fprintf(stderr, "  hint: %s\n", hint);
	return ODC_EXIT_FATAL;
}


/* "," ";" "|" or "tab" / "\t" → the delimiter byte; -1 when not usable. */
static int parse_delimiter(const char *v)
{
	if (!strcmp(v, "tab") || !strcmp(v, "TAB") || !strcmp(v, "\\t") || !strcmp(v, "\t"))
		return '\t';
	if (strlen(v) != 1 || (unsigned char)v[0] >= 0x80 || v[0] == '"' || v[0] == '\r' ||
	    v[0] == '\n')
		return -1;
	return (unsigned char)v[0];
}

/* Appends a number for a note: whole numbers in full, others in %g. */
static void put_num(odc_buf *b, double v)
{
	if (v == floor(v) && fabs(v) < 1e15)
		buf_printf(b, "%.0f", v);
	else
		buf_printf(b, "%g", v);
}

/* Appends the range of a column's values: " 1 to 24" (" only 1"). */
static void put_range(odc_buf *b, const char *before, double min, double max)
{
	buf_puts(b, before);
	if (min == max) {
		buf_puts(b, "only ");
		put_num(b, min);
		return;
	}
	put_num(b, min);
	buf_puts(b, " to ");
	put_num(b, max);
}

/* Appends s as a note-friendly quoted example ("…" when shortened). */
static void put_example(odc_buf *b, const char *s, size_t len)
{
	char *e = diag_shorten(s, len, EXAMPLE_LEN);
	buf_printf(b, "\"%s\"", e);
	free(e);
}

/*====================================================================
 * The file: mapped, never read into memory
 *====================================================================*/

/* A mapped file. Pages already read are given back as reading goes on
 * (they are clean: the kernel reads them again from the file if touched),
 * so resident memory stays bounded as well for a file of gigabytes. */
typedef struct mapped {
	const char *data;
	size_t len;
	void *map;
	size_t released; /* bytes [0, released) were given back */
	size_t cur;      /* start of line cur_line, for release_line */
	long cur_line;
} mapped;

#define RELEASE_STEP ((size_t)8 << 20)  /* give pages back 8 MB at a time */
#define RELEASE_LAG ((size_t)1 << 20)   /* and never the last 1 MB read */

/* Gives back the pages before off, less the lag, in steps. */
static void release_upto(mapped *m, size_t off)
{
	size_t page = (size_t)sysconf(_SC_PAGESIZE), end;

	if (off < m->released + RELEASE_STEP + RELEASE_LAG)
		return;
	end = (off - RELEASE_LAG) / page * page;
	if (end > m->released) {
		madvise((char *)m->map + m->released, end - m->released, MADV_DONTNEED);
		m->released = end;
	}
}

/* The same, by the physical line a record starts on (LF-counted: a CR-only
 * file gives back less, never more than was read). */
static void release_line(mapped *m, long line)
{
	while (m->cur_line < line) {
		const char *nl = memchr(m->data + m->cur, '\n', m->len - m->cur);
		if (!nl)
			break;
		m->cur = (size_t)(nl - m->data) + 1;
		m->cur_line++;
	}
	release_upto(m, m->cur);
}

/* Starts reading from the beginning again. */
static void release_reset(mapped *m)
{
	m->released = 0;
	m->cur = 0;
	m->cur_line = 1;
}

static int map_file(mapped *m, const char *path, const char *cmd)
{
	struct stat st;
	int fd;

	memset(m, 0, sizeof(*m));
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return fail(cmd,
			    errno == ENOENT ? "check the file name and the current folder"
					    : "check the file's permissions",
			    "cannot open %s: %s", path, strerror(errno));
	if (fstat(fd, &st) < 0) {
		int e = errno;
		close(fd);
		return fail(cmd, NULL, "cannot read %s: %s", path, strerror(e));
	}
	if (S_ISDIR(st.st_mode)) {
		close(fd);
		return fail(cmd, "give the path of a CSV file", "%s is a folder, not a CSV file", path);
	}
	if (!S_ISREG(st.st_mode)) {
		close(fd);
		return fail(cmd, "give the path of a CSV file saved on disk",
			    "%s is not a regular file", path);
	}
	if (st.st_size == 0) {
		close(fd);
		return fail(cmd, "export the table as CSV with its header row (the column names) first",
			    "%s is empty", path);
	}
	m->len = (size_t)st.st_size;
	m->map = mmap(NULL, m->len, PROT_READ, MAP_PRIVATE, fd, 0);
	close(fd);
	if (m->map == MAP_FAILED) {
		m->map = NULL;
		return fail(cmd, NULL, "cannot read %s: %s", path, strerror(errno));
	}
	madvise(m->map, m->len, MADV_SEQUENTIAL);
	m->data = m->map;
	release_reset(m);
	return 0;
}

static void unmap_file(mapped *m)
{
	if (m->map)
		munmap(m->map, m->len);
	memset(m, 0, sizeof(*m));
}

/*====================================================================
 * Encoding detection
 *====================================================================*/

/* Returns the offset of the first byte that is not valid UTF-8, or len. */
static size_t utf8_check(const unsigned char *s, size_t len)
{
	return csvscan_utf8_prefix((const char *)s, len);
}

/* utf8_check over the whole file, giving pages back as it goes. */
static size_t utf8_check_file(mapped *m)
{
	size_t pos = 0;

	while (pos < m->len) {
		size_t end = m->len - pos > RELEASE_STEP ? pos + RELEASE_STEP : m->len, bad;
		while (end < m->len && end > pos && ((unsigned char)m->data[end] & 0xC0) == 0x80)
			end--; /* end on a character boundary */
		bad = utf8_check((const unsigned char *)m->data + pos, end - pos);
		/* csvscan_utf8_prefix returns less than its length at an invalid byte */
		/* cppcheck-suppress knownConditionTrueFalse */
		if (bad < end - pos)
			return pos + bad;
		pos = end;
		release_upto(m, pos);
	}
	return m->len;
}

/* True when the whole file decodes as CP932, as csvscan will decode it. */
static int cp932_valid(mapped *m)
{
	const char *data = m->data;
	size_t len = m->len;
	iconv_t cd = iconv_open("UTF-8", "CP932");
	char *out;
	size_t pos = 0;
	int ok = 1;

	if (cd == (iconv_t)-1)
		return 0;
	out = xmalloc(65536 * 4);
	while (pos < len && ok) {
		size_t n = len - pos > 65536 ? 65536 : len - pos;
		char *in = (char *)data + pos, *o = out;
		size_t inleft = n, oleft = 65536 * 4;
		if (iconv(cd, &in, &inleft, &o, &oleft) == (size_t)-1 && errno != EINVAL)
			ok = 0;
		else if (inleft == n)
			ok = 0; /* a character cut by the end of the file */
		pos += n - inleft;
		release_upto(m, pos);
	}
	free(out);
	iconv_close(cd);
	return ok;
}

static long line_of(const char *data, size_t off)
{
	long line = 1;
	size_t i;
	for (i = 0; i < off; i++)
		if (data[i] == '\n')
			line++;
	return line;
}

/*====================================================================
 * Candidate types: one-field schemas, tried cell by cell
 *====================================================================*/

enum {
	C_INTEGER,
	C_INTEGER_GROUPED,
	C_NUMBER,
	C_NUMBER_GROUPED,
	C_DATE,
	C_DATE_SLASH,
	C_DATE_JA,
	C_DATETIME,
	C_YEARMONTH,
	C_BOOLEAN,
	C_LAT_JAPAN,
	C_LAT,
	C_LON_JAPAN,
	C_LON,
	NCAND
};
#define BIT(k) (1u << (k))
#define ALL_TYPES (BIT(C_LAT_JAPAN) - 1) /* every candidate before the coordinates */

/* The field (without its name) that candidate k stands for; a new reference. */
static json_t *cand_field(int k)
{
	switch (k) {
	case C_INTEGER:
		return json_pack("{s:s}", "type", "integer");
	case C_INTEGER_GROUPED:
		return json_pack("{s:s, s:s}", "type", "integer", "groupChar", ",");
	case C_NUMBER:
		return json_pack("{s:s}", "type", "number");
	case C_NUMBER_GROUPED:
		return json_pack("{s:s, s:s}", "type", "number", "groupChar", ",");
	case C_DATE:
		return json_pack("{s:s}", "type", "date");
	case C_DATE_SLASH:
		return json_pack("{s:s, s:s}", "type", "date", "format", "%Y/%m/%d");
	case C_DATE_JA:
		return json_pack("{s:s, s:s}", "type", "date", "format", "%Y年%m月%d日");
	case C_DATETIME:
		return json_pack("{s:s}", "type", "datetime");
	case C_YEARMONTH:
		return json_pack("{s:s}", "type", "yearmonth");
	case C_BOOLEAN:
		return json_pack("{s:s}", "type", "boolean");
	case C_LAT_JAPAN:
		return json_pack("{s:s, s:{s:i, s:i}}", "type", "number", "constraints", "minimum", 20,
				 "maximum", 46);
	case C_LAT:
		return json_pack("{s:s, s:{s:i, s:i}}", "type", "number", "constraints", "minimum", -90,
				 "maximum", 90);
	case C_LON_JAPAN:
		return json_pack("{s:s, s:{s:i, s:i}}", "type", "number", "constraints", "minimum", 122,
				 "maximum", 154);
	case C_LON:
		return json_pack("{s:s, s:{s:i, s:i}}", "type", "number", "constraints", "minimum", -180,
				 "maximum", 180);
	}
	return NULL;
}

/* Loads every candidate. One that schema.c refuses is left NULL and is
 * never offered (a column cannot get a type the validator does not know). */
static void cands_load(odc_schema **cand)
{
	int k;

	for (k = 0; k < NCAND; k++) {
		odc_diags d = ODC_DIAGS_INIT;
		json_t *f = cand_field(k), *s;
		json_object_set_new(f, "name", json_string("value"));
		s = json_pack("{s:[o]}", "fields", f);
		cand[k] = NULL;
		if (schema_load(&cand[k], s, "(candidate)", "", &d) < 0 || d.errors) {
			schema_free(cand[k]);
			cand[k] = NULL;
		}
		diag_free(&d);
		json_decref(s);
	}
}

static void cands_free(odc_schema **cand)
{
	int k;
	for (k = 0; k < NCAND; k++) {
		schema_free(cand[k]);
		cand[k] = NULL;
	}
}

/*====================================================================
 * Columns: counters, digit shape and a few distinct values
 *====================================================================*/

typedef struct column {
	char *name;           /* the header label (or "field<N>" when blank) */
	int blank_label;      /* the header label was empty */
	long filled, empty;   /* cells with and without a value (a missing cell is empty) */
	unsigned alive;       /* BIT(k): candidate k accepted every value so far */
	int lat, lon;         /* the name says latitude / longitude */
	int idlike;           /* the name says code, phone, postal or other number */
	int phone;            /* the name says phone or fax */
	int zero_start;       /* every value starts with '0' */
	char *vals[MAX_DISTINCT]; /* distinct values in order of appearance (owned) */
	size_t nvals;
	int many;             /* more than MAX_DISTINCT values (or a long one): vals freed */
	int shape_ok;         /* every value is digits with separators, same layout */
	size_t ngroups;       /* digit groups of that layout */
	char seps[MAX_GROUPS];  /* separator after group g */
	size_t gmin[MAX_GROUPS], gmax[MAX_GROUPS]; /* digits in group g */
	char *lead_zero;      /* first value with a leading zero, like "011002" (owned) */
	int long_digits;      /* some value has more than LONG_DIGITS digits */
	int bad_grouping;     /* some value has a ',' that is not a thousands separator */
	long not_number;      /* values that are not numbers (counted while they are few) */
	int nn_gave_up;       /* too many to count: the column is not "almost numeric" */
	char *nn_example;     /* the first of them, shortened for a note (owned) */
	long nn_line;
	double min, max;      /* of the values, while they are numbers */
	int ranged;
} column;

typedef struct infer_state {
	mapped *m;             /* the file, to give back what was read */
	odc_schema *cand[NCAND];
	column *cols;
	size_t ncols;
	int have_header;
	long rows;             /* data rows (records after the header) */
	long short_rows, short_line; /* rows with fewer cells than the header; the first one */
	long long_rows, long_line;   /* rows with more */
} infer_state;

/* Lower-cased ASCII copy (other bytes as they are), for name matching. */
static char *ascii_lower(const char *s)
{
	char *l = xstrdup(s), *p;
	for (p = l; *p; p++)
		if (*p >= 'A' && *p <= 'Z')
			*p += 32;
	return l;
}

static void name_hints(column *c)
{
	static const char *const idwords[] = {"コード", "番号", "電話", "郵便", "ＦＡＸ", "〒",
					       "code", "phone", "postal", "zip", "fax", "telephone"};
	char *l = ascii_lower(c->name);
	size_t i, n = strlen(l);

	c->lat = strstr(l, "緯度") || !strcmp(l, "lat") || strstr(l, "latitude");
	c->lon = strstr(l, "経度") || !strcmp(l, "lon") || !strcmp(l, "lng") || !strcmp(l, "long") ||
		 strstr(l, "longitude");
	if (c->lat && c->lon)
		c->lat = c->lon = 0;
	for (i = 0; i < sizeof(idwords) / sizeof(idwords[0]) && !c->idlike; i++)
		c->idlike = strstr(l, idwords[i]) != NULL;
	c->phone = strstr(l, "電話") || strstr(l, "ＦＡＸ") || strstr(l, "phone") || strstr(l, "fax");
	if (!strcmp(l, "tel") || !strncmp(l, "tel_", 4) || (n > 4 && !strcmp(l + n - 4, "_tel")))
		c->idlike = c->phone = 1;
	free(l);
}

static void distinct_drop(column *c)
{
	size_t i;
	for (i = 0; i < c->nvals; i++)
		free(c->vals[i]);
	c->nvals = 0;
	c->many = 1;
}

static void distinct_add(column *c, const char *s, size_t len)
{
	size_t i;

	if (c->many)
		return;
	if (len > MAX_DISTINCT_LEN) {
		distinct_drop(c);
		return;
	}
	for (i = 0; i < c->nvals; i++) {
		if (strlen(c->vals[i]) == len && !memcmp(c->vals[i], s, len))
			return;
	}
	if (c->nvals == MAX_DISTINCT) {
		distinct_drop(c);
		return;
	}
	c->vals[c->nvals++] = xstrndup(s, len);
}

/* Digits with separators (- : / .), at most MAX_GROUPS groups: records the
 * layout when it is the first value, or checks it is the same layout. */
static void shape_add(column *c, const char *s, size_t len)
{
	size_t lens[MAX_GROUPS], g = 0, run = 0, i;
	char seps[MAX_GROUPS] = {0};

	if (!c->shape_ok)
		return;
	for (i = 0; i < len; i++) {
		char ch = s[i];
		if (ch >= '0' && ch <= '9') {
			run++;
		} else if ((ch == '-' || ch == ':' || ch == '/' || ch == '.') && run > 0 &&
			   g + 1 < MAX_GROUPS) {
			lens[g] = run;
			seps[g++] = ch;
			run = 0;
		} else {
			c->shape_ok = 0;
			return;
		}
	}
	if (run == 0) {
		c->shape_ok = 0;
		return;
	}
	lens[g++] = run;
	if (g == 1 && lens[0] > 1 && s[0] == '0' && !c->lead_zero)
		c->lead_zero = xstrndup(s, len > 40 ? 40 : len);
	if (g == 1 && lens[0] > LONG_DIGITS)
		c->long_digits = 1;
	if (c->ngroups == 0) {
		c->ngroups = g;
		for (i = 0; i < g; i++) {
			c->seps[i] = seps[i];
			c->gmin[i] = c->gmax[i] = lens[i];
		}
		return;
	}
	if (g != c->ngroups) {
		c->shape_ok = 0;
		return;
	}
	for (i = 0; i < g; i++) {
		if (c->seps[i] != seps[i]) {
			c->shape_ok = 0;
			return;
		}
		if (lens[i] < c->gmin[i])
			c->gmin[i] = lens[i];
		if (lens[i] > c->gmax[i])
			c->gmax[i] = lens[i];
	}
}

/* A value with a comma must use it as a thousands separator: 1,234,567.8. */
static int good_grouping(const char *s, size_t len)
{
	size_t i = 0, run = 0, groups = 0;

	if (i < len && (s[i] == '-' || s[i] == '+'))
		i++;
	for (; i < len && s[i] != '.'; i++) {
		if (s[i] >= '0' && s[i] <= '9') {
			run++;
		} else if (s[i] == ',') {
			if (run == 0 || (groups == 0 ? run > 3 : run != 3))
				return 0;
			groups++;
			run = 0;
		} else {
			return 0;
		}
	}
	return groups > 0 && run == 3;
}

static void observe(infer_state *st, column *c, const char *s, size_t len, long line)
{
	odc_value v;
	odc_cell_error err;
	int k;

	if (len == 0) {
		c->empty++;
		return;
	}
	c->filled++;
	for (k = 0; k < NCAND; k++) {
		int ok;
		/* Numbers are still tried after they failed, while failures are
		 * few (10, or 5% of the values), to tell "almost numeric". */
		int counting = 0;
		if (k == C_NUMBER && c->not_number > 0 && !c->nn_gave_up) {
			counting = c->not_number <= 10 || c->not_number * 20 <= c->filled;
			c->nn_gave_up = !counting;
		}
		if (!(c->alive & BIT(k)) && !counting)
			continue;
		ok = st->cand[k] && schema_check_cell(st->cand[k], 0, s, len, &v, &err) == 0;
		if (ok && k == C_NUMBER && !v.missing && isfinite(v.num)) {
			if (!c->ranged || v.num < c->min)
				c->min = v.num;
			if (!c->ranged || v.num > c->max)
				c->max = v.num;
			c->ranged = 1;
		}
		if (!ok) {
			c->alive &= ~BIT(k);
			if (k == C_NUMBER) {
				if (!c->not_number++) {
					c->nn_example = diag_shorten(s, len, EXAMPLE_LEN);
					c->nn_line = line;
				}
			}
		}
	}
	if (s[0] != '0')
		c->zero_start = 0;
	if (memchr(s, ',', len) && !good_grouping(s, len))
		c->bad_grouping = 1;
	distinct_add(c, s, len);
	shape_add(c, s, len);
}

static void header(infer_state *st, const odc_record *rec)
{
	size_t i;

	st->have_header = 1;
	st->ncols = rec->n;
	st->cols = xcalloc(rec->n, sizeof(*st->cols));
	for (i = 0; i < rec->n; i++) {
		column *c = &st->cols[i];
		if (rec->lens[i] == 0) {
			odc_buf b = ODC_BUF_INIT;
			buf_printf(&b, "field%zu", i + 1);
			c->name = buf_detach(&b);
			c->blank_label = 1;
		} else {
			c->name = xstrndup(rec->fields[i], rec->lens[i]);
		}
		name_hints(c);
		c->alive = ALL_TYPES;
		if (c->lat)
			c->alive |= BIT(C_LAT_JAPAN) | BIT(C_LAT);
		if (c->lon)
			c->alive |= BIT(C_LON_JAPAN) | BIT(C_LON);
		c->shape_ok = 1;
		c->zero_start = 1;
	}
}

static int on_record(void *payload, const odc_record *rec)
{
	infer_state *st = payload;
	size_t i;

	if (!st->have_header) {
		header(st, rec);
		return 0;
	}
	release_line(st->m, rec->line);
	st->rows++;
	if (rec->n > st->ncols && !st->long_rows++)
		st->long_line = rec->line;
	if (rec->n < st->ncols && !st->short_rows++)
		st->short_line = rec->line;
	for (i = 0; i < st->ncols; i++) {
		if (i < rec->n)
			observe(st, &st->cols[i], rec->fields[i], rec->lens[i], rec->line);
		else
			st->cols[i].empty++;
	}
	return 0;
}

static void state_free(infer_state *st)
{
	size_t i;

	for (i = 0; i < st->ncols; i++) {
		column *c = &st->cols[i];
		distinct_drop(c);
		free(c->name);
		free(c->lead_zero);
		free(c->nn_example);
	}
	free(st->cols);
	cands_free(st->cand);
}

/*====================================================================
 * From counters to a field
 *====================================================================*/

/* Values Table Schema's default boolean reads, in consistent pairs. */
static int boolean_pair(const column *c)
{
	static const char *const fam[][2] = {{"true", "false"}, {"True", "False"}, {"TRUE", "FALSE"}};
	size_t f, i;

	if (c->many || c->nvals == 0)
		return 0;
	for (f = 0; f < sizeof(fam) / sizeof(fam[0]); f++) {
		for (i = 0; i < c->nvals; i++)
			if (strcmp(c->vals[i], fam[f][0]) && strcmp(c->vals[i], fam[f][1]))
				break;
		if (i == c->nvals)
			return 1;
	}
	return 0;
}

/* Yes/no flags that are not booleans in Table Schema: the pair, or -1. */
static const char *const flag_pairs[][2] = {
	{"有", "無"}, {"あり", "なし"}, {"有り", "無し"}, {"○", "×"}, {"〇", "×"},
	{"はい", "いいえ"}, {"可", "不可"}, {"yes", "no"}, {"Yes", "No"}, {"YES", "NO"},
	{"Y", "N"},
};
static int flag_pair(const column *c)
{
	size_t f, i;

	if (c->many || c->nvals == 0 || c->nvals > 2)
		return -1;
	for (f = 0; f < sizeof(flag_pairs) / sizeof(flag_pairs[0]); f++) {
		for (i = 0; i < c->nvals; i++)
			if (strcmp(c->vals[i], flag_pairs[f][0]) && strcmp(c->vals[i], flag_pairs[f][1]))
				break;
		if (i == c->nvals)
			return (int)f;
	}
	return -1;
}

static void put_digits(odc_buf *b, size_t min, size_t max)
{
	if (min == 1 && max == 1)
		buf_puts(b, "[0-9]");
	else if (min == max)
		buf_printf(b, "[0-9]{%zu}", min);
	else
		buf_printf(b, "[0-9]{%zu,%zu}", min, max);
}

/* The digit shape as an anchored pattern: ^[0-9]{3}-[0-9]{4}$. Two
 * layouts are widened beyond what was seen, as the next value will need:
 * times (9:00 and 10:00 alike) and Japanese phone numbers (area codes of
 * 2 to 5 digits). */
static char *shape_pattern(const column *c, const char **kind)
{
	odc_buf b = ODC_BUF_INIT;
	size_t g;
	int colons = c->ngroups >= 2 && c->ngroups <= 3, phone;

	for (g = 0; g + 1 < c->ngroups; g++)
		colons = colons && c->seps[g] == ':';
	for (g = 1; g < c->ngroups && colons; g++)
		colons = c->gmin[g] == 2 && c->gmax[g] == 2;
	colons = colons && c->gmax[0] <= 2;
	phone = c->phone && c->zero_start && c->ngroups == 3 && c->seps[0] == '-' &&
		c->seps[1] == '-' && c->gmin[0] >= 2 && c->gmax[0] <= 5 && c->gmax[1] <= 4 &&
		c->gmin[2] >= 3 && c->gmax[2] <= 4;
	*kind = NULL;
	if (colons) {
		*kind = "hh:mm times";
		return xstrdup(c->ngroups == 2 ? "^[0-9]{1,2}:[0-9]{2}$" : "^[0-9]{1,2}:[0-9]{2}:[0-9]{2}$");
	}
	if (phone) {
		*kind = "Japanese phone numbers";
		return xstrdup("^0[0-9]{1,4}-[0-9]{1,4}-[0-9]{3,4}$");
	}
	buf_putc(&b, '^');
	for (g = 0; g < c->ngroups; g++) {
		put_digits(&b, c->gmin[g], c->gmax[g]);
		if (g + 1 < c->ngroups) {
			if (c->seps[g] == '.')
				buf_puts(&b, "\\.");
			else
				buf_putc(&b, c->seps[g]);
		}
	}
	buf_putc(&b, '$');
	return buf_detach(&b);
}

static int cand_alive(const infer_state *st, const column *c, int k)
{
	return st->cand[k] && (c->alive & BIT(k));
}

/* Decides the field for column c; appends the reasons to note. Returns a
 * new reference. */
static json_t *decide(const infer_state *st, column *c, odc_buf *note)
{
	static const int order[] = {C_INTEGER, C_INTEGER_GROUPED, C_NUMBER, C_NUMBER_GROUPED,
				    C_DATE, C_DATE_SLASH, C_DATE_JA, C_DATETIME, C_YEARMONTH};
	json_t *field = json_object(), *cons = json_object(), *t;
	int k = -1, fp = -1;
	size_t i;
	char *pattern = NULL;

	json_object_set_new(field, "name", json_string(c->name));
	if (c->filled == 0) {
		buf_puts(note, "string: every cell is empty");
		goto string;
	}
	for (i = 0; i < sizeof(order) / sizeof(order[0]) && k < 0; i++) {
		int grouped = order[i] == C_INTEGER_GROUPED || order[i] == C_NUMBER_GROUPED;
		if (cand_alive(st, c, order[i]) && !(grouped && c->bad_grouping))
			k = order[i];
	}
	if (k < 0 && cand_alive(st, c, C_BOOLEAN) && boolean_pair(c))
		k = C_BOOLEAN;

	/* Numbers that are really identifiers stay text. */
	if ((k == C_INTEGER || k == C_NUMBER) && c->shape_ok && c->ngroups == 1 && !c->lat &&
	    !c->lon && (c->lead_zero || c->long_digits || c->idlike)) {
		buf_puts(note, "string, not a number: ");
		if (c->lead_zero) {
			buf_puts(note, "leading zeros must be kept (");
			put_example(note, c->lead_zero, strlen(c->lead_zero));
			buf_putc(note, ')');
		} else if (c->long_digits) {
			buf_printf(note, "more than %d digits: an identifier", LONG_DIGITS);
		} else {
			buf_puts(note, "the name says it is a code or a phone/postal number");
		}
		goto string;
	}
	/* Coordinates: a number within Japan's extent, else the world's. */
	if ((c->lat || c->lon) && k >= 0 && k <= C_NUMBER_GROUPED) {
		int jp = c->lat ? C_LAT_JAPAN : C_LON_JAPAN, world = c->lat ? C_LAT : C_LON;
		const char *what = c->lat ? "latitude" : "longitude";
		if (cand_alive(st, c, jp)) {
			k = jp;
			buf_printf(note, "number (%s)", what);
			if (c->ranged)
				put_range(note, " ", c->min, c->max);
			buf_printf(note, ", within Japan: minimum %d, maximum %d", c->lat ? 20 : 122,
				   c->lat ? 46 : 154);
		} else if (cand_alive(st, c, world)) {
			k = world;
			buf_printf(note, "number (%s)", what);
			if (c->ranged)
				put_range(note, " ", c->min, c->max);
			buf_printf(note, ": minimum %d, maximum %d", c->lat ? -90 : -180,
				   c->lat ? 90 : 180);
		} else {
			buf_printf(note, "%s; warning: the name says %s but some values are outside "
				   "%s (are latitude and longitude swapped?)",
				   k == C_INTEGER || k == C_INTEGER_GROUPED ? "integer" : "number", what,
				   c->lat ? "-90 to 90" : "-180 to 180");
		}
		goto typed;
	}
	switch (k) {
	case C_INTEGER:
	case C_NUMBER:
		buf_puts(note, k == C_INTEGER ? "integer" : "number");
		if (c->ranged)
			put_range(note, ", ", c->min, c->max);
		break;
	case C_INTEGER_GROUPED:
	case C_NUMBER_GROUPED:
		buf_printf(note, "%s with ',' between thousands (groupChar)",
			   k == C_INTEGER_GROUPED ? "integer" : "number");
		break;
	case C_DATE:
		buf_puts(note, "date (YYYY-MM-DD)");
		break;
	case C_DATE_SLASH:
		buf_puts(note, "date in the form %Y/%m/%d");
		break;
	case C_DATE_JA:
		buf_puts(note, "date in the form %Y年%m月%d日");
		break;
	case C_DATETIME:
		buf_puts(note, "datetime (YYYY-MM-DDThh:mm:ss)");
		break;
	case C_YEARMONTH:
		buf_puts(note, "yearmonth (YYYY-MM)");
		break;
	case C_BOOLEAN:
		buf_puts(note, "boolean (");
		for (i = 0; i < c->nvals; i++)
			buf_printf(note, "%s%s", i ? "/" : "", c->vals[i]);
		buf_putc(note, ')');
		break;
	default:
		buf_puts(note, "string");
		if (c->not_number > 0 && !c->nn_gave_up && c->not_number * 20 <= c->filled) {
			buf_printf(note, "; almost numeric: %ld value%s not a number, e.g. ", c->not_number,
				   c->not_number == 1 ? " is" : "s are");
			buf_printf(note, "\"%s\"", c->nn_example);
			buf_printf(note, " on line %ld (if such values mean \"no value\", leave the cells "
				   "empty and run infer again)", c->nn_line);
		} else if (cand_alive(st, c, C_BOOLEAN) && !c->many) {
			buf_puts(note, " (values read as true/false, but not as one consistent pair)");
		}
		goto string;
	}
typed:
	t = cand_field(k);
	{
		json_t *tc = json_object_get(t, "constraints");
		if (c->empty == 0 && st->rows > 0)
			json_object_set_new(cons, "required", json_true());
		if (tc)
			json_object_update(cons, tc);
		json_object_del(t, "constraints");
	}
	json_object_update(field, t);
	json_decref(t);
	goto constraints;

string:
	json_object_set_new(field, "type", json_string("string"));
	if (c->empty == 0 && st->rows > 0)
		json_object_set_new(cons, "required", json_true());
	if (c->filled > 0 && c->shape_ok) {
		const char *kind;
		pattern = shape_pattern(c, &kind);
		json_object_set_new(cons, "pattern", json_string(pattern));
		buf_printf(note, "; pattern %s", pattern);
		if (kind)
			buf_printf(note, " (%s)", kind);
		free(pattern);
	} else if (c->filled > 0 && (fp = flag_pair(c)) >= 0) {
		json_object_set_new(cons, "enum", json_pack("[s,s]", flag_pairs[fp][0], flag_pairs[fp][1]));
		buf_printf(note, "; %s/%s is a yes/no flag, not a Table Schema boolean "
			   "(true/false): enum suggested", flag_pairs[fp][0], flag_pairs[fp][1]);
	} else if (c->filled >= ENUM_MIN_ROWS && !c->many && c->nvals == 1) {
		buf_puts(note, "; the same value in every filled cell (no enum suggested)");
	} else if (c->filled >= ENUM_MIN_ROWS && !c->many && c->nvals <= ENUM_MAX) {
		json_t *e = json_array();
		for (i = 0; i < c->nvals; i++)
			json_array_append_new(e, json_string(c->vals[i]));
		json_object_set_new(cons, "enum", e);
		buf_printf(note, "; %zu distinct value%s in %ld cells: enum suggested", c->nvals,
			   c->nvals == 1 ? "" : "s", c->filled);
	}

constraints:
	if (st->rows > 0) {
		if (c->empty == 0)
			buf_puts(note, "; required (no empty cell)");
		else if (c->filled > 0)
			buf_printf(note, "; %ld empty cell%s: not required", c->empty,
				   c->empty == 1 ? "" : "s");
	}
	if (json_object_size(cons))
		json_object_set(field, "constraints", cons);
	json_decref(cons);
	return field;
}

/*====================================================================
 * Checking the draft against the file
 *====================================================================*/

typedef struct vfield {
	long bad;             /* cells the draft rejects */
	long line;            /* the first of them */
	char *value;          /* owned */
	odc_cell_error err;   /* why */
} vfield;

typedef struct verify_state {
	mapped *m;
	odc_schema *s;
	size_t n;
	vfield *v;
	int have_header;
} verify_state;

static int on_verify(void *payload, const odc_record *rec)
{
	verify_state *vs = payload;
	size_t i;

	if (!vs->have_header) {
		vs->have_header = 1;
		return 0;
	}
	release_line(vs->m, rec->line);
	for (i = 0; i < vs->n; i++) {
		const char *cell = i < rec->n ? rec->fields[i] : "";
		size_t len = i < rec->n ? rec->lens[i] : 0;
		odc_value val;
		odc_cell_error err;
		if (schema_check_cell(vs->s, i, cell, len, &val, &err) == 0)
			continue;
		if (!vs->v[i].bad++) {
			vs->v[i].line = rec->line;
			vs->v[i].value = diag_shorten(cell, len, EXAMPLE_LEN);
			vs->v[i].err = err;
		}
	}
	return 0;
}

/* Drops from field what rejected a value: the constraint, or the type. */
static void degrade(json_t *field, const vfield *v, const char *file, const char *cmd)
{
	json_t *cons = json_object_get(field, "constraints");
	const char *name = json_string_value(json_object_get(field, "name"));
	const char *what = v->err.constraint;

	fprintf(stderr, "odcat %s: warning: %s: column \"%s\": the draft rejects %ld value%s "
		"(first \"%s\" on line %ld: expected %s); ",
		cmd, file, name, v->bad, v->bad == 1 ? "" : "s", v->value, v->line, v->err.expected);
	if (what && cons && strcmp(what, "required") != 0) {
		if (!strcmp(what, "minimum") || !strcmp(what, "maximum")) {
			json_object_del(cons, "minimum");
			json_object_del(cons, "maximum");
		} else {
			json_object_del(cons, what);
		}
		fprintf(stderr, "its %s constraint is dropped\n", what);
	} else if (what && cons) {
		json_object_del(cons, "required");
		fprintf(stderr, "it is no longer required\n");
	} else {
		json_t *keep = json_object_get(cons, "required");
		json_t *f = json_pack("{s:s, s:s}", "name", name, "type", "string");
		if (json_is_true(keep))
			json_object_set_new(f, "constraints", json_pack("{s:b}", "required", 1));
		json_object_clear(field);
		json_object_update(field, f);
		json_decref(f);
		fprintf(stderr, "it is typed string instead\n");
		return;
	}
	if (cons && json_object_size(cons) == 0)
		json_object_del(field, "constraints");
}

/* Checks schema against the file until it accepts every row (or gives
 * up). Returns 1 when every row was accepted, 0 when the check could not
 * be made. */
static int verify(json_t *schema, mapped *m, const odc_csv_opts *o, const char *file,
		  const char *cmd)
{
	json_t *fields = json_object_get(schema, "fields");
	size_t n = json_array_size(fields), i;
	int pass, ok = 0;

	for (pass = 0; pass < VERIFY_PASSES && !ok; pass++) {
		odc_diags d = ODC_DIAGS_INIT;
		verify_state vs;
		size_t failed = 0;

		memset(&vs, 0, sizeof(vs));
		if (schema_load(&vs.s, schema, file, "", &d) < 0 || d.errors) {
			fprintf(stderr, "odcat %s: warning: the draft schema could not be checked:\n", cmd);
			diag_print(&d, stderr, ODC_FMT_TEXT, "en", 0);
			schema_free(vs.s);
			diag_free(&d);
			return 0;
		}
		vs.n = n;
		vs.m = m;
		vs.v = xcalloc(n ? n : 1, sizeof(*vs.v));
		release_reset(m);
		if (csvscan_run(m->data, m->len, o, on_verify, &vs, file, &d) < 0) {
			diag_print(&d, stderr, ODC_FMT_TEXT, "en", 0);
			pass = VERIFY_PASSES;
		} else {
			for (i = 0; i < n; i++) {
				if (vs.v[i].bad) {
					failed++;
					degrade(json_array_get(fields, i), &vs.v[i], file, cmd);
				}
			}
			ok = failed == 0;
		}
		for (i = 0; i < n; i++)
			free(vs.v[i].value);
		free(vs.v);
		schema_free(vs.s);
		diag_free(&d);
	}
	return ok;
}

/*====================================================================
 * Inference of one file
 *====================================================================*/

typedef struct infer_result {
	json_t *schema;  /* the draft Table Schema (owned) */
	char *encoding;  /* label for datapackage.json: "utf-8", "shift_jis" or as given (owned) */
	long rows;
	size_t columns;
} infer_result;

static void result_free(infer_result *r)
{
	json_decref(r->schema);
	free(r->encoding);
	memset(r, 0, sizeof(*r));
}

/* Infers the schema of the CSV file at path, printing notes to stderr.
 * enc_opt NULL = detect. Returns 0 with *res filled, or the exit code 2
 * after an error message. */
static int infer_file(const char *path, const char *enc_opt, char delim, const char *cmd,
		      infer_result *res)
{
	mapped m;
	infer_state st;
	odc_diags d = ODC_DIAGS_INIT;
	odc_csv_opts o;
	const char *label, *shown;
	json_t *fields = NULL;
	int rc, bom, checked;
	size_t i;

	memset(res, 0, sizeof(*res));
	memset(&st, 0, sizeof(st));
	if ((rc = map_file(&m, path, cmd)) != 0)
		return rc;
	/* m.data is mapped whenever m.len > 0 */
	/* NOLINTNEXTLINE(clang-analyzer-core.NonNullParamChecker) */
	bom = m.len >= 3 && !memcmp(m.data, "\xEF\xBB\xBF", 3);

	/* The encoding: as given, else UTF-8 when the bytes are, else CP932. */
	if (enc_opt) {
		label = enc_opt;
		shown = enc_opt;
		if (!strcmp(csvscan_encoding_name(enc_opt), "UTF-8")) {
			label = "utf-8";
			shown = bom ? "utf-8 with BOM (as given)" : "utf-8 (as given)";
		}
	} else {
		size_t bad = utf8_check_file(&m);
		int sjis = 0;
		if (bad < m.len && !bom) {
			release_reset(&m);
			sjis = cp932_valid(&m);
		}
		if (bad == m.len) {
			label = "utf-8";
			shown = bom ? "utf-8 with BOM (detected)" : "utf-8 (detected)";
		} else if (sjis) {
			label = "shift_jis";
			shown = "shift_jis (detected: the bytes are not UTF-8 but decode as CP932)";
		} else {
			rc = fail(cmd, "save the file as UTF-8 (in Excel: \"CSV UTF-8\"), or give its "
				  "encoding with --encoding",
				  "%s: line %ld: byte 0x%02X is neither UTF-8 nor Shift_JIS (CP932)", path,
				  /* bad < m.len here, so the file is not empty and m.data is mapped */
				  /* NOLINTNEXTLINE(clang-analyzer-core.NullDereference) */
				  line_of(m.data, bad), (unsigned char)m.data[bad]);
			unmap_file(&m);
			return rc;
		}
	}
	memset(&o, 0, sizeof(o));
	o.delimiter = delim;
	o.quote = '"';
	o.encoding = label;

	cands_load(st.cand);
	st.m = &m;
	release_reset(&m);
	if (csvscan_run(m.data, m.len, &o, on_record, &st, path, &d) < 0) {
		diag_print(&d, stderr, ODC_FMT_TEXT, "en", 0);
		rc = fail(cmd, "fix the CSV (or give --encoding / --delimiter) and run again",
			  "%s cannot be read as CSV", path);
		goto done;
	}
	if (!st.have_header) {
		rc = fail(cmd, "the first line of the file must be the header (the column names)",
			  "%s has no header row: it holds only blank lines", path);
		goto done;
	}

	fprintf(stderr, "odcat %s: %s: encoding %s; %ld row%s; %zu column%s\n", cmd, path, shown,
		st.rows, st.rows == 1 ? "" : "s", st.ncols, st.ncols == 1 ? "" : "s");
	if (st.rows == 0)
		fprintf(stderr, "  note: there are no data rows, only the header: every column is "
			"typed string\n");
	if (st.ncols == 1 && delim == ',' &&
	    (strchr(st.cols[0].name, '\t') || strchr(st.cols[0].name, ';')))
		fprintf(stderr, "  note: the header has one column; if the file is separated by tabs or "
			"';', give --delimiter\n");
	if (st.short_rows)
		fprintf(stderr, "  note: %ld row%s fewer cells than the header (first on line %ld): "
			"the missing cells count as empty\n",
			st.short_rows, st.short_rows == 1 ? " has" : "s have", st.short_line);
	if (st.long_rows)
		fprintf(stderr, "  warning: %ld row%s more cells than the header (first on line %ld): "
			"the extra cells have no column and are not described\n",
			st.long_rows, st.long_rows == 1 ? " has" : "s have", st.long_line);

	fields = json_array();
	for (i = 0; i < st.ncols; i++) {
		odc_buf note = ODC_BUF_INIT;
		size_t j;
		column *c = &st.cols[i];
		json_array_append_new(fields, decide(&st, c, &note));
		fprintf(stderr, "  %zu %s: %s\n", i + 1, c->name, buf_cstr(&note));
		if (c->blank_label)
			fprintf(stderr, "  warning: column %zu has no name in the header: it is called "
				"\"%s\" here; give it a name in the CSV\n", i + 1, c->name);
		for (j = 0; j < i; j++) {
			if (!strcmp(st.cols[j].name, c->name)) {
				fprintf(stderr, "  warning: column %zu has the same name as column %zu: "
					"rename one of them in the header\n", i + 1, j + 1);
				break;
			}
		}
		buf_free(&note);
	}
	res->schema = json_pack("{s:o}", "fields", fields);
	res->encoding = xstrdup(label);
	res->rows = st.rows;
	res->columns = st.ncols;
	cands_free(st.cand); /* before the check: it loads schemas of its own */

	checked = verify(res->schema, &m, &o, path, cmd);
	if (checked)
		fprintf(stderr, "odcat %s: checked: the schema accepts every row of %s\n", cmd, path);
	else
		fprintf(stderr, "odcat %s: warning: the schema could not be checked against every row "
			"of %s: review it, and run odcat check on the dataset\n", cmd, path);
	rc = 0;

done:
	diag_free(&d);
	state_free(&st);
	unmap_file(&m);
	if (rc)
		result_free(res);
	return rc;
}

/*====================================================================
 * odcat infer
 *====================================================================*/

static const char infer_help[] =
	"Usage: odcat infer FILE.csv [options]\n"
	"\n"
	"Reads a CSV file and prints a draft Table Schema for it (JSON) on standard\n"
	"output: one field per header column, with its type - integer, number, date\n"
	"(YYYY-MM-DD, or a format such as %Y/%m/%d or %Y年%m月%d日), datetime,\n"
	"yearmonth (YYYY-MM), boolean (true/false) or string - and suggested\n"
	"constraints: required when no cell is empty, enum for a small set of\n"
	"categories, pattern for codes, phone and postal numbers (kept as strings,\n"
	"with their leading zeros), and minimum/maximum for latitude (緯度) and\n"
	"longitude (経度).\n"
	"\n"
	"Notes go to standard error: the encoding found, the number of rows, and why\n"
	"each column got its type. The file is read as a stream, so large files work,\n"
	"and the draft is checked against every row before it is printed.\n"
	"\n"
	"Options:\n"
	"  --encoding E   the file's encoding: utf-8, or shift_jis (also sjis, cp932,\n"
	"                 windows-31j; read as CP932). Default: detected - UTF-8 (with\n"
	"                 or without BOM), else Shift_JIS when the bytes decode as CP932\n"
	"  --delimiter C  the character between fields (default \",\"; \"tab\" for a tab)\n"
	"  -h, --help     show this help\n"
	"\n"
	"Example:\n"
	"  odcat infer data.csv > schema.json\n"
	"\n"
	"Exit codes: 0 done; 2 cannot run (usage, or the file is missing, empty,\n"
	"unreadable or not CSV).\n";

/* Options shared by infer and new. Returns 1 when argv[*i] was one of
 * them, 0 when not, or an exit code + 2 (so > 1) after a usage error. */
static int csv_option(int argc, char **argv, int *i, const char *cmd, const char **enc, char *delim)
{
	const char *v = NULL;
	int m;

	if ((m = cli_opt_value(argc, argv, i, "--encoding", &v)) != 0) {
		if (m < 0 || !*v)
			return 2 + cli_usage(cmd, "option %s needs a value", "--encoding");
		*enc = v;
		return 1;
	}
	if ((m = cli_opt_value(argc, argv, i, "--delimiter", &v)) != 0) {
		int c;
		if (m < 0 || !*v)
			return 2 + cli_usage(cmd, "option %s needs a value", "--delimiter");
		if ((c = parse_delimiter(v)) < 0)
			return 2 + cli_usage(cmd, "--delimiter takes one ASCII character (or \"tab\"), "
					       "not '%s'", v);
		*delim = (char)c;
		return 1;
	}
	return 0;
}

int infer_main(int argc, char **argv)
{
	const char *file = NULL, *enc = NULL;
	char delim = ',';
	infer_result res;
	char *text;
	int i, rc;

	for (i = 0; i < argc; i++) {
		const char *a = argv[i];
		if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
			fputs(infer_help, stdout);
			return ODC_EXIT_OK;
		}
		if ((rc = csv_option(argc, argv, &i, "infer", &enc, &delim)) > 1)
			return rc - 2;
		if (rc == 1)
			continue;
		if (a[0] == '-' && a[1] != '\0')
			return cli_usage("infer", "unknown option '%s'", a);
		if (file)
			return cli_usage("infer", "unexpected argument '%s' (one CSV file at a time)", a);
		file = a;
	}
	if (!file)
		return cli_usage("infer", "%s", "missing the CSV file to read");
	if ((rc = infer_file(file, enc, delim, "infer", &res)) != 0)
		return rc;
	text = json_dumps(res.schema, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	fputs(text, stdout);
	fputc('\n', stdout);
	free(text);
	result_free(&res);
	if (fflush(stdout) != 0)
		return fail("infer", NULL, "cannot write the schema: %s", strerror(errno));
	return ODC_EXIT_OK;
}

/*====================================================================
 * odcat new
 *====================================================================*/

static const char new_help[] =
	"Usage: odcat new SLUG [options]\n"
	"\n"
	"Creates the folder datasets/SLUG/ for a new dataset, with a datapackage.json\n"
	"and a README.md (in Japanese, with a short English section) to fill in, and\n"
	"prints the next steps. The placeholders to replace are marked （ここに…） and\n"
	"TODO. licenses, publisher and contactPoint are left out: they fall back to\n"
	"odcat.json until you add them.\n"
	"\n"
	"SLUG is the dataset's folder and URL name: lower-case ASCII letters, digits\n"
	"and hyphens, starting with a letter or digit (e.g. aed-locations).\n"
	"\n"
	"Options:\n"
	"  --from FILE.csv  copy this CSV file into the folder and describe it as the\n"
	"                   dataset's resource, with the schema odcat infer drafts\n"
	"                   for it (without --from, an example resource data.csv is\n"
	"                   described and the CSV is yours to add)\n"
	"  --repo DIR       the catalogue repository to create the folder in\n"
	"                   (default: the current folder)\n"
	"  --encoding E     with --from: the CSV's encoding (default: detected; see\n"
	"                   odcat infer --help)\n"
	"  --delimiter C    with --from: the character between fields (default \",\")\n"
	"  -h, --help       show this help\n"
	"\n"
	"Example:\n"
	"  odcat new aed-locations --from ~/Downloads/141305_aed.csv\n"
	"\n"
	"Exit codes: 0 created; 2 nothing was created (usage, an invalid slug, a folder\n"
	"that already exists, or a --from file that is missing or unreadable).\n";

static int write_new_file(const char *path, const char *data, size_t len)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
	size_t off = 0;

	if (fd < 0)
		return -1;
	while (off < len) {
		ssize_t w = write(fd, data + off, len - off);
		if (w < 0) {
			if (errno == EINTR)
				continue;
			close(fd);
			return -1;
		}
		off += (size_t)w;
	}
	return close(fd);
}

static int copy_file(const char *from, const char *to)
{
	char buf[65536];
	int in = open(from, O_RDONLY | O_CLOEXEC), out, rc = 0;

	if (in < 0)
		return -1;
	out = open(to, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
	if (out < 0) {
		close(in);
		return -1;
	}
	for (;;) {
		ssize_t n = read(in, buf, sizeof(buf)), off = 0;
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			rc = n < 0 ? -1 : 0;
			break;
		}
		while (off < n) {
			ssize_t w = write(out, buf + off, (size_t)(n - off));
			if (w < 0 && errno == EINTR)
				continue;
			if (w < 0) {
				rc = -1;
				break;
			}
			off += w;
		}
		if (rc)
			break;
	}
	close(in);
	if (close(out) != 0)
		rc = -1;
	return rc;
}

/* A resource name from the file's name: lower-case [a-z0-9._-], else slug. */
static char *resource_name(const char *base, const char *slug)
{
	odc_buf b = ODC_BUF_INIT;
	const char *dot = strrchr(base, '.');
	size_t n = dot && dot != base ? (size_t)(dot - base) : strlen(base), i;

	for (i = 0; i < n; i++) {
		char ch = base[i];
		if (ch >= 'A' && ch <= 'Z')
			ch += 32;
		if ((ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '_' || ch == '.')
			buf_putc(&b, ch);
		else if (b.len && b.ptr[b.len - 1] != '-')
			buf_putc(&b, '-');
	}
	while (b.len && (b.ptr[b.len - 1] == '-' || b.ptr[b.len - 1] == '.'))
		b.ptr[--b.len] = '\0';
	if (!b.len)
		buf_puts(&b, slug);
	return buf_detach(&b);
}

/* Markdown source text for a table cell: ASCII punctuation that Markdown
 * would read as syntax gets a backslash. (This writes Markdown, not HTML:
 * the site's renderer escapes the result as usual.) */
static void md_text(odc_buf *b, const char *s)
{
	for (; *s; s++) {
		if (strchr("\\`*_[]<>|#!", *s))
			buf_putc(b, '\\');
		if (*s == '\n' || *s == '\r')
			buf_putc(b, ' ');
		else
			buf_putc(b, *s);
	}
}

static const char *type_ja(const char *t)
{
	static const char *const map[][2] = {{"integer", "整数"}, {"number", "数値"},
					      {"date", "日付"}, {"datetime", "日時"},
					      {"boolean", "真偽値"}, {"string", "文字列"}};
	size_t i;
	for (i = 0; i < sizeof(map) / sizeof(map[0]); i++)
		if (t && !strcmp(t, map[i][0]))
			return map[i][1];
	return t ? t : "";
}

static char *readme_text(const json_t *schema, const char *csv)
{
	odc_buf b = ODC_BUF_INIT;
	json_t *fields = json_object_get(schema, "fields");
	size_t i;

	buf_puts(&b, "# （ここにタイトル）\n"
		     "\n"
		     "## 概要\n"
		     "\n"
		     "（このデータが何を表すか、誰がいつ作成したかを1～2文で書いてください。）\n"
		     "\n"
		     "## 収録内容\n"
		     "\n");
	if (csv && fields) {
		buf_puts(&b, "ファイル: ");
		md_text(&b, csv);
		buf_puts(&b, "\n\n| 列名 | 型 | 説明 |\n| --- | --- | --- |\n");
		for (i = 0; i < json_array_size(fields); i++) {
			json_t *f = json_array_get(fields, i);
			buf_puts(&b, "| ");
			md_text(&b, json_string_value(json_object_get(f, "name")));
			buf_printf(&b, " | %s | （説明） |\n",
				   type_ja(json_string_value(json_object_get(f, "type"))));
		}
	} else {
		buf_puts(&b, "（ファイルと各列の内容を書いてください。）\n");
	}
	buf_puts(&b, "\n"
		     "## 更新頻度\n"
		     "\n"
		     "（例：毎年4月1日時点の情報を5月に更新）\n"
		     "\n"
		     "## 注意事項\n"
		     "\n"
		     "（利用上の注意、出典、座標の測地系、空欄の意味などを書いてください。）\n"
		     "\n"
		     "（TODO: この段落は削除してください）ライセンス（licenses）・公開者（publisher）・"
		     "問い合わせ先（contactPoint）は datapackage.json に書かなければ、カタログの "
		     "odcat.json の既定値が使われます。\n"
		     "\n"
		     "## English\n"
		     "\n"
		     "TODO: one or two sentences in English: what the data is, who makes it and how "
		     "often it is updated.\n"
		     "\n"
		     "(TODO: delete this paragraph) The licence, publisher and contact point fall back "
		     "to the catalogue's defaults in odcat.json unless datapackage.json gives them "
		     "(licenses, publisher, contactPoint).\n");
	return buf_detach(&b);
}

static json_t *package_json(const char *slug, const char *csv, const char *rname,
			    const infer_result *r, char delim)
{
	json_t *res, *dp;

	if (csv) {
		res = json_pack("{s:s, s:s, s:s, s:s, s:s}", "name", rname, "path", csv, "format", "csv",
				"mediatype", "text/csv", "encoding", r->encoding);
		if (delim != ',') {
			char d[2] = {delim, '\0'};
			json_object_set_new(res, "dialect", json_pack("{s:s}", "delimiter", d));
		}
		json_object_set(res, "schema", r->schema);
	} else {
		res = json_pack("{s:s, s:s, s:s, s:s, s:s}", "name", "data", "path", "data.csv",
				"format", "csv", "mediatype", "text/csv", "encoding", "utf-8");
	}
	dp = json_pack("{s:s, s:{s:s, s:s}, s:{s:s, s:s}, s:{s:[s], s:[s]}, s:[o]}",
		       "name", slug,
		       "title", "ja", "（ここにタイトル）", "en", "TODO: title",
		       "description", "ja", "（ここに1～2文の説明）", "en", "TODO: a short description",
		       "keywords", "ja", "（ここにキーワード）", "en", "TODO",
		       "resources", res);
	return dp;
}

int new_main(int argc, char **argv)
{
	const char *slug = NULL, *from = NULL, *repo = ".", *enc = NULL;
	char delim = ',';
	odc_buf dir = ODC_BUF_INIT, shown = ODC_BUF_INIT, p = ODC_BUF_INIT;
	infer_result r;
	json_t *dp = NULL;
	char *text = NULL, *readme = NULL, *rname = NULL;
	const char *base = NULL;
	struct stat st;
	int i, rc = ODC_EXIT_FATAL, made = 0, wrote_dp = 0, wrote_readme = 0;

	memset(&r, 0, sizeof(r));
	for (i = 0; i < argc; i++) {
		const char *a = argv[i], *v = NULL;
		int m;
		if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
			fputs(new_help, stdout);
			return ODC_EXIT_OK;
		}
		if ((m = csv_option(argc, argv, &i, "new", &enc, &delim)) > 1)
			return m - 2;
		if (m == 1)
			continue;
		if ((m = cli_opt_value(argc, argv, &i, "--from", &v)) != 0) {
			if (m < 0 || !*v)
				return cli_usage("new", "option %s needs a value", "--from");
			from = v;
			continue;
		}
		if ((m = cli_opt_value(argc, argv, &i, "--repo", &v)) != 0) {
			if (m < 0 || !*v)
				return cli_usage("new", "option %s needs a value", "--repo");
			repo = v;
			continue;
		}
		if (a[0] == '-' && a[1] != '\0')
			return cli_usage("new", "unknown option '%s'", a);
		if (slug)
			return cli_usage("new", "unexpected argument '%s' (one slug at a time)", a);
		slug = a;
	}
	if (!slug)
		return cli_usage("new", "%s", "missing the SLUG of the new dataset");
	if (!catalog_slug_is_valid(slug))
		return fail("new", "use lower-case ASCII letters, digits and hyphens, starting with a "
			    "letter or digit, at most 100 characters: e.g. aed-locations",
			    "\"%s\" is not a valid dataset slug ([a-z0-9][a-z0-9-]*)", slug);
	if (stat(repo, &st) != 0 || !S_ISDIR(st.st_mode))
		return fail("new", "give the catalogue repository's folder with --repo DIR",
			    "the repository folder %s does not exist", repo);

	/* Where, and how to show it: "datasets/x" from ".", else "DIR/datasets/x". */
	buf_puts(&dir, repo);
	while (dir.len > 1 && dir.ptr[dir.len - 1] == '/')
		dir.ptr[--dir.len] = '\0';
	buf_puts(&dir, "/datasets");
	if (strcmp(repo, ".") && strcmp(repo, "./"))
		buf_printf(&shown, "%s/", buf_cstr(&dir));
	else
		buf_puts(&shown, "datasets/");
	buf_puts(&shown, slug);
	if (stat(dir.ptr, &st) == 0 && !S_ISDIR(st.st_mode)) {
		rc = fail("new", "datasets must be a folder", "%s is not a folder", dir.ptr);
		goto done;
	}
	buf_printf(&dir, "/%s", slug);
	if (lstat(dir.ptr, &st) == 0) {
		rc = fail("new", "choose another slug, or edit the files of the existing dataset",
			  "%s already exists", shown.ptr);
		goto done;
	}

	if (from) {
		base = strrchr(from, '/') ? strrchr(from, '/') + 1 : from;
		if (!*base || base[0] == '.' || !strcmp(base, "datapackage.json") ||
		    !strcmp(base, "README.md") || !strcmp(base, "README.en.md") ||
		    !strcmp(base, "index.html")) {
			rc = fail("new", "rename the file: its name becomes the download's name "
				  "(e.g. data.csv)", "%s cannot be used as a resource file name", from);
			goto done;
		}
		if ((rc = infer_file(from, enc, delim, "new", &r)) != 0)
			goto done;
		/* A failure from here on must not look like success, whatever
		 * path later code takes to done. */
		rc = ODC_EXIT_FATAL; /* NOLINT(clang-analyzer-deadcode.DeadStores) */
		rname = resource_name(base, slug);
	}

	/* Create: datasets/ when missing, then the folder (which must be new). */
	buf_clear(&p);
	buf_put(&p, dir.ptr, dir.len - strlen(slug) - 1);
	if (mkdir(p.ptr, 0755) != 0 && errno != EEXIST) {
		rc = fail("new", NULL, "cannot create %s: %s", p.ptr, strerror(errno));
		goto done;
	}
	if (mkdir(dir.ptr, 0755) != 0) {
		rc = fail("new", errno == EEXIST ? "choose another slug" : NULL, "cannot create %s: %s",
			  shown.ptr, strerror(errno));
		goto done;
	}
	made = 1;

	dp = package_json(slug, from ? base : NULL, rname, &r, delim);
	text = json_dumps(dp, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	buf_clear(&p);
	buf_printf(&p, "%s/datapackage.json", dir.ptr);
	{
		size_t n = strlen(text);
		text = xrealloc(text, n + 2);
		text[n] = '\n';
		text[n + 1] = '\0';
	}
	if (write_new_file(p.ptr, text, strlen(text)) != 0) {
		rc = fail("new", NULL, "cannot write %s: %s", p.ptr, strerror(errno));
		goto done;
	}
	wrote_dp = 1;
	readme = readme_text(r.schema, from ? base : NULL);
	buf_clear(&p);
	buf_printf(&p, "%s/README.md", dir.ptr);
	if (write_new_file(p.ptr, readme, strlen(readme)) != 0) {
		rc = fail("new", NULL, "cannot write %s: %s", p.ptr, strerror(errno));
		goto done;
	}
	wrote_readme = 1;
	if (from) {
		buf_clear(&p);
		buf_printf(&p, "%s/%s", dir.ptr, base);
		if (copy_file(from, p.ptr) != 0) {
			int e = errno;
			unlink(p.ptr);
			rc = fail("new", NULL, "cannot copy %s to %s: %s", from, p.ptr, strerror(e));
			goto done;
		}
	}

	printf("%s/ を作りました。 / Created %s/:\n", shown.ptr, shown.ptr);
	printf("  %s/datapackage.json\n  %s/README.md\n", shown.ptr, shown.ptr);
	if (from)
		printf("  %s/%s  (%s のコピー / a copy of %s; %ld rows)\n", shown.ptr, base, from, from,
		       r.rows);
	printf("\n次の手順:\n");
	if (strcmp(repo, ".") && strcmp(repo, "./"))
		printf("  0. cd %s\n", repo);
	printf("  1. datapackage.json の「（ここに…）」と「TODO」を書き換えてください"
	       "（タイトル、説明、キーワード）。\n");
	if (from)
		printf("     推定したスキーマ（列の型・制約）も確認してください。\n");
	else
		printf("     CSV を datasets/%s/data.csv として置き、odcat infer datasets/%s/data.csv\n"
		       "     の出力を resources[0] の \"schema\" に貼り付けてください。\n", slug, slug);
	printf("  2. README.md の（…）を書き換えてください（概要、収録内容、更新頻度、注意事項）。\n");
	printf("  3. 確認: odcat check    （プレビュー: odcat build --worktree --out /tmp/preview）\n");
	printf("  4. 登録: git add datasets/%s && git commit -m \"%s を追加\"\n", slug, slug);
	printf("\nNext steps:\n");
	if (strcmp(repo, ".") && strcmp(repo, "./"))
		printf("  0. cd %s\n", repo);
	printf("  1. Replace the （ここに…） and TODO placeholders in datapackage.json (title,\n"
	       "     description, keywords).\n");
	if (from)
		printf("     Review the inferred schema too (column types and constraints).\n");
	else
		printf("     Put the CSV at datasets/%s/data.csv and paste the output of\n"
		       "     odcat infer datasets/%s/data.csv as \"schema\" of resources[0].\n", slug, slug);
	printf("  2. Fill in README.md (summary, contents, update frequency, notes).\n");
	printf("  3. Check: odcat check    (preview: odcat build --worktree --out /tmp/preview)\n");
	printf("  4. Commit: git add datasets/%s && git commit -m \"Add %s\"\n", slug, slug);
	/* the FATAL default above is read on the goto paths in between */
	/* cppcheck-suppress redundantAssignment */
	rc = ODC_EXIT_OK;

done:
	if (rc != ODC_EXIT_OK && made) {
		/* Leave nothing half made. */
		if (wrote_dp) {
			buf_clear(&p);
			buf_printf(&p, "%s/datapackage.json", dir.ptr);
			unlink(p.ptr);
		}
		if (wrote_readme) {
			buf_clear(&p);
			buf_printf(&p, "%s/README.md", dir.ptr);
			unlink(p.ptr);
		}
		rmdir(dir.ptr);
	}
	json_decref(dp);
	free(text);
	free(readme);
	free(rname);
	result_free(&r);
	buf_free(&dir);
	buf_free(&shown);
	buf_free(&p);
	return rc;
}
