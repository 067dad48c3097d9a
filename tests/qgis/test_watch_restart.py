"""Products on tape are watched in the background, and the watch outlives the dock, an unload of the plugin and a
new start of QGIS: at the next start the plugin resumes it (a task, a message-bar notice) and downloads each
product once the user's portal order has brought it back; a watch the user stops is forgotten."""
import datetime as dt

import pytest
from qgis.core import QgsSettings

from plugin.core.models import SearchQuery
from plugin.core.pipeline import PipelineOptions, pending_products, run_pipeline
from plugin.qgis import watches
from tests.qgis.sm_support import fast_polling, sim_env  # noqa: F401  (fixtures)
from tests.qgis.test_plugin_lifecycle import iface, load, package_dir  # noqa: F401  (fixtures)


@pytest.fixture(autouse=True)
def empty_registry(qgis_app):
    """No watch left by other tests (or the developer's own QGIS profile) is resumed here."""
    s = QgsSettings()
    old = s.value(watches.KEY)
    s.remove(watches.KEY)
    yield
    s.setValue(watches.KEY, old) if old is not None else s.remove(watches.KEY)


def _notices(iface):
    """What QGIS's message bar is given from now on, one text per message."""
    notices, bar = [], iface.messageBar()
    original = bar.pushMessage
    bar.pushMessage = lambda *a, **k: (notices.append(" ".join(str(x) for x in a)), original(*a, **k))[1]
    return notices


def _earlier_session(sim, folder, choices=None):
    """What an earlier session left: the online products downloaded, the others on tape in the folder's journal."""
    from plugin.qgis.catalogue import open_catalogue
    provider = open_catalogue("geodes")
    products = provider.search(SearchQuery("geodes", "THEIA_REFLECTANCE_SENTINEL2_L2A", dt.date(2023, 6, 1),
                                           dt.date(2023, 7, 31), tile="31TCJ"))
    run_pipeline(provider, products, str(folder), options=PipelineOptions(watch_s=0.0))
    tape = pending_products(str(folder), "geodes")
    assert tape and len(tape) < len(products)
    watches.register(str(folder), "geodes", choices=choices)
    return products, tape


def test_a_watch_survives_unload_and_resumes_at_the_next_start(load, simulator_factory, sim_env, fast_polling,
                                                              tmp_path, qtbot, iface):
    sim = sim_env(simulator_factory(offline_fraction=0.5, staging_delay_s=0.3))
    folder = tmp_path / "dl"
    products, tape = _earlier_session(sim, folder)
    try:
        notices = _notices(iface)
        plugin = load()
        qtbot.waitUntil(lambda: bool(plugin.watches.active()), timeout=10000)   # resumed once QGIS is up
        assert plugin.watches.active() == [(str(folder), "geodes", len(tape))]
        assert any(f"Watching {len(tape)} product" in n for n in notices), notices
        plugin.unload()                       # QGIS closing, or the plugin reloaded: ended, not forgotten
        assert (str(folder), "geodes") in watches.registered()
        plugin = load(fresh_import=True)      # the next start
        qtbot.waitUntil(lambda: bool(plugin.watches.active()), timeout=10000)
        fetched = []
        plugin.watches.fetched.connect(lambda f, done, left: fetched.append((done, left)))
        sim.order([p.id for p in tape])       # the user requests the transfer in the GEODES explorer
        qtbot.waitUntil(lambda: bool(fetched), timeout=60000)
        assert fetched == [(len(tape), 0)]
        assert (str(folder), "geodes") not in watches.registered() and pending_products(str(folder)) == []
        for p in products:                    # each product there, verified, downloaded exactly once
            assert sim.stats.bytes_served[p.id] == sim.product(p.id).size
            assert (folder / sim.product(p.id).zip_name).is_file()
        assert sum(sim.stats.offline_gets.values()) == 0   # no GET ever sent for a product on tape
    finally:
        watches.forget(str(folder), "geodes")


def test_a_watch_the_user_stops_is_forgotten(load, simulator_factory, sim_env, fast_polling, tmp_path, qtbot):
    sim = sim_env(simulator_factory(offline_fraction=0.5, staging_delay_s=0.3))
    folder = tmp_path / "dl"
    _earlier_session(sim, folder)
    try:
        plugin = load()
        qtbot.waitUntil(lambda: bool(plugin.watches.active()), timeout=10000)
        stopped = []
        plugin.watches.stopped.connect(stopped.append)
        plugin.watches.stop(str(folder), "geodes")   # what Cancel in the task manager does too
        qtbot.waitUntil(lambda: bool(stopped), timeout=10000)
        assert stopped == [str(folder)] and not plugin.watches.active()
        assert (str(folder), "geodes") not in watches.registered()
        assert pending_products(str(folder))   # still listed in the journal: a download run picks them up again
    finally:
        watches.forget(str(folder), "geodes")


