"""Temporal composites (maximum and median per period) and gap-filled series on a regular date grid.

Both work per tile grid (one output per grid), blockwise: full-width strips of rows, every date of the
block read in row order, the strip height chosen so the stacked dates stay within `memory_mb`.

Composite GeoTIFF (one per period and grid), Float32, nodata -9999, bands:
  1 maximum index, 2 median index (of the valid dates), 3 number of valid dates,
  4 date of the maximum as day of the year (periods never cross a year: they start on 1 January).
Gap-filled GeoTIFF (one per grid), Float32, nodata -9999: one band per date of the regular grid (every N days
from the first date), band description = the date (YYYY-MM-DD), as iota2-style classifiers expect. A value is
the pixel's valid value on that date, else the linear interpolation between its valid dates before and after,
else (before the first / after the last valid date) the nearest valid value; a pixel never valid is nodata.
Masked dates are never used as values.
"""
import calendar
import datetime as dt
import os
from dataclasses import dataclass

import numpy as np
from osgeo import gdal

from ..errors import InvalidInputError
from ..ndvi import CREATION_OPTIONS, NODATA
from ..paths import inside, safe_filename
from ..progress import NULL_PROGRESS, check_cancelled
from ..i18n import tr

gdal.UseExceptions()

COMPOSITE_BANDS = ("maximum", "median", "valid dates", "date of the maximum (day of year)")


@dataclass(frozen=True)
class Period:
    start: dt.date
    end: dt.date            # inclusive

    @property
    def name(self):
        return f"{self.start:%Y%m%d}_{self.end:%Y%m%d}"


def periods(dates, days=None):
    """The periods holding `dates`: calendar months (days=None) or runs of `days` days from each 1 January."""
    if days is not None and days < 1:
        raise InvalidInputError(tr("The period must be at least 1 day long."))
    found = {}
    for d in sorted(set(dates)):
        if days is None:
            p = Period(d.replace(day=1), d.replace(day=calendar.monthrange(d.year, d.month)[1]))
        else:
            jan1 = dt.date(d.year, 1, 1)
            k = (d - jan1).days // days
            start = jan1 + dt.timedelta(days=k * days)
            p = Period(start, min(start + dt.timedelta(days=days - 1), dt.date(d.year, 12, 31)))
        found[p] = True
    return list(found)


def by_grid(observations):
    """[(grid, observations on it in time order, one per day)], grids by tile id."""
    groups = {}
    for o in observations:
        same = groups.setdefault(o.grid.key, (o.grid, o.tile, []))[2]
        if not same or same[-1].date != o.date:       # a second product of the same day would count twice
            same.append(o)
    return [(g, tile, obs) for g, tile, obs in sorted(groups.values(), key=lambda v: (v[1] or "", v[0].transform))]


