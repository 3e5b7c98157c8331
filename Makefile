# Makefile: the common commands, wrapping Meson and Ninja.
#
#   make          build (build/)
#   make check    install what is needed, build, run every test, the library,
#                 CLI and server suites also under address and undefined-behaviour
#                 sanitizers (build-asan/), and each fuzz target briefly
#   make fuzz     fuzz each reader for FUZZ_SECONDS (docs/FUZZING.md)
#   make fault    the long fault runs; make load: five minutes of load
#                 (docs/RESILIENCE.md)
#   make demo     install, build, review the examples, then run the team server
#                 on SQLite with the examples imported (prints the address and logins)
#   make golden-update   rewrite the expected outputs of the golden tests
#   make bench    measure debrief beside its references (release build in
#                 build-bench/; docs/BENCHMARKS.md says how to read it)
#   make clean

BUILD ?= build
ASAN ?= build-asan
MESON ?= meson
NINJA ?= ninja

.PHONY: all deps build asan check test demo golden-update clean

SANITIZED = UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 ASAN_OPTIONS=detect_leaks=1 \
	LSAN_OPTIONS=suppressions=$(CURDIR)/tests/lsan.supp:print_suppressions=0

all: build

deps:
	@./scripts/install-deps
	@cd tests/browser && { { test -d node_modules/playwright-core && test -d node_modules/axe-core; } || npm ci --no-audit --no-fund --loglevel=error; }

$(BUILD)/build.ninja:
	$(MESON) setup $(BUILD) --buildtype=debugoptimized

$(ASAN)/build.ninja:
	$(MESON) setup $(ASAN) --buildtype=debug -Db_sanitize=address,undefined -Db_lundef=false

build: $(BUILD)/build.ninja
	$(NINJA) -C $(BUILD)

asan: $(ASAN)/build.ninja
	$(NINJA) -C $(ASAN)

test: build
	$(MESON) test -C $(BUILD) --print-errorlogs

check: deps
	$(MAKE) build asan
	$(MESON) test -C $(BUILD) --print-errorlogs
	@# The library, the CLI and the server again under the sanitizers: a
	@# sanitizer report fails a test, and so does a server that does not exit
	@# cleanly (leaks included). Then the kept fuzz inputs, then each
	@# libFuzzer target for $(FUZZ_CHECK_SECONDS) s (about 2.5 minutes with the clang build).
	$(SANITIZED) $(MESON) test -C $(ASAN) --print-errorlogs --suite unit --suite corpus \
		--suite cli --suite golden --suite api --suite web --suite fuzz
	$(MAKE) fuzz FUZZ_SECONDS=$(FUZZ_CHECK_SECONDS)

demo: deps
	$(MAKE) build
	@echo
	@echo "== the review of the examples: a score each ('debrief lint FILE' lists the findings)"
	@./$(BUILD)/debrief lint --today 2026-03-20 examples/excellent.md | grep ': score ' || true
	@./$(BUILD)/debrief lint --today 2026-11-26 examples/poor-*.md | grep -E ': score |^[0-9]+ files:' || true
	@echo
	@echo "== the reports, one self-contained HTML page each"
	@mkdir -p $(BUILD)/reports
	@for f in examples/*.md; do \
		case $$f in */README.md) continue;; esac; \
		out=$(BUILD)/reports/$$(basename $$f .md).html; \
		./$(BUILD)/debrief render --findings --today 2026-11-26 -o $$out $$f && echo "  $$(pwd)/$$out"; \
	done
	@echo
	@echo "== the team server, on a fresh database: $(BUILD)/demo/debrief.db"
	@rm -rf $(BUILD)/demo && mkdir -p $(BUILD)/demo
	@set -e; \
	debrief=./$(BUILD)/debrief; db=sqlite:$(BUILD)/demo/debrief.db; \
	listen='$(or $(DEMO_LISTEN),127.0.0.1:8080)'; url=http://$$listen; \
	for team in risk-engineering storefront-sre search identity; do \
		$$debrief team add $$team --db $$db >/dev/null; \
	done; \
	echo demo-admin-pass | $$debrief user add admin --role admin --db $$db >/dev/null; \
	echo demo-lena-pass | $$debrief user add lena --role author --team risk-engineering --db $$db >/dev/null; \
	echo demo-amara-pass | $$debrief user add amara --role reviewer --team storefront-sre --db $$db >/dev/null; \
	$$debrief import examples --team risk-engineering --db $$db; \
	token=$$($$debrief user token lena --label "make demo" --db $$db); \
	echo; \
	echo "== serving $$url until Ctrl-C: open it in a browser and sign in"; \
	echo "  logins (name / password):"; \
	echo "    admin / demo-admin-pass   admin"; \
	echo "    lena  / demo-lena-pass    author, risk-engineering (sees the restricted"; \
	echo "                              2026-02-17-orders-stuck-processing)"; \
	echo "    amara / demo-amara-pass   reviewer, storefront-sre (does not)"; \
	echo "  try, with lena's API token:"; \
	echo "    TOKEN=$$token"; \
	echo "    curl -s -H \"Authorization: Bearer \$$TOKEN\" $$url/api/v1/postmortems"; \
	echo "    curl -s -H \"Authorization: Bearer \$$TOKEN\" $$url/api/v1/postmortems/2026-03-10-eu-card-payments-declined"; \
	echo "    curl -s -H \"Authorization: Bearer \$$TOKEN\" $$url/api/v1/actions"; \
	echo "    curl -s $$url/healthz"; \
	echo; \
	exec $$debrief serve --listen $$listen --db $$db

