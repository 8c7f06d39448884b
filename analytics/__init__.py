"""Firebreak's analytics core: importers, the DuckDB store and every metric, free of Streamlit."""
