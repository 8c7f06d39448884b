"""Investment case: would paying down the debt behind the incidents pay back, and which work would it buy?"""

import streamlit as st

from analytics import charts
from analytics import leadership_charts as lc
from analytics.leadership import SCENARIO_LABELS, plan_sentence
from ui import cache, explain
from ui import leadership as lead
from ui.controls import sidebar
from ui.explain import md, num, pct, signed
from ui.state import open_db

db = open_db()
knobs, projects = sidebar(db)

st.title("Investment case")
series = cache.sprint_series(db, knobs, projects)
if series.empty:
    st.info("No sprints in the store yet: import a tracker export with `python -m analytics import FILE ...` or on "
            "the Upload page.", icon=":material/upload_file:")
    st.stop()

st.caption(explain.scope(series, cache.data_as_of(db), projects))
settings = lead.settings()
view = lead.view(db, knobs, projects, settings)
case, cur = view.case, settings.currency

summary_box = st.success if case.break_even_sprint is not None else st.warning
summary_box(md(view.summary), icon=":material/trending_up:" if case.break_even_sprint else ":material/info:")

# --- inputs --------------------------------------------------------------------------------------------------
st.subheader("Inputs")
lead.investment_inputs(knobs, case, view.suggested)
if case.baseline_unplanned_points is None:
    st.info("The case needs at least one completed sprint for its baseline.", icon=":material/info:")
    st.stop()
explain.note(explain.investment_caption(case) + " The inputs are kept for the session; the Overview uses them too.")

sug = view.suggested
with st.expander(f"Suggested r from the data: {pct(sug.value)}", icon=":material/lightbulb:"):
    st.markdown("\n".join(f"- {line}" for line in lead.suggested_how(view)))
    if len(sug.items):
        st.dataframe(sug.items, hide_index=True, width="stretch", column_config={
            "key": st.column_config.TextColumn("Item"), "summary": st.column_config.TextColumn("Summary"),
            "type": st.column_config.TextColumn("Type"), "category": st.column_config.TextColumn("Category"),
            "pts": st.column_config.NumberColumn("Points", format="%g"),
            "hrs": st.column_config.NumberColumn("Hours", format="%g"),
            "completion_sprint": st.column_config.TextColumn("Completed in"),
        })

# --- outcome -------------------------------------------------------------------------------------------------
st.subheader("Outcome")
out = st.container(horizontal=True, gap="small")
out.metric("Paydown break-even", f"Sprint {case.break_even_sprint}" if case.break_even_sprint
           else f"Not within {case.horizon_sprints}", border=True, width="content",
           help="The first sprint whose cumulative net (saved − invested) reaches 0.")
out.metric(f"Net after {case.horizon_sprints} sprints", f"{signed(case.net_points)} pts", border=True,
           width="content", help="Points saved minus points invested over the horizon.")
out.metric("Return (ROI)", pct(case.roi), border=True, width="content", help="Net points ÷ points invested.")
out.metric("Baseline unplanned a sprint", f"{num(case.baseline_unplanned_points)} pts", border=True,
           width="content", help=f"Mean of {md(lead.leadership.span(case.baseline_sprints))}.")
if knobs.point_value is not None and case.net_points is not None:
    out.metric("Net in money", md(lead.money(case.net_points * knobs.point_value, cur)), border=True,
               width="content", help=f"Net points × {lead.money(knobs.point_value, cur)} a point.")
left, right = st.columns(2, gap="large")
with left:
    st.plotly_chart(lc.projection_chart(case), theme=None, config={"displaylogo": False},
                    alt="Projected unplanned points per sprint with and without the investment")
    explain.note(f"Projected unplanned points a sprint: {num(case.baseline_unplanned_points)} without the "
                 f"investment; with it they fall by {pct(case.expected_reduction)} over {case.invest_sprints} "
                 "sprints (shaded: the sprints invested in).")
