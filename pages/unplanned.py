"""Unplanned work: how much of each sprint went to work nobody planned, is it growing, and why was it unplanned?"""

import streamlit as st

from analytics import charts, planning_charts, trends
from analytics.exports import formula_safe_csv
from analytics.reserve import window as reserve_window
from ui import cache, explain, planning
from ui.controls import sidebar
from ui.explain import DASH, md, num, pct, plural, signed
from ui.state import open_db

db = open_db()
knobs, projects = sidebar(db)

st.title("Unplanned work")
series = cache.sprint_series(db, knobs, projects)
planning.stop_if_empty(db, series)
st.caption(explain.scope(series, cache.data_as_of(db), projects) + " · " + planning.rules_words(knobs))

# --- how items without points count (a page option; the default is the report's 0) ---------------------------
with st.sidebar:
    st.subheader("This page")
    mode = planning.persisted(
        st.radio, "w.plan.no_points", "zero", arg="index", to_arg=trends.POINTS_OPTIONS.index,
        label="Count items without points as", options=trends.POINTS_OPTIONS,
        format_func=planning.NO_POINTS_LABELS.get,
        help="METRICS.md counts them as 0. The other choices change this page's point figures only.")
    default_points = 0.0
    if mode == "default":
        default_points = planning.persisted(
            st.number_input, "w.plan.default_points", 3.0, label="Default size (points)", min_value=0.0,
            max_value=100.0, step=1.0, format="%.1f")

completed = planning.completed_work(db, knobs, projects, mode, default_points)
if mode != "zero":
    series = trends.with_counted_points(series, completed, knobs.firefight_threshold)
done = series[series["completed"]]
window = reserve_window(series, knobs.window_months)
window_names = list(window["sprint"])
trend = trends.unplanned_trend(window)
quarters = trends.quarter_comparison(series)
planned_no_points, unplanned_no_points = trends.items_without_points(completed, list(done["sprint"]))

# --- headline ------------------------------------------------------------------------------------------------
headline = st.container(horizontal=True, gap="small")
headline.metric("Unplanned per sprint (window mean)",
                f"{num(window['unplanned_points'].mean())} pts" if len(window) else DASH,
                help=f"Mean unplanned points of the {plural(len(window), 'window sprint')}",
                border=True, width="content")
shows_trend = trend.slope is not None and len(window) >= trends.MIN_SPRINTS
headline.metric("Trend over the window", f"{signed(trend.slope)} pts / sprint" if shows_trend else DASH,
                planning.trend_delta(trend) if shows_trend else None, delta_color="off", delta_arrow="off",
                border=True, width="content",
                help="Least-squares slope of unplanned points per sprint, with a 90% confidence interval: "
                     "see the Trend section")
if quarters is not None:
    headline.metric(f"This quarter ({quarters.this.quarter})", f"{num(quarters.this.mean_unplanned_points)} pts",
                    None if quarters.change_points is None
                    else f"{signed(quarters.change_points)} pts vs {quarters.last.quarter}",
                    delta_color="inverse", border=True, width="content",
                    help="Mean unplanned points per completed sprint ending in the quarter")
headline.metric("Completed items without points", f"{planned_no_points + unplanned_no_points}",
                f"{unplanned_no_points} of them unplanned", delta_color="off", delta_arrow="off",
                border=True, width="content", help="Items completed in a completed sprint that have no points")

# --- per sprint ------------------------------------------------------------------------------------------------
if done.empty:
    st.info("No sprint has been completed yet (a sprint is completed when it ended on or before the data's "
            "as-of date): the per-sprint figures count completed sprints only.", icon=":material/info:")
