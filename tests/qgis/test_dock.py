"""The dock driven like a user would, against the mirror simulator: type a tile, search, tick, download with
products on tape, watch the rows' states, cancel, get the layers; bad input refused at the field before any
request; the search and the download run off the main thread, which keeps handling events (stall times: make
bench-dock)."""
import datetime as dt
import time
from pathlib import Path

import pytest
from qgis.core import QgsLayerTree, QgsProject, QgsRasterLayer
from qgis.PyQt.QtCore import QDate, QPoint, Qt
from qgis.PyQt.QtGui import QImage, QPainter
from qgis.PyQt.QtWidgets import QPushButton

from plugin.core.models import Availability, ProductState
from plugin.gui import results_model as rm
from plugin.gui import options_page
from plugin.gui.dock import SentinelMirrorDock
from tests.qgis.dock_helpers import (GapMeter, bar_text, clear_project, dispose, point_dock_at, restore_settings,
                                     set_dates, zoom_lonlat)
from tests.simulator import md5_file

START, END = dt.date(2023, 6, 1), dt.date(2023, 7, 31)
L2A = "THEIA_REFLECTANCE_SENTINEL2_L2A"


@pytest.fixture
def make_dock(qgis_iface, qgis_new_project, monkeypatch, tmp_path, qtbot):
    docks, saved = [], []

    def make(sim):
        if not saved:
            saved.append(point_dock_at(sim, monkeypatch, tmp_path / "downloads"))
        dock = SentinelMirrorDock(qgis_iface, qgis_iface.mainWindow())
        dock.show()
        docks.append(dock)
        set_dates(dock, START, END)
        dock.ui.cloudSpin.setValue(100)
        return dock

    yield make
    for dock in docks:
        if dock.watches is not None:   # a watch left running (or registered) would outlive the test
            dock.watches.shutdown()
            qtbot.waitUntil(lambda d=dock: not d.watches.active(), timeout=10000)
            from plugin.qgis import watches
            for folder, name in watches.registered():
                if folder.startswith(str(tmp_path)):
                    watches.forget(folder, name)
        dock.cancel()
        qtbot.waitUntil(lambda d=dock: not d._busy(), timeout=10000)
        dock.cleanup()
        dispose(dock)
    if saved:
        restore_settings(saved[0])
    clear_project()


def search(dock, qtbot, tile="31tcj", timeout=30000):
    dock.ui.tileRadio.setChecked(True)
    dock.ui.tileEdit.clear()
    qtbot.keyClicks(dock.ui.tileEdit, tile)
    with qtbot.waitSignal(dock.searchFinished, timeout=timeout) as blocker:
        qtbot.mouseClick(dock.ui.searchButton, Qt.MouseButton.LeftButton)
    return blocker.args[0]


def expected_products(sim, collection=L2A, max_cloud=100):
    return [p for p in sim.products_of("geodes", collection)
            if START <= p.acquired.date() <= END and (p.cloud_cover or 0) <= max_cloud]


def record_states(dock):
    seen = {}
    dock.model.stateChanged.connect(lambda pid, state: seen.setdefault(pid, []).append(state))
    return seen


# ------------------------------------------------------------------------------------------------ search
def test_typed_tile_search_fills_table_footprints_and_quicklook(make_dock, simulator, qtbot):
    dock = make_dock(simulator)
    assert search(dock, qtbot) is True
    assert dock.ui.tileEdit.text() == "31TCJ"          # typed lower case, normalised at the field
    expected = expected_products(simulator)
    assert expected and dock.model.rowCount() == len(expected)
    assert {dock.model.product(r).title for r in range(dock.model.rowCount())} == {p.title for p in expected}
    # every row ticked by default: the summary counts them and their size
    assert dock.ui.summaryLabel.text().startswith(f"{len(expected)} of {len(expected)} ticked")
    layer = dock.footprints.layer
    assert layer is not None and layer.featureCount() == len(expected)
    assert QgsProject.instance().layerTreeRoot().findLayer(layer.id()) is not None
    # the first row is current: its footprint is highlighted and its quicklook arrives (fetched in a task)
    current = dock.current_product()
    assert current is not None and dock.footprints.current == current.id
    node = QgsProject.instance().layerTreeRoot().findLayer(layer.id())
    node.setItemVisibilityChecked(False)         # hiding the footprints hides the outline too
    assert not dock.footprints._band.isVisible()
    node.setItemVisibilityChecked(True)
    assert dock.footprints._band.isVisible()
    qtbot.waitUntil(lambda: dock.ui.quicklookLabel.pixmap() is not None
                    and not dock.ui.quicklookLabel.pixmap().isNull(), timeout=10000)
    assert simulator.stats.requests["geodes.quicklook"] >= 1
    # the tile is remembered for completion
    assert "31TCJ" in dock.completer.suggestions()


def test_sort_filter_and_select_all_none(make_dock, simulator, qtbot):
    dock = make_dock(simulator)
    search(dock, qtbot)
    n = dock.model.rowCount()
    view, proxy = dock.ui.resultsView, dock.proxy
    view.sortByColumn(rm.CLOUD, Qt.SortOrder.DescendingOrder)
    clouds = [proxy.index(r, rm.CLOUD).data(rm.SORT_ROLE) for r in range(proxy.rowCount())]
    assert clouds == sorted(clouds, reverse=True)
    view.sortByColumn(rm.DATE, Qt.SortOrder.AscendingOrder)
    dates = [proxy.index(r, rm.DATE).data() for r in range(proxy.rowCount())]
    assert dates == sorted(dates)

    qtbot.mouseClick(dock.ui.selectNoneButton, Qt.MouseButton.LeftButton)
    assert dock.model.checked_products() == []
    assert dock.ui.summaryLabel.text().startswith(f"0 of {n} ticked")
    assert not dock.ui.downloadButton.isEnabled()
    assert all(f["ticked"] == 0 for f in dock.footprints.layer.getFeatures())   # the map follows

    platform = dock.model.product(0).platform        # e.g. S2A: filter, then tick only what is shown
    dock.ui.filterEdit.setText(platform)
    shown = proxy.rowCount()
    assert 0 < shown < n
    qtbot.mouseClick(dock.ui.selectAllButton, Qt.MouseButton.LeftButton)
    ticked = dock.model.checked_products()
    assert len(ticked) == shown and all(p.platform == platform for p in ticked)
    assert dock.ui.summaryLabel.text().startswith(f"{shown} of {n} ticked")
    assert rm.human_size(sum(p.size for p in ticked)) in dock.ui.summaryLabel.text()
    assert sum(f["ticked"] for f in dock.footprints.layer.getFeatures()) == shown
    dock.ui.filterEdit.clear()
    assert proxy.rowCount() == n