with right:
    st.plotly_chart(charts.investment_chart(case), theme=None, config={"displaylogo": False},
                    alt="Points saved and invested per sprint and the cumulative net")
    explain.note("Points saved (green) and invested (red) per sprint; black: the cumulative net.")
explain.how(lead.projection_how(knobs))

# --- scenarios and sensitivity -------------------------------------------------------------------------------
st.subheader("Scenarios")
columns = st.columns(3)
for column, (key, scenario) in zip(columns, view.scenarios.items()):
    be, net, roi = lead.scenario_words(scenario)
    with column.container(border=True):
        st.markdown(f"**{SCENARIO_LABELS[key]}**: r = {pct(scenario.expected_reduction)}")
        st.metric("Break-even", be, f"{net} net, ROI {roi}", delta_color="off", delta_arrow="off")
st.plotly_chart(lc.scenarios_chart(view.scenarios), theme=None, config={"displaylogo": False},
                alt="Cumulative net points of the three scenarios")
explain.note(f"The same case with r × 0.5, r and r × 1.5 (capped at 100%); the baseline "
             f"({num(case.baseline_unplanned_points)} points), I, K and H are unchanged.")

st.subheader("Sensitivity of the break-even")
if not view.sensitivity.empty:
    st.plotly_chart(lc.sensitivity_chart(view.sensitivity, case.expected_reduction, case.invest_points_per_sprint,
                                         case.horizon_sprints), theme=None, config={"displaylogo": False},
                    alt="Heat map of the break-even sprint over the reduction r and the points invested I")
explain.note(lead.sensitivity_caption(view))

# --- which work ----------------------------------------------------------------------------------------------
st.subheader("Which work: the debt backlog")
plan = view.plan
st.markdown(md(plan_sentence(plan)))
if plan.total_items:
    table = plan.items.assign(fits=plan.items["fits"].map({True: "in the plan", False: "later"}))
    st.dataframe(table, hide_index=True, width="stretch", height=min(35 * (len(table) + 1) + 3, 600), column_order=(
        "rank", "key", "summary", "category", "caused_points", "incidents", "points", "running_points", "fits"),
        column_config={
            "rank": st.column_config.NumberColumn("#", width=40),
            "key": st.column_config.TextColumn("Item", width="small"),
            "summary": st.column_config.TextColumn("Summary", width=320),
            "category": st.column_config.TextColumn("Category", width="small"),
            "caused_points": st.column_config.NumberColumn(
                "Caused (pts)", format="%g", width="small",
                help="Unplanned points of work linked to the category's incidents, all completed sprints"),
            "incidents": st.column_config.NumberColumn("Incidents", width="small",
                                                       help="Incidents the item is linked to"),
            "points": st.column_config.NumberColumn("Points", format="%g", width="small"),
            "running_points": st.column_config.ProgressColumn(
                f"Running sum / {num(plan.budget)}", format="%g", min_value=0,
                max_value=float(max(plan.budget or 0, plan.total_points, 1))),
            "fits": st.column_config.TextColumn("Budget", width="small"),
        })
with st.expander("Categories and the unplanned work they caused", icon=":material/category:"):
    st.dataframe(view.impact, hide_index=True, width="stretch", column_config={
        "category": st.column_config.TextColumn("Category"),
        "unplanned_points": st.column_config.NumberColumn("Unplanned pts, all sprints", format="%g"),
        "unplanned_points_baseline": st.column_config.NumberColumn("…baseline sprints", format="%g"),
        "open_debt_items": st.column_config.NumberColumn("Open debt items"),
        "open_debt_points": st.column_config.NumberColumn("Their points", format="%g"),
        "dod_gap": st.column_config.TextColumn("Definition-of-done gap"),
    })
explain.how(lead.plan_how(view))

st.subheader("The ask")
st.markdown("\n".join(f"{i}. {md(line)}" for i, line in enumerate(view.ask, start=1)))

st.subheader("Leadership brief")
lead.brief_section(db, knobs, projects, settings, "investment")
