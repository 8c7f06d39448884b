"""The leadership brief: its PDF says what analytics computes, names are escaped, charts render offline.

PDF text is read back with poppler's `pdftotext`. Tests that render PNG charts need Chromium and follow the
browser rule: skipped with a reason without it, failed when CI=true; the others draw the SVG fallback.
"""

from __future__ import annotations

import base64
import json
import os
import shutil
import struct
import subprocess
import sys
import zlib
from pathlib import Path

import pytest

from analytics import brief, leadership, store
from analytics.config import Knobs
from analytics.leadership import num, pct
from tests.builders import insert, item, new_store, sprint

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "data" / "sample"
EXPORTS = ["--items", str(SAMPLE / "jira_shop_export.csv"), "--sprints", str(SAMPLE / "sprints.csv"),
           "--incidents", str(SAMPLE / "pagerduty_incidents.csv"), "--oncall", str(SAMPLE / "oncall_schedule.ics")]


def _require(tool: str, why: str) -> str:
    path = shutil.which(tool)
    if path is None:
        message = f"{tool} not found ({why})"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"{message}; CI=true requires it")
        pytest.skip(message)
    return path


def pdf_text(pdf: bytes, tmp_path: Path) -> str:
    """The PDF's text with whitespace collapsed (line breaks of the layout do not matter)."""
    _require("pdftotext", "apt-get install poppler-utils")
    path = tmp_path / "brief.pdf"
    path.write_bytes(pdf)
    out = subprocess.run(["pdftotext", "-enc", "UTF-8", str(path), "-"], capture_output=True, check=True)
    return " ".join(out.stdout.decode("utf-8").split())


def pdf_pages(pdf: bytes, tmp_path: Path) -> int:
    _require("pdfinfo", "apt-get install poppler-utils")
    path = tmp_path / "pages.pdf"
    path.write_bytes(pdf)
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    return int(next(line.split()[-1] for line in info.splitlines() if line.startswith("Pages:")))


@pytest.fixture(scope="module")
def sample_view(sample_store_template: Path, tmp_path_factory: pytest.TempPathFactory) -> leadership.Leadership:
    path = tmp_path_factory.mktemp("brief") / "firebreak.duckdb"
    shutil.copyfile(sample_store_template, path)
    con = store.open_store(str(path))
    try:
        return leadership.collect(con, Knobs(point_value=300.0), None,
                                  leadership.Settings(hour_value=80.0, currency="€"))
    finally:
        con.close()


@pytest.fixture(scope="module")
def svg_brief(sample_view) -> brief.Brief:
    return brief.build_brief(sample_view, image_format="svg")


def chromium() -> str:
    path = brief.find_chromium()
    if path is None:
        message = "no Chromium found: PNG charts need it (apt-get install chromium)"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"{message}; CI=true requires the chart tests to run")
        pytest.skip(message)
    return path


def test_the_pdf_has_the_numbers_of_the_analytics(sample_view, svg_brief, tmp_path):
    view = sample_view
    text = pdf_text(svg_brief.pdf, tmp_path)
    assert "Status: At risk" in text and view.status.status == "at_risk"
    assert " ".join(view.summary.split()) in text
    assert f"pays back in sprint {view.case.break_even_sprint}" in text
    rec = view.adequacy.recommended_points
    assert "Recommended (p80 of the window)" in text and f"{num(rec)} points" in text   # a table: columns interleave
    assert f"from {num(view.adequacy.current_reserve_points)} to {num(rec)} points a sprint" in text
    top = view.categories.iloc[0]
    assert f"{top['category']} {int(top['incidents'])} {int(top['recurrences'])}" in text
    assert top["dod_gap"] in text
    assert f"{num(view.delivery.planned_lost_points)} points" in text and pct(view.delivery.say_do) in text
    assert leadership.plan_sentence(view.plan) in text
    for line in view.ask:
        assert " ".join(line.split()) in text
    for case in view.scenarios.values():
        assert pct(case.expected_reduction) in text
    assert pdf_pages(svg_brief.pdf, tmp_path) <= 2


