"""The leadership brief: one HTML document (charts embedded) and the same document as a PDF.

Route (see README, dependencies): the figures are the pages' Plotly figures,
exported to PNG by kaleido 1.x driving the system Chromium. Kaleido is pointed
at that binary, at plotly.py's bundled plotly.js and told to load no MathJax,
and Chromium's own background requests (update checks, preconnects) are sent
to a dead local proxy, so nothing is fetched from the network. All figures of
a brief are rendered in one browser session (`kaleido.start_sync_server`),
under a lock because that server is process-wide. Without Chromium (or when
kaleido fails) the same figures are drawn as simple SVG by `svg_figure`. The
PDF is WeasyPrint rendering the very HTML the HTML download contains, with a
URL fetcher that only accepts the embedded `data:` images.

Every text that comes from the data (sprint, category, item names) is
HTML-escaped; numbers are the `analytics.leadership` results, formatted by
its helpers, so the brief shows what the pages show.
"""

from __future__ import annotations

import base64
import datetime as dt
import html
import logging
import math
import os
import shutil
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
import plotly.graph_objects as go

from analytics import leadership_charts as lc
from analytics.leadership import (DASH, SCENARIO_LABELS, Leadership, money, num, pct, plan_sentence, plural,
                                  signed, span)

log = logging.getLogger(__name__)

STATUS_TEXT = {"firefighting": "Firefighting", "at_risk": "At risk", "healthy": "Healthy", None: "Not enough data"}
STATUS_COLOUR = {"firefighting": "#D55E00", "at_risk": "#E69F00", "healthy": "#009E73", None: "#888888"}
VERDICT_TEXT = {"under-reserved": "under-reserved", "over-reserved": "over-reserved", "adequate": "adequate",
                None: "not enough data"}
DEAD_PROXY = "http://127.0.0.1:9"   # the discard port: Chromium's own requests fail at once, offline
PLAN_ROWS = 9                       # plan items listed in the brief (the rest are counted)
_RENDER_LOCK = threading.Lock()

# name: (width px, height px) of each brief figure; the layout decides where each goes.
FIGURE_SIZES = {"share": (1000, 290), "delivery": (560, 270), "flow": (560, 270), "scenarios": (560, 250)}


def find_chromium() -> str | None:
    """The system Chromium: $FIREBREAK_CHROMIUM, Debian's binary, or one on PATH. Never downloaded."""
    candidates = [os.environ.get("FIREBREAK_CHROMIUM"), "/usr/lib/chromium/chromium", shutil.which("chromium"),
                  shutil.which("chromium-browser"), shutil.which("google-chrome")]
    for c in candidates:
        if c and os.path.isfile(c) and os.access(c, os.X_OK):
            return c
    return None


def brief_figures(view: Leadership) -> dict[str, go.Figure]:
    """The brief's figures: the pages' figures, sized and lettered for print."""
    figs = {
        "share": lc.share_chart(view.series, view.knobs.firefight_threshold, view.status.episodes),
        "delivery": lc.delivery_chart(view.delivery),
        "flow": lc.flow_chart(view.flow),
        "scenarios": lc.scenarios_chart(view.scenarios),
    }
    for name, fig in figs.items():
        width, height = FIGURE_SIZES[name]
        fig.update_layout(width=width, height=height, font=dict(size=14 if name == "share" else 15),
                          margin=dict(l=10, r=10, t=40, b=10))
    figs["share"].update_yaxes(title_text="unplanned share")
    return figs


@dataclass(frozen=True)
class Image:
    mime: str
    data: bytes

    @property
    def uri(self) -> str:
        return f"data:{self.mime};base64,{base64.b64encode(self.data).decode('ascii')}"


def render_png(figs: dict[str, go.Figure], chromium: str, timeout: float = 60) -> dict[str, Image]:
    """PNG of every figure in one Chromium session through kaleido (offline, see the module docstring)."""
    import kaleido  # imported here: only the brief needs it
    import plotly

    plotly_js = Path(plotly.__file__).parent / "package_data" / "plotly.min.js"
    with _RENDER_LOCK:
        kaleido.start_sync_server(path=chromium, plotlyjs=plotly_js.as_uri(), mathjax=False,
                                  proxy_server=DEAD_PROXY, timeout=timeout, silence_warnings=True)
        try:
            out = {}
            for name, fig in figs.items():
                width, height = FIGURE_SIZES.get(name, (fig.layout.width or 700, fig.layout.height or 400))
                png = kaleido.calc_fig_sync(fig, opts=dict(format="png", width=width, height=height, scale=2))
                out[name] = Image("image/png", png)
            return out
        finally:
            kaleido.stop_sync_server(silence_warnings=True)


