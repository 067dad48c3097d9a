"""The simulator's product archives: real layouts, GDAL-readable, deterministic, exact padding."""
import hashlib
import zipfile

import numpy as np
import pytest
from osgeo import gdal

from plugin.core.models import ProductKind
from tests.simulator.archives import ZIP_TIME, build_archive, tile_geocoding

gdal.UseExceptions()

MAJA = "SENTINEL2A_20190314-104911-877_L2A_T31TCH_C_V2-2"
L2A = "S2A_MSIL2A_20230801T100031_N0509_R122_T34VFJ_20230801T120000"
L1C = "S2B_MSIL1C_20230801T100031_N0509_R122_T31TCJ_20230801T120000"
S1 = "S1A_IW_GRDH_1SDV_20230801T055912_20230801T055937_049678_05F958_1A2B"


def md5(path):
    return hashlib.md5(open(path, "rb").read()).hexdigest()


def names(path):
    return zipfile.ZipFile(path).namelist()


def read(zip_path, member, band=1):
    ds = gdal.Open(f"/vsizip/{zip_path}/{member}")
    return ds.GetRasterBand(band).ReadAsArray(), ds


@pytest.mark.parametrize("kind,title", [(ProductKind.MAJA_L2A, MAJA), (ProductKind.SAFE_L2A, L2A),
                                        (ProductKind.SAFE_L1C, L1C), (ProductKind.S1, S1)])
def test_same_inputs_same_bytes_other_seed_other_bytes(tmp_path, kind, title):
    a, b, c = (str(tmp_path / n) for n in ("a.zip", "b.zip", "c.zip"))
    build_archive(kind, title, a, seed=1)
    build_archive(kind, title, b, seed=1)
    build_archive(kind, title, c, seed=2)
    assert md5(a) == md5(b) != md5(c)
    assert all(i.date_time == ZIP_TIME for i in zipfile.ZipFile(a).infolist())
    assert zipfile.ZipFile(a).testzip() is None


def test_maja_layout_and_content(tmp_path):
    z = str(tmp_path / "m.zip")
    build_archive(ProductKind.MAJA_L2A, MAJA, z)
    n = set(names(z))
    for k in ("FRE", "SRE"):
        for b in ("B2", "B3", "B4", "B8"):
            assert f"{MAJA}/{MAJA}_{k}_{b}.tif" in n
    for m in ("CLM", "MG2", "EDG", "SAT"):
        assert f"{MAJA}/MASKS/{MAJA}_{m}_R1.tif" in n
    sat2, sat2_ds = read(z, f"{MAJA}/MASKS/{MAJA}_SAT_R2.tif")   # 20 m; no 20 m pixel saturated by default
    assert sat2.shape == (60, 60) and sat2.dtype == np.uint8 and not sat2.any()
    assert sat2_ds.GetGeoTransform()[1] == 20.0
    assert {f"{MAJA}/{MAJA}_MTD_ALL.xml", f"{MAJA}/{MAJA}_QKL_ALL.jpg"} <= n
    red, ds = read(z, f"{MAJA}/{MAJA}_FRE_B4.tif")
    nir, _ = read(z, f"{MAJA}/{MAJA}_FRE_B8.tif")
    epsg, ulx, uly = tile_geocoding("31TCH")
    assert ds.GetGeoTransform() == (ulx, 10.0, 0.0, uly, 0.0, -10.0)
    assert ds.GetSpatialRef().GetAuthorityCode(None) == str(epsg) == "32631"
    assert red.dtype == np.int16 and ds.GetRasterBand(1).GetNoDataValue() == -10000
    clm, _ = read(z, f"{MAJA}/MASKS/{MAJA}_CLM_R1.tif")
    mg2, _ = read(z, f"{MAJA}/MASKS/{MAJA}_MG2_R1.tif")
    edg, _ = read(z, f"{MAJA}/MASKS/{MAJA}_EDG_R1.tif")
    nodata = red == -10000
    assert nodata.any() and (~nodata).any() and (edg[nodata] == 1).all()
    thick = (clm & 2) != 0
    assert thick.any() and red[thick].mean() > 4000               # clouds are bright
    water = (mg2 & 1) != 0
    assert water.any() and np.median(nir[water & ~nodata & (clm == 0)]) < 500      # water is dark in the NIR
    valid = ~nodata & (clm == 0) & (mg2 == 0)
    ndvi = (nir[valid] - red[valid].astype(float)) / (nir[valid] + red[valid] + 1e-9)
    assert ndvi.max() > 0.6 and ndvi.min() < 0.3                  # vegetation and soil
    xml = zipfile.ZipFile(z).read(f"{MAJA}/{MAJA}_MTD_ALL.xml").decode()
    assert "<ACQUISITION_DATE>2019-03-14T10:49:11.877Z</ACQUISITION_DATE>" in xml
    assert "<REFLECTANCE_QUANTIFICATION_VALUE>10000</REFLECTANCE_QUANTIFICATION_VALUE>" in xml


