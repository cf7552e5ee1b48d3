# mk/bench-search.mk — `make bench-search` (included by the Makefile; part of `make bench`).
#
#   make bench-search                       a synthetic catalogue of 10,000 datasets
#   make bench-search SEARCH_BENCH_N=1000   a smaller one
#
# tests/bench/search.sh says what is measured: odcat's index build time,
# index bytes, bytes and latency of queries in headless Chromium, and
# Pagefind indexing the same built site in the same run. A benchmark run
# on purpose, never part of `make test`; it asserts nothing but that the
# tools run.

SEARCH_BENCH_N ?= 10000

.PHONY: bench-search
bench: bench-search

build/bench_search: tests/bench/search_index.c $(LIBOBJS)
	$(CC) $(CFLAGS_ALL) -Igenerator $< $(LIBOBJS) $(PKG_LIBS) $(LDFLAGS) -o $@

bench-search: build/odcat build/bench_search
	@SEARCH_BENCH_N=$(SEARCH_BENCH_N) ODCAT=build/odcat bash tests/bench/search.sh
