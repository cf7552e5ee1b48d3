#!/usr/bin/env bash
# tests/bench/site.sh — the site benchmark behind `make bench-site`.
#
# Builds a throw-away catalogue of SITE_DATASETS datasets (default 40), each
# one CSV of 32 typed columns (8 integer, 8 number, 4 date, 12 text, some
# cells missing) and SITE_ROWS rows (default 2000), with its Table Schema,
# committed with git. Then, SITE_RUNS times each (the median is reported),
# in the same run:
#
#   check    odcat check --ref HEAD   (loads and validates every CSV: the
#                                      baseline, no page is written)
#   build    odcat build --no-cache --jobs 1
#                                     (the same, plus every output: typed
#                                      JSON, copies, preview and profile,
#                                      pages in two languages, DCAT...; every
#                                      dataset afresh, one at a time)
#
# and prints the cost of the build beyond the check per dataset (that is,
# per pair of dataset pages with everything behind them) and the ratio
# build / check. Then the size of each page type of the built site, raw
# and gzip -9: home, dataset list, a dataset page (ja, en), style.css; and
# the dataset page plus the CSS gzip-compressed against the issue's target,
# under 100 KB for a 100-row preview of a 32-column file (TARGET MET /
# TARGET MISSED). It asserts nothing, but fails when the catalogue does
# not build cleanly (a benchmark of a failing build means nothing).
#
# Environment: ODCAT (default build/odcat), SITE_DATASETS, SITE_ROWS,
# SITE_RUNS, BENCH_KEEP=1 keeps the repository and site (path printed).
set -euo pipefail
cd "$(dirname "$0")/../.."

ODCAT=${ODCAT:-build/odcat}
N=${SITE_DATASETS:-40}
ROWS=${SITE_ROWS:-2000}
RUNS=${SITE_RUNS:-3}
odcat=$(cd "$(dirname "$ODCAT")" && pwd)/$(basename "$ODCAT")
[ -x "$odcat" ] || { echo "bench-site: $ODCAT is not built (run make)" >&2; exit 1; }
command -v gzip >/dev/null || { echo "bench-site: gzip is needed" >&2; exit 1; }

W=$(mktemp -d "${TMPDIR:-/tmp}/odcat-bench-site.XXXXXX")
if [ -n "${BENCH_KEEP:-}" ]; then
	echo "bench-site: keeping $W"
else
	trap 'rm -rf "$W"' EXIT
fi
R=$W/repo
now() { echo "${EPOCHREALTIME/,/.}"; }

#--------------------------------------------------------------------
# The catalogue
#--------------------------------------------------------------------
mkdir -p "$R/datasets"
git -C "$R" init -q -b main
git -C "$R" config user.name bench
git -C "$R" config user.email bench@example.jp
git -C "$R" config commit.gpgsign false
cat >"$R/odcat.json" <<'JSON'
{
  "title": {"ja": "ベンチマーク市", "en": "Benchmark City"},
  "description": {"ja": "ページの大きさと生成時間を測るためのカタログ", "en": "A catalogue to measure pages"},
  "base_url": "https://opendata.example.jp/",
  "languages": ["ja", "en"],
  "publisher": {"name": {"ja": "ベンチマーク市", "en": "Benchmark City"}},
  "publishers": {"dept": {"name": {"ja": "統計課", "en": "Statistics Division"}, "email": "stat@example.jp"}},
  "license": "CC-BY-4.0",
  "contactPoint": {"name": "窓口", "email": "desk@example.jp"}
}
JSON
# The schema: 32 fields, titled and described as the sample data is.
schema=$(awk 'BEGIN {
	printf "{\"fields\": ["
	for (c = 1; c <= 32; c++) {
		if (c <= 8) t = "integer"; else if (c <= 16) t = "number"; else if (c <= 20) t = "date"; else t = "string"
		extra = (c == 1) ? ", \"constraints\": {\"required\": true, \"minimum\": 0, \"maximum\": 1000000}" : ""
		printf "%s{\"name\": \"列%02d\", \"title\": {\"ja\": \"項目 %d\", \"en\": \"Column %d\"}, \"type\": \"%s\", \"description\": {\"ja\": \"第 %d 列の説明文。単位と定義をここに書きます。\", \"en\": \"What column %d holds, its unit and definition.\"}%s}", (c > 1 ? ", " : ""), c, c, c, t, c, c, extra
	}
	printf "]}"
}')
for d in $(seq 1 "$N"); do
	slug=$(printf 'bench-%03d' "$d")
	mkdir -p "$R/datasets/$slug"
	cat >"$R/datasets/$slug/datapackage.json" <<JSON
{
  "name": "$slug",
  "title": {"ja": "ベンチマーク用データ $d", "en": "Benchmark data $d"},
  "description": {"ja": "ページの大きさと生成時間を測るための 32 列のデータです。整数、小数、日付、文字列の列があり、欠損値を含みます。", "en": "Thirty-two columns of integers, numbers, dates and text, with missing cells, to measure the pages."},
  "keywords": {"ja": ["ベンチマーク", "統計"], "en": ["benchmark", "statistics"]},
  "publisher": "dept", "theme": ["GOVE"], "accrualPeriodicity": "annual",
  "issued": "2020-04-01", "modified": "2025-04-01",
  "resources": [{"name": "data", "title": {"ja": "データ", "en": "Data"}, "path": "data.csv", "format": "csv",
    "encoding": "utf-8", "schema": $schema}]
}
JSON
	printf '# ベンチマーク用データ %d\n\n32 列のデータです。\n' "$d" >"$R/datasets/$slug/README.md"
	awk -v rows="$ROWS" -v seed="$d" 'BEGIN {
		srand(seed)
		for (c = 1; c <= 32; c++) printf "%s列%02d", (c > 1 ? "," : ""), c
		printf "\n"
		split("川崎区 幸区 中原区 高津区 宮前区 多摩区 麻生区", ward, " ")
		for (r = 1; r <= rows; r++) {
			for (c = 1; c <= 32; c++) {
				if (c > 1) printf ","
				if (c > 1 && rand() < 0.03) continue
				if (c == 1) printf "%d", r
				else if (c <= 8) printf "%d", int(rand() * 1000)
				else if (c <= 16) printf "%.3f", rand() * 100
				else if (c <= 20) printf "2024-%02d-%02d", 1 + int(rand() * 12), 1 + int(rand() * 28)
				else if (c <= 26) printf "%s", ward[1 + int(rand() * 7)]
				else printf "神奈川県川崎市%s%d丁目%d番地", ward[1 + int(rand() * 7)], 1 + int(rand() * 9), 1 + int(rand() * 30)
			}
			printf "\n"
		}
	}' >"$R/datasets/$slug/data.csv"
