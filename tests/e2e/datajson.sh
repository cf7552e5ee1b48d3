#!/usr/bin/env bash
# End-to-end tests that site/data.json is valid DCAT-US 1.1: each build's
# data.json is validated with ajv (tests/js/validate-datajson.mjs) against
# the non-federal v1.1 JSON Schema of data.gov's harvester, kept in
# ${ODC_SHARED:-../shared}/specs/dcat-us-1.1/non-federal-v1.1.
# Installs node (apt-get, as root) and the npm packages of tests/js
# (npm ci, from its package-lock.json) when they are missing.
T_SUITE=datajson
source "$(dirname "$0")/../lib.sh"

SCHEMAS=${ODC_SHARED:-$TOP/../shared}/specs/dcat-us-1.1/non-federal-v1.1
JS=$TOP/tests/js

# ---------------------------------------------------------------- tools
need_node_modules ajv ajv-draft-04 ajv-formats
t_file "the DCAT-US non-federal catalog schema is there" "$SCHEMAS/catalog.json"
t_file "the DCAT-US non-federal dataset schema is there" "$SCHEMAS/dataset-non-federal.json"

# valid_datajson FILE — ajv says FILE is valid; prints ajv's errors if not.
valid_datajson() {
	local out rc
	out=$(node "$JS/validate-datajson.mjs" "$SCHEMAS" "$1" 2>&1)
	rc=$?
	[ "$rc" = 0 ] || printf '%s\n' "$out" | head -n 60
	return "$rc"
}

# The validator itself: a data.json that breaks the schema is refused.
printf '{"conformsTo": "https://project-open-data.cio.gov/v1.1/schema", "dataset": [{"title": "", "keyword": []}]}\n' >"$T_TMP/bad.json"
t_false "the validator refuses an invalid data.json" valid_datajson "$T_TMP/bad.json" >/dev/null

# ---------------------------------------------------------------- (a) the bundled sample
S=$T_TMP/site
odc build --repo "$TOP" --out "$S"
t_rc "build of the bundled sample catalogue exits 0" 0
t_true "sample: data.json is valid DCAT-US 1.1" valid_datajson "$S/data.json"

# ---------------------------------------------------------------- (b) every optional field absent
M=$T_TMP/minimal
minimal_catalog "$M"
commit_all "$M" "minimal catalogue"
odc build --repo "$M" --out "$T_TMP/site-min"
t_rc "build of a minimal catalogue exits 0" 0
t_true "minimal: data.json is valid DCAT-US 1.1" valid_datajson "$T_TMP/site-min/data.json"
t_eq "minimal: modified falls back to the commit date" "$(jq -r '.dataset[0].modified' "$T_TMP/site-min/data.json")" "2025-04-01"
t_eq "minimal: licence from odcat.json is a URL" "$(jq -r '.dataset[0].license' "$T_TMP/site-min/data.json")" "https://creativecommons.org/licenses/by/4.0/"
t_eq "minimal: publisher is the city" "$(jq -r '.dataset[0].publisher.name' "$T_TMP/site-min/data.json")" "Minimal Town"
# The same catalogue once --base-url gives absolute URLs.
odc build --repo "$M" --out "$T_TMP/site-min-b" --base-url https://data.example.org/min/
t_rc "build of a minimal catalogue with --base-url exits 0" 0
t_true "minimal with --base-url: data.json is valid DCAT-US 1.1" valid_datajson "$T_TMP/site-min-b/data.json"
t_eq "minimal with --base-url: downloadURL" "$(jq -r '.dataset[0].distribution[0].downloadURL' "$T_TMP/site-min-b/data.json")" "https://data.example.org/min/datasets/plain/plain.csv"

