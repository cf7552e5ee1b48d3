#!/usr/bin/env bash
# The site-level pages of a build, against what the datasets say (jq over
# the published datapackage.json files): home (newest and recently updated,
# facet lists), facet pages and their indexes, twins in both languages,
# <head> links (hreflang, canonical, Open Graph), about/, terms/, the 404
# pages, tag slugs for Japanese and colliding keywords, and dataset text
# that tries to change the page structure.
T_SUITE=pages
source "$(dirname "$0")/../lib.sh"

S=$T_TMP/site
odc build --repo "$TOP" --out "$S"
t_rc "the sample catalogue builds" 0
DP="$S"/datasets/*/datapackage.json
BASE=https://opendata.example.jp/

# listed PAGE — the slugs of the dataset cards of a page, sorted.
listed() { sed -n 's|.*class="card-title"><a href="[^"]*datasets/\([^/"]*\)/".*|\1|p' "$1" | sort; }
# want JQ-FILTER — the slugs of the datasets whose descriptor passes the filter, sorted.
for f in $DP; do jq -c --arg s "$(basename "$(dirname "$f")")" '{s: $s, d: .}' "$f"; done >"$T_TMP/all.jsonl"
want() { jq -r "select(.d | $1) | .s" "$T_TMP/all.jsonl" | sort; }

# ---------------------------------------------------------------- twins and <head>
(cd "$S" && find . -name '*.html' ! -path './en/*' ! -path './datasets/*/*/*' | sed 's|^\./||' | sort) >"$T_TMP/ja"
(cd "$S/en" && find . -name '*.html' | sed 's|^\./||' | sort) >"$T_TMP/en"
t_true "every page has its English twin and no English page lacks a Japanese one" diff "$T_TMP/ja" "$T_TMP/en"
t_true "there are facet, about, terms, disclaimer, accessibility and 404 pages" bash -c \
	'for p in publishers/index.html themes/index.html tags/index.html formats/index.html licenses/index.html about/index.html terms/index.html disclaimer/index.html accessibility/index.html 404.html; do grep -qx "$p" "$1" || exit 1; done' _ "$T_TMP/ja"
bad=
while read -r p; do
	for l in "" en/; do
		f=$S/$l$p
		lang=ja; [ -n "$l" ] && lang=en
		grep -q "<html lang=\"$lang\">" "$f" || bad="$bad $l$p:lang"
		grep -q '<meta property="og:title" content="[^"]' "$f" || bad="$bad $l$p:og:title"
		grep -q '<meta property="og:description" content="[^"]' "$f" || bad="$bad $l$p:og:description"
		grep -q "<meta property=\"og:locale\" content=\"$([ $lang = ja ] && echo ja_JP || echo en_US)\">" "$f" || bad="$bad $l$p:og:locale"
		grep -q "<meta property=\"og:locale:alternate\" content=\"$([ $lang = ja ] && echo en_US || echo ja_JP)\">" "$f" || bad="$bad $l$p:og:locale:alternate"
		grep -q 'class="lang-switch" href="[^"]*" hreflang="' "$f" || bad="$bad $l$p:switch"
		grep -q 'role="search" action="[^"]*datasets/" method="get"' "$f" || bad="$bad $l$p:search"
		grep -q '<input type="search" name="q" id="site-search-q"' "$f" || bad="$bad $l$p:q"
		case $p in 404.html) continue ;; esac
		grep -q "<link rel=\"canonical\" href=\"$BASE$l" "$f" || bad="$bad $l$p:canonical"
		grep -q "<meta property=\"og:url\" content=\"https://opendata.example.jp/$l" "$f" || bad="$bad $l$p:og:url"
		grep -q '<link rel="alternate" hreflang="ja" href="https://opendata.example.jp/' "$f" || bad="$bad $l$p:hreflang-ja"
		grep -q '<link rel="alternate" hreflang="en" href="https://opendata.example.jp/en/' "$f" || bad="$bad $l$p:hreflang-en"
		grep -q '<link rel="alternate" hreflang="x-default" href="https://opendata.example.jp/' "$f" || bad="$bad $l$p:x-default"
	done
done <"$T_TMP/ja"
t_eq "every page: lang, Open Graph, search form, language switch; canonical and hreflang alternates (not on 404)" "$bad" ""
t_grep "a page's canonical URL is its own" "$S/en/tags/aed/index.html" '<link rel="canonical" href="https://opendata.example.jp/en/tags/aed/">'
t_grep "hreflang ja names the Japanese twin" "$S/en/tags/aed/index.html" '<link rel="alternate" hreflang="ja" href="https://opendata.example.jp/tags/aed/">'
t_grep "x-default is the primary language" "$S/en/about/index.html" '<link rel="alternate" hreflang="x-default" href="https://opendata.example.jp/about/">'
t_grep "the language switch goes to the twin" "$S/publishers/kankyo/index.html" '<a class="lang-switch" href="../../en/publishers/kankyo/" hreflang="en" lang="en">English</a>'
t_grep "an English page's search goes to the English list" "$S/en/about/index.html" 'action="../../en/datasets/"'

# ---------------------------------------------------------------- facets against the descriptors
bad=
for f in $DP; do jq -r '.publisher // empty' "$f"; done | sort -u >"$T_TMP/pubs"
t_eq "one publisher page per department that publishes" "$(ls "$S/publishers" | grep -v index.html | sort)" "$(cat "$T_TMP/pubs")"
while read -r id; do
	[ "$(listed "$S/publishers/$id/index.html")" = "$(want ".publisher == \"$id\"")" ] || bad="$bad publishers/$id"
	[ "$(listed "$S/en/publishers/$id/index.html")" = "$(want ".publisher == \"$id\"")" ] || bad="$bad en/publishers/$id"
done <"$T_TMP/pubs"
for f in $DP; do jq -r '(.theme // []) | if type == "string" then . else .[] end' "$f"; done | sort -u >"$T_TMP/themes"
t_eq "one theme page per EU theme code used" "$(ls "$S/themes" | grep -v index.html | sort)" "$(cat "$T_TMP/themes")"
while read -r c; do
	[ "$(listed "$S/themes/$c/index.html")" = "$(want "(.theme // []) | index(\"$c\") != null")" ] || bad="$bad themes/$c"
done <"$T_TMP/themes"
for f in $DP; do jq -r '.resources[].format | ascii_downcase' "$f"; done | sort -u >"$T_TMP/formats"
t_eq "one format page per format, lower case" "$(ls "$S/formats" | grep -v index.html | sort)" "$(cat "$T_TMP/formats")"
while read -r x; do
	[ "$(listed "$S/formats/$x/index.html")" = "$(want "[.resources[].format | ascii_downcase] | index(\"$x\") != null")" ] || bad="$bad formats/$x"
done <"$T_TMP/formats"
default_lic=$(jq -r .license "$TOP/odcat.json")
for f in $DP; do jq -r --arg d "$default_lic" '.licenses[0].name // $d' "$f"; done | sort -u >"$T_TMP/lics"
t_eq "one licence page per licence id (odcat.json's default included)" "$(ls "$S/licenses" | grep -v index.html | sort)" "$(cat "$T_TMP/lics")"
while read -r x; do
	[ "$(listed "$S/licenses/$x/index.html")" = "$(want "(.licenses[0].name // \"$default_lic\") == \"$x\"")" ] || bad="$bad licenses/$x"
done <"$T_TMP/lics"
# Keywords: the slug rule, and each tag page lists the datasets having it in either language.
kw='[(.keywords | if type == "object" then (.ja + .en) else . end)[]]'
for f in $DP; do jq -r "$kw[]" "$f"; done | sort -u >"$T_TMP/kws"
while IFS= read -r k; do
	slug=$(printf '%s' "$k" | tr 'A-Z' 'a-z' | LC_ALL=C sed 's/[^a-z0-9\x80-\xff]\{1,\}/-/g; s/^-//; s/-$//')
	[ -f "$S/tags/$slug/index.html" ] || { bad="$bad tags/$slug(missing)"; continue; }
	[ "$(listed "$S/tags/$slug/index.html")" = "$(want "$kw | index($(jq -n --arg k "$k" '$k')) != null")" ] || bad="$bad tags/$slug"
done <"$T_TMP/kws"
t_eq "every facet page lists exactly the datasets the descriptors put in it" "$bad" ""
t_file "a Japanese keyword's page is a UTF-8 folder" "$S/tags/救急/index.html"
t_grep "...linked percent-encoded" "$S/tags/index.html" 'href="../tags/%E6%95%91%E6%80%A5/">救急</a> <span class="facet-count">(1)</span>'
t_grep "the Japanese tag index lists Japanese keywords" "$S/tags/index.html" '>推奨データセット</a>'
t_nogrep "...not the English ones" "$S/tags/index.html" '>first aid</a>'
t_grep "the English tag index lists English keywords" "$S/en/tags/index.html" '>first aid</a>'
t_grep "a facet index gives each count" "$S/en/publishers/index.html" "Health and Welfare Bureau</a> <span class=\"facet-count\">($(want '.publisher == "kenko-fukushi"' | wc -l))</span>"
t_grep "a theme page has the theme's label" "$S/en/themes/HEAL/index.html" '<span class="facet-kind">Theme:</span> Health</h1>'

# ---------------------------------------------------------------- home and the list
for f in $DP; do jq -r '[.issued // empty, input_filename] | select(length == 2) | "\(.[0]) \(.[1])"' "$f"; done |
	sed 's|/datapackage.json$||; s| .*/| |' | sort -k1,1r -k2,2 | head -n 6 | cut -d' ' -f2 >"$T_TMP/newest"
