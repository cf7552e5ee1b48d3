/*
 * csvscan.c — libcsv driven in chunks, with iconv decoding (see csvscan.h).
 *
 * libcsv knows nothing of lines, encodings or BOMs, so this module counts
 * lines itself (CSV_REPALL_NL makes libcsv report every unquoted CR and LF
 * as a row end; field-less row ends are line ends, not records), strips a
 * UTF-8 BOM, converts CP932 to UTF-8 before parsing, and checks that every
 * field of a UTF-8 file is valid UTF-8.
 */
#include "csvscan.h"

#include <csv.h>
#include <errno.h>
#include <iconv.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "buf.h"

#define CHUNK 65536

typedef struct scan {
	odc_record_fn fn;
	void *payload;
	const char *file;
	odc_diags *d;
	int check_utf8;
	int report_blank;
	int failed;      /* a diagnostic was added: ignore further callbacks */
	int stopped;     /* the callback asked to stop */
	odc_buf rec;     /* field bytes of the current record, each NUL-ended */
	size_t *offs;    /* start of each field in rec */
	size_t *lens;
	const char **ptrs;
	size_t nfields, capfields;
	long records;
	long line;       /* physical line of the next byte */
	long rec_line;   /* line where the current record started */
	int last_term;   /* terminator of the previous row-end call */
} scan;

const char *csvscan_encoding_name(const char *label)
{
	static const char *const sjis[] = {"shift_jis", "shift-jis", "sjis", "cp932",
					   "windows-31j", "ms_kanji", "x-sjis", "csshiftjis",
					   "ms932", "windows-932"};
	size_t i;

	if (!label || !*label || !strcasecmp(label, "utf-8") || !strcasecmp(label, "utf8"))
		return "UTF-8";
	for (i = 0; i < sizeof(sjis) / sizeof(sjis[0]); i++)
		if (!strcasecmp(label, sjis[i]))
			return "CP932";
	return label;
}

size_t csvscan_utf8_prefix(const char *p, size_t len)
{
	const unsigned char *s = (const unsigned char *)p;
	size_t i = 0;

	while (i < len) {
		unsigned char c = s[i];
		size_t n;
		unsigned int cp;
		if (c < 0x80) {
			i++;
			continue;
		} else if (c >= 0xC2 && c <= 0xDF) {
			n = 1;
			cp = c & 0x1F;
		} else if (c >= 0xE0 && c <= 0xEF) {
			n = 2;
			cp = c & 0x0F;
		} else if (c >= 0xF0 && c <= 0xF4) {
			n = 3;
			cp = c & 0x07;
		} else {
			return i;
		}
		for (size_t k = 1; k <= n; k++) {
			if (i + k >= len || (s[i + k] & 0xC0) != 0x80)
				return i;
			cp = (cp << 6) | (s[i + k] & 0x3F);
		}
		if ((n == 2 && cp < 0x800) || (n == 3 && (cp < 0x10000 || cp > 0x10FFFF)) ||
		    (cp >= 0xD800 && cp <= 0xDFFF))
			return i;
		i += n + 1;
	}
	return len;
}

/* True when bytes decode as CP932 — used only to word a hint. */
static int looks_like_cp932(const char *s, size_t len)
{
	iconv_t cd = iconv_open("UTF-8", "CP932");
	char out[256];
	int ok;

	if (cd == (iconv_t)-1)
		return 0;
	char *in = (char *)s;
	size_t inleft = len;
	ok = 1;
	while (inleft > 0) {
		char *o = out;
		size_t oleft = sizeof(out);
		if (iconv(cd, &in, &inleft, &o, &oleft) == (size_t)-1 && errno != E2BIG) {
			ok = 0;
			break;
		}
	}
	iconv_close(cd);
	return ok;
}

/* True when no byte has the high bit: such a field is valid UTF-8. Most
 * fields are short ASCII, so this is the common, cheap path. */
static int is_ascii(const char *p, size_t len)
{
	unsigned char any = 0;
	size_t k;
	for (k = 0; k < len; k++)
		any |= (unsigned char)p[k];
	return any < 0x80;
}

static void count_newlines(scan *s, const char *p, size_t len)
{
	size_t i;
	for (i = 0; i < len; i++)
		if (p[i] == '\n' || (p[i] == '\r' && (i + 1 >= len || p[i + 1] != '\n')))
			s->line++;
}

