# ANC-DB build.  Two commands matter (see README):
#   make demo   build everything and run the demo on ancdb-demo.db
#   make test   build everything and run every test suite
# The native library is built from the pinned SQLite amalgamation reduced by
# extract-tools/extract.py; Maven packs it into the bindings jar.

SHELL       := /bin/bash
NATIVE_DIR  := native
BUILD       := $(NATIVE_DIR)/build
SQLITE_C    := $(BUILD)/sqlite/sqlite3.c
CORE_DIR    := $(BUILD)/core
CORE_C      := $(CORE_DIR)/ancdb_core.c
LIB_DIR     := $(BUILD)/lib
LIB         := $(LIB_DIR)/libancdb.so
FULL_DIR    := $(BUILD)/full
FULL_LIB    := $(FULL_DIR)/libsqlite3.so
DEBUG_DIR   := $(BUILD)/debug
SHIM_TEST   := $(DEBUG_DIR)/shim_test
BINDINGS_SRC := bindings/src/main/java
BINDINGS_OUT := $(BINDINGS_SRC)/io/ancdb/bindings/internal/ancdb_h.java
CC          ?= gcc
PYTHON      ?= python3

include $(NATIVE_DIR)/flags.mk

JAVA_HOME   := $(shell scripts/find-jdk.sh)
ifeq ($(JAVA_HOME),)
$(error no JDK >= 22 found: set JAVA_HOME to a JDK 22+ (Temurin 25 recommended))
endif
export JAVA_HOME
MVN         := mvn -B -q -Dstyle.color=never
JAVA        := $(JAVA_HOME)/bin/java
DEMO_DB     ?= ancdb-demo.db

.PHONY: all native native-debug bindings check-bindings check-native java demo test \
        test-native test-java clean size-report kill-long fuzz-corrupt

all: java

# --- native -----------------------------------------------------------------
$(SQLITE_C): $(NATIVE_DIR)/sqlite.pin $(NATIVE_DIR)/fetch-sqlite.sh $(NATIVE_DIR)/patch-sqlite.py
	bash $(NATIVE_DIR)/fetch-sqlite.sh $(BUILD)/sqlite
	@touch $@

$(CORE_C): $(SQLITE_C) $(NATIVE_DIR)/ancdb.c $(NATIVE_DIR)/flags.mk extract-tools/extract.py
	$(PYTHON) extract-tools/extract.py --amalgamation $(SQLITE_C) --shim $(NATIVE_DIR)/ancdb.c \
	  --defines "$(SQLITE_DEFINES)" --out $(CORE_DIR)

$(LIB): $(CORE_C) $(NATIVE_DIR)/ancdb.c $(NATIVE_DIR)/ancdb.h $(NATIVE_DIR)/ancdb.map
	@mkdir -p $(LIB_DIR)
	$(CC) $(SQLITE_DEFINES) $(OPT_CFLAGS) -I$(NATIVE_DIR) -I$(CORE_DIR) $(NATIVE_DIR)/ancdb.c -o $@ $(OPT_LDFLAGS)

# The whole amalgamation as a plain libsqlite3 with the same flags: only for
# the size comparison in the report.
$(FULL_LIB): $(SQLITE_C) $(NATIVE_DIR)/flags.mk
	@mkdir -p $(FULL_DIR)
	$(CC) $(SQLITE_DEFINES) $(OPT_CFLAGS) -fvisibility=default $(SQLITE_C) -o $@ -shared -Wl,--gc-sections -lpthread -lm

$(CORE_DIR)/size_report.md.done: $(LIB) $(FULL_LIB) extract-tools/size_report.sh
	bash extract-tools/size_report.sh $(LIB) $(FULL_LIB) $(CORE_DIR)/size_report.md
	@touch $@

native: $(LIB) $(CORE_DIR)/size_report.md.done

