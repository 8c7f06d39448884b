"""What to do next: concrete actions a team can take, worded from the analytics results.

Pure functions (no Streamlit): each takes one result (reserve adequacy, open
action items, on-call load, the investment case, the firefighter status) and
returns a `NextStep` or None when there is nothing to do or too little data to
say. The Overview draws them, each with a link to the page holding the evidence.

On-call steps speak of load only (shift hours), never of incidents caused or
resolved: they protect people, they do not rank them.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import pandas as pd

from analytics.firefighter import FirefighterStatus
from analytics.investment import InvestmentCase
from analytics.reserve import ReserveAdequacy, coverage

# Fewer completed window sprints than this and a reserve recommendation would mostly be noise
# (the same floor as analytics.trends.MIN_SPRINTS).
MIN_WINDOW_SPRINTS = 4
# Someone carries visibly more on-call than the rest from this much above the team median.
ONCALL_EXCESS = 0.25
UNCATEGORISED = "uncategorised"


@dataclass(frozen=True)
class NextStep:
    text: str          # the action, in plain words, with its numbers
    page: str          # the page with the evidence, as registered in dashboard.py
    link_label: str    # the link's text


def _num(value: float, digits: int = 1) -> str:
    text = f"{float(value):,.{digits}f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def _pct(value: float | None) -> str:
    return "—" if value is None else f"{float(value):.0%}"


def _plural(n: int, word: str, many: str | None = None) -> str:
    return f"{n} {word if n == 1 else (many or word + 's')}"


def firefighting_step(status: FirefighterStatus) -> NextStep | None:
    """Firefighting: protect the plan; at risk: watch the unplanned share."""
    if status.status == "firefighting":
        return NextStep(f"Switch to firefighter mode: {status.reason}.", "pages/firefighter.py",
                        "Firefighter mode")
    if status.status == "at_risk":
        return NextStep(f"Watch the unplanned share: {status.reason}.", "pages/unplanned.py", "Unplanned work")
    return None


def reserve_step(adequacy: ReserveAdequacy) -> NextStep | None:
    """Raise (or lower) the reserve to the recommendation rounded up to whole points, with what each covers."""
    n = len(adequacy.window_unplanned_points)
    if (n < MIN_WINDOW_SPRINTS or adequacy.recommended_points is None or adequacy.current_reserve_points is None
            or adequacy.verdict not in ("under-reserved", "over-reserved")):
        return None
    target = float(math.ceil(adequacy.recommended_points - 1e-9))
    covers = coverage(adequacy.window_unplanned_points, target)
    current = adequacy.current_reserve_points
    detail = (f"covers {_pct(covers)} of the last {_plural(n, 'sprint')}; {_num(current)} covers "
              f"{_pct(adequacy.coverage_current)}")
    if adequacy.verdict == "under-reserved":
        return NextStep(f"Raise the reserve to {_num(target)} points ({detail}).", "pages/reserve.py", "Reserve")
    return NextStep(f"Lower the reserve to {_num(target)} points and give the rest back to planned work "
                    f"({detail}).", "pages/reserve.py", "Reserve")


def open_follow_ups_by_category(items: pd.DataFrame, incident_table: pd.DataFrame) -> pd.DataFrame:
    """Open action items per incident category (category, open), most first, then by name.

    An item counts once, under the category of the first incident it is linked to that is in the
    table; an item linked to none (only labelled as a follow-up) counts as `uncategorised`.
    """
    if items.empty:
        return pd.DataFrame({"category": pd.Series(dtype=str), "open": pd.Series(dtype=int)})
    category_of = dict(zip(incident_table["id"].astype(str), incident_table["category"].astype(str))) \
        if len(incident_table) else {}
    open_items = items[~items["done"].astype(bool)]
    categories = []
    for ids in open_items["incident_ids"]:
        linked = [category_of[str(i)] for i in (list(ids) if ids is not None else []) if str(i) in category_of]
        categories.append(linked[0] if linked else UNCATEGORISED)
    counts = pd.Series(categories, dtype=str).value_counts()
    frame = pd.DataFrame({"category": counts.index.astype(str), "open": counts.to_numpy(dtype=int)})
    return frame.sort_values(["open", "category"], ascending=[False, True], ignore_index=True)


def follow_up_step(items: pd.DataFrame, incident_table: pd.DataFrame) -> NextStep | None:
    """Schedule the open follow-ups of the category with the most of them."""
    return follow_up_step_from_counts(open_follow_ups_by_category(items, incident_table))


def follow_up_step_from_counts(counts: pd.DataFrame) -> NextStep | None:
    """The follow-up step from `open_follow_ups_by_category`'s counts (small enough to cache)."""
    if counts.empty:
        return None
    top, n = str(counts["category"].iloc[0]), int(counts["open"].iloc[0])
    total = int(counts["open"].sum())
    what = "follow-up" if top == UNCATEGORISED else f"{top} follow-up"
    text = f"Schedule the {_plural(n, 'open ' + what)}"
    if total > n:
        text += f" ({total} open post-incident follow-ups in all)"
    return NextStep(text + ".", "pages/follow_through.py", "Follow-through")


def oncall_step(load: pd.DataFrame, min_excess: float = ONCALL_EXCESS) -> NextStep | None:
    """Protect the person carrying the most shift hours when that is well above the team median."""
    if len(load) < 2:
        return None
    hours = load[["person", "shift_hours"]].dropna()
    median = float(hours["shift_hours"].median()) if len(hours) else 0.0
    if median <= 0:
        return None
    top = hours.sort_values(["shift_hours", "person"], ascending=[False, True]).iloc[0]
    excess = float(top["shift_hours"]) / median - 1
    if excess < min_excess:
        return None
    return NextStep(f"Protect on-call: {top['person']} carries {excess:.0%} more shift hours than the team median "
                    f"({_num(float(top['shift_hours']), 0)} vs {_num(median, 0)} h); rebalance the rotation.",
                    "pages/oncall.py", "On-call")


def paydown_step(case: InvestmentCase) -> NextStep | None:
    """Approve the paydown when it breaks even within the horizon; otherwise say it does not pay as set."""
    if case.baseline_unplanned_points is None or not case.invest_points_per_sprint:
        return None
    invest = (f"a paydown of {_num(case.invest_points_per_sprint)} points a sprint for "
              f"{_plural(case.invest_sprints, 'sprint')}")
    if case.break_even_sprint is not None:
        net = _num(case.net_points or 0.0)
        return NextStep(f"Approve {invest}: breaks even in sprint {case.break_even_sprint} "
                        f"({'+' if not net.startswith('-') and net != '0' else ''}{net} points net after "
                        f"{case.horizon_sprints} sprints).", "pages/investment.py", "Investment case")
    return NextStep(f"Rework the investment case: {invest} does not break even within "
                    f"{case.horizon_sprints} sprints.", "pages/investment.py", "Investment case")


def next_steps(status: FirefighterStatus, adequacy: ReserveAdequacy, follow_ups: pd.DataFrame,
               load: pd.DataFrame, case: InvestmentCase) -> list[NextStep]:
    """Every step that applies, most urgent first; `follow_ups` = open_follow_ups_by_category(...)."""
    steps = (firefighting_step(status), reserve_step(adequacy), follow_up_step_from_counts(follow_ups),
             oncall_step(load), paydown_step(case))
    return [s for s in steps if s is not None]
