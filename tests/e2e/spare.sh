#!/usr/bin/env bash
# The spare (out.h): the tree a build swaps out is kept as <out>.spare and
# is the next build's staging folder. Its content is never trusted: every
# file is compared (bytes, or the inode of the cache file it came from),
# every file the build did not write goes, and a file is never written
# through (it may be a hard link into the cache or the live site). So
# whatever the spare holds, the output is byte-identical to a fresh
# --no-cache build into an empty folder, and the cache stays intact.
T_SUITE=spare
source "$(dirname "$0")/../lib.sh"

R=$T_TMP/repo
S=$T_TMP/site
C=$T_TMP/cache
python3 "$TOP/tests/bench/gencatalog.py" "$R" 30 200 || { t_fail "fixture" "gencatalog.py failed"; t_summary; exit 1; }

# same_as_fresh NAME — $S equals a --no-cache build of HEAD into an empty folder
same_as_fresh() {
	rm -rf "$T_TMP/fresh"
	"$ODCAT" build --repo "$R" --out "$T_TMP/fresh" --no-cache -q 2>/dev/null
	if diff -r -q "$T_TMP/fresh" "$S" >/dev/null 2>&1; then
		t_pass "$1"
	else
		t_fail "$1" "$(diff -r -q "$T_TMP/fresh" "$S" 2>&1 | head -c 800)"
	fi
	rm -rf "$T_TMP/fresh" "$T_TMP/fresh.spare" "$T_TMP/fresh.lock"
}

odc build --repo "$R" --out "$S" --cache "$C" -q
t_rc "the first build" 0
t_nofile "the first build has no spare" "$S.spare"
odc build --repo "$R" --out "$S" --cache "$C" -q
t_rc "a rebuild" 0
t_true "the swapped-out tree is kept as the spare" test -d "$S.spare"
t_true "the spare is the previous site" diff -r -q "$S" "$S.spare"
same_as_fresh "a rebuild from the spare equals a fresh build"

# Change one dataset, remove one, add one: the stage starts as a tree two
# builds old.
git -C "$R" rm -q -r datasets/ds-00002
sed -i '2s/,[0-9]*\.\([0-9][0-9]\),/,12345.\1,/' "$R/datasets/ds-00001/data.csv"
cp -r "$R/datasets/ds-00004" "$R/datasets/ds-00900"
sed -i 's/"ds-00004"/"ds-00900"/' "$R/datasets/ds-00900/datapackage.json"
commit_all "$R" "next revision"
odc build --repo "$R" --out "$S" --cache "$C" -q
t_rc "a rebuild after changes" 0
same_as_fresh "changed, removed and added datasets: equal to a fresh build"
t_nofile "the removed dataset's data files are gone" "$S/datasets/ds-00002/data.csv"
t_file "the added dataset is there" "$S/datasets/ds-00900/data.csv"

# A spare tampered with: stray files and folders, a truncated file, a file
# with other bytes of the same size, a folder where a file belongs.
sp=$S.spare
mkdir -p "$sp/stray/deeper" "$sp/datasets/ds-00003/junk"
echo junk >"$sp/stray/deeper/file.html"
echo junk >"$sp/datasets/ds-00003/extra.csv"
: >"$sp/index.html"
# (replaced, not written in place: the spare's files share their inodes
# with the cache, and nothing may write through them, this test neither)
f=$sp/datasets/ds-00006/data.csv
cp "$f" "$T_TMP/tampered" && printf 'X' | dd of="$T_TMP/tampered" bs=1 seek=10 conv=notrunc 2>/dev/null
mv "$T_TMP/tampered" "$f"
rm -f "$sp/data.json" && mkdir -p "$sp/data.json/x"
odc build --repo "$R" --out "$S" --cache "$C" -q
t_rc "a build over a tampered spare" 0
same_as_fresh "a tampered spare does not show in the output"
t_nofile "stray folders are removed" "$S/stray"
t_nofile "stray files are removed" "$S/datasets/ds-00003/extra.csv"

