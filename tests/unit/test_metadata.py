"""metadata.txt is the single source of truth: complete, consistent, and read by plugin/about.py."""
import re
import shutil

import pytest

from plugin import about

ROOT = about.PLUGIN_DIR


def _problems_of(tmp_path, edit):
    """Validate an edited copy of the real metadata.txt."""
    copy = tmp_path / "metadata.txt"
    shutil.copy(about.METADATA_PATH, copy)
    text = copy.read_text(encoding="utf-8")
    copy.write_text(edit(text), encoding="utf-8")
    return about.validate_metadata(about.read_metadata(copy), plugin_dir=ROOT)


def _drop(field):
    return lambda text: re.sub(rf"^{field}=.*\n", "", text, flags=re.MULTILINE)


def _set(field, value):
    def edit(text):
        if re.search(rf"^{field}=", text, flags=re.MULTILINE):
            return re.sub(rf"^{field}=.*$", f"{field}={value}", text, flags=re.MULTILINE)
        return text.rstrip("\n") + f"\n{field}={value}\n"
    return edit


def test_real_metadata_is_valid_and_read_by_about():
    meta = about.read_metadata()
    assert about.validate_metadata(meta, plugin_dir=ROOT) == []
    assert about.NAME == meta["name"] == "Sentinel Mirror"
    assert about.VERSION == meta["version"]
    assert meta["qgisMinimumVersion"] == "3.22"
    assert meta["qgisMaximumVersion"] == "3.44"   # what the QGIS matrix tests (make test-matrix: 3.22, 3.40, 3.44)
    assert meta["hasProcessingProvider"] == "yes"
    assert meta["category"] == "Raster"
    assert about.VERSION in meta["changelog"], "the changelog should describe the current version"


@pytest.mark.parametrize("field", ["name", "version", "qgisMinimumVersion", "description", "about", "author",
                                   "email", "homepage", "tracker", "repository", "icon", "hasProcessingProvider"])
def test_missing_field_is_named(tmp_path, field):
    problems = _problems_of(tmp_path, _drop(field))
    assert any(p.startswith(f"{field}:") for p in problems), problems


@pytest.mark.parametrize("bad", ["1.x", "1.0", "v1.0.0", "1.0.0.0", ""])
def test_bad_version_is_named(tmp_path, bad):
    problems = _problems_of(tmp_path, _set("version", bad))
    assert [p for p in problems if p.startswith("version:")], problems


def test_good_prerelease_version_passes(tmp_path):
    assert _problems_of(tmp_path, _set("version", "0.2.0-rc1")) == []


def test_maximum_below_minimum_is_named(tmp_path):
    problems = _problems_of(tmp_path, _set("qgisMaximumVersion", "3.16"))
    assert any(p.startswith("qgisMaximumVersion:") and "lower than" in p for p in problems), problems
    assert _problems_of(tmp_path, _set("qgisMaximumVersion", "3.99")) == []


def test_bad_qgis_minimum_version_is_named(tmp_path):
    problems = _problems_of(tmp_path, _set("qgisMinimumVersion", "three"))
    assert any(p.startswith("qgisMinimumVersion:") for p in problems), problems


def test_processing_provider_must_be_declared(tmp_path):
    problems = _problems_of(tmp_path, _set("hasProcessingProvider", "no"))
    assert any(p.startswith("hasProcessingProvider:") for p in problems), problems


def test_unknown_category_and_missing_icon_are_named(tmp_path):
    problems = _problems_of(tmp_path, _set("category", "Satellites"))
    assert any(p.startswith("category:") for p in problems), problems
    problems = _problems_of(tmp_path, _set("icon", "resources/icons/nope.svg"))
    assert any(p.startswith("icon:") for p in problems), problems


def test_version_is_not_repeated_elsewhere():
    """One module reads the version: no other plugin file hard-codes it."""
    offenders = [p for p in (ROOT / "plugin").rglob("*.py")
                 if re.search(rf"""["']{re.escape(about.VERSION)}["']""", p.read_text(encoding="utf-8"))]
    assert offenders == []
