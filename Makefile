# salesdesk — build, test and install.  `make demo` and `make test` are the README's two
# commands; both install the build dependencies first when they are missing.
VERSION   = 0.1.0
PREFIX   ?= /usr/local
DESTDIR  ?=
BINDIR    = $(PREFIX)/bin
# the programs themselves; PATH gets salesdesk (salesdesk TOOL ...), salesdesk-daily and
# links to the three programs with distinctive names: salesdesk(1) says why
PKGLIBDIR = $(PREFIX)/lib/salesdesk
MANDIR    = $(PREFIX)/share/man
COMPDIR   = $(PREFIX)/share/bash-completion/completions
ON_PATH   = order-intake dispatch-plan freight-audit

CC       ?= cc
CFLAGS   ?= -O2 -g
WARN      = -std=c11 -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes \
            -Wmissing-prototypes -Wpointer-arith -Wformat=2 -Wno-format-nonliteral
CPPFLAGS += -D_GNU_SOURCE -DSALESDESK_VERSION='"$(VERSION)"' -Isrc/lib
XLSX_CFLAGS := $(shell pkg-config --cflags xlsxwriter 2>/dev/null)
XLSX_LIBS   := $(shell pkg-config --libs xlsxwriter 2>/dev/null || echo -lxlsxwriter)

# BUILD holds objects; OUT the programs.  The sanitizer flavour builds elsewhere so
# that the two never mix objects.
BUILD    ?= build/normal
OUT      ?= bin
SAN_FLAGS = -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all