# SQLITE_DEBUG build (every SQLite assertion on) of the shim + the whole
# amalgamation, for the C tests.
$(SHIM_TEST): $(SQLITE_C) $(NATIVE_DIR)/ancdb.c $(NATIVE_DIR)/ancdb.h $(NATIVE_DIR)/tests/shim_test.c
	@mkdir -p $(DEBUG_DIR)
	ln -sf ../sqlite/sqlite3.c $(DEBUG_DIR)/ancdb_core.c
	$(CC) $(SQLITE_DEFINES) -DSQLITE_DEBUG -g -O1 -I$(NATIVE_DIR) -I$(DEBUG_DIR) \
	  $(NATIVE_DIR)/ancdb.c $(NATIVE_DIR)/tests/shim_test.c -o $@ -lpthread -lm

native-debug: $(SHIM_TEST)

# Fails when the library exports anything but ancdb_* or contains the SQL
# compiler / VDBE.
check-native: $(LIB)
	bash extract-tools/check_symbols.sh $(LIB)

# --- bindings ---------------------------------------------------------------
bindings:
	$(PYTHON) extract-tools/gen_bindings.py --header $(NATIVE_DIR)/ancdb.h --out $(BINDINGS_SRC)

check-bindings:
	$(PYTHON) extract-tools/gen_bindings.py --header $(NATIVE_DIR)/ancdb.h --out $(BINDINGS_SRC) --check

# --- java -------------------------------------------------------------------
java: native check-bindings
	$(MVN) -DskipTests install

demo: java
	@rm -f $(DEMO_DB) $(DEMO_DB)-journal $(DEMO_DB)-wal $(DEMO_DB)-shm
	$(JAVA) --sun-misc-unsafe-memory-access=allow -jar protocol/target/ancdb.jar demo $(DEMO_DB)

# --- tests ------------------------------------------------------------------
test-native: $(SHIM_TEST) check-native
	@rm -rf $(DEBUG_DIR)/scratch && mkdir -p $(DEBUG_DIR)/scratch
	$(SHIM_TEST) $(DEBUG_DIR)/scratch
	bash extract-tools/tests/test_gen_bindings.sh
	bash extract-tools/tests/test_extract.sh

test-java: native check-bindings
	mvn -B -ntp -Dstyle.color=never verify
	@scripts/test-summary.sh

test: test-native test-java
	@echo "make test: all suites passed"

# --- reliability ---
# kill-long: the kill -9 durability loop (safety/.../reliability/KillNineTest) at
# full length; lanes alternate DELETE and WAL and run in parallel.  The summary
# goes to reliability/results/kill9-long.txt.  `make test` runs a 200-kill pass.
# fuzz-corrupt: the corrupt-file fuzzer (CorruptFilesTest) over FILES seeds from
# FROM; `make test` runs seeds 0..999.  Summary: reliability/results/corrupt-files.txt,
# every seed's outcome: safety/target/reliability/corrupt-files.tsv.
KILLS       ?= 5000
LANES       ?= 2
FILES       ?= 10000
FROM        ?= 0
RELIABILITY_MVN := mvn -B -ntp -Dstyle.color=never -pl safety -am test -Dsurefire.failIfNoSpecifiedTests=false

kill-long: native check-bindings
	@mkdir -p reliability/results
	$(RELIABILITY_MVN) -Dtest=KillNineTest -Dreliability.kills=$(KILLS) -Dreliability.lanes=$(LANES) \
	  -Dreliability.summary=$(CURDIR)/reliability/results/kill9-long.txt
	@cat reliability/results/kill9-long.txt

fuzz-corrupt: native check-bindings
	@mkdir -p reliability/results
	$(RELIABILITY_MVN) -Dtest=CorruptFilesTest -Dreliability.corruptFiles=$(FILES) -Dreliability.corruptFrom=$(FROM) \
	  -Dreliability.lanes=$(LANES) -Dreliability.summary=$(CURDIR)/reliability/results/corrupt-files.txt
	@cat reliability/results/corrupt-files.txt

clean:
	rm -rf $(BUILD)/core $(BUILD)/lib $(BUILD)/full $(BUILD)/debug
	$(MVN) clean || true
