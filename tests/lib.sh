# tests/lib.sh — the shell side of odcat's test harness.
#
# Sourced by the end-to-end suites. Each `t_*` assertion is one test; a
# failing one prints "FAIL <suite>: <name>: <why>". t_summary prints the
# closing line "N passed, N failed" that tests/run.sh adds up.
#
# ODCAT is the binary under test (build/odcat or build/asan/odcat). Every
# run goes through `odc`, which keeps stdout/stderr/exit code in $OUT,
# $ERR, $RC and counts any sanitizer report as a failure of its own.

T_PASSED=0
T_FAILED=0
T_SUITE=${T_SUITE:-e2e}
: "${ODCAT:?set ODCAT to the odcat binary}"
ODCAT=$(cd "$(dirname "$ODCAT")" && pwd)/$(basename "$ODCAT")
TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=0:exitcode=99
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1:exitcode=99
export LC_ALL=C.UTF-8

T_TMP=$(mktemp -d "${TMPDIR:-/tmp}/odcat-test.XXXXXX")
[ -n "${T_KEEP:-}" ] || trap 'rm -rf "$T_TMP"' EXIT

t_pass() { T_PASSED=$((T_PASSED + 1)); [ -n "${TH_VERBOSE:-}" ] && echo "ok $1"; return 0; }
t_fail() { T_FAILED=$((T_FAILED + 1)); echo "FAIL $T_SUITE: $1: $2"; return 1; }

# odc ARGS... — runs odcat, keeping output and exit code.
odc() {
	OUT=$("$ODCAT" "$@" 2>"$T_TMP/stderr")
	RC=$?
	ERR=$(cat "$T_TMP/stderr")
	if grep -qE 'AddressSanitizer|LeakSanitizer|runtime error:' "$T_TMP/stderr"; then
		t_fail "sanitizer clean: odcat $*" "$(head -c 3000 "$T_TMP/stderr")"
	fi
	return 0
}

t_rc() { # NAME WANT
	if [ "$RC" = "$2" ]; then t_pass "$1"; else t_fail "$1" "exit code $RC, want $2; stderr: $(printf '%s' "$ERR" | head -c 1500)"; fi
}
t_true() { # NAME COMMAND...
	local n=$1; shift
	if "$@"; then t_pass "$n"; else t_fail "$n" "command failed: $*"; fi
}
t_false() {
	local n=$1; shift
	if "$@"; then t_fail "$n" "command succeeded but must not: $*"; else t_pass "$n"; fi
}
t_file() { # NAME FILE
	if [ -f "$2" ]; then t_pass "$1"; else t_fail "$1" "missing file $2"; fi
}
t_nofile() {
	if [ -e "$2" ]; then t_fail "$1" "$2 exists but must not"; else t_pass "$1"; fi
}
t_grep() { # NAME FILE FIXED-STRING — the file contains the string
	if grep -qF -- "$3" "$2" 2>/dev/null; then t_pass "$1"; else t_fail "$1" "$2 lacks: $3"; fi
}
t_nogrep() {
	if [ ! -f "$2" ]; then t_fail "$1" "missing file $2"; return; fi
	if grep -qF -- "$3" "$2"; then t_fail "$1" "$2 contains: $3"; else t_pass "$1"; fi
}
t_err() { # NAME FIXED-STRING — stderr of the last run contains it
	if printf '%s' "$ERR" | grep -qF -- "$2"; then t_pass "$1"; else t_fail "$1" "stderr lacks: $2; stderr: $(printf '%s' "$ERR" | head -c 1500)"; fi
}
t_out() {
	if printf '%s' "$OUT" | grep -qF -- "$2"; then t_pass "$1"; else t_fail "$1" "stdout lacks: $2"; fi
}
t_eq() { # NAME GOT WANT
	if [ "$2" = "$3" ]; then t_pass "$1"; else t_fail "$1" "got '$2', want '$3'"; fi
}

t_summary() {
	echo "$T_PASSED passed, $T_FAILED failed"
	[ "$T_FAILED" -eq 0 ]
}

