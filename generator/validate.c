/*
 * validate.c — one streaming pass of a CSV resource against its Table
 * Schema (see validate.h).
 *
 * The pass is driven by csvscan's record callback. The first record is the
 * header (unless the dialect says there is none) and fixes which column
 * each schema field is read from (by position for fieldsMatch "exact", by
 * name otherwise). Every later record is checked cell by cell, then as a
 * row (keys). Frictionless's rules are followed where they are written down
 * (../shared/docs/tableschema.md, sections 4 and 5): one label error per
 * label; a blank row replaces the row's other errors; unique and key
 * checks compare logical values.
 */
#include "validate.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"

/*====================================================================
 * Key sets: open addressing over FNV-1a, keys in one growing arena
 *====================================================================*/

typedef struct slot {
	uint64_t hash;
	size_t off;  /* offset of the key in the arena, +1 (0 = empty slot) */
	size_t len;
	long row;
} slot;

struct odc_keyset {
	slot *slots;
	size_t cap, count;
	odc_buf arena;
};

static uint64_t fnv1a(const char *s, size_t len)
{
	uint64_t h = 1469598103934665603ULL;
	size_t i;
	for (i = 0; i < len; i++) {
		h ^= (unsigned char)s[i];
		h *= 1099511628211ULL;
	}
	return h;
}

odc_keyset *keyset_new(void)
{
	odc_keyset *k = xcalloc(1, sizeof(*k));
	k->cap = 1024;
	k->slots = xcalloc(k->cap, sizeof(*k->slots));
	return k;
}

static slot *find(const odc_keyset *k, const char *key, size_t len, uint64_t h)
{
	size_t i = (size_t)h & (k->cap - 1);
	for (;;) {
		slot *s = &k->slots[i];
		if (!s->off)
			return s;
		if (s->hash == h && s->len == len && !memcmp(k->arena.ptr + s->off - 1, key, len))
			return s;
		i = (i + 1) & (k->cap - 1);
	}
}

static void grow(odc_keyset *k)
{
	slot *old = k->slots;
	size_t oldcap = k->cap, i;
	k->cap *= 2;
	k->slots = xcalloc(k->cap, sizeof(*k->slots));
	for (i = 0; i < oldcap; i++) {
		if (old[i].off) {
			size_t j = (size_t)old[i].hash & (k->cap - 1);
			while (k->slots[j].off)
				j = (j + 1) & (k->cap - 1);
			k->slots[j] = old[i];
		}
	}
	free(old);
}

/* Adds key with the row it was first seen on; returns 1 when new, else 0
 * with *prev set to that first row. */
static int keyset_add_row(odc_keyset *k, const char *key, size_t len, long row, long *prev)
{
	uint64_t h = fnv1a(key, len);
	slot *s;

	if ((k->count + 1) * 4 > k->cap * 3)
		grow(k);
	s = find(k, key, len, h);
	if (s->off) {
		if (prev)
			*prev = s->row;
		return 0;
	}
	s->hash = h;
	s->off = k->arena.len + 1;
	s->len = len;
	s->row = row;
	buf_put(&k->arena, key, len);
	k->count++;
	return 1;
}

int keyset_add(odc_keyset *k, const char *key, size_t len)
{
	return keyset_add_row(k, key, len, 0, NULL);
}

int keyset_has(const odc_keyset *k, const char *key, size_t len)
{
	return find(k, key, len, fnv1a(key, len))->off != 0;
}

size_t keyset_count(const odc_keyset *k)
{
	return k->count;
}

void keyset_free(odc_keyset *k)
{
	if (!k)
		return;
	free(k->slots);
	buf_free(&k->arena);
	free(k);
}

/*====================================================================
 * Known column aliases of the Japanese standard datasets
 *====================================================================*/

/* Pairs of names that mean the same column (../shared/ja-standard-schemas
 * README, "Known variants"): old 推奨データセット names and the 2023/24
 * 自治体標準オープンデータセット names, and common spelling variants. */
static const char *const aliases[][2] = {
	{"都道府県コード又は市区町村コード", "全国地方公共団体コード"},
	{"都道府県コード又は市区町村コード", "市区町村コード"},
	{"NO", "ID"},
	{"住所", "所在地_連結表記"},
	{"方書", "建物名等(方書)"},
	{"方書", "建物名等（方書）"},
	{"多機能トイレ数", "バリアフリートイレ数"},
	{"利用可能時間特記事項", "利用可能日時特記事項"},
};

/* Full-width parentheses fold to ASCII ones: 料金（基本） = 料金(基本). */
static void fold_parens(const char *s, size_t len, odc_buf *out)
{
	size_t i;
	for (i = 0; i < len; i++) {
		if (i + 2 < len && (unsigned char)s[i] == 0xEF && (unsigned char)s[i + 1] == 0xBC &&
		    ((unsigned char)s[i + 2] == 0x88 || (unsigned char)s[i + 2] == 0x89)) {
			buf_putc(out, (unsigned char)s[i + 2] == 0x88 ? '(' : ')');
			i += 2;
		} else {
			buf_putc(out, s[i]);
		}
	}
}

static int is_alias(const char *name, const char *label, size_t len)
{
	odc_buf a = ODC_BUF_INIT, b = ODC_BUF_INIT;
	size_t i;
	int yes = 0;

	fold_parens(name, strlen(name), &a);
	fold_parens(label, len, &b);
	if (a.len == b.len && !memcmp(buf_cstr(&a), buf_cstr(&b), a.len))
		yes = 1;
	for (i = 0; i < sizeof(aliases) / sizeof(aliases[0]) && !yes; i++) {
		odc_buf x = ODC_BUF_INIT, y = ODC_BUF_INIT;
		fold_parens(aliases[i][0], strlen(aliases[i][0]), &x);
		fold_parens(aliases[i][1], strlen(aliases[i][1]), &y);
		if ((!strcmp(buf_cstr(&x), buf_cstr(&a)) && !strcmp(buf_cstr(&y), buf_cstr(&b))) ||
		    (!strcmp(buf_cstr(&y), buf_cstr(&a)) && !strcmp(buf_cstr(&x), buf_cstr(&b))))
			yes = 1;
		buf_free(&x);
		buf_free(&y);
	}
	buf_free(&a);
	buf_free(&b);
	return yes;
}

