# ANC-DB build.  Two commands matter (see README):
#   make demo   build everything and run the demo on ancdb-demo.db
#   (make demo-encrypted: the same on an encrypted file, with a throwaway key)
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
# The C tests (shim_test, fault_test, the fuzz replays) compile the shim with
# SQLITE_DEBUG (every SQLite assertion on) over TEST_CORE:
#   shipped (default)  the core libancdb.so ships, extracted again with
#                      SQLITE_DEBUG added so the code its assertions call is
#                      kept; it holds every function of the shipped core
#   full               the whole amalgamation (make test-native TEST_CORE=full)
TEST_CORE   ?= shipped
DEBUG_DIR   := $(BUILD)/debug-$(TEST_CORE)
ifeq ($(TEST_CORE),full)
TEST_CORE_DIR := $(DEBUG_DIR)
else ifeq ($(TEST_CORE),shipped)
TEST_CORE_DIR := $(BUILD)/core-debug
else
$(error TEST_CORE must be shipped or full, not '$(TEST_CORE)')
endif
TEST_CORE_C := $(TEST_CORE_DIR)/ancdb_core.c
SHIM_TEST   := $(DEBUG_DIR)/shim_test
BINDINGS_SRC := bindings/src/main/java
BINDINGS_OUT := $(BINDINGS_SRC)/io/ancdb/bindings/internal/ancdb_h.java
CC          ?= gcc
PYTHON      ?= python3

include $(NATIVE_DIR)/flags.mk

JAVA_HOME   := $(shell scripts/find-jdk.sh)
ifeq ($(JAVA_HOME),)
$(error no JDK >= 25 found: set JAVA_HOME to a JDK 25 or newer (e.g. Temurin 25))
endif
export JAVA_HOME
MVN         := mvn -B -q -Dstyle.color=never
JAVA        := $(JAVA_HOME)/bin/java
DEMO_DB     ?= ancdb-demo.db
DEMO_ENC_DB ?= ancdb-demo-encrypted.db

.PHONY: all native native-debug bindings check-bindings check-native java demo demo-encrypted test \
        test-native test-java clean size-report kill-long fuzz-corrupt bench bench-concurrency bench-cipher bench-store \
        bench-cold-process bench-full bench-floor

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

# The test core.  shipped: extract.py with the release defines plus
# SQLITE_DEBUG; then every function the shipped core keeps must be kept here
# too (the debug extraction only adds what the assertions call).  full: a
# link to the amalgamation.
$(BUILD)/core-debug/ancdb_core.c: $(CORE_C) $(SQLITE_C) $(NATIVE_DIR)/ancdb.c $(NATIVE_DIR)/faultvfs.c $(NATIVE_DIR)/flags.mk extract-tools/extract.py
	$(PYTHON) extract-tools/extract.py --amalgamation $(SQLITE_C) --shim $(NATIVE_DIR)/ancdb.c \
	  --defines "$(SQLITE_DEFINES) -DSQLITE_DEBUG" --out $(BUILD)/core-debug
	@kept() { sed -n 's/^    "\([^"]*\)" \[.*/\1/p' $$1/dependency_graph.dot | sort -u; }; \
	  dropped() { cut -d' ' -f1 $$1/excluded_functions.txt | sort -u; }; \
	  missing=$$(comm -12 <(kept $(CORE_DIR)) <(dropped $(BUILD)/core-debug)); \
	  test -z "$$missing" || { echo "core-debug dropped functions the shipped core has: $$missing" >&2; rm -f $@; exit 1; }; \
	  echo "core-debug: every function of the shipped core kept, except those SQLITE_DEBUG replaces:" \
	    $$(comm -23 <(kept $(CORE_DIR)) <(kept $(BUILD)/core-debug)) \
	    "; $$(comm -13 <(kept $(CORE_DIR)) <(kept $(BUILD)/core-debug) | wc -l) definitions added for SQLITE_DEBUG"

$(BUILD)/debug-full/ancdb_core.c: $(SQLITE_C)
	@mkdir -p $(@D)
	ln -sf ../sqlite/sqlite3.c $@

