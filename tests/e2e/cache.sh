#!/usr/bin/env bash
# The build cache (issue 7, "Incremental and parallel"): a dataset whose
# key is unchanged is neither read nor validated nor rendered again, each
# part of the key invalidates it, and a cached build is byte-identical to
# a build without the cache.
#
# "read and validated" is odcat's own count on stderr; that a reused
# dataset is really not read is shown by deleting its CSV's git object:
# the cached build still succeeds, a fresh one cannot read the file.
T_SUITE=cache
source "$(dirname "$0")/../lib.sh"

R=$T_TMP/repo
C=$T_TMP/cache
python3 "$TOP/tests/bench/gencatalog.py" "$R" 12 30 || { t_fail "fixture" "gencatalog.py failed"; t_summary; exit 1; }
# ds-00010 references wards by a foreign key (gencatalog: every tenth).
t_grep "fixture: ds-00010 references wards" "$R/datasets/ds-00010/datapackage.json" '"package": "wards"'
N=13

build() { # NAME [ARGS...] — a cached build into $T_TMP/site
	local name=$1; shift
	odc build --repo "$R" --out "$T_TMP/site" --cache "$C" --report "$T_TMP/report.json" "$@"
	t_rc "$name: builds" 0
}
counts() { # the "N reused, M read and validated" figures
	printf '%s' "$ERR" | sed -n 's/^odcat: \([0-9]*\) datasets\{0,1\} reused from the cache, \([0-9]*\) read and validated$/\1 \2/p'
}
same_as_fresh() { # NAME [ARGS...] — the cached site equals a --no-cache build
	local name=$1; shift
	rm -rf "$T_TMP/fresh" "$T_TMP/fresh.json"
	odc build --repo "$R" --out "$T_TMP/fresh" --no-cache --report "$T_TMP/fresh.json" "$@"
	t_rc "$name: the --no-cache build succeeds" 0
	if diff -r "$T_TMP/site" "$T_TMP/fresh" >"$T_TMP/diff" 2>&1; then
		t_pass "$name: byte-identical to a --no-cache build"
	else
		t_fail "$name: byte-identical to a --no-cache build" "$(head -c 1500 "$T_TMP/diff")"
	fi
	t_true "$name: the same report" cmp -s "$T_TMP/report.json" "$T_TMP/fresh.json"
}

# ---------------------------------------------------------------- first and second build
build "first build"
t_eq "first build: every dataset read" "$(counts)" "0 $N"
t_true "the cache holds one entry per dataset" test "$(ls "$C/v1" | wc -l)" -eq "$N"
build "unchanged"
t_eq "unchanged: nothing read again" "$(counts)" "$N 0"
same_as_fresh "unchanged"
# Committed files are hard links into the cache, not copies.
t_eq "a download is a hard link to the cache's file" \
	"$(stat -c %i "$T_TMP/site/datasets/ds-00003/data.csv")" \
	"$(stat -c %i "$C/v1/ds-00003/files/datasets/ds-00003/data.csv")"
t_true "the cache entry has the pages" test -f "$C/v1/ds-00003/files/en/datasets/ds-00003/index.html"

# The default cache is .odcat-cache beside the output folder.
mkdir -p "$T_TMP/beside"
odc build --repo "$R" --out "$T_TMP/beside/site" -q
t_rc "default cache: builds" 0
t_true "default cache: .odcat-cache beside the output" test -f "$T_TMP/beside/.odcat-cache/v1/ds-00001/record.bin"

# ---------------------------------------------------------------- a reused dataset is not read
obj=$(git -C "$R" rev-parse HEAD:datasets/ds-00003/data.csv)
objfile=$R/.git/objects/${obj:0:2}/${obj:2}
t_file "the CSV is a loose object" "$objfile"
mv "$objfile" "$T_TMP/saved-object"
build "object gone"
t_eq "object gone: nothing read" "$(counts)" "$N 0"
t_true "object gone: the download is still published" cmp -s "$T_TMP/site/datasets/ds-00003/data.csv" "$R/datasets/ds-00003/data.csv"
odc build --repo "$R" --out "$T_TMP/nocache" --no-cache
t_err "object gone: without the cache the file cannot be read" "datasets/ds-00003/data.csv"
t_nofile "object gone: without the cache ds-00003 is not published" "$T_TMP/nocache/datasets/ds-00003/index.html"
mv "$T_TMP/saved-object" "$objfile"

