"""How each number was computed, in METRICS.md's words, with the window and n it rests on.

The text builders are plain functions of analytics results (easy to test);
`how()` and `note()` draw them. Names from the data (sprints, categories) go
through `md()` so that an export cannot inject Markdown links or images.
"""

from __future__ import annotations

import datetime as dt
import math
import re

import pandas as pd
import streamlit as st

from analytics.config import Knobs
from analytics.firefighter import STATUS_SPRINTS, FirefighterStatus
from analytics.investment import DEFAULT_INVEST_SHARE, InvestmentCase
from analytics.reserve import ReserveAdequacy
from analytics.charts import TREND_SPRINTS

DASH = "—"
STATUS_LABELS = {"firefighting": "Firefighting", "at_risk": "At risk", "healthy": "Healthy", None: "Not enough data"}
VERDICT_LABELS = {"under-reserved": "Under-reserved", "over-reserved": "Over-reserved", "adequate": "Adequate",
                  None: "Not enough data"}
VERDICT_COLOURS = {"under-reserved": "red", "over-reserved": "orange", "adequate": "green", None: "gray"}

_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()<>#+\-.!|~:$])")


def md(text: object) -> str:
    """Text from the data, escaped so Markdown shows it literally."""
    return _MD_SPECIAL.sub(r"\\\1", " ".join(str(text).split()))


def missing(value: object) -> bool:
    return value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value))


def pct(value: float | None) -> str:
    """A share as a whole percentage ('62%'), or a dash when it cannot be computed."""
    return DASH if missing(value) else f"{float(value):.0%}"


def num(value: float | None, digits: int = 1) -> str:
    """A number with at most `digits` decimals and no trailing zeros ('14.8', '10')."""
    if missing(value):
        return DASH
    text = f"{float(value):,.{digits}f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def signed(value: float | None, digits: int = 1) -> str:
    if missing(value):
        return DASH
    text = num(value, digits)
    return text if text.startswith("-") or text == "0" else "+" + text


def plural(n: int, word: str, many: str | None = None) -> str:
    return f"{n} {word if n == 1 else (many or word + 's')}"


def span(names: list[str]) -> str:
    """'Sprint 3 – Sprint 9' for a list of sprint names (escaped)."""
    if not names:
        return "none"
    return md(names[0]) if len(names) == 1 else f"{md(names[0])} – {md(names[-1])}"


def day(value: dt.date | dt.datetime | None) -> str:
    return DASH if value is None else pd.Timestamp(value).strftime("%Y-%m-%d")


def last_share(done: pd.DataFrame) -> tuple[str | None, float | None, int | None]:
    """(last completed sprint, its unplanned share, change from the sprint before in percentage points)."""
    if done.empty:
        return None, None, None
    last = done["unplanned_share"].iloc[-1]
    last = None if missing(last) else float(last)
    change = None
    if len(done) > 1 and last is not None and not missing(done["unplanned_share"].iloc[-2]):
        change = int(round((last - float(done["unplanned_share"].iloc[-2])) * 100))
    return str(done["sprint"].iloc[-1]), last, change


# --- the texts -----------------------------------------------------------------------------------------------

def scope(series: pd.DataFrame, as_of: dt.datetime | None, projects: tuple[str, ...] | None) -> str:
    done = int(series["completed"].sum())
    who = ", ".join(md(p) for p in projects) if projects else "all projects"
    return (f"Data as of {day(as_of)} (the latest created or resolved time in the work items) · "
            f"{plural(len(series), 'sprint')}, {done} completed · {who}")


def share_caption(series: pd.DataFrame, knobs: Knobs) -> str:
    done = series[series["completed"]]
    no_points = int(done["completed_items_without_points"].sum())
    open_ = series[~series["completed"] & series["unplanned_share"].notna()]
    text = (f"Share of the points completed in each sprint that were unplanned, over "
            f"{plural(len(done), 'completed sprint')} ({span(list(done['sprint']))}). "
            f"A sprint is firefighting at {pct(knobs.firefight_threshold)} or more (dashed line); the orange "
            f"line is the mean share of the last {TREND_SPRINTS} completed sprints. "
            f"{plural(no_points, 'completed item')} had no points and count as 0.")
    if len(open_):
        text += f" Grey: {span(list(open_['sprint']))}, not completed yet, so not counted."
    return text


def share_how(knobs: Knobs) -> list[str]:
    rules = []
    if knobs.rule_type:
        rules.append(f"its type is one of {', '.join(md(t) for t in knobs.unplanned_types)}")
    if knobs.rule_label:
        rules.append(f"one of its labels is one of {', '.join(md(t) for t in knobs.unplanned_labels)}")
    if knobs.rule_added_mid_sprint:
        rules.append("it was created on a later day than the start of the first sprint it is in (added mid-sprint)")
    return [
        "An item is **unplanned** when " + ("; or ".join(rules) if rules else "(all rules are switched off)")
        + ". Every other item is planned.",
        "An item is **completed in** the sprint it lists whose start and end dates contain its resolution date.",
        "**Unplanned share** of a sprint = unplanned points / (unplanned points + planned points) completed in "
        "it; a sprint with no completed work has none.",
        "A sprint is **completed** when it ended on or before the data's as-of date; only completed sprints "
        f"count. A completed sprint is **firefighting** when its share is at least {pct(knobs.firefight_threshold)}.",
        f"**Trend**: the mean of the shares of a completed sprint and the {TREND_SPRINTS - 1} completed sprints "
        "before it.",
    ]


