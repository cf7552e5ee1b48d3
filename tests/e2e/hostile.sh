#!/usr/bin/env bash
# tests/e2e/hostile.sh — a catalogue of nasty datasets, as a department (or
# an attacker who can commit to one dataset folder) could write them. Each
# part asserts what the output holds; SECURITY.md maps its rules to the
# tests here.
#
#  1. script injection through every metadata field, odcat.json, README raw
#     HTML and link URLs, CSV cells and column names, and "</script>" /
#     "<!--" in values that reach JSON-LD <script> blocks: checked in the
#     HTML by grep and in headless Chromium (tests/js/hostile.mjs: no
#     dialog, no injected element or handler, the text shown verbatim);
#  2. path escapes: "..", absolute paths, backslashes, %2e%2e, symlinks and
#     submodules, slugs that differ in case, resources that collide in the
#     output folder (also with the derived <path>.json): diagnostics, and
#     nothing written outside the output folder;
#  3. size and shape: a 1 GB CSV (normal build only, peak RSS < 64 MB), a
#     50 MB line, 100,000 columns, JSON nested 100,000 deep, README of
#     100,000 nested brackets / list items / quotes, a README table of 2,000
#     columns and 20,000 rows: each ends under `timeout 60` (a guard against
#     hangs) with a diagnostic or a correct page;
#  4. spreadsheet formula injection: odcat-formula-injection with row and
#     column.
T_SUITE=hostile
. "$(dirname "$0")/../lib.sh"

# odc_t SECONDS ARGS... — odc under timeout(1); RC 124 means it hung.
odc_t() {
	local s=$1; shift
	OUT=$(timeout "$s" "$ODCAT" "$@" 2>"$T_TMP/stderr")
	RC=$?
	ERR=$(head -c 200000 "$T_TMP/stderr")
	if grep -qE 'AddressSanitizer|LeakSanitizer|runtime error:' "$T_TMP/stderr"; then
		t_fail "sanitizer clean: odcat $*" "$(head -c 3000 "$T_TMP/stderr")"
	fi
}
# t_ended NAME — the last run ended by itself (no hang, no signal, no
# sanitizer exit) with 0 or 1.
t_ended() {
	if [ "$RC" = 0 ] || [ "$RC" = 1 ]; then t_pass "$1"; else t_fail "$1" "exit $RC (124 = timeout, >128 = signal); stderr: $(printf '%s' "$ERR" | head -c 800)"; fi
}

odcat_json() { # DIR — a catalogue with one department
	cat >"$1/odcat.json" <<'JSON'
{
  "title": {"ja": "試験カタログ", "en": "Test catalogue"},
  "base_url": "https://opendata.example.jp/",
  "languages": ["ja", "en"],
  "publisher": {"name": {"ja": "市", "en": "City"}, "code": "141305"},
  "publishers": {"dept": {"name": {"ja": "局", "en": "Bureau"}, "email": "dept@example.jp"}},
  "license": "CC-BY-4.0",
  "contactPoint": {"name": "窓口", "email": "desk@example.jp"}
}
JSON
}
# plain_dp SLUG RESOURCES-JSON — a datapackage.json with valid metadata.
plain_dp() {
	jq -n --arg n "$1" --argjson r "$2" '{name: $n, title: "Plain", keywords: ["k"],
	  description: "A dataset with every required key and a description long enough for search engines.",
	  resources: $r}'
}

###########################################################################
# 1. Script injection
###########################################################################

# Every payload sets window.__pwned or opens a dialog if it ever runs, and
# creates #pwned if its markup is ever parsed. M names the field.
pl() {
	printf '%s<img id=pwned src=x onerror="window.__pwned=%s;alert(1)"></script><script>window.__pwned=1;alert(2)</script><!--<b>%s</b>&amp;'"'"'"' "$1" "'$1'" "$1"
}
X=$T_TMP/xss
new_repo "$X"
mkdir -p "$X/datasets/xss"
jq -n --arg t "$(pl TITLE_CAT)" --arg d "$(pl DESC_CAT)" --arg p "$(pl PUB_NAME)" --arg c "$(pl CONTACT_CAT)" '{
  title: {ja: $t, en: $t}, description: {ja: $d, en: $d},
  base_url: "https://opendata.example.jp/", languages: ["ja", "en"],
  publisher: {name: {ja: $p, en: $p}, code: "141305"},
  publishers: {dept: {name: {ja: $p, en: $p}, email: "dept@example.jp"}},
  license: "CC-BY-4.0", contactPoint: {name: $c, email: "desk@example.jp"}}' >"$X/odcat.json"