# Never written through: the spare's files are hard links into the cache
# (and the live site). Change a dataset, rebuild twice (so the stage holds
# the inodes the cache holds), then check the cache against a fresh build.
odc build --repo "$R" --out "$S" --cache "$C" -q
sed -i '3s/,[0-9]*\.\([0-9][0-9]\),/,54321.\1,/' "$R/datasets/ds-00007/data.csv"
commit_all "$R" "change ds-00007"
odc build --repo "$R" --out "$S" --cache "$C" -q
t_rc "rebuild with a changed dataset" 0
same_as_fresh "the changed dataset rebuilt over linked files"
rm -rf "$S" "$S.spare"
odc build --repo "$R" --out "$S" --cache "$C"
t_rc "a build from the cache alone" 0
t_err "reuses every dataset" "31 datasets reused from the cache, 0 read"
same_as_fresh "the cache was not changed through linked files"

# A failed build keeps the spare as the spare and leaves no staging folder.
odc build --repo "$R" --out "$S" --cache "$C" -q
echo '{ broken' >"$R/odcat.json"
commit_all "$R" "broken odcat.json"
cp -a "$S" "$T_TMP/before"
odc build --repo "$R" --out "$S" --cache "$C" -q
t_rc "a broken odcat.json fails" 2
t_true "the failed build left the site untouched" diff -r -q "$T_TMP/before" "$S"
t_eq "no staging folder is left" "$(ls -d "$S".tmp-* 2>/dev/null)" ""
git -C "$R" checkout -q HEAD~1 -- odcat.json
commit_all "$R" "odcat.json fixed"
odc build --repo "$R" --out "$S" --cache "$C" -q
t_rc "the next good build" 0
same_as_fresh "after a failed build, the next equals a fresh build"

# Files the spare holds but this build does not write do not count as
# written: without a base URL no DCAT-AP files are made, and the about
# page (which lists the files written) must not list them from the spare.
odc build --repo "$R" --out "$S" --cache "$C" -q
python3 - "$R/odcat.json" <<'PY'
import json, sys
p = sys.argv[1]
c = json.load(open(p, encoding="utf-8"))
c.pop("base_url", None)
json.dump(c, open(p, "w", encoding="utf-8"), ensure_ascii=False, indent=2)
PY
commit_all "$R" "no base URL"
odc build --repo "$R" --out "$S" --cache "$C" -q
t_rc "a build without a base URL over a spare with DCAT-AP files" 0
t_nofile "no catalog.ttl without a base URL" "$S/catalog.ttl"
same_as_fresh "without a base URL: equal to a fresh build (about/ lists what was written)"

# Removing the spare is safe.
rm -rf "$S.spare"
odc build --repo "$R" --out "$S" --cache "$C" -q
t_rc "a build without a spare" 0
same_as_fresh "without a spare: equal to a fresh build"

# The manifest (<out>.manifest, out.h: out_group_kept). A build that takes
# over a tree whose manifest says it holds a cache entry's files, in
# folders unchanged since, keeps them without looking at each file. Each
# thing that shortcut trusts is broken below: the site must still equal a
# fresh build, and the datasets concerned must have been checked file by
# file (ODCAT_TIMING prints how many restored datasets were kept).
kbuild() { # builds $S; KEPT: the restored datasets kept without a look
	ODCAT_TIMING=1 odc build --repo "$R" --out "$S" --cache "$C" -q "$@"
	KEPT=$(printf '%s\n' "$ERR" | sed -n 's/.*timing B: \([0-9]*\) restored datasets.*/\1/p')
	READ=$(printf '%s\n' "$ERR" | sed -n 's/.*timing swap: \([0-9]*\) folders read.*/\1/p')
}
# settle: two builds, so that neither tree was last recorded right after a
# sweep removed something (a folder changed in the same clock tick as the
# manifest is written is not recorded: its files are checked one by one).
settle() { kbuild; kbuild; }
ND=$(ls "$C/v1" | wc -l)
kbuild
kbuild
kbuild
t_rc "three builds, so both trees are in the manifest, each after a sweep" 0
t_file "the manifest is beside the output" "$S.manifest"
t_eq "unchanged trees: every restored dataset is kept without a look" "$KEPT" "$ND"
t_eq "unchanged trees: the sweep reads only the top folder" "$READ" 1
same_as_fresh "kept without a look: equal to a fresh build"
t_eq "kept files are still the cache's inodes" \
	"$(stat -c %i "$S/datasets/ds-00003/data.csv")" "$(stat -c %i "$C/v1/ds-00003/files/datasets/ds-00003/data.csv")"

