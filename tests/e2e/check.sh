#!/usr/bin/env bash
# End-to-end tests of `odcat check`: what it reads, exit codes, the three
# report formats in both languages, grouping and caps, warnings, metadata
# locations, keys across datasets, and hostile files.
T_SUITE=check
source "$(dirname "$0")/../lib.sh"

R=$T_TMP/repo
new_repo "$R"
cat >"$R/odcat.json" <<'JSON'
{"title": "Check tests", "languages": ["ja", "en"], "base_url": "https://x.example.jp/",
 "publisher": {"name": "Test City"}, "license": "CC-BY-4.0",
 "publishers": {"kankyo": {"name": "環境局", "email": "k@example.jp"}},
 "contactPoint": {"name": "x", "email": "x@example.jp"}}
JSON
# pkg SLUG SCHEMA-FIELDS-JSON [EXTRA-SCHEMA-KEYS] — a one-resource dataset with data.csv
pkg() {
	mkdir -p "$R/datasets/$1"
	cat >"$R/datasets/$1/datapackage.json" <<JSON
{
  "name": "$1",
  "title": "$1",
  "description": "d",
  "keywords": ["k"],
  "resources": [
    {"name": "data", "path": "data.csv", "schema": {"fields": $2${3:+, $3}}}
  ]
}
JSON
}
pkg good '[{"name": "id", "type": "integer"}, {"name": "名称", "type": "string"}]' '"primaryKey": ["id"]'
printf 'id,名称\n1,中原図書館\n2,"=HYPERLINK(""http://x"")"\n3,-SUM(A1)\n' >"$R/datasets/good/data.csv"
pkg wards '[{"name": "code", "type": "string", "constraints": {"pattern": "[0-9]{6}"}}, {"name": "ward", "type": "string"}]' '"primaryKey": ["code"]'
printf 'code,ward\n141313,川崎区\n141321,幸区\n' >"$R/datasets/wards/data.csv"
pkg sites '[{"name": "id", "type": "integer"}, {"name": "ward_code", "type": "string"}]' \
	'"foreignKeys": [{"fields": ["ward_code"], "reference": {"package": "wards", "resource": "data", "fields": ["code"]}}]'
printf 'id,ward_code\n1,141313\n2,999999\n3,\n' >"$R/datasets/sites/data.csv"
commit_all "$R" "datasets"

# --------------------------------------------------------------- what is read, exit codes
odc check --repo "$R" good wards
t_rc "valid datasets exit 0 (warnings allowed)" 0
t_out "formula injection is a warning" "warning: odcat-formula-injection:"
t_out "formula warning names field and value" 'field "名称": "=HYPERLINK("http://x")"'
t_out "formula warning counts the cells of the column" "(2 cells in this column)"
odc check --repo "$R" sites
t_rc "a dataset with errors exits 1" 1
t_out "a foreign key into another dataset is checked" "datasets/sites/data.csv:3: foreign-key:"
t_eq "an empty foreign key is not checked" "$(grep -c 'foreign-key' <<<"$OUT")" 1
odc check --repo "$R" no-such-dataset
t_rc "an unknown dataset name exits 2" 2
odc check --repo "$T_TMP/nowhere"
t_rc "not a repository exits 2" 2
odc check --repo "$R" --format yaml
t_rc "a bad --format exits 2" 2
printf 'id,名称\n1,x\nfoo,y\n' >"$R/datasets/good/data.csv"
odc check --repo "$R" good
t_rc "check reads the working tree by default" 1
t_out "the uncommitted error is reported" "datasets/good/data.csv:3:1: type-error:"
odc check --repo "$R" --ref HEAD good
t_rc "--ref HEAD checks the commit, not the working tree" 0
git -C "$R" checkout -q -- datasets/good/data.csv

# --------------------------------------------------------------- formats and languages
odc check --repo "$R" sites --format json
t_true "JSON output parses" jq -e . <<<"$OUT" >/dev/null
t_eq "JSON: valid is false" "$(jq .valid <<<"$OUT")" false
t_eq "JSON: the error's facts" "$(jq -c '[.diagnostics[] | select(.code == "foreign-key") | {file, line, row}]' <<<"$OUT")" \
	'[{"file":"datasets/sites/data.csv","line":3,"row":3}]'
t_eq "JSON: per-resource summary" "$(jq -c '.datasets[0].resources[0] | {name, rows, errors}' <<<"$OUT")" '{"name":"data","rows":3,"errors":1}'
odc check --repo "$R" sites --format github
t_out "github annotations" "::error file=datasets/sites/data.csv,line=3,title=foreign-key::"
odc check --repo "$R" sites --lang ja
t_out "--lang ja gives Japanese messages" "参照先"
t_out "--lang ja gives Japanese hints" "ヒント:"
OUT=$(cd "$R" && LANG=ja_JP.UTF-8 LC_ALL= "$ODCAT" check sites 2>&1)
t_true "the language follows LANG" grep -q "参照先" <<<"$OUT"
odc check --repo "$R" sites --lang en
t_out "--lang en gives English messages" "is not in wards/data"

