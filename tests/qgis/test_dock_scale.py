"""The dock at the size of the seed's job (300 rows): what one status update or one click costs must follow what
changed, never the number of rows. Counts, not timings: model resets, layout changes (a sort emits one), calls to
the model's data() (what the view and its header ask when they re-measure rows), batches handed to the table,
and rewrites of the footprints layer, during a burst of 1,000 pipeline updates sent by a real PipelineTask.
"""
import datetime as dt

import pytest
from qgis.PyQt.QtCore import Qt

from plugin.core.models import Availability, Product, ProductState, ProductStatus
from plugin.gui import results_model as rm
from plugin.gui.dock import SentinelMirrorDock
from plugin.tasks import pipeline_task
from tests.qgis.dock_helpers import clear_project, dispose, point_dock_at, restore_settings

N_ROWS, N_UPDATES = 300, 1000


def products(n=N_ROWS):
    day0 = dt.datetime(2024, 12, 1, 10, 30, tzinfo=dt.timezone.utc)
    out = []
    for i in range(n):
        acquired = day0 + dt.timedelta(days=5 * (i // 2))
        tile = ("31TCJ", "31TDJ")[i % 2]
        title = f"SENTINEL2{'AB'[i % 2]}_{acquired:%Y%m%d-%H%M%S}-000_L2A_T{tile}_C_V3-1"
        west = 0.5 + (i % 2)
        out.append(Product(provider="geodes", id=f"URN:FEATURE:DATA:gdh:{i:04d}", title=title,
                           collection="THEIA_REFLECTANCE_SENTINEL2_L2A", platform=f"S2{'AB'[i % 2]}", acquired=acquired,
                           tile=tile, relative_orbit=51, cloud_cover=float(i % 100), size=1_000_000 + i,
                           checksum=f"{i:032x}", availability=Availability.ONLINE,
                           footprint={"type": "Polygon", "coordinates": [[[west, 43], [west + 1.4, 43], [west + 1.4, 44],
                                                                          [west, 44], [west, 43]]]}))
    return out


class Counts:
    """What the table and the map were asked to do."""

    def __init__(self, dock, monkeypatch):
        self.n = {"model resets": 0, "model layout changes": 0, "proxy resets": 0, "proxy layout changes": 0,
                  "data() calls": 0, "footprint rewrites": 0, "footprint restyles": 0}
        dock.model.modelAboutToBeReset.connect(lambda: self._add("model resets"))
        dock.model.layoutAboutToBeChanged.connect(lambda *_: self._add("model layout changes"))
        dock.proxy.modelAboutToBeReset.connect(lambda: self._add("proxy resets"))
        dock.proxy.layoutAboutToBeChanged.connect(lambda *_: self._add("proxy layout changes"))
        data = rm.ResultsModel.data

        def counting_data(model, index, role=Qt.ItemDataRole.DisplayRole):
            self.n["data() calls"] += 1
            return data(model, index, role)
        monkeypatch.setattr(rm.ResultsModel, "data", counting_data)
        for name, key in (("set_products", "footprint rewrites"), ("set_ticked", "footprint restyles")):
            method = getattr(dock.footprints, name)
            monkeypatch.setattr(dock.footprints, name,
                                lambda *a, _m=method, _k=key, **kw: (self._add(_k), _m(*a, **kw))[1])

    def _add(self, key):
        self.n[key] += 1

    def reset(self):
        for key in self.n:
            self.n[key] = 0


@pytest.fixture
def big_dock(qgis_iface, qgis_new_project, monkeypatch, tmp_path, simulator, qtbot):
    saved = point_dock_at(simulator, monkeypatch, tmp_path / "downloads")
    dock = SentinelMirrorDock(qgis_iface, qgis_iface.mainWindow())
    dock.resize(560, 800)
    dock.show()
    dock.ui.ndviCheck.setChecked(False)
    dock.ui.loadCheck.setChecked(False)
    dock._open_catalogue()
    dock._search_results(products())        # what a search of 300 products hands the dock
    qtbot.wait(50)
    yield dock
    dock.cancel()
    qtbot.waitUntil(lambda: not dock._busy(), timeout=10000)
    dock.cleanup()
    dispose(dock)
    restore_settings(saved)
    clear_project()


def burst_pipeline(provider, products, folder, progress=None, on_status=None, **kw):
    """1,000 progress updates spread over every row as fast as a worker thread can send them, then each row's
    final word: what a fast link with small products looks like to the dock."""
    for i in range(N_UPDATES):
        p = products[(i * 7) % len(products)]
        on_status(ProductStatus(p.id, ProductState.DOWNLOADING, bytes_done=i % 100, bytes_total=100))
    final = [ProductStatus(p.id, ProductState.DONE, 100, 100, path=f"{folder}/{p.title}.zip") for p in products]
    for st in final:
        on_status(st)
    return final


def test_a_burst_of_status_updates_costs_what_changed_not_the_row_count(big_dock, qtbot, monkeypatch):
    dock = big_dock
    assert dock.model.rowCount() == N_ROWS and dock.model.checked_count() == N_ROWS
    counts = Counts(dock, monkeypatch)
    states = {}
    dock.model.stateChanged.connect(lambda pid, state: states.setdefault(pid, []).append(state))
    monkeypatch.setattr(pipeline_task, "run_pipeline", burst_pipeline)
    with qtbot.waitSignal(dock.runFinished, timeout=60000) as blocker:
        qtbot.mouseClick(dock.ui.downloadButton, Qt.MouseButton.LeftButton)
    assert blocker.args == ["done"]
    batches = dock.statuses.batches
    qtbot.wait(50)   # let the view paint what changed
    n = counts.n
    print(f"burst of {N_UPDATES + N_ROWS} updates over {N_ROWS} rows: {batches} table refreshes, {n}")

    # every row got every change of state, in order, and shows its final word
    assert all(states[p.id] == [ProductState.DOWNLOADING, ProductState.DONE] for p in dock.model.products())
    assert all(dock.model.index(r, rm.STATE).data() == "done" for r in range(N_ROWS))
    # the updates reached the table in a few batches, not one refresh each
    assert 1 <= batches <= 10, batches
    # no reset, no re-sort or re-filter, no rewrite or restyle of the footprints for a status update
    assert n["model resets"] == n["model layout changes"] == n["proxy resets"] == n["proxy layout changes"] == 0, n
    assert n["footprint rewrites"] == n["footprint restyles"] == 0, n
    # what the view asked the model: a repaint of the visible rows per batch at most. One re-measure of a column
    # over every row per update (the old per-update cost) would be > 300 calls per update.
    assert n["data() calls"] < 5 * (N_UPDATES + N_ROWS), n


def test_tick_all_and_one_tick_at_300_rows(big_dock, qtbot, monkeypatch):
    dock = big_dock
    counts = Counts(dock, monkeypatch)
    layer = dock.footprints.layer
    changes = []
    dock.model.dataChanged.connect(lambda a, b, roles=(): changes.append((a.row(), b.row())))
    qtbot.mouseClick(dock.ui.selectNoneButton, Qt.MouseButton.LeftButton)
    assert dock.model.checked_count() == 0 and dock.model.checked_size() == 0
    assert dock.ui.summaryLabel.text().startswith(f"0 of {N_ROWS} ticked")
    assert all(f["ticked"] == 0 for f in layer.getFeatures())
    # unticking every row: one change of the table (one run of rows), one restyle of the map
    assert len(changes) == 1 and counts.n["footprint restyles"] == 1, (changes, counts.n)

    changes.clear()
    counts.reset()
    dock.model.setData(dock.model.index(5, rm.DATE), Qt.CheckState.Checked, Qt.ItemDataRole.CheckStateRole)
    assert changes == [(5, 5)] and counts.n["footprint restyles"] == 1
    assert sum(f["ticked"] for f in layer.getFeatures()) == 1
    assert dock.ui.summaryLabel.text().startswith(f"1 of {N_ROWS} ticked · 1.0 MB")
    assert counts.n["model resets"] == counts.n["proxy layout changes"] == 0
    # what the view asked for one tick: that row, not the column (a column re-measure is > 300 calls)
    assert counts.n["data() calls"] < 300, counts.n


def test_sort_and_filter_at_300_rows(big_dock, qtbot, monkeypatch):
    dock = big_dock
    view, proxy = dock.ui.resultsView, dock.proxy
    view.selectRow(10)
    current = dock.current_product()
    dock.model.set_checked([proxy.mapToSource(proxy.index(10, 0)).row()], False)
    counts = Counts(dock, monkeypatch)
    view.sortByColumn(rm.CLOUD, Qt.SortOrder.DescendingOrder)
    clouds = [proxy.index(r, rm.CLOUD).data(rm.SORT_ROLE) for r in range(proxy.rowCount())]
    assert clouds == sorted(clouds, reverse=True)
    # one Python sort of the rows: at most a call per row as the proxy takes the new order (a Qt sort asks data()
    # for both sides of each comparison: ~6000 calls here); the row under the cursor and the ticks follow
    assert counts.n["data() calls"] <= N_ROWS, counts.n
    assert counts.n["model resets"] == 0 and counts.n["footprint rewrites"] == 0
    assert dock.current_product() == current
    assert dock.model.checked_count() == N_ROWS - 1 and current not in dock.model.checked_products()

    counts.reset()
    dock.ui.filterEdit.setText("T31TDJ")
    assert proxy.rowCount() == N_ROWS // 2
    assert counts.n["data() calls"] <= 2 * N_ROWS, counts.n     # one filter text per row, no more
    assert dock.ui.summaryLabel.text().endswith(f"· {N_ROWS // 2} shown")


def test_a_table_sorted_on_state_shows_a_newly_done_row_in_its_place_at_the_next_refresh(big_dock, qtbot,
                                                                                          monkeypatch):
    import threading
    dock = big_dock
    view, proxy = dock.ui.resultsView, dock.proxy
    view.sortByColumn(rm.STATE, Qt.SortOrder.DescendingOrder)   # finished rows (done, failed, cancelled) first
    first_done = dock.model.products()[N_ROWS // 2]              # a row in the middle of the table
    release = threading.Event()

    def pipeline(provider, products, folder, progress=None, on_status=None, **kw):
        for i in range(N_UPDATES):                               # progress: no row changes its place
            p = products[(i * 7) % len(products)]
            on_status(ProductStatus(p.id, ProductState.DOWNLOADING, bytes_done=i % 100, bytes_total=100))
        on_status(ProductStatus(first_done.id, ProductState.DONE, 100, 100, path=f"{folder}/a.zip"))
        release.wait(30)                                         # the run goes on while the test looks
        return [ProductStatus(p.id, ProductState.DONE, 100, 100, path=f"{folder}/{p.title}.zip") for p in products]
    monkeypatch.setattr(pipeline_task, "run_pipeline", pipeline)
    counts = Counts(dock, monkeypatch)
    try:
        qtbot.mouseClick(dock.ui.downloadButton, Qt.MouseButton.LeftButton)
        top = lambda: dock.model.product(proxy.mapToSource(proxy.index(0, 0)).row())   # noqa: E731
        qtbot.waitUntil(lambda: dock.model.status(first_done.id) is not None
                        and dock.model.status(first_done.id).state is ProductState.DONE, timeout=10000)
        assert top() == first_done                               # in its sorted place as soon as the table has it
        states = [proxy.index(r, rm.STATE).data(rm.SORT_ROLE) for r in range(proxy.rowCount())]
        assert states == sorted(states, reverse=True)
        # sorted again once per refresh that changed a state, not once per status (1,000 and more were sent)
        assert 1 <= counts.n["model layout changes"] <= dock.statuses.batches <= 10, (counts.n, dock.statuses.batches)
        assert counts.n["model resets"] == 0
    finally:
        release.set()
    qtbot.waitUntil(lambda: not dock._busy(), timeout=30000)