jq -n --arg title "$(pl TITLE)" --arg desc "$(pl DESCRIPTION) and enough words to be a real description." \
	--arg kw "$(pl KEYWORD)" --arg cn "$(pl CONTACT)" --arg lt "$(pl LICENSE)" --arg ln "$(pl LICNAME)" \
	--arg sp "$(pl SPATIAL)" --arg ts "$(pl TSTART)" --arg te "$(pl TEND)" --arg ver "$(pl VERSION)" \
	--arg rt "$(pl RESTITLE)" --arg rd "$(pl RESDESC)" --arg cat "$(pl CATEGORY)" \
	--arg col "$(pl COLUMN)" --arg ct "$(pl COLTITLE)" --arg cd "$(pl COLDESC)" \
	--arg qf "q\"<i>'&.csv" '{
  name: "xss", title: {ja: $title, en: $title}, description: {ja: $desc, en: $desc},
  keywords: {ja: [$kw, "javascript:alert(1)"], en: [$kw]},
  licenses: [{name: $ln, title: $lt, path: "https://creativecommons.org/licenses/by/4.0/"}],
  publisher: "dept", contactPoint: {name: $cn, email: "x@example.jp"},
  category: $cat, spatial: $sp, temporal: {start: $ts, end: $te}, version: $ver,
  conformsTo: "https://example.jp/spec?a=\"><img id=pwned src=x onerror=alert(1)>",
  resources: [
    {name: "cells", title: $rt, description: $rd, path: "cells.csv", format: "csv",
     schema: {fields: [{name: "id", type: "integer"},
                       {name: $col, title: $ct, description: $cd, type: "string"}]}},
    {name: "q-file", title: "odd file name", path: $qf, format: "csv"},
    {name: "link", title: "LINK_TITLE", path: "https://example.jp/x?\"><img id=pwned src=x onerror=alert(1)>"}
  ]}' >"$X/datasets/xss/datapackage.json"
{
	printf 'id,%s\n' "$(pl COLUMN | sed 's/"/""/g; s/^/"/; s/$/"/')"
	printf '1,"%s"\n' "$(pl CELL | sed 's/"/""/g')"
	printf '2,"</script><script>alert(3)</script>"\n'
} >"$X/datasets/xss/cells.csv"
printf 'a\n<script>window.__pwned=1</script>\n' >"$X/datasets/xss/q\"<i>'&.csv"
cat >"$X/datasets/xss/README.md" <<'MD'
# README_HEADING <img id=pwned src=x onerror="window.__pwned=1">

<script>window.__pwned='readme';alert('readme')</script>

<div onmouseover="window.__pwned=1"><iframe src="javascript:alert(1)"></iframe></div>

<svg onload="window.__pwned=1"><a id=pwned xlink:href="javascript:alert(1)">x</a></svg>

