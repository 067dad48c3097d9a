"""The dock's form: where (a tile typed, completed or picked on the map; or an extent, drawn or taken from the
map or a layer; the tile grid) and what (catalogue, collection, dates, cloud limit). Every field is checked where
it is typed, and build_query() turns the form into a SearchQuery or says at the field what to fix. The form also
remembers its inputs (dock_settings). Running the search is the dock's job.
"""
import logging

from qgis.core import QgsApplication
from qgis.gui import QgsMapToolExtent
from qgis.PyQt.QtCore import QDate, QObject, Qt, QTimer, pyqtSignal
from qgis.PyQt.QtWidgets import QComboBox, QHBoxLayout

from ..core.errors import InvalidInputError
from ..core.i18n import tr_noop
from ..core.models import COLLECTIONS, PROVIDERS, SearchQuery
from ..qgis.geo import extent_to_bbox
from ..qgis.i18n import localize, tr
from . import dock_settings
from .inputs import FORM_HINT, TileCompleter, TileValidator, check_tile, nearby_tiles
from .tile_grid import WGS84, TileGrid, to_wgs84
from .tile_picker import TilePickerTool

LOG = logging.getLogger("sentinel_mirror")
PROVIDER_LABELS = {"geodes": "CNES GEODES (PEPS, Theia)", "cdse": "Copernicus Data Space (CDSE)"}
PROVIDER_TIPS = {
    "geodes": tr_noop("CNES GEODES: the former PEPS (L1C, S1) and Theia (MAJA L2A) collections. Searching needs no "
                      "account; downloading needs an API key (gear button)."),
    "cdse": tr_noop("Copernicus Data Space Ecosystem: Sentinel-2 L1C/L2A (Sen2Cor), Sentinel-1. Downloading needs a "
                    "CDSE account (gear button)."),
}
# Sentinel-1 collections whose catalogue mixes GRD and SLC (core: SearchQuery.product_type); CDSE's is GRD only
S1_TYPED_COLLECTIONS = ("PEPS_S1_L1",)
S1_TYPES = (("GRD", "GRD", tr_noop("Ground range detected: the usual choice for maps and flood detection.")),
            ("SLC", "SLC", tr_noop("Single look complex (interferometry): several times larger; see the Size column.")),
            ("GRD + SLC", "any", tr_noop("Both product types.")))
ERROR_STYLE = "color: #c62828;"
HINT_STYLE = "color: palette(mid); font-style: italic;"


def _icon(name):
    return QgsApplication.getThemeIcon(name)


def _s1_type_combo(collection_combo):
    """The Sentinel-1 product type choice, beside the collection combo (shown for the collections that mix them)."""
    form = collection_combo.parentWidget().layout()   # the "What" QFormLayout
    row, role = form.getWidgetPosition(collection_combo)
    form.removeWidget(collection_combo)
    combo = QComboBox(collection_combo.parentWidget())
    combo.setObjectName("s1TypeCombo")
    for label, value, tip in S1_TYPES:
        combo.addItem(label, value)
        combo.setItemData(combo.count() - 1, localize(tip), Qt.ItemDataRole.ToolTipRole)
    combo.setToolTip(tr("Sentinel-1 product type: GRD by default; SLC products are several times larger."))
    row_layout = QHBoxLayout()
    row_layout.addWidget(collection_combo, 1)
    row_layout.addWidget(combo)
    form.setLayout(row, role, row_layout)
    combo.setVisible(False)
    return combo


