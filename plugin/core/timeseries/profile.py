"""The time profile at a point or over a field: one row per acquisition date.

A point reads a 1 x 1 window of each product (its bands and masks) through /vsizip/; a field is one parcel
of the parcel engine (parcels.py), so both give the same numbers for the same pixels. On a date seen by two
overlapping tiles, a point takes the first tile with a valid pixel.
"""
import csv
import datetime as dt
import math
from dataclasses import dataclass, field

from ..progress import NULL_PROGRESS, check_cancelled
from .geometry import Transforms
from .in_order import default_threads, in_order
from .parcels import Parcels, group_by_date, parcel_statistics

REFLECTANCE_LABELS = {"B2": "blue (B2)", "B3": "green (B3)", "B4": "red (B4)", "B8": "NIR (B8)"}


@dataclass
class ProfileRow:
    date: dt.date
    products: tuple
    value: float                 # index (point) or mean index (field); NaN when no valid pixel
    masked: bool                 # a mask flags the point / every observed pixel of the field is masked
    p10: float = math.nan
    p90: float = math.nan
    valid_fraction: float = math.nan
    masked_fraction: float = math.nan
    pixels: int = 1
    reflectance: dict = field(default_factory=dict)
    paths: tuple = ()            # the files read (product zips or NDVI rasters)

    @property
    def state(self):
        if not math.isnan(self.value):
            return "valid"
        return "masked" if self.masked else "no data"


def point_profile(observations, x, y, crs, *, index="NDVI", reflectance=False, masks=None, progress=NULL_PROGRESS,
                  threads=None):
    """ProfileRows at (x, y) in `crs` (WKT / EPSG:n), one per date whose products cover the point. Dates are read
    on `threads` threads (in_order.py; default: up to 4, one per core)."""
    t = Transforms(crs)   # on this thread only: coordinate transformations are not shared between threads
    dates = []
    for day, obs in group_by_date(observations).items():
        spots = []
        for o in obs:
            col, row = o.grid.pixel(*t.point(x, y, o.grid.wkt))
            if 0 <= col < o.grid.width and 0 <= row < o.grid.height:
                spots.append((o, col, row))
        if spots:
            dates.append((day, spots))

    def read(day, spots):   # pool thread: the first product of the date with a valid pixel, else the first one
        best = None
        for o, col, row in spots:
            if progress.cancelled():
                return None
            reader = o.reader(index, reflectance, masks)
            try:
                win = reader.read(col, row, 1, 1)
            finally:
                reader.close()
            value = float(win.value[0, 0])
            r = ProfileRow(day, (o.label,), value, bool(win.masked[0, 0]),
                           valid_fraction=0.0 if math.isnan(value) else 1.0,
                           masked_fraction=float(win.masked[0, 0]),
                           reflectance={b: float(a[0, 0]) for b, a in win.reflectance.items()}, paths=(o.path,))
            if best is None or (math.isnan(best.value) and not math.isnan(value)):
                best = r
            if not math.isnan(value):
                break
        return best

    rows = []
    reads = in_order(lambda date: read(*date), dates, threads or default_threads(), progress)
    for i, row in enumerate(reads):
        progress.set(100.0 * i / len(dates))
        if row is not None:
            rows.append(row)
    check_cancelled(progress)   # a read that saw the cancel gave None: the profile is not complete
    progress.set(100.0)
    return rows


def field_profile(observations, geometry, crs, *, all_touched=False, index="NDVI", reflectance=False, masks=None,
                  progress=NULL_PROGRESS):
    """ProfileRows of a polygon (WKT/WKB in `crs`): mean, p10-p90 and shares of valid / masked pixels."""
    parcels = Parcels([geometry], crs)
    rows = []
    for s in parcel_statistics(parcels, observations, all_touched=all_touched, index=index,
                               reflectance=reflectance, masks=masks, progress=progress):
        if s.pixels[0] == 0:
            continue
        rows.append(ProfileRow(s.date, s.labels, float(s.stats["mean"][0]),
                               bool(s.valid[0] == 0 and s.masked[0] > 0),
                               p10=float(s.stats["p10"][0]), p90=float(s.stats["p90"][0]),
                               valid_fraction=float(s.valid_fraction[0]),
                               masked_fraction=float(s.masked_fraction[0]), pixels=int(s.pixels[0]),
                               reflectance={b: float(v[0]) for b, v in s.reflectance.items()}, paths=s.paths))
    return rows


def write_profile_csv(rows, path, index="NDVI"):
    """One line per date: date, state, value, p10, p90, valid and masked shares, reflectances, products."""
    bands = sorted({b for r in rows for b in r.reflectance})
    num = lambda v: "" if v is None or (isinstance(v, float) and math.isnan(v)) else f"{v:.6f}"
    with open(path, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["date", "state", index.lower(), "p10", "p90", "valid_fraction", "masked_fraction", "pixels"]
                   + [f"reflectance_{b}" for b in bands] + ["products"])
        for r in rows:
            w.writerow([r.date.isoformat(), r.state, num(r.value), num(r.p10), num(r.p90), num(r.valid_fraction),
                        num(r.masked_fraction), r.pixels] + [num(r.reflectance.get(b)) for b in bands]
                       + [" ".join(r.products)])