sp=$S.spare
settle
echo junk >"$sp/datasets/ds-00003/stray.csv"
kbuild
t_eq "a stray file in a dataset's folder: that dataset is checked file by file" "$KEPT" $((ND - 1))
t_eq "a stray file in a dataset's folder: the sweep reads that folder too" "$READ" 2
same_as_fresh "a stray file in a kept folder: equal to a fresh build"

settle
f=$sp/en/datasets/ds-00005/index.html
cp "$f" "$T_TMP/page" && sed -i 's|</body>|<p>tampered</p></body>|' "$T_TMP/page" && mv "$T_TMP/page" "$f"
kbuild
t_eq "a file replaced: its dataset is checked file by file" "$KEPT" $((ND - 1))
same_as_fresh "a file replaced in a kept folder: equal to a fresh build"

settle
rm -rf "$sp/datasets/ds-00006" && echo junk >"$sp/datasets/ds-00006"
kbuild
t_eq "a folder replaced by a file: that dataset is checked file by file" "$KEPT" $((ND - 1))
same_as_fresh "a folder replaced by a file: equal to a fresh build"

# Stray files and folders the sweep must find without reading the
# unchanged folders: at the top, and below a dataset's folder.
settle
mkdir -p "$sp/stray/deeper" "$sp/datasets/ds-00004/junk/deeper"
echo junk >"$sp/stray/deeper/file.html"
echo junk >"$sp/stray.html"
echo junk >"$sp/datasets/ds-00004/junk/deeper/file.csv"
kbuild
t_rc "a build over stray files and folders" 0
same_as_fresh "stray files and folders (top, nested): equal to a fresh build"
t_nofile "a stray folder at the top is removed" "$S/stray"
t_nofile "a stray folder below a dataset's folder is removed" "$S/datasets/ds-00004/junk"
t_true "the sweep read some folders, not all" test "$READ" -gt 1 -a "$READ" -lt "$(find "$S" -type d | wc -l)"

# Folders replaced by symbolic links to copies of themselves (at the top,
# and a dataset's): nothing may be kept through a link, which the sweep
# would then remove with everything "below" it.
settle
mv "$sp/datasets" "$T_TMP/moved-datasets" && ln -s "$T_TMP/moved-datasets" "$sp/datasets"
kbuild
t_rc "a spare with a folder replaced by a link" 0
t_true "the output's datasets folder is a folder" test -d "$S/datasets" -a ! -L "$S/datasets"
same_as_fresh "a folder replaced by a link at the top: equal to a fresh build"
rm -rf "$T_TMP/moved-datasets"
settle
mv "$sp/datasets/ds-00012" "$T_TMP/moved-ds" && ln -s "$T_TMP/moved-ds" "$sp/datasets/ds-00012"
kbuild
same_as_fresh "a dataset's folder replaced by a link: equal to a fresh build"
rm -rf "$T_TMP/moved-ds"

# A removed dataset: its files, listed in the manifest, go (both trees,
# one build after the other; its withdrawn page stays).
settle
git -C "$R" rm -q -r datasets/ds-00011
commit_all "$R" "remove ds-00011"
kbuild
t_eq "a removed dataset: the sweep reads only the top folder" "$READ" 1
t_nofile "a removed dataset's files are removed" "$S/datasets/ds-00011/data.csv"
t_nofile "a removed dataset's package is removed" "$S/api/3/action/package_show/ds-00011.json"
same_as_fresh "a removed dataset: equal to a fresh build"
kbuild
t_nofile "a removed dataset's files are removed from the other tree too" "$S/datasets/ds-00011/data.csv"
same_as_fresh "a removed dataset, other tree: equal to a fresh build"
ND=$((ND - 1))