def test_maja_20m_saturation_is_opt_in_and_changes_nothing_else(tmp_path):
    """saturated_20m=True: a few 20 m pixels saturated in some 20 m bands only, flagged in SAT_R2 with one bit per
    band in the R2 order B5 B6 B7 B8A B11 B12 (bit 0 first) and at 16000 in the bands the archive holds; every
    other member is byte for byte the default build's."""
    plain, sat = str(tmp_path / "p.zip"), str(tmp_path / "s.zip")
    build_archive(ProductKind.MAJA_L2A, MAJA, plain)
    build_archive(ProductKind.MAJA_L2A, MAJA, sat, saturated_20m=True)
    sat2, _ = read(sat, f"{MAJA}/MASKS/{MAJA}_SAT_R2.tif")
    assert set(np.unique(sat2)) == {0, 1, 2 | 4, 8, 16, 16 | 32, 32}     # B5, B6+B7, B8A, B11, B11+B12, B12
    assert 0 < (sat2 != 0).mean() < 0.05                                 # a few
    for band, bit in (("B5", 1), ("B8A", 8), ("B11", 16), ("B12", 32)):
        for k in ("FRE", "SRE"):
            got, _ = read(sat, f"{MAJA}/{MAJA}_{k}_{band}.tif")
            was, _ = read(plain, f"{MAJA}/{MAJA}_{k}_{band}.tif")
            hit = (sat2 & bit) != 0
            assert hit.sum() >= 10 and (got[hit] == 16000).all() and (was[hit] < 16000).all()
            assert np.array_equal(got[~hit], was[~hit])
    changed = {f"{MAJA}/{MAJA}_{k}_{b}.tif" for k in ("FRE", "SRE") for b in ("B5", "B8A", "B11", "B12")}
    changed.add(f"{MAJA}/MASKS/{MAJA}_SAT_R2.tif")
    a, b = zipfile.ZipFile(plain), zipfile.ZipFile(sat)
    assert a.namelist() == b.namelist()
    assert all(a.read(m) == b.read(m) for m in a.namelist() if m not in changed)
    with pytest.raises(ValueError, match="MAJA"):
        build_archive(ProductKind.SAFE_L2A, L2A, str(tmp_path / "x.zip"), saturated_20m=True)


def _sentinel2_10m_bands(level):
    """What GDAL's SENTINEL2 driver shows in the 10 m subdataset, as measured by the QGIS matrix: GDAL 3.6
    (Debian 12) the four 10 m bands; GDAL 3.10 (Debian 13) and 3.13 (sid) add the L2A aerosol and water vapour
    maps (AOT, WVP), which Sen2Cor also writes at 10 m. GDAL 3.7 to 3.9 were not tried. The NDVI readers open
    bands by file name (plugin/core/products.py), so these extra bands do not reach them."""
    ten_m = ["B4", "B3", "B2", "B8"]
    gdal_version = tuple(int(n) for n in gdal.__version__.split(".")[:2])
    return ten_m + ["AOT", "WVP"] if level == "L2A" and gdal_version >= (3, 10) else ten_m


@pytest.mark.parametrize("title,level", [(L2A, "L2A"), (L1C, "L1C")])
def test_safe_opens_with_gdal_sentinel2_driver(tmp_path, title, level):
    z = str(tmp_path / f"{title}.zip")
    build_archive(ProductKind.SAFE_L2A if level == "L2A" else ProductKind.SAFE_L1C, title, z)
    tile = title.split("_")[5][1:]
    epsg = tile_geocoding(tile)[0]
    sub = f"SENTINEL2_{level}:/vsizip/{z}/{title}.SAFE/MTD_MSI{level}.xml:10m:EPSG_{epsg}"
    ds = gdal.Open(z)
    assert sub in ds.GetMetadata("SUBDATASETS").values()
    ds10 = gdal.Open(sub)
    bands = [ds10.GetRasterBand(i).GetMetadataItem("BANDNAME") for i in range(1, ds10.RasterCount + 1)]
    assert bands == _sentinel2_10m_bands(level) and ds10.RasterXSize == 120
    assert ds10.GetSpatialRef().GetAuthorityCode(None) == str(epsg)
    text = zipfile.ZipFile(z).read(f"{title}.SAFE/MTD_MSI{level}.xml").decode()
    assert "<PRODUCT_FORMAT>SAFE_COMPACT</PRODUCT_FORMAT>" in text
    assert ('<BOA_ADD_OFFSET band_id="3">-1000</BOA_ADD_OFFSET>' if level == "L2A"
            else '<RADIO_ADD_OFFSET band_id="3">-1000</RADIO_ADD_OFFSET>') in text
    if level == "L2A":
        scl = [n for n in names(z) if n.endswith("_SCL_20m.jp2")]
        arr, sds = read(z, scl[0])
        assert sds.RasterXSize == 60 and sds.GetGeoTransform()[1] == 20
        assert {0, 4, 5, 6, 9}.issubset(set(np.unique(arr)))
    else:
        classi = [n for n in names(z) if n.endswith("QI_DATA/MSK_CLASSI_B00.jp2")]
        arr, cds = read(z, classi[0])
        assert cds.RasterCount == 3 and cds.RasterXSize == 20 and arr.max() == 1


