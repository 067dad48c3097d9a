"""Which download folders have products on tape being watched, per catalogue, and what the run that started each
watch asked for (the index to compute, the layers to load: `choices`): kept in QgsSettings so the plugin resumes
the watches at its next start and treats what they bring like that run did. The products themselves are in each
folder's journal (core/journal.py)."""
import json

from qgis.core import QgsSettings

KEY = "sentinel_mirror/watches"
# what the run asked for: compute (which index, stored how, on which grid), views, load; and whether the account
# logs in with a one-time code (CDSE two-factor): a resumed watch then asks for a code instead of a login the
# service refuses
CHOICE_KEYS = ("ndvi", "index", "encoding", "resolution", "views", "load", "two_factor")


def registered(settings=None):
    """[(folder, provider name)], in the order they were added; junk in the settings is ignored."""
    s = settings or QgsSettings()
    try:
        items = json.loads(s.value(KEY, "[]") or "[]")
    except (TypeError, ValueError):
        return []
    return [(str(i["folder"]), str(i["provider"])) for i in items
            if isinstance(i, dict) and i.get("folder") and i.get("provider")]


def choices(folder, provider_name, settings=None):
    """The registered run's choices for this watch ({} if none were given): ndvi (bool), index (str), encoding
    ("float32" | "int16"), resolution (10 | 20), views (bool), load (bool), two_factor (bool)."""
    return dict(_entries(settings).get((folder, provider_name)) or {})


def register(folder, provider_name, settings=None, choices=None):
    """Add the watch (kept in order); `choices` (a dict of plain values) replaces the stored ones when given."""
    entries = _entries(settings)
    key = (folder, provider_name)
    if choices is not None or key not in entries:
        entries[key] = dict(choices) if choices is not None else entries.get(key, {})
        _save(entries, settings)


def forget(folder, provider_name, settings=None):
    entries = _entries(settings)
    entries.pop((folder, provider_name), None)
    _save(entries, settings)


def _entries(settings=None):
    """{(folder, provider name): choices}, in registration order; junk choices read as none."""
    s = settings or QgsSettings()
    try:
        items = json.loads(s.value(KEY, "[]") or "[]")
    except (TypeError, ValueError):
        items = []
    out = {}
    for key in registered(settings):
        item = next(i for i in items if isinstance(i, dict) and (str(i.get("folder")), str(i.get("provider"))) == key)
        found = item.get("choices")
        out[key] = {k: v for k, v in found.items() if k in CHOICE_KEYS} if isinstance(found, dict) else {}
    return out


def _save(entries, settings=None):
    (settings or QgsSettings()).setValue(KEY, json.dumps([{"folder": f, "provider": p, "choices": c}
                                                          for (f, p), c in entries.items()]))
