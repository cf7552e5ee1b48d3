#!/usr/bin/env bash
# End-to-end tests of the dataset page (issue 5, "One page per dataset"):
# the UTF-8 and Excel copies of the CSVs (compared byte for byte with
# iconv's output and with hand-written expectations), their links and
# sizes, the schema table, the accessible 100-row preview with
# OpenStreetMap links, the column profile (values worked out by hand,
# the 10,000+ cap), how to cite, the validation status, the English page's
# fallback to Japanese text, a copy name that a committed file already
# has, and hostile dataset text that must not change the page's structure.
T_SUITE=datasetpage
source "$(dirname "$0")/../lib.sh"

R=$T_TMP/repo
new_repo "$R"
test_city_odcat "$R" "テスト市カタログ" "Test City Catalogue"

# ------------------------------------------------------------ shelters (CP932)
# Hand-checked profile (5 rows):
#   名称: 5 values, 0 missing, 5 distinct (no value repeats: no top list)
#   人数 (integer, schema 0..100): 4 values, 1 missing, 3 distinct, min 10,
#     max 80; bins of 11: 0–10: 1, 33–43: 2, 77–87: 1
#   緯度: 4 values, 1 missing, min 35.5301, max 35.54
#   種別: top 避難所 3, 避難場所 2
#   開設日 (date): 4 values, 1 missing, 3 distinct, 2024-04-01..2024-04-03,
#     one bin per day: 2, 1, 1
D=$R/datasets/shelters
mkdir -p "$D"
cat >"$D/datapackage.json" <<'JSON'
{
  "name": "shelters",
  "title": {"ja": "避難所", "en": "Shelters"},
  "description": {"ja": "テスト市内の指定避難所と指定緊急避難場所の一覧です。施設の名称、収容人数、緯度と経度、種別、開設日を載せています。", "en": "The shelters of the city: name, capacity, location, kind and opening date."},
  "keywords": {"ja": ["避難所", "防災"], "en": ["shelter", "disaster"]},
  "publisher": "parks",
  "theme": ["JUST"],
  "spatial": {"ja": "テスト市", "en": "Test City"},
  "temporal": {"start": "2024-04-01", "end": "2025-03-31"},
  "accrualPeriodicity": "annual",
  "issued": "2020-04-01",
  "modified": "2025-04-01",
  "resources": [
    {"name": "shelters", "title": {"ja": "避難所一覧", "en": "Shelter list"}, "path": "shelters.csv",
     "format": "csv", "encoding": "shift_jis",
     "schema": {"fields": [
       {"name": "名称", "title": {"ja": "施設名", "en": "Name"}, "type": "string", "constraints": {"required": true},
        "description": {"ja": "施設の名前", "en": "The facility's name"}},
       {"name": "人数", "type": "integer", "constraints": {"minimum": 0, "maximum": 100}},
       {"name": "緯度", "title": "Latitude", "type": "number"},
       {"name": "経度", "title": "Longitude", "type": "number"},
       {"name": "種別", "type": "string", "constraints": {"enum": ["避難所", "避難場所"]}},
       {"name": "開設日", "type": "date"}
     ]}}
  ]
}
JSON
printf '%s\n' '# 避難所' '' '市内の避難所の一覧です。' >"$D/README.md"
printf '%s\n' '# Shelters' '' 'The shelters of the city.' >"$D/README.en.md"
printf '%s\n' '名称,人数,緯度,経度,種別,開設日' \
	'川崎小学校,40,35.5308,139.7029,避難所,2024-04-01' \
	'"中央公園' '(北側)",,35.5312,139.7001,避難場所,2024-04-03' \
	'幸区体育館,80,35.5400,139.6900,避難所,' \
	'駅前広場,10,35.5301,139.7050,避難場所,2024-04-02' \
	'"A,B会館",40,,,避難所,2024-04-01' >"$T_TMP/shelters.utf8"