# ---------------------------------------------------------------- invalidation
sed -i 's/ベンチマーク用の合成データです。/ベンチマーク用の合成データ（改訂）です。/' "$R/datasets/ds-00005/README.md"
commit_all "$R" "ds-00005 README"
build "a dataset changed"
t_eq "a dataset changed: only it is read" "$(counts)" "$((N - 1)) 1"
t_grep "a dataset changed: its page is new" "$T_TMP/site/datasets/ds-00005/index.html" "（改訂）"
same_as_fresh "a dataset changed"

printf '141399,ward new\n' >>"$R/datasets/wards/wards.csv"
commit_all "$R" "wards: one more"
build "a referenced dataset changed"
t_eq "a referenced dataset changed: it and the one dataset referencing it are read" "$(counts)" "$((N - 2)) 2"
same_as_fresh "a referenced dataset changed"

sed -i 's/"合成カタログ"/"合成カタログ（改）"/' "$R/odcat.json"
commit_all "$R" "odcat.json title"
build "odcat.json changed"
t_eq "odcat.json changed: every dataset read" "$(counts)" "0 $N"
same_as_fresh "odcat.json changed"

build "base URL" --base-url https://mirror.example.org/
t_eq "--base-url changed: every dataset read" "$(counts)" "0 $N"
build "base URL again" --base-url https://mirror.example.org/
t_eq "--base-url unchanged: nothing read" "$(counts)" "$N 0"
same_as_fresh "--base-url" --base-url https://mirror.example.org/

ODCAT_VERSION_OVERRIDE=99.0.0 odc build --repo "$R" --out "$T_TMP/site" --cache "$C" --report "$T_TMP/report.json"
t_eq "another odcat version: every dataset read" "$(counts)" "0 $N"
build "back to this version"
t_eq "this odcat version again: every dataset read" "$(counts)" "0 $N"

# A theme: its own template, then a change to one of its files.
T=$T_TMP/theme
mkdir -p "$T/templates" "$T/assets"
cp "$TOP/themes/default/templates/footer.mustache" "$T/templates/"
build "a theme" --theme "$T"
t_eq "another theme: every dataset read" "$(counts)" "0 $N"
build "the same theme" --theme "$T"
t_eq "the same theme: nothing read" "$(counts)" "$N 0"
printf '\n<!-- changed -->\n' >>"$T/templates/footer.mustache"
build "a theme file changed" --theme "$T"
t_eq "a theme file changed: every dataset read" "$(counts)" "0 $N"
t_grep "a theme file changed: pages show it" "$T_TMP/site/datasets/ds-00001/index.html" "<!-- changed -->"
printf 'body{}\n' >"$T/assets/extra.css"
build "a theme asset added" --theme "$T"
t_eq "a theme asset added: every dataset read" "$(counts)" "0 $N"
same_as_fresh "theme" --theme "$T"

# A theme that shows the number of datasets on dataset pages makes them
# depend on it: adding a dataset re-renders them all.
printf '{{site.dataset_count}} datasets\n' >>"$T/templates/footer.mustache"
build "count theme" --theme "$T"
mkdir -p "$R/datasets/zz-new"
cp "$R/datasets/ds-00001/"* "$R/datasets/zz-new/"
sed -i 's/"ds-00001"/"zz-new"/' "$R/datasets/zz-new/datapackage.json"
commit_all "$R" "a new dataset"
build "count theme, one more dataset" --theme "$T"
t_eq "count theme: every dataset read again for the new count" "$(counts)" "0 $((N + 1))"
t_grep "count theme: an old dataset's page shows the new count" "$T_TMP/site/datasets/ds-00002/index.html" "$((N + 1)) datasets"
same_as_fresh "count theme" --theme "$T"

