# Sentinel Mirror: plain make. `make test` installs what the tests need (Debian packages, a venv) and runs them.
VENV ?= .venv
PY := $(VENV)/bin/python
PLUGIN_ID := sentinel_mirror
VERSION := $(shell sed -n 's/^version=//p' metadata.txt)
# scripts/testenv.sh keeps QGIS/Qt/GDAL from writing into $$HOME and /tmp, and GDAL from appending .aux.xml into zips.
TESTENV = scripts/testenv.sh
QGIS_PROFILE_DIR ?= $(HOME)/.local/share/QGIS/QGIS3/profiles/default

.PHONY: setup test test-unit test-qgis test-desktop run zip deploy demo bench bench-pipeline bench-ndvi bench-timeseries bench-flood bench-dock check-live clean i18n

setup:
	WITH_DESKTOP=1 scripts/setup-harness.sh

$(PY): requirements-dev.txt scripts/setup-harness.sh
	WITH_DESKTOP=1 scripts/setup-harness.sh
	@touch $(PY)

# Translations: i18n/*.ts is the source of truth (committed), the .qm is built from it (not committed).
# `make i18n` after adding or changing a user-visible string: pylupdate5 extracts every tr()/.ui string into the
# .ts (then translate what it marks unfinished, e.g. with Qt Linguist), lrelease builds the .qm.
QM := i18n/sentinel_mirror_fr.qm
i18n:
	/usr/bin/python3 scripts/i18n.py update
	/usr/bin/python3 scripts/i18n.py release

$(QM): i18n/sentinel_mirror_fr.ts
	/usr/bin/python3 scripts/i18n.py release

# Every stage runs even when an earlier one fails, so one run shows all failures; the exit status is 1 if any failed.
test: setup $(QM)
	@status=0; \
	$(TESTENV) $(PY) -m pytest -p no:qgis tests/unit $(PYTEST_ARGS) || status=1; \
	$(TESTENV) $(PY) -m pytest tests/qgis $(PYTEST_ARGS) || status=1; \
	if command -v xvfb-run >/dev/null 2>&1 && command -v qgis >/dev/null 2>&1; then \
	  $(MAKE) --no-print-directory test-desktop || status=1; \
	else echo "Xvfb or the QGIS desktop is missing: desktop tests skipped"; fi; \
	if [ "$$CI" = true ]; then scripts/matrix.sh || status=1; fi; \
	exit $$status

# The whole suite here (QGIS 3.22 on Debian 12), then in Debian 13 (QGIS 3.40 LTR) and sid (3.44) roots made
# with debootstrap and cached (scripts/matrix.sh; needs root or sudo). CI runs this: `make test` with CI=true.
.PHONY: test-matrix
test-matrix:
	@CI=true $(MAKE) --no-print-directory test

test-unit: $(PY) $(QM)
	$(TESTENV) $(PY) -m pytest -p no:qgis tests/unit $(PYTEST_ARGS)

test-qgis: $(PY) $(QM)
	$(TESTENV) $(PY) -m pytest tests/qgis $(PYTEST_ARGS)

# The real QGIS desktop under Xvfb; screenshots land in test-output/desktop/qgis-<version>/.
test-desktop: $(PY) $(QM)
	$(TESTENV) $(PY) -m pytest -m desktop tests/desktop $(PYTEST_ARGS)
	@echo "desktop screenshots: $(CURDIR)/test-output/desktop/"

# The QGIS desktop with the plugin loaded from this checkout, in a throwaway profile (QGIS_ARGS: extra arguments)
run: $(QM)
	scripts/run-qgis.sh $(QGIS_ARGS)

# dist/sentinel_mirror-<version>.zip: top folder sentinel_mirror/, plugin files only (see scripts/build_zip.py)
zip: $(QM)
	/usr/bin/python3 scripts/build_zip.py dist

# Install the zip into a QGIS profile (override: make deploy QGIS_PROFILE_DIR=/path/to/profiles/NAME)
deploy: zip
	mkdir -p "$(QGIS_PROFILE_DIR)/python/plugins"
	rm -rf "$(QGIS_PROFILE_DIR)/python/plugins/$(PLUGIN_ID)"
	cd "$(QGIS_PROFILE_DIR)/python/plugins" && unzip -q "$(CURDIR)/dist/$(PLUGIN_ID)-$(VERSION).zip"
	@echo "installed into $(QGIS_PROFILE_DIR)/python/plugins/$(PLUGIN_ID); enable it in Plugins > Manage and Install Plugins"

demo: setup $(QM)
	$(TESTENV) $(PY) scripts/demo.py $(DEMO_ARGS)

bench: bench-pipeline bench-ndvi bench-timeseries bench-flood bench-dock

bench-pipeline: $(PY)
	$(TESTENV) $(PY) bench/bench_pipeline.py $(BENCH_ARGS)

bench-ndvi: $(PY)
	$(TESTENV) $(PY) bench/bench_ndvi.py $(BENCH_ARGS)

# Parcel statistics vs native:zonalstatisticsfb (10,000 parcels x 60 dates, full tile) and point-profile latency
bench-timeseries: $(PY)
	$(TESTENV) $(PY) bench/bench_timeseries.py $(BENCH_ARGS)

# Full-size Sentinel-1 GRD pair (generated once into bench-output/flood/, several GB) over 100 x 100 km
bench-flood: $(PY)
	$(TESTENV) $(PY) bench/bench_flood.py $(BENCH_ARGS)

# The live GEODES/CDSE probes with YOUR account (credentials from SENTINEL_MIRROR_* variables; skipped without them).
# Never part of `make test` or CI. Redacted report in live-check-output/ (LIVE_ARGS="--out DIR", "--help").
check-live: $(PY)
	$(TESTENV) $(PY) scripts/check_live.py $(LIVE_ARGS)

# the dock in the real QGIS desktop (Xvfb) at ~290 products: main-thread stalls; BENCH_ARGS="--compare main"
bench-dock: $(PY)
	$(TESTENV) $(PY) bench/bench_dock.py $(BENCH_ARGS)

clean:
	rm -rf dist build .test-home test-output bench-output demo-output
	rm -f i18n/*.qm
	find . -name __pycache__ -prune -exec rm -rf {} +