golden-update: build
	python3 tests/golden/run.py --update ./$(BUILD)/debrief tests/golden
	python3 tests/render/golden.py --update ./$(BUILD)/debrief .

# Release build of its own; BENCH_QUICK=1 for a smoke run, BENCH_FULL=1 for the
# 100,000-document sets. A full run rewrites the results in docs/BENCHMARKS.md.
BENCH_BUILD ?= build-bench
.PHONY: bench
bench:
	@./scripts/install-deps
	@./scripts/install-bench-deps
	@cd bench && { test -x node_modules/.bin/markdownlint-cli2 || npm ci --no-audit --no-fund --loglevel=error; }
	@test -f $(BENCH_BUILD)/build.ninja || $(MESON) setup $(BENCH_BUILD) --buildtype=release
	$(NINJA) -C $(BENCH_BUILD) debrief debrief-team bench/parse-floor
	python3 bench/run --debrief $(BENCH_BUILD)/debrief --report $(BENCH_BUILD)/bench-results.md \
		--update-doc docs/BENCHMARKS.md

# Faults and load, the long runs (docs/RESILIENCE.md); make check runs short
# ones (suite `fault` of tests/meson.build). Figures go to $(BUILD)/*.json.
FAULT_ROUNDS ?= 25
FAULT_OUTAGES ?= 6
LOAD_SECONDS ?= 300
LOAD_CONNECTIONS ?= 200
LOAD_SLOW ?= 300
LOAD_BACKEND ?= sqlite
.PHONY: fault load
fault:
	@./scripts/install-deps
	$(MAKE) build
	DEBRIEF=$(BUILD)/debrief python3 tests/fault/test_kill.py --sabotage
	DEBRIEF=$(BUILD)/debrief python3 tests/fault/test_kill.py --backend both --rounds $(FAULT_ROUNDS) \
		--json $(BUILD)/fault-kill.json
	DEBRIEF=$(BUILD)/debrief python3 tests/fault/test_pg_outage.py --cycles $(FAULT_OUTAGES) \
		--json $(BUILD)/fault-pg-outage.json

load:
	@./scripts/install-deps
	$(MAKE) build
	DEBRIEF=$(BUILD)/debrief python3 tests/load/test_load.py --backend $(LOAD_BACKEND) \
		--seconds $(LOAD_SECONDS) --connections $(LOAD_CONNECTIONS) --slow $(LOAD_SLOW) \
		--json $(BUILD)/load-$(LOAD_BACKEND).json

clean:
	rm -rf $(BUILD) $(ASAN) $(FUZZ)

# Fuzzing (docs/FUZZING.md): the libFuzzer targets of fuzz/, built with clang
# under address and undefined-behaviour sanitizers in $(FUZZ)/, each run for
# FUZZ_SECONDS (FUZZ_TARGETS="lint clock" for some); prints executions,
# exec/s and coverage per target and fails on any crash, hang or leak.
# (-Wno-format-nonliteral: clang's -Wformat=2 also flags the va_list
# forwarding of lib/util/buf.c, which gcc accepts.)
FUZZ ?= build-fuzz
FUZZ_SECONDS ?= 60
FUZZ_CHECK_SECONDS ?= 8
FUZZ_TARGETS ?=
.PHONY: fuzz
$(FUZZ)/build.ninja:
	CC=clang $(MESON) setup $(FUZZ) --buildtype=debugoptimized -Dfuzzing=true \
		-Db_sanitize=address,undefined -Db_lundef=false \
		'-Dc_args=-fsanitize=fuzzer-no-link -fno-sanitize-recover=all -Wno-format-nonliteral'
fuzz:
	@./scripts/install-deps
	@$(MAKE) --no-print-directory $(FUZZ)/build.ninja
	$(NINJA) -C $(FUZZ) fuzzers
	./fuzz/run.sh $(FUZZ) $(FUZZ_SECONDS) $(FUZZ_TARGETS)