static void cb_field(void *data, size_t len, void *payload)
{
	scan *s = payload;
	const char *p = data ? data : "";

	if (s->failed || s->stopped)
		return;
	if (s->nfields == 0)
		s->rec_line = s->line;
	if (s->check_utf8 && !is_ascii(p, len)) {
		size_t ok = csvscan_utf8_prefix(p, len);
		if (ok < len) {
			int sj = looks_like_cp932(p, len);
			diag_add(s->d, ODC_SEV_ERROR, "encoding-error", s->file, s->line,
				 (long)s->nfields + 1,
				 sj ? "the file looks like Shift_JIS (CP932): declare \"encoding\": \"shift_jis\" "
				      "for this resource in datapackage.json, or convert it to UTF-8 (e.g. "
				      "iconv -f CP932 -t UTF-8 old.csv > new.csv, or save it from Excel as \"CSV UTF-8\")"
				    : "save the file as UTF-8 (in Excel: \"CSV UTF-8\"), or declare its "
				      "\"encoding\" in datapackage.json",
				 "record %ld, field %zu: bytes are not valid UTF-8 (at byte %zu of the field)",
				 s->records + 1, s->nfields + 1, ok + 1);
			diag_ja(s->d,
				sj ? "このファイルは Shift_JIS（CP932）のようです。datapackage.json のこのリソースに "
				     "\"encoding\": \"shift_jis\" を書くか、UTF-8 に変換してください（例：Excel で「CSV UTF-8」として保存、"
				     "または iconv -f CP932 -t UTF-8 old.csv > new.csv）"
				   : "UTF-8 で保存し直すか（Excel では「CSV UTF-8」）、datapackage.json に \"encoding\" を書いてください",
				"%ld 件目のレコードの %zu 番目の値が UTF-8 として正しくありません（値の %zu バイト目）",
				s->records + 1, s->nfields + 1, ok + 1);
			s->failed = 1;
			return;
		}
	}
	if (s->rec.len + len + 1 > ODC_CSV_MAX_RECORD) {
		diag_add(s->d, ODC_SEV_ERROR, "odcat-record-too-large", s->file, s->rec_line, 0,
			 "check for a quote character that is opened but never closed",
			 "record %ld is larger than %u bytes", s->records + 1, ODC_CSV_MAX_RECORD);
		diag_ja(s->d, "開いたまま閉じていない引用符がないか確認してください",
			"%ld 件目のレコードが %u バイトを超えています", s->records + 1, ODC_CSV_MAX_RECORD);
		s->failed = 1;
		return;
	}
	if (memchr(p, '\n', len) || memchr(p, '\r', len))
		count_newlines(s, p, len);
	if (s->nfields == s->capfields) {
		s->capfields = s->capfields ? s->capfields * 2 : 32;
		s->offs = xrealloc(s->offs, s->capfields * sizeof(*s->offs));
		s->lens = xrealloc(s->lens, s->capfields * sizeof(*s->lens));
	}
	s->offs[s->nfields] = s->rec.len;
	s->lens[s->nfields] = len;
	buf_put(&s->rec, p, len);
	buf_putc(&s->rec, '\0');
	s->nfields++;
}

static void cb_row(int term, void *payload)
{
	scan *s = payload;
	int empty = s->nfields == 0;

	if (s->failed || s->stopped)
		goto reset;
	/* Line accounting: CR, LF and CRLF each end one line. */
	if (term == '\r' || term == '\n') {
		if (!(term == '\n' && empty && s->last_term == '\r'))
			s->line++;
	}
	/* A field-less row end that is not the LF of a CRLF is a blank line. */
	if (empty && s->report_blank && !(term == '\n' && s->last_term == '\r') && term != -1) {
		odc_record r;
		static const char *const none[1] = {""};
		static const size_t zero[1] = {0};
		s->records++;
		r.fields = none;
		r.lens = zero;
		r.n = 0;
		r.number = s->records;
		r.line = s->line - 1;
		if (s->fn && s->fn(s->payload, &r))
			s->stopped = 1;
	}
	if (!empty) {
		odc_record r;
		size_t i;
		s->records++;
		s->ptrs = xrealloc(s->ptrs, (s->nfields ? s->nfields : 1) * sizeof(*s->ptrs));
		for (i = 0; i < s->nfields; i++)
			s->ptrs[i] = s->rec.ptr + s->offs[i];
		r.fields = s->ptrs;
		r.lens = s->lens;
		r.n = s->nfields;
		r.number = s->records;
		r.line = s->rec_line;
		if (s->fn && s->fn(s->payload, &r))
			s->stopped = 1;
	}
reset:
	s->last_term = term;
	s->nfields = 0;
	buf_clear(&s->rec);
}

