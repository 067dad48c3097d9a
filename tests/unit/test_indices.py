"""Spectral indices against independent numpy formulas on simulator products of each kind, the Int16 encoding,
and the engine's distrust of its inputs (bands off one grid, NaN, absurd sizes).

The expected values are computed here: raw bands read with GDAL straight from the zip members (20 m ones
replicated with np.repeat), the offsets parsed from the metadata by this test, the formulas written out in
float64 with their published constants.
"""
import re
import zipfile

import numpy as np
import pytest
from osgeo import gdal, osr

from plugin.core.errors import ProductFormatError
from plugin.core.indices import INDEX_NAMES, INT16_NODATA
from plugin.core.models import ProductKind
from plugin.core.ndvi import (MAX_SIDE, NODATA, PLAIN, MaskPolicy, compute_index, compute_ndvi_bands,
                              index_window)
from tests.simulator.archives import build_archive

gdal.UseExceptions()

MAJA = "SENTINEL2B_20230715-105856-123_L2A_T31TCJ_C_V3-1"
L2A = "S2A_MSIL2A_20230801T103631_N0509_R008_T31TCJ_20230801T142500"
L1C = "S2B_MSIL1C_20230806T103629_N0509_R008_T31TCJ_20230806T124200"
KINDS = {MAJA: ProductKind.MAJA_L2A, L2A: ProductKind.SAFE_L2A, L1C: ProductKind.SAFE_L1C}
SAFE_ID = {"B2": 1, "B3": 2, "B4": 3, "B5": 4, "B8": 7, "B8A": 8, "B11": 11, "B12": 12}
TWENTY_M = ("B5", "B8A", "B11", "B12")


@pytest.fixture(scope="module")
def products(tmp_path_factory):
    d = tmp_path_factory.mktemp("products")
    out = {}
    for title, kind in KINDS.items():
        build_archive(kind, title, str(d / f"{title}.zip"), seed=4)
        out[title] = str(d / f"{title}.zip")
    return out


def member(z, pattern):
    names = [n for n in zipfile.ZipFile(z).namelist() if re.search(pattern, n)]
    assert len(names) == 1, (pattern, names)
    return names[0]


def raw(z, pattern, band=1):
    ds = gdal.Open(f"/vsizip/{z}/{member(z, pattern)}")
    return ds.GetRasterBand(band).ReadAsArray()


def up2(a):
    return np.repeat(np.repeat(a, 2, 0), 2, 1)


def band_of(z, name, shift=0):
    """(reflectance float64 on the 10 m grid, no-data bool) of band `name`; shift moves a 20 m band's
    replication by that many 10 m pixels (to prove the tests see a misalignment)."""
    if "MSIL" in z:
        safe = name if len(name) == 3 else "B0" + name[1:]
        res = "_20m" if name in TWENTY_M else "_10m"
        a = raw(z, rf"_{safe}({res})?\.jp2$").astype(np.int64)
        text = zipfile.ZipFile(z).read(member(z, r"MTD_MSIL..\.xml$")).decode()
        m = re.search(rf'<(?:BOA|RADIO)_ADD_OFFSET band_id="{SAFE_ID[name]}">(-?\d+)<', text)
        refl = (a + (float(m[1]) if m else 0.0)) / 10000.0
        bad = (a == 0) | (a == 65535)
    else:
        a = raw(z, rf"_FRE_{name}\.tif$").astype(np.int64)
        refl, bad = a / 10000.0, a == -10000
    if name in TWENTY_M:
        refl, bad = up2(refl), up2(bad)
        if shift:
            refl, bad = np.roll(refl, shift, axis=1), np.roll(bad, shift, axis=1)
    return refl, bad


