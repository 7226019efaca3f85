"""Compact GeoJSON for the browser: coordinates as encoded polylines.

The map sends its vector layers inline, on every rerun. Written out as JSON
numbers a vertex costs about 24 bytes (``[117.12345, 36.12345], ``); as an
`encoded polyline <https://developers.google.com/maps/documentation/utilities/polylinealgorithm>`_
(Google's algorithm: integer steps from the previous vertex, zigzag-signed,
five bits per printable character) about 5 bytes, at the same precision.
Nothing is lost: at :data:`circlemap.settings.COORD_PRECISION` decimals
(1e-5 degrees, about 1 m) the decoded coordinates are the stored ones.

:func:`pack_geometry` replaces each line or ring of a GeoJSON geometry by its
encoded string (points stay numbers); ``L.circlemap.unpack`` in
``static/circlemap/circlemap.js`` turns them back into coordinates before
Leaflet draws them, and :func:`unpack_geometry` does the same in Python.
Coordinates are WGS-84 (or GCJ-02 for Amap) longitude/latitude degrees; the
encoded order is latitude, longitude, as the algorithm's definition has it.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Sequence
from typing import Any, Final

import numpy as np
import numpy.typing as npt
import shapely
from shapely.geometry.base import BaseGeometry

__all__ = [
    "decode",
    "encode",
    "encode_many",
    "pack_geometries",
    "pack_geometry",
    "unpack_geometry",
]

_MAX_CHUNKS: Final = 7
"""Five-bit chunks of the largest step (|step| < 2**34, far beyond ±180 degrees at 1e-5)."""


def encode(coords: npt.ArrayLike, precision: int) -> str:
    """Encode (lon, lat) pairs as one polyline string.

    Parameters
    ----------
    coords : array-like of shape (n, 2)
        Longitude, latitude in degrees.
    precision : int
        Decimal places kept (5: steps of 1e-5 degrees).

    Returns
    -------
    str
        Characters ``?`` (63) to ``~`` (126); empty for no coordinates.
    """
    xy = np.asarray(coords, dtype=np.float64).reshape(-1, 2)
    return encode_many(xy, [len(xy)], precision)[0]


def encode_many(coords: npt.ArrayLike, counts: Sequence[int], precision: int) -> list[str]:
    """Encode consecutive runs of (lon, lat) pairs, one string per run, in one pass.

    Parameters
    ----------
    coords : array-like of shape (n, 2)
        Every run's coordinates, one run after the other (degrees).
    counts : sequence of int
        Number of pairs in each run (summing to n).
    precision : int
        Decimal places kept.
    """
    xy = np.asarray(coords, dtype=np.float64).reshape(-1, 2)
    sizes = np.asarray(counts, dtype=np.int64)
    if sizes.sum() != len(xy):
        msg = f"counts add up to {sizes.sum()} pairs, coordinates hold {len(xy)}"
        raise ValueError(msg)
    if len(xy) == 0:
        return [""] * len(sizes)
    scaled = np.round(xy[:, ::-1] * 10.0**precision).astype(np.int64)  # lat, lon
    steps = np.diff(scaled, axis=0, prepend=np.zeros((1, 2), dtype=np.int64))
    firsts = (np.cumsum(sizes) - sizes)[sizes > 0]
    steps[firsts] = scaled[firsts]  # each run starts from (0, 0)
    values = steps.ravel()
    zigzag = np.where(values < 0, ~(values << 1), values << 1)
    shifts = 5 * np.arange(_MAX_CHUNKS, dtype=np.int64)
    high = zigzag[:, None] >> shifts
    # A value takes as many chunks as its highest set bit asks for (at least one);
    # every chunk but its last carries the continuation bit 0x20.
    used = np.maximum(1, (high > 0).sum(axis=1))
    index = np.arange(_MAX_CHUNKS)[None, :]
    chars = (high & 0x1F) + 63 + np.where(index < used[:, None] - 1, 0x20, 0)
    text = chars[index < used[:, None]].astype(np.uint8).tobytes().decode("ascii")
    # Characters per run, then slices of the one string.
    per_pair = np.cumsum(np.concatenate([[0], used.reshape(-1, 2).sum(axis=1)]))
    bounds = per_pair[np.cumsum(np.concatenate([[0], sizes]))].tolist()
    return [text[start:end] for start, end in itertools.pairwise(bounds)]


def decode(text: str, precision: int) -> npt.NDArray[np.float64]:
    """The (lon, lat) pairs of a polyline string (inverse of :func:`encode`).

    Returns
    -------
    numpy.ndarray
        Shape (n, 2): longitude, latitude in degrees.
    """
    raw = np.frombuffer(text.encode("ascii"), dtype=np.uint8).astype(np.int64) - 63
    if len(raw) == 0:
        return np.zeros((0, 2))
    last = raw < 0x20  # the final chunk of each value
    starts = np.flatnonzero(np.concatenate([[True], last[:-1]]))
    owner = np.concatenate([[0], np.cumsum(last)[:-1]])
    chunk_index = np.arange(len(raw)) - starts[owner]
    zigzag = np.add.reduceat((raw & 0x1F) << (5 * chunk_index), starts)
    steps = np.where(zigzag & 1, ~(zigzag >> 1), zigzag >> 1)
    lat_lon = np.cumsum(steps.reshape(-1, 2), axis=0)
    return lat_lon[:, ::-1] / 10.0**precision


def _point(geom: BaseGeometry, precision: int) -> list[float]:
    return [round(float(geom.x), precision), round(float(geom.y), precision)]


def _coordinates(geom: BaseGeometry, line: Callable[[BaseGeometry], Any], precision: int) -> Any:
    """GeoJSON ``coordinates`` of ``geom`` with ``line(part)`` for each line and ring."""
    kind = geom.geom_type
    if kind == "Point":
        return _point(geom, precision)
    if kind == "MultiPoint":
        return [_point(p, precision) for p in geom.geoms]
    if kind == "LineString":
        return line(geom)
    if kind == "MultiLineString":
        return [line(p) for p in geom.geoms]
    if kind == "Polygon":
        return [line(geom.exterior), *(line(r) for r in geom.interiors)]
    if kind == "MultiPolygon":
        return [[line(p.exterior), *(line(r) for r in p.interiors)] for p in geom.geoms]
    msg = f"cannot pack a {kind}"
    raise ValueError(msg)


def pack_geometries(geoms: Sequence[BaseGeometry], precision: int) -> list[dict[str, Any]]:
    """GeoJSON geometries whose lines and rings are polyline strings.

    Points (and the points of a MultiPoint) stay ``[lon, lat]`` numbers,
    rounded to ``precision`` decimals. Every line of every geometry is
    encoded in one vectorised pass (:func:`encode_many`).

    Raises
    ------
    ValueError
        For a geometry collection (never stored in this app).
    """
    lines: list[BaseGeometry] = []
    for geom in geoms:
        _coordinates(geom, lines.append, precision)
    if lines:
        coords, owner = shapely.get_coordinates(np.asarray(lines, dtype=object), return_index=True)
        counts = np.bincount(owner, minlength=len(lines)).tolist()
    else:
        coords, counts = np.zeros((0, 2)), []
    encoded = iter(encode_many(coords, counts, precision))
    return [
        {"type": g.geom_type, "coordinates": _coordinates(g, lambda _: next(encoded), precision)}
        for g in geoms
    ]


def pack_geometry(geom: BaseGeometry, precision: int) -> dict[str, Any]:
    """One geometry packed as :func:`pack_geometries` packs many."""
    return pack_geometries([geom], precision)[0]


def _unpacked(value: Any, precision: int) -> Any:
    if isinstance(value, str):
        return decode(value, precision).tolist()
    if isinstance(value, list) and value and not isinstance(value[0], int | float):
        return [_unpacked(v, precision) for v in value]
    return value


def unpack_geometry(packed: dict[str, Any], precision: int) -> dict[str, Any]:
    """The plain GeoJSON geometry of a :func:`pack_geometry` result."""
    return {"type": packed["type"], "coordinates": _unpacked(packed["coordinates"], precision)}
