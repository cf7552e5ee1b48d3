#!/usr/bin/env bash
# End-to-end tests of the typed JSON copies (issue: typed JSON): every CSV
# that passes validation is published also as <path>.json, an array of
# records typed by its Table Schema; data.json lists it as a second
# distribution; the dataset page links it; the published datapackage.json
# has absolute resource URLs, bytes and hash.
T_SUITE=typedjson
source "$(dirname "$0")/../lib.sh"

write_odcat() { # DIR
	test_city_odcat "$1" "型付き JSON テスト" "Typed JSON test"
}

# ------------------------------------------------------------ every type
R=$T_TMP/repo
new_repo "$R"
write_odcat "$R"
mkdir -p "$R/datasets/types/data"
cat >"$R/datasets/types/datapackage.json" <<'JSON'
{
  "name": "types",
  "title": {"ja": "型の一覧", "en": "Types"},
  "description": {"ja": "すべての型。", "en": "Every type."},
  "keywords": {"ja": ["テスト"], "en": ["test"]},
  "publisher": "parks",
  "resources": [
    {"name": "types", "title": {"ja": "型", "en": "Types"}, "path": "data/types.csv", "format": "csv",
     "schema": {
       "missingValues": ["", "-"],
       "fields": [
         {"name": "id", "type": "integer"},
         {"name": "price", "type": "number"},
         {"name": "open", "type": "boolean", "trueValues": ["有"], "falseValues": ["無"]},
         {"name": "day", "type": "date", "format": "%Y/%m/%d"},
         {"name": "note", "type": "string"},
         {"name": "tags", "type": "list", "delimiter": ";"},
         {"name": "nums", "type": "list", "itemType": "integer"},
         {"name": "loc", "type": "geopoint"},
         {"name": "obj", "type": "object"},
         {"name": "名称", "type": "string"}
       ]}}
  ]
}
JSON
printf '%s\n' \
	'id,price,open,day,note,tags,nums,loc,obj,名称' \
	'1,1.5,有,2024/04/01,"say ""hi""",a;b,"1,2","139.7,35.6","{""a"": [1, true]}",公園' \
	'2,-,無,-,-,-,-,-,-,"two' \
	'lines"' \
	'3,NaN,有,2024/12/31,x,c,3,"-0.5,0",{},駅' >"$R/datasets/types/data/types.csv"
commit_all "$R" "types"
S=$T_TMP/site
odc build --repo "$R" --out "$S"
t_rc "the typed catalogue builds" 0
t_file "the CSV has its JSON copy (<path>.json)" "$S/datasets/types/data/types.csv.json"
want='[{"id":1,"price":1.5,"open":true,"day":"2024/04/01","note":"say \"hi\"","tags":["a","b"],"nums":[1,2],"loc":[139.7,35.6],"obj":{"a":[1,true]},"名称":"公園"},{"id":2,"price":null,"open":false,"day":null,"note":null,"tags":null,"nums":null,"loc":null,"obj":null,"名称":"two\nlines"},{"id":3,"price":null,"open":true,"day":"2024/12/31","note":"x","tags":["c"],"nums":[3],"loc":[-0.5,0],"obj":{},"名称":"駅"}]'
t_eq "records typed by the schema, keys in schema order" "$(jq -c . "$S/datasets/types/data/types.csv.json")" "$want"
t_eq "data.json lists the JSON distribution" \
	"$(jq -c '.dataset[0].distribution[] | select(.format == "JSON")' "$S/data.json")" \
	'{"@type":"dcat:Distribution","downloadURL":"https://opendata.example.jp/datasets/types/data/types.csv.json","mediaType":"application/json","format":"JSON","title":"型 (JSON)"}'
t_grep "the dataset page links the JSON copy" "$S/datasets/types/index.html" 'href="../../datasets/types/data/types.csv.json"'
t_grep "the English page links the JSON copy" "$S/en/datasets/types/index.html" 'href="../../../datasets/types/data/types.csv.json"'
t_eq "published datapackage.json: path is absolute" \
	"$(jq -r '.resources[0].path' "$S/datasets/types/datapackage.json")" \
	"https://opendata.example.jp/datasets/types/data/types.csv"
t_eq "published datapackage.json: bytes and sha256 hash" \
	"$(jq -r '.resources[0] | "\(.bytes) \(.hash)"' "$S/datasets/types/datapackage.json")" \
	"$(stat -c %s "$R/datasets/types/data/types.csv") sha256:$(sha256sum "$R/datasets/types/data/types.csv" | cut -d' ' -f1)"
t_eq "published datapackage.json keeps the schema" \
	"$(jq -cS '.resources[0].schema' "$S/datasets/types/datapackage.json")" "$(jq -cS '.resources[0].schema' "$R/datasets/types/datapackage.json")"

# Without base_url the descriptor is published as committed.
S2=$T_TMP/site-nobase
jq 'del(.base_url)' "$R/odcat.json" >"$T_TMP/o.json" && mv "$T_TMP/o.json" "$R/odcat.json"
commit_all "$R" "no base url"
odc build --repo "$R" --out "$S2"
t_rc "builds without base_url" 0
t_true "without base_url datapackage.json is published as committed" \
	cmp -s "$R/datasets/types/datapackage.json" "$S2/datasets/types/datapackage.json"
