#!/usr/bin/env bash
# End-to-end tests of the schema.org Dataset JSON-LD in the <head> of every
# dataset page (dataset.jsonld_html, for Google Dataset Search): it must be
# one script element per page, valid JSON for jq and for a browser's
# JSON.parse (node), carry the properties Google requires, and no value —
# however hostile — may end the script element.
T_SUITE=schemaorg
source "$(dirname "$0")/../lib.sh"

need_node_modules
t_true "jq is installed" command -v jq >/dev/null

# ld_json PAGE — prints the text between <script type="application/ld+json">
# and the next </script>; ld_count PAGE — how many such elements there are.
ld_json() {
	awk 'BEGIN { RS = "\001" } {
		o = "<script type=\"application/ld+json\">"
		i = index($0, o); if (!i) exit 1
		rest = substr($0, i + length(o)); j = index(rest, "</script>"); if (!j) exit 1
		printf "%s", substr(rest, 1, j - 1)
	}' "$1"
}
ld_count() { grep -o '<script type="application/ld+json">' "$1" | wc -l; }

# check_page NAME PAGE DATAPACKAGE — the checks every dataset page gets.
check_page() {
	local n=$1 page=$2 dp=$3 js=$T_TMP/ld.json first ncsv files
	t_eq "$n: exactly one ld+json script" "$(ld_count "$page")" 1
	ld_json "$page" >"$js"
	t_true "$n: parses with jq" jq -e . "$js" >/dev/null
	t_true "$n: parses with node JSON.parse" node -e 'JSON.parse(require("fs").readFileSync(0, "utf8"))' <"$js"
	t_eq "$n: @context and @type" "$(jq -r '."@context" + " " + ."@type"' "$js")" "https://schema.org/ Dataset"
	t_true "$n: name present" jq -e '.name | type == "string" and length > 0' "$js" >/dev/null
	t_true "$n: description is 50 to 5000 characters" jq -e '.description | length >= 50 and length <= 5000' "$js" >/dev/null
	t_true "$n: url present" jq -e '.url | type == "string" and length > 0' "$js" >/dev/null
	t_true "$n: identifier is the url" jq -e '.identifier == .url' "$js" >/dev/null
	t_true "$n: license present" jq -e '.license | type == "string" and length > 0' "$js" >/dev/null
	t_true "$n: creator.name present" jq -e '.creator."@type" == "Organization" and (.creator.name | length > 0)' "$js" >/dev/null
	t_true "$n: publisher.name present" jq -e '.publisher.name | length > 0' "$js" >/dev/null
	t_true "$n: includedInDataCatalog" jq -e '.includedInDataCatalog | ."@type" == "DataCatalog" and (.name | length > 0) and (.url | length > 0)' "$js" >/dev/null
	t_true "$n: inLanguage" jq -e '.inLanguage | length > 0' "$js" >/dev/null
	files=$(jq '[.resources[] | select(.path | test("^https?://") | not)] | length' "$dp")
	t_eq "$n: a DataDownload with contentUrl per file" \
		"$(jq '[.distribution // [] | .[] | select(."@type" == "DataDownload" and (.contentUrl | type == "string"))] | length' "$js")" "$files"
	t_true "$n: distributions have encodingFormat and contentSize" \
		jq -e '[.distribution // [] | .[] | (.encodingFormat | length > 0) and (.contentSize | test("^[0-9]+ B$"))] | all' "$js" >/dev/null
	first=$(jq -c '[.resources[] | select(((.format // "") | ascii_downcase) == "csv" or (.path | test("\\.csv$"; "i"))) | select(.schema | type == "object")] | (.[0].schema.fields // []) | map(.name)' "$dp")
	ncsv=$(jq '[.resources[] | select(((.format // "") | ascii_downcase) == "csv" or (.path | test("\\.csv$"; "i"))) | select(.schema | type == "object")] | length' "$dp")
	if [ "$ncsv" = 1 ]; then
		t_eq "$n: variableMeasured = the CSV schema's field names" "$(jq -c '[.variableMeasured[].name]' "$js")" "$first"
	else
		t_eq "$n: variableMeasured starts with the first CSV schema's field names" \
			"$(jq -c --argjson f "$first" '[.variableMeasured[].name][0:($f | length)]' "$js")" "$first"
	fi
	t_true "$n: no raw U+2028/U+2029 or < in the script" bash -c '! grep -q -e "<" -e $'"'"'\xe2\x80\xa8'"'"' -e $'"'"'\xe2\x80\xa9'"'"' "$1"' _ "$js"
}

