"""Product readers: kind from the zip's content, bands, scaling, masks, natural-colour VRT, clear errors."""
import datetime as dt
import os
import shutil
import zipfile

import numpy as np
import pytest
from osgeo import gdal

from plugin.core.errors import ProductFormatError
from plugin.core.models import ProductKind
from plugin.core.product_names import parse_title
from plugin.core.products import natural_colour_vrt, open_product
from tests.simulator.archives import build_archive

gdal.UseExceptions()

MAJA = "SENTINEL2A_20190314-104911-877_L2A_T31TCH_C_V2-2"
L2A = "S2B_MSIL2A_20240412T105619_N0510_R094_T31TCJ_20240412T135320"
L2A_OLD = "S2A_MSIL2A_20210601T105031_N0300_R051_T31TCJ_20210601T135000"
L1C = "S2A_MSIL1C_20250402T105741_N0511_R094_T31TCJ_20250403T022035"
L1C_OLD = "S2A_MSIL1C_20200815T005251_N0209_R002_T55PDR_20200815T023440"
S1 = "S1A_IW_GRDH_1SDV_20230801T055912_20230801T055937_049678_05F958_1A2B"


@pytest.fixture(scope="module")
def zips(tmp_path_factory):
    d = tmp_path_factory.mktemp("zips")
    out = {}
    for title in (MAJA, L2A, L2A_OLD, L1C, L1C_OLD, S1):
        path = d / f"{title}.zip"
        build_archive(parse_title(title).kind, title, str(path))
        out[title] = str(path)
    return out


def test_maja_reader(zips):
    r = open_product(zips[MAJA])
    assert r.kind is ProductKind.MAJA_L2A and r.product_id == MAJA and r.tile == "31TCH"
    assert r.acquired == dt.datetime(2019, 3, 14, 10, 49, 11, 877000, tzinfo=dt.timezone.utc)
    assert not r.is_toa and r.reflectance == "FRE" and r.platform == "S2A"
    assert r.red_path == f"/vsizip/{os.path.abspath(zips[MAJA])}/{MAJA}/{MAJA}_FRE_B4.tif"
    assert r.nir_path.endswith("_FRE_B8.tif")
    assert (r.red.scale, r.red.offset, r.red.nodata) == (1e-4, 0.0, -10000.0)
    assert set(r.masks) == {"CLM", "MG2", "EDG", "SAT", "SAT_R2"}
    assert all(m.factor == (2 if k == "SAT_R2" else 1) and m.meaning for k, m in r.masks.items())
    assert r.masks["SAT_R2"].path.endswith(f"{MAJA}/MASKS/{MAJA}_SAT_R2.tif")
    ds = gdal.Open(r.red_path)
    assert ds.RasterXSize == 120 and ds.GetRasterBand(1).DataType == gdal.GDT_Int16
    assert open_product(zips[MAJA], reflectance="SRE").red_path.endswith("_SRE_B4.tif")


@pytest.mark.parametrize("mtd_in_data", [False, True])
def test_theia_v4_reader_accepts_the_metadata_at_the_top_or_under_data(tmp_path, mtd_in_data):
    # V4-0 zips: top folder named like the zip; _MTD_ALL.xml at <top>/ or <top>/DATA/ (which one is unverified)
    title = "SENTINEL2B_20200106-105907-758_L2A_T31TCH_C_V4-0"
    path = tmp_path / f"{title}.zip"
    build_archive(ProductKind.MAJA_L2A, title, str(path), mtd_in_data=mtd_in_data)
    names = zipfile.ZipFile(path).namelist()
    assert (f"{title}/DATA/{title}_MTD_ALL.xml" in names) == mtd_in_data
    r = open_product(str(path))
    assert r.kind is ProductKind.MAJA_L2A and r.product_id == title and r.tile == "31TCH"
    assert r.acquired == dt.datetime(2020, 1, 6, 10, 59, 7, 758000, tzinfo=dt.timezone.utc)
    assert gdal.Open(r.red_path).RasterXSize == 120


def test_sen2cor_l2a_reader_reads_boa_offset(zips):
    r = open_product(zips[L2A])
    assert r.kind is ProductKind.SAFE_L2A and r.tile == "31TCJ" and r.baseline == "05.10"
    assert r.reflectance == "BOA" and not r.is_toa
    assert r.red_path.endswith("/IMG_DATA/R10m/T31TCJ_20240412T105619_B04_10m.jp2")
    assert r.red.scale == 1e-4 and r.red.offset == pytest.approx(-0.1) and r.red.nodata == 0
    assert r.masks["SCL"].factor == 2 and r.masks["SCL"].path.endswith("_SCL_20m.jp2")
    old = open_product(zips[L2A_OLD])
    assert old.baseline == "03.00" and old.red.offset == 0.0         # before 04.00: no offset


