"""The translation machinery without QGIS: the French catalogue is complete and in step with the code, every
tr() is extractable, and core Messages carry what the Qt side needs to translate them.

Completeness: every string of i18n/sentinel_mirror_fr.ts has a finished, non-empty French translation with the
same {placeholders} (a translation that drops or renames one would fall back to English at run time).
Freshness: pylupdate5 is run again on the code into a temporary copy of the .ts (scripts/i18n.py stale): a string
added, changed or removed in the code without `make i18n` fails here.
"""
import ast
import pickle
import re
import shutil
import string
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "scripts"))
import i18n as i18n_script  # noqa: E402  (scripts/i18n.py)

from plugin.core.errors import AuthError  # noqa: E402
from plugin.core.i18n import Message, join, tr, tr_noop  # noqa: E402

TS = ROOT / "i18n" / "sentinel_mirror_fr.ts"


def _messages():
    root = ET.parse(TS).getroot()
    for context in root.iter("context"):
        for message in context.iter("message"):
            yield context.findtext("name"), message.findtext("source"), message.find("translation")


def _fields(text):
    """The {placeholders} of a template with their conversion and format spec, e.g. {'{n!r:>3}'}."""
    return sorted(f"{name}!{conv}:{spec}" for _, name, spec, conv in string.Formatter().parse(text) if name is not None)


def test_the_french_catalogue_has_strings_from_the_code_and_both_forms():
    contexts = {context for context, _, _ in _messages()}
    assert {"@default", "SentinelMirrorDockContents", "SentinelMirrorOptions"} <= contexts
    assert sum(1 for _ in _messages()) > 300


def test_every_string_has_a_finished_french_translation():
    untranslated = [(context, source) for context, source, translation in _messages()
                    if not (translation.text or "").strip() or translation.get("type") in ("unfinished", "obsolete",
                                                                                           "vanished")]
    assert untranslated == [], f"{len(untranslated)} strings without a French translation (make i18n, then " \
                               f"translate them in {TS.relative_to(ROOT)}): {untranslated[:10]}"


def test_translations_keep_the_placeholders_of_their_source():
    broken = []
    for context, source, translation in _messages():
        if context == "@default" and "{" in source:   # our templates; .ui texts are not formatted
            if _fields(source) != _fields(translation.text or ""):
                broken.append((source, translation.text))
        if "%p" in source and "%p" not in (translation.text or ""):   # Qt progress-bar formats
            broken.append((source, translation.text))
    assert broken == []


def test_the_ts_is_in_step_with_the_code():
    if shutil.which("pylupdate5") is None:
        pytest.fail("pylupdate5 is missing: install Debian's pyqt5-dev-tools (make setup)")
    missing, gone = i18n_script.stale(TS)
    assert missing == [], f"strings in the code not in the .ts (run make i18n and translate them): {missing[:10]}"
    assert gone == [], f"strings in the .ts the code no longer has (run make i18n): {gone[:10]}"


