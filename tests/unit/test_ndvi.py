"""NDVI engine against an independent numpy computation on simulator-built products of all three kinds.

The expected values are computed here from the raw bands read with GDAL, with scale/offset parsed from the
metadata by this test and the masks applied by this test, in float64.
"""
import re
import zipfile

import numpy as np
import pytest
from osgeo import gdal

from plugin.core.errors import Cancelled, ProductFormatError
from plugin.core.models import ProductKind
from plugin.core.ndvi import NODATA, MaskPolicy, codec_options, compute_ndvi, compute_ndvi_bands
from plugin.core.progress import CallbackProgress
from tests.simulator.archives import build_archive

gdal.UseExceptions()

MAJA = "SENTINEL2B_20230715-105856-123_L2A_T31TCJ_C_V3-1"
L2A = "S2A_MSIL2A_20230801T103631_N0509_R008_T31TCJ_20230801T142500"
L1C = "S2B_MSIL1C_20230806T103629_N0509_R008_T31TCJ_20230806T124200"
L1C_OLD = "S2A_MSIL1C_20200815T103031_N0209_R108_T31TCJ_20200815T130000"
KINDS = {MAJA: ProductKind.MAJA_L2A, L2A: ProductKind.SAFE_L2A, L1C: ProductKind.SAFE_L1C,
         L1C_OLD: ProductKind.SAFE_L1C}


@pytest.fixture(scope="module")
def products(tmp_path_factory):
    d = tmp_path_factory.mktemp("products")
    out = {}
    for title, kind in KINDS.items():
        path = d / f"{title}.zip"
        build_archive(kind, title, str(path), seed=3)
        out[title] = str(path)
    return out


def member(zip_path, pattern):
    names = [n for n in zipfile.ZipFile(zip_path).namelist() if re.search(pattern, n)]
    assert len(names) == 1, (pattern, names)
    return names[0]


def raw(zip_path, pattern, band=1):
    ds = gdal.Open(f"/vsizip/{zip_path}/{member(zip_path, pattern)}")
    return ds.GetRasterBand(band).ReadAsArray()


def xml(zip_path, pattern):
    return zipfile.ZipFile(zip_path).read(member(zip_path, pattern)).decode()


def safe_offset(zip_path, tag):
    """ADD_OFFSET for B04 (band_id 3) and B08 (band_id 7) from the product metadata, 0 when absent."""
    text = xml(zip_path, r"MTD_MSIL..\.xml$")
    get = lambda i: float((re.search(rf'<{tag} band_id="{i}">(-?\d+)</{tag}>', text) or [0, 0])[1])
    return get(3), get(7)


def ndvi_of(red, nir):
    red, nir = red.astype(np.float64), nir.astype(np.float64)
    s = red + nir
    with np.errstate(divide="ignore", invalid="ignore"):
        v = np.clip((nir - red) / s, -1, 1)
    return v, s == 0


def up(mask, factor):
    return np.repeat(np.repeat(mask, factor, 0), factor, 1)


def expected_maja(z, flags=("clouds", "shadows", "edges", "saturated"), kind="FRE"):
    red, nir = raw(z, f"_{kind}_B4.tif$"), raw(z, f"_{kind}_B8.tif$")
    v, zero = ndvi_of(red / 10000.0, nir / 10000.0)
    bad = (red == -10000) | (nir == -10000) | zero
    clm, mg2 = raw(z, "_CLM_R1.tif$"), raw(z, "_MG2_R1.tif$")
    if "clouds" in flags:
        bad |= (clm & 0b10011110) != 0
    if "shadows" in flags:
        bad |= ((clm & 0b01100000) != 0) | ((mg2 & 8) != 0)
    if "water" in flags:
        bad |= (mg2 & 1) != 0
    if "snow" in flags:
        bad |= (mg2 & 4) != 0
    if "edges" in flags:
        bad |= raw(z, "_EDG_R1.tif$") != 0
    if "saturated" in flags:
        bad |= (raw(z, "_SAT_R1.tif$") & 0b1100) != 0
    return v, bad


