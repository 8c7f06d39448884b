"""Incidents: which kinds of incident keep coming back, what they cost, how long they take, and how they are categorised."""

import streamlit as st

from analytics import stability
from analytics import stability_charts as charts
from ui import explain
from ui import stability as ui
from ui import summaries
from ui.controls import OVERRIDES, sidebar
from ui.explain import md, num, pct, plural
from ui.state import open_db

db = open_db()
knobs, projects = sidebar(db)

st.title("Incidents and recurrence")
table = ui.incident_table(db, knobs, projects)
if table.empty:
    explain.needs_data("No incidents in the store. This page needs an incident export (PagerDuty, Opsgenie, "
                       "incident.io, ServiceNow, ...) or a tracker export with work items of type Incident: upload "
                       "it on the Upload page or import it with `python -m analytics import FILE`, then reload "
                       "this page.")
    st.stop()

costs = ui.category_costs(db, knobs, projects)
unmatched = stability.unmatched(table)
recurrences = int(table["recurrence"].astype(bool).sum())
st.caption(ui.incident_scope(table, knobs, projects))

headline = st.container(horizontal=True, gap="small")
headline.metric("Incidents", str(len(table)), border=True, width="content")
headline.metric("Recurrences", str(recurrences), f"{pct(recurrences / len(table))} of incidents", delta_color="off",
                delta_arrow="off", border=True, width="content",
                help=f"Incidents with an earlier one of the same category within {knobs.recurrence_days} days")
headline.metric("Most recurring category", md(costs["category"].iloc[0]),
                f"{int(costs['recurrences'].iloc[0])} recurrences", delta_color="off", delta_arrow="off", border=True,
                width="content")
headline.metric("Unplanned points caused", f"{num(costs['unplanned_points'].sum())} pts",
                f"{int(costs['unplanned_items'].sum())} items", delta_color="off", delta_arrow="off", border=True,
                width="content", help="Unplanned work items linked to incidents and completed in a sprint")
headline.metric("Not categorised", str(len(unmatched)), "no rule matched", delta_color="off", delta_arrow="off",
                border=True, width="content", help="Incidents in `other` because no rule matched them")

# --- over time -----------------------------------------------------------------------------------------------
st.subheader("Incidents per category over time")
period = ui.period_choice(("month", "sprint"), "w.incident_period", "month")
over_time, over_time_chart, outside = ui.over_time(db, knobs, projects, period)
if over_time.empty:
    st.info("No incident was created on a day a sprint covers: there is no sprint calendar for these dates. "
            "Show them per month instead.", icon=":material/info:")
else:
    st.plotly_chart(over_time_chart, theme=None, config=charts.CONFIG,
                    alt="Incidents per category and period, recurrences highlighted")
    explain.note(summaries.over_time_summary(over_time, period))
explain.note(ui.over_time_caption(over_time, period, outside, knobs))
explain.how(ui.incidents_how(knobs))

# --- ranking -------------------------------------------------------------------------------------------------
st.subheader("Which categories recur, and what they cost")
st.plotly_chart(charts.category_cost_chart(costs), theme=None, config=charts.CONFIG,
                alt="Recurrences and unplanned points caused per category")
explain.note(summaries.category_cost_summary(costs))
st.dataframe(
    costs.assign(recurrence_rate=costs["recurrence_rate"] * 100)[
        ["category", "incidents", "recurrences", "recurrence_rate", "unplanned_points", "unplanned_hours",
         "unplanned_items"]],
    hide_index=True, width="stretch",
    column_config={
        "category": st.column_config.TextColumn("Category"),
        "incidents": st.column_config.NumberColumn("Incidents"),
        "recurrences": st.column_config.NumberColumn("Recurrences"),
        "recurrence_rate": st.column_config.NumberColumn("Recurrence rate", format="%.0f%%"),
        "unplanned_points": st.column_config.NumberColumn("Unplanned points caused", format="%g"),
        "unplanned_hours": st.column_config.NumberColumn("Unplanned hours caused", format="%.1f",
                                                         help="Time spent logged on those items"),
        "unplanned_items": st.column_config.NumberColumn("Unplanned items"),
    },
)
explain.note(ui.cost_caption(costs))