- [js](javascript:alert(1))
- [mixed](JaVaScRiPt:alert(1))
- [spaced]( javascript:alert(1))
- [tab](java	script:alert(1))
- [entity](javascript&#58;alert(1))
- [hexentity](&#x6A;avascript:alert(1))
- [colon-entity](javascript&colon;alert(1))
- [vb](vbscript:msgbox(1))
- [data](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)
- [pct](javascript%3Aalert(1))
- <javascript:alert(1)>
- ![img](javascript:alert(1))
- ![svgdata](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+)
- <a href="javascript:alert(1)">raw link</a>
- [ok](https://example.jp/ok)

README_TEXT `</script><!--` shown as code, <b>raw</b> markup dropped
MD
commit_all "$X" "hostile metadata"
odc build --repo "$X" --out "$X/site" --report "$X/report.json"
t_rc "xss: the hostile dataset builds" 0
t_grep "xss: the dataset is published" "$X/report.json" '"status": "published"'
P=$X/site/datasets/xss/index.html
t_file "xss: dataset page" "$P"
t_nogrep "xss: no <img id=pwned in the dataset page" "$P" "<img id=pwned"
t_nogrep "xss: no raw <script>window in the dataset page" "$P" "<script>window"
t_nogrep "xss: README raw HTML is dropped" "$P" "<iframe"
t_nogrep "xss: no javascript: href" "$P" 'href="javascript:'
t_nogrep "xss: no JaVaScRiPt: href" "$P" 'href="JaVaScRiPt:'
t_nogrep "xss: no vbscript: href" "$P" 'href="vbscript:'
t_nogrep "xss: no data:text/html href" "$P" 'href="data:text'
t_grep "xss: the https link of the README stays" "$P" 'href="https://example.jp/ok"'
# The JSON-LD block: its text is JSON, holds no "</script" or "<!--", and
# the browser check below compares its name with the title.
perl -0ne 'print $1 if m{<script type="application/ld\+json">(.*?)</script>}s' "$P" >"$T_TMP/ld.json"
t_true "xss: JSON-LD is JSON" jq -e . "$T_TMP/ld.json" >/dev/null
t_false "xss: JSON-LD holds no </script" grep -qi '</script' "$T_TMP/ld.json"
t_false "xss: JSON-LD holds no <!--" grep -q '<!--' "$T_TMP/ld.json"
t_eq "xss: JSON-LD name is the title, exactly" "$(jq -r .name "$T_TMP/ld.json")" "$(pl TITLE)"
for f in data.json catalog.jsonld "datasets/xss/dataset.jsonld" api/3/action/package_show/xss.json \
	datasets/xss/cells.csv.json; do
	t_true "xss: $f is JSON" jq -e . "$X/site/$f" >/dev/null
done
t_eq "xss: data.json keeps the title as text" "$(jq -r '.dataset[0].title' "$X/site/data.json")" "$(pl TITLE)"
t_eq "xss: typed JSON keeps the cell as text" \
	"$(jq -r '.[0] | .[keys_unsorted[1]]' "$X/site/datasets/xss/cells.csv.json")" "$(pl CELL)"
t_file "xss: the oddly named file is published under its name" "$X/site/datasets/xss/q\"<i>'&.csv"

# A licence path with a script scheme is refused, whatever its case.
for u in 'javascript:alert(1)' ' JaVaScRiPt:alert(1)' 'data:text/html,<script>alert(1)</script>' \
	'vbscript:msgbox(1)' "$(printf 'java\tscript:alert(1)')"; do
	L=$T_TMP/lic-$RANDOM
	new_repo "$L"
	odcat_json "$L"
	mkdir -p "$L/datasets/lic"
	plain_dp lic '[{"name": "a", "path": "a.csv"}]' |
		jq --arg u "$u" '.licenses = [{name: "own", path: $u}]' >"$L/datasets/lic/datapackage.json"
	printf 'a\n1\n' >"$L/datasets/lic/a.csv"
	odc check --repo "$L" --format json
	t_rc "licence path $(printf '%q' "$u"): check fails" 1
	t_out "licence path $(printf '%q' "$u"): odcat-unsafe-url" '"odcat-unsafe-url"'
done

if external_checks; then
	need_node_modules playwright-core n3 jsonld
	# The hostile values inside RDF: both serialisations parse and agree.
	for f in catalog.ttl datasets/xss/dataset.ttl; do
		t_true "xss: $f parses with n3" node "$TOP/tests/js/check-dcatap.mjs" ttl "$X/site/$f"
	done
	t_true "xss: catalog.jsonld expands with jsonld.js" node "$TOP/tests/js/check-dcatap.mjs" jsonld "$X/site/catalog.jsonld"
	t_true "xss: catalog.ttl and catalog.jsonld hold the same triples" \
		node "$TOP/tests/js/check-dcatap.mjs" same "$X/site/catalog.ttl" "$X/site/catalog.jsonld"
	title=$(pl TITLE)
	jq -n --arg t "$title" --arg d "$(pl DESCRIPTION)" --arg k "$(pl KEYWORD)" \
		--arg p "$(pl PUB_NAME)" --arg c "$(pl CONTACT)" --arg l "$(pl LICENSE)" \
		--arg s "$(pl SPATIAL)" --arg a "$(pl TSTART)" --arg b "$(pl TEND)" --arg v "$(pl VERSION)" \
		--arg r "$(pl RESTITLE)" --arg sc "$(pl TITLE_CAT)" --arg ln "$(pl LICNAME)" '{
	  visible: {
	    "datasets/xss/index.html": [$t, $d, $k, $p, $c, $l, $ln, $s, $a, $b, $v, $r, $sc,
	      "README_TEXT </script><!-- shown as code, raw markup dropped"],
	    "en/datasets/xss/index.html": [$t, $k, $r],
	    "datasets/index.html": [$t, $sc],
	    "index.html": [$sc]},
	  jsonld: {"datasets/xss/index.html": {name: $t}, "en/datasets/xss/index.html": {name: $t}}}' \
		>"$T_TMP/expect.json"
	node "$TOP/tests/js/hostile.mjs" "$X/site" "$T_TMP/expect.json" >"$T_TMP/browser.log" 2>&1
	brc=$?
	while IFS= read -r line; do
		case "$line" in
		PASS*) t_pass "browser: ${line#PASS }" ;;
		FAIL*) t_fail "browser" "${line#FAIL }" ;;
		esac
	done <"$T_TMP/browser.log"
	t_eq "browser: the checker ran to the end" "$brc:$(grep -c '^PASS' "$T_TMP/browser.log" | awk '$1>20{print "many"}')" "0:many"
	[ "$brc" = 0 ] || tail -n 5 "$T_TMP/browser.log"
