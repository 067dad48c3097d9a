"""PYQGIS_STARTUP for the desktop test: runs in QGIS before plugins load.

A plugin that fails to import makes QGIS open a modal "Python error" dialog, which would block the test until
its timeout. Here errors are collected instead (qgis.utils.sentinel_mirror_test_errors) so grab_plugin.py can
report them at once. So are DeprecationWarnings from the plugin's code (QGIS announces its QGIS 4 removals that
way): shown every time (Python hides them by default) and reported as errors.
"""
import warnings

import qgis.utils
from qgis.core import QgsApplication

qgis.utils.sentinel_mirror_test_errors = []
warnings.filterwarnings("always", category=DeprecationWarning, module=r"sentinel_mirror(\.|$)")


def _collect(message, tag, level):
    ours = "/sentinel_mirror/" in message.split("\n", 2)[0]   # qgis.utils.showWarning: "warning:<file>:<line>: ..."
    if tag == "Python error" or (tag == "Python warning" and ours and "DeprecationWarning" in message):
        qgis.utils.sentinel_mirror_test_errors.append(message)


def _no_dialog(*args, **kwargs):
    return None


QgsApplication.messageLog().messageReceived.connect(_collect)
qgis.utils.open_stack_dialog = _no_dialog
