/*
 * cache.c — the incremental build cache (see cache.h).
 */
#define _GNU_SOURCE
#include "cache.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

#include "digest.h"
#include "odc.h"
#include "out.h"
#include "repo.h"

#define CACHE_FORMAT "odcat-cache-3"
#define RECORD_MAGIC "ODCR1\n"
#define RECORD_DEPTH 64

/* mkdir -p of path (absolute or relative). */
static int mkdirs(const char *path)
{
	char *p = xstrdup(path), *s;
	int rc = 0;
	for (s = strchr(p + 1, '/');; s = strchr(s + 1, '/')) {
		if (s)
			*s = '\0';
		if (mkdir(p, 0755) < 0 && errno != EEXIST)
			rc = -1;
		if (!s)
			break;
		*s = '/';
	}
	free(p);
	return rc;
}

int cache_open(odc_cache *c, const char *dir, odc_buf *msg)
{
	odc_buf p = ODC_BUF_INIT;
	struct stat st;

	memset(c, 0, sizeof(*c));
	c->dirfd = -1;
	buf_printf(&p, "%s/v1", dir);
	if (mkdirs(p.ptr) < 0 || stat(p.ptr, &st) < 0 || !S_ISDIR(st.st_mode)) {
		buf_printf(msg, "cannot create the cache folder %s: %s", p.ptr, strerror(errno));
		buf_free(&p);
		return ODC_EIO;
	}
	c->dir = buf_detach(&p);
	/* Records are opened relative to it: one path walk less per record. */
	c->dirfd = open(c->dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	return ODC_OK;
}

void cache_free(odc_cache *c)
{
	free(c->dir);
	c->dir = NULL;
	if (c->dirfd > 0)
		close(c->dirfd);
	c->dirfd = -1;
}

/*--------------------------------------------------------------------
 * The record's binary form (cache.h)
 *------------------------------------------------------------------*/

static void put_varint(odc_buf *b, size_t v)
{
	unsigned char c;
	do {
		c = (unsigned char)(v & 0x7f);
		v >>= 7;
		if (v)
			c |= 0x80;
		buf_put(b, &c, 1);
	} while (v);
}

static void put_u64(odc_buf *b, uint64_t v)
{
	unsigned char c[8];
	int i;
	for (i = 0; i < 8; i++)
		c[i] = (unsigned char)(v >> (8 * i));
	buf_put(b, c, 8);
}

static void pack(odc_buf *b, const json_t *v)
{
	const char *k;
	json_t *x;
	size_t i;

	switch (json_typeof(v)) {
	case JSON_OBJECT:
		buf_put(b, "o", 1);
		put_varint(b, json_object_size(v));
		json_object_foreach((json_t *)v, k, x) {
			put_varint(b, strlen(k));
			buf_puts(b, k);
			pack(b, x);
		}
		break;
	case JSON_ARRAY:
		buf_put(b, "a", 1);
		put_varint(b, json_array_size(v));
		json_array_foreach(v, i, x)
			pack(b, x);
		break;
	case JSON_STRING:
		buf_put(b, "s", 1);
		put_varint(b, json_string_length(v));
		buf_put(b, json_string_value(v), json_string_length(v));
		break;
	case JSON_INTEGER:
		buf_put(b, "i", 1);
		put_u64(b, (uint64_t)json_integer_value(v));
		break;
	case JSON_REAL: {
		double d = json_real_value(v);
		uint64_t u;
		memcpy(&u, &d, sizeof(u));
		buf_put(b, "r", 1);
		put_u64(b, u);
		break;
	}
	case JSON_TRUE:
		buf_put(b, "t", 1);
		break;
	case JSON_FALSE:
		buf_put(b, "f", 1);
		break;
	default:
		buf_put(b, "n", 1);
		break;
	}
}

typedef struct {
	const unsigned char *p, *end;
} reader;

static int get_varint(reader *r, size_t *out)
{
	size_t v = 0;
	int shift = 0;
	while (r->p < r->end && shift < 63) {
		unsigned char c = *r->p++;
		v |= (size_t)(c & 0x7f) << shift;
		if (!(c & 0x80)) {
			*out = v;
			return 0;
		}
		shift += 7;
	}
	return -1;
}

static int get_u64(reader *r, uint64_t *out)
{
	uint64_t v = 0;
	int i;
	if (r->end - r->p < 8)
		return -1;
	for (i = 0; i < 8; i++)
		v |= (uint64_t)r->p[i] << (8 * i);
	r->p += 8;
	*out = v;
	return 0;
}

/* Whether s[0..n) is UTF-8 as jansson accepts it (no overlong forms,
 * surrogates or code points past U+10FFFF; NUL allowed). Here rather than
 * jansson's own check, which goes byte by byte: a build checks every
 * string of 10,000 records, nearly all ASCII, taken 8 bytes at a time. */
static int utf8_ok(const unsigned char *s, size_t n)
{
	const unsigned char *end = s + n;
	while (s < end) {
		uint64_t w;
		unsigned c = *s;
		size_t k, i;
		uint32_t u;
		if (end - s >= 8) {
			memcpy(&w, s, 8);
			if (!(w & 0x8080808080808080ull)) {
				s += 8;
				continue;
			}
		}
		if (c < 0x80) {
			s++;
			continue;
		}
		if (c < 0xc2)
			return 0; /* a continuation byte, or an overlong 2-byte form */
		else if (c < 0xe0)
			k = 2, u = c & 0x1f;
		else if (c < 0xf0)
			k = 3, u = c & 0x0f;
		else if (c < 0xf5)
			k = 4, u = c & 0x07;
		else
			return 0;
		if ((size_t)(end - s) < k)
			return 0;
		for (i = 1; i < k; i++) {
			if ((s[i] & 0xc0) != 0x80)
				return 0;
			u = (u << 6) | (s[i] & 0x3f);
		}
		if ((k == 3 && u < 0x800) || (k == 4 && u < 0x10000) || (u >= 0xd800 && u <= 0xdfff) ||
		    u > 0x10ffff)
			return 0;
		s += k;
	}
	return 1;
}

/* A string of n bytes at the reader: checked against the end (a length
 * is never trusted) and for UTF-8. */
static json_t *get_string(reader *r, size_t n)
{
	json_t *s;
	if ((size_t)(r->end - r->p) < n || !utf8_ok(r->p, n))
		return NULL;
	s = json_stringn_nocheck((const char *)r->p, n);
	r->p += n;
	return s;
}

static json_t *unpack(reader *r, int depth)
{
	size_t n, i;
	uint64_t u;
	json_t *v = NULL;

	if (r->p >= r->end || depth > RECORD_DEPTH)
		return NULL;
	switch (*r->p++) {
	case 'o':
		if (get_varint(r, &n) < 0 || n > (size_t)(r->end - r->p))
			return NULL;
		v = json_object();
		for (i = 0; i < n; i++) {
			size_t kl;
			const char *key;
			json_t *x;
			if (get_varint(r, &kl) < 0 || kl > (size_t)(r->end - r->p) ||
			    memchr(r->p, '\0', kl) || !utf8_ok(r->p, kl))
				goto bad;
			key = (const char *)r->p;
			r->p += kl;
			/* jansson copies the key (checked above) */
			x = unpack(r, depth + 1);
			if (!x || json_object_setn_new_nocheck(v, key, kl, x) < 0)
				goto bad;
		}
		return v;
	case 'a':
		if (get_varint(r, &n) < 0 || n > (size_t)(r->end - r->p))
			return NULL;
		v = json_array();
		for (i = 0; i < n; i++) {
			json_t *x = unpack(r, depth + 1);
			if (!x || json_array_append_new(v, x) < 0)
				goto bad;
		}
		return v;
	case 's':
		return get_varint(r, &n) < 0 ? NULL : get_string(r, n);
	case 'i':
		return get_u64(r, &u) < 0 ? NULL : json_integer((json_int_t)u);
	case 'r': {
		double d;
		if (get_u64(r, &u) < 0)
			return NULL;
		memcpy(&d, &u, sizeof(d));
		return json_real(d);
	}
	case 't':
		return json_true();
	case 'f':
		return json_false();
	case 'n':
		return json_null();
	default:
		return NULL;
	}
bad:
	json_decref(v);
	return NULL;
}

json_t *cache_record_decode(const void *data, size_t len)
{
	size_t m = sizeof(RECORD_MAGIC) - 1;
	reader r;
	json_t *rec;

	if (len <= m || memcmp(data, RECORD_MAGIC, m) != 0)
		return NULL;
	r.p = (const unsigned char *)data + m;
	r.end = (const unsigned char *)data + len;
	rec = unpack(&r, 0);
	if (rec && r.p != r.end) { /* trailing bytes: not a record odcat wrote */
		json_decref(rec);
		rec = NULL;
	}
	return rec;
}

void cache_record_encode(const json_t *rec, odc_buf *out)
{
	buf_puts(out, RECORD_MAGIC);
	pack(out, rec);
}

/* The record at path (relative to dirfd), or NULL when it cannot be read
 * whole. */
static json_t *load_record(int dirfd, const char *path)
{
	int fd = openat(dirfd, path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	struct stat st;
	json_t *rec = NULL;
	unsigned char small[32768], *data = small; /* most records fit */
	size_t at = 0;

	if (fd < 0)
		return NULL;
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode) || st.st_size <= 0 ||
	    st.st_size > (1 << 28)) {
		close(fd);
		return NULL;
	}
	if ((size_t)st.st_size > sizeof(small))
		data = xmalloc((size_t)st.st_size);
	while (at < (size_t)st.st_size) {
		ssize_t k = read(fd, data + at, (size_t)st.st_size - at);
		if (k <= 0)
			break;
		at += (size_t)k;
	}
	close(fd);
	if (at == (size_t)st.st_size)
		rec = cache_record_decode(data, at);
	if (data != small)
		free(data);
	return rec;
}

