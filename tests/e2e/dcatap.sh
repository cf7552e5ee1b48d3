#!/usr/bin/env bash
# End-to-end tests of the DCAT-AP 3.0.1 files, site/catalog.ttl and
# site/catalog.jsonld: with tests/js/check-dcatap.mjs, (1) the Turtle parses
# with n3, (2) the JSON-LD becomes N-Quads with jsonld.js (inline context, no
# network), (3) both hold the same triples, (4) rdf-validate-shacl finds no
# sh:Violation against shapes.ttl + range.ttl of DCAT-AP 3.0.1, kept in
# ${ODC_SHARED:-../shared}/specs/dcat-ap/3.0.1/html/shacl (warnings are
# listed as "info:" lines, not failures).
# Installs node (apt-get, as root) and the npm packages of tests/js
# (npm ci, from its package-lock.json) when they are missing.
T_SUITE=dcatap
source "$(dirname "$0")/../lib.sh"

SHAPES=${ODC_SHARED:-$TOP/../shared}/specs/dcat-ap/3.0.1/html/shacl
JS=$TOP/tests/js

# ---------------------------------------------------------------- tools
need_node_modules n3 jsonld rdf-validate-shacl @rdfjs/dataset
t_file "the DCAT-AP 3.0.1 shapes are there" "$SHAPES/shapes.ttl"
t_file "the DCAT-AP 3.0.1 range shapes are there" "$SHAPES/range.ttl"

# check MODE FILE... — one check of tests/js/check-dcatap.mjs; prints its
# details when it fails.
check() {
	local out rc
	out=$(node "$JS/check-dcatap.mjs" "$@" 2>&1)
	rc=$?
	if [ "$rc" = 0 ]; then
		# SHACL warnings and infos: shown, never failures.
		printf '%s\n' "$out" | grep '^info:' | sed "s/^/$T_SUITE /"
	else
		printf '%s\n' "$out" | head -n 60
	fi
	return "$rc"
}

# all_checks NAME SITE — the four checks on one built site.
all_checks() {
	t_file "$1: catalog.ttl is written" "$2/catalog.ttl"
	t_file "$1: catalog.jsonld is written" "$2/catalog.jsonld"
	t_true "$1: catalog.ttl parses with n3" check ttl "$2/catalog.ttl"
	t_true "$1: catalog.jsonld gives N-Quads with jsonld.js, offline" check jsonld "$2/catalog.jsonld"
	t_true "$1: catalog.ttl and catalog.jsonld hold the same graph" check same "$2/catalog.ttl" "$2/catalog.jsonld"
	t_true "$1: no SHACL violation of DCAT-AP 3.0.1 (shapes + ranges)" \
		check shacl "$2/catalog.ttl" "$SHAPES/shapes.ttl" "$SHAPES/range.ttl"
}

# The checker itself: a dataset without a title, a publisher that is no Agent.
cat >"$T_TMP/bad.ttl" <<'TTL'
@prefix dcat: <http://www.w3.org/ns/dcat#> .
@prefix dct: <http://purl.org/dc/terms/> .
<https://x.example/> a dcat:Catalog ; dct:title "t" ; dct:description "d" ;
    dct:publisher <https://x.example/#p> ; dcat:dataset <https://x.example/d> .
<https://x.example/d> a dcat:Dataset ; dct:description "no title" .
TTL
t_false "the SHACL check refuses an invalid graph" check shacl "$T_TMP/bad.ttl" "$SHAPES/shapes.ttl" "$SHAPES/range.ttl" >/dev/null
printf '<https://x.example/> <http://purl.org/dc/terms/title> "unterminated .\n' >"$T_TMP/bad2.ttl"
t_false "the Turtle check refuses broken Turtle" check ttl "$T_TMP/bad2.ttl" >/dev/null
printf '{"@context": "https://example.org/ctx.jsonld", "@id": "https://x.example/", "title": "t"}\n' >"$T_TMP/remote.jsonld"
t_false "the JSON-LD check never fetches a remote context" check jsonld "$T_TMP/remote.jsonld" >/dev/null

