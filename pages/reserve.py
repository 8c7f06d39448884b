"""Reserve: is the capacity held back for unplanned work the right size, and what would another size cost?"""

import math

import streamlit as st

from analytics import planning_charts, trends
from analytics.reserve import window as reserve_window
from ui import cache, explain, planning
from ui.controls import sidebar
from ui.explain import VERDICT_LABELS, num, pct, plural
from ui.state import open_db

db = open_db()
knobs, projects = sidebar(db)

st.title("Reserve")
series = cache.sprint_series(db, knobs, projects)
planning.stop_if_empty(db, series)
adequacy = cache.reserve_adequacy(db, knobs, projects)
window = reserve_window(series, knobs.window_months)
values = adequacy.window_unplanned_points
n = len(values)
enough = n >= trends.MIN_SPRINTS
st.caption(explain.scope(series, cache.data_as_of(db), projects) + " · " + planning.rules_words(knobs))

# --- headline ------------------------------------------------------------------------------------------------
quantile = f"p{adequacy.quantile * 100:.0f}"
headline = st.container(horizontal=True, gap="small")
headline.metric("Verdict", VERDICT_LABELS[adequacy.verdict], border=True, width="content",
                help="Under-reserved below 0.9 × recommended, over-reserved above 1.25 ×, else adequate")
headline.metric("Current reserve", planning.points(adequacy.current_reserve_points), border=True, width="content",
                help=f"Reserve of the latest sprint, {explain.md(series['sprint'].iloc[-1])}")
headline.metric(f"Recommended reserve ({quantile})", planning.points(adequacy.recommended_points), border=True,
                width="content",
                help=f"The {quantile} of unplanned points per sprint over {plural(n, 'window sprint')}")
headline.metric("Coverage, current reserve", pct(adequacy.coverage_current), border=True, width="content",
                help="Share of window sprints whose unplanned points fit in the current reserve")
headline.metric("Coverage, recommended", pct(adequacy.coverage_recommended), border=True, width="content",
                help="Share of window sprints whose unplanned points fit in the recommended reserve")
explain.note(explain.reserve_caption(adequacy))
if 0 < n < trends.MIN_SPRINTS:
    st.warning(f"Only {plural(n, 'completed sprint')} in the window: the recommendation and the coverage rest on "
               "too little data to act on yet.", icon=":material/warning:")

# --- distribution ----------------------------------------------------------------------------------------------
st.subheader("How much unplanned work a sprint brings")
if not enough:
    planning.thin(n, "the distribution of unplanned points")
else:
    planning.chart(planning_charts.unplanned_histogram, values, adequacy.current_reserve_points,
                   adequacy.recommended_points,
                   alt="Histogram of unplanned points per window sprint with the current and recommended reserve")
    explain.note(f"How many of the {plural(n, 'window sprint')} brought how many unplanned points. The current "
                 f"reserve ({num(adequacy.current_reserve_points)} points, black) covered "
                 f"{pct(adequacy.coverage_current)} of them; the recommended {quantile} "
                 f"({num(adequacy.recommended_points)} points, orange) {pct(adequacy.coverage_recommended)}.")
explain.how(explain.reserve_how(adequacy, series["sprint"].iloc[-1]))

# --- per sprint --------------------------------------------------------------------------------------------------
st.subheader("Reserve vs unplanned work per sprint")
if window.empty:
    st.info("No completed sprint in the window yet.", icon=":material/info:")
else:
    planning.chart(planning_charts.overrun_chart, window,
                   alt="Unplanned points per window sprint split at the reserve, overruns highlighted")
    cost = trends.overrun_cost(window)
    over, other = st.columns(2)
    over.metric("Say/do when the reserve overran", pct(cost.say_do_overrun),
                help=f"Mean say/do of {plural(len(cost.overrun_sprints), 'sprint')} with an overrun")
    other.metric("Say/do otherwise", pct(cost.say_do_other),
                 help=f"Mean say/do of the other {plural(len(cost.other_sprints), 'window sprint')}")
    explain.note(f"Each of the {plural(n, 'window sprint')}: unplanned points up to the sprint's own reserve "
                 f"(light blue) and above it (vermillion, hatched: the overrun). "
                 + planning.overrun_caption(cost, knobs.window_months))
    explain.how([
        "**Reserve** of a sprint: from the sprints file, else the default reserve setting.",
        "**Overrun** = max(0, unplanned points − reserve).",
        "**Say/do** = points committed to the sprint and completed in it / committed points (sprints without a "
        "commitment have none and are left out of the means).",
        "The say/do gap between overrun sprints and the others is what unplanned work beyond the reserve cost "
        "the plan (a correlation over few sprints, not proof of cause).",
    ])

