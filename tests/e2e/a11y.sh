#!/usr/bin/env bash
# Accessibility in a real browser: tests/js/a11y.mjs serves the built
# sample catalogue on 127.0.0.1 and, in headless Chromium driven by
# playwright-core, runs axe-core (WCAG 2.0 and 2.1, levels A and AA) on the
# home page, the all-datasets page, the 404 page (from deep missing URLs), a dataset page, facet pages and the
# static pages, in Japanese and English: zero violations. Keyboard alone:
# the first Tab reaches the skip link, Tab reaches the search box and the
# language switch, a query + Enter lands on datasets/?q=..., Enter on the
# language switch opens the twin page. Every page fits a 360 px wide
# screen and prints without navigation and search. Every request must stay
# on 127.0.0.1 (nothing loads from another host).
T_SUITE=a11y
source "$(dirname "$0")/../lib.sh"

S=$T_TMP/site
odc build --repo "$TOP" --out "$S"
t_rc "the sample catalogue builds" 0

external_checks || { t_summary; exit; }
sh "$TOP/tests/tools/deps.sh" browser >/dev/null 2>&1
t_true "chromium is installed" test -x /usr/bin/chromium
need_node_modules playwright-core axe-core

# run_a11y SITE PAGE... — one test per line the script prints.
run_a11y() {
	local line
	node "$TOP/tests/js/a11y.mjs" "$@" >"$T_TMP/a11y.out" 2>&1
	echo $? >"$T_TMP/a11y.rc"
	while IFS= read -r line; do
		case "$line" in
		"PASS "*) t_pass "${line#PASS }" ;;
		"FAIL "*) t_fail "${line#FAIL }" "$(sed -n "/^FAIL ${line:5:40}/,/^\(PASS\|FAIL\) /p" "$T_TMP/a11y.out" | sed '1d;$d' | head -n 40)" ;;
		esac
	done < <(grep -E '^(PASS|FAIL) ' "$T_TMP/a11y.out")
}

# Controls: axe-core reports an image without a text alternative, and a
# request to another host is caught.
C=$T_TMP/control
mkdir -p "$C"
printf '<!DOCTYPE html><html lang="en"><head><title>c</title></head><body><main><img src="http://192.0.2.1/x.png"></main></body></html>' >"$C/index.html"
node "$TOP/tests/js/a11y.mjs" "$C" "" >"$T_TMP/control.out" 2>&1
t_eq "control: the script fails on a bad page" "$?" 1
t_grep "control: axe-core reports the image without alt" "$T_TMP/control.out" "image-alt"
t_grep "control: the request to another host is reported" "$T_TMP/control.out" "FAIL every request went to the local server: http://192.0.2.1/x.png"

slug=aed-locations
run_a11y "$S" \
	"" en/ datasets/ en/datasets/ "datasets/$slug/" "en/datasets/$slug/" \
	publishers/kenko-fukushi/ en/publishers/kenko-fukushi/ tags/ en/tags/aed/ \
	"tags/$(printf '救急' | jq -sRr @uri)/" themes/HEAL/ en/formats/csv/ licenses/CC-BY-4.0/ \
	about/ en/about/ terms/ en/terms/ disclaimer/ accessibility/ en/accessibility/ \
	stats/ en/stats/ 404:no/such/page/ 404:en/datasets/gone/deeper/x.html \
	keys: keys:en/ "keys:datasets/$slug/" keys:en/tags/aed/ keys:terms/
t_eq "the browser checks ran to the end" "$(cat "$T_TMP/a11y.rc")" "$([ "$T_FAILED" = 0 ] && echo 0 || echo 1)"
t_summary
