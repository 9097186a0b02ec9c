"""A minimal Streamlit app showing only the map, for browser tests before the real app exists.

Run from the project root (so ``.streamlit/config.toml`` enables static serving)::

    python -m streamlit run tests/apps/map_only.py

It publishes the offline map assets into ``tests/apps/static/vendor`` (Streamlit
serves the ``static/`` folder next to the main script), loads the bundled zones and districts,
makes up deterministic demo values per zone (no database needed) and shows the
map with a metric select box. The zone clicked last is written below the map
as ``clicked: <zone_id>`` so a test can read it.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import pandas as pd
import streamlit as st
from streamlit_folium import st_folium

import nightmap.map as nmap
from nightmap import assets, geo
from nightmap.i18n import t

st.set_page_config(page_title="nightmap map test", layout="wide")
# Streamlit serves the ``static/`` folder next to the *main script*, so this test app publishes
# into tests/apps/static (the real app.py at the project root uses the default <project>/static).
assets.setup_offline_map(Path(__file__).resolve().parent / "static")


@st.cache_data
def _frames() -> tuple:
    return geo.load_zones(), geo.load_districts()


def _demo_values(zone_ids: list[str], metric: str) -> pd.DataFrame:
    """Deterministic made-up values, different per metric, one zone without data."""
    rows = []
    for zid in zone_ids:
        h = int(hashlib.sha256(f"{zid}/{metric}".encode()).hexdigest()[:8], 16) / 0xFFFFFFFF
        if metric == "visitors":
            value, base = 2000 + 23000 * h, 2000 + 15000 * h
        elif metric == "spend":
            value, base = 80_000 + 900_000 * h, 60_000 + 700_000 * h
        elif metric == "spend_per_visitor":
            value, base = 30 + 120 * h, 30 + 100 * h
        else:
            value, base = -15 + 55 * h, float("nan")
        pct = (value / base - 1) * 100 if base == base and base else float("nan")
        rows.append({"zone_id": zid, "value": value, "baseline": base, "uplift_pct": pct})
    out = pd.DataFrame(rows)
    out.loc[out["zone_id"] == zone_ids[-1], ["value", "baseline", "uplift_pct"]] = float("nan")
    return out


zones, districts = _frames()
lang = st.selectbox("lang", ["zh", "en"], key="lang")
metric = st.selectbox(
    t("filter.metric", lang),
    list(nmap.METRICS),
    format_func=lambda m: t("metric.uplift", lang) if m == "uplift" else t(f"metric.{m}", lang),
    key="metric",
)
basemap = st.selectbox(
    "basemap", list(nmap.BASEMAPS), format_func=lambda b: t(f"map.basemap.{b}", lang), key="basemap"
)
ids = [str(z) for z in zones["zone_id"]]
events = pd.DataFrame(
    [
        {"event_id": "E1", "zone_id": ids[2], "start": pd.Timestamp("2022-06-17 19:30"),
         "end": pd.Timestamp("2022-06-17 21:30"), "category": "play", "kind": "ceremony",
         "title_zh": "启动仪式", "title_en": "Launch ceremony"},
        {"event_id": "E2", "zone_id": ids[2], "start": pd.Timestamp("2022-06-18 18:00"),
         "end": pd.Timestamp("2022-06-18 22:00"), "category": "eat", "kind": "market",
         "title_zh": "美食市集", "title_en": "Food market"},
        {"event_id": "E3", "zone_id": ids[9], "start": pd.Timestamp("2022-06-18 10:00"),
         "end": pd.Timestamp("2022-06-19 22:00"), "category": "shop", "kind": "promotion",
         "title_zh": "倾情“父”出，感恩“6·18”", "title_en": "6·18 promotion"},
    ]
)
visitors = _demo_values(ids, "visitors")
m = nmap.build_map(
    zones=zones,
    districts=districts,
    values=_demo_values(ids, metric),
    metric=metric,
    lang=lang,
    events=events,
    heat=visitors.rename(columns={"value": "visitors"})[["zone_id", "visitors"]].dropna(),
    basemap=basemap,
    selected=st.session_state.get("clicked"),
)
returned = st_folium(
    m,
    height=600,
    use_container_width=True,
    returned_objects=["last_object_clicked", "last_active_drawing"],
    key="map",
)
clicked = nmap.zone_at(returned, zones=zones, basemap=basemap)
if clicked and clicked != st.session_state.get("clicked"):
    st.session_state["clicked"] = clicked
    st.rerun()  # redraw with the clicked zone highlighted
st.write(f"clicked: {st.session_state.get('clicked') or '-'}")