fi

###########################################################################
# 2. Path escapes
###########################################################################

# diag_codes — "code message" lines of a --report or check --format json document (stdin).
diag_codes() { jq -r '.diagnostics[]? // .[]? | select(type == "object") | "\(.code) \(.message)"' 2>/dev/null; }

# Everything runs inside a sandbox folder: the build may write only under
# $S/out; a bait file beside it must stay untouched.
S=$T_TMP/paths
mkdir -p "$S/secret"
echo "SECRET-OUTSIDE" >"$S/secret/secret.csv"
G=$S/repo
new_repo "$G"
odcat_json "$G"
mkdir -p "$G/datasets/escape" "$G/datasets/pct/%2e%2e" "$G/datasets/links" "$G/datasets/aed" \
	"$G/datasets/Aed" "$G/datasets/collide" "$G/datasets/derived" "$G/other"
echo "SECRET-REPO" >"$G/other/secret.csv"
plain_dp escape '[
  {"name": "up", "path": "../other/secret.csv"},
  {"name": "up2", "path": "sub/../../../secret/secret.csv"},
  {"name": "abs", "path": "/etc/passwd"},
  {"name": "bs", "path": "..\\other\\secret.csv"},
  {"name": "bs2", "path": "a\\b.csv"},
  {"name": "hidden", "path": ".git/config"},
  {"name": "drive", "path": "C:/secret.csv"},
  {"name": "dot", "path": "./a.csv"},
  {"name": "pct-missing", "path": "%2e%2e/%2e%2e/other/secret.csv"}]' >"$G/datasets/escape/datapackage.json"
printf 'a\n1\n' >"$G/datasets/escape/a.csv"
# A folder literally named "%2e%2e" is an ordinary name: published under it.
plain_dp pct '[{"name": "pct", "path": "%2e%2e/x.csv", "format": "csv"}]' >"$G/datasets/pct/datapackage.json"
printf 'a\n1\n' >"$G/datasets/pct/%2e%2e/x.csv"
# Symbolic links, committed: to a system file, out of the dataset, to a folder.
plain_dp links '[{"name": "etc", "path": "etc.csv"}, {"name": "rel", "path": "rel.csv"},
  {"name": "dir", "path": "d/x.csv"}]' >"$G/datasets/links/datapackage.json"
ln -s /etc/passwd "$G/datasets/links/etc.csv"
ln -s ../../other/secret.csv "$G/datasets/links/rel.csv"
ln -s ../../other "$G/datasets/links/d"
ln -s ../other "$G/datasets/evil"
ln -s datasets/links/etc.csv "$G/odcat-link.json"
# Slugs that differ only in case: only the lower-case one is a slug.
plain_dp aed '[{"name": "a", "path": "a.csv"}]' >"$G/datasets/aed/datapackage.json"
printf 'a\n1\n' >"$G/datasets/aed/a.csv"
plain_dp Aed '[{"name": "a", "path": "a.csv"}]' >"$G/datasets/Aed/datapackage.json"
printf 'a\nUPPER\n' >"$G/datasets/Aed/a.csv"
# Resources that land on one output file.
plain_dp collide '[{"name": "a", "path": "Data.csv"}, {"name": "b", "path": "data.csv"},
  {"name": "c", "path": "index.html"}, {"name": "d", "path": "datapackage.json"},
  {"name": "a", "path": "other.csv"}]' >"$G/datasets/collide/datapackage.json"
