"""Place the 13 campaign zones of 解放区 and the reference roads, from public evidence.

The one reproducible source of ``data/zones.geojson`` and ``data/roads.geojson``.
Every placement below names what it rests on; the evidence, with its sources
(S1 … S12) and their datums, is collected in ``shared/geo/zone_evidence.md``
(summarised in :data:`SOURCES`).

Datums
------
The evidence coordinates are **GCJ-02** (AMap/高德 POIs and store locators
whose GCJ-02 fields were checked against their BD-09 twins). Shapes are laid
out here in GCJ-02, in metres around each evidence point, and converted to
**WGS-84** with :func:`nightmap.geo.gcj02_to_wgs84` before they are written:
the files in ``data/`` are WGS-84 (near Jiaozuo GCJ-02 is about 580 m east and
56 m south of WGS-84, so mixing them would put a street on the wrong block).

Confidence (``location_confidence``)
------------------------------------
``high``   the position is a published AMap POI of the place itself;
``medium`` the road or junction is documented, the exact spot or side is not;
``low``    only the road or the area is known (or a hint);
``none``   no evidence of position: placed plausibly, to be verified.

Everything not ``high`` is drawn dashed and says "位置待核实 / position
unverified" on every map. Officials move zones to their surveyed places with
the Data page's zone editor, which sets the zone to ``high``.

Run ``python scripts/make_zones.py`` from the project root; it checks that
every zone lies inside 解放区 and that no two zones overlap, and refuses to
write otherwise.
"""

from __future__ import annotations

import json
import math
import sys
from dataclasses import dataclass
from pathlib import Path

import shapely
from shapely.geometry import LineString, Polygon, box, mapping
from shapely.geometry.base import BaseGeometry

from nightmap import geo

DECIMALS = 7
DATA = Path(__file__).resolve().parents[1] / "data"
STREET_WIDTH_M = 24.0
_M_PER_DEG_LAT = 110_950.0
_M_PER_DEG_LON = 111_320.0 * math.cos(math.radians(35.22))

SOURCES: dict[str, str] = {
    "S1": "GitHub njrhts2kvv-star/StoreMap-China（高德 POI、门店定位数据，GCJ-02）",
    "S2": "焦作晚报《夜市经济 点亮城市烟火气》2022-08-12",
    "S3": "焦作日报 11月22日 03版（民主路、解放路与百货大楼）",
    "S4": "河南省旅游局 2016-08-26（大杨树商圈、香港城商圈）",
    "S5": "焦作信息港山阳论坛 2019-06-13（新华街旧称杨树街）",
    "S6": "高德 JS 配送地址点（和平街、河南理工大学北校区，GCJ-02）",
    "S7": "养老服务数据（解放区丰收路锦祥花园小区）",
    "S8": "自动定位点「河南省焦作市解放区人民路」（坐标系未知）",
    "S12": "517lj.net（解放路百货大楼一带为城市中心；2017年万达广场开业）",
    "seed": "种子报道：城市烟火气·点亮夜经济（2022年6月）",
}
"""The sources cited in the notes (full references in ``shared/geo/zone_evidence.md``)."""

# ----------------------------------------------------------------- evidence points, GCJ-02 (lon, lat)
JUNCTION = (113.2315, 35.2425)
"""民主路 × 解放路, where 百货大楼 stands: estimate from five nearby AMap POIs (S1), ±150 m."""
XINYA = (113.229121, 35.242592)
"""新亚商厦, AMap mall POI B0187004F9 (S1)."""
WANDA = (113.2387, 35.2049)
"""焦作万达广场: mean of the DJI store (113.238331, 35.205418) and the AMap mall row (113.239156, 35.204386) (S1)."""
WANGFUJING = (113.243806, 35.218617)
"""小米之家 王府井专卖店 (S1, Xiaomi locator, most likely GCJ-02)."""
XINAN_ZHENGYI = (113.232365, 35.216677)
"""新安路 × 政一街, DJI store (S1); read as GCJ-02 (the 人民路 point S8 lies ~300 m from it then)."""
RENMIN_POINT = (113.2356, 35.2156)
"""An auto-located 人民路 point (S8), datum unknown."""
HEPING_MARKET = (113.2395, 35.239)
"""焦作和平街市场 west gate, AMap JS address points (S6)."""


