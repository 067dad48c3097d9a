#!/usr/bin/env python3
"""Build the installable plugin zip: one top folder sentinel_mirror/ holding only the plugin's own files.

    scripts/build_zip.py [DEST_DIR]        -> DEST_DIR/sentinel_mirror-<version>.zip (default dist/), path printed

Files come from metadata.txt, __init__.py, LICENSE, plugin/, ui/, resources/, i18n/. In a git checkout they are
the tracked files plus new files not ignored by .gitignore (so work not yet committed is included, stray build
products are not), plus the compiled .qm translations (built here from the .ts when missing or older; the .ts
sources stay out); elsewhere the folders are walked. Caches, compiled files and dotfiles never go in.
Stdlib only, runs on the system python3.
"""
import configparser
import os
import subprocess
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PLUGIN_ID = "sentinel_mirror"
INCLUDE = ("metadata.txt", "__init__.py", "LICENSE", "plugin", "ui", "resources", "i18n")
_SKIP_SUFFIXES = (".pyc", ".pyo", ".ts", ".orig", ".rej", ".part")


def _excluded(rel):
    parts = Path(rel).parts
    return any(p.startswith(".") or p == "__pycache__" for p in parts) or rel.endswith(_SKIP_SUFFIXES)


def plugin_files(root=ROOT):
    """Relative paths (sorted, posix) of the files that belong in the zip."""
    try:
        out = subprocess.run(
            ["git", "-C", str(root), "ls-files", "-z", "--cached", "--others", "--exclude-standard", "--", *INCLUDE],
            check=True, capture_output=True).stdout.decode()
        candidates = [p for p in out.split("\0") if p]
        # the .qm are build products (ignored by git) that belong in the zip
        candidates += [p.relative_to(root).as_posix() for p in (root / "i18n").glob("*.qm")]
    except (OSError, subprocess.CalledProcessError):
        candidates = []
        for name in INCLUDE:
            path = root / name
            found = [path] if path.is_file() else [p for p in path.rglob("*") if p.is_file()]
            candidates += [p.relative_to(root).as_posix() for p in found]
    # tracked-but-deleted files are listed by git: keep what exists on disk
    return sorted({p for p in candidates if (root / p).is_file() and not _excluded(p)})


def version(root=ROOT):
    parser = configparser.ConfigParser(interpolation=None)
    parser.read(root / "metadata.txt", encoding="utf-8")
    return parser["general"]["version"]


def build_translations(root=ROOT):
    """Build each .qm that is missing or older than its .ts (lrelease, through scripts/i18n.py)."""
    stale = [ts for ts in (root / "i18n").glob("*.ts")
             if not ts.with_suffix(".qm").exists() or ts.with_suffix(".qm").stat().st_mtime < ts.stat().st_mtime]
    if stale:
        subprocess.run([sys.executable, str(root / "scripts" / "i18n.py"), "release"], check=True)


def build_zip(dest_dir, root=ROOT):
    build_translations(root)
    dest_dir = Path(dest_dir)
    dest_dir.mkdir(parents=True, exist_ok=True)
    target = dest_dir / f"{PLUGIN_ID}-{version(root)}.zip"
    tmp = target.with_name(f".{target.name}.{os.getpid()}.tmp")  # parallel builds do not share a temp file
    with zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as zf:
        for rel in plugin_files(root):
            zf.write(root / rel, f"{PLUGIN_ID}/{rel}")
    tmp.replace(target)  # never leave a half-written zip under the final name
    return target


if __name__ == "__main__":
    print(build_zip(sys.argv[1] if len(sys.argv) > 1 else ROOT / "dist"))