# ---------------------------------------------------------------- (a) the sample catalogue
S=$T_TMP/site
odc build --repo "$TOP" --out "$S"
t_rc "sample catalogue builds" 0
pages=0
for dp in "$TOP"/datasets/*/datapackage.json; do
	slug=$(basename "$(dirname "$dp")")
	for page in "$S/datasets/$slug/index.html" "$S/en/datasets/$slug/index.html"; do
		if [ ! -f "$page" ]; then
			t_fail "sample $slug: page exists" "missing $page"
			continue
		fi
		check_page "sample ${page#"$S"/}" "$page" "$dp"
		pages=$((pages + 1))
	done
done
t_true "sample: dataset pages were checked" test "$pages" -ge 2
ld_json "$S/datasets/parks/index.html" >"$T_TMP/parks.json"
t_eq "sample parks: url is absolute with base_url" "$(jq -r .url "$T_TMP/parks.json")" "https://opendata.example.jp/datasets/parks/"
t_eq "sample parks: English url" "$(ld_json "$S/en/datasets/parks/index.html" | jq -r .url)" "https://opendata.example.jp/en/datasets/parks/"
t_eq "sample parks: contentUrl is absolute" "$(jq -r '.distribution[0].contentUrl' "$T_TMP/parks.json")" "https://opendata.example.jp/datasets/parks/parks.csv"
t_eq "sample parks: contentSize is the byte count" "$(jq -r '.distribution[0].contentSize' "$T_TMP/parks.json")" "$(stat -c %s "$TOP/datasets/parks/parks.csv") B"
t_eq "sample parks: box is south west north east" "$(jq -r .spatialCoverage.geo.box "$T_TMP/parks.json")" "35.52 139.46 35.64 139.78"
t_eq "sample parks: temporalCoverage" "$(jq -r .temporalCoverage "$T_TMP/parks.json")" "2025-04-01/2026-03-31"
t_eq "sample parks: city is the parent organisation" "$(jq -r .creator.parentOrganization.name "$T_TMP/parks.json")" "川崎市"
t_eq "sample parks: catalogue" "$(jq -r '.includedInDataCatalog.url' "$T_TMP/parks.json")" "https://opendata.example.jp/"
t_eq "sample parks: a description of 50 characters or more is used as it is" \
	"$(jq -r .description "$T_TMP/parks.json")" \
	"$(jq -r .description.ja "$TOP/datasets/parks/datapackage.json")"
t_eq "sample parks: English description is the dataset's own" \
	"$(ld_json "$S/en/datasets/parks/index.html" | jq -r .description)" "$(jq -r .description.en "$TOP/datasets/parks/datapackage.json")"
t_nogrep "sample: list pages have no JSON-LD" "$S/index.html" "application/ld+json"

# ---------------------------------------------------------------- (b) a hostile catalogue
R=$T_TMP/repo
new_repo "$R"
mkdir -p "$R/datasets/evil" "$R/datasets/long" "$R/datasets/short"
TITLE='</script><script>alert(1)</script>'
LS=$'\xe2\x80\xa8'
cat >"$R/odcat.json" <<'JSON'
{
  "title": {"ja": "敵対的</script>カタログ", "en": "Hostile <!-- catalogue"},
  "languages": ["ja", "en"],
  "publisher": {"name": {"ja": "テスト市", "en": "Test City"}},
  "publishers": {"it": {"name": {"ja": "情報課</script>", "en": "IT \"Division\""}, "email": "it@example.jp"}},
  "license": "CC-BY-4.0",
  "contactPoint": {"name": "窓口", "email": "desk@example.jp"}
}
JSON
long=$(printf '長い説明%.0s' $(seq 1 1600))
jq -n --arg t "$TITLE" --arg d "Line one${LS}line two <!-- not a comment --> & more text so that it is long enough." '{
  name: "evil", title: $t, description: $d,
  keywords: ["say \"hi\"", "</script>", "a\u2029b"],
  publisher: "it",
  spatial: {name: "<!--", bbox: [139.1, 35.2, 139.3, 35.4]},
  temporal: {start: "2024-01-01"},
  resources: [
    {name: "data", path: "data.csv", format: "csv",
     schema: {fields: [{name: "</script>", type: "string", title: "<!-- t -->"}, {name: "say \"x\"", type: "integer"}]}},
    {name: "api", path: "https://api.example.jp/v1/x", format: "json"}
  ]}' >"$R/datasets/evil/datapackage.json"
printf '</script>,"say ""x"""\na,1\n' >"$R/datasets/evil/data.csv"
printf '# </script>\n\nREADME <!-- text\n' >"$R/datasets/evil/README.md"
jq -n --arg d "$long" '{name: "long", title: "Long", description: $d, keywords: ["long"],
  resources: [{name: "d", path: "d.csv", format: "csv", schema: {fields: [{name: "a", type: "integer"}]}}]}' \
	>"$R/datasets/long/datapackage.json"
printf 'a\n1\n' >"$R/datasets/long/d.csv"
jq -n '{name: "short", title: "Short", description: "Too short.", keywords: ["short"],
  resources: [{name: "d", path: "d.csv", format: "csv", schema: {fields: [{name: "a", type: "integer", description: "the a"}]}}]}' \
	>"$R/datasets/short/datapackage.json"
printf 'a\n1\n' >"$R/datasets/short/d.csv"
cat >"$R/datasets/short/README.md" <<'MD'
# Short

## Details

| a | b |
| - | - |

> A **bold** claim about [the data](https://example.jp/x_y) with `code`,
> *emphasis* and ![a picture](p.png) in it.

Second paragraph is not used.
MD
commit_all "$R" "hostile catalogue"
HS=$T_TMP/hsite
odc build --repo "$R" --out "$HS"
t_rc "hostile catalogue builds" 0
t_err "hostile: every dataset is published" "3 datasets published, 0 not published"
for page in "$HS/datasets/evil/index.html" "$HS/en/datasets/evil/index.html"; do
	n="hostile ${page#"$HS"/}"
	check_page "$n" "$page" "$R/datasets/evil/datapackage.json"
	t_nogrep "$n: no literal </script><script>alert" "$page" "</script><script>alert"
	ld_json "$page" >"$T_TMP/evil.json"
	t_eq "$n: name round-trips exactly" "$(jq -r .name "$T_TMP/evil.json")" "$TITLE"
	t_eq "$n: name round-trips in node" \
		"$(node -e 'process.stdout.write(JSON.parse(require("fs").readFileSync(0, "utf8")).name)' <"$T_TMP/evil.json")" "$TITLE"
	t_true "$n: description keeps U+2028 and <!--" jq -e --arg d "Line one${LS}line two <!-- not a comment" '.description | startswith($d)' "$T_TMP/evil.json" >/dev/null
	t_true "$n: keywords round-trip" jq -e '.keywords == ["say \"hi\"", "</script>", "a\u2029b"]' "$T_TMP/evil.json" >/dev/null
	t_eq "$n: variableMeasured names" "$(jq -c '[.variableMeasured[].name]' "$T_TMP/evil.json")" '["</script>","say \"x\""]'
	t_eq "$n: publisher with quotes and </script>" "$(jq -r .publisher.name "$T_TMP/evil.json")" \
		"$([ "${page#"$HS"/en/}" != "$page" ] && echo 'IT "Division"' || echo '情報課</script>')"
	t_eq "$n: open-ended temporalCoverage" "$(jq -r .temporalCoverage "$T_TMP/evil.json")" "2024-01-01/.."
	t_eq "$n: one file, the link left out" "$(jq '.distribution | length' "$T_TMP/evil.json")" 1
	t_true "$n: the script is one element" bash -c '[ "$(grep -o "</script>" "$1" | wc -l)" = "$(grep -o "<script" "$1" | wc -l)" ]' _ "$page"
done
ld_json "$HS/datasets/evil/index.html" >"$T_TMP/evil.json"
t_eq "hostile: without base_url the url is relative to the page" "$(jq -r .url "$T_TMP/evil.json")" "../../datasets/evil/"
t_eq "hostile: without base_url contentUrl is relative to the page" "$(jq -r '.distribution[0].contentUrl' "$T_TMP/evil.json")" "../../datasets/evil/data.csv"
t_eq "hostile: English page url" "$(ld_json "$HS/en/datasets/evil/index.html" | jq -r .url)" "../../../en/datasets/evil/"
t_eq "hostile: catalogue name round-trips" "$(jq -r .includedInDataCatalog.name "$T_TMP/evil.json")" "敵対的</script>カタログ"
t_grep "hostile: < is escaped as \\u003c" "$HS/datasets/evil/index.html" '"name":"\u003c/script\u003e\u003cscript\u003ealert(1)\u003c/script\u003e"'
t_grep "hostile: U+2028 is escaped" "$HS/datasets/evil/index.html" 'Line one\u2028line two \u003c!--'

ld_json "$HS/datasets/long/index.html" >"$T_TMP/long.json"
t_true "long: parses" jq -e . "$T_TMP/long.json" >/dev/null
t_eq "long: description cut at 5000 characters" "$(jq -r '.description | length' "$T_TMP/long.json")" 5000
t_true "long: cut on a character boundary" cmp -s <(jq -j .description "$T_TMP/long.json") <(printf %s "${long:0:5000}")

ld_json "$HS/datasets/short/index.html" >"$T_TMP/short.json"
t_eq "short: description completed from the README's first paragraph as plain text" \
	"$(jq -r .description "$T_TMP/short.json")" \
	"Too short. A bold claim about the data with code, emphasis and a picture in it."
t_eq "short: field description" "$(jq -r '.variableMeasured[0].description' "$T_TMP/short.json")" "the a"
t_eq "short: licence falls back to odcat.json's" "$(jq -r .license "$T_TMP/short.json")" "https://creativecommons.org/licenses/by/4.0/"

t_summary
