#!/usr/bin/env bash
# End-to-end tests of the catalogue listings every build writes beside the
# pages: opendata-list.csv (the Japanese standard オープンデータ一覧), sitemap.xml
# and robots.txt. The oracle for the CSV is the standard's own Table Schema
# in ../shared, applied by odcat's validator (`check --package`).
T_SUITE=feeds
source "$(dirname "$0")/../lib.sh"

SCHEMA=$(cd "$TOP/.." && pwd)/shared/ja-standard-schemas/open-data-list.schema.json
[ -f "$SCHEMA" ] || { t_fail "standard schema" "missing $SCHEMA"; t_summary; exit 1; }

# xmllint (Debian: libxml2-utils) checks that the sitemap is well-formed.
if ! command -v xmllint >/dev/null 2>&1 && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
	apt-get install -y -qq libxml2-utils >/dev/null 2>&1 ||
		{ apt-get update -qq >/dev/null 2>&1 && apt-get install -y -qq libxml2-utils >/dev/null 2>&1; }
fi
HAVE_XMLLINT=
command -v xmllint >/dev/null 2>&1 && HAVE_XMLLINT=1
[ -n "$HAVE_XMLLINT" ] || echo "note $T_SUITE: xmllint not found (install libxml2-utils); well-formedness not checked"

# package SITE NAME [JQ-FILTER] — a Data Package folder holding SITE's
# opendata-list.csv with the standard schema inline (changed by JQ-FILTER,
# applied to the schema), then `odc check --package --format json` on it.
package() {
	local p=$T_TMP/pkg-$2
	rm -rf "$p" && mkdir -p "$p"
	cp "$1/opendata-list.csv" "$p/"
	jq -n --slurpfile s "$SCHEMA" \
		'{name: "opendata-list", resources: [{name: "list", path: "opendata-list.csv",
		  format: "csv", mediatype: "text/csv", encoding: "utf-8", schema: ($s[0] | '"${3:-.}"')}]}' \
		>"$p/datapackage.json"
	odc check --package "$p" --format json
}

# ---------------------------------------------------------------- the sample catalogue
S=$T_TMP/site
odc build --repo "$TOP" --out "$S"
t_rc "sample: build exits 0" 0
t_file "sample: opendata-list.csv" "$S/opendata-list.csv"
t_file "sample: sitemap.xml" "$S/sitemap.xml"
t_file "sample: robots.txt" "$S/robots.txt"
ndatasets=$(jq '.dataset | length' "$S/data.json")

t_eq "sample: UTF-8 BOM" "$(head -c 3 "$S/opendata-list.csv" | od -An -tx1 | tr -d ' \n')" "efbbbf"
t_eq "sample: header is the standard's columns in order" \
	"$(head -n 1 "$S/opendata-list.csv" | sed 's/^\xEF\xBB\xBF//' | tr -d '\r')" \
	"$(jq -r '.fields | map(.name) | join(",")' "$SCHEMA")"
t_eq "sample: every line ends in CRLF" "$(grep -c $'\r$' "$S/opendata-list.csv")" "$(wc -l <"$S/opendata-list.csv")"
t_eq "sample: no bare LF" "$(tr -cd '\n' <"$S/opendata-list.csv" | wc -c)" "$(tr -cd '\r' <"$S/opendata-list.csv" | wc -c)"

package "$S" sample
t_rc "sample: opendata-list.csv validates against the standard schema" 0
t_eq "sample: check --package reports it valid" "$(jq -r .valid <<<"$OUT")" true
t_eq "sample: one row per published dataset" "$(jq '.datasets[0].resources[0].rows' <<<"$OUT")" "$ndatasets"