printf 'a\n1\n' >"$G/datasets/collide/Data.csv"
printf 'a\n2\n' >"$G/datasets/collide/data.csv"
printf 'a\n3\n' >"$G/datasets/collide/other.csv"
echo '<p>mine</p>' >"$G/datasets/collide/index.html"
plain_dp derived '[{"name": "t", "path": "t.csv", "schema": {"fields": [{"name": "a", "type": "integer"}]}},
  {"name": "j", "path": "T.CSV.json", "format": "json"}]' >"$G/datasets/derived/datapackage.json"
printf 'a\n1\n' >"$G/datasets/derived/t.csv"
echo '{"mine": true}' >"$G/datasets/derived/T.CSV.json"
commit_all "$G" "path escapes"
# A submodule (gitlink) as a dataset and as a resource.
sub=$(git -C "$G" rev-parse HEAD)
git -C "$G" update-index --add --cacheinfo 160000,"$sub",datasets/submod
mkdir -p "$G/datasets/withsub"
plain_dp withsub '[{"name": "s", "path": "inner/x.csv"}]' >"$G/datasets/withsub/datapackage.json"
git -C "$G" add datasets/withsub
git -C "$G" update-index --add --cacheinfo 160000,"$sub",datasets/withsub/inner
GIT_AUTHOR_DATE="2025-04-01T09:00:00+09:00" GIT_COMMITTER_DATE="2025-04-01T09:00:00+09:00" \
	git -C "$G" commit -q -m submodules
t_eq "paths: the submodules are committed" "$(git -C "$G" ls-tree -r HEAD | grep -c '^160000')" 2

odc build --repo "$G" --out "$S/out" --report "$S/report.json"
t_rc "paths: the build runs" 0
diag_codes <"$S/report.json" >"$S/diags.txt"
for p in "../other/secret.csv" "sub/../../../secret/secret.csv" "/etc/passwd" '..\other\secret.csv' \
	'a\b.csv' ".git/config" "C:/secret.csv" "./a.csv"; do
	t_true "paths: \"$p\" is refused (odcat-unsafe-path)" grep -qF "odcat-unsafe-path resources" "$S/diags.txt"
	t_true "paths: \"$p\" is named in a diagnostic" grep -qF "path \"$p\" is not allowed" "$S/diags.txt"
done
t_true "paths: %2e%2e/%2e%2e/... is a missing file, not a way up" grep -q "^odcat-missing-resource" "$S/diags.txt"
t_true "paths: symlinked resources are refused" grep -qE "^odcat-unsafe-path .*(symbolic|link)" "$S/diags.txt"
t_true "paths: a symlinked dataset folder is refused" grep -qF "odcat-unsafe-path datasets/evil is a symbolic link" "$S/diags.txt"
t_true "paths: a submodule dataset is refused" grep -qF "odcat-unsafe-path datasets/submod is a submodule" "$S/diags.txt"
t_true "paths: Aed is not a slug" grep -qF 'odcat-invalid-slug dataset folder name "Aed"' "$S/diags.txt"
t_eq "paths: Data.csv/data.csv collide" "$(grep -c 'odcat-output-collision.*both publish "data.csv"' "$S/diags.txt")" 1
t_true "paths: index.html is reserved" grep -qF 'odcat-output-collision resources[2]: path "index.html"' "$S/diags.txt"
t_true "paths: datapackage.json is reserved" grep -qF 'path "datapackage.json" collides' "$S/diags.txt"
t_true "paths: duplicate resource names" grep -qF 'are both named "a"' "$S/diags.txt"
t_true "paths: T.CSV.json collides with t.csv's typed JSON" grep -qF 'odcat-output-collision resources[0] "t.csv" and resources[1] "T.CSV.json"' "$S/diags.txt"
status() { jq -r --arg s "$1" '.datasets[] | select(.dataset == $s) | .status' "$S/report.json"; }
for s in escape links collide derived withsub; do
	t_eq "paths: dataset $s is not published" "$(status $s)" "not published"
	t_nofile "paths: no page for $s" "$S/out/datasets/$s/index.html"