# ------------------------------------------------------------------------------------------------ download
def test_download_with_tape_products_states_and_layers(make_dock, simulator_factory, qtbot, monkeypatch):
    sim = simulator_factory(offline_fraction=0.5, staging_delay_s=(0.5, 1.5), seed=3)
    dock = make_dock(sim)
    dock.ui.ndviCheck.setChecked(True)
    dock.ui.loadCheck.setChecked(True)
    search(dock, qtbot)
    # keep the run short: the first 6 rows (tape and online mixed)
    dock.model.set_all_checked(False)
    dock.model.set_checked(range(6), True)
    chosen = dock.model.checked_products()
    tape = [p for p in chosen if p.availability is not Availability.ONLINE]
    online = [p for p in chosen if p.availability is Availability.ONLINE]
    assert tape and online, "the seed must give both kinds in the first rows"

    seen = record_states(dock)
    from plugin.gui.watches import WatchManager
    dock.watches = WatchManager()   # what the plugin attaches (plugin/main.py)
    with qtbot.waitSignal(dock.runFinished, timeout=120000) as blocker:
        qtbot.mouseClick(dock.ui.downloadButton, Qt.MouseButton.LeftButton)
        assert not dock.ui.searchButton.isEnabled() and dock.ui.cancelButton.isEnabled()
    assert blocker.args == ["done"]
    for p in online:
        assert ProductState.DOWNLOADING in seen[p.id] and seen[p.id][-1] is ProductState.DONE, seen[p.id]
        row = dock.model.row_of(p.id)
        assert dock.model.index(row, rm.STATE).data() == "done"
        assert Path(dock.model.status(p.id).path).is_file()
    for p in tape:   # on tape, never failed, no GET sent for it
        assert ProductState.FAILED not in seen[p.id] and seen[p.id][-1] is ProductState.OFFLINE, seen[p.id]
        row = dock.model.row_of(p.id)
        assert dock.model.index(row, rm.STATE).data() == "on tape"
        assert dock.model.index(row, rm.ONLINE).data() == "on tape"
        assert sim.stats.offline_gets[p.id] == 0
    # the instructions, with one button that opens the explorer and copies the names
    notice = bar_text(dock)
    assert f"{len(tape)} product" in notice and "on tape at GEODES" in notice and "its explorer" in notice, notice
    from qgis.PyQt.QtWidgets import QApplication
    opened = []
    monkeypatch.setattr("plugin.gui.tape_notice.QDesktopServices.openUrl", lambda url: opened.append(url.toString()))
    qtbot.mouseClick(dock.tape_button, Qt.MouseButton.LeftButton)
    assert opened == [sim.geodes_url]
    assert sorted(QApplication.clipboard().text().splitlines()) == sorted(p.title for p in tape)
    # the watch runs in the background (the dock is free again); the user orders the products in the explorer
    assert dock.watches.active() and dock.ui.searchButton.isEnabled()
    qtbot.waitUntil(lambda: dock.watches_button.text() == "Watches (1)", timeout=5000)   # the user can see it
    qtbot.mouseClick(dock.watches_button, Qt.MouseButton.LeftButton)
    watch_list = dock.watches_button.dialog()
    assert watch_list.isVisible() and watch_list.table.rowCount() == 1
    assert watch_list.table.item(0, 2).text() == str(len(tape))
    fetched, watch_layers = [], []
    dock.watches.fetched.connect(lambda folder, done, left: fetched.append((done, left)))
    dock.watches.layersAdded.connect(lambda folder, layers: watch_layers.extend(lyr.name() for lyr in layers))
    sim.order([p.id for p in tape])
    qtbot.waitUntil(lambda: bool(fetched), timeout=60000)
    assert fetched == [(len(tape), 0)] and not dock.watches.active()
    qtbot.waitUntil(lambda: watch_list.table.rowCount() == 0 and not watch_list.empty.isHidden(), timeout=5000)
    watch_list.close()
    # what the watch brought in got what the run asked for: the NDVI and the layers, like the online ones
    qtbot.waitUntil(lambda: sum(n.startswith("NDVI") for n in watch_layers) == len(tape)
                    and not dock.watches.follow_ups, timeout=60000)
    assert sorted(watch_layers) == sorted([f"NDVI T31TCJ {p.acquired.date().isoformat()}" for p in tape]
                                          + [n for n in watch_layers if n.startswith("Natural colour")])
    assert sum(n.startswith("Natural colour") for n in watch_layers) == len(tape)
    folder = Path(dock.last_run.outcome.folder)
    for p in chosen:   # every product there once, MD5-verified, none downloaded twice
        [path] = [f for f in folder.glob("*.zip") if f.name == sim.product(p.id).zip_name]
        assert md5_file(path) == sim.product(p.id).md5
        assert sim.stats.bytes_served[p.id] == sim.product(p.id).size
    assert dock.ui.progressBar.value() == 1000

    # the message bar says it, with a button that opens the folder
    buttons = [b for b in dock.bar.findChildren(QPushButton) if b.text() == "Open folder"]
    assert buttons
    # layers arrive grouped per tile and date: one NDVI and one natural-colour layer per product
    root = QgsProject.instance().layerTreeRoot()
    group = root.findGroup("Sentinel-2 T31TCJ")
    assert group is not None
    dates = {p.acquired.date().isoformat() for p in chosen}   # the run's (online at once) and the watch's
    assert {c.name() for c in group.children() if QgsLayerTree.isGroup(c)} == dates
    layers = [node.layer() for node in group.findLayers()]
    assert all(isinstance(lyr, QgsRasterLayer) and lyr.isValid() for lyr in layers)
    assert sum("NDVI" in lyr.name() for lyr in layers) == len(chosen)
    assert sum("Natural colour" in lyr.name() for lyr in layers) == len(chosen)
    del layers


