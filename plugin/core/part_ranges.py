"""Which byte ranges of a segmented `.part` are written: `<dest>.part.ranges`, next to it.

JSON: the product's size and MD5 and the ranges on disk. It is only valid next to a full-size `.part`; a
`.part` without it is a prefix (one stream). It is always written before the `.part` grows to full size and
removed after the `.part` is cut back to a prefix, so whatever moment a run is killed at, the part can be read
one way or the other. Everything here runs under the product lock (core/product_lock.py).
"""
import json
import logging
import os

log = logging.getLogger("sentinel_mirror")

RANGES_SUFFIX = ".ranges"     # next to the `.part`: `<dest>.part.ranges`


def ranges_path(part):
    return part + RANGES_SUFFIX


def add_range(done, a, b):
    """Insert [a, b) into a sorted list of disjoint [start, end) ranges, merging neighbours."""
    if b <= a:
        return
    out = []
    for s, e in done:
        if e < a or s > b:
            out.append([s, e])
        else:
            a, b = min(a, s), max(b, e)
    out.append([a, b])
    out.sort()
    done[:] = out


def missing_ranges(done, size):
    gaps, at = [], 0
    for s, e in done:
        if s > at:
            gaps.append([at, s])
        at = max(at, e)
    if at < size:
        gaps.append([at, size])
    return gaps


def load_ranges(part, size, md5):
    """The ranges of `part` already written: from the sidecar when it matches a full-size part, else the
    part's prefix. A sidecar for another product version, or one that cannot be read, is dropped."""
    side = ranges_path(part)
    try:
        part_size = os.path.getsize(part)
    except FileNotFoundError:
        part_size = None
    record = None
    try:
        with open(side, encoding="utf-8") as f:
            record = json.load(f)
    except FileNotFoundError:
        pass
    except (OSError, ValueError):
        log.info("Unreadable range record %s: ignored", os.path.basename(side))
    if record is not None:
        done = _valid_record(record, size, md5)
        if done is None:   # another version of the product, or garbage: nothing in the part can be trusted
            remove_file(part)
            remove_file(side)
            return []
        if part_size == size:
            return done
        remove_file(side)   # a kill between to_prefix's truncation and this removal: the part is a prefix
    if part_size is None:
        return []
    if part_size > size:
        remove_file(part)
        return []
    return [[0, part_size]] if part_size else []


def _valid_record(record, size, md5):
    if not isinstance(record, dict) or record.get("size") != size or record.get("md5") != (md5 or None):
        return None
    done = []
    for r in record.get("done") or []:
        if (not isinstance(r, list) or len(r) != 2 or not all(type(x) is int for x in r)
                or not 0 <= r[0] < r[1] <= size):
            return None
        add_range(done, r[0], r[1])
    return done


def kept_bytes(part):
    """How many bytes of the product a `.part` holds (read only: for reports and tests)."""
    try:
        with open(ranges_path(part), encoding="utf-8") as f:
            return sum(e - s for s, e in json.load(f)["done"])
    except FileNotFoundError:
        pass
    except (OSError, ValueError, KeyError, TypeError):
        return 0
    try:
        return os.path.getsize(part)
    except FileNotFoundError:
        return 0


def save_ranges(part, size, md5, done):
    side = ranges_path(part)
    tmp = side + ".tmp"
    with open(tmp, "w", encoding="utf-8") as f:
        json.dump({"size": size, "md5": md5 or None, "done": done}, f)
    os.replace(tmp, side)


def to_prefix(part, done):
    """Back to the one-stream layout: the part keeps only the bytes written from 0 on; the sidecar goes
    after the truncation (a kill in between leaves a part shorter than the sidecar's size: a prefix)."""
    prefix = done[0][1] if done and done[0][0] == 0 else 0
    if os.path.exists(part):
        with open(part, "r+b") as f:
            f.truncate(prefix)
    remove_file(ranges_path(part))


def unsegment(part, size, md5):
    """Before one stream resumes a part: a segmented one becomes its prefix (no sidecar: nothing to do)."""
    if not os.path.exists(ranges_path(part)):
        return
    if size is None:
        remove_file(part)
        remove_file(ranges_path(part))
        return
    to_prefix(part, load_ranges(part, size, md5))


def remove_file(path):
    try:
        os.remove(path)
    except FileNotFoundError:
        pass
