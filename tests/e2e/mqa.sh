#!/usr/bin/env bash
# End-to-end tests of the metadata quality section of dataset pages (MQA
# points of the European Data Portal, 5-star ratings of resources) and the
# catalogue summary line of the build report. Expected points are worked
# out by hand from the indicator table in docs/view-model.md.
T_SUITE=mqa
source "$(dirname "$0")/../lib.sh"

# section PAGE — the quality section of a dataset page, on one line.
section() { sed -n '/<section class="quality"/,/<\/section>/p' "$1" | tr -d '\n'; }
score() { section "$1" | sed -n 's|.*<p class="mqa-score"><strong>\([0-9]*\)</strong> / \([0-9]*\).*|\1/\2|p'; }
dim() { # PAGE LABEL — "points / max" of one dimension
	section "$1" | grep -o "<th scope=\"row\">$2</th><td>[0-9]* / [0-9]*</td>" | sed 's|.*<td>\(.*\)</td>|\1|'
}
stars() { # PAGE TITLE — the text alternative of the resource's stars
	section "$1" | grep -o "<li>$2: <span class=\"stars\" aria-hidden=\"true\">[★☆]*</span> <span class=\"visually-hidden\">[^<]*</span>" |
		sed 's|.*"visually-hidden">||; s|</span>$||'
}

# ---------------------------------------------------------------- (a) minimal datasets, no base URL
M=$T_TMP/minimal
minimal_catalog "$M"
mkdir -p "$M/datasets/linked"
cat >"$M/datasets/linked/datapackage.json" <<'JSON'
{
  "name": "linked", "title": "Linked", "description": "A file and a link.",
  "keywords": ["linked"],
  "resources": [
    {"name": "table", "title": "Table", "path": "table.csv", "format": "csv"},
    {"name": "api", "title": "Status API", "path": "https://www.example.jp/api/status", "format": "api", "mediatype": "application/json"}
  ]
}
JSON
printf 'a,b\n1,2\n' >"$M/datasets/linked/table.csv"
commit_all "$M" "minimal catalogue"
odc build --repo "$M" --out "$T_TMP/site-min"
t_rc "minimal: build exits 0" 0

# plain: findability keywords 30; accessibility 50+20+30 (the CSV is in the
# site); interoperability format 20 + media type 10 (guessed text/csv) +
# vocabulary 10 + non-proprietary 20 + machine-readable 20, no DCAT-AP
# (no base URL); reusability licence 20 + known licence 10 + contact 20 +
# publisher 10; contextuality byte size 5, issued 5 and modified 5 (from the
# git history: the commit that added the folder, the last that changed it).
# 30+100+80+60+15 = 285: Good.
P=$T_TMP/site-min/en/datasets/plain/index.html
t_eq "plain: 285 of 405 points" "$(score "$P")" "285/405"
t_eq "plain: findability 30" "$(dim "$P" Findability)" "30 / 100"
t_eq "plain: accessibility 100" "$(dim "$P" Accessibility)" "100 / 100"
t_eq "plain: interoperability 80" "$(dim "$P" Interoperability)" "80 / 110"
t_eq "plain: reusability 60" "$(dim "$P" Reusability)" "60 / 75"
t_eq "plain: contextuality 15" "$(dim "$P" Contextuality)" "15 / 20"
t_grep "plain: rated Good" "$P" '<span class="badge mqa-good">Good</span>'
t_grep "plain: suggests temporal coverage (+20)" "$P" "<li>add temporal coverage (+20)</li>"
t_grep "plain: suggests a theme (+30) first" "$P" '<ul class="mqa-suggestions"><li>add a theme (EU data theme) (+30)</li>'
t_grep "plain: suggests DCAT-AP (+30)" "$P" "catalog.ttl) (+30)</li>"
t_nogrep "plain: no suggestion for what is complete" "$P" "add keywords"
t_eq "plain: the CSV has 3 stars" "$(stars "$P" plain)" "3 of 5 stars"
t_grep "plain: stars as glyphs, hidden from screen readers" "$P" '<span class="stars" aria-hidden="true">★★★☆☆</span>'
t_grep "plain (ja): 見出し" "$T_TMP/site-min/datasets/plain/index.html" "<h2 id=\"quality-heading\">メタデータの品質</h2>"
t_grep "plain (ja): 良好" "$T_TMP/site-min/datasets/plain/index.html" '<span class="badge mqa-good">良好</span>'
t_grep "plain (ja): 対象期間 (+20)" "$T_TMP/site-min/datasets/plain/index.html" "<li>対象期間（temporal）を追加する (+20)</li>"
t_grep "plain (ja): 星の代替テキスト" "$T_TMP/site-min/datasets/plain/index.html" '<span class="visually-hidden">5つ星中3つ星</span>'