# A spare two builds old: the dataset changed since, so the spare holds
# the files of its old cache entry, which another token now names.
settle
sed -i '2s/,[0-9]*\.\([0-9][0-9]\),/,24680.\1,/' "$R/datasets/ds-00007/data.csv"
commit_all "$R" "change ds-00007 again"
kbuild
t_rc "rebuild after a change" 0
kbuild
t_eq "a spare two builds old: the changed dataset is checked file by file" "$KEPT" $((ND - 1))
same_as_fresh "a spare two builds old: equal to a fresh build"

# A cache entry removed, and one replaced under the spare (another output
# sharing the cache rebuilt it: same bytes, a new entry and token).
settle
rm -rf "$C/v1/ds-00008" "$C/v1/ds-00009"
odc build --repo "$R" --out "$T_TMP/other" --cache "$C" -q
t_rc "another output sharing the cache" 0
rm -rf "$C/v1/ds-00008"
kbuild
t_eq "entries removed or replaced: those datasets are not kept" "$KEPT" $((ND - 2))
same_as_fresh "a cache entry removed or replaced: equal to a fresh build"
t_eq "the replaced entry's files are placed" \
	"$(stat -c %i "$S/datasets/ds-00009/data.csv")" "$(stat -c %i "$C/v1/ds-00009/files/datasets/ds-00009/data.csv")"
rm -rf "$T_TMP/other" "$T_TMP/other.spare" "$T_TMP/other.lock" "$T_TMP/other.manifest"

# A build that fails after writing into the stage (its report cannot be
# written) leaves that stage as the spare, changed since its manifest.
kbuild
sed -i '2s/,[0-9]*\.\([0-9][0-9]\),/,13579.\1,/' "$R/datasets/ds-00010/data.csv"
commit_all "$R" "change ds-00010"
kbuild --report "$T_TMP/no/such/folder/report.json"
t_rc "a build whose report cannot be written fails" 2
kbuild
t_rc "the build over the failed build's stage" 0
same_as_fresh "a spare a failed build wrote into: equal to a fresh build"

# The manifest removed, or not one odcat wrote: files are checked one by
# one, and after two builds the manifest covers both trees again.
rm -f "$S.manifest"
kbuild
t_eq "no manifest: every dataset is checked file by file" "$KEPT" 0
t_eq "no manifest: the sweep reads every folder" "$READ" "$(find "$S" -type d | wc -l)"
same_as_fresh "no manifest: equal to a fresh build"
printf 'odcat-manifest 1\ntree 1 2\nd 3 x\ng\n' >"$S.manifest"
kbuild
t_rc "a garbled manifest is no error" 0
same_as_fresh "a garbled manifest: equal to a fresh build"
kbuild
kbuild
t_eq "two builds later every dataset is kept again" "$KEPT" "$ND"
same_as_fresh "kept again: equal to a fresh build"

# Folders whose files all go (the English pages, when English is dropped)
# are removed, and the folders above them, though the sweep reads none.
settle
python3 - "$R/odcat.json" <<'PY'
import json, sys
p = sys.argv[1]
c = json.load(open(p, encoding="utf-8"))
c["languages"] = ["ja"]
json.dump(c, open(p, "w", encoding="utf-8"), ensure_ascii=False, indent=2)
PY
commit_all "$R" "Japanese only"
kbuild
t_rc "a build without English" 0
t_eq "without English: the sweep reads only the top folder" "$READ" 1
t_nofile "the English folders are removed" "$S/en"
same_as_fresh "without English: equal to a fresh build"
kbuild
t_nofile "the English folders are removed from the other tree too" "$S/en"
same_as_fresh "without English, other tree: equal to a fresh build"

t_summary