else:
    st.subheader("Planned and unplanned work per sprint")
    unit = st.radio("Unit", list(planning_charts.UNITS), key="w.plan.unit", horizontal=True,
                   help="Points, hours spent, or number of items completed")
    planning.chart(planning_charts.planned_unplanned_chart, series, unit,
                   alt="Stacked bars of planned and unplanned work completed per sprint")
    explain.note(
        f"Work completed in each of the {plural(len(done), 'completed sprint')} "
        f"({explain.span(list(done['sprint']))}), "
        f"in {planning_charts.UNITS[unit][2]}: planned done (blue) and unplanned (vermillion, hatched). "
        + (planning.no_points_words(mode, default_points) if unit == "points" else
           "Hours are Jira's Time Spent of the items; an item without time counts 0." if unit == "hours" else
           "Each completed item counts once, whatever its size."))
    explain.how(explain.share_how(knobs)[:2] + [
        "**Planned done** = points (hours, items) of planned items completed in the sprint; **unplanned** = the same "
        "for unplanned items. " + planning.no_points_words(mode, default_points),
        f"{plural(planned_no_points + unplanned_no_points, 'completed item')} had no points "
        f"({unplanned_no_points} unplanned, {planned_no_points} planned).",
    ])

    st.subheader("Unplanned share and the firefighting threshold")
    planning.chart(charts.unplanned_share_chart, series, knobs.firefight_threshold,
                   alt="Bar chart of the unplanned share of each sprint")
    explain.note(planning.share_caption(series, knobs, mode, default_points))
    explain.how(explain.share_how(knobs))

    st.subheader("Commitment: said vs done, carry-over and scope added")
    planning.chart(planning_charts.say_do_chart, series, alt="Committed and delivered points per sprint with say/do")
    say_do = done["say_do"].astype(float)
    explain.note(f"Per completed sprint: the points committed at the start and how many of them were completed in the "
                 f"sprint; say/do (orange, right axis) is their ratio. Mean say/do {pct(say_do.mean())} over "
                 f"{plural(int(say_do.notna().sum()), 'sprint')} with a commitment.")
    planning.chart(planning_charts.scope_chart, series,
                   alt="Scope per sprint: planned at start, carry-over, scope added, and completed")
    explain.note("Left bar of each sprint: its scope, i.e. the points planned at the start (dark blue; the light blue "
                 "part was carried over from an earlier sprint) plus the points added mid-sprint (orange, hatched). "
                 "Right bar (green): the points completed, planned and unplanned.")
    explain.how([
        "**Committed** = points of planned items in the sprint created on or before its start day (a carried-over "
        "item counts in every sprint it was committed to).",
        "**Say/do** = committed points completed in the sprint / committed points; none when nothing was committed.",
        "**Carry-over** = points of planned items in the sprint that were also in an earlier sprint.",
        "**Scope increase** = points of items (planned or unplanned) created on a later day than the sprint's start.",
        "These count items without points as 0 whatever the page option.",
    ])

# --- trend -----------------------------------------------------------------------------------------------------
st.subheader("Trend")
if len(window) < trends.MIN_SPRINTS:
    planning.thin(len(window), "a trend")
else:
    st.markdown(f"Unplanned work is **{planning.trend_words(trend)}** "
                f"(over the {plural(len(window), 'sprint')} of the {knobs.window_months}-month window).")
    planning.chart(planning_charts.trend_chart, trend, alt="Unplanned points per window sprint with a trend line")
    explain.note(planning.trend_caption(trend, knobs.window_months, window))
if quarters is not None:
    st.markdown(f"**This quarter vs last** ({quarters.this.quarter} vs {quarters.last.quarter})")
    st.dataframe(planning.quarter_table(quarters), hide_index=True, column_config={
        "quarter": st.column_config.TextColumn("Quarter"),
        "sprints": st.column_config.NumberColumn("Completed sprints"),
        "mean_unplanned_points": st.column_config.NumberColumn("Mean unplanned points", format="%.1f"),
        "mean_unplanned_share": st.column_config.NumberColumn("Mean unplanned share", format="%.0f%%"),
    })
    explain.note(planning.quarter_caption(quarters))