iconv -f UTF-8 -t CP932 "$T_TMP/shelters.utf8" >"$D/shelters.csv"
t_false "the fixture is not UTF-8" cmp -s "$T_TMP/shelters.utf8" "$D/shelters.csv"

# ------------------------------------------------------------ 12,000 distinct values
C=$R/datasets/many
mkdir -p "$C"
cat >"$C/datapackage.json" <<'JSON'
{
  "name": "many", "title": {"ja": "多くの値", "en": "Many values"},
  "description": {"ja": "一万二千の異なる値を持つ列のテスト用データです。", "en": "A column with twelve thousand distinct values."},
  "keywords": ["test"], "publisher": "parks",
  "resources": [{"name": "many", "path": "many.csv", "format": "csv",
    "schema": {"fields": [{"name": "code", "type": "string"}, {"name": "n", "type": "integer"}]}}]
}
JSON
awk 'BEGIN { print "code,n"; for (i = 0; i < 12000; i++) printf "k%05d,%d\n", i, i % 7 }' >"$C/many.csv"

# ------------------------------------------------------------ Japanese only (fallback)
J=$R/datasets/jaonly
mkdir -p "$J"
cat >"$J/datapackage.json" <<'JSON'
{
  "name": "jaonly", "title": {"ja": "日本語だけのデータ"},
  "description": {"ja": "英語の説明がないデータセットです。英語のページでは、この日本語の文章に言語の印と注意書きを付けて表示します。"},
  "keywords": {"ja": ["日本語"]}, "publisher": "parks",
  "resources": [{"name": "t", "path": "t.csv", "format": "csv",
    "schema": {"fields": [{"name": "x", "type": "string"}]}}]
}
JSON
printf '%s\n' '# 説明' '' '日本語の説明文です。' >"$J/README.md"
printf 'x\n=1+1\nb\n' >"$J/t.csv"

# ------------------------------------------------------------ a copy name already taken
K=$R/datasets/clash
mkdir -p "$K"
cat >"$K/datapackage.json" <<'JSON'
{
  "name": "clash", "title": {"ja": "名前の衝突", "en": "Name clash"},
  "description": {"ja": "Excel 用の複製と同じ名前のファイルをコミットしたデータセットです。", "en": "A committed file has the Excel copy's name."},
  "keywords": ["test"], "publisher": "parks",
  "resources": [
    {"name": "d", "path": "d.csv", "format": "csv", "schema": {"fields": [{"name": "a", "type": "integer"}]}},
    {"name": "mine", "path": "d.excel.csv", "format": "csv"}
  ]
}
JSON
printf 'a\n1\n' >"$K/d.csv"
printf 'my own file\n' >"$K/d.excel.csv"

# ------------------------------------------------------------ no schema
N=$R/datasets/raw
mkdir -p "$N"
cat >"$N/datapackage.json" <<'JSON'
{
  "name": "raw", "title": {"ja": "スキーマなし", "en": "No schema"},
  "description": {"ja": "スキーマのない Shift_JIS の CSV です。ページにはプレビューだけを表示し、テーブルスキーマによる検証はしません。", "en": "A CSV without a schema: previewed, not validated."},
  "keywords": ["test"], "publisher": "parks",
  "resources": [{"name": "raw", "path": "raw.csv", "format": "csv", "encoding": "cp932"}]
}
JSON
printf 'lat,lon,名前\n35.1,139.2,甲\n' | iconv -f UTF-8 -t CP932 >"$N/raw.csv"

# ------------------------------------------------------------ a geopoint column
G=$R/datasets/points
mkdir -p "$G"
cat >"$G/datapackage.json" <<'JSON'
{
  "name": "points", "title": {"ja": "地点", "en": "Points"},
  "description": {"ja": "geopoint 型の列で位置を表すデータセットです。プレビューの各行に地図へのリンクが付きます。", "en": "Places as a geopoint column."},
  "keywords": ["test"], "publisher": "parks",
  "resources": [{"name": "p", "path": "p.csv", "format": "csv",
    "schema": {"fields": [{"name": "where", "type": "geopoint"}, {"name": "name", "type": "string"}]}}]
}
JSON
printf 'where,name
"139.7,35.6",駅
,無し
' >"$G/p.csv"