def test_cancel_a_run(make_dock, simulator_factory, qtbot, tmp_path):
    sim = simulator_factory(offline_fraction=0.5, staging_delay_s=30, bandwidth_bps=100_000, pad_to=3 * 2**20,
                            seed=5)
    dock = make_dock(sim)
    dock.ui.ndviCheck.setChecked(False)
    search(dock, qtbot)
    seen = record_states(dock)
    qtbot.mouseClick(dock.ui.downloadButton, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: any(ProductState.DOWNLOADING in s for s in seen.values()), timeout=20000)
    # mid-run the ticks say what is being downloaded: a click on a box changes nothing
    view = dock.ui.resultsView
    box = view.visualRect(dock.proxy.index(0, rm.DATE))
    ticked = len(dock.model.checked_products())
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(box.left() + 10, box.center().y()))
    assert len(dock.model.checked_products()) == ticked
    started = time.monotonic()
    with qtbot.waitSignal(dock.runFinished, timeout=3000) as blocker:
        qtbot.mouseClick(dock.ui.cancelButton, Qt.MouseButton.LeftButton)
    stopped_after = time.monotonic() - started
    assert blocker.args == ["cancelled"]
    assert stopped_after < 1.5, f"the run took {stopped_after:.1f} s to stop"
    states = {dock.model.status(p.id).state for p in dock.model.products()}
    assert ProductState.CANCELLED in states and ProductState.DOWNLOADING not in states
    # nothing half-written is left under a product's name
    folder = Path(dock.last_run.outcome.folder)
    assert not list(folder.glob("*.zip"))
    assert dock.ui.searchButton.isEnabled() and dock.ui.downloadButton.isEnabled()
    box = view.visualRect(dock.proxy.index(0, rm.DATE))      # after the run the boxes work again
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(box.left() + 10, box.center().y()))
    assert len(dock.model.checked_products()) == ticked - 1


def test_a_run_that_fails_as_a_whole_leaves_no_row_downloading(make_dock, simulator, qtbot, monkeypatch):
    from plugin.core.models import ProductStatus
    from plugin.tasks import pipeline_task

    def breaks_mid_way(provider, products, folder, progress=None, on_status=None, **kw):
        on_status(ProductStatus(products[0].id, ProductState.DOWNLOADING, bytes_done=10, bytes_total=100))
        raise OSError(28, "No space left on device")   # what no product can survive: the run itself fails

    dock = make_dock(simulator)
    search(dock, qtbot)
    dock.model.set_all_checked(False)
    dock.model.set_checked([0, 1], True)
    monkeypatch.setattr(pipeline_task, "run_pipeline", breaks_mid_way)
    with qtbot.waitSignal(dock.runFinished, timeout=30000) as blocker:
        qtbot.mouseClick(dock.ui.downloadButton, Qt.MouseButton.LeftButton)
    assert blocker.args == ["failed"]
    for p in dock.model.checked_products():
        assert dock.model.status(p.id).state is ProductState.FAILED, dock.model.status(p.id)
        assert dock.model.status(p.id).reason
    assert dock.ui.searchButton.isEnabled() and dock.ui.downloadButton.isEnabled() and \
        not dock.ui.cancelButton.isEnabled()


def test_wrong_key_is_explained_with_a_way_to_fix_it(make_dock, simulator, qtbot, monkeypatch, qgis_iface):
    dock = make_dock(simulator)
    search(dock, qtbot)
    monkeypatch.setenv("SENTINEL_MIRROR_GEODES_API_KEY", "wrong-key")
    dock.model.set_all_checked(False)
    dock.model.set_checked([0], True)
    with qtbot.waitSignal(dock.runFinished, timeout=30000):
        qtbot.mouseClick(dock.ui.downloadButton, Qt.MouseButton.LeftButton)
    texts = bar_text(dock)
    reason = dock.model.status(dock.model.product(0).id).reason
    assert "API key" in reason and "Settings" in reason        # the row says what and where to fix
    assert reason in texts and "Traceback" not in texts         # and so does the message bar, at once
    [button] = [b for b in dock.bar.findChildren(QPushButton) if b.text() == "Open settings"]
    button.click()
    assert qgis_iface.showOptionsDialog.call_args.kwargs.get("currentPage") == options_page.OBJECT_NAME


# ------------------------------------------------------------------------------------------------ bad input
def test_bad_input_is_refused_at_the_field_before_any_request(make_dock, simulator, qtbot):
    dock = make_dock(simulator)
    ui = dock.ui

    def click_search():
        qtbot.mouseClick(ui.searchButton, Qt.MouseButton.LeftButton)
        qtbot.wait(50)
        assert dock.search_task is None

    qtbot.keyClicks(ui.tileEdit, "hello")          # cannot become a tile id: every key refused
    assert ui.tileEdit.text() == ""
    assert not ui.tileMessage.isHidden() and "cannot become a tile id" in ui.tileMessage.text()
    click_search()
    assert "Type a tile id" in ui.tileMessage.text()

    for bad in ("31tzz", "99xaa", "31TC"):          # right form, but no such tile / incomplete
        ui.tileEdit.clear()
        qtbot.keyClicks(ui.tileEdit, bad)
        assert ui.tileEdit.text() == bad.upper()
        click_search()
        assert not ui.tileMessage.isHidden() and ui.tileMessage.text(), bad

    ui.tileEdit.setText("31TCJ")
    ui.startDate.setDate(QDate(2023, 7, 1))
    ui.endDate.setDate(QDate(2023, 6, 1))
    assert not ui.dateMessage.isHidden() and "before the start date" in ui.dateMessage.text()
    click_search()
    set_dates(dock, START, END)
    assert ui.dateMessage.isHidden()

    ui.cloudSpin.clear()
    qtbot.keyClicks(ui.cloudSpin.lineEdit(), "150")  # the spin box refuses the third digit
    assert ui.cloudSpin.value() == 15

    ui.extentRadio.setChecked(True)
    from qgis.core import QgsCoordinateReferenceSystem, QgsRectangle
    ui.extentBox.setOutputExtentFromUser(QgsRectangle(5, 5, 5, 5), QgsCoordinateReferenceSystem("EPSG:4326"))
    click_search()
    assert not ui.extentMessage.isHidden() and "empty" in ui.extentMessage.text()

    assert simulator.stats.total() == 0             # nothing was ever sent