# --- SVG fallback -------------------------------------------------------------------------------------------

def _esc(value: object) -> str:
    return html.escape(str(value), quote=True)


def _float(v) -> float | None:
    if v is None:
        return None
    try:
        v = float(v)
    except (TypeError, ValueError):
        return None
    return None if math.isnan(v) else v


def _values(arr) -> list:
    return [] if arr is None else list(arr)


def svg_figure(fig: go.Figure, width: int, height: int) -> str:
    """A plain SVG of a bar / line figure (categorical or integer x), for when Chromium is not available.

    Draws bar traces (overlay, group or stacked), line traces, horizontal lines, shaded x-ranges
    and a legend; enough for the brief's figures, not a general Plotly renderer.
    """
    left, right, top, bottom = 56, 12, 40, 64
    pw, ph = width - left - right, height - top - bottom
    xs: list = []
    for tr in fig.data:
        for x in _values(tr.x):
            if x not in xs:
                xs.append(x)
    n = max(len(xs), 1)
    barmode = fig.layout.barmode or "group"
    bars = [tr for tr in fig.data if tr.type == "bar"]
    lines = [tr for tr in fig.data if tr.type == "scatter"]
    stacked = barmode in ("stack", "relative")
    tops, lows = [0.0], [0.0]
    if stacked:
        for i, x in enumerate(xs):
            pos = sum(max(0.0, _float(dict(zip(_values(t.x), _values(t.y))).get(x)) or 0.0) for t in bars)
            neg = sum(min(0.0, _float(dict(zip(_values(t.x), _values(t.y))).get(x)) or 0.0) for t in bars)
            tops.append(pos)
            lows.append(neg)
    else:
        for t in bars:
            vals = [_float(v) for v in _values(t.y)]
            tops += [v for v in vals if v is not None]
            lows += [v for v in vals if v is not None]
    for t in lines:
        vals = [_float(v) for v in _values(t.y)]
        tops += [v for v in vals if v is not None]
        lows += [v for v in vals if v is not None]
    hlines = [s for s in (fig.layout.shapes or []) if s.type == "line" and s.y0 == s.y1]
    tops += [float(s.y0) for s in hlines]
    y_min, y_max = min(lows), max(tops)
    if y_max == y_min:
        y_max = y_min + 1
    y_max += (y_max - y_min) * 0.08
    percent = (fig.layout.yaxis.tickformat or "").endswith("%")

    def X(i: float) -> float:
        return left + (i + 0.5) * pw / n

    def Y(v: float) -> float:
        return top + ph - (v - y_min) / (y_max - y_min) * ph

    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
           f'viewBox="0 0 {width} {height}" font-family="DejaVu Sans, Arial, sans-serif" font-size="12">',
           f'<rect width="{width}" height="{height}" fill="#ffffff"/>']
    for s in fig.layout.shapes or []:
        if s.type == "rect" and s.yref == "paper":
            x0, x1 = left + (float(s.x0) + 0.5) * pw / n, left + (float(s.x1) + 0.5) * pw / n
            out.append(f'<rect x="{x0:.1f}" y="{top}" width="{x1 - x0:.1f}" height="{ph}" '
                       f'fill="{_esc(s.fillcolor or "#cccccc")}" fill-opacity="{s.opacity or 0.15}"/>')
    step = _nice_step(y_max - y_min)
    tick = math.ceil(y_min / step) * step
    while tick <= y_max:
        y = Y(tick)
        label = f"{tick:.0%}" if percent else f"{tick:g}"
        out.append(f'<line x1="{left}" x2="{left + pw}" y1="{y:.1f}" y2="{y:.1f}" stroke="#e5e5e5"/>'
                   f'<text x="{left - 6}" y="{y + 4:.1f}" text-anchor="end" fill="#444">{_esc(label)}</text>')
        tick += step
    out.append(f'<line x1="{left}" x2="{left + pw}" y1="{Y(0):.1f}" y2="{Y(0):.1f}" stroke="#888"/>')
    slot = pw / n * 0.8
    shown = [t for t in bars if any(_float(v) is not None for v in _values(t.y))]
    width_each = slot if stacked or barmode == "overlay" else slot / max(len(shown), 1)
    base_pos, base_neg = [0.0] * n, [0.0] * n
    for k, t in enumerate(shown):
        colour = _esc((t.marker.color if t.marker and isinstance(t.marker.color, str) else None) or "#0072B2")
        for x, v in zip(_values(t.x), _values(t.y)):
            v = _float(v)
            if v is None:
                continue
            i = xs.index(x)
            x0 = X(i) - slot / 2 + (0 if stacked or barmode == "overlay" else k * width_each)
            if stacked:
                start = base_pos[i] if v >= 0 else base_neg[i]
                if v >= 0:
                    base_pos[i] += v
                else:
                    base_neg[i] += v
                y0, y1 = Y(start + v), Y(start)
            else:
                y0, y1 = (Y(v), Y(0)) if v >= 0 else (Y(0), Y(v))
            out.append(f'<rect x="{x0:.1f}" y="{min(y0, y1):.1f}" width="{width_each:.1f}" '
                       f'height="{abs(y1 - y0):.1f}" fill="{colour}"/>')
    for t in lines:
        colour = _esc((t.line.color if t.line else None) or "#000000")
        dash = {"dash": "6,4", "dot": "2,3"}.get((t.line.dash if t.line else None) or "", "")
        pts = [(X(xs.index(x)), Y(_float(v))) for x, v in zip(_values(t.x), _values(t.y)) if _float(v) is not None]
        if pts:
            d = " ".join(f"{a:.1f},{b:.1f}" for a, b in pts)
            out.append(f'<polyline points="{d}" fill="none" stroke="{colour}" stroke-width="2.5"'
                       + (f' stroke-dasharray="{dash}"' if dash else "") + "/>")
    for s in hlines:
        y = Y(float(s.y0))
        out.append(f'<line x1="{left}" x2="{left + pw}" y1="{y:.1f}" y2="{y:.1f}" stroke="#000" '
                   'stroke-dasharray="6,4"/>')
    for ann in fig.layout.annotations or []:
        if ann.text and ann.yref == "y":
            out.append(f'<text x="{left + 4}" y="{Y(float(ann.y)) - 4:.1f}" fill="#333">{_esc(ann.text)}</text>')
    every = max(1, math.ceil(n / 14))
    for i, x in enumerate(xs):
        if i % every == 0:
            # plotly labels arrive HTML-escaped (charts.labels): unescape, then escape once for SVG
            out.append(f'<text transform="translate({X(i):.1f},{top + ph + 12}) rotate(-40)" text-anchor="end" '
                       f'fill="#444" font-size="11">{_esc(html.unescape(str(x)))}</text>')
    lx = left
    for t in fig.data:
        if t.showlegend is False or not t.name:
            continue
        colour = _esc((t.marker.color if t.type == "bar" and t.marker and isinstance(t.marker.color, str)
                       else (t.line.color if t.type == "scatter" and t.line else None)) or "#000")
        out.append(f'<rect x="{lx}" y="12" width="12" height="12" fill="{colour}"/>'
                   f'<text x="{lx + 16}" y="22" fill="#333">{_esc(t.name)}</text>')
        lx += 28 + 7 * len(t.name)
    out.append("</svg>")
    return "".join(out)