def formula(name, b):
    """The published formulas, in float64, on reflectance dict b; returns (value, zero denominator)."""
    nd = lambda x, y: (x - y, x + y)
    num, den = {
        "NDVI": lambda: nd(b["B8"], b["B4"]),
        "NDWI": lambda: nd(b["B3"], b["B8"]),
        "MNDWI": lambda: nd(b["B3"], b["B11"]),
        "NDMI": lambda: nd(b["B8"], b["B11"]),
        "NBR": lambda: nd(b["B8"], b["B12"]),
        "NDRE": lambda: nd(b["B8A"], b["B5"]),
        "EVI": lambda: (2.5 * (b["B8"] - b["B4"]), b["B8"] + 6 * b["B4"] - 7.5 * b["B2"] + 1),
        "SAVI": lambda: (1.5 * (b["B8"] - b["B4"]), b["B8"] + b["B4"] + 0.5),
    }[name]()
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.clip(num / den, -1, 1), den == 0


BANDS_OF = {"NDVI": ("B8", "B4"), "NDWI": ("B3", "B8"), "MNDWI": ("B3", "B11"), "NDMI": ("B8", "B11"),
            "NBR": ("B8", "B12"), "NDRE": ("B8A", "B5"), "EVI": ("B8", "B4", "B2"), "SAVI": ("B8", "B4")}


def expected(z, name, swap=False, shift=0):
    names = BANDS_OF[name]
    loaded = {n: band_of(z, n, shift) for n in names}
    refl = {n: loaded[n][0] for n in names}
    if swap:
        a, b = names[:2]
        refl[a], refl[b] = refl[b], refl[a]
    v, zero = formula(name, refl)
    bad = zero.copy()
    for _, nd in loaded.values():
        bad |= nd
    return v, bad


def read(path):
    ds = gdal.Open(str(path))
    b = ds.GetRasterBand(1)
    return b.ReadAsArray(), b.GetNoDataValue(), b.GetScale(), b.GetOffset(), ds.GetMetadata()


def mismatch(got, exp):
    """The largest difference on valid pixels, or inf when the no-data sets differ."""
    v, bad = exp
    if not np.array_equal(got == NODATA, bad):
        return np.inf
    return float(np.max(np.abs(got[~bad] - v[~bad])))


@pytest.mark.parametrize("title", list(KINDS))
@pytest.mark.parametrize("name", INDEX_NAMES)
def test_each_index_equals_the_numpy_formula(products, tmp_path, title, name):
    z = products[title]
    res = compute_index(z, str(tmp_path / "i.tif"), index=name, masks=MaskPolicy.none())
    got, nodata, *_, meta = read(tmp_path / "i.tif")
    exp = expected(z, name)
    assert nodata == NODATA and mismatch(got, exp) <= 1e-6
    assert res.index == name and meta["INDEX"] == name and res.valid_fraction == pytest.approx(1 - exp[1].mean())
    v = exp[0][~exp[1]]
    assert v.max() - v.min() > 0.3                 # the scene gives each index a range: the comparison means something
    if name in ("NDRE", "MNDWI", "NDMI", "NBR"):
        assert "2 x 2 nearest-neighbour replication onto the 10 m grid" in meta["BANDS"]
    if name in ("EVI", "SAVI"):
        assert meta["INDEX_CONSTANTS"] == {"EVI": "G = 2.5, C1 = 6, C2 = 7.5, L = 1", "SAVI": "L = 0.5"}[name]


@pytest.mark.parametrize("title", list(KINDS))
def test_the_comparison_catches_swapped_bands_and_a_20m_shift(products, tmp_path, title):
    """The tests above would fail if the engine swapped two bands or replicated a 20 m band one pixel off."""
    z = products[title]
    for name in INDEX_NAMES:
        compute_index(z, str(tmp_path / f"{name}.tif"), index=name, masks=MaskPolicy.none())
        got = read(tmp_path / f"{name}.tif")[0]
        assert mismatch(got, expected(z, name, swap=True)) > 1e-3, name
        if any(b in TWENTY_M for b in BANDS_OF[name]):
            for shift in (1, -1):
                assert mismatch(got, expected(z, name, shift=shift)) > 1e-3, (name, shift)