/*====================================================================
 * The pass
 *====================================================================*/

typedef struct pending_fk {
	long row, line;
	size_t fk;
	char *key;
	size_t len;
} pending_fk;

typedef struct vstate {
	odc_schema *s;
	const char *file;
	const odc_validate_opts *o;
	odc_diags *d;
	odc_validate_report *rep;
	size_t nf;           /* schema fields */
	long *col;           /* field -> column index in the file, -1 = absent */
	size_t nlabels;      /* columns in the header */
	char **labels;
	int header_done;
	long row;            /* Frictionless row number of the current record */
	odc_value *vals;     /* logical values of the current row */
	int *ok;             /* the cell cast cleanly */
	odc_keyset **unique; /* per field, for unique fields */
	odc_keyset *pk;
	odc_keyset **uk;
	odc_keyset **fk_self;   /* per foreign key: own tuples of its ref fields (self refs) */
	long **fk_self_idx;     /* per self foreign key: indices of the ref fields */
	const odc_keyset **fk_ext;
	pending_fk *pend;
	size_t npend, cappend;
	odc_buf key;
	/* warnings, first occurrence per column */
	long *formula_count;
	size_t *formula_diag;   /* index of the diagnostic to amend, +1 */
	long *email, *phone, *mynumber, *nonempty;
	size_t kept;            /* diagnostics added by this pass */
	int row_stopped;        /* the row callback asked to stop */
} vstate;

void validate_opts_init(odc_validate_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->max_errors = 1000;
	o->header = 1;
	o->warn_formula = 1;
	o->warn_personal = 1;
	o->check_keys = 1;
}

/* Adds a diagnostic unless the per-resource cap is reached; returns 1 when
 * added (so that the caller can attach facts). */
static int add(vstate *v, odc_severity sev, const char *code, long line, long column,
	       const char *hint_en, const char *hint_ja)
{
	if (sev == ODC_SEV_ERROR)
		v->rep->errors++;
	else
		v->rep->warnings++;
	if (v->kept >= v->o->max_errors) {
		v->rep->omitted++;
		return 0;
	}
	v->kept++;
	diag_add(v->d, sev, code, v->file, line, column, hint_en, "%s", "");
	if (hint_ja)
		diag_ja(v->d, hint_ja, "%s", "");
	return 1;
}

/* Sets the English and Japanese messages of the last diagnostic. */
static void msg(vstate *v, const char *en, const char *ja)
{
	odc_diag *x = &v->d->items[v->d->n - 1];
	free(x->message);
	x->message = xstrdup(en);
	free(x->message_ja);
	x->message_ja = xstrdup(ja);
}

static const char *fname(vstate *v, size_t i)
{
	return schema_field_name(v->s, i);
}

