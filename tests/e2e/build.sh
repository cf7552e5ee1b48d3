#!/usr/bin/env bash
# End-to-end tests of `odcat build` and the command line (issue: walking
# skeleton). Each test makes a temporary git repository, commits datasets,
# runs the real binary and checks the site it wrote.
T_SUITE=build
source "$(dirname "$0")/../lib.sh"

# A small catalogue: two departments, two good datasets.
write_catalog() { # DIR
	local d=$1
	mkdir -p "$d/datasets/toilets" "$d/datasets/guide"
	cat >"$d/odcat.json" <<'JSON'
{
  "title": {"ja": "テスト市オープンデータ", "en": "Test City Open Data"},
  "description": {"ja": "テスト用のカタログ", "en": "A catalogue for tests"},
  "base_url": "https://opendata.example.jp/",
  "languages": ["ja", "en"],
  "publisher": {"name": {"ja": "テスト市", "en": "Test City"}, "code": "141305"},
  "publishers": {
    "parks": {"name": {"ja": "公園緑地課", "en": "Parks Division"}, "email": "parks@example.jp"},
    "plan": {"name": {"ja": "企画課", "en": "Planning Division"}, "email": "plan@example.jp"}
  },
  "license": "CC-BY-4.0",
  "contactPoint": {"name": "オープンデータ窓口", "email": "opendata@example.jp"}
}
JSON
	cat >"$d/datasets/toilets/datapackage.json" <<'JSON'
{
  "name": "toilets",
  "title": {"ja": "公衆トイレ一覧", "en": "Public toilets"},
  "description": {"ja": "市内の公衆トイレの所在地。", "en": "Where the public toilets are."},
  "keywords": {"ja": ["トイレ", "バリアフリー"], "en": ["toilets", "accessibility"]},
  "publisher": "parks",
  "modified": "2025-03-31",
  "resources": [
    {"name": "toilets", "path": "toilets.csv", "format": "csv", "encoding": "utf-8",
     "schema": {"fields": [{"name": "名称", "type": "string"}, {"name": "緯度", "type": "number"}]}}
  ]
}
JSON
	printf '名称,緯度\n中央公園トイレ,35.53\n"駅前, 東口",35.55\n' >"$d/datasets/toilets/toilets.csv"
	cat >"$d/datasets/toilets/README.md" <<'MD'
# 公衆トイレ一覧

市内の**公衆トイレ**の一覧です。

| 区 | 数 |
| --- | --- |
| 川崎区 | 12 |

~~古い版~~ は廃止。 https://www.example.jp/toilets

[CSV](toilets.csv)
MD
	cat >"$d/datasets/guide/datapackage.json" <<'JSON'
{
  "name": "guide",
  "title": "Guide book",
  "description": "A guide in PDF and a link to the API.",
  "keywords": ["guide"],
  "publisher": "plan",
  "licenses": [{"name": "CC0-1.0"}],
  "contactPoint": {"name": "Planning", "email": "plan@example.jp"},
  "resources": [
    {"name": "guide", "path": "docs/guide.pdf", "format": "pdf"},
    {"name": "api", "path": "https://api.example.jp/v1/guide", "format": "json"}
  ]
}
JSON
	mkdir -p "$d/datasets/guide/docs"
	printf '%%PDF-1.4\n%% test\n' >"$d/datasets/guide/docs/guide.pdf"
}

# ---------------------------------------------------------------- CLI
odc --version
t_rc "--version exits 0" 0
t_out "--version prints the Makefile's version" "odcat $(sed -n 's/^VERSION := //p' "$TOP/Makefile")"
odc --help
t_rc "--help exits 0" 0
t_out "--help lists build" "build"
odc build --help
t_rc "build --help exits 0" 0
for o in --repo --ref --out --theme --base-url --worktree --strict; do
	t_out "build --help describes $o" "$o"
done
odc build --no-such-option
t_rc "unknown option is a usage error" 2
t_err "unknown option is named" "--no-such-option"
odc frobnicate
t_rc "unknown command exits 2" 2

