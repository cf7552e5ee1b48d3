# mk/bench-onepass.mk — `make bench-onepass` (part of `make bench`): the
# per-dataset work of a full build (a cache miss) against validation alone
# (`odcat check` of the same commit), measured in the same run
# (tests/bench/onepass.sh says what and how).
#   make bench-onepass ONEPASS_DATASETS=1000 ONEPASS_ROWS=1000 ONEPASS_RUNS=3

ONEPASS_DATASETS ?= 1000
ONEPASS_ROWS ?= 1000
ONEPASS_RUNS ?= 3

.PHONY: bench-onepass
bench: bench-onepass
bench-onepass: build/odcat
	@ONEPASS_DATASETS=$(ONEPASS_DATASETS) ONEPASS_ROWS=$(ONEPASS_ROWS) ONEPASS_RUNS=$(ONEPASS_RUNS) \
		ODCAT=build/odcat bash tests/bench/onepass.sh
