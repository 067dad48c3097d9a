"""`make check-live` (scripts/check_live.py), pointed at the simulator through the SENTINEL_MIRROR_*_URL variables:
it is skipped without credentials, runs every probe end to end, never downloads a whole product (but the one small
zip it hashes), and its report holds no secret."""
import datetime as dt
import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from tests.simulator.config import S1_COLLECTIONS, S2_COLLECTIONS

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "scripts" / "check_live.py"
TOTP = "734512"


def _run(env, out, *args):
    clean = {k: v for k, v in os.environ.items() if not k.startswith("SENTINEL_MIRROR_")}
    return subprocess.run([sys.executable, str(SCRIPT), "--out", str(out), *args], env={**clean, **env},
                          capture_output=True, text=True, timeout=120)


def test_skipped_with_a_clear_message_without_credentials(simulator, tmp_path):
    env = {k: v for k, v in simulator.env().items() if k.endswith("_URL")}
    run = _run(env, tmp_path / "report")
    assert run.returncode == 0, run.stderr
    assert "check-live skipped: no credentials" in run.stdout and "SENTINEL_MIRROR_GEODES_API_KEY" in run.stdout
    assert not (tmp_path / "report").exists() and simulator.stats.total() == 0


PAD = 3 * 2**20   # products of 3 MB: reading one whole shows in the byte counts


@pytest.fixture
def sim(simulator_factory, tmp_path):
    sim = simulator_factory(collections=S2_COLLECTIONS + S1_COLLECTIONS, offline_fraction=0.5,
                            cdse_offline_fraction=0.3, pad_to=PAD, start=dt.date(2023, 6, 1),
                            end=dt.date(2023, 6, 25), work_dir=str(tmp_path / "archives"))
    for p in sim.products_of("geodes", "THEIA_REFLECTANCE_SENTINEL2_L2A"):   # the zip probe reads one: online, as
        sim.set_online(p.id)                                                     # the real THEIA products are
    peps = sorted(sim.products_of("geodes", "PEPS_S2_L1C"), key=lambda p: p.acquired)
    for p in peps:          # one S2 L1C product on tape, the others online, whatever the descriptions say:
        sim.set_online(p.id)                          # the offline-GET probe must find the one on tape
    sim.set_offline(peps[2].id)
    sim.on_tape = peps[2].title
    return sim