@pytest.mark.parametrize("title", list(KINDS))
def test_masks_are_the_same_for_every_index(products, tmp_path, title):
    """Cloud masks hit the same pixels whatever the index: masked = the no-mask no data + NDVI's masked set."""
    z = products[title]
    compute_index(z, str(tmp_path / "ndvi_m.tif"), masks=MaskPolicy(saturated=False))
    compute_index(z, str(tmp_path / "ndvi.tif"), masks=MaskPolicy.none())
    ndvi_bad = read(tmp_path / "ndvi.tif")[0] == NODATA      # there NDVI cannot tell whether a mask hit
    masked = (read(tmp_path / "ndvi_m.tif")[0] == NODATA) & ~ndvi_bad
    assert masked.mean() > 0.05
    for name in ("NDMI", "EVI"):
        compute_index(z, str(tmp_path / "m.tif"), index=name, masks=MaskPolicy(saturated=False))
        got = read(tmp_path / "m.tif")[0]
        v, bad = expected(z, name)
        assert np.array_equal((got == NODATA)[~ndvi_bad], (bad | masked)[~ndvi_bad]), name
        assert np.all((got == NODATA)[bad])
        ok = got != NODATA
        assert not (bad | masked)[ok].any() and np.max(np.abs(got[ok] - v[ok])) <= 1e-6


@pytest.mark.parametrize("title", list(KINDS))
def test_int16_is_index_times_10000_within_half_a_unit(products, tmp_path, title):
    z = products[title]
    for name in ("NDVI", "MNDWI", "EVI"):
        compute_index(z, str(tmp_path / "f.tif"), index=name)
        compute_index(z, str(tmp_path / "q.tif"), index=name, encoding="int16")
        f = read(tmp_path / "f.tif")[0]
        q, nodata, scale, offset, meta = read(tmp_path / "q.tif")
        assert q.dtype == np.int16 and nodata == INT16_NODATA and scale == 1e-4 and offset == 0.0
        assert np.array_equal(q == INT16_NODATA, f == NODATA)
        ok = f != NODATA
        # |q x 1e-4 - f| <= 0.5e-4, in units of 1e-4 where float64 is exact (1e-4 itself is not)
        assert np.max(np.abs(q[ok] - f[ok].astype(np.float64) * 10000)) <= 0.5
        assert "int16" in meta["ENCODING"]
        # overviews are Int16 too (nearest neighbour: every other pixel of the full resolution)
        ds = gdal.Open(str(tmp_path / "q.tif"))
        assert ds.GetRasterBand(1).GetOverviewCount() == 0 or \
            np.array_equal(ds.GetRasterBand(1).GetOverview(0).ReadAsArray(), q[::2, ::2])


def test_int16_shows_true_values_through_gdal_unscaling(products, tmp_path):
    """What QGIS does with a band scale: GDAL's unscale gives the index itself."""
    compute_index(products[MAJA], str(tmp_path / "q.tif"), encoding="int16")
    compute_index(products[MAJA], str(tmp_path / "f.tif"))
    f = read(tmp_path / "f.tif")[0]
    gdal.Translate(str(tmp_path / "u.tif"), str(tmp_path / "q.tif"), unscale=True, outputType=gdal.GDT_Float32)
    u = read(tmp_path / "u.tif")[0]
    ok = f != NODATA
    assert np.max(np.abs(u[ok] - f[ok])) <= 0.5e-4 + 1e-7


@pytest.mark.parametrize("title", list(KINDS))
def test_index_window_equals_the_written_raster(products, tmp_path, title):
    z = products[title]
    for name in ("NDVI", "NBR"):
        compute_index(z, str(tmp_path / "w.tif"), index=name)
        full = read(tmp_path / "w.tif")[0]
        for window in ((0, 0, 120, 120), (13, 7, 31, 50), (1, 3, 2, 2)):   # odd corners: 20 m bands and masks
            values, info = index_window(z, name, window)
            x0, y0, w, h = window
            want = full[y0:y0 + h, x0:x0 + w]
            assert values.shape == (h, w) and np.array_equal(np.isnan(values), want == NODATA), (name, window)
            assert np.array_equal(values[~np.isnan(values)], want[want != NODATA])
            assert info["INDEX"] == name and info["GEOTRANSFORM"][0] == gdal.Open(str(tmp_path / "w.tif")) \
                .GetGeoTransform()[0] + 10 * x0
    with pytest.raises(ProductFormatError, match="not inside"):
        index_window(z, "NDVI", (100, 100, 50, 50))


