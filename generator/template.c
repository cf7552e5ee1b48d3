/*
 * template.c — Mustache over Jansson values (see template.h).
 *
 * A template is parsed once into a flat array of nodes; a container node
 * (section, inverted section, parent, block) records the index one past its
 * last descendant, so its children are the nodes in between and rendering
 * skips a subtree by jumping. Names and text point into the template source,
 * which lives for the whole call (the caller's buffer for the root, the
 * callback's copy for a partial), so parsing copies no strings. Partials are
 * parsed on first use and kept in a per-call cache keyed by name, which also
 * keeps every template alive while block overrides taken from it render
 * inside another template.
 *
 * Parsing never recurses: open sections live on an explicit stack capped at
 * MAX_SECTION_DEPTH. Rendering recurses once per section, partial, parent
 * and block override, capped at MAX_RENDER_DEPTH in all, so the C stack
 * needed is fixed whatever the input.
 *
 * Whitespace. The spec removes "standalone" lines (a non-interpolation tag
 * alone on its line with only spaces or tabs around it) and indents every
 * line of a standalone partial by the whitespace before its tag. Rather than
 * rewriting a partial's source, the parser leaves a BOL node at each line
 * start it keeps, and rendering prints the current indentation prefix there;
 * a standalone partial renders with the prefix extended by its tag's
 * whitespace, an inline one with no prefix, exactly as if its source had
 * been indented line by line before parsing (as the spec words it).
 *
 * Inheritance adds rules that the spec states only through its tests; the
 * upstream non-normative specs/whitespace.md summarises them, and the model
 * here passes every test:
 *  - A parent's text is ignored, so its open tag needs only a clear left
 *    side and its end tag a clear right side. When both hold, the parent is
 *    standalone: the whitespace before the open tag becomes its indentation
 *    and the line ending after the end tag goes, as for a partial.
 *  - An argument block (a block directly inside a parent) is a template of
 *    its own: an open tag at the end of its line drops that line ending, and
 *    the whitespace starting the next line is its "intrinsic indentation",
 *    removed from the start of each of its lines. Its end tag drops the
 *    whitespace before it when that is all there is on its line.
 *  - A parameter block (any other block) whose open tag is standalone
 *    indents the argument replacing it by the intrinsic indentation of its
 *    own default content; one whose open tag has a clear left side and whose
 *    end tag has a clear right side keeps that whitespace as text and
 *    indents the argument's later lines by it. (whitespace.md reads as if
 *    such a pair lost its line ending like a standalone partial; the tests
 *    "Default", "Inherit indentation" and "Standalone block" keep it.)
 */
#include "template.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "escape.h"
#include "odc.h"

/*============================== Limits ==============================*/

#define MAX_SECTION_DEPTH 1000                 /* open containers in one template */
#define MAX_PARTIAL_DEPTH 100                  /* partials and parents inside each other */
#define MAX_RENDER_DEPTH 2048                  /* recursive render calls in all */
#define MAX_STEPS ((unsigned long)64 << 20)    /* nodes visited per call */
#define MAX_OUTPUT ((size_t)256 << 20)         /* bytes appended per call */

#define NONE SIZE_MAX

/*============================== Parsed form ==============================*/

enum node_kind {
	N_TEXT,     /* literal text, at most one line */
	N_BOL,      /* a kept line starts here: print the indentation prefix */
	N_NOP,      /* a neutralised node (whitespace before a standalone parent) */
	N_VAR,      /* {{name}}: escaped */
	N_RAW,      /* {{{name}}} and {{&name}}: not escaped */
	N_SECTION,  /* {{#name}} */
	N_INVERTED, /* {{^name}} */
	N_PARTIAL,  /* {{>name}} */
	N_PARENT,   /* {{<name}} */
	N_BLOCK,    /* {{$name}} */
};

enum node_flag {
	NF_DYNAMIC = 1 << 0,     /* partial/parent: the name is looked up in the context */
	NF_STANDALONE = 1 << 1,  /* partial/parent: indent the expansion by ws */
	NF_ARG = 1 << 2,         /* block: directly inside a parent (an argument) */
	NF_OPEN_ALONE = 1 << 3,  /* parameter block: its open tag's line was removed */
	NF_PAIR_ALONE = 1 << 4,  /* parameter block: open tag clear left, end tag clear right */
	NF_CONTENT_BOL = 1 << 5, /* argument block: its content starts at a line start */
};

struct node {
	unsigned char kind;  /* enum node_kind */
	unsigned char flags; /* enum node_flag */
	size_t line;         /* 1-based line of the tag, for messages */
	size_t col;          /* 1-based column (characters) of a tag, 0 for text */
	const char *str;     /* text, or the tag's name; points into the source */
	size_t len;
	const char *ws;      /* partial/parent: indentation; parameter block: reindentation */
	size_t wslen;
	size_t end;          /* containers: index one past the last descendant */
};

struct tpl {
	struct node *nodes; /* owned */
	size_t n, cap;
	const char *src;    /* the source; for partials this is `owned` */
	size_t len;
	char *owned;        /* partial source from the callback, freed with the template */
	char *name;         /* partial name for messages (owned); NULL for the root */
};

static void tpl_free(struct tpl *t)
{
	free(t->nodes);
	free(t->owned);
	free(t->name);
}

/*
 * Writes "partial 'x', line N: message" (or "line N: message" for the root
 * template) into err and returns code. Control characters become spaces so
 * the message stays on one line whatever names it quotes.
 */
static int fmt_err(char *err, size_t errlen, odc_tpl_where *where, int code, const struct tpl *t,
		   size_t line, size_t col, const char *fmt, va_list ap)
{
	size_t off = 0;
	char pos[64];
	int n;

	if (where) {
		snprintf(where->partial, sizeof(where->partial), "%s", t && t->name ? t->name : "");
		where->line = line;
		where->column = col;
	}
	if (!err || !errlen)
		return code;
	if (col)
		snprintf(pos, sizeof(pos), "line %zu, column %zu", line, col);
	else
		snprintf(pos, sizeof(pos), "line %zu", line);
	if (t && t->name)
		n = snprintf(err, errlen, "partial '%.60s', %s: ", t->name, pos);
	else
		n = snprintf(err, errlen, "%s: ", pos);
	if (n > 0)
		off = (size_t)n < errlen ? (size_t)n : errlen - 1;
	vsnprintf(err + off, errlen - off, fmt, ap);
	for (char *c = err; *c; c++)
		if ((unsigned char)*c < 0x20 || *c == 0x7f)
			*c = ' ';
	return code;
}

