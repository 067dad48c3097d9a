"""Helpers for the QGIS-side tests of Sentinel Mirror (tasks, Processing, qgis_process)."""
import datetime as dt
import time

import numpy as np
import pytest
from osgeo import gdal
from qgis.core import QgsApplication, QgsSettings
from qgis.PyQt.QtCore import QCoreApplication

from plugin.core.models import Availability

JUNE = dict(start=dt.date(2023, 6, 1), end=dt.date(2023, 6, 30))
MAJA = "THEIA_REFLECTANCE_SENTINEL2_L2A"


@pytest.fixture
def sm_provider(qgis_processing):
    """Our Processing provider, registered once per test (a Python reference is kept: sip drops overrides)."""
    from plugin.processing.provider import SentinelMirrorProvider

    registry = QgsApplication.processingRegistry()
    if registry.providerById("sentinelmirror") is not None:
        registry.removeProvider("sentinelmirror")
    provider = SentinelMirrorProvider()
    registry.addProvider(provider)
    yield provider
    registry.removeProvider("sentinelmirror")


@pytest.fixture
def sim_env(monkeypatch):
    """Point the plugin at a simulator through its headless environment settings."""
    def apply(sim, **override):
        for k, v in {**sim.env(), **override}.items():
            monkeypatch.setenv(k, v)
        return sim
    return apply


def expected(sim, provider="geodes", collection=MAJA, start=JUNE["start"], end=JUNE["end"], max_cloud=100.0):
    return sorted((p for p in sim.products if p.provider == provider and p.collection == collection
                   and start <= p.acquired.date() <= end and p.cloud_cover <= max_cloud),
                  key=lambda p: p.acquired)


def wait_for(predicate, timeout=30.0, step=0.005):
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise TimeoutError("condition not reached in time")
        QCoreApplication.processEvents()
        time.sleep(step)


def online_count(sim, products):
    return sum(sim.product(p.id).availability is Availability.ONLINE for p in products)


def maja_reference(zip_path):
    """Independent reading of a MAJA zip: (ndvi by the formula from FRE B4/B8, band-nodata mask, CLM-flagged mask)."""
    from zipfile import ZipFile

    names = ZipFile(zip_path).namelist()

    def read(suffix):
        member = next(n for n in names if n.endswith(suffix))
        return gdal.Open(f"/vsizip/{zip_path}/{member}").ReadAsArray().astype(np.float64)

    red, nir = read("_FRE_B4.tif"), read("_FRE_B8.tif")
    with np.errstate(invalid="ignore", divide="ignore"):
        ndvi = (nir - red) / (nir + red)
    band_nodata = (red == -10000) | (nir == -10000) | (nir + red == 0)
    return ndvi, band_nodata, read("_CLM_R1.tif") != 0


@pytest.fixture
def fast_polling(qgis_app):
    """A user who set a short availability poll interval (the simulator stages in a fraction of a second)."""
    s = QgsSettings()
    key = "sentinel_mirror/poll_interval_s"
    old = s.value(key)
    s.setValue(key, 0.3)
    yield
    if old is None:
        s.remove(key)
    else:
        s.setValue(key, old)


@pytest.fixture
def clean_settings(qgis_app):
    """Run with an empty sentinel_mirror group and the proxy off; restore whatever was there."""
    s = QgsSettings()
    saved = {k: s.value(k) for k in s.allKeys() if k.startswith(("sentinel_mirror/", "proxy/"))}
    for k in saved:
        s.remove(k)
    yield s
    for k in [k for k in s.allKeys() if k.startswith(("sentinel_mirror/", "proxy/"))]:
        s.remove(k)
    for k, v in saved.items():
        s.setValue(k, v)