static void header_check(vstate *v, const odc_record *r)
{
	const char *match = schema_fields_match(v->s);
	int exact = !strcmp(match, "exact");
	odc_keyset *seen;
	size_t i, n = r->n, nf = v->nf;
	odc_buf en = ODC_BUF_INIT, ja = ODC_BUF_INIT;

	v->nlabels = n;
	v->labels = xcalloc(n ? n : 1, sizeof(char *));
	for (i = 0; i < n; i++)
		v->labels[i] = xstrndup(r->fields[i], r->lens[i]);
	for (i = 0; i < nf; i++)
		v->col[i] = -1;

	seen = keyset_new();
	for (i = 0; i < (exact ? (n > nf ? n : nf) : n); i++) {
		const char *lab = i < n ? v->labels[i] : NULL;
		size_t j;
		long dup = -1;
		buf_clear(&en);
		buf_clear(&ja);
		/* Duplicates through a key set: a header may have 100,000 labels.
		 * dup becomes the position of the first label with this text. */
		if (!lab || !*lab || keyset_add_row(seen, lab, strlen(lab), (long)i, &dup))
			dup = -1;
		if (lab && !*lab) {
			if (add(v, ODC_SEV_ERROR, "blank-label", r->line, (long)i + 1,
				"give every column a name in the first line",
				"1 行目のすべての列に列名を付けてください")) {
				buf_printf(&en, "column %zu has no label", i + 1);
				buf_printf(&ja, "%zu 列目に列名がありません", i + 1);
				msg(v, en.ptr, ja.ptr);
				diag_cell(v->d, 0, (long)i + 1, exact && i < nf ? fname(v, i) : NULL, NULL, 0);
			}
			if (exact && i < nf)
				v->col[i] = (long)i;
			continue;
		}
		if (dup >= 0) {
			if (add(v, ODC_SEV_ERROR, "duplicate-label", r->line, (long)i + 1,
				"each column name may appear only once; rename or remove the repeated column",
				"同じ列名は 1 回しか使えません。重複した列の名前を変えるか削除してください")) {
				buf_printf(&en, "label \"%s\" of column %zu repeats column %ld", lab, i + 1, dup + 1);
				buf_printf(&ja, "%zu 列目の列名「%s」は %ld 列目と重複しています", i + 1, lab, dup + 1);
				msg(v, en.ptr, ja.ptr);
				diag_cell(v->d, 0, (long)i + 1, lab, NULL, 0);
			}
			if (exact && i < nf)
				v->col[i] = (long)i;
			continue;
		}
		if (!exact) {
			/* not exact: i < n, so lab is a label */
			/* NOLINTNEXTLINE(clang-analyzer-core.NonNullParamChecker) */
			long f = schema_field_index(v->s, lab);
			if (f < 0) {
				for (j = 0; j < nf; j++)
					/* as above: lab is a label */
					/* NOLINTNEXTLINE(clang-analyzer-core.NonNullParamChecker) */
					if (is_alias(fname(v, j), lab, strlen(lab))) {
						f = (long)j;
						break;
					}
				if (f >= 0 && add(v, ODC_SEV_WARNING, "odcat-label-alias", r->line, (long)i + 1,
						  "rename the column to the name in the schema when convenient",
						  "都合のよいときに列名をスキーマの名前に合わせてください")) {
					buf_printf(&en, "label \"%s\" is read as field \"%s\" (a known variant)", lab, fname(v, (size_t)f));
					buf_printf(&ja, "列名「%s」を「%s」として読みます（既知の別名）", lab, fname(v, (size_t)f));
					msg(v, en.ptr, ja.ptr);
				}
			}
			if (f >= 0 && v->col[f] < 0) {
				v->col[f] = (long)i;
			} else if (f < 0 && (!strcmp(match, "equal") || !strcmp(match, "superset"))) {
				if (add(v, ODC_SEV_ERROR, "extra-label", r->line, (long)i + 1,
					"remove the column, or add a field with this name to the schema",
					"列を削除するか、この名前のフィールドをスキーマに追加してください")) {
					buf_printf(&en, "column %zu \"%s\" is not a field of the schema", i + 1, lab);
					buf_printf(&ja, "%zu 列目「%s」はスキーマにないフィールドです", i + 1, lab);
					msg(v, en.ptr, ja.ptr);
					diag_cell(v->d, 0, (long)i + 1, lab, NULL, 0);
				}
			}
			continue;
		}
		/* exact: by position */
		if (i >= nf) {
			if (add(v, ODC_SEV_ERROR, "extra-label", r->line, (long)i + 1,
				"remove the column, or add the field to the schema at this position",
				"列を削除するか、この位置にフィールドをスキーマに追加してください")) {
				buf_printf(&en, "column %zu \"%s\" is beyond the %zu fields of the schema", i + 1, lab, nf);
				buf_printf(&ja, "%zu 列目「%s」はスキーマの %zu フィールドより後ろにあります", i + 1, lab, nf);
				msg(v, en.ptr, ja.ptr);
				diag_cell(v->d, 0, (long)i + 1, lab, NULL, 0);
			}
			continue;
		}
		v->col[i] = (long)i;
		if (i >= n) {
			if (add(v, ODC_SEV_ERROR, "missing-label", r->line, (long)i + 1,
				"add the column to the file, or remove the field from the schema",
				"ファイルに列を追加するか、スキーマからフィールドを削除してください")) {
				buf_printf(&en, "field \"%s\" (position %zu) has no column in the file", fname(v, i), i + 1);
				buf_printf(&ja, "フィールド「%s」（%zu 番目）の列がファイルにありません", fname(v, i), i + 1);
				msg(v, en.ptr, ja.ptr);
				diag_cell(v->d, 0, (long)i + 1, fname(v, i), NULL, 0);
			}
			continue;
		}
		/* exact and i >= n was handled above (missing column), so lab is a label */
		/* NOLINTNEXTLINE(clang-analyzer-core.NonNullParamChecker) */
		if (strcmp(lab, fname(v, i)) != 0) {
			if (is_alias(fname(v, i), lab, strlen(lab))) {
				if (add(v, ODC_SEV_WARNING, "odcat-label-alias", r->line, (long)i + 1,
					"rename the column to the name in the schema when convenient",
					"都合のよいときに列名をスキーマの名前に合わせてください")) {
					buf_printf(&en, "label \"%s\" is read as field \"%s\" (a known variant)", lab, fname(v, i));
					buf_printf(&ja, "列名「%s」を「%s」として読みます（既知の別名）", lab, fname(v, i));
					msg(v, en.ptr, ja.ptr);
					diag_cell(v->d, 0, (long)i + 1, fname(v, i), NULL, 0);
				}
			} else {
				long where = -1;
				odc_buf hen = ODC_BUF_INIT, hja = ODC_BUF_INIT;
				for (j = 0; j < n; j++)
					if (!strcmp(v->labels[j], fname(v, i)))
						where = (long)j;
				if (where >= 0) {
					buf_printf(&hen, "field \"%s\" was found in column %ld: put the columns in the order of the schema",
						   fname(v, i), where + 1);
					buf_printf(&hja, "フィールド「%s」は %ld 列目にあります。列をスキーマの順に並べてください",
						   fname(v, i), where + 1);
				} else {
					buf_printf(&hen, "rename the column to \"%s\", or correct the schema", fname(v, i));
					buf_printf(&hja, "列名を「%s」にするか、スキーマを直してください", fname(v, i));
				}
				if (add(v, ODC_SEV_ERROR, "incorrect-label", r->line, (long)i + 1, hen.ptr, hja.ptr)) {
					buf_printf(&en, "column %zu is labelled \"%s\" but the schema expects \"%s\"", i + 1, lab, fname(v, i));
					buf_printf(&ja, "%zu 列目の列名は「%s」ですが、スキーマでは「%s」です", i + 1, lab, fname(v, i));
					msg(v, en.ptr, ja.ptr);
					diag_cell(v->d, 0, (long)i + 1, fname(v, i), NULL, 0);
				}
				buf_free(&hen);
				buf_free(&hja);
			}
		}
	}
	if (!exact) {
		size_t found = 0;
		for (i = 0; i < nf; i++) {
			if (v->col[i] >= 0) {
				found++;
				continue;
			}
			if (!strcmp(match, "equal") || !strcmp(match, "subset")) {
				if (add(v, ODC_SEV_ERROR, "missing-label", r->line, 0,
					"add the column to the file, or remove the field from the schema",
					"ファイルに列を追加するか、スキーマからフィールドを削除してください")) {
					buf_clear(&en);
					buf_clear(&ja);
					buf_printf(&en, "field \"%s\" has no column in the file", fname(v, i));
					buf_printf(&ja, "フィールド「%s」の列がファイルにありません", fname(v, i));
					msg(v, en.ptr, ja.ptr);
					diag_cell(v->d, 0, 0, fname(v, i), NULL, 0);
				}
			}
		}
		if (!strcmp(match, "partial") && found == 0 &&
		    add(v, ODC_SEV_ERROR, "unmatched-header", r->line, 0,
			"at least one column must have the name of a schema field",
			"少なくとも 1 つの列名がスキーマのフィールド名と一致する必要があります"))
			msg(v, "no column matches a field of the schema", "スキーマのフィールドと一致する列がありません");
	}
	keyset_free(seen);
	buf_free(&en);
	buf_free(&ja);
}

