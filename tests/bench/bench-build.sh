#!/usr/bin/env bash
# tests/bench/bench-build.sh — the site-build benchmark behind `make bench-build`.
#
# For each size in BENCH_SIZES (default "1000 10000") it makes a synthetic
# catalogue with tests/bench/gencatalog.py (that many datasets, each with
# a README and a CSV of BENCH_ROWS rows, default 1000, committed to git)
# and measures, in the same run:
#
#   full -j1        odcat build --no-cache --jobs 1
#   full -j2        odcat build --no-cache --jobs 2
#   cache fill      odcat build --jobs 2 with an empty cache
#   nothing changed odcat build --jobs 2, the cache full, the same commit
#                   (it leaves the previous tree as <out>.spare, as every
#                   rebuild of a deployed site does)
#   one changed     odcat build --jobs 2 after a commit changing one CSV row
#                   (staging into the spare)
#
# The full builds start from an empty output folder, without a spare.
#   hugo            hugo building the same number of Markdown pages (each
#                   dataset's README with its title) with a minimal theme
#   floor           git archive | tar -x of datasets/: only writing out the
#                   committed files, which odcat publishes as downloads
#   copy            cp -r of the finished site: only creating odcat's output
#                   files and writing their bytes, without any of the work
#
# wall-clock seconds, CPU seconds (user + system) and peak RSS
# (/usr/bin/time), then the ratios of the
# issue's targets: full 10,000 build faster than Hugo (full/hugo < 1), and
# a one-dataset rebuild under 5% of the full build (one/full < 0.05), with
# TARGET MET / TARGET MISSED lines. It asserts nothing about speed; it fails
# only when a build fails or a rebuild does not reuse the cache.
#
# Environment: ODCAT (default build/odcat), BENCH_SIZES, BENCH_ROWS,
# BENCH_KEEP=1 keeps the work folder (its path is printed), BENCH_REPOS=DIR
# keeps the generated repositories in DIR (repo-N) and reuses them (reset
# to their first commit): generating 10,000 datasets takes minutes.
set -euo pipefail
cd "$(dirname "$0")/../.."

ODCAT=${ODCAT:-build/odcat}
SIZES=${BENCH_SIZES:-1000 10000}
ROWS=${BENCH_ROWS:-1000}
odcat=$(cd "$(dirname "$ODCAT")" && pwd)/$(basename "$ODCAT")
[ -x "$odcat" ] || { echo "bench-build: $ODCAT is not built (run make)" >&2; exit 1; }
sh tests/tools/deps.sh bench || true
[ -x /usr/bin/time ] || { echo "bench-build: /usr/bin/time (Debian package time) is needed" >&2; exit 1; }
command -v hugo >/dev/null || { echo "bench-build: hugo is needed (Debian package hugo)" >&2; exit 1; }
gen=$(pwd)/tests/bench/gencatalog.py

W=$(mktemp -d "${TMPDIR:-/tmp}/odcat-bench-build.XXXXXX")
if [ -n "${BENCH_KEEP:-}" ]; then echo "bench-build: keeping $W"; else trap 'rm -rf "$W"' EXIT; fi