# ---------------------------------------------------------------- (a) the bundled sample
S=$T_TMP/site
odc build --repo "$TOP" --out "$S"
t_rc "build of the bundled sample catalogue exits 0" 0
all_checks sample "$S"
t_grep "sample: datasets are dcat:Dataset with their page as IRI" "$S/catalog.ttl" \
	'<https://opendata.example.jp/datasets/aed-locations/> a dcat:Dataset'
t_grep "sample: themes are EU data-theme IRIs" "$S/catalog.ttl" \
	'dcat:theme <http://publications.europa.eu/resource/authority/data-theme/HEAL>'
t_grep "sample: languages are EU language IRIs" "$S/catalog.ttl" \
	'<http://publications.europa.eu/resource/authority/language/JPN>'
t_grep "sample: frequency is an EU frequency IRI" "$S/catalog.ttl" \
	'dct:accrualPeriodicity <http://publications.europa.eu/resource/authority/frequency/ANNUAL>'
t_grep "sample: checksums are SHA-256 hexBinary" "$S/catalog.ttl" \
	'spdx:algorithm <http://spdx.org/rdf/terms#checksumAlgorithm_sha256>'
t_eq "sample: one dcat:Dataset per published dataset" \
	"$(jq '[."@graph"[] | select(."@type" | index("dcat:Dataset"))] | length' "$S/catalog.jsonld")" \
	"$(jq '.dataset | length' "$S/data.json")"
t_eq "sample: the JSON-LD context is inline" "$(jq -r '."@context" | type' "$S/catalog.jsonld")" "object"

# ---------------------------------------------------------------- (a2) per-dataset files
# Every published dataset gets datasets/<slug>/dataset.{ttl,jsonld}: its own
# part of the graph, valid on its own; both language pages link them.
nds=0
for slug in $(jq -r '.dataset[].landingPage | sub("/$"; "") | sub(".*/"; "")' "$S/data.json"); do
	d=$S/datasets/$slug
	nds=$((nds + 1))
	t_true "sample $slug: dataset.ttl parses with n3" check ttl "$d/dataset.ttl"
	t_true "sample $slug: dataset.jsonld gives N-Quads offline" check jsonld "$d/dataset.jsonld"
	t_true "sample $slug: dataset.ttl and dataset.jsonld hold the same graph" check same "$d/dataset.ttl" "$d/dataset.jsonld"
	t_true "sample $slug: dataset.ttl has no SHACL violation on its own" \
		check shacl "$d/dataset.ttl" "$SHAPES/shapes.ttl" "$SHAPES/range.ttl"
	t_eq "sample $slug: dataset.jsonld holds exactly its own dcat:Dataset" \
		"$(jq -r '[."@graph"[] | select(."@type" | index("dcat:Dataset")) | ."@id"] | join(" ")' "$d/dataset.jsonld")" \
		"https://opendata.example.jp/datasets/$slug/"
	for page in "$S/datasets/$slug/index.html" "$S/en/datasets/$slug/index.html"; do
		t_grep "sample $slug: ${page#"$S"/} links dataset.jsonld" "$page" \
			"<link rel=\"alternate\" type=\"application/ld+json\" href=\"$(case $page in "$S"/en/*) echo ../../../ ;; *) echo ../../ ;; esac)datasets/$slug/dataset.jsonld\">"
		t_grep "sample $slug: ${page#"$S"/} links dataset.ttl" "$page" \
			"<link rel=\"alternate\" type=\"text/turtle\" href=\"$(case $page in "$S"/en/*) echo ../../../ ;; *) echo ../../ ;; esac)datasets/$slug/dataset.ttl\">"
	done
done
t_true "sample: per-dataset files checked for at least 3 datasets" test "$nds" -ge 3
t_nofile "sample: no catalogue pages under page_size" "$S/catalog/page-1.ttl"
t_nogrep "sample: the list page links no dataset.ttl" "$S/datasets/index.html" 'dataset.ttl'