# ---------------------------------------------------------------- MAJA saturation of the 20 m bands (SAT_R2)

# One bit per band of the resolution, bit 0 first, in the band order of the resolution (Theia/MAJA L2A format;
# the sources are cited in plugin/core/products.py): written out again here, not imported from the plugin.
SAT_R1_BIT = {"B2": 0, "B3": 1, "B4": 2, "B8": 3}
SAT_R2_BIT = {"B5": 0, "B6": 1, "B7": 2, "B8A": 3, "B11": 4, "B12": 5}
WITH_20M = [n for n in INDEX_NAMES if set(BANDS_OF[n]) & set(TWENTY_M)]
ONLY_SATURATION = MaskPolicy(clouds=False, cloud_shadows=False, snow=False, water=False, edges=False, saturated=True)


@pytest.fixture(scope="module")
def saturated(tmp_path_factory):
    """A MAJA product with a few 20 m pixels saturated in some 20 m bands only (SAT_R2), and the same product
    without its SAT_R2 member (the older layouts)."""
    d = tmp_path_factory.mktemp("saturated")
    z = str(d / f"{MAJA}.zip")
    build_archive(ProductKind.MAJA_L2A, MAJA, z, seed=4, saturated_20m=True)
    old = str(d / "no_sat_r2" / f"{MAJA}.zip")
    (d / "no_sat_r2").mkdir()
    with zipfile.ZipFile(z) as src, zipfile.ZipFile(old, "w") as dst:
        for info in src.infolist():
            if not info.filename.endswith("_SAT_R2.tif"):
                dst.writestr(info, src.read(info.filename))
    return z, old


def saturation_flags(z, name, order=SAT_R2_BIT):
    """(10 m bands' SAT_R1 flags on the 10 m grid, 20 m bands' SAT_R2 flags on the 20 m grid) of the bands of
    `name`, read here from the mask members with the bit order `order` for SAT_R2."""
    sat1, sat2 = raw(z, "_SAT_R1.tif$"), raw(z, "_SAT_R2.tif$")
    r1 = np.zeros(sat1.shape, bool)
    r2 = np.zeros(sat2.shape, bool)
    for b in BANDS_OF[name]:
        if b in TWENTY_M:
            r2 |= (sat2 >> order[b]) & 1 == 1
        else:
            r1 |= (sat1 >> SAT_R1_BIT[b]) & 1 == 1
    return r1, r2


def masked_of(path):
    from plugin.core.ndvi import masked_pixels_path
    return read(masked_pixels_path(path))[0]


@pytest.mark.parametrize("name", WITH_20M)
def test_sat_r2_masks_the_index_own_20m_bands_on_the_10m_grid(saturated, tmp_path, name):
    """A 20 m pixel saturated in a 20 m band of the index masks the 2 x 2 10 m pixels under it (and is recorded
    in <stem>_masked.tif); one saturated in another 20 m band only (B6 for NBR) leaves them valid."""
    z, _ = saturated
    out = str(tmp_path / f"{name}.tif")
    res = compute_index(z, out, index=name, masks=ONLY_SATURATION)
    got, meta = read(out)[0], read(out)[4]
    r1, r2 = saturation_flags(z, name)
    masked = r1 | up2(r2)
    v, bad = expected(z, name)
    assert mismatch(got, (v, bad | masked)) <= 1e-6
    assert np.array_equal(masked_of(out) == 1, masked)                  # masked, not merely no data
    own = [b for b in BANDS_OF[name] if b in TWENTY_M]
    label = f"saturated {'/'.join(own)} (SAT_R2)"
    assert label in res.masks_applied and label in meta["MASKS_APPLIED"] and "saturated" not in res.masks_unavailable
    # the comparison means something: otherwise valid pixels saturated in the index's 20 m band are masked, and
    # otherwise valid pixels saturated in other 20 m bands only are valid
    sat2 = raw(z, "_SAT_R2.tif$")
    others = up2((sat2 != 0) & ~r2) & ~bad & ~r1
    mine = up2(r2) & ~bad
    assert mine.sum() >= 20 and (got[mine] == NODATA).all()
    assert others.sum() >= 40 and (got[others] != NODATA).all()
    # ... and it would catch a wrong bit order (reversed, or shifted by one) or SAT_R2 ignored
    for wrong in ({b: 5 - i for b, i in SAT_R2_BIT.items()}, {b: (i + 1) % 6 for b, i in SAT_R2_BIT.items()}):
        assert not np.array_equal(masked_of(out) == 1, r1 | up2(saturation_flags(z, name, wrong)[1]))
    assert not np.array_equal(masked_of(out) == 1, r1)


