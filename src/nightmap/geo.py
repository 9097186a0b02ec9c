"""Geography: datum conversion, the zone and district files, and zone checks.

Chinese web maps (AMap/高德, the basemap of this app) use **GCJ-02**, an
officially obfuscated datum that is offset from WGS-84 by a few hundred metres
(near Jiaozuo: about 580 m east and 56 m south). Every file in ``data/`` is
stored in **WGS-84** (EPSG:4326); geometries are converted to GCJ-02 only at
the moment they are drawn on a GCJ-02 basemap, and converted back to WGS-84
when an official redraws a zone on that basemap.

The conversion is the published closed-form GCJ-02 formula (forward), and a
fixed-point iteration of it for the inverse (to below 1e-7 degrees). Points
outside China are returned unchanged, as the formula defines.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from numpy.typing import ArrayLike
from pyproj import Transformer
from shapely.geometry import shape
from shapely.geometry.base import BaseGeometry

from nightmap import config, i18n
from nightmap.schema import CONFIDENCE_LEVELS, UNKNOWN_CONFIDENCE

ZONE_COLUMNS: tuple[str, ...] = (
    "zone_id",
    "name_zh",
    "name_en",
    "kind",
    "categories",
    "address_zh",
    "location_note",
    "location_confidence",
)
"""Property names of every feature in ``zones.geojson``, in file order."""

DISTRICT_COLUMNS: tuple[str, ...] = ("code", "name_zh", "name_en", "is_focus")
"""Property names of every feature in ``districts.geojson``."""

FOCUS_CODE = "410802"
"""Administrative code of 解放区 (Jiefang District)."""

METRIC_CRS = "EPSG:32649"
"""UTM zone 49N: metric CRS used to measure lengths and areas around Jiaozuo."""

MAX_ZONE_AREA_KM2 = 2.0
"""A zone larger than this is almost certainly a drawing mistake."""

# Krasovsky 1940 ellipsoid, as used by the GCJ-02 formula.
_A = 6378245.0
_EE = 0.00669342162296594323
_INVERSE_TOLERANCE = 1e-8  # degrees; comfortably below the 1e-7 target
_INVERSE_MAX_ITER = 30

_TO_METRIC = Transformer.from_crs("EPSG:4326", METRIC_CRS, always_xy=True)


# --------------------------------------------------------------------------- datum


def _outside_china(lon: np.ndarray, lat: np.ndarray) -> np.ndarray:
    """Boolean mask of points outside the rough China box where GCJ-02 applies."""
    return (lon < 72.004) | (lon > 137.8347) | (lat < 0.8293) | (lat > 55.8271)


def _transform_lat(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Latitude term of the GCJ-02 offset (``x = lon - 105``, ``y = lat - 35``)."""
    ret = -100.0 + 2.0 * x + 3.0 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * np.sqrt(np.abs(x))
    ret += (20.0 * np.sin(6.0 * x * np.pi) + 20.0 * np.sin(2.0 * x * np.pi)) * 2.0 / 3.0
    ret += (20.0 * np.sin(y * np.pi) + 40.0 * np.sin(y / 3.0 * np.pi)) * 2.0 / 3.0
    ret += (160.0 * np.sin(y / 12.0 * np.pi) + 320.0 * np.sin(y * np.pi / 30.0)) * 2.0 / 3.0
    return ret