def test_extent_search_in_a_projected_crs(make_dock, simulator, qtbot):
    from qgis.core import QgsCoordinateReferenceSystem, QgsRectangle
    dock = make_dock(simulator)
    dock.ui.extentRadio.setChecked(True)
    # a small box inside 31TCJ, in Web Mercator: converted to lon/lat for the catalogue
    dock.ui.extentBox.setOutputExtentFromUser(QgsRectangle(150000, 5400000, 160000, 5410000),
                                              QgsCoordinateReferenceSystem("EPSG:3857"))
    query = dock.build_query()
    assert query is not None and query.tile is None
    assert 1.3 < query.bbox.west < 1.4 and 43.5 < query.bbox.south < 43.7
    with qtbot.waitSignal(dock.searchFinished, timeout=30000) as blocker:
        qtbot.mouseClick(dock.ui.searchButton, Qt.MouseButton.LeftButton)
    assert blocker.args == [True] and dock.model.rowCount() > 0


# ------------------------------------------------------------------------------------------------ map tools
def test_pick_on_map_fills_the_field_and_offers_a_choice_where_tiles_overlap(make_dock, simulator, qtbot):
    from qgis.core import QgsPointXY
    from qgis.gui import QgsMapMouseEvent
    from qgis.PyQt.QtCore import QEvent

    from plugin.core import tiles

    dock = make_dock(simulator)
    canvas = dock.canvas
    canvas.resize(800, 600)
    zoom_lonlat(canvas, 0.0, 43.0, 3.0, 44.5)
    qtbot.mouseClick(dock.ui.pickButton, Qt.MouseButton.LeftButton)
    tool = dock.picker
    assert canvas.mapTool() is tool

    def click_at(lon, lat):
        """Centre the view on the point, click there; returns the tiles under the actual clicked point."""
        zoom_lonlat(canvas, lon - 0.02, lat - 0.02, lon + 0.02, lat + 0.02)
        px = canvas.getCoordinateTransform().transform(QgsPointXY(lon, lat))
        pos = QPoint(int(round(px.x())), int(round(px.y())))
        where = canvas.getCoordinateTransform().toMapCoordinates(pos)
        tool.canvasMoveEvent(QgsMapMouseEvent(canvas, QEvent.Type.MouseMove, pos))
        assert tool._hover == sorted(tiles.tiles_at(where.x(), where.y()))   # outlined while hovering
        tool.canvasReleaseEvent(QgsMapMouseEvent(canvas, QEvent.Type.MouseButtonRelease, pos,
                                                 Qt.MouseButton.LeftButton))
        return sorted(tiles.tiles_at(where.x(), where.y()))

    lons = [0.5 + i * 0.005 for i in range(400)]
    single = next(x for x in lons if len(tiles.tiles_at(x, 43.9)) == 1)
    overlap = next(x for x in lons if x > single and len(tiles.tiles_at(x, 43.9)) >= 2) + 0.03  # inside it

    [only] = click_at(single, 43.9)             # one tile under the click: used at once
    assert dock.ui.tileEdit.text() == only
    assert not dock.ui.pickButton.isChecked() and canvas.mapTool() is not tool

    qtbot.mouseClick(dock.ui.pickButton, Qt.MouseButton.LeftButton)
    several = click_at(overlap, 43.9)           # several: a menu lets the user choose
    assert len(several) >= 2
    menu = tool.menu
    choices = [a.text() for a in menu.actions()]
    assert choices == several
    assert len(tool._bands) == len(choices)     # every candidate outlined on the map
    menu.actions()[-1].trigger()
    assert dock.ui.tileEdit.text() == choices[-1]
    menu.close()


def test_draw_an_area_on_the_map_keeps_qgis_visible(make_dock, simulator, qtbot, qgis_iface):
    from qgis.core import QgsPointXY
    from qgis.gui import QgsMapMouseEvent
    from qgis.PyQt.QtCore import QEvent

    dock = make_dock(simulator)
    canvas = dock.canvas
    window = qgis_iface.mainWindow()
    window.show()
    zoom_lonlat(canvas, 1.0, 43.0, 2.0, 44.0)
    qtbot.mouseClick(dock.ui.drawButton, Qt.MouseButton.LeftButton)
    assert dock.ui.extentRadio.isChecked() and canvas.mapTool() is dock.draw_tool
    assert window.isVisible()                    # QgsExtentGroupBox's own "draw" would hide QGIS here

    def at(lon, lat):
        px = canvas.getCoordinateTransform().transform(QgsPointXY(lon, lat))
        return QPoint(int(round(px.x())), int(round(px.y())))

    tool = dock.draw_tool
    tool.canvasPressEvent(QgsMapMouseEvent(canvas, QEvent.Type.MouseButtonPress, at(1.3, 43.4),
                                           Qt.MouseButton.LeftButton, Qt.MouseButton.LeftButton))
    tool.canvasMoveEvent(QgsMapMouseEvent(canvas, QEvent.Type.MouseMove, at(1.6, 43.7),
                                          Qt.MouseButton.NoButton, Qt.MouseButton.LeftButton))
    tool.canvasReleaseEvent(QgsMapMouseEvent(canvas, QEvent.Type.MouseButtonRelease, at(1.6, 43.7),
                                             Qt.MouseButton.LeftButton))
    assert not dock.ui.drawButton.isChecked() and canvas.mapTool() is not tool
    query = dock.build_query()
    assert query.tile is None
    assert abs(query.bbox.west - 1.3) < 0.01 and abs(query.bbox.north - 43.7) < 0.01
    window.hide()


def test_switching_from_draw_to_pick_gives_the_users_tool_back(make_dock, simulator, qtbot):
    from qgis.gui import QgsMapToolPan

    dock = make_dock(simulator)
    canvas = dock.canvas
    zoom_lonlat(canvas, 1.2, 43.4, 1.7, 43.8)
    pan = QgsMapToolPan(canvas)
    canvas.setMapTool(pan)
    qtbot.mouseClick(dock.ui.drawButton, Qt.MouseButton.LeftButton)
    assert canvas.mapTool() is dock.draw_tool
    qtbot.mouseClick(dock.ui.pickButton, Qt.MouseButton.LeftButton)   # changed their mind: pick a tile instead
    assert canvas.mapTool() is dock.picker and not dock.ui.drawButton.isChecked()
    dock.picker.tilePicked.emit("31TCJ")
    assert dock.ui.tileEdit.text() == "31TCJ" and not dock.ui.pickButton.isChecked()
    assert canvas.mapTool() is pan                                     # not left without any map tool
    qtbot.mouseClick(dock.ui.drawButton, Qt.MouseButton.LeftButton)
    dock.hide()                                                        # closing the dock gives it back too
    assert canvas.mapTool() is pan and not dock.ui.drawButton.isChecked()
    canvas.unsetMapTool(pan)