# Typed JSON (<path>.json beside a CSV) is a second distribution, once the
# build writes it.
if [ -n "$(find "$S/datasets" -name '*.csv.json' -print -quit)" ]; then
	t_grep "sample: typed JSON is a dcat:Distribution" "$S/catalog.ttl" '#distribution-1-json> a dcat:Distribution'
	t_grep "sample: typed JSON has media type application/json" "$S/catalog.ttl" \
		'dcat:mediaType <https://www.iana.org/assignments/media-types/application/json>'
	t_grep "sample: typed JSON has format JSON" "$S/catalog.ttl" \
		'dct:format <http://publications.europa.eu/resource/authority/file-type/JSON>'
	f=$(find "$S/datasets" -name '*.csv.json' -print -quit)
	rel=${f#"$S"/}
	t_grep "sample: typed JSON download URL is the written file" "$S/catalog.ttl" \
		"dcat:downloadURL <https://opendata.example.jp/$rel>"
else
	echo "$T_SUITE: skipped: no *.csv.json in the built sample (typed JSON not written yet)"
	t_nogrep "sample: no typed JSON distribution without typed JSON files" "$S/catalog.ttl" '-json> a dcat:Distribution'
fi

# ---------------------------------------------------------------- (b) hostile strings
H=$T_TMP/hostile
new_repo "$H"
mkdir -p "$H/datasets/hostile"
cat >"$H/odcat.json" <<'JSON'
{
  "title": {"ja": "\"敵対的\" <script> \\ back", "en": "Hostile \"strings\"\n\\n"},
  "base_url": "https://opendata.example.jp/hostile path/",
  "languages": ["ja", "en"],
  "publisher": {"name": {"ja": "市 \"</script>\"", "en": "City\n\"quoted\"\\"}},
  "publishers": {"evil dept": {"name": {"ja": "部署 <b>\u0007?</b>", "en": "Dept 😈 \\\""}, "email": "evil@example.jp"}},
  "license": "CC-BY-4.0",
  "contactPoint": {"name": "Desk \"<x>\"\n😀", "email": "desk@example.jp"}
}
JSON
jq -n --arg mail "o'brien+data@example.jp" '{
  name: "hostile",
  title: {ja: "<script>alert(\"t\")</script>\n二行目 😀 \\ \"\"\"", en: "Quote \" backslash \\ tab \t end\r"},
  description: {ja: "説明 </script><!-- \u2028 \u2029 😀\n\"\"\"triple\"\"\" \\u0041", en: "Line one\r\nline two \u0001 \u007f"},
  keywords: {ja: ["<b>kw</b>", "\"quoted\"", "改行\nあり", "😀", "", "back\\slash"], en: ["kw", "@en", "^^x"]},
  publisher: "evil dept",
  contactPoint: {name: "Name \"<script>\"", email: $mail},
  theme: ["<theme>", "HEAL", "HEAL", ""],
  conformsTo: "https://example.org/spec with space/<x>?a=\"1\"&b={2}",
  accrualPeriodicity: "weird\"",
  issued: "2025-02-30x", modified: "2025-03-01",
  temporal: {start: "2025-01-01", end: "\"2025\""},
  spatial: "町 \"中央\"",
  resources: [
    {name: "data", title: "Data \"<csv>\" 😀 \\", path: "data file.csv", format: "csv"},
    {name: "odd", path: "odd\"x.xyz", format: "xyz", mediatype: "text/plain; charset=\"x\""},
    {name: "remote", path: "https://example.org/api?q=a b&c=<d>", format: "api"}
  ]
}' >"$H/datasets/hostile/datapackage.json"
printf 'a,b\n"<script>",😀\n' >"$H/datasets/hostile/data file.csv"
printf 'odd\n' >"$H/datasets/hostile/odd\"x.xyz"
commit_all "$H" "hostile catalogue"
HS=$T_TMP/site-hostile
odc build --repo "$H" --out "$HS"
t_rc "build of a catalogue with hostile strings exits 0" 0
all_checks hostile "$HS"
t_eq "hostile: the title round-trips through JSON-LD" \
	"$(jq -r '[."@graph"[] | select(."@type" | index("dcat:Dataset")) | ."dct:title"[] | select(."@language" == "ja") | ."@value"][0]' "$HS/catalog.jsonld")" \
	"$(jq -r '.title.ja' "$H/datasets/hostile/datapackage.json")"
