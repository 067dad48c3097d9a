"""A small JSON journal in the destination folder, so a re-run (or a run after a crash or `kill -9`)
skips verified products, resumes partial ones and resumes watching those on tape.

One entry per product id: title, expected size and MD5, state, since when it has been on tape (wall-clock
seconds) with its whole catalogue record (so a later process can rebuild the product and resume the watch),
and the verified file name. Written atomically (temp file + os.replace) under a
lock, so a crash leaves either the old or the new journal, never half of one.

Re-verification policy (documented choice): a product journaled as verified is trusted again when its
file is still there with the expected size and the journal's MD5 equals the catalogue's MD5. We do not
re-hash gigabytes on every run: the file only got its final name after a full MD5 check, and a file
silently altered in place without changing size is out of scope. A product file found WITHOUT a journal
entry is hashed once before it is trusted (see pipeline._already_verified).

Two runs may share a folder (two QGIS windows, qgis_process): a save merges what is on disk with the entries
this run changed, under the journal's own lock (core.product_lock), so neither run erases the other's. The
temporary file of a run killed mid-save is removed by the next run. Text stored is masked (core.redact): a
reason may quote a server that echoed a credential.
"""
import glob
import json
import logging
import os
import threading
import time

from . import paths
from .product_lock import ProductLock
from .redact import redact

JOURNAL_NAME = ".sentinel-mirror-journal.json"
VERSION = 1

log = logging.getLogger("sentinel_mirror")

VERIFIED = "verified"
TAPE = "tape"            # on tape, waiting for the user's order in the portal: the watch resumes it
FAILED = "failed"
STALE_TMP_S = 600.0   # a save takes milliseconds: a temporary file this old was left by a killed run


class Journal:
    def __init__(self, folder):
        self.folder = folder
        self.path = os.path.join(folder, JOURNAL_NAME)
        self._lock = threading.Lock()
        self._entries = self._load()
        self._changed = set()
        self._dirty = False
        self._remove_stale_tmp()

    def _remove_stale_tmp(self):
        for tmp in glob.glob(glob.escape(self.path) + ".*.tmp"):
            try:
                if time.time() - os.path.getmtime(tmp) > STALE_TMP_S:
                    os.remove(tmp)
                    log.info("Removed a journal temporary file left by an interrupted run: %s", tmp)
            except OSError:
                pass

    def _load(self, quiet=False):
        try:
            with open(self.path, encoding="utf-8") as f:
                data = json.load(f)
            entries = data.get("products") if isinstance(data, dict) else None
            if not isinstance(entries, dict):   # hand-edited or foreign JSON: same as damaged
                raise ValueError("no 'products' object")
            return {str(k): dict(v) for k, v in entries.items() if isinstance(v, dict)}
        except FileNotFoundError:
            return {}
        except (OSError, ValueError, RecursionError) as e:
            # A damaged journal only costs re-verification: files are re-hashed, parts re-hashed on resume.
            if not quiet:
                log.warning("Ignoring unreadable download journal %s (%s)", self.path, e)
            return {}

    def get(self, product_id):
        with self._lock:
            entry = self._entries.get(product_id)
            return dict(entry) if entry else None

    def verified_path(self, product_id):
        """The journaled verified file, resolved inside the folder (the journal is not trusted as a path)."""
        entry = self.get(product_id)
        if not entry or entry.get("state") != VERIFIED or not entry.get("file"):
            return None
        return paths.inside(self.folder, paths.safe_filename(entry["file"]))

    def update(self, product, **fields):
        """Merge fields into the product's entry (in memory: flush() writes it); a field set to None is removed."""
        with self._lock:
            entry = self._entries.setdefault(product.id, {})
            entry.update(title=product.title, size=product.size, md5=product.checksum)
            entry.update({k: redact(v) if isinstance(v, str) else v for k, v in fields.items()})
            for key in [k for k, v in fields.items() if v is None]:   # a field set to None is removed
                entry.pop(key, None)
            self._changed.add(product.id)
            self._dirty = True

    def pending(self, provider_name=None):
        """The catalogue records of the products on tape (of one provider, or all)."""
        with self._lock:
            return [dict(e["record"]) for e in self._entries.values()
                    if e.get("state") == TAPE and isinstance(e.get("record"), dict)
                    and (provider_name is None or e["record"].get("provider") == provider_name)]

    def flush(self):
        """Write the journal if it changed. The pipeline calls this off the download critical path (after
        starting the next downloads). No fsync: os.replace is atomic for a crash or kill -9; a power cut
        may lose the latest entries, which only costs a re-hash of files."""
        with self._lock:
            if self._dirty:
                self._save_locked()
                self._dirty = False

    def _save_locked(self):
        tmp = f"{self.path}.{os.getpid()}.{threading.get_ident()}.tmp"
        lock = ProductLock(self.path)
        try:
            deadline = time.monotonic() + 2.0   # another run saving: milliseconds
            while not lock.acquire() and time.monotonic() < deadline:
                time.sleep(0.02)
        except OSError:
            pass   # the write below reports it
        try:
            merged = self._load(quiet=True)   # what other runs in this folder wrote meanwhile
            merged.update({pid: self._entries[pid] for pid in self._changed if pid in self._entries})
            self._entries = merged
            self._write(tmp)
        finally:
            lock.release()

    def _write(self, tmp):
        data = {"version": VERSION, "products": self._entries}
        try:
            with open(tmp, "w", encoding="utf-8") as f:
                json.dump(data, f, indent=1, sort_keys=True)
            os.replace(tmp, self.path)
        except OSError as e:
            # The journal is a convenience; a full disk must not fail a verified download.
            log.warning("Could not save the download journal %s (%s)", self.path, e)
            try:
                os.remove(tmp)
            except OSError:
                pass