# linked: as plain, but the link counts for half of each distribution
# indicator: access URL 25 (a link is not checked: not accessible),
# download URL 10, download URL accessible 15 (of 50, 20, 30); format,
# media type, non-proprietary and machine-readable hold for both (the API
# is JSON by media type), but "api" is no EU file type: vocabulary 5;
# byte size round(2.5) = 3, issued and modified from the history 10.
# 30+50+75+60+13 = 228: Good.
L=$T_TMP/site-min/en/datasets/linked/index.html
t_eq "linked: 228 of 405 points" "$(score "$L")" "228/405"
t_eq "linked: accessibility 50" "$(dim "$L" Accessibility)" "50 / 100"
t_eq "linked: interoperability 75" "$(dim "$L" Interoperability)" "75 / 110"
t_eq "linked: contextuality 13 (byte size rounded half up)" "$(dim "$L" Contextuality)" "13 / 20"
t_grep "linked: rated Good (from 221)" "$L" '<span class="badge mqa-good">Good</span>'
t_eq "linked: a JSON API has 3 stars" "$(stars "$L" "Status API")" "3 of 5 stars"
t_err "minimal: build report line" "odcat: metadata quality: 0 excellent, 2 good, 0 sufficient, 0 bad (mean 257/405)"

# check_env_lang reads LC_ALL first; bash warns that the locale is not installed.
{ LC_ALL=ja_JP.UTF-8 odc build --repo "$M" --out "$T_TMP/site-min-ja"; } 2>/dev/null
t_rc "minimal (ja): build exits 0" 0
t_err "minimal (ja): build report line in Japanese" "odcat: メタデータの品質: 優良 0 件、良好 2 件、可 0 件、不十分 0 件（平均 257/405）"
odc build --quiet --repo "$M" --out "$T_TMP/site-min-q"
t_false "minimal --quiet: no quality line" grep -qF "metadata quality" <<<"$ERR"