static int is_blank(char c)
{
	return c == ' ' || c == '\t';
}

static int is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}

/* Returns the first offset >= from where needle occurs in s[0..len), or NONE. */
static size_t find(const char *s, size_t len, size_t from, const char *needle, size_t nlen)
{
	if (nlen == 0 || from > len || len - from < nlen)
		return NONE;
	const char *p = s + from, *last = s + len - nlen;
	while (p <= last) {
		p = memchr(p, needle[0], (size_t)(last - p) + 1);
		if (!p)
			return NONE;
		if (memcmp(p, needle, nlen) == 0)
			return (size_t)(p - s);
		p++;
	}
	return NONE;
}

/* Length of the common prefix of s[0..n) and the whitespace run strip. */
static size_t common_ws(const char *s, size_t n, const char *strip, size_t striplen)
{
	size_t k = 0;
	while (k < n && k < striplen && s[k] == strip[k])
		k++;
	return k;
}

/*============================== Parser ==============================*/

struct open_tag {
	size_t node;        /* index of the container node */
	size_t line;        /* line of the open tag */
	size_t col;         /* and its column */
	int dyn;            /* name as written, normalised for matching the end tag */
	const char *name;
	size_t nlen;
	const char *strip;  /* indentation removed from the content's line starts */
	size_t striplen;
	size_t bol;         /* parent: first node of its line's indentation, or NONE */
	int left_clear;     /* parent/parameter block: only whitespace before the tag */
	const char *ws;     /* ...and that whitespace, less any stripped indentation */
	size_t wslen;
};

/* Offset pos is on line `line`; offsets asked for never decrease. The
 * column is counted incrementally too: col characters lie between the
 * line's start and cpos. */
struct line_cursor {
	size_t pos, line;
	size_t cpos, col;
};

struct parser {
	struct tpl *t;
	const char *src;
	size_t len;
	const char *otag, *ctag; /* current delimiters; point into the source or literals */
	size_t olen, clen;
	size_t pos;              /* everything before pos has been turned into nodes */
	struct line_cursor tags; /* line numbers of tag starts */
	struct line_cursor text; /* line numbers of text, which trails the tags */
	size_t last_bol;         /* index of the last N_BOL appended */
	size_t col;              /* column of the tag being parsed, for messages */
	odc_tpl_where *where;    /* filled on error, or NULL */
	struct open_tag *stack;  /* owned */
	size_t depth, cap;
	char *err;
	size_t errlen;
};

