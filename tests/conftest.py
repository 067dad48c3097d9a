"""Shared test setup. pytest-qgis (when enabled) has already started QGIS before this file is imported."""
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))
os.environ.setdefault("GDAL_PAM_ENABLED", "NO")
pytest_plugins = ["tests.simulator.pytest_plugin"]
