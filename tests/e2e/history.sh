#!/usr/bin/env bash
# history.sh — what the git history gives: dates, change history, last known
# good, redirect and withdrawn pages, Atom feeds, shallow clones.
#
# A scripted history: each commit has its own dates (at() sets both author
# and committer date), so every expected date below is known by hand.
T_SUITE=history
. "$(dirname "$0")/../lib.sh"

R=$T_TMP/repo
at() { # DATE MESSAGE — commit everything at DATE (JST)
	git -C "$R" add -A
	GIT_AUTHOR_DATE="$1T10:00:00+09:00" GIT_COMMITTER_DATE="$1T10:00:00+09:00" \
		git -C "$R" commit -q -m "$2"
}
dp() { # SLUG TITLE [EXTRA-JSON]
	mkdir -p "$R/datasets/$1"
	jq -n --arg s "$1" --arg t "$2" --argjson x "${3:-{\}}" '{name: $s, title: $t,
	  description: "A dataset of the scripted history, described at some length.",
	  keywords: ["k"], publisher: "p", accrualPeriodicity: "monthly",
	  resources: [{name: "d", path: "d.csv", format: "csv",
	    schema: {fields: [{name: "n", type: "integer"}]}}]} + $x' >"$R/datasets/$1/datapackage.json"
}

minimal_catalog "$R"
rm -rf "$R/datasets/plain"
jq '. + {base_url: "https://example.jp/", target: 5,
  publishers: {p: {name: {ja: "課", en: "Division"}, email: "p@example.jp"}}}' "$R/odcat.json" >"$R/o" && mv "$R/o" "$R/odcat.json"
dp alpha "Alpha"
printf 'n\n1\n2\n' >"$R/datasets/alpha/d.csv"
at 2025-01-15 "Add alpha"
dp beta "Beta"
printf 'n\n1\n' >"$R/datasets/beta/d.csv"
at 2025-02-10 "Add beta"
printf 'n\n1\n2\n3\n4\n' >"$R/datasets/alpha/d.csv"
at 2025-03-05 "Alpha: two more rows <b>&amp;</b>"
dp gamma "Gamma"
printf 'n\n1\n' >"$R/datasets/gamma/d.csv"
at 2025-03-20 "Add gamma"
# beta breaks in the newest commit; gamma is removed; delta never passes;
# alpha is renamed... no: epsilon takes over the old slug "old-eps".
printf 'n\nnot-a-number\n' >"$R/datasets/beta/d.csv"
git -C "$R" rm -q -r datasets/gamma
dp delta "Delta"
printf 'n\nx\n' >"$R/datasets/delta/d.csv"
dp epsilon "Epsilon" '{"redirect_from": ["old-eps", "alpha"]}'
printf 'n\n7\n' >"$R/datasets/epsilon/d.csv"
printf 'n\n1\n2\n3\n4\n5\n' >"$R/datasets/alpha/d.csv"
at 2025-04-02 "Break beta, withdraw gamma, add delta and epsilon"

S=$T_TMP/site
odc build --repo "$R" --out "$S" --report "$T_TMP/report.json"
t_rc "a held-back dataset does not fail the build without --strict" 0
t_err "the build says one dataset is held back" "1 dataset held back"
t_err "held back is a warning naming both commits" "warning: odcat-held-back"

# Dates: issued = the commit that added the folder, modified = the last change.
t_eq "data.json: alpha issued when added" "$(jq -r '.dataset[] | select(.identifier|endswith("alpha/")) | .issued' "$S/data.json")" "2025-01-15"
t_eq "data.json: alpha modified at its last change" "$(jq -r '.dataset[] | select(.identifier|endswith("alpha/")) | .modified' "$S/data.json")" "2025-04-02"
t_grep "page: issued row" "$S/en/datasets/alpha/index.html" "<th scope=\"row\">Published</th><td>2025-01-15</td>"
t_grep "page: modified row" "$S/en/datasets/alpha/index.html" "<th scope=\"row\">Last updated</th><td>2025-04-02</td>"
t_grep "schema.org datePublished" "$S/datasets/alpha/index.html" '"datePublished":"2025-01-15"'
t_grep "DCAT-AP issued" "$S/datasets/alpha/dataset.ttl" '"2025-01-15"^^xsd:date'
# A date in datapackage.json wins over the history.
jq '. + {issued: "2020-01-01"}' "$R/datasets/epsilon/datapackage.json" >"$R/x" && mv "$R/x" "$R/datasets/epsilon/datapackage.json"
at 2025-04-03 "Epsilon: issued as declared"
odc build --repo "$R" --out "$S" --report "$T_TMP/report.json"
t_eq "datapackage.json issued overrides the history" "$(jq -r '.dataset[] | select(.identifier|endswith("epsilon/")) | .issued' "$S/data.json")" "2020-01-01"
t_eq "... and modified still comes from it" "$(jq -r '.dataset[] | select(.identifier|endswith("epsilon/")) | .modified' "$S/data.json")" "2025-04-03"