row() { grep -F ",$1," "$S/opendata-list.csv" | tr -d '\r'; } # the row of a slug (sample data has no quotes)
r=$(row aed-locations)
t_eq "sample: 全国地方公共団体コード from odcat.json" "$(cut -d, -f1 <<<"$r")" "$(jq -r .publisher.code "$TOP/odcat.json")"
t_eq "sample: NO is the slug" "$(cut -d, -f2 <<<"$r")" "aed-locations"
t_eq "sample: 都道府県名 from the code" "$(cut -d, -f3 <<<"$r")" "神奈川県"
t_eq "sample: 市区町村名 is the publisher's Japanese name" "$(cut -d, -f4 <<<"$r")" "$(jq -r .publisher.name.ja "$TOP/odcat.json")"
t_eq "sample: データ名称 is the Japanese title" "$(cut -d, -f5 <<<"$r")" "$(jq -r .title.ja "$TOP/datasets/aed-locations/datapackage.json")"
t_grep "sample: several formats are one quoted cell" "$S/opendata-list.csv" ',"CSV,PDF",'
t_grep "sample: a non-standard category is mapped to a 分類" "$S/opendata-list.csv" ',"CSV,PDF",社会保障・衛生,毎年,'
t_grep "sample: the dataset page URL with base_url" "$S/opendata-list.csv" ",https://opendata.example.jp/datasets/aed-locations/,無,"
t_grep "sample: licence title in Japanese" "$S/opendata-list.csv" "クリエイティブ・コモンズ 表示 4.0 国際"
t_grep "sample: 登録日 and 最終更新日 from issued and modified" "$S/opendata-list.csv" ",2019-04-01,2025-04-01,"
t_grep "sample: the catalogue's own category is kept in 備考" "$S/opendata-list.csv" "カタログの分類: 健康・福祉"
t_grep "sample: a standard category is kept as is" "$S/opendata-list.csv" ",CSV,人口・世帯,毎月,"

# sitemap.xml
if [ -n "$HAVE_XMLLINT" ]; then
	t_true "sample: sitemap.xml is well-formed" xmllint --noout "$S/sitemap.xml"