static int is_space_never(unsigned char c)
{
	(void)c;
	return 0;
}

static int is_space_blank(unsigned char c)
{
	return c == ' ' || c == '\t';
}

/* Reports a libcsv parse error. The line is known for the record in
 * progress; a column is not (libcsv gives only a byte offset). */
static void parse_error(scan *s)
{
	diag_add(s->d, ODC_SEV_ERROR, "source-error", s->file, s->nfields ? s->rec_line : s->line, 0,
		 "a quote character inside a field must be doubled (\"\"), and a field that "
		 "contains quotes must itself be enclosed in quotes",
		 "the CSV cannot be parsed after record %ld: a quote character is misplaced",
		 s->records);
	diag_ja(s->d, "値の中の引用符は 2 つ重ね（\"\"）、引用符を含む値全体を引用符で囲んでください",
		"%ld 件目のレコードの後で CSV を読めません：引用符の位置が正しくありません", s->records);
}

int csvscan_run(const char *data, size_t len, const odc_csv_opts *opts,
		odc_record_fn fn, void *payload, const char *file, odc_diags *d)
{
	struct csv_parser p;
	scan s;
	const char *enc = csvscan_encoding_name(opts ? opts->encoding : NULL);
	/* The label as declared, for messages (enc is its canonical name). */
	const char *label = opts && opts->encoding ? opts->encoding : enc;
	int utf8 = !strcmp(enc, "UTF-8");
	iconv_t cd = (iconv_t)-1;
	char *conv = NULL;
	size_t pos = 0;
	int rc = 0;

	memset(&s, 0, sizeof(s));
	s.fn = fn;
	s.payload = payload;
	s.file = file;
	s.d = d;
	s.check_utf8 = utf8;
	s.report_blank = opts && opts->report_blank;
	s.line = 1;
	s.rec_line = 1;

	if (!utf8) {
		cd = iconv_open("UTF-8", enc);
		if (cd == (iconv_t)-1) {
			diag_add(d, ODC_SEV_ERROR, "odcat-unknown-encoding", file, 0, 0,
				 "use \"utf-8\" (recommended) or \"shift_jis\"",
				 "the declared encoding \"%s\" is not known", label);
			diag_ja(d, "\"utf-8\"（推奨）か \"shift_jis\" を使ってください",
				"宣言された文字コード \"%s\" は使えません", label);
			return -1;
		}
		conv = xmalloc(CHUNK * 4);
	}
	if (csv_init(&p, CSV_STRICT | CSV_STRICT_FINI | CSV_REPALL_NL) != 0) {
		if (cd != (iconv_t)-1)
			iconv_close(cd);
		free(conv);
		return -1;
	}
	csv_set_space_func(&p, opts && opts->skip_initial_space ? is_space_blank : is_space_never);
	csv_set_delim(&p, opts && opts->delimiter ? (unsigned char)opts->delimiter : ',');
	csv_set_quote(&p, opts && opts->quote ? (unsigned char)opts->quote : '"');

	if (utf8 && len >= 3 && !memcmp(data, "\xEF\xBB\xBF", 3))
		pos = 3;

	while (pos < len && !s.failed && !s.stopped) {
		const char *feed = data + pos;
		size_t n = len - pos > CHUNK ? CHUNK : len - pos;
		size_t feed_len = n;

		if (!utf8) {
			char *in = (char *)data + pos;
			size_t inleft = n;
			char *o = conv;
			size_t oleft = CHUNK * 4;
			if (iconv(cd, &in, &inleft, &o, &oleft) == (size_t)-1 && errno != EINVAL) {
				/* Count lines up to the bad byte for the location. */
				size_t bad = (size_t)(in - data);
				long line = 1;
				for (size_t i = 0; i < bad; i++)
					if (data[i] == '\n')
						line++;
				diag_add(d, ODC_SEV_ERROR, "encoding-error", file, line, 0,
					 "check the declared \"encoding\" of this resource, or save the file as UTF-8",
					 "byte 0x%02X at offset %zu is not valid in the declared encoding %s",
					 (unsigned char)data[bad], bad, label);
				diag_ja(d, "このリソースの \"encoding\" を確認するか、UTF-8 で保存し直してください",
					"%zu バイト目の 0x%02X は宣言された文字コード %s として正しくありません", bad,
					(unsigned char)data[bad], label);
				s.failed = 1;
				break;
			}
			/* On EINVAL the chunk ended inside a character: what was not
			 * consumed is fed again with the next chunk. */
			if (inleft == n) {
				diag_add(d, ODC_SEV_ERROR, "encoding-error", file, 0, 0,
					 "check the declared \"encoding\" of this resource",
					 "the file ends inside a multi-byte character of %s", label);
				diag_ja(d, "このリソースの \"encoding\" を確認してください",
					"ファイルが %s の文字の途中で終わっています", label);
				s.failed = 1;
				break;
			}
			n -= inleft;
			feed = conv;
			feed_len = (size_t)(o - conv);
		}
		size_t used = csv_parse(&p, feed, feed_len, cb_field, cb_row, &s);
		size_t held = csv_get_buffer_size(&p);
		/* libcsv grows its field buffer by a fixed block: make the growth
		 * geometric, or a long field costs quadratic copying. And a field
		 * that never ends (an open quote) is stopped here, not at EOF. */
		if (held > CHUNK)
			csv_set_blk_size(&p, held);
		if (held > ODC_CSV_MAX_RECORD && !s.failed) {
			diag_add(d, ODC_SEV_ERROR, "odcat-record-too-large", file, s.line, 0,
				 "check for a quote character that is opened but never closed",
				 "a field starting on line %ld is larger than %u bytes", s.line, ODC_CSV_MAX_RECORD);
			diag_ja(d, "開いたまま閉じていない引用符がないか確認してください",
				"%ld 行目から始まる値が %u バイトを超えています", s.line, ODC_CSV_MAX_RECORD);
			s.failed = 1;
		}
		if (used < feed_len && !s.failed && !s.stopped) {
			if (csv_error(&p) == CSV_EPARSE)
				parse_error(&s);
			else
				diag_add(d, ODC_SEV_ERROR, "source-error", file, s.line, 0, NULL,
					 "the CSV cannot be read: %s", csv_strerror(csv_error(&p)));
			s.failed = 1;
		}
		pos += n;
		if (opts && opts->consumed && (pos & ((8u << 20) - 1)) < n)
			opts->consumed(opts->consumed_payload, pos);
	}
	if (!s.failed && !s.stopped && csv_fini(&p, cb_field, cb_row, &s) != 0 && !s.failed) {
		diag_add(d, ODC_SEV_ERROR, "source-error", file, s.rec_line, 0,
			 "close the quoted field with a quote character, or remove the stray quote",
			 "the file ends inside a quoted field that starts on line %ld", s.rec_line);
		diag_ja(d, "引用符で始めた値を引用符で閉じるか、余分な引用符を削除してください",
			"%ld 行目から始まる引用符付きの値が閉じないままファイルが終わっています", s.rec_line);
		s.failed = 1;
	}
	if (s.failed)
		rc = -1;
	csv_free(&p);
	if (cd != (iconv_t)-1)
		iconv_close(cd);
	free(conv);
	buf_free(&s.rec);
	free(s.offs);
	free(s.lens);
	free(s.ptrs);
	return rc;
}