# Change history on the page: newest first, summary, author, rows.
A=$S/en/datasets/alpha/index.html
t_grep "change history section" "$A" '<h2 id="history-heading">Change history</h2>'
t_eq "alpha has three changes" "$(grep -c '<time datetime=' "$A")" 3
t_grep "newest change first, with its summary" "$A" '<time datetime="2025-04-02">2025-04-02</time> <span class="history-summary">Break beta, withdraw gamma, add delta and epsilon</span>'
t_grep "author name" "$A" "— Test Steward"
t_nogrep "never the e-mail" "$A" "steward@example.jp"
t_grep "rows added by a change (4 → 5 rows)" "$A" "<code class=\"break\">d.csv</code>: changed +1 −0"
t_grep "the first change adds the dataset" "$A" "dataset added"
t_grep "rows of a new file" "$A" "<code class=\"break\">d.csv</code>: added +2"

# Last known good: beta's newest revision fails; its 2025-02-10 one is published.
B=$S/en/datasets/beta/index.html
t_file "beta stays published" "$B"
t_grep "beta: marked update pending" "$B" "Update pending:"
t_grep "beta (ja): 更新保留中" "$S/datasets/beta/index.html" "更新保留中："
t_grep "beta: the published CSV is the good one" "$S/datasets/beta/d.csv" "1"
t_nogrep "beta: not the broken one" "$S/datasets/beta/d.csv" "not-a-number"
t_eq "beta: modified = the published revision's date" "$(jq -r '.dataset[] | select(.identifier|endswith("beta/")) | .modified' "$S/data.json")" "2025-02-10"
t_eq "report: beta held back" "$(jq -r '.datasets[] | select(.dataset=="beta") | .status' "$T_TMP/report.json")" "held back"
t_eq "report: the held-back commit" "$(jq -r '.datasets[] | select(.dataset=="beta") | .held_back_commit' "$T_TMP/report.json")" "$(git -C "$R" log --format=%H -1 --before=2025-04-02T23:00+09:00 -- datasets/beta)"
t_eq "report: the published commit" "$(jq -r '.datasets[] | select(.dataset=="beta") | .published_commit' "$T_TMP/report.json")" "$(git -C "$R" log --format=%H --grep='Add beta')"
t_grep "DCAT-AP lists beta" "$S/catalog.ttl" "datasets/beta/"
odc build --repo "$R" --out "$T_TMP/site-strict" --strict
t_rc "--strict: a held-back dataset exits 1" 1

# Never passed: not published, reported.
t_nofile "delta never passed: no page" "$S/datasets/delta/index.html"
t_eq "report: delta not published" "$(jq -r '.datasets[] | select(.dataset=="delta") | .status' "$T_TMP/report.json")" "not published"

# Removed: leaves the catalogue and DCAT, keeps a withdrawn page.
G=$S/en/datasets/gamma/index.html
t_grep "gamma: withdrawn page" "$G" "This dataset has been withdrawn."
t_grep "gamma: withdrawn on the removing commit's date" "$G" '<time datetime="2025-04-02">2025-04-02</time>'
t_grep "gamma: links its last published metadata" "$G" 'datasets/gamma/datapackage.json'
t_eq "gamma: that metadata is the last published revision's" "$(jq -r .title "$S/datasets/gamma/datapackage.json")" "Gamma"
t_grep "gamma (ja): 公開終了" "$S/datasets/gamma/index.html" "公開を終了しました"
t_eq "gamma not in data.json" "$(jq '[.dataset[] | select(.identifier|endswith("gamma/"))] | length' "$S/data.json")" 0
t_nogrep "gamma not in catalog.ttl" "$S/catalog.ttl" "datasets/gamma/"
t_nogrep "gamma not in the dataset list" "$S/datasets/index.html" "gamma"
t_nogrep "gamma not in the sitemap" "$S/sitemap.xml" "datasets/gamma/"
t_eq "report: gamma withdrawn" "$(jq -c '.withdrawn | map([.dataset, .withdrawn, .last_published_commit == "'"$(git -C "$R" log --format=%H --grep='Add gamma')"'"])' "$T_TMP/report.json")" '[["gamma","2025-04-02",true]]'
t_eq "report: the redirect" "$(jq -c .redirects "$T_TMP/report.json")" '[{"from":"old-eps","to":"epsilon"}]'