# ------------------------------------------------------------ UTF-8 with BOM, CRLF
B=$R/datasets/bom
mkdir -p "$B/data"
cat >"$B/datapackage.json" <<'JSON'
{
  "name": "bom", "title": {"ja": "BOM 付き", "en": "With BOM"},
  "description": {"ja": "BOM 付き UTF-8、改行 CRLF でコミットした CSV のデータセットです。Excel 用の複製の BOM は 1 つです。", "en": "A CSV committed with a BOM and CRLF."},
  "keywords": ["test"], "publisher": "parks",
  "resources": [{"name": "b", "path": "data/b.CSV", "format": "csv",
    "schema": {"fields": [{"name": "a", "type": "string"}, {"name": "b", "type": "integer"}]}}]
}
JSON
printf '\xef\xbb\xbfa,b\r\n"x\r\ny",1\r\nz,2' >"$B/data/b.CSV"

commit_all "$R" "datasets"
S=$T_TMP/site
odc build --repo "$R" --out "$S"
t_rc "the catalogue builds" 0
P=$S/datasets/shelters/index.html
E=$S/en/datasets/shelters/index.html

# ------------------------------------------------------------ copies
t_file "a CP932 CSV gets a UTF-8 copy" "$S/datasets/shelters/shelters.utf8.csv"
t_true "the UTF-8 copy is iconv's conversion, byte for byte" \
	bash -c 'iconv -f CP932 -t UTF-8 "$1" | cmp -s - "$2"' _ "$D/shelters.csv" "$S/datasets/shelters/shelters.utf8.csv"
# Written by hand: BOM, CRLF after every record, the line break inside the
# quoted name kept as LF, quotes as committed.
printf '\xef\xbb\xbf%s\r\n%s\r\n%s\n%s\r\n%s\r\n%s\r\n%s\r\n' '名称,人数,緯度,経度,種別,開設日' \
	'川崎小学校,40,35.5308,139.7029,避難所,2024-04-01' '"中央公園' '(北側)",,35.5312,139.7001,避難場所,2024-04-03' \
	'幸区体育館,80,35.5400,139.6900,避難所,' '駅前広場,10,35.5301,139.7050,避難場所,2024-04-02' \
	'"A,B会館",40,,,避難所,2024-04-01' >"$T_TMP/excel.want"
t_true "the Excel copy: BOM, CRLF record ends, quoted line break and quotes kept" \
	cmp "$T_TMP/excel.want" "$S/datasets/shelters/shelters.excel.csv"
t_eq "the Excel copy starts with the UTF-8 BOM" "$(head -c3 "$S/datasets/shelters/shelters.excel.csv" | od -An -tx1 | tr -d ' ')" "efbbbf"
t_file "a UTF-8 CSV gets an Excel copy" "$S/datasets/many/many.excel.csv"
t_nofile "a UTF-8 CSV gets no UTF-8 copy" "$S/datasets/many/many.utf8.csv"
t_true "a UTF-8 CSV's Excel copy is BOM + the file with CRLF" \
	bash -c '{ printf "\xef\xbb\xbf"; sed "s/\$/\r/" "$1"; } | cmp -s - "$2"' _ "$C/many.csv" "$S/datasets/many/many.excel.csv"
size=$(stat -c %s "$S/datasets/shelters/shelters.excel.csv")
t_grep "the page links the Excel copy with its size" "$P" \
	"href=\"../../datasets/shelters/shelters.excel.csv\" type=\"text/csv\" download>Excel 用 CSV <span class=\"size\">(${size} B)</span>"
