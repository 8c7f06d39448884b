"""Firebreak's benchmark: import and query cost at 10k, 100k and 1M items, against DuckDB's floor.

    python bench/run.py                  # 10k, 100k, 1M (about 5 minutes on 2 cores)
    python bench/run.py --sizes 10000    # quicker

For each size, in this one process run so that ratios hold on a noisy machine
(median of --runs runs, except where noted):
  1. floor: DuckDB alone reading the file into a table of strings (CTAS, all_varchar);
  2. import: Firebreak's full import of the same file into a fresh store file;
  3. each metric family's query on the loaded store, warm (facts already built; the
     one-off facts build after an import is reported on its own);
  4. `python -m analytics report` end to end (a subprocess);
  5. the same figures in plain pandas (bench/pandas_report.py, a subprocess);
  6. peak RSS of the floor and of the import (each in its own subprocess), and of a
     process that has rendered the Overview on the loaded store;
  7. the Overview page's AppTest run time: cold, warm, and a rerun after a setting that
     changes nothing (cache hit);
  8. every page of the app (the pages dashboard.py registers, in menu order; --pages picks
     some), each in its own fresh process on the loaded store (facts already built), reached
     like the page tests do: AppTest on dashboard.py, `switch_page` before the first run, so
     the sidebar and session state are the app's and no other page fills the caches first.
     Three figures per page:
       first  the first render in that process: interpreter warm-up (imports, Plotly's lazy
              loading), opening the store, and the page's queries;
       cold   a new session after `st.cache_data.clear()`: the page's own queries and drawing
              with every cached result gone, as after an import (same process, so no warm-up);
       warm   the median of 3 reruns of that session (the cached results reused).
     The first render of the Overview here is the same measure as the Overview's cold in 7.
--no-overview skips 6's dashboard RSS, 7 and 8.
Writes bench/out/results.json and bench/out/results.md and prints the table.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.generate import generate  # noqa: E402

OUT = ROOT / "bench" / "out"


def median_time(fn, runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def child(code: str, *args: str, env: dict | None = None) -> dict:
    """Run Python code in a fresh interpreter; it prints one JSON object (with its peak RSS)."""
    wrapper = code + "\nimport resource, json as _j\nprint(_j.dumps(dict(RESULT, rss_mb=" \
                     "resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)))\n"
    proc = subprocess.run([sys.executable, "-c", wrapper, *args], cwd=ROOT, capture_output=True, text=True,
                          env={**os.environ, **(env or {})}, timeout=1800)
    if proc.returncode != 0:
        raise RuntimeError(proc.stderr[-2000:])
    return json.loads(proc.stdout.strip().splitlines()[-1])


FLOOR = """
import sys, time, duckdb
con = duckdb.connect(sys.argv[2])
t = time.perf_counter()
con.execute("CREATE TABLE t AS SELECT * FROM read_csv($f, all_varchar = true)", {"f": sys.argv[1]})
RESULT = {"seconds": time.perf_counter() - t}
"""

IMPORT = """
import sys, time
from analytics import store
con = store.open_store(sys.argv[2], load_sample=False)
t = time.perf_counter()
r = store.import_file(con, "jira.csv", path=sys.argv[1])
RESULT = {"seconds": time.perf_counter() - t, "rows": r.rows_loaded}
"""

OVERVIEW = """
import sys, time
from streamlit.testing.v1 import AppTest
at = AppTest.from_file(sys.argv[1], default_timeout=600)
t = time.perf_counter(); at.run(); cold = time.perf_counter() - t
assert not at.exception, at.exception
warm = []
for _ in range(3):
    t = time.perf_counter(); at.run(); warm.append(time.perf_counter() - t)
# a setting moved to the value it already has: nothing may be recomputed
slider = at.sidebar.slider[0]
t = time.perf_counter(); slider.set_value(slider.value).run(); rerun = time.perf_counter() - t
assert not at.exception, at.exception
warm.sort()
RESULT = {"cold": cold, "warm": warm[1], "rerun_same_setting": rerun}
"""

# One page in its own process. Pages share cached results (the sprint series, say), so the page is
# switched to before the first run: the Overview (the default page) never runs and fills nothing.
PAGE = """
import statistics, sys, time
import streamlit as st
from streamlit.testing.v1 import AppTest
main, path, title = sys.argv[1:4]