sed -n '/id="newest-heading"/,/<\/section>/p' "$S/index.html" | sed -n 's|.*class="card-title"><a href="[^"]*datasets/\([^/"]*\)/".*|\1|p' >"$T_TMP/got"
t_eq "home: six newest datasets (the sample has more)" "$(wc -l <"$T_TMP/got")" 6
t_true "home: the six newest datasets by issued, newest first" diff "$T_TMP/newest" "$T_TMP/got"
for f in $DP; do jq -r '[.modified // empty, input_filename] | select(length == 2) | "\(.[0]) \(.[1])"' "$f"; done |
	sed 's|/datapackage.json$||; s| .*/| |' | sort -k1,1r -k2,2 | head -n 6 | cut -d' ' -f2 >"$T_TMP/updated"
sed -n '/id="updated-heading"/,/<\/section>/p' "$S/en/index.html" | sed -n 's|.*class="card-title"><a href="[^"]*datasets/\([^/"]*\)/".*|\1|p' >"$T_TMP/got"
t_eq "home: six recently updated datasets" "$(wc -l <"$T_TMP/got")" 6
t_true "home: the six recently updated by modified, latest first" diff "$T_TMP/updated" "$T_TMP/got"
n=$(ls -d "$S"/datasets/*/ | wc -l)
t_grep "home: the number of datasets" "$S/index.html" "<strong>$n</strong>"
t_grep "home: the site description" "$S/en/index.html" "$(jq -r .description.en "$TOP/odcat.json")"
for k in publishers themes tags formats licenses; do
	t_grep "home links the $k index" "$S/index.html" "href=\"$k/\""
	t_grep "the all-datasets page links the $k index" "$S/datasets/index.html" "href=\"../$k/\""
done
t_grep "home: facet lists with counts" "$S/index.html" "href=\"publishers/kenko-fukushi/\">健康福祉局</a> <span class=\"facet-count\">"
t_eq "the all-datasets page lists every dataset" "$(listed "$S/datasets/index.html")" "$(want true)"

# ---------------------------------------------------------------- about, terms, 404
for u in data.json catalog.jsonld catalog.ttl opendata-list.csv sitemap.xml feed.xml api/3/action/package_list.json \
	datasets/aed-locations/datapackage.json datasets/aed-locations/dataset.jsonld; do
	t_grep "about/ lists $u with its absolute URL" "$S/about/index.html" "href=\"$BASE$u\">$BASE$u</a>"
	t_file "...and $u exists" "$S/$u"
done
t_grep "terms/ has the licence table" "$S/en/terms/index.html" '<a href="https://creativecommons.org/licenses/by/4.0/" rel="license">Creative Commons Attribution 4.0 International</a></td><td><code>CC-BY-4.0</code></td>'
t_grep "accessibility/ names JIS X 8341-3:2016 and level AA" "$S/accessibility/index.html" "JIS X 8341-3:2016 の適合レベル AA"
t_grep "the footer links terms, disclaimer, accessibility" "$S/datasets/aed-locations/index.html" '<a href="../../terms/">利用規約</a></li>'
t_grep "404.html links from the site's root path" "$S/404.html" '<link rel="stylesheet" href="/assets/style.css">'
t_grep "en/404.html: home is /en/" "$S/en/404.html" '<a class="site-title" href="/en/">'
t_grep "en/404.html: the switch goes to the Japanese home" "$S/en/404.html" 'class="lang-switch" href="/" hreflang="ja"'
t_nogrep "404.html has no canonical URL" "$S/404.html" 'rel="canonical"'

# ---------------------------------------------------------------- hostile text, no base URL, a sub-path
H=$T_TMP/hostile
minimal_catalog "$H"
jq '.base_url = "https://example.jp/open/data/" | .title = {"ja": "</title><script>alert(1)</script>", "en": "{{t.home}}"}' "$H/odcat.json" >"$H/o.json" && mv "$H/o.json" "$H/odcat.json"
jq '.title = "</script><script>alert(1)</script>{{site.title}}" | .description = "\"onload=\"alert(1) {{{t.home}}} <img src=x onerror=alert(1)>"
    | .keywords = {"ja": ["救急", "AED", "aed", "a/b", "a b", "<script>"], "en": ["First aid"]} | .issued = "2024-01-01"' \
	"$H/datasets/plain/datapackage.json" >"$H/d.json" && mv "$H/d.json" "$H/datasets/plain/datapackage.json"
jq '.publishers = {"index.html": {"name": "Index Dept"}}' "$H/odcat.json" >"$H/o.json" && mv "$H/o.json" "$H/odcat.json"
jq '.publisher = "index.html" | .resources[0].format = "CSV/../x"' "$H/datasets/plain/datapackage.json" >"$H/d.json" && mv "$H/d.json" "$H/datasets/plain/datapackage.json"
commit_all "$H" "hostile"
HS=$T_TMP/site-hostile
odc build --repo "$H" --out "$HS"
t_rc "hostile: builds" 0
bad=
for f in $(find "$HS" -name '*.html'); do
	# The only scripts: JSON-LD blocks and the theme's own search client.
	[ "$(grep -o '<script' "$f" | wc -l)" = "$(grep -oE '<script type="application/ld\+json">|<script src="(/|[^"<>]*/)?assets/search[.]js" defer></script>' "$f" | wc -l)" ] || bad="$bad $f"
	grep -q '<img src=x' "$f" && bad="$bad $f(img)"
	grep -q '" onload=' "$f" && bad="$bad $f(onload)"
