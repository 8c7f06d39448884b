"""Firefighter mode: is the team firefighting, what is the evidence, and what does staying this way cost?"""

import streamlit as st

from analytics import leadership_charts as lc
from ui import cache, explain
from ui import leadership as lead
from ui.controls import sidebar
from ui.explain import STATUS_LABELS, md, num, pct, plural, signed
from ui.state import open_db

db = open_db()
knobs, projects = sidebar(db)

st.title("Firefighter mode")
series = cache.sprint_series(db, knobs, projects)
if series.empty:
    st.info("No sprints in the store yet: import a tracker export (and optionally a sprint calendar, incidents and "
            "an on-call schedule) with `python -m analytics import FILE ...` or on the Upload page.",
            icon=":material/upload_file:")
    st.stop()

st.caption(explain.scope(series, cache.data_as_of(db), projects))
settings = lead.period_controls(series)
view = lead.view(db, knobs, projects, settings)
status, d, flow, cost = view.status, view.delivery, view.flow, view.cost

# --- status and headline -------------------------------------------------------------------------------------
colour = {"firefighting": "red", "at_risk": "orange", "healthy": "green"}.get(status.status, "gray")
st.badge(STATUS_LABELS[status.status], color=colour, icon=":material/local_fire_department:")
explain.note(explain.firefighter_caption(status))
headline = st.container(horizontal=True, gap="small")
headline.metric("Firefighter status", STATUS_LABELS[status.status], border=True, width="content")
headline.metric("Unplanned share (period)", pct(d.unplanned_share),
                f"{num(d.unplanned_points)} of {num(d.unplanned_points + d.planned_done_points)} pts",
                delta_color="off", delta_arrow="off", border=True, width="content",
                help="Unplanned ÷ (unplanned + planned) points completed in the period's sprints.")
headline.metric("Planned delivery lost", f"{num(d.planned_lost_points)} pts", f"say/do {pct(d.say_do)}",
                delta_color="off", delta_arrow="off", border=True, width="content",
                help="Committed points not completed in their sprint, over the period.")
headline.metric("Backlog net flow", f"{signed(flow.net_items)} items",
                f"{flow.created_items} created, {flow.resolved_items} resolved", delta_color="off",
                delta_arrow="off", border=True, width="content",
                help="Work items created minus resolved during the period's sprints.")
headline.metric("Firefighting episodes", str(len(status.episodes)), border=True, width="content",
                help="Runs of 2 or more consecutive completed sprints that were firefighting.")
st.caption(f"Period figures cover {lead.period_words(view.period)}.")

# --- unplanned share with the episodes -----------------------------------------------------------------------
st.subheader("Unplanned share per sprint")
st.plotly_chart(lead.share_chart(db, knobs, projects), theme=None,
                config={"displaylogo": False},
                alt="Bar chart of the unplanned share of each sprint with the firefighting episodes shaded")
episodes = ("; ".join(f"{md(e.first_sprint)} – {md(e.last_sprint)} ({plural(e.sprints, 'sprint')})"
                      for e in status.episodes) or "none")
explain.note(explain.share_caption(series, knobs) + f" Shaded: firefighting episodes ({episodes}).")
explain.how(explain.share_how(knobs) + explain.firefighter_how())

left, right = st.columns(2, gap="large")
with left:
    st.subheader("Planned delivery lost")
    if d.table.empty:
        st.info("No completed sprints in the period.", icon=":material/info:")
    else:
        st.plotly_chart(lc.delivery_chart(d), theme=None, config={"displaylogo": False},
                        alt="Committed points delivered and not delivered per sprint")
    explain.note(lead.delivery_caption(view))
    explain.how(lead.delivery_how())
with right:
    st.subheader("Net flow of the backlog")
    if flow.table.empty:
        st.info("No completed sprints in the period.", icon=":material/info:")
    else:
        st.plotly_chart(lc.flow_chart(flow), theme=None, config={"displaylogo": False},
                        alt="Work items created and resolved per sprint and the cumulative change of the backlog")
    explain.note(lead.flow_caption(view))
    explain.how(lead.flow_how())