def render():
    at = AppTest.from_file(main, default_timeout=600)
    at.switch_page(path)
    t = time.perf_counter(); at.run(); took = time.perf_counter() - t
    assert not at.exception, f"page {path}: {at.exception}"
    assert any(x.value.startswith(title) for x in at.title), \
        f"page {path}: expected the title {title!r}, rendered {[x.value for x in at.title]}"
    return at, took

at, first = render()
st.cache_data.clear()
at, cold = render()
warm = []
for _ in range(3):
    t = time.perf_counter(); at.run(); warm.append(time.perf_counter() - t)
    assert not at.exception, f"page {path} (rerun): {at.exception}"
RESULT = {"first": first, "cold": cold, "warm": statistics.median(warm)}
"""


def app_pages() -> dict[str, str]:
    """The pages dashboard.py registers, in menu order: {name (file stem): menu title}."""
    found = re.findall(r'st\.Page\("pages/(\w+)\.py",\s*title="([^"]+)"', (ROOT / "dashboard.py").read_text())
    if not found:
        raise SystemExit("no st.Page(\"pages/<name>.py\", title=...) found in dashboard.py")
    unregistered = sorted({f.stem for f in (ROOT / "pages").glob("*.py")} - {name for name, _ in found})
    if unregistered:
        print(f"not in dashboard.py's navigation, not measured: {', '.join(unregistered)}", file=sys.stderr)
    return dict(found)


def bench_pages(db: Path, names: list[str]) -> dict[str, dict]:
    titles = app_pages()
    measured = {}
    for name in names:
        try:
            page = child(PAGE, str(ROOT / "dashboard.py"), f"pages/{name}.py", titles[name],
                         env={"FIREBREAK_DB": str(db)})
        except RuntimeError as exc:
            raise RuntimeError(f"page {name} failed:\n{exc}") from None
        measured[name] = {"title": titles[name], **{k: round(page[k], 3) for k in ("first", "cold", "warm")},
                          "rss_mb": round(page["rss_mb"])}
    return measured


def families(con, runs: int) -> dict[str, float]:
    from analytics import facts, incidents, investment, oncall, reserve, sprints
    from analytics.config import Knobs

    knobs = Knobs()
    start = time.perf_counter()
    facts.ensure(con)
    built = time.perf_counter() - start
    series = sprints.sprint_series(con, knobs)
    as_of = sprints.data_as_of(con)

    def follow_through():
        table = incidents.incident_table(con, knobs)
        incidents.postmortem_coverage(table)
        incidents.action_item_summary(incidents.action_items(con, knobs), as_of)
        incidents.repeats_with_open_actions(con, knobs, table=table)

    measured = {
        "facts build (once per import)": built,
        "sprints": lambda: sprints.sprint_series(con, knobs),
        "reserve": lambda: reserve.reserve_adequacy(sprints.sprint_series(con, knobs), knobs),
        "incidents": lambda: incidents.by_category(con, knobs),
        "follow-through": follow_through,
        "on-call": lambda: oncall.oncall_load(con, knobs),
        "investment": lambda: investment.investment_case(sprints.sprint_series(con, knobs), knobs),
    }
    del series
    return {name: (fn if isinstance(fn, float) else median_time(fn, runs)) for name, fn in measured.items()}


def bench_size(items: int, runs: int, workdir: Path, overview: bool, pages: list[str]) -> dict:
    files = generate(items, workdir / f"{items}")
    size_mb = files["items"].stat().st_size / 1e6
    result: dict = {"items": items, "file_mb": round(size_mb, 1)}

    floors, imports = [], []
    for i in range(runs):
        floors.append(child(FLOOR, str(files["items"]), str(workdir / f"floor{items}_{i}.duckdb")))
        imports.append(child(IMPORT, str(files["items"]), str(workdir / f"store{items}_{i}.duckdb")))
    result["floor_s"] = statistics.median(f["seconds"] for f in floors)
    result["import_s"] = statistics.median(f["seconds"] for f in imports)
    result["floor_rss_mb"] = statistics.median(f["rss_mb"] for f in floors)
    result["import_rss_mb"] = statistics.median(f["rss_mb"] for f in imports)

    from analytics import store

    db = workdir / f"store{items}_0.duckdb"
    con = store.open_store(str(db), load_sample=False)
    store.import_file(con, "sprints.csv", path=files["sprints"])
    store.import_file(con, "incidents.csv", path=files["incidents"])
    result["query_ms"] = {k: round(v * 1000, 1) for k, v in families(con, max(runs, 5)).items()}
    con.close()

    args = ["--items", str(files["items"]), "--sprints", str(files["sprints"]), "--incidents", str(files["incidents"])]
    result["report_s"] = median_time(lambda: subprocess.run(
        [sys.executable, "-m", "analytics", "report", *args], cwd=ROOT, check=True, capture_output=True), runs)
    result["pandas_s"] = median_time(lambda: subprocess.run(
        [sys.executable, str(ROOT / "bench" / "pandas_report.py"), str(files["items"]), str(files["sprints"]),
         str(files["incidents"])], cwd=ROOT, check=True, capture_output=True), runs)

    if overview:
        page = child(OVERVIEW, str(ROOT / "dashboard.py"), env={"FIREBREAK_DB": str(db)})
        result["overview_s"] = {k: round(page[k], 3) for k in ("cold", "warm", "rerun_same_setting")}
        result["dashboard_rss_mb"] = page["rss_mb"]
        result["pages_s"] = bench_pages(db, pages)
    for f in workdir.glob(f"*{items}_*.duckdb*"):
        f.unlink()
    return result


def markdown(results: list[dict], cores: int) -> str:
    sizes = [f"{r['items']:,}" for r in results]
    rows = [("file size (MB)", [f"{r['file_mb']}" for r in results]),
            ("floor: DuckDB CTAS all_varchar (s)", [f"{r['floor_s']:.2f}" for r in results]),
            ("Firebreak import (s)", [f"{r['import_s']:.2f}" for r in results]),
            ("import / floor", [f"{r['import_s'] / r['floor_s']:.2f}x" for r in results]),
            ("peak RSS floor / import (MB)", [f"{r['floor_rss_mb']:.0f} / {r['import_rss_mb']:.0f}" for r in results]),
            ("import RSS / floor RSS", [f"{r['import_rss_mb'] / r['floor_rss_mb']:.2f}x" for r in results])]
    for family in results[0]["query_ms"]:
        rows.append((f"query: {family} (ms)", [f"{r['query_ms'][family]:.0f}" for r in results]))
    rows += [("report end to end (s)", [f"{r['report_s']:.2f}" for r in results]),
             ("pandas notebook (s)", [f"{r['pandas_s']:.2f}" for r in results]),
             ("pandas / report", [f"{r['pandas_s'] / r['report_s']:.1f}x" for r in results])]
    if "overview_s" in results[0]:
        rows += [("Overview AppTest cold / warm (s)",
                  [f"{r['overview_s']['cold']:.2f} / {r['overview_s']['warm']:.2f}" for r in results]),
                 ("Overview rerun, unchanged setting (s)", [f"{r['overview_s']['rerun_same_setting']:.2f}"
                                                            for r in results]),
                 ("dashboard process peak RSS (MB)", [f"{r['dashboard_rss_mb']:.0f}" for r in results])]
    pages = results[0].get("pages_s", {})
    for name, page in pages.items():
        rows.append((f"page: {page['title']} first / cold / warm (s)",
                     [f"{r['pages_s'][name]['first']:.2f} / {r['pages_s'][name]['cold']:.2f} / "
                      f"{r['pages_s'][name]['warm']:.2f}" for r in results]))
    lines = [f"Machine: {cores} cores. Median of several runs; queries warm.", "",
             "| measure | " + " | ".join(sizes) + " |", "|---|" + "---:|" * len(sizes)]
    lines += [f"| {name} | " + " | ".join(vals) + " |" for name, vals in rows]
    if pages:
        lines += ["", "Pages (AppTest, each in its own process, facts built): first = first render in a fresh "
                      "process (imports, store opening, queries); cold = a new session with st.cache_data "
                      "cleared (the page's own queries); warm = rerun, median of 3."]
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000, 1_000_000])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--no-overview", action="store_true",
                        help="skip the AppTest measurements (the Overview's and every page's)")
    all_pages = list(app_pages())
    parser.add_argument("--pages", nargs="+", choices=all_pages, default=all_pages, metavar="PAGE",
                        help="measure only these pages (default: all of them: %(choices)s)")
    args = parser.parse_args()
    pages = [name for name in all_pages if name in args.pages]
    OUT.mkdir(parents=True, exist_ok=True)
    cores = os.cpu_count() or 1
    with tempfile.TemporaryDirectory(prefix="firebreak-bench-") as tmp:
        results = [bench_size(n, args.runs, Path(tmp), not args.no_overview, pages) for n in args.sizes]
    (OUT / "results.json").write_text(json.dumps({"cores": cores, "results": results}, indent=2))
    table = markdown(results, cores)
    (OUT / "results.md").write_text(table)
    print(table)


if __name__ == "__main__":
    main()
