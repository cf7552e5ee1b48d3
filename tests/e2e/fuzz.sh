#!/usr/bin/env bash
# tests/e2e/fuzz.sh — every libFuzzer target runs for FUZZ_TEST_SECONDS
# (default 30) on its committed corpus, with ASan + UBSan + LSan; any crash,
# leak, failed oracle or timeout fails the target's test.
#
# Runs once: on the normal build's pass of tests/run.sh (the fuzz binaries
# carry their own sanitizers, so the ASan pass has nothing to add). Builds
# the targets with `make fuzz-build` (clang and libclang-rt-14-dev from
# tests/tools/deps.sh fuzz). A crash input is kept in
# build/fuzz/crashes/<target>/; mk/fuzz.mk says how to turn it into a
# regression input of tests/fuzz/corpus/<target>/.
T_SUITE=fuzz
. "$(dirname "$0")/../lib.sh"
cd "$TOP" || exit 2

external_checks || { echo "skipped: fuzz runs once, with the normal build"; t_summary; exit 0; }

secs=${FUZZ_TEST_SECONDS:-30}
t_true "clang and libFuzzer are installed (deps.sh fuzz)" sh tests/tools/deps.sh fuzz
if ! make --no-print-directory fuzz-build >"$T_TMP/build.log" 2>&1; then
	t_fail "fuzz targets build" "$(tail -n 30 "$T_TMP/build.log")"
	t_summary
	exit 1
fi
t_pass "fuzz targets build"

targets=$(make --no-print-directory -s -f Makefile -f - print-fuzz-targets <<'MK'
print-fuzz-targets:
	@echo $(FUZZ_TARGETS)
MK
)
t_true "there are fuzz targets ($targets)" test -n "$targets"
for t in $targets; do
	t_true "target $t has a seed corpus" test -n "$(ls -A "tests/fuzz/corpus/$t" 2>/dev/null)"
	mkdir -p "build/fuzz/corpus/$t" "build/fuzz/crashes/$t"
	dict=()
	[ -f "tests/fuzz/$t.dict" ] && dict=("-dict=tests/fuzz/$t.dict")
	log=build/fuzz/$t.test.log
	# ASAN_OPTIONS of lib.sh would change the exit code; libFuzzer's own is fine.
	ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
		"build/fuzz/fuzz_$t" -max_total_time="$secs" -timeout=20 -rss_limit_mb=2560 \
		-max_len=16384 -print_final_stats=1 "${dict[@]}" \
		-artifact_prefix="build/fuzz/crashes/$t/" \
		"build/fuzz/corpus/$t" "tests/fuzz/corpus/$t" >"$log" 2>&1
	rc=$?
	runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
	if [ "$rc" -eq 0 ] && [ -n "$runs" ] && [ "$runs" -gt 0 ]; then
		t_pass "fuzz $t for ${secs}s ($runs runs)"
	else
		t_fail "fuzz $t for ${secs}s" "exit $rc; $(grep -E 'ERROR|oracle failed|SUMMARY|Test unit written' "$log" | head -n 5)"
	fi
done
t_summary
