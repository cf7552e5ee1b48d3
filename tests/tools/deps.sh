#!/bin/sh
# Installs the Debian packages odcat needs that are missing.
#   deps.sh build           what building odcat needs
#   deps.sh test            that, plus what the test suite needs
#   deps.sh fuzz            clang and its runtimes (libFuzzer, ASan, UBSan)
#   deps.sh lint            cppcheck and clang-tidy (tests/e2e/lint.sh)
#   deps.sh bench           /usr/bin/time, miller and hugo (the peer)
#   deps.sh browser         Chromium for the browser tests
#   deps.sh java            a Java runtime for the Nu HTML Checker, unless
#                           a java command is already there
#   deps.sh pkgs P1 P2 ...  the named packages
# As root it runs apt-get; otherwise it prints the one command to run and
# fails, so that `make site` (or the verb at hand) stops with a clear
# instruction.
set -eu

build_pkgs="gcc make pkg-config libc6-dev libgit2-dev libjansson-dev libcmark-gfm-dev
libcmark-gfm-extensions-dev libcsv-dev libpcre2-dev libutf8proc-dev nettle-dev zlib1g-dev
libmecab-dev mecab-ipadic-utf8"
test_pkgs="git jq"
# Browser tests (playwright-core drives Debian's Chromium) and the Nu HTML
# Checker (vnu-jar from npm runs on the machine's Java).
browser_pkgs="chromium"
java_pkgs="default-jre-headless"

what=${1:-build}
case "$what" in
build) want="$build_pkgs" ;;
test) want="$build_pkgs $test_pkgs" ;;
fuzz) want="clang libclang-rt-14-dev" ;;
lint) want="cppcheck clang-tidy" ;;
bench) want="time miller hugo" ;;
browser) want="$browser_pkgs" ;;
java) command -v java >/dev/null 2>&1 && exit 0; want="$java_pkgs" ;;
pkgs) shift; want="$*" ;;
*) echo "deps.sh: unknown set '$what'" >&2; exit 2 ;;
esac

missing=""
for p in $want; do
	status=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
	case "$status" in
	*" installed") ;;
	*) missing="$missing $p" ;;
	esac
done
[ -z "$missing" ] && exit 0

if [ "$(id -u)" -eq 0 ]; then
	echo "odcat: installing missing packages:$missing"
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -q >/dev/null
	# shellcheck disable=SC2086
	apt-get install -y -q --no-install-recommends $missing >/dev/null
else
	echo "odcat: these Debian packages are missing:$missing" >&2
	echo "Install them with:" >&2
	echo "    sudo apt-get install -y --no-install-recommends$missing" >&2
	echo "then run make again." >&2
	exit 1
fi