@pytest.mark.parametrize("name", WITH_20M)
def test_sat_r2_masks_the_index_own_20m_bands_on_the_20m_grid(saturated, tmp_path, name):
    """20 m output: SAT_R2 applies pixel for pixel; the 10 m bands' SAT_R1 where any of the four is flagged."""
    z, _ = saturated
    out = str(tmp_path / f"{name}_20m.tif")
    compute_index(z, out, index=name, masks=ONLY_SATURATION, resolution=20)
    got = read(out)[0]
    r1, r2 = saturation_flags(z, name)
    masked = any_2x2(r1) | r2
    v, bad = expected_20m(z, name)
    assert got.shape == r2.shape and mismatch(got, (v, bad | masked)) <= 1e-6
    assert np.array_equal(masked_of(out) == 1, masked)
    sat2 = raw(z, "_SAT_R2.tif$")
    others = (sat2 != 0) & ~r2 & ~bad & ~any_2x2(r1)
    assert (r2 & ~bad).sum() >= 5 and (got[r2] == NODATA).all()
    assert others.sum() >= 10 and (got[others] != NODATA).all()


def test_sat_r2_in_memory_windows_equal_the_rasters(saturated, tmp_path):
    """index_window (the time-series tools' path) applies SAT_R2 as the rasters do, odd corners included."""
    z, _ = saturated
    for name, resolution in (("NBR", 10), ("NDRE", 10), ("MNDWI", 20)):
        out = str(tmp_path / f"{name}.tif")
        compute_index(z, out, index=name, masks=ONLY_SATURATION, resolution=resolution)
        full = read(out)[0]
        for window in ((0, 0) + full.shape[::-1], (13, 7, 31, 40), (1, 3, 2, 2)):
            values, _ = index_window(z, name, window, masks=ONLY_SATURATION, resolution=resolution)
            x0, y0, w, h = window
            want = full[y0:y0 + h, x0:x0 + w]
            assert np.array_equal(np.isnan(values), want == NODATA), (name, window)
            assert np.array_equal(values[~np.isnan(values)], want[want != NODATA])


def test_without_sat_r2_the_20m_bands_saturation_is_reported_unavailable(saturated, tmp_path):
    """Older layouts without SAT_R2: NDRE (20 m bands only) says saturation is unavailable, NDMI checks B8 only."""
    z, old = saturated
    res = compute_index(old, str(tmp_path / "r.tif"), index="NDRE")
    assert "saturated" in res.masks_unavailable and not any("SAT" in m for m in res.masks_applied)
    res = compute_index(old, str(tmp_path / "m.tif"), index="NDMI", masks=ONLY_SATURATION)
    assert res.masks_applied == ("saturated B8 (SAT)",) and "saturated" not in res.masks_unavailable
    r1, _ = saturation_flags(z, "NDMI")
    v, bad = expected(z, "NDMI")
    assert mismatch(read(tmp_path / "m.tif")[0], (v, bad | r1)) <= 1e-6
    # with SAT_R2, NDRE's saturation is applied
    res = compute_index(z, str(tmp_path / "s.tif"), index="NDRE")
    assert "saturated B8A/B5 (SAT_R2)" in res.masks_applied and "saturated" not in res.masks_unavailable


