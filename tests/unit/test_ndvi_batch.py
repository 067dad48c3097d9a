"""NDVI over several archives: one output per product, failures reported per product, cancel honoured."""
import os

import pytest

from plugin.core.errors import Cancelled, InvalidInputError
from plugin.core.models import ProductKind
from plugin.core.ndvi_batch import compute_ndvi_batch, ndvi_output_path, product_archives
from plugin.core.progress import CallbackProgress
from tests.simulator.archives import build_archive

TITLES = ("SENTINEL2A_20230605-102612-877_L2A_T31TCJ_C_V3-1", "SENTINEL2B_20230610-102423-024_L2A_T31TCJ_C_V3-1")


@pytest.fixture(scope="module")
def archives(tmp_path_factory):
    folder = tmp_path_factory.mktemp("products")
    paths = []
    for title in TITLES:
        build_archive(ProductKind.MAJA_L2A, title, str(folder / f"{title}.zip"))
        paths.append(str(folder / f"{title}.zip"))
    (folder / f"{TITLES[0]}.zip.part").write_bytes(b"half")
    return folder, paths


def test_one_output_per_product_and_failures_do_not_stop_the_rest(archives, tmp_path):
    folder, paths = archives
    junk = tmp_path / "junk.zip"
    junk.write_bytes(b"not a zip")
    seen = []
    results, errors = compute_ndvi_batch([paths[0], str(junk), paths[1], str(tmp_path / "gone.zip")],
                                         str(tmp_path / "out"), progress=CallbackProgress(on_set=seen.append),
                                         on_error=lambda a, m: None)
    assert [r.path for r in results] == [ndvi_output_path(str(tmp_path / "out"), p) for p in paths]
    assert [e[0] for e in errors] == [str(junk), str(tmp_path / "gone.zip")]
    assert "does not exist" in errors[1][1]
    assert seen == sorted(seen) and seen[-1] == 100.0


def test_folder_lists_only_finished_archives(archives):
    folder, paths = archives
    assert product_archives(str(folder)) == sorted(paths)
    with pytest.raises(InvalidInputError, match="not a folder"):
        product_archives(str(folder / "nope"))


def test_cancel_and_empty_input(archives, tmp_path):
    _, paths = archives
    out = tmp_path / "ndvi"
    with pytest.raises(Cancelled):
        compute_ndvi_batch(paths, str(out), progress=CallbackProgress(is_cancelled=lambda: True))
    assert not out.exists() or not any(out.iterdir())   # nothing half-written left behind
    with pytest.raises(InvalidInputError, match="No product archive"):
        compute_ndvi_batch([], str(tmp_path))


def test_output_names_cannot_escape_the_folder(tmp_path):
    assert ndvi_output_path(str(tmp_path), "/x/../../etc/passwd.zip").startswith(str(tmp_path))


def test_a_file_error_on_one_product_does_not_stop_the_others(archives, tmp_path):
    _, paths = archives
    out = tmp_path / "out"
    os.makedirs(ndvi_output_path(str(out), paths[0]))   # its output name is taken by a folder
    results, errors = compute_ndvi_batch(paths, str(out))
    assert [r.path for r in results] == [ndvi_output_path(str(out), paths[1])]
    assert errors[0][0] == paths[0] and "could not be written" in errors[0][1]


def _with_absurd_bands(src, dest):
    """A copy of a MAJA archive whose FRE_B4 and FRE_B8 are 10^8 pixels wide (sparse GeoTIFFs of a few kB)."""
    import zipfile

    from osgeo import gdal
    mem = "/vsimem/absurd.tif"
    ds = gdal.GetDriverByName("GTiff").Create(mem, 100_000_000, 600, 1, gdal.GDT_Int16, ["SPARSE_OK=TRUE"])
    ds.SetGeoTransform((300000.0, 10.0, 0.0, 4900020.0, 0.0, -10.0))
    ds = None
    f = gdal.VSIFOpenL(mem, "rb")
    gdal.VSIFSeekL(f, 0, 2)
    size = gdal.VSIFTellL(f)
    gdal.VSIFSeekL(f, 0, 0)
    absurd = bytes(gdal.VSIFReadL(1, size, f))
    gdal.VSIFCloseL(f)
    gdal.Unlink(mem)
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dest, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            big = info.filename.endswith(("_FRE_B4.tif", "_FRE_B8.tif"))
            zout.writestr(info.filename, absurd if big else zin.read(info.filename))
    return str(dest)


def test_an_absurd_width_fails_alone_with_the_product_named(archives, tmp_path):
    _, paths = archives
    title = "SENTINEL2A_20230620-102612-877_L2A_T31TCJ_C_V3-1"
    wide = _with_absurd_bands(paths[0], tmp_path / f"{title}.zip")
    # without masks nothing else stops it before the buffers (the old engine raised MemoryError there and the
    # batch ended: the third product was never computed)
    from plugin.core.ndvi import MaskPolicy
    results, errors = compute_ndvi_batch([paths[0], wide, paths[1]], str(tmp_path / "out"), masks=MaskPolicy.none())
    assert [r.path for r in results] == [ndvi_output_path(str(tmp_path / "out"), p) for p in paths]
    assert [e[0] for e in errors] == [wide]
    # named after the product inside (the copy keeps TITLES[0]'s content), as every engine message
    assert errors[0][1].startswith(f"{TITLES[0]}: the bands are 100000000 x 600 pixels, far beyond a Sentinel-2 tile")


def test_any_failure_of_one_product_leaves_the_others_computed(archives, tmp_path, monkeypatch):
    """Not only the errors the engine expects: a MemoryError (or any bug) on one product is reported for it."""
    from plugin.core import ndvi
    _, paths = archives
    real = ndvi.compute_index

    def flaky(archive, *args, **kwargs):
        if archive == paths[0]:
            raise MemoryError("Unable to allocate 95.4 GiB")
        return real(archive, *args, **kwargs)
    monkeypatch.setattr(ndvi, "compute_index", flaky)
    results, errors = compute_ndvi_batch(paths, str(tmp_path / "out"))
    assert [r.path for r in results] == [ndvi_output_path(str(tmp_path / "out"), paths[1])]
    assert errors[0][0] == paths[0] and "NDVI failed (MemoryError" in errors[0][1]


def test_other_indices_and_int16_are_named_after_the_index(archives, tmp_path):
    from osgeo import gdal
    _, paths = archives
    results, errors = compute_ndvi_batch(paths, str(tmp_path / "out"), index="ndwi", encoding="int16")
    assert not errors and [r.index for r in results] == ["NDWI", "NDWI"]
    assert [os.path.basename(r.path) for r in results] == [os.path.basename(p)[:-4] + "_NDWI.tif" for p in paths]
    ds = gdal.Open(results[0].path)
    assert ds.GetRasterBand(1).DataType == gdal.GDT_Int16 and ds.GetMetadataItem("INDEX") == "NDWI"
    with pytest.raises(InvalidInputError, match="Unknown index 'NDXI': choose one of NDVI, NDWI"):
        compute_ndvi_batch(paths, str(tmp_path / "out"), index="NDXI")
