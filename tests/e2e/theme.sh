#!/usr/bin/env bash
# Themes: --theme DIR overrides single templates, strings and texts of the
# default theme; a template with a syntax error, a missing partial or a
# missing string stops the build with exit 2, names the template file, line
# and column, and leaves --out untouched.
T_SUITE=theme
source "$(dirname "$0")/../lib.sh"

R=$T_TMP/repo
minimal_catalog "$R"
commit_all "$R" "minimal"
DEF=$TOP/themes/default

# ---------------------------------------------------------------- overriding single files
T=$T_TMP/theme
mkdir -p "$T/templates" "$T/pages" "$T/assets"
sed 's|<p class="generator">|<p class="generator">CUSTOM-FOOTER |' "$DEF/templates/footer.mustache" >"$T/templates/footer.mustache"
printf 'Our own terms.\n' >"$T/pages/terms.en.md"
printf '.custom { color: red; }\n' >"$T/assets/extra.css"
odc build --repo "$R" --out "$T_TMP/site" --theme "$T"
t_rc "a theme with one template builds" 0
S=$T_TMP/site
t_grep "the theme's footer is used on the home page" "$S/index.html" "CUSTOM-FOOTER"
t_grep "...and on a dataset page (a partial of another template)" "$S/en/datasets/plain/index.html" "CUSTOM-FOOTER"
t_grep "the other templates come from the default theme" "$S/index.html" 'id="site-search-q"'
t_grep "the theme's text of a page is used" "$S/en/terms/index.html" "Our own terms."
t_grep "texts the theme lacks come from the default" "$S/terms/index.html" "$(grep -m1 -o 'どなたでも自由に利用' "$DEF/pages/terms.ja.md")"
t_file "the theme's own asset is copied" "$S/assets/extra.css"
t_file "the default's assets are copied too" "$S/assets/style.css"

# ---------------------------------------------------------------- errors
KEEP=$T_TMP/keep
mkdir -p "$KEEP" && echo old >"$KEEP/marker"
# bad_theme NAME FILE CONTENT WANT — a theme whose FILE (under templates/)
# holds CONTENT must fail with exit 2 and a message containing WANT.
bad_theme() {
	local d=$T_TMP/bad-$1
	rm -rf "$d" && mkdir -p "$d/templates"
	printf '%s' "$3" >"$d/templates/$2"
	odc build --repo "$R" --out "$KEEP" --theme "$d"
	t_rc "$1: exit 2" 2
	t_err "$1: names the file, line and column" "$d/templates/$2:$4"
	t_eq "$1: --out is untouched" "$(ls "$KEEP")" "marker"
}
bad_theme "unclosed section" home.mustache $'{{> header}}\n<main>\n  {{#datasets}}\n</main>\n{{> footer}}\n' \
	"3:3: section 'datasets' is not closed"
bad_theme "bad delimiter" footer.mustache $'</body>\n <p>{{=<% =}}</p>\n</html>\n' \
	"2:5: bad delimiter change"
bad_theme "unclosed tag" dataset.mustache $'{{> header}}\n{{> footer}}\n{{dataset.title\n' \
	"3:1: tag opened with '{{' is not closed"
bad_theme "mismatched end tag" page.mustache $'{{> header}}{{#page.title}}\n\n  x {{/page.kind}}{{> footer}}' \
	"3:5: end tag 'page.kind' does not match section 'page.title' opened on line 1"
bad_theme "missing partial" home.mustache $'{{> header}}\n<main>{{> no-such-part}}</main>\n{{> footer}}\n' \
	"2:7: partial 'no-such-part' not found"
bad_theme "missing string" facet.mustache $'{{> header}}\n<h1>{{t.no_such_string}}</h1>\n{{> footer}}\n' \
	"2:5: 't.no_such_string' is not defined"
t_err "missing string: names the strings file to add it to" "strings/ja.json"
# An error inside a partial names the partial's file.
bad_theme "error in a partial" dataset-card.mustache $'<li>\n{{#title}}\n</li>\n' \
	"2:1: section 'title' is not closed"

# Checked before rendering: a string in a branch the data never takes, and
# a template no page uses.
bad_theme "string in a branch never rendered" home.mustache $'{{> header}}\n{{#no_such_key}}\n  <p>{{t.never_defined}}</p>\n{{/no_such_key}}\n{{> footer}}\n' \
	"3:6: 't.never_defined' is not defined"
bad_theme "a template no page uses" unused.mustache $'ok\n{{#x}}\n' \
	"2:1: section 'x' is not closed"

# A strings file without a key a default template uses.
d=$T_TMP/bad-strings
mkdir -p "$d/strings"
jq 'del(.page_terms)' "$DEF/strings/en.json" >"$d/strings/en.json"
odc build --repo "$R" --out "$KEEP" --theme "$d"
t_rc "a strings file lacking a string: exit 2" 2
t_err "...names the string" "page_terms"
t_eq "...and --out is untouched" "$(ls "$KEEP")" "marker"