def test_the_html_and_the_pdf_are_the_same_document(svg_brief, tmp_path):
    html = svg_brief.html
    assert html.startswith("<!DOCTYPE html>") and "Content-Security-Policy" in html
    assert html.count("data:image/svg+xml;base64,") == 4
    assert svg_brief.pdf.startswith(b"%PDF-")
    assert brief.render_pdf(html)[:5] == b"%PDF-"
    assert svg_brief.image_format == "svg" and set(svg_brief.timings) == {"charts", "html", "pdf", "total"}


def hostile_store():
    con = new_store()
    evil_sprint = "<script>alert('sprint')</script>"
    insert(con, "sprints", [sprint(evil_sprint, "2026-01-05", "2026-01-18", reserve=1),
                            sprint("S2 & <b>co</b>", "2026-01-19", "2026-02-01", reserve=1)])
    insert(con, "work_items", [
        item("A-1", "Bug", created="2026-01-06 09:00", resolved="2026-01-07 09:00", points=3, sprints=[evil_sprint]),
        item("A-2", created="2026-01-02 09:00", resolved="2026-01-08 09:00", points=2, sprints=[evil_sprint]),
        item("A-3", "Hotfix", created="2026-01-20 09:00", resolved="2026-01-21 09:00", points=2,
             sprints=["S2 & <b>co</b>"]),
        item("A-4", "Task", created="2026-01-03 09:00", points=2, labels=["debt"],
             summary='<img src=x onerror="alert(1)"> pay it down', links=[("relates", "I-1")]),
        item("A-5", created="2026-02-03 09:00", resolved="2026-02-03 10:00", points=1),
    ])
    insert(con, "incidents", [{"id": "I-1", "title": "<iframe src=//evil>", "created": "2026-01-06 08:00",
                               "category": "<svg onload=alert(2)>", "related_keys": ["A-1"]},
                              {"id": "I-2", "title": "again", "created": "2026-01-20 08:00",
                               "category": "<svg onload=alert(2)>", "related_keys": ["A-3"]}])
    return con


@pytest.mark.parametrize("fmt", ["svg"])
def test_names_from_the_data_are_escaped(fmt, tmp_path):
    con = hostile_store()
    view = leadership.collect(con, Knobs(invest_points_per_sprint=1.0))
    con.close()
    made = brief.build_brief(view, image_format=fmt)
    html = made.html
    for raw in ("<script>alert", "<img src=x", "<svg onload", "<iframe", "<b>co</b>"):
        assert raw not in html
        for image in html.split("base64,")[1:]:
            svg = base64.b64decode(image.split('"')[0]).decode("utf-8")
            assert raw not in svg
    assert "&lt;script&gt;alert(&#x27;sprint&#x27;)&lt;/script&gt;" in html
    assert "&lt;svg onload=alert(2)&gt;" in html and "S2 &amp; &lt;b&gt;co&lt;/b&gt;" in html
    text = pdf_text(made.pdf, tmp_path)
    assert "<svg onload=alert(2)>" in text   # shown as text, not interpreted
    assert '<img src=x onerror="alert(1)"> pay it down' in text


def test_the_pdf_fetches_nothing_but_embedded_images(tmp_path):
    def png() -> bytes:
        raw = b"".join(b"\x00" + b"\xff\x00\x00" * 4 for _ in range(4))

        def chunk(kind: bytes, data: bytes) -> bytes:
            return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
        return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 4, 4, 8, 2, 0, 0, 0))
                + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))
    image = png()
    (tmp_path / "x.png").write_bytes(image)
    embedded = brief.render_pdf(f'<img src="data:image/png;base64,{base64.b64encode(image).decode()}">')
    local = brief.render_pdf(f'<img src="{(tmp_path / "x.png").as_uri()}"><img src="http://127.0.0.1:9/x.png">')
    assert b"/Image" in embedded and b"/Image" not in local


def test_a_brief_without_data(tmp_path):
    con = new_store()
    view = leadership.collect(con, Knobs())
    con.close()
    made = brief.build_brief(view, image_format="svg")
    text = pdf_text(made.pdf, tmp_path)
    assert "Status: Not enough data" in text
    assert "No investment case yet" in text and "Collect at least one completed sprint" in text