def test_old_baseline_has_no_offset_and_no_classi(tmp_path):
    t = "S2A_MSIL1C_20200815T005251_N0209_R002_T55PDR_20200815T023440"
    z = str(tmp_path / "o.zip")
    build_archive(ProductKind.SAFE_L1C, t, z)
    assert "RADIO_ADD_OFFSET" not in zipfile.ZipFile(z).read(f"{t}.SAFE/MTD_MSIL1C.xml").decode()
    assert not [n for n in names(z) if "MSK_CLASSI" in n]


@pytest.mark.parametrize("pad", [300_000, 1_234_567])
def test_pad_to_exact_size(tmp_path, pad):
    z = tmp_path / "p.zip"
    build_archive(ProductKind.MAJA_L2A, MAJA, str(z), pad_to=pad)
    assert z.stat().st_size == pad
    zf = zipfile.ZipFile(z)
    assert zf.testzip() is None
    padding = [i for i in zf.infolist() if i.filename.endswith("padding.bin")][0]
    assert padding.compress_type == zipfile.ZIP_STORED
    red, _ = read(str(z), f"{MAJA}/{MAJA}_FRE_B4.tif")         # the product is still readable
    assert red.shape == (120, 120)


def test_pad_to_across_zip64_boundaries(tmp_path, monkeypatch):
    """Sizes that need zip64 records (2 GB and more in real use) still land exactly: a lower limit plays it."""
    monkeypatch.setattr(zipfile, "ZIP64_LIMIT", 150_000)
    for pad in (160_000, 400_000, 1_000_000):
        z = tmp_path / f"p{pad}.zip"
        build_archive(ProductKind.SAFE_L2A, L2A, str(z), pad_to=pad)
        assert z.stat().st_size == pad and zipfile.ZipFile(z).testzip() is None


def test_pad_smaller_than_the_archive_is_refused(tmp_path):
    with pytest.raises(ValueError, match="smaller than the archive"):
        build_archive(ProductKind.MAJA_L2A, MAJA, str(tmp_path / "p.zip"), pad_to=1000)
    assert list(tmp_path.iterdir()) == []


def test_title_and_kind_must_agree(tmp_path):
    with pytest.raises(ValueError, match="names a safe_l2a product"):
        build_archive(ProductKind.MAJA_L2A, L2A, str(tmp_path / "x.zip"))
    with pytest.raises(ValueError, match="multiple of 6"):
        build_archive(ProductKind.SAFE_L2A, L2A, str(tmp_path / "x.zip"), size=100)


def test_sentinel1_is_a_safe_that_gdal_opens_with_both_polarisations(tmp_path):
    z = str(tmp_path / "s1.zip")
    build_archive(ProductKind.S1, S1, z)
    stem = "s1a-iw-grd-{}-20230801t055912-20230801t055937-049678-05f958-00{}"
    meas = sorted(n for n in names(z) if "/measurement/" in n)
    assert meas == [f"{S1}.SAFE/measurement/{stem.format('vh', 2)}.tiff",
                    f"{S1}.SAFE/measurement/{stem.format('vv', 1)}.tiff"]
    assert {f"{S1}.SAFE/manifest.safe", f"{S1}.SAFE/annotation/{stem.format('vv', 1)}.xml",
            f"{S1}.SAFE/annotation/calibration/calibration-{stem.format('vh', 2)}.xml"} <= set(names(z))
    ds = gdal.Open(f"/vsizip/{z}/{meas[1]}")      # the measurement alone: UInt16 with GCPs in EPSG:4326
    assert ds.GetRasterBand(1).DataType == gdal.GDT_UInt16 and ds.GetGCPCount() == 16
    vv = ds.ReadAsArray()
    assert vv.shape == (100, 160) and vv.min() > 0 and vv.std() > 0
    safe = gdal.Open(f"/vsizip/{z}/{S1}.SAFE/manifest.safe")    # GDAL's SAFE driver reads the whole product
    assert safe.GetDriver().ShortName == "SAFE" and safe.RasterCount == 2
    assert [safe.GetRasterBand(i).GetMetadataItem("POLARIZATION") for i in (1, 2)] == ["VV", "VH"]
    md = safe.GetMetadata()
    assert (md["MISSION_ID"], md["PRODUCT_TYPE"], md["MODE"], md["ORBIT_NUMBER"]) == ("S1A", "GRD", "IW", "49678")
    assert md["ACQUISITION_START_TIME"].startswith("2023-08-01T05:59:12")
    assert (safe.ReadAsArray()[0] == vv).all()
    lon, lat = gdal.Transformer(safe, None, ["METHOD=GCP_POLYNOMIAL"]).TransformPoint(0, 80, 50)[1][:2]
    assert -1 < lon < 4 and 42 < lat < 45        # the default footprint: over Toulouse
