"""Browser tests: the real Streamlit server in a subprocess, driven by Playwright in Debian's Chromium.

No browser is ever downloaded: the tests use the system `chromium`. Without it
they are skipped, except under CI=true, where a missing Chromium is a failure.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from analytics import store

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking"]


def find_chromium() -> str | None:
    for candidate in (shutil.which("chromium"), "/usr/lib/chromium/chromium", shutil.which("chromium-browser")):
        if candidate and os.access(candidate, os.X_OK):
            return candidate
    return None


@pytest.fixture(scope="session")
def chromium_executable() -> str:
    path = find_chromium()
    if path is None:
        message = "no Chromium found (install Debian's chromium: apt-get install chromium)"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"{message}; CI=true requires the browser tests to run")
        pytest.skip(message)
    return path


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict, chromium_executable: str) -> dict:
    """pytest-playwright's launch arguments, pointed at the system Chromium."""
    return {**browser_type_launch_args, "executable_path": chromium_executable, "args": CHROMIUM_ARGS}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _healthy(url: str) -> bool:
    try:
        with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
            return response.read().strip() == b"ok"
    except OSError:
        return False


@pytest.fixture(scope="session")
def e2e_store(sample_store_template: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The server's own copy of the sample store (the server holds its lock while it runs)."""
    path = tmp_path_factory.mktemp("e2e") / "firebreak.duckdb"
    shutil.copyfile(sample_store_template, path)
    return path


@contextlib.contextmanager
def running_app(store_path: Path, log: Path):
    """`streamlit run dashboard.py` on a free port with FIREBREAK_DB=store_path; yields its URL, stops it after."""
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    env = {**os.environ, "FIREBREAK_DB": str(store_path)}
    with open(log, "w") as out:
        server = subprocess.Popen(
            [sys.executable, "-m", "streamlit", "run", "dashboard.py", "--server.port", str(port),
             "--server.address", "127.0.0.1", "--server.headless", "true"],
            cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 60
        while not _healthy(url):
            if server.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"streamlit did not start (exit code {server.poll()}):\n{log.read_text()[-3000:]}")
            time.sleep(0.25)
        yield url
    finally:
        server.terminate()
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


def store_copy(template: Path, tmp_path_factory: pytest.TempPathFactory, name: str) -> Path:
    """A private copy of the sample store for a server that writes to it."""
    path = tmp_path_factory.mktemp(name) / "firebreak.duckdb"
    shutil.copyfile(template, path)
    return path


@pytest.fixture(scope="session")
def app_url(chromium_executable: str, e2e_store: Path, tmp_path_factory: pytest.TempPathFactory):
    """The app on the session's read-mostly copy of the sample store."""
    with running_app(e2e_store, tmp_path_factory.mktemp("e2e-log") / "streamlit.log") as url:
        yield url


JIRA_HEADER = ("Summary,Issue key,Issue id,Issue Type,Status,Status Category,Project key,Created,Resolved,Labels,"
               "Sprint,Custom field (Story point estimate)")


def bugs_in_sprint_26(count: int, points: float, label: str, title: str, first_key: int) -> bytes:
    """A Jira export of `count` Bugs created and resolved during the sample's SHOP Sprint 26
    (2026-11-09..2026-11-22), the last completed sprint: importing it raises that sprint's unplanned share."""
    lines = [JIRA_HEADER]
    for i in range(count):
        day = 10 + i % 10
        lines.append(f"{title} {i + 1},SHOP-{first_key + i},{first_key * 10 + i},Bug,Done,Done,SHOP,"
                     f"{day:02d}/Nov/26 9:00 AM,{day:02d}/Nov/26 4:00 PM,{label},SHOP Sprint 26,{points:.1f}")
    return ("\n".join(lines) + "\n").encode("utf-8")


def before_and_after(template: Path, export: Path, measure, tmp_path_factory: pytest.TempPathFactory) -> dict:
    """`measure(store path)` on a copy of the sample store, before and after importing `export`."""
    path = store_copy(template, tmp_path_factory, "expected")
    before = measure(path)
    con = store.open_store(str(path))
    try:
        store.import_file(con, export.name, data=export.read_bytes())
    finally:
        con.close()
    return {"before": before, "after": measure(path)}
