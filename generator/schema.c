/*
 * schema.c — Frictionless Table Schema: loading one schema, casting and
 * checking one cell (see schema.h and ../shared/docs/tableschema.md §3–5).
 *
 * Design. schema_load turns the JSON descriptor into an array of fields in
 * which everything a cell check needs is prepared once: the missing-value
 * list (with a flag for "" so the common empty-cell test is one compare),
 * number options, boolean word lists, strptime-style formats compiled to
 * token arrays, PCRE2 patterns compiled (and JIT-compiled) once, enum and
 * limit values already cast to the field's type, and the "expected" text of
 * a type error. schema_check_cell then walks the cell bytes once or twice
 * and never allocates for scalar types: numbers take a correctly rounded
 * fast path (Clinger: at most 15 significant digits and a power of ten up
 * to 10^22 are exact doubles) and only fall back to strtod, via a scratch
 * buffer owned by the schema, for long or extreme numbers. JSON types
 * (object, array, geojson) are parsed with Jansson, which allocates.
 *
 * Lexical forms accepted, by type (default format unless said otherwise):
 *
 *  string    any text. email: exactly one "@", a non-empty local part, a
 *            domain with an inner dot and no empty label, no white space or
 *            control characters. uri: scheme ":" and at least one more
 *            character, no white space, controls or <>"{}|\^` (non-ASCII is
 *            allowed, as in IRIs). uuid: 8-4-4-4-12 hexadecimal digits.
 *            binary: strict base64 (length a multiple of 4, "=" padding).
 *  number    [+-] digits [decimalChar digits] [e|E [+-] digits]; ".5" and
 *            "5." are allowed (XSD decimal); NaN, INF, +INF, -INF and
 *            Infinity in any case; groupChar is skipped anywhere after the
 *            first digit of the integral part; surrounding ASCII white space
 *            is ignored (XSD whiteSpace "collapse", as frictionless-py).
 *            bareNumber false drops the text before the first sign, digit
 *            or decimalChar and after the last digit ("€95", "95%").
 *            Magnitudes beyond the double range become ±infinity. Only ASCII
 *            digits.
 *  integer   [+-] digits, groupChar after the first digit, white space and
 *            bareNumber as for number; no decimal mark, no exponent; must
 *            fit in a long long, else a type error.
 *  boolean   exactly one of trueValues / falseValues (given lists replace
 *            the defaults, each list separately); no trimming.
 *  date      default YYYY-MM-DD. time: hh:mm:ss[.f][Z|±hh:mm]. datetime:
 *            YYYY-MM-DDThh:mm:ss[.f][Z|±hh:mm]. ASCII digits, exact widths.
 *            24:00:00 and leap seconds are rejected (as Python does). Zoned
 *            values are converted to UTC (time modulo the day); naive ones
 *            are taken as UTC. The fraction of a second goes to v->num for
 *            time and datetime (0 <= num < 1) and into the key.
 *            format "any" (digits may be ASCII or full-width ０-９):
 *              date: YYYY-M-D, YYYY/M/D, YYYY.M.D (one or two digits for
 *              month and day, one separator kind), YYYYMMDD (ASCII), YYYY年M月D日,
 *              Japanese eras 令和/平成/昭和/大正/明治 N年M月D日 (元年 = 1) and
 *              R6.4.1 / H31/4/30 style letters (R H S T M); the era's
 *              year range is not checked. A time part may follow (as for
 *              datetime) and is checked but ignored. M/D/Y and D/M/Y are
 *              ambiguous and NOT accepted.
 *              time: [午前|午後] H:MM[:SS[.f]] (":" or "："), H時[M分[S秒]],
 *              an AM/PM suffix (optional space before it; with AM/PM or
 *              午前/午後 the hour is 0–12), then an optional Z/±hh:mm/±hhmm.
 *              datetime: an "any" date, then optionally "T", "t" or spaces
 *              (or nothing before a 午前/午後 or 時 form) and an "any" time;
 *              a date alone is midnight.
 *            patterns (format containing "%"), written by hand as Python's
 *            strptime behaves, not strptime(3): see PATTERN DIRECTIVES below.
 *  year      exactly 4 ASCII digits (0000 allowed). yearmonth: YYYY-MM,
 *            month 01–12; i = year*12 + month - 1.
 *  duration  [-]P[nY][nM][nD][T[nH][nM][n[.n]S]], at least one component,
 *            "T" needs a time component; or [-]PnW alone. Only seconds may
 *            have a fraction. num = seconds, a year = 365 days, a month = 30
 *            days, a week = 7 days.
 *  geopoint  default "lon,lat" with optional white space around each
 *            number; array "[lon, lat]"; object {"lon": x, "lat": y} in
 *            either order, exactly these two members. Numbers as for
 *            number ("." decimal mark, no NaN/INF). lon -180..180, lat
 *            -90..90.
 *  geojson   a JSON object whose "type" is a GeoJSON type. Geometries need
 *            "coordinates" nested to the type's depth with positions of at
 *            least two numbers (LineString >= 2 positions, polygon rings >=
 *            4); GeometryCollection "geometries" (nesting at most 8 deep);
 *            Feature needs "geometry" (null or a geometry) and "properties"
 *            (null or an object); FeatureCollection "features" (Features).
 *            topojson: an object with "type": "Topology", an "objects"
 *            object and an "arcs" array.
 *  object    a JSON object; array: a JSON array (v->i = member count).
 *  list      the cell split at delimiter (default ","), every item cast by
 *            itemType (string, integer, boolean, number, date, time,
 *            datetime) with default options; v->i = item count. "" is one
 *            empty item.
 *  any       never fails.
 *
 * PATTERN DIRECTIVES (date, time and datetime formats). %Y four digits;
 * %y two digits (69–99 → 19xx, 00–68 → 20xx); %m 1–12, %d and %e 1–31, %H
 * 0–23, %I 1–12, %M and %S 0–59, all one or two digits as Python (and %d /
 * %e also a space and one digit); %j day of the year, one to three digits;
 * %f one to six digits of fraction; %p AM/PM (any case) or 午前/午後; %b / %h
 * English month abbreviations, %B full month names, %a / %A weekday names
 * (parsed and ignored), any case; %z Z or ±hh[:]mm; %% a "%"; %F = %Y-%m-%d,
 * %T = %H:%M:%S, %R = %H:%M; %n, %t and any run of white space in the format
 * match one or more white-space characters in the cell (as Python). Other
 * text, including UTF-8 such as 年 月 日, must match exactly (ASCII letters
 * in any case, as Python). Digits may be ASCII or full-width (Python's \d
 * accepts both). Variable-width fields backtrack (two digits first, then
 * one), within a budget. Missing parts default to 1900-01-01 00:00:00;
 * %I without %p is AM; %j is used when neither %m nor %d is given. Any other
 * directive (%c %x %X %Z %U %W %w %u %G %V %C %D %s %-d ...) is a
 * field-error.
 *
 * Problems in the schema, and what stays usable:
 *  - not an object, no "fields" array, a field that is not an object or has
 *    no string "name", a "type" that is not a known type name: schema-error,
 *    schema_load returns -1.
 *  - a date/time/datetime format that is not "default", "any" or a valid
 *    pattern: field-error; the field is then treated as type "any"
 *    (schema_field_type says ODC_T_ANY, values come back as ODC_T_ANY) and
 *    only required/unique stay in force. An unknown format on another type
 *    is a field-error and the default format is used.
 *  - a bad option (decimalChar, groupChar, bareNumber, trueValues, ...,
 *    delimiter, itemType, missingValues), a bad constraint value, a limit or
 *    enum value that does not cast, a constraint that does not apply to the
 *    type, an unknown constraint, a pattern that does not compile:
 *    field-error, and that option/constraint (or enum value) is ignored.
 *    jsonSchema is accepted but not checked: a warning.
 *  - primaryKey / uniqueKeys / foreignKeys naming unknown fields, or with
 *    field counts that differ: schema-error, that key is dropped.
 *    A bad fieldsMatch: schema-error, "exact" is used. Duplicate field
 *    names: a warning (v1 schemas may have them); lookups find the first.
 *
 * Constraints apply to the logical value; a missing value skips all but
 * required (primaryKey implies required). minLength/maxLength: string
 * (characters, not bytes), list (items), array (elements), object
 * (members). minimum, maximum, exclusiveMinimum, exclusiveMaximum: integer,
 * number, date, time, datetime, year, yearmonth, duration; the limit is a
 * JSON number or a string cast by the field's type and format at load.
 * pattern: string only; compiled once with PCRE2_ANCHORED|ENDANCHORED|UTF|
 * UCP (so it must match the whole value and \d matches ０-９), JIT when
 * available, with match, depth and heap limits: a value that hits a limit
 * fails with "too costly" in the expected text; a cell that is not valid
 * UTF-8 fails the pattern. enum (every type) and v2 categories (string and
 * integer; strings or {value, label}) compare logical values, so an
 * integer enum may be given as strings; values that do not cast are
 * dropped with a field-error. unique is only reported (schema_field_unique):
 * validate.c checks it.
 *
 * Values and keys: see schema_value_key below. Numbers compare as doubles
 * (1 == 1.0 == 1e0). NaN fails every minimum/maximum constraint.
 */
#define PCRE2_CODE_UNIT_WIDTH 8

#include "schema.h"

#include <limits.h>
#include <math.h>
#include <pcre2.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/*====================================================================
 * Limits
 *====================================================================*/

#define RE_MATCH_LIMIT 1000000u   /* PCRE2 backtracking steps per cell */
#define RE_DEPTH_LIMIT 100000u    /* nested backtracking (interpreter) */
#define RE_HEAP_LIMIT_KIB 65536u  /* 64 MiB of backtracking frames */
#define RE_JIT_STACK_MAX (8 * 1024 * 1024) /* reserved, used on demand */
#define PAT_MAX_TOKENS 64         /* tokens of one strptime-style format */
#define PAT_MAX_FORMAT 256        /* bytes of one format */
#define PAT_BUDGET 4096           /* token steps per cell, backtracking included */
#define GEOJSON_MAX_NEST 8        /* GeometryCollection inside GeometryCollection */
#define EXPECTED_CAP sizeof(((odc_cell_error *)0)->expected)

/*====================================================================
 * Types
 *====================================================================*/

/* A list of byte strings (missing values, boolean words). */
typedef struct strlist {
	char **s;      /* owned, NUL-terminated (may hold NULs: use len) */
	size_t *len;
	size_t n;
	int has_empty; /* "" is in the list: the fast path of missing values */
} strlist;

enum { TK_LIT = 1, TK_WS = 2 }; /* other token kinds are directive letters */

typedef struct pat_tok {
	unsigned char kind; /* TK_LIT, TK_WS, or a directive letter ('Y', 'm', ...) */
	const char *p;      /* TK_LIT: the bytes (into the field's format or static) */
	size_t n;
} pat_tok;

typedef struct dt_pattern {
	pat_tok tok[PAT_MAX_TOKENS];
	size_t n;
} dt_pattern;

/* Formats, one numbering for all types. */
enum {
	FMT_DEFAULT,
	FMT_EMAIL,
	FMT_URI,
	FMT_UUID,
	FMT_BINARY,
	FMT_ANY,
	FMT_PATTERN,
	FMT_ARRAY,
	FMT_OBJECT,
	FMT_TOPOJSON,
};

/* A minimum/maximum-style limit, cast at load. */
typedef struct limit {
	int set;
	odc_value v;
	char *owned; /* the cast text (v.str points into it), or NULL */
	char *shown; /* the limit as written, for messages */
} limit;

enum { L_MIN, L_MAX, L_XMIN, L_XMAX, L_COUNT };
static const char *const limit_names[L_COUNT] = {"minimum", "maximum", "exclusiveMinimum",
						 "exclusiveMaximum"};
static const char *const limit_words[L_COUNT] = {"at least", "at most", "greater than",
						 "less than"};

/* enum or categories: values cast at load. */
typedef struct vset {
	size_t n;
	odc_value *v;
	char **owned; /* cast texts (v[k].str points into them) or NULL */
	char **key;   /* canonical keys, JSON types only (else NULL) */
	size_t *klen;
	char expected[EXPECTED_CAP];
} vset;

typedef struct field {
	char *name;
	char *title;        /* NULL when absent */
	char *format;       /* as declared, "fmt:" stripped; "default" when absent */
	odc_type type;      /* effective type (ODC_T_ANY after an unusable format) */
	int fmt;            /* FMT_* */
	int broken;         /* format unusable: type any, only required applies */
	dt_pattern *pat;    /* FMT_PATTERN */
	int required, unique;
	/* number, integer */
	char dec[8];
	size_t dec_len;
	char grp[8];
	size_t grp_len;     /* 0 = no group mark */
	int bare;           /* bareNumber */
	/* boolean */
	strlist tv, fv;
	/* list */
	char *delim;
	size_t delim_len;
	struct field *item; /* the item "field": itemType with default options */
	/* missing values */
	const strlist *mv;  /* the schema's list or own_mv */
	strlist own_mv;
	/* constraints */
	int has_minlen, has_maxlen;
	long long minlen, maxlen;
	limit lim[L_COUNT];
	pcre2_code *re;
	char *re_src;
	vset en, cat;
	/* the type error's expected text */
	char expected[EXPECTED_CAP];
} field;

typedef struct fkey_own {
	odc_fkey pub;
	size_t *fields;
	char *package;
	char *resource;
	char **ref_fields;
} fkey_own;

typedef struct ukey {
	size_t *f;
	size_t n;
} ukey;

struct odc_schema {
	field *f;
	size_t n;
	strlist mv;               /* schema-level missingValues */
	const char *fields_match; /* static string */
	size_t *pk;
	size_t npk;
	ukey *uk;
	size_t nuk;
	fkey_own *fk;
	size_t nfk;
	int any_re, any_jit;
	pcre2_match_data *md;
	pcre2_match_context *mctx;
	pcre2_jit_stack *jit;
	odc_buf scratch;          /* slow-path numbers, JSON keys; reused */
};

/*====================================================================
 * Small helpers
 *====================================================================*/

static const char *const type_names[] = {
	"string", "number", "integer", "boolean", "date", "time", "datetime", "year",
	"yearmonth", "duration", "geopoint", "geojson", "object", "array", "list", "any",
};
#define TYPE_COUNT (sizeof(type_names) / sizeof(type_names[0]))

const char *schema_type_name(odc_type t)
{
	return (unsigned)t < TYPE_COUNT ? type_names[t] : "any";
}

int schema_type_from_name(const char *name)
{
	size_t k;
	if (!name)
		return -1;
	for (k = 0; k < TYPE_COUNT; k++)
		if (!strcmp(name, type_names[k]))
			return (int)k;
	return -1;
}

static int is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static int is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\v' || c == '\f';
}