# ---------------------------------------------------------------- a good build
R=$T_TMP/repo
new_repo "$R"
write_catalog "$R"
commit_all "$R" "add catalogue"
S=$T_TMP/site
odc build --repo "$R" --out "$S"
t_rc "build of a good catalogue exits 0" 0
t_false "no error diagnostics" grep -qE ": ([a-z-]+-error|odcat-[a-z-]+|primary-key|foreign-key): " <<<"$(grep -v ' warning: ' <<<"$ERR")"
t_file "home page" "$S/index.html"
t_file "English home page" "$S/en/index.html"
t_file "dataset list page" "$S/datasets/index.html"
t_file "dataset page" "$S/datasets/toilets/index.html"
t_file "English dataset page" "$S/en/datasets/toilets/index.html"
t_file "stylesheet" "$S/assets/style.css"
t_grep "home lists the dataset title" "$S/index.html" "公衆トイレ一覧"
t_grep "home lists the publisher" "$S/index.html" "公園緑地課"
t_grep "home lists keywords" "$S/index.html" "バリアフリー"
t_grep "home lists formats" "$S/index.html" "CSV"
t_grep "English home has English titles" "$S/en/index.html" "Public toilets"
t_grep "README rendered: strong" "$S/datasets/toilets/index.html" "<strong>公衆トイレ</strong>"
t_grep "README rendered: GFM table" "$S/datasets/toilets/index.html" "<td>川崎区</td>"
t_grep "README rendered: strikethrough" "$S/datasets/toilets/index.html" "<del>古い版</del>"
t_grep "README rendered: autolink" "$S/datasets/toilets/index.html" 'href="https://www.example.jp/toilets"'
t_grep "README relative link works from the English page" "$S/en/datasets/toilets/index.html" 'href="../../../datasets/toilets/toilets.csv"'
t_grep "dataset page links the download" "$S/datasets/toilets/index.html" 'href="../../datasets/toilets/toilets.csv"'
t_grep "dataset page shows the row count" "$S/datasets/toilets/index.html" ">2<"
t_grep "licence falls back to odcat.json" "$S/datasets/toilets/index.html" "https://creativecommons.org/licenses/by/4.0/"
t_grep "contact falls back to odcat.json" "$S/datasets/toilets/index.html" "opendata@example.jp"
t_true "download is the committed bytes (CSV)" cmp -s "$R/datasets/toilets/toilets.csv" "$S/datasets/toilets/toilets.csv"
t_true "download is the committed bytes (PDF in a subfolder)" cmp -s "$R/datasets/guide/docs/guide.pdf" "$S/datasets/guide/docs/guide.pdf"
# With base_url the published descriptor is the committed one normalised:
# local paths made absolute URLs, bytes and hash filled in, all else kept.
t_eq "published datapackage.json keeps the committed keys (path, bytes, hash aside)" \
	"$(jq -cS 'del(.resources[] | .path, .bytes, .hash)' "$S/datasets/guide/datapackage.json")" \
	"$(jq -cS 'del(.resources[] | .path, .bytes, .hash)' "$R/datasets/guide/datapackage.json")"
t_eq "published datapackage.json: local path is base_url + datasets/<slug>/ + path" \
	"$(jq -r '.resources[0].path' "$S/datasets/guide/datapackage.json")" \
	"https://opendata.example.jp/datasets/guide/$(jq -r '.resources[0].path' "$R/datasets/guide/datapackage.json")"
t_eq "published datapackage.json: URL resource unchanged" \
	"$(jq -c '.resources[1]' "$S/datasets/guide/datapackage.json")" "$(jq -c '.resources[1]' "$R/datasets/guide/datapackage.json")"
t_eq "published datapackage.json: bytes and hash of the file" \
	"$(jq -r '.resources[0] | "\(.bytes) \(.hash)"' "$S/datasets/guide/datapackage.json")" \
	"$(stat -c %s "$R/datasets/guide/docs/guide.pdf") sha256:$(sha256sum "$R/datasets/guide/docs/guide.pdf" | cut -d' ' -f1)"
