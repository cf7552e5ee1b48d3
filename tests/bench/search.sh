#!/usr/bin/env bash
# tests/bench/search.sh — the search benchmark behind `make bench-search`.
#
# Generates a synthetic catalogue of SEARCH_BENCH_N datasets (default
# 10,000; tests/bench/gen-search-catalog.mjs: Japanese-looking titles,
# descriptions, keywords, column names and READMEs, and the right answers
# for 2 x 30 queries), commits it, and measures in the same run:
#
#   odcat build        the whole site (pages, downloads, DCAT, search)
#   odcat index        loading the datasets, then indexing them alone
#                      (build/bench_search: search_add + search_write)
#   index bytes        files and bytes under search/ (raw and gzip)
#   Pagefind           pagefind_extended (npm pagefind) indexing the same
#                      built site: time and bytes of its bundle
#   queries            in headless Chromium (tests/js/search-bench.mjs):
#                      bytes a query downloads from a cold cache (odcat:
#                      search.js + manifest + shards + records; Pagefind:
#                      its JS, WASM, index chunks and fragments), median
#                      latency once loaded, and precision of the first 10
#                      results for kanji queries and their kana readings
#
# and prints a table with the targets: under 300 KB per query including
# the client script; under 50 ms median latency. It asserts nothing.
# Environment: ODCAT, SEARCH_BENCH_N, SEARCH_BENCH_QUERIES (default 16),
# BENCH_KEEP=1 keeps the work folder.
set -euo pipefail
cd "$(dirname "$0")/../.."
TOP=$(pwd)

ODCAT=${ODCAT:-build/odcat}
N=${SEARCH_BENCH_N:-10000}
NQ=${SEARCH_BENCH_QUERIES:-16}
[ -x "$ODCAT" ] && [ -x build/bench_search ] || { echo "bench-search: run make build/odcat build/bench_search" >&2; exit 1; }
command -v node >/dev/null || { echo "bench-search: node is needed" >&2; exit 1; }
[ -d tests/js/node_modules/playwright-core ] && [ -d tests/js/node_modules/pagefind ] ||
	npm ci --prefix tests/js --no-audit --no-fund --loglevel=error
sh tests/tools/deps.sh browser
PF=$(ls tests/js/node_modules/@pagefind/linux-x64/bin/pagefind_extended 2>/dev/null ||
	ls tests/js/node_modules/@pagefind/linux-x64/bin/pagefind)

W=$(mktemp -d "${TMPDIR:-/tmp}/odcat-bench-search.XXXXXX")
if [ -n "${BENCH_KEEP:-}" ]; then echo "bench-search: keeping $W"; else trap 'rm -rf "$W"' EXIT; fi

now() { echo "${EPOCHREALTIME/,/.}"; }
secs() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", b - a }'; }

echo "bench-search: generating $N datasets"
node tests/bench/gen-search-catalog.mjs "$W/repo" "$N"
git -C "$W/repo" init -q -b main
git -C "$W/repo" add -A
git -C "$W/repo" -c user.name=bench -c user.email=bench@example.jp commit -q -m bench

echo "bench-search: odcat build"
t0=$(now)
"$ODCAT" build --repo "$W/repo" --out "$W/site" --quiet 2>"$W/build.log"
t1=$(now)
build_s=$(secs "$t0" "$t1")

echo "bench-search: index alone"
idx=$(build/bench_search "$W/repo" "$W/idx" 2>/dev/null)
index_s=$(jq -r .index_s <<<"$idx")
load_s=$(jq -r .load_s <<<"$idx")

files=$(find "$W/site/search" -type f | wc -l)
bytes=$(find "$W/site/search" -type f -printf '%s\n' | awk '{ s += $1 } END { print s }')
gzbytes=$(tar -C "$W/site" -cf - search | gzip -6 | wc -c)
shards=$(find "$W/site/search/s" -type f | wc -l)
client=$(stat -c %s "$W/site/assets/search.js")

echo "bench-search: Pagefind"
t0=$(now)
"$PF" --site "$W/site" --output-subdir pagefind --quiet >"$W/pagefind.log" 2>&1
t1=$(now)
pf_s=$(secs "$t0" "$t1")
pf_files=$(find "$W/site/pagefind" -type f | wc -l)
pf_bytes=$(find "$W/site/pagefind" -type f -printf '%s\n' | awk '{ s += $1 } END { print s }')

echo "bench-search: queries in Chromium"
node tests/js/search-bench.mjs "$W/site" "$W/repo/truth.json" "$NQ" >"$W/queries.json"
q() { jq -r "$1" "$W/queries.json"; }
kb() { awk -v b="$1" 'BEGIN { printf "%.1f KB", b / 1024 }'; }

cat <<EOF

Search benchmark: $N synthetic datasets, $(q .queries) queries (kanji and their kana readings), same run

| | odcat | Pagefind $("$PF" --version 2>/dev/null | awk '{print $2}') |
| --- | --- | --- |
| index build time | ${index_s} s (of a ${build_s} s site build; loading the datasets ${load_s} s) | ${pf_s} s (on the built site) |
| index size | $(kb "$bytes") in $files files ($shards shards); $(kb "$gzbytes") gzip | $(kb "$pf_bytes") in $pf_files files |
| bytes per query, cold (median / max) | $(kb "$(q .odcat.bytes_median)") / $(kb "$(q .odcat.bytes_max)") raw, $(kb "$(q .odcat.gzip_median)") gzip (client script $(kb "$client") included) | $(kb "$(q .pagefind.bytes_median)") / $(kb "$(q .pagefind.bytes_max)") |
| query latency once loaded (median) | $(q .odcat.ms_median | xargs printf '%.1f') ms | $(q .pagefind.ms_median | xargs printf '%.1f') ms |
| kanji queries: found / precision@10 | $(q .odcat.found_kanji) / $(q .odcat.p10_kanji | xargs printf '%.2f') | $(q .pagefind.found_kanji) / $(q .pagefind.p10_kanji | xargs printf '%.2f') |
| kana queries: found / precision@10 | $(q .odcat.found_kana) / $(q .odcat.p10_kana | xargs printf '%.2f') | $(q .pagefind.found_kana) / $(q .pagefind.p10_kana | xargs printf '%.2f') |

EOF
awk -v b="$(q .odcat.bytes_max)" 'BEGIN { print (b < 300 * 1024 ? "TARGET MET" : "TARGET MISSED") ": every query under 300 KB including the client script (max " int(b / 1024) " KB raw)" }'
awk -v m="$(q .odcat.ms_median)" 'BEGIN { printf "%s: median latency under 50 ms once loaded (%.1f ms)\n", (m < 50 ? "TARGET MET" : "TARGET MISSED"), m }'
echo "ratios: index time odcat/Pagefind $(awk -v a="$index_s" -v b="$pf_s" 'BEGIN { printf "%.2f", a / b }'), bytes per query odcat/Pagefind $(awk -v a="$(q .odcat.bytes_median)" -v b="$(q .pagefind.bytes_median)" 'BEGIN { printf "%.2f", a / b }')"
echo "per-query details: jq .detail $W/queries.json (BENCH_KEEP=1 keeps it)"
