#!/usr/bin/env bash
# End-to-end tests of `odcat infer` (a draft Table Schema from a CSV) and
# `odcat new` (a new dataset folder). The CSVs are written here with
# expectations checked by hand: types, formats, required, enum, patterns
# for codes that must stay strings, latitude/longitude ranges, encodings;
# then the round trip: the inferred schema, put in a dataset, validates the
# CSV it came from (odcat build, and odcat check).
T_SUITE=infer
source "$(dirname "$0")/../lib.sh"

# t_field NAME COLUMN JSON — the inferred field COLUMN (in $OUT) equals JSON
# (keys in any order).
t_field() {
	local got want
	got=$(jq -S -c --arg n "$2" '.fields[] | select(.name == $n)' <<<"$OUT" 2>/dev/null)
	want=$(jq -S -c . <<<"$3")
	t_eq "$1" "$got" "$want"
}
jqe() { jq -e "$@" >/dev/null 2>&1; } # FILTER [FILE] — true when the filter gives true
no_errors() { # NAME — no error diagnostic on stderr
	t_false "$1" grep -qE ": ([a-z-]+-error|odcat-[a-z-]+|primary-key|foreign-key): " <<<"$(grep -v ' warning: ' <<<"$ERR")"
}

# The commands must be reachable from the command line at all; if not, one
# failure says so instead of a hundred.
if ! "$ODCAT" infer --help >/dev/null 2>&1; then
	t_fail "odcat infer is a command" "odcat infer --help fails: wire infer_main/new_main (infer.h) into cli.c"
	t_summary
	exit 1
fi

# ---------------------------------------------------------------- help and usage
odc infer --help
t_rc "infer --help exits 0" 0
for o in --encoding --delimiter --help; do t_out "infer --help describes $o" "$o"; done
odc new --help
t_rc "new --help exits 0" 0
for o in --from --repo --encoding --delimiter --help; do t_out "new --help describes $o" "$o"; done
odc infer
t_rc "infer without a file is a usage error" 2
odc infer --frobnicate x.csv
t_rc "infer: unknown option exits 2" 2
t_err "infer: unknown option is named" "--frobnicate"
odc infer "$T_TMP/a.csv" "$T_TMP/b.csv"
t_rc "infer: two files is a usage error" 2
odc infer --delimiter ab "$T_TMP/a.csv"
t_rc "infer: a two-character delimiter is a usage error" 2

# ---------------------------------------------------------------- files that cannot be read
odc infer "$T_TMP/no-such.csv"
t_rc "missing file exits 2" 2
t_err "missing file is named" "no-such.csv"
t_err "missing file gets a hint" "hint:"
: >"$T_TMP/empty.csv"
odc infer "$T_TMP/empty.csv"
t_rc "empty file exits 2" 2
t_err "empty file is said to be empty" "empty.csv is empty"
t_err "empty file gets a hint" "hint:"
printf '\n\r\n\n' >"$T_TMP/blank.csv"
odc infer "$T_TMP/blank.csv"
t_rc "a file of blank lines exits 2" 2
t_err "a file of blank lines has no header" "no header row"
odc infer "$T_TMP"
t_rc "a folder exits 2" 2
t_err "a folder is not a CSV file" "is a folder"
printf 'a,b\n1,\x85\n' >"$T_TMP/bad-bytes.csv"
odc infer "$T_TMP/bad-bytes.csv"
t_rc "bytes neither UTF-8 nor CP932 exit 2" 2
t_err "undecodable bytes are located" "bad-bytes.csv: line 2: byte 0x85 is neither UTF-8 nor Shift_JIS (CP932)"
printf 'a,b\n1,2\n3,"open\n4,5\n' >"$T_TMP/unterminated.csv"
odc infer "$T_TMP/unterminated.csv"
t_rc "an unterminated quote exits 2" 2
t_err "an unterminated quote is located" "unterminated.csv:3: source-error"
t_err "an unterminated quote: the file is named" "unterminated.csv cannot be read as CSV"

