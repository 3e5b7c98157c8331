# Makefile: the common commands, wrapping Meson and Ninja.
#
#   make          build (build/)
#   make check    install what is needed, build, run every test, also under
#                 address and undefined-behaviour sanitizers (build-asan/)
#   make demo     install, build, review the examples and render their reports
#   make golden-update   rewrite the expected outputs of the golden tests
#   make clean

BUILD ?= build
ASAN ?= build-asan
MESON ?= meson
NINJA ?= ninja

.PHONY: all deps build asan check test demo golden-update clean

all: build

deps:
	@./scripts/install-deps
	@cd tests/browser && { test -d node_modules/playwright-core || npm ci --no-audit --no-fund --loglevel=error; }

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
	UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 ASAN_OPTIONS=detect_leaks=1 \
		LSAN_OPTIONS=suppressions=$(CURDIR)/tests/lsan.supp:print_suppressions=0 \
		$(MESON) test -C $(ASAN) --print-errorlogs --suite unit --suite corpus --suite cli

demo: deps
	$(MAKE) build
	@echo
	@echo "== the excellent example: no finding above info"
	./$(BUILD)/debrief lint --today 2026-03-20 examples/excellent.md || true
	@echo
	@echo "== the poor examples, with the reviewer's checklist"
	./$(BUILD)/debrief lint --today 2026-11-26 --checklist examples/poor-*.md || true
	@echo
	@echo "== the derived figures of the excellent example"
	./$(BUILD)/debrief timeline examples/excellent.md
	@echo
	@echo "== the reports, one self-contained HTML page each"
	@mkdir -p $(BUILD)/reports
	@for f in examples/*.md; do \
		case $$f in */README.md) continue;; esac; \
		out=$(BUILD)/reports/$$(basename $$f .md).html; \
		./$(BUILD)/debrief render --findings --today 2026-11-26 -o $$out $$f && echo "  $$(pwd)/$$out"; \
	done

golden-update: build
	python3 tests/golden/run.py --update ./$(BUILD)/debrief tests/golden
	python3 tests/render/golden.py --update ./$(BUILD)/debrief .

clean:
	rm -rf $(BUILD) $(ASAN)