class SearchForm(QObject):
    """Works on the dock's widgets (ui, from ui/dock.ui) and the map canvas; main thread only."""
    notice = pyqtSignal(str)     # a passing hint for the dock's message bar (e.g. "zoom in to see the grid")
    refused = pyqtSignal(str)    # the query as a whole was refused (the field messages cover the rest)

    def __init__(self, ui, canvas, is_shown, parent=None):
        super().__init__(parent)
        self.ui, self.canvas, self._is_shown = ui, canvas, is_shown
        self.grid = TileGrid(canvas, on_hint=self._grid_hint)
        self.picker = None
        self._previous_tool = None       # the user's map tool while Pick or Draw borrows the canvas
        self._tool_leaving = False
        self._setup_where()
        self._setup_what()
        self.completer.update_list(recent=dock_settings.restore_inputs(ui))
        self._mode_changed()
        self._watch_inputs()

    def _setup_where(self):
        ui = self.ui
        self.tile_validator = TileValidator(ui.tileEdit)
        self.tile_validator.refused.connect(self._tile_refused)
        ui.tileEdit.setValidator(self.tile_validator)
        self.completer = TileCompleter(ui.tileEdit)
        ui.tileEdit.setCompleter(self.completer)
        ui.tileEdit.textChanged.connect(self._tile_changed)
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
            ui.providerCombo.setItemData(ui.providerCombo.count() - 1, localize(PROVIDER_TIPS.get(name, "")),
                                         Qt.ItemDataRole.ToolTipRole)
        ui.providerCombo.currentIndexChanged.connect(self._provider_changed)
        ui.collectionCombo.currentIndexChanged.connect(self._collection_changed)
        ui.collectionHint.setStyleSheet(HINT_STYLE)
        self.s1_type_combo = _s1_type_combo(ui.collectionCombo)

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
        self._provider_changed()

    # ------------------------------------------------------------------------------------------- where
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
                self._show_field_message(self.ui.tileMessage, localize(str(e)))
                return
        self._clear_field_message(self.ui.tileMessage)

    # Pick and Draw borrow the canvas: the user's own tool (pan, identify...) is given back when they are done,
    # whichever way they end (button, pick, Esc, dock closed), and never when another QGIS tool took over.
    def _toggle_picker(self, on):
        if on:
            if self.picker is None:
                self.picker = TilePickerTool(self.canvas)
                self.picker.tilePicked.connect(self.use_tile)
                self.picker.deactivated.connect(lambda: self._tool_left(self.ui.pickButton))
            self.ui.tileRadio.setChecked(True)   # ends Draw first (see _mode_changed): it gives the tool back
            self._borrow_canvas(self.picker)
        else:
            self._give_canvas_back(self.picker)

    def _toggle_draw(self, on):
        if on:
            if self.draw_tool is None:
                self.draw_tool = QgsMapToolExtent(self.canvas)
                self.draw_tool.extentChanged.connect(self._extent_drawn)
                self.draw_tool.deactivated.connect(lambda: self._tool_left(self.ui.drawButton))
            self.ui.extentRadio.setChecked(True)   # ends Pick first
            self._borrow_canvas(self.draw_tool)
        else:
            self._give_canvas_back(self.draw_tool)

    def _extent_drawn(self, rect):
        if rect.isEmpty():
            return
        self.ui.extentBox.setOutputExtentFromUser(rect, self._map_crs())
        self.ui.drawButton.setChecked(False)

    def _borrow_canvas(self, tool):
        current = self.canvas.mapTool()
        if current is not None and current not in (self.picker, self.draw_tool):
            self._previous_tool = current
        self.canvas.setMapTool(tool)

    def _give_canvas_back(self, tool):
        if self._tool_leaving or tool is None or self.canvas.mapTool() is not tool:
            return
        self.canvas.unsetMapTool(tool)
        self._restore_previous_tool()

    def _tool_left(self, button):
        """Our tool was deactivated, maybe inside QGIS's own switch to another tool: only follow with the
        button now (setting a tool from inside that switch would fight it); give the user's tool back later if
        the canvas was left without one (Esc, right click)."""
        self._tool_leaving = True
        try:
            button.setChecked(False)
        finally:
            self._tool_leaving = False
        QTimer.singleShot(0, self._restore_if_no_tool)

    def _restore_if_no_tool(self):
        if self.canvas.mapTool() is None:
            self._restore_previous_tool()

    def _restore_previous_tool(self):
        if self._previous_tool is not None:
            try:
                self.canvas.setMapTool(self._previous_tool)
            except RuntimeError:  # the previous tool was deleted meanwhile
                pass
        self._previous_tool = None

    def use_tile(self, tile_id):
        """A tile chosen on the map (or elsewhere): the form switches to it and remembers it."""
        self.ui.tileRadio.setChecked(True)
        self.ui.tileEdit.setText(tile_id)
        self.ui.pickButton.setChecked(False)
        self.remember_tile(tile_id)

    def _toggle_grid(self, on):
        self.grid.set_visible(on)
        if not on:
            self._clear_field_message(self.ui.extentMessage)

    def _grid_hint(self, hint):
        self.ui.gridButton.setToolTip(
            tr("Show the Sentinel-2 tile grid over the map view.") + (f"\n{hint}" if hint else ""))
        if hint:
            self.notice.emit(hint)

    def _canvas_moved(self):
        if self._is_shown():   # a closed dock does not follow the map
            self._nearby_timer.start()

    def _update_nearby(self):
        try:
            centre = to_wgs84(self.canvas.extent().center(), self._map_crs())
            self.completer.update_list(nearby=nearby_tiles(centre.x(), centre.y()))
        except Exception as e:  # noqa: BLE001 (suggestions are a convenience: never an error for the user)
            LOG.debug("tile suggestions: %s", e)

    def remember_tile(self, tile_id):
        self.completer.update_list(recent=dock_settings.remember_tile(tile_id))

    # ------------------------------------------------------------------------------------------- what
    def _provider_changed(self, *_):
        name = self.provider_name()
        combo = self.ui.collectionCombo
        previous = combo.currentData()
        combo.blockSignals(True)
        combo.clear()
        for c in COLLECTIONS:
            if c.provider == name:
                combo.addItem(localize(c.label), c.id)
                combo.setItemData(combo.count() - 1, localize(c.hint), Qt.ItemDataRole.ToolTipRole)
        combo.blockSignals(False)
        i = combo.findData(previous)
        combo.setCurrentIndex(i if i >= 0 else 0)
        self.ui.providerCombo.setToolTip(localize(PROVIDER_TIPS.get(name, "")))
        self._collection_changed()

    def _collection_changed(self, *_):
        c = self.collection()
        self.s1_type_combo.setVisible(c is not None and c.id in S1_TYPED_COLLECTIONS)
        self.ui.collectionHint.setText(localize(c.hint) if c else "")
        self.ui.collectionCombo.setToolTip(
            (localize(c.hint) + "\n" if c else "") + tr("L2A surface reflectance is what NDVI should use."))

    def collection(self):
        cid = self.ui.collectionCombo.currentData()
        return next((c for c in COLLECTIONS if c.provider == self.provider_name() and c.id == cid), None)

    def provider_name(self):
        return self.ui.providerCombo.currentData() or PROVIDERS[0]

    def _dates_changed(self, *_):
        if self.ui.endDate.date() < self.ui.startDate.date():
            self._show_field_message(self.ui.dateMessage, tr("The end date is before the start date: "
                                                             "move one of them."))
        else:
            self._clear_field_message(self.ui.dateMessage)

    # ------------------------------------------------------------------------------------------- field messages
    def _show_field_message(self, label, text):
        label.setText(text)
        label.setStyleSheet(ERROR_STYLE)
        label.setVisible(True)

    def _clear_field_message(self, label):
        label.setText("")
        label.setVisible(False)

    # ------------------------------------------------------------------------------------------- query
    def build_query(self):
        """The SearchQuery from the fields, or None after showing at the field what to fix."""
        ui = self.ui
        tile = bbox = None
        if ui.tileRadio.isChecked():
            text = ui.tileEdit.text().strip()
            if not text:
                self._field_error(ui.tileMessage, ui.tileEdit,
                                  tr("Type a tile id (e.g. 31TCJ), pick one on the map, or choose Extent.") + " "
                                  + localize(FORM_HINT))
                return None
            try:
                tile = check_tile(text)
            except InvalidInputError as e:
                self._field_error(ui.tileMessage, ui.tileEdit, localize(str(e)))
                return None
        else:
            try:
                bbox = extent_to_bbox(ui.extentBox.outputExtent(), ui.extentBox.outputCrs())
            except InvalidInputError as e:
                self._field_error(ui.extentMessage, ui.extentBox, localize(str(e)))
                return None
        start, end = ui.startDate.date().toPyDate(), ui.endDate.date().toPyDate()
        if end < start:
            self._field_error(ui.dateMessage, ui.endDate,
                              tr("The end date {end} is before the start date {start}: move one of them.",
                                 end=end, start=start))
            return None
        try:
            collection = ui.collectionCombo.currentData()
            product_type = self.s1_type_combo.currentData() if collection in S1_TYPED_COLLECTIONS else None
            return SearchQuery(provider=self.provider_name(), collection=collection, product_type=product_type,
                               start=start, end=end, tile=tile, bbox=bbox, max_cloud=float(ui.cloudSpin.value()))
        except InvalidInputError as e:
            self.refused.emit(localize(str(e)))
            return None

    def _field_error(self, label, widget, text):
        self._show_field_message(label, text)
        widget.setFocus()
        LOG.info("input refused: %s", text)

    # ------------------------------------------------------------------------------------------- remembered inputs
    def save_inputs(self):
        dock_settings.save_inputs(self.ui)

    def _watch_inputs(self):
        """Inputs are saved shortly after each change, so even a crash keeps them."""
        self._save_timer = QTimer(self)
        self._save_timer.setSingleShot(True)
        self._save_timer.setInterval(400)
        self._save_timer.timeout.connect(self.save_inputs)
        ui = self.ui
        for signal in (ui.tileEdit.textChanged, ui.tileRadio.toggled, ui.providerCombo.currentIndexChanged,
                       ui.collectionCombo.currentIndexChanged, ui.startDate.dateChanged, ui.endDate.dateChanged,
                       ui.cloudSpin.valueChanged, ui.ndviCheck.toggled, ui.indexCombo.currentIndexChanged,
                       ui.encodingCombo.currentIndexChanged, ui.resolutionCombo.currentIndexChanged,
                       ui.loadCheck.toggled):
            signal.connect(lambda *_: self._save_timer.start())

    # ------------------------------------------------------------------------------------------- lifecycle
    def refresh_suggestions(self):
        self._nearby_timer.start()   # tiles around wherever the map is now

    def stop_map_tools(self):
        """Pick, Draw and the grid belong to the dock: a hidden dock leaves no tool or grid behind."""
        self.ui.pickButton.setChecked(False)
        self.ui.drawButton.setChecked(False)
        self.ui.gridButton.setChecked(False)

    def cleanup(self):
        self.stop_map_tools()
        self.grid.set_visible(False)
        for signal, slot in ((self.canvas.extentsChanged, self._canvas_moved),
                             (self.canvas.destinationCrsChanged, self._sync_extent_crs)):
            try:
                signal.disconnect(slot)
            except TypeError:
                pass