def _nice_step(span_: float) -> float:
    raw = span_ / 5 if span_ > 0 else 1
    mag = 10 ** math.floor(math.log10(raw))
    for m in (1, 2, 2.5, 5, 10):
        if raw <= m * mag:
            return m * mag
    return 10 * mag


def render_svg(figs: dict[str, go.Figure]) -> dict[str, Image]:
    return {name: Image("image/svg+xml", svg_figure(fig, *FIGURE_SIZES.get(name, (700, 320))).encode("utf-8"))
            for name, fig in figs.items()}


class ChartError(RuntimeError):
    """PNG charts were required but cannot be rendered (no Chromium, or kaleido failed)."""


def render_images(figs: dict[str, go.Figure], chromium: str | None = None,
                  image_format: str | None = None) -> tuple[dict[str, Image], str, str]:
    """(images, 'png' or 'svg', why) — PNG through kaleido when Chromium is there, else SVG."""
    if image_format == "svg":
        return render_svg(figs), "svg", "SVG requested"
    chromium = chromium or find_chromium()
    if chromium is None:
        if image_format == "png":
            raise ChartError("PNG charts need Chromium (apt-get install chromium)")
        return render_svg(figs), "svg", "no Chromium found: charts drawn as SVG"
    try:
        return render_png(figs, chromium), "png", f"charts rendered by kaleido in {chromium}"
    except Exception as exc:  # noqa: BLE001 - any kaleido/Chromium failure falls back to SVG
        if image_format == "png":
            raise ChartError(f"kaleido could not render the charts: {' '.join(str(exc).split())[:300]}") from exc
        log.warning("kaleido could not render the brief's charts (%s); drawing SVG instead", exc)
        return render_svg(figs), "svg", f"kaleido failed ({' '.join(str(exc).split())[:200]}): charts drawn as SVG"


