"""The download journal: atomic, thread-safe, tolerant of damage, never trusted as a path."""
import datetime as dt
import json
import os
import threading

from plugin.core.journal import JOURNAL_NAME, TAPE, VERIFIED, Journal
from plugin.core.models import Availability, Product


def _product(k, title=None):
    return Product("geodes", f"id{k}", title or f"S2B_TITLE_{k}", "PEPS_S2_L1C", "S2B",
                   dt.datetime(2023, 5, 1, tzinfo=dt.timezone.utc), "31TCJ", 8, 1.0, 100 + k, f"{k:032x}",
                   Availability.OFFLINE)


def test_entries_survive_a_reload(tmp_path):
    j = Journal(str(tmp_path))
    j.update(_product(1), state=TAPE, tape_since=123.5)
    j.update(_product(2), state=VERIFIED, file="S2B_TITLE_2.zip")
    j.flush()
    again = Journal(str(tmp_path))
    assert again.get("id1") == {"title": "S2B_TITLE_1", "size": 101, "md5": f"{1:032x}", "state": TAPE,
                                "tape_since": 123.5}
    assert again.verified_path("id2") == os.path.join(os.path.realpath(tmp_path), "S2B_TITLE_2.zip")
    assert again.verified_path("id1") is None and again.get("nope") is None
    assert sorted(os.listdir(tmp_path)) == [JOURNAL_NAME]   # no temp file left behind


def test_a_damaged_journal_is_ignored_not_fatal(tmp_path):
    (tmp_path / JOURNAL_NAME).write_text('{"version": 1, "products": {"id1": {"state": "verif')  # cut by a crash
    j = Journal(str(tmp_path))
    assert j.get("id1") is None
    j.update(_product(1), state=TAPE)
    j.flush()
    assert json.loads((tmp_path / JOURNAL_NAME).read_text())["products"]["id1"]["state"] == TAPE


def test_the_journal_cannot_point_outside_the_folder(tmp_path):
    (tmp_path / JOURNAL_NAME).write_text(json.dumps(
        {"version": 1, "products": {"id1": {"state": VERIFIED, "file": "../../etc/passwd"}}}))
    path = Journal(str(tmp_path)).verified_path("id1")
    assert os.path.dirname(path) == os.path.realpath(tmp_path)


def test_concurrent_updates_are_all_kept(tmp_path):
    j = Journal(str(tmp_path))

    def work(k):
        for n in range(20):
            j.update(_product(k), state=TAPE, n=n)
            j.flush()
    threads = [threading.Thread(target=work, args=(k,)) for k in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    data = json.loads((tmp_path / JOURNAL_NAME).read_text())["products"]
    assert sorted(data) == [f"id{k}" for k in range(6)] and all(e["n"] == 19 for e in data.values())


def test_a_journal_of_the_wrong_shape_is_ignored_not_fatal(tmp_path):
    for junk in ({"products": ["id1"]}, [1, 2], {"products": {"id1": {"state": "staging",
                                                                   "staging_requested_at": "yesterday"}}}):
        (tmp_path / JOURNAL_NAME).write_text(json.dumps(junk))
        j = Journal(str(tmp_path))
        assert j.verified_path("id1") is None
