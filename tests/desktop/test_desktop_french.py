"""QGIS started in French (the profile's locale set as a user does it: Settings > Options > General, override
the system locale, fr_FR) with the zip from `make zip`: the dock, the options page and the Processing toolbox
entries are in French and no English string of ours is left in the dock or the page (every visible text and
tooltip is checked, tests/i18n_texts.py), after a search against the simulator. Screenshots:
test-output/desktop/qgis-<version>/french-dock.png and french-options.png. Run: make test-desktop
"""
import datetime as dt
import json
import zipfile

import pytest

from tests.desktop.test_desktop_zip import (HERE, OUTPUT, PLUGIN, _desktop_env, _make_zip, _run_desktop,  # noqa: F401
                                            pytestmark, scratch)
from tests.i18n_texts import EnglishDetector
from tests.simulator import MirrorSimulator, SimConfig

SHOTS = ("french-dock.png", "french-options.png")


@pytest.fixture
def french_simulator(scratch):  # noqa: F811
    config = SimConfig(seed=5, tiles=("31TCJ",), start=dt.date(2023, 6, 1), end=dt.date(2023, 7, 31),
                       collections=("THEIA_REFLECTANCE_SENTINEL2_L2A",), offline_fraction=0.5,
                       work_dir=str(scratch / "sim"))
    with MirrorSimulator(config) as sim:
        yield sim


def test_qgis_in_french_shows_the_plugin_in_french(scratch, french_simulator):  # noqa: F811
    archive = _make_zip()
    with zipfile.ZipFile(archive) as zf:
        assert f"{PLUGIN}/i18n/sentinel_mirror_fr.qm" in zf.namelist()   # the translation ships in the zip
        assert not any(n.endswith(".ts") for n in zf.namelist())
        profile = scratch / "profiles" / "profiles" / "default"
        zf.extractall(profile / "python" / "plugins")
    (profile / "QGIS").mkdir(parents=True)
    (profile / "QGIS" / "QGIS3.ini").write_text(
        f"[PythonPlugins]\n{PLUGIN}=true\n\n[locale]\noverrideFlag=true\nuserLocale=fr_FR\n", encoding="utf-8")

    OUTPUT.mkdir(parents=True, exist_ok=True)
    report_path = OUTPUT / "french-report.json"
    for old in [report_path] + [OUTPUT / name for name in SHOTS]:
        old.unlink(missing_ok=True)
    env = _desktop_env(scratch)
    env.update(french_simulator.env())
    env.update(SM_FR_OUT=str(OUTPUT), SM_FR_REPORT=str(report_path),
               PYQGIS_STARTUP=str(HERE / "startup_hook.py"))
    returncode, stderr = _run_desktop(
        ["xvfb-run", "-a", "-s", "-screen 0 1600x1000x24", "qgis", "--nologo", "--noversioncheck",
         "--profiles-path", str(scratch / "profiles"), "--code", str(HERE / "french_dock.py")],
        env, scratch, timeout=240)
    print(f"desktop screenshots: {OUTPUT}")
    assert report_path.exists(), f"QGIS exited {returncode} without a report:\n{stderr[-3000:]}"
    report = json.loads(report_path.read_text(encoding="utf-8"))
    assert "error" not in report, report["error"]

    assert "Afficher ou masquer le panneau Sentinel Mirror" in report["action_tooltip"]   # QGIS adds <b>
    # the dock, after a search: French, and not one of our English strings anywhere in it
    assert report["search_ok"] is True
    assert report["results_title"].startswith("Résultats\u00a0:"), report["results_title"]
    assert len(report["dock_texts"]) > 60, "the check must have seen the whole dock (rows included)"
    assert report["dock_english"] == [], report["dock_english"]
    # the time-profile panel the dock opens
    assert report["profile_title"] == "Sentinel Mirror\u00a0: profil temporel"
    assert len(report["profile_texts"]) > 8 and report["profile_english"] == [], report["profile_english"]
    # the options page
    option_texts = {text for _, text in report["options_texts"]}
    assert {"Tester la connexion", "Téléchargements parallèles"} <= option_texts
    assert report["options_english"] == [], report["options_english"]
    # the Processing toolbox: our provider's groups and algorithms in French
    assert report["algorithms"]["sentinelmirror:search"] == ["Rechercher des produits Sentinel", "Catalogue"]
    assert report["algorithms"]["sentinelmirror:download"] == ["Télécharger des produits Sentinel", "Catalogue"]
    assert report["algorithms"]["sentinelmirror:index"] == \
        ["Indice spectral (NDVI, NDWI, NBR…) de produits Sentinel-2", "Indices"]
    assert report["algorithms"]["sentinelmirror:parcel_statistics"] == \
        ["Statistiques des parcelles dans le temps", "Séries temporelles"]
    assert report["algorithms"]["sentinelmirror:tile_ndvi_time_series"] == \
        ["Série temporelle NDVI d’une tuile", "Modèles"]
    entries = [e.strip() for e in report["toolbox_entries"]]
    assert {"Catalogue", "Indices", "Séries temporelles", "Modèles", "Rechercher des produits Sentinel",
            "Télécharger des produits Sentinel", "Indice spectral (NDVI, NDWI, NBR…) de produits Sentinel-2",
            "Synthèse temporelle", "Série interpolée", "Série temporelle NDVI d’une tuile",
            "Suivi NDVI des parcelles"} <= set(entries), report["toolbox_entries"]
    english = EnglishDetector()
    assert [e for e in entries if english.english(e)] == [], report["toolbox_entries"]
    for name in SHOTS:
        assert report[name.replace("french-", "").replace(".png", "_png")] is True
        assert (OUTPUT / name).stat().st_size > 10_000