# --- the HTML -----------------------------------------------------------------------------------------------

CSS = """
@page { size: A4; margin: 11mm 12mm 11mm 12mm;
        @bottom-right { content: "page " counter(page) " of " counter(pages); font-size: 7.5pt; color: #666;
                        font-family: "DejaVu Sans", "Liberation Sans", Arial, sans-serif; } }
* { box-sizing: border-box; }
body { font-family: "DejaVu Sans", "Liberation Sans", Arial, sans-serif; font-size: 8.6pt; line-height: 1.35;
       color: #1a1a1a; margin: 0 auto; max-width: 210mm; }
@media screen { body { padding: 12mm; } }
h1 { font-size: 15pt; margin: 0 0 1mm 0; }
h2 { font-size: 11pt; margin: 3.2mm 0 1.2mm 0; border-bottom: 1.5px solid #0072B2; padding-bottom: 0.6mm; }
h3 { font-size: 9pt; margin: 1.5mm 0 1mm 0; }
p { margin: 0.8mm 0; }
.sub { color: #555; font-size: 7.8pt; }
.status { display: flex; align-items: center; gap: 3mm; margin: 2mm 0 1.5mm 0; }
.pill { color: #fff; font-weight: bold; padding: 1.2mm 3mm; border-radius: 2mm; font-size: 10.5pt; }
.kpis { display: flex; gap: 2mm; margin: 1.5mm 0; }
.kpi { flex: 1; border: 1px solid #ccc; border-radius: 1.5mm; padding: 1.2mm 2mm; }
.kpi .label { color: #555; font-size: 7.2pt; }
.kpi .value { font-size: 11.5pt; font-weight: bold; }
.kpi .note { color: #555; font-size: 7.2pt; }
.row { display: table; width: 100%; table-layout: fixed; border-collapse: collapse; break-inside: avoid; }
.col { display: table-cell; vertical-align: top; padding-right: 4mm; }
.col:last-child { padding-right: 0; }
img.chart { width: 100%; display: block; }
.cap { color: #555; font-size: 7pt; margin: 0.5mm 0 1.5mm 0; }
table { border-collapse: collapse; width: 100%; font-size: 7.6pt; }
th, td { border-bottom: 1px solid #ddd; padding: 0.7mm 1.2mm; text-align: left; vertical-align: top; }
th { background: #f2f2f2; }
td.n, th.n { text-align: right; white-space: nowrap; }
tr.out td { color: #888; }
.box { border-left: 3px solid #0072B2; background: #f3f8fc; padding: 1.5mm 2.5mm; margin: 1.5mm 0; }
.ask { border: 2px solid #1a1a1a; padding: 1.5mm 3mm; margin-top: 2mm; }
.ask ol { margin: 1mm 0 0 0; padding-left: 5mm; }
.ask li { margin: 0.8mm 0; }
.heat td { text-align: center; border: 1px solid #fff; padding: 0.6mm; }
.heat th { text-align: center; }
.heat td.cur { outline: 2px solid #000; font-weight: bold; }
.scen td:first-child { white-space: nowrap; }
.foot { color: #666; font-size: 6.8pt; margin-top: 2mm; }
.page2 { break-before: page; }
"""


def _heat_colour(sprint: int | None, horizon: int) -> str:
    """Green (early) through yellow to orange (late) as on the page's heat map; grey for never."""
    if sprint is None:
        return "#DDDDDD"
    stops = [(0.0, (0x00, 0x9E, 0x73)), (0.5, (0xF0, 0xE4, 0x42)), (1.0, (0xE6, 0x9F, 0x00))]
    f = 0.0 if horizon <= 1 else min(1.0, max(0.0, (sprint - 1) / (horizon - 1)))
    for (f0, c0), (f1, c1) in zip(stops, stops[1:]):
        if f <= f1:
            w = (f - f0) / (f1 - f0)
            return "#" + "".join(f"{round(a + (b - a) * w):02X}" for a, b in zip(c0, c1))
    return "#E69F00"


