#!/usr/bin/env bash
# The pre-commit hook (tests/tools/pre-commit) in a real catalogue
# repository with the real odcat: a commit touching a broken dataset is
# stopped, a good one goes through, and one that touches no dataset is not
# checked at all.
T_SUITE=hook
source "$(dirname "$0")/../lib.sh"

R=$T_TMP/repo
new_repo "$R"
cp "$TOP/tests/tools/pre-commit" "$R/.git/hooks/pre-commit"
chmod +x "$R/.git/hooks/pre-commit"
cat >"$R/odcat.json" <<'JSON'
{"title": "Hook tests", "publisher": {"name": "Test City"}, "license": "CC0-1.0",
 "contactPoint": {"name": "x", "email": "x@example.jp"}}
JSON
mkdir -p "$R/datasets/parks"
cat >"$R/datasets/parks/datapackage.json" <<'JSON'
{"title": "Parks", "description": "d", "keywords": ["k"],
 "resources": [{"name": "parks", "path": "parks.csv",
   "schema": {"fields": [{"name": "id", "type": "integer"}, {"name": "area", "type": "number"}]}}]}
JSON
printf 'id,area\n1,2.5\n' >"$R/datasets/parks/parks.csv"
export ODCAT
git -C "$R" add -A
commit() { git -C "$R" commit -q -m "$1" >"$T_TMP/hook.out" 2>&1; }
t_true "a valid dataset is committed" commit "add parks"
printf 'id,area\n1,2.5\n2,広い\n' >"$R/datasets/parks/parks.csv"
git -C "$R" add -A
t_false "a commit with a broken dataset is stopped" commit "break parks"
t_grep "the hook shows odcat's report" "$T_TMP/hook.out" "datasets/parks/parks.csv:3:2: type-error:"
t_eq "nothing was committed" "$(git -C "$R" log --oneline | wc -l)" 1
echo "notes" >"$R/NOTES.txt"
git -C "$R" reset -q datasets/parks/parks.csv
git -C "$R" add NOTES.txt
t_true "a commit that touches no dataset is not checked" commit "notes"
t_true "--no-verify skips the hook" bash -c 'git -C "$1" add -A && git -C "$1" commit -q --no-verify -m skip' _ "$R"
t_summary
