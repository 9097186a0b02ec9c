"""Hand-place the 13 campaign zones of 解放区's night-economy drive into ``data/zones.geojson``.

The seed article (解放区“城市烟火气·点亮夜经济”, June 2022) names nine street blocks
and four commercial complexes but gives no addresses; no coordinates were found
for any of them (see ``/work/shared/geo/README.md``). Every zone here is therefore
a **schematic placement** in the old commercial core, laid out around one anchor:

* the 民主路 × 解放路 junction, where 焦作市百货大楼 stands (Jiaozuo Daily: the
  busiest crossing of the old city). Its position is itself estimated — about
  1.1 km west of 解放区's eastern boundary at the latitude of the city
  government (≈35.216 N), with 解放路 taken as running east–west and 民主路
  north–south.

Shapes are built in metres in UTM 49N (EPSG:32649) and written in WGS-84
(EPSG:4326), rounded to 7 decimals. Sizes follow the brief: a pedestrian street
is a 24 m wide strip 400–500 m long, an outer square 150 × 100 m beside its
building, a complex a 100 × 100 m footprint. Officials are expected to move each
zone to its real place with the app's zone editor; every ``location_note`` says
what the placement rests on.

Run ``python scripts/make_zones.py`` from the project root.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import shapely
from pyproj import Transformer
from shapely.geometry import LineString, box, mapping
from shapely.geometry.base import BaseGeometry

ANCHOR_WGS84 = (113.2300, 35.2160)  # estimated 民主路 × 解放路 junction (百货大楼), WGS-84
STREET_WIDTH_M = 24.0
DECIMALS = 7
OUTPUT = Path(__file__).resolve().parents[1] / "data" / "zones.geojson"

_TO_UTM = Transformer.from_crs("EPSG:4326", "EPSG:32649", always_xy=True)
_TO_WGS = Transformer.from_crs("EPSG:32649", "EPSG:4326", always_xy=True)

_WEAK = "示意位置，待核实 / Approximate placement, to be verified"


@dataclass(frozen=True)
class Zone:
    """One zone: its properties and its shape in metres east/north of the anchor."""

    zone_id: str
    name_zh: str
    name_en: str
    kind: str
    categories: tuple[str, ...]
    address_zh: str
    location_note: str
    shape_m: BaseGeometry


def street(x0: float, y0: float, x1: float, y1: float) -> BaseGeometry:
    """A pedestrian street: centre line from (x0, y0) to (x1, y1) m, flat ends, 24 m wide."""
    return LineString([(x0, y0), (x1, y1)]).buffer(STREET_WIDTH_M / 2, cap_style="flat", join_style="mitre")


def rect(x0: float, y0: float, x1: float, y1: float) -> BaseGeometry:
    """An axis-aligned rectangle in metres relative to the anchor."""
    return box(x0, y0, x1, y1)


ZONES: tuple[Zone, ...] = (
    Zone(
        "wanda_square",
        "万达外广场",
        "Wanda Outer Square",
        "street",
        ("eat", "play"),
        "万达商业广场东侧外广场（示意）",
        f"{_WEAK}: 仅知其紧邻万达商业广场，置于其东侧 / only known to adjoin Wanda Plaza; "
        "put on its east side, 150 × 100 m.",
        rect(140, -725, 240, -575),
    ),
    Zone(
        "wangfujing_square",
        "王府井外广场",
        "Wangfujing Outer Square",
        "street",
        ("eat", "play"),
        "王府井百货西侧外广场（示意）",
        f"{_WEAK}: 仅知其紧邻王府井百货，置于其西侧 / only known to adjoin the Wangfujing store; "
        "put on its west side along 解放路, 150 × 100 m.",
        rect(-490, 30, -340, 130),
    ),
    Zone(
        "xinan_road",
        "新安路步行街",
        "Xin'an Road Pedestrian Street",
        "street",
        ("eat", "shop", "play"),
        "新安路（示意）",
        f"{_WEAK}: 启动仪式在其东段举行（种子报道），无坐标；按东西向置于解放路以北约 300 m / "
        "launch ceremony held on its east section (seed article), no coordinates; drawn east–west "
        "about 300 m north of 解放路, 500 m long.",
        street(-100, 300, 400, 300),
    ),
    Zone(
        "mengzhou_road",
        "孟州路京水岸步行街",
        "Jingshui'an Pedestrian Street, Mengzhou Road",
        "street",
        ("shop", "play", "eat"),
        "孟州路京水岸古玩城一带（示意）",
        f"{_WEAK}: 位于孟州路、有京水岸古玩城（种子报道），无坐标；按南北向置于民主路以西约 700 m / "
        "on 孟州路 with the 京水岸 antiques market (seed article), no coordinates; drawn north–south "
        "about 700 m west of 民主路, 450 m long.",
        street(-700, -200, -700, 250),
    ),
    Zone(
        "xiaowoniu_market",
        "小蜗牛市场",
        "Xiaowoniu Market",
        "street",
        ("eat",),
        "小蜗牛市场（示意）",
        f"{_WEAK}: 晚报（2022年8月）称其为夜市美食街，无地址；位置纯属示意 / named a night-market "
        "food street by the evening paper (Aug 2022), no address; position purely schematic, "
        "north-west of the core, 400 m.",
        street(-500, 550, -100, 550),
    ),
    Zone(
        "dayangshu_street",
        "大杨树步行街",
        "Dayangshu Pedestrian Street",
        "street",
        ("eat", "play"),
        "大杨树步行街（示意）",
        f"{_WEAK}: 晚报（2022）与省旅游局（2016）列为美食休闲街，无地址；位置纯属示意 / listed as a "
        "food-and-leisure street (evening paper 2022, provincial tourism bureau 2016), no address; "
        "position purely schematic, south-west of the core, 450 m.",
        street(-600, -400, -150, -400),
    ),
    Zone(
        "hongkong_city",
        "香港城步行街",
        "Hong Kong City Pedestrian Street",
        "street",
        ("shop", "eat"),
        "香港城步行街（示意）",
        f"{_WEAK}: 省旅游局（2016）列为购物美食街，晚报（2022）列为夜市街，无地址；位置纯属示意 / "
        "listed as a shopping-and-food street (tourism bureau 2016, evening paper 2022), no address; "
        "position purely schematic, south-east of the core, 400 m.",
        street(500, -550, 500, -150),
    ),
    Zone(
        "jinxiang_street",
        "锦祥商业街",
        "Jinxiang Commercial Street",
        "street",
        ("eat", "shop"),
        "锦祥商业街（示意）",
        f"{_WEAK}: 晚报（2022年8月）列为夜市美食街，无地址；位置纯属示意 / named a night-market food "
        "street by the evening paper (Aug 2022), no address; position purely schematic, north-east "
        "of the core, 400 m.",
        street(700, 100, 700, 500),
    ),
    Zone(
        "xindasha_square",
        "新大厦外广场",
        "Xindasha Outer Square",
        "street",
        ("eat", "play"),
        "解放路南侧新大厦外广场（示意）",
        f"{_WEAK}: 新大厦不在四大综合体之列，位置未知；推测置于解放路南侧、百货大楼东南 / "
        "the 新大厦 building is not among the complexes and its site is unknown; guessed on the "
        "south side of 解放路, south-east of the Baihuo Dalou, 150 × 100 m.",
        rect(250, -130, 400, -30),
    ),
    Zone(
        "wanda_mall",
        "万达商业广场",
        "Wanda Plaza",
        "complex",
        ("shop", "eat", "play"),
        "民主南路东侧（示意）",
        f"{_WEAK}: 焦作万达广场2017年开业，未找到地址；作为新建综合体置于民主路以南约 650 m / "
        "Jiaozuo Wanda Plaza opened in 2017, no address found; as a newer complex placed about "
        "650 m south along 民主路, 100 × 100 m footprint.",
        rect(30, -700, 130, -600),
    ),
    Zone(
        "wangfujing_store",
        "王府井百货",
        "Wangfujing Department Store",
        "complex",
        ("shop", "eat"),
        "解放路北侧、民主路以西（示意）",
        f"{_WEAK}: 未找到地址；置于解放路北侧、百货大楼以西约 300 m / no address found; placed on "
        "the north side of 解放路 about 300 m west of the Baihuo Dalou, 100 × 100 m.",
        rect(-330, 30, -230, 130),
    ),
    Zone(
        "baihuo_dalou",
        "百货大楼",
        "Jiaozuo Department Store (Baihuo Dalou)",
        "complex",
        ("shop",),
        "解放路与民主路交叉口东北角（示意）",
        "示意位置，证据中等 / Approximate placement, medium evidence: 焦作日报称其位于民主路与解放路"
        "交叉口 / Jiaozuo Daily puts it at the 民主路 × 解放路 junction; the junction's own "
        "coordinates are estimated, corner chosen arbitrarily (north-east), 100 × 100 m.",
        rect(30, 30, 130, 130),
    ),
    Zone(
        "xinya_mall",
        "新亚商厦",
        "Xinya Shopping Mall",
        "complex",
        ("shop", "eat"),
        "民主路西侧、解放路以南（示意）",
        f"{_WEAK}: 未找到地址；置于民主路西侧、交叉口以南约 200 m / no address found; placed on "
        "the west side of 民主路 about 200 m south of the junction, 100 × 100 m.",
        rect(-130, -250, -30, -150),
    ),
)


def to_wgs84(shape_m: BaseGeometry) -> BaseGeometry:
    """Move a shape from metres-relative-to-the-anchor to WGS-84 degrees."""
    ax, ay = _TO_UTM.transform(*ANCHOR_WGS84)

    def convert(coords: np.ndarray) -> np.ndarray:
        lon, lat = _TO_WGS.transform(coords[:, 0] + ax, coords[:, 1] + ay)
        return np.round(np.column_stack([lon, lat]), DECIMALS)

    return shapely.transform(shape_m, convert)


def feature(zone: Zone) -> dict:
    """GeoJSON feature with exactly the zone properties, in ZONE_COLUMNS order."""
    return {
        "type": "Feature",
        "properties": {
            "zone_id": zone.zone_id,
            "name_zh": zone.name_zh,
            "name_en": zone.name_en,
            "kind": zone.kind,
            "categories": list(zone.categories),
            "address_zh": zone.address_zh,
            "location_note": zone.location_note,
        },
        "geometry": mapping(to_wgs84(zone.shape_m)),
    }


def main() -> None:
    """Write ``data/zones.geojson``."""
    collection = {
        "type": "FeatureCollection",
        "metadata": {
            "datum": "WGS-84 (EPSG:4326)",
            "source": "Hand-placed by scripts/make_zones.py around an estimated 民主路 × 解放路 junction; "
            "schematic, to be corrected by officials",
        },
        "features": [feature(zone) for zone in ZONES],
    }
    OUTPUT.parent.mkdir(parents=True, exist_ok=True)
    OUTPUT.write_text(json.dumps(collection, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {OUTPUT} ({len(ZONES)} zones)")


if __name__ == "__main__":
    main()