# Redirect: epsilon's old slug; a live slug ("alpha") is refused with a warning.
X=$S/datasets/old-eps/index.html
t_grep "redirect: meta refresh" "$X" '<meta http-equiv="refresh" content="0; url=../epsilon/">'
t_grep "redirect: canonical" "$X" '<link rel="canonical" href="https://example.jp/datasets/epsilon/">'
t_grep "redirect: a link to follow" "$X" '<a href="../epsilon/">Epsilon</a>'
t_file "redirect: English twin" "$S/en/datasets/old-eps/index.html"
t_err "redirect_from a live dataset is refused" "odcat-redirect-conflict"
t_grep "alpha's own page is not replaced" "$S/datasets/alpha/index.html" "Alpha"
t_nogrep "redirects are not in the sitemap" "$S/sitemap.xml" "old-eps"
t_eq "no redirect in data.json" "$(jq '[.dataset[] | select(.identifier|endswith("old-eps/"))] | length' "$S/data.json")" 0

# Atom feeds: well-formed, Atom 1.0 required elements, deterministic.
if command -v xmllint >/dev/null; then
	t_true "feed.xml is well-formed XML" xmllint --noout "$S/feed.xml"
	t_true "publisher feed is well-formed" xmllint --noout "$S/publishers/p/feed.xml"
	ns='declare namespace a="http://www.w3.org/2005/Atom";'
	xp() { xmllint --xpath "$1" "$2" 2>/dev/null; }
	t_eq "feed: one id, title, updated" "$(xp 'concat(count(/*[local-name()="feed"]/*[local-name()="id"]),count(/*[local-name()="feed"]/*[local-name()="title"]),count(/*[local-name()="feed"]/*[local-name()="updated"]))' "$S/feed.xml")" "111"
	t_eq "feed: every entry has id, title, updated, author" "$(xp 'count(//*[local-name()="entry"][*[local-name()="id"] and *[local-name()="title"] and *[local-name()="updated"] and *[local-name()="author"]/*[local-name()="name"]])' "$S/feed.xml")" "$(xp 'count(//*[local-name()="entry"])' "$S/feed.xml")"
	t_eq "feed: updated is the newest change" "$(xp 'string(/*[local-name()="feed"]/*[local-name()="updated"])' "$S/feed.xml")" "2025-04-03T10:00:00+09:00"
	: "$ns"
fi
t_grep "page: a commit summary is escaped" "$A" "Alpha: two more rows &lt;b&gt;&amp;amp;&lt;/b&gt;"
t_grep "feed: a commit summary is escaped" "$S/feed.xml" "Alpha: two more rows &lt;b&gt;&amp;amp;&lt;/b&gt;"
t_eq "feed: entry ids are unique" "$(sed -n 's|.*<entry>||; s|^ *<id>\(.*\)</id>$|\1|p' "$S/feed.xml" | sort | uniq -d)" ""
t_eq "feed: every updated is an RFC 3339 date-time" \
	"$(grep -o '<updated>[^<]*</updated>' "$S/feed.xml" | grep -cvE '<updated>[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}([+-][0-9]{2}:[0-9]{2}|Z)</updated>')" 0
t_grep "feed: the publisher feed links the publisher's page" "$S/publishers/p/feed.xml" '<link rel="alternate" type="text/html" href="https://example.jp/publishers/p/"/>'
t_grep "feed: Atom namespace" "$S/feed.xml" '<feed xmlns="http://www.w3.org/2005/Atom"'
t_grep "feed: a change entry links its dataset" "$S/feed.xml" '<link rel="alternate" type="text/html" href="https://example.jp/datasets/alpha/"/>'
t_nogrep "feed: not the held-back change of beta" "$S/feed.xml" "datasets/beta/#change-$(git -C "$R" log --format=%h --abbrev=12 -1 --grep='Break beta')"
t_grep "feed: beta's published change" "$S/feed.xml" "datasets/beta/#change-$(git -C "$R" log --format=%h --abbrev=12 -1 --grep='Add beta')"
odc build --repo "$R" --out "$T_TMP/site2"
t_true "feed.xml is the same in two builds" cmp -s "$S/feed.xml" "$T_TMP/site2/feed.xml"
t_true "stats page is the same in two builds" cmp -s "$S/stats/index.html" "$T_TMP/site2/stats/index.html"