def expected_safe(z, *, scl_classes=None, classi_bands=(), with_offset=True):
    l2a = "MSIL2A" in z
    red = raw(z, r"_B04(_10m)?\.jp2$").astype(np.int64)
    nir = raw(z, r"_B08(_10m)?\.jp2$").astype(np.int64)
    ro, no = safe_offset(z, "BOA_ADD_OFFSET" if l2a else "RADIO_ADD_OFFSET") if with_offset else (0, 0)
    v, zero = ndvi_of((red + ro) / 10000.0, (nir + no) / 10000.0)
    bad = (red == 0) | (nir == 0) | (red == 65535) | (nir == 65535) | zero
    if scl_classes:
        bad |= up(np.isin(raw(z, r"_SCL_20m\.jp2$"), list(scl_classes)), 2)
    for b in classi_bands:
        bad |= up(raw(z, r"MSK_CLASSI_B00\.jp2$", b) != 0, 6)
    return v, bad


def read_out(path):
    ds = gdal.Open(str(path))          # keep the dataset alive while its band is read (GDAL < 3.8 bindings)
    return ds.GetRasterBand(1).ReadAsArray()


def assert_matches(out_path, expected):
    v, bad = expected
    got = read_out(out_path)
    assert np.array_equal(got == NODATA, bad), f"{np.sum((got == NODATA) != bad)} pixels differ in the no-data set"
    assert np.max(np.abs(got[~bad] - v[~bad])) <= 1e-6
    assert got[~bad].min() >= -1 and got[~bad].max() <= 1


# ---------------------------------------------------------------- correctness per kind

def test_maja_default_policy_matches_numpy(products, tmp_path):
    z = products[MAJA]
    res = compute_ndvi(z, str(tmp_path / "n.tif"))
    exp = expected_maja(z)
    assert_matches(tmp_path / "n.tif", exp)
    assert res.valid_fraction == pytest.approx(1 - exp[1].mean())
    assert 0.2 < res.valid_fraction < 0.9 and not res.is_toa and res.reflectance == "FRE"
    v = exp[0][~exp[1]]
    assert v.min() < 0 < 0.6 < v.max()      # water and vegetation: NDVI has a range


def test_maja_sre_reads_the_sre_bands(products, tmp_path):
    z = products[MAJA]
    compute_ndvi(z, str(tmp_path / "s.tif"), reflectance="SRE")
    assert_matches(tmp_path / "s.tif", expected_maja(z, kind="SRE"))
    fre = expected_maja(z, kind="FRE")
    assert np.abs(read_out(tmp_path / "s.tif")[~fre[1]] - fre[0][~fre[1]]).max() > 1e-3


def test_safe_l2a_applies_boa_offset_and_scl(products, tmp_path):
    z = products[L2A]
    res = compute_ndvi(z, str(tmp_path / "n.tif"))
    assert_matches(tmp_path / "n.tif", expected_safe(z, scl_classes={0, 1, 3, 8, 9, 10}))
    assert res.reflectance == "BOA" and not res.is_toa
    out, src = gdal.Open(str(tmp_path / "n.tif")), gdal.Open(f"/vsizip/{z}/{member(z, '_B04_10m.jp2$')}")
    assert out.GetGeoTransform() == src.GetGeoTransform() and out.GetSpatialRef().IsSame(src.GetSpatialRef())


def test_safe_l2a_offset_matters(products, tmp_path):
    """The comparison above would fail if BOA_ADD_OFFSET (-1000) were ignored."""
    z = products[L2A]
    compute_ndvi(z, str(tmp_path / "n.tif"))
    v0, bad = expected_safe(z, scl_classes={0, 1, 3, 8, 9, 10}, with_offset=False)
    got = read_out(tmp_path / "n.tif")
    ok = ~bad & (got != NODATA)
    assert np.median(np.abs(got[ok] - v0[ok])) > 0.01