def test_junk_in_the_watch_registry_is_ignored(qgis_app):
    s = QgsSettings()
    old = s.value(watches.KEY)
    try:
        for junk in ("not json", '{"a": 1}', '[{"folder": ""}, 3]'):
            s.setValue(watches.KEY, junk)
            assert watches.registered() == []
        s.setValue(watches.KEY, '[{"folder": "/x", "provider": "geodes", "choices": 3}]')
        assert watches.registered() == [("/x", "geodes")] and watches.choices("/x", "geodes") == {}
        watches.register("/x", "geodes", choices={"ndvi": True, "index": "NBR", "views": True, "load": True})
        assert watches.choices("/x", "geodes")["index"] == "NBR"
        watches.forget("/x", "geodes")
        assert watches.registered() == []
    finally:
        s.setValue(watches.KEY, old) if old is not None else s.remove(watches.KEY)


def test_a_resumed_watch_computes_the_index_and_adds_the_layers_the_run_asked_for(load, simulator_factory, sim_env,
                                                                                  fast_polling, tmp_path, qtbot):
    from qgis.core import QgsProject, QgsRasterLayer
    sim = sim_env(simulator_factory(offline_fraction=0.5, staging_delay_s=0.3))
    folder = tmp_path / "dl"
    # the run that started the watch, in an earlier session: NBR computed in Int16 on the 20 m grid, layers loaded
    products, tape = _earlier_session(sim, folder, choices={"ndvi": True, "index": "NBR", "encoding": "int16",
                                                            "resolution": 20, "views": True, "load": True})
    try:
        plugin = load()
        qtbot.waitUntil(lambda: bool(plugin.watches.active()), timeout=10000)
        added = []
        plugin.watches.layersAdded.connect(lambda f, layers: added.extend((f, lyr.name()) for lyr in layers))
        sim.order([p.id for p in tape])
        qtbot.waitUntil(lambda: sum(name.startswith("NBR") for _f, name in added) == len(tape)
                        and not plugin.watches.follow_ups, timeout=60000)
        by_title = {p.id: p for p in tape}
        assert sorted(name for _f, name in added if name.startswith("NBR")) == sorted(
            f"NBR T31TCJ {p.acquired.date().isoformat()}" for p in by_title.values())
        assert sum(name.startswith("Natural colour") for _f, name in added) == len(tape)
        assert {f for f, _name in added} == {str(folder)}
        on_map = [lyr.name() for lyr in QgsProject.instance().mapLayers().values() if isinstance(lyr, QgsRasterLayer)]
        assert sum(name.startswith("NBR") for name in on_map) == len(tape)   # only what the watch brought
        from osgeo import gdal
        written = [gdal.Open(str(p)) for p in folder.glob("*_NBR_20m.tif")]
        assert len(written) == len(tape)
        assert all(ds.GetRasterBand(1).DataType == gdal.GDT_Int16 and ds.GetGeoTransform()[1] == 20.0
                   for ds in written)
        del written
        plugin.unload()
    finally:
        watches.forget(str(folder), "geodes")
        QgsProject.instance().removeAllMapLayers()


def test_a_watch_stopped_in_the_list_resumes_at_the_next_start_unless_forgotten(load, simulator_factory, sim_env,
                                                                                 fast_polling, tmp_path, qtbot, iface):
    from qgis.PyQt.QtCore import Qt
    from plugin.gui.watch_list import WatchListDialog
    sim = sim_env(simulator_factory(offline_fraction=0.5, staging_delay_s=0.3))
    folder = tmp_path / "dl"
    _products, tape = _earlier_session(sim, folder, choices={"ndvi": False, "views": False})
    try:
        plugin = load()
        qtbot.waitUntil(lambda: bool(plugin.watches.active()), timeout=10000)
        dialog = WatchListDialog(plugin.watches)
        qtbot.addWidget(dialog)   # closed and deleted at the end of the test
        dialog.show()
        qtbot.waitUntil(lambda: dialog.table.rowCount() == 1 and dialog.table.item(0, 3).text() != "", timeout=10000)
        cells = [dialog.table.item(0, c).text() for c in range(4)]
        assert cells[:3] == [str(folder), "GEODES", str(len(tape))]
        assert cells[3] == "now" or cells[3].startswith("in ")
        qtbot.mouseClick(dialog.stop_button, Qt.MouseButton.LeftButton)          # Stop: resumed at the next start
        qtbot.waitUntil(lambda: not plugin.watches.active(), timeout=10000)
        assert dialog.table.isHidden() and not dialog.empty.isHidden()
        assert (str(folder), "geodes") in watches.registered()
        plugin.unload()
        plugin = load(fresh_import=True)
        qtbot.waitUntil(lambda: bool(plugin.watches.active()), timeout=10000)
        dialog = WatchListDialog(plugin.watches)
        qtbot.addWidget(dialog)
        dialog.show()
        qtbot.waitUntil(lambda: dialog.table.rowCount() == 1, timeout=10000)
        qtbot.mouseClick(dialog.forget_button, Qt.MouseButton.LeftButton)        # Stop and forget
        qtbot.waitUntil(lambda: not plugin.watches.active(), timeout=10000)
        assert (str(folder), "geodes") not in watches.registered()
        assert pending_products(str(folder))   # still listed in the folder for a later download run
        plugin.unload()
    finally:
        watches.forget(str(folder), "geodes")