size=$(stat -c %s "$S/datasets/shelters/shelters.utf8.csv")
t_grep "the page links the UTF-8 copy with its size" "$P" \
	"href=\"../../datasets/shelters/shelters.utf8.csv\" type=\"text/csv\" download>CSV（UTF-8） <span class=\"size\">(${size} B)</span>"
t_grep "the English page links the copies from the root" "$E" 'href="../../../datasets/shelters/shelters.excel.csv"'
size=$(stat -c %s "$S/datasets/shelters/shelters.csv.json")
t_grep "the page gives the JSON copy's size" "$P" "type=\"application/json\" download>JSON <span class=\"size\">(${size} B)</span>"
t_true "a CSV with BOM and CRLF: the Excel copy has one BOM, its CRLFs and a CRLF at the end" \
	cmp -s <(printf '\xef\xbb\xbfa,b\r\n"x\r\ny",1\r\nz,2\r\n') "$S/datasets/bom/data/b.excel.csv"
t_file "a CSV without a schema gets a UTF-8 copy" "$S/datasets/raw/raw.utf8.csv"
t_nofile "a CSV without a schema gets no Excel copy (not validated)" "$S/datasets/raw/raw.excel.csv"

# A committed file with the copy's name: a warning, no overwrite.
t_err "a taken copy name is a warning" "warning: odcat-copy-collision"
t_true "the committed file keeps its bytes" cmp -s "$K/d.excel.csv" "$S/datasets/clash/d.excel.csv"
t_nogrep "the page does not offer the Excel copy" "$S/datasets/clash/index.html" "Excel 用 CSV <span"
odc check --repo "$R" clash
t_out "odcat check reports the taken copy name too" "odcat-copy-collision"

# A second build takes the datasets from the cache: the same copies and page.
odc build --repo "$R" --out "$T_TMP/site2"
t_rc "a second (cached) build" 0
t_true "the cached build restores the Excel copy" cmp -s "$S/datasets/shelters/shelters.excel.csv" "$T_TMP/site2/datasets/shelters/shelters.excel.csv"
t_true "the cached build restores the UTF-8 copy" cmp -s "$S/datasets/shelters/shelters.utf8.csv" "$T_TMP/site2/datasets/shelters/shelters.utf8.csv"
t_true "the cached build gives the same dataset page" cmp -s "$P" "$T_TMP/site2/datasets/shelters/index.html"

# ------------------------------------------------------------ schema table
t_grep "schema: name, title, type" "$P" '<tr><th scope="row"><code class="break">名称</code></th><td>施設名</td><td>string</td>'
t_grep "schema: required" "$P" '<li>必須</li>'
t_grep "schema: minimum and maximum" "$P" '<li>最小値: <code class="break">0</code></li><li>最大値: <code class="break">100</code></li>'
t_grep "schema: enum" "$P" '<li>次のいずれか: <code class="break">避難所, 避難場所</code></li>'
t_grep "schema: description" "$P" '<td>施設の名前</td>'
t_grep "schema (en): title and description in English" "$E" '<td>Name</td><td>string</td>'

# ------------------------------------------------------------ preview
t_grep "preview: caption with the row count" "$P" '<caption id="r1-preview-caption">避難所一覧（全 5 行のうち先頭 5 行）</caption>'
t_grep "preview: a scrollable region labelled by the caption, focusable" "$P" \
	'<div class="table-scroll preview" role="region" aria-labelledby="r1-preview-caption" tabindex="0">'
t_grep "preview: column headers with scope" "$P" '<th scope="col">地図</th><th scope="col">名称</th><th scope="col">人数</th>'
t_grep "preview: the OpenStreetMap link of row 1" "$P" \
	'<a href="https://www.openstreetmap.org/?mlat=35.5308&amp;mlon=139.7029#map=17/35.5308/139.7029" rel="external">地図'