done
t_eq "hostile: no page gets a script, an image or an attribute from dataset text" "$bad" ""
t_grep "hostile: {{ in a title is shown as text" "$HS/en/index.html" '{{site.title}}'
t_grep "hostile: markup in a keyword is escaped" "$HS/tags/index.html" '&lt;script&gt;</a>'
t_file "hostile: colliding keywords AED and aed get two pages (1)" "$HS/tags/aed/index.html"
t_file "hostile: colliding keywords AED and aed get two pages (2)" "$HS/tags/aed-2/index.html"
t_grep "hostile: ...first by byte order keeps the slug" "$HS/tags/aed/index.html" '<span class="facet-kind">キーワード:</span> AED</h1>'
t_file "hostile: 'a b' and 'a/b' collide too" "$HS/tags/a-b-2/index.html"
t_file "hostile: the tag of a keyword of markup" "$HS/tags/script/index.html"
t_file "hostile: a department id ending in .html is slugged" "$HS/publishers/index-html/index.html"
t_file "hostile: a format with / and .. is slugged" "$HS/formats/csv-x/index.html"
t_grep "sub-path base URL: 404.html links start at its path" "$HS/404.html" '<link rel="stylesheet" href="/open/data/assets/style.css">'
t_grep "sub-path base URL: canonical" "$HS/en/tags/aed-2/index.html" '<link rel="canonical" href="https://example.jp/open/data/en/tags/aed-2/">'
jq 'del(.base_url)' "$H/odcat.json" >"$H/o.json" && mv "$H/o.json" "$H/odcat.json"
commit_all "$H" "no base url"
odc build --repo "$H" --out "$T_TMP/nobase"
t_rc "no base URL: builds" 0
t_nogrep "no base URL: no canonical" "$T_TMP/nobase/tags/aed/index.html" 'rel="canonical"'
t_nogrep "no base URL: no og:url" "$T_TMP/nobase/tags/aed/index.html" 'og:url'
t_grep "no base URL: hreflang alternates are relative" "$T_TMP/nobase/tags/aed/index.html" '<link rel="alternate" hreflang="en" href="../../en/tags/aed/">'
t_grep "no base URL: 404.html assumes the site is at the server root" "$T_TMP/nobase/en/404.html" 'href="/assets/style.css"'
t_grep "no base URL: about/ links relative" "$T_TMP/nobase/about/index.html" 'href="../data.json">../data.json</a>'
t_nogrep "no base URL: about/ does not list the sitemap" "$T_TMP/nobase/about/index.html" 'sitemap.xml'