# ---------------------------------------------------------------- damaged entries
build "settle"
# (records are binary, cache.h: a cut one, garbage, the old JSON form,
# one with bytes after its end, one whose first length runs past the end)
head -c 300 "$C/v1/ds-00002/record.bin" >"$T_TMP/cut" && mv "$T_TMP/cut" "$C/v1/ds-00002/record.bin"
printf 'not a record' >"$C/v1/ds-00004/record.bin"
printf '{"format": "odcat-cache-1", "files": []}' >"$C/v1/ds-00006/record.bin"
rm "$C/v1/ds-00007/files/datasets/ds-00007/data.csv"
printf 'x' >>"$C/v1/ds-00008/record.bin"
printf 'ODCR1\no\377\377\377\377\017' >"$C/v1/ds-00009/record.bin"
# (a well-formed record without the parsed descriptor, and one of the
# previous format, which kept only the descriptor's text)
t_true "the record keeps the parsed descriptor" grep -q descriptor "$C/v1/ds-00003/record.bin"
perl -0777 -pi -e 's/descriptor/descriptoR/' "$C/v1/ds-00003/record.bin"
perl -0777 -pi -e 's/odcat-cache-3/odcat-cache-2/' "$C/v1/ds-00005/record.bin"
# (a file list with a size that is not a number, and one naming a path
# outside the site: the same lengths, so the records stay well-formed)
perl -0777 -pi -e 's{(ds-00011/data\.csv\x00)\d}{${1}x}' "$C/v1/ds-00011/record.bin"
perl -0777 -pi -e 's{datasets/(ds-00012/data\.csv\x00)}{../../../$1}' "$C/v1/ds-00012/record.bin"
t_true "the file list was altered" grep -aq 'data.csv.x' "$C/v1/ds-00011/record.bin"
t_true "... both" grep -aq '\.\./\.\./\.\./ds-00012' "$C/v1/ds-00012/record.bin"
build "damaged entries"
t_eq "damaged entries are rebuilt" "$(counts)" "$((N + 1 - 10)) 10"
same_as_fresh "damaged entries"
build "repaired"
t_eq "damaged entries were written again" "$(counts)" "$((N + 1)) 0"
# After rebuilds over linked files, every cached file still has the bytes
# a fresh build writes (nothing was written through a shared inode).
bad=0
while IFS= read -r f; do
	cmp -s "$C/v1/$f" "$T_TMP/fresh/${f#*/files/}" || { bad=1; echo "differs: $f" >&2; }
done < <(cd "$C/v1" && find . -path '*/files/*' -type f | sed 's|^\./||')
t_eq "every cached file equals the fresh build's" "$bad" 0
mkdir -p "$C/v1/.tmp-ds-00001-XXXX/files"
git -C "$R" rm -q -r datasets/zz-new
commit_all "$R" "remove zz-new"
build "a dataset removed"
t_nofile "a removed dataset's cache entry is pruned" "$C/v1/zz-new"
t_nofile "a killed build's temporary entry is removed" "$C/v1/.tmp-ds-00001-XXXX"
t_grep "a removed dataset's page is its withdrawn page" "$T_TMP/site/datasets/zz-new/index.html" "withdrawn"

# ---------------------------------------------------------------- not used
odc build --repo "$R" --out "$T_TMP/wt" --worktree --cache "$T_TMP/wtcache"
t_rc "--worktree builds" 0
t_nofile "--worktree: no cache is written" "$T_TMP/wtcache"
t_false "--worktree: no cache line" grep -q "reused from the cache" <<<"$ERR"
odc build --repo "$R" --out "$T_TMP/nc" --no-cache
t_nofile "--no-cache: no cache beside the output" "$T_TMP/.odcat-cache/v1/ds-00001"
odc build --repo "$R" --out "$T_TMP/nc" --no-cache --cache "$C"
t_rc "--cache with --no-cache is a usage error" 2

t_summary
