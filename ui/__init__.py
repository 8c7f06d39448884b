"""Streamlit helpers shared by the pages: store connection, sidebar controls, cached analytics, explanations.

Only this package and `pages/` import Streamlit; the numbers come from `analytics/`.
"""