# ---------------------------------------------------------------- types and constraints
# 24 rows. Expectations per column are in the comments.
C=$T_TMP/typed.csv
wards=(川崎区 幸区 中原区 高津区 宮前区 多摩区 麻生区)
{
	echo "ID,名称,区,人数,気温,開設日,更新日,記念日,公開,団体コード,施設コード,電話番号,郵便番号,緯度,経度,トイレ,備考,金額,時刻,欠測,空列"
	for i in $(seq 1 24); do
		people=$((i * 3)); [ $((i % 5)) -eq 0 ] && people=""
		pub=false; [ $((i % 2)) -eq 0 ] && pub=true
		toilet=有; [ $((i % 3)) -eq 0 ] && toilet=無
		note=""; [ $((i % 4)) -eq 0 ] && note="メモ$i"
		miss=$i.5; [ "$i" -eq 7 ] && miss=-
		printf '%d,施設%d,%s,%s,%d.5,2025-04-%02d,2024/05/%02d,2023年06月%02d日,%s,0%05d,%d,044-200-%04d,210-%04d,35.%d,139.%d,%s,%s,"1,%03d",%d:%02d,%s,\n' \
			"$i" "$i" "${wards[$(((i - 1) % 7))]}" "$people" "$i" "$i" "$i" "$i" "$pub" $((11000 + i)) \
			$((140000 + i)) "$i" "$i" $((50 + i)) $((60 + i)) "$toilet" "$note" "$i" $((8 + i % 10)) \
			$(((i * 15) % 60)) "$miss"
	done
} >"$C"
odc infer "$C"
t_rc "infer exits 0" 0
t_true "stdout is JSON alone" jqe '.fields | length == 21' <<<"$OUT"
t_true "stdout is indented by 2 spaces" grep -q '^  "fields": \[$' <<<"$OUT"
t_err "the encoding is on stderr" "encoding utf-8 (detected)"
t_err "the row count is on stderr" "24 rows"
t_err "the column count is on stderr" "21 columns"
t_err "the draft is checked against the file" "checked: the schema accepts every row"
t_field "integer, required" ID '{"name":"ID","type":"integer","constraints":{"required":true}}'
t_field "unique names: string, required, no enum" 名称 '{"name":"名称","type":"string","constraints":{"required":true}}'
t_field "7 wards over 24 rows: enum in order of appearance" 区 \
	'{"name":"区","type":"string","constraints":{"required":true,"enum":["川崎区","幸区","中原区","高津区","宮前区","多摩区","麻生区"]}}'
t_field "integer with empty cells: not required" 人数 '{"name":"人数","type":"integer"}'
t_field "number" 気温 '{"name":"気温","type":"number","constraints":{"required":true}}'
t_field "date YYYY-MM-DD: default format" 開設日 '{"name":"開設日","type":"date","constraints":{"required":true}}'
t_field "date %Y/%m/%d" 更新日 '{"name":"更新日","type":"date","format":"%Y/%m/%d","constraints":{"required":true}}'
t_field "date %Y年%m月%d日" 記念日 '{"name":"記念日","type":"date","format":"%Y年%m月%d日","constraints":{"required":true}}'
t_field "true/false: boolean" 公開 '{"name":"公開","type":"boolean","constraints":{"required":true}}'
t_field "leading zeros: string with a pattern" 団体コード \
	'{"name":"団体コード","type":"string","constraints":{"required":true,"pattern":"^[0-9]{6}$"}}'
t_field "a code by its name: string with a pattern" 施設コード \
	'{"name":"施設コード","type":"string","constraints":{"required":true,"pattern":"^[0-9]{6}$"}}'
t_field "phone numbers: string with a phone-number pattern" 電話番号 \
	'{"name":"電話番号","type":"string","constraints":{"required":true,"pattern":"^0[0-9]{1,4}-[0-9]{1,4}-[0-9]{3,4}$"}}'
t_field "postal codes: string with a pattern" 郵便番号 \
	'{"name":"郵便番号","type":"string","constraints":{"required":true,"pattern":"^[0-9]{3}-[0-9]{4}$"}}'
t_field "緯度 in Japan: number 20..46" 緯度 \
	'{"name":"緯度","type":"number","constraints":{"required":true,"minimum":20,"maximum":46}}'
t_field "経度 in Japan: number 122..154" 経度 \
	'{"name":"経度","type":"number","constraints":{"required":true,"minimum":122,"maximum":154}}'
t_field "有/無: not boolean, an enum" トイレ '{"name":"トイレ","type":"string","constraints":{"required":true,"enum":["有","無"]}}'
t_field "few values in few rows: no enum, not required" 備考 '{"name":"備考","type":"string"}'
t_field "thousands separators: integer with groupChar" 金額 \
	'{"name":"金額","type":"integer","groupChar":",","constraints":{"required":true}}'
