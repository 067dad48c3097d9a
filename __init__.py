"""Sentinel Mirror QGIS plugin: QGIS calls classFactory; everything else loads lazily."""


def classFactory(iface):  # noqa: N802 (QGIS API name)
    from .plugin.main import SentinelMirrorPlugin

    return SentinelMirrorPlugin(iface)