done
git -C "$R" add -A
GIT_COMMITTER_DATE="2025-04-01T09:00:00+09:00" GIT_AUTHOR_DATE="2025-04-01T09:00:00+09:00" \
	git -C "$R" commit -q -m bench

#--------------------------------------------------------------------
# Timings
#--------------------------------------------------------------------
median() { sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }
# time_runs NAME COMMAND... — sets NAME_wall and NAME_cpu (user + system),
# medians in seconds. Wall time on a shared machine is noisy (and includes
# the kernel's file creation); CPU time is the steadier figure.
time_runs() {
	local name=$1 i; shift
	: >"$W/times"
	for i in $(seq 1 "$RUNS"); do
		local TIMEFORMAT='%R %U %S'
		{ time "$@" >/dev/null 2>"$W/err"; } 2>>"$W/times" || { echo "bench-site: failed: $*" >&2; cat "$W/err" >&2; exit 1; }
	done
	printf -v "${name}_wall" '%s' "$(awk '{ print $1 }' "$W/times" | median)"
	printf -v "${name}_cpu" '%s' "$(awk '{ print $2 + $3 }' "$W/times" | median)"
}
time_runs check "$odcat" check --repo "$R" --ref HEAD
time_runs build "$odcat" build --repo "$R" --out "$W/site" --quiet --no-cache --jobs 1
"$odcat" build --repo "$R" --out "$W/site" --no-cache 2>"$W/err" >/dev/null
if grep -qE "error|warning:" "$W/err"; then
	echo "bench-site: the catalogue does not build cleanly:" >&2
	cat "$W/err" >&2
	exit 1
fi

csv_bytes=$(stat -c %s "$R/datasets/bench-001/data.csv")
echo "odcat bench-site: $N datasets, each one CSV of 32 columns x $ROWS rows ($csv_bytes bytes), median of $RUNS runs"
awk -v cw="$check_wall" -v cc="$check_cpu" -v bw="$build_wall" -v bc="$build_cpu" -v n="$N" 'BEGIN {
	printf "  %-34s %8s %10s\n", "", "wall s", "CPU s"
	printf "  %-34s %8.3f %10.3f\n", "check --ref HEAD (baseline)", cw, cc
	printf "  %-34s %8.3f %10.3f   ratio build/check: wall %.2f, CPU %.2f\n", "build (ja + en pages, all outputs)", bw, bc, bw / cw, bc / cc
	printf "  %-34s %8.1f %10.1f   ms per dataset (2 pages, copies, preview, profile, JSON...)\n", "build beyond check", (bw - cw) * 1000 / n, (bc - cc) * 1000 / n
}'

#--------------------------------------------------------------------
# Page sizes
#--------------------------------------------------------------------
gz() { gzip -9 -c "$1" | wc -c; }
echo "  page sizes (bytes):                  raw      gzip -9"
for f in index.html datasets/index.html datasets/bench-001/index.html en/datasets/bench-001/index.html assets/style.css; do
	printf '  %-34s %8d %10d\n' "$f" "$(stat -c %s "$W/site/$f")" "$(gz "$W/site/$f")"
done
rows_shown=$(grep -c '^            <tr><td>' "$W/site/datasets/bench-001/index.html" || true)
page=$(( $(gz "$W/site/datasets/bench-001/index.html") + $(gz "$W/site/assets/style.css") ))
target=$((100 * 1024))
printf '  dataset page (%s preview rows x 32 columns) + CSS, gzip: %d bytes (%.1f KB); target under %d bytes (100 KB): ' \
	"$rows_shown" "$page" "$(awk -v p="$page" 'BEGIN { print p / 1024 }')" "$target"
if [ "$page" -lt "$target" ]; then echo "TARGET MET"; else echo "TARGET MISSED"; fi