t_field "times: string with a pattern" 時刻 \
	'{"name":"時刻","type":"string","constraints":{"required":true,"pattern":"^[0-9]{1,2}:[0-9]{2}$"}}'
t_field "a number column with one '-': string" 欠測 '{"name":"欠測","type":"string","constraints":{"required":true}}'
t_err "a number column with one '-' is noted" 'almost numeric: 1 value is not a number, e.g. "-" on line 8'
t_field "an empty column: string, not required" 空列 '{"name":"空列","type":"string"}'
t_err "notes say why a code stays a string" 'leading zeros must be kept ("011001")'
t_err "notes say the enum is suggested" "7 distinct values in 24 cells: enum suggested"
t_err "notes say 有/無 is not a boolean" "有/無 is a yes/no flag, not a Table Schema boolean"
t_err "notes give the coordinate range" "number (latitude) 35.51 to 35.74, within Japan"
cp "$T_TMP/stderr" "$T_TMP/typed.notes"
printf '%s\n' "$OUT" >"$T_TMP/typed.schema.json"

# Months, a constant column (no enum of one value), times on the hour.
awk 'BEGIN { print "年月,都道府県名,開始"; for (i = 1; i <= 24; i++) printf "%d-%02d,神奈川県,%d:00\n", 2023 + int((i - 1) / 12), (i - 1) % 12 + 1, 8 + i % 4 }' >"$T_TMP/months.csv"
odc infer "$T_TMP/months.csv"
t_field "YYYY-MM: yearmonth" 年月 '{"name":"年月","type":"yearmonth","constraints":{"required":true}}'
t_field "one value in every row: no enum" 都道府県名 '{"name":"都道府県名","type":"string","constraints":{"required":true}}'
t_field "times 8:00 to 11:00: a pattern for hh:mm" 開始 '{"name":"開始","type":"string","constraints":{"required":true,"pattern":"^[0-9]{1,2}:[0-9]{2}$"}}'

# Fewer than 20 rows: no enum for repeated values (except yes/no flags).
printf 'k,flag\na,あり\nb,なし\na,あり\n' >"$T_TMP/few.csv"
odc infer "$T_TMP/few.csv"
t_field "few rows: no enum" k '{"name":"k","type":"string","constraints":{"required":true}}'
t_field "あり/なし: enum even in few rows" flag '{"name":"flag","type":"string","constraints":{"required":true,"enum":["あり","なし"]}}'

# Mixed true/false spellings are not one consistent pair; 0/1 is an integer.
printf 'a,b,c\ntrue,TRUE,1\nFalse,FALSE,0\n' >"$T_TMP/bool.csv"
odc infer "$T_TMP/bool.csv"
t_field "true/False: not a consistent pair, string" a '{"name":"a","type":"string","constraints":{"required":true}}'
t_field "TRUE/FALSE: boolean" b '{"name":"b","type":"boolean","constraints":{"required":true}}'
t_field "1/0: integer" c '{"name":"c","type":"integer","constraints":{"required":true}}'

# Coordinates outside Japan get the world's ranges; out of range, no range.
printf 'lat,lon,緯度\n48.85,2.35,135.1\n-33.87,151.21,139.2\n' >"$T_TMP/world.csv"
odc infer "$T_TMP/world.csv"
t_rc "world coordinates: exit 0" 0
t_field "lat outside Japan: -90..90" lat '{"name":"lat","type":"number","constraints":{"required":true,"minimum":-90,"maximum":90}}'
t_field "lon outside Japan: -180..180" lon '{"name":"lon","type":"number","constraints":{"required":true,"minimum":-180,"maximum":180}}'
t_field "緯度 over 90: number without a range" 緯度 '{"name":"緯度","type":"number","constraints":{"required":true}}'
t_err "緯度 over 90: swapped coordinates are suspected" "latitude and longitude swapped?"

# Only a header: every column is a string, nothing is required.
printf 'a,b\n' >"$T_TMP/header-only.csv"
odc infer "$T_TMP/header-only.csv"
t_rc "header only: exit 0" 0
t_eq "header only: strings without constraints" "$(jq -c . <<<"$OUT")" '{"fields":[{"name":"a","type":"string"},{"name":"b","type":"string"}]}'
t_err "header only: noted" "no data rows"