def test_the_svg_fallback_draws_bars_lines_and_labels(sample_view):
    figs = brief.brief_figures(sample_view)
    svg = brief.svg_figure(figs["share"], *brief.FIGURE_SIZES["share"])
    done = sample_view.completed
    assert svg.startswith("<svg") and svg.count("<rect") > len(done)
    assert "firefighting threshold 50%" in svg and "SHOP Sprint 1" in svg
    assert "<polyline" in brief.svg_figure(figs["scenarios"], 560, 250)


def test_png_charts_through_kaleido_and_the_system_chromium(sample_view, tmp_path, monkeypatch):
    path = chromium()
    import kaleido

    seen: dict = {}
    real_start = kaleido.start_sync_server

    def start(*args, **kwargs):
        seen.update(kwargs)
        return real_start(*args, **kwargs)
    monkeypatch.setattr(kaleido, "start_sync_server", start)
    made = brief.build_brief(sample_view, chromium=path)
    assert made.image_format == "png", made.note
    # offline: the system browser, plotly.py's own plotly.js, no MathJax, Chromium's requests to a dead proxy
    assert seen["path"] == path and seen["mathjax"] is False and seen["proxy_server"] == brief.DEAD_PROXY
    assert seen["plotlyjs"].startswith("file://") and Path(seen["plotlyjs"].removeprefix("file://")).is_file()
    pngs = [base64.b64decode(chunk.split('"')[0]) for chunk in made.html.split("data:image/png;base64,")[1:]]
    assert len(pngs) == 4 and all(p.startswith(b"\x89PNG") for p in pngs)
    assert not kaleido._global_server.is_running()   # stopped after the batch
    assert pdf_pages(made.pdf, tmp_path) <= 2
    assert "Status: At risk" in pdf_text(made.pdf, tmp_path)


def run_cli(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "analytics", *args], cwd=cwd, capture_output=True, text=True,
                          env={**os.environ, "PYTHONPATH": str(ROOT)}, timeout=180)


def test_cli_brief_matches_the_report(tmp_path):
    out = tmp_path / "brief.pdf"
    done = run_cli("brief", *EXPORTS, "--out", str(out), "--charts", "svg", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert "leadership brief" in done.stderr
    report = json.loads(run_cli("report", *EXPORTS, cwd=tmp_path).stdout)
    text = pdf_text(out.read_bytes(), tmp_path)
    labels = {"at_risk": "At risk", "firefighting": "Firefighting", "healthy": "Healthy"}
    status = labels[report["firefighter"]["status"]]
    assert f"Status: {status}" in text
    inv = report["investment"]
    assert f"pays back in sprint {inv['break_even_sprint']}" in text
    assert f"returns {num(inv['net_points'])} points over {inv['horizon_sprints']} sprints" in text
    assert f"{num(report['reserve']['recommended_points'])} points" in text
    assert f"Baseline U = {num(inv['baseline_unplanned_points'])} unplanned points" in text
    html = tmp_path / "brief.html"
    assert run_cli("brief", *EXPORTS[:2], "--out", str(html), "--charts", "svg", cwd=tmp_path).returncode == 0
    assert html.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")


def test_cli_brief_rejects_what_it_cannot_write(tmp_path):
    done = run_cli("brief", "--items", str(SAMPLE / "jira_shop_export.csv"), "--out", str(tmp_path / "x.docx"),
                   cwd=tmp_path)
    assert done.returncode == 2 and "must end in .pdf or .html" in done.stderr
    done = run_cli("brief", "--items", str(tmp_path / "missing.csv"), "--out", str(tmp_path / "x.pdf"), cwd=tmp_path)
    assert done.returncode == 2 and "no such file" in done.stderr
    done = run_cli("brief", "--items", str(SAMPLE / "jira_shop_export.csv"), "--out",
                   str(tmp_path / "no-such-dir" / "x.html"), "--charts", "svg", cwd=tmp_path)
    assert done.returncode == 2 and done.stderr.startswith("error: --out")