/* Writes rec at path in the binary form; 0 or -1. */
static int save_record(const char *path, const json_t *rec)
{
	odc_buf b = ODC_BUF_INIT;
	int fd, rc = -1;
	size_t at = 0;

	cache_record_encode(rec, &b);
	fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0644);
	if (fd >= 0) {
		while (at < b.len) {
			ssize_t k = write(fd, b.ptr + at, b.len - at);
			if (k <= 0)
				break;
			at += (size_t)k;
		}
		rc = at == b.len ? 0 : -1;
		if (close(fd) < 0)
			rc = -1;
	}
	buf_free(&b);
	return rc;
}

int cache_file_next(const json_t *rec, size_t *at, const char **path, size_t *size)
{
	json_t *files = json_object_get(rec, "files");
	const char *s = json_string_value(files), *nul, *end;
	size_t v = 0;

	if (!s || *at >= json_string_length(files))
		return 0;
	end = s + json_string_length(files);
	s += *at;
	nul = memchr(s, '\0', (size_t)(end - s));
	if (!nul || nul == s || nul + 1 >= end)
		return -1;
	*path = s;
	for (s = nul + 1; s < end && *s >= '0' && *s <= '9'; s++) {
		if (v > (SIZE_MAX - 9) / 10)
			return -1;
		v = v * 10 + (size_t)(*s - '0');
	}
	if (s == nul + 1 || s >= end || *s != '\0')
		return -1;
	*size = v;
	*at = (size_t)(s + 1 - json_string_value(files));
	return 1;
}