# Short and long rows: missing cells are empty; extra cells are noted.
printf 'a,b\n1,2\n3\n5,6,7\n' >"$T_TMP/ragged.csv"
odc infer "$T_TMP/ragged.csv"
t_rc "ragged rows: exit 0" 0
t_field "a short row makes the column not required" b '{"name":"b","type":"integer"}'
t_err "a long row is noted" "1 row has more cells than the header (first on line 4)"

# A blank and a repeated header label: a name is made up, both are warned of.
printf 'a,,a\n1,2,x\n' >"$T_TMP/labels.csv"
odc infer "$T_TMP/labels.csv"
t_rc "blank and repeated labels: exit 0" 0
t_eq "a blank label gets a made-up name" "$(jq -r '[.fields[].name] | join(",")' <<<"$OUT")" "a,field2,a"
t_err "a blank label is warned of" "column 2 has no name in the header"
t_err "a repeated label is warned of" "column 3 has the same name as column 1"

# CR-only line ends and a quoted newline.
printf 'a,b\r1,"x\r\ny"\r2,z\r' >"$T_TMP/cr.csv"
odc infer "$T_TMP/cr.csv"
t_err "CR-only line ends: 2 rows" "2 rows"
t_eq "CR-only line ends: types" "$(jq -r '[.fields[] | .name + ":" + .type] | join(" ")' <<<"$OUT")" "a:integer b:string"

# ---------------------------------------------------------------- encodings and dialects
# Shift_JIS (CP932, with ① and ㈱ that only CP932 has), detected.
printf '名称,区分,件数\n㈱テスト,①,3\n髙島屋,②,4\n' | iconv -f UTF-8 -t CP932 >"$T_TMP/sjis.csv"
odc infer "$T_TMP/sjis.csv"
t_rc "Shift_JIS: exit 0" 0
t_err "Shift_JIS is detected" "encoding shift_jis (detected"
t_eq "Shift_JIS: names decoded to UTF-8" "$(jq -r '[.fields[].name] | join(",")' <<<"$OUT")" "名称,区分,件数"
t_field "Shift_JIS: types inferred" 件数 '{"name":"件数","type":"integer","constraints":{"required":true}}'
odc infer --encoding cp932 "$T_TMP/sjis.csv"
t_rc "--encoding cp932: exit 0" 0
t_err "--encoding is used as given" "encoding cp932"
odc infer --encoding utf-8 "$T_TMP/sjis.csv"
t_rc "--encoding utf-8 on a Shift_JIS file exits 2" 2
t_err "--encoding utf-8 on a Shift_JIS file: encoding-error" "encoding-error"

# UTF-8 with BOM and CRLF.
printf '\xef\xbb\xbf名称,数\r\nA,1\r\nB,2\r\n' >"$T_TMP/bom.csv"
odc infer "$T_TMP/bom.csv"
t_rc "BOM: exit 0" 0
t_err "BOM is detected" "encoding utf-8 with BOM (detected)"
t_eq "BOM is not part of the first name" "$(jq -r '.fields[0].name' <<<"$OUT")" "名称"
t_field "BOM + CRLF: integer" 数 '{"name":"数","type":"integer","constraints":{"required":true}}'

# Delimiters.
printf 'a;b\n1;x\n2;y\n' >"$T_TMP/semi.csv"
odc infer --delimiter ';' "$T_TMP/semi.csv"
t_eq "--delimiter ';'" "$(jq -r '[.fields[] | .name + ":" + .type] | join(" ")' <<<"$OUT")" "a:integer b:string"
odc infer "$T_TMP/semi.csv"
t_err "a one-column header with ';' suggests --delimiter" "give --delimiter"
printf 'a\tb\n1\t2.5\n' >"$T_TMP/tab.csv"
odc infer --delimiter tab "$T_TMP/tab.csv"
t_eq "--delimiter tab" "$(jq -r '[.fields[] | .name + ":" + .type] | join(" ")' <<<"$OUT")" "a:integer b:number"