def _kpi(label: str, value: str, note: str = "") -> str:
    return (f'<div class="kpi"><div class="label">{_esc(label)}</div><div class="value">{_esc(value)}</div>'
            f'<div class="note">{_esc(note)}</div></div>')


def _img(images: dict[str, Image], name: str, alt: str) -> str:
    image = images.get(name)
    return f'<img class="chart" src="{image.uri}" alt="{_esc(alt)}">' if image else ""


def _scope_text(view: Leadership) -> str:
    done = view.completed
    who = ", ".join(view.projects) if view.projects else "all projects"
    as_of = "—" if view.as_of is None else pd.Timestamp(view.as_of).strftime("%Y-%m-%d")
    return (f"{who} · data as of {as_of} · {plural(len(done), 'completed sprint')} "
            f"({span(list(done['sprint']))}) · firefighting threshold {pct(view.knobs.firefight_threshold)}")


def render_html(view: Leadership, images: dict[str, Image], *, generated: dt.datetime | None = None) -> str:
    """The brief as one self-contained HTML document (the PDF renders this same HTML)."""
    k, s = view.knobs, view.settings
    period, d, flow, cost, oc = view.period, view.delivery, view.flow, view.cost, view.oncall_summary
    status = view.status.status
    cur = s.currency
    parts: list[str] = []
    add = parts.append
    add('<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
        '<meta http-equiv="Content-Security-Policy" content="default-src \'none\'; img-src data:; '
        'style-src \'unsafe-inline\'">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f'<title>Leadership brief: firefighting and debt paydown</title><style>{CSS}</style></head><body>')
    add("<h1>Leadership brief: firefighting and debt paydown</h1>")
    stamp = f" · generated {generated:%Y-%m-%d %H:%M}" if generated else ""
    add(f'<p class="sub">{_esc(_scope_text(view))}{_esc(stamp)}</p>')

    # --- status and evidence ---
    add('<div class="status">'
        f'<span class="pill" style="background:{STATUS_COLOUR.get(status, "#888")}">'
        f'Status: {_esc(STATUS_TEXT.get(status, str(status)))}</span>'
        f'<span>{_esc(_status_reason(view))}</span></div>')
    money_note = ""
    if cost.mean_points_money is not None:
        money_note = f"≈ {money(cost.mean_points_money, cur)} a sprint at {money(cost.point_value, cur)} a point"
    elif cost.mean_hours_money is not None:
        money_note = f"≈ {money(cost.mean_hours_money, cur)} a sprint at {money(cost.hour_value, cur)} an hour"
    add('<div class="kpis">'
        + _kpi("Unplanned share of completed points", pct(d.unplanned_share),
               f"{num(d.unplanned_points)} of {num(d.unplanned_points + d.planned_done_points)} points")
        + _kpi("Planned delivery lost", f"{num(d.planned_lost_points)} points",
               f"say/do {pct(d.say_do)} of {num(d.committed_points)} committed")
        + _kpi("Backlog net flow", f"{signed(flow.net_items)} items",
               f"{flow.created_items} created, {flow.resolved_items} resolved")
        + _kpi("Cost of staying", f"{num(cost.mean_points)} pts / {num(cost.mean_hours)} h",
               money_note or "unplanned work a sprint (mean)")
        + "</div>")
    add(f'<p class="cap">Figures over the {_esc(period.label)} ({_esc(span(list(period.sprints)))}, '
        f'{_esc(_dates(period))}).</p>')
    add("<h2>The evidence</h2>")
    add(_img(images, "share", "Unplanned share of completed points per sprint, firefighting episodes shaded"))
    episodes = view.status.episodes
    ep_text = ("; ".join(f"{e.first_sprint} – {e.last_sprint} ({plural(e.sprints, 'sprint')})" for e in episodes)
               if episodes else "none")
    add(f'<p class="cap">Unplanned share = unplanned ÷ (unplanned + planned) points completed in the sprint; '
        f'a sprint at {_esc(pct(k.firefight_threshold))} or more is firefighting (dashed line); orange line: '
        f'3-sprint mean. Episodes (2+ consecutive firefighting sprints, shaded): {_esc(ep_text)}. '
        f'{_esc(plural(len(view.completed), "completed sprint"))}; grey: in progress, not counted.</p>')
    add('<div class="row"><div class="col">')
    add(_img(images, "delivery", "Committed points delivered and not delivered per sprint"))
    add(f'<p class="cap">Planned delivery: points committed at sprint start and completed in the sprint (blue) '
        f'or not (hatched); say/do = delivered ÷ committed. Period: {num(d.committed_done_points)} of '
        f'{num(d.committed_points)} points, {_esc(pct(d.say_do))}.</p>')
    add('</div><div class="col">')
    add(_img(images, "flow", "Work items created and resolved per sprint and the cumulative backlog change"))
    trend = ("grew" if flow.net_items > 0 else "shrank" if flow.net_items < 0 else "held steady")
    add(f'<p class="cap">Net flow: items created vs resolved during each sprint\'s dates. The backlog {trend}'
        + (f' by {abs(flow.net_items)} items' if flow.net_items else '')
        + f' over the period ({flow.growing_sprints} of {len(flow.table)} sprints added more than they '
        'closed).</p>')
    add("</div></div>")
    oncall_text = (f"On call in the period: {plural(oc.incidents, 'incident')} during shifts, "
                   f"{oc.out_of_hours_incidents} out of hours, {oc.sleep_hour_incidents} in sleep hours "
                   f"(22:00–08:00), across {plural(oc.people, 'person', 'people')} and {num(oc.shift_hours, 0)} "
                   f"shift hours" + (f"; the busiest person took {num(oc.incidents_max_min)}× the incidents of "
                                    f"the least busy" if oc.incidents_max_min is not None else "") + "."
                   if oc.people else "No on-call schedule covers the period.")
    cost_text = (f"Cost of staying: unplanned work took {num(cost.total_points)} points and "
                 f"{num(cost.total_hours)} hours over {plural(cost.sprints, 'sprint')}")
    if cost.total_points_money is not None:
        cost_text += f" ({money(cost.total_points_money, cur)} at {money(cost.point_value, cur)} a point)"
    elif cost.total_hours_money is not None:
        cost_text += f" ({money(cost.total_hours_money, cur)} at {money(cost.hour_value, cur)} an hour)"
    add(f"<p>{_esc(cost_text)}. {_esc(oncall_text)}</p>")

    # --- reserve and recurring categories ---
    a = view.adequacy
    add('<div class="row"><div class="col" style="width:42%">')
    add("<h2>Reserve for unplanned work</h2>")
    add('<table>'
        f'<tr><td>Recommended (p{a.quantile * 100:.0f} of the window)</td><td class="n"><b>'
        f'{_esc(num(a.recommended_points))} points</b></td></tr>'
        f'<tr><td>Current reserve</td><td class="n">{_esc(num(a.current_reserve_points))} points</td></tr>'
        f'<tr><td>Coverage, recommended / current</td><td class="n">{_esc(pct(a.coverage_recommended))} / '
        f'{_esc(pct(a.coverage_current))}</td></tr>'
        f'<tr><td>Verdict</td><td class="n"><b>{_esc(VERDICT_TEXT.get(a.verdict, str(a.verdict)))}</b></td></tr>'
        "</table>")
    add(f'<p class="cap">Window: {plural(len(a.window_sprints), "completed sprint")} that ended within '
        f'{a.window_months} months of the latest ({_esc(span(a.window_sprints))}). Coverage = share of them whose '
        f'unplanned points fit the reserve.</p>')
    add('</div><div class="col">')
    add("<h2>What keeps coming back</h2>")
    cats = view.categories
    if len(cats):
        rows = "".join(
            f"<tr><td>{_esc(r.category)}</td><td class='n'>{int(r.incidents)}</td><td class='n'>"
            f"{int(r.recurrences)}</td><td class='n'>{_esc(num(r.unplanned_points))}</td>"
            f"<td>{_esc(r.dod_gap) if isinstance(r.dod_gap, str) else DASH}</td></tr>"
            for r in cats.head(5).itertuples())
        add("<table><tr><th>Category</th><th class='n'>Incidents</th><th class='n'>Repeats</th>"
            "<th class='n'>Unpl. pts</th><th>Definition-of-done gap</th></tr>" + rows + "</table>")
        add(f'<p class="cap">Incidents created in the period; a repeat follows an incident of the same category '
            f'within {k.recurrence_days} days. Unpl. pts: unplanned points of work linked to the category\'s '
            f'incidents, completed in the period.</p>')
    else:
        add("<p>No incidents in the period.</p>")
    add("</div></div>")

    # --- investment ---
    case = view.case
    add('<div class="page2"></div>' if _needs_break(view) else "")
    add("<h2>The debt paydown investment case</h2>")
    add(f'<div class="box"><b>{_esc(view.summary)}</b></div>')
    sug = view.suggested
    sug_text = (f"against {pct(sug.value)} suggested by the data: {num(sug.linked_points)} of "
                f"{num(sug.unplanned_points)} unplanned points in the baseline sprints came from work linked to "
                f"incidents in categories with open debt" if sug.value is not None else
                "the data give no suggestion: no unplanned points in the baseline")
    if case.baseline_unplanned_points is not None:
        add(f"<p>Baseline U = {_esc(num(case.baseline_unplanned_points))} unplanned points a sprint (mean of "
            f"{_esc(span(case.baseline_sprints))}); invest I = {_esc(num(case.invest_points_per_sprint))} points a "
            f"sprint for K = {case.invest_sprints} sprints; expected reduction r = "
            f"{_esc(pct(case.expected_reduction))}, {_esc(sug_text)}; horizon H = {case.horizon_sprints} sprints"
            + (f"; a point is worth {_esc(money(k.point_value, cur))}" if k.point_value is not None else "")
            + ".</p>")
    add('<div class="row"><div class="col">')
    add("<h3>Three scenarios</h3>")
    add(_scenario_table(view))
    add(_img(images, "scenarios", "Cumulative net points of the three scenarios"))
    add('<p class="cap">Cumulative net = points saved minus points invested, sprint by sprint; break-even is the '
        'first sprint it reaches 0.</p>')
    add('</div><div class="col">')
    add("<h3>Break-even sprint by r and I</h3>")
    add(_heat_table(view))
    add(f'<p class="cap">Same baseline, K = {case.invest_sprints}, H = {case.horizon_sprints}; '
        'outlined: the case above; grey: does not pay back within the horizon.</p>')
    add("</div></div>")
    add("<h3>Which work: the debt backlog ranked by the unplanned work its category caused</h3>")
    add(_plan_table(view))
    add(f"<p>{_esc(plan_sentence(view.plan))}</p>")

    # --- the ask ---
    add('<div class="ask"><b>The ask</b><ol>' + "".join(f"<li>{_esc(a_)}</li>" for a_ in view.ask) + "</ol></div>")
    add('<p class="foot">How computed (docs/metrics.md): an item is unplanned by type (Incident, Bug, Hotfix, '
        'Support, Problem), label, or when added after its first sprint started. Projection: U_t = U × (1 − r × '
        'min(t, K) / K); saved_t = U − U_t; cost_t = I while t ≤ K. Suggested r = unplanned points in the baseline '
        'sprints from items linked to incidents whose category has an open debt item ÷ all unplanned points '
        'there. Debt items: open items labelled tech-debt/techdebt/debt or linked to an incident.</p>')
    add("</body></html>")
    return "".join(parts)


def _needs_break(view: Leadership) -> bool:
    """Start the investment case on page 2 (page 1 is the status and evidence)."""
    return True


def _dates(period) -> str:
    if period.start is None:
        return "no completed sprints"
    return f"{period.start:%Y-%m-%d} to {period.end:%Y-%m-%d}"


def _status_reason(view: Leadership) -> str:
    st = view.status
    if st.status is None:
        return st.reason.capitalize() + "."
    return f"{st.reason[0].upper() + st.reason[1:]} ({span(st.last_sprints)})."


def _scenario_table(view: Leadership) -> str:
    cur, pv = view.settings.currency, view.knobs.point_value
    cases = view.scenarios
    head = "".join(f"<th class='n'>{_esc(SCENARIO_LABELS.get(key, key)).replace(' (', '<br>(')}</th>"
                   for key in cases)

    def row(label: str, cells: list[str]) -> str:
        return f"<tr><td>{_esc(label)}</td>" + "".join(f"<td class='n'>{_esc(c)}</td>" for c in cells) + "</tr>"

    rows = [
        row("r", [pct(c.expected_reduction) for c in cases.values()]),
        row("Break-even", [f"sprint {c.break_even_sprint}" if c.break_even_sprint else f"not within "
                           f"{c.horizon_sprints}" for c in cases.values()]),
        row(f"Net points, {view.case.horizon_sprints} sprints", [signed(c.net_points) for c in cases.values()]),
        row("ROI", [pct(c.roi) for c in cases.values()]),
    ]
    if pv is not None:
        rows.append(row("Net, money", [money(c.net_points * pv, cur) if c.net_points is not None else DASH
                                         for c in cases.values()]))
    return f"<table class='scen'><tr><th></th>{head}</tr>{''.join(rows)}</table>"


def _heat_table(view: Leadership) -> str:
    grid = view.sensitivity
    if grid.empty:
        return "<p>Needs a baseline (at least one completed sprint).</p>"
    h = view.case.horizon_sprints
    rs = sorted(grid["reduction"].unique(), reverse=True)
    invests = sorted(grid["invest"].unique())
    lookup = {(r, i): b for r, i, b in zip(grid["reduction"], grid["invest"], grid["break_even_sprint"])}
    cur_r, cur_i = round(view.case.expected_reduction, 4), num(view.case.invest_points_per_sprint)
    out = ["<table class='heat'><tr><th>r \\ I</th>" + "".join(f"<th>{_esc(num(i))}</th>" for i in invests) + "</tr>"]
    for r in rs:
        cells = []
        for i in invests:
            b = lookup.get((r, i))
            b = None if b is None or (isinstance(b, float) and math.isnan(b)) else int(b)
            cls = " class='cur'" if round(r, 4) == cur_r and num(i) == cur_i else ""
            cells.append(f"<td{cls} style='background:{_heat_colour(b, h)}'>{b if b is not None else 'never'}</td>")
        out.append(f"<tr><th>{_esc(pct(r))}</th>{''.join(cells)}</tr>")
    out.append("</table>")
    return "".join(out)


def _plan_table(view: Leadership) -> str:
    plan = view.plan
    if plan.total_items == 0:
        return ""
    items = plan.items
    shown = items[items["fits"]].head(PLAN_ROWS)
    if len(shown) == 0:
        shown = items.head(3)
    rows = []
    for r in shown.itertuples():
        caused = DASH if pd.isna(r.caused_points) else num(r.caused_points)
        rows.append(f"<tr{'' if r.fits else ' class=out'}><td class='n'>{r.rank}</td><td>{_esc(r.key)}</td>"
                    f"<td>{_esc(r.summary)}</td><td>{_esc(r.category)}</td><td class='n'>{_esc(caused)}</td>"
                    f"<td class='n'>{_esc(num(r.points))}</td><td class='n'>{_esc(num(r.running_points))}</td></tr>")
    more = int(plan.items["fits"].sum()) - len(shown[shown["fits"]])
    if more > 0:
        rest = items[items["fits"]].iloc[len(shown):]
        rows.append(f"<tr><td></td><td colspan='4'>… and {plural(more, 'more item')} in the plan</td>"
                    f"<td class='n'>{_esc(num(rest['points'].sum()))}</td>"
                    f"<td class='n'>{_esc(num(plan.fit_points))}</td></tr>")
    budget = DASH if plan.budget is None else num(plan.budget)
    return ("<table><tr><th class='n'>#</th><th>Item</th><th>Summary</th><th>Category</th>"
            "<th class='n'>Caused (pts)</th><th class='n'>Points</th>"
            f"<th class='n'>Running sum / {_esc(budget)}</th></tr>" + "".join(rows) + "</table>"
            + "<p class='cap'>Caused: unplanned points of work linked to the category's incidents over all "
              "completed sprints. Open items without points count as 0.</p>")


# --- PDF and the whole build --------------------------------------------------------------------------------

def render_pdf(document: str) -> bytes:
    """WeasyPrint's PDF of the brief's HTML; only embedded data: URLs are fetched."""
    from weasyprint import HTML  # imported here: only the brief needs it
    from weasyprint.urls import URLFetcher

    return HTML(string=document, url_fetcher=URLFetcher(allowed_protocols=("data",))).write_pdf()


@dataclass(frozen=True)
class Brief:
    html: str
    pdf: bytes | None
    image_format: str                 # 'png' (kaleido + Chromium) or 'svg' (fallback)
    note: str                         # how the charts were drawn
    timings: dict[str, float] = field(default_factory=dict)


def build_brief(view: Leadership, *, pdf: bool = True, chromium: str | None = None,
                image_format: str | None = None, generated: dt.datetime | None = None) -> Brief:
    """The brief as HTML (and PDF): figures, images, HTML, PDF; timings in seconds per step."""
    timings: dict[str, float] = {}
    t0 = time.perf_counter()
    figs = brief_figures(view)
    images, fmt, note = render_images(figs, chromium, image_format)
    t1 = time.perf_counter()
    timings["charts"] = t1 - t0
    document = render_html(view, images, generated=generated)
    t2 = time.perf_counter()
    timings["html"] = t2 - t1
    data = None
    if pdf:
        data = render_pdf(document)
        timings["pdf"] = time.perf_counter() - t2
    timings["total"] = time.perf_counter() - t0
    return Brief(document, data, fmt, note, timings)
