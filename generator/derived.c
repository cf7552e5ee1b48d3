/*
 * derived.c — copies, preview and profile of a dataset's CSVs (see derived.h).
 */
#include "derived.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "csvscan.h"
#include "odc.h"
#include "profile.h"
#include "schema.h"
#include "validate.h"

/*====================================================================
 * The Excel copy: record ends become CRLF
 *====================================================================*/

void derived_crlf_feed(derived_crlf *st, const char *p, size_t n, odc_buf *out)
{
	size_t i, from = 0;
	char q = st->quote ? st->quote : '"';

	if (!p) {
		if (st->any && !st->at_end)
			buf_puts(out, "\r\n");
		return;
	}
	if (n)
		st->any = 1;
	for (i = 0; i < n; i++) {
		char c = p[i];
		if (st->in_quote) {
			/* Nothing changes up to the closing quote. */
			const char *e = memchr(p + i, q, n - i);
			st->at_end = 0;
			if (!e)
				break;
			i = (size_t)(e - p);
			st->in_quote = 0;
			continue;
		}
		if (st->after_cr) {
			st->after_cr = 0;
			if (c == '\n') { /* the LF of a CRLF already written */
				from = i + 1;
				continue;
			}
		}
		if (c == '\r' || c == '\n') {
			buf_put(out, p + from, i - from);
			buf_puts(out, "\r\n");
			from = i + 1;
			st->after_cr = c == '\r';
			st->at_end = 1;
			continue;
		}
		if (c == q) {
			st->in_quote = 1;
			st->at_end = 0;
			continue;
		}
		/* A run of other bytes passes as it is. */
		while (i + 1 < n && p[i + 1] != q && p[i + 1] != '\r' && p[i + 1] != '\n')
			i++;
		st->at_end = 0;
	}
	buf_put(out, p + from, n - from);
}

typedef struct copysink {
	FILE *utf8, *excel;
	derived_crlf crlf;
	odc_buf tmp;
	size_t utf8_bytes, excel_bytes;
	int failed;
} copysink;

static int copy_piece(void *payload, const char *p, size_t n)
{
	copysink *s = payload;
	if (s->utf8) {
		if (fwrite(p, 1, n, s->utf8) != n)
			s->failed = 1;
		s->utf8_bytes += n;
	}
	if (s->excel) {
		buf_clear(&s->tmp);
		derived_crlf_feed(&s->crlf, p, n, &s->tmp);
		if (s->tmp.len && fwrite(s->tmp.ptr, 1, s->tmp.len, s->excel) != s->tmp.len)
			s->failed = 1;
		s->excel_bytes += s->tmp.len;
	}
	return s->failed;
}

/*====================================================================
 * Preview rows
 *====================================================================*/

typedef struct preview {
	json_t *rows;       /* [{cells, lat, lon}] */
	long seen;          /* data rows read */
	long lat, lon;      /* column indices, -1 = none */
	long geopoint;      /* a geopoint column, -1 = none */
	int header;         /* the CSV has a header (raw reading) */
	int header_done;
	json_t *columns;    /* raw reading: the header's labels */
	odc_profile *prof;
} preview;

static json_t *cell_text(const char *s, size_t n)
{
	odc_buf b = ODC_BUF_INIT;
	json_t *v;
	if (n <= DERIVED_CELL_BYTES) {
		/* as it is: no copy first */
		v = json_stringn(s, n);
		return v ? v : json_string("");
	}
	{
		size_t k = DERIVED_CELL_BYTES;
		while (k > 0 && ((unsigned char)s[k] & 0xC0) == 0x80)
			k--;
		buf_put(&b, s, k);
		buf_puts(&b, "\xe2\x80\xa6");
	}
	v = json_stringn(buf_cstr(&b), b.len);
	buf_free(&b);
	return v ? v : json_string("");
}

/* A coordinate cell as a number, or NAN. */
static double coordinate(const char *s, size_t n)
{
	char t[64], *end;
	double x;
	if (!s || !n || n >= sizeof(t))
		return NAN;
	memcpy(t, s, n);
	t[n] = '\0';
	x = strtod(t, &end);
	return *end || end == t ? NAN : x;
}