# odcat.json "pages" names the text of a page in the repository.
mkdir -p "$R/docs"
printf '# 利用規約\n\nREPO-TERMS-JA\n' >"$R/docs/terms.md"
jq '.pages = {"terms": {"ja": "docs/terms.md"}, "disclaimer": "docs/none.md"}' "$R/odcat.json" >"$R/o.json" && mv "$R/o.json" "$R/odcat.json"
commit_all "$R" "pages"
odc build --repo "$R" --out "$KEEP"
t_rc "odcat.json naming a missing page text: exit 2" 2
t_err "...names the key and the file" "pages.disclaimer names docs/none.md"
jq '.pages.disclaimer = "../../etc/passwd"' "$R/odcat.json" >"$R/o.json" && mv "$R/o.json" "$R/odcat.json"
commit_all "$R" "pages outside"
odc build --repo "$R" --out "$KEEP"
t_rc "a page text outside the repository: exit 2" 2
t_err "...says it must be inside" "must be a path inside the repository"
jq 'del(.pages.disclaimer)' "$R/odcat.json" >"$R/o.json" && mv "$R/o.json" "$R/odcat.json"
commit_all "$R" "pages ok"
odc build --repo "$R" --out "$T_TMP/site2"
t_rc "odcat.json pages: builds" 0
t_grep "the repository's text is used for its language" "$T_TMP/site2/terms/index.html" "REPO-TERMS-JA"
t_nogrep "...and only there" "$T_TMP/site2/en/terms/index.html" "REPO-TERMS-JA"
# ---------------------------------------------------------------- cards on list pages
# List pages may join each dataset's card rendered ahead (pages.c); a card
# must still read what Mustache gives it on the page it is on.
C=$T_TMP/card-theme
mkdir -p "$C/templates"
# A card reading a name of the page around it (page.kind).
printf '<li class="card">{{title}} on {{page.kind}} <a href="{{href}}">x</a></li>\n' >"$C/templates/dataset-card.mustache"
odc build --repo "$R" --out "$T_TMP/site-card" --no-cache --theme "$C"
t_rc "a card reading the page around it: builds" 0
t_grep "...the list page's card shows that page's kind" "$T_TMP/site-card/datasets/index.html" 'Plain on datasets <a href="../datasets/plain/">'
t_grep "...a facet page's card shows its own" "$T_TMP/site-card/tags/plain/index.html" 'Plain on facet <a href="../../datasets/plain/">'
t_grep "...so does the home page's, in English too" "$T_TMP/site-card/en/index.html" 'Plain on home <a href="../en/datasets/plain/">'
# The same theme from a filled cache: the same bytes.
odc build --repo "$R" --out "$T_TMP/site-card2" --cache "$T_TMP/card-cache" --theme "$C"
odc build --repo "$R" --out "$T_TMP/site-card2" --cache "$T_TMP/card-cache" --theme "$C"
t_true "...and from the cache the site is the same" diff -r "$T_TMP/site-card" "$T_TMP/site-card2"
# A card partial indented on its own line: every line of the card indented.
C2=$T_TMP/card-indent
mkdir -p "$C2/templates"
printf '<li>\n<b>{{title}}</b>\n</li>\n' >"$C2/templates/dataset-card.mustache"
sed 's|^{{> dataset-card}}$|    {{> dataset-card}}|' "$DEF/templates/datasets.mustache" >"$C2/templates/datasets.mustache"
grep -q '^    {{> dataset-card}}$' "$C2/templates/datasets.mustache" || t_fail "indented card" "the default datasets template changed"
odc build --repo "$R" --out "$T_TMP/site-indent" --theme "$C2" --no-cache
t_true "an indented card partial: its lines are indented (spec: standalone partials)" \
	sh -c 'tr "\n" "~" <"$1" | grep -qF "~    <li>~    <b>Plain</b>~    </li>~"' - "$T_TMP/site-indent/datasets/index.html"
t_true "...while the home page's own card is not" \
	sh -c 'tr "\n" "~" <"$1" | grep -qF "~<li>~<b>Plain</b>~</li>~"' - "$T_TMP/site-indent/index.html"
# A facet page listing its datasets twice: once as cards, once reading
# each item's own link. The cards are still joined (the default card), one
# by one; the second list gets the links of this page's folder.
C3=$T_TMP/card-twice
mkdir -p "$C3/templates"
sed 's|^{{/datasets}}$|{{/datasets}}\n<p class="again">{{#datasets}}<i>{{href}}</i>{{/datasets}}</p>|' \
	"$DEF/templates/facet.mustache" >"$C3/templates/facet.mustache"
grep -q 'class="again"' "$C3/templates/facet.mustache" || t_fail "list twice" "the default facet template changed"
odc build --repo "$R" --out "$T_TMP/site-twice" --no-cache --theme "$C3"
t_rc "a facet page using its list twice: builds" 0
t_grep "...the second list links from the facet page's folder" "$T_TMP/site-twice/tags/plain/index.html" '<p class="again"><i>../../datasets/plain/</i></p>'
t_grep "...in English too" "$T_TMP/site-twice/en/tags/plain/index.html" '<p class="again"><i>../../../en/datasets/plain/</i></p>'
t_grep "...and the card links the same way" "$T_TMP/site-twice/tags/plain/index.html" '<a href="../../datasets/plain/">'
odc build --repo "$R" --out "$T_TMP/site-twice-def" --no-cache
t_true "...while the rest of the page is the default theme's" \
	bash -c 'diff <(grep -v "class=\"again\"" "$1") "$2"' - "$T_TMP/site-twice/tags/plain/index.html" "$T_TMP/site-twice-def/tags/plain/index.html"
t_summary
