# mk/bench.mk — `make bench` (included by the Makefile).
#
#   make bench                 a 200 MB CSV, validated by odcat check from git
#                              and from the working tree, next to wc -l, Miller
#                              and cat; prints MB/s, peak RSS, ratios and the
#                              targets (tests/bench/bench.sh says what and how)
#   make bench BENCH_MB=1000   a bigger file (also BENCH_KEYS_MB, BENCH_RUNS)
#
# A benchmark run on purpose: never part of `make test`. It installs the
# Debian packages time and miller when they are missing (as root). Takes
# about two minutes for 200 MB on two cores, most of it Miller.

BENCH_MB ?= 200
BENCH_KEYS_MB ?= 50
BENCH_RUNS ?= 3

.PHONY: bench
bench: build/odcat
	@BENCH_MB=$(BENCH_MB) BENCH_KEYS_MB=$(BENCH_KEYS_MB) BENCH_RUNS=$(BENCH_RUNS) \
		ODCAT=build/odcat bash tests/bench/bench.sh