static void set_coordinates(json_t *row, double lat, double lon)
{
	char t[40];
	if (!isfinite(lat) || !isfinite(lon) || lat < -90 || lat > 90 || lon < -180 || lon > 180)
		return;
	snprintf(t, sizeof(t), "%.10g", lat);
	json_object_set_new(row, "lat", json_string(t));
	snprintf(t, sizeof(t), "%.10g", lon);
	json_object_set_new(row, "lon", json_string(t));
}

static int on_value_row(void *payload, const odc_value *vals, size_t n, long rowno)
{
	preview *pv = payload;
	(void)rowno;
	if (pv->prof)
		profile_add(pv->prof, vals, n);
	if (pv->seen++ < DERIVED_PREVIEW_ROWS) {
		json_t *row = json_object(), *cells = json_array();
		size_t i;
		for (i = 0; i < n; i++)
			json_array_append_new(cells, cell_text(vals[i].str ? vals[i].str : "",
							       vals[i].str ? vals[i].len : 0));
		json_object_set_new(row, "cells", cells);
		if (pv->geopoint >= 0 && !vals[pv->geopoint].missing)
			set_coordinates(row, vals[pv->geopoint].lat, vals[pv->geopoint].lon);
		else if (pv->lat >= 0 && pv->lon >= 0 && (size_t)pv->lat < n && (size_t)pv->lon < n &&
			 !vals[pv->lat].missing && !vals[pv->lon].missing) {
			const odc_value *a = &vals[pv->lat], *b = &vals[pv->lon];
			set_coordinates(row, a->type == ODC_T_NUMBER ? a->num : coordinate(a->str, a->len),
					b->type == ODC_T_NUMBER ? b->num : coordinate(b->str, b->len));
		}
		json_array_append_new(pv->rows, row);
	}
	return 0;
}

/* Whether a field name or title says latitude (which 0) or longitude (1). */
static int is_coordinate_name(const char *s, int which)
{
	static const char *const exact[2][3] = {{"lat", NULL, NULL}, {"lon", "lng", "long"}};
	static const char *const prefix[2][2] = {{"latitude", "緯度"}, {"longitude", "経度"}};
	size_t k;
	if (!s)
		return 0;
	for (k = 0; k < 3; k++)
		if (exact[which][k] && strcasecmp(s, exact[which][k]) == 0)
			return 1;
	for (k = 0; k < 2; k++)
		if (!strncasecmp(s, prefix[which][k], strlen(prefix[which][k])))
			return 1;
	return 0;
}

static void find_coordinates(preview *pv, const odc_schema *s)
{
	size_t i, n = schema_field_count(s);
	for (i = 0; i < n; i++) {
		const char *name = schema_field_name(s, i), *title = schema_field_title(s, i);
		if (schema_field_type(s, i) == ODC_T_GEOPOINT && pv->geopoint < 0)
			pv->geopoint = (long)i;
		if (pv->lat < 0 && (is_coordinate_name(name, 0) || is_coordinate_name(title, 0)))
			pv->lat = (long)i;
		else if (pv->lon < 0 && (is_coordinate_name(name, 1) || is_coordinate_name(title, 1)))
			pv->lon = (long)i;
	}
}

/* The typed-row side, also driven by the typed JSON pass of catalog.c. */
struct derived_rows {
	preview pv;
	json_t *columns;
};

derived_rows *derived_rows_new(const odc_schema *s, const json_t *fields)
{
	derived_rows *d = xcalloc(1, sizeof(*d));
	size_t i;
	d->pv.lat = d->pv.lon = d->pv.geopoint = -1;
	d->pv.rows = json_array();
	d->columns = json_array();
	for (i = 0; i < schema_field_count(s); i++)
		json_array_append_new(d->columns, json_string(schema_field_name(s, i)));
	find_coordinates(&d->pv, s);
	d->pv.prof = profile_new(s, fields);
	return d;
}

int derived_rows_add(void *payload, const odc_value *vals, size_t n, long row)
{
	return on_value_row(&((derived_rows *)payload)->pv, vals, n, row);
}

