# adthresh — anomaly-detection threshold calculator
.SUFFIXES:

PREFIX  ?= /usr/local
BINDIR  ?= $(PREFIX)/bin
LIBDIR  ?= $(PREFIX)/lib
INCLUDEDIR ?= $(PREFIX)/include
# The Python package finds the library at ../../../libadthresh.so.1 from
# its folder: keep it below LIBDIR.
PYTHONDIR ?= $(LIBDIR)/python3/dist-packages
MANDIR  ?= $(PREFIX)/share/man
PKGCONFIGDIR ?= $(LIBDIR)/pkgconfig
BASHCOMPDIR ?= $(PREFIX)/share/bash-completion/completions
DESTDIR ?=

CC      ?= cc
CFLAGS  ?= -O2 -g
PKG_CONFIG ?= pkg-config
PYTHON  ?= /usr/bin/python3
B       := build

WARN := -std=c11 -Wall -Wextra -Wpedantic -Wshadow -Wstrict-prototypes \
	-Wmissing-prototypes -Wformat=2 -Wvla
ifeq ($(WERROR),1)
WARN += -Werror
endif
ifneq ($(SANITIZE),)
SANFLAGS := -fsanitize=$(SANITIZE) -fno-omit-frame-pointer -fno-sanitize-recover=all
# Sanitized objects never mix with plain ones: each set of sanitizers builds
# in its own folder (build-san-address-undefined), unless B is given.
comma := ,
ifeq ($(origin B),file)
B := build-san-$(subst $(comma),-,$(SANITIZE))
endif
endif

# Debian packages: what building needs, and what the tests need on top.
DEPS_BUILD := gcc make pkg-config libcsv-dev libcjson-dev libpng-dev libtiff-dev libcairo2-dev \
	zlib1g-dev \
	help2man
DEPS_TEST  := libcmocka-dev python3-sklearn python3-numpy python3-scipy python3-tifffile \
	python3-pil libxml2-utils locales parallel
DEPS_VALGRIND := valgrind
DEPS_BENCH := time
DEPS_FUZZ  := clang-14 libclang-rt-14-dev

PKGS_PC   := libcjson libpng libtiff-4 cairo zlib
DEP_CFLAGS = $(shell $(PKG_CONFIG) --cflags $(PKGS_PC) 2>/dev/null)
# The libraries without a .pc file (Debian ships none for libcsv).
LIBS_NO_PC := -lcsv -lpthread -lm
DEP_LIBS   = $(shell $(PKG_CONFIG) --libs $(PKGS_PC) 2>/dev/null || echo -lcjson -lpng16 -ltiff -lcairo -lz) \
	$(LIBS_NO_PC)
ALL_CFLAGS  = $(CFLAGS) $(WARN) $(SANFLAGS) -D_POSIX_C_SOURCE=200809L -Iinclude $(DEP_CFLAGS) -MMD -MP
ALL_LDFLAGS = $(LDFLAGS) $(SANFLAGS)

