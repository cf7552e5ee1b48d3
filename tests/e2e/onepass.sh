#!/usr/bin/env bash
# End-to-end tests of the build's one validating pass (catalog.c
# dataset_load_staged, build.c job_files): the pass that validates a CSV
# also writes its typed JSON and page profile, and a CSV up to 4 MiB is
# read once for its copies. What must hold whichever way the files are
# made:
#   - the typed JSON is exactly the records (hand-written expectation);
#   - datasets whose pages show the dataset count are written after all
#     datasets are read (the late path) with the same files as the early
#     path, and the count on the page;
#   - a dataset held back at its last good revision publishes that
#     revision's typed JSON, and an invalid dataset publishes nothing;
#   - no waiting file (.odcat-typed-*) is left in the site or beside it;
#   - a CSV over 4 MiB (streamed, not kept) gives complete JSON and copies.
T_SUITE=onepass
source "$(dirname "$0")/../lib.sh"

R=$T_TMP/repo
new_repo "$R"
test_city_odcat "$R" "一回の検証" "One pass"
dataset() { # SLUG — a dataset with the schema id, price, name and CSV data/<slug>.csv
	mkdir -p "$R/datasets/$1/data"
	jq -n --arg s "$1" '{
  name: $s, title: {ja: $s, en: $s}, description: {ja: "テスト。", en: "A test."},
  keywords: {ja: ["テスト"], en: ["test"]}, publisher: "parks",
  resources: [{name: $s, path: ("data/" + $s + ".csv"), format: "csv",
    schema: {fields: [{name: "id", type: "integer"}, {name: "price", type: "number"},
                      {name: "name", type: "string"}], primaryKey: ["id"]}}]}' \
		>"$R/datasets/$1/datapackage.json"
}
dataset shops
printf 'id,price,name\n1,12.50,"a, b"\n2,-0.25,"say ""hi"""\n3,100,店\n' >"$R/datasets/shops/data/shops.csv"
dataset broken
printf 'id,price,name\n1,1.5,x\n2,cheap,y\n' >"$R/datasets/broken/data/broken.csv"
# A valid CSV in a dataset that fails afterwards (declared bytes wrong):
# its typed JSON, already written by the validating pass, must go.
dataset badbytes
printf 'id,price,name\n1,1.5,x\n' >"$R/datasets/badbytes/data/badbytes.csv"
jq '.resources[0].bytes = 1' "$R/datasets/badbytes/datapackage.json" >"$T_TMP/dp" &&
	mv "$T_TMP/dp" "$R/datasets/badbytes/datapackage.json"
commit_all "$R" "shops and two broken datasets"

# The typed JSON, written by hand from the rows above.
printf '[\n{"id":1,"price":12.5,"name":"a, b"},\n{"id":2,"price":-0.25,"name":"say \\"hi\\""},\n{"id":3,"price":100,"name":"店"}\n]\n' \
	>"$T_TMP/shops.json"

# ------------------------------------------------ the early path (default theme)
mkdir -p "$T_TMP/out1" "$T_TMP/out2"
odc build --repo "$R" --out "$T_TMP/out1/site" --no-cache --jobs 1 -q
t_rc "build with an invalid dataset exits 0" 0
S1=$T_TMP/out1/site
t_true "typed JSON is the records, typed" cmp -s "$S1/datasets/shops/data/shops.csv.json" "$T_TMP/shops.json"
t_true "the committed CSV is published as committed" cmp -s "$S1/datasets/shops/data/shops.csv" "$R/datasets/shops/data/shops.csv"
t_file "the Excel copy is written" "$S1/datasets/shops/data/shops.excel.csv"
t_nofile "an invalid dataset has no folder" "$S1/datasets/broken"
t_nofile "a dataset failing after its CSV passed has no folder" "$S1/datasets/badbytes"
t_err "the wrong byte count is reported" "byte-count"
t_err "the invalid dataset is reported" "type-error"
left=$(find "$T_TMP/out1" -name '.odcat-typed-*' | wc -l)
t_eq "no waiting typed JSON is left (early path)" "$left" 0
t_grep "the page shows the preview from the validating pass" "$S1/datasets/shops/index.html" "say &quot;hi&quot;"

