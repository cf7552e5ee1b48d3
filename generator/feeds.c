/*
 * feeds.c — opendata-list.csv, sitemap.xml and robots.txt (see feeds.h).
 *
 * The オープンデータ一覧 columns describe a dataset, not a file: データ形式 is
 * "the file format(s)" of the dataset and URL is "the dataset's home page",
 * so the list has one row per published dataset, with its formats joined.
 * Values the standard constrains (分類 enumeration, 6-digit code, dates,
 * URL with a scheme) are emitted only in a form the standard's schema
 * accepts; anything else is left blank or mapped, never guessed.
 */
#include "feeds.h"

#include <ctype.h>
#include <jansson.h>
#include <string.h>
#include <strings.h>

#include "dcat.h"
#include "escape.h"
#include "odc.h"

/*====================================================================
 * Small helpers
 *====================================================================*/



/* Copies the date part of s into out when s starts with YYYY-MM-DD (a date
 * or a date-time); returns 1, else 0 with out "". */
static int date_of(const char *s, char out[11])
{
	static const char shape[] = "dddd-dd-dd";
	size_t i;
	out[0] = '\0';
	if (!s || strlen(s) < 10 || (s[10] && s[10] != 'T' && s[10] != ' '))
		return 0;
	for (i = 0; i < 10; i++)
		if (shape[i] == 'd' ? !isdigit((unsigned char)s[i]) : s[i] != '-')
			return 0;
	if (memcmp(s + 5, "01", 2) < 0 || memcmp(s + 5, "12", 2) > 0 || memcmp(s + 8, "01", 2) < 0 ||
	    memcmp(s + 8, "31", 2) > 0)
		return 0;
	memcpy(out, s, 10);
	out[10] = '\0';
	return 1;
}

static const char *dp_str(const odc_dataset *ds, const char *key)
{
	return json_string_value(json_object_get(ds->dp, key));
}

/* The dataset's page URL (folder form) in language li into out. */
static void page_url(odc_buf *out, const odc_catalog *cat, int li, const char *path)
{
	dcat_base_url(cat, out);
	if (li > 0) {
		/* li is 0 or 1: a catalogue has at most two languages */
		/* cppcheck-suppress arrayIndexOutOfBoundsCond */
		escape_url_segment(out, cat->lang[li], strlen(cat->lang[li]));
		buf_putc(out, '/');
	}
	escape_url_path(out, path, strlen(path));
}

/*====================================================================
 * opendata-list.csv
 *====================================================================*/

/* Column names and order of open-data-list.schema.json (the official
 * template xxxxxx_open_data_list.csv). */
static const char *const columns[] = {
	"都道府県コード又は市区町村コード", "NO", "都道府県名", "市区町村名", "データ名称",
	"データ概要", "データ形式", "分類", "更新頻度", "URL", "API対応有無", "ライセンス",
	"登録日", "最終更新日", "備考",
};
#define NCOLUMNS (sizeof(columns) / sizeof(columns[0]))

/* The 分類 enumeration of the standard. */
static const char *const categories[] = {
	"国土・気象", "人口・世帯", "労働・賃金", "農林水産業", "鉱工業", "商業・サービス業",
	"企業・家計・経済", "住宅・土地・建設", "エネルギー・水", "運輸・観光", "情報通信・科学技術",
	"教育・文化・スポーツ・生活", "行財政", "司法・安全・環境", "社会保障・衛生", "国際", "その他",
};

/* Common municipal portal categories that are not 分類 values. */
static const char *const category_alias[][2] = {
	{"健康・福祉", "社会保障・衛生"}, {"福祉", "社会保障・衛生"},   {"健康", "社会保障・衛生"},
	{"医療", "社会保障・衛生"},       {"子育て", "社会保障・衛生"}, {"防災", "司法・安全・環境"},
	{"防犯", "司法・安全・環境"},     {"安全", "司法・安全・環境"}, {"都市計画・まちづくり", "住宅・土地・建設"},
	{"まちづくり", "住宅・土地・建設"}, {"都市計画", "住宅・土地・建設"}, {"行政・地域", "行財政"},
	{"行政", "行財政"},               {"財政", "行財政"},           {"文化・スポーツ", "教育・文化・スポーツ・生活"},
	{"交通", "運輸・観光"},           {"産業", "商業・サービス業"}, {"地図", "国土・気象"},
};

/* Maps a dataset's category to a 分類 value: itself when it is one; an
 * alias from the table; else the one value having it as a '・' part
 * ("観光" → "運輸・観光"); else "その他". */
static const char *category_of(const char *c)
{
	size_t i, n;
	if (!c || !*c)
		return "その他";
	for (i = 0; i < sizeof(categories) / sizeof(categories[0]); i++)
		if (!strcmp(categories[i], c))
			return categories[i];
	for (i = 0; i < sizeof(category_alias) / sizeof(category_alias[0]); i++)
		if (!strcmp(category_alias[i][0], c))
			return category_alias[i][1];
	n = strlen(c);
	for (i = 0; i < sizeof(categories) / sizeof(categories[0]); i++) {
		const char *p = categories[i];
		while ((p = strstr(p, c)) != NULL) {
			int starts = p == categories[i] || !strncmp(p - 3, "・", 3);
			int ends = p[n] == '\0' || !strncmp(p + n, "・", 3);
			if (starts && ends)
				return categories[i];
			p += n;
		}
	}
	return "その他";
}