sha=$(sha256sum "$R/datasets/guide/docs/guide.pdf" | cut -d' ' -f1)
t_grep "non-CSV resource shows its sha256" "$S/datasets/guide/index.html" "$sha"
t_grep "non-CSV resource shows its size" "$S/datasets/guide/index.html" "$(stat -c %s "$R/datasets/guide/docs/guide.pdf") B"
t_grep "URL resource is linked" "$S/datasets/guide/index.html" 'href="https://api.example.jp/v1/guide"'
t_nofile "URL resource is not downloaded" "$S/datasets/guide/https:"

# data.json
t_true "data.json is JSON" jq -e . "$S/data.json" >/dev/null
t_eq "data.json lists every dataset" "$(jq '.dataset | length' "$S/data.json")" 2
t_eq "data.json conformsTo DCAT-US 1.1" "$(jq -r .conformsTo "$S/data.json")" "https://project-open-data.cio.gov/v1.1/schema"
t_eq "data.json identifier is the dataset URL" "$(jq -r '.dataset[1].identifier' "$S/data.json")" "https://opendata.example.jp/datasets/toilets/"
t_eq "data.json downloadURL" "$(jq -r '.dataset[1].distribution[0].downloadURL' "$S/data.json")" "https://opendata.example.jp/datasets/toilets/toilets.csv"
t_eq "data.json mediaType" "$(jq -r '.dataset[1].distribution[0].mediaType' "$S/data.json")" "text/csv"
t_eq "data.json hasEmail" "$(jq -r '.dataset[0].contactPoint.hasEmail' "$S/data.json")" "mailto:plan@example.jp"
t_eq "data.json modified from datapackage" "$(jq -r '.dataset[1].modified' "$S/data.json")" "2025-03-31"
t_eq "data.json modified falls back to the commit date" "$(jq -r '.dataset[0].modified' "$S/data.json")" "2025-04-01"
t_eq "data.json every dataset has accessLevel" "$(jq '[.dataset[] | select(.accessLevel == "public")] | length' "$S/data.json")" 2
t_eq "data.json API link is an accessURL" "$(jq -r '.dataset[0].distribution[1].accessURL' "$S/data.json")" "https://api.example.jp/v1/guide"
odc build --repo "$R" --out "$T_TMP/site-b" --base-url https://data.example.org/cat
t_eq "--base-url overrides odcat.json" "$(jq -r '.dataset[1].identifier' "$T_TMP/site-b/data.json")" "https://data.example.org/cat/datasets/toilets/"

# ---------------------------------------------------------------- determinism
odc build --repo "$R" --out "$T_TMP/site2"
t_true "two builds of one commit are byte-identical" diff -r "$S" "$T_TMP/site2"
t_eq "no staging folders are left behind" "$(ls -d "$T_TMP"/site.tmp-* "$T_TMP"/site2.tmp-* 2>/dev/null | wc -l)" 0

# ---------------------------------------------------------------- only committed content
printf '名称,緯度\n未コミットのトイレ,35.6\n' >"$R/datasets/toilets/toilets.csv"
odc build --repo "$R" --out "$S"
t_nogrep "an uncommitted edit is not published" "$S/datasets/toilets/toilets.csv" "未コミット"
odc build --repo "$R" --out "$T_TMP/site-wt" --worktree
t_grep "--worktree previews the uncommitted edit" "$T_TMP/site-wt/datasets/toilets/toilets.csv" "未コミット"
commit_all "$R" "update toilets"
odc build --repo "$R" --out "$S"
t_grep "a committed edit is published" "$S/datasets/toilets/toilets.csv" "未コミット"
odc build --repo "$R" --ref HEAD~1 --out "$T_TMP/site-old"
t_nogrep "--ref builds an older commit" "$T_TMP/site-old/datasets/toilets/toilets.csv" "未コミット"
git -C "$R" rm -q -r datasets/guide
commit_all "$R" "remove guide"
odc build --repo "$R" --out "$S"
t_nofile "files of a removed dataset disappear" "$S/datasets/guide/guide.pdf"
# ... but its URL keeps a withdrawn page (tests/e2e/history.sh checks it).
t_grep "a removed dataset leaves a withdrawn page" "$S/datasets/guide/index.html" "withdrawn"

