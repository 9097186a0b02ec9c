"""Running a page in Streamlit's AppTest, opened from a URL query string as a user would."""

from __future__ import annotations

from pathlib import Path

from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parents[1]


def run_page(script: Path | str, *, timeout: float = 90, **query: str) -> AppTest:
    """Run ``script`` (a path, or a name relative to the project root) with ``query`` in its URL."""
    at = AppTest.from_file(str(ROOT / script), default_timeout=timeout)
    for key, value in query.items():
        at.query_params[key] = value
    return at.run()