$(SHIM_TEST): $(TEST_CORE_C) $(NATIVE_DIR)/ancdb.c $(NATIVE_DIR)/ancdb.h $(NATIVE_DIR)/tests/shim_test.c
	@mkdir -p $(DEBUG_DIR)
	$(CC) $(SQLITE_DEFINES) -DSQLITE_DEBUG -g -O1 -I$(NATIVE_DIR) -I$(TEST_CORE_DIR) \
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

# The demo on an encrypted file: a throwaway random raw key in a file only its owner reads
# (removed afterwards), then the stock sqlite3 shell must fail on the file.
demo-encrypted: java
	@rm -f $(DEMO_ENC_DB) $(DEMO_ENC_DB)-journal $(DEMO_ENC_DB)-wal $(DEMO_ENC_DB)-shm
	@key=$$(umask 077 && mktemp) && trap 'rm -f "$$key"' EXIT && \
	  printf "x'%s'\n" "$$(od -An -tx1 -N32 /dev/urandom | tr -d ' \n')" > "$$key" && \
	  $(JAVA) --sun-misc-unsafe-memory-access=allow -jar protocol/target/ancdb.jar demo --key-file "$$key" $(DEMO_ENC_DB) && \
	  echo && echo "sqlite3 $(DEMO_ENC_DB) \"SELECT count(*) FROM AgentMemory;\"" && \
	  if sqlite3 $(DEMO_ENC_DB) "SELECT count(*) FROM AgentMemory;"; then \
	    echo "sqlite3 read the encrypted file" >&2; exit 1; \
	  else echo "(sqlite3 cannot read it: the file is encrypted)"; fi

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
# full length; lanes alternate DELETE and WAL, LANES of one kind at once.  KILLS kills
# of children writing one transaction after another over KILL_LANES lanes (DELETE, WAL,
# DELETE encrypted, WAL encrypted, ...; summary: reliability/results/kill9-long.txt), then
# GROUP_KILLS of children writing from 8 threads through group commit
# (reliability/results/kill9-group-long.txt).  `make test` runs a 200-kill pass over
# four lanes and a 100-kill group-commit pass.
# fuzz-corrupt: the corrupt-file fuzzer (CorruptFilesTest) over FILES seeds from
# FROM; `make test` runs seeds 0..999.  Summary: reliability/results/corrupt-files.txt,
# every seed's outcome: safety/target/reliability/corrupt-files.tsv.
KILLS       ?= 5000
GROUP_KILLS ?= 1000
KILL_LANES  ?= 4
LANES       ?= 2
FILES       ?= 10000
FROM        ?= 0
RELIABILITY_MVN := mvn -B -ntp -Dstyle.color=never -pl safety -am test -Dsurefire.failIfNoSpecifiedTests=false

kill-long: native check-bindings
	@mkdir -p reliability/results
	$(RELIABILITY_MVN) -Dtest=KillNineTest -Dreliability.kills=$(KILLS) -Dreliability.lanes=$(KILL_LANES) \
	  -Dreliability.parallel=$(LANES) -Dreliability.groupKills=$(GROUP_KILLS) \
	  -Dreliability.summary=$(CURDIR)/reliability/results/kill9-long.txt \
	  -Dreliability.groupSummary=$(CURDIR)/reliability/results/kill9-group-long.txt
	@cat reliability/results/kill9-long.txt reliability/results/kill9-group-long.txt

fuzz-corrupt: native check-bindings
	@mkdir -p reliability/results
	$(RELIABILITY_MVN) -Dtest=CorruptFilesTest -Dreliability.corruptFiles=$(FILES) -Dreliability.corruptFrom=$(FROM) \
	  -Dreliability.lanes=$(LANES) -Dreliability.summary=$(CURDIR)/reliability/results/corrupt-files.txt
	@cat reliability/results/corrupt-files.txt

# --- the Store of many files ---
# store-many: StoreManyFilesTest with STORE_FILES files (`make test` runs 10 000);
# store-descriptors: StoreDescriptorsTest touching STORE_NAMES distinct names
# through a 64-file cache in a child JVM (`make test` runs 5 000); summary in
# reliability/results/store-descriptors.txt; store-kill: StoreKillTest (kill -9
# during writes over 200 files) with STORE_KILLS kills (`make test` runs 8),
# summary in reliability/results/store-kill.txt; STORE_KILLS_ENCRYPTED more kills
# on a store with a master key (`make test` runs 4).
STORE_FILES ?= 50000
STORE_NAMES ?= 100000
STORE_KILLS ?= 100
STORE_KILLS_ENCRYPTED ?= $(STORE_KILLS)