# ---------------------------------------------------------------- large files from git
# Files of 1 MiB and more are inflated by odcat itself when they are loose
# objects, and by libgit2 when packed: both must give the committed bytes.
L=$T_TMP/large
new_repo "$L"
write_catalog "$L"
awk 'BEGIN { print "名称,緯度"; for (i = 0; i < 120000; i++) printf "トイレ%d,%d.%04d\n", i, 35, i % 10000 }' >"$L/datasets/toilets/toilets.csv"
commit_all "$L" "large csv"
odc build --repo "$L" --out "$T_TMP/site-large"
t_rc "a large CSV (loose object) builds" 0
t_true "a large loose object is published byte for byte" cmp -s "$L/datasets/toilets/toilets.csv" "$T_TMP/site-large/datasets/toilets/toilets.csv"
t_grep "a large loose object is validated row by row" "$T_TMP/site-large/en/datasets/toilets/index.html" "<dd>120,000</dd>"
git -C "$L" gc -q
odc build --repo "$L" --out "$T_TMP/site-large2"
t_true "a large packed object is published byte for byte" cmp -s "$L/datasets/toilets/toilets.csv" "$T_TMP/site-large2/datasets/toilets/toilets.csv"
t_true "loose and packed builds are identical" diff -r "$T_TMP/site-large" "$T_TMP/site-large2"

# ---------------------------------------------------------------- escaping
E=$T_TMP/esc
new_repo "$E"
write_catalog "$E"
cat >"$E/datasets/toilets/README.md" <<'MD'
# Hello

<script>alert("readme")</script>
<img src=x onerror="alert(1)">
<div onclick="alert(2)">raw div</div>

[click](javascript:alert(3))
MD
jq '.title.ja = "<script>alert(\"title\")</script>" | .keywords.ja = ["<b>kw</b>"]' \
	"$E/datasets/toilets/datapackage.json" >"$E/tmp.json" && mv "$E/tmp.json" "$E/datasets/toilets/datapackage.json"
commit_all "$E" "hostile"
odc build --repo "$E" --out "$T_TMP/site-esc"
P=$T_TMP/site-esc/datasets/toilets/index.html
t_rc "hostile README builds" 0
t_nogrep "README <script> is not in the page" "$P" '<script>alert("readme")'
t_nogrep "README raw <img onerror> is not in the page" "$P" 'onerror='
t_nogrep "README raw onclick is not in the page" "$P" 'onclick='
t_nogrep "javascript: link is not in the page" "$P" 'javascript:'
t_grep "a title with <script> is shown escaped" "$P" '&lt;script&gt;alert(&quot;title&quot;)&lt;/script&gt;'
t_nogrep "a title with <script> is not markup" "$P" '<script>alert("title")'
t_grep "a keyword with markup is escaped on the home page" "$T_TMP/site-esc/index.html" '&lt;b&gt;kw&lt;/b&gt;'
t_nogrep "no script element from data anywhere in the home page" "$T_TMP/site-esc/index.html" '<script>alert'

# ---------------------------------------------------------------- catalogue-level problems: exit 2, --out untouched
keep=$T_TMP/keep
mkdir -p "$keep" && echo precious >"$keep/marker"
mkdir -p "$T_TMP/notrepo"
odc build --repo "$T_TMP/notrepo" --out "$keep"
t_rc "not a git repository exits 2" 2
t_err "not a git repository is said" "not a git repository"
odc build --repo "$R" --ref no-such-branch --out "$keep"
t_rc "unknown ref exits 2" 2
t_err "unknown ref is named" "no-such-branch"
N=$T_TMP/noconf
new_repo "$N"
write_catalog "$N"
rm "$N/odcat.json"
commit_all "$N" "no odcat.json"
odc build --repo "$N" --out "$keep"
t_rc "missing odcat.json exits 2" 2
t_err "missing odcat.json is said" "odcat.json: not found"
printf '{\n  "title": "x",\n  "languages": ["ja" "en"]\n}\n' >"$N/odcat.json"
commit_all "$N" "broken odcat.json"
odc build --repo "$N" --out "$keep"
t_rc "malformed odcat.json exits 2" 2
t_err "malformed odcat.json gives line:column" "odcat.json:3:"
printf '{"description": "no title"}\n' >"$N/odcat.json"
commit_all "$N" "odcat.json without title"
odc build --repo "$N" --out "$keep"
t_rc "odcat.json without title exits 2" 2
t_err "odcat.json without title is said" '"title" is missing'
U=$T_TMP/unborn
new_repo "$U"
write_catalog "$U"
odc build --repo "$U" --out "$keep"
t_rc "a repository without commits exits 2" 2
t_err "a repository without commits gets a hint" "no commits yet"
odc build --repo "$R" --out "$keep" --theme "$T_TMP/no-such-theme"
t_rc "a missing theme exits 2" 2
t_eq "--out is untouched after every fatal error" "$(ls -A "$keep")" "marker"
t_eq "no staging folders after fatal errors" "$(ls -d "$keep".tmp-* 2>/dev/null | wc -l)" 0

