"""Overview: are we firefighting, is the reserve big enough, what keeps recurring, would paying down debt pay?"""

import streamlit as st

from analytics import next_steps
from ui import cache, explain
from ui import stability as incident_data
from ui import summaries
from ui.controls import sidebar
from ui.explain import STATUS_LABELS, VERDICT_COLOURS, VERDICT_LABELS, num, pct, plural, signed
from ui.state import open_db

db = open_db()
knobs, projects = sidebar(db)

st.title("Overview")
series = cache.sprint_series(db, knobs, projects)
if series.empty:
    imported = cache.imports(db)
    has_items = bool((imported["kind"] == "work_items").any()) if len(imported) else False
    explain.needs_data(
        f"The store `{db.path}` has "
        + ("work items, but none of them is in a sprint" if has_items else "no work items yet")
        + ". The Overview needs your tracker's export (Jira, Azure DevOps, Linear, GitHub Projects) with its "
          "sprints; a sprint calendar, an incident export and an on-call schedule add the rest. Upload them on "
          "the Upload page, or import them with `python -m analytics import FILE ...`, then reload this page."
    )
    st.stop()

status = cache.firefighter(db, knobs, projects)
adequacy = cache.reserve_adequacy(db, knobs, projects)
case = cache.investment_case(db, knobs, projects)
categories = cache.incidents_by_category(db, knobs, projects)
done = series[series["completed"]]

st.caption(explain.scope(series, cache.data_as_of(db), projects))

# --- headline ------------------------------------------------------------------------------------------------
last_sprint, last_share, share_change = explain.last_share(done)

headline = st.container(horizontal=True, gap="small")
headline.metric("Firefighter status", STATUS_LABELS[status.status], border=True, width="content")
headline.metric("Unplanned, last sprint", pct(last_share), share_change, delta_color="inverse",
                delta_description="pp vs previous", border=True, width="content",
                help=f"Unplanned share of {explain.md(last_sprint or 'none')}, the last completed sprint")
headline.metric("Reserve vs recommended",
                f"{num(adequacy.current_reserve_points)} / {num(adequacy.recommended_points)} pts",
                VERDICT_LABELS[adequacy.verdict], delta_color=VERDICT_COLOURS[adequacy.verdict],
                delta_arrow="off", border=True, width="content")
headline.metric("Paydown break-even",
                f"Sprint {case.break_even_sprint}" if case.break_even_sprint else f"Not within {case.horizon_sprints}",
                f"{signed(case.net_points)} pts net in {case.horizon_sprints} sprints"
                if case.net_points is not None else None,
                delta_arrow="off", border=True, width="content")

# --- what to do next -----------------------------------------------------------------------------------------
st.subheader("What to do next")
steps = next_steps.next_steps(status, adequacy, incident_data.open_follow_ups(db, knobs, projects),
                              incident_data.oncall_load(db, projects), case)
if steps:
    for step in steps:
        explain.next_step(step)
else:
    st.success("Nothing calls for action: the team is not firefighting, the reserve fits, no post-incident "
               "follow-up is open and the on-call load is even (or there is too little data to say).",
               icon=":material/task_alt:")

# --- unplanned share per sprint ------------------------------------------------------------------------------
st.subheader("Unplanned work per sprint")
st.plotly_chart(cache.share_chart(db, knobs, projects), theme=None,
                config={"displaylogo": False}, alt="Bar chart of the unplanned share of each sprint")
explain.note(explain.share_caption(series, knobs))
explain.how(explain.share_how(knobs))

left, right = st.columns(2, gap="large")

# --- firefighter mode ----------------------------------------------------------------------------------------
with left:
    st.subheader("Firefighter mode")
    colour = {"firefighting": "red", "at_risk": "orange", "healthy": "green"}.get(status.status, "gray")
    st.badge(STATUS_LABELS[status.status], color=colour, icon=":material/local_fire_department:")
    explain.note(explain.firefighter_caption(status))
    behind = done[done["sprint"].isin(status.last_sprints)][["sprint", "unplanned_share", "firefighting"]]
    behind = behind.assign(unplanned_share=behind["unplanned_share"] * 100)
    st.dataframe(
        behind, hide_index=True, width="stretch",
        column_config={
            "sprint": st.column_config.TextColumn("Sprint"),
            "unplanned_share": st.column_config.NumberColumn("Unplanned share", format="%.0f%%"),
            "firefighting": st.column_config.CheckboxColumn("Firefighting"),
        },
    )
    if status.episodes:
        st.markdown("**Firefighting episodes**\n\n" + "\n".join(
            f"- {explain.md(e.first_sprint)} – {explain.md(e.last_sprint)} ({plural(e.sprints, 'sprint')})"
            for e in status.episodes))
    else:
        st.markdown("**Firefighting episodes**: none (no 2 consecutive completed sprints were firefighting).")
    explain.how(explain.firefighter_how())