# --- time to resolve -----------------------------------------------------------------------------------------
st.subheader("Time to resolve")
tables = st.container()  # drawn above the choice below, filled once the cached view is read
by = ui.period_choice(("category", "severity"), "w.resolve_by", "category", label="Distribution per")
by_category, by_severity, resolve_chart = ui.resolve_view(db, knobs, projects, by)
times_config = {
    "group": None,
    "incidents": st.column_config.NumberColumn("Incidents"),
    "resolved": st.column_config.NumberColumn("n (resolved)"),
    "median_hours": st.column_config.NumberColumn("Median h", format="%.1f"),
    "p90_hours": st.column_config.NumberColumn("p90 h", format="%.1f", help="90th percentile, linear interpolation"),
}
left, right = tables.columns(2, gap="large")
with left:
    st.dataframe(by_category[["group", "incidents", "resolved", "median_hours", "p90_hours"]], hide_index=True,
                 width="stretch", column_config={**times_config, "group": st.column_config.TextColumn("Category")})
with right:
    st.dataframe(by_severity[["group", "incidents", "resolved", "median_hours", "p90_hours"]], hide_index=True,
                 width="stretch", column_config={**times_config, "group": st.column_config.TextColumn("Severity")})
st.plotly_chart(resolve_chart, theme=None, config=charts.CONFIG,
                alt=f"Hours to resolve per {by}, one point per incident")
explain.note(summaries.resolve_summary(by_category if by == "category" else by_severity, by))
explain.note(ui.resolve_caption(by_category, by))

# --- per service ---------------------------------------------------------------------------------------------
st.subheader("Per service")
if stability.has_services(table):
    services = stability.by_service(table)
    st.dataframe(
        services.assign(recurrence_rate=services["recurrence_rate"] * 100), hide_index=True, width="stretch",
        column_config={
            "service": st.column_config.TextColumn("Service", pinned=True),
            "incidents": st.column_config.NumberColumn("Incidents"),
            "recurrences": st.column_config.NumberColumn("Recurrences"),
            "recurrence_rate": st.column_config.NumberColumn("Rate", format="%.0f%%"),
            "median_hours": st.column_config.NumberColumn("Median h", format="%.1f"),
            "p90_hours": st.column_config.NumberColumn("p90 h", format="%.1f"),
        },
    )
    explain.note(f"Incidents per service (the incident's service, or the first component of an Incident work item), "
                 f"with recurrences, time to resolve (n = resolved incidents) and the count per category in the "
                 f"remaining columns. {plural(len(services), 'service')}.")
else:
    st.info("The incidents name no service or component, so there is no per-service view. PagerDuty's "
            "`service_name` or a component on Incident work items provides one.", icon=":material/info:")

# --- the mapping ---------------------------------------------------------------------------------------------
st.subheader("Category mapping")
explain.note("Rows are tried top to bottom: an incident gets the first category with a keyword that occurs in its "
             "title, labels or components (ignoring case), unless its own category field or a label/component "
             "naming a category decides first. Edit, then apply: the mapping is kept for this session and used "
             "on every page.")
ui.keyword_editor(knobs)
if "category_keywords" in st.session_state.get(OVERRIDES, {}):
    st.caption(":material/edit: An edited mapping is in use. *Reset to defaults* brings back METRICS.md's table.")

st.markdown(f"**Incidents no rule matched** ({plural(len(unmatched), 'incident')}, category `other`)")
if unmatched.empty:
    st.caption("Every incident got a category.")
else:
    st.dataframe(unmatched[["id", "created", "title", "service", "severity"]], hide_index=True, width="stretch",
                 column_config={"id": "Incident", "created": st.column_config.DatetimeColumn(
                     "Created", format="YYYY-MM-DD HH:mm"), "title": "Title", "service": "Service",
                     "severity": "Severity"})
    explain.note("Add a keyword from these titles to a row above to give them a category.")

with st.expander(f"Every incident and the rule that gave its category ({len(table)})", icon=":material/list:"):
    st.dataframe(
        table[["id", "created", "title", "category", "category_rule", "recurrence", "severity", "service",
               "hours_to_resolve"]],
        hide_index=True, width="stretch",
        column_config={
            "id": "Incident", "created": st.column_config.DatetimeColumn("Created", format="YYYY-MM-DD HH:mm"),
            "title": "Title", "category": "Category", "category_rule": "Rule",
            "recurrence": st.column_config.CheckboxColumn("Recurrence"), "severity": "Severity",
            "service": "Service", "hours_to_resolve": st.column_config.NumberColumn("Hours to resolve", format="%.1f"),
        },
    )
