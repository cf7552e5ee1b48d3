#!/usr/bin/env bash
# End-to-end tests of how CSV resources are read during a build: encodings
# (UTF-8 with and without BOM, Shift_JIS declared and decoded as CP932),
# line endings, quoted newlines and delimiters — checked through the row
# counts the dataset page shows and the bytes it publishes.
T_SUITE=csv
source "$(dirname "$0")/../lib.sh"

R=$T_TMP/repo
new_repo "$R"
cat >"$R/odcat.json" <<'JSON'
{"title": "CSV tests", "languages": ["ja", "en"], "base_url": "https://x.example.jp/",
 "publisher": {"name": "Test City"}, "license": "CC-BY-4.0",
 "contactPoint": {"name": "x", "email": "x@example.jp"}}
JSON
# dataset SLUG FILE ENCODING [DIALECT-JSON]
dataset() {
	mkdir -p "$R/datasets/$1"
	local enc=""
	[ -n "$3" ] && enc=", \"encoding\": \"$3\""
	local dia=""
	[ -n "${4:-}" ] && dia=", \"dialect\": $4"
	cat >"$R/datasets/$1/datapackage.json" <<JSON
{"title": "$1", "description": "d", "keywords": ["k"],
 "resources": [{"name": "r", "path": "$2", "format": "csv"$enc$dia}]}
JSON
}
# CP932-only characters: ① (0x8740), ㈱ (0x878A), 髙 (0xFBFC), ～ (0x8160 → U+FF5E).
dataset sjis data.csv shift_jis
printf '\x96\xbc\x8f\xcc,\x94\xf5\x8d\x6c\n\x87\x8a\x83\x65\x83\x58\x83\x67,\x87\x40\n\xfb\xfc\x8b\xb4,9:00\x81\x6017:00\n' >"$R/datasets/sjis/data.csv"
for label in sjis cp932 windows-31j ms_kanji; do
	dataset "sjis-${label/_/-}" data.csv "$label"
	cp "$R/datasets/sjis/data.csv" "$R/datasets/sjis-${label/_/-}/data.csv"
done
dataset bom data.csv utf-8
printf '\xef\xbb\xbf名称,備考\r\n一,a\r\n二,b\r\n三,c\r\n' >"$R/datasets/bom/data.csv"
dataset quoted data.csv ""
printf 'name,note\r\n"a","line one\r\nline two"\r\n"b ""q""",x\r\n\r\nc,"3,4"\r\n' >"$R/datasets/quoted/data.csv"
dataset semicolon data.csv "" '{"delimiter": ";"}'
printf 'a;b\n1;2\n3;4\n' >"$R/datasets/semicolon/data.csv"
dataset noeol data.csv ""
printf 'a,b\n1,2' >"$R/datasets/noeol/data.csv"
dataset cr-only data.csv ""
printf 'a,b\r1,2\r3,4\r' >"$R/datasets/cr-only/data.csv"
dataset unterminated data.csv ""
printf 'a,b\n1,2\n3,"open\n4,5\n' >"$R/datasets/unterminated/data.csv"
dataset bad-sjis data.csv shift_jis
printf 'a,b\n\x96\xbc,\x85\n' >"$R/datasets/bad-sjis/data.csv"
dataset latin1 data.csv ""
printf 'name\nM\xfcller\n' >"$R/datasets/latin1/data.csv"
dataset unknown-enc data.csv "klingon-8"
printf 'a\n1\n' >"$R/datasets/unknown-enc/data.csv"
commit_all "$R" "csv cases"

S=$T_TMP/site
odc build --repo "$R" --out "$S"
t_rc "build with broken CSVs still exits 0" 0
rows() { # SLUG — the rows shown on the dataset page
	grep -o '<dt>Rows</dt><dd>[0-9,]*</dd>' "$S/en/datasets/$1/index.html" | tr -dc '0-9,'
}
t_eq "Shift_JIS (CP932) CSV: rows counted" "$(rows sjis)" "2"
for label in sjis cp932 windows-31j ms_kanji; do
	t_file "encoding label $label is decoded as CP932" "$S/datasets/sjis-${label/_/-}/index.html"
done
t_true "Shift_JIS CSV is published as committed (not converted)" cmp -s "$R/datasets/sjis/data.csv" "$S/datasets/sjis/data.csv"
t_eq "UTF-8 with BOM and CRLF: rows counted" "$(rows bom)" "3"
t_eq "quoted CRLF newline, doubled quotes, blank line: rows counted" "$(rows quoted)" "3"
t_eq "dialect delimiter ';'" "$(rows semicolon)" "2"
t_eq "no newline at the end of the file" "$(rows noeol)" "1"
t_eq "CR-only line ends" "$(rows cr-only)" "2"
t_nofile "an unterminated quote drops the dataset" "$S/datasets/unterminated"
t_err "an unterminated quote is located" "datasets/unterminated/data.csv:3: source-error: the file ends inside a quoted field that starts on line 3"
t_nofile "invalid Shift_JIS bytes drop the dataset" "$S/datasets/bad-sjis"
t_err "invalid Shift_JIS bytes are located" "datasets/bad-sjis/data.csv:2: encoding-error: byte 0x85"
t_nofile "undeclared non-UTF-8 drops the dataset" "$S/datasets/latin1"
t_err "undeclared non-UTF-8 is located by line and column" "datasets/latin1/data.csv:2:1: encoding-error: record 2, field 1: bytes are not valid UTF-8"
t_nofile "an unknown encoding drops the dataset" "$S/datasets/unknown-enc"
t_err "an unknown encoding is named" 'the declared encoding "klingon-8" is not known'

t_summary
