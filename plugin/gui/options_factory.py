"""Registers the Settings > Options > Sentinel Mirror page at plugin load. Kept apart from options_page so that
load stays cheap: the page (its .ui form, the settings and requests behind them) loads when Options opens."""
from qgis.gui import QgsOptionsWidgetFactory
from qgis.PyQt.QtGui import QIcon

from .. import about

OBJECT_NAME = "SentinelMirrorOptionsPage"   # QGIS selects an options page by it (the dock's gear button)


class OptionsFactory(QgsOptionsWidgetFactory):
    def __init__(self):
        super().__init__()
        self.setTitle(about.NAME)

    def icon(self):
        return QIcon(about.ICON_PATH)

    def createWidget(self, parent):  # noqa: N802 (QGIS API name)
        from .options_page import OptionsPage

        return OptionsPage(parent)