# ---------------------------------------------------------------- streaming a large file
awk 'BEGIN { print "id,code,value"; for (i = 1; i <= 100000; i++) printf "%d,%05d,%d.25\n", i, i % 1000, i }' >"$T_TMP/large.csv"
odc infer "$T_TMP/large.csv"
t_rc "100,000 rows: exit 0" 0
t_err "100,000 rows counted" "100000 rows"
t_field "100,000 rows: leading-zero codes stay strings" code '{"name":"code","type":"string","constraints":{"required":true,"pattern":"^[0-9]{5}$"}}'
t_field "100,000 rows: number" value '{"name":"value","type":"number","constraints":{"required":true}}'

# ---------------------------------------------------------------- the bundled sample CSVs
# Real-looking files (CP932 AED list, BOM + CRLF evacuation sites, 50,904
# rows): each becomes a dataset with `new --from`, whose draft accepts every
# row, and the whole catalogue then checks and builds without an error.
R2=$T_TMP/samples
new_repo "$R2"
cp "$TOP/odcat.json" "$R2/odcat.json"
n=0
for f in "$TOP"/datasets/*/*.csv "$TOP"/datasets/*/data/*.csv; do
	[ -f "$f" ] || continue
	n=$((n + 1))
	rel=${f#"$TOP"/}
	odc new "sample-$n" --from "$f" --repo "$R2"
	t_rc "sample $rel: new --from exits 0" 0
	t_err "sample $rel: the draft accepts every row" "checked: the schema accepts every row"
done
t_true "the sample catalogue has CSVs" [ "$n" -ge 10 ]
t_eq "the CP932 AED list is detected as Shift_JIS" \
	"$(jq -r '.resources[0].encoding' "$R2"/datasets/sample-*/datapackage.json | sort | uniq -c | awk '$2 == "shift_jis" {print $1}')" "1"
commit_all "$R2" "samples"
odc check --repo "$R2"
t_rc "samples: odcat check exits 0" 0
no_errors "samples: odcat check finds no error"
odc build --repo "$R2" --out "$T_TMP/samples-site"
t_rc "samples: the build exits 0" 0
no_errors "samples: the build finds no error"
t_eq "samples: every dataset is published" "$(jq '.dataset | length' "$T_TMP/samples-site/data.json")" "$n"

# ---------------------------------------------------------------- odcat new
R=$T_TMP/repo
new_repo "$R"
cat >"$R/odcat.json" <<'JSON'
{"title": {"ja": "テスト市", "en": "Test City"}, "languages": ["ja", "en"],
 "base_url": "https://x.example.jp/", "publisher": {"name": "Test City"},
 "license": "CC-BY-4.0", "contactPoint": {"name": "x", "email": "x@example.jp"}}
JSON
odc new facilities --from "$C" --repo "$R"
t_rc "new --from exits 0" 0
D=$R/datasets/facilities
t_file "new: datapackage.json" "$D/datapackage.json"
t_file "new: README.md" "$D/README.md"
t_file "new: the CSV is copied" "$D/typed.csv"
t_true "new: the copy is byte-identical" cmp -s "$C" "$D/typed.csv"
t_true "new: datapackage.json parses" jqe . "$D/datapackage.json"
t_eq "new: name is the slug" "$(jq -r .name "$D/datapackage.json")" "facilities"
t_true "new: title placeholders in ja and en" jqe '.title.ja == "（ここにタイトル）" and (.title.en | test("TODO"))' "$D/datapackage.json"
t_true "new: description and keywords placeholders" jqe '(.description.ja | length > 0) and (.description.en | test("TODO")) and (.keywords.ja | length == 1) and (.keywords.en | length == 1)' "$D/datapackage.json"
t_true "new: licenses, publisher and contactPoint are left out" jqe 'has("licenses") or has("publisher") or has("contactPoint") | not' "$D/datapackage.json"
t_eq "new: resource" "$(jq -c '.resources[0] | [.name, .path, .format, .mediatype, .encoding]' "$D/datapackage.json")" \
	'["typed","typed.csv","csv","text/csv","utf-8"]'
t_eq "new: the inferred schema is in the resource" "$(jq -S -c '.resources[0].schema' "$D/datapackage.json")" \
	"$(jq -S -c . "$T_TMP/typed.schema.json")"
for h in "## 概要" "## 収録内容" "## 更新頻度" "## 注意事項" "## English" "odcat.json"; do
	t_grep "new: README has $h" "$D/README.md" "$h"
