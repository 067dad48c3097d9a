"""The layering rules of the design, checked on the source (ast) of every module under plugin/.

core: pure Python (no qgis, no Qt, no other plugin room). qgis: adapters (no qgis.gui, widgets, iface, gui,
tasks). tasks: no qgis.gui, widgets, gui. processing: no qgis.gui, iface, gui, tasks. Everywhere: Qt only via
qgis.PyQt, and relative imports inside the plugin (it is installed as sentinel_mirror/, not plugin/).
The root __init__.py imports nothing when it is imported (classFactory imports lazily).
"""
import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PLUGIN = ROOT / "plugin"

QT_WIDGETS = ("qgis.PyQt.QtWidgets", "PyQt5.QtWidgets", "PyQt6.QtWidgets")
IFACE = ("qgis.utils",)  # where `iface` lives; adapters, tasks and algorithms must not reach for it
# room -> forbidden module prefixes (absolute names; relative imports are resolved to plugin.*)
FORBIDDEN = {
    "core": ("qgis", "PyQt5", "PyQt6", "sip", "plugin.qgis", "plugin.gui", "plugin.tasks",
             "plugin.processing", "plugin.main"),
    "qgis": ("qgis.gui", *QT_WIDGETS, *IFACE, "plugin.gui", "plugin.tasks", "plugin.processing", "plugin.main"),
    "tasks": ("qgis.gui", *QT_WIDGETS, *IFACE, "plugin.gui", "plugin.main"),
    "processing": ("qgis.gui", *QT_WIDGETS, *IFACE, "plugin.gui", "plugin.tasks", "plugin.main"),
}
EVERYWHERE = ("PyQt5", "PyQt6", "sentinel_mirror")  # Qt only through qgis.PyQt; no absolute self-imports


def _matches(name, prefixes):
    return next((p for p in prefixes if name == p or name.startswith(p + ".")), None)


def imported_names(tree, module):
    """(line, absolute module name) for every import in the tree; `module` is e.g. 'plugin.core.tiles'."""
    package = module.split(".")[:-1]  # the package a relative import starts from (also right for __init__)
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name, 0
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[: len(package) - (node.level - 1)]
                name = ".".join(base + ([node.module] if node.module else []))
            else:
                name = node.module or ""
            yield node.lineno, name, node.level
            for alias in node.names:  # `from .. import qgis` / `from qgis.utils import iface`
                yield node.lineno, f"{name}.{alias.name}", node.level


def violations(rel_path, source):
    """Import-rule violations of one source file, as readable strings. rel_path: 'plugin/core/x.py'."""
    tree = ast.parse(source, filename=rel_path)
    parts = Path(rel_path).with_suffix("").parts
    if rel_path == "__init__.py":
        return [f"__init__.py:{n.lineno}: imports at import time; import inside classFactory instead"
                for n in tree.body if isinstance(n, (ast.Import, ast.ImportFrom))]
    module = ".".join(parts)
    room = parts[1] if len(parts) > 2 else None
    found = []
    for line, name, level in imported_names(tree, module):
        if level == 0 and (name == "plugin" or name.startswith("plugin.")):
            found.append(f"{rel_path}:{line}: absolute import of {name}; use a relative import (from ..x import y)")
            continue
        rule = _matches(name, EVERYWHERE)
        if rule:
            found.append(f"{rel_path}:{line}: imports {name}; use qgis.PyQt / relative imports")
        rule = _matches(name, FORBIDDEN.get(room, ()))
        if rule:
            found.append(f"{rel_path}:{line}: plugin/{room} must not import {rule} (imports {name})")
    return sorted(set(found))


def _sources():
    files = [ROOT / "__init__.py", *sorted(PLUGIN.rglob("*.py"))]
    return [p for p in files if "__pycache__" not in p.parts]


def test_every_plugin_module_respects_the_layering():
    problems = []
    for path in _sources():
        rel = path.relative_to(ROOT).as_posix()
        problems += violations(rel, path.read_text(encoding="utf-8"))
    assert problems == [], "\n".join(problems)


def test_scan_covers_the_rooms():
    rooms = {p.relative_to(PLUGIN).parts[0] for p in _sources()
             if p.is_relative_to(PLUGIN) and len(p.relative_to(PLUGIN).parts) > 1}
    assert {"core", "qgis", "gui", "processing", "tasks"} <= rooms


@pytest.mark.parametrize("rel, source, expected", [
    ("plugin/core/tiles.py", "import qgis.core\n", "plugin/core must not import qgis"),
    ("plugin/core/tiles.py", "from qgis.PyQt.QtCore import QObject\n", "plugin/core must not import qgis"),
    ("plugin/core/tiles.py", "def f():\n    from PyQt5 import QtCore\n", "plugin/core must not import PyQt5"),
    ("plugin/core/tiles.py", "from ..qgis import settings\n", "plugin/core must not import plugin.qgis"),
    ("plugin/core/providers/geodes.py", "from ...gui import dock\n", "plugin/core must not import plugin.gui"),
    ("plugin/core/providers/geodes.py", "from ... import qgis\n", "plugin/core must not import plugin.qgis"),
    ("plugin/qgis/layers.py", "from qgis.gui import QgsMapCanvas\n", "plugin/qgis must not import qgis.gui"),
    ("plugin/qgis/layers.py", "from qgis.PyQt.QtWidgets import QLabel\n", "must not import qgis.PyQt.QtWidgets"),
    ("plugin/qgis/layers.py", "from qgis.utils import iface\n", "plugin/qgis must not import qgis.utils"),
    ("plugin/qgis/layers.py", "from ..tasks.download import DownloadTask\n", "must not import plugin.tasks"),
    ("plugin/tasks/download.py", "from ..gui.dock import SentinelMirrorDock\n", "must not import plugin.gui"),
    ("plugin/tasks/download.py", "import qgis.gui\n", "plugin/tasks must not import qgis.gui"),
    ("plugin/processing/alg.py", "from ..tasks import base\n", "must not import plugin.tasks"),
    ("plugin/processing/alg.py", "from qgis import utils\n", "must not import qgis.utils"),
    ("plugin/gui/dock.py", "from plugin.core import models\n", "use a relative import"),
    ("plugin/gui/dock.py", "from PyQt5.QtWidgets import QLabel\n", "use qgis.PyQt"),
    ("__init__.py", "import os\n\ndef classFactory(iface):\n    pass\n", "imports at import time"),
])
def test_checker_catches_a_violation(rel, source, expected):
    found = violations(rel, source)
    assert any(expected in v for v in found), found


@pytest.mark.parametrize("rel, source", [
    ("plugin/core/tiles.py", "import math\nfrom osgeo import gdal\nfrom . import models\nfrom .providers import base\n"),
    ("plugin/qgis/layers.py", "from qgis.core import QgsRasterLayer\nfrom qgis.PyQt.QtCore import QObject\n"
                              "from ..core import models\n"),
    ("plugin/tasks/download.py", "from qgis.core import QgsTask\nfrom ..qgis import http\n"),
    ("plugin/processing/alg.py", "from qgis.core import QgsProcessingAlgorithm\nfrom ..qgis import feedback\n"),
    ("plugin/gui/dock.py", "from qgis.gui import QgsDockWidget\nfrom ..tasks import base\n"),
    ("plugin/main.py", "from qgis.utils import iface\nfrom .gui import dock\n"),
    ("__init__.py", "def classFactory(iface):\n    from .plugin.main import SentinelMirrorPlugin\n"),
])
def test_checker_accepts_allowed_imports(rel, source):
    assert violations(rel, source) == []
