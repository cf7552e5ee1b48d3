#!/bin/sh
# Installs what `make fuzz` needs that is missing: clang and its runtime
# libraries (libFuzzer, ASan, UBSan). As root it runs apt-get; otherwise it
# prints the one command to run and fails (as tests/tools/deps.sh does).
set -eu

want="clang libclang-rt-14-dev"
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
	echo "then run make fuzz again." >&2
	exit 1
fi