def _transform_lon(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Longitude term of the GCJ-02 offset (``x = lon - 105``, ``y = lat - 35``)."""
    ret = 300.0 + x + 2.0 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * np.sqrt(np.abs(x))
    ret += (20.0 * np.sin(6.0 * x * np.pi) + 20.0 * np.sin(2.0 * x * np.pi)) * 2.0 / 3.0
    ret += (20.0 * np.sin(x * np.pi) + 40.0 * np.sin(x / 3.0 * np.pi)) * 2.0 / 3.0
    ret += (150.0 * np.sin(x / 12.0 * np.pi) + 300.0 * np.sin(x / 30.0 * np.pi)) * 2.0 / 3.0
    return ret


def _gcj_offset(lon: np.ndarray, lat: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """GCJ-02 minus WGS-84, in degrees, for WGS-84 input; zero outside China."""
    x = lon - 105.0
    y = lat - 35.0
    rad_lat = lat / 180.0 * np.pi
    magic = 1.0 - _EE * np.sin(rad_lat) ** 2
    sqrt_magic = np.sqrt(magic)
    dlat = _transform_lat(x, y) * 180.0 / ((_A * (1.0 - _EE)) / (magic * sqrt_magic) * np.pi)
    dlon = _transform_lon(x, y) * 180.0 / (_A / sqrt_magic * np.cos(rad_lat) * np.pi)
    outside = _outside_china(lon, lat)
    return np.where(outside, 0.0, dlon), np.where(outside, 0.0, dlat)


def _as_arrays(lon: ArrayLike, lat: ArrayLike) -> tuple[np.ndarray, np.ndarray]:
    """Float arrays of the inputs, broadcast to a common shape."""
    lon_arr, lat_arr = np.broadcast_arrays(np.asarray(lon, dtype=float), np.asarray(lat, dtype=float))
    return lon_arr, lat_arr


def _like_input(lon: np.ndarray, lat: np.ndarray) -> tuple[Any, Any]:
    """Python floats for 0-d results, arrays otherwise."""
    if lon.ndim == 0:
        return float(lon), float(lat)
    return lon, lat


def wgs84_to_gcj02(lon: ArrayLike, lat: ArrayLike) -> tuple[Any, Any]:
    """Convert WGS-84 coordinates to GCJ-02 (the AMap datum).

    Parameters
    ----------
    lon, lat : float or array_like
        WGS-84 longitude and latitude in degrees (broadcast together).

    Returns
    -------
    tuple
        ``(lon, lat)`` in GCJ-02: floats for scalar input, arrays of the
        broadcast shape otherwise. Points outside China are unchanged.
    """
    lon_arr, lat_arr = _as_arrays(lon, lat)
    dlon, dlat = _gcj_offset(lon_arr, lat_arr)
    return _like_input(lon_arr + dlon, lat_arr + dlat)


def gcj02_to_wgs84(lon: ArrayLike, lat: ArrayLike) -> tuple[Any, Any]:
    """Convert GCJ-02 coordinates back to WGS-84 by iterating the forward formula.

    Starting from the GCJ-02 point itself, the estimate is corrected by the
    residual of the forward conversion until the residual is below 1e-8
    degrees (well under the 1e-7 target) or 30 iterations have run.

    Parameters
    ----------
    lon, lat : float or array_like
        GCJ-02 longitude and latitude in degrees (broadcast together).

    Returns
    -------
    tuple
        ``(lon, lat)`` in WGS-84, same shape convention as :func:`wgs84_to_gcj02`.
    """
    g_lon, g_lat = _as_arrays(lon, lat)
    w_lon, w_lat = g_lon.copy(), g_lat.copy()
    for _ in range(_INVERSE_MAX_ITER):
        dlon, dlat = _gcj_offset(w_lon, w_lat)
        err_lon = w_lon + dlon - g_lon
        err_lat = w_lat + dlat - g_lat
        w_lon = w_lon - err_lon
        w_lat = w_lat - err_lat
        if (
            max(np.max(np.abs(err_lon), initial=0.0), np.max(np.abs(err_lat), initial=0.0))
            < _INVERSE_TOLERANCE
        ):
            break
    return _like_input(w_lon, w_lat)


def _coords_to_gcj02(coords: np.ndarray) -> np.ndarray:
    """``(N, 2)`` WGS-84 coordinate array to GCJ-02."""
    lon, lat = wgs84_to_gcj02(coords[:, 0], coords[:, 1])
    return np.column_stack([lon, lat])


def _coords_to_wgs84(coords: np.ndarray) -> np.ndarray:
    """``(N, 2)`` GCJ-02 coordinate array to WGS-84."""
    lon, lat = gcj02_to_wgs84(coords[:, 0], coords[:, 1])
    return np.column_stack([lon, lat])


def geometry_to_gcj02(geom: BaseGeometry) -> BaseGeometry:
    """Return a copy of a WGS-84 shapely geometry with GCJ-02 coordinates."""
    return shapely.transform(geom, _coords_to_gcj02)


def geometry_to_wgs84(geom: BaseGeometry) -> BaseGeometry:
    """Return a copy of a GCJ-02 shapely geometry with WGS-84 coordinates."""
    return shapely.transform(geom, _coords_to_wgs84)


def frame_to_gcj02(gdf: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Return a copy of a WGS-84 GeoDataFrame with geometries moved to GCJ-02.

    The input is never modified. The CRS label stays EPSG:4326 because GCJ-02
    has no EPSG code; the result is meant only for drawing on GCJ-02 tiles.
    """
    out = gdf.copy()
    out[out.geometry.name] = gpd.GeoSeries(
        shapely.transform(np.asarray(gdf.geometry.values, dtype=object), _coords_to_gcj02),
        index=gdf.index,
        crs=gdf.crs,
    )
    return out


# --------------------------------------------------------------------------- files


def _read_features(path: Path) -> list[dict[str, Any]]:
    """Features of a GeoJSON FeatureCollection, parsed with :mod:`json`."""
    with Path(path).open(encoding="utf-8") as fh:
        return json.load(fh)["features"]


def _frame(features: list[dict[str, Any]], columns: tuple[str, ...]) -> gpd.GeoDataFrame:
    """GeoDataFrame in EPSG:4326 with ``columns`` (in order) and a geometry column."""
    gdf = gpd.GeoDataFrame.from_features(features, crs="EPSG:4326")
    for col in columns:
        if col not in gdf.columns:
            gdf[col] = None
    return gdf[[*columns, "geometry"]]


def load_zones(path: Path | None = None) -> gpd.GeoDataFrame:
    """Load the campaign zones.

    Parameters
    ----------
    path : Path, optional
        GeoJSON file; default ``config.data_dir() / "zones.geojson"``.

    Returns
    -------
    geopandas.GeoDataFrame
        One row per zone in file order, columns :data:`ZONE_COLUMNS` plus
        ``geometry``, CRS EPSG:4326 (WGS-84); ``categories`` holds Python lists.
    """
    features = _read_features(path or config.data_dir() / "zones.geojson")
    gdf = _frame(features, ZONE_COLUMNS)
    gdf["categories"] = [_as_list(value) for value in gdf["categories"]]
    gdf["location_confidence"] = [_confidence(v) for v in gdf["location_confidence"]]
    return gdf


def _confidence(value: Any) -> str:
    """A known confidence level, or :data:`UNKNOWN_CONFIDENCE` when missing or unknown."""
    text = str(value).strip().lower() if isinstance(value, str) else ""
    return text if text in CONFIDENCE_LEVELS else UNKNOWN_CONFIDENCE


def _as_list(value: Any) -> list[str]:
    """Categories as a list, whether stored as a JSON list or a JSON string."""
    if isinstance(value, str):
        value = json.loads(value)
    return list(value) if value is not None else []


def load_districts(path: Path | None = None) -> gpd.GeoDataFrame:
    """Load the district boundaries (解放区 and its three neighbours).

    Parameters
    ----------
    path : Path, optional
        GeoJSON file; default ``config.data_dir() / "districts.geojson"``.

    Returns
    -------
    geopandas.GeoDataFrame
        Columns :data:`DISTRICT_COLUMNS` plus ``geometry``, CRS EPSG:4326.
    """
    features = _read_features(path or config.data_dir() / "districts.geojson")
    gdf = _frame(features, DISTRICT_COLUMNS)
    gdf["code"] = gdf["code"].astype(str)
    gdf["is_focus"] = gdf["is_focus"].astype(bool)
    return gdf


ROAD_COLUMNS: tuple[str, ...] = ("road_id", "name_zh", "name_en", "note")
"""Property names of every feature in ``roads.geojson``."""


def load_roads(path: Path | None = None) -> gpd.GeoDataFrame:
    """Load the reference roads drawn on the schematic map (解放路, 民主路, 丰收路, 人民路).

    Only the stretches whose course the evidence gives are in the file (written by
    ``scripts/make_zones.py``); each ``note`` says how it was placed and that it is
    approximate.

    Parameters
    ----------
    path : Path, optional
        GeoJSON file; default ``config.data_dir() / "roads.geojson"``.

    Returns
    -------
    geopandas.GeoDataFrame
        Columns :data:`ROAD_COLUMNS` plus ``geometry`` (LineStrings), CRS EPSG:4326;
        empty when the file does not exist (a data folder without roads).
    """
    path = Path(path or config.data_dir() / "roads.geojson")
    if not path.exists():
        return gpd.GeoDataFrame({c: [] for c in ROAD_COLUMNS}, geometry=[], crs="EPSG:4326")
    return _frame(_read_features(path), ROAD_COLUMNS)


def focus_district(districts: gpd.GeoDataFrame) -> BaseGeometry:
    """Geometry of 解放区 (the focus district) from :func:`load_districts` output.

    Raises
    ------
    ValueError
        If no row is marked ``is_focus`` or has code 410802.
    """
    rows = districts[districts["is_focus"].astype(bool) | (districts["code"].astype(str) == FOCUS_CODE)]
    if rows.empty:
        raise ValueError("districts contain no focus district (解放区, 410802)")
    return rows.geometry.iloc[0]


# --------------------------------------------------------------------------- checks


def metric_area_km2(geom: BaseGeometry) -> float:
    """Area of a WGS-84 geometry in square kilometres (measured in UTM 49N)."""
    return shapely.transform(geom, _to_metric).area / 1e6


def _to_metric(coords: np.ndarray) -> np.ndarray:
    """``(N, 2)`` WGS-84 coordinates to UTM 49N metres."""
    x, y = _TO_METRIC.transform(coords[:, 0], coords[:, 1])
    return np.column_stack([x, y])


def zone_problems(geom: BaseGeometry | None, district_geom: BaseGeometry | None) -> list[str]:
    """Problems that make a drawn zone unusable, as "中文 / English" messages.

    Parameters
    ----------
    geom : shapely geometry or None
        The zone, WGS-84.
    district_geom : shapely geometry or None
        解放区's boundary, WGS-84 (see :func:`focus_district`); ``None`` skips
        the containment check.

    Returns
    -------
    list of str
        Empty when the zone is acceptable.
    """
    if geom is None or geom.geom_type not in ("Polygon", "MultiPolygon"):
        kind = "nothing" if geom is None else geom.geom_type
        return [i18n.both_text("geo.not_polygon", sep="/ ", kind=kind)]
    if geom.is_empty:
        return [i18n.both_text("geo.empty")]
    problems: list[str] = []
    if not geom.is_valid:
        reason = shapely.is_valid_reason(geom)
        problems.append(i18n.both_text("geo.invalid", sep="/ ") + f": {reason}")  # shapely's reason, in English
        geom = shapely.make_valid(geom)
    if district_geom is not None:
        problems.extend(_containment_problems(geom, district_geom))
    area = metric_area_km2(geom)
    if area > MAX_ZONE_AREA_KM2:
        problems.append(i18n.both_text("geo.too_large", sep="/ ", area=area, limit=MAX_ZONE_AREA_KM2))
    return problems


def _containment_problems(geom: BaseGeometry, district_geom: BaseGeometry) -> list[str]:
    """One message if the zone lies wholly or partly outside the district (1 m² tolerance)."""
    if not geom.intersects(district_geom):
        return [i18n.both_text("geo.outside")]
    outside_m2 = metric_area_km2(geom.difference(district_geom)) * 1e6
    if outside_m2 > 1.0:
        return [i18n.both_text("geo.partly_outside", sep="/ ", outside_m2=outside_m2)]
    return []


def zones_from_table(table: pd.DataFrame) -> gpd.GeoDataFrame:
    """Zones from the store's ``zones`` table (geometry as GeoJSON text) as a GeoDataFrame in EPSG:4326."""
    frame = table.copy()
    geoms = [shape(json.loads(g)) for g in frame.pop("geometry")]
    frame["categories"] = frame["categories"].map(_as_list)
    if "location_confidence" in frame.columns:
        frame["location_confidence"] = frame["location_confidence"].map(_confidence)
    return gpd.GeoDataFrame(frame, geometry=geoms, crs="EPSG:4326")
