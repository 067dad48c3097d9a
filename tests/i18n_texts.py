"""What "no English left" means, shared by the headless and the desktop French tests.

An English text is one of the plugin's own source strings (i18n/sentinel_mirror_fr.ts) whose French translation
differs from it ("Date", "Collection" read the same in both languages and prove nothing), found in a visible
widget text as is, or as the formatted form of a template ("Results: 12 products" for "Results: {n} products").
Texts of QGIS's own widgets are not ours and are only reported when they equal one of our strings.
Runs inside QGIS (tests/qgis, or the desktop through tests/desktop/french_dock.py): Qt only, no pytest.
"""
import re
import string
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

from qgis.PyQt.QtWidgets import (QAbstractButton, QAbstractItemView, QComboBox, QGroupBox, QLabel, QLineEdit,
                                 QProgressBar, QTabWidget, QWidget)
from qgis.PyQt.QtCore import Qt

ROOT = Path(__file__).resolve().parents[1]
TS = ROOT / "i18n" / "sentinel_mirror_fr.ts"
_TAG = re.compile(r"<[^>]+>")


def ensure_qm(ts=TS):
    """Build the .qm (a build product, not committed) when it is missing or older than its .ts."""
    qm = ts.with_suffix(".qm")
    if not qm.exists() or qm.stat().st_mtime < ts.stat().st_mtime:
        subprocess.run([sys.executable, str(ROOT / "scripts" / "i18n.py"), "release"], check=True)
    return qm


def plain(text):
    """Rich text as the user reads it: tags out, <br> as a line break, spaces normalised."""
    text = re.sub(r"<br\s*/?>", "\n", text or "", flags=re.I)
    return _TAG.sub("", text).replace("\u00a0", " ").replace("\u202f", " ").strip()


def catalogue(ts=TS):
    """[(source, translation)] of the .ts, every context."""
    return [(m.findtext("source"), m.find("translation").text or "") for m in ET.parse(ts).getroot().iter("message")]


class EnglishDetector:
    """english(text) -> the English source a text shows, or None."""

    def __init__(self, ts=TS):
        self.exact, self.patterns = set(), []
        for source, translation in catalogue(ts):
            if plain(source) == plain(translation):
                continue
            literal = "".join(part for part, *_ in string.Formatter().parse(source)) if "{" in source else source
            if sum(c.isalpha() for c in plain(literal)) < 4:   # "{service}: {parts}.", "%p %": nothing to see
                continue
            if "{" not in source:
                self.exact.add(plain(source))
                continue
            regex = ""
            for part, name, _, _ in string.Formatter().parse(plain(source)):
                regex += re.escape(part) + (".+?" if name is not None else "")
            self.patterns.append((re.compile(regex, re.S), source))

    def english(self, text):
        text = plain(text)
        if not text:
            return None
        candidates = [text] + [line.strip() for line in text.splitlines() if line.strip()]
        for candidate in candidates:
            if candidate in self.exact:
                return candidate
            for pattern, source in self.patterns:
                if pattern.fullmatch(candidate):
                    return source
        return None


def widget_texts(root):
    """[(where, text)]: every text the visible widgets under `root` show (and their tooltips), with table headers
    and cells, combo items, placeholders and progress-bar texts."""
    out = []

    def add(widget, kind, text):
        if text and str(text).strip():
            out.append((f"{type(widget).__name__}:{widget.objectName() or '?'}:{kind}", str(text)))

    for widget in [root] + root.findChildren(QWidget):
        if not widget.isVisible():
            continue
        add(widget, "tooltip", widget.toolTip())
        if isinstance(widget, QLabel):
            add(widget, "text", widget.text())
        elif isinstance(widget, QAbstractButton):
            add(widget, "text", widget.text())
        elif isinstance(widget, QGroupBox):
            add(widget, "title", widget.title())
        elif isinstance(widget, QLineEdit):
            add(widget, "placeholder", widget.placeholderText())
        elif isinstance(widget, QComboBox):
            for i in range(widget.count()):
                add(widget, f"item {i}", widget.itemText(i))
                add(widget, f"item {i} tooltip", widget.itemData(i, Qt.ItemDataRole.ToolTipRole))
        elif isinstance(widget, QProgressBar):
            add(widget, "text", widget.text())
        elif isinstance(widget, QTabWidget):
            for i in range(widget.count()):
                add(widget, f"tab {i}", widget.tabText(i))
        if isinstance(widget, QAbstractItemView) and widget.model() is not None:
            model = widget.model()
            for column in range(model.columnCount()):
                for role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
                    add(widget, f"header {column}", model.headerData(column, Qt.Orientation.Horizontal, role))
                for row in range(min(model.rowCount(), 50)):
                    for role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
                        add(widget, f"cell {row},{column}", model.index(row, column).data(role))
    return out


def english_left(root, detector=None):
    """[(where, text, source)] for every visible text under `root` that is one of our English strings."""
    detector = detector or EnglishDetector()
    found = []
    for where, text in widget_texts(root):
        source = detector.english(text)
        if source is not None:
            found.append((where, text, source))
    return found