fi
t_grep "sample: sitemap uses the sitemaps.org 0.9 namespace" "$S/sitemap.xml" '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
(cd "$S" && find . -name index.html | sed 's|^\./||; s|index\.html$||; s|^|https://opendata.example.jp/|' | sort) >"$T_TMP/pages"
# (tag pages of Japanese keywords have UTF-8 folder names, percent-encoded in URLs)
sed -n 's|.*<loc>\(.*\)</loc>.*|\1|p' "$S/sitemap.xml" | perl -pe 's/%([0-9A-Fa-f]{2})/chr(hex($1))/ge' | sort >"$T_TMP/locs"
t_true "sample: the sitemap lists exactly the HTML pages written" diff "$T_TMP/pages" "$T_TMP/locs"
missing=
for dp in "$TOP"/datasets/*/datapackage.json; do
	slug=$(basename "$(dirname "$dp")")
	mod=$(jq -r '.modified // .issued' "$dp")
	for u in "https://opendata.example.jp/datasets/$slug/" "https://opendata.example.jp/en/datasets/$slug/"; do
		grep -A1 -F "<loc>$u</loc>" "$S/sitemap.xml" | grep -qF "<lastmod>$mod</lastmod>" || missing="$missing $u"
	done
done
t_eq "sample: every dataset page, in both languages, with lastmod = modified" "$missing" ""
t_eq "robots.txt allows all and names the sitemap" "$(cat "$S/robots.txt")" \
	"$(printf 'User-agent: *\nAllow: /\nSitemap: https://opendata.example.jp/sitemap.xml')"

odc build --repo "$TOP" --out "$T_TMP/site2"
for f in opendata-list.csv sitemap.xml robots.txt; do
	t_true "sample: $f is the same in two builds" cmp -s "$S/$f" "$T_TMP/site2/$f"
done

# ---------------------------------------------------------------- hostile values
H=$T_TMP/hostile
new_repo "$H"
mkdir -p "$H/datasets/evil" "$H/datasets/plain"
cat >"$H/odcat.json" <<'JSON'
{
  "title": {"ja": "テスト市", "en": "Test City"},
  "description": "tests",
  "base_url": "https://example.jp/a&b/",
  "languages": ["ja", "en"],
  "publisher": {"name": {"ja": "テスト市", "en": "Test City"}, "code": "131016"},
  "publishers": {"p": {"name": {"ja": "課", "en": "Division"}, "email": "p@example.jp"}},
  "license": "CC-BY-4.0",
  "contactPoint": {"name": "窓口", "email": "c@example.jp"}
}
JSON
EVIL=$'Parks, "big" & small\n<script>alert(1)</script>'
jq -n --arg t "$EVIL" '{
  name: "evil", title: {ja: $t, en: "Evil"},
  description: {ja: "line one\r\nline two, with \"quotes\"", en: "d"},
  keywords: ["k"], publisher: "p", category: "観光", modified: "2025-02-03",
  resources: [{name: "r", path: "r.csv", format: "csv", encoding: "utf-8",
    schema: {fields: [{name: "a", type: "string"}]}},
    {name: "api", path: "https://api.example.jp/v1/x", format: "json"}]}' >"$H/datasets/evil/datapackage.json"
printf 'a\nx\n' >"$H/datasets/evil/r.csv"
jq -n '{name: "plain", title: "Plain", description: "d", keywords: ["k"], publisher: "p",
  resources: [{name: "r", path: "r.csv", format: "csv"}]}' >"$H/datasets/plain/datapackage.json"
printf 'a\nx\n' >"$H/datasets/plain/r.csv"
commit_all "$H" "hostile"
HS=$T_TMP/site-hostile
odc build --repo "$H" --out "$HS"
t_rc "hostile: build exits 0" 0
package "$HS" hostile
t_rc "hostile: opendata-list.csv validates against the standard schema" 0
t_eq "hostile: one row per dataset despite newlines in cells" "$(jq '.datasets[0].resources[0].rows' <<<"$OUT")" 2
# Round trip: the title must parse back to exactly the committed bytes. The
# standard schema with データ名称 limited to {title, "Plain"} must pass...
package "$HS" title-ok "(.fields[] | select(.name == \"データ名称\") | .constraints.enum) = $(jq -n --arg t "$EVIL" '[$t, "Plain"]' | tr -d '\n')"
t_rc "hostile: the title with comma, quote, newline and <script> round-trips" 0
# ...and the same check with a one-byte change must fail (the oracle works).
package "$HS" title-bad "(.fields[] | select(.name == \"データ名称\") | .constraints.enum) = $(jq -n --arg t "${EVIL}x" '[$t, "Plain"]' | tr -d '\n')"
t_rc "hostile: a different title does not pass (control)" 1
package "$HS" desc-ok "(.fields[] | select(.name == \"データ概要\") | .constraints.enum) = [\"line one\\r\\nline two, with \\\"quotes\\\"\", \"d\"]"
t_rc "hostile: a description with CRLF, comma and quotes round-trips" 0
t_grep "hostile: quotes are doubled inside a quoted cell" "$HS/opendata-list.csv" '"Parks, ""big"" & small'
t_grep "hostile: a URL resource means API対応有無 = 有" "$HS/opendata-list.csv" ',"CSV,JSON",運輸・観光,,https://example.jp/a&b/datasets/evil/,有,'
t_grep "hostile: 都道府県名 of a Tokyo code" "$HS/opendata-list.csv" '131016,evil,東京都,テスト市,'
# Without issued and modified in datapackage.json, both come from the git
# history (the commit that added the folder, the last that changed it).
t_grep "hostile: no category is その他, dates from the history" "$HS/opendata-list.csv" ',その他,,https://example.jp/a&b/datasets/plain/,無,クリエイティブ・コモンズ 表示 4.0 国際,2025-04-01,2025-04-01,'
if [ -n "$HAVE_XMLLINT" ]; then
	t_true "hostile: sitemap.xml is well-formed" xmllint --noout "$HS/sitemap.xml"
fi
t_grep "hostile: URLs are XML-escaped in the sitemap" "$HS/sitemap.xml" "<loc>https://example.jp/a&amp;b/en/datasets/evil/</loc>"
t_nogrep "hostile: no raw & in the sitemap" "$HS/sitemap.xml" "a&b"
t_grep "hostile: lastmod from modified" "$HS/sitemap.xml" "<lastmod>2025-02-03</lastmod>"
t_eq "hostile: a page without a date in datapackage.json has lastmod from the history" \
	"$(grep -A1 -F '<loc>https://example.jp/a&amp;b/datasets/plain/</loc>' "$HS/sitemap.xml" | grep -c '<lastmod>2025-04-01</lastmod>')" 1

# ---------------------------------------------------------------- no base URL
jq 'del(.base_url)' "$H/odcat.json" >"$H/tmp.json" && mv "$H/tmp.json" "$H/odcat.json"
commit_all "$H" "no base url"
NS=$T_TMP/site-nobase
odc build --repo "$H" --out "$NS"
t_rc "no base_url: build exits 0" 0
t_nofile "no base_url: no sitemap.xml" "$NS/sitemap.xml"
t_file "no base_url: robots.txt still written" "$NS/robots.txt"
t_nogrep "no base_url: robots.txt has no Sitemap line" "$NS/robots.txt" "Sitemap:"
t_grep "no base_url: robots.txt allows all" "$NS/robots.txt" "Allow: /"
package "$NS" nobase
t_rc "no base_url: opendata-list.csv still validates (URL left blank, not relative)" 0
t_grep "no base_url: the URL cell is blank" "$NS/opendata-list.csv" ',運輸・観光,,,有,'

t_summary