/* Moves the preview part of pv into page (lat_lon, preview, rows_more). */
static void preview_to_page(preview *pv, json_t *page)
{
	if (pv->geopoint >= 0 || (pv->lat >= 0 && pv->lon >= 0)) {
		json_t *ll = json_array();
		if (pv->geopoint >= 0) {
			json_array_append_new(ll, json_integer(pv->geopoint));
		} else {
			json_array_append_new(ll, json_integer(pv->lat));
			json_array_append_new(ll, json_integer(pv->lon));
		}
		json_object_set_new(page, "lat_lon", ll);
	}
	json_object_set_new(page, "preview", pv->rows);
	pv->rows = NULL;
	json_object_set_new(page, "rows_more", json_boolean(pv->seen > DERIVED_PREVIEW_ROWS));
}

void derived_rows_finish(derived_rows *d, json_t *page)
{
	if (!d)
		return;
	if (page) {
		json_object_set_new(page, "columns", d->columns);
		d->columns = NULL;
		json_object_set_new(page, "profile", profile_result(d->pv.prof));
		preview_to_page(&d->pv, page);
	}
	json_decref(d->columns);
	json_decref(d->pv.rows);
	profile_free(d->pv.prof);
	free(d);
}

static int on_raw_record(void *payload, const odc_record *rec)
{
	preview *pv = payload;
	json_t *row, *cells;
	size_t i;
	if (pv->header && !pv->header_done) {
		pv->header_done = 1;
		for (i = 0; i < rec->n; i++) {
			json_array_append_new(pv->columns, cell_text(rec->fields[i], rec->lens[i]));
			if (pv->lat < 0 && is_coordinate_name(rec->fields[i], 0))
				pv->lat = (long)i;
			else if (pv->lon < 0 && is_coordinate_name(rec->fields[i], 1))
				pv->lon = (long)i;
		}
		return 0;
	}
	if (pv->seen++ >= DERIVED_PREVIEW_ROWS)
		return 0; /* read on: the row count is only known at the end */
	row = json_object();
	cells = json_array();
	for (i = 0; i < rec->n; i++)
		json_array_append_new(cells, cell_text(rec->fields[i], rec->lens[i]));
	json_object_set_new(row, "cells", cells);
	if (pv->lat >= 0 && pv->lon >= 0 && (size_t)pv->lat < rec->n && (size_t)pv->lon < rec->n)
		set_coordinates(row, coordinate(rec->fields[pv->lat], rec->lens[pv->lat]),
				coordinate(rec->fields[pv->lon], rec->lens[pv->lon]));
	json_array_append_new(pv->rows, row);
	return 0;
}

/*====================================================================
 * One resource
 *====================================================================*/

static void release(void *payload, size_t upto)
{
	repo_blob_release(payload, upto);
}

static FILE *open_copy(odc_out *o, const odc_dataset *ds, const char *rel, odc_buf *err)
{
	odc_buf p = ODC_BUF_INIT, r = ODC_BUF_INIT;
	FILE *f = NULL;
	buf_printf(&r, "datasets/%s/%s", ds->slug, rel);
	if (out_claim(o, r.ptr, &p) == 0)
		f = fopen(p.ptr, "wb");
	buf_free(&r);
	if (!f)
		buf_printf(err, "cannot write datasets/%s/%s", ds->slug, rel);
	buf_free(&p);
	return f;
}

static json_t *copy_json(const char *path, size_t bytes)
{
	json_t *c = json_object();
	json_object_set_new(c, "path", json_string(path));
	json_object_set_new(c, "bytes", json_integer((json_int_t)bytes));
	return c;
}