def test_a_slow_quicklook_never_replaces_the_one_of_the_row_the_user_moved_to(make_dock, simulator, qtbot):
    from qgis.core import QgsApplication

    dock = make_dock(simulator)
    simulator.inject("timeout", endpoint="quicklook", count=1, delay_s=3)   # the first quicklook hangs 3 s
    search(dock, qtbot)
    manager = QgsApplication.taskManager()
    slow_id = manager.taskId(dock.quicklooks.task)
    assert slow_id >= 0
    dock.ui.resultsView.selectRow(1)                # the user moves on before it arrives
    label = dock.ui.quicklookLabel
    qtbot.waitUntil(lambda: label.pixmap() is not None and not label.pixmap().isNull(), timeout=10000)
    shown = label.pixmap().cacheKey()
    qtbot.waitUntil(lambda: manager.task(slow_id) is None, timeout=10000)   # the hanging request ends...
    qtbot.wait(100)
    assert label.pixmap().cacheKey() == shown       # ...and the row under the cursor keeps its own quicklook
    assert dock.current_product().id == dock.model.product(dock.proxy.mapToSource(dock.proxy.index(1, 0)).row()).id
    # every cancelled quicklook task ends and is let go (its end signal may still be on its way)
    qtbot.waitUntil(lambda: not dock.quicklooks.busy(), timeout=5000)


def test_tile_completion_offers_tiles_near_the_map_centre_and_recent_ones(make_dock, simulator, qtbot):
    dock = make_dock(simulator)
    zoom_lonlat(dock.canvas, 1.2, 43.4, 1.7, 43.8)           # Toulouse
    qtbot.waitUntil(lambda: "31TCJ" in dock.completer.suggestions(), timeout=3000)
    assert dock.completer.suggestions().index("31TCJ") < 3  # the tile under the centre comes first
    zoom_lonlat(dock.canvas, 2.2, 48.7, 2.5, 49.0)           # Paris
    qtbot.waitUntil(lambda: "31UDQ" in dock.completer.suggestions(), timeout=3000)
    assert "31TCJ" not in dock.completer.suggestions()
    dock.form.use_tile("31TCJ")                                # used once: now suggested everywhere
    assert dock.completer.suggestions()[0] == "31TCJ"
    dock.ui.tileEdit.clear()
    qtbot.keyClicks(dock.ui.tileEdit, "31t")
    popup = [dock.completer.completionModel().index(i, 0).data()
             for i in range(dock.completer.completionModel().rowCount())]
    assert popup and all(t.startswith("31T") for t in popup) and "31TCJ" in popup


def test_tile_grid_follows_the_view_and_stays_readable(make_dock, simulator, qtbot):
    dock = make_dock(simulator)
    canvas = dock.canvas
    zoom_lonlat(canvas, 0.5, 43.0, 2.5, 44.5)
    qtbot.mouseClick(dock.ui.gridButton, Qt.MouseButton.LeftButton)
    item = dock.grid.item
    assert item is not None and "31TCJ" in item.tile_ids()
    near = set(item.tile_ids())
    image = QImage(800, 600, QImage.Format.Format_ARGB32)
    image.fill(0)
    painter = QPainter(image)
    item.paint(painter)                          # every tile labelled with its id, no two labels on top
    painter.end()
    boxes = item.label_boxes
    assert len(boxes) == len(near)
    assert not any(a.intersects(b) for i, a in enumerate(boxes) for b in boxes[i + 1:])
    assert image.pixelColor(boxes[0].center()).alpha() > 0 or any(
        image.pixelColor(x, y).alpha() for x in range(boxes[0].left(), boxes[0].right())
        for y in range(boxes[0].top(), boxes[0].bottom()))
    zoom_lonlat(canvas, 10.0, 45.0, 12.0, 46.5)  # elsewhere: the grid follows
    assert "31TCJ" not in item.tile_ids() and item.tile_ids() and set(item.tile_ids()) != near
    zoom_lonlat(canvas, -180, -85, 180, 85)      # the world: too many tiles to read, none drawn
    assert item.tile_ids() == [] and "Zoom in" in item.hint
    qtbot.mouseClick(dock.ui.gridButton, Qt.MouseButton.LeftButton)
    assert dock.grid.item is None


# ------------------------------------------------------------------------------------------------ the rest
def test_inputs_are_remembered(make_dock, simulator, qtbot, qgis_iface):
    dock = make_dock(simulator)
    dock.ui.providerCombo.setCurrentIndex(dock.ui.providerCombo.findData("cdse"))
    dock.ui.collectionCombo.setCurrentIndex(dock.ui.collectionCombo.findData("sentinel-2-l1c"))
    dock.ui.tileEdit.setText("31TDJ")
    dock.ui.cloudSpin.setValue(42)
    dock.ui.ndviCheck.setChecked(False)
    qtbot.wait(600)                              # saved shortly after each change
    again = SentinelMirrorDock(qgis_iface, qgis_iface.mainWindow())
    try:
        assert again.provider_name() == "cdse"
        assert again.ui.collectionCombo.currentData() == "sentinel-2-l1c"
        assert again.ui.tileEdit.text() == "31TDJ"
        assert again.ui.cloudSpin.value() == 42
        assert again.ui.startDate.date() == QDate(2023, 6, 1)
        assert not again.ui.ndviCheck.isChecked()
        assert again.ui.collectionHint.text() == again.ui.collectionCombo.itemData(
            again.ui.collectionCombo.currentIndex(), Qt.ItemDataRole.ToolTipRole) != ""   # the L1C's own hint
    finally:
        again.cleanup()
        dispose(again)