/* 更新頻度 in Japanese for odcat's accrualPeriodicity words. */
static const char *frequency_of(const char *w)
{
	const odc_frequency *f = catalog_frequency(w);
	return f ? f->ja : w;
}

/* Prefecture names by the first two digits of a 全国地方公共団体コード (JIS X 0401). */
static const char *const prefectures[47] = {
	"北海道", "青森県", "岩手県", "宮城県", "秋田県", "山形県", "福島県", "茨城県", "栃木県",
	"群馬県", "埼玉県", "千葉県", "東京都", "神奈川県", "新潟県", "富山県", "石川県", "福井県",
	"山梨県", "長野県", "岐阜県", "静岡県", "愛知県", "三重県", "滋賀県", "京都府", "大阪府",
	"兵庫県", "奈良県", "和歌山県", "鳥取県", "島根県", "岡山県", "広島県", "山口県", "徳島県",
	"香川県", "愛媛県", "高知県", "福岡県", "佐賀県", "長崎県", "熊本県", "大分県", "宮崎県",
	"鹿児島県", "沖縄県",
};

/* The catalogue publisher's 6-digit code into out, or "" when odcat.json
 * gives none in that form. */
static void city_code(const odc_catalog *cat, char out[7])
{
	json_t *v = json_object_get(json_object_get(cat->conf, "publisher"), "code");
	const char *s = json_string_value(v);
	size_t i;
	out[0] = '\0';
	if (!s || strlen(s) != 6)
		return;
	for (i = 0; i < 6; i++)
		if (!isdigit((unsigned char)s[i]))
			return;
	memcpy(out, s, 7);
}

static void add_row(odc_feeds *f, const odc_catalog *cat, const odc_dataset *ds, const char *today)
{
	const char *cell[NCOLUMNS];
	char code[7], issued[11], modified[11];
	odc_buf formats = ODC_BUF_INIT, url = ODC_BUF_INIT, note = ODC_BUF_INIT;
	const char *category = dp_str(ds, "category"), *mapped = category_of(category);
	const char *pref = NULL, *city;
	const char *license;
	int api = 0;
	size_t i, j;

	city_code(cat, code);
	city = catalog_text(cat, json_object_get(json_object_get(cat->conf, "publisher"), "name"), "ja");
	if (code[0]) {
		int p = (code[0] - '0') * 10 + (code[1] - '0');
		if (p >= 1 && p <= 47)
			pref = prefectures[p - 1];
		if (!memcmp(code + 2, "000", 3)) /* a prefecture publishes: no 市区町村名 */
			city = NULL;
	}

	/* Formats in resource order, each once, upper case. */
	for (i = 0; i < ds->nres; i++) {
		const odc_resource *r = &ds->res[i];
		odc_buf up = ODC_BUF_INIT;
		const char *fmt = r->format && *r->format ? r->format : "other";
		for (j = 0; fmt[j]; j++)
			buf_putc(&up, (char)toupper((unsigned char)fmt[j]));
		if (r->is_url || !strcmp(fmt, "api"))
			api = 1;
		for (j = 0; j < i; j++) {
			const char *o = ds->res[j].format && *ds->res[j].format ? ds->res[j].format : "other";
			if (!strcasecmp(o, fmt))
				break;
		}
		if (j == i) {
			if (formats.len)
				buf_putc(&formats, ',');
			buf_put(&formats, up.ptr, up.len);
		}
		buf_free(&up);
	}

	dcat_base_url(cat, &url);
	if (url.len) { /* the schema wants a URI with a scheme: blank without base_url */
		buf_puts(&url, "datasets/");
		escape_url_segment(&url, ds->slug, strlen(ds->slug));
		buf_putc(&url, '/');
	}

	license = catalog_license_title(ds->license_id, "ja");
	if (!license && ds->license)
		license = json_string_value(json_object_get(ds->license, "title"));
	if (!license)
		license = ds->license_id;

	date_of(dp_str(ds, "issued"), issued);
	if (!date_of(dp_str(ds, "modified"), modified) && !date_of(dp_str(ds, "issued"), modified))
		date_of(today, modified);
	if (modified[0] && strcmp(modified, f->lastmod) > 0)
		memcpy(f->lastmod, modified, 11);

	if (category && *category && strcmp(category, mapped))
		buf_printf(&note, "カタログの分類: %s", category);

	cell[0] = code;
	cell[1] = ds->slug; /* unique and stable across builds, unlike a row number */
	cell[2] = pref;
	cell[3] = city;
	cell[4] = catalog_text(cat, json_object_get(ds->dp, "title"), "ja");
	cell[5] = catalog_text(cat, json_object_get(ds->dp, "description"), "ja");
	cell[6] = formats.len ? formats.ptr : "OTHER";
	cell[7] = mapped;
	cell[8] = frequency_of(dp_str(ds, "accrualPeriodicity"));
	cell[9] = url.ptr;
	cell[10] = api ? "有" : "無";
	cell[11] = license;
	cell[12] = issued;
	cell[13] = modified;
	cell[14] = note.ptr;
	if (!cell[4] || !*cell[4])
		cell[4] = ds->slug; /* データ名称 is required; titles are, too, so rarely needed */
	for (i = 0; i < NCOLUMNS; i++) {
		if (i)
			buf_putc(&f->rows, ',');
		escape_csv_cell(&f->rows, cell[i] ? cell[i] : "", cell[i] ? strlen(cell[i]) : 0);
	}
	buf_puts(&f->rows, "\r\n");
	buf_free(&formats);
	buf_free(&url);
	buf_free(&note);
}