t_grep "preview: a multi-line cell" "$P" '<td>中央公園
(北側)</td>'
t_grep "preview: a row without coordinates has no map link" "$P" '<tr><td></td><td>A,B会館</td><td>40</td>'
t_grep "preview: a geopoint column gives the map link (lon, lat order)" "$S/datasets/points/index.html" \
	'<a href="https://www.openstreetmap.org/?mlat=35.6&amp;mlon=139.7#map=17/35.6/139.7" rel="external">'
t_grep "preview: a row with a missing geopoint has none" "$S/datasets/points/index.html" '<tr><td></td><td></td><td>無し</td></tr>'
rows=$(grep -c '^            <tr><td>' "$S/datasets/many/index.html")
t_eq "preview: 100 rows of a 12,000-row file" "$rows" 100
t_grep "preview: the caption says 100 of 12,000" "$S/datasets/many/index.html" '全 12,000 行のうち先頭 100 行'
t_grep "preview without schema: the CSV's header" "$S/datasets/raw/index.html" '<th scope="col">lat</th><th scope="col">lon</th><th scope="col">名前</th>'
t_grep "preview without schema: map link from lat/lon headers" "$S/datasets/raw/index.html" 'mlat=35.1&amp;mlon=139.2'

# ------------------------------------------------------------ profile
# One column's profile as one line without blanks.
prof() { # PAGE COLUMN
	awk -v col="<code class=\"break\">$2</code>" '
		/<li class="profile-column">/ { blk = ""; on = 1 }
		on { blk = blk $0 }
		on && /<\/li>/ { if (index(blk, col)) print blk; on = 0 }' "$1" | tr -d ' \n'
}
p=$(prof "$P" 人数)
t_true "profile 人数: count 4, missing 1, distinct 3" grep -qF '<dt>値の数</dt><dd>4</dd></div><div><dt>欠損</dt><dd>1</dd></div><div><dt>異なる値</dt><dd>3</dd>' <<<"$p"
t_true "profile 人数: min 10, max 80" grep -qF '<dt>最小</dt><dd>10</dd></div><div><dt>最大</dt><dd>80</dd>' <<<"$p"
t_true "profile 人数: schema bins" grep -qF '<tr><td>0–10</td><td>1</td></tr><tr><td>11–21</td><td>0</td></tr><tr><td>22–32</td><td>0</td></tr><tr><td>33–43</td><td>2</td></tr>' <<<"$p"
t_true "profile 人数: the histogram is an SVG image with a text alternative" \
	grep -qF '<svgrole="img"aria-labelledby="r1-h2-title"' <<<"$p"
t_true "profile 人数: the alternative names range and peak" \
	grep -qF '人数のヒストグラム：0から100までを10区間に分け、最も多いのは33–43（2件）です。' <<<"$p"
p=$(prof "$P" 緯度)
t_true "profile 緯度: min and max" grep -qF '<dt>最小</dt><dd>35.5301</dd></div><div><dt>最大</dt><dd>35.54</dd>' <<<"$p"
p=$(prof "$P" 種別)
t_true "profile 種別: top values" grep -qF '<tr><td>避難所</td><td>3</td></tr><tr><td>避難場所</td><td>2</td></tr>' <<<"$p"
p=$(prof "$P" 名称)
t_true "profile 名称: 5 distinct" grep -qF '<dt>異なる値</dt><dd>5</dd>' <<<"$p"
t_false "profile 名称: no top list when nothing repeats" grep -qF 'top-values' <<<"$p"
p=$(prof "$P" 開設日)
t_true "profile 開設日: dates" grep -qF '<dt>最小</dt><dd>2024-04-01</dd></div><div><dt>最大</dt><dd>2024-04-03</dd>' <<<"$p"
t_true "profile 開設日: one bin per day" grep -qF '<tr><td>2024-04-01</td><td>2</td></tr><tr><td>2024-04-02</td><td>1</td></tr><tr><td>2024-04-03</td><td>1</td></tr>' <<<"$p"
p=$(prof "$S/datasets/many/index.html" code)
t_true "profile: 12,000 distinct values shown as 10,000+" grep -qF '<dt>異なる値</dt><dd>10,000+</dd>' <<<"$p"
t_true "profile: 12,000 values counted" grep -qF '<dt>値の数</dt><dd>12,000</dd>' <<<"$p"
p=$(prof "$S/datasets/many/index.html" n)
t_true "profile: 7 distinct integers, exact" grep -qF '<dt>異なる値</dt><dd>7</dd>' <<<"$p"

