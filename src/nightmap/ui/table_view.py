"""Tables on the page: numbers with thousands separators, ids kept for the download but not shown."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd
import streamlit as st


def column_config(frame: pd.DataFrame, *, hide: Sequence[str] = ()) -> dict[str, object]:
    """Streamlit column settings: numeric columns written with separators (``152,262``), ``hide`` left out."""
    config: dict[str, object] = {
        str(c): st.column_config.NumberColumn(format="localized")
        for c in frame.columns
        if pd.api.types.is_numeric_dtype(frame[c]) and not pd.api.types.is_bool_dtype(frame[c])
    }
    for c in hide:
        if c in frame.columns:
            config[str(c)] = None
    return config


def show_table(frame: pd.DataFrame, *, hide: Sequence[str] = ()) -> None:
    """``st.dataframe`` over the full width, without the index, numbers with separators."""
    st.dataframe(frame, hide_index=True, width="stretch", column_config=column_config(frame, hide=hide))