done
t_eq "paths: dataset pct is published" "$(status pct)" "published"
t_file "paths: %2e%2e is a plain folder name inside the site" "$S/out/datasets/pct/%2e%2e/x.csv"
t_grep "paths: its link is percent-encoded, so browsers do not read it as .." "$S/out/datasets/pct/index.html" '%252e%252e/x.csv"'
t_file "paths: aed is published" "$S/out/datasets/aed/index.html"
t_nofile "paths: no Aed folder in the site" "$S/out/datasets/Aed"
t_nogrep "paths: the upper-case twin did not overwrite aed" "$S/out/datasets/aed/a.csv" "UPPER"
t_false "paths: no secret in the site" grep -rqE "SECRET-(REPO|OUTSIDE)|^root:" "$S/out"
# Beside the output odcat keeps only its own build cache, lock and manifest (README).
t_eq "paths: the sandbox holds only the repository, the bait, the output and its cache, lock and manifest" \
	"$(cd "$S" && find . -mindepth 1 -maxdepth 1 | sort | tr '\n' ' ')" "./.odcat-cache ./diags.txt ./out ./out.lock ./out.manifest ./repo ./report.json ./secret "
t_eq "paths: the bait is untouched" "$(cat "$S/secret/secret.csv")" "SECRET-OUTSIDE"
t_eq "paths: nothing written into the repository" \
	"$(git -C "$G" status --porcelain --untracked-files=all | grep -v '^ D datasets/\(submod\|withsub/inner\)$' | tr '\n' ' ')" ""
t_eq "paths: nothing outside out/ is newer than the report" \
	"$(find "$S" -mindepth 1 -newer "$S/report.json" -not -path "$S/out*" -not -path "$S/.odcat-cache*" -not -path "$G/.git*" -not -name diags.txt | tr '\n' ' ')" ""

# The same tree as the working tree (build --worktree, check): the links
# are on disk now and must still not be followed.
odc build --repo "$G" --worktree --out "$S/out-wt" --report "$S/report-wt.json"
t_rc "paths (worktree): the build runs" 0
diag_codes <"$S/report-wt.json" >"$S/diags-wt.txt"
t_true "paths (worktree): symlinked resources are refused" grep -qE "^odcat-unsafe-path .*(symbolic|link)" "$S/diags-wt.txt"
t_true "paths (worktree): a symlinked dataset folder is refused" grep -qF "odcat-unsafe-path datasets/evil is a symbolic link" "$S/diags-wt.txt"
t_false "paths (worktree): no secret in the site" grep -rqE "SECRET-(REPO|OUTSIDE)|^root:" "$S/out-wt"
t_nofile "paths (worktree): no links page" "$S/out-wt/datasets/links/index.html"
odc check --repo "$G" links escape
t_rc "paths: check fails on them" 1
t_out "paths: check names the symlink" "datasets/links/etc.csv: odcat-unsafe-path"

###########################################################################
# 3. Size and shape (each run under `timeout 60`: a guard against hangs)
###########################################################################

B=$T_TMP/big
pkg() { # DIR RESOURCES-JSON — a stand-alone Data Package folder
	mkdir -p "$1"
	jq -n --argjson r "$2" '{name: "shape", resources: $r}' >"$1/datapackage.json"
}

# A 1 GB CSV, streamed into $TMPDIR, checked in constant memory. Not under
# ASan (its shadow memory and quarantine are not odcat's).
if external_checks; then
	sh "$TOP/tests/tools/deps.sh" pkgs time >/dev/null 2>&1
	pkg "$B/gig" '[{"name": "gig", "path": "gig.csv", "format": "csv", "schema": {"fields": [
	  {"name": "id", "type": "integer"}, {"name": "name", "type": "string"},
	  {"name": "value", "type": "number", "constraints": {"minimum": 0}}]}}]'
	{ echo 'id,name,value'; yes '12345,abcdefghij,3.25' | head -n 45454546; } >"$B/gig/gig.csv"
	t_eq "1 GB: the CSV is 1,000,000,026 bytes" "$(stat -c %s "$B/gig/gig.csv")" 1000000026
	timeout 60 /usr/bin/time -f '%M' -o "$B/rss" "$ODCAT" check --package "$B/gig" >"$B/out" 2>&1
	RC=$?
	rm -f "$B/gig/gig.csv"
	t_eq "1 GB: check --package passes" "$RC" 0
	t_grep "1 GB: 45,454,545 rows were read" "$B/out" "1 valid"
	rss=$(tail -n 1 "$B/rss")
	t_true "1 GB: peak RSS ${rss} KB is under 64 MB" test "${rss:-999999}" -lt 65536