def offset(point: tuple[float, float], east_m: float = 0.0, north_m: float = 0.0) -> tuple[float, float]:
    """The point ``east_m`` east and ``north_m`` north of ``point`` (GCJ-02 degrees, local scale)."""
    return point[0] + east_m / _M_PER_DEG_LON, point[1] + north_m / _M_PER_DEG_LAT


def rect(centre: tuple[float, float], width_m: float, height_m: float) -> BaseGeometry:
    """An axis-aligned rectangle ``width_m`` (east–west) by ``height_m`` around ``centre`` (GCJ-02)."""
    w, s = offset(centre, -width_m / 2, -height_m / 2)
    e, n = offset(centre, width_m / 2, height_m / 2)
    return box(w, s, e, n)


def street(start: tuple[float, float], end: tuple[float, float], width_m: float = STREET_WIDTH_M) -> BaseGeometry:
    """A pedestrian street: centre line ``start`` → ``end`` (GCJ-02), flat ends, ``width_m`` wide."""
    x0, y0 = start
    to_m = [(0.0, 0.0), ((end[0] - x0) * _M_PER_DEG_LON, (end[1] - y0) * _M_PER_DEG_LAT)]
    strip = LineString(to_m).buffer(width_m / 2, cap_style="flat", join_style="mitre")
    return Polygon([(x0 + x / _M_PER_DEG_LON, y0 + y / _M_PER_DEG_LAT) for x, y in strip.exterior.coords])


@dataclass(frozen=True)
class Zone:
    """One zone: its properties and its shape in GCJ-02 degrees."""

    zone_id: str
    name_zh: str
    name_en: str
    kind: str
    categories: tuple[str, ...]
    address_zh: str
    confidence: str
    note_zh: str
    note_en: str
    sources: tuple[str, ...]
    shape_gcj: BaseGeometry

    @property
    def location_note(self) -> str:
        """"中文 / English", ending with the sources cited."""
        cited = "；".join(f"{s} {SOURCES[s]}" for s in self.sources) if self.sources else "无 / none"
        return f"{self.note_zh} / {self.note_en} 来源 Sources: {cited}"


# The 人民路 reference line: through the auto-located point and 60 m south of the 王府井 store (its frontage)
_RENMIN_EAST = offset(WANGFUJING, 0, -60)
_RENMIN_BEARING = (_RENMIN_EAST[0] - RENMIN_POINT[0], _RENMIN_EAST[1] - RENMIN_POINT[1])
_FENGSHOU_LAT = offset(WANDA, 0, 93)[1]  # 丰收路: along the north side of 万达's outer square

