#!/bin/sh
# Installs what `make fuzz` needs that is missing: clang and its runtime
# libraries (libFuzzer, ASan, UBSan), through the project's one installer.
exec sh "$(dirname "$0")/../tools/deps.sh" fuzz
