"""Time-series core (profile, parcel statistics, composites, gap filling) against independent numpy
(tests/ts_expected.py) on simulator-built MAJA archives. Every test also checks that the masks change the
answer, so it would fail if the masks were ignored."""
import datetime as dt

import numpy as np
import pytest
from osgeo import gdal

from plugin.core.errors import InvalidInputError
from plugin.core.timeseries.composites import composite, gap_filled_series
from plugin.core.timeseries.parcels import Parcels, parcel_statistics
from plugin.core.timeseries.profile import field_profile, point_profile, write_profile_csv
from plugin.core.timeseries.sources import find_observations
from tests import ts_expected as ex
from tests.ts_expected import cells, rect_wgs84, utm_to_wgs84

DAYS = [dt.date(2023, 5, 2) + dt.timedelta(days=5 * i) for i in range(10)]   # May and June
N = 120


@pytest.fixture(scope="module")
def series(tmp_path_factory):
    folder = tmp_path_factory.mktemp("series")
    paths = ex.build_series(str(folder), DAYS)
    return str(folder), paths


def test_point_profile_matches_numpy_with_masked_dates(series):
    folder, paths = series
    truth = [ex.expected(p) for p in paths]
    # a pixel that is clear on some dates and masked on others
    masked_any = np.any([m for _, m in truth], axis=0)
    clear_any = np.any([~np.isnan(v) for v, _ in truth], axis=0)
    rows, cols = np.nonzero(masked_any & clear_any)
    r, c = int(rows[len(rows) // 2]), int(cols[len(cols) // 2])
    gt, _ = ex.grid(paths[0])
    x, y = gt[0] + (c + 0.5) * 10, gt[3] - (r + 0.5) * 10
    lon, lat = utm_to_wgs84(x, y, 32631)
    profile = point_profile(find_observations(folder), lon, lat, "EPSG:4326", reflectance=True)
    assert [p.date for p in profile] == DAYS
    states = []
    for p, (value, masked) in zip(profile, truth):
        if np.isnan(value[r, c]):
            assert np.isnan(p.value) and p.masked == bool(masked[r, c])
        else:
            assert p.value == pytest.approx(value[r, c], abs=1e-6)
            assert p.reflectance["B8"] == pytest.approx(ex.raw(paths[DAYS.index(p.date)], "_FRE_B8.tif")[r, c] / 1e4,
                                                        abs=1e-6)
        states.append(p.state)
    assert "masked" in states and "valid" in states


def test_point_profile_read_on_several_threads_is_the_same_in_date_order_and_stops_on_cancel(series):
    from plugin.core.errors import Cancelled
    from plugin.core.progress import CallbackProgress
    folder, paths = series
    gt, _ = ex.grid(paths[0])
    lon, lat = utm_to_wgs84(gt[0] + 40.5 * 10, gt[3] - 77.5 * 10, 32631)
    obs = find_observations(folder)
    one = point_profile(obs, lon, lat, "EPSG:4326", reflectance=True, threads=1)
    four = point_profile(obs, lon, lat, "EPSG:4326", reflectance=True, threads=4)
    plain = lambda v: None if np.isnan(v) else v   # noqa: E731 (NaN != NaN)
    key = lambda rows: [(r.date, r.state, plain(r.value), {b: plain(v) for b, v in r.reflectance.items()})  # noqa
                        for r in rows]
    assert [r.date for r in four] == DAYS and key(four) == key(one)
    seen = []
    progress = CallbackProgress(on_set=seen.append, is_cancelled=lambda: len(seen) > 3)   # the user cancels
    with pytest.raises(Cancelled):
        point_profile(obs, lon, lat, "EPSG:4326", reflectance=True, threads=4, progress=progress)
    assert 100.0 not in seen   # never reported complete


def test_profile_csv(series, tmp_path):
    folder, _ = series
    gt, wkt = ex.grid(series[1][0])
    rows = point_profile(find_observations(folder), gt[0] + 505, gt[3] - 505, wkt)
    out = tmp_path / "p.csv"
    write_profile_csv(rows, str(out))
    lines = out.read_text().splitlines()
    assert lines[0].startswith("date,state,ndvi,")
    assert len(lines) == len(DAYS) + 1
    for line, r in zip(lines[1:], rows):
        assert line.startswith(f"{r.date.isoformat()},{r.state},")


def _parcel_expect(paths, boxes):
    """[(date, {parcel: (values, n_pixels, n_masked)})] from truth over pixel boxes (c0, r0, c1, r1)."""
    out = []
    for p in paths:
        value, masked = ex.expected(p)
        per = []
        for c0, r0, c1, r1 in boxes:
            v = value[r0:r1, c0:c1].ravel()
            per.append((v[~np.isnan(v)], v.size, int(masked[r0:r1, c0:c1].sum())))
        out.append(per)
    return out


def _check(stats, expect, i):
    vals, n_pixels, n_masked = expect
    assert stats.pixels[i] == n_pixels
    assert stats.valid[i] == vals.size
    assert stats.masked[i] == n_masked
    if vals.size:
        assert stats.stats["mean"][i] == pytest.approx(vals.mean(), abs=1e-6)
        assert stats.stats["std"][i] == pytest.approx(vals.std(), abs=1e-6)
        assert stats.stats["median"][i] == pytest.approx(np.median(vals), abs=1e-6)
        assert stats.stats["p10"][i] == pytest.approx(np.percentile(vals, 10), abs=1e-6)
        assert stats.stats["p90"][i] == pytest.approx(np.percentile(vals, 90), abs=1e-6)
    else:
        assert all(np.isnan(stats.stats[k][i]) for k in ("mean", "median", "std", "p10", "p90"))


def test_parcel_statistics_match_numpy_including_a_fully_clouded_parcel(series):
    folder, paths = series
    gt, _ = ex.grid(paths[0])
    # a 4x4 parcel fully masked on some date (clouds or shadows), and two ordinary fields
    first_masked = ex.expected(paths[3])[1]
    hits = np.argwhere(np.lib.stride_tricks.sliding_window_view(first_masked, (4, 4)).all(axis=(2, 3)))
    r, c = (int(v) for v in hits[len(hits) // 2])
    boxes = [(c, r, c + 4, r + 4), (10, 10, 30, 25), (60, 70, 95, 100)]
    parcels = Parcels([rect_wgs84(*cells(gt, *b)) for b in boxes], "EPSG:4326", ids=["cloudy", "a", "b"])
    got = list(parcel_statistics(parcels, find_observations(folder)))
    want = _parcel_expect(paths, boxes)
    assert [s.date for s in got] == DAYS
    for s, w in zip(got, want):
        for i in range(3):
            _check(s, w[i], i)
    assert got[3].valid[0] == 0 and got[3].masked[0] == 16 and got[3].masked_fraction[0] == 1.0
    # the masks matter here: ignoring them would give values on the clouded date and other counts
    raw_unmasked = ex.expected(paths[3], use_masks=False)[0][r:r + 4, c:c + 4]
    assert np.isfinite(raw_unmasked).any()


def test_parcel_over_two_tiles_pools_both(tmp_path):
    """Two abutting tiles (same UTM zone), products on the same days; the parcel's pixels from both count."""
    days = DAYS[:3]
    a = ex.build_series(str(tmp_path / "p"), days, "31TCJ", geocoding=(32631, 300000.0, 4900020.0))
    b = ex.build_series(str(tmp_path / "p"), days, "31TDJ", geocoding=(32631, 301200.0, 4900020.0))
    gt, _ = ex.grid(a[0])
    # columns 100..119 of tile A and 0..29 of tile B, rows 40..59
    x0, y0 = gt[0] + 100 * 10 + 3, gt[3] - 40 * 10 - 3
    x1, y1 = gt[0] + 150 * 10 - 3, gt[3] - 60 * 10 + 3
    parcels = Parcels([rect_wgs84(x0, y1, x1, y0)], "EPSG:4326")
    got = list(parcel_statistics(parcels, find_observations(str(tmp_path / "p"))))
    assert [s.date for s in got] == days
    for s, pa, pb in zip(got, a, b):
        va, ma = ex.expected(pa)
        vb, mb = ex.expected(pb)
        vals = np.concatenate([va[40:60, 100:120].ravel(), vb[40:60, 0:30].ravel()])
        n_masked = int(ma[40:60, 100:120].sum() + mb[40:60, 0:30].sum())
        _check(s, (vals[~np.isnan(vals)], 50 * 20, n_masked), 0)
        assert len(s.labels) == 2
    assert any(s.masked[0] for s in got)


def test_field_profile_is_the_parcel_mean_with_p10_p90(series):
    folder, paths = series
    gt, wkt = ex.grid(paths[0])
    box = (20, 30, 60, 70)
    rows = field_profile(find_observations(folder), rect_wgs84(*cells(gt, *box)), "EPSG:4326", reflectance=True)
    want = _parcel_expect(paths, [box])
    for r, w in zip(rows, want):
        vals, n, nm = w[0]
        assert r.pixels == n
        assert r.valid_fraction == pytest.approx(vals.size / n)
        assert r.masked_fraction == pytest.approx(nm / n)
        assert r.value == pytest.approx(vals.mean(), abs=1e-6)
        assert r.p10 == pytest.approx(np.percentile(vals, 10), abs=1e-6)
        assert set(r.reflectance) == {"B2", "B3", "B4", "B8"}
    assert any(w[0][2] for w in want)        # masked pixels inside the field on some date


def test_all_touched_takes_more_pixels(series):
    folder, paths = series
    gt, _ = ex.grid(paths[0])
    # edges 3 m outside the edges of pixels 10..19: the ring of pixels around is touched, centres outside
    g = rect_wgs84(gt[0] + 97, gt[3] - 203, gt[0] + 203, gt[3] - 97)
    obs = find_observations(folder)[:1]
    centre = next(parcel_statistics(Parcels([g], "EPSG:4326"), obs))
    touched = next(parcel_statistics(Parcels([g], "EPSG:4326"), obs, all_touched=True))
    assert centre.pixels[0] == 100 and touched.pixels[0] == 144


def test_composites_match_numpy(series, tmp_path):
    folder, paths = series
    written = composite(find_observations(folder), str(tmp_path / "c"))
    assert len(written) == 2                                  # May, June
    for path in written:
        ds = gdal.Open(path)
        start = dt.date.fromisoformat(ds.GetMetadataItem("PERIOD_START"))
        members = [p for p in paths if ex.date_of(p).month == start.month]
        stack = np.stack([ex.expected(p)[0] for p in members])
        doys = np.array([ex.date_of(p).timetuple().tm_yday for p in members])
        mx, med, count, doy = (ds.GetRasterBand(i).ReadAsArray() for i in range(1, 5))
        n = (~np.isnan(stack)).sum(axis=0)
        np.testing.assert_array_equal(count, n)
        ok = n > 0
        np.testing.assert_allclose(mx[ok], np.nanmax(stack[:, ok], axis=0), atol=1e-6)
        np.testing.assert_allclose(med[ok], np.nanmedian(stack[:, ok], axis=0), atol=1e-6)
        np.testing.assert_array_equal(doy[ok], doys[np.nanargmax(np.where(np.isnan(stack), -np.inf, stack), 0)][ok])
        assert (mx[~ok] == -9999).all()
        unmasked = np.stack([ex.expected(p, use_masks=False)[0] for p in members])
        assert ((~np.isnan(unmasked)).sum(axis=0) != n).any()     # the masks change the counts


def test_gap_filled_series_matches_numpy_interp(series, tmp_path):
    folder, paths = series
    written = gap_filled_series(find_observations(folder), str(tmp_path / "g"), every=7)
    assert len(written) == 1
    ds = gdal.Open(written[0])
    targets = [DAYS[0] + dt.timedelta(days=7 * k) for k in range(ds.RasterCount)]
    assert targets[-1] <= DAYS[-1] < targets[-1] + dt.timedelta(days=7)
    assert [ds.GetRasterBand(i + 1).GetDescription() for i in range(ds.RasterCount)] == \
        [d.isoformat() for d in targets]
    got = ds.ReadAsArray()
    stack = np.stack([ex.expected(p)[0] for p in paths])
    x = np.array([d.toordinal() for d in DAYS])
    t = np.array([d.toordinal() for d in targets])
    checked = 0
    for r in range(0, N, 7):
        for c in range(0, N, 5):
            ok = ~np.isnan(stack[:, r, c])
            if not ok.any():
                assert (got[:, r, c] == -9999).all()
                continue
            want = np.interp(t, x[ok], stack[ok, r, c])
            np.testing.assert_allclose(got[:, r, c], want, atol=1e-5)
            checked += 1 if not ok.all() else 0
    assert checked > 20                                       # pixels with masked dates were interpolated


def test_no_products_is_a_plain_message(tmp_path):
    with pytest.raises(InvalidInputError, match="No Sentinel-2 product"):
        find_observations(str(tmp_path))


def test_a_folder_with_products_their_ndvi_and_our_outputs_lists_each_acquisition_once(series, tmp_path):
    import shutil

    from plugin.core.ndvi import compute_ndvi

    folder, paths = series
    mixed = tmp_path / "mixed"
    mixed.mkdir()
    for p in paths[:3]:
        shutil.copy(p, mixed)
    compute_ndvi(paths[0], str(mixed / "first_NDVI.tif"))             # NDVI of a product that is there too
    compute_ndvi(paths[5], str(mixed / "sixth_NDVI.tif"))             # NDVI of one that is not
    composite(find_observations(str(mixed)), str(mixed))               # our own outputs in the same folder
    obs = find_observations(str(mixed))
    assert [(o.date, o.kind) for o in obs] == [(DAYS[0], "product"), (DAYS[1], "product"),
                                               (DAYS[2], "product"), (DAYS[5], "raster")]
    fast = find_observations(str(mixed), prefer_rasters=True)
    assert [(o.date, o.kind) for o in fast] == [(DAYS[0], "raster"), (DAYS[1], "product"),
                                                (DAYS[2], "product"), (DAYS[5], "raster")]
    # the NDVI GeoTIFF gives the same profile values as its zip (masked and no data are one there)
    gt, wkt = ex.grid(paths[0])
    value, _ = ex.expected(paths[0])
    r, c = np.argwhere(np.isfinite(value))[50]
    point = point_profile(fast[:1], gt[0] + (c + 0.5) * 10, gt[3] - (r + 0.5) * 10, wkt)
    assert point[0].value == pytest.approx(value[r, c], abs=1e-6)


def test_two_products_of_one_tile_and_day_count_once(series, tmp_path):
    import shutil

    folder, paths = series
    twice = tmp_path / "twice"
    twice.mkdir()
    shutil.copy(paths[0], twice)
    # the same acquisition delivered twice (another product version): same tile, same day, same grid
    shutil.copy(paths[0], twice / paths[0].rsplit("/", 1)[1].replace("_V3-1", "_V3-0"))
    gt, _ = ex.grid(paths[0])
    box = (10, 10, 30, 25)
    [s] = list(parcel_statistics(Parcels([rect_wgs84(*cells(gt, *box))], "EPSG:4326"),
                                 find_observations(str(twice))))
    assert s.pixels[0] == 20 * 15 and len(s.labels) == 1


# ---------------------------------------------------------------- other indices (issue 13 in the time series)

def test_point_profile_of_ndmi_matches_numpy_with_a_20m_band(series):
    """NDMI = (B8 - B11) / (B8 + B11), B11 at 20 m: the profile is the engine's index on the same masks (the
    parcel test below is the one that catches a 20 m band shifted by a pixel: fields are uniform here)."""
    folder, paths = series
    truth = [ex.expected_index(p, "NDMI") for p in paths]
    masked_any = np.any([m for _, m in truth], axis=0)
    clear_any = np.any([~np.isnan(v) for v, _ in truth], axis=0)
    odd = np.zeros_like(masked_any)
    odd[1::2, 1::2] = True
    rows, cols = np.nonzero(masked_any & clear_any & odd)
    r, c = int(rows[len(rows) // 3]), int(cols[len(cols) // 3])
    gt, wkt = ex.grid(paths[0])
    profile = point_profile(find_observations(folder), gt[0] + (c + 0.5) * 10, gt[3] - (r + 0.5) * 10, wkt,
                            index="NDMI")
    assert [p.date for p in profile] == DAYS
    states = []
    for p, (value, masked) in zip(profile, truth):
        if np.isnan(value[r, c]):
            assert np.isnan(p.value) and p.masked == bool(masked[r, c])
        else:
            assert p.value == pytest.approx(value[r, c], abs=1e-6)
        states.append(p.state)
    assert "masked" in states and "valid" in states
    ndvi = point_profile(find_observations(folder), gt[0] + (c + 0.5) * 10, gt[3] - (r + 0.5) * 10, wkt)
    assert any(a.value != pytest.approx(b.value, abs=1e-3) for a, b in zip(profile, ndvi) if a.state == "valid")


@pytest.mark.parametrize("name", ["NDMI", "NDWI"])
def test_parcel_statistics_of_another_index_match_numpy(series, name):
    folder, paths = series
    gt, _ = ex.grid(paths[0])
    boxes = [(11, 9, 31, 26), (61, 71, 95, 101), (0, 0, 7, 5)]
    parcels = Parcels([rect_wgs84(*cells(gt, *b)) for b in boxes], "EPSG:4326")
    got = list(parcel_statistics(parcels, find_observations(folder), index=name))
    assert [s.date for s in got] == DAYS
    masked_seen = False
    for s, p in zip(got, paths):
        value, masked = ex.expected_index(p, name)
        for i, (c0, r0, c1, r1) in enumerate(boxes):
            v = value[r0:r1, c0:c1].ravel()
            n_masked = int(masked[r0:r1, c0:c1].sum())
            masked_seen |= n_masked > 0
            _check(s, (v[~np.isnan(v)], v.size, n_masked), i)
    assert masked_seen


def test_parcel_statistics_of_ndmi_apply_the_20m_saturation_mask(tmp_path):
    """Products whose SAT_R2 flags a few B11 pixels (and others in bands NDMI does not use): the product reader of
    the time-series tools masks exactly the B11 ones, 2 x 2 on the 10 m grid, as the numpy expectation says."""
    paths = ex.build_series(str(tmp_path), DAYS[:2], saturated_20m=True)
    gt, _ = ex.grid(paths[0])
    boxes = [(13, 7, 51, 41), (55, 45, 111, 101)]             # odd corners: 20 m pixels cut by the parcel edge
    parcels = Parcels([rect_wgs84(*cells(gt, *b)) for b in boxes], "EPSG:4326")
    got = list(parcel_statistics(parcels, find_observations(str(tmp_path)), index="NDMI"))
    assert [s.date for s in got] == DAYS[:2]
    for s, p in zip(got, paths):
        value, masked = ex.expected_index(p, "NDMI")
        b11 = np.repeat(np.repeat((ex.raw(p, "_SAT_R2.tif") & 0b10000) != 0, 2, axis=0), 2, axis=1)
        others = np.repeat(np.repeat((ex.raw(p, "_SAT_R2.tif") & 0b101111) != 0, 2, axis=0), 2, axis=1)   # not B11
        assert (b11 & ~np.isnan(value)).sum() == 0 and (b11 & masked).sum() >= 20
        assert (others & ~masked & ~np.isnan(value)).sum() >= 20          # saturated in B5, B6... only: valid
        for i, (c0, r0, c1, r1) in enumerate(boxes):
            v = value[r0:r1, c0:c1].ravel()
            _check(s, (v[~np.isnan(v)], v.size, int(masked[r0:r1, c0:c1].sum())), i)


def test_index_rasters_of_the_chosen_index_only_int16_scaled(series, tmp_path):
    """A folder holding NDVI and NDMI rasters (NDMI in Int16): the NDMI series reads the NDMI ones, at their
    true values (stored x 1e-4), equal to the zips' NDMI within the Int16 rounding."""
    from plugin.core.ndvi import compute_index

    folder, paths = series
    out = tmp_path / "rasters"
    out.mkdir()
    for p in paths[:3]:
        stem = out / ex.maja_title(ex.date_of(p))
        compute_index(p, f"{stem}_NDVI.tif")
        compute_index(p, f"{stem}_NDMI.tif", index="NDMI", encoding="int16")
    gt, _ = ex.grid(paths[0])
    boxes = [(11, 9, 31, 26), (61, 71, 95, 101)]
    parcels = Parcels([rect_wgs84(*cells(gt, *b)) for b in boxes], "EPSG:4326")
    obs = find_observations(str(out), index="NDMI")
    assert len(obs) == 3 and all(o.path.endswith("_NDMI.tif") for o in obs)
    got = list(parcel_statistics(parcels, obs, index="NDMI"))
    for s, p in zip(got, paths):
        value, _ = ex.expected_index(p, "NDMI")
        for i, (c0, r0, c1, r1) in enumerate(boxes):
            v = value[r0:r1, c0:c1].ravel()
            v = v[~np.isnan(v)]
            assert s.valid[i] == v.size
            if v.size:
                assert s.stats["mean"][i] == pytest.approx(v.mean(), abs=0.5e-4)


# ---------------------------------------------------------------- index outputs keep masked apart from no data

def test_point_profile_from_index_rasters_keeps_masked_dates_masked(series, tmp_path):
    """The engine writes '<stem>_masked.tif' beside each index raster; a profile read from the rasters (what
    the panel reads: random access) gives the same values and states as one read from the zips, masked dates
    masked, no-data dates no data (swath edges left unmasked here, so their no-data pixels are not masked)."""
    from plugin.core.ndvi import MaskPolicy, compute_index, masked_pixels_path

    folder, paths = series
    policy = MaskPolicy(edges=False)
    out = tmp_path / "ndvi"
    out.mkdir()
    for p in paths:
        res = compute_index(p, str(out / (ex.maja_title(ex.date_of(p)) + "_NDVI.tif")), masks=policy)
        assert res.masked_path == masked_pixels_path(res.path)
    truth = [ex.expected(p) for p in paths]
    masked_any = np.any([m for _, m in truth], axis=0)
    edge_any = np.any([ex.raw(p, "_FRE_B4.tif") == -10000 for p in paths], axis=0)    # no data, not masked
    picks = [np.argwhere(masked_any)[len(np.argwhere(masked_any)) // 2], np.argwhere(edge_any)[0]]
    gt, wkt = ex.grid(paths[0])
    from_rasters = find_observations(str(out))
    assert len(from_rasters) == len(paths) and all(o.kind == "raster" for o in from_rasters)
    states = set()
    for r, c in picks:
        x, y = gt[0] + (c + 0.5) * 10, gt[3] - (r + 0.5) * 10
        want = point_profile(find_observations(folder), x, y, wkt, masks=policy)
        got = point_profile(from_rasters, x, y, wkt)
        assert [(g.date, g.state) for g in got] == [(w.date, w.state) for w in want]
        for g, w in zip(got, want):
            assert (np.isnan(g.value) and np.isnan(w.value)) or g.value == pytest.approx(w.value, abs=1e-6)
        states |= {g.state for g in got}
    assert {"masked", "no data", "valid"} <= states
    # without the masked-pixels rasters, an invalid pixel of a masked output can only be called masked
    for f in out.glob("*_masked.tif"):
        f.unlink()
    r, c = picks[1]
    old = point_profile(find_observations(str(out)), gt[0] + (c + 0.5) * 10, gt[3] - (r + 0.5) * 10, wkt)
    assert "no data" not in {g.state for g in old} and "masked" in {g.state for g in old}


def test_parcel_statistics_from_index_rasters_count_masked_pixels(series, tmp_path):
    """Parcel statistics read from index rasters + masked-pixels rasters: the masked share equals the zips'."""
    from plugin.core.ndvi import compute_index

    folder, paths = series
    out = tmp_path / "ndvi"
    out.mkdir()
    for p in paths[:4]:
        compute_index(p, str(out / (ex.maja_title(ex.date_of(p)) + "_NDVI.tif")), encoding="int16")
    gt, _ = ex.grid(paths[0])
    boxes = [(11, 9, 31, 26), (61, 71, 95, 101)]
    parcels = Parcels([rect_wgs84(*cells(gt, *b)) for b in boxes], "EPSG:4326")
    got = list(parcel_statistics(parcels, find_observations(str(out))))
    want = _parcel_expect(paths[:4], boxes)
    assert sum(w[i][2] for w in want for i in range(2)) > 0
    for s, w in zip(got, want):
        for i in range(2):
            vals, n_pixels, n_masked = w[i]
            assert s.pixels[i] == n_pixels and s.valid[i] == vals.size and s.masked[i] == n_masked


def test_ndmi_composite_matches_numpy(series, tmp_path):
    """The composite of another index (NDMI, a 20 m band) is that index's maximum and median, masks applied."""
    folder, paths = series
    written = composite(find_observations(folder, index="NDMI"), str(tmp_path / "c"), index="NDMI")
    assert len(written) == 2 and all("NDMI_composite" in w for w in written)
    for path in written:
        ds = gdal.Open(path)
        assert ds.GetMetadataItem("INDEX") == "NDMI"
        start = dt.date.fromisoformat(ds.GetMetadataItem("PERIOD_START"))
        stack = np.stack([ex.expected_index(p, "NDMI")[0] for p in paths if ex.date_of(p).month == start.month])
        mx, med, count = (ds.GetRasterBand(i).ReadAsArray() for i in range(1, 4))
        n = (~np.isnan(stack)).sum(axis=0)
        np.testing.assert_array_equal(count, n)
        ok = n > 0
        np.testing.assert_allclose(mx[ok], np.nanmax(stack[:, ok], axis=0), atol=1e-6)
        np.testing.assert_allclose(med[ok], np.nanmedian(stack[:, ok], axis=0), atol=1e-6)


def test_parcel_statistics_in_many_strips_read_only_the_parcels_columns(series, monkeypatch):
    """With 16-row strips (tiles of 16 rows in effect) the parcels' window starts mid-strip and each strip reads
    only the columns holding parcel pixels: the statistics still equal numpy, masks included."""
    from plugin.core.timeseries import parcels as parcels_module

    monkeypatch.setattr(parcels_module, "STRIP_ROWS", 16)
    folder, paths = series
    gt, _ = ex.grid(paths[0])
    boxes = [(41, 21, 52, 60), (70, 37, 77, 41), (90, 45, 118, 118)]
    parcels = Parcels([rect_wgs84(*cells(gt, *b)) for b in boxes], "EPSG:4326")
    obs = find_observations(folder)
    pix = parcels.pixels([obs[0].grid], obs[0].grid)
    plans = pix.strips()
    assert pix.window[1] % 16 != 0 and len(plans) > 3
    assert all(s1 - s0 <= 16 and (pix.window[1] + s1) % 16 == 0 for s0, s1, *_ in plans[:-1])
    assert any(c1 - c0 < pix.window[2] for *_, c0, c1, _at in plans)      # a strip narrower than the window
    got = list(parcel_statistics(parcels, obs))
    want = _parcel_expect(paths, boxes)
    for s, w in zip(got, want):
        for i in range(len(boxes)):
            _check(s, w[i], i)
    assert any(s.masked.any() for s in got)