LIB_SRC := $(filter-out src/main.c,$(wildcard src/*.c))
LIB_OBJ := $(LIB_SRC:src/%.c=$(B)/src/%.o)
BIN_OBJ := $(B)/src/main.o
# The headers a program using libadthresh needs: the run model (run.h),
# the writers (report.h, output.h), a level from samples (eval.h, curve.h)
# and everything they include.  The others are the library's own.
PUBLIC_H := $(addprefix include/adthresh/,api.h app.h cli.h curve.h curves.h dataset.h \
	defects.h error.h eval.h fields.h format.h imagefile.h messages.h metrics.h output.h \
	perimage.h pixels.h \
	plot.h points.h raster.h read.h read_opts.h report.h run.h samples.h score_formats.h \
	version.h)
VERSION := $(shell sed -n 's/^\#define ADTHRESH_VERSION "\(.*\)"$$/\1/p' include/adthresh/version.h)
SOVERSION := 1
UNIT_SRC := $(wildcard tests/unit/test_*.c)
UNIT_BIN := $(UNIT_SRC:tests/unit/%.c=$(B)/tests/%)

# Fuzzing: one libFuzzer target per reader (tests/fuzz/fuzz_<name>.c), built
# by `make fuzz` with clang into $(B)/fuzz/, the library compiled afresh
# there with the same instrumentation; and a replay driver per target built
# with $(CC) from libadthresh.a, which `make check` runs on the corpus.
FUZZ_CC      ?= clang-14
FUZZ_SECONDS ?= 600
FUZZ_JOBS    ?= 2
FUZZ_SAN     := -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all \
	-fno-omit-frame-pointer
FUZZ_CFLAGS   = -g -O1 $(FUZZ_SAN) $(WARN) -Wno-format-nonliteral \
	-D_POSIX_C_SOURCE=200809L -Iinclude $(DEP_CFLAGS) -MMD -MP
FUZZ_NAMES   := $(patsubst tests/fuzz/fuzz_%.c,%,$(wildcard tests/fuzz/fuzz_*.c))
FUZZ_BIN     := $(FUZZ_NAMES:%=$(B)/fuzz/fuzz_%)
FUZZ_LIB_OBJ := $(LIB_SRC:src/%.c=$(B)/fuzz/src/%.o)
FUZZ_REPLAY  := $(FUZZ_NAMES:%=$(B)/fuzz-replay/%)

.PHONY: all deps deps-build check check-unit check-cli check-oracle demo bench \
	install uninstall man clean format format-check lint check-valgrind fuzz fuzz-build fuzz-run \
	fuzz-replay FORCE

all: $(B)/adthresh $(B)/libadthresh.a $(B)/libadthresh.so $(B)/adthresh.1 $(B)/adthresh.pc

$(B)/libadthresh.a: $(LIB_OBJ)
	@rm -f $@
	$(AR) rcs $@ $^

# The shared library: the same objects, position-independent (-fPIC in
# the rule for src/*.o).
$(B)/libadthresh.so.$(SOVERSION): $(LIB_OBJ)
	$(CC) $(ALL_LDFLAGS) -shared -Wl,-soname,libadthresh.so.$(SOVERSION) -o $@ $(LIB_OBJ) \
	  $(DEP_LIBS)

$(B)/libadthresh.so: $(B)/libadthresh.so.$(SOVERSION)
	ln -sf libadthresh.so.$(SOVERSION) $@

$(B)/adthresh: $(BIN_OBJ) $(B)/libadthresh.a
	$(CC) $(ALL_LDFLAGS) -o $@ $(BIN_OBJ) $(B)/libadthresh.a $(DEP_LIBS)

$(B)/src/%.o: src/%.c
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -fPIC -c -o $@ $<

$(B)/tests/%.o: tests/unit/%.c
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -c -o $@ $<

$(B)/tests/test_%: $(B)/tests/test_%.o $(B)/libadthresh.a
	$(CC) $(ALL_LDFLAGS) -o $@ $< $(B)/libadthresh.a $(DEP_LIBS) -lcmocka

# test_grow watches the sizes adt_grow asks realloc for.
$(B)/tests/test_grow: ALL_LDFLAGS += -Wl,--wrap=realloc

# Installs the missing Debian packages (apt-get, non-interactive); says what
# it installs and does nothing when everything is present.
deps-build:
	@$(MAKE) --no-print-directory deps-install PKGS="$(DEPS_BUILD)"

deps:
	@$(MAKE) --no-print-directory deps-install PKGS="$(DEPS_BUILD) $(DEPS_TEST)"

deps-install:
	@missing=; for p in $(PKGS); do \
	  dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null | grep -q 'install ok installed' \
	    || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
	  echo "make deps: installing Debian packages:$$missing"; \
	  sudo=; [ "$$(id -u)" = 0 ] || sudo=sudo; \
	  export DEBIAN_FRONTEND=noninteractive; \
	  $$sudo apt-get install -y -q --no-install-recommends $$missing \
	  || { $$sudo apt-get update -q && \
	       $$sudo apt-get install -y -q --no-install-recommends $$missing; } \
	  || { echo "make deps: apt-get failed" >&2; exit 1; }; \
	fi

demo: deps-build
	@$(MAKE) --no-print-directory all
	./$(B)/adthresh --maps data/bottle --masks data/bottle --aupro --per-defect \
		--plot $(B)/bottle.png
	@echo "The PR and ROC curves of both levels: $(B)/bottle.png"

bench: deps
	@$(MAKE) --no-print-directory deps-install PKGS="$(DEPS_BENCH)"
	@$(MAKE) --no-print-directory all
	ADTHRESH=$(B)/adthresh BENCH_DIR=$(B)/bench $(PYTHON) tests/bench/bench.py

check: deps
	@$(MAKE) --no-print-directory all units fuzz-replay
	@ADTHRESH=$(B)/adthresh PYTHON=$(PYTHON) B=$(B) SANITIZE=$(SANITIZE) sh tests/check.sh

# The CLI golden cases with adthresh under valgrind: an invalid access or a
# definite or indirect leak fails the case.
check-valgrind: deps
	@$(MAKE) --no-print-directory deps-install PKGS="$(DEPS_VALGRIND)"
	@$(MAKE) --no-print-directory all
	@ADTHRESH=$(B)/adthresh VALGRIND=1 sh tests/cli/run.sh

units: $(UNIT_BIN)

fuzz:
	@$(MAKE) --no-print-directory deps-install PKGS="$(DEPS_BUILD) $(DEPS_FUZZ)"
	@$(MAKE) --no-print-directory fuzz-build

fuzz-build: $(FUZZ_LIB_OBJ) $(FUZZ_BIN)

# Runs every target on its corpus for FUZZ_SECONDS each, FUZZ_JOBS at a
# time; new inputs go to $(B)/fuzz/corpus, findings to $(B)/fuzz/artifacts.
fuzz-run: fuzz
	@B=$(B) FUZZ_SECONDS=$(FUZZ_SECONDS) FUZZ_JOBS=$(FUZZ_JOBS) sh tests/fuzz/fuzz-run.sh

fuzz-replay: $(FUZZ_REPLAY)

.PRECIOUS: $(B)/fuzz/%.o $(B)/fuzz-replay/%.o

$(B)/fuzz/src/%.o: src/%.c
	@mkdir -p $(@D)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -c -o $@ $<

$(B)/fuzz/%.o: tests/fuzz/%.c
	@mkdir -p $(@D)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -c -o $@ $<

$(B)/fuzz/fuzz_%: $(B)/fuzz/fuzz_%.o $(FUZZ_LIB_OBJ)
	$(FUZZ_CC) $(FUZZ_SAN) -o $@ $^ $(DEP_LIBS)

$(B)/fuzz-replay/%.o: tests/fuzz/%.c
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -c -o $@ $<

$(B)/fuzz-replay/%: $(B)/fuzz-replay/fuzz_%.o $(B)/fuzz-replay/replay.o $(B)/libadthresh.a
	$(CC) $(ALL_LDFLAGS) -o $@ $(B)/fuzz-replay/fuzz_$*.o $(B)/fuzz-replay/replay.o \
	  $(B)/libadthresh.a $(DEP_LIBS)

# The manual page, from --help of the program just built.  The version is
# given: the libraries' line of --version describes the machine the page
# is read on, not the one it was built on.
$(B)/adthresh.1: $(B)/adthresh
	@command -v help2man >/dev/null 2>&1 || \
	  { echo "help2man is missing: 'make deps-build' installs it" >&2; exit 1; }
	help2man --no-info --name='anomaly-detection threshold calculator' \
	  --version-string='$(VERSION)' -o $@.tmp ./$(B)/adthresh
	mv $@.tmp $@

# pkg-config's file for the install locations given (PREFIX, LIBDIR,
# INCLUDEDIR): rewritten only when they change, so that `make install
# PREFIX=...` after `make` describes where the files went.  A folder
# under PREFIX is written relative to ${prefix}.
pc_dir = $(patsubst $(PREFIX)/%,$${prefix}/%,$(1))
$(B)/adthresh.pc: src/adthresh.pc.in include/adthresh/version.h FORCE
	@mkdir -p $(@D)
	@sed -e 's|@PREFIX@|$(PREFIX)|' -e 's|@LIBDIR@|$(call pc_dir,$(LIBDIR))|' \
	  -e 's|@INCLUDEDIR@|$(call pc_dir,$(INCLUDEDIR))|' -e 's|@VERSION@|$(VERSION)|' \
	  -e 's|@REQUIRES_PRIVATE@|$(PKGS_PC)|' -e 's|@LIBS_PRIVATE@|$(LIBS_NO_PC)|' \
	  src/adthresh.pc.in >$@.tmp
	@if cmp -s $@.tmp $@; then rm -f $@.tmp; else mv $@.tmp $@ && echo "wrote $@"; fi

FORCE:

# What `make install` puts where (below DESTDIR), and `make uninstall`
# removes: exactly these files.  The shared library is installed as
# libadthresh.so.$(SOVERSION) (a file) with the libadthresh.so link for
# linking with -ladthresh.
PYTHON_PY := $(wildcard src/python/adthresh/*.py)
INSTALLED := $(BINDIR)/adthresh $(MANDIR)/man1/adthresh.1 \
	$(LIBDIR)/libadthresh.so.$(SOVERSION) $(LIBDIR)/libadthresh.so $(LIBDIR)/libadthresh.a \
	$(PKGCONFIGDIR)/adthresh.pc $(BASHCOMPDIR)/adthresh \
	$(PUBLIC_H:include/%=$(INCLUDEDIR)/%) \
	$(PYTHON_PY:src/python/%=$(PYTHONDIR)/%)

install: $(B)/adthresh $(B)/adthresh.1 $(B)/libadthresh.so.$(SOVERSION) $(B)/libadthresh.a \
		$(B)/adthresh.pc src/adthresh.bash $(PUBLIC_H) $(PYTHON_PY)
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR)/man1 $(DESTDIR)$(LIBDIR) \
	  $(DESTDIR)$(PKGCONFIGDIR) $(DESTDIR)$(BASHCOMPDIR) $(DESTDIR)$(INCLUDEDIR)/adthresh
	install -m 755 $(B)/adthresh $(DESTDIR)$(BINDIR)/adthresh
	install -m 644 $(B)/adthresh.1 $(DESTDIR)$(MANDIR)/man1/adthresh.1
	install -m 755 $(B)/libadthresh.so.$(SOVERSION) \
	  $(DESTDIR)$(LIBDIR)/libadthresh.so.$(SOVERSION)
	ln -sf libadthresh.so.$(SOVERSION) $(DESTDIR)$(LIBDIR)/libadthresh.so
	install -m 644 $(B)/libadthresh.a $(DESTDIR)$(LIBDIR)/libadthresh.a
	install -m 644 $(B)/adthresh.pc $(DESTDIR)$(PKGCONFIGDIR)/adthresh.pc
	install -m 644 src/adthresh.bash $(DESTDIR)$(BASHCOMPDIR)/adthresh
	install -m 644 $(PUBLIC_H) $(DESTDIR)$(INCLUDEDIR)/adthresh/
	install -d $(DESTDIR)$(PYTHONDIR)/adthresh
	install -m 644 $(PYTHON_PY) $(DESTDIR)$(PYTHONDIR)/adthresh/

# Removes the files install put, and the headers' folder once empty.
uninstall:
	rm -f $(addprefix $(DESTDIR),$(INSTALLED))
	rmdir $(DESTDIR)$(INCLUDEDIR)/adthresh 2>/dev/null || true
	rm -rf $(DESTDIR)$(PYTHONDIR)/adthresh/__pycache__
	rmdir $(DESTDIR)$(PYTHONDIR)/adthresh 2>/dev/null || true

man: deps-build
	@$(MAKE) --no-print-directory $(B)/adthresh.1

format:
	clang-format -i src/*.c include/adthresh/*.h tests/unit/*.c

format-check:
	clang-format --dry-run --Werror src/*.c include/adthresh/*.h tests/unit/*.c

lint:
	cppcheck --quiet --error-exitcode=1 --enable=warning,performance,portability \
	  --std=c11 -Iinclude src

clean:
	rm -rf $(B) build-san-*

-include $(wildcard $(B)/src/*.d $(B)/tests/*.d $(B)/fuzz/*.d $(B)/fuzz/src/*.d \
	$(B)/fuzz-replay/*.d)