def test_l1c_applies_radio_offset_masks_classi_and_is_toa(products, tmp_path):
    z = products[L1C]
    res = compute_ndvi(z, str(tmp_path / "n.tif"))
    assert_matches(tmp_path / "n.tif", expected_safe(z, classi_bands=(1, 2)))
    assert res.is_toa and res.top_of_atmosphere and res.reflectance == "TOA"
    ds = gdal.Open(str(tmp_path / "n.tif"))
    assert ds.GetMetadataItem("NDVI_KIND") == "top-of-atmosphere"
    v0, bad = expected_safe(z, classi_bands=(1, 2), with_offset=False)
    got = read_out(tmp_path / "n.tif")
    assert np.median(np.abs(got[~bad] - v0[~bad])) > 0.01     # would fail if RADIO_ADD_OFFSET were ignored


def test_l1c_before_baseline_4_has_no_offset_and_no_cloud_mask(products, tmp_path):
    z = products[L1C_OLD]
    msgs = []
    res = compute_ndvi(z, str(tmp_path / "n.tif"), progress=CallbackProgress(on_message=msgs.append))
    assert_matches(tmp_path / "n.tif", expected_safe(z))
    assert "clouds" in res.masks_unavailable
    assert any("top of atmosphere" in m for m in msgs) and any("no mask for" in m for m in msgs)


# ---------------------------------------------------------------- each mask would fail if ignored

def _flagged_and_otherwise_valid(z, tmp_path, policy, expected):
    """Pixels masked by `policy` but valid with no masks at all: must exist and be no data."""
    compute_ndvi(z, str(tmp_path / "with.tif"), masks=policy)
    compute_ndvi(z, str(tmp_path / "none.tif"), masks=MaskPolicy.none())
    assert_matches(tmp_path / "with.tif", expected)
    with_, none = read_out(tmp_path / "with.tif"), read_out(tmp_path / "none.tif")
    only = (with_ == NODATA) & (none != NODATA)
    assert only.sum() > 0
    return only


ONLY = dict(clouds=False, cloud_shadows=False, snow=False, water=False, edges=False, saturated=False)


@pytest.mark.parametrize("flag,exp_flag", [("clouds", "clouds"), ("cloud_shadows", "shadows"), ("snow", "snow"),
                                           ("water", "water"), ("edges", "edges"), ("saturated", "saturated")])
def test_maja_each_mask(products, tmp_path, flag, exp_flag):
    z = products[MAJA]
    policy = MaskPolicy(**dict(ONLY, **{flag: True}))
    _flagged_and_otherwise_valid(z, tmp_path, policy, expected_maja(z, flags=(exp_flag,)))


@pytest.mark.parametrize("flag,classes", [("clouds", {8, 9, 10}), ("cloud_shadows", {3}), ("snow", {11}),
                                          ("water", {6}), ("saturated", {1})])
def test_scl_each_class_group(products, tmp_path, flag, classes):
    z = products[L2A]
    policy = MaskPolicy(**dict(ONLY, **{flag: True}))
    _flagged_and_otherwise_valid(z, tmp_path, policy, expected_safe(z, scl_classes=classes) if flag != "saturated"
                                 else expected_safe(z, scl_classes=classes))


def test_scl_explicit_classes(products, tmp_path):
    z = products[L2A]
    policy = MaskPolicy(**dict(ONLY, scl_classes=frozenset({4})))      # mask vegetation, of all things
    only = _flagged_and_otherwise_valid(z, tmp_path, policy, expected_safe(z, scl_classes={4}))
    assert np.median(read_out(tmp_path / "none.tif")[only]) > 0.4


@pytest.mark.parametrize("flag,bands", [("clouds", (1, 2)), ("snow", (3,))])
def test_l1c_classi_masks(products, tmp_path, flag, bands):
    z = products[L1C]
    policy = MaskPolicy(**dict(ONLY, **{flag: True}))
    _flagged_and_otherwise_valid(z, tmp_path, policy, expected_safe(z, classi_bands=bands))