store-many: native check-bindings
	$(RELIABILITY_MVN) -Dtest=StoreManyFilesTest -Dstore.files=$(STORE_FILES)

store-descriptors: native check-bindings
	@mkdir -p reliability/results
	$(RELIABILITY_MVN) -Dtest=StoreDescriptorsTest -Dstore.names=$(STORE_NAMES) \
	  -Dreliability.summary=$(CURDIR)/reliability/results/store-descriptors.txt
	@cat reliability/results/store-descriptors.txt

store-kill: native check-bindings
	@mkdir -p reliability/results
	$(RELIABILITY_MVN) -Dtest=StoreKillTest -Dreliability.storeKills=$(STORE_KILLS) \
	  -Dreliability.storeKillsEncrypted=$(STORE_KILLS_ENCRYPTED) \
	  -Dreliability.summary=$(CURDIR)/reliability/results/store-kill.txt
	@cat reliability/results/store-kill.txt

.PHONY: store-many store-descriptors store-kill

clean:
	rm -rf $(BUILD)/core $(BUILD)/core-debug $(BUILD)/lib $(BUILD)/full $(BUILD)/debug-*
	$(MVN) clean || true

# --- protocol fuzzing and soak -------------------------------------------------
# Longer runs of the suite's TcpFuzzTest (100 000 messages) and SoakTest (60 000
# operations) against an `ancdb serve` child process; figures in the README.
FUZZ_MESSAGES ?= 1000000
FUZZ_CONNECTIONS ?= 4
SOAK_OPS    ?= 600000

.PHONY: fuzz-protocol soak-protocol

fuzz-protocol: java
	$(MVN) -pl protocol test -Dtest=TcpFuzzTest -Dsurefire.failIfNoSpecifiedTests=false \
	  -Dancdb.fuzz.messages=$(FUZZ_MESSAGES) -Dancdb.fuzz.connections=$(FUZZ_CONNECTIONS)

soak-protocol: java
	$(MVN) -pl protocol test -Dtest=SoakTest -Dsurefire.failIfNoSpecifiedTests=false \
	  -Dancdb.soak.ops=$(SOAK_OPS)

# --- fault injection and fuzzing --------------------------------------------
# native/faultvfs.c is #included by ancdb.c (the "ancdb-fault" VFS, registered
# only on request).  fault_test sweeps I/O faults and power loss through it;
# the fuzz harnesses need clang + libFuzzer (apt: clang-14 libclang-rt-14-dev)
# and run only under `make fuzz`; their regression inputs are replayed by a
# gcc-built driver in test-native.
FAULT_TEST  := $(DEBUG_DIR)/fault_test
FUZZ_DIR    := $(NATIVE_DIR)/fuzz
FUZZ_BUILD  := $(BUILD)/fuzz
FUZZ_REPLAY := $(DEBUG_DIR)/fuzz_replay
FUZZ_SECONDS ?= 300
FUZZ_CC     ?= $(firstword $(shell command -v clang clang-19 clang-16 clang-15 clang-14 2>/dev/null))
FUZZ_TARGETS := record index page

$(CORE_C) $(LIB) $(SHIM_TEST): $(NATIVE_DIR)/faultvfs.c

$(FAULT_TEST): $(TEST_CORE_C) $(NATIVE_DIR)/ancdb.c $(NATIVE_DIR)/ancdb.h $(NATIVE_DIR)/faultvfs.c $(NATIVE_DIR)/tests/fault_test.c
	@mkdir -p $(DEBUG_DIR)
	$(CC) $(SQLITE_DEFINES) -DSQLITE_DEBUG -g -O1 -I$(NATIVE_DIR) -I$(TEST_CORE_DIR) \
	  $(NATIVE_DIR)/ancdb.c $(NATIVE_DIR)/tests/fault_test.c -o $@ -lpthread -lm

# FAULT_MODE=quick takes every 7th N only.
test-fault: $(FAULT_TEST)
	@rm -rf $(DEBUG_DIR)/fault-scratch && mkdir -p $(DEBUG_DIR)/fault-scratch
	$(FAULT_TEST) $(DEBUG_DIR)/fault-scratch $(FAULT_MODE)