t_nogrep "hostile: no raw space inside an IRI" "$HS/catalog.ttl" 'hostile path'

# ---------------------------------------------------------------- (c) no base URL: nothing written
M=$T_TMP/minimal
minimal_catalog "$M"
commit_all "$M" "minimal catalogue"
odc build --repo "$M" --out "$T_TMP/site-min"
t_rc "build of a minimal catalogue without base URL exits 0" 0
t_nofile "minimal without base URL: no catalog.ttl" "$T_TMP/site-min/catalog.ttl"
t_nofile "minimal without base URL: no catalog.jsonld" "$T_TMP/site-min/catalog.jsonld"
t_nofile "minimal without base URL: no dataset.ttl" "$T_TMP/site-min/datasets/plain/dataset.ttl"
t_nogrep "minimal without base URL: the page links no dataset.ttl" "$T_TMP/site-min/datasets/plain/index.html" 'dataset.ttl'
odc build --repo "$M" --out "$T_TMP/site-min-b" --base-url https://data.example.org/min/
t_rc "build of a minimal catalogue with --base-url exits 0" 0
all_checks "minimal with --base-url" "$T_TMP/site-min-b"
odc build --repo "$M" --out "$T_TMP/site-min-c" --base-url https://data.example.org/min/
same_files() { cmp "$1/catalog.ttl" "$2/catalog.ttl" && cmp "$1/catalog.jsonld" "$2/catalog.jsonld"; }
t_true "minimal: two builds give byte-identical catalog.ttl and catalog.jsonld" \
	same_files "$T_TMP/site-min-b" "$T_TMP/site-min-c"

# ---------------------------------------------------------------- (d) paging
# 5 datasets, "page_size": 2: catalog/page-1..3.{ttl,jsonld} with hydra links;
# catalog.* stays complete.
P=$T_TMP/paged
new_repo "$P"
cat >"$P/odcat.json" <<'JSON'
{
  "title": "Paged",
  "base_url": "https://data.example.org/paged/",
  "publisher": {"name": "Paged Town"},
  "license": "CC-BY-4.0",
  "contactPoint": {"name": "Desk", "email": "desk@example.jp"},
  "page_size": 2
}
JSON
for n in 1 2 3 4 5; do
	mkdir -p "$P/datasets/set-$n"
	cat >"$P/datasets/set-$n/datapackage.json" <<JSON
{
  "name": "set-$n", "title": "Set $n", "description": "Small dataset number $n.",
  "keywords": ["paged"],
  "resources": [{"name": "set-$n", "path": "set-$n.csv", "format": "csv"}]
}
JSON
	printf 'a,b\n%s,2\n' "$n" >"$P/datasets/set-$n/set-$n.csv"
done
commit_all "$P" "paged catalogue"
PS=$T_TMP/site-paged
odc build --repo "$P" --out "$PS"
t_rc "build of a 5-dataset catalogue with page_size 2 exits 0" 0
all_checks paged "$PS"
t_eq "paged: catalog.jsonld stays complete" \
	"$(jq '[."@graph"[] | select(."@type" | index("dcat:Dataset"))] | length' "$PS/catalog.jsonld")" 5
