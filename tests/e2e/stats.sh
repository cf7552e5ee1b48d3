#!/usr/bin/env bash
# stats.sh — odcat stats and the stats/ page: month-by-month counts from a
# scripted history (hand-checked below), added/updated/stale, and download
# counts from hand-written access logs (plain and gzip, with bots).
T_SUITE=stats
. "$(dirname "$0")/../lib.sh"

R=$T_TMP/repo
at() { # DATE MESSAGE
	git -C "$R" add -A
	GIT_AUTHOR_DATE="$1T10:00:00+09:00" GIT_COMMITTER_DATE="$1T10:00:00+09:00" \
		git -C "$R" commit -q -m "$2"
}
dp() { # SLUG PUBLISHER FREQUENCY [EXTRA-JSON]
	mkdir -p "$R/datasets/$1"
	jq -n --arg s "$1" --arg p "$2" --arg f "$3" --argjson x "${4:-{\}}" '{name: $s, title: ("T " + $s),
	  description: "A dataset of the scripted history, described at some length.",
	  keywords: ["k"], publisher: $p, accrualPeriodicity: $f,
	  resources: [{name: "d", path: "d.csv", format: "csv",
	    schema: {fields: [{name: "n", type: "integer"}]}}]} + $x' >"$R/datasets/$1/datapackage.json"
}
minimal_catalog "$R"
rm -rf "$R/datasets/plain"
jq '. + {base_url: "https://example.jp/od/", target: 10,
  publishers: {p: {name: {ja: "甲課", en: "Division P"}}, q: {name: {ja: "乙課", en: "Division Q"}}}}' \
	"$R/odcat.json" >"$R/o" && mv "$R/o" "$R/odcat.json"

dp a p annual '{"issued": "2024-05-01"}'; printf 'n\n1\n' >"$R/datasets/a/d.csv"
at 2025-01-10 "add a"
dp b q monthly; printf 'n\n1\n' >"$R/datasets/b/d.csv"
at 2025-01-25 "add b"
printf 'n\nbroken\n' >"$R/datasets/b/d.csv"
at 2025-02-05 "break b"
# (no commit in March: its state is February's)
printf 'n\n2\n' >"$R/datasets/b/d.csv"
dp c p monthly; printf 'n\nnever\n' >"$R/datasets/c/d.csv"
at 2025-04-03 "fix b, add c (invalid)"
dp d p irregular; printf 'n\n1\n' >"$R/datasets/d/d.csv"
at 2025-04-20 "add d"

# Hand count at each month's last commit: Jan a,b = 2; Feb a (b broken) = 1;
# Mar as Feb = 1; Apr a,b,d (c never valid) = 3. Per publisher in April: p 2, q 1.
odc stats --repo "$R" --format json
t_rc "stats exits 0" 0
printf '%s' "$OUT" >"$T_TMP/s.json"
t_eq "months and counts" "$(jq -c '[.months[] | [.month, .datasets]]' "$T_TMP/s.json")" \
	'[["2025-01",2],["2025-02",1],["2025-03",1],["2025-04",3]]'
t_eq "per publisher in January" "$(jq -c '.months[0].publishers' "$T_TMP/s.json")" '{"p":1,"q":1}'
t_eq "per publisher in February" "$(jq -c '.months[1].publishers' "$T_TMP/s.json")" '{"p":1}'
t_eq "per publisher in April" "$(jq -c '.months[3].publishers' "$T_TMP/s.json")" '{"p":2,"q":1}'
t_eq "today is the commit's date" "$(jq -r .today "$T_TMP/s.json")" "2025-04-20"
t_eq "target from odcat.json" "$(jq -r .target "$T_TMP/s.json")" 10
t_eq "published now" "$(jq -r .published "$T_TMP/s.json")" 3
t_eq "added this year: issued in 2025" "$(jq -c .added_this_year "$T_TMP/s.json")" '["b","d"]'
t_eq "updated this year: a (issued 2024)" "$(jq -c .updated_this_year "$T_TMP/s.json")" '["a"]'
t_eq "nothing stale on 2025-04-20" "$(jq -c .stale "$T_TMP/s.json")" '[]'