def test_runs_every_probe_against_the_simulator_and_leaks_nothing(sim, tmp_path):
    env = {**sim.env(), "SENTINEL_MIRROR_CDSE_TOTP": TOTP}
    run = _run(env, tmp_path / "report")
    assert run.returncode == 0, run.stdout + run.stderr
    reports = sorted((tmp_path / "report").iterdir())
    assert [p.suffix for p in reports] == [".json", ".md"]
    texts = [p.read_text() for p in reports] + [run.stdout, run.stderr]

    secrets = [sim.config.api_key, sim.config.cdse_password, sim.config.cdse_user, TOTP,
               *sim.tokens, *sim.refresh_tokens]   # every token the simulator issued during the run
    assert len(secrets) >= 6
    for text in texts:
        for secret in secrets:
            assert secret not in text

    report = json.loads(reports[0].read_text())
    probes = {(p["service"], p["probe"]): p for p in report["probes"]}
    assert len(probes) == 10 and not [k for k, p in probes.items() if "error" in p["findings"]]

    def first(probe, exchange=None):
        """The first hop of the probe's named exchange (default: its first exchange)."""
        found = [e for e in probes[probe]["exchanges"] if exchange in (None, e["name"])]
        return found[0]["hops"][0]

    # the request headers were recorded, the credentials in them masked
    assert first(("GEODES", "offline GET"))["request_headers"]["X-API-Key"] == "***"
    assert probes[("GEODES", "offline GET")]["findings"]["product"] == sim.on_tape   # picked by /fastavailability
    assert first(("GEODES", "offline GET"))["status"] not in (200, 206)
    assert first(("CDSE", "offline download"), "download of an offline product")["request_headers"]["Authorization"] == "***"
    assert first(("CDSE", "token"))["body_json"]["access_token"] == "***"
    assert first(("GEODES", "wrong key"))["status"] == 401
    assert first(("GEODES", "wrong key"))["body_json"]["code"] == 401   # the service's answer stays readable
    fast = first(("GEODES", "fastavailability"))
    assert fast["status"] == 200 and json.loads(fast["body_raw"])["products"]   # byte for byte
    # THEIA: the member list, read from the central directory, is the archive's own
    members = probes[("GEODES", "THEIA zip members")]["findings"]
    theia = next(p for p in sim.products_of("geodes", "THEIA_REFLECTANCE_SENTINEL2_L2A")
                 if p.zip_name == members["zip"])
    assert members["names"] == zipfile.ZipFile(theia.path).namelist() and members["mtd_all"]
    assert theia.size == PAD and members["bytes_read"] < 80_000
    # CDSE: the small zip's MD5 matches the catalogue's; Range answered 206
    assert probes[("CDSE", "MD5")]["findings"]["match"] is True
    assert first(("CDSE", "Range"), "Range: bytes=0-1023")["status"] == 206

    # bounded: only the hashed CDSE product was read whole; every other body stopped well short of its 3 MB
    hashed = probes[("CDSE", "MD5")]["findings"]["product"]
    served = {sim.product(pid).cdse_name or sim.product(pid).title: n for pid, n in sim.stats.bytes_served.items()}
    assert served.pop(hashed) == PAD + 1024   # whole once (MD5), plus the Range probe's first kB
    assert served and max(served.values()) < 200_000, served
    md = reports[1].read_text()
    assert "## GEODES: wrong key" in md and "**401" in md and "## CDSE: MD5" in md


def test_only_the_service_with_credentials_runs(simulator, tmp_path):
    env = {k: v for k, v in simulator.env().items() if "CDSE_USERNAME" not in k and "CDSE_PASSWORD" not in k}
    run = _run(env, tmp_path / "r", "--services", "geodes,cdse")
    assert run.returncode == 0, run.stderr
    report = json.loads(next((tmp_path / "r").glob("*.json")).read_text())
    assert {p["service"] for p in report["probes"]} == {"GEODES"}
    assert any("CDSE: no account" in s for s in report["skipped"])
    assert simulator.stats.count("token") == 0


def test_recheck_asks_only_whether_the_same_products_came_online(sim, tmp_path):
    env = sim.env()
    assert _run(env, tmp_path / "first").returncode == 0
    first = next((tmp_path / "first").glob("*.json"))
    probes = {(p["service"], p["probe"]): p["findings"] for p in json.loads(first.read_text())["probes"]}
    sim.set_online(probes[("GEODES", "offline GET")]["product"])     # ordered in the portals meanwhile
    sim.set_online(probes[("CDSE", "offline download")]["product_id"])
    downloads = sim.stats.count("download")

    run = _run(env, tmp_path / "again", "--recheck", str(first))
    assert run.returncode == 0, run.stdout + run.stderr
    report = json.loads(next((tmp_path / "again").glob("*.json")).read_text())
    assert report["recheck_of"] == json.loads(first.read_text())["utc"]
    again = {(p["service"], p["probe"]): p for p in report["probes"]}
    assert set(again) == {("GEODES", "fastavailability again"), ("CDSE", "offline product again")}
    s2 = next(e for e in again[("GEODES", "fastavailability again")]["exchanges"] if e["name"].startswith(
        "fastavailability s2"))
    assert json.loads(s2["hops"][0]["body_raw"])["products"][0]["files"][0]["available"] is True
    assert again[("CDSE", "offline product again")]["findings"]["online"] is True
    assert sim.stats.count("download") == downloads   # nothing but availability questions
