#!/usr/bin/env bash
# The bundled sample catalogue (this repository's own datasets/ at HEAD)
# builds without a single error and has the mix the project promises: at
# least 12 datasets from at least 5 departments, Japanese titles with
# English alternates, a Shift_JIS CSV, a UTF-8 CSV with BOM, a dataset with
# several resources, non-CSV downloads and a CSV of at least 50,000 rows.
T_SUITE=sample
source "$(dirname "$0")/../lib.sh"

S=$T_TMP/site
odc build --repo "$TOP" --out "$S"
t_rc "the sample catalogue builds" 0
t_false "the sample catalogue has no errors" grep -qE ": [a-z-]+(-error|-key)?: " <<<"$(grep -v "warning:" <<<"$ERR")"
t_false "the sample catalogue has no warnings" grep -q "warning:" <<<"$ERR"

committed=$(git -C "$TOP" ls-tree --name-only HEAD datasets/ | wc -l)
published=$(jq '.dataset | length' "$S/data.json")
t_eq "every committed dataset is published" "$published" "$committed"
t_true "at least 12 datasets" [ "$published" -ge 12 ]
pubs=$(for f in "$S"/datasets/*/datapackage.json; do jq -r .publisher "$f"; done | grep -v null | sort -u | wc -l)
t_true "at least 5 departments publish" [ "$pubs" -ge 5 ]
t_eq "every dataset has a Japanese and an English title" \
	"$(for f in "$S"/datasets/*/datapackage.json; do jq -r '(.title.ja|type) + (.title.en|type)' "$f"; done | sort -u)" "stringstring"
t_true "a resource is declared Shift_JIS" grep -lq '"encoding": *"shift_jis"' "$S"/datasets/*/datapackage.json
t_true "a CSV starts with a UTF-8 BOM" bash -c 'for f in "$1"/datasets/*/*.csv "$1"/datasets/*/*/*.csv; do case "$f" in *.excel.csv) continue ;; esac; [ -f "$f" ] && head -c3 "$f" | od -An -tx1 | grep -q "ef bb bf" && exit 0; done; exit 1' _ "$S"
t_true "a dataset has several resources" bash -c 'for f in "$1"/datasets/*/datapackage.json; do [ "$(jq ".resources|length" "$f")" -ge 2 ] && exit 0; done; exit 1' _ "$S"
t_true "there are non-CSV downloads" bash -c 'jq -e "[.dataset[].distribution[] | select(.format != \"CSV\")] | length > 0" "$1/data.json" >/dev/null' _ "$S"
max=$(grep -ho '<dt>Rows</dt><dd>[0-9,]*</dd>' "$S"/en/datasets/*/index.html | tr -dc '0-9\n' | sort -n | tail -1)
t_true "a CSV has at least 50,000 rows (largest: $max)" [ "${max:-0}" -ge 50000 ]
t_grep "the site says it is sample data" "$S/index.html" "サンプル"
t_summary
