"""Streamlit-only helpers shared by the pages: page set-up, cached store access, sidebar filters.

This is the only part of the package that imports Streamlit.
"""