# ------------------------------------------------------------ citation, status, metadata
t_grep "how to cite (ja)" "$P" '<p class="citation">公園緑地課（2025）「避難所」テスト市カタログ, https://opendata.example.jp/datasets/shelters/（最終更新日 2025-04-01）</p>'
t_grep "how to cite (en)" "$E" '<p class="citation">Parks Division (2025). Shelters [Data set]. Test City Catalogue. https://opendata.example.jp/en/datasets/shelters/ (last modified 2025-04-01)</p>'
t_grep "status: validated" "$P" '<p class="status">検証: <span class="badge badge-ok">検証済み</span></p>'
t_grep "status: warnings are counted" "$S/datasets/jaonly/index.html" '<span class="badge badge-warn">警告 1 件</span>'
t_grep "status: a CSV without schema is not validated" "$S/datasets/raw/index.html" '<span class="badge badge-warn">未検証</span></p>'
for k in 担当部署 問い合わせ先 利用条件 キーワード 分野 対象地域 対象期間 更新頻度 公開日 最終更新日; do
	t_grep "metadata table: $k" "$P" "<th scope=\"row\">$k"
done
t_grep "metadata table: licence with a link" "$P" '<a href="https://creativecommons.org/licenses/by/4.0/'

# ------------------------------------------------------------ English fallback
F=$S/en/datasets/jaonly/index.html
t_grep "en: the Japanese-only title is marked lang=ja" "$F" '<h1 lang="ja">日本語だけのデータ</h1>'
t_grep "en: the Japanese-only summary is marked lang=ja" "$F" '<p class="lead" lang="ja">'
t_grep "en: the Japanese README is marked lang=ja" "$F" '<div class="readme-body" lang="ja">'
t_grep "en: a visible notice says Japanese only" "$F" 'This text is available in Japanese only.'
t_grep "en: the keywords are marked lang=ja" "$F" '<td lang="ja"><ul class="keywords">'
t_nogrep "en: a dataset with English text has no notice" "$E" 'available in Japanese only'
t_grep "en: README.en.md is used" "$E" 'The shelters of the city.'
t_nogrep "ja: the Japanese page has no notice" "$S/datasets/jaonly/index.html" 'fallback-notice'

# ------------------------------------------------------------ hostile text
# The same dataset twice: once with harmless text, once with text that
# tries to break out of HTML, attributes, scripts and templates. The tag
# structure of the two pages must be the same.
H=$T_TMP/hostile
new_repo "$H"
cp "$R/odcat.json" "$H/"
mkdir -p "$H/datasets/good" "$H/datasets/evil"
mk() { # DIR TEXT — a dataset whose every text is TEXT
	jq -n --arg t "$2" '{name: "x", title: {ja: $t, en: $t}, description: {ja: ($t + " の説明"), en: $t},
		keywords: [$t, "k"], publisher: "parks",
		resources: [{name: "r", title: $t, path: "r.csv", format: "csv",
		schema: {fields: [{name: $t, title: $t, description: $t, type: "string"},
		                  {name: "n", type: "integer"}]}}]}' >"$1/datapackage.json"
	# The README is Markdown, whose raw HTML is dropped by design (the
	# markdown suite tests that): here it is the same for both.
	printf '%s\n' '# README' '' 'Text.' >"$1/README.md"
	{ printf '"%s",n\n' "${2//\"/\"\"}"; printf '"%s",1\n' "${2//\"/\"\"}"; printf 'x,2\n'; } >"$1/r.csv"
}
mk "$H/datasets/good" 'plain words here'
mk "$H/datasets/evil" '<script>alert(1)</script> "onload=alert(2) {{site.title}} {{{t}}} </script><!--'
mkdir -p "$H/datasets/oddlang"
mk "$H/datasets/oddlang" 'odd language key'
jq '.resources[0].schema.fields[0].title = {"x\" onload=\"y": "odd"}' "$H/datasets/oddlang/datapackage.json" >"$T_TMP/o.json" &&
	mv "$T_TMP/o.json" "$H/datasets/oddlang/datapackage.json"
