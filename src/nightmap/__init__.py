"""nightmap — 解放区夜经济地图, a night-economy dashboard for Jiefang District, Jiaozuo.

The package holds everything that is not page layout: the data contract, the
campaign simulator, the DuckDB store, ingest, filters, metrics, the map and the
charts. Only ``nightmap.ui`` imports Streamlit.
"""

__version__ = "0.1.0"