static int is_jsonws(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

static char lower(char c)
{
	return c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
}

/* ASCII case-insensitive comparison of n bytes. */
static int ci_eq(const char *a, const char *b, size_t n)
{
	size_t k;
	for (k = 0; k < n; k++)
		if (lower(a[k]) != lower(b[k]))
			return 0;
	return 1;
}

/* Copies n bytes (NULs kept) into a new NUL-terminated block. */
static char *dupn(const char *s, size_t n)
{
	char *r = xmalloc(n + 1);
	if (n)
		memcpy(r, s, n);
	r[n] = '\0';
	return r;
}

/* Matches the literal lit at *p and advances. */
static int lit_at(const char *c, size_t n, size_t *p, const char *lit)
{
	size_t l = strlen(lit);
	if (*p + l > n || memcmp(c + *p, lit, l))
		return 0;
	*p += l;
	return 1;
}

static void trim_ascii(const char **c, size_t *n)
{
	while (*n && is_space((*c)[0])) {
		(*c)++;
		(*n)--;
	}
	while (*n && is_space((*c)[*n - 1]))
		(*n)--;
}

/* Strict UTF-8 (no overlongs, surrogates or code points above U+10FFFF),
 * the same rule PCRE2 applies. */
static int utf8_valid(const char *str, size_t n)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t i = 0;
	while (i < n) {
		unsigned c = s[i];
		size_t need;
		unsigned lo = 0x80, hi = 0xBF;
		if (c < 0x80) {
			i++;
			continue;
		}
		if (c >= 0xC2 && c <= 0xDF)
			need = 1;
		else if (c >= 0xE0 && c <= 0xEF) {
			need = 2;
			if (c == 0xE0)
				lo = 0xA0;
			else if (c == 0xED)
				hi = 0x9F;
		} else if (c >= 0xF0 && c <= 0xF4) {
			need = 3;
			if (c == 0xF0)
				lo = 0x90;
			else if (c == 0xF4)
				hi = 0x8F;
		} else
			return 0;
		if (i + need >= n)
			return 0;
		if (s[i + 1] < lo || s[i + 1] > hi)
			return 0;
		for (size_t k = 2; k <= need; k++)
			if ((s[i + k] & 0xC0) != 0x80)
				return 0;
		i += need + 1;
	}
	return 1;
}

/* Characters of (valid) UTF-8 text: the bytes that do not continue one. */
static long long utf8_count(const char *s, size_t n)
{
	long long k = 0;
	size_t i;
	for (i = 0; i < n; i++)
		k += ((unsigned char)s[i] & 0xC0) != 0x80;
	return k;
}

/* printf into a fixed buffer, cut at a UTF-8 character boundary with "..."
 * when too long. */
