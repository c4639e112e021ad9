# skillsearch - build, index, test, bench.
#   make            build ./skillsearch
#   make run        install missing Debian packages (as root), build, index, query
#   make test       every test (unit, end-to-end, dev-set checks)
#   make bench      benchmarks against the SQLite FTS5 peer
#   make SANITIZE=1 ASan+UBSan build (objects in build-san/)

CC  ?= cc
CXX ?= c++
PKG_CONFIG ?= pkg-config
PKGS := xapian-core libutf8proc sqlite3 jansson libmicrohttpd

# Debian packages the build and tests need (checked by `make deps`).
DEB_PKGS := build-essential pkg-config libxapian-dev libutf8proc-dev \
            libsqlite3-dev libcsv-dev libjansson-dev libmicrohttpd-dev \
            libcmocka-dev python3 sqlite3 chromium wrk

ESCO_DIR ?=
LANG_CODE ?= en
INDEX ?= index
QUERY ?= wire bonding cleanroom

ifeq ($(SANITIZE),1)
BUILD ?= build-san
OPT := -O1 -g -fno-omit-frame-pointer -fsanitize=address,undefined -fno-sanitize-recover=all
LDOPT := -fsanitize=address,undefined
else
BUILD ?= build
OPT := -O2 -g
LDOPT :=
endif

PKG_CFLAGS := $(shell $(PKG_CONFIG) --cflags $(PKGS) 2>/dev/null)
PKG_LIBS := $(shell $(PKG_CONFIG) --libs $(PKGS) 2>/dev/null)

WARN := -Wall -Wextra -Werror
CFLAGS ?=
CXXFLAGS ?=
ALL_CFLAGS := -std=c11 -D_GNU_SOURCE $(OPT) $(WARN) -MMD -MP $(PKG_CFLAGS) $(CFLAGS)
ALL_CXXFLAGS := -std=c++17 $(OPT) $(WARN) -MMD -MP $(PKG_CFLAGS) $(CXXFLAGS)
LIBS := $(PKG_LIBS) -lcsv -lpthread -lm

LIB_C   := $(sort $(wildcard core/*.c indexer/*.c query/*.c synonyms/*.c server/*.c))
LIB_CXX := $(sort $(wildcard core/*.cc))
LIB_OBJ := $(LIB_C:%.c=$(BUILD)/%.o) $(LIB_CXX:%.cc=$(BUILD)/%.o)
LIBA    := $(BUILD)/libskillsearch.a

UNIT_SRC := $(sort $(wildcard tests/unit/test_*.c))
UNIT_BIN := $(UNIT_SRC:tests/unit/%.c=$(BUILD)/tests/%)

ifeq ($(SANITIZE),1)
BIN := $(BUILD)/skillsearch
else
BIN := skillsearch
endif

.PHONY: all deps run test unit bench clean index
all: $(BIN)

$(BUILD)/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -c $< -o $@

$(BUILD)/%.o: %.cc
	@mkdir -p $(dir $@)
	$(CXX) $(ALL_CXXFLAGS) -c $< -o $@

$(LIBA): $(LIB_OBJ)
	@rm -f $@
	ar rcs $@ $^

$(BIN): $(BUILD)/cli/main.o $(LIBA)
	$(CXX) $(LDOPT) -o $@ $^ $(LIBS)

$(BUILD)/tests/%: tests/unit/%.c $(LIBA)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -o $@ $< $(LIBA) $(LDOPT) $(LIBS) -lcmocka -lstdc++

$(BUILD)/bench/bench_search: bench/bench_search.c $(LIBA)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -o $@ $< $(LIBA) $(LDOPT) $(LIBS) -lstdc++

# Installs what is missing, only as root (CI and fresh machines).
deps:
	@missing=""; for p in $(DEB_PKGS); do \
	  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q 'install ok installed' || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    echo "installing:$$missing"; \
	    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing) >/dev/null || exit 1; \
	  else \
	    echo "missing Debian packages:$$missing (run as root, or: sudo apt-get install$$missing)" >&2; exit 1; \
	  fi; \
	fi

run: deps
	$(MAKE) $(BIN)
	./$(BIN) index --esco "$(if $(ESCO_DIR),$(ESCO_DIR),data/sample)" --lang $(LANG_CODE) --out $(INDEX)
	./$(BIN) search --index $(INDEX) "$(QUERY)"

unit: $(UNIT_BIN)

test: deps
	$(MAKE) $(BIN) unit
	BUILD=$(BUILD) BIN=$(BIN) ESCO_DIR="$(ESCO_DIR)" bash tests/run.sh

bench: deps
	$(MAKE) $(BIN) $(BUILD)/bench/bench_search
	BIN=$(BIN) BENCH=$(BUILD)/bench/bench_search ESCO_DIR="$(ESCO_DIR)" bash bench/run.sh

clean:
	rm -rf build build-san skillsearch index

-include $(LIB_OBJ:.o=.d) $(BUILD)/cli/main.d $(BUILD)/bench/bench_search.d
