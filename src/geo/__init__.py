"""Gebiedsplanner 1G1P: domain logic (no Streamlit imports)."""

__version__ = "0.1.0"