# The build cache: a rebuild that reuses every dataset gives the same site
# (dates and change histories included) as a build without the cache.
odc build --repo "$R" --out "$T_TMP/site-c" --cache "$T_TMP/cache"
odc build --repo "$R" --out "$T_TMP/site-c" --cache "$T_TMP/cache"
t_err "second cached build reuses the datasets" "reused from the cache"
odc build --repo "$R" --out "$T_TMP/site-nc" --no-cache
t_true "cached rebuild = uncached build" diff -r "$T_TMP/site-c" "$T_TMP/site-nc"
t_grep "cached rebuild keeps the history dates" "$T_TMP/site-c/data.json" '"issued": "2025-01-15"'

# The cache keeps which revisions passed (history.json): a later build
# takes those answers instead of validating again — shown by altering one —
# unless the file comes from another odcat version.
t_grep "the validity file" "$T_TMP/cache/history.json" '"odcat":"'
jan=$(git -C "$R" rev-list -1 --before=2025-01-31T23:59:59+09:00 HEAD)
key="alpha/$(git -C "$R" rev-parse "$jan:datasets/alpha")/$(git -C "$R" rev-parse "$jan:odcat.json")"
t_grep "January's alpha is in it, valid" "$T_TMP/cache/history.json" "\"$key\":[true,\"p\"]"
t_grep "January before: 1" "$T_TMP/site-c/en/stats/index.html" '<tr><th scope="row">2025-01</th><td>1</td></tr>'
sed -i "s|\"$key\":\[true,\"p\"\]|\"$key\":[false,\"\"]|" "$T_TMP/cache/history.json"
odc build --repo "$R" --out "$T_TMP/site-c" --cache "$T_TMP/cache"
t_grep "the kept answer is used" "$T_TMP/site-c/en/stats/index.html" '<tr><th scope="row">2025-01</th><td>0</td></tr>'
sed -i "s|\"$key\":\[true,\"p\"\]|\"$key\":[false,\"\"]|; s|\"odcat\":\"[^\"]*\"|\"odcat\":\"0.0.0-other\"|" "$T_TMP/cache/history.json"
odc build --repo "$R" --out "$T_TMP/site-c" --cache "$T_TMP/cache"
t_grep "another version's answers are not" "$T_TMP/site-c/en/stats/index.html" '<tr><th scope="row">2025-01</th><td>1</td></tr>'
t_grep "... and the file is this version's again" "$T_TMP/cache/history.json" "\"$key\":[true,\"p\"]"
# Nothing new to keep: the file is not written again (a rename would give
# it another inode); one with an entry that cannot be read is written
# again without it, and the answers in it still serve.
ino=$(stat -c %i "$T_TMP/cache/history.json")
odc build --repo "$R" --out "$T_TMP/site-c" --cache "$T_TMP/cache"
t_eq "nothing new: the validity file is left as it is" "$(stat -c %i "$T_TMP/cache/history.json")" "$ino"
sed -i 's|"entries":{|"entries":{"alpha/not-a-tree/x":[true,"p"],|' "$T_TMP/cache/history.json"
sed -i "s|\"$key\":\[true,\"p\"\]|\"$key\":[false,\"\"]|" "$T_TMP/cache/history.json"
odc build --repo "$R" --out "$T_TMP/site-c" --cache "$T_TMP/cache"
t_nogrep "an unreadable entry is dropped" "$T_TMP/cache/history.json" "not-a-tree"
t_grep "... the others are kept" "$T_TMP/cache/history.json" "\"$key\":[false,\"\"]"
t_grep "... and used" "$T_TMP/site-c/en/stats/index.html" '<tr><th scope="row">2025-01</th><td>0</td></tr>'
t_true "... and the file is JSON" python3 -c 'import json,sys; json.load(open(sys.argv[1]))' "$T_TMP/cache/history.json"
# odcat reads its own compact form directly; any other JSON form of the
# same answers (indented, a publisher written with an escape) is read too.
python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); open(sys.argv[1],"w").write(json.dumps(d, indent=1).replace("\"p\"", "\"\\u0070\""))' "$T_TMP/cache/history.json"
t_grep "the file indented, with an escape" "$T_TMP/cache/history.json" '"\u0070"'
odc build --repo "$R" --out "$T_TMP/site-c" --cache "$T_TMP/cache"
t_grep "... its answers are used" "$T_TMP/site-c/en/stats/index.html" '<tr><th scope="row">2025-01</th><td>0</td></tr>'

