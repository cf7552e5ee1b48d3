#!/usr/bin/env bash
# tests/bench/history.sh — what the git history costs a build.
#
# A synthetic catalogue of HIST_DATASETS datasets (a 20-row CSV each) with
# HIST_COMMITS commits after the first, each changing three datasets, spread
# over months. Measured in one run, best of HIST_RUNS:
#   build-flat   odcat build of a depth-1 clone: the final tree and one
#                commit, no history to speak of — the baseline;
#   build-hist   odcat build of the repository with the whole history (both
#                with --no-cache: every run builds everything)
#                (one walk, dates, change histories, the stats/ page
#                validating each month's distinct revisions);
#   git-log      git log --raw over datasets/ of the same history, git's own
#                per-path history, as the peer of the walk.
# Prints wall and CPU (user + system) seconds and peak RSS; the ratios
# build-hist/build-flat and (build-hist − build-flat)/git-log are of CPU
# time, which other work on a shared machine inflates less than wall time.
# Both measured repositories are clones (packed by git the same way).
set -eu
: "${ODCAT:?set ODCAT}"
N=${HIST_DATASETS:-1000}
C=${HIST_COMMITS:-300}
RUNS=${HIST_RUNS:-3}
W=$(mktemp -d "${TMPDIR:-/tmp}/odcat-hist.XXXXXX")
trap 'rm -rf "$W"' EXIT
command -v /usr/bin/time >/dev/null || sh "$(dirname "$0")/../tools/deps.sh" pkgs time >/dev/null

mk_repo() { git init -q -b main "$1"; git -C "$1" config user.name Bench; git -C "$1" config user.email b@example.jp; }
commit() { # DIR N MESSAGE — commit at day N after 2023-01-01
	local d
	d=$(date -u -d "2023-01-01 +$2 days" +%Y-%m-%dT10:00:00+09:00)
	git -C "$1" add -A
	GIT_AUTHOR_DATE=$d GIT_COMMITTER_DATE=$d git -C "$1" commit -q -m "$3"
}
dataset() { # DIR I VERSION
	local s=ds-$2
	mkdir -p "$1/datasets/$s"
	printf '{"name":"%s","title":"Dataset %s","description":"A synthetic dataset for the history benchmark, long enough.","keywords":["bench"],"resources":[{"name":"d","path":"d.csv","format":"csv","schema":{"fields":[{"name":"n","type":"integer"},{"name":"v","type":"integer"}]}}]}\n' "$s" "$2" >"$1/datasets/$s/datapackage.json"
	awk -v v="$3" 'BEGIN { print "n,v"; for (i = 1; i <= 20; i++) print i "," (i * 7 + v) }' >"$1/datasets/$s/d.csv"
}

H=$W/hist
mk_repo "$H"
printf '{"title":"Bench","languages":["ja","en"],"publisher":{"name":"Bench City"},"license":"CC-BY-4.0","contactPoint":{"name":"Desk","email":"d@example.jp"},"target":%d}\n' $((N * 2)) >"$H/odcat.json"
for i in $(seq 1 "$N"); do dataset "$H" "$i" 0; done
commit "$H" 0 "initial catalogue"
for c in $(seq 1 "$C"); do
	for k in 1 2 3; do dataset "$H" $(((c * 37 + k * 101) % N + 1)) "$c"; done
	commit "$H" $((c * 3)) "update $c"
done
# Both measured repositories are clones of H, packed alike by git itself:
# F has only the last commit (a depth-1 clone, built with --allow-shallow),
# C the whole history.
git -C "$H" gc -q
C2=$W/full
F=$W/flat
git clone -q --no-local "$H" "$C2"
git clone -q --depth 1 "file://$H" "$F"
best() { # LABEL COMMAND... — the run with the least CPU time of RUNS runs
	local lbl=$1 r e u sy m c bc= be= bm=
	shift
	for r in $(seq 1 "$RUNS"); do
		if ! /usr/bin/time -f "%e %U %S %M" -o "$W/t" "$@" >"$W/out" 2>&1; then
			echo "bench-history: failed: $*" >&2
			tail -5 "$W/out" >&2
			exit 1
		fi
		read -r e u sy m <"$W/t"
		c=$(awk -v u="$u" -v s="$sy" 'BEGIN { printf "%.2f", u + s }')
		if [ -z "$bc" ] || awk -v a="$c" -v b="$bc" 'BEGIN { exit !(a < b) }'; then bc=$c be=$e bm=$m; fi
	done
	printf '%-8s wall %7.2f s   cpu %7.2f s   peak RSS %8d KB\n' "$lbl" "$be" "$bc" "$bm"
	eval "T_$lbl=$bc"
}
echo "history bench: $N datasets, $C commits after the first ($(git -C "$H" rev-list --count HEAD) commits)"
best flat "$ODCAT" build -q --no-cache --allow-shallow --repo "$F" --out "$W/site-flat"
best hist "$ODCAT" build -q --no-cache --repo "$C2" --out "$W/site-hist"
best gitlog git -C "$C2" log --raw --format=%H -- datasets
awk -v h="$T_hist" -v f="$T_flat" -v g="$T_gitlog" 'BEGIN {
	printf "cpu build-hist / build-flat       %.2f\n", h / f
	printf "cpu history cost / git log --raw  %.2f\n", (h - f) / (g > 0 ? g : 0.01)
}'