fi

# One line of 50 MB: a header of one 50 MB name, and a 50 MB quoted cell.
pkg "$B/line" '[{"name": "line", "path": "line.csv", "format": "csv"}]'
head -c 50000000 /dev/zero | tr '\0' x >"$B/line/line.csv"
odc_t 60 check --package "$B/line"
t_ended "50 MB header line: check ends"
{ echo a; printf '"'; head -c 50000000 /dev/zero | tr '\0' y; printf '"\n'; } >"$B/line/line.csv"
odc_t 60 check --package "$B/line"
t_ended "50 MB quoted cell: check ends"
t_rc "50 MB quoted cell: the CSV is valid" 0
rm -f "$B/line/line.csv"

# 100,000 columns, with a schema of 100,000 fields.
pkg "$B/wide" '[{"name": "wide", "path": "wide.csv", "format": "csv"}]'
awk 'BEGIN { n = 100000; for (r = 0; r < 4; r++) { for (i = 1; i <= n; i++) printf "%s%s", (r ? i : "c" i), (i < n ? "," : "\n") } }' >"$B/wide/wide.csv"
jq -c '.resources[0].schema = {fields: [range(1; 100001) | {name: "c\(.)", type: "integer"}]}' \
	"$B/wide/datapackage.json" >"$B/wide/dp.json" && mv "$B/wide/dp.json" "$B/wide/datapackage.json"
odc_t 60 check --package "$B/wide" --format json
t_ended "100,000 columns: check ends"
t_rc "100,000 columns: the CSV is valid against 100,000 fields" 0
printf 'c1\n1\n' >"$B/wide/wide.csv"
odc_t 60 check --package "$B/wide" --format json
t_rc "100,000 fields, one column: an error" 1
t_out "100,000 fields, one column: missing-label for field 2" '"fieldName": "c2"'
t_out "100,000 fields, one column: the rest is counted, not listed" '"odcat-more-errors"'
rm -f "$B/wide/wide.csv"

# JSON nested 100,000 deep, in datapackage.json and in odcat.json.
deep=$(printf '%*s' 100000 '' | tr ' ' '[')$(printf '%*s' 100000 '' | tr ' ' ']')
pkg "$B/deep" '[]'
printf '{"name": "deep", "resources": %s}\n' "$deep" >"$B/deep/datapackage.json"
odc_t 60 check --package "$B/deep"
t_rc "JSON 100,000 deep in datapackage.json: an error" 1
t_out "JSON 100,000 deep in datapackage.json: odcat-invalid-json with the place" "datapackage.json:1:"
t_out "JSON 100,000 deep in datapackage.json: the depth is named" "depth"
D=$B/deeprepo
minimal_catalog "$D"
printf '{"name": "plain", "title": "Plain", "description": "x", "keywords": %s, "resources": []}\n' "$deep" \
	>"$D/datasets/plain/datapackage.json"
commit_all "$D" "deep"
odc_t 60 build --repo "$D" --out "$B/deep-out"
t_ended "JSON 100,000 deep in a dataset: the build ends"
t_err "JSON 100,000 deep in a dataset: odcat-invalid-json" "odcat-invalid-json"
t_nofile "JSON 100,000 deep in a dataset: no page" "$B/deep-out/datasets/plain/index.html"
printf '{"title": %s}\n' "$deep" >"$D/odcat.json"
commit_all "$D" "deep odcat.json"
odc_t 60 build --repo "$D" --out "$B/deep-out2"
t_rc "JSON 100,000 deep in odcat.json: cannot run (exit 2)" 2
t_err "JSON 100,000 deep in odcat.json: the file and place are named" "odcat.json:1:"
t_nofile "JSON 100,000 deep in odcat.json: no site" "$B/deep-out2"