# --------------------------------------------------------------- grouping and caps
pkg many '[{"name": "n", "type": "integer"}]'
{ echo n; for i in $(seq 1 2000); do echo "x$i"; done; } >"$R/datasets/many/data.csv"
odc check --repo "$R" many
t_eq "text output groups a repeated error after the first few" "$(grep -c 'type-error' <<<"$OUT")" 4
t_out "the group line counts the rest" "more like this in field 1"
odc check --repo "$R" many --format json --max-errors 50
t_eq "JSON lists errors up to --max-errors" "$(jq '[.diagnostics[] | select(.code == "type-error")] | length' <<<"$OUT")" 50
t_true "JSON says how many were omitted" grep -q '1950 more problems (2000 errors in all)' <<<"$OUT"
t_eq "JSON: the resource summary counts the omitted ones" "$(jq -c '.datasets[0].resources[0] | [.errors, .omitted]' <<<"$OUT")" '[2000,1950]'
odc check --repo "$R" many --max-errors 0
t_rc "--max-errors 0 is a usage error" 2

# --------------------------------------------------------------- metadata with JSON locations
mkdir -p "$R/datasets/meta"
printf '{\n  "title": "m",\n  "keywords": ["k"],\n  "publisher": "nobody",\n  "resources": [{"name": "r", "path": "r.csv"}]\n}\n' >"$R/datasets/meta/datapackage.json"
printf 'a\n1\n' >"$R/datasets/meta/r.csv"
odc check --repo "$R" meta
t_rc "metadata errors exit 1" 1
t_out "a missing key is located at its object" "datasets/meta/datapackage.json:1:1: odcat-missing-metadata: \"description\" is missing"
t_out "an unknown publisher is located at its value" "datasets/meta/datapackage.json:4:16: odcat-unknown-publisher:"
mkdir -p "$R/datasets/sized"
printf '{\n  "title": "m", "description": "d",\n  "keywords": ["k"],\n  "resources": [{"name": "r", "path": "r.csv",\n    "bytes": 3, "hash": "sha256:00"}]\n}\n' >"$R/datasets/sized/datapackage.json"
printf 'a\n1\n' >"$R/datasets/sized/r.csv"
odc check --repo "$R" sized
t_out "a declared size that differs is a byte-count error at its value" "datasets/sized/datapackage.json:5:14: byte-count:"
t_out "a declared hash that differs is a hash-count error" "datasets/sized/datapackage.json:5:25: hash-count:"
t_rc "byte-count and hash-count are errors" 1

# --------------------------------------------------------------- short descriptions
odc check --repo "$R" good
t_out "a description under 50 characters is a warning at its location" "datasets/good/datapackage.json:4:18: warning: odcat-short-description:"
t_rc "a short description alone is not an error" 0

# --------------------------------------------------------------- aliases and personal data
pkg alias '[{"name": "都道府県コード又は市区町村コード", "type": "string"}, {"name": "料金（基本）", "type": "string"}]'
printf '全国地方公共団体コード,料金(基本)\n141305,無料\n' >"$R/datasets/alias/data.csv"
odc check --repo "$R" alias
t_rc "known column aliases are accepted" 0
t_out "an alias is a warning that names both" 'label "全国地方公共団体コード" is read as field "都道府県コード又は市区町村コード"'
t_out "full-width and half-width parentheses are one name" 'label "料金(基本)" is read as field "料金（基本）"'
pkg people '[{"name": "氏名", "type": "string"}, {"name": "連絡先", "type": "string"}, {"name": "番号", "type": "string"}]'
printf '氏名,連絡先,番号\n山田太郎,taro@example.jp,123456789012\n鈴木花子,hanako@example.jp,234567890123\n佐藤一郎,ichiro@example.jp,345678901234\n' >"$R/datasets/people/data.csv"
odc check --repo "$R" people
t_out "e-mail addresses beside names are flagged" 'field "連絡先" looks like e-mail addresses beside personal names'
t_out "12-digit numbers are flagged as possible My Number" 'field "番号" looks like 12-digit numbers'