# --now sets "today"; a bad one is a usage error.
odc build --repo "$R" --out "$T_TMP/site-now" --now 2025-13-01
t_rc "--now must be a date" 2
odc build --repo "$R" --out "$T_TMP/site-now" --now 2030-01-02
t_grep "--now is the catalogue's modified date" "$T_TMP/site-now/catalog.ttl" '"2030-01-02"^^xsd:date'
t_nogrep "without --now, the commit's date" "$S/catalog.ttl" '"2030-01-02"'
t_grep "... which is the last commit's" "$S/catalog.ttl" '"2025-04-03"^^xsd:date'
t_eq "--now: the stats page's today" "$(grep -o '<span class="hint">([0-9-]*)</span>' "$T_TMP/site-now/en/stats/index.html")" '<span class="hint">(2030-01-02)</span>'

# Shallow clone: refused (exit 2, output untouched) unless --allow-shallow.
C=$T_TMP/shallow
git clone -q --depth 1 "file://$R" "$C" 2>/dev/null
mkdir -p "$T_TMP/site-sh" && echo keep >"$T_TMP/site-sh/marker"
odc build --repo "$C" --out "$T_TMP/site-sh"
t_rc "shallow clone: exit 2" 2
t_err "shallow clone: a hint" "--allow-shallow"
t_file "shallow clone: output untouched" "$T_TMP/site-sh/marker"
odc build --repo "$C" --out "$T_TMP/site-sh" --allow-shallow
t_rc "--allow-shallow builds" 0
t_err "--allow-shallow still warns" "odcat-shallow-clone"
odc stats --repo "$C"
t_rc "stats on a shallow clone: exit 2" 2
odc stats --repo "$C" --allow-shallow
t_rc "stats --allow-shallow" 0

# Worktree: history is HEAD's; an uncommitted dataset has no history dates.
dp zeta "Zeta"
printf 'n\n1\n' >"$R/datasets/zeta/d.csv"
odc build --repo "$R" --out "$T_TMP/site-wt" --worktree
t_rc "worktree build" 0
t_nogrep "worktree: an uncommitted dataset has no change history" "$T_TMP/site-wt/en/datasets/zeta/index.html" "Change history"
t_grep "worktree: committed datasets keep theirs" "$T_TMP/site-wt/en/datasets/alpha/index.html" "Change history"

# Merges: a change made on a branch is listed once, at its own commit; the
# merge commit is no change of the dataset (it equals one parent there).
M=$T_TMP/merge
minimal_catalog "$M"
R=$M
at 2025-05-01 "add plain"
git -C "$M" checkout -q -b feature
printf 'a,b\n1,2\n3,4\n' >"$M/datasets/plain/plain.csv"
at 2025-05-03 "plain: one more row (on a branch)"
git -C "$M" checkout -q main
dp other "Other"
printf 'n\n1\n' >"$M/datasets/other/d.csv"
jq 'del(.publisher)' "$M/datasets/other/datapackage.json" >"$M/x" && mv "$M/x" "$M/datasets/other/datapackage.json"
at 2025-05-04 "add other"
GIT_AUTHOR_DATE="2025-05-06T10:00:00+09:00" GIT_COMMITTER_DATE="2025-05-06T10:00:00+09:00" \
	git -C "$M" merge -q --no-ff -m "Merge feature" feature
odc build --repo "$M" --out "$T_TMP/site-merge"
t_rc "merge history: build" 0
t_eq "merge: plain has two changes (added, branch commit), not the merge" \
	"$(grep -c '<time datetime=' "$T_TMP/site-merge/en/datasets/plain/index.html")" 2
t_eq "merge: plain modified = the branch commit's date" \
	"$(jq -r '.dataset[] | select(.identifier|endswith("plain/")) | .modified' "$T_TMP/site-merge/data.json")" "2025-05-03"
t_eq "merge: other added on main" \
	"$(jq -r '.dataset[] | select(.identifier|endswith("other/")) | .issued' "$T_TMP/site-merge/data.json")" "2025-05-04"
t_nogrep "merge: the merge commit is not listed" "$T_TMP/site-merge/en/datasets/plain/index.html" "Merge feature"

# The new pages are valid HTML (the Nu validator; normal build only).
if external_checks; then
	need_node_modules vnu-jar
	if command -v java >/dev/null; then
		t_true "vnu: held-back, withdrawn, redirect, history and stats pages are valid HTML" \
			java -jar "$TOP/tests/js/node_modules/vnu-jar/build/dist/vnu.jar" --errors-only \
			"$S/datasets/beta/index.html" "$S/en/datasets/gamma/index.html" "$S/datasets/old-eps/index.html" \
			"$S/en/datasets/alpha/index.html" "$S/stats/index.html" "$S/en/stats/index.html"
	fi
fi

t_summary