/* Joins the canonical keys of fields idx[0..n) of the current row into
 * v->key; returns 0 when every value is missing, -1 when a value is
 * invalid, else the number of non-missing values. */
static int row_key(vstate *v, const size_t *idx, size_t n)
{
	size_t i;
	int present = 0;
	buf_clear(&v->key);
	for (i = 0; i < n; i++) {
		if (!v->ok[idx[i]])
			return -1;
		if (i)
			buf_putc(&v->key, '\x1f');
		if (!v->vals[idx[i]].missing) {
			present++;
			schema_value_key(&v->vals[idx[i]], &v->key);
		}
	}
	return present;
}

static int is_text_type(odc_type t)
{
	return t == ODC_T_STRING || t == ODC_T_ANY;
}

static void note_personal(vstate *v, size_t i, const char *s, size_t len)
{
	size_t k, digits = 0, at = 0, other = 0;
	if (!len)
		return;
	v->nonempty[i]++;
	for (k = 0; k < len; k++) {
		char c = s[k];
		if (c >= '0' && c <= '9')
			digits++;
		else if (c == '@')
			at++;
		else if (c != '-' && c != ' ' && c != '(' && c != ')' && c != '+' && c != '.')
			other++;
	}
	if (at == 1 && memchr(s, '.', len) && len > 5)
		v->email[i]++;
	else if (digits == 12 && len == 12)
		v->mynumber[i]++;
	else if (digits >= 10 && digits <= 11 && other == 0)
		v->phone[i]++;
}

/* The Japanese word for the type an expectation starts with, in brackets. */
static const char *type_word_ja(const char *expected)
{
	static const char *const words[][2] = {
		{"integer", "（整数）"}, {"number", "（数値）"}, {"datetime", "（日時）"},
		{"date", "（日付）"}, {"time", "（時刻）"}, {"boolean", "（真偽値）"},
		{"yearmonth", "（年月）"}, {"year", "（年）"}, {"duration", "（期間）"},
		{"geopoint", "（位置）"}, {"geojson", "（GeoJSON）"}, {"object", "（JSON オブジェクト）"},
		{"array", "（JSON 配列）"}, {"list", "（リスト）"}, {"an e-mail", "（メールアドレス）"},
		{"a URI", "（URI）"}, {"a UUID", "（UUID）"},
	};
	size_t i;
	for (i = 0; i < sizeof(words) / sizeof(words[0]); i++)
		if (!strncmp(expected, words[i][0], strlen(words[i][0])))
			return words[i][1];
	return "";
}

static void cell_error(vstate *v, const odc_record *r, size_t f, long c, const char *cell, size_t len,
		       const odc_cell_error *e)
{
	odc_buf en = ODC_BUF_INIT, ja = ODC_BUF_INIT, hen = ODC_BUF_INIT, hja = ODC_BUF_INIT;
	char *shown = diag_shorten(cell, len, 40);
	const char *name = fname(v, f);

	if (!strcmp(e->code, "type-error")) {
		buf_printf(&en, "field \"%s\": \"%s\" is not %s", name, shown, e->expected);
		buf_printf(&ja, "「%s」 の値 \"%s\" は %s%s ではありません", name, shown, e->expected,
			   type_word_ja(e->expected));
		buf_printf(&hen, "write the value as %s, or correct the field's type or format in the schema",
			   e->expected);
		buf_printf(&hja, "値を %s の形で書くか、スキーマのフィールドの型・形式を直してください", e->expected);
	} else if (e->constraint && !strcmp(e->constraint, "required")) {
		buf_printf(&en, "field \"%s\" is required but the cell is empty", name);
		buf_printf(&ja, "「%s」 は必須ですが値が空です", name);
		buf_printf(&hen, "fill in the value; if it is truly unknown, the field cannot be required");
		buf_printf(&hja, "値を入力してください。本当に不明な場合は必須にできません");
	} else {
		buf_printf(&en, "field \"%s\": \"%s\" breaks the constraint %s (expected %s)", name, shown,
			   e->constraint ? e->constraint : "?", e->expected);
		buf_printf(&ja, "「%s」 の値 \"%s\" が制約 %s を満たしません（%s）", name, shown,
			   e->constraint ? e->constraint : "?", e->expected);
		buf_printf(&hen, "correct the value, or the constraint \"%s\" in the schema",
			   e->constraint ? e->constraint : "?");
		buf_printf(&hja, "値を直すか、スキーマの制約「%s」を直してください", e->constraint ? e->constraint : "?");
	}
	if (add(v, ODC_SEV_ERROR, e->code, r->line, c + 1, hen.ptr, hja.ptr)) {
		msg(v, en.ptr, ja.ptr);
		diag_cell(v->d, v->row, c + 1, name, cell, len);
	}
	free(shown);
	buf_free(&en);
	buf_free(&ja);
	buf_free(&hen);
	buf_free(&hja);
}