def _strip_rows(grid, layers, memory_mb):
    """Rows per strip so `layers` float32 full-width layers (plus reading temporaries) fit in memory_mb."""
    per_row = grid.width * 4 * (layers + 8)
    return max(1, min(grid.height, int(memory_mb * 2**20 // per_row)))


def _create(path, grid, bands, descriptions, metadata):
    ds = gdal.GetDriverByName("GTiff").Create(path, grid.width, grid.height, bands, gdal.GDT_Float32,
                                              CREATION_OPTIONS)
    ds.SetProjection(grid.wkt)
    ds.SetGeoTransform(grid.transform)
    for i, text in enumerate(descriptions, 1):
        b = ds.GetRasterBand(i)
        b.SetNoDataValue(NODATA)
        b.SetDescription(text)
    ds.SetMetadata(metadata)
    return ds


def _read_stack(readers, grid, y0, h):
    """(dates, h, width) float32, NaN where a date is not valid."""
    return np.stack([r.read(0, y0, grid.width, h).value for r in readers])


def _output_name(folder, prefix, tile, grid_index, tail):
    who = tile or f"grid{grid_index + 1}"
    return inside(folder, safe_filename(f"{prefix}_{who}_{tail}", ".tif"))


def composite(observations, folder, *, days=None, index="NDVI", masks=None, memory_mb=256, progress=NULL_PROGRESS):
    """Max/median composites per period (months, or `days`-day runs); returns the paths written."""
    os.makedirs(folder, exist_ok=True)
    jobs = []
    for gi, (grid, tile, obs) in enumerate(by_grid(observations)):
        for p in periods([o.date for o in obs], days):
            jobs.append((gi, grid, tile, p, [o for o in obs if p.start <= o.date <= p.end]))
    written = []
    for j, (gi, grid, tile, period, obs) in enumerate(jobs):
        check_cancelled(progress)
        progress.message(tr("{index} composite {start} to {end} ({tile}): {n} dates", index=index, start=period.start,
                            end=period.end, tile=tile or tr("grid"), n=len(obs)))
        path = _output_name(folder, f"{index}_composite", tile, gi, period.name)
        doy = np.array([o.date.timetuple().tm_yday for o in obs], np.float32)
        meta = {"PERIOD_START": period.start.isoformat(), "PERIOD_END": period.end.isoformat(),
                "INDEX": index, "DATES": " ".join(o.date.isoformat() for o in obs),
                "PRODUCTS": " ".join(o.label for o in obs), "TILE": tile or ""}
        _write(path, grid, COMPOSITE_BANDS, meta, obs, index, masks, memory_mb, progress,
               lambda stack: _composite_block(stack, doy), len(obs) + 4,
               (100.0 * j / len(jobs), 100.0 * (j + 1) / len(jobs)))
        written.append(path)
    progress.set(100.0)
    return written


def _composite_block(stack, doy):
    valid = ~np.isnan(stack)
    count = valid.sum(axis=0).astype(np.float32)
    filled = np.where(valid, stack, -np.inf)
    arg = filled.argmax(axis=0)
    best = np.take_along_axis(filled, arg[None], axis=0)[0]
    import warnings
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)      # all-NaN pixels: nodata below
        median = np.nanmedian(stack, axis=0)
    none = count == 0
    out = [best.astype(np.float32), median.astype(np.float32), count, doy[arg]]
    for a in (out[0], out[1], out[3]):
        a[none] = NODATA
    return out


def regular_dates(first, last, every):
    if every < 1:
        raise InvalidInputError(tr("The step of the regular date grid must be at least 1 day."))
    out, d = [], first
    while d <= last:
        out.append(d)
        d += dt.timedelta(days=every)
    return out


def gap_filled_series(observations, folder, *, every=10, start=None, end=None, index="NDVI", masks=None,
                      memory_mb=256, progress=NULL_PROGRESS):
    """One multi-band GeoTIFF per grid on the dates start, start + every, ... <= end (default: the series'
    first and last dates); returns the paths written."""
    os.makedirs(folder, exist_ok=True)
    groups = by_grid(observations)
    written = []
    for gi, (grid, tile, obs) in enumerate(groups):
        check_cancelled(progress)
        targets = regular_dates(start or obs[0].date, end or obs[-1].date, every)
        if not targets:
            raise InvalidInputError(tr("The regular date grid is empty: the end date is before the start date."))
        days = np.array([o.date.toordinal() for o in obs], np.int64)
        t = np.array([d.toordinal() for d in targets], np.int64)
        path = _output_name(folder, f"{index}_gapfilled", tile, gi,
                            f"{targets[0]:%Y%m%d}_{targets[-1]:%Y%m%d}_{every}d")
        meta = {"INDEX": index, "STEP_DAYS": str(every), "TILE": tile or "",
                "INPUT_DATES": " ".join(o.date.isoformat() for o in obs),
                "METHOD": "linear interpolation between valid dates; nearest valid value outside them"}
        progress.message(tr("Gap-filled {index} ({tile}): {n} dates onto {targets}", index=index,
                            tile=tile or tr("grid"), n=len(obs), targets=len(targets)))
        _write(path, grid, [d.isoformat() for d in targets], meta, obs, index, masks, memory_mb, progress,
               lambda stack: list(interpolate(stack, days, t)), len(obs) + 2 * len(targets),
               (100.0 * gi / len(groups), 100.0 * (gi + 1) / len(groups)))
        written.append(path)
    progress.set(100.0)
    return written


def interpolate(stack, days, targets):
    """stack (dates, ...) with NaN where not valid, days (dates,) ordinals in increasing order, targets
    ordinals: (targets, ...) float32, NODATA where a pixel has no valid date at all."""
    n_dates = stack.shape[0]
    valid = ~np.isnan(stack)
    pos = np.arange(n_dates).reshape((-1,) + (1,) * (stack.ndim - 1))
    prev = np.maximum.accumulate(np.where(valid, pos, -1), axis=0)            # last valid at or before
    nxt = np.minimum.accumulate(np.where(valid, pos, n_dates)[::-1], axis=0)[::-1]   # first valid at or after
    out = np.empty((len(targets),) + stack.shape[1:], np.float32)
    for i, t in enumerate(targets):
        k = np.searchsorted(days, t, side="right") - 1      # last date <= t
        k2 = np.searchsorted(days, t, side="left")          # first date >= t
        p = prev[k] if k >= 0 else np.full(stack.shape[1:], -1)
        q = nxt[k2] if k2 < n_dates else np.full(stack.shape[1:], n_dates)
        has_p, has_q = p >= 0, q < n_dates
        pc, qc = np.clip(p, 0, n_dates - 1), np.clip(q, 0, n_dates - 1)
        vp = np.take_along_axis(stack, pc[None], axis=0)[0]
        vq = np.take_along_axis(stack, qc[None], axis=0)[0]
        dp, dq = days[pc], days[qc]
        with np.errstate(divide="ignore", invalid="ignore"):
            w = np.where(dq > dp, (t - dp) / np.maximum(dq - dp, 1), 0.0)
        v = np.where(has_p & has_q, vp + (vq - vp) * w, np.where(has_p, vp, vq))
        out[i] = np.where(has_p | has_q, v, NODATA)
    return out


def _write(path, grid, descriptions, metadata, obs, index, masks, memory_mb, progress, compute, layers, span):
    tmp = path + ".part"
    readers = []
    ds = None
    try:
        readers = [o.reader(index, False, masks) for o in obs]
        ds = _create(tmp, grid, len(descriptions), descriptions, metadata)
        rows = _strip_rows(grid, layers, memory_mb)
        for y0 in range(0, grid.height, rows):
            check_cancelled(progress)
            h = min(rows, grid.height - y0)
            for b, arr in enumerate(compute(_read_stack(readers, grid, y0, h)), 1):
                ds.GetRasterBand(b).WriteArray(np.asarray(arr, np.float32), 0, y0)
            progress.set(span[0] + (span[1] - span[0]) * (y0 + h) / grid.height)
        ds.FlushCache()
        ds = None
        os.replace(tmp, path)
    finally:
        ds = None
        for r in readers:
            r.close()
        if os.path.exists(tmp):
            os.remove(tmp)
