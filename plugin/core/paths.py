"""Names that come from a server are never trusted as paths."""
import os
import re

from .errors import InvalidInputError
from .i18n import tr

_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


def safe_filename(name, suffix=""):
    """A single path component made from a server-provided name: no separators, no '..', no control chars."""
    base = _UNSAFE.sub("_", os.path.basename(str(name).replace("\\", "/"))).strip("._") or "product"
    return base[:200] + suffix


def inside(folder, name):
    """Join a (sanitised) name to folder and prove the result stays inside it."""
    root = os.path.realpath(folder)
    path = os.path.realpath(os.path.join(root, name))
    if os.path.commonpath([root, path]) != root:
        raise InvalidInputError(tr("Refusing to write {name!r} outside {folder}.", name=name, folder=folder))
    return path
