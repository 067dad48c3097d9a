# Sentinel Mirror: plain make. `make test` installs what the tests need (Debian packages, a venv) and runs them.
VENV ?= .venv
PY := $(VENV)/bin/python
PLUGIN_ID := sentinel_mirror
VERSION := $(shell sed -n 's/^version=//p' metadata.txt)
# scripts/testenv.sh keeps QGIS/Qt/GDAL from writing into $$HOME and /tmp, and GDAL from appending .aux.xml into zips.
TESTENV = scripts/testenv.sh
QGIS_PROFILE_DIR ?= $(HOME)/.local/share/QGIS/QGIS3/profiles/default
PLUGIN_FILES := metadata.txt __init__.py LICENSE plugin ui resources

.PHONY: setup test test-unit test-qgis test-desktop run zip deploy demo bench bench-pipeline bench-ndvi clean

setup:
	WITH_DESKTOP=1 scripts/setup-harness.sh

$(PY): requirements-dev.txt scripts/setup-harness.sh
	WITH_DESKTOP=1 scripts/setup-harness.sh
	@touch $(PY)

test: setup
	$(TESTENV) $(PY) -m pytest -p no:qgis tests/unit $(PYTEST_ARGS)
	$(TESTENV) $(PY) -m pytest tests/qgis $(PYTEST_ARGS)
	@if command -v xvfb-run >/dev/null 2>&1 && command -v qgis >/dev/null 2>&1; then \
	  $(MAKE) --no-print-directory test-desktop; \
	else echo "Xvfb or the QGIS desktop is missing: desktop tests skipped"; fi

test-unit: $(PY)
	$(TESTENV) $(PY) -m pytest -p no:qgis tests/unit $(PYTEST_ARGS)

test-qgis: $(PY)
	$(TESTENV) $(PY) -m pytest tests/qgis $(PYTEST_ARGS)

# The real QGIS desktop under Xvfb; screenshots land in test-output/desktop/.
test-desktop: $(PY)
	$(TESTENV) $(PY) -m pytest -m desktop tests/desktop $(PYTEST_ARGS)
	@echo "desktop screenshots: $(CURDIR)/test-output/desktop/"

run: $(PY)
	scripts/run-qgis.sh

zip:
	@rm -rf build/zip && mkdir -p build/zip/$(PLUGIN_ID) dist
	git ls-files -z -- $(PLUGIN_FILES) | xargs -0 -I{} cp --parents {} build/zip/$(PLUGIN_ID)/
	cd build/zip && rm -f ../../dist/$(PLUGIN_ID)-$(VERSION).zip && zip -qr ../../dist/$(PLUGIN_ID)-$(VERSION).zip $(PLUGIN_ID)
	@echo dist/$(PLUGIN_ID)-$(VERSION).zip

deploy: zip
	mkdir -p "$(QGIS_PROFILE_DIR)/python/plugins"
	rm -rf "$(QGIS_PROFILE_DIR)/python/plugins/$(PLUGIN_ID)"
	cd "$(QGIS_PROFILE_DIR)/python/plugins" && unzip -q "$(CURDIR)/dist/$(PLUGIN_ID)-$(VERSION).zip"
	@echo "installed into $(QGIS_PROFILE_DIR)/python/plugins/$(PLUGIN_ID); enable it in Plugins > Manage and Install Plugins"

demo: setup
	$(TESTENV) $(PY) scripts/demo.py $(DEMO_ARGS)

bench: bench-pipeline bench-ndvi

bench-pipeline: $(PY)
	$(TESTENV) $(PY) bench/bench_pipeline.py $(BENCH_ARGS)

bench-ndvi: $(PY)
	$(TESTENV) $(PY) bench/bench_ndvi.py $(BENCH_ARGS)

clean:
	rm -rf dist build .test-home test-output bench-output demo-output
	find . -name __pycache__ -prune -exec rm -rf {} +