static int derive_resource(odc_out *o, odc_repo *r, odc_dataset *ds, size_t idx,
			   void (*wrote)(void *, const char *), void *payload, odc_buf *err)
{
	odc_resource *res = &ds->res[idx];
	int copies = dataset_copies(res) & ~res->copy_clash;
	char *full = NULL, *utf8_path = NULL, *excel_path = NULL;
	json_t *page = res->page ? res->page : json_object(), *sj = NULL, *copies_j = json_object();
	odc_diags quiet = ODC_DIAGS_INIT;
	odc_validate_opts vo;
	odc_schema *s = NULL;
	copysink cs;
	preview pv;
	odc_blob b;
	int rc = 0, have_blob = 0;

	res->page = NULL; /* page holds it now */
	memset(&cs, 0, sizeof(cs));
	memset(&pv, 0, sizeof(pv));
	pv.lat = pv.lon = pv.geopoint = -1;
	pv.rows = json_array();
	{
		odc_buf f = ODC_BUF_INIT;
		buf_printf(&f, "%s/%s", ds->dir, res->path);
		full = buf_detach(&f);
	}
	if (res->has_kept) {
		/* Read once already for its copy (build.c): the bytes are ours now. */
		b = res->kept;
		res->has_kept = 0;
		if (dataset_resource_reader(r, ds, idx, &sj, &vo) < 0) {
			have_blob = 1;
			buf_printf(err, "cannot read %s again", full);
			rc = ODC_EIO;
			goto done;
		}
	} else if (dataset_resource_reader(r, ds, idx, &sj, &vo) < 0 ||
		   repo_read(r, full, ODC_MAX_RESOURCE_BYTES, &b) < 0) {
		buf_printf(err, "cannot read %s again", full);
		rc = ODC_EIO;
		goto done;
	}
	have_blob = 1;

	/* The copies, from one decoding of the text. */
	if (copies) {
		if (copies & ODC_COPY_UTF8) {
			utf8_path = dataset_copy_path(res->path, ODC_COPY_UTF8);
			if (!(cs.utf8 = open_copy(o, ds, utf8_path, err)))
				rc = ODC_EIO;
		}
		if (rc == 0 && (copies & ODC_COPY_EXCEL)) {
			excel_path = dataset_copy_path(res->path, ODC_COPY_EXCEL);
			if (!(cs.excel = open_copy(o, ds, excel_path, err)))
				rc = ODC_EIO;
			else if (fwrite("\xEF\xBB\xBF", 1, 3, cs.excel) != 3)
				cs.failed = 1;
			cs.excel_bytes = 3;
			cs.crlf.quote = vo.csv.quote;
		}
		if (rc == 0) {
			/* The file decoded once already while loading. */
			if (csvscan_transcode(b.data, b.len, vo.csv.encoding, copy_piece, &cs) < 0 && !cs.failed)
				cs.failed = 1;
			if (cs.excel) {
				buf_clear(&cs.tmp);
				derived_crlf_feed(&cs.crlf, NULL, 0, &cs.tmp);
				if (cs.tmp.len && fwrite(cs.tmp.ptr, 1, cs.tmp.len, cs.excel) != cs.tmp.len)
					cs.failed = 1;
				cs.excel_bytes += cs.tmp.len;
			}
		}
		if (cs.utf8 && fclose(cs.utf8) != 0)
			cs.failed = 1;
		if (cs.excel && fclose(cs.excel) != 0)
			cs.failed = 1;
		if (cs.failed && rc == 0) {
			buf_printf(err, "cannot write the copies of %s", full);
			rc = ODC_EIO;
		}
		if (rc < 0)
			goto done;
		if (utf8_path)
			json_object_set_new(copies_j, "utf8", copy_json(utf8_path, cs.utf8_bytes));
		if (excel_path)
			json_object_set_new(copies_j, "excel", copy_json(excel_path, cs.excel_bytes));
		if (wrote) {
			odc_buf rel = ODC_BUF_INIT;
			if (utf8_path) {
				buf_printf(&rel, "datasets/%s/%s", ds->slug, utf8_path);
				wrote(payload, rel.ptr);
			}
			if (excel_path) {
				buf_clear(&rel);
				buf_printf(&rel, "datasets/%s/%s", ds->slug, excel_path);
				wrote(payload, rel.ptr);
			}
			buf_free(&rel);
		}
	}

	if (res->has_json) {
		/* The typed JSON written before (catalog.c): its size for the page. */
		odc_buf jp = ODC_BUF_INIT;
		struct stat st;
		buf_printf(&jp, "%s/datasets/%s/%s.json", o->stage, ds->slug, res->path);
		if (stat(jp.ptr, &st) == 0)
			json_object_set_new(page, "json_bytes", json_integer((json_int_t)st.st_size));
		buf_free(&jp);
	}

	/* Preview and profile: a validated CSV got them in the typed JSON pass
	 * (catalog.c, derived_rows); any other CSV is read once more here. */
	if (!json_object_get(page, "preview")) {
		vo.csv.consumed = release;
		vo.csv.consumed_payload = &b;
		if (res->validated && sj && schema_load(&s, sj, full, "", &quiet) == 0) {
			odc_validate_report rep;
			derived_rows *dr = derived_rows_new(s, json_object_get(sj, "fields"));
			vo.max_errors = 0;
			vo.warn_formula = 0;
			vo.warn_personal = 0;
			vo.check_keys = 0; /* known valid: no key sets that grow with rows */
			vo.row = derived_rows_add;
			vo.row_payload = dr;
			validate_resource(b.data, b.len, s, full, &vo, &quiet, &rep);
			derived_rows_finish(dr, page);
		} else {
			pv.header = vo.header;
			pv.columns = json_array();
			vo.csv.report_blank = 0;
			csvscan_run(b.data, b.len, &vo.csv, on_raw_record, &pv, full, &quiet);
			if (!vo.header && json_array_size(pv.rows)) {
				/* No header: columns are numbered. */
				size_t i, n = json_array_size(json_object_get(json_array_get(pv.rows, 0), "cells"));
				for (i = 0; i < n; i++) {
					char t[24];
					snprintf(t, sizeof(t), "%zu", i + 1);
					json_array_append_new(pv.columns, json_string(t));
				}
			}
			json_object_set_new(page, "columns", pv.columns);
			pv.columns = NULL;
			preview_to_page(&pv, page);
		}
	}
	if (sj)
		json_object_set(page, "schema", sj);
	json_object_set(page, "copies", copies_j);
done:
	if (have_blob)
		repo_blob_free(&b);
	if (rc == 0) {
		json_decref(res->page);
		res->page = page;
	} else {
		json_decref(page);
	}
	json_decref(copies_j);
	json_decref(pv.rows);
	json_decref(pv.columns);
	profile_free(pv.prof);
	schema_free(s);
	json_decref(sj);
	buf_free(&cs.tmp);
	diag_free(&quiet);
	free(utf8_path);
	free(excel_path);
	free(full);
	return rc;
}