def firefighter_caption(status: FirefighterStatus) -> str:
    return (f"Judged on the last {STATUS_SPRINTS} completed sprints ({span(status.last_sprints)}): "
            f"{md(status.reason)}.")


def firefighter_how() -> list[str]:
    return [
        f"**Firefighting** if 2 or more of the last {STATUS_SPRINTS} completed sprints were firefighting; "
        "**at risk** if 1 was, or if the unplanned share rose in each of them (each higher than the sprint "
        "before it); else **healthy**.",
        "An **episode** is a run of 2 or more consecutive completed sprints that were firefighting.",
    ]


def reserve_caption(adequacy: ReserveAdequacy) -> str:
    n = len(adequacy.window_sprints)
    return (f"Over {plural(n, 'completed sprint')} that ended within {adequacy.window_months} months of the "
            f"latest completed sprint ({span(adequacy.window_sprints)}). Recommended = the "
            f"p{adequacy.quantile * 100:.0f} of their unplanned points; coverage = share of them whose unplanned "
            f"points fit within the reserve.")


def reserve_how(adequacy: ReserveAdequacy, latest_sprint: str | None) -> list[str]:
    return [
        f"**Window**: completed sprints whose end date is later than the latest completed sprint's end minus "
        f"{adequacy.window_months} months ({plural(len(adequacy.window_sprints), 'sprint')}).",
        f"**Recommended reserve** = the {adequacy.quantile:.2f} quantile of the window's unplanned points "
        "(linear interpolation, as DuckDB's `quantile_cont` and numpy do).",
        f"**Current reserve** = the reserve of the latest sprint ({md(latest_sprint or DASH)}), from the sprints "
        "file, else the default reserve setting.",
        "**Coverage** of a reserve = share of window sprints with unplanned points at or below it.",
        "**Verdict**: under-reserved when the current reserve is below 0.9 × recommended, over-reserved when "
        "above 1.25 × recommended, else adequate.",
    ]


def incidents_caption(categories: pd.DataFrame, knobs: Knobs) -> str:
    total = int(categories["incidents"].sum()) if len(categories) else 0
    return (f"Out of {plural(total, 'incident')} in {plural(len(categories), 'category', 'categories')}. "
            f"An incident is a recurrence when an earlier incident of the same category was created within "
            f"{knobs.recurrence_days} days before it.")


def incidents_how() -> list[str]:
    return [
        "Incidents come from the incident export, or from work items of type Incident when none was imported.",
        "**Category**: the incident's own category field; else a label or component that names a category; "
        "else the first row of the keyword table whose keyword occurs in the title, labels or components; "
        "else `other`.",
        "**Recurrence rate** = recurrences / incidents of the category. Hours to resolve = resolved − created; "
        "the median and p90 are shown, not the mean.",
        "Incidents are counted per category, never per person.",
    ]


def investment_caption(case: InvestmentCase) -> str:
    return (f"Baseline: {num(case.baseline_unplanned_points)} unplanned points per sprint, the mean of the last "
            f"{plural(len(case.baseline_sprints), 'completed sprint')} ({span(case.baseline_sprints)}). "
            f"Investing {num(case.invest_points_per_sprint)} points per sprint for {case.invest_sprints} sprints "
            f"to cut unplanned work by {pct(case.expected_reduction)}, over {case.horizon_sprints} sprints.")


def investment_how(knobs: Knobs) -> list[str]:
    share = "" if knobs.invest_points_per_sprint is not None else (
        f" (by default {DEFAULT_INVEST_SHARE:.0%} of the baseline sprints' mean completed points, "
        "planned plus unplanned)")
    return [
        f"**Baseline U** = mean unplanned points of the last {knobs.baseline_sprints} completed sprints.",
        f"**Invest I** points per sprint for K sprints{share}; expected reduction r once paid down.",
        "For sprint t = 1…H: U_t = U × (1 − r × min(t, K) / K); saved_t = U − U_t; cost_t = I while t ≤ K.",
        "**Break-even** = the first t where the cumulative (saved − cost) reaches 0; none if not within H. "
        "**Net points** = the cumulative (saved − cost) after H sprints.",
    ]


# --- drawing -------------------------------------------------------------------------------------------------

def how(lines: list[str], title: str = "How this is computed") -> None:
    """An expander listing how a figure was computed."""
    with st.expander(title, icon=":material/info:"):
        st.markdown("\n".join(f"- {line}" for line in lines))


def note(text: str) -> None:
    st.caption(text)


UPLOAD_PAGE = "pages/upload.py"
UPLOAD_LINK = "Upload your exports"


def needs_data(text: str, icon: str = ":material/upload_file:", *, warning: bool = False) -> None:
    """An empty state: what the page needs (an info box, or a warning when part of the page is missing) and a
    link to the Upload page that brings it."""
    (st.warning if warning else st.info)(text, icon=icon)
    st.page_link(UPLOAD_PAGE, label=UPLOAD_LINK, icon=":material/upload_file:")


def next_step(step) -> None:
    """One action of the Overview's "What to do next" (an `analytics.next_steps.NextStep`), with its evidence link.

    The text carries names from the data (people, categories), so it is escaped."""
    text, link = st.columns([4, 1], vertical_alignment="center")
    text.markdown(f":material/arrow_right: {md(step.text)}")
    link.page_link(step.page, label=step.link_label, icon=":material/arrow_forward:",
                   help=f"The evidence: the {step.link_label} page")
