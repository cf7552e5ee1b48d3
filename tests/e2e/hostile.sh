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
	--arg kw "$(pl KEYWORD)" --arg cn "$(pl CONTACT)" --arg lt "$(pl LICENSE)" \
	--arg sp "$(pl SPATIAL)" --arg ts "$(pl TSTART)" --arg te "$(pl TEND)" --arg ver "$(pl VERSION)" \
	--arg rt "$(pl RESTITLE)" --arg rd "$(pl RESDESC)" --arg cat "$(pl CATEGORY)" \
	--arg col "$(pl COLUMN)" --arg ct "$(pl COLTITLE)" --arg cd "$(pl COLDESC)" \
	--arg qf "q\"<i>'&.csv" '{
  name: "xss", title: {ja: $title, en: $title}, description: {ja: $desc, en: $desc},
  keywords: {ja: [$kw, "javascript:alert(1)"], en: [$kw]},
  licenses: [{name: "own-licence", title: $lt, path: "https://creativecommons.org/licenses/by/4.0/"}],
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
	need_node_modules playwright-core
	title=$(pl TITLE)
	jq -n --arg t "$title" --arg d "$(pl DESCRIPTION)" --arg k "$(pl KEYWORD)" \
		--arg p "$(pl PUB_NAME)" --arg c "$(pl CONTACT)" --arg l "$(pl LICENSE)" \
		--arg s "$(pl SPATIAL)" --arg a "$(pl TSTART)" --arg b "$(pl TEND)" --arg v "$(pl VERSION)" \
		--arg r "$(pl RESTITLE)" --arg sc "$(pl TITLE_CAT)" '{
	  visible: {
	    "datasets/xss/index.html": [$t, $d, $k, $p, $c, $l, $s, $a, $b, $v, $r, $sc,
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
t_summary
