"""The Sentinel Mirror dock: where (tile or extent), what (catalogue, collection, dates, clouds), the results
table with footprints and quicklook, and one button that runs the same pipeline task as Processing.

The dock is a controller: it checks inputs at their field, resolves everything a task needs on the main
thread (plugin/qgis/catalogue.py), starts the shared tasks (plugin/tasks) and reacts to their signals. It
never does network or raster work itself.
"""
import importlib
import logging
import os
import threading
from pathlib import Path

from qgis.core import Qgis, QgsApplication, QgsProject
from qgis.gui import QgsDockWidget, QgsMapToolExtent, QgsMessageBar
from qgis.PyQt import uic
from qgis.PyQt.QtCore import QDate, QItemSelectionModel, QSize, QStandardPaths, Qt, QTimer, QUrl, pyqtSignal
from qgis.PyQt.QtGui import QDesktopServices
from qgis.PyQt.QtWidgets import QHeaderView, QPushButton, QSizePolicy, QWidget

from .. import about
from ..core.errors import AuthError, InvalidInputError, NotFoundError, SentinelMirrorError
from ..core.models import COLLECTIONS, PROVIDERS, ProductKind, SearchQuery
from ..qgis.geo import extent_to_bbox
from ..qgis.messages import user_message
from . import dock_settings, options_page
from . import results_model as rm
from .download_run import DownloadRun
from .footprints import FootprintsLayer
from .inputs import FORM_HINT, TileCompleter, TileValidator, check_tile, nearby_tiles
from .quicklook import QuicklookLoader
from .tile_grid import WGS84, TileGrid, to_wgs84
from .tile_picker import TilePickerTool

LOG = logging.getLogger("sentinel_mirror")
FORM_CLASS, _ = uic.loadUiType(str(about.UI_DIR / "dock.ui"))
PROVIDER_LABELS = {"geodes": "CNES GEODES (PEPS, Theia)", "cdse": "Copernicus Data Space (CDSE)"}
PROVIDER_TIPS = {
    "geodes": "CNES GEODES: the former PEPS (L1C, S1) and Theia (MAJA L2A) collections. Searching needs no "
              "account; downloading needs an API key (gear button).",
    "cdse": "Copernicus Data Space Ecosystem: Sentinel-2 L1C/L2A (Sen2Cor), Sentinel-1. Downloading needs a "
            "CDSE account (gear button).",
}
ERROR_STYLE = "color: #c62828;"
HINT_STYLE = "color: palette(mid); font-style: italic;"


def _icon(name):
    return QgsApplication.getThemeIcon(name)