def test_zero_sum_and_band_nodata_are_nodata_without_masks(products, tmp_path):
    z = products[MAJA]
    compute_ndvi(z, str(tmp_path / "n.tif"), masks=MaskPolicy.none())
    red = raw(z, "_FRE_B4.tif$")
    nir = raw(z, "_FRE_B8.tif$")
    got = read_out(tmp_path / "n.tif")
    zero = (red == 0) & (nir == 0)
    assert zero.sum() > 0 and (got[zero] == NODATA).all()
    assert ((red == -10000).sum() > 0) and (got[red == -10000] == NODATA).all()
    assert_matches(tmp_path / "n.tif", expected_maja(z, flags=()))


# ---------------------------------------------------------------- output file

@pytest.fixture(scope="module")
def big_maja(tmp_path_factory):
    path = tmp_path_factory.mktemp("big") / f"{MAJA}.zip"
    build_archive(ProductKind.MAJA_L2A, MAJA, str(path), size=1100, seed=1)
    return str(path)


def test_output_is_tiled_compressed_with_overviews_and_metadata(big_maja, tmp_path):
    out = tmp_path / "n.tif"
    res = compute_ndvi(big_maja, str(out))
    assert_matches(out, expected_maja(big_maja))
    ds = gdal.Open(str(out))
    b = ds.GetRasterBand(1)
    assert b.DataType == gdal.GDT_Float32 and b.GetNoDataValue() == NODATA
    assert b.GetBlockSize() == [512, 512]
    assert ds.GetMetadataItem("COMPRESSION", "IMAGE_STRUCTURE") == "ZSTD"
    assert b.GetOverviewCount() == 2
    src = gdal.Open(f"/vsizip/{big_maja}/{member(big_maja, '_FRE_B4.tif$')}")
    assert ds.GetGeoTransform() == src.GetGeoTransform()
    assert ds.GetSpatialRef().IsSame(src.GetSpatialRef())
    # overviews: nearest-neighbour decimation of the full resolution (x2, x4)
    full = b.ReadAsArray()
    for i, f in enumerate((2, 4)):
        assert np.array_equal(b.GetOverview(i).ReadAsArray(), full[::f, ::f])
    md = ds.GetMetadata()
    assert md["PRODUCT_ID"] == MAJA and md["ACQUISITION_DATE"].startswith("2023-07-15T10:58:56.123")
    assert md["REFLECTANCE"] == "FRE" and md["NDVI_KIND"] == "surface"
    assert "clouds" in md["MASK_POLICY"] and md["VALUE_RANGE"] == "-1 1"
    assert res.acquired.isoformat().startswith("2023-07-15T10:58:56.123")


def test_cancel_leaves_nothing(big_maja, tmp_path):
    out = tmp_path / "n.tif"
    calls = []
    progress = CallbackProgress(on_set=calls.append, is_cancelled=lambda: len(calls) >= 1)
    with pytest.raises(Cancelled):
        compute_ndvi(big_maja, str(out), progress=progress)
    assert calls and calls[0] < 100
    assert list(tmp_path.iterdir()) == []


def test_progress_reaches_100(products, tmp_path):
    seen = []
    compute_ndvi(products[MAJA], str(tmp_path / "n.tif"), progress=CallbackProgress(on_set=seen.append))
    assert seen[-1] == 100 and seen == sorted(seen)


def test_from_extracted_folder_and_from_bands_equal_zip(products, tmp_path):
    z = products[MAJA]
    with zipfile.ZipFile(z) as zf:
        zf.extractall(tmp_path / "x")
    compute_ndvi(z, str(tmp_path / "zip.tif"))
    compute_ndvi(str(tmp_path / "x" / MAJA), str(tmp_path / "dir.tif"))
    assert np.array_equal(read_out(tmp_path / "zip.tif"), read_out(tmp_path / "dir.tif"))
    compute_ndvi_bands(str(tmp_path / "x" / MAJA / f"{MAJA}_FRE_B4.tif"),
                       str(tmp_path / "x" / MAJA / f"{MAJA}_FRE_B8.tif"), str(tmp_path / "b.tif"))
    assert_matches(tmp_path / "b.tif", expected_maja(z, flags=()))