done
t_grep "new: README lists the columns" "$D/README.md" "| 団体コード | 文字列 |"
t_out "new: next steps in Japanese" "次の手順"
t_out "new: next steps in English" "Next steps"
t_out "new: next steps say odcat check" "odcat check"
t_out "new: next steps say git add" "git add datasets/facilities"

# The round trip: committed as made, the dataset builds without an error
# (the build validates every CSV against its schema) and checks clean.
odc new sjis --from "$T_TMP/sjis.csv" --repo "$R"
t_rc "new --from a Shift_JIS file exits 0" 0
t_eq "new: Shift_JIS is declared" "$(jq -r '.resources[0].encoding' "$R/datasets/sjis/datapackage.json")" "shift_jis"
odc new bom --from "$T_TMP/bom.csv" --repo "$R"
t_rc "new --from a BOM file exits 0" 0
odc new semi --from "$T_TMP/semi.csv" --delimiter ';' --repo "$R"
t_rc "new --from with --delimiter exits 0" 0
t_eq "new: the delimiter is in the dialect" "$(jq -r '.resources[0].dialect.delimiter' "$R/datasets/semi/datapackage.json")" ";"
commit_all "$R" "new datasets"
S=$T_TMP/site
odc build --repo "$R" --out "$S"
t_rc "round trip: the build exits 0" 0
no_errors "round trip: no error diagnostics"
for s in facilities sjis bom semi; do
	t_file "round trip: $s is published" "$S/datasets/$s/index.html"
done
odc check --repo "$R"
t_rc "round trip: odcat check exits 0" 0
no_errors "round trip: odcat check finds no error"
odc check --package "$D"
t_rc "round trip: odcat check --package exits 0" 0

# A broken copy is caught by the same schema: inference and validation agree.
cp -r "$D" "$R/datasets/broken"
jq '.name = "broken"' "$D/datapackage.json" >"$R/datasets/broken/datapackage.json"
sed -i 's/^3,施設3,/x,施設3,/' "$R/datasets/broken/typed.csv"
commit_all "$R" "broken copy"
odc build --repo "$R" --out "$S"
t_nofile "round trip: a non-integer ID is refused by the inferred schema" "$S/datasets/broken/index.html"
t_err "round trip: the bad cell is a type error" "type-error"

# Without --from: an example resource, no CSV.
odc new empty-one --repo "$R"
t_rc "new without --from exits 0" 0
t_true "new without --from: an example resource" jqe '.resources[0].path == "data.csv" and .resources[0].format == "csv" and (.resources[0] | has("schema") | not)' "$R/datasets/empty-one/datapackage.json"
t_grep "new without --from: README skeleton" "$R/datasets/empty-one/README.md" "## 概要"
t_out "new without --from: says to add the CSV" "data.csv"

# Refusals: nothing is created or changed.
before=$(cd "$D" && sha256sum datapackage.json README.md)
odc new facilities --from "$T_TMP/bom.csv" --repo "$R"
t_rc "new: an existing folder is refused with 2" 2
t_err "new: an existing folder is named" "datasets/facilities already exists"
t_eq "new: the existing folder is untouched" "$(cd "$D" && sha256sum datapackage.json README.md)" "$before"
for bad in Bad-Slug -dash "has space" "a_b" "../up" "x/y" ""; do
	odc new "$bad" --repo "$R"
	t_rc "new: slug '$bad' is refused with 2" 2
done
odc new Bad --repo "$R"
t_err "new: a bad slug is explained" "not a valid dataset slug"
t_nofile "new: nothing made for a bad slug" "$R/datasets/Bad"
odc new missing-csv --from "$T_TMP/no-such.csv" --repo "$R"
t_rc "new: a missing --from file exits 2" 2
t_err "new: the missing --from file is named" "no-such.csv"
t_nofile "new: nothing made when --from cannot be read" "$R/datasets/missing-csv"
odc new nowhere --repo "$T_TMP/no-such-repo"
t_rc "new: a missing --repo folder exits 2" 2
odc new
t_rc "new: a missing slug is a usage error" 2
cd "$R" || exit 1
odc new here
cd - >/dev/null || exit 1
t_rc "new: the repository defaults to the current folder" 0
t_file "new: made in ./datasets" "$R/datasets/here/datapackage.json"
t_out "new: paths are shown relative to the current folder" "datasets/here/"

t_summary
