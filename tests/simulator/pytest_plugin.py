"""pytest fixtures: `simulator` (ready to use, small and fast) and `simulator_factory` (your SimConfig).

Registered from tests/conftest.py with `pytest_plugins = ["tests.simulator.pytest_plugin"]`.
"""
import datetime as dt

import pytest

from .config import SimConfig
from .server import MirrorSimulator

FAST = dict(tiles=("31TCJ",), start=dt.date(2023, 6, 1), end=dt.date(2023, 7, 31), staging_delay_s=0.2,
            retry_after_s=1)


@pytest.fixture(scope="session")
def simulator_archive_cache(tmp_path_factory):
    """One archive cache for the whole session: products with the same title/seed are built once."""
    return str(tmp_path_factory.mktemp("simulator-archives"))


@pytest.fixture
def simulator_factory(simulator_archive_cache):
    started = []

    def make(config=None, **overrides):
        if config is None:
            config = SimConfig(**{**FAST, "work_dir": simulator_archive_cache, **overrides})
        elif overrides:
            config = SimConfig(**{**config.__dict__, **overrides})
        if config.work_dir is None:
            config.work_dir = simulator_archive_cache
        sim = MirrorSimulator(config).start()
        started.append(sim)
        return sim

    yield make
    for sim in started:
        sim.stop()


@pytest.fixture
def simulator(simulator_factory):
    return simulator_factory()
