"""One writer per product file: an exclusive lock on `<product>.lock`, held while the product is downloaded.

Two runs into one folder (two QGIS windows, QGIS and qgis_process, the dock and a Processing batch) must
never write the same `.part`. The lock is an OS file lock, not the mere existence of a file: flock() on
Linux and macOS, msvcrt.locking() on Windows. The system drops it when its holder dies (kill -9, a crash,
a power cut), so a lock is never stale whatever is left on disk. flock() locks conflict between two
opens in the same process too, so two pipelines inside one QGIS are kept apart as well.
"""
import os

if os.name == "nt":   # pragma: no cover - exercised on Windows only
    import msvcrt

    def _try_lock(f):
        f.seek(0)
        msvcrt.locking(f.fileno(), msvcrt.LK_NBLCK, 1)   # OSError when another handle holds it

    def _unlock(f):
        f.seek(0)
        msvcrt.locking(f.fileno(), msvcrt.LK_UNLCK, 1)
else:
    import fcntl

    def _try_lock(f):
        fcntl.flock(f.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)   # BlockingIOError when held elsewhere

    def _unlock(f):
        fcntl.flock(f.fileno(), fcntl.LOCK_UN)


LOCK_SUFFIX = ".lock"


class ProductLock:
    """`with ProductLock(dest) as held:` -> held is False when another writer has the product now."""

    def __init__(self, dest_path):
        self.path = dest_path + LOCK_SUFFIX
        self._file = None

    def acquire(self):
        """Take the lock without waiting: True when ours. OSError (read-only folder...) goes to the caller."""
        while True:
            f = open(self.path, "a+b")
            try:
                _try_lock(f)
            except OSError:
                f.close()
                return False
            # The previous holder removes the file while it still holds it (release): we may have locked a
            # file that no longer has this name, which would let a third run lock a new one. Check, retry.
            try:
                current = os.path.samestat(os.fstat(f.fileno()), os.stat(self.path))
            except FileNotFoundError:
                current = False
            if current:
                self._file = f
                return True
            _unlock(f)
            f.close()

    def release(self):
        f, self._file = self._file, None
        if f is None:
            return
        try:   # POSIX: removed while still held (see acquire); Windows refuses while open: removed after close
            os.remove(self.path)
        except OSError:
            pass
        try:
            _unlock(f)
        finally:
            f.close()
        if os.name == "nt":   # pragma: no cover
            try:
                os.remove(self.path)
            except OSError:
                pass

    def __enter__(self):
        return self.acquire()

    def __exit__(self, *exc):
        self.release()