# measure LABEL CMD... — runs CMD, records "seconds peak-KB" in $W/m-LABEL
measure() {
	local label=$1; shift
	sync
	if ! /usr/bin/time -f '%e %M %U %S' -o "$W/m-$label" "$@" >"$W/log-$label" 2>&1; then
		echo "bench-build: $label failed:" >&2
		tail -n 20 "$W/log-$label" >&2
		exit 1
	fi
}
sec() { cut -d' ' -f1 "$W/m-$1"; }
cpu() { awk '{ printf "%.2f", $3 + $4 }' "$W/m-$1"; }
mib() { awk '{ printf "%.0f", $2 / 1024 }' "$W/m-$1"; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", (b > 0 ? a / b : 0) }'; }

# A Hugo site with N pages: front matter title and the dataset's README.
hugo_site() { # REPO DIR
	local repo=$1 dir=$2
	mkdir -p "$dir/content/datasets" "$dir/layouts/_default"
	cat >"$dir/config.toml" <<'TOML'
baseURL = "https://bench.example.jp/"
title = "Synthetic catalogue"
disableKinds = ["taxonomy", "term", "RSS", "sitemap"]
TOML
	cat >"$dir/layouts/_default/baseof.html" <<'HTML'
<!doctype html><html lang="ja"><head><meta charset="utf-8"><title>{{ .Title }}</title></head>
<body><main>{{ block "main" . }}{{ end }}</main></body></html>
HTML
	printf '{{ define "main" }}<h1>{{ .Title }}</h1>{{ .Content }}{{ end }}\n' >"$dir/layouts/_default/single.html"
	printf '{{ define "main" }}<h1>{{ .Title }}</h1><ul>{{ range .Pages }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>{{ end }}</ul>{{ end }}\n' \
		>"$dir/layouts/_default/list.html"
	cp "$dir/layouts/_default/list.html" "$dir/layouts/index.html"
	local d slug
	for d in "$repo"/datasets/*/; do
		slug=$(basename "$d")
		[ -f "$d/README.md" ] || continue
		{ printf -- '---\ntitle: "%s"\n---\n\n' "$slug"; cat "$d/README.md"; } >"$dir/content/datasets/$slug.md"
	done
}

printf '\nodcat build — synthetic catalogues, %s rows per CSV, %s cores\n' "$ROWS" "$(nproc)"
for n in $SIZES; do
	R=${BENCH_REPOS:-$W}/repo-$n
	S=$W/site-$n
	if [ -n "${BENCH_REPOS:-}" ] && [ -d "$R/.git" ]; then
		git -C "$R" reset -q --hard "$(git -C "$R" rev-list --max-parents=0 HEAD)"
	else
		echo "bench-build: generating $n datasets ..." >&2
		python3 "$gen" "$R" "$n" "$ROWS"
	fi
	# Full builds start from nothing: no site, no spare (out.h), no cache.
	rm -rf "$S" "$S.spare"
	measure "full1-$n" "$odcat" build --repo "$R" --out "$S" --no-cache --jobs 1 -q
	rm -rf "$S" "$S.spare"
	measure "full2-$n" "$odcat" build --repo "$R" --out "$S" --no-cache --jobs 2 -q
	# The output's floor: copying the finished site (cp -r, same file
	# system): only creating its files and writing its bytes, no work.
	files=$(find "$S" -type f | wc -l)
	bytes=$(du -sb "$S" | cut -f1)
	rm -rf "$W/copy-$n"
	measure "copy-$n" cp -r "$S" "$W/copy-$n"
	rm -rf "$S" "$S.spare" "$W/copy-$n"
	measure "fill-$n" "$odcat" build --repo "$R" --out "$S" --cache "$W/cache-$n" --jobs 2
	measure "none-$n" "$odcat" build --repo "$R" --out "$S" --cache "$W/cache-$n" --jobs 2
	grep -q "^odcat: $((n + 1)) datasets reused from the cache, 0 read" "$W/log-none-$n" ||
		{ echo "bench-build: the unchanged rebuild did not reuse the cache" >&2; cat "$W/log-none-$n" >&2; exit 1; }
	sed -i '2s/,[0-9]*\.\([0-9][0-9]\),/,12345.\1,/' "$R/datasets/ds-00001/data.csv"
	git -C "$R" commit -q -a -m "one row changed"
	measure "one-$n" "$odcat" build --repo "$R" --out "$S" --cache "$W/cache-$n" --jobs 2
	grep -q "^odcat: $n datasets reused from the cache, 1 read" "$W/log-one-$n" ||
		{ echo "bench-build: the one-dataset rebuild did not reuse the cache" >&2; cat "$W/log-one-$n" >&2; exit 1; }
	# The floor: only extracting the committed datasets/ folder (git
	# archive | tar), the bytes any catalogue that publishes the files
	# must at least write, before validating or rendering anything.
	rm -rf "$W/floor-$n" && mkdir -p "$W/floor-$n"
	measure "floor-$n" sh -c 'git -C "$1" archive HEAD datasets | tar -x -C "$2"' sh "$R" "$W/floor-$n"
	rm -rf "$W/floor-$n"
	hugo_site "$R" "$W/hugo-$n"
	measure "hugo-$n" hugo --quiet -s "$W/hugo-$n" -d "$W/hugo-$n/public"
	pages=$(find "$W/hugo-$n/public/datasets" -name index.html | wc -l)

	printf '\n%s datasets (+ wards), %s Hugo pages\n' "$n" "$pages"
	printf '  %-34s %9s %9s %9s\n' "run" "seconds" "CPU s" "peak MiB"
	for l in full1:"full build, --jobs 1" full2:"full build, --jobs 2" fill:"full build filling the cache, -j2" \
		none:"rebuild, nothing changed" one:"rebuild, one dataset changed" hugo:"hugo, the same pages (peer)" \
		floor:"git archive | tar -x of datasets/" copy:"cp -r of odcat's finished site"; do
		printf '  %-34s %9s %9s %9s\n' "${l#*:}" "$(sec "${l%%:*}-$n")" "$(cpu "${l%%:*}-$n")" "$(mib "${l%%:*}-$n")"
	done
	f1=$(sec "full1-$n"); f2=$(sec "full2-$n"); h=$(sec "hugo-$n")
	o=$(sec "one-$n"); z=$(sec "none-$n")
	printf '  ratios (wall clock): full -j1 / hugo %s, full -j2 / hugo %s, -j1 / -j2 %s\n' \
		"$(ratio "$f1" "$h")" "$(ratio "$f2" "$h")" "$(ratio "$f1" "$f2")"
	printf '                       one changed / full -j2 %s, nothing changed / full -j2 %s\n' \
		"$(ratio "$o" "$f2")" "$(ratio "$z" "$f2")"
	printf '  ratios (CPU time):   full / hugo %s, one changed / full %s, nothing changed / full %s\n' \
		"$(ratio "$(cpu "full2-$n")" "$(cpu "hugo-$n")")" "$(ratio "$(cpu "one-$n")" "$(cpu "full2-$n")")" \
		"$(ratio "$(cpu "none-$n")" "$(cpu "full2-$n")")"
	printf '                       hugo / extracting the committed files %s (below 1: Hugo builds its\n' \
		"$(ratio "$h" "$(sec "floor-$n")")"
	printf '                       pages faster than the files odcat publishes can be written at all)\n'
	printf '  the site: %s files, %s MB; copying it takes %s of the full -j2 build, %s of Hugo\n' \
		"$files" "$((bytes / 1000000))" "$(ratio "$(sec "copy-$n")" "$f2")" "$(ratio "$(sec "copy-$n")" "$h")"
	printf '                       (above 1: writing odcat'"'"'s output alone takes longer than Hugo'"'"'s build)\n'
	if [ "$n" -ge 10000 ]; then
		if awk -v a="$f2" -v b="$h" 'BEGIN { exit !(a < b) }'; then
			echo "  TARGET MET: the full $n build (-j2) is faster than Hugo"
		else
			echo "  TARGET MISSED: the full $n build (-j2) is not faster than Hugo"
		fi
	fi
	if awk -v a="$o" -v b="$f2" 'BEGIN { exit !(a < 0.05 * b) }'; then
		echo "  TARGET MET: a one-dataset rebuild is under 5% of the full build"
	else
		echo "  TARGET MISSED: a one-dataset rebuild is not under 5% of the full build"
	fi
	rm -rf "$S" "$S.spare" "$W/hugo-$n/public"
done