ZONES: tuple[Zone, ...] = (
    Zone(
        "wanda_square", "万达外广场", "Wanda Outer Square", "street", ("eat", "play"),
        "丰收路与民主路交叉口 万达广场北侧外广场", "medium",
        "万达广场的外广场，紧邻商场（S1）；在商场的哪一侧未见记载，按临丰收路的北侧绘制，150 × 56 米",
        "the open-air square of Wanda Plaza, beside the mall (S1); which side is not documented: drawn on "
        "the north side facing 丰收路, 150 × 56 m.",
        ("S1",),
        rect(offset(WANDA, 0, 50), 150, 56),
    ),
    Zone(
        "wangfujing_square", "王府井外广场", "Wangfujing Outer Square", "street", ("eat", "play"),
        "人民路 王府井百货西侧外广场", "low",
        "王府井百货的外广场（S1 人民路商圈）；商场位置仅据一处小米门店点，外广场在哪一侧不详，按西侧绘制，80 × 100 米",
        "the outer square of the Wangfujing store on 人民路 (S1); the store rests on one Xiaomi shop point and "
        "the square's side is unknown: drawn on its west side, 80 × 100 m.",
        ("S1",),
        rect(offset(WANGFUJING, -97, 10), 80, 100),
    ),
    Zone(
        "xinan_road", "新安路步行街", "Xin'an Road Pedestrian Street", "street", ("eat", "shop", "play"),
        "王褚街道 新安路（政一街口一带）", "medium",
        "新安路与政一街交叉口有大疆门店（S1，坐标系不确定，按 GCJ-02 读，与人民路点 S8 相距约 300 米）；"
        "街道走向与长度未见记载，按东西向 500 米绘制，启动仪式所在的东段在东端（种子报道）",
        "a DJI store stands at 新安路 × 政一街 (S1; datum ambiguous, read as GCJ-02, ~300 m from the 人民路 "
        "point S8); the street's course and length are not documented: drawn east–west, 500 m, the launch's "
        "east section at its east end (seed article).",
        ("S1", "S8", "seed"),
        street(offset(XINAN_ZHENGYI, -300), offset(XINAN_ZHENGYI, 200)),
    ),
    Zone(
        "mengzhou_road", "孟州路京水岸步行街", "Jingshui'an Pedestrian Street, Mengzhou Road", "street",
        ("shop", "play", "eat"),
        "孟州路 京水岸古玩城一带（位置未核实）", "none",
        "无位置证据：仅知在孟州路、有京水岸古玩城（种子报道）；“京水岸”或指南水北调干渠岸边，按老城区与人民路之间绘制，450 米",
        "no evidence of position: only that it is on 孟州路 with the 京水岸 antiques market (seed article); "
        "'京水岸' may mean the bank of the South–North water canal, so it is drawn between the old centre and "
        "人民路, 450 m.",
        ("seed",),
        street(offset(JUNCTION, -300, -1500), offset(JUNCTION, 150, -1500)),
    ),
    Zone(
        "xiaowoniu_market", "小蜗牛市场", "Xiaowoniu Market", "street", ("eat",),
        "小蜗牛市场（位置未核实）", "none",
        "无位置证据：焦作晚报（2022年8月）称其为夜市美食街，无地址（S2）；暂置于解放路以北老城区，300 米",
        "no evidence of position: named a night-market food street by the evening paper (Aug 2022, S2), no "
        "address; put in the old centre north of 解放路, 300 m.",
        ("S2",),
        street(offset(JUNCTION, -400, 260), offset(JUNCTION, -100, 260)),
    ),
    Zone(
        "dayangshu_street", "大杨树步行街", "Dayangshu Pedestrian Street", "street", ("eat", "play"),
        "解放路以北 新华街（旧称杨树街）一带", "low",
        "仅有线索：新华街旧称“杨树街”，自太行路至解放路约 600 米（S5），但晚报把二者分列（S2），至多相邻；"
        "按解放路以北南北向 400 米绘制",
        "a hint only: 新华街 was once called 杨树街 and runs ~600 m from 太行路 to 解放路 (S5), but the evening "
        "paper lists the two apart (S2), so they are at most neighbours; drawn north–south north of 解放路, 400 m.",
        ("S2", "S4", "S5"),
        street(offset(JUNCTION, -450, 30), offset(JUNCTION, -450, 430)),
    ),
    Zone(
        "hongkong_city", "香港城步行街", "Hong Kong City Pedestrian Street", "street", ("shop", "eat"),
        "解放中路—和平街商圈 和平街市场一带", "low",
        "高德 POI“香港城(大舞台小吃街店)”属解放路—和平街商圈（S1），无坐标；按和平街市场附近（S6）东西向 300 米绘制",
        "the AMap POI 香港城(大舞台小吃街店) is grouped in the 解放路–和平街 business area (S1), with no "
        "coordinates; drawn east–west near the 和平街 market (S6), 300 m.",
        ("S1", "S4", "S6"),
        street(offset(HEPING_MARKET, -220, 40), offset(HEPING_MARKET, 80, 40)),
    ),
    Zone(
        "jinxiang_street", "锦祥商业街", "Jinxiang Commercial Street", "street", ("eat", "shop"),
        "丰收路 锦祥花园一带", "low",
        "锦祥花园小区在丰收路（S7），晚报列为夜市街（S2）；在民主路以东还是以西不详，按丰收路南侧、民主路以西 350 米绘制",
        "the 锦祥花园 estate is on 丰收路 (S7), a night-market street per the evening paper (S2); whether east or "
        "west of 民主路 is unknown: drawn along the south side of 丰收路, west of 民主路, 350 m.",
        ("S2", "S7"),
        street(offset((113.2310, _FENGSHOU_LAT), 0, -27), offset((113.2348, _FENGSHOU_LAT), 0, -27)),
    ),
    Zone(
        "xindasha_square", "新大厦外广场", "Xindasha Outer Square", "street", ("eat", "play"),
        "解放路南侧（位置未核实）", "none",
        "无位置证据：焦作未见名为“新大厦”的建筑；或指解放路—和平街商圈的新大新商场（焦作贸易大厦）（S1），"
        "暂置于解放路南侧、民主路以东，120 × 80 米",
        "no evidence of position: no 新大厦 is named in Jiaozuo; it may be the 新大新 store (焦作贸易大厦) of the "
        "解放路–和平街 area (S1); put on the south side of 解放路 east of 民主路, 120 × 80 m.",
        ("S1",),
        rect(offset(JUNCTION, 300, -60), 120, 80),
    ),
    Zone(
        "wanda_mall", "万达商业广场", "Wanda Plaza", "complex", ("shop", "eat", "play"),
        "丰收路与民主路交叉口 焦作万达广场", "high",
        "高德商场 POI 与大疆门店“丰收路与民主路万达广场一层”（S1，GCJ-02，两点相距约 120 米），2017年开业（S12）；"
        "以两点之间为准，180 × 110 米",
        "the AMap mall POI and the DJI store at '丰收路与民主路万达广场一层' (S1, GCJ-02, ~120 m apart), opened "
        "2017 (S12); drawn between the two, 180 × 110 m.",
        ("S1", "S12"),
        rect(offset(WANDA, 0, -35), 180, 110),
    ),
    Zone(
        "wangfujing_store", "王府井百货", "Wangfujing Department Store", "complex", ("shop", "eat"),
        "人民路 锦江商业广场（王府井百货）", "medium",
        "高德 POI“锦江商业广场(王府井百货店)”在人民路商圈（S1）；坐标仅据其中小米门店点（坐标系未注明，按 GCJ-02），"
        "100 × 100 米，临人民路",
        "the AMap POI 锦江商业广场(王府井百货店) is in the 人民路 business area (S1); its position rests on the "
        "Xiaomi shop inside (datum not stated, read as GCJ-02), 100 × 100 m, facing 人民路.",
        ("S1",),
        rect(offset(WANGFUJING, 0, 10), 100, 100),
    ),
    Zone(
        "baihuo_dalou", "百货大楼", "Jiaozuo Department Store (Baihuo Dalou)", "complex", ("shop",),
        "民主路与解放路交叉口", "medium",
        "焦作日报：百货大楼所在的民主路与解放路交叉口是市区最繁华处（S3、S12）；交叉口位置由附近五个高德 POI 推定"
        "（S1，±150 米），在哪个路口角不详，按东北角 80 × 80 米绘制",
        "Jiaozuo Daily: it stands at the 民主路 × 解放路 crossing, the old city's busiest (S3, S12); the crossing "
        "is estimated from five nearby AMap POIs (S1, ±150 m) and the corner is unknown: drawn on the north-east "
        "corner, 80 × 80 m.",
        ("S1", "S3", "S12"),
        rect(offset(JUNCTION, 54, 52), 80, 80),
    ),
    Zone(
        "xinya_mall", "新亚商厦", "Xinya Shopping Mall", "complex", ("shop", "eat"),
        "解放中路 新亚商厦", "high",
        "高德商场 POI B0187004F9 与“京东专卖店焦作解放路新亚店”（S1，GCJ-02）；位于解放路南侧，100 × 72 米",
        "the AMap mall POI B0187004F9 and the Apple reseller '解放路新亚店' inside it (S1, GCJ-02); on the south "
        "side of 解放路, 100 × 72 m.",
        ("S1",),
        rect(offset(XINYA, 0, -48), 100, 72),
    ),
)


