# mk/bench-history.mk — `make bench-history` (part of `make bench`): what
# the git history (one walk, dates, change histories, the stats page) adds
# to a build, against a one-commit build of the same tree and against
# `git log --raw` (tests/bench/history.sh says what and how).
#   make bench-history HIST_DATASETS=1000 HIST_COMMITS=300 HIST_RUNS=3

HIST_DATASETS ?= 1000
HIST_COMMITS ?= 300
HIST_RUNS ?= 3

.PHONY: bench-history
bench: bench-history
bench-history: build/odcat
	@HIST_DATASETS=$(HIST_DATASETS) HIST_COMMITS=$(HIST_COMMITS) HIST_RUNS=$(HIST_RUNS) \
		ODCAT=build/odcat bash tests/bench/history.sh
