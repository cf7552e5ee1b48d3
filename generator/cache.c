/*
 * cache.c — the incremental build cache (see cache.h).
 */
#define _GNU_SOURCE
#include "cache.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "digest.h"
#include "odc.h"
#include "out.h"
#include "repo.h"

#define CACHE_FORMAT "odcat-cache-1"

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
	buf_printf(&p, "%s/v1", dir);
	if (mkdirs(p.ptr) < 0 || stat(p.ptr, &st) < 0 || !S_ISDIR(st.st_mode)) {
		buf_printf(msg, "cannot create the cache folder %s: %s", p.ptr, strerror(errno));
		buf_free(&p);
		return ODC_EIO;
	}
	c->dir = buf_detach(&p);
	return ODC_OK;
}

void cache_free(odc_cache *c)
{
	free(c->dir);
	c->dir = NULL;
}

json_t *cache_get(odc_cache *c, const char *slug)
{
	odc_buf p = ODC_BUF_INIT;
	json_t *rec, *files, *f;
	size_t i;

	buf_printf(&p, "%s/%s/record.json", c->dir, slug);
	rec = json_load_file(p.ptr, JSON_REJECT_DUPLICATES, NULL);
	buf_free(&p);
	if (!rec)
		return NULL;
	files = json_object_get(rec, "files");
	if (!json_is_object(rec) || !json_is_string(json_object_get(rec, "format")) ||
	    strcmp(json_string_value(json_object_get(rec, "format")), CACHE_FORMAT) != 0 ||
	    !json_is_array(files))
		goto bad;
	json_array_foreach(files, i, f)
		if (!json_is_string(json_array_get(f, 0)) || !json_is_integer(json_array_get(f, 1)) ||
		    !repo_path_is_safe(json_string_value(json_array_get(f, 0))))
			goto bad;
	return rec;
bad:
	json_decref(rec);
	return NULL;
}

int cache_restore_files(odc_cache *c, const char *slug, const json_t *rec, odc_out *o)
{
	json_t *files = json_object_get(rec, "files"), *f;
	odc_buf src = ODC_BUF_INIT;
	size_t i;
	int rc = 0;

	json_array_foreach(files, i, f) {
		const char *rel = json_string_value(json_array_get(f, 0));
		struct stat st;
		buf_clear(&src);
		buf_printf(&src, "%s/%s/files/%s", c->dir, slug, rel);
		if (!rel || lstat(src.ptr, &st) < 0 || !S_ISREG(st.st_mode) ||
		    (json_int_t)st.st_size != json_integer_value(json_array_get(f, 1)) ||
		    out_place(o, src.ptr, &st, rel) < 0) {
			rc = -1;
			break;
		}
	}
	buf_free(&src);
	return rc;
}

int cache_put(odc_cache *c, const char *slug, json_t *rec, const char *stage, char *const *files,
	      size_t n)
{
	odc_buf tmp = ODC_BUF_INIT, src = ODC_BUF_INIT, dst = ODC_BUF_INIT, fin = ODC_BUF_INIT;
	json_t *list = json_array();
	size_t i;
	int rc = -1;

	buf_printf(&tmp, "%s/.tmp-%s-XXXXXX", c->dir, slug);
	if (!mkdtemp(tmp.ptr)) {
		json_decref(list);
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
		json_array_append_new(list, json_pack("[sI]", files[i], (json_int_t)st.st_size));
	}
	json_object_set_new(rec, "format", json_string(CACHE_FORMAT));
	json_object_set(rec, "files", list);
	buf_clear(&dst);
	buf_printf(&dst, "%s/record.json", tmp.ptr);
	if (json_dump_file(rec, dst.ptr, JSON_COMPACT) < 0)
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
	json_decref(list);
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
				FILE *f = fopen(full.ptr, "rb");
				if (f) {
					char tmp[65536];
					size_t k;
					while ((k = fread(tmp, 1, sizeof(tmp), f)) > 0)
						buf_put(&data, tmp, k);
					fclose(f);
					digest_sha256_hex(data.ptr ? data.ptr : "", data.len, hex);
				}
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