@dataclass(frozen=True)
class Road:
    """A reference road: drawn only where the evidence gives its course."""

    road_id: str
    name_zh: str
    name_en: str
    note_zh: str
    note_en: str
    line_gcj: LineString


def _along(a: tuple[float, float], b: tuple[float, float], before_m: float, after_m: float) -> LineString:
    """The line through ``a`` and ``b``, extended ``before_m`` before ``a`` and ``after_m`` past ``b``."""
    dx, dy = (b[0] - a[0]) * _M_PER_DEG_LON, (b[1] - a[1]) * _M_PER_DEG_LAT
    n = math.hypot(dx, dy)
    ux, uy = dx / n, dy / n
    return LineString([offset(a, -ux * before_m, -uy * before_m), offset(b, ux * after_m, uy * after_m)])


ROADS: tuple[Road, ...] = (
    Road("jiefang_road", "解放路", "Jiefang Rd",
         "近民主路一段：由新亚商厦、vivo 解放路店等高德点推定东西走向（S1）；更东段折向东北，未画",
         "the part near 民主路, east–west from AMap points (新亚, vivo, S1); further east it bends north-east: not drawn",
         LineString([offset(JUNCTION, -550), offset(JUNCTION, 450)])),
    Road("minzhu_road", "民主路", "Minzhu Rd",
         "近解放路一段：由 vivo 民主路两店推定南北走向（S1）；往南至丰收路的走向不详，未画",
         "the part near 解放路, north–south from two vivo 民主路 stores (S1); its course south to 丰收路 is not "
         "known: not drawn",
         LineString([offset(JUNCTION, 0, -300), offset(JUNCTION, 0, 250)])),
    Road("fengshou_road", "丰收路", "Fengshou Rd",
         "万达广场一段：东西走向（S1、S12），纬度按万达外广场北侧推定",
         "the part by Wanda Plaza: east–west (S1, S12), latitude inferred from Wanda's outer square",
         LineString([(113.2335, _FENGSHOU_LAT), (113.2440, _FENGSHOU_LAT)])),
    Road("renmin_road", "人民路", "Renmin Rd",
         "经一处人民路定位点（S8，坐标系未知）并沿王府井百货南侧，走向为推定",
         "through one 人民路 point (S8, datum unknown) and along the south side of the Wangfujing store: course "
         "inferred",
         _along(RENMIN_POINT, _RENMIN_EAST, 250, 250)),
)


