"""Runs INSIDE the real QGIS desktop started in French (qgis --code french_dock.py), by test_desktop_french.py.

QGIS's profile says French (locale/overrideFlag + locale/userLocale = fr_FR). Waits for Sentinel Mirror, opens
its dock and the Processing toolbox, searches one tile against the simulator (its URLs come in the
environment), then records every visible text of the dock and of the options page and which of them are still
English (tests/i18n_texts.py), the toolbox entries under "Sentinel Mirror", and saves two screenshots
(SM_FR_OUT/french-dock.png, french-options.png). Writes a JSON report (SM_FR_REPORT) and quits; any error ends up in
the report so the test never waits for a hung QGIS.
"""
import os
import sys
from pathlib import Path

import qgis.utils
from qgis.core import QgsApplication
from qgis.PyQt.QtCore import QCoreApplication, QDate
from qgis.PyQt.QtWidgets import QDockWidget, QTreeView

sys.path.insert(0, os.environ["SM_ROOT"])   # the checkout (--code runs without __file__)
from tests.desktop.driver_base import PLUGIN, DesktopDriver, launch  # noqa: E402
from tests.i18n_texts import english_left, widget_texts  # noqa: E402

OUT = Path(os.environ["SM_FR_OUT"])
REPORT = os.environ["SM_FR_REPORT"]


class Driver(DesktopDriver):
    # ---- steps ------------------------------------------------------------------------------------------------
    def ready(self):   # open the dock and the toolbox
        self.report["qgis_translation"] = QgsApplication.instance().translation()
        [action] = self.toolbar().actions()
        self.report["action_tooltip"] = action.toolTip()
        action.trigger()
        toolbox = self.window.findChild(QDockWidget, "ProcessingToolbox")
        if toolbox is not None:
            toolbox.show()
        self.step(self.search, 1500)

    def search(self):
        dock = self.dock()
        dock.ui.startDate.setDate(QDate(2023, 6, 1))
        dock.ui.endDate.setDate(QDate(2023, 7, 31))
        dock.ui.cloudSpin.setValue(100)
        dock.ui.tileRadio.setChecked(True)
        dock.ui.tileEdit.setText("31TCJ")
        self.searched = []
        dock.searchFinished.connect(self.searched.append)
        dock.ui.searchButton.click()
        self.wait(lambda: self.searched, self.check_dock, "the search")

    def check_dock(self):
        dock = self.dock()
        self.report["search_ok"] = self.searched[0]
        self.report["results_title"] = dock.ui.resultsGroup.title()
        self.report["dock_texts"] = widget_texts(dock)
        self.report["dock_english"] = english_left(dock)
        self.step(self.check_toolbox)

    def check_toolbox(self):
        provider = QgsApplication.processingRegistry().providerById("sentinelmirror")
        self.report["algorithms"] = {a.id(): [a.displayName(), a.group()] for a in provider.algorithms()}
        entries = []
        toolbox = self.window.findChild(QDockWidget, "ProcessingToolbox")
        for view in (toolbox.findChildren(QTreeView) if toolbox is not None else []):
            model = view.model()

            def walk(parent, depth, inside):
                for row in range(model.rowCount(parent)):
                    index = model.index(row, 0, parent)
                    text = str(index.data() or "")
                    mine = inside or text == "Sentinel Mirror"
                    if mine:
                        entries.append("  " * depth + text)
                        view.expand(index)   # shown open in the screenshot
                    if text == "Sentinel Mirror":
                        view.scrollTo(index, QTreeView.ScrollHint.PositionAtTop)
                    walk(index, depth + 1, mine)
            walk(view.rootIndex(), 0, False)
        self.report["toolbox_entries"] = entries
        self.step(self.screenshot, 500)

    def screenshot(self):
        self.report["dock_png"] = self.window.grab().save(str(OUT / "french-dock.png"))
        self.step(self.check_profile)

    def check_profile(self):
        profile = self.dock().profile_button.open_panel()   # the time-profile panel the dock's button opens
        QCoreApplication.processEvents()
        self.report["profile_title"] = profile.windowTitle()
        self.report["profile_texts"] = widget_texts(profile)
        self.report["profile_english"] = english_left(profile)
        self.step(self.check_options)

    def check_options(self):
        plugin = qgis.utils.plugins[PLUGIN]
        page = plugin.options_factory.createWidget(None)
        page.resize(900, 760)
        page.show()
        QCoreApplication.processEvents()
        self.report["options_texts"] = widget_texts(page)
        self.report["options_english"] = english_left(page)
        self.report["options_png"] = page.grab().save(str(OUT / "french-options.png"))
        page.hide()
        page.deleteLater()
        self.finish()


launch(Driver(REPORT))