def test_missing_band_names_the_product_and_band(products, tmp_path):
    z = products[L2A]
    slim = tmp_path / "slim.zip"
    with zipfile.ZipFile(z) as src, zipfile.ZipFile(slim, "w") as dst:
        for info in src.infolist():
            if "_B11_20m" not in info.filename:
                dst.writestr(info, src.read(info.filename))
    with pytest.raises(ProductFormatError, match=f"{L2A} has no band B11"):
        compute_index(str(slim), str(tmp_path / "o.tif"), index="NDMI")
    compute_index(str(slim), str(tmp_path / "o.tif"), index="NDVI")        # the other indices still work


def test_plain_layout_is_uncompressed_without_overviews(products, tmp_path):
    compute_index(products[MAJA], str(tmp_path / "p.tif"), layout=PLAIN)
    compute_index(products[MAJA], str(tmp_path / "c.tif"))
    info = gdal.Info(str(tmp_path / "p.tif"), format="json")
    assert "COMPRESSION" not in info["metadata"].get("IMAGE_STRUCTURE", {})
    assert gdal.Open(str(tmp_path / "p.tif")).GetRasterBand(1).GetOverviewCount() == 0
    assert np.array_equal(read(tmp_path / "p.tif")[0], read(tmp_path / "c.tif")[0])


# ---------------------------------------------------------------- inputs the engine must not trust

def _raster(path, arr, gt=(300000.0, 10.0, 0.0, 4900020.0, 0.0, -10.0), epsg=32631, gdal_type=gdal.GDT_Int16):
    ds = gdal.GetDriverByName("GTiff").Create(str(path), arr.shape[1], arr.shape[0], 1, gdal_type)
    ds.SetGeoTransform(gt)
    srs = osr.SpatialReference()
    srs.ImportFromEPSG(epsg)
    ds.SetProjection(srs.ExportToWkt())
    ds.GetRasterBand(1).WriteArray(arr)
    ds = None
    return str(path)


@pytest.mark.parametrize("what,kwargs,message", [
    ("crs", dict(epsg=32630), "its coordinate reference system differs"),
    ("corner", dict(gt=(300010.0, 10.0, 0.0, 4900020.0, 0.0, -10.0)), "its corner is \\(300000, 4.90002e\\+06\\), "
                                                                      "not \\(300010"),
    ("pixel", dict(gt=(300000.0, 20.0, 0.0, 4900020.0, 0.0, -20.0)), "its pixels are 10 x 10, not 1 x 20"),
])
def test_bands_not_on_one_grid_are_refused_with_the_product_named(tmp_path, what, kwargs, message):
    red = np.full((40, 30), 1200, np.int16)
    nir = np.full((40, 30), 3000, np.int16)
    r = _raster(tmp_path / "r.tif", red)
    n = _raster(tmp_path / "n.tif", nir, **kwargs)
    expected_message = f"^field_42: band B4 \\(r.tif\\) is not on the grid of n.tif: {message}"
    with pytest.raises(ProductFormatError, match=expected_message):
        compute_ndvi_bands(r, n, str(tmp_path / "o.tif"), name="field_42")
    assert not (tmp_path / "o.tif").exists() and not (tmp_path / "o.tif.part").exists()


def test_bands_of_different_sizes_are_refused(tmp_path):
    r = _raster(tmp_path / "r.tif", np.full((40, 30), 1200, np.int16))
    n = _raster(tmp_path / "n.tif", np.full((40, 31), 3000, np.int16))
    with pytest.raises(ProductFormatError, match="^field_42: band B4 .* it is 30 x 40 pixels, not 31 x 40"):
        compute_ndvi_bands(r, n, str(tmp_path / "o.tif"), name="field_42")