/*====================================================================
 * sitemap.xml
 *====================================================================*/

static void sitemap_url(odc_buf *out, const odc_catalog *cat, const char *path, const char *lastmod)
{
	int li, nlang = cat->lang[1] ? 2 : 1;
	for (li = 0; li < nlang; li++) {
		odc_buf u = ODC_BUF_INIT;
		page_url(&u, cat, li, path);
		buf_puts(out, "  <url>\n    <loc>");
		escape_xml(out, u.ptr, u.len);
		buf_puts(out, "</loc>\n");
		if (lastmod && *lastmod) {
			buf_puts(out, "    <lastmod>");
			escape_xml(out, lastmod, strlen(lastmod));
			buf_puts(out, "</lastmod>\n");
		}
		buf_puts(out, "  </url>\n");
		buf_free(&u);
	}
}

static void add_pages(odc_feeds *f, const odc_catalog *cat, const odc_dataset *ds)
{
	char lastmod[11];
	odc_buf path = ODC_BUF_INIT;
	if (!date_of(dp_str(ds, "modified"), lastmod))
		date_of(dp_str(ds, "issued"), lastmod);
	buf_printf(&path, "datasets/%s/", ds->slug);
	sitemap_url(&f->urls, cat, path.ptr, lastmod);
	buf_free(&path);
}

/*====================================================================
 * Public
 *====================================================================*/

void feeds_add_page(odc_feeds *f, const odc_catalog *cat, const char *path)
{
	sitemap_url(&f->pages, cat, path, NULL);
}

void feeds_add(odc_feeds *f, const odc_catalog *cat, const odc_dataset *ds, const char *today)
{
	add_row(f, cat, ds, today);
	add_pages(f, cat, ds);
	f->n++;
}

static int put(odc_out *o, const char *path, const odc_buf *b, odc_buf *err)
{
	int rc = out_write(o, path, b->ptr ? b->ptr : "", b->len);
	if (rc < 0)
		buf_printf(err, "cannot write %s", path);
	return rc;
}

int feeds_write(odc_feeds *f, const odc_catalog *cat, odc_out *o, odc_buf *err)
{
	odc_buf csv = ODC_BUF_INIT, map = ODC_BUF_INIT, robots = ODC_BUF_INIT, b = ODC_BUF_INIT;
	size_t i;
	int rc;

	buf_puts(&csv, "\xEF\xBB\xBF");
	for (i = 0; i < NCOLUMNS; i++) {
		if (i)
			buf_putc(&csv, ',');
		escape_csv_cell(&csv, columns[i], strlen(columns[i]));
	}
	buf_puts(&csv, "\r\n");
	buf_put(&csv, f->rows.ptr ? f->rows.ptr : "", f->rows.len);
	rc = put(o, "opendata-list.csv", &csv, err);

	dcat_base_url(cat, &b);
	buf_puts(&robots, "User-agent: *\nAllow: /\n");
	if (b.len) {
		buf_puts(&robots, "Sitemap: ");
		buf_put(&robots, b.ptr, b.len);
		buf_puts(&robots, "sitemap.xml\n");

		buf_puts(&map, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
			       "<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n");
		/* Home and the dataset list change whenever a dataset does. */
		sitemap_url(&map, cat, "", f->lastmod);
		sitemap_url(&map, cat, "datasets/", f->lastmod);
		/* The publishing statistics page (stats.c) of every build. */
		sitemap_url(&map, cat, "stats/", f->lastmod);
		buf_put(&map, f->urls.ptr ? f->urls.ptr : "", f->urls.len);
		buf_put(&map, f->pages.ptr ? f->pages.ptr : "", f->pages.len);
		buf_puts(&map, "</urlset>\n");
		if (rc == 0)
			rc = put(o, "sitemap.xml", &map, err);
	}
	if (rc == 0)
		rc = put(o, "robots.txt", &robots, err);
	buf_free(&csv);
	buf_free(&map);
	buf_free(&robots);
	buf_free(&b);
	return rc;
}

void feeds_free(odc_feeds *f)
{
	buf_free(&f->rows);
	buf_free(&f->urls);
	buf_free(&f->pages);
}