json_t *cache_get(odc_cache *c, const char *slug)
{
	odc_buf p = ODC_BUF_INIT;
	json_t *rec;
	const char *path;
	size_t at = 0, size;
	int k;

	buf_printf(&p, "%s/record.bin", slug);
	rec = load_record(c->dirfd, p.ptr);
	buf_free(&p);
	if (!rec)
		return NULL;
	if (!json_is_object(rec) || !json_is_string(json_object_get(rec, "format")) ||
	    strcmp(json_string_value(json_object_get(rec, "format")), CACHE_FORMAT) != 0 ||
	    !json_is_string(json_object_get(rec, "files")))
		goto bad;
	while ((k = cache_file_next(rec, &at, &path, &size)) > 0)
		if (!repo_path_is_safe(path))
			goto bad;
	if (k < 0)
		goto bad;
	return rec;
bad:
	json_decref(rec);
	return NULL;
}

/* A token unique to a new entry: 128 random bits in hex, or NULL. */
static char *entry_token(void)
{
	unsigned char r[16];
	char *hex;
	size_t i;
	if (getrandom(r, sizeof(r), 0) != (ssize_t)sizeof(r))
		return NULL;
	hex = xmalloc(2 * sizeof(r) + 1);
	for (i = 0; i < sizeof(r); i++)
		snprintf(hex + 2 * i, 3, "%02x", r[i]);
	return hex;
}

