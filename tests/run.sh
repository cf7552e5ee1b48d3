#!/usr/bin/env bash
# tests/run.sh — runs the whole suite and adds up the results.
#
# Every suite (a C unit-test binary or a shell suite) ends with its own
# line "N passed, N failed"; this script runs each against the normal build
# and again against the ASan+UBSan build, adds them up, and ends with the
# total line. Exit status is non-zero when anything failed, or when a suite
# crashed before printing its closing line.
#
# Run one suite by name: tests/run.sh build (or: tests/run.sh test_template)
set -u
cd "$(dirname "$0")/.."

only=${1:-}
total_pass=0
total_fail=0
log=$(mktemp "${TMPDIR:-/tmp}/odcat-run.XXXXXX")
trap 'rm -f "$log"' EXIT

run_suite() { # LABEL COMMAND...
	local label=$1; shift
	local start=$SECONDS
	"$@" >"$log" 2>&1
	local rc=$?
	local last
	last=$(grep -E '^[0-9]+ passed, [0-9]+ failed$' "$log" | tail -n 1)
	grep -v -E '^[0-9]+ passed, [0-9]+ failed$' "$log" | grep -E '^(FAIL|skipped)' || true
	if [ -z "$last" ]; then
		echo "FAIL $label: the suite ended without a result line (exit $rc)"
		tail -n 20 "$log"
		total_fail=$((total_fail + 1))
		return
	fi
	local p=${last%% passed*} f=${last#*, }
	f=${f%% failed*}
	if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
		echo "FAIL $label: exit $rc although no test failed"
		tail -n 20 "$log"
		f=1
	fi
	printf '%-28s %5d passed, %3d failed  (%ds)\n' "$label" "$p" "$f" $((SECONDS - start))
	total_pass=$((total_pass + p))
	total_fail=$((total_fail + f))
}

for variant in normal asan; do
	if [ $variant = normal ]; then bin=build; else bin=build/asan; fi
	export ASAN_OPTIONS=detect_leaks=1:abort_on_error=0:exitcode=99
	export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1:exitcode=99
	for t in "$bin"/test_*; do
		[ -x "$t" ] || continue
		name=$(basename "$t")
		[ -n "$only" ] && [ "$only" != "$name" ] && continue
		run_suite "$variant $name" "$t"
	done
	# The fuzz corpora replayed as regression inputs (sanitizer build only).
	if [ $variant = asan ]; then
		for t in build/asan/fuzz_replay_*; do
			[ -x "$t" ] || continue
			name=${t##*/fuzz_replay_}
			[ -n "$only" ] && [ "$only" != "fuzz_$name" ] && continue
			run_suite "asan fuzz-replay/$name" "$t" "tests/fuzz/corpus/$name"
		done
	fi
	for s in tests/e2e/*.sh; do
		name=$(basename "$s" .sh)
		[ -n "$only" ] && [ "$only" != "$name" ] && continue
		ODCAT=$bin/odcat run_suite "$variant e2e/$name" bash "$s"
	done
done

echo "$total_pass passed, $total_fail failed"
[ "$total_fail" -eq 0 ]