t_nofile "paged: no page 4" "$PS/catalog/page-4.ttl"
t_nofile "paged: no page 0" "$PS/catalog/page-0.ttl"
PB=https://data.example.org/paged/catalog
# hydra VALUE FILE PREDICATE — the object of the paging node, "" when absent.
hydra() {
	jq -r --arg p "$2" '[."@graph"[] | select(."@type" | index("hydra:PagedCollection")) | .[$p][]? | (."@id" // ."@value")] | join(" ")' "$1"
}
for n in 1 2 3; do
	for ext in ttl jsonld; do
		t_file "paged: catalog/page-$n.$ext is written" "$PS/catalog/page-$n.$ext"
	done
	pj=$PS/catalog/page-$n.jsonld
	pt=$PS/catalog/page-$n.ttl
	t_true "paged page $n: Turtle parses with n3" check ttl "$pt"
	t_true "paged page $n: JSON-LD gives N-Quads offline" check jsonld "$pj"
	# The pages link their own format; with .jsonld read as .ttl they are
	# the same graph.
	sed 's#\(/catalog/page-[0-9]*\)\.jsonld"#\1.ttl"#g' "$pj" >"$T_TMP/page-$n.as-ttl.jsonld"
	t_true "paged page $n: Turtle and JSON-LD hold the same graph (page links aside)" \
		check same "$pt" "$T_TMP/page-$n.as-ttl.jsonld"
	t_true "paged page $n: no SHACL violation" check shacl "$pt" "$SHAPES/shapes.ttl" "$SHAPES/range.ttl"
	t_eq "paged page $n: totalItems 5" "$(hydra "$pj" hydra:totalItems)" 5
	t_eq "paged page $n: itemsPerPage 2" "$(hydra "$pj" hydra:itemsPerPage)" 2
	t_eq "paged page $n: the paging node is the page" \
		"$(jq -r '[."@graph"[] | select(."@type" | index("hydra:PagedCollection")) | ."@id"] | join(" ")' "$pj")" \
		"$PB/page-$n.jsonld"
	t_eq "paged page $n: firstPage" "$(hydra "$pj" hydra:firstPage)" "$PB/page-1.jsonld"
	t_eq "paged page $n: lastPage" "$(hydra "$pj" hydra:lastPage)" "$PB/page-3.jsonld"
	t_grep "paged page $n: Turtle links the Turtle pages" "$pt" "hydra:lastPage <$PB/page-3.ttl>"
	want_next=""; want_prev=""
	[ "$n" -lt 3 ] && want_next="$PB/page-$((n + 1)).jsonld"
	[ "$n" -gt 1 ] && want_prev="$PB/page-$((n - 1)).jsonld"
	t_eq "paged page $n: nextPage" "$(hydra "$pj" hydra:nextPage)" "$want_next"
	t_eq "paged page $n: previousPage" "$(hydra "$pj" hydra:previousPage)" "$want_prev"
	want=$(case $n in 1) echo "set-1 set-2" ;; 2) echo "set-3 set-4" ;; 3) echo "set-5" ;; esac)
	t_eq "paged page $n: the datasets of the page" \
		"$(jq -r '[."@graph"[] | select(."@type" | index("dcat:Dataset")) | ."@id" | sub("/$"; "") | sub(".*/"; "")] | join(" ")' "$pj")" "$want"
	t_eq "paged page $n: the catalogue lists only the page's datasets" \
		"$(jq -r '[."@graph"[] | select(."@type" | index("dcat:Catalog")) | ."dcat:dataset"[]."@id" | sub("/$"; "") | sub(".*/"; "")] | join(" ")' "$pj")" "$want"
done
for n in 1 2 3 4 5; do
	t_true "paged set-$n: dataset.ttl has no SHACL violation on its own" \
		check shacl "$PS/datasets/set-$n/dataset.ttl" "$SHAPES/shapes.ttl" "$SHAPES/range.ttl"
done
# Exactly page_size datasets: no pages.
jq '.page_size = 5' "$P/odcat.json" >"$T_TMP/odcat.json" && cp "$T_TMP/odcat.json" "$P/odcat.json"
commit_all "$P" "page_size 5"
odc build --repo "$P" --out "$T_TMP/site-paged-5"
t_rc "build with page_size equal to the dataset count exits 0" 0
t_nofile "page_size 5, 5 datasets: no catalogue pages" "$T_TMP/site-paged-5/catalog/page-1.jsonld"
t_file "page_size 5: dataset files are still written" "$T_TMP/site-paged-5/datasets/set-5/dataset.jsonld"
t_nofile "minimal without base URL: no dataset.ttl" "$T_TMP/site-min/datasets/plain/dataset.ttl"
t_nofile "minimal without base URL: no dataset.jsonld" "$T_TMP/site-min/datasets/plain/dataset.jsonld"

t_summary