def test_the_extraction_check_sees_a_new_string(tmp_path):
    """The freshness check can fail: a copy of the code with one more tr() is out of step with the .ts."""
    if shutil.which("pylupdate5") is None:
        pytest.fail("pylupdate5 is missing: install Debian's pyqt5-dev-tools (make setup)")
    copy = tmp_path / "repo"
    shutil.copytree(ROOT / "plugin", copy / "plugin", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copytree(ROOT / "ui", copy / "ui")
    (copy / "plugin" / "gui" / "new_widget.py").write_text('from ..qgis.i18n import tr\nLABEL = tr("A new label")\n')
    missing, gone = i18n_script.stale(TS, copy)
    assert missing == [("@default", "A new label")] and gone == []


def _tr_calls():
    for path in sorted((ROOT / "plugin").rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in ("tr", "tr_noop"):
                yield path, node


def test_every_tr_call_has_a_literal_template():
    """pylupdate5 only sees string literals; an f-string would be extracted unformatted and never match."""
    bad = [f"{path.relative_to(ROOT)}:{node.lineno}" for path, node in _tr_calls()
           if not (node.args and isinstance(node.args[0], ast.Constant) and isinstance(node.args[0].value, str))]
    assert bad == []


def test_templates_with_values_name_their_placeholders():
    """Named placeholders only: a translation may have to put them in another order."""
    positional = []
    for path, node in _tr_calls():
        if node.args and isinstance(node.args[0], ast.Constant) and node.keywords:
            names = [name for _, name, _, _ in string.Formatter().parse(node.args[0].value) if name is not None]
            if any(not name or name.isdigit() for name in names):
                positional.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert positional == []


def test_the_shipped_models_texts_are_in_the_catalogue():
    """A .model3 keeps English texts (name, group, parameter descriptions, help); plugin/processing/models.py
    translates them at load: each must be a source of the catalogue (marked there or used by an algorithm)."""
    sources = {source for _, source, _ in _messages()}
    missing = []
    for model in sorted((ROOT / "resources" / "models").glob("*.model3")):
        for option in ET.parse(model).getroot().iter("Option"):
            name, value = option.get("name"), option.get("value")
            if value and name in ("model_name", "model_group", "description", "ALG_DESC") or (
                    value and name and name.isupper() and name != "ALG_CREATOR" and option.get("type") == "QString"
                    and " " in value):
                if value not in sources:
                    missing.append((model.name, name, value))
    assert missing == [], f"mark these in plugin/processing/models.py (_MODEL_TEXTS), then make i18n: {missing}"


# ---- core Messages ---------------------------------------------------------------------------------------------
def test_a_message_reads_english_and_keeps_its_template():
    message = tr("The key for {service} is wrong ({code}).", service="GEODES", code=403)
    assert message == "The key for GEODES is wrong (403)."
    assert isinstance(message, str) and message.template == "The key for {service} is wrong ({code})."
    assert message.values == {"service": "GEODES", "code": 403}
    assert tr_noop("Catalogue") == "Catalogue" and tr_noop("Catalogue").template == "Catalogue"


def test_an_exception_hands_its_message_back_with_the_template():
    error = AuthError(tr("{service} refused the API key.", service="GEODES"))
    assert str(error) == "GEODES refused the API key."
    assert isinstance(str(error), Message) and str(error).template == "{service} refused the API key."


def test_a_message_survives_pickling_and_rstrip_and_join():
    message = tr("{n} products.", n=3)
    assert pickle.loads(pickle.dumps(message)).values == {"n": 3}
    stripped = message.rstrip(".")
    assert stripped == "3 products" and stripped.template == "{n} products." and stripped.strip_chars == "."
    joined = join(", ", [tr("search OK"), "plain"])
    assert joined == "search OK, plain" and joined.values["part0"].template == "search OK"


def test_a_message_without_values_keeps_braces():
    assert tr("{not a placeholder}") == "{not a placeholder}"
    assert re.fullmatch(r"a \{b\} 1", tr("a {{b}} {n}", n=1))


# ---- nothing user-visible left unmarked -------------------------------------------------------------------------
_TEXT_SETTERS = {"setText", "setToolTip", "setTitle", "setWindowTitle", "setPlaceholderText", "setStatusTip",
                 "pushMessage", "pushInfo", "pushWarning", "reportError", "show_error", "setFormat", "addItem",
                 "setHorizontalHeaderLabels", "setDescription"}
_TEXT_CONSTRUCTORS = ("QPushButton", "QLabel", "QAction", "QToolButton", "QCheckBox", "QGroupBox",
                      "QgsProcessingParameter", "QgsProcessingOutput", "QgsProcessingException")


def _english_literal(node):
    """A string literal (or f-string) holding words: text a user would read untranslated."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        text = node.value
    elif isinstance(node, ast.JoinedStr):
        text = "".join(v.value for v in node.values if isinstance(v, ast.Constant))
    elif isinstance(node, (ast.List, ast.Tuple)):
        return any(_english_literal(e) for e in node.elts)
    else:
        return False
    return re.search(r"[A-Za-z]{3,}", text) is not None


def _core_error_names():
    tree = ast.parse((ROOT / "plugin" / "core" / "errors.py").read_text(encoding="utf-8"))
    return {node.name for node in tree.body if isinstance(node, ast.ClassDef)}


def test_no_user_visible_literal_escapes_translation():
    """Widget texts, message-bar and Processing messages, parameter labels (Qt side) and the errors of plugin/core
    are tr() templates, never bare English: a string added without tr() fails here, before a French user sees it."""
    errors = _core_error_names()
    found = []
    for path in sorted((ROOT / "plugin").rglob("*.py")):
        rel = path.relative_to(ROOT).as_posix()
        core = rel.startswith("plugin/core/")
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            name = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
            if core:
                texts = node.args[:1] if name in errors else []
            elif name in _TEXT_SETTERS:
                texts = node.args[:1]
            elif name.startswith(_TEXT_CONSTRUCTORS):
                texts = node.args[:2]
            else:
                continue
            if any(_english_literal(arg) for arg in texts):
                found.append(f"{rel}:{node.lineno} {name}")
    assert found == [], "user-visible text without tr() (plugin/qgis/i18n.py, plugin/core/i18n.py): " + str(found)


def test_algorithm_names_and_help_are_translated():
    """displayName/shortHelpString/group of every algorithm return tr() text, not a bare literal."""
    found = []
    for path in sorted((ROOT / "plugin" / "processing").glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.FunctionDef) and node.name in ("displayName", "shortHelpString", "group"):
                for ret in ast.walk(node):
                    if isinstance(ret, ast.Return) and ret.value is not None and _english_literal(ret.value):
                        found.append(f"{path.name}:{ret.lineno} {node.name}")
    assert found == []
