# mk/install.mk — `make install` and `make uninstall` (included by the Makefile).
#
#   make install                          into /usr/local (as root)
#   make install PREFIX=$HOME/.local      into a home folder
#   make install DESTDIR="$PWD/stage"     staged, for packaging
#
# Installs
#   $(PREFIX)/bin/odcat                         the program
#   $(PREFIX)/share/odcat/themes/default/       the default theme; odcat looks
#                                               for ../share/odcat/themes/default
#                                               beside its own executable
#   $(PREFIX)/share/odcat/pre-commit            the git hook for catalogue
#                                               repositories (docs/guide-en.md)
#
# The theme folder is replaced as a whole, so that a template removed from
# odcat does not linger from an older install. Only odcat's own files and
# folders are removed by `make uninstall`.

PREFIX ?= /usr/local
BINDIR ?= $(PREFIX)/bin
ODCAT_SHAREDIR ?= $(PREFIX)/share/odcat
INSTALL ?= install

ODCAT_THEME_DIR := $(DESTDIR)$(ODCAT_SHAREDIR)/themes/default

.PHONY: install uninstall
install: build/odcat
	$(INSTALL) -d '$(DESTDIR)$(BINDIR)' '$(DESTDIR)$(ODCAT_SHAREDIR)/themes'
	$(INSTALL) -m 755 build/odcat '$(DESTDIR)$(BINDIR)/odcat'
	rm -rf '$(ODCAT_THEME_DIR)'
	cd themes/default && find . -type d | while read -r d; do \
		$(INSTALL) -d "$(ODCAT_THEME_DIR)/$$d" || exit 1; done
	cd themes/default && find . -type f | while read -r f; do \
		$(INSTALL) -m 644 "$$f" "$(ODCAT_THEME_DIR)/$$f" || exit 1; done
	$(INSTALL) -m 755 tests/tools/pre-commit '$(DESTDIR)$(ODCAT_SHAREDIR)/pre-commit'

uninstall:
	rm -f '$(DESTDIR)$(BINDIR)/odcat'
	rm -rf '$(ODCAT_THEME_DIR)'
	rm -f '$(DESTDIR)$(ODCAT_SHAREDIR)/pre-commit'
	rmdir '$(DESTDIR)$(ODCAT_SHAREDIR)/themes' '$(DESTDIR)$(ODCAT_SHAREDIR)' 2>/dev/null || true
