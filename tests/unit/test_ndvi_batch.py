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
