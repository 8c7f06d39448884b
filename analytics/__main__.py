"""Command line: `python -m analytics report ...`, `python -m analytics import ...` and `... brief`.

`report` reads exports into a private in-memory store and prints the JSON
contract; `import` writes exports into the store named by FIREBREAK_DB.
Unreadable input exits with code 2 and a one-line reason on stderr.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from analytics import store
from analytics.config import ConfigError, Knobs, load_config
from analytics.errors import AlreadyImported, ImportRejected
from analytics.report import build_report
from analytics.sprints import sprint_series

EXPECTED_TABLE = {"items": "work_items", "sprints": "sprints", "incidents": "incidents", "oncall": "oncall_shifts"}
TABLE_WORDS = {"work_items": "a work-item export", "sprints": "a sprint calendar", "incidents": "an incident export",
               "oncall_shifts": "an on-call schedule"}


class CliError(Exception):
    """Input the command cannot use: printed as one line, exit code 2."""


def _one_line(text: str) -> str:
    return " ".join(str(text).split())


def _load(con, option: str, path: str) -> None:
    p = Path(path)
    if not p.is_file():
        raise CliError(f"--{option} {path}: no such file")
    try:
        result = store.import_file(con, p.name, path=p)
    except AlreadyImported:
        return
    except ImportRejected as exc:
        raise CliError(f"--{option} {exc}") from exc
    if result.table != EXPECTED_TABLE[option]:
        raise CliError(f"--{option} {p.name}: this is {TABLE_WORDS[result.table]} ({result.format}), "
                       f"not {TABLE_WORDS[EXPECTED_TABLE[option]]}")
    if result.rows_rejected:
        first = result.rejects[0] if result.rejects else None
        where = f" (first: row {first.row}, column '{first.column}': {first.reason})" if first else ""
        print(f"{p.name}: {result.rows_loaded} rows loaded, {result.rows_rejected} rejected{where}", file=sys.stderr)


def _load_all(args: argparse.Namespace):
    """A private in-memory store holding the exports named on the command line."""
    con = store.open_store(":memory:", load_sample=False)
    for option in ("items", "sprints", "incidents", "oncall"):
        path = getattr(args, option)
        if path:
            _load(con, option, path)
    return con


def cmd_report(args: argparse.Namespace) -> int:
    knobs = load_config(args.config) if args.config else Knobs()
    con = _load_all(args)
    if args.format == "csv":
        series = sprint_series(con, knobs)
        from analytics.sprints import CONTRACT_COLUMNS
        series.loc[:, list(CONTRACT_COLUMNS)].to_csv(sys.stdout, index=False)
        return 0
    json.dump(build_report(con, knobs), sys.stdout, indent=2)
    sys.stdout.write("\n")
    return 0


def cmd_brief(args: argparse.Namespace) -> int:
    """The leadership brief (PDF or HTML) for the given exports, built as the Investment page builds it."""
    from analytics import brief, leadership

    out = Path(args.out)
    if out.suffix.lower() not in (".pdf", ".html", ".htm"):
        raise CliError(f"--out {args.out}: the file name must end in .pdf or .html")
    if not out.resolve().parent.is_dir():
        raise CliError(f"--out {args.out}: no such directory {out.resolve().parent}")
    knobs = load_config(args.config) if args.config else Knobs()
    con = _load_all(args)
    settings = leadership.Settings(hour_value=args.hour_value, currency=args.currency or "",
                                   period_sprints=args.period_sprints)
    view = leadership.collect(con, knobs, None, settings)
    as_pdf = out.suffix.lower() == ".pdf"
    try:
        made = brief.build_brief(view, pdf=as_pdf, image_format=None if args.charts == "auto" else args.charts)
    except brief.ChartError as exc:
        raise CliError(f"--charts png: {exc}") from exc
    try:
        out.write_bytes(made.pdf) if as_pdf else out.write_text(made.html, encoding="utf-8")
    except OSError as exc:
        raise CliError(f"--out {args.out}: {exc.strerror or exc}") from exc
    print(f"{out}: leadership brief ({made.note}; built in {made.timings['total']:.1f} s)", file=sys.stderr)
    return 0


def cmd_import(args: argparse.Namespace) -> int:
    con = store.open_store(load_sample=False)
    status = 0
    for path in args.files:
        p = Path(path)
        try:
            if not p.is_file():
                raise ImportRejected(path, "no such file")
            r = store.import_file(con, p.name, path=p, format=args.format)
        except AlreadyImported as exc:
            print(_one_line(exc))
            continue
        except ImportRejected as exc:
            print(_one_line(exc), file=sys.stderr)
            status = 2
            continue
        print(f"{r.file_name}: import #{r.import_id}, {r.format}, {r.rows_read} rows read, {r.rows_loaded} loaded "
              f"({r.rows_replaced} replaced earlier rows), {r.rows_rejected} rejected")
        for rej in r.rejects[:20]:
            col = f", column '{rej.column}'" if rej.column else ""
            print(f"  row {rej.row}{col}: {rej.reason}" + (f" (value: {rej.value})" if rej.value else ""))
        if len(r.rejects) > 20:
            print(f"  ... and {len(r.rejects) - 20} more")
    return status


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m analytics", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    rep = sub.add_parser("report", help="print every metric as JSON for the given exports")
    rep.add_argument("--items", required=True, help="work-item export (Jira CSV, ...)")
    rep.add_argument("--sprints", help="sprint calendar (CSV)")
    rep.add_argument("--incidents", help="incident export (PagerDuty CSV, ...)")
    rep.add_argument("--oncall", help="on-call schedule (.ics or CSV person,start,end)")
    rep.add_argument("--config", help="TOML file of knobs")
    rep.add_argument("--format", choices=("json", "csv"), default="json")
    rep.set_defaults(func=cmd_report)
    bri = sub.add_parser("brief", help="write the leadership brief (PDF or HTML) for the given exports")
    bri.add_argument("--items", required=True, help="work-item export (Jira CSV, ...)")
    bri.add_argument("--sprints", help="sprint calendar (CSV)")
    bri.add_argument("--incidents", help="incident export (PagerDuty CSV, ...)")
    bri.add_argument("--oncall", help="on-call schedule (.ics or CSV person,start,end)")
    bri.add_argument("--config", help="TOML file of knobs")
    bri.add_argument("--out", required=True, help="FILE.pdf or FILE.html")
    bri.add_argument("--hour-value", type=float, help="money per hour of unplanned work (cost of staying)")
    bri.add_argument("--currency", help="currency shown before money amounts, e.g. EUR or €")
    bri.add_argument("--period-sprints", type=int, default=6,
                     help="the firefighter evidence covers the last N completed sprints (default 6)")
    bri.add_argument("--charts", choices=("auto", "png", "svg"), default="auto",
                     help="png: kaleido and the system Chromium (required); svg: no browser; auto: png if possible")
    bri.set_defaults(func=cmd_brief)
    imp = sub.add_parser("import", help="import exports into the store (FIREBREAK_DB)")
    imp.add_argument("files", nargs="+")
    imp.add_argument("--format", help="override format detection")
    imp.set_defaults(func=cmd_import)
    args = parser.parse_args(argv)
    try:
        return args.func(args)
    except (CliError, ConfigError, store.StoreLocked) as exc:
        print(f"error: {_one_line(exc)}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