static int perr(struct parser *p, int code, size_t line, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
static int perr(struct parser *p, int code, size_t line, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	fmt_err(p->err, p->errlen, p->where, code, p->t, line, p->col, fmt, ap);
	va_end(ap);
	return code;
}

/* Line of offset off, moving cursor c forward: linear over a whole parse. */
static size_t line_at(const struct parser *p, struct line_cursor *c, size_t off)
{
	while (c->pos < off) {
		const char *nl = memchr(p->src + c->pos, '\n', off - c->pos);
		if (!nl) {
			c->pos = off;
			break;
		}
		c->line++;
		c->pos = (size_t)(nl - p->src) + 1;
		c->cpos = c->pos;
		c->col = 0;
	}
	for (; c->cpos < off; c->cpos++)
		if (((unsigned char)p->src[c->cpos] & 0xC0) != 0x80)
			c->col++;
	return c->line;
}

static size_t add_node(struct parser *p, int kind, size_t line)
{
	struct tpl *t = p->t;
	if (t->n == t->cap) {
		t->cap = t->cap ? t->cap * 2 : 32;
		t->nodes = xrealloc(t->nodes, t->cap * sizeof *t->nodes);
	}
	memset(&t->nodes[t->n], 0, sizeof *t->nodes);
	t->nodes[t->n].kind = (unsigned char)kind;
	t->nodes[t->n].line = line;
	t->nodes[t->n].col = kind == N_TEXT || kind == N_BOL ? 0 : p->col;
	t->nodes[t->n].end = t->n + 1;
	return t->n++;
}

static int line_start(const struct parser *p, size_t off)
{
	return off == 0 || p->src[off - 1] == '\n';
}

static void current_strip(const struct parser *p, const char **s, size_t *n)
{
	*s = p->depth ? p->stack[p->depth - 1].strip : NULL;
	*n = p->depth ? p->stack[p->depth - 1].striplen : 0;
}

/*
 * Turns source text [a, b) into nodes: one N_TEXT per line, preceded by an
 * N_BOL at every line start, with the enclosing argument block's intrinsic
 * indentation removed from each line start. With bol_at_b a line start at b
 * itself also gets its N_BOL, because a tag that is not standalone begins a
 * kept line there.
 */
static void emit_text(struct parser *p, size_t a, size_t b, int bol_at_b)
{
	const char *strip;
	size_t striplen, q = a;

	current_strip(p, &strip, &striplen);
	while (q < b) {
		if (line_start(p, q)) {
			p->last_bol = add_node(p, N_BOL, line_at(p, &p->text, q));
			q += common_ws(p->src + q, b - q, strip, striplen);
			if (q >= b)
				break;
		}
		const char *nl = memchr(p->src + q, '\n', b - q);
		size_t e = nl ? (size_t)(nl - p->src) + 1 : b;
		size_t i = add_node(p, N_TEXT, line_at(p, &p->text, q));
		p->t->nodes[i].str = p->src + q;
		p->t->nodes[i].len = e - q;
		q = e;
	}
	if (bol_at_b && b < p->len && line_start(p, b))
		p->last_bol = add_node(p, N_BOL, line_at(p, &p->text, b));
}

/* The run of spaces and tabs starting at off. */
static size_t blank_run(const struct parser *p, size_t off)
{
	size_t e = off;
	while (e < p->len && is_blank(p->src[e]))
		e++;
	return e - off;
}

/*
 * Splits a tag's content [a, b) into its name: trims whitespace, and when it
 * starts with '*' marks it dynamic and drops the star. A name may not be
 * empty nor contain whitespace (the spec calls it a non-whitespace sequence).
 * raw and rawlen get the trimmed content with the star, for kinds that do not
 * take dynamic names.
 */
static int tag_name(struct parser *p, size_t line, size_t a, size_t b, int *dyn,
		    const char **name, size_t *nlen, const char **raw, size_t *rawlen)
{
	while (a < b && is_space(p->src[a]))
		a++;
	while (b > a && is_space(p->src[b - 1]))
		b--;
	*raw = p->src + a;
	*rawlen = b - a;
	*dyn = 0;
	if (a < b && p->src[a] == '*') {
		*dyn = 1;
		a++;
		while (a < b && is_space(p->src[a]))
			a++;
	}
	if (a == b)
		return perr(p, ODC_EINVALID, line, "empty tag name");
	for (size_t i = a; i < b; i++)
		if (is_space(p->src[i]))
			return perr(p, ODC_EINVALID, line, "tag name '%.*s' contains whitespace",
				    (int)(b - a > 60 ? 60 : b - a), p->src + a);
	*name = p->src + a;
	*nlen = b - a;
	return 0;
}

/* Kinds without dynamic names keep the star as part of the name, so the
 * trimmed content must itself be free of whitespace. */
static int plain_name(struct parser *p, size_t line, const char *raw, size_t rawlen)
{
	for (size_t i = 0; i < rawlen; i++)
		if (is_space(raw[i]))
			return perr(p, ODC_EINVALID, line, "tag name '%.*s' contains whitespace",
				    (int)(rawlen > 60 ? 60 : rawlen), raw);
	return 0;
}

static int push_open(struct parser *p, size_t node, size_t line, int dyn, const char *name,
		     size_t nlen)
{
	if (p->depth >= MAX_SECTION_DEPTH)
		return perr(p, ODC_ELIMIT, line, "sections nested deeper than %d levels",
			    MAX_SECTION_DEPTH);
	if (p->depth == p->cap) {
		p->cap = p->cap ? p->cap * 2 : 16;
		p->stack = xrealloc(p->stack, p->cap * sizeof *p->stack);
	}
	struct open_tag *o = &p->stack[p->depth];
	memset(o, 0, sizeof *o);
	o->node = node;
	o->line = line;
	o->col = p->col;
	o->dyn = dyn;
	o->name = name;
	o->nlen = nlen;
	o->bol = NONE;
	/* Content inherits the enclosing indentation to strip; argument blocks
	 * replace it once their open tag is known to end its line. */
	current_strip(p, &o->strip, &o->striplen);
	p->depth++;
	return 0;
}

static const char *kind_word(int kind)
{
	switch (kind) {
	case N_INVERTED: return "inverted section";
	case N_PARENT: return "parent";
	case N_BLOCK: return "block";
	default: return "section";
	}
}

/*
 * Finds the end of a tag whose content starts at from and must be closed by
 * `ch` followed by the closing delimiter ("}}}" for a triple mustache, "=}}"
 * for a delimiter change). Stores the content end in *ce and returns the
 * offset just past the tag, or NONE.
 */
static size_t find_close_after(const struct parser *p, size_t from, char ch, size_t *ce)
{
	size_t at = from;
	for (;;) {
		size_t c = find(p->src, p->len, at, p->ctag, p->clen);
		if (c == NONE)
			return NONE;
		if (c > from && p->src[c - 1] == ch) {
			*ce = c - 1;
			return c + p->clen;
		}
		at = c + 1;
	}
}

/* Parses "{{=<% %>=}}" content [a, b) into the new delimiters. */
static int set_delims(struct parser *p, size_t line, size_t a, size_t b)
{
	size_t o1, o2, c1, c2;

	while (a < b && is_space(p->src[a]))
		a++;
	while (b > a && is_space(p->src[b - 1]))
		b--;
	o1 = a;
	while (a < b && !is_space(p->src[a]))
		a++;
	o2 = a;
	while (a < b && is_space(p->src[a]))
		a++;
	c1 = a;
	while (a < b && !is_space(p->src[a]))
		a++;
	c2 = a;
	if (o1 == o2 || c1 == c2 || c2 != b || memchr(p->src + o1, '=', o2 - o1) ||
	    memchr(p->src + c1, '=', c2 - c1))
		return perr(p, ODC_EINVALID, line,
			    "bad delimiter change: want two delimiters without '=' or whitespace");
	p->otag = p->src + o1;
	p->olen = o2 - o1;
	p->ctag = p->src + c1;
	p->clen = c2 - c1;
	return 0;
}

/* One tag as scanned, before its kind is handled. */
struct tag {
	char sigil;         /* first byte inside the opening delimiter */
	size_t start;       /* offset of the opening delimiter */
	size_t end;         /* offset just past the closing delimiter */
	size_t cs, ce;      /* content, without sigil or closing '}' / '=' */
	size_t line;
	size_t ls;          /* start of the blanks before the tag on its line */
	size_t after;       /* past the blanks and line ending after it, or NONE */
	int lc, rc;         /* nothing else on the line before / after the tag */
	int dyn;            /* the name, for tags that have one (see tag_name) */
	const char *name, *raw;
	size_t nlen, rawlen;
};

/*
 * Scans the tag whose opening delimiter is at start: where it ends (the
 * sigil decides what closes it: "}" + delimiter for a triple mustache,
 * "=" + delimiter for a delimiter change) and whether it stands alone on
 * its line. Returns 0, or ODC_EINVALID when it is never closed.
 */
static int scan_tag(struct parser *p, size_t start, struct tag *g)
{
	size_t q = start + p->olen, r;

	memset(g, 0, sizeof *g);
	g->start = start;
	g->line = line_at(p, &p->tags, start);
	p->col = p->tags.col + 1;
	g->sigil = q < p->len ? p->src[q] : '\0';
	g->cs = q;
	g->end = NONE;
	if (q >= p->len) {
		g->end = NONE;
	} else if (g->sigil == '{' || g->sigil == '=') {
		g->cs = q + 1;
		g->end = find_close_after(p, g->cs, g->sigil == '{' ? '}' : '=', &g->ce);
	} else {
		if (g->sigil != '\0' && strchr("&!#^/><$", g->sigil))
			g->cs = q + 1;
		g->ce = find(p->src, p->len, g->cs, p->ctag, p->clen);
		g->end = g->ce == NONE ? NONE : g->ce + p->clen;
	}
	if (g->end == NONE)
		return perr(p, ODC_EINVALID, g->line, "tag opened with '%.*s' is not closed",
			    (int)(p->olen > 20 ? 20 : p->olen), p->otag);

	/* Clear on the left: only blanks back to a line start, with no other
	 * tag in between (p->pos is just past the previous one). Clear on the
	 * right: only blanks up to a line ending or the end of the source. */
	g->ls = start;
	while (g->ls > p->pos && is_blank(p->src[g->ls - 1]))
		g->ls--;
	g->lc = line_start(p, g->ls);
	r = g->end + blank_run(p, g->end);
	g->after = NONE;
	if (r == p->len)
		g->after = r;
	else if (p->src[r] == '\n')
		g->after = r + 1;
	else if (p->src[r] == '\r' && r + 1 < p->len && p->src[r + 1] == '\n')
		g->after = r + 2;
	g->rc = g->after != NONE;
	return 0;
}

/*
 * Turns the text before tag g into nodes and moves past the tag. A
 * standalone tag takes the blanks before it and its line ending along; any
 * other tag begins or continues a kept line.
 */
static void place(struct parser *p, const struct tag *g, int alone)
{
	if (alone) {
		emit_text(p, p->pos, g->ls, 0);
		p->pos = g->after;
	} else {
		emit_text(p, p->pos, g->start, 1);
		p->pos = g->end;
	}
}

/* The blanks run s[0..n), less the indentation being stripped around it. */
static void relative_ws(const struct parser *p, const char *s, size_t n, const char **ws,
			size_t *wslen)
{
	const char *strip;
	size_t striplen, k;

	current_strip(p, &strip, &striplen);
	k = common_ws(s, n, strip, striplen);
	*ws = s + k;
	*wslen = n - k;
}

static size_t add_named(struct parser *p, int kind, const struct tag *g, int use_raw)
{
	size_t i = add_node(p, kind, g->line);
	p->t->nodes[i].str = use_raw ? g->raw : g->name;
	p->t->nodes[i].len = use_raw ? g->rawlen : g->nlen;
	if (!use_raw && g->dyn)
		p->t->nodes[i].flags = NF_DYNAMIC;
	return i;
}

/* {{#name}} and {{^name}}. */
static int parse_section(struct parser *p, struct tag *g)
{
	int rc;
	if ((rc = plain_name(p, g->line, g->raw, g->rawlen)) < 0)
		return rc;
	place(p, g, g->lc && g->rc);
	size_t i = add_named(p, g->sigil == '#' ? N_SECTION : N_INVERTED, g, 1);
	return push_open(p, i, g->line, g->dyn, g->name, g->nlen);
}

/* {{>name}} and {{>*name}}: a standalone one indents its expansion. */
static int parse_partial(struct parser *p, struct tag *g)
{
	int alone = g->lc && g->rc;
	const char *ws = NULL;
	size_t wslen = 0;

	if (alone)
		relative_ws(p, p->src + g->ls, g->start - g->ls, &ws, &wslen);
	place(p, g, alone);
	size_t i = add_named(p, N_PARTIAL, g, 0);
	if (alone) {
		p->t->nodes[i].flags |= NF_STANDALONE;
		p->t->nodes[i].ws = ws;
		p->t->nodes[i].wslen = wslen;
	}
	return 0;
}

/*
 * {{<name}}. Whether the blanks before it are indentation or text is known
 * only at its end tag, so they become nodes now, remembered from the line's
 * N_BOL on, and parse_close neutralises them if the parent is standalone.
 */
static int parse_parent(struct parser *p, struct tag *g)
{
	const char *ws = NULL;
	size_t wslen = 0, bol, i;
	int rc;

	if (g->lc)
		relative_ws(p, p->src + g->ls, g->start - g->ls, &ws, &wslen);
	emit_text(p, p->pos, g->start, 1);
	bol = g->lc ? p->last_bol : NONE;
	p->pos = g->end;
	i = add_named(p, N_PARENT, g, 0);
	if ((rc = push_open(p, i, g->line, g->dyn, g->name, g->nlen)) < 0)
		return rc;
	struct open_tag *o = &p->stack[p->depth - 1];
	o->bol = bol;
	o->left_clear = g->lc;
	o->ws = ws;
	o->wslen = wslen;
	return 0;
}

/* {{$name}}: an argument when directly inside a parent, else a parameter. */
static int parse_block(struct parser *p, struct tag *g)
{
	const struct open_tag *top = p->depth ? &p->stack[p->depth - 1] : NULL;
	int arg = top && p->t->nodes[top->node].kind == N_PARENT;
	int alone = g->lc && g->rc, flags = 0, rc;
	const char *ws = NULL;
	size_t wslen = 0, i;

	if ((rc = plain_name(p, g->line, g->raw, g->rawlen)) < 0)
		return rc;
	if (arg) {
		/* Text around an argument is parent text, ignored; only the right
		 * side decides whether the line ending belongs to the tag. */
		emit_text(p, p->pos, g->start, 0);
		p->pos = g->rc ? g->after : g->end;
		flags = NF_ARG | (g->rc ? NF_CONTENT_BOL : 0);
	} else if (alone) {
		/* Reindent an argument by the intrinsic indentation of the
		 * default content: the blanks starting the next line. */
		relative_ws(p, p->src + g->after, blank_run(p, g->after), &ws, &wslen);
		flags = NF_OPEN_ALONE;
		place(p, g, 1);
	} else {
		if (g->lc)
			relative_ws(p, p->src + g->ls, g->start - g->ls, &ws, &wslen);
		place(p, g, 0);
	}
	i = add_named(p, N_BLOCK, g, 1);
	p->t->nodes[i].flags = (unsigned char)flags;
	if (flags & NF_OPEN_ALONE) {
		p->t->nodes[i].ws = ws;
		p->t->nodes[i].wslen = wslen;
	}
	if ((rc = push_open(p, i, g->line, g->dyn, g->name, g->nlen)) < 0)
		return rc;
	struct open_tag *o = &p->stack[p->depth - 1];
	if (arg) {
		/* An argument is a template of its own: its intrinsic indentation
		 * replaces whatever the enclosing content strips. */
		o->strip = g->rc ? p->src + g->after : NULL;
		o->striplen = g->rc ? blank_run(p, g->after) : 0;
	} else if (!alone && g->lc) {
		o->left_clear = 1; /* a pair if the end tag clears the right */
		o->ws = ws;
		o->wslen = wslen;
	}
	return 0;
}

/* {{/name}}: closes the innermost open container, which must match. */
static int parse_close(struct parser *p, struct tag *g)
{
	struct open_tag *o = p->depth ? &p->stack[p->depth - 1] : NULL;

	if (!o)
		return perr(p, ODC_EINVALID, g->line, "end tag '%.*s' has no open section",
			    (int)(g->rawlen > 60 ? 60 : g->rawlen), g->raw);
	if (o->dyn != g->dyn || o->nlen != g->nlen || memcmp(o->name, g->name, g->nlen) != 0)
		return perr(p, ODC_EINVALID, g->line,
			    "end tag '%.*s' does not match %s '%s%.*s' opened on line %zu",
			    (int)(g->rawlen > 60 ? 60 : g->rawlen), g->raw,
			    kind_word(p->t->nodes[o->node].kind), o->dyn ? "*" : "",
			    (int)(o->nlen > 60 ? 60 : o->nlen), o->name, o->line);

	/* emit_text may move the node array: reach the open node by index,
	 * never through a pointer held across it. */
	size_t ni = o->node;
	int kind = p->t->nodes[ni].kind, flags = p->t->nodes[ni].flags;
	if (kind == N_PARENT) {
		/* Text before a parent's end tag is ignored. The parent is
		 * standalone when its open tag began its line and its end tag
		 * ends one; then the end tag takes the line ending. */
		emit_text(p, p->pos, g->start, 0);
		p->pos = g->end;
		if (g->rc && o->left_clear && o->bol != NONE) {
			p->pos = g->after;
			for (size_t k = o->bol; k < ni; k++)
				p->t->nodes[k].kind = N_NOP;
			p->t->nodes[ni].flags |= NF_STANDALONE;
			p->t->nodes[ni].ws = o->ws;
			p->t->nodes[ni].wslen = o->wslen;
		}
	} else if (kind == N_BLOCK && (flags & NF_ARG)) {
		/* An argument ends like a file: blanks before its end tag on a
		 * line of their own are not content; what follows is parent text. */
		emit_text(p, p->pos, g->lc ? g->ls : g->start, 0);
		p->pos = g->end;
	} else {
		place(p, g, g->lc && g->rc);
		if (kind == N_BLOCK && !(flags & NF_OPEN_ALONE) && o->left_clear && g->rc) {
			p->t->nodes[ni].flags |= NF_PAIR_ALONE;
			p->t->nodes[ni].ws = o->ws;
			p->t->nodes[ni].wslen = o->wslen;
		}
	}
	p->t->nodes[ni].end = p->t->n;
	p->depth--;
	return 0;
}

/*
 * Parses t->src into t->nodes. Returns 0, or ODC_EINVALID / ODC_ELIMIT with
 * a message in err.
 */
static int parse_tpl(struct tpl *t, char *err, size_t errlen, odc_tpl_where *where)
{
	struct parser ps = {0};
	struct parser *p = &ps;
	struct tag g;
	int rc = 0;

	p->t = t;
	p->src = t->src;
	p->len = t->len;
	p->otag = "{{";
	p->olen = 2;
	p->ctag = "}}";
	p->clen = 2;
	p->tags.line = p->text.line = 1;
	p->err = err;
	p->errlen = errlen;
	p->where = where;

	for (;;) {
		size_t start = find(p->src, p->len, p->pos, p->otag, p->olen);
		if (start == NONE) {
			emit_text(p, p->pos, p->len, 0);
			break;
		}
		if ((rc = scan_tag(p, start, &g)) < 0)
			break;
		if (g.sigil != '!' && g.sigil != '=' &&
		    (rc = tag_name(p, g.line, g.cs, g.ce, &g.dyn, &g.name, &g.nlen, &g.raw,
				   &g.rawlen)) < 0)
			break;
		switch (g.sigil) {
		case '!':
			place(p, &g, g.lc && g.rc);
			break;
		case '=':
			place(p, &g, g.lc && g.rc);
			rc = set_delims(p, g.line, g.cs, g.ce);
			break;
		case '#':
		case '^':
			rc = parse_section(p, &g);
			break;
		case '>':
			rc = parse_partial(p, &g);
			break;
		case '<':
			rc = parse_parent(p, &g);
			break;
		case '$':
			rc = parse_block(p, &g);
			break;
		case '/':
			rc = parse_close(p, &g);
			break;
		default:
			/* Interpolation is never standalone. */
			if ((rc = plain_name(p, g.line, g.raw, g.rawlen)) < 0)
				break;
			place(p, &g, 0);
			add_named(p, g.sigil == '{' || g.sigil == '&' ? N_RAW : N_VAR, &g, 1);
			break;
		}
		if (rc < 0)
			break;
	}
	if (rc == 0 && p->depth) {
		struct open_tag *o = &p->stack[p->depth - 1];
		p->col = o->col;
		rc = perr(p, ODC_EINVALID, o->line, "%s '%s%.*s' is not closed",
			  kind_word(p->t->nodes[o->node].kind), o->dyn ? "*" : "",
			  (int)(o->nlen > 60 ? 60 : o->nlen), o->name);
	}
	free(p->stack);
	return rc;
}

/*============================== Rendering ==============================*/

/* One argument block passed to a parent, and the frames chaining them. */
struct ovr {
	const char *name;
	size_t len;
	const struct tpl *t; /* the template holding the argument */
	size_t node;         /* its N_BLOCK node */
};

struct ovr_frame {
	const struct ovr *v;
	size_t n;
	json_t *index;                 /* name -> position in v, when n is large */
	const struct ovr_frame *outer;
};

/* Frames with more arguments than this get a hash index, so that many
 * blocks times many arguments stays linear. */
#define OVR_INDEX_MIN 16

/* What a render_range call inherits from its caller. */
struct scope {
	const char *prefix;           /* indentation printed at each N_BOL */
	size_t plen;
	const struct ovr_frame *ovr;  /* block overrides in effect */
};

struct render {
	odc_buf *out;
	size_t base;             /* out->len at the start, for the output cap */
	odc_partial_fn fn;
	void *payload;
	json_t **ctx;            /* the context stack (borrowed values) */
	size_t nctx, capctx;
	json_t *cache;           /* partial name -> index into tpls, or -1 for missing */
	struct tpl **tpls;       /* parsed partials, owned */
	size_t ntpl, captpl;
	const char *lead;        /* printed before the next output, if any */
	size_t leadlen;
	size_t bol_skip;         /* bytes of prefix the next N_BOL leaves out */
	size_t depth, nest;      /* render recursion; partial/parent nesting */
	unsigned long steps;     /* nodes visited and context frames searched */
	int err;                 /* first error; rendering stops once set */
	char *errbuf;
	size_t errlen;
	odc_tpl_where *where;
	int strict;              /* missing partials and strict names are errors */
	const char *strict_prefix;
	size_t strict_plen;
};

static void rfail(struct render *r, int code, const struct tpl *t, size_t line, size_t col,
		  const char *fmt, ...) __attribute__((format(printf, 6, 7)));
static void rfail(struct render *r, int code, const struct tpl *t, size_t line, size_t col,
		  const char *fmt, ...)
{
	va_list ap;
	if (r->err)
		return;
	r->err = code;
	va_start(ap, fmt);
	fmt_err(r->errbuf, r->errlen, r->where, code, t, line, col, fmt, ap);
	va_end(ap);
}

static void check_output(struct render *r)
{
	if (r->out->len - r->base > MAX_OUTPUT && !r->err) {
		r->err = ODC_ELIMIT;
		if (r->errbuf && r->errlen)
			snprintf(r->errbuf, r->errlen, "output exceeds %zu bytes", MAX_OUTPUT);
	}
}

/* Appends s[0..n), after any pending lead; nothing at all when n is 0. */
static void out_put(struct render *r, const char *s, size_t n, int escape)
{
	if (n == 0 || r->err)
		return;
	if (r->lead) {
		buf_put(r->out, r->lead, r->leadlen);
		r->lead = NULL;
	}
	if (escape)
		escape_html(r->out, s, n);
	else
		buf_put(r->out, s, n);
	check_output(r);
}

static void ctx_push(struct render *r, json_t *v)
{
	if (r->nctx == r->capctx) {
		r->capctx = r->capctx ? r->capctx * 2 : 16;
		r->ctx = xrealloc(r->ctx, r->capctx * sizeof *r->ctx);
	}
	r->ctx[r->nctx++] = v;
}

/*
 * Resolves a (dotted) name as the spec says: "." is the top of the context
 * stack; otherwise the first part is looked up from the top of the stack
 * down in objects only, and each further part only in the value the previous
 * part gave. Returns a borrowed value or NULL. The frames searched count as
 * work, as a missing name deep in nested sections searches them all.
 */
static json_t *lookup(struct render *r, const char *name, size_t len)
{
	const char *dot;
	size_t seg;
	json_t *v = NULL;

	if (len == 1 && name[0] == '.')
		return r->nctx ? r->ctx[r->nctx - 1] : NULL;
	dot = memchr(name, '.', len);
	seg = dot ? (size_t)(dot - name) : len;
	for (size_t i = r->nctx; i > 0; i--) {
		r->steps++;
		if (json_is_object(r->ctx[i - 1]) && (v = json_object_getn(r->ctx[i - 1], name, seg)))
			break;
	}
	while (v && dot) {
		len -= seg + 1;
		name = dot + 1;
		dot = memchr(name, '.', len);
		seg = dot ? (size_t)(dot - name) : len;
		v = json_is_object(v) ? json_object_getn(v, name, seg) : NULL;
	}
	return v;
}

/* lookup() of a tag's name; in strict mode a name starting with the
 * strict prefix that resolves to nothing stops the render. */
static json_t *lookup_strict(struct render *r, const struct tpl *t, const struct node *n)
{
	json_t *v = lookup(r, n->str, n->len);
	if (!v && r->strict && r->strict_plen && n->len > r->strict_plen &&
	    !memcmp(n->str, r->strict_prefix, r->strict_plen))
		rfail(r, ODC_ENOTFOUND, t, n->line, n->col, "'%.*s' is not defined",
		      (int)(n->len > 80 ? 80 : n->len), n->str);
	return v;
}

/* Falsey: missing, null, false, an empty array, the empty string. */
static int truthy(const json_t *v)
{
	if (!v)
		return 0;
	switch (json_typeof(v)) {
	case JSON_NULL:
	case JSON_FALSE:
		return 0;
	case JSON_ARRAY:
		return json_array_size(v) > 0;
	case JSON_STRING:
		return json_string_length(v) > 0;
	default:
		return 1;
	}
}

/*
 * The text of a scalar as the spec prints it, in s and n (tmp holds numbers;
 * 32 bytes suffice for "%.17g" and any 64-bit integer). Reals use the
 * shortest of %.15g, %.16g and %.17g that reads back as the same double, so
 * 1.21 stays "1.21" rather than "1.2099999999999999645".
 */
static void scalar_text(const json_t *v, char tmp[32], const char **s, size_t *n)
{
	*s = "";
	*n = 0;
	if (!v)
		return;
	switch (json_typeof(v)) {
	case JSON_STRING:
		*s = json_string_value(v);
		*n = json_string_length(v);
		break;
	case JSON_INTEGER:
		*n = (size_t)snprintf(tmp, 32, "%" JSON_INTEGER_FORMAT, json_integer_value(v));
		*s = tmp;
		break;
	case JSON_REAL: {
		double d = json_real_value(v);
		for (int prec = 15; prec <= 17; prec++) {
			snprintf(tmp, 32, "%.*g", prec, d);
			if (strtod(tmp, NULL) == d)
				break;
		}
		*s = tmp;
		*n = strlen(tmp);
		break;
	}
	case JSON_TRUE:
		*s = "true";
		*n = 4;
		break;
	case JSON_FALSE:
		*s = "false";
		*n = 5;
		break;
	default:
		break;
	}
}

/*
 * Returns the parsed partial `name`, asking the callback and parsing on
 * first use; NULL when it does not exist or on error (then r->err is set).
 */
static const struct tpl *load_partial(struct render *r, const char *name, size_t len,
				      const struct tpl *from, const struct node *at)
{
	json_t *hit = r->cache ? json_object_getn(r->cache, name, len) : NULL;
	char *src = NULL;
	size_t slen = 0;
	int rc;

	if (hit) {
		json_int_t i = json_integer_value(hit);
		/* a cached index >= 0 exists only once tpls holds that template */
		/* NOLINTNEXTLINE(clang-analyzer-core.NullDereference) */
		return i < 0 ? NULL : r->tpls[i];
	}
	char *cname = xstrndup(name, len);
	rc = r->fn ? r->fn(r->payload, cname, &src, &slen) : ODC_ENOTFOUND;
	if (rc == ODC_ENOTFOUND) {
		free(src);
		if (r->strict)
			rfail(r, ODC_ENOTFOUND, from, at->line, at->col, "partial '%.60s' not found", cname);
		free(cname);
		if (r->cache)
			json_object_setn_new_nocheck(r->cache, name, len, json_integer(-1));
		return NULL;
	}
	if (rc != 0) {
		free(src);
		rfail(r, rc < 0 ? rc : ODC_EIO, from, at->line, at->col, "partial '%.60s' could not be read",
		      cname);
		free(cname);
		return NULL;
	}
	struct tpl *t = xcalloc(1, sizeof *t);
	t->owned = src ? src : xstrdup("");
	t->src = t->owned;
	t->len = src ? slen : 0;
	t->name = cname;
	if (r->ntpl == r->captpl) {
		r->captpl = r->captpl ? r->captpl * 2 : 8;
		r->tpls = xrealloc(r->tpls, r->captpl * sizeof *r->tpls);
	}
	r->tpls[r->ntpl++] = t;
	if ((rc = parse_tpl(t, r->errbuf, r->errlen, r->where)) < 0) {
		r->err = rc;
		return NULL;
	}
	if (r->cache)
		json_object_setn_new_nocheck(r->cache, name, len,
					     json_integer((json_int_t)(r->ntpl - 1)));
	return t;
}

/*
 * The name a partial or parent tag refers to: as written, or for a dynamic
 * name the text of the value it resolves to (empty when it does not).
 */
static void target_name(struct render *r, const struct node *n, char tmp[32],
			const char **s, size_t *len)
{
	if (n->flags & NF_DYNAMIC) {
		scalar_text(lookup(r, n->str, n->len), tmp, s, len);
	} else {
		*s = n->str;
		*len = n->len;
	}
}

/* prefix + ws, allocated only when both are non-empty (*owned then set). */
static const char *join(const char *a, size_t alen, const char *b, size_t blen, size_t *len,
			char **owned)
{
	*owned = NULL;
	*len = alen + blen;
	if (!blen)
		return a;
	if (!alen)
		return b;
	*owned = xmalloc(alen + blen);
	memcpy(*owned, a, alen);
	memcpy(*owned + alen, b, blen);
	return *owned;
}

/* The argument for block `name`: the outermost one wins, as the spec's
 * multi-level inheritance tests require. */
static const struct ovr *find_override(const struct ovr_frame *f, const char *name, size_t len)
{
	const struct ovr *hit = NULL;
	for (; f; f = f->outer) {
		if (f->index) {
			json_t *i = json_object_getn(f->index, name, len);
			if (i)
				hit = &f->v[json_integer_value(i)];
			continue;
		}
		for (size_t i = 0; i < f->n; i++)
			if (f->v[i].len == len && memcmp(f->v[i].name, name, len) == 0)
				hit = &f->v[i];
	}
	return hit;
}

static void render_range(struct render *r, const struct tpl *t, size_t from, size_t to,
			 const struct scope *sc);

/* Counts one unit of work; returns 0 once the budget is spent (error set),
 * so templates that expand exponentially without output still end. */
static int step(struct render *r, const struct tpl *t, size_t line)
{
	if (++r->steps <= MAX_STEPS)
		return 1;
	rfail(r, ODC_ELIMIT, t, line, 0, "rendering takes more than %lu steps", MAX_STEPS);
	return 0;
}

/* Renders a partial or parent's template; args are a parent's argument blocks. */
static void expand(struct render *r, const struct tpl *t, const struct node *n,
		   const struct scope *sc, const struct ovr_frame *args)
{
	char tmp[32], *owned = NULL;
	const char *name;
	size_t nlen;
	const struct tpl *pt;
	struct scope s2;

	target_name(r, n, tmp, &name, &nlen);
	if (!nlen)
		return;
	if (r->nest >= MAX_PARTIAL_DEPTH) {
		rfail(r, ODC_ELIMIT, t, n->line, n->col,
		      "partials and parents nested deeper than %d levels (at '%.*s')",
		      MAX_PARTIAL_DEPTH, (int)(nlen > 60 ? 60 : nlen), name);
		return;
	}
	if (!(pt = load_partial(r, name, nlen, t, n)))
		return;
	/* A standalone tag indents the whole expansion; an inline one leaves
	 * the expansion's later lines at the left margin, as if the partial's
	 * text were pasted in. */
	if (n->flags & NF_STANDALONE) {
		s2.prefix = join(sc->prefix, sc->plen, n->ws, n->wslen, &s2.plen, &owned);
	} else {
		s2.prefix = "";
		s2.plen = 0;
	}
	s2.ovr = args ? args : sc->ovr;
	r->nest++;
	render_range(r, pt, 0, pt->n, &s2);
	r->nest--;
	free(owned);
}

static void render_parent(struct render *r, const struct tpl *t, size_t i, const struct scope *sc)
{
	const struct node *n = &t->nodes[i];
	struct ovr *v = NULL;
	size_t nv = 0, cap = 0, j = i + 1;

	/* Only blocks directly inside the parent are arguments; anything else
	 * in it is ignored text (or tags the spec gives no meaning there). */
	while (j < n->end) {
		const struct node *c = &t->nodes[j];
		if (c->kind == N_BLOCK) {
			if (nv == cap) {
				cap = cap ? cap * 2 : 4;
				v = xrealloc(v, cap * sizeof *v);
			}
			v[nv].name = c->str;
			v[nv].len = c->len;
			v[nv].t = t;
			v[nv].node = j;
			nv++;
		}
		j = c->end > j ? c->end : j + 1;
	}
	struct ovr_frame f = {v, nv, NULL, sc->ovr};
	if (nv > OVR_INDEX_MIN && (f.index = json_object()))
		for (size_t k = 0; k < nv; k++) /* a later duplicate wins, as in the scan */
			json_object_setn_new_nocheck(f.index, v[k].name, v[k].len,
						     json_integer((json_int_t)k));
	expand(r, t, n, sc, &f);
	json_decref(f.index);
	free(v);
}

/*
 * Renders parameter block n: its default content, or the argument that
 * overrides it, reindented for where the block stands (see the top of the
 * file). Pending lead and skip are restored when the argument printed
 * nothing, so an empty argument leaves no stray indentation behind.
 */
static void render_block(struct render *r, const struct tpl *t, size_t i, const struct scope *sc)
{
	const struct node *n = &t->nodes[i];
	const struct ovr *a = find_override(sc->ovr, n->str, n->len);

	if (!a) {
		render_range(r, t, i + 1, n->end, sc);
		return;
	}
	const struct node *an = &a->t->nodes[a->node];
	const char *old_lead = r->lead;
	size_t old_leadlen = r->leadlen, old_skip = r->bol_skip, mark = r->out->len;
	char *owned;
	struct scope s2;

	s2.prefix = join(sc->prefix, sc->plen, n->ws, n->wslen, &s2.plen, &owned);
	s2.ovr = sc->ovr;
	if (n->flags & NF_OPEN_ALONE) {
		/* The block's own line is gone: the argument starts a line. */
		if (!(an->flags & NF_CONTENT_BOL)) {
			r->lead = s2.prefix;
			r->leadlen = s2.plen;
		}
	} else if (an->flags & NF_CONTENT_BOL) {
		/* The argument's first line continues the block's line, whose
		 * indentation was already printed as text. */
		r->bol_skip = s2.plen;
	}
	render_range(r, a->t, a->node + 1, an->end, &s2);
	if (r->out->len != mark) {
		r->lead = NULL;
		r->bol_skip = 0;
	} else {
		r->lead = old_lead;
		r->leadlen = old_leadlen;
		r->bol_skip = old_skip;
	}
	free(owned);
}

static void render_section(struct render *r, const struct tpl *t, size_t i, const struct scope *sc)
{
	const struct node *n = &t->nodes[i];
	json_t *v = lookup_strict(r, t, n);

	if (n->kind == N_INVERTED) {
		if (!truthy(v))
			render_range(r, t, i + 1, n->end, sc);
		return;
	}
	if (json_is_array(v)) {
		size_t k, size = json_array_size(v);
		for (k = 0; k < size && !r->err; k++) {
			if (!step(r, t, n->line))
				break;
			ctx_push(r, json_array_get(v, k));
			render_range(r, t, i + 1, n->end, sc);
			r->nctx--;
		}
	} else if (truthy(v)) {
		ctx_push(r, v);
		render_range(r, t, i + 1, n->end, sc);
		r->nctx--;
	}
}

static void render_range(struct render *r, const struct tpl *t, size_t from, size_t to,
			 const struct scope *sc)
{
	size_t i = from;

	if (from >= to)
		return;
	if (++r->depth > MAX_RENDER_DEPTH) {
		rfail(r, ODC_ELIMIT, t, t->nodes[from].line, t->nodes[from].col, "templates nested deeper than %d levels",
		      MAX_RENDER_DEPTH);
		r->depth--;
		return;
	}
	while (i < to && !r->err) {
		const struct node *n = &t->nodes[i];
		if (!step(r, t, n->line))
			break;
		switch (n->kind) {
		case N_TEXT:
			out_put(r, n->str, n->len, 0);
			break;
		case N_BOL: {
			size_t skip = r->bol_skip < sc->plen ? r->bol_skip : sc->plen;
			r->bol_skip = 0;
			out_put(r, sc->prefix + skip, sc->plen - skip, 0);
			break;
		}
		case N_VAR:
		case N_RAW: {
			char tmp[32];
			const char *s;
			size_t len;
			scalar_text(lookup_strict(r, t, n), tmp, &s, &len);
			out_put(r, s, len, n->kind == N_VAR);
			break;
		}
		case N_SECTION:
		case N_INVERTED:
			render_section(r, t, i, sc);
			break;
		case N_PARTIAL:
			expand(r, t, n, sc, NULL);
			break;
		case N_PARENT:
			render_parent(r, t, i, sc);
			break;
		case N_BLOCK:
			render_block(r, t, i, sc);
			break;
		default:
			break;
		}
		i = n->end > i ? n->end : i + 1;
	}
	r->depth--;
}

int template_render_opts(odc_buf *out, const char *src, size_t len, json_t *data,
			 const odc_tpl_opts *o, char *err, size_t errlen)
{
	struct tpl root = {0};
	struct render r = {0};
	struct scope sc = {"", 0, NULL};
	int rc;

	if (err && errlen)
		err[0] = '\0';
	if (o->where)
		memset(o->where, 0, sizeof(*o->where));
	root.src = src ? src : "";
	root.len = src ? len : 0;
	if ((rc = parse_tpl(&root, err, errlen, o->where)) < 0)
		goto done;

	r.out = out;
	r.base = out->len;
	r.fn = o->partials;
	r.payload = o->payload;
	r.errbuf = err;
	r.errlen = errlen;
	r.where = o->where;
	r.strict = o->strict;
	r.strict_prefix = o->strict_prefix;
	r.strict_plen = o->strict_prefix ? strlen(o->strict_prefix) : 0;
	r.cache = json_object();
	ctx_push(&r, data);
	render_range(&r, &root, 0, root.n, &sc);
	rc = r.err;
done:
	for (size_t i = 0; i < r.ntpl; i++) {
		tpl_free(r.tpls[i]);
		free(r.tpls[i]);
	}
	free(r.tpls);
	free(r.ctx);
	json_decref(r.cache);
	tpl_free(&root);
	return rc;
}

int template_render(odc_buf *out, const char *src, size_t len, json_t *data,
		    odc_partial_fn partials, void *payload, char *err, size_t errlen)
{
	odc_tpl_opts o = {partials, payload, 0, NULL, NULL};
	return template_render_opts(out, src, len, data, &o, err, errlen);
}

int template_names(const char *src, size_t len, odc_tpl_name_fn fn, void *payload,
		   odc_tpl_where *where, char *err, size_t errlen)
{
	struct tpl t = {0};
	int rc;

	if (err && errlen)
		err[0] = '\0';
	if (where)
		memset(where, 0, sizeof(*where));
	t.src = src ? src : "";
	t.len = src ? len : 0;
	rc = parse_tpl(&t, err, errlen, where);
	for (size_t i = 0; rc == 0 && i < t.n; i++) {
		const struct node *n = &t.nodes[i];
		int partial = n->kind == N_PARTIAL || n->kind == N_PARENT;
		if (n->kind != N_VAR && n->kind != N_RAW && n->kind != N_SECTION &&
		    n->kind != N_INVERTED && !partial)
			continue;
		if (partial && (n->flags & NF_DYNAMIC))
			continue;
		rc = fn(payload, partial, n->str, n->len, n->line, n->col);
	}
	tpl_free(&t);
	return rc;
}