def test_a_20m_band_shifted_by_a_pixel_is_refused(products, tmp_path):
    """A product whose B11 is georeferenced one 20 m pixel off the 10 m bands is refused, not computed."""
    z = products[MAJA]
    bad = tmp_path / "shifted.zip"
    with zipfile.ZipFile(z) as src, zipfile.ZipFile(bad, "w") as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename.endswith("_FRE_B11.tif"):
                mem = "/vsimem/b11.tif"
                gdal.FileFromMemBuffer(mem, data)
                ds = gdal.Open(mem, gdal.GA_Update)
                gt = list(ds.GetGeoTransform())
                gt[0] += 20.0
                ds.SetGeoTransform(gt)
                ds = None
                f = gdal.VSIFOpenL(mem, "rb")
                gdal.VSIFSeekL(f, 0, 2)
                size = gdal.VSIFTellL(f)
                gdal.VSIFSeekL(f, 0, 0)
                data = bytes(gdal.VSIFReadL(1, size, f))
                gdal.VSIFCloseL(f)
                gdal.Unlink(mem)
            dst.writestr(info, data)
    with pytest.raises(ProductFormatError, match=f"^{MAJA}: band B11 .* is not on the grid"):
        compute_index(str(bad), str(tmp_path / "o.tif"), index="NDMI")


def test_a_nan_in_a_slice_does_not_disable_the_clip(tmp_path):
    """Float bands: a NaN in the same rows as a negative reflectance used to make min() NaN, skip the clip and
    let -2.33 through; the NaN pixel is no data, its neighbour is clipped to -1."""
    red = np.full((20, 20), 0.12, np.float32)
    nir = np.full((20, 20), 0.40, np.float32)
    nir[5, 2] = np.nan                            # the NaN and the negative value in the same band and rows
    red[5, 9], nir[5, 9] = 0.10, -0.04            # (-0.04 - 0.10) / 0.06 = -2.33
    red[12, 3], nir[12, 3] = -0.05, 0.30          # 0.35 / 0.25 = 1.4
    red[12, 17] = np.nan
    r = _raster(tmp_path / "r.tif", red, gdal_type=gdal.GDT_Float32)
    n = _raster(tmp_path / "n.tif", nir, gdal_type=gdal.GDT_Float32)
    compute_ndvi_bands(r, n, str(tmp_path / "o.tif"), scale=1.0, nodata=None)
    got = read(tmp_path / "o.tif")[0]
    assert got[5, 2] == NODATA and got[12, 17] == NODATA
    assert got[5, 9] == -1.0 and got[12, 3] == 1.0
    valid = got[got != NODATA]
    assert valid.min() >= -1 and valid.max() <= 1


def absurd_band(path, width, height=600):
    """A sparse GeoTIFF (no strip written: a few kB on disk) of an absurd width."""
    ds = gdal.GetDriverByName("GTiff").Create(str(path), width, height, 1, gdal.GDT_Int16, ["SPARSE_OK=TRUE"])
    ds.SetGeoTransform((300000.0, 10.0, 0.0, 4900020.0, 0.0, -10.0))
    ds = None
    return str(path)


def test_an_absurd_width_is_refused_with_the_product_named_before_any_buffer(tmp_path):
    # 10^8 px wide: one 512-row block of it would be 100 GB (the old engine raised a bare MemoryError)
    r = absurd_band(tmp_path / "r.tif", 100_000_000)
    n = absurd_band(tmp_path / "n.tif", 100_000_000)
    with pytest.raises(ProductFormatError, match=f"^wide_one: the bands are 100000000 x 600 pixels, far beyond a "
                                                 f"Sentinel-2 tile .*at most {MAX_SIDE}"):
        compute_ndvi_bands(r, n, str(tmp_path / "o.tif"), name="wide_one")
    assert not list(tmp_path.glob("o.tif*"))


# ---------------------------------------------------------------- 20 m output

def mean_2x2(a):
    return (a[0::2, 0::2] + a[1::2, 0::2] + a[0::2, 1::2] + a[1::2, 1::2]) / 4.0


def any_2x2(a):
    return a[0::2, 0::2] | a[1::2, 0::2] | a[0::2, 1::2] | a[1::2, 1::2]


