"""Firebreak: the entry point. Page config and navigation only; each page draws its own sidebar."""

import streamlit as st

from ui.routing import mark_routed

st.set_page_config(page_title="Firebreak", page_icon="🔥", layout="wide",
                   initial_sidebar_state="expanded")

# One line per page, in menu order.
PAGES = [
    st.Page("pages/overview.py", title="Overview", icon=":material/dashboard:", default=True),
    st.Page("pages/upload.py", title="Upload", icon=":material/upload_file:"),
    st.Page("pages/unplanned.py", title="Unplanned work", icon=":material/bolt:"),
    st.Page("pages/reserve.py", title="Reserve", icon=":material/savings:"),
    st.Page("pages/incidents.py", title="Incidents", icon=":material/emergency:"),
    st.Page("pages/follow_through.py", title="Follow-through", icon=":material/task_alt:"),
    st.Page("pages/oncall.py", title="On-call", icon=":material/notifications_active:"),
    st.Page("pages/firefighter.py", title="Firefighter mode", icon=":material/local_fire_department:"),
    st.Page("pages/investment.py", title="Investment case", icon=":material/trending_up:"),
]

deep_link = mark_routed()
page = st.navigation(PAGES)
if deep_link and deep_link != page.url_path:
    st.switch_page(next((p for p in PAGES if p.url_path == deep_link), page))
page.run()
