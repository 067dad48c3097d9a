"""Sentinel-1 GRD: reading products (grd), radiometric calibration (calibration), geocoding onto a map grid
(geocode) and the before/after flood map (flood). Pure Python: numpy and GDAL only."""
