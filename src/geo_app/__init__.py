"""Streamlit glue shared by the pages in `views/`: cached loaders and small widgets.

Domain logic stays in `geo` (no Streamlit there); this package only caches and shows.
"""
