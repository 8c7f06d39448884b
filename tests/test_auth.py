"""Optional OIDC sign-in (AppTest): with `[auth]` in the secrets every page needs a logged-in user.

The guard is `ui.auth.require_login()`, run first by `ui.state.open_db()`, which every page calls
before reading anything. Without `[auth]` the app is open (local use). AppTest's default user
(`{"email": "test@example.com"}`) has no `is_logged_in`; Streamlit reads it as logged out when
`[auth]` is configured.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from ui import auth

ROOT = Path(__file__).resolve().parents[1]
PAGES = sorted(p.relative_to(ROOT).as_posix() for p in (ROOT / "pages").glob("*.py"))
AUTH = {"redirect_uri": "http://localhost:8501/oauth2callback", "cookie_secret": "test-cookie-secret-0123456789",
        "client_id": "firebreak", "client_secret": "not-a-secret",
        "server_metadata_url": "https://idp.example.com/.well-known/openid-configuration"}
DATA_ELEMENTS = ("metric", "dataframe", "plotly_chart", "table", "data_editor")


@pytest.fixture
def with_authlib(monkeypatch):
    """Authlib is not in the venv: pretend it is, so the sign-in button is offered (st.login is never called)."""
    monkeypatch.setattr(auth, "authlib_installed", lambda: True)


def app(page: str | None = None, *, secrets: dict | None = None, user: dict | None = None) -> AppTest:
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60)
    if secrets is not None:
        at.secrets.update(secrets)
    if user is not None:
        at.user = user
    at.run()   # every session starts at the entry point (ui/routing.py)
    if page is not None:
        at.switch_page(page).run()
    assert not at.exception, at.exception
    return at


def shows_data(at: AppTest) -> bool:
    return any(len(at.get(kind)) for kind in DATA_ELEMENTS)


def test_without_auth_configured_the_app_is_open(sample_store):
    at = app()
    assert at.title[0].value == "Overview" and shows_data(at)
    assert not [b for b in at.button if b.key and b.key.startswith(auth.LOGIN_BUTTON)]


@pytest.mark.parametrize("page", PAGES)
def test_a_logged_out_user_gets_the_login_button_and_no_data(sample_store, with_authlib, page):
    at = app(page, secrets={"auth": AUTH})
    assert not shows_data(at), f"{page} shows data to a logged-out user"
    (login,) = [b for b in at.button if b.key and b.key.startswith(auth.LOGIN_BUTTON)]
    assert login.label == "Log in"
    assert [i.value for i in at.info] == ["Sign in to see the dashboard."]


def test_an_explicitly_logged_out_user_is_stopped_too(sample_store, with_authlib):
    at = app(secrets={"auth": AUTH}, user={"is_logged_in": False, "email": "someone@example.com"})
    assert not shows_data(at) and at.button(key=f"{auth.LOGIN_BUTTON}.default").label == "Log in"


def test_a_logged_in_user_sees_the_dashboard_and_can_log_out(sample_store, with_authlib):
    at = app(secrets={"auth": AUTH}, user={"is_logged_in": True, "email": "lead@example.com", "name": "Team Lead"})
    assert at.title[0].value == "Overview" and shows_data(at)
    assert at.sidebar.button(key="fb.logout").label == "Log out"
    assert "Signed in as Team Lead" in [t.value for t in at.sidebar.text]


def test_one_button_per_named_provider(sample_store, with_authlib):
    providers = {"google": {k: v for k, v in AUTH.items() if k.startswith(("client", "server"))},
                 "okta": {k: v for k, v in AUTH.items() if k.startswith(("client", "server"))}}
    at = app(secrets={"auth": {"redirect_uri": AUTH["redirect_uri"], "cookie_secret": AUTH["cookie_secret"],
                               **providers}})
    assert sorted(b.label for b in at.button if b.key and b.key.startswith(auth.LOGIN_BUTTON)) == [
        "Log in with google", "Log in with okta"]
    assert not shows_data(at)


def test_auth_configured_without_authlib_says_what_to_install(sample_store, monkeypatch):
    monkeypatch.setattr(auth, "authlib_installed", lambda: False)
    at = app(secrets={"auth": AUTH})
    assert not shows_data(at) and not at.button
    assert 'pip install "streamlit[auth]"' in at.error[0].value