# --------------------------------------------------------------- hostile files
pkg nul '[{"name": "a", "type": "string"}]'
printf 'a\nx\0y\n' >"$R/datasets/nul/data.csv"
odc check --repo "$R" nul
t_true "a NUL byte ends with a diagnostic, not a crash" [ "$RC" -le 1 ]
pkg badhead '[{"name": "a", "type": "string"}]'
printf '\xff\xfe\n1\n' >"$R/datasets/badhead/data.csv"
odc check --repo "$R" badhead
t_rc "invalid UTF-8 in the header exits 1" 1
t_out "invalid UTF-8 in the header is an encoding-error" "datasets/badhead/data.csv:1:1: encoding-error:"
mkdir -p "$R/datasets/notobj"
printf '{"title": "t", "description": "d", "keywords": ["k"], "resources": [{"name": "r", "path": "r.csv", "schema": [1, 2]}]}' >"$R/datasets/notobj/datapackage.json"
printf 'a\n' >"$R/datasets/notobj/r.csv"
odc check --repo "$R" notobj
t_rc "a schema that is not an object exits 1" 1
t_out "a schema that is not an object is a schema-error" "schema-error:"
pkg regex '[{"name": "a", "type": "string", "constraints": {"pattern": "([a-z"}}]'
printf 'a\nx\n' >"$R/datasets/regex/data.csv"
odc check --repo "$R" regex
t_rc "a regex that does not compile exits 1" 1
t_out "a regex that does not compile is named, at its place in datapackage.json" "datasets/regex/datapackage.json:7:"
t_out "a regex that does not compile is a field-error" "field-error: /resources/0/schema/fields/0/constraints/pattern: pattern does not compile"
t_err "a dataset with a schema error is not valid" "0 valid, 1 with errors"
pkg fkmissing '[{"name": "a", "type": "string"}]' '"foreignKeys": [{"fields": ["a"], "reference": {"package": "ghost", "resource": "r", "fields": ["x"]}}]'
printf 'a\nx\n' >"$R/datasets/fkmissing/data.csv"
odc check --repo "$R" fkmissing
t_rc "a foreign key to a missing dataset exits 1" 1
t_out "a foreign key to a missing dataset is named" 'dataset "ghost"'
pkg wide '[{"name": "a", "type": "string"}]'
awk 'BEGIN { for (i = 1; i <= 100000; i++) printf "c%d%s", i, (i < 100000 ? "," : "\n"); print "1" }' >"$R/datasets/wide/data.csv"
odc check --repo "$R" wide --format json
t_rc "100,000 columns exit 1, no crash" 1
t_eq "100,000 columns: extra labels are capped at --max-errors" "$(jq '[.diagnostics[] | select(.code == "extra-label" or .code == "incorrect-label")] | length' <<<"$OUT")" 1000
t_true "100,000 columns: the rest are counted" grep -q '99000 more problems' <<<"$OUT"
pkg bigfield '[{"name": "a", "type": "string"}]'
{ printf 'a\n"'; head -c 70000000 /dev/zero | tr '\0' 'x'; printf '"\n'; } >"$R/datasets/bigfield/data.csv"
odc check --repo "$R" bigfield
t_rc "a 70 MB single field exits 1" 1
t_out "a 70 MB single field is reported" "odcat-record-too-large"
rm -f "$R/datasets/bigfield/data.csv"

# --------------------------------------------------------------- dialects
mkdir -p "$R/datasets/noheader"
printf '{"title": "t", "description": "d", "keywords": ["k"], "resources": [{"name": "r", "path": "r.csv", "dialect": {"header": false, "delimiter": ";"}, "schema": {"fields": [{"name": "a", "type": "integer"}, {"name": "b", "type": "string"}]}}]}' >"$R/datasets/noheader/datapackage.json"
printf '1;x\ny;z\n' >"$R/datasets/noheader/r.csv"
odc check --repo "$R" noheader --format json
t_eq "header: false — the first line is data (row 1), checked by position" \
	"$(jq -c '[.diagnostics[] | select(.code == "type-error") | [.row, .field]]' <<<"$OUT")" '[[2,1]]'
mkdir -p "$R/datasets/escapes"
printf '{"title": "t", "description": "d", "keywords": ["k"], "resources": [{"name": "r", "path": "r.csv", "dialect": {"doubleQuote": false, "escapeChar": "\\\\"}, "schema": {"fields": [{"name": "a", "type": "string"}]}}]}' >"$R/datasets/escapes/datapackage.json"
printf 'a\nx\n' >"$R/datasets/escapes/r.csv"
odc check --repo "$R" escapes
t_rc "an unsupported dialect exits 1" 1
t_out "an unsupported dialect is a dialect-error" "dialect-error:"
rm -rf "$R/datasets/escapes"

# --------------------------------------------------------------- build uses the same checks
commit_all "$R" "all cases"
odc build --repo "$R" --out "$T_TMP/site" --report "$T_TMP/report.json"
t_rc "build exits 0 without --strict" 0
t_nofile "a dataset with errors is not published" "$T_TMP/site/datasets/sites"
t_file "a valid dataset is published" "$T_TMP/site/datasets/good/index.html"
t_true "--report writes JSON" jq -e . "$T_TMP/report.json" >/dev/null
t_eq "--report gives each dataset's status" "$(jq -r '.datasets[] | select(.dataset == "sites") | .status' "$T_TMP/report.json")" "not published"
t_eq "--report: published" "$(jq -r '.datasets[] | select(.dataset == "good") | .status' "$T_TMP/report.json")" "published"
t_grep "the page of a validated CSV says so" "$T_TMP/site/en/datasets/good/index.html" "Validated"

t_summary