# new_repo DIR — an empty git repository with a committer identity and
# fixed dates, so that commits (and so builds) are reproducible.
new_repo() {
	mkdir -p "$1"
	git -C "$1" init -q -b main
	git -C "$1" config user.name "Test Steward"
	git -C "$1" config user.email "steward@example.jp"
	git -C "$1" config commit.gpgsign false
}
commit_all() { # DIR MESSAGE
	git -C "$1" add -A
	GIT_AUTHOR_DATE="2025-04-01T09:00:00+09:00" GIT_COMMITTER_DATE="2025-04-01T09:00:00+09:00" \
		git -C "$1" commit -q -m "$2"
}

# need_node_modules PKG... — makes sure node runs and the npm packages of
# tests/js (from its package-lock.json) are installed: nodejs and npm with
# apt-get when missing and root, `npm ci` when any PKG is missing. One test
# each for node and for the packages.
need_node_modules() {
	local js=$TOP/tests/js p ready=1
	if ! command -v node >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
		sh "$TOP/tests/tools/deps.sh" pkgs nodejs npm >/dev/null 2>&1
	fi
	t_true "node is installed" command -v node >/dev/null
	[ $# -gt 0 ] || return 0
	for p in "$@"; do [ -d "$js/node_modules/$p" ] || ready=0; done
	if [ "$ready" = 0 ]; then
		npm ci --prefix "$js" --no-audit --no-fund --loglevel=error >"$T_TMP/npm.log" 2>&1 ||
			cat "$T_TMP/npm.log" >&2
	fi
	ready=1
	for p in "$@"; do [ -d "$js/node_modules/$p" ] || ready=0; done
	t_eq "npm packages of tests/js are installed ($*)" "$ready" 1
}

# minimal_catalog DIR — a new repository holding the smallest catalogue:
# odcat.json with only the required settings and defaults, and one dataset
# "plain" with only the required keys and a two-line CSV (not committed).
minimal_catalog() {
	new_repo "$1"
	mkdir -p "$1/datasets/plain"
	cat >"$1/odcat.json" <<'JSON'
{
  "title": "Minimal",
  "languages": ["ja", "en"],
  "publisher": {"name": "Minimal Town"},
  "license": "CC-BY-4.0",
  "contactPoint": {"name": "Desk", "email": "desk@example.jp"}
}
JSON
	cat >"$1/datasets/plain/datapackage.json" <<'JSON'
{
  "name": "plain", "title": "Plain", "description": "Nothing but what is required.",
  "keywords": ["plain"],
  "resources": [{"name": "plain", "path": "plain.csv", "format": "csv"}]
}
JSON
	printf 'a,b\n1,2\n' >"$1/datasets/plain/plain.csv"
}

# external_checks — true on the normal build. Suites that drive an outside
# validator or a browser (vnu, axe, Chromium, ajv, SHACL, Pagefind) still
# build with $ODCAT under both builds, so the sanitizers see every input, but
# run the slow outside tool only once: `external_checks || { t_summary; exit; }`
# after the odcat part, or guard single checks with it.
external_checks() {
	case "$ODCAT" in
	*/asan/*) return 1 ;;
	*) return 0 ;;
	esac
}

# test_city_odcat DIR TITLE_JA TITLE_EN — odcat.json of a bilingual test
# catalogue: Test City (code 141305), one department "parks", CC-BY-4.0,
# base URL https://opendata.example.jp/.
test_city_odcat() {
	jq -n --arg ja "$2" --arg en "$3" '{
  "title": {"ja": $ja, "en": $en},
  "description": {"ja": "テスト用のカタログ", "en": "A catalogue for tests"},
  "base_url": "https://opendata.example.jp/",
  "languages": ["ja", "en"],
  "publisher": {"name": {"ja": "テスト市", "en": "Test City"}, "code": "141305"},
  "publishers": {"parks": {"name": {"ja": "公園緑地課", "en": "Parks Division"}, "email": "parks@example.jp"}},
  "license": "CC-BY-4.0",
  "contactPoint": {"name": "オープンデータ窓口", "email": "opendata@example.jp"}
}' >"$1/odcat.json"
}