def to_wgs84(shape_gcj: BaseGeometry) -> BaseGeometry:
    """A GCJ-02 shape in WGS-84, coordinates rounded to :data:`DECIMALS`."""
    return shapely.set_precision(geo.geometry_to_wgs84(shape_gcj), 10**-DECIMALS)


def zone_feature(zone: Zone) -> dict:
    """GeoJSON feature with exactly the zone properties, in ``geo.ZONE_COLUMNS`` order."""
    props = {
        "zone_id": zone.zone_id,
        "name_zh": zone.name_zh,
        "name_en": zone.name_en,
        "kind": zone.kind,
        "categories": list(zone.categories),
        "address_zh": zone.address_zh,
        "location_note": zone.location_note,
        "location_confidence": zone.confidence,
    }
    assert tuple(props) == geo.ZONE_COLUMNS, "make_zones.py out of step with geo.ZONE_COLUMNS"
    return {"type": "Feature", "properties": props, "geometry": mapping(to_wgs84(zone.shape_gcj))}


def road_feature(road: Road) -> dict:
    """GeoJSON feature of a reference road (WGS-84)."""
    return {
        "type": "Feature",
        "properties": {"road_id": road.road_id, "name_zh": road.name_zh, "name_en": road.name_en,
                       "note": f"{road.note_zh} / {road.note_en}"},
        "geometry": mapping(to_wgs84(road.line_gcj)),
    }


def problems(features: list[dict]) -> list[str]:
    """Zones outside 解放区 or overlapping another zone (empty when all is well)."""
    from shapely.geometry import shape

    district = geo.focus_district(geo.load_districts(DATA / "districts.geojson"))
    shapes = {f["properties"]["zone_id"]: shape(f["geometry"]) for f in features}
    out = [f"{z}: {p}" for z, g in shapes.items() for p in geo.zone_problems(g, district)]
    ids = list(shapes)
    for i, a in enumerate(ids):
        for b in ids[i + 1:]:
            if shapes[a].intersection(shapes[b]).area > 0:
                out.append(f"{a} overlaps {b}")
    return out


def main() -> int:
    """Write ``data/zones.geojson`` and ``data/roads.geojson``; 1 if a check fails."""
    zone_feats = [zone_feature(z) for z in ZONES]
    found = problems(zone_feats)
    if found:
        print("not written:\n  " + "\n  ".join(found), file=sys.stderr)
        return 1
    meta = {
        "datum": "WGS-84 (EPSG:4326)",
        "source": "scripts/make_zones.py: placed from public evidence (GCJ-02, converted to WGS-84); each zone's "
                  "location_note cites its sources and location_confidence says how sure the place is",
    }
    zones = {"type": "FeatureCollection", "metadata": meta, "features": zone_feats}
    roads = {"type": "FeatureCollection",
             "metadata": {**meta, "source": "scripts/make_zones.py: reference lines only where the evidence gives "
                                             "a road's course; approximate"},
             "features": [road_feature(r) for r in ROADS]}
    for name, obj in (("zones.geojson", zones), ("roads.geojson", roads)):
        (DATA / name).write_text(json.dumps(obj, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {DATA / 'zones.geojson'} ({len(ZONES)} zones) and {DATA / 'roads.geojson'} ({len(ROADS)} roads)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
