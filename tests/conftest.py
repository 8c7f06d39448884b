"""Shared fixtures: every test that touches a store file gets its own (FIREBREAK_DB), never data/firebreak.duckdb."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from analytics import store

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="session")
def sample_store_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A store file with the embedded sample loaded once per session; copy it, never open it in a test."""
    path = tmp_path_factory.mktemp("template") / "sample.duckdb"
    store.open_store(str(path)).close()
    return path


@pytest.fixture
def sample_store(sample_store_template: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """This test's own copy of the sample store, named by FIREBREAK_DB."""
    path = tmp_path / "firebreak.duckdb"
    shutil.copyfile(sample_store_template, path)
    monkeypatch.setenv("FIREBREAK_DB", str(path))
    return path


@pytest.fixture
def empty_store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A store file with the schema and no data, named by FIREBREAK_DB."""
    path = tmp_path / "empty.duckdb"
    store.open_store(str(path), load_sample=False).close()
    monkeypatch.setenv("FIREBREAK_DB", str(path))
    return path
