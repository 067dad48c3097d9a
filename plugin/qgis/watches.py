"""Which download folders have products on tape being watched, per catalogue: kept in QgsSettings so the plugin
resumes the watches at its next start. The products themselves are in each folder's journal (core/journal.py)."""
import json

from qgis.core import QgsSettings

KEY = "sentinel_mirror/watches"


def registered(settings=None):
    """[(folder, provider name)], in the order they were added; junk in the settings is ignored."""
    s = settings or QgsSettings()
    try:
        items = json.loads(s.value(KEY, "[]") or "[]")
    except (TypeError, ValueError):
        return []
    return [(str(i["folder"]), str(i["provider"])) for i in items
            if isinstance(i, dict) and i.get("folder") and i.get("provider")]


def register(folder, provider_name, settings=None):
    items = registered(settings)
    if (folder, provider_name) not in items:
        _save(items + [(folder, provider_name)], settings)


def forget(folder, provider_name, settings=None):
    _save([i for i in registered(settings) if i != (folder, provider_name)], settings)


def _save(items, settings=None):
    (settings or QgsSettings()).setValue(KEY, json.dumps([{"folder": f, "provider": p} for f, p in items]))
