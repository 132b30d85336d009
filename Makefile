# adthresh — anomaly-detection threshold calculator
.SUFFIXES:

PREFIX  ?= /usr/local
BINDIR  ?= $(PREFIX)/bin
MANDIR  ?= $(PREFIX)/share/man
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
endif

# Debian packages: what building needs, and what the tests need on top.
DEPS_BUILD := gcc make pkg-config libcsv-dev libcjson-dev libpng-dev libtiff-dev
DEPS_TEST  := libcmocka-dev python3-sklearn python3-numpy python3-tifffile python3-pil
DEPS_BENCH := time

PKGS_PC   := libcjson libpng libtiff-4
DEP_CFLAGS = $(shell $(PKG_CONFIG) --cflags $(PKGS_PC) 2>/dev/null)
DEP_LIBS   = $(shell $(PKG_CONFIG) --libs $(PKGS_PC) 2>/dev/null || echo -lcjson -lpng16 -ltiff) \
	-lcsv -lpthread -lm
ALL_CFLAGS  = $(CFLAGS) $(WARN) $(SANFLAGS) -D_POSIX_C_SOURCE=200809L -Iinclude $(DEP_CFLAGS) -MMD -MP
ALL_LDFLAGS = $(LDFLAGS) $(SANFLAGS)

LIB_SRC := $(filter-out src/main.c src/cli.c,$(wildcard src/*.c))
LIB_OBJ := $(LIB_SRC:src/%.c=$(B)/src/%.o)
BIN_OBJ := $(B)/src/main.o $(B)/src/cli.o
UNIT_SRC := $(wildcard tests/unit/test_*.c)
UNIT_BIN := $(UNIT_SRC:tests/unit/%.c=$(B)/tests/%)

.PHONY: all deps deps-build check check-unit check-cli check-oracle demo bench \
	install uninstall man clean format format-check lint

all: $(B)/adthresh $(B)/libadthresh.a

$(B)/libadthresh.a: $(LIB_OBJ)
	@rm -f $@
	$(AR) rcs $@ $^

$(B)/adthresh: $(BIN_OBJ) $(B)/libadthresh.a
	$(CC) $(ALL_LDFLAGS) -o $@ $(BIN_OBJ) $(B)/libadthresh.a $(DEP_LIBS)

$(B)/src/%.o: src/%.c
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -c -o $@ $<

$(B)/tests/%.o: tests/unit/%.c
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -c -o $@ $<

$(B)/tests/test_%: $(B)/tests/test_%.o $(B)/libadthresh.a
	$(CC) $(ALL_LDFLAGS) -o $@ $< $(B)/libadthresh.a $(DEP_LIBS) -lcmocka

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
	./$(B)/adthresh --maps data/bottle --masks data/bottle data/bottle/scores.csv

bench: deps
	@$(MAKE) --no-print-directory deps-install PKGS="$(DEPS_BENCH)"
	@$(MAKE) --no-print-directory all
	ADTHRESH=$(B)/adthresh BENCH_DIR=$(B)/bench $(PYTHON) tests/bench/bench.py

check: deps
	@$(MAKE) --no-print-directory all units
	@ADTHRESH=$(B)/adthresh PYTHON=$(PYTHON) B=$(B) sh tests/check.sh

units: $(UNIT_BIN)

install: all
	mkdir -p $(DESTDIR)$(BINDIR)
	cp $(B)/adthresh $(DESTDIR)$(BINDIR)/adthresh
	if [ -f $(B)/adthresh.1 ]; then mkdir -p $(DESTDIR)$(MANDIR)/man1 && \
	  cp $(B)/adthresh.1 $(DESTDIR)$(MANDIR)/man1/adthresh.1; fi

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/adthresh $(DESTDIR)$(MANDIR)/man1/adthresh.1

man: $(B)/adthresh
	help2man --no-info --name='anomaly-detection threshold calculator' \
	  -o $(B)/adthresh.1 ./$(B)/adthresh

format:
	clang-format -i src/*.c include/adthresh/*.h tests/unit/*.c

format-check:
	clang-format --dry-run --Werror src/*.c include/adthresh/*.h tests/unit/*.c

lint:
	cppcheck --quiet --error-exitcode=1 --enable=warning,performance,portability \
	  --std=c11 -Iinclude src

clean:
	rm -rf $(B)

-include $(wildcard $(B)/src/*.d $(B)/tests/*.d)