static void row_check(vstate *v, const odc_record *r)
{
	size_t i, nf = v->nf;
	size_t width = v->nlabels > nf ? v->nlabels : nf;
	int blank = 1;
	odc_buf en = ODC_BUF_INIT, ja = ODC_BUF_INIT;
	const size_t *idx;
	size_t nk;

	v->rep->rows++;
	for (i = 0; i < r->n; i++)
		if (r->lens[i]) {
			blank = 0;
			break;
		}
	if (blank) {
		if (add(v, ODC_SEV_ERROR, "blank-row", r->line, 0, "remove the empty line",
			"空の行を削除してください")) {
			msg(v, "the row is empty", "空の行です");
			diag_cell(v->d, v->row, 0, NULL, NULL, 0);
		}
		return;
	}
	/* Cells */
	for (i = 0; i < nf; i++) {
		long c = v->col[i];
		odc_cell_error e;
		v->ok[i] = 1;
		memset(&v->vals[i], 0, sizeof(v->vals[i]));
		if (c < 0) {
			/* The column is absent from the file (non-exact matching): null. */
			v->vals[i].missing = 1;
			continue;
		}
		if ((size_t)c >= r->n) {
			v->vals[i].missing = 1;
			if (add(v, ODC_SEV_ERROR, "missing-cell", r->line, c + 1,
				"add the missing values (an empty value still needs its comma)",
				"不足している値を追加してください（空の値にもカンマが必要です）")) {
				buf_clear(&en);
				buf_clear(&ja);
				buf_printf(&en, "the row has %zu cells, field \"%s\" (position %ld) has none", r->n, fname(v, i), c + 1);
				buf_printf(&ja, "この行のセルは %zu 個で、「%s」（%ld 列目）の値がありません", r->n, fname(v, i), c + 1);
				msg(v, en.ptr, ja.ptr);
				diag_cell(v->d, v->row, c + 1, fname(v, i), NULL, 0);
			}
			if (schema_field_required(v->s, i) &&
			    add(v, ODC_SEV_ERROR, "constraint-error", r->line, c + 1,
				"fill in the value", "値を入力してください")) {
				buf_clear(&en);
				buf_clear(&ja);
				buf_printf(&en, "field \"%s\" is required but the cell is missing", fname(v, i));
				buf_printf(&ja, "「%s」 は必須ですが値がありません", fname(v, i));
				msg(v, en.ptr, ja.ptr);
				diag_cell(v->d, v->row, c + 1, fname(v, i), NULL, 0);
			}
			v->ok[i] = 0;
			continue;
		}
		if (schema_check_cell(v->s, i, r->fields[c], r->lens[c], &v->vals[i], &e) < 0) {
			v->ok[i] = 0;
			cell_error(v, r, i, c, r->fields[c], r->lens[c], &e);
			continue;
		}
		if (v->vals[i].missing)
			continue;
		if (is_text_type(schema_field_type(v->s, i))) {
			const char *s = r->fields[c];
			if (v->o->warn_formula && r->lens[c] > 1 &&
			    (s[0] == '=' || s[0] == '+' || s[0] == '-' || s[0] == '@')) {
				if (!v->formula_count[i]++) {
					if (add(v, ODC_SEV_WARNING, "odcat-formula-injection", r->line, c + 1,
						"spreadsheets may run a cell starting with = + - @ as a formula; "
						"start the text differently (e.g. with a full-width character) or quote it with '",
						"= + - @ で始まるセルは表計算ソフトで数式として実行されることがあります。"
						"先頭の文字を変えてください")) {
						char *shown = diag_shorten(s, r->lens[c], 40);
						buf_clear(&en);
						buf_clear(&ja);
						buf_printf(&en, "field \"%s\": \"%s\" starts like a spreadsheet formula", fname(v, i), shown);
						buf_printf(&ja, "「%s」 の値 \"%s\" は表計算ソフトの数式のように始まります", fname(v, i), shown);
						msg(v, en.ptr, ja.ptr);
						diag_cell(v->d, v->row, c + 1, fname(v, i), s, r->lens[c]);
						v->formula_diag[i] = v->d->n;
						free(shown);
					}
				}
			}
			if (v->o->warn_personal)
				note_personal(v, i, s, r->lens[c]);
		}
	}
	/* Extra cells beyond the header (or the schema when there is no header). */
	for (i = width; i < r->n; i++) {
		if (add(v, ODC_SEV_ERROR, "extra-cell", r->line, (long)i + 1,
			"remove the extra value, or quote a value that contains the delimiter",
			"余分な値を削除するか、区切り文字を含む値を \"\" で囲んでください")) {
			char *shown = diag_shorten(r->fields[i], r->lens[i], 40);
			buf_clear(&en);
			buf_clear(&ja);
			buf_printf(&en, "cell %zu (\"%s\") is beyond the %zu columns of the table", i + 1, shown, width);
			buf_printf(&ja, "%zu 番目のセル（\"%s\"）は表の %zu 列を超えています", i + 1, shown, width);
			msg(v, en.ptr, ja.ptr);
			diag_cell(v->d, v->row, (long)i + 1, NULL, r->fields[i], r->lens[i]);
			free(shown);
		}
	}
	/* Unique fields */
	for (i = 0; i < nf; i++) {
		long prev = 0;
		if (!v->unique[i] || !v->ok[i] || v->vals[i].missing)
			continue;
		buf_clear(&v->key);
		schema_value_key(&v->vals[i], &v->key);
		if (!keyset_add_row(v->unique[i], buf_cstr(&v->key), v->key.len, v->row, &prev) &&
		    add(v, ODC_SEV_ERROR, "unique-error", r->line, v->col[i] + 1,
			"each value in this column must be different", "この列の値はすべて異なる必要があります")) {
			long c = v->col[i];
			char *shown = diag_shorten(r->fields[c], r->lens[c], 40);
			buf_clear(&en);
			buf_clear(&ja);
			buf_printf(&en, "field \"%s\": \"%s\" is the same as in row %ld", fname(v, i), shown, prev);
			buf_printf(&ja, "「%s」 の値 \"%s\" は %ld 行目と重複しています", fname(v, i), shown, prev);
			msg(v, en.ptr, ja.ptr);
			diag_cell(v->d, v->row, c + 1, fname(v, i), r->fields[c], r->lens[c]);
			free(shown);
		}
	}
	/* Primary key */
	nk = schema_primary_key(v->s, &idx);
	if (nk && v->pk) {
		int present = row_key(v, idx, nk);
		long prev = 0;
		if (present > 0 && !keyset_add_row(v->pk, buf_cstr(&v->key), v->key.len, v->row, &prev) &&
		    add(v, ODC_SEV_ERROR, "primary-key", r->line, 0,
			"each row needs a different primary key value", "主キーの値は行ごとに異なる必要があります")) {
			buf_clear(&en);
			buf_clear(&ja);
			buf_printf(&en, "the primary key of this row is the same as in row %ld", prev);
			buf_printf(&ja, "この行の主キーは %ld 行目と重複しています", prev);
			msg(v, en.ptr, ja.ptr);
			diag_cell(v->d, v->row, 0, NULL, NULL, 0);
		}
	}
	/* Unique keys (v2): rows with a missing value in the key are skipped. */
	for (i = 0; v->o->check_keys && i < schema_unique_key_count(v->s); i++) {
		size_t n = schema_unique_key(v->s, i, &idx), k;
		long prev = 0;
		int any_missing = 0;
		for (k = 0; k < n; k++)
			if (v->vals[idx[k]].missing)
				any_missing = 1;
		if (any_missing || row_key(v, idx, n) <= 0)
			continue;
		if (!keyset_add_row(v->uk[i], buf_cstr(&v->key), v->key.len, v->row, &prev) &&
		    add(v, ODC_SEV_ERROR, "unique-error", r->line, 0,
			"the combination of these columns must be different in every row",
			"これらの列の組み合わせは行ごとに異なる必要があります")) {
			buf_clear(&en);
			buf_clear(&ja);
			buf_printf(&en, "unique key %zu of this row is the same as in row %ld", i + 1, prev);
			buf_printf(&ja, "この行の一意キー %zu は %ld 行目と重複しています", i + 1, prev);
			msg(v, en.ptr, ja.ptr);
			diag_cell(v->d, v->row, 0, NULL, NULL, 0);
		}
	}
	/* Foreign keys */
	for (i = 0; v->o->check_keys && i < schema_foreign_key_count(v->s); i++) {
		const odc_fkey *fk = schema_foreign_key(v->s, i);
		int present;
		if (v->fk_self[i]) {
			/* Record this row's referenced tuple, then queue its own key. */
			size_t k;
			int ok = 1;
			buf_clear(&v->key);
			for (k = 0; k < fk->n; k++) {
				long f = v->fk_self_idx[i][k];
				if (f < 0 || !v->ok[f] || v->vals[f].missing) {
					ok = 0;
					break;
				}
				if (k)
					buf_putc(&v->key, '\x1f');
				schema_value_key(&v->vals[f], &v->key);
			}
			if (ok)
				keyset_add(v->fk_self[i], buf_cstr(&v->key), v->key.len);
		}
		present = row_key(v, fk->fields, fk->n);
		if (present <= 0)
			continue;
		if (v->fk_self[i]) {
			if (v->npend == v->cappend) {
				v->cappend = v->cappend ? v->cappend * 2 : 64;
				v->pend = xrealloc(v->pend, v->cappend * sizeof(*v->pend));
			}
			v->pend[v->npend].row = v->row;
			v->pend[v->npend].line = r->line;
			v->pend[v->npend].fk = i;
			v->pend[v->npend].key = xstrndup(buf_cstr(&v->key), v->key.len);
			v->pend[v->npend].len = v->key.len;
			v->npend++;
		} else if (v->fk_ext[i] && !keyset_has(v->fk_ext[i], buf_cstr(&v->key), v->key.len)) {
			if (add(v, ODC_SEV_ERROR, "foreign-key", r->line, 0,
				"use a value that exists in the referenced table, or add it there",
				"参照先の表に存在する値を使うか、参照先に追加してください")) {
				buf_clear(&en);
				buf_clear(&ja);
				buf_printf(&en, "the value of %s is not in %s%s%s", fname(v, fk->fields[0]),
					   fk->package ? fk->package : "", fk->package ? "/" : "", fk->resource);
				buf_printf(&ja, "「%s」の値が参照先 %s%s%s にありません", fname(v, fk->fields[0]),
					   fk->package ? fk->package : "", fk->package ? "/" : "", fk->resource);
				msg(v, en.ptr, ja.ptr);
				diag_cell(v->d, v->row, 0, fname(v, fk->fields[0]), NULL, 0);
			}
		}
	}
	buf_free(&en);
	buf_free(&ja);
}