explain.how(planning.trend_how() + [
    "**This quarter vs last**: completed sprints grouped by the calendar quarter of their end date; this "
    "quarter is the one of the latest completed sprint. Mean unplanned points and mean unplanned share, n each."])

# --- why it was unplanned --------------------------------------------------------------------------------------
st.subheader("Why it was unplanned")
planning.rules_editor(knobs, planning.rule_options(db, projects))
why = planning.why_unplanned(db, knobs, projects, window_names, mode, default_points)
breakdown = why.rules
if not window_names:
    st.info("No completed sprint in the window yet.", icon=":material/info:")
elif breakdown.items == 0:
    st.info(f"No unplanned item was completed in the window ({planning.rules_words(knobs)}).",
            icon=":material/info:")
else:
    planning.chart(planning_charts.rule_chart, breakdown, alt="Unplanned items per classification rule")
    explain.note(planning.rule_caption(breakdown, window, knobs.window_months))
    tabs = st.tabs(["By type", "By component", "By label"])
    for tab, dimension in zip(tabs, trends.BREAKDOWNS):
        with tab:
            frame = why.by[dimension]
            planning.chart(planning_charts.breakdown_chart, frame, dimension, alt=f"Unplanned points per {dimension}")
            explain.note(planning.breakdown_caption(frame, dimension, window, knobs.window_months))
            with st.expander(f"All {dimension}s", icon=":material/table:"):
                st.dataframe(frame, hide_index=True, width="stretch", column_config={
                    "value": st.column_config.TextColumn(dimension.capitalize()),
                    "items": st.column_config.NumberColumn("Items"),
                    "points": st.column_config.NumberColumn("Points", format="%g")})
explain.how(explain.share_how(knobs)[:1] + [
    "**Counts per rule** count an item under every rule it matches; **first matching rule** counts it once, "
    "under the first of type, label, added mid-sprint that matches.",
    "Over the unplanned items completed in the window's sprints. " + planning.no_points_words(mode, default_points),
])

# --- drill-down ------------------------------------------------------------------------------------------------
st.subheader("Drill-down: one sprint's items")
names = list(series["sprint"])
latest = list(done["sprint"])[-1] if len(done) else names[-1]
chosen = st.selectbox("Sprint", names, index=names.index(latest), key="w.plan.drill_sprint")
table = planning.sprint_items(db, knobs, projects, chosen)
row = series[series["sprint"] == chosen].iloc[0]
unplanned_here = table[table["unplanned"] & table["completed_here"]]
explain.note(
    f"{plural(len(table), 'item')} list {md(chosen)}; {plural(len(unplanned_here), 'unplanned item')} "
    f"completed in it ({num(unplanned_here['points'].fillna(0).sum())} points with missing points as 0; the "
    f"sprint's unplanned figure above is {num(row['unplanned_points'])} points). "
    f"{int(table['points'].isna().sum())} of its items have no points.")
st.dataframe(table, hide_index=True, width="stretch", column_order=planning.DRILLDOWN_ORDER, column_config={
    "key": st.column_config.TextColumn("Key"),
    "summary": st.column_config.TextColumn("Summary", width="medium"),
    "type": st.column_config.TextColumn("Type"),
    "points": st.column_config.NumberColumn("Points", format="%g"),
    "hours": st.column_config.NumberColumn("Hours", format="%.1f"),
    "unplanned": st.column_config.CheckboxColumn("Unplanned"),
    "why_unplanned": st.column_config.TextColumn("Why unplanned", help="Every rule the item matches"),
    "completed_here": st.column_config.CheckboxColumn("Completed in this sprint"),
    "labels": st.column_config.TextColumn("Labels"),
    "components": st.column_config.TextColumn("Components"),
})
st.download_button("Download these items (CSV)", formula_safe_csv(table),
                   file_name=planning.csv_name(chosen), mime="text/csv", on_click="ignore",
                   icon=":material/download:", key="w.plan.download",
                   help="Cells that a spreadsheet would run as formulas are prefixed with '")
