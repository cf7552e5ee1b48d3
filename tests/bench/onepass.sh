#!/usr/bin/env bash
# tests/bench/onepass.sh — the benchmark behind `make bench-onepass`.
#
# A full build reads, validates and publishes every dataset: its CSV is
# validated once and the same pass writes the typed JSON (<csv>.json) and
# the page's column profile; the copies are written from the same bytes.
# This bench measures how much a full build costs beyond that validation,
# on a synthetic catalogue (tests/bench/gencatalog.py: ONEPASS_DATASETS
# datasets, default 1000, each with a CSV of ONEPASS_ROWS rows, default
# 1000), in one run:
#
#   check     odcat check --ref HEAD          (reads and validates each CSV once)
#   build     odcat build --no-cache --jobs 1 (everything a cache miss does)
#
# the least CPU seconds (user + system) of ONEPASS_RUNS runs each, peak
# RSS, and the ratio build/check: the site's cost in units of one
# validation pass. It asserts nothing about speed; it fails only when a
# command fails. ODCAT (default build/odcat) picks the binary, so two
# binaries can be compared with the same catalogue (ONEPASS_REPO=DIR keeps
# and reuses the generated repository).
set -euo pipefail
cd "$(dirname "$0")/../.."

ODCAT=${ODCAT:-build/odcat}
N=${ONEPASS_DATASETS:-1000}
ROWS=${ONEPASS_ROWS:-1000}
RUNS=${ONEPASS_RUNS:-3}
odcat=$(cd "$(dirname "$ODCAT")" && pwd)/$(basename "$ODCAT")
[ -x "$odcat" ] || { echo "bench-onepass: $ODCAT is not built (run make)" >&2; exit 1; }
[ -x /usr/bin/time ] || { echo "bench-onepass: /usr/bin/time (Debian package time) is needed" >&2; exit 1; }

W=$(mktemp -d "${TMPDIR:-/tmp}/odcat-bench-onepass.XXXXXX")
trap 'rm -rf "$W"' EXIT
repo=${ONEPASS_REPO:-$W/repo}
if [ ! -d "$repo/.git" ]; then
	echo "bench-onepass: generating $N datasets of $ROWS rows ..."
	python3 tests/bench/gencatalog.py "$repo" "$N" "$ROWS" >/dev/null
fi

# best LABEL CMD... — the least user+system seconds of RUNS runs, and its peak RSS
best() {
	local label=$1 i; shift
	: >"$W/t-$label"
	for ((i = 0; i < RUNS; i++)); do
		rm -rf "$W/site"
		if ! /usr/bin/time -f '%U %S %M' -o "$W/one" "$@" >"$W/log" 2>&1; then
			# check exits 1 when a dataset has errors: the synthetic one has none
			echo "bench-onepass: $label failed:" >&2
			tail -n 20 "$W/log" >&2
			exit 1
		fi
		awk '{ printf "%.2f %d\n", $1 + $2, $3 }' "$W/one" >>"$W/t-$label"
	done
	sort -n "$W/t-$label" | head -n 1 >"$W/b-$label"
}

best check "$odcat" check --repo "$repo" --ref HEAD --format json
best build "$odcat" build --repo "$repo" --out "$W/site" --no-cache --jobs 1 -q

read -r c_cpu c_kb <"$W/b-check"
read -r b_cpu b_kb <"$W/b-build"
printf '%-8s %8s %10s\n' "" "CPU s" "peak MiB"
printf '%-8s %8s %10d\n' check "$c_cpu" $((c_kb / 1024))
printf '%-8s %8s %10d\n' build "$b_cpu" $((b_kb / 1024))
awk -v b="$b_cpu" -v c="$c_cpu" -v n="$N" 'BEGIN {
	printf "build/check %.2f (a full build costs %.2f validation passes); %.2f ms CPU per dataset beyond check\n",
		b / c, b / c, (b - c) * 1000 / n }'