static int on_record(void *payload, const odc_record *r)
{
	vstate *v = payload;

	v->row = r->number;
	if (!v->header_done && v->o->header) {
		if (r->n == 0) {
			/* Leading blank lines: Frictionless reports a blank header. */
			return 0;
		}
		v->header_done = 1;
		header_check(v, r);
		return 0;
	}
	if (!v->header_done) {
		size_t i;
		v->header_done = 1;
		v->nlabels = v->nf;
		for (i = 0; i < v->nf; i++)
			v->col[i] = (long)i;
	}
	if (r->n == 0) {
		v->rep->rows++;
		if (add(v, ODC_SEV_ERROR, "blank-row", r->line, 0, "remove the empty line",
			"空の行を削除してください")) {
			msg(v, "the row is empty", "空の行です");
			diag_cell(v->d, v->row, 0, NULL, NULL, 0);
		}
		return 0;
	}
	{
		size_t errors = v->rep->errors;
		row_check(v, r);
		if (v->o->row && !v->row_stopped && v->rep->errors == errors &&
		    v->o->row(v->o->row_payload, v->vals, v->nf, v->row) != 0)
			v->row_stopped = 1;
	}
	return 0;
}

static void vstate_init(vstate *v, odc_schema *s, const char *file, const odc_validate_opts *o,
			odc_diags *d, odc_validate_report *rep)
{
	size_t i, nf = schema_field_count(s);
	const size_t *idx;

	memset(v, 0, sizeof(*v));
	v->s = s;
	v->file = file;
	v->o = o;
	v->d = d;
	v->rep = rep;
	v->nf = nf;
	v->col = xcalloc(nf ? nf : 1, sizeof(long));
	v->vals = xcalloc(nf ? nf : 1, sizeof(odc_value));
	v->ok = xcalloc(nf ? nf : 1, sizeof(int));
	v->unique = xcalloc(nf ? nf : 1, sizeof(odc_keyset *));
	for (i = 0; i < nf && o->check_keys; i++)
		if (schema_field_unique(s, i))
			v->unique[i] = keyset_new();
	if (o->check_keys && schema_primary_key(s, &idx))
		v->pk = keyset_new();
	v->uk = xcalloc(schema_unique_key_count(s) + 1, sizeof(odc_keyset *));
	for (i = 0; i < schema_unique_key_count(s); i++)
		v->uk[i] = keyset_new();
	v->fk_self = xcalloc(schema_foreign_key_count(s) + 1, sizeof(odc_keyset *));
	v->fk_self_idx = xcalloc(schema_foreign_key_count(s) + 1, sizeof(long *));
	v->fk_ext = xcalloc(schema_foreign_key_count(s) + 1, sizeof(odc_keyset *));
	for (i = 0; o->check_keys && i < schema_foreign_key_count(s); i++) {
		const odc_fkey *fk = schema_foreign_key(s, i);
		if (!fk->package && (!fk->resource || !*fk->resource)) {
			size_t k;
			v->fk_self[i] = keyset_new();
			v->fk_self_idx[i] = xcalloc(fk->n ? fk->n : 1, sizeof(long));
			for (k = 0; k < fk->n; k++)
				v->fk_self_idx[i][k] = schema_field_index(s, fk->ref_fields[k]);
		} else if (o->fk) {
			if (o->fk(o->fk_payload, fk, &v->fk_ext[i]) < 0)
				v->fk_ext[i] = NULL;
		}
	}
	v->formula_count = xcalloc(nf ? nf : 1, sizeof(long));
	v->formula_diag = xcalloc(nf ? nf : 1, sizeof(size_t));
	v->email = xcalloc(nf ? nf : 1, sizeof(long));
	v->phone = xcalloc(nf ? nf : 1, sizeof(long));
	v->mynumber = xcalloc(nf ? nf : 1, sizeof(long));
	v->nonempty = xcalloc(nf ? nf : 1, sizeof(long));
}

