"""metadata.txt's QGIS range covers the QGIS this suite runs on, by the plugin manager's own rule.

The QGIS matrix (`make test-matrix`) runs the suite on 3.22, 3.40 and 3.44: each run proves that its QGIS is
inside the declared range, so a range that no longer matches what is tested fails here.
"""
import importlib.util
from pathlib import Path

from qgis.core import Qgis, QgsApplication

from plugin import about


def _plugin_manager_version_rule():
    """pyplugin_installer/version_compare.py as QGIS ships it (imported alone: its package needs the GUI)."""
    path = Path(QgsApplication.pkgDataPath()) / "python" / "pyplugin_installer" / "version_compare.py"
    spec = importlib.util.spec_from_file_location("sm_version_compare", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.isCompatible


def test_running_qgis_is_inside_the_declared_range():
    meta = about.read_metadata()
    is_compatible = _plugin_manager_version_rule()
    running = Qgis.QGIS_VERSION.split("-")[0]
    assert is_compatible(running, meta["qgisMinimumVersion"], meta["qgisMaximumVersion"]), (
        f"QGIS {running} is outside metadata.txt's {meta['qgisMinimumVersion']}-{meta['qgisMaximumVersion']}")
    assert not is_compatible("3.46.0", meta["qgisMinimumVersion"], meta["qgisMaximumVersion"])
    assert not is_compatible("3.20.3", meta["qgisMinimumVersion"], meta["qgisMaximumVersion"])