class SentinelMirrorDock(QgsDockWidget):
    """Signals are for tests and for whoever wants to follow the dock (main thread)."""
    searchFinished = pyqtSignal(bool)       # ok
    runFinished = pyqtSignal(str)           # "done" | "failed" | "cancelled"
    layersAdded = pyqtSignal(list)          # the QgsMapLayers the run put on the map

    def __init__(self, iface, parent=None):
        super().__init__(about.NAME, parent)
        self.iface = iface
        self.canvas = iface.mapCanvas()
        self.setObjectName("SentinelMirrorDock")

        contents = _Contents(self)
        contents.setObjectName("SentinelMirrorDockContents")
        self.ui = FORM_CLASS()
        self.ui.setupUi(contents)
        self.bar = QgsMessageBar(contents)
        contents.layout().insertWidget(0, self.bar)
        self.setWidget(contents)

        self.model = rm.ResultsModel(self)
        self.proxy = rm.ResultsFilterProxy(self)
        self.proxy.setSourceModel(self.model)
        self.footprints = FootprintsLayer()
        self.grid = TileGrid(self.canvas, on_hint=self._grid_hint)
        self.picker = None
        self._previous_tool = None
        self.provider = None             # the catalogue client of the last search (its session serves quicklooks)
        self.search_task = None
        self.run = None                  # the DownloadRun in progress
        self.last_run = None
        self.quicklooks = QuicklookLoader(self)
        self.quicklooks.ready.connect(self._quicklook_ready)
        self.quicklooks.unavailable.connect(self._quicklook_unavailable)
        self._elapsed_timer = QTimer(self)
        self._elapsed_timer.setInterval(500)
        self._elapsed_timer.timeout.connect(self._show_elapsed)

        self._setup_where()
        self._setup_what()
        self._setup_results()
        self._restore_inputs()
        self._watch_inputs()
        self._set_busy(None)
        self._update_summary()
        self.warm_up = _warm_up_imports()

    # ================================================================================ setup
    def _setup_where(self):
        ui = self.ui
        self.tile_validator = TileValidator(ui.tileEdit)
        self.tile_validator.refused.connect(self._tile_refused)
        ui.tileEdit.setValidator(self.tile_validator)
        self.completer = TileCompleter(ui.tileEdit)
        ui.tileEdit.setCompleter(self.completer)
        ui.tileEdit.textChanged.connect(self._tile_changed)
        ui.tileEdit.returnPressed.connect(self.search)
        ui.tileMessage.setVisible(False)

        ui.pickButton.setIcon(_icon("/mActionIdentify.svg"))
        ui.pickButton.toggled.connect(self._toggle_picker)
        ui.gridButton.setIcon(_icon("/grid.svg"))
        ui.gridButton.toggled.connect(self._toggle_grid)

        # no "Draw on canvas" inside the box: it hides the box's window(), which for a dock is QGIS itself.
        # The dock's own Draw button does it with the same map tool.
        ui.extentBox.setMapCanvas(self.canvas, False)
        ui.drawButton.setIcon(_icon("/mActionSelectRectangle.svg"))
        ui.drawButton.toggled.connect(self._toggle_draw)
        self.draw_tool = None
        self._sync_extent_crs()
        ui.extentBox.setOutputExtentFromCurrent()
        self.canvas.destinationCrsChanged.connect(self._sync_extent_crs)
        ui.extentBox.extentChanged.connect(lambda *_: self._clear_field_message(ui.extentMessage))
        ui.extentMessage.setVisible(False)
        ui.tileRadio.toggled.connect(self._mode_changed)

        self.canvas.extentsChanged.connect(self._canvas_moved)
        self._nearby_timer = QTimer(self)
        self._nearby_timer.setSingleShot(True)
        self._nearby_timer.setInterval(300)   # don't recompute suggestions on every frame of a pan
        self._nearby_timer.timeout.connect(self._update_nearby)

    def _setup_what(self):
        ui = self.ui
        for name in PROVIDERS:
            ui.providerCombo.addItem(PROVIDER_LABELS.get(name, name), name)
            ui.providerCombo.setItemData(ui.providerCombo.count() - 1, PROVIDER_TIPS.get(name, ""),
                                         Qt.ItemDataRole.ToolTipRole)
        ui.providerCombo.currentIndexChanged.connect(self._provider_changed)
        ui.collectionCombo.currentIndexChanged.connect(self._collection_changed)
        ui.collectionHint.setStyleSheet(HINT_STYLE)

        today = QDate.currentDate()
        for edit in (ui.startDate, ui.endDate):
            edit.setAllowNull(False)
            edit.setMinimumDate(QDate(2015, 6, 23))   # Sentinel-2A launch: nothing before
            edit.setMaximumDate(today.addDays(1))
        ui.startDate.setDate(today.addMonths(-1))
        ui.endDate.setDate(today)
        ui.startDate.dateChanged.connect(self._dates_changed)
        ui.endDate.dateChanged.connect(self._dates_changed)
        ui.dateMessage.setVisible(False)

        ui.cloudSlider.valueChanged.connect(ui.cloudSpin.setValue)
        ui.cloudSpin.valueChanged.connect(ui.cloudSlider.setValue)
        ui.cloudSpin.setValue(30)

        ui.searchButton.setIcon(_icon("/search.svg"))
        ui.searchButton.clicked.connect(self.search)
        ui.optionsButton.setIcon(_icon("/mActionOptions.svg"))
        ui.optionsButton.clicked.connect(self.open_options)
        ui.helpButton.setIcon(_icon("/mActionHelpContents.svg"))
        ui.helpButton.clicked.connect(self.open_help)
        self._provider_changed()

    def _setup_results(self):
        ui = self.ui
        ui.splitter.setStretchFactor(0, 0)
        ui.splitter.setStretchFactor(1, 1)
        self._sized = False
        ui.dateArrow.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Preferred)
        for w in (ui.progressBar, ui.elapsedLabel):
            w.setVisible(False)        # shown from the first run on
        view = ui.resultsView
        view.setModel(self.proxy)
        view.setItemDelegateForColumn(rm.STATE, rm.StateDelegate(view))
        header = view.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(rm.STATE, QHeaderView.ResizeMode.Stretch)
        header.setHighlightSections(False)
        view.verticalHeader().setDefaultSectionSize(view.fontMetrics().height() + 8)
        view.sortByColumn(rm.DATE, Qt.SortOrder.AscendingOrder)
        view.selectionModel().currentRowChanged.connect(self._current_changed)

        ui.filterEdit.textChanged.connect(self.proxy.setFilterFixedString)
        ui.filterEdit.textChanged.connect(lambda *_: self._update_summary())
        ui.selectAllButton.setIcon(_icon("/mActionSelectAll.svg"))
        ui.selectAllButton.clicked.connect(lambda: self.select_shown(True))
        ui.selectNoneButton.setIcon(_icon("/mActionDeselectAll.svg"))
        ui.selectNoneButton.clicked.connect(lambda: self.select_shown(False))
        self.model.checkedChanged.connect(self._checked_changed)

        ui.downloadButton.setIcon(_icon("/downloading_svg.svg"))
        ui.downloadButton.clicked.connect(self.download)
        ui.cancelButton.setIcon(_icon("/mTaskCancel.svg"))
        ui.cancelButton.clicked.connect(self.cancel)
        ui.quicklookLabel.setText("")
        ui.elapsedLabel.setText("")

    # ================================================================================ where
    def _mode_changed(self):
        by_tile = self.ui.tileRadio.isChecked()
        self.ui.tileEdit.setEnabled(by_tile)        # Pick and Draw stay enabled: using one switches the mode
        self.ui.extentBox.setEnabled(not by_tile)
        self.ui.extentBox.setCollapsed(by_tile)     # the extent form is tall: only open when it is used
        (self.ui.drawButton if by_tile else self.ui.pickButton).setChecked(False)
        self._clear_field_message(self.ui.tileMessage)
        self._clear_field_message(self.ui.extentMessage)

    def _map_crs(self):
        crs = self.canvas.mapSettings().destinationCrs()
        return crs if crs.isValid() else WGS84

    def _sync_extent_crs(self):
        """The extent is shown and kept in the map's CRS (lon/lat when the map has none yet)."""
        crs = self._map_crs()
        self.ui.extentBox.setCurrentExtent(self.canvas.extent(), crs)
        self.ui.extentBox.setOutputCrs(crs)

    def _tile_refused(self, reason):
        self._show_field_message(self.ui.tileMessage, reason)

    def _tile_changed(self, text):
        cleaned = text.strip()
        if len(cleaned.lstrip("Tt")) >= 5:
            try:
                check_tile(cleaned)
            except InvalidInputError as e:
                self._show_field_message(self.ui.tileMessage, str(e))
                return
        self._clear_field_message(self.ui.tileMessage)

    def _toggle_picker(self, on):
        if on:
            if self.picker is None:
                self.picker = TilePickerTool(self.canvas)
                self.picker.tilePicked.connect(self._tile_picked)
                self.picker.deactivated.connect(lambda: self.ui.pickButton.setChecked(False))
            current = self.canvas.mapTool()
            self._previous_tool = current if current not in (self.picker, self.draw_tool) else None
            self.canvas.setMapTool(self.picker)
            self.ui.tileRadio.setChecked(True)
        elif self.picker is not None and self.canvas.mapTool() is self.picker:
            self.canvas.unsetMapTool(self.picker)
            self._restore_previous_tool()

    def _toggle_draw(self, on):
        if on:
            if self.draw_tool is None:
                self.draw_tool = QgsMapToolExtent(self.canvas)
                self.draw_tool.extentChanged.connect(self._extent_drawn)
                self.draw_tool.deactivated.connect(lambda: self.ui.drawButton.setChecked(False))
            self.ui.extentRadio.setChecked(True)
            current = self.canvas.mapTool()
            self._previous_tool = current if current not in (self.picker, self.draw_tool) else None
            self.canvas.setMapTool(self.draw_tool)
        elif self.draw_tool is not None and self.canvas.mapTool() is self.draw_tool:
            self.canvas.unsetMapTool(self.draw_tool)
            self._restore_previous_tool()

    def _extent_drawn(self, rect):
        if rect.isEmpty():
            return
        self.ui.extentBox.setOutputExtentFromUser(rect, self._map_crs())
        self.ui.drawButton.setChecked(False)

    def _restore_previous_tool(self):
        if self._previous_tool is not None:
            try:
                self.canvas.setMapTool(self._previous_tool)
            except RuntimeError:  # the previous tool was deleted meanwhile
                pass
        self._previous_tool = None

    def _tile_picked(self, tile_id):
        self.ui.tileRadio.setChecked(True)
        self.ui.tileEdit.setText(tile_id)
        self.ui.pickButton.setChecked(False)
        self._remember_tile(tile_id)

    def _toggle_grid(self, on):
        self.grid.set_visible(on)
        if not on:
            self._clear_field_message(self.ui.extentMessage)

    def _grid_hint(self, hint):
        self.ui.gridButton.setToolTip(
            "Show the Sentinel-2 tile grid over the map view." + (f"\n{hint}" if hint else ""))
        if hint:
            self.bar.pushMessage(hint, Qgis.MessageLevel.Info, 4)

    def _canvas_moved(self):
        if not self.isHidden():   # a closed dock does not follow the map
            self._nearby_timer.start()

    def _update_nearby(self):
        try:
            centre = to_wgs84(self.canvas.extent().center(), self._map_crs())
            self.completer.update_list(nearby=nearby_tiles(centre.x(), centre.y()))
        except Exception as e:  # noqa: BLE001 (suggestions are a convenience: never an error for the user)
            LOG.debug("tile suggestions: %s", e)

    def _remember_tile(self, tile_id):
        self.completer.update_list(recent=dock_settings.remember_tile(tile_id))

    # ================================================================================ what
    def _provider_changed(self, *_):
        name = self.provider_name()
        combo = self.ui.collectionCombo
        previous = combo.currentData()
        combo.blockSignals(True)
        combo.clear()
        for c in COLLECTIONS:
            if c.provider == name:
                combo.addItem(c.label, c.id)
                combo.setItemData(combo.count() - 1, c.hint, Qt.ItemDataRole.ToolTipRole)
        combo.blockSignals(False)
        i = combo.findData(previous)
        combo.setCurrentIndex(i if i >= 0 else 0)
        self.ui.providerCombo.setToolTip(PROVIDER_TIPS.get(name, ""))
        self._collection_changed()

    def _collection_changed(self, *_):
        c = self._collection()
        self.ui.collectionHint.setText(c.hint if c else "")
        self.ui.collectionCombo.setToolTip(
            (c.hint + "\n" if c else "") + "L2A surface reflectance is what NDVI should use.")

    def _collection(self):
        cid = self.ui.collectionCombo.currentData()
        return next((c for c in COLLECTIONS if c.provider == self.provider_name() and c.id == cid), None)

    def provider_name(self):
        return self.ui.providerCombo.currentData() or PROVIDERS[0]

    def _dates_changed(self, *_):
        if self.ui.endDate.date() < self.ui.startDate.date():
            self._show_field_message(self.ui.dateMessage, "The end date is before the start date: "
                                                          "move one of them.")
        else:
            self._clear_field_message(self.ui.dateMessage)

    # ================================================================================ field messages
    def _show_field_message(self, label, text):
        label.setText(text)
        label.setStyleSheet(ERROR_STYLE)
        label.setVisible(True)

    def _clear_field_message(self, label):
        label.setText("")
        label.setVisible(False)

    # ================================================================================ query
    def build_query(self):
        """The SearchQuery from the fields, or None after showing at the field what to fix."""
        ui = self.ui
        tile = bbox = None
        if ui.tileRadio.isChecked():
            text = ui.tileEdit.text().strip()
            if not text:
                self._field_error(ui.tileMessage, ui.tileEdit,
                                  "Type a tile id (e.g. 31TCJ), pick one on the map, or choose Extent. " + FORM_HINT)
                return None
            try:
                tile = check_tile(text)
            except InvalidInputError as e:
                self._field_error(ui.tileMessage, ui.tileEdit, str(e))
                return None
        else:
            try:
                bbox = extent_to_bbox(ui.extentBox.outputExtent(), ui.extentBox.outputCrs())
            except InvalidInputError as e:
                self._field_error(ui.extentMessage, ui.extentBox, str(e))
                return None
        start, end = ui.startDate.date().toPyDate(), ui.endDate.date().toPyDate()
        if end < start:
            self._field_error(ui.dateMessage, ui.endDate,
                              f"The end date {end} is before the start date {start}: move one of them.")
            return None
        try:
            return SearchQuery(provider=self.provider_name(), collection=ui.collectionCombo.currentData(),
                               start=start, end=end, tile=tile, bbox=bbox, max_cloud=float(ui.cloudSpin.value()))
        except InvalidInputError as e:
            self.show_error(str(e))
            return None

    def _field_error(self, label, widget, text):
        self._show_field_message(label, text)
        widget.setFocus()
        LOG.info("input refused: %s", text)

    # ================================================================================ search
    def _open_catalogue(self):
        from ..qgis.catalogue import open_catalogue
        return open_catalogue(self.provider_name())

    def search(self):
        if self._busy():
            return
        query = self.build_query()
        if query is None:
            return
        self._save_inputs()
        if query.tile:
            self._remember_tile(query.tile)
        try:
            self.provider = self._open_catalogue()
        except SentinelMirrorError as e:
            self.show_error(user_message(e), settings_button=isinstance(e, AuthError))
            return
        from ..tasks.search_task import SearchTask
        self.bar.clearWidgets()
        task = SearchTask(self.provider, query)
        task.resultsReady.connect(self._search_results)
        task.failed.connect(self._search_failed)
        task.cancelledByUser.connect(self._search_cancelled)
        self.search_task = task
        self._set_busy("search")
        self.ui.progressBar.setRange(0, 0)   # a catalogue search has no meaningful percentage: busy bar
        QgsApplication.taskManager().addTask(task)

    def _search_results(self, products):
        self.search_task = None
        self._set_busy(None)
        self.quicklooks.clear()
        self.model.set_products(products, checked=True)
        self.proxy.sort(self.ui.resultsView.horizontalHeader().sortIndicatorSection(),
                        self.ui.resultsView.horizontalHeader().sortIndicatorOrder())
        layer = self.footprints.set_products(products, [True] * len(products))
        self._show_footprints(layer)
        if self.proxy.rowCount():
            self.ui.resultsView.selectionModel().setCurrentIndex(
                self.proxy.index(0, 0),
                QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows)
        offline = sum(1 for p in products if not p.online)
        self.ui.resultsGroup.setTitle(f"Results: {len(products)} products"
                                      + (f", {offline} on tape" if offline else ""))
        self.searchFinished.emit(True)

    def _show_footprints(self, layer):
        """Zoom to the results only when they are not already in view: never move the map needlessly."""
        if layer is None or layer.extent().isEmpty():
            return
        from qgis.core import QgsCoordinateTransform
        ct = QgsCoordinateTransform(layer.crs(), self.canvas.mapSettings().destinationCrs(), QgsProject.instance())
        try:
            extent = ct.transformBoundingBox(layer.extent())
        except Exception:  # noqa: BLE001
            return
        if not self.canvas.extent().intersects(extent):
            extent.scale(1.2)
            self.canvas.setExtent(extent)
        self.canvas.refresh()

    def _search_failed(self, message):
        error, self.search_task = getattr(self.search_task, "error", None), None
        self._set_busy(None)
        if isinstance(error, NotFoundError):   # nothing matched: advice, not an error
            self.bar.pushMessage(message, Qgis.MessageLevel.Warning, 0)
            LOG.info("%s", message)
        else:
            self.show_error(message, settings_button=isinstance(error, AuthError) or self._looks_like_auth(message))
        self.searchFinished.emit(False)

    def _search_cancelled(self):
        self.search_task = None
        self._set_busy(None)
        self.bar.pushMessage("Search cancelled.", Qgis.MessageLevel.Info, 3)
        self.searchFinished.emit(False)

    # ================================================================================ results
    def select_shown(self, checked):
        self.model.set_checked(self.proxy.source_rows(), checked)

    def _checked_changed(self):
        self._update_summary()
        ids = {p.id for p in self.model.checked_products()}
        self.footprints.set_ticked(ids)

    def _update_summary(self):
        n, total = len(self.model.checked_products()), self.model.rowCount()
        shown = self.proxy.rowCount()
        text = f"{n} of {total} ticked · {rm.human_size(self.model.checked_size())}"
        if shown != total:
            text += f" · {shown} shown"
        self.ui.summaryLabel.setText(text if total else "No results yet: choose where and what, then Search.")
        self.ui.downloadButton.setEnabled(n > 0 and not self._busy())

    def current_product(self):
        idx = self.ui.resultsView.selectionModel().currentIndex()
        if not idx.isValid():
            return None
        return self.model.product(self.proxy.mapToSource(idx).row())

    def _current_changed(self, current, _previous):
        if not current.isValid():
            self.ui.productLabel.setText("")
            self.ui.quicklookLabel.clear()
            self.footprints.highlight(None, self.canvas)
            return
        p = self.model.product(self.proxy.mapToSource(current).row())
        self.footprints.highlight(p.id, self.canvas)
        cloud = "?" if p.cloud_cover is None else f"{p.cloud_cover:.0f} %"
        self.ui.productLabel.setText(f"<b>{p.acquired:%Y-%m-%d}</b> {p.platform} · tile {p.tile or '?'} · "
                                     f"cloud {cloud}<br><small>{p.title}</small>")
        self.ui.quicklookLabel.setText("…")
        self.quicklooks.request(p, self.provider.session if self.provider is not None else None)

    def _quicklook_ready(self, product_id, pixmap):
        current = self.current_product()
        if current is not None and current.id == product_id:
            label = self.ui.quicklookLabel
            label.setPixmap(pixmap.scaled(label.maximumSize(), Qt.AspectRatioMode.KeepAspectRatio,
                                          Qt.TransformationMode.SmoothTransformation))
            label.setToolTip("Quicklook of the product under the cursor in the table.")

    def _quicklook_unavailable(self, product_id, why):
        current = self.current_product()
        if current is not None and current.id == product_id:
            self.ui.quicklookLabel.setText("no\nquicklook")
            self.ui.quicklookLabel.setToolTip(why)

    # ================================================================================ download
    def download_folder(self, config):
        folder = (config.download_dir or "").strip()
        if not folder:
            base = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DownloadLocation) or str(Path.home())
            folder = os.path.join(base, "Sentinel Mirror")
        return folder

    def download(self):
        if self._busy():
            return
        products = self.model.checked_products()
        if not products:
            self.show_error("Tick at least one product in the table (or use the select-all button).")
            return
        from ..qgis.catalogue import pipeline_options
        from ..qgis.settings import load_config
        config = load_config()
        folder = self.download_folder(config)
        try:
            os.makedirs(folder, exist_ok=True)
        except OSError as e:
            self.show_error(f"The download folder {folder} cannot be created ({e.strerror}): choose another one "
                            "in the settings.", settings_button=True)
            return
        try:
            self.provider = self._open_catalogue()
        except SentinelMirrorError as e:
            self.show_error(user_message(e), settings_button=isinstance(e, AuthError))
            return
        optical = self._collection() is not None and self._collection().kind is not ProductKind.S1
        run = DownloadRun(self.provider, products, folder, options=pipeline_options(config),
                          ndvi=optical and self.ui.ndviCheck.isChecked(),
                          views=optical and self.ui.loadCheck.isChecked(), parent=self)
        run.statusChanged.connect(self.model.update_status)
        run.progressChanged.connect(self._run_progress)
        run.messageChanged.connect(self.ui.progressBar.setToolTip)
        run.stepFailed.connect(self.show_error)
        run.finished.connect(self._run_finished)
        run.failed.connect(self._run_failed)
        run.cancelled.connect(self._run_cancelled)
        self.bar.clearWidgets()
        self.model.clear_status()
        self.run = run
        self._set_busy("download")
        self._elapsed_timer.start()
        run.start()

    def _run_progress(self, pct, label):
        bar = self.ui.progressBar
        bar.setFormat(label)
        bar.setValue(int(round(pct * 10)))

    def _show_elapsed(self):
        if self.run is None or self.run.started is None:
            return
        s = int(self.run.elapsed())
        self.ui.elapsedLabel.setText(f"{s // 3600}:{s // 60 % 60:02d}:{s % 60:02d}" if s >= 3600
                                     else f"{s // 60}:{s % 60:02d}")

    def _end_run(self):
        self._show_elapsed()
        self._elapsed_timer.stop()
        self.run.setParent(None)
        self.run, self.last_run = None, self.run
        self._set_busy(None)
        self.ui.progressBar.setFormat("%p %")

    def _run_finished(self, outcome):
        self._end_run()
        self.ui.progressBar.setValue(1000)
        done, failed = outcome.done, outcome.failed
        layers = self._add_layers(outcome) if self.ui.loadCheck.isChecked() else []
        text = f"{len(done)} of {len(outcome.statuses)} downloaded"
        if outcome.ndvi:
            text += f", {len(outcome.ndvi)} NDVI"
        reasons = sorted({st.reason for st in failed if st.reason})
        if failed:   # one shared reason (a wrong key, a full disk) is said at once; several: see the rows
            text += f"; {len(failed)} failed: " + (reasons[0] if len(reasons) == 1 else "hover the state for why.")
        else:
            text += "."
        LOG.info("%s (%s)", text, outcome.folder)
        for st in failed:
            LOG.warning("%s failed: %s", st.product_id, st.reason)
        if done:
            self._push_with_button(text, "Open folder", lambda: self.open_folder(outcome.folder),
                                   Qgis.MessageLevel.Warning if failed else Qgis.MessageLevel.Success)
        else:
            self.show_error(text, settings_button=any(self._looks_like_auth(r) for r in reasons))
        self.runFinished.emit("failed" if failed and not done else "done")
        if layers:
            self.layersAdded.emit(layers)

    def _add_layers(self, outcome):
        """Natural colour and NDVI layers, dated and grouped per tile and date (plugin/qgis/layers.py)."""
        if not (outcome.ndvi or outcome.views):
            return []
        from ..qgis import layers as qlayers
        try:
            return list(qlayers.add_product_layers(ndvi_paths=outcome.ndvi_paths,
                                                   natural_colour_paths=outcome.views,
                                                   project=QgsProject.instance()))
        except Exception as e:  # noqa: BLE001 (a layer that cannot be shown must not hide the downloads)
            LOG.exception("adding layers failed")
            self.show_error(user_message(e))
        return []

    def _run_failed(self, message):
        self._end_run()
        self.show_error(message, settings_button=self._looks_like_auth(message))
        self.runFinished.emit("failed")

    def _run_cancelled(self, _stopped):
        downloaded = bool(self.run.outcome.statuses)
        self._end_run()
        self.bar.pushMessage("Cancelled. The downloads are kept; NDVI was not finished." if downloaded else
                             "Download cancelled. Finished products are kept; the others resume where they "
                             "stopped next time.", Qgis.MessageLevel.Info, 6)
        self.runFinished.emit("cancelled")

    def cancel(self):
        if self.search_task is not None:
            try:
                self.search_task.cancel()
            except RuntimeError:   # already deleted by the task manager
                pass
        if self.run is not None:
            self.run.cancel()
        self.ui.cancelButton.setEnabled(False)

    def open_folder(self, folder):
        if folder:
            QDesktopServices.openUrl(QUrl.fromLocalFile(folder))

    # ================================================================================ state, messages
    def _busy(self):
        return self.search_task is not None or self.run is not None

    def _set_busy(self, what):
        ui = self.ui
        busy = what is not None
        for w in (ui.searchButton, ui.whereGroup, ui.whatGroup):
            w.setEnabled(not busy)
        ui.cancelButton.setEnabled(busy)
        ui.selectAllButton.setEnabled(what != "download")
        ui.selectNoneButton.setEnabled(what != "download")
        ui.downloadButton.setEnabled(not busy and bool(self.model.checked_products()))
        if not busy:
            self.ui.progressBar.setRange(0, 1000)
            if self.last_run is None:   # the bar is about downloads: hidden until the first one
                ui.progressBar.setVisible(False)
        if what == "download":
            self.ui.elapsedLabel.setText("0:00")
        if what is not None:
            ui.progressBar.setVisible(True)
            ui.elapsedLabel.setVisible(what == "download")

    @staticmethod
    def _looks_like_auth(message):
        m = message.lower()
        return any(w in m for w in ("api key", "password", "authentication", "credentials", "token"))

    def show_error(self, text, settings_button=False):
        LOG.warning("%s", text)
        if settings_button:
            self._push_with_button(text, "Open settings", self.open_options, Qgis.MessageLevel.Critical)
        else:
            self.bar.pushMessage(text, Qgis.MessageLevel.Critical, 0)

    def _push_with_button(self, text, button_text, slot, level):
        item = self.bar.createMessage(text)     # no title: the dock already says whose message it is
        button = QPushButton(button_text, item)
        button.clicked.connect(slot)
        item.layout().addWidget(button)
        self.bar.pushWidget(item, level, 0 if level == Qgis.MessageLevel.Critical else 15)
        return button

    def open_options(self):
        self.iface.showOptionsDialog(self.iface.mainWindow(), currentPage=options_page.OBJECT_NAME)

    def open_help(self):
        QDesktopServices.openUrl(help_url())

    # ================================================================================ remembered inputs
    def _save_inputs(self):
        dock_settings.save_inputs(self.ui)

    def _watch_inputs(self):
        """Inputs are saved shortly after each change, so even a crash keeps them."""
        self._save_timer = QTimer(self)
        self._save_timer.setSingleShot(True)
        self._save_timer.setInterval(400)
        self._save_timer.timeout.connect(self._save_inputs)
        ui = self.ui
        for signal in (ui.tileEdit.textChanged, ui.tileRadio.toggled, ui.providerCombo.currentIndexChanged,
                       ui.collectionCombo.currentIndexChanged, ui.startDate.dateChanged, ui.endDate.dateChanged,
                       ui.cloudSpin.valueChanged, ui.ndviCheck.toggled, ui.loadCheck.toggled):
            signal.connect(lambda *_: self._save_timer.start())

    def _restore_inputs(self):
        self.completer.update_list(recent=dock_settings.restore_inputs(self.ui))
        self._mode_changed()

    # ================================================================================ teardown
    def showEvent(self, event):
        super().showEvent(event)
        self._nearby_timer.start()   # suggestions for wherever the map is now
        if not self._sized:   # once the dock has its real height: the whole form, the table gets the rest
            self._sized = True
            QTimer.singleShot(0, self._size_splitter)

    def _size_splitter(self):
        total = sum(self.ui.splitter.sizes())
        form = min(self.ui.formContents.sizeHint().height() + 6, int(total * 0.6))
        self.ui.splitter.setSizes([form, max(total - form, 0)])

    def hideEvent(self, event):
        """The picker and the grid belong to the dock: a hidden dock leaves no tool or grid behind."""
        self._save_inputs()
        self.ui.pickButton.setChecked(False)
        self.ui.drawButton.setChecked(False)
        self.ui.gridButton.setChecked(False)
        super().hideEvent(event)

    def deleteLater(self):
        """The plugin's unload() deletes the dock: take the footprints layer and canvas items with it."""
        self.cleanup()
        super().deleteLater()

    def cleanup(self):
        """Undo what the dock put on the canvas and the project (plugin unload)."""
        self.cancel()
        self.ui.pickButton.setChecked(False)
        self.ui.drawButton.setChecked(False)
        self.grid.set_visible(False)
        self.footprints.remove()
        for signal, slot in ((self.canvas.extentsChanged, self._canvas_moved),
                             (self.canvas.destinationCrsChanged, self._sync_extent_crs)):
            try:
                signal.disconnect(slot)
            except TypeError:
                pass


