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


def _earlier_session(sim, folder):
    """What an earlier session left: the online products downloaded, the others on tape in the folder's journal."""
    from plugin.qgis.catalogue import open_catalogue
    provider = open_catalogue("geodes")
    products = provider.search(SearchQuery("geodes", "THEIA_REFLECTANCE_SENTINEL2_L2A", dt.date(2023, 6, 1),
                                           dt.date(2023, 7, 31), tile="31TCJ"))
    run_pipeline(provider, products, str(folder), options=PipelineOptions(watch_s=0.0))
    tape = pending_products(str(folder), "geodes")
    assert tape and len(tape) < len(products)
    watches.register(str(folder), "geodes")
    return products, tape


def test_a_watch_survives_unload_and_resumes_at_the_next_start(load, simulator_factory, sim_env, fast_polling,
                                                              tmp_path, qtbot, iface):
    sim = sim_env(simulator_factory(offline_fraction=0.5, staging_delay_s=0.3))
    folder = tmp_path / "dl"
    products, tape = _earlier_session(sim, folder)
    try:
        notices = []
        bar = iface.messageBar()
        original = bar.pushMessage
        bar.pushMessage = lambda *a, **k: (notices.append(" ".join(str(x) for x in a)), original(*a, **k))[1]
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
    finally:
        s.setValue(watches.KEY, old) if old is not None else s.remove(watches.KEY)
