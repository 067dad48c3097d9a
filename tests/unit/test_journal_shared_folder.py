"""The journal of a folder two runs share, and what a killed run leaves behind."""
import datetime as dt
import json
import os
import time

from plugin.core.journal import FAILED, JOURNAL_NAME, VERIFIED, Journal
from plugin.core.models import Availability, Product
from plugin.core.redact import forget_secrets, remember_secret


def _product(k):
    return Product("geodes", f"id{k}", f"S2B_TITLE_{k}", "PEPS_S2_L1C", "S2B",
                   dt.datetime(2023, 5, 1, tzinfo=dt.timezone.utc), "31TCJ", 8, 1.0, 100 + k, f"{k:032x}",
                   Availability.ONLINE)


def test_a_temporary_file_left_by_a_killed_run_is_removed(tmp_path):
    stale = tmp_path / f"{JOURNAL_NAME}.4242.140000.tmp"
    fresh = tmp_path / f"{JOURNAL_NAME}.4343.140001.tmp"     # another run saving right now: not touched
    stale.write_text('{"version": 1, "prod')
    fresh.write_text('{"version": 1, "prod')
    old = time.time() - 3600
    os.utime(stale, (old, old))
    Journal(str(tmp_path))
    assert not stale.exists() and fresh.exists()


def test_two_runs_in_one_folder_keep_each_others_entries(tmp_path):
    first, second = Journal(str(tmp_path)), Journal(str(tmp_path))
    first.update(_product(1), state=VERIFIED, file="S2B_TITLE_1.zip")
    second.update(_product(2), state=VERIFIED, file="S2B_TITLE_2.zip")
    first.flush()
    second.flush()
    products = json.loads((tmp_path / JOURNAL_NAME).read_text())["products"]
    assert set(products) == {"id1", "id2"}
    assert sorted(os.listdir(tmp_path)) == [JOURNAL_NAME]   # no lock or temporary file left


def test_text_stored_in_the_journal_is_masked(tmp_path):
    remember_secret("k-journal-0123")
    try:
        j = Journal(str(tmp_path))
        j.update(_product(1), state=FAILED, reason="HTTP 500: the key k-journal-0123 is not valid")
        j.flush()
    finally:
        forget_secrets()
    assert "k-journal-0123" not in (tmp_path / JOURNAL_NAME).read_text()
