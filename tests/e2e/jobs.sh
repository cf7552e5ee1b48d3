#!/usr/bin/env bash
# --jobs N (issue 7): datasets build in N threads, and the site, the
# report and the diagnostics are byte-identical to --jobs 1, with datasets
# that fail, datasets with warnings and foreign keys across datasets.
T_SUITE=jobs
source "$(dirname "$0")/../lib.sh"

R=$T_TMP/repo
python3 "$TOP/tests/bench/gencatalog.py" "$R" 24 40 || { t_fail "fixture" "gencatalog.py failed"; t_summary; exit 1; }
# Three broken datasets (a bad number, a bad foreign key, bad JSON) and
# one with a warning (a short description), spread over the slug order.
sed -i '5s/,[0-9]*\.[0-9]*,/,lots,/' "$R/datasets/ds-00004/data.csv"
sed -i '3s/,14[0-9]*,/,999999,/' "$R/datasets/ds-00020/data.csv"
printf '{"name": "ds-00013",' >"$R/datasets/ds-00013/datapackage.json"
sed -i 's/"description": {"ja": "[^"]*"/"description": {"ja": "短い。"/' "$R/datasets/ds-00017/datapackage.json"
commit_all "$R" "some broken"

run() { # JOBS — a build without the cache into $T_TMP/site-JOBS
	odc build --repo "$R" --out "$T_TMP/site-$1" --no-cache --jobs "$1" --report "$T_TMP/report-$1.json"
	printf '%s\n' "$ERR" | grep -v ' into ' >"$T_TMP/stderr-$1"
	t_rc "--jobs $1 builds" 0
	# The three were valid in the first commit: their last good revision
	# stays published, held back (history.c), so all 25 are on the site.
	t_err "--jobs $1: 25 published" "25 datasets published, 0 not published"
	t_err "--jobs $1: 3 held back" "3 datasets held back"
}
run 1
t_true "--jobs 1: the broken datasets are reported" grep -q "ds-00004/data.csv:5" "$T_TMP/stderr-1"
t_grep "--jobs 1: the foreign key error is reported" "$T_TMP/stderr-1" "ds-00020/data.csv:3"
t_grep "--jobs 1: the JSON error is reported" "$T_TMP/stderr-1" "ds-00013/datapackage.json"
t_grep "--jobs 1: the warning is reported" "$T_TMP/stderr-1" "odcat-short-description"
for n in 2 3 8; do
	run $n
	if diff -r "$T_TMP/site-1" "$T_TMP/site-$n" >"$T_TMP/diff" 2>&1; then
		t_pass "--jobs $n: the site is byte-identical to --jobs 1"
	else
		t_fail "--jobs $n: the site is byte-identical to --jobs 1" "$(head -c 1500 "$T_TMP/diff")"
	fi
	t_true "--jobs $n: the same report" cmp -s "$T_TMP/report-1.json" "$T_TMP/report-$n.json"
	t_true "--jobs $n: the same diagnostics in the same order" cmp -s "$T_TMP/stderr-1" "$T_TMP/stderr-$n"
done
# The diagnostics come in slug order, whichever thread finished first.
t_eq "diagnostics in slug order" "$(grep -o 'ds-000[0-9][0-9]' "$T_TMP/stderr-2" | uniq | tr '\n' ' ')" \
	"ds-00004 ds-00013 ds-00017 ds-00020 "

# With the cache, in parallel: first build, then a rebuild that reuses.
for pass in fill reuse; do
	odc build --repo "$R" --out "$T_TMP/cached" --cache "$T_TMP/cache" --jobs 2 --report "$T_TMP/report-c.json"
	t_rc "cache $pass, --jobs 2: builds" 0
	if diff -r "$T_TMP/site-1" "$T_TMP/cached" >"$T_TMP/diff" 2>&1; then
		t_pass "cache $pass, --jobs 2: byte-identical to --jobs 1 without the cache"
	else
		t_fail "cache $pass, --jobs 2: byte-identical to --jobs 1 without the cache" "$(head -c 1500 "$T_TMP/diff")"
	fi
	t_true "cache $pass, --jobs 2: the same report" cmp -s "$T_TMP/report-1.json" "$T_TMP/report-c.json"
done
t_err "the second cached build reused the valid datasets" "22 datasets reused from the cache, 3 read and validated"

# The default is the number of processors; bad values are usage errors.
odc build --repo "$R" --out "$T_TMP/site-default" --no-cache
t_rc "no --jobs: builds" 0
t_true "no --jobs: the same site" diff -r -q "$T_TMP/site-1" "$T_TMP/site-default"
for bad in 0 -1 two 1x 5000; do
	odc build --repo "$R" --out "$T_TMP/bad" --jobs "$bad"
	t_rc "--jobs $bad is a usage error" 2
done
t_nofile "a usage error writes nothing" "$T_TMP/bad"
odc build --help
t_out "--help names --jobs" "--jobs N"

t_summary