# On 2025-09-01, b (monthly, modified 2025-04-03: 151 days, 31 allowed) is
# 120 days overdue; a (annual) is not; d (irregular) never is.
odc stats --repo "$R" --format json --now 2025-09-01
t_eq "stale with --now" "$(jq -c '[.stale[] | [.dataset, .modified, .days_overdue]]' <<<"$OUT")" '[["b","2025-04-03",120]]'
t_eq "months run to --now" "$(jq -r '.months[-1].month' <<<"$OUT")" "2025-09"

odc stats --repo "$R" --format csv
t_eq "csv header" "$(printf '%s' "$OUT" | head -1 | tr -d '\r')" "month,datasets,publisher:p,publisher:q"
t_eq "csv April row" "$(printf '%s' "$OUT" | grep '^2025-04' | tr -d '\r')" "2025-04,3,2,1"
odc stats --repo "$R"
t_out "text output" "2025-02  1"
odc stats --repo "$R" --format xml
t_rc "bad --format is a usage error" 2
odc stats --repo "$T_TMP/nothing"
t_rc "not a repository: exit 2" 2

# Each month is checked with the odcat.json of its own commit: b names
# publisher q, which odcat.json defines only from February.
R2=$T_TMP/repo2
minimal_catalog "$R2"
rm -rf "$R2/datasets/plain"
jq '. + {publishers: {p: {name: "P"}}}' "$R2/odcat.json" >"$R2/o" && mv "$R2/o" "$R2/odcat.json"
R=$R2
dp a p annual; printf 'n\n1\n' >"$R/datasets/a/d.csv"
dp b q annual; printf 'n\n1\n' >"$R/datasets/b/d.csv"
at 2025-01-10 "a and b (q unknown yet)"
jq '.publishers.q = {name: "Q"}' "$R2/odcat.json" >"$R2/o" && mv "$R2/o" "$R2/odcat.json"
at 2025-02-10 "publisher q"
odc stats --repo "$R2" --format json
t_eq "January counted with January's odcat.json" "$(jq -c '[.months[] | [.month, .datasets]]' <<<"$OUT")" '[["2025-01",1],["2025-02",2]]'
R=$T_TMP/repo

# Access logs (combined format). Counted: GET + 200 on a file under
# /od/datasets/<slug>/ that is no page or metadata, not by a bot.
cat >"$T_TMP/access.log" <<'LOG'
203.0.113.1 - - [10/Apr/2025:13:55:36 +0900] "GET /od/datasets/a/d.csv HTTP/1.1" 200 12 "-" "Mozilla/5.0 (X11; Linux x86_64)"
203.0.113.2 - - [10/Apr/2025:13:56:00 +0900] "GET /od/datasets/a/d.csv HTTP/1.1" 200 12 "-" "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)"
203.0.113.1 - - [10/Apr/2025:13:57:00 +0900] "GET /od/datasets/a/ HTTP/1.1" 200 900 "-" "Mozilla/5.0"
203.0.113.1 - - [10/Apr/2025:13:58:00 +0900] "GET /od/datasets/a/datapackage.json HTTP/1.1" 200 300 "-" "Mozilla/5.0"
203.0.113.1 - - [10/Apr/2025:13:59:00 +0900] "HEAD /od/datasets/a/d.csv HTTP/1.1" 200 0 "-" "Mozilla/5.0"
203.0.113.1 - - [10/Apr/2025:14:00:00 +0900] "GET /od/datasets/a/d.csv HTTP/1.1" 304 0 "-" "Mozilla/5.0"
203.0.113.3 - - [11/Apr/2025:09:00:00 +0900] "GET /od/datasets/b/d.csv?x=1 HTTP/1.1" 200 12 "-" "curl/8.0"
203.0.113.3 - - [11/Apr/2025:09:01:00 +0900] "GET /datasets/a/d.csv HTTP/1.1" 200 12 "-" "curl/8.0"
203.0.113.3 - - [11/Apr/2025:09:02:00 +0900] "GET /od/datasets/a/d.csv HTTP/1.1" 206 6 "-" "Mozilla/5.0"
this line is not a log line
LOG
printf '%s\n' \
	'198.51.100.9 - - [03/May/2025:07:00:00 +0900] "GET /od/datasets/aa/d.csv HTTP/2.0" 200 12 "-" "Mozilla/5.0"' \
	'198.51.100.9 - - [03/May/2025:08:00:00 +0900] "GET /od/datasets/b/d.csv HTTP/2.0" 200 12 "https://example.jp/od/" "Mozilla/5.0 (iPhone)"' \
	'198.51.100.9 - - [03/May/2025:08:00:01 +0900] "GET /od/datasets/b/d.csv HTTP/1.1" 200 12 "-" "SomeSpider/1.0"' |
	gzip -c >"$T_TMP/access.log.1.gz"