class _Contents(QWidget):
    """The dock's first width: room for the six result columns (QGIS sizes a new dock from its hint)."""

    def sizeHint(self):
        return QSize(480, super().sizeHint().height())


_WARM_MODULES = ("qgis.catalogue", "core.providers.geodes", "core.providers.cdse", "core.pipeline",
                 "tasks.search_task", "tasks.pipeline_task", "gui.download_run")


def _warm_up_imports():
    """Import the catalogue clients (requests, urllib3...: ~0.1 s) on a background thread, so the first
    Search click does not freeze QGIS while Python loads them. The thread yields the GIL every few ms."""
    base = __package__.rpartition(".")[0]

    def load():
        for name in _WARM_MODULES:
            try:
                importlib.import_module(f"{base}.{name}")
            except Exception:  # noqa: BLE001 (the real import, on use, reports any problem)
                LOG.debug("warm-up import of %s failed", name, exc_info=True)

    thread = threading.Thread(target=load, name="sentinel-mirror-warm-up", daemon=True)
    thread.start()
    return thread


def help_url():
    """The documentation: the homepage once it is real, else the README shipped next to the plugin."""
    homepage = about.HOMEPAGE
    if ".invalid" not in homepage:
        return QUrl(homepage)
    for candidate in (about.PLUGIN_DIR / "README.md", about.RESOURCES_DIR / "help" / "index.html"):
        if candidate.exists():
            return QUrl.fromLocalFile(str(candidate))
    return QUrl(homepage)