static void vstate_free(vstate *v)
{
	size_t i;
	for (i = 0; i < v->nf; i++)
		keyset_free(v->unique[i]);
	for (i = 0; i < schema_unique_key_count(v->s); i++)
		keyset_free(v->uk[i]);
	for (i = 0; i < schema_foreign_key_count(v->s); i++) {
		keyset_free(v->fk_self[i]);
		free(v->fk_self_idx[i]);
	}
	for (i = 0; i < v->npend; i++)
		free(v->pend[i].key);
	for (i = 0; i < v->nlabels && v->labels; i++)
		free(v->labels[i]);
	free(v->labels);
	free(v->pend);
	keyset_free(v->pk);
	free(v->uk);
	free(v->fk_self);
	free(v->fk_self_idx);
	free(v->fk_ext);
	free(v->unique);
	free(v->col);
	free(v->vals);
	free(v->ok);
	free(v->formula_count);
	free(v->formula_diag);
	free(v->email);
	free(v->phone);
	free(v->mynumber);
	free(v->nonempty);
	buf_free(&v->key);
}

/* Name-like columns beside e-mail/phone columns suggest personal data. */
static int looks_like_name_column(const char *n)
{
	static const char *const names[] = {"氏名", "名前", "個人名", "担当者", "フリガナ", "name", "Name",
					    "full_name", "fullname"};
	size_t i;
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (strstr(n, names[i]) && !strstr(n, "名称") && !strstr(n, "施設"))
			return 1;
	return 0;
}

static void finish(vstate *v)
{
	size_t i;
	odc_buf en = ODC_BUF_INIT, ja = ODC_BUF_INIT;
	int has_name = 0;

	/* Self-referencing foreign keys, now that every row is known. */
	for (i = 0; i < v->npend; i++) {
		const pending_fk *p = &v->pend[i];
		const odc_fkey *fk = schema_foreign_key(v->s, p->fk);
		if (keyset_has(v->fk_self[p->fk], p->key, p->len))
			continue;
		if (add(v, ODC_SEV_ERROR, "foreign-key", p->line, 0,
			"use a value that exists in the referenced column, or add a row with it",
			"参照先の列に存在する値を使うか、その値の行を追加してください")) {
			buf_clear(&en);
			buf_clear(&ja);
			buf_printf(&en, "the value of %s is not in the field %s of this table",
				   fname(v, fk->fields[0]), fk->ref_fields[0]);
			buf_printf(&ja, "「%s」の値がこの表の「%s」にありません", fname(v, fk->fields[0]), fk->ref_fields[0]);
			msg(v, en.ptr, ja.ptr);
			diag_cell(v->d, p->row, 0, fname(v, fk->fields[0]), NULL, 0);
		}
	}
	/* Amend formula warnings with their counts. */
	for (i = 0; i < v->nf; i++) {
		if (v->formula_count[i] > 1 && v->formula_diag[i]) {
			odc_diag *x = &v->d->items[v->formula_diag[i] - 1];
			buf_clear(&en);
			buf_clear(&ja);
			buf_printf(&en, "%s (%ld cells in this column)", x->message, v->formula_count[i]);
			buf_printf(&ja, "%s（この列で %ld セル）", x->message_ja, v->formula_count[i]);
			free(x->message);
			free(x->message_ja);
			x->message = xstrdup(en.ptr);
			x->message_ja = xstrdup(ja.ptr);
		}
	}
	/* Personal data: a column mostly of e-mails or phone numbers beside a
	 * column of personal names, or a column of 12-digit numbers. */
	for (i = 0; i < v->nf; i++)
		if (v->col[i] >= 0 && looks_like_name_column(fname(v, i)))
			has_name = 1;
	for (i = 0; i < v->nf && v->o->warn_personal; i++) {
		long n = v->nonempty[i];
		const char *what = NULL, *what_ja = NULL;
		if (n < 3)
			continue;
		if (v->mynumber[i] * 2 >= n) {
			what = "12-digit numbers that could be My Number (individual numbers)";
			what_ja = "マイナンバー（個人番号）の可能性がある 12 桁の数字";
		} else if (has_name && v->email[i] * 2 >= n) {
			what = "e-mail addresses beside personal names";
			what_ja = "個人名と並んだメールアドレス";
		} else if (has_name && v->phone[i] * 2 >= n) {
			what = "phone numbers beside personal names";
			what_ja = "個人名と並んだ電話番号";
		}
		if (what && add(v, ODC_SEV_WARNING, "odcat-personal-data", 0, v->col[i] + 1,
				"make sure no personal data of individuals is published; remove or aggregate the column",
				"個人の情報を公開しないよう確認し、列を削除するか集計してください")) {
			buf_clear(&en);
			buf_clear(&ja);
			buf_printf(&en, "field \"%s\" looks like %s", fname(v, i), what);
			buf_printf(&ja, "「%s」 は%sのようです", fname(v, i), what_ja);
			msg(v, en.ptr, ja.ptr);
			diag_cell(v->d, 0, v->col[i] + 1, fname(v, i), NULL, 0);
		}
	}
	buf_free(&en);
	buf_free(&ja);
}