# ------------------------------------------------ the late path (count on dataset pages)
TH=$T_TMP/theme
mkdir -p "$TH/templates"
sed 's|</main>|<p id="count-check">{{site.dataset_count}}</p></main>|' \
	"$TOP/themes/default/templates/dataset.mustache" >"$TH/templates/dataset.mustache"
t_grep "the test theme's dataset page shows the count" "$TH/templates/dataset.mustache" "site.dataset_count"
odc build --repo "$R" --theme "$TH" --out "$T_TMP/out2/site" --no-cache --jobs 2 -q
t_rc "build with the counting theme exits 0" 0
S2=$T_TMP/out2/site
t_grep "the late path's page has the count of published datasets" "$S2/datasets/shops/index.html" '<p id="count-check">1</p>'
t_true "late path: the same typed JSON" cmp -s "$S2/datasets/shops/data/shops.csv.json" "$T_TMP/shops.json"
same=1
for f in data/shops.csv data/shops.excel.csv datapackage.json dataset.jsonld dataset.ttl; do
	cmp -s "$S1/datasets/shops/$f" "$S2/datasets/shops/$f" || same=0
done
t_eq "late path: the same dataset files as the early path" "$same" 1
# The pages differ only by the count line.
diff <(sed 's|<p id="count-check">[0-9]*</p>||' "$S2/datasets/shops/index.html") "$S1/datasets/shops/index.html" >"$T_TMP/pagediff" 2>&1
t_eq "late path: the page is the early one plus the count" "$(wc -l <"$T_TMP/pagediff")" 0
left=$(find "$T_TMP/out2" -name '.odcat-typed-*' | wc -l)
t_eq "no waiting typed JSON is left (late path)" "$left" 0

# ------------------------------------------------ held back at the last good revision
printf '4,free,z\n' >>"$R/datasets/shops/data/shops.csv"
commit_all "$R" "shops: a bad price"
mkdir -p "$T_TMP/out3"
odc build --repo "$R" --out "$T_TMP/out3/site" --no-cache --jobs 1 -q
t_rc "build with a held-back dataset exits 0" 0
t_err "the dataset is held back" "odcat-held-back"
t_true "held back: the last good revision's typed JSON" cmp -s "$T_TMP/out3/site/datasets/shops/data/shops.csv.json" "$T_TMP/shops.json"
t_nogrep "held back: the page does not show the failing row" "$T_TMP/out3/site/datasets/shops/index.html" ">free<"
left=$(find "$T_TMP/out3" -name '.odcat-typed-*' | wc -l)
t_eq "no waiting typed JSON is left (held back)" "$left" 0

# ------------------------------------------------ a CSV over 4 MiB streams
B=$T_TMP/big
new_repo "$B"
test_city_odcat "$B" "大きな CSV" "A big CSV"
R=$B dataset big
awk 'BEGIN { print "id,price,name"; for (i = 1; i <= 300000; i++) printf "%d,%d.5,n%d\n", i, i, i }' \
	>"$B/datasets/big/data/big.csv"
commit_all "$B" "big"
size=$(stat -c %s "$B/datasets/big/data/big.csv")
t_true "the big CSV is over 4 MiB ($size bytes)" [ "$size" -gt $((4 * 1024 * 1024)) ]
mkdir -p "$T_TMP/out4"
odc build --repo "$B" --out "$T_TMP/out4/site" --no-cache --jobs 1 -q
t_rc "build of the big CSV exits 0" 0
J=$T_TMP/out4/site/datasets/big/data/big.csv.json
t_eq "big: every record in the typed JSON" "$(jq length "$J")" 300000
t_eq "big: the last record typed" "$(jq -c '.[-1]' "$J")" '{"id":300000,"price":300000.5,"name":"n300000"}'
t_true "big: the committed CSV as committed" cmp -s "$T_TMP/out4/site/datasets/big/data/big.csv" "$B/datasets/big/data/big.csv"
# Excel copy: a BOM, then every LF a CRLF.
want=$((size + 3 + 300001))
t_eq "big: the Excel copy is the CSV with a BOM and CRLF" "$(stat -c %s "$T_TMP/out4/site/datasets/big/data/big.excel.csv")" "$want"
t_summary