# Fuzz targets (native/fuzz/fuzz_*.c) on the SQLITE_DEBUG test core with
# ASan + UBSan.  `make fuzz` runs each for FUZZ_SECONDS with libFuzzer,
# corpus in native/build/fuzz/corpus (seeded from native/fuzz/regressions),
# findings in native/build/fuzz/artifacts.  Keep each finding (and a few
# seeds) in native/fuzz/regressions/<target>/: test-native replays them all.
FUZZ_CFLAGS := $(SQLITE_DEFINES) -DSQLITE_DEBUG -g -O1 -I$(NATIVE_DIR) -I$(TEST_CORE_DIR)
SAN_FLAGS   := -fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer
REPLAY_DIR  := $(DEBUG_DIR)/replay

$(REPLAY_DIR)/ancdb.o: $(TEST_CORE_C) $(NATIVE_DIR)/ancdb.c $(NATIVE_DIR)/ancdb.h $(NATIVE_DIR)/faultvfs.c
	@mkdir -p $(@D)
	$(CC) $(FUZZ_CFLAGS) $(SAN_FLAGS) -c $(NATIVE_DIR)/ancdb.c -o $@

$(REPLAY_DIR)/replay_%: $(REPLAY_DIR)/ancdb.o $(FUZZ_DIR)/fuzz_%.c $(FUZZ_DIR)/fuzz_common.h $(FUZZ_DIR)/replay.c
	$(CC) $(FUZZ_CFLAGS) $(SAN_FLAGS) $(FUZZ_DIR)/fuzz_$*.c $(FUZZ_DIR)/replay.c $(REPLAY_DIR)/ancdb.o -o $@ -lpthread -lm

test-fuzz-replay: $(addprefix $(REPLAY_DIR)/replay_,$(FUZZ_TARGETS))
	@for t in $(FUZZ_TARGETS); do \
	  ANCDB_FUZZ_DIR=$(REPLAY_DIR) $(REPLAY_DIR)/replay_$$t $(FUZZ_DIR)/regressions/$$t || exit 1; done

$(FUZZ_BUILD)/ancdb.o: $(TEST_CORE_C) $(NATIVE_DIR)/ancdb.c $(NATIVE_DIR)/ancdb.h $(NATIVE_DIR)/faultvfs.c
	@test -n "$(FUZZ_CC)" || { echo "make fuzz: no clang found (apt-get install clang-14 libclang-rt-14-dev)" >&2; exit 1; }
	@mkdir -p $(@D)
	$(FUZZ_CC) $(FUZZ_CFLAGS) $(SAN_FLAGS) -fsanitize=fuzzer-no-link -c $(NATIVE_DIR)/ancdb.c -o $@

$(FUZZ_BUILD)/fuzz_%: $(FUZZ_BUILD)/ancdb.o $(FUZZ_DIR)/fuzz_%.c $(FUZZ_DIR)/fuzz_common.h
	$(FUZZ_CC) $(FUZZ_CFLAGS) $(SAN_FLAGS) -fsanitize=fuzzer $(FUZZ_DIR)/fuzz_$*.c $(FUZZ_BUILD)/ancdb.o -o $@ -lpthread -lm