# --- what if ---------------------------------------------------------------------------------------------------
st.subheader("What if the reserve were …")
if not enough:
    planning.thin(n, "the what-if and the Monte Carlo simulation")
else:
    current = adequacy.current_reserve_points or 0.0
    top = max(10.0, math.ceil(max([*values, current, adequacy.recommended_points or 0.0]) * 1.25))
    chosen = st.slider("Reserve (points per sprint)", min_value=0.0, max_value=float(top),
                       value=float(min(current, top)), step=0.5, format="%.1f", key="w.plan.what_if",
                       help="Try a reserve size: coverage, capacity left for planned work and the Monte Carlo "
                            "follow it. Nothing is saved.")
    w = trends.what_if(window, chosen)
    p = trends.reserve_hold_probability(values, chosen)
    cols = st.columns(4)
    cols[0].metric("Coverage at this reserve", pct(w.coverage),
                   help="Share of window sprints whose unplanned points fit in it")
    cols[1].metric("Planned capacity left", f"{num(w.planned_capacity)} pts",
                   help=planning.what_if_basis_words(w))
    cols[2].metric("Holds next sprint", pct(p.next_sprint), help="Monte Carlo probability")
    cols[3].metric(f"Holds {p.horizon} sprints in a row", pct(p.all_of_horizon),
                   help=f"Monte Carlo probability that it holds in each of the next {p.horizon} sprints")
    tradeoff = trends.reserve_tradeoff(window, [i * 0.5 for i in range(int(top * 2) + 1)])
    planning.chart(planning_charts.tradeoff_chart, tradeoff, chosen, w.basis,
                   alt="Coverage and planned capacity left for each reserve size")
    explain.note(f"At {num(chosen)} points the reserve would have covered {pct(w.coverage)} of the "
                 f"{plural(n, 'window sprint')}, leaving {num(w.planned_capacity)} points a sprint for planned work "
                 f"({planning.what_if_basis_words(w)}).")
    explain.note(planning.monte_carlo_caption(p))
    explain.how([
        "**Coverage** of a reserve R = share of the window sprints with unplanned points ≤ R (as METRICS.md).",
        "**Planned capacity left** = mean capacity of the window sprints (sprints file) − R; without capacities, "
        "the mean points completed per sprint (planned done + unplanned) stands in for capacity. Never below 0.",
        f"**Monte Carlo**: {p.trials:,} trials; each draws {p.horizon} sprints at random, with replacement, from "
        f"the window's unplanned points (numpy `default_rng({p.seed})`). *Holds next sprint* = share of trials "
        f"whose first sprint fits in R; *holds all {p.horizon}* = share where every one does.",
    ])

# --- hours -----------------------------------------------------------------------------------------------------
st.subheader("Hours spent on unplanned work")
hours = trends.hours_summary(window, planning.hours_recorded(db, projects, window))
if not enough:
    planning.thin(n, "the typical hours per sprint")
elif not hours.recorded:
    st.info("The items completed in the window have no time spent recorded (Jira Time Spent or the like), so "
            "the hours view is absent.", icon=":material/schedule:")
else:
    left, right = st.columns(2)
    left.metric("Median per sprint", f"{num(hours.median)} h")
    right.metric(f"p{trends.HOURS_QUANTILE * 100:.0f} per sprint", f"{num(hours.p80)} h")
    planning.chart(planning_charts.hours_chart, hours, alt="Hours spent on unplanned work per window sprint")
    explain.note(planning.hours_caption(hours, knobs.window_months, window))
