"""Names that come from a server are never trusted as paths."""
import errno
import os
import re
import tempfile

from .errors import FolderError, InvalidInputError
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


_FOLDER_PROBLEMS = {errno.EROFS: tr("it is on a read-only disk"), errno.EACCES: tr("permission denied"),
                    errno.EPERM: tr("permission denied"), errno.ENOTDIR: tr("part of its path is a file, not a folder"),
                    errno.EEXIST: tr("it is a file, not a folder"), errno.ENOSPC: tr("the disk is full")}


def folder_problem(error):
    """Plain words for an OSError met while creating or writing in a folder."""
    return _FOLDER_PROBLEMS.get(getattr(error, "errno", None)) or (getattr(error, "strerror", None) or str(error))


def writable_folder(folder, what=tr("download folder")):
    """Create `folder` if needed and prove we can write in it, or FolderError saying what to fix: a read-only
    folder must fail at once with one sentence, not after a round of download retries."""
    if not folder or not str(folder).strip():
        raise FolderError(tr("No {what} is set: choose one.", what=what))
    if os.path.exists(folder) and not os.path.isdir(folder):
        raise FolderError(tr("The {what} {folder} is a file, not a folder: choose a folder.",
                             what=what, folder=folder))
    try:
        os.makedirs(folder, exist_ok=True)
        fd, probe = tempfile.mkstemp(prefix=".sentinel-mirror-probe-", dir=folder)
        os.close(fd)
        os.remove(probe)
    except OSError as e:
        raise FolderError(tr("Cannot write in the {what} {folder} ({e}): choose a folder you can write to.",
                             what=what, folder=folder, e=folder_problem(e))) from e
    return folder