fuzz: $(addprefix $(FUZZ_BUILD)/fuzz_,$(FUZZ_TARGETS))
	@for t in $(FUZZ_TARGETS); do \
	  mkdir -p $(FUZZ_BUILD)/corpus/$$t $(FUZZ_BUILD)/artifacts/$$t; \
	  cp -n $(FUZZ_DIR)/regressions/$$t/* $(FUZZ_BUILD)/corpus/$$t/ 2>/dev/null || true; \
	  echo "fuzz: $$t for $(FUZZ_SECONDS) s"; \
	  ANCDB_FUZZ_DIR=$(FUZZ_BUILD) $(FUZZ_BUILD)/fuzz_$$t -max_total_time=$(FUZZ_SECONDS) -print_final_stats=1 \
	    -artifact_prefix=$(FUZZ_BUILD)/artifacts/$$t/ $(FUZZ_BUILD)/corpus/$$t > $(FUZZ_BUILD)/$$t.log 2>&1; \
	  rc=$$?; grep -E "^#[0-9]+.*(DONE|INITED)|stat::number_of_executed_units|cov:" $(FUZZ_BUILD)/$$t.log | tail -3; \
	  if [ $$rc -ne 0 ]; then echo "fuzz: $$t found a crash: see $(FUZZ_BUILD)/$$t.log and $(FUZZ_BUILD)/artifacts/$$t" >&2; exit 1; fi; \
	done

test-native: test-fault test-fuzz-replay

.PHONY: test-fault test-fuzz-replay fuzz

# --- benchmarks ---------------------------------------------------------------
# make bench: the headline figures, each with a 99.9% error within 15% of its
# score or marked UNRELIABLE (about 13 minutes on an idle 2-core machine);
# make bench-concurrency: threads, concurrent writers, mixed load, AgentMemory
# through the dispatcher (issue 12, about 10 minutes); make bench-cipher:
# encrypted against plaintext ANC-DB (issue 14, about 5 minutes);
# make bench-full: every benchmark, store, config and shape. Each writes its
# report into benchmarks/results/ (see benchmarks/README.md).
BENCH_FLOOR := benchmarks/target/bench_floor

$(BENCH_FLOOR): benchmarks/c/bench_floor.c $(NATIVE_DIR)/ancdb.h $(LIB)
	@mkdir -p $(dir $@)
	$(CC) -O2 -Wall -Wextra -I$(NATIVE_DIR) $< -o $@ -L$(LIB_DIR) -lancdb -Wl,-rpath,$(abspath $(LIB_DIR)) -lm

bench-floor: $(BENCH_FLOOR)

bench: java $(BENCH_FLOOR)
	bash benchmarks/run.sh quick

bench-concurrency: java
	bash benchmarks/run.sh concurrency

bench-cipher: java
	bash benchmarks/run.sh cipher

# make bench-store: many small files (issue 13), ANC-DB's Store of pair files against
# sqlite-jdbc (STORE_FILES=10000 for 10,000 files); make bench-cold-process: whole one-shot
# processes, `ancdb put` against the sqlite3 shell (benchmarks/cold-process.sh).
bench-store: java
	bash benchmarks/run.sh store

bench-cold-process: java
	bash benchmarks/cold-process.sh

bench-full: java $(BENCH_FLOOR)
	bash benchmarks/run.sh full

# --- encryption (SQLCipher 4 format): oracle and C tests ----------------------
# The oracle is SQLite3 Multiple Ciphers (pinned in native/oracle.pin, fetched
# by native/fetch-oracle.sh): an independent SQLCipher 4 implementation built
# into a small checker (native/tests/oracle.c).  Test build only, never shipped.
ORACLE_DIR  := $(BUILD)/oracle
ORACLE_C    := $(ORACLE_DIR)/sqlite3.c
ORACLE      := $(ORACLE_DIR)/ancdb-oracle

$(ORACLE_C): $(NATIVE_DIR)/oracle.pin $(NATIVE_DIR)/fetch-oracle.sh $(NATIVE_DIR)/pinned-fetch.sh
	bash $(NATIVE_DIR)/fetch-oracle.sh $(ORACLE_DIR)
	@touch $@

$(ORACLE): $(ORACLE_C) $(NATIVE_DIR)/tests/oracle.c
	$(CC) -O1 -w -DSQLITE_THREADSAFE=1 -DSQLITE_DQS=0 -I$(ORACLE_DIR) $(ORACLE_C) $(NATIVE_DIR)/tests/oracle.c \
	  -o $@ -lpthread -lm

oracle: $(ORACLE)

$(SQLITE_C): $(NATIVE_DIR)/pinned-fetch.sh

.PHONY: oracle

# C tests of encryption at rest (ancdb_open_key, native/ciphervfs.c) on the
# SQLITE_DEBUG build, with round trips through the oracle both ways.
CIPHER_SRC  := $(NATIVE_DIR)/wrapvfs.c $(NATIVE_DIR)/cryptolib.c $(NATIVE_DIR)/ciphervfs.c $(NATIVE_DIR)/rekey.c
CIPHER_TEST := $(DEBUG_DIR)/cipher_test

$(CORE_C) $(TEST_CORE_C) $(LIB) $(SHIM_TEST) $(FAULT_TEST) $(REPLAY_DIR)/ancdb.o $(FUZZ_BUILD)/ancdb.o: $(CIPHER_SRC)

$(CIPHER_TEST): $(TEST_CORE_C) $(NATIVE_DIR)/ancdb.c $(NATIVE_DIR)/ancdb.h $(NATIVE_DIR)/faultvfs.c \
                $(CIPHER_SRC) $(NATIVE_DIR)/tests/cipher_test.c
	@mkdir -p $(DEBUG_DIR)
	$(CC) $(SQLITE_DEFINES) -DSQLITE_DEBUG -g -O1 -I$(NATIVE_DIR) -I$(TEST_CORE_DIR) \
	  $(NATIVE_DIR)/ancdb.c $(NATIVE_DIR)/tests/cipher_test.c -o $@ -lpthread -lm -ldl

test-cipher: $(CIPHER_TEST) $(ORACLE)
	@rm -rf $(DEBUG_DIR)/cipher-scratch && mkdir -p $(DEBUG_DIR)/cipher-scratch
	$(CIPHER_TEST) $(DEBUG_DIR)/cipher-scratch $(ORACLE)

test-native: test-cipher

# The Java encryption tests (EncryptionTest) run the oracle too.
test-java: $(ORACLE)

.PHONY: test-cipher

# --- analytics across a store (analytics/, DuckDB) ---------------------------
# analytics-demo: generates a store of DEMO_PAIRS pair files (6 months of rally
# events, planted changes) in DEMO_STORE and prints the pairs the two questions
# (analytics/sql/lead_time.sql, conversion.sql) flag.
DEMO_STORE  ?= analytics-demo-store
DEMO_PAIRS  ?= 1000
DEMO_SEED   ?= 1
ANALYTICS_JAR := analytics/target/ancdb-analytics.jar

analytics-demo: java
	@rm -rf $(DEMO_STORE)
	$(JAVA) -jar $(ANALYTICS_JAR) generate --store $(DEMO_STORE) --pairs $(DEMO_PAIRS) --months 6 --seed $(DEMO_SEED)
	@echo "== lead time grown by 20 % or more in the last 3 weeks (analytics/sql/lead_time.sql), then"
	@echo "== conversion down by 40 % or more in the last 3 weeks (analytics/sql/conversion.sql)"
	$(JAVA) -jar $(ANALYTICS_JAR) sql --store $(DEMO_STORE) --file analytics/sql/lead_time.sql \
	  --file analytics/sql/conversion.sql

.PHONY: analytics-demo

# bench-analytics: load rate (1 and 2 threads), the two questions end to end
# against the sqlite3 shell file by file and DuckDB over Parquet, export rate;
# on a generated store of BENCH_PAIRS files x BENCH_RALLIES quotes a week for 6
# months (defaults: 1 000 files, about 10 M events), BENCH_TRIALS trials per
# figure. Report: analytics/target/bench/REPORT.md (the store is kept there).
BENCH_PAIRS   ?= 1000
BENCH_RALLIES ?= 180
BENCH_TRIALS  ?= 5

bench-analytics: java
	$(JAVA) --enable-native-access=ALL-UNNAMED -cp $(ANALYTICS_JAR) io.ancdb.analytics.bench.AnalyticsBench \
	  analytics/target/bench $(BENCH_PAIRS) $(BENCH_RALLIES) $(BENCH_TRIALS) analytics/target/bench/REPORT.md \
	  $(ANALYTICS_JAR) analytics/sql

# analytics-memory: BoundedMemoryTest at MEMORY_PAIRS x MEMORY_RALLIES (about
# 10 M rows by default) in a child JVM with a 32 MiB heap; `make test` runs
# 100 x 80 (about 430 000 rows).
MEMORY_PAIRS   ?= 1000
MEMORY_RALLIES ?= 180

analytics-memory: native check-bindings
	mvn -B -ntp -Dstyle.color=never -pl analytics -am test -Dsurefire.failIfNoSpecifiedTests=false \
	  -Dtest=BoundedMemoryTest -Danalytics.memoryPairs=$(MEMORY_PAIRS) -Danalytics.memoryRallies=$(MEMORY_RALLIES)

.PHONY: bench-analytics analytics-memory