odc stats --repo "$R" --format json --access-log "$T_TMP/access.log" "$T_TMP/access.log.1.gz"
t_rc "stats with logs exits 0" 0
t_eq "downloads: total" "$(jq -r .downloads.total <<<"$OUT")" 4
t_eq "downloads: bots left out" "$(jq -r .downloads.bots <<<"$OUT")" 2
t_eq "downloads: by month" "$(jq -c .downloads.months <<<"$OUT")" '{"2025-04":2,"2025-05":2}'
t_eq "downloads: datasets in slug order, whatever the log order" "$(jq -c '.downloads.datasets | keys_unsorted' <<<"$OUT")" '["a","aa","b"]'
t_eq "downloads: a" "$(jq -c .downloads.datasets.a <<<"$OUT")" '{"total":1,"months":{"2025-04":1}}'
t_eq "downloads: b (one from the gzip log)" "$(jq -c .downloads.datasets.b <<<"$OUT")" '{"total":2,"months":{"2025-04":1,"2025-05":1}}'
odc stats --repo "$R" --access-log "$T_TMP/missing.log"
t_rc "an unreadable log: exit 2" 2
t_err "an unreadable log is named" "missing.log"

# The stats/ page, in both languages, with the chart and its table.
S=$T_TMP/site
odc build --repo "$R" --out "$S" --access-log "$T_TMP/access.log" --access-log "$T_TMP/access.log.1.gz"
t_rc "build with --access-log" 0
P=$S/en/stats/index.html
t_file "stats page (ja)" "$S/stats/index.html"
t_grep "chart is an accessible SVG" "$P" '<svg role="img" aria-labelledby="stats-chart-title stats-chart-desc"'
t_grep "chart has a title" "$P" '<title id="stats-chart-title">Published datasets by month</title>'
# Geometry by hand: a 640×240 view box, plot from x 40 to 600 and y 200
# (0) up to 20 (the largest of the counts and the target, 10): four months
# are 186.67 apart; 2 → y 200 − 2·180/10 = 164, 1 → 182, 3 → 146.
t_grep "chart: the line's points" "$P" 'points="40,164 227,182 413,182 600,146"'
t_grep "target line at 10" "$P" '<line class="target" x1="40" y1="20" x2="600" y2="20"'
t_grep "data table row" "$P" '<tr><th scope="row">2025-02</th><td>1</td></tr>'
t_grep "per publisher row" "$P" '<tr><th scope="row">Division P</th><td>1</td><td>1</td><td>1</td><td>2</td></tr>'
t_grep "downloads on the page" "$P" 'Downloads counted: <strong>4</strong>'
t_grep "ja page" "$S/stats/index.html" "公開状況の統計"
if command -v xmllint >/dev/null; then
	sed -n '/<svg/,/<\/svg>/p' "$P" >"$T_TMP/chart.svg"
	t_true "the chart is well-formed SVG" xmllint --noout "$T_TMP/chart.svg"
fi
t_grep "stats page in the sitemap" "$S/sitemap.xml" "<loc>https://example.jp/od/stats/</loc>"

# axe-core in Chromium: no WCAG 2.1 A/AA violation on the page with its
# chart (normal build only).
if external_checks; then
	need_node_modules playwright-core axe-core
	t_true "axe: the stats pages have no WCAG 2.1 A/AA violation" \
		node "$TOP/tests/js/axe-pages.mjs" "$S/stats/index.html" "$P"
fi
t_summary
