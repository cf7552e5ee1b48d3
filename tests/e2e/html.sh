#!/usr/bin/env bash
# Every generated HTML page passes the Nu HTML Checker (npm vnu-jar, run on
# the machine's Java) with no errors: the bundled sample catalogue (this
# repository's datasets/ at HEAD) and a small catalogue of hostile values
# (markup and "{{" in titles, Japanese and colliding keywords, no base URL).
# Each error is printed as file:line.column: message.
T_SUITE=html
source "$(dirname "$0")/../lib.sh"

S=$T_TMP/site
odc build --repo "$TOP" --out "$S"
t_rc "the sample catalogue builds" 0

# A catalogue whose texts try to break the markup.
H=$T_TMP/hostile
minimal_catalog "$H"
jq '.title = {"ja": "<b>市</b> & \"{{site.title}}\"", "en": "City </title><script>x</script>"}' \
	"$H/odcat.json" >"$H/o.json" && mv "$H/o.json" "$H/odcat.json"
jq '.title = "</script><script>alert(1)</script>" | .description = "\"onload=\"alert(1) {{t.home}} <img src=x>"
    | .keywords = {"ja": ["救急", "AED", "aed", "a/b", "a b", "<i>"], "en": ["First aid", "<i>"]}
    | .theme = ["HEAL"] | .issued = "2024-01-01" | .modified = "2025-01-01"' \
	"$H/datasets/plain/datapackage.json" >"$H/d.json" && mv "$H/d.json" "$H/datasets/plain/datapackage.json"
commit_all "$H" "hostile"
HS=$T_TMP/site-hostile
odc build --repo "$H" --out "$HS"
t_rc "the hostile catalogue builds" 0

external_checks || { t_summary; exit; }

# ---------------------------------------------------------------- the checker
sh "$TOP/tests/tools/deps.sh" java >/dev/null 2>&1
t_true "java is installed" command -v java >/dev/null
need_node_modules vnu-jar
VNU=$TOP/tests/js/node_modules/vnu-jar/build/dist/vnu.jar
t_file "vnu.jar is there" "$VNU"

# vnu DIR|FILE... — errors only, one line each: "file":line.col-line.col: error: message
vnu() {
	java -Xss1m -jar "$VNU" --errors-only --format gnu --skip-non-html "$@" 2>&1
}

# The checker itself finds an error (control): a page with a stray end
# tag, one folder down, checked the way the sites are.
mkdir -p "$T_TMP/bad/sub"
printf '<!DOCTYPE html>\n<html lang="en"><head><title>x</title></head>\n<body><p>x</div></body></html>\n' >"$T_TMP/bad/sub/bad.html"
t_true "control: the checker reports an invalid page" bash -c '[ -n "$(java -jar "$1" --errors-only --format gnu --skip-non-html "$2" 2>&1)" ]' _ "$VNU" "$T_TMP/bad"

for site in "$S" "$HS"; do
	name=sample
	[ "$site" = "$HS" ] && name=hostile
	pages=$(find "$site" -name '*.html' | wc -l)
	t_true "$name: there are pages to check ($pages)" [ "$pages" -gt 10 ]
	out=$(vnu "$site")
	if [ -z "$out" ]; then
		t_pass "$name: all $pages pages are valid HTML"
	else
		t_fail "$name: Nu HTML Checker errors ($(printf '%s\n' "$out" | wc -l))" \
			"$(printf '%s\n' "$out" | sed "s|$site/||" | head -n 40)"
	fi
done
echo "checked $(find "$S" "$HS" -name '*.html' | wc -l) pages"

t_summary