def expected_20m(z, name):
    refl, bads = {}, []
    for n in BANDS_OF[name]:
        r, bad = band_of(z, n)                 # on the 10 m grid (20 m bands replicated)
        if n in TWENTY_M:
            refl[n], bad = r[0::2, 0::2], bad[0::2, 0::2]      # native 20 m values back
        else:
            refl[n], bad = mean_2x2(r), any_2x2(bad)
        bads.append(bad)
    v, zero = formula(name, refl)
    return v, zero | np.logical_or.reduce(bads)


def mask_20m(z):
    """The default masks (without saturation) on the 20 m grid, read here from the mask rasters."""
    if "MSIL2A" in z:
        return np.isin(raw(z, r"_SCL_20m\.jp2$"), [0, 3, 8, 9, 10])
    if "MSIL1C" in z:
        hit = (raw(z, r"MSK_CLASSI_B00\.jp2$", 1) != 0) | (raw(z, r"MSK_CLASSI_B00\.jp2$", 2) != 0)
        return np.repeat(np.repeat(hit, 3, 0), 3, 1)
    clm, mg2 = raw(z, "_CLM_R1.tif$"), raw(z, "_MG2_R1.tif$")
    bad = ((clm & 0b11111110) != 0) | ((mg2 & 8) != 0) | (raw(z, "_EDG_R1.tif$") != 0)
    return any_2x2(bad)


@pytest.mark.parametrize("title", list(KINDS))
def test_20m_output_averages_10m_bands_and_keeps_20m_bands(products, tmp_path, title):
    z = products[title]
    for name in INDEX_NAMES:
        compute_index(z, str(tmp_path / "t.tif"), index=name, masks=MaskPolicy.none(), resolution=20)
        ds = gdal.Open(str(tmp_path / "t.tif"))
        got = ds.GetRasterBand(1).ReadAsArray()
        assert got.shape == (60, 60) and ds.GetGeoTransform()[1] == 20.0 and ds.GetMetadataItem("RESOLUTION") == "20 m"
        assert mismatch(got, expected_20m(z, name)) <= 1e-6, name
    assert "mean of each 2 x 2 block onto the 20 m grid" in ds.GetMetadataItem("BANDS")
    # masks on the 20 m grid: a 20 m pixel is masked where any of its 10 m pixels is
    compute_index(z, str(tmp_path / "m.tif"), index="NDMI", masks=MaskPolicy(saturated=False), resolution=20)
    got = read(tmp_path / "m.tif")[0]
    v, bad = expected_20m(z, "NDMI")
    bad |= mask_20m(z)
    assert mismatch(got, (v, bad)) <= 1e-6
    values, _ = index_window(z, "NDMI", (5, 7, 30, 20), masks=MaskPolicy(saturated=False), resolution=20)
    want = got[7:27, 5:35]
    assert np.array_equal(np.isnan(values), want == NODATA) and np.array_equal(values[~np.isnan(values)],
                                                                               want[want != NODATA])


@pytest.mark.parametrize("title", [MAJA, L2A])
def test_index_of_arrays_is_the_engine_arithmetic_on_reflectance(products, tmp_path, title):
    """For tools holding reflectance already (composites, parcel pixels): same values as the rasters."""
    from plugin.core.ndvi import index_of_arrays
    z = products[title]
    for name in ("NDVI", "NBR", "EVI", "SAVI"):
        refl = {}
        for b in BANDS_OF[name]:
            r, bad = band_of(z, b)
            refl[b] = np.where(bad, np.nan, r)
        got = index_of_arrays(name, refl)
        compute_index(z, str(tmp_path / "a.tif"), index=name, masks=MaskPolicy.none())
        want = read(tmp_path / "a.tif")[0]
        assert np.array_equal(np.isnan(got), want == NODATA), name
        assert np.max(np.abs(got[~np.isnan(got)] - want[want != NODATA])) <= 1e-6, name
    with pytest.raises(Exception, match="needs the bands B8, B12: B12 missing"):
        index_of_arrays("NBR", {"B8": np.zeros((2, 2))})
