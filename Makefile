# Two commands do all set-up on a fresh machine:
#   make serve   install (once), build the index on first run, start the web page on http://127.0.0.1:7860
#   make test    install (once, with test extras and Chromium), run the whole test suite
PYTHON ?= python3
PIP = $(PYTHON) -m pip
STAMP = .install.stamp
TEST_STAMP = .install-test.stamp

$(STAMP): pyproject.toml
	# CPU wheel of torch first: a plain "torch" requirement pulls a multi-GB CUDA build.
	$(PIP) install --quiet torch==2.13.0
	$(PIP) install --quiet -e .
	touch $(STAMP)

$(TEST_STAMP): $(STAMP)
	$(PIP) install --quiet -e '.[test]'
	command -v chromium >/dev/null 2>&1 || (apt-get update -qq && apt-get install -y -qq chromium fonts-noto-cjk >/dev/null)
	# axe-core for the accessibility checks of the browser tests: from npm, cached (tests/axe_core.py)
	command -v npm >/dev/null 2>&1 || (apt-get update -qq && apt-get install -y -qq npm >/dev/null)
	$(PYTHON) -m tests.axe_core
	touch $(TEST_STAMP)

install: $(STAMP)

serve: $(STAMP)
	$(PYTHON) -m assistant serve

index: $(STAMP)
	$(PYTHON) -m assistant index

test: $(TEST_STAMP)
	$(PYTHON) -m pytest

eval: $(STAMP)
	$(PYTHON) -m assistant eval

bench: $(TEST_STAMP)
	$(PYTHON) benchmarks/run_all.py

.PHONY: install serve index test eval bench
