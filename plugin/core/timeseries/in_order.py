"""Reading the dates of a series a few at a time, handing them back in date order.

A product zip stores its bands deflated: a window deep in a full tile costs inflating the member up to it (about a
second a band), which GDAL does outside the GIL. Reading several dates at once on a small pool brings a two-year
series in about as many times faster as there are cores. At most `threads` dates are read ahead of the one being
used, so memory stays bounded.
"""
import collections
import concurrent.futures
import os

from ..progress import check_cancelled

MAX_THREADS = 4


def default_threads():
    return max(1, min(MAX_THREADS, os.cpu_count() or 1))


def in_order(read, items, threads, progress):
    """Yields read(item) for each of `items`, in their order; read() runs on `threads` pool threads (1: on this
    one). Cancelled (progress) between two items; the reads not started yet are dropped."""
    if threads <= 1:
        for item in items:
            check_cancelled(progress)
            yield read(item)
        return
    todo = iter(items)
    with concurrent.futures.ThreadPoolExecutor(threads, thread_name_prefix="sentinel-mirror-read") as pool:
        pending = collections.deque(pool.submit(read, item) for _, item in zip(range(threads), todo))
        try:
            while pending:
                check_cancelled(progress)
                result = pending.popleft().result()
                for item in todo:   # one more in flight for the one handed back
                    pending.append(pool.submit(read, item))
                    break
                yield result
        finally:
            for future in pending:
                future.cancel()