int csvscan_transcode(const char *data, size_t len, const char *encoding, odc_text_fn sink,
		      void *payload)
{
	const char *enc = csvscan_encoding_name(encoding);
	iconv_t cd;
	char *conv;
	size_t pos = 0;
	int rc = 0;

	if (!strcmp(enc, "UTF-8")) {
		if (len >= 3 && !memcmp(data, "\xEF\xBB\xBF", 3))
			pos = 3;
		for (; pos < len; pos += CHUNK) {
			size_t n = len - pos > CHUNK ? CHUNK : len - pos;
			if (sink(payload, data + pos, n))
				return -1;
		}
		return 0;
	}
	cd = iconv_open("UTF-8", enc);
	if (cd == (iconv_t)-1)
		return -1;
	conv = xmalloc(CHUNK * 4);
	while (pos < len) {
		char *in = (char *)data + pos, *o = conv;
		size_t n = len - pos > CHUNK ? CHUNK : len - pos, inleft = n, oleft = CHUNK * 4;
		if (iconv(cd, &in, &inleft, &o, &oleft) == (size_t)-1 && errno != EINVAL) {
			rc = -1;
			break;
		}
		/* EINVAL: the chunk ended inside a character, fed again next time;
		 * nothing consumed at all means the file ends inside one. */
		if (inleft == n || (o > conv && sink(payload, conv, (size_t)(o - conv)))) {
			rc = -1;
			break;
		}
		pos += n - inleft;
	}
	iconv_close(cd);
	free(conv);
	return rc;
}