# ---------------------------------------------------------------- (b) a complete dataset
C=$T_TMP/complete
new_repo "$C"
mkdir -p "$C/datasets/full"
cat >"$C/odcat.json" <<'JSON'
{
  "title": "Complete",
  "base_url": "https://data.example.jp/",
  "languages": ["ja", "en"],
  "publisher": {"name": "Complete City"},
  "publishers": {"stats": {"name": "Statistics Office", "email": "stats@example.jp"}},
  "license": "CC-BY-4.0",
  "contactPoint": {"name": "Desk", "email": "desk@example.jp"}
}
JSON
cat >"$C/datasets/full/datapackage.json" <<'JSON'
{
  "name": "full", "title": "Full", "description": "Every indicator of the MQA is met.",
  "publisher": "stats",
  "keywords": ["population", "wards"],
  "theme": ["SOCI"],
  "spatial": "Complete City",
  "temporal": {"start": "2024-01-01", "end": "2024-12-31"},
  "accessRights": "PUBLIC",
  "rights": "Free to reuse under CC BY 4.0.",
  "issued": "2024-04-01",
  "modified": "2025-04-01",
  "licenses": [{"name": "CC-BY-4.0", "path": "https://creativecommons.org/licenses/by/4.0/", "title": "CC BY 4.0"}],
  "resources": [
    {"name": "wards", "title": "Wards", "path": "wards.csv", "format": "csv", "mediatype": "text/csv",
     "schema": {"fields": [
       {"name": "code", "type": "string", "rdfType": "https://schema.org/identifier"},
       {"name": "name", "type": "string", "rdfType": "https://schema.org/name"}],
      "primaryKey": ["code"]}},
    {"name": "population", "title": "Population", "path": "population.csv", "format": "csv", "mediatype": "text/csv",
     "schema": {"fields": [
       {"name": "ward", "type": "string", "rdfType": "https://schema.org/identifier"},
       {"name": "people", "type": "integer"}],
      "foreignKeys": [{"fields": ["ward"], "reference": {"resource": "wards", "fields": ["code"]}}]}}
  ]
}
JSON
printf 'code,name\n1,North\n2,South\n' >"$C/datasets/full/wards.csv"
printf 'ward,people\n1,100\n2,200\n' >"$C/datasets/full/population.csv"
commit_all "$C" "complete catalogue"
odc build --repo "$C" --out "$T_TMP/site-full"
t_rc "complete: build exits 0" 0
F=$T_TMP/site-full/en/datasets/full/index.html
t_eq "complete: 405 of 405 points" "$(score "$F")" "405/405"
t_grep "complete: rated Excellent" "$F" '<span class="badge mqa-excellent">Excellent</span>'
t_nogrep "complete: nothing to raise" "$F" 'class="mqa-suggestions"'
t_eq "complete: a CSV with rdfType URIs has 4 stars" "$(stars "$F" Wards)" "4 of 5 stars"
t_eq "complete: and with foreign keys 5 stars" "$(stars "$F" Population)" "5 of 5 stars"
t_err "complete: build report line" "odcat: metadata quality: 1 excellent, 0 good, 0 sufficient, 0 bad (mean 405/405)"

# ---------------------------------------------------------------- (c) the sample catalogue
S=$T_TMP/site
odc build --repo "$TOP" --out "$S"
t_rc "sample: build exits 0" 0
t_true "sample: build report line" grep -qE '^odcat: metadata quality: [0-9]+ excellent, [0-9]+ good, [0-9]+ sufficient, [0-9]+ bad \(mean [0-9]+/405\)$' <<<"$ERR"
t_eq "sample: the quality line follows the build summary" \
	"$(grep -A1 '^odcat: .* published,' <<<"$ERR" | tail -n 1 | cut -c1-25)" "odcat: metadata quality: "
missing=
for dp in "$TOP"/datasets/*/datapackage.json; do
	slug=$(basename "$(dirname "$dp")")
	for page in "$S/datasets/$slug/index.html" "$S/en/datasets/$slug/index.html"; do
		[ -n "$(score "$page")" ] || missing="$missing $page(score)"
		n=$(jq '.resources | length' "$dp")
		[ "$(section "$page" | grep -o 'class="visually-hidden">[^<]*</span></li>' | wc -l)" = "$n" ] || missing="$missing $page(stars)"
	done
done
t_eq "sample: every dataset page shows a score and each resource's stars" "$missing" ""
A=$S/en/datasets/aed-locations/index.html
t_eq "sample: a PDF has 1 star" "$(stars "$A" "How to use an AED (PDF guide)")" "1 of 5 stars"
t_eq "sample: a CSV has 3 stars" "$(stars "$A" "AED locations")" "3 of 5 stars"
t_eq "sample: a JSON API link has 3 stars" \
	"$(stars "$S/en/datasets/evacuation-sites/index.html" "Opening status of evacuation sites (API)")" "3 of 5 stars"
t_grep "sample (ja): PDF は星 1 つ" "$S/datasets/aed-locations/index.html" '★☆☆☆☆</span> <span class="visually-hidden">5つ星中1つ星</span>'

t_summary
