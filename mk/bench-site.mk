# mk/bench-site.mk — `make bench-site` (also part of `make bench`).
#
#   make bench-site                     SITE_DATASETS datasets (default 40),
#                                       each a 32-column CSV of SITE_ROWS rows
#                                       (default 2000): render cost per
#                                       dataset page, size of each page type
#                                       (raw and gzip) and the 100 KB gzip
#                                       target of a dataset page with its CSS
#
# tests/bench/site.sh says what is measured and how. Never part of `make test`.

SITE_DATASETS ?= 40
SITE_ROWS ?= 2000
SITE_RUNS ?= 3

.PHONY: bench-site
bench: bench-site
bench-site: build/odcat
	@SITE_DATASETS=$(SITE_DATASETS) SITE_ROWS=$(SITE_ROWS) SITE_RUNS=$(SITE_RUNS) \
		ODCAT=build/odcat bash tests/bench/site.sh