def test_collection_hint_and_gear_button(make_dock, simulator, qtbot, qgis_iface):
    dock = make_dock(simulator)
    dock.ui.providerCombo.setCurrentIndex(dock.ui.providerCombo.findData("geodes"))
    dock.ui.collectionCombo.setCurrentIndex(dock.ui.collectionCombo.findData(L2A))
    assert "NDVI should use" in dock.ui.collectionHint.text()
    qtbot.mouseClick(dock.ui.optionsButton, Qt.MouseButton.LeftButton)
    args, kwargs = qgis_iface.showOptionsDialog.call_args
    from plugin.gui.options_factory import OptionsFactory   # QGIS finds the page by its objectName
    page = OptionsFactory().createWidget(None)
    assert kwargs.get("currentPage") == page.objectName() and page.objectName()
    page.deleteLater()


def test_cdse_search_and_help_button(make_dock, simulator, qtbot, monkeypatch):
    dock = make_dock(simulator)
    dock.ui.providerCombo.setCurrentIndex(dock.ui.providerCombo.findData("cdse"))
    assert dock.ui.collectionCombo.currentData() == "sentinel-2-l2a"      # the NDVI-worthy one first
    assert "NDVI should use" in dock.ui.collectionHint.text()
    assert search(dock, qtbot) is True
    expected = [p for p in simulator.products_of("cdse", "sentinel-2-l2a") if START <= p.acquired.date() <= END]
    assert dock.model.rowCount() == len(expected) > 0
    assert all(dock.model.product(r).provider == "cdse" for r in range(dock.model.rowCount()))

    opened = []
    monkeypatch.setattr("plugin.gui.dock.QDesktopServices.openUrl", lambda url: opened.append(url))
    qtbot.mouseClick(dock.ui.helpButton, Qt.MouseButton.LeftButton)
    [url] = opened
    assert url.isValid() and (url.isLocalFile() and Path(url.toLocalFile()).is_file() or url.scheme() == "https")


def test_an_empty_result_says_what_to_change(make_dock, simulator, qtbot):
    dock = make_dock(simulator)
    assert all(p.cloud_cover > 0 for p in expected_products(simulator))
    dock.ui.cloudSpin.setValue(0)                    # no product of the simulator is cloud-free
    assert search(dock, qtbot) is False
    text = bar_text(dock)
    assert "No product found" in text and "raise the cloud limit" in text
    assert dock.model.rowCount() == 0 and dock.ui.searchButton.isEnabled()


def test_a_failing_service_is_said_in_plain_words(make_dock, simulator, qtbot):
    dock = make_dock(simulator)
    simulator.inject("503", endpoint="search", count=50, retry_after=0)
    assert search(dock, qtbot, timeout=60000) is False
    text = bar_text(dock)
    assert "GEODES" in text and "503" in text and "Traceback" not in text
    assert dock.ui.searchButton.isEnabled()


def test_removing_the_results_layer_is_harmless(make_dock, simulator, qtbot):
    dock = make_dock(simulator)
    search(dock, qtbot)
    QgsProject.instance().removeMapLayer(dock.footprints.layer.id())
    assert dock.footprints.current is None
    qtbot.mouseClick(dock.ui.selectNoneButton, Qt.MouseButton.LeftButton)   # no layer to follow: no error
    dock.ui.resultsView.selectRow(1)
    assert search(dock, qtbot) is True                                      # a new search brings it back
    assert dock.footprints.layer is not None and dock.footprints.layer.featureCount() == dock.model.rowCount()


# ------------------------------------------------------------------------------------------------ responsiveness
def test_search_and_download_run_off_the_main_thread_which_keeps_handling_events(make_dock, simulator_factory,
                                                                                  qtbot, monkeypatch):
    """Structural, not timed (how long the main thread stalls is measured by `make bench-dock`): the search and the
    download each run in a QgsTask on a worker thread, and a main-thread timer keeps firing during both, so the
    window repaints and answers clicks while they run."""
    import threading

    from plugin.tasks.pipeline_task import PipelineTask
    from plugin.tasks.search_task import SearchTask
    threads = {}
    for cls in (SearchTask, PipelineTask):
        def work(self, progress, _orig=cls.work, _name=cls.__name__):
            threads[_name] = threading.current_thread()
            return _orig(self, progress)
        monkeypatch.setattr(cls, "work", work)
    sim = simulator_factory(offline_fraction=0.3, staging_delay_s=0.5, bandwidth_bps=400_000, pad_to=600_000, seed=7)
    dock = make_dock(sim)
    dock.ui.ndviCheck.setChecked(False)
    dock.ui.loadCheck.setChecked(False)
    dock.ui.tileEdit.setText("31TCJ")
    dock.warm_up.join(10)
    meter = GapMeter()
    with qtbot.waitSignal(dock.searchFinished, timeout=30000):
        meter.start()
        qtbot.mouseClick(dock.ui.searchButton, Qt.MouseButton.LeftButton)
    search_ticks = meter.stop().ticks
    meter = GapMeter(interval_ms=20)
    started = time.perf_counter()
    with qtbot.waitSignal(dock.runFinished, timeout=120000) as blocker:
        meter.start()
        qtbot.mouseClick(dock.ui.downloadButton, Qt.MouseButton.LeftButton)
    elapsed = time.perf_counter() - started
    meter.stop()
    assert blocker.args == ["done"]
    main = threading.main_thread()
    assert set(threads) == {"SearchTask", "PipelineTask"}
    assert all(t is not main for t in threads.values())
    assert search_ticks >= 1
    # a 20 ms timer over a download of ~seconds: a main thread blocked by the download would fire it a few times
    # at most; a quarter of the expected ticks is generous for a loaded machine
    assert meter.ticks >= max(5, 0.25 * elapsed / 0.02), (meter.ticks, elapsed)
    print(f"main-thread ticks: search {search_ticks}, download {meter.ticks} over {elapsed:.1f} s")


def test_a_quicklook_cancelled_before_it_starts_is_let_go(make_dock, simulator, qtbot):
    """QGIS ends a still-queued task inside cancel() itself: the loader must not keep waiting for it."""
    dock = make_dock(simulator)
    search(dock, qtbot)
    loader = dock.quicklooks
    qtbot.waitUntil(lambda: not loader.busy(), timeout=5000)
    for product in dock.model.products()[:6]:
        loader.clear()
        loader.request(product, dock.provider.session)
        loader.cancel()                      # most of these are still queued when cancelled
    qtbot.waitUntil(lambda: not loader.busy(), timeout=5000)