/* Gives an entry made before entries had tokens (no "entry" in rec) a
 * token: its whole record (rec may be cut down to what phase B reads) is
 * read again, and written again with one, beside it, renamed over it;
 * only when it still lists the files rec does. Returns the token, or
 * NULL. Once per such entry. */
static char *name_entry(odc_cache *c, const char *slug, const json_t *rec)
{
	json_t *whole = cache_get(c, slug);
	const json_t *a = json_object_get(rec, "files"), *b = json_object_get(whole, "files");
	char *token = NULL;
	odc_buf tmp = ODC_BUF_INIT, fin = ODC_BUF_INIT;

	if (!whole || json_object_get(whole, "entry") || !json_is_string(a) || !json_is_string(b) ||
	    json_string_length(a) != json_string_length(b) ||
	    memcmp(json_string_value(a), json_string_value(b), json_string_length(a)) != 0 ||
	    !(token = entry_token())) {
		json_decref(whole);
		return NULL;
	}
	json_object_set_new(whole, "entry", json_string(token));
	buf_printf(&tmp, "%s/%s/.record-%s", c->dir, slug, token);
	buf_printf(&fin, "%s/%s/record.bin", c->dir, slug);
	if (save_record(tmp.ptr, whole) < 0 || rename(tmp.ptr, fin.ptr) < 0) {
		unlink(tmp.ptr);
		free(token);
		token = NULL;
	}
	json_decref(whole);
	buf_free(&tmp);
	buf_free(&fin);
	return token;
}

/* The site-relative paths of rec's files (lent from rec), or NULL when
 * there are none or the list is malformed. */
static char **entry_paths(const json_t *rec, size_t *n)
{
	char **rels = NULL;
	const char *rel;
	size_t at = 0, size, cap = 0;
	int k;

	*n = 0;
	while ((k = cache_file_next(rec, &at, &rel, &size)) > 0) {
		if (*n == cap) {
			cap = cap ? cap * 2 : 32;
			rels = xrealloc(rels, cap * sizeof(*rels));
		}
		rels[(*n)++] = (char *)rel;
	}
	if (k < 0 || !*n) {
		free(rels);
		*n = 0;
		return NULL;
	}
	return rels;
}

int cache_restore_files(odc_cache *c, const char *slug, const json_t *rec, odc_out *o)
{
	const char *token = json_string_value(json_object_get(rec, "entry"));
	odc_buf src = ODC_BUF_INIT;
	const char *rel;
	size_t at = 0, size, n;
	char **rels = entry_paths(rec, &n);
	int rc = 0, k;

	/* The stage (the spare) may still hold this very entry's files, as
	 * the manifest of its tree says, in folders unchanged since: then no
	 * file needs a look (out.h, out_group_kept says what that trusts). */
	if (token && rels && out_group_kept(o, slug, token, rels, n)) {
		free(rels);
		return 0;
	}
	while ((k = cache_file_next(rec, &at, &rel, &size)) > 0) {
		struct stat st;
		buf_clear(&src);
		buf_printf(&src, "%s/%s/files/%s", c->dir, slug, rel);
		if (lstat(src.ptr, &st) < 0 || !S_ISREG(st.st_mode) || (size_t)st.st_size != size ||
		    out_place(o, src.ptr, &st, rel) < 0) {
			rc = -1;
			break;
		}
	}
	if (k < 0)
		rc = -1;
	if (rc == 0 && rels) {
		char *named = token ? NULL : name_entry(c, slug, rec);
		if (token || named)
			out_group_note(o, slug, token ? token : named, rels, n);
		free(named);
	}
	free(rels);
	buf_free(&src);
	return rc;
}

