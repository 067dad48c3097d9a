#!/usr/bin/env python3
"""The plugin's translations: i18n/sentinel_mirror_<lang>.ts is the source of truth, the .qm is built from it.

    scripts/i18n.py update     extract every tr()/.ui string of plugin/ and ui/ into the .ts files (pylupdate5),
                               drop strings the code no longer has, keep translations; line numbers are left out
                               so an edit elsewhere in a file does not change the .ts
    scripts/i18n.py release    build the .qm files (lrelease) next to the .ts
    scripts/i18n.py check      what `update` would change, without writing (exit 1 if anything): the .ts is out
                               of date with the code

pylupdate5 comes from Debian's pyqt5-dev-tools, lrelease from qttools5-dev-tools (scripts/setup-harness.sh).
Stdlib only, runs on the system python3.
"""
import re
import shutil
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
I18N = ROOT / "i18n"
LANGUAGES = ("fr",)
TS_FILES = [I18N / f"sentinel_mirror_{lang}.ts" for lang in LANGUAGES]
_LINE = re.compile(r'(<location filename="[^"]*") line="\d+"/>')


def sources(root=ROOT):
    """The files pylupdate5 reads: the plugin's Python modules and the Qt Designer forms (sorted)."""
    return sorted([*(root / "plugin").rglob("*.py"), *(root / "ui").glob("*.ui")])


def _tool(name, package):
    path = shutil.which(name)
    if path is None:
        sys.exit(f"{name} is missing: install Debian's {package} (make setup)")
    return path


def extract(ts_path, root=ROOT):
    """Run pylupdate5 into ts_path (created or merged), then strip line numbers (stable diffs)."""
    files = [str(p.relative_to(root)) for p in sources(root)]
    rel_ts = str(Path(ts_path).resolve()) if not str(ts_path).startswith(str(root)) else \
        str(Path(ts_path).relative_to(root))
    subprocess.run([_tool("pylupdate5", "pyqt5-dev-tools"), "-noobsolete", "-tr-function", "tr_noop", *files,
                    "-ts", rel_ts],
                   cwd=root, check=True, capture_output=True)
    path = Path(ts_path)
    path.write_text(_LINE.sub(r"\1/>", path.read_text(encoding="utf-8")), encoding="utf-8")


def messages(ts_path):
    """{(context, source): (translation, type)} of a .ts file."""
    out = {}
    for context in ET.parse(ts_path).getroot().iter("context"):
        name = context.findtext("name")
        for message in context.iter("message"):
            translation = message.find("translation")
            out[(name, message.findtext("source"))] = (translation.text or "", translation.get("type", ""))
    return out


def stale(ts_path, root=ROOT):
    """(missing, gone): sources in the code not in the .ts, and sources in the .ts the code no longer has."""
    with tempfile.TemporaryDirectory() as tmp:
        copy = Path(tmp) / Path(ts_path).name
        shutil.copy(ts_path, copy)
        extract(copy, root)
        fresh = messages(copy)
    current = messages(ts_path)
    missing = sorted(k for k in fresh if k not in current)
    gone = sorted(k for k in current if k not in fresh)
    return missing, gone


def release(root=ROOT):
    lrelease = _tool("lrelease", "qttools5-dev-tools")
    for ts in TS_FILES:
        subprocess.run([lrelease, "-silent", str(ts), "-qm", str(ts.with_suffix(".qm"))], check=True)


def main(argv):
    command = argv[1] if len(argv) > 1 else "update"
    if command == "update":
        for ts in TS_FILES:
            extract(ts)
            todo = [k for k, (text, kind) in messages(ts).items() if not text or kind == "unfinished"]
            print(f"{ts.relative_to(ROOT)}: {len(messages(ts))} strings, {len(todo)} to translate")
    elif command == "release":
        release()
    elif command == "check":
        bad = False
        for ts in TS_FILES:
            missing, gone = stale(ts)
            for context, source in missing:
                print(f"{ts.name}: not extracted yet [{context}] {source!r}")
            for context, source in gone:
                print(f"{ts.name}: no longer in the code [{context}] {source!r}")
            bad = bad or bool(missing or gone)
        if bad:
            print("run `make i18n` and translate the new strings")
        return 1 if bad else 0
    else:
        sys.exit(__doc__)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
