# mk/fuzz.mk — `make fuzz` and `make fuzz-replay` (included by the Makefile).
#
#   make fuzz                  libFuzzer (clang) + ASan + UBSan: runs every
#                              target for FUZZ_SECONDS (default 60) on its
#                              committed corpus; installs clang and
#                              libclang-rt-14-dev first when missing (as root)
#   make fuzz FUZZ_TARGETS=csv_schema FUZZ_SECONDS=600
#                              one target, longer
#   make fuzz-replay           replays every committed corpus through
#                              tests/fuzz/standalone.c, built with $(CC) and
#                              the ASan+UBSan flags of `make asan`: quick, and
#                              fails when any input crashes, leaks, trips an
#                              oracle or hangs. Meant for `make test`.
#
# Targets are tests/fuzz/<target>.c (each file says its input format);
# seeds are tests/fuzz/corpus/<target>/; dictionaries tests/fuzz/<target>.dict.
# The library sources are compiled again with clang and the fuzzer's
# instrumentation into build/fuzz/obj/; inputs libFuzzer finds go to
# build/fuzz/corpus/<target>/ (never into the committed seeds) and crashes
# to build/fuzz/crashes/<target>/. To keep a crash as a regression input:
#   build/fuzz/fuzz_<target> -minimize_crash=1 -runs=10000 CRASH
# and copy the smallest result into tests/fuzz/corpus/<target>/.

FUZZ_TARGETS ?= csv_schema template markdown jsonloc access_log
FUZZ_SECONDS ?= 60
FUZZ_CC      ?= clang
# Extra libFuzzer options, e.g. FUZZ_ARGS='-jobs=2 -workers=2'.
FUZZ_ARGS    ?=

FUZZ_SAN     := address,undefined
# clang warns about other things than gcc: the fuzz build must not fail on
# a warning that the normal build (gcc, -Werror) does not have.
FUZZ_CFLAGS   = $(filter-out -Werror,$(CFLAGS_ALL)) -O1 -g -fno-omit-frame-pointer \
		-fno-sanitize-recover=all
FUZZ_LIBOBJS := $(LIBSRCS:generator/%.c=build/fuzz/obj/%.o)
FUZZ_BINS     = $(FUZZ_TARGETS:%=build/fuzz/fuzz_%)
REPLAY_BINS   = $(FUZZ_TARGETS:%=build/asan/fuzz_replay_%)

.PHONY: fuzz fuzz-build fuzz-deps fuzz-replay
.PRECIOUS: build/fuzz/fuzz_% build/asan/fuzz_replay_% build/fuzz/obj/%.o

fuzz-deps:
	@sh tests/fuzz/deps.sh

build/fuzz/obj:
	mkdir -p $@

build/fuzz/obj/%.o: generator/%.c generator/*.h Makefile mk/fuzz.mk | build/fuzz/obj
	$(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer-no-link,$(FUZZ_SAN) -c $< -o $@

build/fuzz/fuzz_%: tests/fuzz/%.c tests/fuzz/fuzz.h $(FUZZ_LIBOBJS)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer,$(FUZZ_SAN) -Igenerator -Itests/fuzz \
		$< $(FUZZ_LIBOBJS) $(PKG_LIBS) $(LDFLAGS) -o $@

fuzz-build: fuzz-deps
	@$(MAKE) --no-print-directory $(FUZZ_BINS)

# Every target runs even when an earlier one crashed; the verb fails at the
# end if any did.
fuzz: fuzz-build
	@failed=""; \
	for t in $(FUZZ_TARGETS); do \
		mkdir -p build/fuzz/corpus/$$t build/fuzz/crashes/$$t; \
		dict=""; [ -f tests/fuzz/$$t.dict ] && dict="-dict=tests/fuzz/$$t.dict"; \
		echo "== fuzz $$t for $(FUZZ_SECONDS) s"; \
		ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
		build/fuzz/fuzz_$$t -max_total_time=$(FUZZ_SECONDS) -timeout=30 \
			-rss_limit_mb=2560 -max_len=16384 -print_final_stats=1 $$dict \
			-artifact_prefix=build/fuzz/crashes/$$t/ $(FUZZ_ARGS) \
			build/fuzz/corpus/$$t tests/fuzz/corpus/$$t \
			>build/fuzz/$$t.log 2>&1 || failed="$$failed $$t"; \
		grep -E '^(#[0-9]+.*DONE|stat::number_of_executed_units|stat::average_exec_per_sec|==[0-9]+==ERROR|SUMMARY)' \
			build/fuzz/$$t.log || tail -n 5 build/fuzz/$$t.log; \
	done; \
	if [ -n "$$failed" ]; then \
		echo "fuzz: crashes in:$$failed (logs: build/fuzz/<target>.log, inputs: build/fuzz/crashes/)"; \
		exit 1; \
	fi; \
	echo "fuzz: no crash in $(FUZZ_TARGETS)"

build/asan/fuzz_replay_%: tests/fuzz/%.c tests/fuzz/standalone.c tests/fuzz/fuzz.h $(SLIBOBJS)
	$(CC) $(CFLAGS_ALL) $(SAN) -O1 -Igenerator -Itests/fuzz tests/fuzz/standalone.c $< \
		$(SLIBOBJS) $(PKG_LIBS) $(LDFLAGS) -o $@

fuzz-replay: $(REPLAY_BINS)
	@failed=""; \
	for t in $(FUZZ_TARGETS); do \
		printf 'fuzz-replay %-12s ' "$$t"; \
		ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
		build/asan/fuzz_replay_$$t tests/fuzz/corpus/$$t || failed="$$failed $$t"; \
	done; \
	if [ -n "$$failed" ]; then echo "fuzz-replay: failures in:$$failed"; exit 1; fi
