#!/usr/bin/env bash
# Git LFS (issue 7): a resource committed as an LFS pointer is read from
# .git/lfs/objects/<aa>/<bb>/<oid>, checked against the pointer's size and
# SHA-256, validated and published as its content; a missing or damaged
# object is a clear diagnostic that drops only that dataset. The pointers
# and the object store are made by hand here (the git-lfs spec:
# "version https://git-lfs.github.com/spec/v1", "oid sha256:<hex>",
# "size <n>", sorted keys, one per line), so no git-lfs binary is needed.
T_SUITE=lfs
source "$(dirname "$0")/../lib.sh"

R=$T_TMP/repo
minimal_catalog "$R"
sed -i 's|"title": "Minimal",|"title": "Minimal", "base_url": "https://lfs.example.jp/",|' "$R/odcat.json"

# lfs_store CONTENT-FILE — puts the object into the store, prints the pointer.
lfs_store() {
	local oid size
	oid=$(sha256sum "$1" | cut -d' ' -f1)
	size=$(stat -c %s "$1")
	mkdir -p "$R/.git/lfs/objects/${oid:0:2}/${oid:2:2}"
	cp "$1" "$R/.git/lfs/objects/${oid:0:2}/${oid:2:2}/$oid"
	printf 'version https://git-lfs.github.com/spec/v1\noid sha256:%s\nsize %s\n' "$oid" "$size"
}
lfs_dataset() { # SLUG — a dataset whose data.csv is an LFS pointer to $T_TMP/SLUG.csv
	mkdir -p "$R/datasets/$1"
	cat >"$R/datasets/$1/datapackage.json" <<JSON
{
  "name": "$1", "title": "LFS $1", "description": "A CSV stored in Git LFS, validated against its schema like any other.",
  "keywords": ["lfs"],
  "resources": [{"name": "data", "path": "data.csv", "format": "csv",
    "schema": {"fields": [{"name": "id", "type": "integer"}, {"name": "name", "type": "string"}]}}]
}
JSON
	lfs_store "$T_TMP/$1.csv" >"$R/datasets/$1/data.csv"
}

printf 'id,name\n1,alpha\n2,beta\n3,gamma\n' >"$T_TMP/big.csv"
lfs_dataset big
printf 'id,name\n1,one\nzwei,two\n' >"$T_TMP/badrows.csv"
lfs_dataset badrows
printf 'id,name\n1,x\n' >"$T_TMP/gone.csv"
lfs_dataset gone
printf 'id,name\n1,same size!\n' >"$T_TMP/tampered.csv"
lfs_dataset tampered
printf 'id,name\n1,shorter\n' >"$T_TMP/resized.csv"
lfs_dataset resized
# Not a pointer: the version line but no size. Published as committed.
mkdir -p "$R/datasets/notpointer"
printf 'version https://git-lfs.github.com/spec/v1\noid sha256:%064d\n' 0 >"$R/datasets/notpointer/notes.txt"
cat >"$R/datasets/notpointer/datapackage.json" <<'JSON'
{"name": "notpointer", "title": "Not a pointer", "description": "A text file that only looks a little like an LFS pointer.",
 "keywords": ["lfs"], "resources": [{"name": "notes", "path": "notes.txt", "format": "txt"}]}
JSON
commit_all "$R" "datasets with LFS pointers"
t_true "the committed blob is the pointer" git -C "$R" cat-file -p HEAD:datasets/big/data.csv | grep -q '^oid sha256:'

# Damage three objects after committing.
gone=$(sha256sum "$T_TMP/gone.csv" | cut -d' ' -f1)
rm "$R/.git/lfs/objects/${gone:0:2}/${gone:2:2}/$gone"
tam=$(sha256sum "$T_TMP/tampered.csv" | cut -d' ' -f1)
printf 'id,name\n1,SAME SIZE!\n' >"$R/.git/lfs/objects/${tam:0:2}/${tam:2:2}/$tam"
rsz=$(sha256sum "$T_TMP/resized.csv" | cut -d' ' -f1)
printf 'id,name\n1,not shorter at all\n' >"$R/.git/lfs/objects/${rsz:0:2}/${rsz:2:2}/$rsz"

