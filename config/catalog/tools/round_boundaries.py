#!/usr/bin/env python3
"""Rounds the coordinates of a boundary GeoJSON to 6 decimals (about 0.1 m).

The source has 13-16 decimals, far below the accuracy of the boundaries themselves; rounding halves the file that
is embedded in the binaries (and the time to compile it). Usage: round_boundaries.py kecamatan.geojson
"""
import json
import sys


def rounded(value):
    if isinstance(value, float):
        return round(value, 6)
    if isinstance(value, list):
        return [rounded(v) for v in value]
    return value


path = sys.argv[1]
with open(path) as f:
    collection = json.load(f)
for feature in collection["features"]:
    feature["geometry"]["coordinates"] = rounded(feature["geometry"]["coordinates"])
    for key in ("label_lat", "label_lng"):
        if key in feature["properties"]:
            feature["properties"][key] = round(feature["properties"][key], 6)
collection["source"] += "; coordinates rounded to 6 decimals"
with open(path, "w") as f:
    json.dump(collection, f, ensure_ascii=False, separators=(",", ":"))
    f.write("\n")