commit_all "$H" "hostile"
SH=$T_TMP/site-hostile
odc build --repo "$H" --out "$SH"
t_rc "the hostile catalogue builds" 0
skeleton() { grep -o '<[/!]\?[a-zA-Z][a-zA-Z0-9-]*' "$1"; }
for lang in "" en/; do
	g=$SH/${lang}datasets/good/index.html
	e=$SH/${lang}datasets/evil/index.html
	t_eq "hostile text leaves the ${lang:-ja/} page's tag structure unchanged" "$(skeleton "$e" | md5sum)" "$(skeleton "$g" | md5sum)"
	t_false "no tag gains an onload attribute (${lang:-ja/})" grep -qE '<[^>]*[[:space:]]onload=' "$e"
	t_grep "the text is shown escaped (${lang:-ja/})" "$e" '&lt;script&gt;alert(1)&lt;/script&gt; &quot;onload=alert(2) {{site.title}} {{{t}}} &lt;/script&gt;&lt;!--'
	t_nogrep "template tags in data are not expanded (${lang:-ja/})" "$e" 'テスト市カタログ}}'
done
t_grep "a language map key that is no language tag: its text is shown" "$SH/en/datasets/oddlang/index.html" '<td>odd</td>'
t_false "a language map key that is no language tag is never a lang attribute" grep -q ' lang="x' "$SH/en/datasets/oddlang/index.html"
t_grep "hostile column name is escaped in the schema table" "$SH/datasets/evil/index.html" '<code class="break">&lt;script&gt;alert(1)'
t_grep "hostile CSV cell is escaped in the preview" "$SH/datasets/evil/index.html" '<td>&lt;script&gt;alert(1)&lt;/script&gt;'

# ------------------------------------------------------------ validators
# The Nu HTML Checker and axe-core on the pages above (normal build only).
external_checks || { t_summary; exit; }
need_node_modules vnu-jar axe-core playwright-core
pages=("$P" "$E" "$S/datasets/many/index.html" "$S/en/datasets/jaonly/index.html" "$S/datasets/raw/index.html"
	"$S/datasets/clash/index.html" "$SH/datasets/evil/index.html" "$SH/en/datasets/evil/index.html")
vnu=$(java -jar "$TOP/tests/js/node_modules/vnu-jar/build/dist/vnu.jar" --errors-only "${pages[@]}" 2>&1)
t_eq "the Nu HTML Checker finds no error in the dataset pages" "$vnu" ""
# One retry: on a loaded machine Chromium can miss playwright's launch timeout.
node "$TOP/tests/js/axe-dataset-page.mjs" "${pages[@]}" >"$T_TMP/axe.txt" 2>&1 ||
	node "$TOP/tests/js/axe-dataset-page.mjs" "${pages[@]}" >"$T_TMP/axe.txt" 2>&1
t_eq "axe ran on every page" "$(grep -c '^[0-9]* /' "$T_TMP/axe.txt")" "${#pages[@]}"
while read -r n f rest; do
	t_eq "axe (WCAG 2.1 AA, 360 px): no violation in ${f#"$T_TMP"/}" "$n${rest:+ $rest}" 0
done <"$T_TMP/axe.txt"
t_summary