t_file "without base_url the JSON copy is still written" "$S2/datasets/types/data/types.csv.json"

# An invalid CSV is not published, and so has no JSON copy; an empty one is [].
B=$T_TMP/bad
new_repo "$B"
write_odcat "$B"
mkdir -p "$B/datasets/bad" "$B/datasets/empty"
for n in bad empty; do
	jq --arg n "$n" '.name = $n | .resources = [{"name": $n, "path": ($n + ".csv"), "format": "csv",
		"schema": {"fields": [{"name": "n", "type": "integer"}]}}]' "$R/datasets/types/datapackage.json" \
		>"$B/datasets/$n/datapackage.json"
done
printf 'n\nx\n' >"$B/datasets/bad/bad.csv"
printf 'n\n' >"$B/datasets/empty/empty.csv"
commit_all "$B" "bad"
SB=$T_TMP/site-bad
odc build --repo "$B" --out "$SB"
t_nofile "an invalid CSV has no JSON copy" "$SB/datasets/bad/bad.csv.json"
t_eq "a CSV without rows gives []" "$(jq -c . "$SB/datasets/empty/empty.csv.json" 2>&1)" "[]"

# ------------------------------------------------------------ a large CSV
if ! [ -x /usr/bin/time ] && [ "$(id -u)" = 0 ]; then
	apt-get install -y -qq time >/dev/null 2>&1
fi
L=$T_TMP/large
new_repo "$L"
write_odcat "$L"
mkdir -p "$L/datasets/large"
jq '.name = "large" | .resources = [{"name": "large", "path": "large.csv", "format": "csv",
	"schema": {"fields": [{"name": "id", "type": "integer"}, {"name": "v", "type": "number"},
	{"name": "flag", "type": "boolean"}, {"name": "label", "type": "string"}]}}]' \
	"$R/datasets/types/datapackage.json" >"$L/datasets/large/datapackage.json"
awk 'BEGIN { print "id,v,flag,label"; for (i = 1; i <= 200000; i++) printf "%d,%d.25,%s,row number %d with some text\n", i, i, (i % 2 ? "true" : "false"), i }' \
	>"$L/datasets/large/large.csv"
commit_all "$L" "large"
SL=$T_TMP/site-large
/usr/bin/time -v "$ODCAT" build --repo "$L" --out "$SL" 2>"$T_TMP/time.txt" >/dev/null
RC=$?
t_rc "the large catalogue builds" 0
t_eq "the JSON has 200,000 records" "$(jq length "$SL/datasets/large/large.csv.json")" 200000
t_eq "the last record is typed" "$(jq -c '.[-1]' "$SL/datasets/large/large.csv.json")" \
	'{"id":200000,"v":200000.25,"flag":false,"label":"row number 200000 with some text"}'
rss=$(sed -n 's/.*Maximum resident set size (kbytes): //p' "$T_TMP/time.txt")
csvkb=$(( $(stat -c %s "$L/datasets/large/large.csv") / 1024 ))
limit=$(( 64 * 1024 + csvkb ))
if grep -qa __asan_init "$ODCAT"; then
	# Sanitizer shadow memory and quarantine make RSS meaningless here.
	t_true "peak RSS measured (${rss} kB; not bounded under ASan)" [ -n "$rss" ]
elif [ -n "$rss" ]; then
	t_true "peak RSS ${rss} kB stays under 64 MB + the CSV (${limit} kB)" [ "$rss" -lt "$limit" ]
else
	t_fail "peak RSS measured" "/usr/bin/time -v gave no maximum resident set size (is the package time installed?)"
fi

# ------------------------------------------------------------ the sample catalogue
SS=$T_TMP/site-sample
odc build --repo "$TOP" --out "$SS"
t_rc "the sample catalogue builds" 0
missing=0
while IFS= read -r -d '' f; do
	[ -f "$f.json" ] || { echo "no JSON copy for $f" >&2; missing=$((missing + 1)); }
	jq -e 'type == "array"' "$f.json" >/dev/null 2>&1 || missing=$((missing + 1))
done < <(find "$SS/datasets" -name '*.csv' ! -name '*.utf8.csv' ! -name '*.excel.csv' -print0)
t_eq "every sample CSV has its JSON copy" "$missing" 0
ncsv=$(find "$SS/datasets" -name '*.csv' ! -name '*.utf8.csv' ! -name '*.excel.csv' | wc -l)
t_eq "data.json lists a JSON distribution per CSV" \
	"$(jq '[.dataset[].distribution[] | select(.format == "JSON" and ((.downloadURL // "") | endswith(".csv.json")))] | length' "$SS/data.json")" "$ncsv"
t_eq "every published sample datapackage.json has absolute local paths" \
	"$(jq -r '.resources[].path' "$SS"/datasets/*/datapackage.json | grep -vc '^https\?://')" 0
t_summary
