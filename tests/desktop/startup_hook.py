"""PYQGIS_STARTUP for the desktop test: runs in QGIS before plugins load.

A plugin that fails to import makes QGIS open a modal "Python error" dialog, which would block the test until
its timeout. Here errors are collected instead (qgis.utils.sentinel_mirror_test_errors) so grab_plugin.py can
report them at once.
"""
import qgis.utils
from qgis.core import QgsApplication

qgis.utils.sentinel_mirror_test_errors = []


def _collect(message, tag, level):
    if tag == "Python error":
        qgis.utils.sentinel_mirror_test_errors.append(message)


def _no_dialog(*args, **kwargs):
    return None


QgsApplication.messageLog().messageReceived.connect(_collect)
qgis.utils.open_stack_dialog = _no_dialog