# ---------------------------------------------------------------- (c) hostile strings
H=$T_TMP/hostile
new_repo "$H"
mkdir -p "$H/datasets/hostile"
long=$(head -c 30000 /dev/zero | tr '\0' 'x')
cat >"$H/odcat.json" <<'JSON'
{
  "title": {"ja": "\"敵対的\" <script>", "en": "Hostile \"strings\""},
  "base_url": "https://opendata.example.jp/",
  "languages": ["ja", "en"],
  "publisher": {"name": {"ja": "市 \"</script>\"", "en": "City\n\"quoted\""}},
  "publishers": {"evil": {"name": {"ja": "部署 <b>\u0007?</b>", "en": "Dept 😈"}, "email": "evil@example.jp"}},
  "license": "CC-BY-4.0",
  "contactPoint": {"name": "Desk \"<x>\"\n😀", "email": "desk@example.jp"}
}
JSON
jq -n --arg long "$long" --arg mail "o'brien+data@example.jp" '{
  name: "hostile",
  title: {ja: "<script>alert(\"t\")</script>\n二行目 😀", en: "Quote \" backslash \\ tab \t end"},
  description: {ja: ("説明 </script><!-- \u2028 \u2029 😀\n" + $long), en: "Line one\r\nline two \u0001"},
  keywords: {ja: ["<b>kw</b>", "\"quoted\"", "改行\nあり", "😀", "", $long[0:500]], en: ["kw"]},
  publisher: "evil",
  contactPoint: {name: "Name \"<script>\"", email: $mail},
  theme: ["<theme>", "<theme>", ""],
  resources: [
    {name: "data", title: "Data \"<csv>\" 😀", path: "data file.csv", format: "csv"},
    {name: "odd", path: "odd.xyz", format: "xyz"}
  ]
}' >"$H/datasets/hostile/datapackage.json"
printf 'a,b\n"<script>",😀\n' >"$H/datasets/hostile/data file.csv"
printf 'odd\n' >"$H/datasets/hostile/odd.xyz"
commit_all "$H" "hostile catalogue"
HS=$T_TMP/site-hostile
odc build --repo "$H" --out "$HS"
t_rc "build of a catalogue with hostile strings exits 0" 0
t_true "hostile: data.json parses" jq -e . "$HS/data.json" >/dev/null
t_true "hostile: data.json parses in node" node -e 'JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"))' "$HS/data.json"
t_true "hostile: data.json is valid DCAT-US 1.1" valid_datajson "$HS/data.json"
t_eq "hostile: title round-trips" "$(jq -r '.dataset[0].title' "$HS/data.json")" "$(printf '<script>alert("t")</script>\n二行目 😀')"
t_eq "hostile: long description is kept whole" "$(jq -r '.dataset[0].description | length' "$HS/data.json")" "$(jq -r '.description.ja | length' "$H/datasets/hostile/datapackage.json")"
t_eq "hostile: keywords kept, empty ones dropped" "$(jq -c '.dataset[0].keyword[0:5]' "$HS/data.json")" '["<b>kw</b>","\"quoted\"","改行\nあり","😀","'"${long:0:500}"'"]'

# ---------------------------------------------------------------- (d) values DCAT-US cannot take
# Dates, frequency, e-mail and URLs that do not fit the schema are left out
# (modified falls back to the commit date) rather than making data.json invalid.
V=$T_TMP/values
new_repo "$V"
mkdir -p "$V/datasets/odd"
sed 's/"desk@example.jp"/"not an address@nodot"/' "$M/odcat.json" >"$V/odcat.json"
cat >"$V/datasets/odd/datapackage.json" <<'JSON'
{
  "name": "odd", "title": "Odd", "description": "Odd values.", "keywords": ["odd"],
  "modified": "31/03/2025", "issued": "soon", "accrualPeriodicity": "R/garbage",
  "temporal": {"start": "then", "end": "2025-01-01"}, "conformsTo": "not a uri",
  "theme": ["", ""], "licenses": [{"name": "custom", "path": "LICENSE.txt"}],
  "resources": [{"name": "odd", "path": "odd.csv", "format": "csv"}]
}
JSON
printf 'a\n1\n' >"$V/datasets/odd/odd.csv"
commit_all "$V" "odd values"
odc build --repo "$V" --out "$T_TMP/site-values" --base-url https://data.example.org/
t_rc "build of a catalogue with odd values exits 0" 0
t_true "odd values: data.json is valid DCAT-US 1.1" valid_datajson "$T_TMP/site-values/data.json"
t_eq "odd values: modified falls back to the commit date" "$(jq -r '.dataset[0].modified' "$T_TMP/site-values/data.json")" "2025-04-01"
t_eq "odd values: unfit fields are left out" "$(jq -c '.dataset[0] | [has("issued"), has("temporal"), has("accrualPeriodicity"), has("conformsTo"), has("theme"), has("license"), (.contactPoint | has("hasEmail"))]' "$T_TMP/site-values/data.json")" '[false,false,false,false,false,false,false]'

t_summary