TOOLS    = order-intake report dispatch-plan freight-audit receivables complaints merge
SCRIPTS  = salesdesk-daily
# the scale-out recipes (salesdesk(7), SCALE-OUT): shell scripts in bin/, installed beside
# salesdesk-daily, where salesdesk-parallel and -slurm find salesdesk-part
RECIPES  = salesdesk-parallel salesdesk-slurm salesdesk-part
LIB_SRC  = $(wildcard src/lib/*.c)
LIB_OBJ  = $(LIB_SRC:src/%.c=$(BUILD)/%.o)
# a tool is src/TOOL.c or a folder src/TOOL/*.c; only those present are built
tool_src = $(wildcard src/$(1).c src/$(1)/*.c)
PRESENT  = $(foreach t,$(TOOLS),$(if $(call tool_src,$(t)),$(t)))
PROGS    = $(PRESENT:%=$(OUT)/%)

LIBS_report = $(XLSX_LIBS)
CFLAGS_report = $(XLSX_CFLAGS)

UNIT_SRC = $(wildcard tests/unit/*.c)
UNIT_BIN = $(UNIT_SRC:tests/unit/%.c=$(BUILD)/tests/%)
HELPERS_SRC = $(wildcard tests/bin/*.c samples/gen.c)
HELPERS  = $(patsubst %.c,$(BUILD)/tests/%,$(notdir $(HELPERS_SRC)))

.PHONY: all deps test test-asan test-valgrind coverage bench demo install uninstall clean lint fuzz warn-flags deb

all: $(PROGS) $(UNIT_BIN) $(HELPERS)

# Each object depends on the headers it includes, as the compiler found them (-MMD, a .d
# file beside the object; -MP: a header since deleted does not stop the build), so that a
# change to report.h rebuilds report, not the core.  The test programs, built from one
# source each, write theirs beside the binary (-MF $@.d).
DEPFLAGS  = -MMD -MP
TOOL_OBJ  = $(foreach t,$(PRESENT),$(patsubst src/%.c,$(BUILD)/%.o,$(call tool_src,$(t))))
-include $(LIB_OBJ:.o=.d) $(TOOL_OBJ:.o=.d) $(UNIT_BIN:=.d) $(HELPERS:=.d)

$(BUILD)/%.o: src/%.c | deps-checked
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(DEPFLAGS) $(CFLAGS_$(firstword $(subst /, ,$*))) $(CFLAGS) $(WARN) $(EXTRA_CFLAGS) -c -o $@ $<

$(BUILD)/libsalesdesk.a: $(LIB_OBJ)
	@rm -f $@
	ar rcs $@ $^

define TOOL_RULE
$(OUT)/$(1): $(patsubst src/%.c,$(BUILD)/%.o,$(call tool_src,$(1))) $(BUILD)/libsalesdesk.a
	@mkdir -p $(OUT)
	$$(CC) $$(CFLAGS) $$(EXTRA_CFLAGS) $$(LDFLAGS) -o $$@ $$^ $$(LIBS_$(1)) -lcsv
endef
$(foreach t,$(PRESENT),$(eval $(call TOOL_RULE,$(t))))

$(BUILD)/tests/%: tests/unit/%.c $(BUILD)/libsalesdesk.a
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(DEPFLAGS) -MF $@.d $(CFLAGS) $(WARN) $(EXTRA_CFLAGS) -o $@ $< $(BUILD)/libsalesdesk.a -lcsv

$(BUILD)/tests/%: tests/bin/%.c $(BUILD)/libsalesdesk.a
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(DEPFLAGS) -MF $@.d $(CFLAGS) $(WARN) $(EXTRA_CFLAGS) -o $@ $< $(BUILD)/libsalesdesk.a -lcsv

# the replay driver compiles the fuzz targets (and order-intake) into itself
$(BUILD)/tests/fuzzreplay: $(wildcard tests/fuzz/*.[ch]) src/order-intake.c

$(BUILD)/tests/gen: samples/gen.c $(BUILD)/libsalesdesk.a
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(DEPFLAGS) -MF $@.d $(CFLAGS) $(WARN) $(EXTRA_CFLAGS) -o $@ $< $(BUILD)/libsalesdesk.a

# ---- dependencies: install only what is missing (apt-get update first if needed) ----
DEB_BUILD = libcsv-dev libxlsxwriter-dev pkg-config make gcc
DEB_TEST  = python3 python3-openpyxl mandoc groff-base util-linux msmtp python3-aiosmtpd unzip \
            node-csv-spectrum valgrind time bash-completion \
            libreoffice-calc-nogui poppler-utils fonts-wqy-microhei
DEB_BENCH = miller csvkit python3-xlsxwriter coinor-cbc python3-pulp python3-scipy hyperfine
# bin/salesdesk-parallel's and bin/salesdesk-slurm's engines, run for real by tests/checks/scaleout.sh and make bench
DEB_SCALE = parallel slurm-wlm munge
DEB_FUZZ  = clang libclang-rt-14-dev afl++
# the Debian package (make deb) and its install test (tests/checks/deb.sh, in make test)
DEB_PKG   = debhelper dpkg-dev fakeroot lintian

deps:
	@sh tests/deps.sh $(DEB_BUILD) $(DEB_TEST) $(DEB_SCALE) $(DEB_PKG)

# checked once per build: the build's headers must be there.  make all never installs
# anything (only make deps does, and make test and make demo run it first): a missing
# header says which command to run.  (Not when dpkg-buildpackage builds: Build-Depends
# did it, NO_DEPS_CHECK=1.)
deps-checked:
	@test -n "$(NO_DEPS_CHECK)" || test -f /usr/include/csv.h -a -f /usr/include/xlsxwriter.h || { \
	  echo "salesdesk: libcsv-dev or libxlsxwriter-dev is missing: run 'make deps' as root" >&2; \
	  exit 1; }

# ---- tests ----
# make test CASES='order-intake/credit-hold report' runs only those end-to-end cases
# (TOOL/CASE or a whole TOOL, as tests/run takes them).
test: deps all
	@BINDIR=$(CURDIR)/$(OUT) BUILD=$(CURDIR)/$(BUILD) CASES='$(CASES)' bash tests/run $(if $(CASES),e2e)

test-asan:
	@$(MAKE) --no-print-directory BUILD=build/asan OUT=build/asan/bin \
	  EXTRA_CFLAGS='$(SAN_FLAGS)' CFLAGS='-O1 -g' all
	@ASAN_OPTIONS=detect_leaks=1:abort_on_error=0 UBSAN_OPTIONS=print_stacktrace=1 \
	  BINDIR=$(CURDIR)/build/asan/bin BUILD=$(CURDIR)/build/asan SANITIZER=1 bash tests/run

# Line and branch coverage of src/ over the whole suite: its own flavour (unoptimised,
# so that lines map to code), an HTML report in build/coverage/html and a per-file
# summary in build/coverage/summary.txt.  lcov 1.16 (Debian 12) spells the branch
# switch lcov_branch_coverage.  The suite's status is the target's.
COV_RC = --rc lcov_branch_coverage=1
coverage:
	@sh tests/deps.sh $(DEB_BUILD) $(DEB_TEST) lcov
	@$(MAKE) --no-print-directory BUILD=build/coverage OUT=build/coverage/bin \
	  EXTRA_CFLAGS=--coverage CFLAGS='-O0 -g' all
	@lcov -q --zerocounters --directory build/coverage
	@BINDIR=$(CURDIR)/build/coverage/bin BUILD=$(CURDIR)/build/coverage bash tests/run; \
	  st=$$?; \
	  lcov -q $(COV_RC) --capture --directory build/coverage --base-directory . \
	    --output-file build/coverage/all.info && \
	  lcov -q $(COV_RC) --extract build/coverage/all.info '$(CURDIR)/src/*' \
	    --output-file build/coverage/src.info && \
	  genhtml -q $(COV_RC) --output-directory build/coverage/html build/coverage/src.info && \
	  lcov $(COV_RC) --list build/coverage/src.info | tee build/coverage/summary.txt && \
	  echo "coverage: build/coverage/html/index.html" && exit $$st

test-valgrind: all
	@BINDIR=$(CURDIR)/$(OUT) BUILD=$(CURDIR)/$(BUILD) VALGRIND=1 bash tests/run e2e

bench: all
	@sh tests/deps.sh $(DEB_BENCH) $(DEB_SCALE)
	@BINDIR=$(CURDIR)/$(OUT) BUILD=$(CURDIR)/$(BUILD) bash tests/bench/run

# WARN for the builds outside this Makefile (tests/fuzz/run): -Werror holds there too
warn-flags:
	@echo '$(WARN)'

fuzz:
	@sh tests/deps.sh $(DEB_FUZZ)
	@bash tests/fuzz/run $${FUZZ_SECONDS:-60}

demo: deps all
	@BINDIR=$(CURDIR)/$(OUT) sh samples/demo.sh

lint:
	mandoc -Tlint -W warning man/*.1 man/*.7

# The .deb, with Debian's tooling, in a copy of the tree under build/deb/ so that the
# build leaves the source tree as it was; lintian must report no error.
DEB_DIR = build/deb
deb:
	@sh tests/deps.sh $(DEB_BUILD) $(DEB_PKG)
	rm -rf $(DEB_DIR)
	mkdir -p $(DEB_DIR)/salesdesk-$(VERSION)
	tar -cf - --exclude=./build --exclude=./out --exclude=./.git . | \
	  tar -xf - -C $(DEB_DIR)/salesdesk-$(VERSION)
	cd $(DEB_DIR)/salesdesk-$(VERSION) && dpkg-buildpackage -us -uc -b >../build.log 2>&1 || \
	  { tail -30 ../build.log; exit 1; }
	lintian --fail-on error $(DEB_DIR)/salesdesk_$(VERSION)_*.changes
	@ls $(DEB_DIR)/*.deb

install: all
	mkdir -p $(DESTDIR)$(BINDIR) $(DESTDIR)$(PKGLIBDIR) $(DESTDIR)$(MANDIR)/man1 \
	  $(DESTDIR)$(MANDIR)/man7 $(DESTDIR)$(COMPDIR)
	for p in $(PRESENT) $(SCRIPTS); do \
	  test -f $(OUT)/$$p && install -m 755 $(OUT)/$$p $(DESTDIR)$(PKGLIBDIR)/$$p || exit 1; done
	for p in $(RECIPES); do install -m 755 bin/$$p $(DESTDIR)$(PKGLIBDIR)/$$p || exit 1; done
	install -m 755 bin/salesdesk $(DESTDIR)$(BINDIR)/salesdesk
	for p in $(ON_PATH); do ln -sf ../lib/salesdesk/$$p $(DESTDIR)$(BINDIR)/$$p; done
	# not links: salesdesk-daily finds the programs, the recipes salesdesk-part, in their
	# own folder
	for p in $(SCRIPTS) $(RECIPES); do \
	  printf '#!/bin/sh\nexec %s/%s "$$@"\n' $(PKGLIBDIR) $$p >$(DESTDIR)$(BINDIR)/$$p && \
	  chmod 755 $(DESTDIR)$(BINDIR)/$$p || exit 1; done
	for m in man/*.1; do install -m 644 $$m $(DESTDIR)$(MANDIR)/man1/; done
	for m in man/*.7; do install -m 644 $$m $(DESTDIR)$(MANDIR)/man7/; done
	install -m 644 bin/salesdesk.bash-completion $(DESTDIR)$(COMPDIR)/salesdesk
	for p in $(ON_PATH) $(SCRIPTS); do ln -sf salesdesk $(DESTDIR)$(COMPDIR)/$$p; done

uninstall:
	for p in salesdesk $(ON_PATH) $(SCRIPTS) $(RECIPES); do rm -f $(DESTDIR)$(BINDIR)/$$p; done
	rm -rf $(DESTDIR)$(PKGLIBDIR)
	for m in man/*.1; do rm -f $(DESTDIR)$(MANDIR)/man1/$$(basename $$m); done
	for m in man/*.7; do rm -f $(DESTDIR)$(MANDIR)/man7/$$(basename $$m); done
	for p in salesdesk $(ON_PATH) $(SCRIPTS); do rm -f $(DESTDIR)$(COMPDIR)/$$p; done

clean:
	rm -rf build out $(TOOLS:%=bin/%)