int derived_build(odc_out *o, odc_repo *r, odc_dataset *ds, const odc_diags *d,
		  void (*wrote)(void *payload, const char *relpath), void *payload, odc_buf *err)
{
	size_t i, j, dl = strlen(ds->dir);

	ds->warnings = 0;
	for (j = 0; j < ds->nres; j++)
		ds->res[j].warnings = 0;
	for (i = 0; i < d->n; i++) {
		const odc_diag *x = &d->items[i];
		if (x->sev != ODC_SEV_WARNING || !x->file || strncmp(x->file, ds->dir, dl) ||
		    (x->file[dl] != '/' && x->file[dl] != '\0'))
			continue;
		ds->warnings++;
		for (j = 0; j < ds->nres; j++)
			if (ds->res[j].path && !ds->res[j].is_url && x->file[dl] == '/' &&
			    !strcmp(x->file + dl + 1, ds->res[j].path))
				ds->res[j].warnings++;
	}
	for (i = 0; i < ds->nres; i++) {
		const odc_resource *res = &ds->res[i];
		if (res->is_url || !res->is_csv)
			continue;
		if (derive_resource(o, r, ds, i, wrote, payload, err) < 0)
			return ODC_EIO;
	}
	return 0;
}

void derived_release(odc_dataset *ds)
{
	size_t i;
	for (i = 0; i < ds->nres; i++) {
		json_decref(ds->res[i].page);
		ds->res[i].page = NULL;
		if (ds->res[i].has_kept)
			repo_blob_free(&ds->res[i].kept);
		ds->res[i].has_kept = 0;
	}
}