# --- reserve -------------------------------------------------------------------------------------------------
with right:
    st.subheader("Reserve for unplanned work")
    reserves, coverages = st.columns(2)
    reserves.metric("Current reserve", f"{num(adequacy.current_reserve_points)} pts")
    coverages.metric("Coverage, current reserve", pct(adequacy.coverage_current))
    reserves.metric(f"Recommended reserve (p{adequacy.quantile * 100:.0f})", f"{num(adequacy.recommended_points)} pts")
    coverages.metric("Coverage, recommended", pct(adequacy.coverage_recommended))
    if adequacy.window_sprints:
        st.plotly_chart(cache.reserve_chart(db, knobs, projects), theme=None, config={"displaylogo": False},
                        alt="Unplanned points per window sprint against the reserves")
        explain.note(summaries.reserve_summary(adequacy))
    explain.note(explain.reserve_caption(adequacy))
    explain.how(explain.reserve_how(adequacy, series["sprint"].iloc[-1]))

left, right = st.columns(2, gap="large")

# --- recurring incidents -------------------------------------------------------------------------------------
with left:
    st.subheader("Most recurring incident category")
    if categories.empty:
        explain.needs_data("No incidents in the store, so nothing can be said about recurrence yet: upload an "
                           "incident export (PagerDuty, Opsgenie, incident.io, ServiceNow) or import it with "
                           "`python -m analytics import FILE`.", icon=":material/info:")
    else:
        top = categories.iloc[0]
        st.metric("Category", explain.md(top["category"]))
        recurred, total = st.columns(2)
        recurred.metric("Recurrences", f"{int(top['recurrences'])}")
        total.metric("Incidents", f"{int(top['incidents'])}")
        st.dataframe(
            categories[["category", "incidents", "recurrences", "recurrence_rate", "median_hours_to_resolve",
                        "p90_hours_to_resolve"]].assign(recurrence_rate=categories["recurrence_rate"] * 100),
            hide_index=True, width="stretch",
            column_config={
                "category": st.column_config.TextColumn("Category"),
                "incidents": st.column_config.NumberColumn("Incidents", width="small"),
                "recurrences": st.column_config.NumberColumn("Recurrences", width="small"),
                "recurrence_rate": st.column_config.NumberColumn("Rate", format="%.0f%%", width="small",
                                                                 help="Recurrences / incidents"),
                "median_hours_to_resolve": st.column_config.NumberColumn(
                    "Median h", format="%.1f", width="small", help="Median hours from created to resolved"),
                "p90_hours_to_resolve": st.column_config.NumberColumn(
                    "p90 h", format="%.1f", width="small", help="90th percentile of hours from created to resolved"),
            },
        )
        explain.note(explain.incidents_caption(categories, knobs))
        explain.how(explain.incidents_how())

# --- investment case -----------------------------------------------------------------------------------------
with right:
    st.subheader("Debt paydown investment")
    if case.baseline_unplanned_points is None:
        st.info("Needs at least one completed sprint.", icon=":material/info:")
    else:
        inputs, outputs = st.columns(2)
        inputs.metric("Baseline unplanned per sprint", f"{num(case.baseline_unplanned_points)} pts")
        outputs.metric(f"Net after {case.horizon_sprints} sprints", f"{signed(case.net_points)} pts")
        inputs.metric("Invested per sprint", f"{num(case.invest_points_per_sprint)} pts",
                      f"for {plural(case.invest_sprints, 'sprint')}", delta_color="off", delta_arrow="off")
        outputs.metric("Return (ROI)", pct(case.roi), help="Net points / invested points.")
        st.plotly_chart(cache.investment_chart(db, knobs, projects), theme=None, config={"displaylogo": False},
                        alt="Points saved and invested per sprint and the cumulative net")
        explain.note(explain.investment_caption(case))
        explain.how(explain.investment_how(knobs))