# ---------------------------------------------------------------- errors name the product and what is missing

def test_truncated_zip(products, tmp_path):
    data = open(products[MAJA], "rb").read()
    bad = tmp_path / f"{MAJA}.zip"
    bad.write_bytes(data[: len(data) // 2])
    with pytest.raises(ProductFormatError, match=rf"{MAJA}\.zip is truncated"):
        compute_ndvi(str(bad), str(tmp_path / "n.tif"))
    assert not (tmp_path / "n.tif").exists()


def test_missing_band(products, tmp_path):
    bad = tmp_path / f"{L2A}.zip"
    with zipfile.ZipFile(products[L2A]) as src, zipfile.ZipFile(bad, "w") as dst:
        for info in src.infolist():
            if "_B08_10m" not in info.filename:
                dst.writestr(info, src.read(info))
    with pytest.raises(ProductFormatError, match=rf"{L2A}\.zip is incomplete: band B08 is missing"):
        compute_ndvi(str(bad), str(tmp_path / "n.tif"))


def test_corrupt_band_names_the_product(products, tmp_path):
    data = bytearray(open(products[MAJA], "rb").read())
    info = zipfile.ZipFile(products[MAJA]).getinfo(member(products[MAJA], "_FRE_B8.tif$"))
    start = info.header_offset + 30 + len(info.filename) + len(info.extra)
    data[start + 200: start + 2200] = bytes(2000)
    bad = tmp_path / "renamed.zip"
    bad.write_bytes(bytes(data))
    with pytest.raises(ProductFormatError, match=MAJA):
        compute_ndvi(str(bad), str(tmp_path / "n.tif"))
    assert not (tmp_path / "n.tif").exists() and not (tmp_path / "n.tif.part").exists()


def test_unknown_product_and_radar(tmp_path):
    odd = tmp_path / "holiday_photos.zip"
    with zipfile.ZipFile(odd, "w") as zf:
        zf.writestr("beach.jpg", b"not a satellite")
    with pytest.raises(ProductFormatError, match="holiday_photos.zip is not a product"):
        compute_ndvi(str(odd), str(tmp_path / "n.tif"))
    s1 = "S1A_IW_GRDH_1SDV_20230801T055912_20230801T055937_049678_05F958_1A2B"
    build_archive(ProductKind.S1, s1, str(tmp_path / "s1.zip"))
    with pytest.raises(ProductFormatError, match=f"{s1} is a s1 product: it has no red"):
        compute_ndvi(str(tmp_path / "s1.zip"), str(tmp_path / "n.tif"))


def test_archive_without_a_mask_reports_it_and_still_computes(products, tmp_path):
    pruned = tmp_path / "pruned.zip"
    with zipfile.ZipFile(products[MAJA]) as src, zipfile.ZipFile(pruned, "w") as dst:
        for info in src.infolist():
            if not info.filename.endswith("_CLM_R1.tif"):
                dst.writestr(info, src.read(info))
    msgs = []
    res = compute_ndvi(str(pruned), str(tmp_path / "n.tif"), progress=CallbackProgress(on_message=msgs.append))
    assert res.masks_unavailable == ("clouds",) and any("no mask for clouds" in m for m in msgs)
    v, bad = expected_maja(products[MAJA], flags=("edges", "saturated"))
    bad |= (raw(products[MAJA], "_MG2_R1.tif$") & 8) != 0          # shadows from MG2 still apply
    assert_matches(tmp_path / "n.tif", (v, bad))


def test_products_are_never_modified_even_with_gdal_pam_on(products, tmp_path):
    """QGIS users run with GDAL's PAM enabled: nothing may append .aux.xml files into the archive."""
    from plugin.core.products import natural_colour_vrt
    before = {t: open(z, "rb").read() for t, z in products.items()}
    gdal.SetConfigOption("GDAL_PAM_ENABLED", "YES")
    try:
        for title, z in products.items():
            compute_ndvi(z, str(tmp_path / f"{title}.tif"))
            natural_colour_vrt(z, str(tmp_path / f"{title}.vrt"))
    finally:
        gdal.SetConfigOption("GDAL_PAM_ENABLED", None)
    assert all(open(z, "rb").read() == before[t] for t, z in products.items())


def test_bands_without_nodata(tmp_path):
    drv = gdal.GetDriverByName("GTiff")
    red = np.array([[100, 0, 3000], [500, 7, 0]], np.int16)
    nir = np.array([[300, 0, 1000], [500, 7, 50]], np.int16)
    for name, arr in (("r.tif", red), ("n.tif", nir)):
        ds = drv.Create(str(tmp_path / name), 3, 2, 1, gdal.GDT_Int16)
        ds.GetRasterBand(1).WriteArray(arr)
        ds = None
    compute_ndvi_bands(str(tmp_path / "r.tif"), str(tmp_path / "n.tif"), str(tmp_path / "o.tif"), nodata=None)
    got = read_out(tmp_path / "o.tif")
    assert got[0, 1] == NODATA                                        # 0 + 0: undefined
    assert got[0, 0] == pytest.approx(0.5) and got[0, 2] == pytest.approx(-0.5) and got[1, 2] == 1.0
    assert got[1, 0] == 0 and got[1, 1] == 0


def _write_bands(tmp_path, red, nir, gdal_type=gdal.GDT_Int16):
    drv = gdal.GetDriverByName("GTiff")
    for name, arr in (("r.tif", red), ("n.tif", nir)):
        ds = drv.Create(str(tmp_path / name), arr.shape[1], arr.shape[0], 1, gdal_type)
        ds.GetRasterBand(1).WriteArray(arr)
        ds = None
    return str(tmp_path / "r.tif"), str(tmp_path / "n.tif")


@pytest.mark.parametrize("gdal_type,dtype", [(gdal.GDT_Int16, np.int16), (gdal.GDT_Float32, np.float32)])
def test_negative_reflectance_is_clipped_to_the_range(tmp_path, gdal_type, dtype):
    """The engine skips the clip where no reflectance is negative; where one is, the ratio leaves [-1, 1]
    and must be clipped, also in rows without any no data."""
    red = np.full((40, 30), 1200, dtype)
    nir = np.full((40, 30), 3000, dtype)
    red[5, 3], nir[5, 3] = -50, 400          # (400 + 50) / 350 > 1
    red[33, 7], nir[33, 7] = 900, -20        # < -1
    red[20, 2], nir[20, 2] = -30, -10        # both negative: ratio inside the range, kept as is
    r, n = _write_bands(tmp_path, red, nir, gdal_type)
    compute_ndvi_bands(r, n, str(tmp_path / "o.tif"), nodata=-10000)
    got = read_out(tmp_path / "o.tif")
    v, _ = ndvi_of(red.astype(np.float64), nir.astype(np.float64))
    assert got[5, 3] == 1.0 and got[33, 7] == -1.0
    assert got[20, 2] == pytest.approx(v[20, 2]) and -1 < got[20, 2] < 1
    assert np.max(np.abs(got - v)) <= 1e-6


@pytest.mark.parametrize("threads", [1, 3])
def test_overviews_equal_decimated_full_resolution_whatever_the_split(tmp_path, threads):
    """Overview rows are taken by each compute thread from its own part of a block: with 3 threads the parts
    start on odd rows, and the last block is short."""
    rng = np.random.default_rng(5)
    h, w = 2100, 1900
    red = rng.integers(1, 4000, (h, w)).astype(np.int16)
    nir = rng.integers(1, 6000, (h, w)).astype(np.int16)
    red[rng.random((h, w)) < 0.05] = -10000
    r, n = _write_bands(tmp_path, red, nir)
    compute_ndvi_bands(r, n, str(tmp_path / "o.tif"), threads=threads)
    ds = gdal.Open(str(tmp_path / "o.tif"))
    b = ds.GetRasterBand(1)
    full = b.ReadAsArray()
    v, zero = ndvi_of(red.astype(np.float64), nir.astype(np.float64))
    bad = (red == -10000) | zero
    assert np.array_equal(full == NODATA, bad) and np.max(np.abs(full[~bad] - v[~bad])) <= 1e-6
    assert b.GetOverviewCount() == 3
    for i, f in enumerate((2, 4, 8)):
        assert np.array_equal(b.GetOverview(i).ReadAsArray(), full[::f, ::f]), f"x{f}"


def test_nan_in_floating_point_bands_is_nodata(tmp_path):
    red = np.full((20, 20), 0.12, np.float32)
    nir = np.full((20, 20), 0.40, np.float32)
    red[3, 4] = np.nan
    nir[7, 1] = np.inf
    r, n = _write_bands(tmp_path, red, nir, gdal.GDT_Float32)
    res = compute_ndvi_bands(r, n, str(tmp_path / "o.tif"), scale=1.0, nodata=None)
    got = read_out(tmp_path / "o.tif")
    assert got[3, 4] == NODATA and got[7, 1] == NODATA
    assert got[0, 0] == pytest.approx((0.40 - 0.12) / 0.52) and res.valid_fraction == pytest.approx(398 / 400)


def test_output_falls_back_to_deflate_where_gdal_has_no_zstd(tmp_path):
    gtiff = gdal.GetDriverByName("GTiff").GetMetadataItem("DMD_CREATIONOPTIONLIST")
    assert codec_options(gtiff) == ["COMPRESS=ZSTD", "ZSTD_LEVEL=1"]            # Debian's GDAL 3.6 has ZSTD
    without_zstd = gtiff.replace("ZSTD", "")
    options = codec_options(without_zstd)
    assert options == ["COMPRESS=DEFLATE", "ZLEVEL=1"]
    ds = gdal.GetDriverByName("GTiff").Create(str(tmp_path / "d.tif"), 8, 8, 1, gdal.GDT_Float32, options)
    ds = None
    assert gdal.Info(str(tmp_path / "d.tif"), format="json")["metadata"]["IMAGE_STRUCTURE"]["COMPRESSION"] == "DEFLATE"


def test_masked_pixels_raster_beside_the_output(tmp_path):
    """With masks applied the engine writes '<stem>_masked.tif': 1 exactly where an independent reading of the
    MAJA masks flags the pixel (tests/ts_expected.py), 0 elsewhere (no-data pixels too); recomputing without
    masks removes it (a stale one would call pixels masked)."""
    import datetime as dt
    import os

    from plugin.core.ndvi import masked_pixels_path
    from tests import ts_expected as ex

    [zp] = ex.build_series(str(tmp_path / "p"), [dt.date(2023, 6, 6)])
    out = str(tmp_path / "x_NDVI.tif")
    res = compute_ndvi(zp, out)
    assert res.masked_path == masked_pixels_path(out) == str(tmp_path / "x_NDVI_masked.tif")
    ds = gdal.Open(res.masked_path)
    flags = ds.ReadAsArray()
    value, masked = ex.expected(zp)
    assert flags.dtype == np.uint8 and set(np.unique(flags)) <= {0, 1} and masked.any()
    assert np.array_equal(flags == 1, masked)
    assert ds.GetMetadataItem("MASKED_PIXELS_OF") == "x_NDVI.tif"
    assert ds.GetGeoTransform() == gdal.Open(out).GetGeoTransform()
    none = compute_ndvi(zp, out, masks=MaskPolicy.none())
    assert none.masked_path is None and not os.path.exists(masked_pixels_path(out))