st.subheader("Recurring incident categories")
if view.categories.empty:
    st.info("No incidents were created in the period.", icon=":material/info:")
else:
    cats = view.categories.assign(dod_gap=view.categories["dod_gap"].fillna("—"))
    st.dataframe(cats, hide_index=True, width="content",
                 column_order=("category", "incidents", "recurrences", "unplanned_points", "dod_gap"),
                 column_config={
                     "category": st.column_config.TextColumn("Category", width=140),
                     "incidents": st.column_config.NumberColumn("Incidents", width=90),
                     "recurrences": st.column_config.NumberColumn(
                         "Repeats", width=90, help="Incidents with an earlier one of the same category "
                                                   f"within {knobs.recurrence_days} days"),
                     "unplanned_points": st.column_config.NumberColumn(
                         "Unplanned pts", format="%g", width=120,
                         help="Unplanned work linked to the category's incidents, completed in the period"),
                     "dod_gap": st.column_config.TextColumn("Definition-of-done gap", width=360),
                 })
explain.note(lead.categories_caption(view))
explain.how(lead.categories_how())

st.subheader("On-call load")
oc = view.oncall_summary
if view.oncall.empty:
    st.info("No on-call shifts in the period.", icon=":material/info:")
else:
    load = st.container(horizontal=True, gap="medium")
    load.metric("Incidents on shift", str(oc.incidents), width="content")
    load.metric("Out of hours", str(oc.out_of_hours_incidents), width="content",
                help="Created outside Monday–Friday 08:00–18:00")
    load.metric("Sleep hours", str(oc.sleep_hour_incidents), width="content", help="Created 22:00–08:00")
    st.dataframe(view.oncall, hide_index=True, width="content",
                 column_order=("person", "shift_hours", "incidents", "out_of_hours_incidents",
                               "sleep_hour_incidents"),
                 column_config={
                     "person": st.column_config.TextColumn("Person", width=160),
                     "shift_hours": st.column_config.NumberColumn("Shift hours", format="%.0f", width=100),
                     "incidents": st.column_config.NumberColumn("Incidents", width=100),
                     "out_of_hours_incidents": st.column_config.NumberColumn("Out of hours", width=110),
                     "sleep_hour_incidents": st.column_config.NumberColumn("Sleep hours", width=110),
                 })
    if oc.incidents_max_min is not None:
        st.caption(f"Busiest ÷ least busy person: {num(oc.incidents_max_min)}× the incidents; Gini "
                   f"{num(oc.incidents_gini, 2)} (0 = even).")
explain.note(lead.oncall_caption(view))
explain.how(lead.oncall_how())

# --- cost of staying -----------------------------------------------------------------------------------------
st.subheader("Cost of staying")
lead.money_controls(knobs, point_key=lead.POINT_VALUE_FF)
cur = view.settings.currency
a, b, c = st.columns(3)
a.metric("Unplanned points a sprint", num(cost.mean_points),
         f"{num(cost.total_points)} in {plural(cost.sprints, 'sprint')}", delta_color="off", delta_arrow="off")
b.metric("Unplanned hours a sprint", num(cost.mean_hours),
         f"{num(cost.total_hours)} in {plural(cost.sprints, 'sprint')}", delta_color="off", delta_arrow="off")
money_value = cost.mean_points_money if cost.mean_points_money is not None else cost.mean_hours_money
basis = "points" if cost.mean_points_money is not None else "hours"
c.metric("In money, a sprint", explain.md(lead.money(money_value, cur)) if money_value is not None else "—",
         f"from {basis}" if money_value is not None else "set a value", delta_color="off", delta_arrow="off")
if not cost.table.empty:
    st.plotly_chart(lc.cost_chart(cost, cur), theme=None, config={"displaylogo": False},
                    alt="Unplanned points and hours per sprint of the period")
explain.note(lead.cost_caption(view))
explain.how(lead.cost_how())

st.subheader("Leadership brief")
lead.brief_section(db, knobs, projects, view.settings, "firefighter")
