"""Firebreak: the entry point. Page config and navigation only; each page draws its own sidebar."""

import streamlit as st

st.set_page_config(page_title="Firebreak", page_icon="🔥", layout="wide",
                   initial_sidebar_state="expanded")

# One line per page, in menu order.
PAGES = [
    st.Page("pages/overview.py", title="Overview", icon=":material/dashboard:", default=True),
    st.Page("pages/upload.py", title="Upload", icon=":material/upload_file:"),
    st.Page("pages/unplanned.py", title="Unplanned work", icon=":material/bolt:"),
    st.Page("pages/reserve.py", title="Reserve", icon=":material/savings:"),
]

st.navigation(PAGES).run()
