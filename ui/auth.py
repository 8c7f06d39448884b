"""Optional sign-in: when `[auth]` is in the secrets, every page requires a logged-in user.

`require_login()` runs first in `ui.state.open_db()`, which every page calls before it reads
anything, so no page shows data to a visitor who has not signed in. Without `[auth]` (local use)
the app is open. Sign-in is Streamlit's OIDC login (`st.login`), which needs Authlib
(`pip install "streamlit[auth]"`); `.streamlit/secrets.toml` holds the provider:

    [auth]
    redirect_uri = "https://firebreak.example.com/oauth2callback"
    cookie_secret = "<a long random string>"
    client_id = "..."
    client_secret = "..."
    server_metadata_url = "https://<issuer>/.well-known/openid-configuration"

Several providers go in `[auth.<name>]` sections (one sign-in button each).
"""

from __future__ import annotations

import importlib.util
from collections.abc import Mapping

import streamlit as st

LOGIN_BUTTON = "fb.login"


def auth_settings() -> Mapping | None:
    """The `[auth]` section of the secrets, or None when sign-in is not configured (or there are no secrets)."""
    try:
        section = st.secrets["auth"] if "auth" in st.secrets else None
    except FileNotFoundError:  # no secrets.toml at all (StreamlitSecretNotFoundError is one)
        return None
    return section if isinstance(section, Mapping) and section else None


def authlib_installed() -> bool:
    return importlib.util.find_spec("authlib") is not None


def providers(settings: Mapping) -> list[str | None]:
    """[None] for a single provider in `[auth]`, else the names of the `[auth.<name>]` sections."""
    named = [name for name, value in settings.items() if isinstance(value, Mapping)]
    return [None] if "client_id" in settings or not named else named


def logged_in() -> bool:
    return bool(st.user.get("is_logged_in", False))


def require_login() -> None:
    """Stop the page unless sign-in is off or the user is signed in; offer the sign-in button instead."""
    settings = auth_settings()
    if settings is None:
        return
    if logged_in():
        name = st.user.get("name") or st.user.get("email")
        if name:
            st.sidebar.text(f"Signed in as {name}")  # plain text: the name comes from the identity provider
        st.sidebar.button("Log out", key="fb.logout", on_click=st.logout, icon=":material/logout:")
        return
    st.title("Firebreak")
    if not authlib_installed():
        st.error("Sign-in is configured (`[auth]` in `.streamlit/secrets.toml`) but Authlib is not installed "
                 "on the server. Install it with `pip install \"streamlit[auth]\"` and restart the app.",
                 icon=":material/lock:")
        st.stop()
    st.info("Sign in to see the dashboard.", icon=":material/lock:")
    for provider in providers(settings):
        label = "Log in" if provider is None else f"Log in with {provider}"
        st.button(label, key=f"{LOGIN_BUTTON}.{provider or 'default'}", type="primary", icon=":material/login:",
                  on_click=st.login, args=() if provider is None else (provider,))
    st.stop()