static void textf(char *dst, size_t cap, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static void textf(char *dst, size_t cap, const char *fmt, ...)
{
	va_list ap;
	int n;
	va_start(ap, fmt);
	n = vsnprintf(dst, cap, fmt, ap);
	va_end(ap);
	if (n < 0) {
		dst[0] = '\0';
		return;
	}
	if ((size_t)n >= cap) {
		size_t k = cap - 4;
		while (k > 0 && ((unsigned char)dst[k] & 0xC0) == 0x80)
			k--;
		memcpy(dst + k, "...", 4);
	}
}

/* Appends s as a JSON-pointer reference token (~ → ~0, / → ~1). */
static void put_ptr_token(odc_buf *b, const char *s)
{
	for (; *s; s++) {
		if (*s == '~')
			buf_puts(b, "~0");
		else if (*s == '/')
			buf_puts(b, "~1");
		else
			buf_putc(b, *s);
	}
}

/* Exact powers of ten (10^22 is the last exact double). */
static const double pow10tab[23] = {
	1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,  1e8,  1e9,  1e10, 1e11,
	1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
};

/* Appends m / 10^k as decimal text ("-12.5" for m = -125, k = 1). */
static void put_scaled(odc_buf *b, long long m, int k)
{
	char t[48];
	size_t e = sizeof(t), p = e;
	unsigned long long u = m < 0 ? 0ULL - (unsigned long long)m : (unsigned long long)m;
	int d = 0;
	do {
		t[--p] = (char)('0' + u % 10);
		u /= 10;
		if (++d == k)
			t[--p] = '.';
	} while (u || d < k);
	if (t[p] == '.')
		t[--p] = '0';
	if (m < 0)
		t[--p] = '-';
	buf_put(b, t + p, e - p);
}

/*
 * The canonical text of a double, a function of the value alone (so equal
 * values give equal bytes) that reads back as the same value:
 *  - NaN, INF, -INF; -0 as 0;
 *  - below 9e15 in magnitude, the fewest fraction digits k (0..17) such
 *    that m = round(x * 10^k) has m / 10^k == x: "1", "1.5", "35.530812".
 *    m and 10^k are exact doubles, so the division is correctly rounded,
 *    exactly as reading the text back is. No printf on this path;
 *  - otherwise the shortest of %.15g, %.16g, %.17g that reads back ("1e+20").
 */
static void put_number(odc_buf *b, double x)
{
	char t[40];
	int prec, k;
	if (isnan(x)) {
		buf_puts(b, "NaN");
		return;
	}
	if (isinf(x)) {
		buf_puts(b, x < 0 ? "-INF" : "INF");
		return;
	}
	if (x == 0) {
		buf_putc(b, '0');
		return;
	}
	for (k = 0; k <= 17; k++) {
		double y = x * pow10tab[k];
		long long m;
		if (!(y < 9e15 && y > -9e15))
			break;
		m = (long long)(y < 0 ? y - 0.5 : y + 0.5);
		if ((double)m / pow10tab[k] == x) {
			put_scaled(b, m, k);
			return;
		}
	}
	for (prec = 15; prec < 17; prec++) {
		snprintf(t, sizeof(t), "%.*g", prec, x);
		if (strtod(t, NULL) == x)
			break;
	}
	if (prec == 17)
		snprintf(t, sizeof(t), "%.17g", x);
	buf_puts(b, t);
}

/* Appends a long long without printf (the key path of every cell). */
static void put_ll(odc_buf *b, long long x)
{
	char t[24];
	size_t k = sizeof(t);
	unsigned long long u = x < 0 ? 0ULL - (unsigned long long)x : (unsigned long long)x;
	do {
		t[--k] = (char)('0' + u % 10);
		u /= 10;
	} while (u);
	if (x < 0)
		t[--k] = '-';
	buf_put(b, t + k, sizeof(t) - k);
}

/* A JSON value as text, into a new block (no allocator mixing with Jansson). */
static char *dump_json(const json_t *j, size_t flags, size_t *len)
{
	size_t n = json_dumpb(j, NULL, 0, flags | JSON_ENCODE_ANY);
	char *t = xmalloc(n + 1);
	if (n)
		json_dumpb(j, t, n, flags | JSON_ENCODE_ANY);
	t[n] = '\0';
	if (len)
		*len = n;
	return t;
}

/* How a JSON value is shown in messages: strings as they are, reals in
 * shortest form, the rest as compact JSON. */
static char *shown_json(const json_t *j)
{
	if (json_is_string(j))
		return dupn(json_string_value(j), json_string_length(j));
	if (json_is_real(j)) {
		odc_buf b = ODC_BUF_INIT;
		put_number(&b, json_real_value(j));
		return buf_detach(&b);
	}
	return dump_json(j, JSON_COMPACT, NULL);
}

/*====================================================================
 * Diagnostics
 *====================================================================*/

typedef struct ctx {
	odc_diags *d;
	const char *file;
	const char *ptr;
} ctx;

/* Adds one diagnostic; fi >= 0 prefixes "/fields/<fi>". Control characters
 * in the message become spaces so that it stays one line. */
static void vreport(ctx *c, odc_severity sev, const char *code, long fi, const char *hint,
		    const char *fmt, va_list ap)
{
	odc_buf m = ODC_BUF_INIT;
	size_t k;
	if (!c->d)
		return;
	if (fi >= 0)
		buf_printf(&m, "/fields/%ld", fi);
	buf_vprintf(&m, fmt, ap);
	for (k = 0; k < m.len; k++)
		if ((unsigned char)m.ptr[k] < 0x20 || m.ptr[k] == 0x7f)
			m.ptr[k] = ' ';
	diag_add(c->d, sev, code, c->file, 0, 0, hint, "%s%s", c->ptr, buf_cstr(&m));
	buf_free(&m);
}

static void schema_err(ctx *c, const char *hint, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static void schema_err(ctx *c, const char *hint, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vreport(c, ODC_SEV_ERROR, "schema-error", -1, hint, fmt, ap);
	va_end(ap);
}

static void schema_warn(ctx *c, const char *hint, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static void schema_warn(ctx *c, const char *hint, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vreport(c, ODC_SEV_WARNING, "schema-error", -1, hint, fmt, ap);
	va_end(ap);
}

static void field_err(ctx *c, size_t fi, const char *hint, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
static void field_err(ctx *c, size_t fi, const char *hint, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vreport(c, ODC_SEV_ERROR, "field-error", (long)fi, hint, fmt, ap);
	va_end(ap);
}

static void field_warn(ctx *c, size_t fi, const char *hint, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
static void field_warn(ctx *c, size_t fi, const char *hint, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vreport(c, ODC_SEV_WARNING, "field-error", (long)fi, hint, fmt, ap);
	va_end(ap);
}

/*====================================================================
 * Numbers
 *====================================================================*/


/* NaN, INF, +INF, -INF, Infinity, any case. */
static int special_number(const char *c, size_t n, double *out)
{
	int neg = 0;
	if (n == 3 && ci_eq(c, "nan", 3)) {
		*out = NAN;
		return 0;
	}
	if (n && (c[0] == '+' || c[0] == '-')) {
		neg = c[0] == '-';
		c++;
		n--;
	}
	if ((n == 3 && ci_eq(c, "inf", 3)) || (n == 8 && ci_eq(c, "infinity", 8))) {
		*out = neg ? -INFINITY : INFINITY;
		return 0;
	}
	return -1;
}

/* [+-] digits [dec digits] [e [+-] digits], grp skipped after the first
 * digit of the integral part. scratch is used only for the strtod path. */
static int parse_decimal(odc_buf *scratch, const char *c, size_t n, const char *dec, size_t dl,
			 const char *grp, size_t gl, double *out)
{
	size_t p = 0, start, int_end, frac_start = 0, frac_end = 0, exp_start = 0;
	int neg = 0, nd = 0, sig = 0, inexact = 0, has_frac = 0, has_exp = 0;
	uint64_t m = 0;
	long e10 = 0, ex = 0;

	if (p < n && (c[p] == '+' || c[p] == '-'))
		neg = c[p++] == '-';
	start = p;
	for (;;) {
		if (p < n && is_digit(c[p])) {
			int d = c[p] - '0';
			nd++;
			if (m == 0 && d == 0) {
				/* a leading zero */
			} else if (sig < 19) {
				m = m * 10 + (uint64_t)d;
				sig++;
			} else {
				inexact = 1;
				e10++;
			}
			p++;
		} else if (gl && nd && p + gl <= n && !memcmp(c + p, grp, gl)) {
			p += gl;
		} else
			break;
	}
	int_end = p;
	if (dl && p + dl <= n && !memcmp(c + p, dec, dl)) {
		p += dl;
		has_frac = 1;
		frac_start = p;
		while (p < n && is_digit(c[p])) {
			int d = c[p] - '0';
			nd++;
			if (m == 0 && d == 0) {
				e10--;
			} else if (sig < 19) {
				m = m * 10 + (uint64_t)d;
				sig++;
				e10--;
			} else
				inexact = 1;
			p++;
		}
		frac_end = p;
	}
	if (!nd)
		return -1;
	if (p < n && (c[p] == 'e' || c[p] == 'E')) {
		int eneg = 0, ed = 0;
		has_exp = 1;
		p++;
		exp_start = p;
		if (p < n && (c[p] == '+' || c[p] == '-'))
			eneg = c[p++] == '-';
		while (p < n && is_digit(c[p])) {
			if (ex < 100000)
				ex = ex * 10 + (c[p] - '0');
			ed++;
			p++;
		}
		if (!ed)
			return -1;
		if (eneg)
			ex = -ex;
	}
	if (p != n)
		return -1;
	if (m == 0) {
		*out = neg ? -0.0 : 0.0;
		return 0;
	}
	e10 += ex;
	if (!inexact && m <= (1ULL << 53) && e10 >= -22 && e10 <= 22) {
		double x = (double)m;
		x = e10 < 0 ? x / pow10tab[-e10] : x * pow10tab[e10];
		*out = neg ? -x : x;
		return 0;
	}
	/* Slow path: a clean ASCII copy for strtod ("C" locale: odcat never
	 * calls setlocale). */
	{
		size_t q;
		char *end;
		buf_clear(scratch);
		if (neg)
			buf_putc(scratch, '-');
		for (q = start; q < int_end; q++)
			if (is_digit(c[q]))
				buf_putc(scratch, c[q]);
		if (int_end == start)
			buf_putc(scratch, '0');
		if (has_frac) {
			buf_putc(scratch, '.');
			buf_put(scratch, c + frac_start, frac_end - frac_start);
			if (frac_end == frac_start)
				buf_putc(scratch, '0');
		}
		if (has_exp) {
			buf_putc(scratch, 'e');
			buf_put(scratch, c + exp_start, n - exp_start);
		}
		*out = strtod(buf_cstr(scratch), &end);
		if (end != buf_cstr(scratch) + scratch->len)
			return -1;
	}
	return 0;
}

/* bareNumber false: drop the text before the first sign/digit/decimal mark
 * and after the last digit. */
static void strip_bare(const field *f, const char **c, size_t *n)
{
	size_t a = 0, b = *n;
	const char *s = *c;
	while (a < b &&
	       !(is_digit(s[a]) || s[a] == '+' || s[a] == '-' ||
		 (f->dec_len && a + f->dec_len <= b && !memcmp(s + a, f->dec, f->dec_len))))
		a++;
	while (b > a && !is_digit(s[b - 1]))
		b--;
	*c = s + a;
	*n = b - a;
}

static int cast_number(odc_schema *s, const field *f, const char *c, size_t n, double *out)
{
	trim_ascii(&c, &n);
	if (special_number(c, n, out) == 0)
		return 0;
	if (!f->bare)
		strip_bare(f, &c, &n);
	return parse_decimal(&s->scratch, c, n, f->dec, f->dec_len, f->grp, f->grp_len, out);
}

static int parse_integer(const char *c, size_t n, const char *grp, size_t gl, long long *out)
{
	size_t p = 0;
	int neg = 0, nd = 0;
	unsigned long long u = 0, lim;
	if (p < n && (c[p] == '+' || c[p] == '-'))
		neg = c[p++] == '-';
	lim = neg ? (unsigned long long)LLONG_MAX + 1ULL : (unsigned long long)LLONG_MAX;
	while (p < n) {
		if (is_digit(c[p])) {
			unsigned d = (unsigned)(c[p] - '0');
			if (u > (lim - d) / 10)
				return -1;
			u = u * 10 + d;
			nd++;
			p++;
		} else if (gl && nd && p + gl <= n && !memcmp(c + p, grp, gl))
			p += gl;
		else
			return -1;
	}
	if (!nd)
		return -1;
	if (neg)
		*out = u == (unsigned long long)LLONG_MAX + 1ULL ? LLONG_MIN : -(long long)u;
	else
		*out = (long long)u;
	return 0;
}

static int cast_integer(const field *f, const char *c, size_t n, long long *out)
{
	trim_ascii(&c, &n);
	if (!f->bare)
		strip_bare(f, &c, &n);
	return parse_integer(c, n, f->grp, f->grp_len, out);
}

/*====================================================================
 * Dates and times
 *====================================================================*/

typedef struct dt {
	int y, mo, d, h, mi, s;
	double frac;
	int tz_set, tz; /* offset in minutes east of UTC */
} dt;

static int is_leap(long long y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int days_in_month(long long y, int m)
{
	static const int dm[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	return m == 2 && is_leap(y) ? 29 : dm[m - 1];
}

/* Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant). */
static long long days_from_civil(long long y, int m, int d)
{
	long long era, yoe, doy, doe;
	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

/* One decimal digit at p: ASCII, or full-width U+FF10..FF19 when fw.
 * Returns its length in bytes, 0 when none. */
static size_t digit_at(const char *c, size_t n, size_t p, int fw, int *dv)
{
	if (p < n && is_digit(c[p])) {
		*dv = c[p] - '0';
		return 1;
	}
	if (fw && p + 3 <= n && (unsigned char)c[p] == 0xEF && (unsigned char)c[p + 1] == 0xBC &&
	    (unsigned char)c[p + 2] >= 0x90 && (unsigned char)c[p + 2] <= 0x99) {
		*dv = (unsigned char)c[p + 2] - 0x90;
		return 3;
	}
	return 0;
}

/* Reads between minw and maxw digits, greedily; fails when more digits
 * follow (so "123:00" is not an hour). */
static int rd_var(const char *c, size_t n, size_t *p, int minw, int maxw, int fw, int *out)
{
	size_t q = *p, l;
	int w = 0, v = 0, dv;
	while (w < maxw && (l = digit_at(c, n, q, fw, &dv)) != 0) {
		v = v * 10 + dv;
		q += l;
		w++;
	}
	if (w < minw || digit_at(c, n, q, fw, &dv))
		return -1;
	*p = q;
	*out = v;
	return 0;
}

/* Exactly w ASCII digits. */
static int rd_fixed(const char *c, size_t n, size_t *p, int w, int *out)
{
	int v = 0, k;
	if (*p + (size_t)w > n)
		return -1;
	for (k = 0; k < w; k++) {
		if (!is_digit(c[*p + (size_t)k]))
			return -1;
		v = v * 10 + (c[*p + (size_t)k] - '0');
	}
	*p += (size_t)w;
	*out = v;
	return 0;
}

/* "." and one or more digits (ASCII, or full-width when fw); keeps 9. */
static int rd_frac(const char *c, size_t n, size_t *p, int fw, double *out)
{
	size_t q = *p, l;
	int w = 0, dv;
	long long v = 0, scale = 1;
	if (q >= n || c[q] != '.')
		return -1;
	q++;
	while ((l = digit_at(c, n, q, fw, &dv)) != 0) {
		if (w < 9) {
			v = v * 10 + dv;
			scale *= 10;
		}
		w++;
		q += l;
	}
	if (!w)
		return -1;
	*p = q;
	*out = (double)v / (double)scale;
	return 0;
}

/* Z, or ±hh:mm (colon optional unless need_colon). */
static int rd_tz(const char *c, size_t n, size_t *p, int need_colon, dt *x)
{
	size_t q = *p;
	int neg, hh, mm;
	if (q < n && c[q] == 'Z') {
		x->tz_set = 1;
		x->tz = 0;
		*p = q + 1;
		return 0;
	}
	if (q >= n || (c[q] != '+' && c[q] != '-'))
		return -1;
	neg = c[q++] == '-';
	if (rd_fixed(c, n, &q, 2, &hh) < 0)
		return -1;
	if (q < n && c[q] == ':')
		q++;
	else if (need_colon)
		return -1;
	if (rd_fixed(c, n, &q, 2, &mm) < 0 || hh > 23 || mm > 59)
		return -1;
	x->tz_set = 1;
	x->tz = (neg ? -1 : 1) * (hh * 60 + mm);
	*p = q;
	return 0;
}

/* XSD forms, exact widths. */
static int xsd_date_at(const char *c, size_t n, size_t *p, dt *x)
{
	if (rd_fixed(c, n, p, 4, &x->y) < 0 || !lit_at(c, n, p, "-") ||
	    rd_fixed(c, n, p, 2, &x->mo) < 0 || !lit_at(c, n, p, "-") ||
	    rd_fixed(c, n, p, 2, &x->d) < 0)
		return -1;
	return 0;
}

static int xsd_time_at(const char *c, size_t n, size_t *p, dt *x)
{
	if (rd_fixed(c, n, p, 2, &x->h) < 0 || !lit_at(c, n, p, ":") ||
	    rd_fixed(c, n, p, 2, &x->mi) < 0 || !lit_at(c, n, p, ":") ||
	    rd_fixed(c, n, p, 2, &x->s) < 0)
		return -1;
	if (*p < n && c[*p] == '.' && rd_frac(c, n, p, 0, &x->frac) < 0)
		return -1;
	if (*p < n && rd_tz(c, n, p, 1, x) < 0)
		return -1;
	return 0;
}

/* --- format "any" --- */

typedef struct era {
	const char *kanji;
	char letter;
	int base; /* Gregorian year of the era's year 0 */
} era;

static const era eras[] = {
	{"令和", 'r', 2018}, {"平成", 'h', 1988}, {"昭和", 's', 1925},
	{"大正", 't', 1911}, {"明治", 'm', 1867},
};

static int sep_at(const char *c, size_t n, size_t p)
{
	return p < n && (c[p] == '-' || c[p] == '/' || c[p] == '.');
}

/* An "any" date at *p (see the file comment). */
static int any_date_at(const char *c, size_t n, size_t *pp, dt *x)
{
	size_t p = *pp, k;
	int y, dv;
	char sep;

	for (k = 0; k < sizeof(eras) / sizeof(eras[0]); k++) {
		if (lit_at(c, n, &p, eras[k].kanji)) {
			if (lit_at(c, n, &p, "元"))
				y = 1;
			else if (rd_var(c, n, &p, 1, 2, 1, &y) < 0 || y < 1)
				return -1;
			if (!lit_at(c, n, &p, "年") || rd_var(c, n, &p, 1, 2, 1, &x->mo) < 0 ||
			    !lit_at(c, n, &p, "月") || rd_var(c, n, &p, 1, 2, 1, &x->d) < 0 ||
			    !lit_at(c, n, &p, "日"))
				return -1;
			x->y = eras[k].base + y;
			*pp = p;
			return 0;
		}
		if (p < n && lower(c[p]) == eras[k].letter && digit_at(c, n, p + 1, 1, &dv)) {
			p++;
			if (rd_var(c, n, &p, 1, 2, 1, &y) < 0 || y < 1 || !sep_at(c, n, p))
				return -1;
			sep = c[p++];
			if (rd_var(c, n, &p, 1, 2, 1, &x->mo) < 0 || p >= n || c[p++] != sep ||
			    rd_var(c, n, &p, 1, 2, 1, &x->d) < 0)
				return -1;
			x->y = eras[k].base + y;
			*pp = p;
			return 0;
		}
	}
	/* YYYYMMDD */
	if (p + 8 <= n) {
		size_t q = p;
		int ok = 1;
		for (k = 0; k < 8; k++)
			ok &= is_digit(c[q + k]);
		if (ok && (q + 8 == n || !digit_at(c, n, q + 8, 1, &dv))) {
			rd_fixed(c, n, &q, 4, &x->y);
			rd_fixed(c, n, &q, 2, &x->mo);
			rd_fixed(c, n, &q, 2, &x->d);
			*pp = q;
			return 0;
		}
	}
	if (rd_var(c, n, &p, 4, 4, 1, &x->y) < 0)
		return -1;
	if (lit_at(c, n, &p, "年")) {
		if (rd_var(c, n, &p, 1, 2, 1, &x->mo) < 0 || !lit_at(c, n, &p, "月") ||
		    rd_var(c, n, &p, 1, 2, 1, &x->d) < 0 || !lit_at(c, n, &p, "日"))
			return -1;
	} else {
		if (!sep_at(c, n, p))
			return -1;
		sep = c[p++];
		if (rd_var(c, n, &p, 1, 2, 1, &x->mo) < 0 || p >= n || c[p++] != sep ||
		    rd_var(c, n, &p, 1, 2, 1, &x->d) < 0)
			return -1;
	}
	*pp = p;
	return 0;
}

static int colon_at(const char *c, size_t n, size_t *p)
{
	return lit_at(c, n, p, ":") || lit_at(c, n, p, "：");
}

/* An "any" time at *p (see the file comment). */
static int any_time_at(const char *c, size_t n, size_t *pp, dt *x)
{
	size_t p = *pp;
	int ampm = 0, h, mi = 0, sec = 0, dv;
	double frac = 0;

	if (lit_at(c, n, &p, "午前"))
		ampm = 1;
	else if (lit_at(c, n, &p, "午後"))
		ampm = 2;
	if (rd_var(c, n, &p, 1, 2, 1, &h) < 0)
		return -1;
	if (colon_at(c, n, &p)) {
		if (rd_var(c, n, &p, 2, 2, 1, &mi) < 0)
			return -1;
		if (colon_at(c, n, &p)) {
			if (rd_var(c, n, &p, 2, 2, 1, &sec) < 0)
				return -1;
			if (p < n && c[p] == '.' && rd_frac(c, n, &p, 1, &frac) < 0)
				return -1;
		}
	} else if (lit_at(c, n, &p, "時")) {
		if (digit_at(c, n, p, 1, &dv)) {
			if (rd_var(c, n, &p, 1, 2, 1, &mi) < 0 || !lit_at(c, n, &p, "分"))
				return -1;
			if (digit_at(c, n, p, 1, &dv) &&
			    (rd_var(c, n, &p, 1, 2, 1, &sec) < 0 || !lit_at(c, n, &p, "秒")))
				return -1;
		}
	} else
		return -1;
	if (!ampm) {
		size_t q = p;
		while (q < n && c[q] == ' ')
			q++;
		if (q + 2 <= n && (ci_eq(c + q, "am", 2) || ci_eq(c + q, "pm", 2))) {
			ampm = lower(c[q]) == 'a' ? 1 : 2;
			p = q + 2;
		}
	}
	if (ampm) {
		if (h > 12)
			return -1;
		h = h % 12 + (ampm == 2 ? 12 : 0);
	}
	if (p < n && (c[p] == 'Z' || c[p] == '+' || c[p] == '-') && rd_tz(c, n, &p, 0, x) < 0)
		return -1;
	x->h = h;
	x->mi = mi;
	x->s = sec;
	x->frac = frac;
	*pp = p;
	return 0;
}

/* An "any" date, then an optional time after T, t or spaces. */
static int any_datetime(const char *c, size_t n, dt *x)
{
	size_t p = 0;
	if (any_date_at(c, n, &p, x) < 0)
		return -1;
	if (p == n)
		return 0;
	if (c[p] == 'T' || c[p] == 't')
		p++;
	else
		while (p < n && c[p] == ' ')
			p++;
	if (any_time_at(c, n, &p, x) < 0)
		return -1;
	return p == n ? 0 : -1;
}

/* --- strptime-style patterns --- */

static const char *const month_abbr[12] = {"jan", "feb", "mar", "apr", "may", "jun",
					   "jul", "aug", "sep", "oct", "nov", "dec"};
static const char *const month_full[12] = {"january", "february", "march",     "april",
					   "may",     "june",     "july",      "august",
					   "september", "october", "november", "december"};
static const char *const wday_abbr[7] = {"mon", "tue", "wed", "thu", "fri", "sat", "sun"};
static const char *const wday_full[7] = {"monday", "tuesday", "wednesday", "thursday",
					 "friday", "saturday", "sunday"};

typedef struct pstate {
	int y, mo, d, H, I, M, S, j;
	double frac;
	int tz;
	unsigned char has_mo, has_d, has_I, has_j, pm, has_tz;
} pstate;

static int add_tok(dt_pattern *pt, unsigned char kind, const char *p, size_t n)
{
	if (pt->n >= PAT_MAX_TOKENS)
		return -1;
	pt->tok[pt->n].kind = kind;
	pt->tok[pt->n].p = p;
	pt->tok[pt->n].n = n;
	pt->n++;
	return 0;
}

/* Compiles fmt (which lives as long as the pattern). On error writes why
 * into why and returns -1. */
static int pat_compile(const char *fmt, dt_pattern **out, char *why, size_t whycap)
{
	dt_pattern *pt = xcalloc(1, sizeof(*pt));
	size_t p = 0, n = strlen(fmt);
	int directives = 0, rc = 0;

	*out = NULL;
	if (n > PAT_MAX_FORMAT) {
		textf(why, whycap, "the format is longer than %d bytes", PAT_MAX_FORMAT);
		free(pt);
		return -1;
	}
	while (p < n && rc == 0) {
		if (fmt[p] == '%') {
			char d;
			if (p + 1 >= n) {
				textf(why, whycap, "the format ends with a lone %%");
				rc = -1;
				break;
			}
			d = fmt[p + 1];
			p += 2;
			switch (d) {
			case 'Y': case 'y': case 'm': case 'd': case 'e': case 'H': case 'I':
			case 'M': case 'S': case 'f': case 'p': case 'j': case 'b': case 'B':
			case 'a': case 'A': case 'z':
				rc = add_tok(pt, (unsigned char)d, NULL, 0);
				directives++;
				break;
			case 'h':
				rc = add_tok(pt, 'b', NULL, 0);
				directives++;
				break;
			case '%':
				rc = add_tok(pt, TK_LIT, "%", 1);
				break;
			case 'n': case 't':
				rc = add_tok(pt, TK_WS, NULL, 0);
				break;
			case 'F':
				rc = add_tok(pt, 'Y', NULL, 0) | add_tok(pt, TK_LIT, "-", 1) |
				     add_tok(pt, 'm', NULL, 0) | add_tok(pt, TK_LIT, "-", 1) |
				     add_tok(pt, 'd', NULL, 0);
				directives++;
				break;
			case 'T':
				rc = add_tok(pt, 'H', NULL, 0) | add_tok(pt, TK_LIT, ":", 1) |
				     add_tok(pt, 'M', NULL, 0) | add_tok(pt, TK_LIT, ":", 1) |
				     add_tok(pt, 'S', NULL, 0);
				directives++;
				break;
			case 'R':
				rc = add_tok(pt, 'H', NULL, 0) | add_tok(pt, TK_LIT, ":", 1) |
				     add_tok(pt, 'M', NULL, 0);
				directives++;
				break;
			default:
				if ((unsigned char)d >= 0x21 && (unsigned char)d < 0x7f)
					textf(why, whycap, "unsupported directive %%%c", d);
				else
					textf(why, whycap,
					      "unsupported directive: %% followed by byte 0x%02X",
					      (unsigned char)d);
				rc = -1;
			}
			if (rc)
				break;
		} else if (is_space(fmt[p])) {
			while (p < n && is_space(fmt[p]))
				p++;
			rc = add_tok(pt, TK_WS, NULL, 0);
		} else {
			size_t q = p;
			while (q < n && fmt[q] != '%' && !is_space(fmt[q]))
				q++;
			rc = add_tok(pt, TK_LIT, fmt + p, q - p);
			p = q;
		}
	}
	if (rc && !why[0])
		textf(why, whycap, "the format has more than %d parts", PAT_MAX_TOKENS);
	if (rc == 0 && !directives) {
		textf(why, whycap, "the format has no %% directive (e.g. %%Y-%%m-%%d)");
		rc = -1;
	}
	if (rc) {
		free(pt);
		return -1;
	}
	*out = pt;
	return 0;
}

static int name_at(const char *c, size_t n, size_t p, const char *const *names, size_t count,
		   size_t *len, int *idx)
{
	size_t k;
	for (k = 0; k < count; k++) {
		size_t l = strlen(names[k]);
		if (p + l <= n && ci_eq(c + p, names[k], l)) {
			*len = l;
			*idx = (int)k;
			return 1;
		}
	}
	return 0;
}

static int pat_run(const dt_pattern *pt, size_t ti, const char *c, size_t n, size_t p, pstate st,
		   pstate *out, int *budget);

/* A variable-width number token: the widest valid reading first, then
 * narrower ones (Python's regex alternatives), each followed by the rest. */
static int pat_num(const dt_pattern *pt, size_t ti, const char *c, size_t n, size_t p, pstate st,
		   pstate *out, int *budget)
{
	unsigned char kind = pt->tok[ti].kind;
	int maxw = kind == 'j' ? 3 : kind == 'f' ? 6 : 2, lo, hi, k = 0, v = 0, dv, w;
	size_t ends[6], q = p, l;
	int vals[6];

	switch (kind) {
	case 'm': case 'I': lo = 1; hi = 12; break;
	case 'd': case 'e': lo = 1; hi = 31; break;
	case 'H': lo = 0; hi = 23; break;
	case 'M': case 'S': lo = 0; hi = 59; break;
	case 'j': lo = 1; hi = 366; break;
	default: lo = 0; hi = 999999; break; /* 'f' */
	}
	while (k < maxw && (l = digit_at(c, n, q, 1, &dv)) != 0) {
		v = v * 10 + dv;
		q += l;
		ends[k] = q;
		vals[k] = v;
		k++;
	}
	for (w = k; w >= 1; w--) {
		pstate s2 = st;
		int val = vals[w - 1];
		if (val < lo || val > hi)
			continue;
		switch (kind) {
		case 'm': s2.mo = val; s2.has_mo = 1; break;
		case 'd': case 'e': s2.d = val; s2.has_d = 1; break;
		case 'H': s2.H = val; break;
		case 'I': s2.I = val; s2.has_I = 1; break;
		case 'M': s2.M = val; break;
		case 'S': s2.S = val; break;
		case 'j': s2.j = val; s2.has_j = 1; break;
		default: {
			double scale = 1;
			int z;
			for (z = 0; z < w; z++)
				scale *= 10;
			s2.frac = val / scale;
		}
		}
		if (pat_run(pt, ti + 1, c, n, ends[w - 1], s2, out, budget) == 0)
			return 0;
		if (*budget < 0)
			return -1;
	}
	/* %d and %e also take a space and one digit (" 5"). */
	if ((kind == 'd' || kind == 'e') && p < n && c[p] == ' ' &&
	    (l = digit_at(c, n, p + 1, 1, &dv)) != 0 && dv >= 1) {
		pstate s2 = st;
		s2.d = dv;
		s2.has_d = 1;
		return pat_run(pt, ti + 1, c, n, p + 1 + l, s2, out, budget);
	}
	return -1;
}

static int pat_run(const dt_pattern *pt, size_t ti, const char *c, size_t n, size_t p, pstate st,
		   pstate *out, int *budget)
{
	size_t l;
	int idx, v;
	for (; ti < pt->n; ti++) {
		const pat_tok *t = &pt->tok[ti];
		if (--*budget < 0)
			return -1;
		switch (t->kind) {
		case TK_LIT:
			if (p + t->n > n || !ci_eq(c + p, t->p, t->n))
				return -1;
			p += t->n;
			break;
		case TK_WS:
			if (p >= n || !is_space(c[p]))
				return -1;
			while (p < n && is_space(c[p]))
				p++;
			break;
		case 'Y':
		case 'y': {
			/* exactly four (two) digits, as Python's \d\d\d\d (\d\d) */
			size_t q = p;
			int k, dv, w = t->kind == 'Y' ? 4 : 2;
			v = 0;
			for (k = 0; k < w; k++) {
				if (!(l = digit_at(c, n, q, 1, &dv)))
					return -1;
				v = v * 10 + dv;
				q += l;
			}
			st.y = w == 4 ? v : v < 69 ? 2000 + v : 1900 + v;
			p = q;
			break;
		}
		case 'p':
			if (p + 2 <= n && (ci_eq(c + p, "am", 2) || ci_eq(c + p, "pm", 2))) {
				st.pm = lower(c[p]) == 'p';
				p += 2;
			} else if (lit_at(c, n, &p, "午前"))
				st.pm = 0;
			else if (lit_at(c, n, &p, "午後"))
				st.pm = 1;
			else
				return -1;
			break;
		case 'b':
			if (!name_at(c, n, p, month_abbr, 12, &l, &idx))
				return -1;
			st.mo = idx + 1;
			st.has_mo = 1;
			p += l;
			break;
		case 'B':
			if (!name_at(c, n, p, month_full, 12, &l, &idx))
				return -1;
			st.mo = idx + 1;
			st.has_mo = 1;
			p += l;
			break;
		case 'a':
			if (!name_at(c, n, p, wday_abbr, 7, &l, &idx))
				return -1;
			p += l;
			break;
		case 'A':
			if (!name_at(c, n, p, wday_full, 7, &l, &idx))
				return -1;
			p += l;
			break;
		case 'z': {
			dt z = {0};
			if (rd_tz(c, n, &p, 0, &z) < 0)
				return -1;
			st.tz = z.tz;
			st.has_tz = 1;
			break;
		}
		default:
			return pat_num(pt, ti, c, n, p, st, out, budget);
		}
	}
	if (p != n)
		return -1;
	*out = st;
	return 0;
}

static int pat_parse(const dt_pattern *pt, const char *c, size_t n, dt *x)
{
	pstate st, r;
	int budget = PAT_BUDGET;
	memset(&st, 0, sizeof(st));
	st.y = 1900;
	st.mo = 1;
	st.d = 1;
	if (pat_run(pt, 0, c, n, 0, st, &r, &budget) < 0)
		return -1;
	x->y = r.y;
	x->mo = r.mo;
	x->d = r.d;
	x->h = r.has_I ? r.I % 12 + (r.pm ? 12 : 0) : r.H;
	x->mi = r.M;
	x->s = r.S;
	x->frac = r.frac;
	x->tz_set = r.has_tz;
	x->tz = r.tz;
	if (r.has_j && !r.has_mo && !r.has_d) {
		int doy = r.j, m = 1;
		if (doy > (is_leap(r.y) ? 366 : 365))
			return -1;
		while (doy > days_in_month(r.y, m)) {
			doy -= days_in_month(r.y, m);
			m++;
		}
		x->mo = m;
		x->d = doy;
	}
	return 0;
}

/* Checks the parts and computes the logical value. Dates need year >= 1
 * (Python's datetime). */
static int dt_finish(odc_type t, const dt *x, odc_value *v)
{
	long long days, secs;
	if (x->y < 1 || x->mo < 1 || x->mo > 12 || x->d < 1 || x->d > days_in_month(x->y, x->mo) ||
	    x->h < 0 || x->h > 23 || x->mi < 0 || x->mi > 59 || x->s < 0 || x->s > 59)
		return -1;
	days = days_from_civil(x->y, x->mo, x->d);
	secs = (long long)x->h * 3600 + x->mi * 60 + x->s - (x->tz_set ? (long long)x->tz * 60 : 0);
	if (t == ODC_T_DATE) {
		v->i = days;
	} else if (t == ODC_T_TIME) {
		v->i = ((secs % 86400) + 86400) % 86400;
		v->num = x->frac;
	} else {
		v->i = days * 86400 + secs;
		v->num = x->frac;
	}
	return 0;
}

static int cast_temporal(const field *f, const char *c, size_t n, odc_value *v)
{
	dt x;
	size_t p = 0;
	int rc = -1;
	memset(&x, 0, sizeof(x));
	x.y = 1970; /* the date part of a time, until a parser sets it */
	x.mo = 1;
	x.d = 1;
	switch (f->fmt) {
	case FMT_PATTERN:
		rc = pat_parse(f->pat, c, n, &x);
		break;
	case FMT_ANY:
		if (f->type == ODC_T_TIME)
			rc = any_time_at(c, n, &p, &x) == 0 && p == n ? 0 : -1;
		else
			rc = any_datetime(c, n, &x);
		break;
	default:
		if (f->type == ODC_T_DATE)
			rc = xsd_date_at(c, n, &p, &x);
		else if (f->type == ODC_T_TIME)
			rc = xsd_time_at(c, n, &p, &x);
		else
			rc = xsd_date_at(c, n, &p, &x) == 0 && lit_at(c, n, &p, "T") &&
				     xsd_time_at(c, n, &p, &x) == 0
				     ? 0
				     : -1;
		if (p != n)
			rc = -1;
	}
	if (rc < 0)
		return -1;
	return dt_finish(f->type, &x, v);
}

/*====================================================================
 * Other scalar types
 *====================================================================*/

/* [-]P[nY][nM][nD][T[nH][nM][n[.n]S]] or [-]PnW. */
static int cast_duration(const char *c, size_t n, double *out)
{
	static const char date_units[] = "YMWD", time_units[] = "HMS";
	static const double date_secs[] = {365.0 * 86400, 30.0 * 86400, 7.0 * 86400, 86400};
	static const double time_secs[] = {3600, 60, 1};
	size_t p = 0;
	int neg = 0, parts = 0, next = 0, weeks = 0, in_time = 0, time_parts = 0;
	double total = 0;

	if (p < n && c[p] == '-') {
		neg = 1;
		p++;
	}
	if (p >= n || c[p] != 'P')
		return -1;
	p++;
	while (p < n) {
		double val = 0;
		int nd = 0, frac = 0;
		const char *units = in_time ? time_units : date_units;
		const char *u;
		if (c[p] == 'T') {
			if (in_time)
				return -1;
			in_time = 1;
			next = 0;
			p++;
			continue;
		}
		while (p < n && is_digit(c[p])) {
			val = val * 10 + (c[p] - '0');
			nd++;
			p++;
		}
		if (p < n && c[p] == '.' && in_time) {
			double scale = 0.1;
			p++;
			while (p < n && is_digit(c[p])) {
				val += (c[p] - '0') * scale;
				scale /= 10;
				frac++;
				p++;
			}
			if (!frac)
				return -1;
		}
		if (!nd || p >= n)
			return -1;
		u = strchr(units, c[p]);
		if (!u || c[p] == '\0' || (int)(u - units) < next)
			return -1;
		if (frac && c[p] != 'S')
			return -1;
		next = (int)(u - units) + 1;
		if (!in_time && *u == 'W')
			weeks = 1;
		total += val * (in_time ? time_secs[u - units] : date_secs[u - units]);
		parts++;
		if (in_time)
			time_parts++;
		p++;
	}
	if (!parts || (in_time && !time_parts) || (weeks && parts != 1))
		return -1;
	*out = neg ? -total : total;
	return 0;
}

static int geo_num(odc_schema *s, const char *c, size_t n, double *out)
{
	while (n && is_jsonws(c[0])) {
		c++;
		n--;
	}
	while (n && is_jsonws(c[n - 1]))
		n--;
	return parse_decimal(&s->scratch, c, n, ".", 1, NULL, 0, out);
}

static int geo_pair(odc_schema *s, const char *c, size_t n, double *a, double *b)
{
	const char *comma = memchr(c, ',', n);
	if (!comma)
		return -1;
	return geo_num(s, c, (size_t)(comma - c), a) == 0 &&
			       geo_num(s, comma + 1, n - (size_t)(comma - c) - 1, b) == 0
		       ? 0
		       : -1;
}

/* One member "lon": x or "lat": y of the object form. */
static int geo_member(odc_schema *s, const char *c, size_t n, int *which, double *val)
{
	size_t p = 0;
	while (p < n && is_jsonws(c[p]))
		p++;
	if (lit_at(c, n, &p, "\"lon\""))
		*which = 0;
	else if (lit_at(c, n, &p, "\"lat\""))
		*which = 1;
	else
		return -1;
	while (p < n && is_jsonws(c[p]))
		p++;
	if (p >= n || c[p] != ':')
		return -1;
	p++;
	return geo_num(s, c + p, n - p, val);
}

static int cast_geopoint(odc_schema *s, const field *f, const char *c, size_t n, odc_value *v)
{
	double lon, lat;
	while (n && is_jsonws(c[0])) {
		c++;
		n--;
	}
	while (n && is_jsonws(c[n - 1]))
		n--;
	if (f->fmt == FMT_ARRAY) {
		if (n < 2 || c[0] != '[' || c[n - 1] != ']' ||
		    geo_pair(s, c + 1, n - 2, &lon, &lat) < 0)
			return -1;
	} else if (f->fmt == FMT_OBJECT) {
		const char *comma;
		int w1, w2;
		double v1, v2;
		if (n < 2 || c[0] != '{' || c[n - 1] != '}')
			return -1;
		c++;
		n -= 2;
		comma = memchr(c, ',', n);
		if (!comma || geo_member(s, c, (size_t)(comma - c), &w1, &v1) < 0 ||
		    geo_member(s, comma + 1, n - (size_t)(comma - c) - 1, &w2, &v2) < 0 || w1 == w2)
			return -1;
		lon = w1 == 0 ? v1 : v2;
		lat = w1 == 0 ? v2 : v1;
	} else if (geo_pair(s, c, n, &lon, &lat) < 0)
		return -1;
	if (!(lon >= -180 && lon <= 180 && lat >= -90 && lat <= 90))
		return -1;
	v->lon = lon;
	v->lat = lat;
	return 0;
}

static int is_hex(char c)
{
	return is_digit(c) || (lower(c) >= 'a' && lower(c) <= 'f');
}

static int is_email(const char *c, size_t n)
{
	size_t k, at = n, dots = 0;
	for (k = 0; k < n; k++) {
		unsigned char b = (unsigned char)c[k];
		if (b <= 0x20 || b == 0x7f)
			return 0;
		if (b == '@') {
			if (at != n)
				return 0;
			at = k;
		}
	}
	if (at == 0 || at >= n - 1)
		return 0;
	/* domain: labels separated by dots, at least two, none empty */
	if (c[at + 1] == '.' || c[n - 1] == '.')
		return 0;
	for (k = at + 1; k < n; k++) {
		if (c[k] == '.') {
			if (c[k - 1] == '.')
				return 0;
			dots++;
		}
	}
	return dots > 0;
}

static int is_uri(const char *c, size_t n)
{
	size_t k = 0;
	if (!n || !((lower(c[0]) >= 'a' && lower(c[0]) <= 'z')))
		return 0;
	while (k < n && (is_digit(c[k]) || (lower(c[k]) >= 'a' && lower(c[k]) <= 'z') ||
			 c[k] == '+' || c[k] == '-' || c[k] == '.'))
		k++;
	if (k >= n || c[k] != ':' || k + 1 >= n)
		return 0;
	for (k++; k < n; k++) {
		unsigned char b = (unsigned char)c[k];
		if (b <= 0x20 || b == 0x7f || strchr("<>\"{}|\\^`", b))
			return 0;
	}
	return 1;
}

static int is_uuid(const char *c, size_t n)
{
	size_t k;
	if (n != 36)
		return 0;
	for (k = 0; k < 36; k++) {
		if (k == 8 || k == 13 || k == 18 || k == 23) {
			if (c[k] != '-')
				return 0;
		} else if (!is_hex(c[k]))
			return 0;
	}
	return 1;
}

static int is_base64(const char *c, size_t n)
{
	size_t k, pad = 0;
	if (n % 4)
		return 0;
	if (n && c[n - 1] == '=')
		pad++;
	if (n > 1 && c[n - 2] == '=')
		pad++;
	for (k = 0; k < n - pad; k++) {
		char b = c[k];
		if (!(is_digit(b) || (b >= 'a' && b <= 'z') || (b >= 'A' && b <= 'Z') || b == '+' ||
		      b == '/'))
			return 0;
	}
	return 1;
}

static int in_strlist(const strlist *l, const char *c, size_t n)
{
	size_t k;
	for (k = 0; k < l->n; k++)
		if (l->len[k] == n && (n == 0 || !memcmp(l->s[k], c, n)))
			return 1;
	return 0;
}

/*====================================================================
 * JSON types
 *====================================================================*/

static int gj_position(const json_t *a)
{
	size_t k;
	if (!json_is_array(a) || json_array_size(a) < 2)
		return 0;
	for (k = 0; k < json_array_size(a); k++)
		if (!json_is_number(json_array_get(a, k)))
			return 0;
	return 1;
}

/* depth 0: a position; 1: positions; 2: arrays of positions; ... min is
 * the least number of positions at depth 1 (2 for lines, 4 for rings). */
static int gj_coords(const json_t *a, int depth, size_t min)
{
	size_t k;
	if (depth == 0)
		return gj_position(a);
	if (!json_is_array(a))
		return 0;
	if (depth == 1 && json_array_size(a) < min)
		return 0;
	for (k = 0; k < json_array_size(a); k++)
		if (!gj_coords(json_array_get(a, k), depth - 1, min))
			return 0;
	return 1;
}

static int gj_geometry(const json_t *o, int nest)
{
	const char *t;
	const json_t *co;
	if (!json_is_object(o) || !json_is_string(json_object_get(o, "type")))
		return 0;
	t = json_string_value(json_object_get(o, "type"));
	if (!strcmp(t, "GeometryCollection")) {
		const json_t *g = json_object_get(o, "geometries");
		size_t k;
		if (!json_is_array(g) || nest >= GEOJSON_MAX_NEST)
			return 0;
		for (k = 0; k < json_array_size(g); k++)
			if (!gj_geometry(json_array_get(g, k), nest + 1))
				return 0;
		return 1;
	}
	co = json_object_get(o, "coordinates");
	if (!strcmp(t, "Point"))
		return gj_coords(co, 0, 0);
	if (!strcmp(t, "MultiPoint"))
		return gj_coords(co, 1, 0);
	if (!strcmp(t, "LineString"))
		return gj_coords(co, 1, 2);
	if (!strcmp(t, "MultiLineString"))
		return gj_coords(co, 2, 2);
	if (!strcmp(t, "Polygon"))
		return gj_coords(co, 2, 4);
	if (!strcmp(t, "MultiPolygon"))
		return gj_coords(co, 3, 4);
	return 0;
}

static int gj_feature(const json_t *o)
{
	const json_t *g, *p;
	if (!json_is_object(o) || !json_is_string(json_object_get(o, "type")) ||
	    strcmp(json_string_value(json_object_get(o, "type")), "Feature"))
		return 0;
	g = json_object_get(o, "geometry");
	p = json_object_get(o, "properties");
	if (!g || !p || !(json_is_null(p) || json_is_object(p)))
		return 0;
	return json_is_null(g) || gj_geometry(g, 0);
}

static int gj_valid(const json_t *o)
{
	const char *t;
	if (!json_is_object(o) || !json_is_string(json_object_get(o, "type")))
		return 0;
	t = json_string_value(json_object_get(o, "type"));
	if (!strcmp(t, "Feature"))
		return gj_feature(o);
	if (!strcmp(t, "FeatureCollection")) {
		const json_t *fs = json_object_get(o, "features");
		size_t k;
		if (!json_is_array(fs))
			return 0;
		for (k = 0; k < json_array_size(fs); k++)
			if (!gj_feature(json_array_get(fs, k)))
				return 0;
		return 1;
	}
	return gj_geometry(o, 0);
}

static int cast_json_text(const field *f, const char *c, size_t n, odc_value *v)
{
	json_error_t e;
	json_t *j = json_loadb(c, n, 0, &e);
	int ok = 0;
	if (!j)
		return -1;
	switch (f->type) {
	case ODC_T_OBJECT:
		ok = json_is_object(j);
		v->i = (long long)json_object_size(j);
		break;
	case ODC_T_ARRAY:
		ok = json_is_array(j);
		v->i = (long long)json_array_size(j);
		break;
	default: /* geojson */
		if (f->fmt == FMT_TOPOJSON)
			ok = json_is_object(j) && json_is_string(json_object_get(j, "type")) &&
			     !strcmp(json_string_value(json_object_get(j, "type")), "Topology") &&
			     json_is_object(json_object_get(j, "objects")) &&
			     json_is_array(json_object_get(j, "arcs"));
		else
			ok = gj_valid(j);
	}
	json_decref(j);
	return ok ? 0 : -1;
}

/*====================================================================
 * Casting one cell
 *====================================================================*/

static int cast_value(odc_schema *s, const field *f, const char *c, size_t n, odc_value *v);

/* The first occurrence of needle (nl >= 1 bytes) in hay, or NULL (memmem
 * is a GNU extension). */
static const char *find_bytes(const char *hay, size_t hl, const char *needle, size_t nl)
{
	const char *p = hay, *end = hay + hl;
	while (nl <= (size_t)(end - p) &&
	       (p = memchr(p, needle[0], (size_t)(end - p) - nl + 1)) != NULL) {
		if (!memcmp(p, needle, nl))
			return p;
		p++;
	}
	return NULL;
}

static int cast_list(odc_schema *s, const field *f, const char *c, size_t n, odc_value *v)
{
	size_t p = 0;
	long long count = 0;
	for (;;) {
		const char *d;
		size_t end;
		odc_value item;
		if (f->delim_len == 1)
			d = memchr(c + p, f->delim[0], n - p);
		else
			d = find_bytes(c + p, n - p, f->delim, f->delim_len);
		end = d ? (size_t)(d - c) : n;
		memset(&item, 0, sizeof(item));
		if (cast_value(s, f->item, c + p, end - p, &item) < 0)
			return -1;
		count++;
		if (!d)
			break;
		p = end + f->delim_len;
	}
	v->i = count;
	return 0;
}

/* Casts the text of a cell (not a missing value) to f's type; fills v's
 * type-specific members. */
static int cast_value(odc_schema *s, const field *f, const char *c, size_t n, odc_value *v)
{
	int y, mo;
	size_t p = 0;
	v->type = f->type;
	switch (f->type) {
	case ODC_T_STRING:
		switch (f->fmt) {
		case FMT_EMAIL: return is_email(c, n) ? 0 : -1;
		case FMT_URI: return is_uri(c, n) ? 0 : -1;
		case FMT_UUID: return is_uuid(c, n) ? 0 : -1;
		case FMT_BINARY: return is_base64(c, n) ? 0 : -1;
		default: return 0;
		}
	case ODC_T_NUMBER:
		return cast_number(s, f, c, n, &v->num);
	case ODC_T_INTEGER:
		return cast_integer(f, c, n, &v->i);
	case ODC_T_BOOLEAN:
		if (in_strlist(&f->tv, c, n)) {
			v->i = 1;
			return 0;
		}
		if (in_strlist(&f->fv, c, n)) {
			v->i = 0;
			return 0;
		}
		return -1;
	case ODC_T_DATE:
	case ODC_T_TIME:
	case ODC_T_DATETIME:
		return cast_temporal(f, c, n, v);
	case ODC_T_YEAR:
		if (n != 4 || rd_fixed(c, n, &p, 4, &y) < 0)
			return -1;
		v->i = y;
		return 0;
	case ODC_T_YEARMONTH:
		if (n != 7 || rd_fixed(c, n, &p, 4, &y) < 0 || !lit_at(c, n, &p, "-") ||
		    rd_fixed(c, n, &p, 2, &mo) < 0 || mo < 1 || mo > 12)
			return -1;
		v->i = (long long)y * 12 + mo - 1;
		return 0;
	case ODC_T_DURATION:
		return cast_duration(c, n, &v->num);
	case ODC_T_GEOPOINT:
		return cast_geopoint(s, f, c, n, v);
	case ODC_T_GEOJSON:
	case ODC_T_OBJECT:
	case ODC_T_ARRAY:
		return cast_json_text(f, c, n, v);
	case ODC_T_LIST:
		return cast_list(s, f, c, n, v);
	case ODC_T_ANY:
		return 0;
	}
	return -1;
}

/*====================================================================
 * Values: equality, order, keys
 *====================================================================*/

static int is_json_type(odc_type t)
{
	return t == ODC_T_OBJECT || t == ODC_T_ARRAY || t == ODC_T_GEOJSON;
}

/* -1, 0, 1; 2 when unordered (NaN). Both values of one field's type. */
static int cmp_values(const odc_value *a, const odc_value *b)
{
	switch (a->type) {
	case ODC_T_NUMBER:
	case ODC_T_DURATION:
		if (isnan(a->num) || isnan(b->num))
			return 2;
		return a->num < b->num ? -1 : a->num > b->num;
	case ODC_T_TIME:
	case ODC_T_DATETIME:
		if (a->i != b->i)
			return a->i < b->i ? -1 : 1;
		return a->num < b->num ? -1 : a->num > b->num;
	default:
		return a->i < b->i ? -1 : a->i > b->i;
	}
}

static int values_equal(const odc_value *a, const odc_value *b)
{
	switch (a->type) {
	case ODC_T_STRING:
	case ODC_T_ANY:
	case ODC_T_LIST:
		return a->len == b->len && (a->len == 0 || !memcmp(a->str, b->str, a->len));
	case ODC_T_NUMBER:
	case ODC_T_DURATION:
		return a->num == b->num || (isnan(a->num) && isnan(b->num));
	case ODC_T_TIME:
	case ODC_T_DATETIME:
		return a->i == b->i && a->num == b->num;
	case ODC_T_GEOPOINT:
		return a->lon == b->lon && a->lat == b->lat;
	default:
		return a->i == b->i;
	}
}

static void json_key(const char *c, size_t n, odc_buf *out)
{
	json_error_t e;
	json_t *j = json_loadb(c, n, JSON_DECODE_ANY, &e);
	size_t len;
	char *t;
	if (!j) {
		buf_put(out, c, n);
		return;
	}
	t = dump_json(j, JSON_COMPACT | JSON_SORT_KEYS, &len);
	buf_put(out, t, len);
	free(t);
	json_decref(j);
}

/*
 * The canonical bytes of a logical value, compared within one field (so no
 * type tag is written):
 *   integer, year, yearmonth, date   the integer in decimal ("-3", "19723")
 *   time, datetime                   the integer, then ".fraction" when the
 *                                    value has a fraction of a second
 *   number, duration                 shortest round-trip text ("1", "1.5",
 *                                    "1e+20", "NaN", "INF", "-INF"; -0 → "0")
 *   boolean                          "true" / "false"
 *   geopoint                         "<lon>,<lat>", numbers as above
 *   object, array, geojson           compact JSON with sorted keys
 *   string, any, list                the cell text as it is
 *   a missing value                  nothing (callers skip nulls)
 */
void schema_value_key(const odc_value *v, odc_buf *out)
{
	if (v->missing)
		return;
	switch (v->type) {
	case ODC_T_STRING:
	case ODC_T_ANY:
	case ODC_T_LIST:
		buf_put(out, v->str, v->len);
		break;
	case ODC_T_BOOLEAN:
		buf_puts(out, v->i ? "true" : "false");
		break;
	case ODC_T_NUMBER:
	case ODC_T_DURATION:
		put_number(out, v->num);
		break;
	case ODC_T_TIME:
	case ODC_T_DATETIME:
		put_ll(out, v->i);
		if (v->num > 0 && v->num < 1) {
			char t[16];
			size_t l;
			snprintf(t, sizeof(t), "%.9f", v->num);
			l = strlen(t);
			while (l > 2 && t[l - 1] == '0')
				l--;
			buf_put(out, t + 1, l - 1); /* ".5" */
		}
		break;
	case ODC_T_GEOPOINT:
		put_number(out, v->lon);
		buf_putc(out, ',');
		put_number(out, v->lat);
		break;
	case ODC_T_OBJECT:
	case ODC_T_ARRAY:
	case ODC_T_GEOJSON:
		json_key(v->str, v->len, out);
		break;
	default:
		put_ll(out, v->i);
	}
}

/*====================================================================
 * Loading: lists, options, formats
 *====================================================================*/

static void strlist_free(strlist *l)
{
	size_t k;
	for (k = 0; k < l->n; k++)
		free(l->s[k]);
	free(l->s);
	free(l->len);
	memset(l, 0, sizeof(*l));
}

static void strlist_add(strlist *l, const char *s, size_t n)
{
	l->s = xrealloc(l->s, (l->n + 1) * sizeof(*l->s));
	l->len = xrealloc(l->len, (l->n + 1) * sizeof(*l->len));
	l->s[l->n] = dupn(s, n);
	l->len[l->n] = n;
	l->n++;
	if (!n)
		l->has_empty = 1;
}

/* Reads an array of strings (objects {value, label} too when objects) into
 * out. fi < 0: schema-level (schema-error), else field-level (field-error).
 * Returns -1 when j is not an array (out untouched). */
static int load_strlist(ctx *c, long fi, const char *where, const json_t *j, int objects,
			strlist *out)
{
	size_t k;
	const char *hint = objects ? "give an array of strings or of {\"value\", \"label\"} objects"
				   : "give an array of strings";
	if (!json_is_array(j)) {
		if (fi < 0)
			schema_err(c, hint, "%s: not an array", where);
		else
			field_err(c, (size_t)fi, hint, "%s: not an array", where);
		return -1;
	}
	memset(out, 0, sizeof(*out));
	for (k = 0; k < json_array_size(j); k++) {
		const json_t *e = json_array_get(j, k), *val = e;
		if (objects && json_is_object(e))
			val = json_object_get(e, "value");
		if (!json_is_string(val)) {
			if (fi < 0)
				schema_err(c, hint, "%s/%zu: not a string", where, k);
			else
				field_err(c, (size_t)fi, hint, "%s/%zu: not a string", where, k);
			continue;
		}
		strlist_add(out, json_string_value(val), json_string_length(val));
	}
	return 0;
}

static int known_format(odc_type t, const char *fmt, int *code)
{
	static const struct {
		odc_type t;
		const char *name;
		int code;
	} table[] = {
		{ODC_T_STRING, "email", FMT_EMAIL},     {ODC_T_STRING, "uri", FMT_URI},
		{ODC_T_STRING, "uuid", FMT_UUID},       {ODC_T_STRING, "binary", FMT_BINARY},
		{ODC_T_DATE, "any", FMT_ANY},           {ODC_T_TIME, "any", FMT_ANY},
		{ODC_T_DATETIME, "any", FMT_ANY},       {ODC_T_GEOPOINT, "array", FMT_ARRAY},
		{ODC_T_GEOPOINT, "object", FMT_OBJECT}, {ODC_T_GEOJSON, "topojson", FMT_TOPOJSON},
	};
	size_t k;
	if (!strcmp(fmt, "default")) {
		*code = FMT_DEFAULT;
		return 1;
	}
	for (k = 0; k < sizeof(table) / sizeof(table[0]); k++)
		if (table[k].t == t && !strcmp(table[k].name, fmt)) {
			*code = table[k].code;
			return 1;
		}
	return 0;
}

static int is_temporal(odc_type t)
{
	return t == ODC_T_DATE || t == ODC_T_TIME || t == ODC_T_DATETIME;
}

/* The words of a type error, fixed at load. */
static void set_expected(field *f)
{
	const char *tn = schema_type_name(f->type);
	switch (f->type) {
	case ODC_T_STRING:
		switch (f->fmt) {
		case FMT_EMAIL: textf(f->expected, EXPECTED_CAP, "an email address"); break;
		case FMT_URI:
			textf(f->expected, EXPECTED_CAP, "a URI with a scheme (https://...)");
			break;
		case FMT_UUID:
			textf(f->expected, EXPECTED_CAP, "a UUID (8-4-4-4-12 hexadecimal digits)");
			break;
		case FMT_BINARY: textf(f->expected, EXPECTED_CAP, "base64 data"); break;
		default: textf(f->expected, EXPECTED_CAP, "string");
		}
		break;
	case ODC_T_NUMBER:
	case ODC_T_INTEGER:
		if (f->type == ODC_T_NUMBER && (f->grp_len || strcmp(f->dec, ".")))
			textf(f->expected, EXPECTED_CAP, "number (decimal mark \"%s\"%s%s%s)%s",
			      f->dec, f->grp_len ? ", group mark \"" : "", f->grp_len ? f->grp : "",
			      f->grp_len ? "\"" : "", f->bare ? "" : ", text around it allowed");
		else if (f->type == ODC_T_INTEGER && f->grp_len)
			textf(f->expected, EXPECTED_CAP, "integer (group mark \"%s\")%s", f->grp,
			      f->bare ? "" : ", text around it allowed");
		else
			textf(f->expected, EXPECTED_CAP, "%s%s", tn,
			      f->bare ? "" : " (text around it allowed)");
		break;
	case ODC_T_BOOLEAN: {
		odc_buf b = ODC_BUF_INIT;
		size_t k;
		buf_puts(&b, "boolean (true: ");
		for (k = 0; k < f->tv.n; k++)
			buf_printf(&b, "%s%s", k ? ", " : "", f->tv.s[k]);
		buf_puts(&b, "; false: ");
		for (k = 0; k < f->fv.n; k++)
			buf_printf(&b, "%s%s", k ? ", " : "", f->fv.s[k]);
		buf_putc(&b, ')');
		textf(f->expected, EXPECTED_CAP, "%s", buf_cstr(&b));
		buf_free(&b);
		break;
	}
	case ODC_T_DATE:
	case ODC_T_TIME:
	case ODC_T_DATETIME:
		if (f->fmt == FMT_PATTERN)
			textf(f->expected, EXPECTED_CAP, "%s in the form %s", tn, f->format);
		else if (f->fmt == FMT_ANY)
			textf(f->expected, EXPECTED_CAP, "%s",
			      f->type == ODC_T_DATE ? "date (e.g. 2024-04-01, 2024/4/1, "
						      "2024年4月1日, 令和6年4月1日)"
			      : f->type == ODC_T_TIME
				      ? "time (e.g. 09:30, 9:30:15, 9時30分, 9:30 PM)"
				      : "datetime (e.g. 2024-04-01 09:30, "
					"2024-04-01T09:30:00+09:00)");
		else
			textf(f->expected, EXPECTED_CAP, "%s",
			      f->type == ODC_T_DATE   ? "date in the form YYYY-MM-DD"
			      : f->type == ODC_T_TIME ? "time in the form hh:mm:ss"
						      : "datetime in the form YYYY-MM-DDThh:mm:ss");
		break;
	case ODC_T_YEAR: textf(f->expected, EXPECTED_CAP, "year (YYYY)"); break;
	case ODC_T_YEARMONTH: textf(f->expected, EXPECTED_CAP, "year and month (YYYY-MM)"); break;
	case ODC_T_DURATION:
		textf(f->expected, EXPECTED_CAP, "ISO 8601 duration (e.g. P1Y2M3DT4H5M6S)");
		break;
	case ODC_T_GEOPOINT:
		textf(f->expected, EXPECTED_CAP,
		      "geopoint %s (longitude -180..180, latitude -90..90)",
		      f->fmt == FMT_ARRAY    ? "[lon, lat]"
		      : f->fmt == FMT_OBJECT ? "{\"lon\": ..., \"lat\": ...}"
					     : "\"lon, lat\"");
		break;
	case ODC_T_GEOJSON:
		textf(f->expected, EXPECTED_CAP, "%s",
		      f->fmt == FMT_TOPOJSON ? "TopoJSON topology object" : "GeoJSON object");
		break;
	case ODC_T_OBJECT: textf(f->expected, EXPECTED_CAP, "JSON object"); break;
	case ODC_T_ARRAY: textf(f->expected, EXPECTED_CAP, "JSON array"); break;
	case ODC_T_LIST:
		textf(f->expected, EXPECTED_CAP, "list of %s separated by \"%s\"",
		      schema_type_name(f->item->type), f->delim);
		break;
	case ODC_T_ANY: textf(f->expected, EXPECTED_CAP, "any value"); break;
	}
}

static void set_default_bool(field *f)
{
	static const char *const t[] = {"true", "True", "TRUE", "1"};
	static const char *const fl[] = {"false", "False", "FALSE", "0"};
	size_t k;
	for (k = 0; k < 4; k++) {
		strlist_add(&f->tv, t[k], strlen(t[k]));
		strlist_add(&f->fv, fl[k], strlen(fl[k]));
	}
}

static void field_defaults(field *f, odc_type t)
{
	f->type = t;
	f->fmt = FMT_DEFAULT;
	memcpy(f->dec, ".", 2);
	f->dec_len = 1;
	f->bare = 1;
	if (t == ODC_T_BOOLEAN)
		set_default_bool(f);
}

/* A string option that must be short, non-empty text without digits or a
 * sign (decimalChar, groupChar). */
static int load_mark(ctx *c, size_t fi, const json_t *fj, const char *key, char *dst,
		     size_t *dst_len)
{
	const json_t *j = json_object_get(fj, key);
	size_t n, k;
	const char *s;
	if (!j)
		return 0;
	if (!json_is_string(j) || (n = json_string_length(j)) == 0 || n > 7) {
		field_err(c, fi, "give one character, e.g. \",\"",
			  "/%s: not a short non-empty string", key);
		return -1;
	}
	s = json_string_value(j);
	for (k = 0; k < n; k++)
		if (is_digit(s[k]) || s[k] == '+' || s[k] == '-' || s[k] == 'e' || s[k] == 'E' ||
		    s[k] == '\0') {
			field_err(c, fi, "give one character, e.g. \",\"",
				  "/%s: \"%s\" cannot be a mark in numbers", key, s);
			return -1;
		}
	memcpy(dst, s, n);
	dst[n] = '\0';
	*dst_len = n;
	return 0;
}

static void load_number_options(ctx *c, size_t fi, field *f, const json_t *fj)
{
	const json_t *b = json_object_get(fj, "bareNumber");
	char dec[8], grp[8];
	size_t dl = 0, gl = 0;
	if (f->type == ODC_T_NUMBER && load_mark(c, fi, fj, "decimalChar", dec, &dl) == 0 && dl) {
		memcpy(f->dec, dec, dl + 1);
		f->dec_len = dl;
	}
	if (load_mark(c, fi, fj, "groupChar", grp, &gl) == 0 && gl) {
		if (f->type == ODC_T_NUMBER &&
		    (gl == f->dec_len ? !memcmp(grp, f->dec, gl) : grp[0] == f->dec[0]))
			field_err(c, fi, "use different characters for the decimal and group marks",
				  "/groupChar: \"%s\" is the same as the decimal mark", grp);
		else {
			memcpy(f->grp, grp, gl + 1);
			f->grp_len = gl;
		}
	}
	if (b) {
		if (json_is_boolean(b))
			f->bare = json_is_true(b);
		else
			field_err(c, fi, "use true or false", "/bareNumber: not a boolean");
	}
}

static void load_boolean_options(ctx *c, size_t fi, field *f, const json_t *fj)
{
	static const char *const keys[2] = {"trueValues", "falseValues"};
	int w;
	for (w = 0; w < 2; w++) {
		const json_t *j = json_object_get(fj, keys[w]);
		char where[16];
		strlist l;
		if (!j)
			continue;
		snprintf(where, sizeof(where), "/%s", keys[w]);
		if (load_strlist(c, (long)fi, where, j, 0, &l) < 0)
			continue;
		if (!l.n) {
			field_err(c, fi, "give at least one value", "/%s: empty", keys[w]);
			strlist_free(&l);
			continue;
		}
		strlist_free(w ? &f->fv : &f->tv);
		*(w ? &f->fv : &f->tv) = l;
	}
	{
		size_t k;
		for (k = 0; k < f->tv.n; k++)
			if (in_strlist(&f->fv, f->tv.s[k], f->tv.len[k]))
				field_err(c, fi, "a value cannot be both true and false",
					  "/falseValues: \"%s\" is also a true value (true wins)",
					  f->tv.s[k]);
	}
}

static void load_list_options(ctx *c, size_t fi, field *f, const json_t *fj)
{
	const json_t *d = json_object_get(fj, "delimiter"), *it = json_object_get(fj, "itemType");
	odc_type item = ODC_T_STRING;
	if (d && (!json_is_string(d) || !json_string_length(d))) {
		field_err(c, fi, "give a non-empty string, e.g. \";\"",
			  "/delimiter: not a non-empty string");
		d = NULL;
	}
	f->delim = d ? dupn(json_string_value(d), json_string_length(d)) : dupn(",", 1);
	f->delim_len = d ? json_string_length(d) : 1;
	if (it) {
		int t = json_is_string(it) ? schema_type_from_name(json_string_value(it)) : -1;
		if (t == ODC_T_STRING || t == ODC_T_INTEGER || t == ODC_T_BOOLEAN ||
		    t == ODC_T_NUMBER || t == ODC_T_DATETIME || t == ODC_T_DATE || t == ODC_T_TIME)
			item = (odc_type)t;
		else
			field_err(c, fi,
				  "use string, integer, boolean, number, datetime, date or time",
				  "/itemType: not a type a list can hold");
	}
	f->item = xcalloc(1, sizeof(*f->item));
	field_defaults(f->item, item);
}

/* The format: "fmt:" stripped, checked against the type; patterns compiled.
 * Sets f->broken when a temporal format is unusable. */
static void load_format(ctx *c, size_t fi, field *f, const json_t *fj)
{
	const json_t *j = json_object_get(fj, "format");
	const char *fmt = "default";
	int code;
	if (j && !json_is_string(j))
		field_err(c, fi, "give the format as a string", "/format: not a string");
	else if (j)
		fmt = json_string_value(j);
	if (!strncmp(fmt, "fmt:", 4))
		fmt += 4;
	f->format = xstrdup(fmt);
	if (known_format(f->type, f->format, &code)) {
		f->fmt = code;
		return;
	}
	if (is_temporal(f->type)) {
		char why[160] = "";
		if (pat_compile(f->format, &f->pat, why, sizeof(why)) == 0) {
			f->fmt = FMT_PATTERN;
			return;
		}
		field_err(c, fi,
			  "use \"default\", \"any\" or a pattern such as %Y-%m-%d or %Y年%m月%d日 "
			  "(directives %Y %y %m %d %e %H %I %M %S %f %p %j %b %B %a %A %z %%); "
			  "the field is checked as type any meanwhile",
			  "/format: \"%s\" is not usable: %s", f->format, why);
		f->broken = 1;
		f->type = ODC_T_ANY;
		f->fmt = FMT_DEFAULT;
		free(f->format);
		f->format = xstrdup("default");
		return;
	}
	switch (f->type) {
	case ODC_T_STRING:
		field_err(c, fi, "use default, email, uri, uuid or binary",
			  "/format: unknown format \"%s\" for type string (default is used)",
			  f->format);
		break;
	case ODC_T_GEOPOINT:
		field_err(c, fi, "use default, array or object",
			  "/format: unknown format \"%s\" for type geopoint (default is used)",
			  f->format);
		break;
	case ODC_T_GEOJSON:
		field_err(c, fi, "use default or topojson",
			  "/format: unknown format \"%s\" for type geojson (default is used)",
			  f->format);
		break;
	default:
		field_err(c, fi, "remove the format: this type has only \"default\"",
			  "/format: unknown format \"%s\" for type %s (ignored)", f->format,
			  schema_type_name(f->type));
	}
	f->fmt = FMT_DEFAULT;
}

/*====================================================================
 * Loading: constraints
 *====================================================================*/

enum { C_LEN = 1, C_RANGE = 2, C_PATTERN = 4 };

static int supports(odc_type t, int what)
{
	switch (what) {
	case C_LEN:
		return t == ODC_T_STRING || t == ODC_T_ARRAY || t == ODC_T_OBJECT ||
		       t == ODC_T_LIST;
	case C_RANGE:
		return t == ODC_T_INTEGER || t == ODC_T_NUMBER || t == ODC_T_DATE ||
		       t == ODC_T_TIME || t == ODC_T_DATETIME || t == ODC_T_YEAR ||
		       t == ODC_T_YEARMONTH || t == ODC_T_DURATION;
	default:
		return t == ODC_T_STRING;
	}
}

/* Casts a constraint value (a JSON primitive, or a string cast by the
 * field's type and format) to a logical value. *owned receives the text v
 * points into, if any. */
static int cast_json(odc_schema *s, const field *f, const json_t *j, odc_value *v, char **owned)
{
	char *text = NULL;
	size_t len = 0;
	*owned = NULL;
	memset(v, 0, sizeof(*v));
	v->type = f->type;
	if (json_is_string(j)) {
		len = json_string_length(j);
		text = dupn(json_string_value(j), len);
	} else if (json_is_integer(j)) {
		long long x = json_integer_value(j);
		switch (f->type) {
		case ODC_T_INTEGER:
		case ODC_T_YEAR:
			v->i = x;
			return 0;
		case ODC_T_NUMBER:
			v->num = (double)x;
			return 0;
		case ODC_T_ANY:
			text = dump_json(j, 0, &len);
			break;
		default:
			return -1;
		}
	} else if (json_is_real(j)) {
		double x = json_real_value(j);
		switch (f->type) {
		case ODC_T_NUMBER:
			v->num = x;
			return 0;
		case ODC_T_INTEGER:
			if (!(x > -9.2e18 && x < 9.2e18) || x != (double)(long long)x)
				return -1;
			v->i = (long long)x;
			return 0;
		case ODC_T_ANY:
			text = shown_json(j);
			len = strlen(text);
			break;
		default:
			return -1;
		}
	} else if (json_is_boolean(j)) {
		if (f->type == ODC_T_BOOLEAN) {
			v->i = json_is_true(j);
			return 0;
		}
		if (f->type != ODC_T_ANY)
			return -1;
		text = dupn(json_is_true(j) ? "true" : "false", json_is_true(j) ? 4 : 5);
		len = strlen(text);
	} else if (json_is_object(j) || json_is_array(j)) {
		if (!is_json_type(f->type) && f->type != ODC_T_GEOPOINT && f->type != ODC_T_ANY)
			return -1;
		text = dump_json(j, JSON_COMPACT, &len);
	} else
		return -1;
	if (cast_value(s, f, text, len, v) < 0) {
		free(text);
		return -1;
	}
	v->str = text;
	v->len = len;
	*owned = text;
	return 0;
}

static void load_limit(ctx *c, odc_schema *s, size_t fi, field *f, int which, const json_t *val)
{
	limit *l = &f->lim[which];
	char *shown = shown_json(val);
	if (cast_json(s, f, val, &l->v, &l->owned) < 0) {
		field_err(c, fi,
			  "give a value of the field's type (a number, or a string in the field's "
			  "format)",
			  "/constraints/%s: %s is not a valid %s", limit_names[which], shown,
			  schema_type_name(f->type));
		free(shown);
		return;
	}
	l->set = 1;
	l->shown = shown;
}

static void vset_free(vset *vs)
{
	size_t k;
	for (k = 0; k < vs->n; k++) {
		free(vs->owned[k]);
		free(vs->key[k]);
	}
	free(vs->v);
	free(vs->owned);
	free(vs->key);
	free(vs->klen);
	memset(vs, 0, sizeof(*vs));
}

/* enum (categories = 0) or categories (1): values cast to the type. */
static void load_vset(ctx *c, odc_schema *s, size_t fi, field *f, const json_t *arr, int categories,
		      vset *out)
{
	const char *where = categories ? "/categories" : "/constraints/enum";
	odc_buf shown = ODC_BUF_INIT;
	size_t k, n;
	if (!json_is_array(arr)) {
		field_err(c, fi, "give an array of values", "%s: not an array", where);
		return;
	}
	n = json_array_size(arr);
	if (!n) {
		field_err(c, fi, "give at least one value", "%s: empty (ignored)", where);
		return;
	}
	out->v = xcalloc(n, sizeof(*out->v));
	out->owned = xcalloc(n, sizeof(char *));
	out->key = xcalloc(n, sizeof(char *));
	out->klen = xcalloc(n, sizeof(size_t));
	for (k = 0; k < n; k++) {
		const json_t *e = json_array_get(arr, k), *val = e;
		char *owned, *txt;
		if (categories && json_is_object(e)) {
			val = json_object_get(e, "value");
			if (!val) {
				field_err(c, fi, "give each category a \"value\"",
					  "%s/%zu: no \"value\"", where, k);
				continue;
			}
		}
		if (json_is_null(val))
			continue;
		txt = shown_json(val);
		if (cast_json(s, f, val, &out->v[out->n], &owned) < 0) {
			field_err(c, fi,
				  "give values of the field's type (or strings in its format)",
				  "%s/%zu: %s is not a valid %s", where, k, txt,
				  schema_type_name(f->type));
			free(txt);
			continue;
		}
		out->owned[out->n] = owned;
		if (is_json_type(f->type)) {
			odc_buf kb = ODC_BUF_INIT;
			schema_value_key(&out->v[out->n], &kb);
			out->klen[out->n] = kb.len;
			out->key[out->n] = buf_detach(&kb);
		}
		buf_printf(&shown, "%s%s", shown.len ? ", " : "", txt);
		free(txt);
		out->n++;
	}
	textf(out->expected, EXPECTED_CAP, "%s%s",
	      categories ? "one of the categories: " : "one of: ", buf_cstr(&shown));
	buf_free(&shown);
}

static void load_pattern(ctx *c, odc_schema *s, size_t fi, field *f, const json_t *val)
{
	int ec;
	PCRE2_SIZE eo;
	pcre2_code *re;
	if (!json_is_string(val)) {
		field_err(c, fi, "give a regular expression as a string",
			  "/constraints/pattern: not a string");
		return;
	}
	re = pcre2_compile((PCRE2_SPTR)json_string_value(val), json_string_length(val),
			   PCRE2_ANCHORED | PCRE2_ENDANCHORED | PCRE2_UTF | PCRE2_UCP, &ec, &eo,
			   NULL);
	if (!re) {
		PCRE2_UCHAR msg[256];
		if (pcre2_get_error_message(ec, msg, sizeof(msg)) < 0)
			snprintf((char *)msg, sizeof(msg), "error %d", ec);
		field_err(c, fi,
			  "fix the regular expression (XML Schema / PCRE2 syntax; it must match "
			  "the whole value)",
			  "/constraints/pattern: pattern does not compile: %s at %zu", (char *)msg,
			  (size_t)eo);
		return;
	}
	if (pcre2_jit_compile(re, PCRE2_JIT_COMPLETE) == 0)
		s->any_jit = 1;
	s->any_re = 1;
	f->re = re;
	f->re_src = dupn(json_string_value(val), json_string_length(val));
}

static void load_constraints(ctx *c, odc_schema *s, size_t fi, field *f, json_t *cons)
{
	const char *key;
	json_t *val;
	if (!cons)
		return;
	if (!json_is_object(cons)) {
		field_err(c, fi, "give the constraints as an object",
			  "/constraints: not an object");
		return;
	}
	json_object_foreach(cons, key, val) {
		int which = -1;
		if (!strcmp(key, "required") || !strcmp(key, "unique")) {
			if (!json_is_boolean(val))
				field_err(c, fi, "use true or false",
					  "/constraints/%s: not a boolean", key);
			else if (key[0] == 'r')
				f->required = json_is_true(val);
			else
				f->unique = json_is_true(val);
			continue;
		}
		if (!strcmp(key, "minimum"))
			which = L_MIN;
		else if (!strcmp(key, "maximum"))
			which = L_MAX;
		else if (!strcmp(key, "exclusiveMinimum"))
			which = L_XMIN;
		else if (!strcmp(key, "exclusiveMaximum"))
			which = L_XMAX;
		if (f->broken &&
		    (which >= 0 || !strcmp(key, "minLength") || !strcmp(key, "maxLength") ||
		     !strcmp(key, "pattern") || !strcmp(key, "enum") || !strcmp(key, "jsonSchema")))
			continue; /* the format error was reported; the field is "any" */
		if (which >= 0) {
			if (!supports(f->type, C_RANGE))
				field_err(c, fi, "remove it, or change the field's type",
					  "/constraints/%s: does not apply to type %s", key,
					  schema_type_name(f->type));
			else
				load_limit(c, s, fi, f, which, val);
		} else if (!strcmp(key, "minLength") || !strcmp(key, "maxLength")) {
			int mx = key[1] == 'a';
			if (!supports(f->type, C_LEN))
				field_err(c, fi, "remove it, or change the field's type",
					  "/constraints/%s: does not apply to type %s", key,
					  schema_type_name(f->type));
			else if (!json_is_integer(val) || json_integer_value(val) < 0)
				field_err(c, fi, "give a whole number, 0 or more",
					  "/constraints/%s: not a non-negative integer", key);
			else if (mx) {
				f->has_maxlen = 1;
				f->maxlen = json_integer_value(val);
			} else {
				f->has_minlen = 1;
				f->minlen = json_integer_value(val);
			}
		} else if (!strcmp(key, "pattern")) {
			if (!supports(f->type, C_PATTERN))
				field_err(c, fi, "remove it, or make the field a string",
					  "/constraints/pattern: does not apply to type %s",
					  schema_type_name(f->type));
			else
				load_pattern(c, s, fi, f, val);
		} else if (!strcmp(key, "enum")) {
			vset_free(&f->en);
			load_vset(c, s, fi, f, val, 0, &f->en);
		} else if (!strcmp(key, "jsonSchema")) {
			field_warn(c, fi, "odcat does not check jsonSchema constraints",
				   "/constraints/jsonSchema: not checked");
		} else {
			odc_buf p = ODC_BUF_INIT;
			put_ptr_token(&p, key);
			field_err(c, fi,
				  "use required, unique, minLength, maxLength, minimum, maximum, "
				  "exclusiveMinimum, exclusiveMaximum, pattern or enum",
				  "/constraints/%s: unknown constraint", buf_cstr(&p));
			buf_free(&p);
		}
	}
}

/*====================================================================
 * Loading: fields, keys, the schema
 *====================================================================*/

static void field_free(field *f)
{
	int k;
	if (!f)
		return;
	free(f->name);
	free(f->title);
	free(f->format);
	free(f->pat);
	strlist_free(&f->tv);
	strlist_free(&f->fv);
	free(f->delim);
	if (f->item) {
		field_free(f->item);
		free(f->item);
	}
	strlist_free(&f->own_mv);
	for (k = 0; k < L_COUNT; k++) {
		free(f->lim[k].owned);
		free(f->lim[k].shown);
	}
	if (f->re)
		pcre2_code_free(f->re);
	free(f->re_src);
	vset_free(&f->en);
	vset_free(&f->cat);
}

static const char type_hint[] =
	"use one of: string, number, integer, boolean, object, array, list, date, time, datetime, "
	"year, yearmonth, duration, geopoint, geojson, any";

/* Returns -1 when the field makes the schema unusable. */
static int load_field(ctx *c, odc_schema *s, size_t fi, json_t *fj)
{
	field *f = &s->f[fi];
	const json_t *j;
	int t;

	if (!json_is_object(fj)) {
		schema_err(c, "describe each field as an object with a \"name\"",
			   "/fields/%zu: not an object", fi);
		return -1;
	}
	j = json_object_get(fj, "name");
	if (!json_is_string(j)) {
		schema_err(c, "give every field a \"name\" (the column's header label)",
			   "/fields/%zu/name: %s", fi, j ? "not a string" : "missing");
		return -1;
	}
	f->name = dupn(json_string_value(j), json_string_length(j));
	j = json_object_get(fj, "title");
	if (json_is_string(j))
		f->title = dupn(json_string_value(j), json_string_length(j));
	j = json_object_get(fj, "type");
	if (!j)
		t = ODC_T_ANY;
	else if (!json_is_string(j) || (t = schema_type_from_name(json_string_value(j))) < 0) {
		char *shown = shown_json(j);
		schema_err(c, type_hint, "/fields/%zu/type: unknown type %s", fi, shown);
		free(shown);
		return -1;
	}
	field_defaults(f, (odc_type)t);
	if (f->type == ODC_T_NUMBER || f->type == ODC_T_INTEGER)
		load_number_options(c, fi, f, fj);
	else if (f->type == ODC_T_BOOLEAN)
		load_boolean_options(c, fi, f, fj);
	else if (f->type == ODC_T_LIST)
		load_list_options(c, fi, f, fj);
	load_format(c, fi, f, fj);
	f->mv = &s->mv;
	j = json_object_get(fj, "missingValues");
	if (j && load_strlist(c, (long)fi, "/missingValues", j, 1, &f->own_mv) == 0)
		f->mv = &f->own_mv;
	set_expected(f);
	load_constraints(c, s, fi, f, json_object_get(fj, "constraints"));
	j = json_object_get(fj, "categories");
	if (j && !f->broken) {
		if (f->type != ODC_T_STRING && f->type != ODC_T_INTEGER)
			field_err(c, fi, "use categories on string or integer fields",
				  "/categories: does not apply to type %s",
				  schema_type_name(f->type));
		else
			load_vset(c, s, fi, f, j, 1, &f->cat);
	}
	return 0;
}

/* Field names (an array of strings, or one string when one_ok) → indices.
 * where is the pointer suffix for messages. -1 (with a diagnostic) when a
 * name is unknown or the value is malformed. */
static int names_to_idx(ctx *c, const odc_schema *s, const char *where, const json_t *j, int one_ok,
			size_t **out, size_t *nout)
{
	size_t k, n;
	*out = NULL;
	*nout = 0;
	if (json_is_string(j) && one_ok) {
		long x = schema_field_index(s, json_string_value(j));
		if (x < 0) {
			schema_err(c, "name a field of this schema", "%s: unknown field \"%s\"",
				   where, json_string_value(j));
			return -1;
		}
		*out = xmalloc(sizeof(size_t));
		(*out)[0] = (size_t)x;
		*nout = 1;
		return 0;
	}
	if (!json_is_array(j)) {
		schema_err(c, "give an array of field names", "%s: not an array of field names",
			   where);
		return -1;
	}
	n = json_array_size(j);
	*out = xcalloc(n ? n : 1, sizeof(size_t));
	for (k = 0; k < n; k++) {
		const json_t *e = json_array_get(j, k);
		long x = json_is_string(e) ? schema_field_index(s, json_string_value(e)) : -1;
		if (x < 0) {
			if (json_is_string(e))
				schema_err(c, "name a field of this schema",
					   "%s/%zu: unknown field \"%s\"", where, k,
					   json_string_value(e));
			else
				schema_err(c, "give field names as strings", "%s/%zu: not a string",
					   where, k);
			free(*out);
			*out = NULL;
			return -1;
		}
		(*out)[k] = (size_t)x;
	}
	*nout = n;
	return 0;
}

static void load_keys(ctx *c, odc_schema *s, const json_t *schema)
{
	const json_t *j;
	size_t k;

	j = json_object_get(schema, "primaryKey");
	if (j && names_to_idx(c, s, "/primaryKey", j, 1, &s->pk, &s->npk) == 0)
		for (k = 0; k < s->npk; k++)
			s->f[s->pk[k]].required = 1;

	j = json_object_get(schema, "uniqueKeys");
	if (j && !json_is_array(j))
		schema_err(c, "give an array of arrays of field names",
			   "/uniqueKeys: not an array");
	else if (j) {
		s->uk = xcalloc(json_array_size(j) + 1, sizeof(ukey));
		for (k = 0; k < json_array_size(j); k++) {
			char where[48];
			snprintf(where, sizeof(where), "/uniqueKeys/%zu", k);
			if (names_to_idx(c, s, where, json_array_get(j, k), 0, &s->uk[s->nuk].f,
					 &s->uk[s->nuk].n) == 0 &&
			    s->uk[s->nuk].n)
				s->nuk++;
			else {
				free(s->uk[s->nuk].f);
				s->uk[s->nuk].f = NULL;
			}
		}
	}

	j = json_object_get(schema, "foreignKeys");
	if (j && !json_is_array(j))
		schema_err(c, "give an array of {fields, reference} objects",
			   "/foreignKeys: not an array");
	else if (j) {
		s->fk = xcalloc(json_array_size(j) + 1, sizeof(fkey_own));
		for (k = 0; k < json_array_size(j); k++) {
			const json_t *e = json_array_get(j, k), *ref, *rf, *rr, *rp;
			fkey_own *o = &s->fk[s->nfk];
			char where[64];
			size_t nref, q;
			int bad = 0;
			if (!json_is_object(e)) {
				schema_err(c,
					   "give {\"fields\": [...], \"reference\": {\"resource\": "
					   "..., \"fields\": [...]}}",
					   "/foreignKeys/%zu: not an object", k);
				continue;
			}
			snprintf(where, sizeof(where), "/foreignKeys/%zu/fields", k);
			if (names_to_idx(c, s, where, json_object_get(e, "fields"), 1, &o->fields,
					 &o->pub.n) < 0)
				continue;
			ref = json_object_get(e, "reference");
			rf = json_is_object(ref) ? json_object_get(ref, "fields") : NULL;
			rr = json_is_object(ref) ? json_object_get(ref, "resource") : NULL;
			rp = json_is_object(ref) ? json_object_get(ref, "package") : NULL;
			if (!json_is_object(ref)) {
				schema_err(c,
					   "give a \"reference\" object with \"resource\" and "
					   "\"fields\"",
					   "/foreignKeys/%zu/reference: missing or not an object",
					   k);
				bad = 1;
			} else if (rr && !json_is_string(rr)) {
				schema_err(c, "name the referenced resource",
					   "/foreignKeys/%zu/reference/resource: not a string", k);
				bad = 1;
			} else if (rp && !json_is_string(rp)) {
				schema_err(c, "give the referenced dataset's slug",
					   "/foreignKeys/%zu/reference/package: not a string", k);
				bad = 1;
			}
			nref = json_is_string(rf) ? 1 : json_is_array(rf) ? json_array_size(rf) : 0;
			if (!bad && !json_is_string(rf) && !json_is_array(rf)) {
				schema_err(c, "list the referenced fields",
					   "/foreignKeys/%zu/reference/fields: not a field name or "
					   "an array of them",
					   k);
				bad = 1;
			}
			if (!bad && nref != o->pub.n) {
				schema_err(c, "give as many reference fields as fields",
					   "/foreignKeys/%zu: %zu fields but %zu reference fields",
					   k, o->pub.n, nref);
				bad = 1;
			}
			if (!bad) {
				o->ref_fields = xcalloc(nref + 1, sizeof(char *));
				for (q = 0; q < nref && !bad; q++) {
					const json_t *x =
						json_is_string(rf) ? rf : json_array_get(rf, q);
					if (!json_is_string(x)) {
						schema_err(c, "give field names as strings",
							   "/foreignKeys/%zu/reference/fields/%zu: "
							   "not a string",
							   k, q);
						bad = 1;
					} else
						o->ref_fields[q] = dupn(json_string_value(x),
									json_string_length(x));
				}
			}
			o->resource = dupn(rr ? json_string_value(rr) : "",
					   rr ? json_string_length(rr) : 0);
			o->package =
				rp ? dupn(json_string_value(rp), json_string_length(rp)) : NULL;
			/* A self reference names fields of this schema. */
			if (!bad && !o->resource[0] && !o->package)
				for (q = 0; q < nref; q++)
					if (schema_field_index(s, o->ref_fields[q]) < 0) {
						schema_err(c,
							   "a reference to this resource names "
							   "fields of this schema",
							   "/foreignKeys/%zu/reference/fields/%zu: "
							   "unknown field \"%s\"",
							   k, q, o->ref_fields[q]);
						bad = 1;
						break;
					}
			if (bad) {
				if (o->ref_fields)
					for (q = 0; q < nref; q++)
						free(o->ref_fields[q]);
				free(o->ref_fields);
				free(o->fields);
				free(o->resource);
				free(o->package);
				memset(o, 0, sizeof(*o));
				continue;
			}
			o->pub.fields = o->fields;
			o->pub.resource = o->resource;
			o->pub.package = o->package;
			o->pub.ref_fields = (const char *const *)o->ref_fields;
			s->nfk++;
		}
	}
}

/* A field name and its position, sorted by name, then position. */
typedef struct name_idx {
	const char *name;
	size_t idx;
} name_idx;

static int cmp_name_idx(const void *a, const void *b)
{
	const name_idx *x = a, *y = b;
	int c = strcmp(x->name, y->name);
	if (c)
		return c;
	return x->idx < y->idx ? -1 : x->idx > y->idx;
}

int schema_load(odc_schema **out, const json_t *schema, const char *file, const char *ptr,
		odc_diags *d)
{
	ctx c = {d, file, ptr ? ptr : ""};
	json_t *root = (json_t *)schema, *fields, *j;
	odc_schema *s;
	size_t i, k;
	int failed = 0;

	*out = NULL;
	if (!json_is_object(root)) {
		schema_err(&c, "a Table Schema is a JSON object with a \"fields\" array",
			   ": not an object");
		return -1;
	}
	fields = json_object_get(root, "fields");
	if (!json_is_array(fields)) {
		schema_err(&c, "a Table Schema is a JSON object with a \"fields\" array",
			   "/fields: %s", fields ? "not an array" : "missing");
		return -1;
	}
	s = xcalloc(1, sizeof(*s));
	s->fields_match = "exact";
	j = json_object_get(root, "missingValues");
	if (!j || load_strlist(&c, -1, "/missingValues", j, 1, &s->mv) < 0) {
		memset(&s->mv, 0, sizeof(s->mv));
		strlist_add(&s->mv, "", 0);
	}
	s->n = json_array_size(fields);
	s->f = xcalloc(s->n ? s->n : 1, sizeof(field));
	for (i = 0; i < s->n; i++)
		if (load_field(&c, s, i, json_array_get(fields, i)) < 0)
			failed = 1;
	if (failed) {
		schema_free(s);
		return -1;
	}
	{
		/* Duplicate names, found by sorting (a schema may have 100,000
		 * fields): each later field names the first one with its name. */
		name_idx *order = xcalloc(s->n ? s->n : 1, sizeof(*order));
		size_t *first = xcalloc(s->n ? s->n : 1, sizeof(*first));
		for (i = 0; i < s->n; i++) {
			order[i].name = s->f[i].name;
			order[i].idx = i;
		}
		qsort(order, s->n, sizeof(*order), cmp_name_idx);
		for (i = 0; i < s->n; i++)
			first[order[i].idx] = i > 0 && !strcmp(order[i].name, order[i - 1].name)
						      ? first[order[i - 1].idx]
						      : order[i].idx;
		for (i = 0; i < s->n; i++)
			if (first[i] != i)
				schema_warn(&c,
					    "give every field a different name (Table Schema v2 "
					    "requires it)",
					    "/fields/%zu/name: \"%s\" is also the name of field %zu", i,
					    s->f[i].name, first[i]);
		free(order);
		free(first);
	}
	j = json_object_get(root, "fieldsMatch");
	if (j) {
		static const char *const modes[] = {"exact", "equal", "subset", "superset",
						    "partial"};
		const char *m = json_is_string(j) ? json_string_value(j) : NULL;
		for (k = 0; m && k < 5; k++)
			if (!strcmp(m, modes[k]))
				s->fields_match = modes[k];
		if (!m || strcmp(s->fields_match, m))
			schema_err(&c, "use exact, equal, subset, superset or partial",
				   "/fieldsMatch: not a known mode (exact is used)");
	}
	load_keys(&c, s, root);
	if (s->any_re) {
		s->md = pcre2_match_data_create(1, NULL);
		s->mctx = pcre2_match_context_create(NULL);
		pcre2_set_match_limit(s->mctx, RE_MATCH_LIMIT);
		pcre2_set_depth_limit(s->mctx, RE_DEPTH_LIMIT);
		pcre2_set_heap_limit(s->mctx, RE_HEAP_LIMIT_KIB);
		if (s->any_jit) {
			s->jit = pcre2_jit_stack_create(32 * 1024, RE_JIT_STACK_MAX, NULL);
			if (s->jit)
				pcre2_jit_stack_assign(s->mctx, NULL, s->jit);
		}
		if (!s->md || !s->mctx) {
			fprintf(stderr, "odcat: out of memory\n");
			abort();
		}
	}
	*out = s;
	return 0;
}

void schema_free(odc_schema *s)
{
	size_t i, k;
	if (!s)
		return;
	for (i = 0; i < s->n; i++)
		field_free(&s->f[i]);
	free(s->f);
	strlist_free(&s->mv);
	free(s->pk);
	for (i = 0; i < s->nuk; i++)
		free(s->uk[i].f);
	free(s->uk);
	for (i = 0; i < s->nfk; i++) {
		for (k = 0; k < s->fk[i].pub.n; k++)
			free(s->fk[i].ref_fields[k]);
		free(s->fk[i].ref_fields);
		free(s->fk[i].fields);
		free(s->fk[i].resource);
		free(s->fk[i].package);
	}
	free(s->fk);
	if (s->md)
		pcre2_match_data_free(s->md);
	if (s->mctx)
		pcre2_match_context_free(s->mctx);
	if (s->jit)
		pcre2_jit_stack_free(s->jit);
	buf_free(&s->scratch);
	free(s);
}

/*====================================================================
 * Accessors
 *====================================================================*/

size_t schema_field_count(const odc_schema *s)
{
	return s ? s->n : 0;
}

const char *schema_field_name(const odc_schema *s, size_t i)
{
	return i < s->n ? s->f[i].name : NULL;
}

const char *schema_field_title(const odc_schema *s, size_t i)
{
	return i < s->n ? s->f[i].title : NULL;
}

odc_type schema_field_type(const odc_schema *s, size_t i)
{
	return i < s->n ? s->f[i].type : ODC_T_ANY;
}

const char *schema_field_format(const odc_schema *s, size_t i)
{
	return i < s->n ? s->f[i].format : "default";
}

int schema_field_required(const odc_schema *s, size_t i)
{
	return i < s->n && s->f[i].required;
}

int schema_field_unique(const odc_schema *s, size_t i)
{
	return i < s->n && s->f[i].unique;
}

long schema_field_index(const odc_schema *s, const char *name)
{
	size_t i;
	for (i = 0; i < s->n; i++)
		if (s->f[i].name && !strcmp(s->f[i].name, name))
			return (long)i;
	return -1;
}

const char *schema_fields_match(const odc_schema *s)
{
	return s->fields_match;
}

size_t schema_primary_key(const odc_schema *s, const size_t **fields)
{
	*fields = s->pk;
	return s->npk;
}

size_t schema_unique_key_count(const odc_schema *s)
{
	return s->nuk;
}

size_t schema_unique_key(const odc_schema *s, size_t i, const size_t **fields)
{
	if (i >= s->nuk) {
		*fields = NULL;
		return 0;
	}
	*fields = s->uk[i].f;
	return s->uk[i].n;
}

size_t schema_foreign_key_count(const odc_schema *s)
{
	return s->nfk;
}

const odc_fkey *schema_foreign_key(const odc_schema *s, size_t i)
{
	return i < s->nfk ? &s->fk[i].pub : NULL;
}

/*====================================================================
 * Checking one cell
 *====================================================================*/

static int fail(odc_cell_error *err, const char *code, const char *constraint)
{
	err->code = code;
	err->constraint = constraint;
	return -1;
}

static int in_vset(odc_schema *s, const vset *vs, const odc_value *v)
{
	size_t k;
	if (is_json_type(v->type)) {
		buf_clear(&s->scratch);
		schema_value_key(v, &s->scratch);
		for (k = 0; k < vs->n; k++)
			if (vs->klen[k] == s->scratch.len &&
			    !memcmp(vs->key[k], s->scratch.ptr, vs->klen[k]))
				return 1;
		return 0;
	}
	for (k = 0; k < vs->n; k++)
		if (values_equal(&vs->v[k], v))
			return 1;
	return 0;
}

static int check_constraints(odc_schema *s, const field *f, const odc_value *v, odc_cell_error *err)
{
	int k;
	if (f->has_minlen || f->has_maxlen) {
		long long len = f->type == ODC_T_STRING ? utf8_count(v->str, v->len) : v->i;
		const char *unit = f->type == ODC_T_STRING ? "characters"
				   : f->type == ODC_T_OBJECT ? "members"
							     : "items";
		if (f->has_minlen && len < f->minlen) {
			textf(err->expected, EXPECTED_CAP, "at least %lld %s", f->minlen, unit);
			return fail(err, "constraint-error", "minLength");
		}
		if (f->has_maxlen && len > f->maxlen) {
			textf(err->expected, EXPECTED_CAP, "at most %lld %s", f->maxlen, unit);
			return fail(err, "constraint-error", "maxLength");
		}
	}
	for (k = 0; k < L_COUNT; k++) {
		int r, ok;
		if (!f->lim[k].set)
			continue;
		r = cmp_values(v, &f->lim[k].v);
		ok = r == 2        ? 0
		     : k == L_MIN  ? r >= 0
		     : k == L_MAX  ? r <= 0
		     : k == L_XMIN ? r > 0
				   : r < 0;
		if (!ok) {
			textf(err->expected, EXPECTED_CAP, "%s %s", limit_words[k],
			      f->lim[k].shown);
			return fail(err, "constraint-error", limit_names[k]);
		}
	}
	if (f->re) {
		int rc;
		if (!utf8_valid(v->str, v->len)) {
			textf(err->expected, EXPECTED_CAP,
			      "valid UTF-8 text matching the pattern %s", f->re_src);
			return fail(err, "constraint-error", "pattern");
		}
		rc = pcre2_match(f->re, (PCRE2_SPTR)v->str, v->len, 0, 0, s->md, s->mctx);
		if (rc == PCRE2_ERROR_NOMATCH) {
			textf(err->expected, EXPECTED_CAP, "the pattern %s", f->re_src);
			return fail(err, "constraint-error", "pattern");
		}
		if (rc < 0) {
			textf(err->expected, EXPECTED_CAP,
			      "the pattern %s (not decided: the pattern is too costly for this "
			      "value)",
			      f->re_src);
			return fail(err, "constraint-error", "pattern");
		}
	}
	if (f->en.n && !in_vset(s, &f->en, v)) {
		memcpy(err->expected, f->en.expected, EXPECTED_CAP);
		return fail(err, "constraint-error", "enum");
	}
	if (f->cat.n && !in_vset(s, &f->cat, v)) {
		memcpy(err->expected, f->cat.expected, EXPECTED_CAP);
		return fail(err, "constraint-error", "categories");
	}
	return 0;
}

int schema_check_cell(odc_schema *s, size_t i, const char *cell, size_t len, odc_value *v,
		      odc_cell_error *err)
{
	odc_cell_error spare;
	const field *f;
	const strlist *mv;

	if (!err)
		err = &spare;
	err->code = NULL;
	err->constraint = NULL;
	err->expected[0] = '\0';
	v->missing = 0;
	v->i = 0;
	v->num = 0;
	v->lon = v->lat = 0;
	v->str = cell;
	v->len = len;
	if (i >= s->n) {
		v->type = ODC_T_ANY;
		textf(err->expected, EXPECTED_CAP, "a field of the schema");
		return fail(err, "type-error", NULL);
	}
	f = &s->f[i];
	v->type = f->type;
	mv = f->mv;
	if (mv->n && (len == 0 ? mv->has_empty : in_strlist(mv, cell, len))) {
		v->missing = 1;
		if (f->required) {
			textf(err->expected, EXPECTED_CAP, "a value");
			return fail(err, "constraint-error", "required");
		}
		return 0;
	}
	if (cast_value(s, f, cell, len, v) < 0) {
		memcpy(err->expected, f->expected, EXPECTED_CAP);
		return fail(err, "type-error", NULL);
	}
	return check_constraints(s, f, v, err);
}
