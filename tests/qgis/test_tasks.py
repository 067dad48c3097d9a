"""The QgsTasks the dock uses: results by signal, QGIS never freezes, cancel is prompt and clean, errors are plain."""
import time
from pathlib import Path

import pytest

from qgis.core import QgsApplication, QgsTask
from qgis.PyQt.QtCore import QTimer

from plugin.core.models import ProductState, SearchQuery
from plugin.qgis.catalogue import open_catalogue, pipeline_options
from plugin.qgis.settings import load_config
from plugin.tasks.ndvi_task import NdviTask
from plugin.tasks.pipeline_task import PipelineTask
from plugin.tasks.search_task import SearchTask

from .sm_support import JUNE, MAJA, fast_polling, sim_env, wait_for  # noqa: F401

pytestmark = pytest.mark.usefixtures("fast_polling")


def query(**kw):
    return SearchQuery(**{"provider": "geodes", "collection": MAJA, "tile": "31TCJ", **JUNE, **kw})


class Outcome:
    """Collects a task's signals (delivered on the main thread)."""

    def __init__(self, task):
        self.task = task  # the Python wrapper must live until the task has finished
        self.results = self.failed = None
        self.cancelled = False
        self.statuses = []
        task.resultsReady.connect(lambda r: setattr(self, "results", r))
        task.failed.connect(lambda m: setattr(self, "failed", m))
        task.cancelledByUser.connect(lambda: setattr(self, "cancelled", True))
        if hasattr(task, "statusChanged"):
            task.statusChanged.connect(self.statuses.append)

    @property
    def done(self):
        return self.results is not None or self.failed is not None or self.cancelled


def start(task):
    outcome = Outcome(task)
    QgsApplication.taskManager().addTask(task)
    return outcome


def search(sim, q=None):
    task = SearchTask(open_catalogue("geodes", config=load_config()), q or query())
    outcome = start(task)
    wait_for(lambda: outcome.done)
    return outcome


def test_search_task_delivers_products(qgis_app, simulator, sim_env):
    sim_env(simulator)
    task = SearchTask(open_catalogue("geodes", config=load_config()), query())
    assert "31TCJ" in task.description() and task.canCancel()
    outcome = start(task)
    wait_for(lambda: outcome.done)
    assert outcome.failed is None
    assert sorted(p.id for p in outcome.results) == sorted(
        p.id for p in simulator.products if p.collection == MAJA and p.acquired.date() <= JUNE["end"])


def test_qgis_keeps_ticking_while_a_batch_downloads(qgis_app, simulator_factory, sim_env, tmp_path):
    sim = sim_env(simulator_factory(offline_fraction=0.3, bandwidth_bps=400_000, pad_to=600_000))
    products = search(sim).results
    assert len(products) >= 6
    sim.order()   # the user has ordered the tape ones in the GEODES explorer: the task watches and fetches them
    task = PipelineTask(open_catalogue("geodes"), products, str(tmp_path),
                        pipeline_options(load_config(), poll_interval_s=0.2))
    ticks = []
    timer = QTimer()
    timer.setInterval(10)
    timer.timeout.connect(lambda: ticks.append(time.monotonic()))
    timer.start()
    outcome = start(task)
    wait_for(lambda: outcome.done, timeout=60)
    timer.stop()
    assert outcome.failed is None, outcome.failed
    assert [s.state for s in outcome.results] == [ProductState.DONE] * len(products)
    assert any(s.state is ProductState.DOWNLOADING and s.bytes_done for s in outcome.statuses)  # live progress
    gaps = [b - a for a, b in zip(ticks, ticks[1:])]
    duration = ticks[-1] - ticks[0]
    assert duration > 1.0, "the batch should take long enough to measure"
    print(f"\nmain-thread ticks: {len(ticks)} over {duration:.1f} s, longest gap {max(gaps) * 1000:.0f} ms")
    assert max(gaps) < 0.100, f"main thread blocked for {max(gaps) * 1000:.0f} ms"


def test_cancel_stops_within_a_second_and_leaves_no_partial_product(qgis_app, simulator_factory, sim_env, tmp_path):
    sim = sim_env(simulator_factory(bandwidth_bps=200_000, pad_to=2_000_000))
    products = search(sim).results[:3]
    task = PipelineTask(open_catalogue("geodes"), products, str(tmp_path))
    outcome = start(task)
    wait_for(lambda: any(s.state is ProductState.DOWNLOADING and s.bytes_done > 50_000 for s in outcome.statuses))
    t0 = time.monotonic()
    task.cancel()  # what the task manager's Cancel button does
    wait_for(lambda: task.status() in (QgsTask.TaskStatus.Terminated, QgsTask.TaskStatus.Complete), timeout=5)
    elapsed = time.monotonic() - t0
    wait_for(lambda: outcome.done)
    print(f"\ncancel took {elapsed * 1000:.0f} ms")
    assert outcome.cancelled and outcome.failed is None and elapsed < 1.0, elapsed
    time.sleep(0.3)  # nothing lands after the cancel either
    assert not list(Path(tmp_path).glob("*.zip"))
    assert list(Path(tmp_path).glob("*.part"))


def test_task_failures_are_plain_messages(qgis_app, simulator, sim_env, tmp_path):
    sim_env(simulator, SENTINEL_MIRROR_GEODES_URL="http://127.0.0.1:9/geodes")
    unreachable = search(simulator)
    sim_env(simulator)
    empty = search(simulator, query(start=JUNE["start"].replace(day=2), end=JUNE["start"].replace(day=3)))
    products = search(simulator).results[:1]
    sim_env(simulator, SENTINEL_MIRROR_GEODES_API_KEY="wrong-key")
    task = PipelineTask(open_catalogue("geodes"), products, str(tmp_path))
    wrong_key = start(task)
    wait_for(lambda: wrong_key.done, timeout=30)
    junk = tmp_path / "not_a_product.zip"
    junk.write_bytes(b"PK\x05\x06" + bytes(18))
    ndvi = start(NdviTask([str(junk)], str(tmp_path / "ndvi")))
    wait_for(lambda: ndvi.done)
    for outcome in (unreachable, empty, ndvi):
        assert outcome.failed and "Traceback" not in outcome.failed and "Unexpected" not in outcome.failed
    assert "No product found" in empty.failed
    assert "127.0.0.1:9" in unreachable.failed or "reach" in unreachable.failed.lower()
    assert "not_a_product" in ndvi.failed
    # a wrong key fails the product (reported per product) or the whole task, always in plain words
    reasons = [s.reason for s in (wrong_key.results or [])] + [wrong_key.failed or ""]
    assert any("key" in r.lower() for r in reasons), reasons
    assert not list(Path(tmp_path).glob("*.zip")) or list(Path(tmp_path).glob("*.zip")) == [junk]