def test_a_resumed_watch_whose_key_was_revoked_stops_says_why_and_resumes_once_the_key_is_back(
        load, simulator_factory, sim_env, fast_polling, tmp_path, qtbot, iface):
    sim = sim_env(simulator_factory(offline_fraction=0.5, staging_delay_s=0.3))
    folder = tmp_path / "dl"
    products, tape = _earlier_session(sim, folder, choices={"ndvi": False, "views": False})
    key = sim.set_api_key("a-key-the-user-revoked-meanwhile")   # the settings still hold the old one
    try:
        notices = _notices(iface)
        plugin = load()
        stopped = []
        plugin.watches.authStopped.connect(lambda f, message: stopped.append((f, message)))
        qtbot.waitUntil(lambda: bool(stopped), timeout=20000)   # resumed at the start, stopped by the service
        assert stopped == [(str(folder), "Watch stopped: GEODES refused the API key. Check it in Settings → Options "
                                         "→ Sentinel Mirror, then run the download again to resume watching.")]
        qtbot.waitUntil(lambda: any("Watch stopped: GEODES refused the API key" in n for n in notices),
                        timeout=5000)
        assert not plugin.watches.active()
        assert (str(folder), "geodes") in watches.registered()   # not forgotten: resumed later
        assert sorted(p.id for p in pending_products(str(folder), "geodes")) == sorted(p.id for p in tape)
        assert sim.stats.requests["geodes.download"] == len(products) - len(tape)   # no GET for those on tape
        # the user puts the right key back and orders the products; the next start (here: resume) fetches them
        sim.set_api_key(key)
        sim.order([p.id for p in tape])
        fetched = []
        plugin.watches.fetched.connect(lambda f, done, left: fetched.append((done, left)))
        assert plugin.resume_watches() == [(str(folder), "geodes", len(tape))]
        qtbot.waitUntil(lambda: bool(fetched), timeout=60000)
        assert fetched == [(len(tape), 0)] and pending_products(str(folder)) == []
        assert (str(folder), "geodes") not in watches.registered()
        plugin.unload()
    finally:
        watches.forget(str(folder), "geodes")


def test_a_resumed_two_factor_cdse_watch_asks_for_a_code_instead_of_sending_a_login_it_cannot_pass(
        load, simulator_factory, sim_env, fast_polling, tmp_path, qtbot):
    """A two-factor CDSE account has no one-time code at the next start of QGIS: once the user's order has brought
    a product back, the resumed watch says a new code is needed (kept with the watch) and sends no login without
    one, which CDSE would refuse as a wrong password."""
    from plugin.core.providers.cdse import WATCH_CODE_NEEDED
    from plugin.qgis.catalogue import open_catalogue
    code = "271828"
    sim = sim_env(simulator_factory(collections=("sentinel-2-l2a",), cdse_offline_fraction=0.5, cdse_totp=code,
                                    staging_delay_s=0.3))
    folder = tmp_path / "dl"
    provider = open_catalogue("cdse", totp=code)   # the dock's run: the user typed the code
    products = provider.search(SearchQuery("cdse", "sentinel-2-l2a", dt.date(2023, 6, 1), dt.date(2023, 7, 31),
                                           tile="31TCJ"))
    run_pipeline(provider, products, str(folder), options=PipelineOptions(watch_s=0.0))
    tape = pending_products(str(folder), "cdse")
    assert tape and len(tape) < len(products)
    watches.register(str(folder), "cdse", choices={"ndvi": False, "views": False, "two_factor": provider.two_factor})
    sim.order([p.id for p in tape])   # in the Data Workspace, while QGIS was closed
    try:
        plugin = load()
        stopped = []
        plugin.watches.authStopped.connect(lambda f, message: stopped.append((f, message)))
        qtbot.waitUntil(lambda: bool(stopped), timeout=30000)
        assert stopped == [(str(folder), WATCH_CODE_NEEDED)]
        assert sim.stats.statuses.get(("cdse.token", 401), 0) == 0   # no login without a code was sent
        assert sorted(p.id for p in pending_products(str(folder), "cdse")) == sorted(p.id for p in tape)
        assert (str(folder), "cdse") in watches.registered()
        plugin.unload()
    finally:
        watches.forget(str(folder), "cdse")