int validate_resource(const char *data, size_t len, odc_schema *schema, const char *file,
		      const odc_validate_opts *o, odc_diags *d, odc_validate_report *rep)
{
	vstate v;
	odc_csv_opts co = o->csv;
	int rc;

	memset(rep, 0, sizeof(*rep));
	vstate_init(&v, schema, file, o, d, rep);
	co.report_blank = 1;
	rc = csvscan_run(data, len, &co, on_record, &v, file, d);
	if (rc < 0) {
		/* csvscan added one error of its own (encoding or parse). */
		rep->fatal = 1;
		rep->errors++;
	}
	if (!v.header_done && o->header && rc == 0) {
		rep->errors++;
		diag_add(d, ODC_SEV_ERROR, "source-error", file, 0, 0,
			 "the file must start with a line of column names", "the source is empty");
		diag_ja(d, "ファイルの 1 行目には列名が必要です", "ファイルが空です");
	}
	if (rc == 0)
		finish(&v);
	vstate_free(&v);
	return rep->errors ? -1 : 0;
}

/* Collection of a referenced resource's key tuples. */
typedef struct collect {
	odc_schema *s;
	const odc_validate_opts *o;
	long *idx;    /* schema field of each key field */
	long *cols;   /* column of each key field */
	size_t n;
	int header_done;
	odc_keyset *set;
	odc_buf key;
} collect;

static int on_collect(void *payload, const odc_record *r)
{
	collect *c = payload;
	size_t k;
	int ok = 1;

	if (r->n == 0)
		return 0;
	if (!c->header_done) {
		c->header_done = 1;
		for (k = 0; k < c->n; k++)
			c->cols[k] = c->idx[k];
		if (c->o->header) {
			/* Prefer the column with the field's name, else its position. */
			size_t j;
			for (k = 0; k < c->n; k++)
				for (j = 0; j < r->n; j++)
					if (!strcmp(r->fields[j], schema_field_name(c->s, (size_t)c->idx[k])))
						c->cols[k] = (long)j;
			return 0;
		}
	}
	buf_clear(&c->key);
	for (k = 0; k < c->n && ok; k++) {
		odc_value val;
		odc_cell_error e;
		long col = c->cols[k];
		if ((size_t)col >= r->n ||
		    schema_check_cell(c->s, (size_t)c->idx[k], r->fields[col], r->lens[col], &val, &e) < 0 ||
		    val.missing)
			ok = 0;
		else {
			if (k)
				buf_putc(&c->key, '\x1f');
			schema_value_key(&val, &c->key);
		}
	}
	if (ok)
		keyset_add(c->set, buf_cstr(&c->key), c->key.len);
	return 0;
}

int validate_collect_keys(const char *data, size_t len, odc_schema *schema, const char *file,
			  const odc_validate_opts *o, const char *const *fields, size_t n,
			  odc_keyset **out, odc_diags *d)
{
	collect c;
	size_t k;
	int rc = 0;
	odc_diags quiet = ODC_DIAGS_INIT;

	*out = NULL;
	memset(&c, 0, sizeof(c));
	c.s = schema;
	c.o = o;
	c.n = n;
	c.idx = xcalloc(n ? n : 1, sizeof(long));
	c.cols = xcalloc(n ? n : 1, sizeof(long));
	for (k = 0; k < n; k++) {
		c.idx[k] = schema_field_index(schema, fields[k]);
		if (c.idx[k] < 0) {
			diag_add(d, ODC_SEV_ERROR, "schema-error", file, 0, 0,
				 "reference.fields must name fields of the referenced resource",
				 "foreign key: the referenced resource has no field \"%s\"", fields[k]);
			diag_ja(d, "reference.fields には参照先のフィールド名を書いてください",
				"外部キー：参照先にフィールド「%s」がありません", fields[k]);
			rc = -1;
		}
	}
	if (rc == 0) {
		c.set = keyset_new();
		/* Problems of the referenced file are its own report's business. */
		if (csvscan_run(data, len, &o->csv, on_collect, &c, file, &quiet) < 0) {
			diag_add(d, ODC_SEV_ERROR, "foreign-key", file, 0, 0,
				 "fix the referenced resource first",
				 "the resource referenced by a foreign key cannot be read");
			diag_ja(d, "参照先のリソースを先に直してください", "外部キーの参照先のリソースを読めません");
			keyset_free(c.set);
			rc = -1;
		} else {
			*out = c.set;
		}
	}
	diag_free(&quiet);
	free(c.idx);
	free(c.cols);
	buf_free(&c.key);
	return rc;
}