int cache_put(odc_cache *c, const char *slug, json_t *rec, const char *stage, char *const *files,
	      size_t n)
{
	odc_buf tmp = ODC_BUF_INIT, src = ODC_BUF_INIT, dst = ODC_BUF_INIT, fin = ODC_BUF_INIT;
	odc_buf list = ODC_BUF_INIT;
	size_t i;
	int rc = -1;

	buf_printf(&tmp, "%s/.tmp-%s-XXXXXX", c->dir, slug);
	if (!mkdtemp(tmp.ptr)) {
		buf_free(&tmp);
		return -1;
	}
	for (i = 0; i < n; i++) {
		struct stat st;
		buf_clear(&src);
		buf_clear(&dst);
		buf_printf(&src, "%s/%s", stage, files[i]);
		buf_printf(&dst, "%s/files/%s", tmp.ptr, files[i]);
		if (lstat(src.ptr, &st) < 0 || !S_ISREG(st.st_mode) ||
		    out_place_file(src.ptr, dst.ptr, tmp.len) < 0)
			goto done;
		/* path NUL size NUL (cache.h) */
		buf_put(&list, files[i], strlen(files[i]) + 1);
		buf_printf(&list, "%lld", (long long)st.st_size);
		buf_put(&list, "", 1);
	}
	json_object_set_new(rec, "format", json_string(CACHE_FORMAT));
	{
		/* Names this entry for the manifest of the site (out.h). */
		char *token = entry_token();
		if (token)
			json_object_set_new(rec, "entry", json_string(token));
		else
			json_object_del(rec, "entry");
		free(token);
	}
	json_object_set_new(rec, "files", json_stringn(list.ptr ? list.ptr : "", list.len));
	buf_clear(&dst);
	buf_printf(&dst, "%s/record.bin", tmp.ptr);
	if (save_record(dst.ptr, rec) < 0)
		goto done;
	json_object_del(rec, "files");
	buf_printf(&fin, "%s/%s", c->dir, slug);
	/* Swap the complete new entry in; the old one (now in tmp) goes. */
	if (renameat2(AT_FDCWD, tmp.ptr, AT_FDCWD, fin.ptr, RENAME_EXCHANGE) == 0) {
		rc = 0;
	} else if (errno == ENOENT && rename(tmp.ptr, fin.ptr) == 0) {
		rc = 0;
		goto out;
	} else if (errno != ENOENT) {
		/* No RENAME_EXCHANGE here: remove the old entry, then rename. */
		out_rmtree(fin.ptr);
		if (rename(tmp.ptr, fin.ptr) == 0) {
			rc = 0;
			goto out;
		}
	}
done:
	out_rmtree(tmp.ptr);
out:
	buf_free(&list);
	buf_free(&tmp);
	buf_free(&src);
	buf_free(&dst);
	buf_free(&fin);
	return rc;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

void cache_prune(odc_cache *c, char *const *slugs, size_t n)
{
	DIR *d = opendir(c->dir);
	struct dirent *de;
	odc_buf p = ODC_BUF_INIT;

	if (!d)
		return;
	while ((de = readdir(d))) {
		const char *name = de->d_name;
		int keep;
		if (!strcmp(name, ".") || !strcmp(name, ".."))
			continue;
		if (name[0] == '.')
			keep = 0; /* a temporary folder of a killed build */
		else
			keep = n && bsearch(&name, slugs, n, sizeof(*slugs), cmp_str) != NULL;
		if (keep)
			continue;
		buf_clear(&p);
		buf_printf(&p, "%s/%s", c->dir, name);
		out_rmtree(p.ptr);
	}
	closedir(d);
	buf_free(&p);
}

static void hash_dir(const char *dir, const char *rel, odc_buf *acc)
{
	char **names;
	size_t n, i;

	if (out_list_dir(dir, &names, &n) < 0)
		return;
	for (i = 0; i < n; i++) {
		odc_buf full = ODC_BUF_INIT, sub = ODC_BUF_INIT;
		struct stat st;
		buf_printf(&full, "%s/%s", dir, names[i]);
		buf_printf(&sub, "%s%s%s", rel, *rel ? "/" : "", names[i]);
		if (lstat(full.ptr, &st) == 0) {
			if (S_ISDIR(st.st_mode)) {
				hash_dir(full.ptr, sub.ptr, acc);
			} else if (S_ISREG(st.st_mode)) {
				odc_buf data = ODC_BUF_INIT;
				char hex[65] = "unreadable";
				if (buf_read_file(&data, full.ptr) == 0)
					digest_sha256_hex(data.ptr ? data.ptr : "", data.len, hex);
				buf_printf(acc, "%s %zu %s\n", sub.ptr, data.len, hex);
				buf_free(&data);
			}
		}
		buf_free(&full);
		buf_free(&sub);
		free(names[i]);
	}
	free(names);
}

void cache_hash_dir(const char *dir, odc_buf *acc)
{
	hash_dir(dir, "", acc);
}