S=$T_TMP/site
odc build --repo "$R" --out "$S" --report "$T_TMP/report.json"
t_rc "the build succeeds (bad datasets are dropped)" 0
t_true "the LFS object's content is published, not the pointer" cmp -s "$S/datasets/big/data.csv" "$T_TMP/big.csv"
t_eq "the CSV was validated from the object: 3 rows" \
	"$(jq -r '.datasets[] | select(.dataset == "big") | .resources[0] | "\(.rows) \(.validated)"' "$T_TMP/report.json")" "3 true"
t_eq "typed JSON from the object's rows" "$(jq -c '[.[].name]' "$S/datasets/big/data.csv.json")" '["alpha","beta","gamma"]'
t_eq "the descriptor gives the object's size" "$(jq '.resources[0].bytes' "$S/datasets/big/datapackage.json")" "$(stat -c %s "$T_TMP/big.csv")"
t_eq "the descriptor gives the object's SHA-256" "$(jq -r '.resources[0].hash' "$S/datasets/big/datapackage.json")" \
	"sha256:$(sha256sum "$T_TMP/big.csv" | cut -d' ' -f1)"
t_err "a bad row inside an LFS object is located" "datasets/badrows/data.csv:3:1: type-error"
t_nofile "a dataset with a bad LFS row is not published" "$S/datasets/badrows/index.html"

t_err "a missing object: its own code, file and hint" \
	"datasets/gone/data.csv: odcat-lfs-missing: the file is a Git LFS pointer and its object is not in .git/lfs/objects (hint: fetch the LFS objects of the revision first: 'git lfs fetch' (or 'git lfs pull')"
t_nofile "a missing object drops its dataset" "$S/datasets/gone/index.html"
t_err "an object with other bytes of the same size" "datasets/tampered/data.csv: odcat-lfs-corrupt:"
t_err "an object of another size" "datasets/resized/data.csv: odcat-lfs-corrupt:"
t_nofile "a damaged object drops its dataset" "$S/datasets/tampered/index.html"
t_file "the other datasets are published" "$S/datasets/plain/index.html"
t_true "a file that is not a pointer is published as committed" cmp -s "$S/datasets/notpointer/notes.txt" "$R/datasets/notpointer/notes.txt"
t_err "the summary counts them" "3 datasets published, 4 not published"

odc build --repo "$R" --out "$S" --strict
t_rc "--strict: a missing LFS object exits 1" 1

LC_ALL=C.UTF-8 LANG=ja_JP.UTF-8 odc check --repo "$R" --ref HEAD --lang ja gone
t_rc "check: a missing LFS object is an error" 1
t_out "check: in Japanese, with the hint" "odcat-lfs-missing: このファイルは Git LFS のポインタで、実体が .git/lfs/objects にありません (ヒント: 先に LFS のオブジェクトを取得してください（git lfs fetch または git lfs pull）)"

# The working tree as git-lfs leaves it without smudging: pointers on disk.
odc build --repo "$R" --out "$T_TMP/wt" --worktree
t_rc "--worktree with pointer files builds" 0
t_true "--worktree: the object's content is published" cmp -s "$T_TMP/wt/datasets/big/data.csv" "$T_TMP/big.csv"

# A bigger object is read through a mapping, not copied into memory:
# peak memory stays far below its size.
python3 - "$T_TMP/huge.csv" <<'PY'
import sys
with open(sys.argv[1], "w") as f:
    f.write("id,name\n")
    for i in range(1, 1500001):
        f.write("%d,name number %d with some padding text to make it longer\n" % (i, i))
PY
lfs_dataset huge
commit_all "$R" "a big LFS object"
if command -v /usr/bin/time >/dev/null && external_checks; then
	/usr/bin/time -f %M -o "$T_TMP/rss" "$ODCAT" check --repo "$R" --ref HEAD huge >/dev/null 2>&1
	t_eq "check of a big LFS object: exit 0" "$?" 0
	size_kb=$(($(stat -c %s "$T_TMP/huge.csv") / 1024))
	rss=$(cat "$T_TMP/rss")
	t_true "peak memory ($rss KB) under half the object ($size_kb KB)" test "$rss" -lt $((size_kb / 2))
fi
odc build --repo "$R" --out "$S" -q
t_rc "a big LFS object builds" 0
t_true "the big object is published whole" cmp -s "$S/datasets/huge/data.csv" "$T_TMP/huge.csv"

t_summary