def test_index_choice_next_to_compute_gives_that_index_layers(make_dock, simulator_factory, qtbot):
    sim = simulator_factory(seed=3)
    dock = make_dock(sim)
    dock.ui.ndviCheck.setChecked(False)
    assert not dock.ui.indexCombo.isEnabled()          # the choice only matters when something is computed
    dock.ui.ndviCheck.setChecked(True)
    assert dock.ui.indexCombo.isEnabled() and dock.ui.indexCombo.currentData() == "NDVI"
    dock.ui.indexCombo.setCurrentIndex(dock.ui.indexCombo.findData("NBR"))
    dock.ui.loadCheck.setChecked(True)
    search(dock, qtbot)
    dock.model.set_all_checked(False)
    dock.model.set_checked(range(2), True)
    chosen = dock.model.checked_products()
    with qtbot.waitSignal(dock.runFinished, timeout=120000) as blocker:
        qtbot.mouseClick(dock.ui.downloadButton, Qt.MouseButton.LeftButton)
    assert blocker.args == ["done"]
    names = sorted(lyr.name() for lyr in QgsProject.instance().mapLayers().values()
                   if isinstance(lyr, QgsRasterLayer) and not lyr.name().startswith("Natural colour"))
    assert names == sorted(f"NBR T31TCJ {p.acquired.date().isoformat()}" for p in chosen)
    said = bar_text(dock)
    assert "2 of 2 downloaded, 2 NBR." in said and "NDVI" not in said   # the summary names the index computed
    folder = Path(dock.model.status(chosen[0].id).path).parent
    assert sorted(p.name for p in folder.glob("*_NBR.tif")) == sorted(f"{p.extra['file_name'][:-4]}_NBR.tif" for p in chosen)
    dock.form.save_inputs()                             # the choice is remembered with the other inputs
    again = make_dock(sim)
    assert again.ui.indexCombo.currentData() == "NBR"


def test_sentinel1_product_type_choice_grd_by_default_slc_on_request(make_dock, simulator_factory, qtbot):
    sim = simulator_factory(collections=("PEPS_S1_L1",), seed=5)
    dock = make_dock(sim)
    combo = dock.form.s1_type_combo
    assert not combo.isVisibleTo(dock)                      # optical collections: no such choice
    dock.ui.collectionCombo.setCurrentIndex(dock.ui.collectionCombo.findData("PEPS_S1_L1"))
    assert combo.isVisibleTo(dock) and combo.currentData() == "GRD"
    by_type = {p.id: p.product_type for p in sim.products_of("geodes", "PEPS_S1_L1")}
    assert search(dock, qtbot) is True
    grd = dock.model.products()
    assert grd and {by_type[p.id] for p in grd} == {"GRD"}
    combo.setCurrentIndex(combo.findData("SLC"))
    assert search(dock, qtbot) is True
    slc = dock.model.products()
    assert slc and {by_type[p.id] for p in slc} == {"SLC"}
    assert min(p.size for p in slc) > 3 * max(p.size for p in grd)   # the size column tells them apart
    dock.ui.providerCombo.setCurrentIndex(dock.ui.providerCombo.findData("cdse"))
    assert not combo.isVisibleTo(dock)                      # CDSE's radar collection is GRD only


def test_a_newest_date_that_cannot_open_leaves_the_tile_on_the_map_and_is_said(make_dock, simulator_factory, qtbot,
                                                                               monkeypatch):
    from plugin.gui import layer_loader
    from plugin.qgis.layers import product_identity
    sim = simulator_factory(seed=3)
    dock = make_dock(sim)
    dock.ui.ndviCheck.setChecked(True)
    dock.ui.loadCheck.setChecked(True)
    search(dock, qtbot)
    dock.model.set_all_checked(False)
    dock.model.set_checked(range(3), True)
    days = sorted({p.acquired.date() for p in dock.model.checked_products()})
    assert len(days) == 3
    damaged = []
    start = layer_loader.LayerLoader.start

    def damage_newest_then_start(loader):   # the newest date's NDVI and natural colour, written then damaged
        for _kind, path in loader.jobs:
            if product_identity(path)[1].date() == days[-1]:
                Path(path).write_bytes(b"II*\x00" + b"\x00" * 60)
                damaged.append(Path(path).name)
        start(loader)
    monkeypatch.setattr(layer_loader.LayerLoader, "start", damage_newest_then_start)
    with qtbot.waitSignal(dock.runFinished, timeout=120000) as blocker:
        qtbot.mouseClick(dock.ui.downloadButton, Qt.MouseButton.LeftButton)
    assert blocker.args == ["done"] and len(damaged) == 2
    group = QgsProject.instance().layerTreeRoot().findGroup("Sentinel-2 T31TCJ")
    ticked = {c.name(): c.itemVisibilityChecked() for c in group.children() if QgsLayerTree.isGroup(c)}
    assert ticked == {days[0].isoformat(): False, days[1].isoformat(): True}   # the newest that opened is shown
    said = bar_text(dock)
    assert "2 layers could not be added" in said and "cannot open" in said, said