# READMEs of extreme shape; each dataset is published with its README
# rendered (as CommonMark says), or refused with a diagnostic.
M=$B/md
new_repo "$M"
odcat_json "$M"
readme_ds() { # SLUG — README.md from stdin
	mkdir -p "$M/datasets/$1"
	plain_dp "$1" '[{"name": "a", "path": "a.csv"}]' >"$M/datasets/$1/datapackage.json"
	printf 'a\n1\n' >"$M/datasets/$1/a.csv"
	cat >"$M/datasets/$1/README.md"
}
N=100000
rep() { printf '%*s' "$2" '' | sed "s/ /$1/g"; }
{ rep '\[' $N; rep '\]' $N; echo; } | readme_ds brackets
{ rep '\[' $N; printf 'x'; rep '](u)' $N; echo; } | readme_ds links
{ rep '- ' $N; echo LEAF; } | readme_ds lists
{ rep '>' $N; echo ' QUOTED'; } | readme_ds quotes
{ rep '|a' 2000; echo '|'; rep '|-' 2000; echo '|'; yes '|x|' | head -n 20000; } | readme_ds table
commit_all "$M" "shapes"
odc_t 60 build --repo "$M" --out "$B/md-out" --report "$B/md.json"
t_ended "README shapes: the build ends"
t_rc "README shapes: the build succeeds" 0
P=$B/md-out/datasets
t_eq "100,000 nested brackets: shown as text" "$(tr -cd '[' <"$P/brackets/index.html" | wc -c)" "$((N + 2))"
t_file "100,000 nested links: page" "$P/links/index.html"
t_true "100,000 nested list items: 100,000 <li>" test "$(grep -o '<li>' "$P/lists/index.html" | wc -l)" -ge $N
t_grep "100,000 nested list items: the leaf" "$P/lists/index.html" "LEAF"
t_eq "100,000 nested quotes: 100,000 <blockquote>" "$(grep -o '<blockquote>' "$P/quotes/index.html" | wc -l)" $N
t_grep "100,000 nested quotes: the text" "$P/quotes/index.html" "QUOTED"
t_nofile "2,000-column README table: no page" "$P/table/index.html"
t_err "2,000-column README table: odcat-readme-table-too-wide with the place" \
	"datasets/table/README.md:2:1: odcat-readme-table-too-wide"

###########################################################################
# 4. Spreadsheet formula injection
###########################################################################

F=$T_TMP/formula
new_repo "$F"
odcat_json "$F"
mkdir -p "$F/datasets/sheet"
plain_dp sheet '[{"name": "s", "path": "s.csv", "format": "csv", "schema": {"fields": [
  {"name": "n", "type": "integer"}, {"name": "eq", "type": "string"}, {"name": "plus", "type": "string"},
  {"name": "minus", "type": "string"}, {"name": "at", "type": "string"}, {"name": "inner", "type": "string"}]}}]' \
	>"$F/datasets/sheet/datapackage.json"
cat >"$F/datasets/sheet/s.csv" <<'CSV'
n,eq,plus,minus,at,inner
-5,ok,ok,ok,ok,a=b
1,"=HYPERLINK(""https://evil.example/"",""click"")",ok,ok,ok,a+b
2,ok,+cmd|' /C calc'!A0,ok,ok,a-b
3,ok,ok,-2+3,ok,a@b
4,ok,ok,ok,@SUM(A1:A9),ok
CSV
commit_all "$F" "formulas"
odc build --repo "$F" --out "$F/site" --report "$F/report.json"
t_rc "formula: the build runs" 0
fi_json() { jq -c --arg f "$1" '[.diagnostics[] | select(.code == "odcat-formula-injection" and .fieldName == $f) | {row, field, line, column}]' "$F/report.json"; }
t_eq "formula: = warned at row 3, column 2" "$(fi_json eq)" '[{"row":3,"field":2,"line":3,"column":2}]'
t_eq "formula: + warned at row 4, column 3" "$(fi_json plus)" '[{"row":4,"field":3,"line":4,"column":3}]'
t_eq "formula: - warned at row 5, column 4" "$(fi_json minus)" '[{"row":5,"field":4,"line":5,"column":4}]'
t_eq "formula: @ warned at row 6, column 5" "$(fi_json at)" '[{"row":6,"field":5,"line":6,"column":5}]'
t_eq "formula: not for a number (-5)" "$(fi_json n)" '[]'
t_eq "formula: not for = + - @ inside a text" "$(fi_json inner)" '[]'
t_err "formula: the warning is printed with file:line:column" "datasets/sheet/s.csv:3:2: warning: odcat-formula-injection"
t_eq "formula: warnings do not hold the dataset back" \
	"$(jq -r '.datasets[0].status' "$F/report.json")" "published"

t_summary
