"""Deep links: a page opened by its URL must still run through dashboard.py.

Because the pages live in a folder named `pages/` (fixed by the design),
Streamlit's legacy multipage mode answers a fresh session that opens
`/reserve` directly by running pages/reserve.py on its own: no page config,
no navigation, file names in the sidebar. dashboard.py marks every session it
routes; a page reached without that mark remembers its URL path and switches to
the entry point, which then switches to the remembered page.
"""

from __future__ import annotations

from urllib.parse import urlparse

import streamlit as st

ROUTED = "fb.routed"
DEEP_LINK = "fb.deep_link"


def mark_routed() -> str | None:
    """Called by dashboard.py on every run; returns a deep link still to be opened, if any."""
    st.session_state[ROUTED] = True
    return st.session_state.pop(DEEP_LINK, None)


def ensure_routed() -> None:
    """Called first by every page: reroute a session that did not come through dashboard.py."""
    if st.session_state.get(ROUTED):
        return
    url = st.context.url
    if not url:  # no browser behind the session (AppTest runs pages by themselves): nothing to reroute
        return
    st.session_state[DEEP_LINK] = urlparse(url).path.strip("/").split("/")[-1] or None
    st.switch_page("dashboard.py")
