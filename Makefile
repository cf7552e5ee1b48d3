# odcat — build, test and site verbs. Flags live here and nowhere else.
#
#   make site    install missing build dependencies (as root), build odcat,
#                build site/ from this repository's datasets/ at HEAD
#   make test    the whole suite, normal build and ASan+UBSan build
#   make         build build/odcat only

VERSION := 0.1.0

CC      ?= cc
PKGS    := libgit2 jansson libcmark-gfm nettle libpcre2-8 zlib libutf8proc
CSTD    := -std=c11 -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE
WARN    := -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes
OPT     ?= -O2 -g
# MeCab ships no .pc file: mecab-config says how to build against it.
PKG_CFLAGS = $(shell pkg-config --cflags $(PKGS) 2>/dev/null) $(shell mecab-config --cflags 2>/dev/null)
PKG_LIBS   = $(shell pkg-config --libs $(PKGS) 2>/dev/null) $(shell mecab-config --libs 2>/dev/null) \
	     -lcsv -lpthread -lm
CFLAGS_ALL = $(CSTD) $(WARN) $(OPT) -DODCAT_VERSION='"$(VERSION)"' $(PKG_CFLAGS) $(CFLAGS)
SAN     := -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer

SRCS    := $(sort $(wildcard generator/*.c))
LIBSRCS := $(filter-out generator/main.c,$(SRCS))
OBJS    := $(SRCS:generator/%.c=build/obj/%.o)
LIBOBJS := $(LIBSRCS:generator/%.c=build/obj/%.o)
SOBJS   := $(SRCS:generator/%.c=build/asan/obj/%.o)
SLIBOBJS:= $(LIBSRCS:generator/%.c=build/asan/obj/%.o)
UNITS   := $(sort $(wildcard tests/unit/test_*.c))
UNITBIN := $(UNITS:tests/unit/%.c=build/%)
SUNITBIN:= $(UNITS:tests/unit/%.c=build/asan/%)

.DEFAULT_GOAL := all
# Extra verbs (bench, fuzz, install, ...) live in mk/*.mk.
-include mk/*.mk

.PHONY: all deps deps-test site test asan clean
all: deps build/odcat

# Installs what is missing; when not root, prints the one command to run.
deps:
	@sh tests/tools/deps.sh build
deps-test:
	@sh tests/tools/deps.sh test

build/obj/%.o: generator/%.c generator/*.h Makefile | build/obj
	$(CC) $(CFLAGS_ALL) -c $< -o $@
build/asan/obj/%.o: generator/%.c generator/*.h Makefile | build/asan/obj
	$(CC) $(CFLAGS_ALL) $(SAN) -O1 -c $< -o $@
build/obj build/asan/obj:
	mkdir -p $@

build/odcat: $(OBJS)
	$(CC) $(CFLAGS_ALL) $(OBJS) $(PKG_LIBS) $(LDFLAGS) -o $@
build/asan/odcat: $(SOBJS)
	$(CC) $(CFLAGS_ALL) $(SAN) $(SOBJS) $(PKG_LIBS) $(LDFLAGS) -o $@

build/test_%: tests/unit/test_%.c tests/unit/harness.h $(LIBOBJS)
	$(CC) $(CFLAGS_ALL) -Igenerator $< $(LIBOBJS) $(PKG_LIBS) -o $@
build/asan/test_%: tests/unit/test_%.c tests/unit/harness.h $(SLIBOBJS)
	$(CC) $(CFLAGS_ALL) $(SAN) -Igenerator $< $(SLIBOBJS) $(PKG_LIBS) -o $@

asan: build/asan/odcat $(SUNITBIN)

site: deps build/odcat
	rm -rf site.tmp-*
	build/odcat build --repo . --out site
	@echo ""
	@echo "The site is in site/. Preview it with:"
	@echo "    python3 -m http.server -d site 8000"
	@echo "and open http://localhost:8000/ in a browser."

# The whole suite: unit tests and end-to-end tests against the normal
# build, then all of it again against the ASan+UBSan build.
test: deps-test build/odcat $(UNITBIN) build/asan/odcat $(SUNITBIN) $(REPLAY_BINS)
	@bash tests/run.sh

clean:
	rm -rf build
