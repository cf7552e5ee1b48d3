#!/usr/bin/env bash
# tests/e2e/lint.sh — cppcheck and clang-tidy over generator/, with the
# checked-in configuration: .clang-tidy (checks, and why each one turned
# off is off), tests/tools/lint/cppcheck.suppress (the same for cppcheck)
# and tests/tools/lint/jansson.cfg (Jansson's macros for cppcheck). Single
# false positives are marked in the code (NOLINT / cppcheck-suppress) with
# the reason beside them. Any finding fails the suite.
#
# Runs once, on the normal build's pass of tests/run.sh (it reads sources,
# not binaries). Installs cppcheck and clang-tidy when missing (deps.sh lint).
T_SUITE=lint
. "$(dirname "$0")/../lib.sh"
cd "$TOP" || exit 2

external_checks || { echo "skipped: lint runs once, with the normal build"; t_summary; exit 0; }

t_true "cppcheck and clang-tidy are installed (deps.sh lint)" sh tests/tools/deps.sh lint
flags=(-std=c11 -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE -DODCAT_VERSION='"lint"' -Igenerator)

cppcheck --enable=warning,style,portability,performance --std=c11 --library=posix \
	--library=tests/tools/lint/jansson.cfg --suppressions-list=tests/tools/lint/cppcheck.suppress \
	--inline-suppr --quiet --error-exitcode=1 -D_POSIX_C_SOURCE=200809L -DODCAT_VERSION='"lint"' \
	-I generator generator/ >"$T_TMP/cppcheck.log" 2>&1
rc=$?
if [ "$rc" -eq 0 ] && ! grep -q 'generator/' "$T_TMP/cppcheck.log"; then
	t_pass "cppcheck: generator/ is clean"
else
	t_fail "cppcheck: generator/ is clean" "$(head -c 3000 "$T_TMP/cppcheck.log")"
fi

# One clang-tidy per file, two at a time; each file is one test.
ls generator/*.c | xargs -P 2 -I{} sh -c \
	'clang-tidy --quiet "$1" -- "$@" >"$0/$(basename "$1").tidy" 2>&1; echo $? >"$0/$(basename "$1").rc"' \
	"$T_TMP" {} "${flags[@]}"
for f in generator/*.c; do
	b=$(basename "$f")
	if [ "$(cat "$T_TMP/$b.rc" 2>/dev/null)" = 0 ] && ! grep -qE '(warning|error):' "$T_TMP/$b.tidy"; then
		t_pass "clang-tidy: $f"
	else
		t_fail "clang-tidy: $f" "$(grep -E -A3 '(warning|error):' "$T_TMP/$b.tidy" | head -c 2000)"
	fi
done
t_summary
