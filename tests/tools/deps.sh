#!/bin/sh
# Installs the Debian packages odcat needs that are missing.
#   deps.sh build   what building odcat needs
#   deps.sh test    that, plus what the test suite needs
# As root it runs apt-get; otherwise it prints the one command to run and
# fails, so that `make site` stops with a clear instruction.
set -eu

build_pkgs="gcc make pkg-config libc6-dev libgit2-dev libjansson-dev libcmark-gfm-dev
libcmark-gfm-extensions-dev libcsv-dev libpcre2-dev libutf8proc-dev nettle-dev zlib1g-dev"
test_pkgs="git jq"

want="$build_pkgs"
[ "${1:-build}" = test ] && want="$build_pkgs $test_pkgs"

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