def test_l1c_reader_is_toa_with_radio_offset_and_classi(zips):
    r = open_product(zips[L1C])
    assert r.kind is ProductKind.SAFE_L1C and r.is_toa and r.reflectance == "TOA"
    assert r.red.offset == pytest.approx(-0.1) and r.red_path.endswith("/IMG_DATA/T31TCJ_20250402T105741_B04.jp2")
    assert r.masks["MSK_CLASSI"].factor == 6 and r.masks["MSK_CLASSI"].bands == 3
    old = open_product(zips[L1C_OLD])
    assert old.red.offset == 0.0 and "MSK_CLASSI" not in old.masks and old.tile == "55PDR"


def test_kind_comes_from_content_not_file_name(zips, tmp_path):
    for title in (MAJA, L2A, L1C):
        renamed = tmp_path / "download(1).zip"
        shutil.copy(zips[title], renamed)
        r = open_product(str(renamed))
        assert r.kind is parse_title(title).kind and r.product_id == title
    # and a zip named like a MAJA product that holds something else is refused
    liar = tmp_path / f"{MAJA}.zip"
    with zipfile.ZipFile(liar, "w") as zf:
        zf.writestr(f"{MAJA}/readme.txt", b"hello")
    with pytest.raises(ProductFormatError, match="not a product this plugin can read"):
        open_product(str(liar))


def test_sentinel1_is_recognised_without_optical_bands(zips):
    r = open_product(zips[S1])
    assert r.kind is ProductKind.S1 and r.red is None and r.tile is None
    assert r.acquired == dt.datetime(2023, 8, 1, 5, 59, 12, tzinfo=dt.timezone.utc)
    with pytest.raises(ProductFormatError, match="no optical bands"):
        natural_colour_vrt(zips[S1], "/nonexistent/x.vrt")


def test_extracted_folder_reads_like_the_zip(zips, tmp_path):
    with zipfile.ZipFile(zips[L2A]) as zf:
        zf.extractall(tmp_path)
    for path in (tmp_path, tmp_path / f"{L2A}.SAFE"):
        r = open_product(str(path))
        assert r.kind is ProductKind.SAFE_L2A and r.product_id == L2A
        assert os.path.isfile(r.red_path) and r.red.offset == pytest.approx(-0.1)


@pytest.mark.parametrize("title", [MAJA, L2A, L1C])
def test_natural_colour_vrt_reads_b4_b3_b2_in_place(zips, tmp_path, title):
    vrt = natural_colour_vrt(zips[title], str(tmp_path / "rgb.vrt"))
    ds = gdal.Open(vrt)
    assert ds.RasterCount == 3
    r = open_product(zips[title])
    for i, band in enumerate(r.rgb, 1):
        src = gdal.Open(band.path)
        assert np.array_equal(ds.GetRasterBand(i).ReadAsArray(), src.GetRasterBand(1).ReadAsArray())
        assert ds.GetRasterBand(i).GetScale() == pytest.approx(band.scale)
        assert ds.GetRasterBand(i).GetOffset() == pytest.approx(band.offset)
    assert "/vsizip/" in open(vrt).read()           # nothing was extracted
    assert [ds.GetRasterBand(i).GetColorInterpretation() for i in (1, 2, 3)] == [
        gdal.GCI_RedBand, gdal.GCI_GreenBand, gdal.GCI_BlueBand]
    assert not os.path.exists(vrt + ".part")


def test_truncated_zip_names_the_product(zips, tmp_path):
    data = open(zips[L1C], "rb").read()
    bad = tmp_path / f"{L1C}.zip"
    bad.write_bytes(data[:-100])
    with pytest.raises(ProductFormatError, match=rf"{L1C}\.zip is truncated or not a zip archive"):
        open_product(str(bad))


@pytest.mark.parametrize("title,drop,what", [
    (MAJA, "_FRE_B4.tif", "band FRE_B4"),
    (L2A, "_SCL_20m.jp2", "the scene classification SCL_20m"),
    (L1C, "_B08.jp2", "band B08"),
])
def test_missing_member_is_named(zips, tmp_path, title, drop, what):
    bad = tmp_path / f"{title}.zip"
    with zipfile.ZipFile(zips[title]) as src, zipfile.ZipFile(bad, "w") as dst:
        for info in src.infolist():
            if not info.filename.endswith(drop):
                dst.writestr(info, src.read(info))
    with pytest.raises(ProductFormatError, match=f"{title}.zip is incomplete: {what} is missing"):
        open_product(str(bad))


def test_missing_file_and_bad_reflectance(zips, tmp_path):
    with pytest.raises(ProductFormatError, match="no such file"):
        open_product(str(tmp_path / "nope.zip"))
    with pytest.raises(ProductFormatError, match="FRE .* or SRE"):
        open_product(zips[MAJA], reflectance="TOA")


def test_title_parsing():
    info = parse_title(MAJA + ".zip")
    assert info.kind is ProductKind.MAJA_L2A and info.version == "2-2" and info.platform == "S2A"
    info = parse_title(L2A)
    assert info.baseline == "05.10" and info.relative_orbit == 94 and info.baseline_number == 5.1
    with pytest.raises(ProductFormatError, match="SENTINEL2A_"):
        parse_title("holiday.zip")