# ---------------------------------------------------------------- dataset-level problems: dropped, the rest is built
B=$T_TMP/bad
new_repo "$B"
write_catalog "$B"
# 1. no datapackage.json
mkdir -p "$B/datasets/no-descriptor" && echo "# x" >"$B/datasets/no-descriptor/README.md"
# 2. malformed JSON (line 3, column 3)
mkdir -p "$B/datasets/bad-json"
printf '{\n  "title": "x",\n  oops\n}\n' >"$B/datasets/bad-json/datapackage.json"
# 3-5. resource paths: missing, absolute, ..
mk_res() { # SLUG PATH
	mkdir -p "$B/datasets/$1"
	jq --arg p "$2" '.resources[0].path = $p' "$B/datasets/toilets/datapackage.json" >"$B/datasets/$1/datapackage.json"
}
mk_res missing-file nope.csv
mk_res absolute-path /etc/passwd
mk_res dotdot-path ../toilets/toilets.csv
mk_res backslash-path 'a\b.csv'
# 6. bad slugs
mkdir -p "$B/datasets/Bad_Slug" "$B/datasets/-dash"
cp "$B/datasets/toilets/datapackage.json" "$B/datasets/toilets/toilets.csv" "$B/datasets/Bad_Slug/"
cp "$B/datasets/toilets/datapackage.json" "$B/datasets/toilets/toilets.csv" "$B/datasets/-dash/"
# 7. a symlink where a file is expected (resource) and a symlinked README
mkdir -p "$B/datasets/symlinked"
cp "$B/datasets/toilets/datapackage.json" "$B/datasets/symlinked/"
ln -s ../toilets/toilets.csv "$B/datasets/symlinked/toilets.csv"
mkdir -p "$B/datasets/symlinked-readme"
cp "$B/datasets/toilets/datapackage.json" "$B/datasets/toilets/toilets.csv" "$B/datasets/symlinked-readme/"
ln -s /etc/passwd "$B/datasets/symlinked-readme/README.md"
# 8. a symlink as a dataset folder
ln -s toilets "$B/datasets/linked-dataset"
# 9. README over 1 MB, README with a 129-cell table delimiter row
mkdir -p "$B/datasets/huge-readme" "$B/datasets/wide-table"
cp "$B/datasets/toilets/datapackage.json" "$B/datasets/toilets/toilets.csv" "$B/datasets/huge-readme/"
cp "$B/datasets/toilets/datapackage.json" "$B/datasets/toilets/toilets.csv" "$B/datasets/wide-table/"
head -c 1100000 /dev/zero | tr '\0' 'a' >"$B/datasets/huge-readme/README.md"
{
	echo "# wide"
	echo
	printf '| c %.0s' $(seq 129); echo '|'
	printf '| --- %.0s' $(seq 129); echo '|'
} >"$B/datasets/wide-table/README.md"
# 10. a broken CSV (stray quote), an undeclared Shift_JIS CSV
mkdir -p "$B/datasets/broken-csv" "$B/datasets/sjis-undeclared"
cp "$B/datasets/toilets/datapackage.json" "$B/datasets/broken-csv/"
printf '名称,緯度\n"open,35.5\nx,1\n' >"$B/datasets/broken-csv/toilets.csv"
cp "$B/datasets/toilets/datapackage.json" "$B/datasets/sjis-undeclared/"
printf '\x96\xbc\x8f\xcc,\x88\xdc\x93\x78\n\x8c\xf6\x89\x80,35.5\n' >"$B/datasets/sjis-undeclared/toilets.csv"
# 11. missing required metadata; unknown publisher
mkdir -p "$B/datasets/no-title"
jq 'del(.title)' "$B/datasets/toilets/datapackage.json" >"$B/datasets/no-title/datapackage.json"
cp "$B/datasets/toilets/toilets.csv" "$B/datasets/no-title/"
mkdir -p "$B/datasets/unknown-publisher"
jq '.publisher = "nobody"' "$B/datasets/toilets/datapackage.json" >"$B/datasets/unknown-publisher/datapackage.json"
cp "$B/datasets/toilets/toilets.csv" "$B/datasets/unknown-publisher/"
commit_all "$B" "bad datasets"
# 12. a submodule where a file is expected
sub=$(git -C "$B" rev-parse HEAD)
mkdir -p "$B/datasets/submodule"
cp "$B/datasets/toilets/datapackage.json" "$B/datasets/submodule/"
git -C "$B" add datasets/submodule/datapackage.json
git -C "$B" update-index --add --cacheinfo "160000,$sub,datasets/submodule/toilets.csv"
GIT_COMMITTER_DATE="2025-04-01T09:00:00+09:00" git -C "$B" commit -q -m "submodule"

