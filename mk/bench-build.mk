# mk/bench-build.mk — `make bench-build` (part of `make bench`).
#
#   make bench-build                      catalogues of 1,000 and 10,000
#                                         datasets: full builds (-j1, -j2),
#                                         cached rebuilds, Hugo as the peer
#   make bench-build BENCH_SIZES=1000     only the small one (a few minutes)
#
# tests/bench/bench-build.sh says what is measured. Never part of `make test`.

BENCH_SIZES ?= 1000 10000
BENCH_ROWS ?= 1000

.PHONY: bench-build
bench: bench-build
bench-build: build/odcat
	@BENCH_SIZES="$(BENCH_SIZES)" BENCH_ROWS=$(BENCH_ROWS) ODCAT=build/odcat bash tests/bench/bench-build.sh
