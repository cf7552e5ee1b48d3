#!/usr/bin/env bash
# Atomic output (issue 7): a build killed at any point leaves the previous
# site intact and byte-identical (or, once swapped, the complete new one);
# files of removed datasets disappear from the new site; staging folders
# of killed builds are removed by the next build; a failed build leaves
# the old site untouched; two builds never write one output at once.
T_SUITE=atomic
source "$(dirname "$0")/../lib.sh"

R=$T_TMP/repo
S=$T_TMP/site
python3 "$TOP/tests/bench/gencatalog.py" "$R" 80 500 || { t_fail "fixture" "gencatalog.py failed"; t_summary; exit 1; }
odc build --repo "$R" --out "$S" --no-cache -q
t_rc "the first site builds" 0
cp -a "$S" "$T_TMP/old"

# The next revision: one dataset removed, one changed, one added.
git -C "$R" rm -q -r datasets/ds-00002
sed -i 's/ベンチマーク用の合成データです。/改訂した合成データです。/' "$R/datasets/ds-00003/README.md"
cp -r "$R/datasets/ds-00004" "$R/datasets/ds-00900"
sed -i 's/"ds-00004"/"ds-00900"/' "$R/datasets/ds-00900/datapackage.json"
commit_all "$R" "next revision"
odc build --repo "$R" --out "$T_TMP/new" --no-cache -q
t_rc "the next site builds elsewhere" 0

is_old_or_new() { # NAME — $S is exactly the old or exactly the new site
	if diff -r -q "$T_TMP/old" "$S" >/dev/null 2>&1; then
		t_pass "$1 (the old site)"
	elif diff -r -q "$T_TMP/new" "$S" >/dev/null 2>&1; then
		t_pass "$1 (the new site)"
	else
		t_fail "$1" "$(diff -r -q "$T_TMP/old" "$S" 2>&1 | head -c 800)"
	fi
}

# ---------------------------------------------------------------- killed once the stage exists
"$ODCAT" build --repo "$R" --out "$S" --no-cache --jobs 1 -q 2>/dev/null &
pid=$!
stage=
for _ in $(seq 1 2000); do
	stage=$(ls -d "$S".tmp-* 2>/dev/null | head -n 1)
	[ -n "$stage" ] && [ -d "$stage/datasets" ] && break
	sleep 0.005
done
kill -KILL "$pid" 2>/dev/null
wait "$pid" 2>/dev/null
t_true "the build was killed while writing its stage folder" test -n "$stage" -a -d "$stage"
if diff -r "$T_TMP/old" "$S" >"$T_TMP/diff" 2>&1; then
	t_pass "killed mid-way: the previous site is intact and byte-identical"
else
	t_fail "killed mid-way: the previous site is intact and byte-identical" "$(head -c 1500 "$T_TMP/diff")"
fi
t_true "killed mid-way: --out is still a plain folder" test -d "$S" -a ! -L "$S"

# ---------------------------------------------------------------- killed at random points
# Kill times spread over a build's whole length, the swap included.
start=$(date +%s%N)
odc build --repo "$R" --out "$T_TMP/timing" --no-cache --jobs 1 -q
ms=$((($(date +%s%N) - start) / 1000000))
for i in 1 2 3 4 5 6; do
	at=$((RANDOM % (ms + 50) + 10))
	timeout -s KILL "$(printf '%d.%03d' $((at / 1000)) $((at % 1000)))" \
		"$ODCAT" build --repo "$R" --out "$S" --no-cache --jobs 2 -q >/dev/null 2>&1 &
	wait $! 2>/dev/null
	is_old_or_new "killed after ${at} ms of about ${ms}: the site is whole"
done
# and with the cache, which a killed build must not leave half-written
for i in 1 2 3; do
	at=$((RANDOM % (ms + 50) + 10))
	timeout -s KILL "$(printf '%d.%03d' $((at / 1000)) $((at % 1000)))" \
		"$ODCAT" build --repo "$R" --out "$S" --cache "$T_TMP/cache" --jobs 2 -q >/dev/null 2>&1 &
	wait $! 2>/dev/null
	is_old_or_new "a cached build killed after ${at} ms: the site is whole"
done

# ---------------------------------------------------------------- the next build
mkdir -p "$S.old-XXXXXX/stale"
odc build --repo "$R" --out "$S" --cache "$T_TMP/cache" -q
t_rc "the next build succeeds" 0
t_eq "leftover staging and old folders are removed" "$(ls -d "$S".tmp-* "$S".old-* 2>/dev/null)" ""
if diff -r "$T_TMP/new" "$S" >"$T_TMP/diff" 2>&1; then
	t_pass "the new site is complete and identical to a clean build (with the cache after kills)"
else
	t_fail "the new site is complete and identical to a clean build (with the cache after kills)" "$(head -c 1500 "$T_TMP/diff")"
fi
# Its URL keeps a withdrawn page (history.c); its data files are gone.
t_grep "a removed dataset's page is its withdrawn page" "$S/datasets/ds-00002/index.html" "withdrawn"
t_nofile "a removed dataset's downloads are gone" "$S/datasets/ds-00002/data.csv"
t_grep "a removed dataset's English page is its withdrawn page" "$S/en/datasets/ds-00002/index.html" "withdrawn"
t_nogrep "a removed dataset is not in data.json" "$S/data.json" "ds-00002"
t_file "an added dataset is there" "$S/datasets/ds-00900/index.html"
t_grep "a changed dataset's page is new" "$S/datasets/ds-00003/index.html" "改訂した合成データです。"

# ---------------------------------------------------------------- a failed build
cp -a "$S" "$T_TMP/before-fail"
printf '{"title": ' >"$R/odcat.json"
commit_all "$R" "broken odcat.json"
odc build --repo "$R" --out "$S"
t_rc "a broken odcat.json stops the build" 2
t_true "a failed build leaves the site untouched" diff -r -q "$T_TMP/before-fail" "$S"
t_eq "a failed build leaves no staging folder" "$(ls -d "$S".tmp-* 2>/dev/null)" ""
git -C "$R" reset -q --hard HEAD~1

# ---------------------------------------------------------------- one build at a time
"$ODCAT" build --repo "$R" --out "$S" --no-cache --jobs 1 -q 2>/dev/null &
pid=$!
for _ in $(seq 1 2000); do
	ls -d "$S".tmp-* >/dev/null 2>&1 && break
	sleep 0.005
done
odc build --repo "$R" --out "$S" --no-cache -q
t_rc "a second build of the same output at the same time stops" 2
t_err "it says another build is writing" "another odcat build is writing"
wait "$pid"
t_eq "the first build still succeeds" "$?" 0
t_true "and its site is the new one" diff -r -q "$T_TMP/new" "$S"

t_summary
