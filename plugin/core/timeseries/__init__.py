"""Time series over downloaded products: a profile at a point or a field, statistics per parcel over time,
temporal composites and gap-filled series. Pure Python (numpy + GDAL/OGR), like the rest of core."""