BS=$T_TMP/site-bad
odc build --repo "$B" --out "$BS"
t_rc "dataset problems do not stop the build" 0
t_file "the good datasets are still built" "$BS/datasets/toilets/index.html"
t_file "the good datasets are still built (2)" "$BS/datasets/guide/index.html"
t_eq "data.json lists only the good datasets" "$(jq -c '[.dataset[].identifier]' "$BS/data.json")" '["https://opendata.example.jp/datasets/guide/","https://opendata.example.jp/datasets/toilets/"]'
for s in no-descriptor bad-json missing-file absolute-path dotdot-path backslash-path Bad_Slug -dash symlinked \
	symlinked-readme linked-dataset huge-readme wide-table broken-csv sjis-undeclared no-title unknown-publisher submodule; do
	t_nofile "dataset $s is not published" "$BS/datasets/$s"
done
t_err "no datapackage.json is named" "datasets/no-descriptor/datapackage.json: odcat-missing-datapackage:"
t_err "malformed JSON has line:column" "datasets/bad-json/datapackage.json:3:"
t_err "missing resource file is named" "file datasets/missing-file/nope.csv is not in the revision"
t_err "absolute resource path is refused" 'path "/etc/passwd" is not allowed'
t_err "'..' in a resource path is refused" 'path "../toilets/toilets.csv" is not allowed'
t_err "backslash in a resource path is refused" 'path "a\b.csv" is not allowed'
t_err "bad slug is refused" '"Bad_Slug" is not a valid slug'
t_err "slug starting with - is refused" '"-dash" is not a valid slug'
t_err "symlinked resource is refused" "datasets/symlinked/toilets.csv is a symbolic link"
t_err "symlinked README is refused" "datasets/symlinked-readme/README.md: odcat-unsafe-path: README.md is not a regular file"
t_err "symlinked dataset folder is refused" "datasets/linked-dataset is a symbolic link"
t_err "README over 1 MB is refused" "datasets/huge-readme/README.md: odcat-readme-too-large: README is 1100000 bytes"
t_err "README with a 129-column table is refused with its line" "datasets/wide-table/README.md:4:1: odcat-readme-table-too-wide: README table has 129 columns"
t_err "broken CSV is reported" "datasets/broken-csv/toilets.csv"
t_err "undeclared Shift_JIS gets the hint" "looks like Shift_JIS"
t_err "missing title is reported" '"title" is missing'
t_err "unknown publisher is reported" 'publisher "nobody" is not a department'
t_err "submodule is refused" "datasets/submodule/toilets.csv is a submodule"
t_err "every dropped dataset is summarised" 'dataset "broken-csv" is not published'
odc build --repo "$B" --out "$T_TMP/site-bad2" --strict
t_rc "--strict exits 1 when a dataset is not published" 1

t_summary