odc build --repo "$TOP" --out "$T_TMP/again"
t_true "two builds write byte-identical pages" diff -r "$S" "$T_TMP/again"

# ---------------------------------------------------------------- edge catalogues
E=$T_TMP/empty
minimal_catalog "$E"
rm -rf "$E/datasets" && printf 'x\n' >"$E/README.md"
commit_all "$E" "no datasets"
odc build --repo "$E" --out "$T_TMP/empty-site"
t_rc "an empty catalogue builds" 0
t_file "...with its home page" "$T_TMP/empty-site/index.html"
t_grep "...saying there is nothing yet" "$T_TMP/empty-site/en/index.html" "$(jq -r .no_datasets "$TOP/themes/default/strings/en.json")"
t_file "...an empty tag index" "$T_TMP/empty-site/en/tags/index.html"
O=$T_TMP/one-lang
minimal_catalog "$O"
jq '.languages = ["ja"]' "$O/odcat.json" >"$O/o.json" && mv "$O/o.json" "$O/odcat.json"
commit_all "$O" "one language"
odc build --repo "$O" --out "$T_TMP/one-site"
t_rc "a one-language catalogue builds" 0
t_nofile "...without en/" "$T_TMP/one-site/en"
t_nogrep "...and without a language switch" "$T_TMP/one-site/tags/plain/index.html" 'lang-switch'
t_grep "...its tag page is there" "$T_TMP/one-site/tags/plain/index.html" '<html lang="ja">'
t_summary
