# make tsan — odcat built with ThreadSanitizer (build/tsan/odcat), and the
# suites that run datasets in parallel threads run against it. Not part of
# `make test` (TSan and ASan cannot share a build, and it is slow); run it
# after changing anything a dataset build touches.
TOBJS := $(SRCS:generator/%.c=build/tsan/obj/%.o)

build/tsan/obj/%.o: generator/%.c generator/*.h Makefile | build/tsan/obj
	$(CC) $(CFLAGS_ALL) -fsanitize=thread -O1 -c $< -o $@
build/tsan/obj:
	mkdir -p $@
build/tsan/odcat: $(TOBJS)
	$(CC) $(CFLAGS_ALL) -fsanitize=thread $(TOBJS) $(PKG_LIBS) $(LDFLAGS) -o $@

.PHONY: tsan
tsan: build/tsan/odcat
	@for s in jobs cache history; do \
		TSAN_OPTIONS="halt_on_error=1 exitcode=66" ODCAT=build/tsan/odcat bash tests/e2e/$$s.sh || exit 1; \
	done