def test_index_encoding_and_grid_choices_reach_the_rasters_the_layers_and_the_watch(make_dock, simulator_factory,
                                                                                      qtbot, tmp_path):
    import numpy as np
    from osgeo import gdal
    from qgis.core import QgsPointXY
    from plugin.core.ndvi_batch import compute_ndvi_batch
    from plugin.gui.watches import WatchManager
    from plugin.qgis import layers as qlayers, watches
    sim = simulator_factory(offline_fraction=0.5, staging_delay_s=30, seed=3)
    dock = make_dock(sim)
    dock.watches = WatchManager()
    dock.ui.ndviCheck.setChecked(True)
    dock.ui.loadCheck.setChecked(True)
    search(dock, qtbot)
    online = [r for r, p in enumerate(dock.model.products()) if p.availability is Availability.ONLINE][:2]
    tape = [r for r, p in enumerate(dock.model.products()) if p.availability is not Availability.ONLINE][:1]
    dock.model.set_all_checked(False)
    dock.model.set_checked(online + tape, True)
    dock.ui.encodingCombo.setCurrentIndex(dock.ui.encodingCombo.findData("int16"))
    dock.ui.resolutionCombo.setCurrentIndex(dock.ui.resolutionCombo.findData(20))
    added = []
    dock.layersAdded.connect(added.extend)
    with qtbot.waitSignal(dock.runFinished, timeout=120000) as blocker:
        qtbot.mouseClick(dock.ui.downloadButton, Qt.MouseButton.LeftButton)
    assert blocker.args == ["done"]
    archives = [dock.model.status(dock.model.product(r).id).path for r in online]
    ref, _errors = compute_ndvi_batch(archives, str(tmp_path / "ref"), encoding="float32", resolution=20)
    index_layers = {Path(lyr.source()).name: lyr for lyr in added if lyr.name().startswith("NDVI")}
    assert sorted(index_layers) == sorted(Path(r.path).name for r in ref)   # <product>_NDVI_20m.tif, on the map
    for r in ref:
        q_ds, f_ds = gdal.Open(str(Path(archives[0]).parent / Path(r.path).name)), gdal.Open(str(r.path))
        band = q_ds.GetRasterBand(1)
        assert band.DataType == gdal.GDT_Int16 and band.GetNoDataValue() == -32768 and band.GetScale() == 1e-4
        assert q_ds.GetGeoTransform() == f_ds.GetGeoTransform() and q_ds.GetGeoTransform()[1] == 20.0
        q, f = band.ReadAsArray(), f_ds.GetRasterBand(1).ReadAsArray()
        ok = f != -9999
        assert ok.any() and np.array_equal(q == -32768, ~ok)
        assert np.max(np.abs(q[ok] * 1e-4 - f[ok])) <= 1e-4
        # the layer reads true index values (QGIS applies the band scale) and has the index's style
        layer, gt = index_layers[Path(r.path).name], q_ds.GetGeoTransform()
        y, x = np.argwhere(ok)[len(np.argwhere(ok)) // 2]
        value, found = layer.dataProvider().sample(QgsPointXY(gt[0] + (x + 0.5) * gt[1], gt[3] + (y + 0.5) * gt[5]), 1)
        assert found and value == pytest.approx(float(f[y, x]), abs=1e-4)
        reference = qlayers.ndvi_layer(str(r.path))   # the Float32 layer's style (kept alive: its shader is its own)
        shaders = [lyr.renderer().shader().rasterShaderFunction() for lyr in (layer, reference)]
        assert len({(sh.minimumValue(), sh.maximumValue(), len(sh.colorRampItemList())) for sh in shaders}) == 1
        del shaders, reference
    # the product on tape is watched: what the watch brings in, even after a restart, gets the same index
    folder = dock.last_run.outcome.folder
    assert {k: watches.choices(folder, "geodes")[k] for k in ("index", "encoding", "resolution")} == {
        "index": "NDVI", "encoding": "int16", "resolution": 20}
    # the choices are remembered with the other inputs (saved shortly after each change)
    qtbot.waitUntil(lambda: not dock.form._save_timer.isActive(), timeout=2000)
    again = make_dock(sim)
    assert again.ui.encodingCombo.currentData() == "int16" and again.ui.resolutionCombo.currentData() == 20


def test_a_two_factor_cdse_download_asks_for_the_code_and_its_watch_remembers_the_account_needs_one(
        make_dock, simulator_factory, qtbot, monkeypatch):
    from qgis.PyQt.QtWidgets import QInputDialog

    from plugin.gui.watches import WatchManager
    from plugin.qgis import watches
    code = "161803"
    sim = simulator_factory(seed=3, collections=("sentinel-2-l2a",), cdse_offline_fraction=0.5, cdse_totp=code)
    dock = make_dock(sim)
    dock.watches = WatchManager()   # what the plugin attaches (plugin/main.py)
    dock.ui.providerCombo.setCurrentIndex(dock.ui.providerCombo.findData("cdse"))
    dock.ui.ndviCheck.setChecked(False)
    dock.ui.loadCheck.setChecked(False)
    search(dock, qtbot)
    asked, runs = [], []
    monkeypatch.setattr(QInputDialog, "getText", staticmethod(lambda *a, **k: (asked.append(a[1]), (code, True))[1]))
    dock.runFinished.connect(runs.append)
    qtbot.mouseClick(dock.ui.downloadButton, Qt.MouseButton.LeftButton)   # refused: no code was given
    qtbot.waitUntil(lambda: len(runs) == 2, timeout=120000)                # asked, then downloaded again
    assert runs == ["done", "done"] and asked == ["CDSE one-time code"]   # the first: on tape listed, others refused
    states = {dock.model.status(p.id).state for p in dock.model.products()}
    assert states == {ProductState.DONE, ProductState.OFFLINE}
    assert watches.choices(dock.last_run.outcome.folder, "cdse")["two_factor"] is True   # a resumed watch: a code


def test_a_download_whose_watch_the_service_refused_starts_no_doomed_watch_and_says_why(make_dock, simulator_factory,
                                                                                        qtbot):
    """Products on tape from an earlier download, then the GEODES key revoked: the next download finds the watch
    refused at its start; the dock says why and keeps the watch registered for later instead of starting one the
    service would refuse again (a second refused request and a second message)."""
    from plugin.gui.watches import WatchManager
    from plugin.qgis import watches
    sim = simulator_factory(seed=3, offline_fraction=0.5)
    dock = make_dock(sim)
    dock.ui.ndviCheck.setChecked(False)
    dock.ui.loadCheck.setChecked(False)
    search(dock, qtbot)
    dock.model.set_all_checked(False)
    dock.model.set_checked(range(6), True)
    tape = [p for p in dock.model.checked_products() if p.availability is not Availability.ONLINE]
    assert tape
    with qtbot.waitSignal(dock.runFinished, timeout=120000):   # no watch attached: the tape products journaled
        qtbot.mouseClick(dock.ui.downloadButton, Qt.MouseButton.LeftButton)
    folder = dock.last_run.outcome.folder
    sim.set_api_key("a-key-the-user-has-not-entered-yet")   # revoked meanwhile; the settings hold the old one
    dock.watches = WatchManager()
    with qtbot.waitSignal(dock.runFinished, timeout=120000):
        qtbot.mouseClick(dock.ui.downloadButton, Qt.MouseButton.LeftButton)
    assert {dock.model.status(p.id).state for p in tape} == {ProductState.OFFLINE}   # not failed
    assert dock.last_run.outcome.watch_stopped.startswith("Watch stopped: GEODES refused the API key")
    assert not dock.watches.active()                            # no watch started to be refused again
    assert (folder, "geodes") in watches.registered()           # resumed at the next start, once the key is fixed
    said = bar_text(dock)
    assert said.count("Watch stopped: GEODES refused the API key") == 1, said
