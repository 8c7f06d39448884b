"""On-call: is the load shared fairly, how often are people woken, and are on-call people protected from sprint work?"""

import streamlit as st

from analytics import oncall, rotation
from analytics import stability_charts as charts
from ui import explain
from ui import stability as ui
from ui import summaries
from ui.controls import sidebar
from ui.explain import md, num, pct, plural
from ui.state import open_db

db = open_db()
knobs, projects = sidebar(db)

st.title("On-call")
st.info(ui.BLAMELESS, icon=":material/diversity_3:")
shift_table = ui.shifts(db)

# --- without a schedule: responders from the incident data ---------------------------------------------------
if shift_table.empty:
    responders = ui.responder_load(db, projects)
    explain.needs_data("No on-call schedule in the store, so shift hours, incidents per shift, fairness of the "
                       "rotation, the rotation calendar and the protection from sprint work cannot be shown. This "
                       "needs the schedule (PagerDuty or Opsgenie iCal feed, or a CSV of person, start, end): "
                       "upload it on the Upload page or import it with `python -m analytics import FILE`.",
                       icon=":material/event_busy:", warning=True)
    if responders.empty:
        st.info("There are no incidents either, so there is no responder load to show.", icon=":material/info:")
        st.stop()
    st.subheader("Incidents per responder")
    total = int(responders["incidents"].sum())
    ooh = int(responders["out_of_hours_incidents"].sum())
    sleep = int(responders["sleep_hour_incidents"].sum())
    headline = st.container(horizontal=True, gap="small")
    headline.metric("Responders", str(len(responders)), border=True, width="content")
    headline.metric("Out-of-hours incidents", str(ooh), f"{pct(ooh / total if total else None)} of {total}",
                    delta_color="off", delta_arrow="off", border=True, width="content")
    headline.metric("Sleep-hour incidents", str(sleep), f"{pct(sleep / total if total else None)} of {total}",
                    delta_color="off", delta_arrow="off", border=True, width="content")
    st.plotly_chart(charts.responder_chart(responders), theme=None, config=charts.CONFIG,
                    alt="Incidents per responder by hour bucket, alphabetical")
    st.dataframe(responders, hide_index=True, width="stretch",
                 column_config={"person": "Responder", "incidents": st.column_config.NumberColumn("Incidents"),
                                "out_of_hours_incidents": st.column_config.NumberColumn("Out of hours"),
                                "sleep_hour_incidents": st.column_config.NumberColumn("Sleep hours")})
    explain.note(ui.responder_caption(responders))
    explain.how(ui.oncall_how()[2:3] + ["**Responder**: the person the incident export names (PagerDuty: resolved "
                                        "by), or the assignee of an Incident work item. It shows load, not blame."])
    st.stop()

# --- load and fairness ---------------------------------------------------------------------------------------
load = ui.oncall_load(db, projects)
fair = oncall.fairness(load)
fair_text = ui.fairness_text(fair)

headline = st.container(horizontal=True, gap="small")
headline.metric("People on the rotation", str(len(load)), f"{plural(len(shift_table), 'shift')}", delta_color="off",
                delta_arrow="off", border=True, width="content")
headline.metric("Shift hours, max ÷ min", fair_text["shift_hours_max_min"], f"{num(load['shift_hours'].max(), 0)} vs "
                f"{num(load['shift_hours'].min(), 0)} h", delta_color="off", delta_arrow="off", border=True,
                width="content")
headline.metric("Incidents, max ÷ min", fair_text["incidents_max_min"], f"{int(load['incidents'].max())} vs "
                f"{int(load['incidents'].min())}", delta_color="off", delta_arrow="off", border=True, width="content")
headline.metric("Gini of incidents per person", fair_text["incidents_gini"], "0 = even", delta_color="off",
                delta_arrow="off", border=True, width="content")

st.subheader("Load per person")
st.plotly_chart(charts.oncall_load_chart(load), theme=None, config=charts.CONFIG,
                alt="Shift hours and incidents during shifts per person, alphabetical")
explain.note(summaries.load_summary(load))
st.dataframe(load, hide_index=True, width="stretch",
             column_config={"person": "Person", "shift_hours": st.column_config.NumberColumn("Shift hours",
                                                                                               format="%.0f"),
                            "shifts": st.column_config.NumberColumn("Shifts"),
                            "incidents": st.column_config.NumberColumn("Incidents during shifts"),
                            "out_of_hours_incidents": st.column_config.NumberColumn("Out of hours (incl. sleep)"),
                            "sleep_hour_incidents": st.column_config.NumberColumn("Sleep hours")})
explain.note(ui.load_caption(load, shift_table))
explain.how(ui.oncall_how())

# --- the rotation --------------------------------------------------------------------------------------------
st.subheader("Rotation calendar")
on_shift = rotation.incidents_on_shift(shift_table, ui.incident_table(db, knobs, projects))
st.plotly_chart(charts.rotation_chart(shift_table, on_shift), theme=None, config=charts.CONFIG,
                alt="Timeline of on-call shifts per person with the incidents during them")
explain.note(f"Each bar is one shift ({plural(len(shift_table), 'shift')}); the markers are the "
             f"{plural(len(on_shift), 'incident')} created during a shift, shaped by when they came: business hours "
             "(Monday–Friday 08:00–18:00), out of hours, or sleep hours (22:00–08:00). Drag to zoom, double-click to "
             "reset.")

# --- protection ----------------------------------------------------------------------------------------------
st.subheader("Protection from sprint work")
points = ui.sprint_points(db, projects)
min_overlap = st.number_input("Count a sprint as on call from this many hours of shift overlap (0 = any overlap)",
                              min_value=0.0, max_value=336.0, value=0.0, step=12.0, format="%g", key="w.min_overlap",
                              width=420)
prot = rotation.protection(points, list(load["person"]), float(min_overlap))
if prot.completed_sprints == 0 or prot.team_median is None:
    st.info("No completed sprint with completed work, so on-call load cannot be compared with sprint work yet.",
            icon=":material/info:")
else:
    flagged = prot.people[prot.people["full_load"]]
    cols = st.container(horizontal=True, gap="small")
    cols.metric("Team per-person median", f"{num(prot.team_median)} pts / sprint", border=True, width="content",
                help="The median over people of their points completed per completed sprint")
    cols.metric("On call with a full sprint load", f"{len(flagged)} of {len(prot.people)}", delta_color="off",
                border=True, width="content")
    st.plotly_chart(charts.protection_chart(prot.people, prot.team_median), theme=None, config=charts.CONFIG,
                    alt="Points per on-call sprint per person against the team median")
    if len(flagged):
        st.warning("**Not protected while on call**: " + ", ".join(md(p) for p in flagged["person"])
                   + f" completed at least the team's per-person median ({num(prot.team_median)} points per sprint) "
                     "in the sprints they were on call, i.e. a full sprint load on top of the pager.",
                   icon=":material/warning:")
    else:
        st.success("Everyone on call completed less than the team's per-person median in their on-call sprints.",
                   icon=":material/verified_user:")
    st.dataframe(prot.people, hide_index=True, width="stretch",
                 column_config={"person": "Person", "on_call_sprints": st.column_config.NumberColumn("On-call sprints"),
                                "points_on_call": st.column_config.NumberColumn("Points in those sprints",
                                                                                format="%g"),
                                "points_per_on_call_sprint": st.column_config.NumberColumn("Per on-call sprint",
                                                                                           format="%.1f"),
                                "points_per_sprint": st.column_config.NumberColumn("Per sprint, all sprints",
                                                                                   format="%.1f"),
                                "full_load": st.column_config.CheckboxColumn("Full load while on call")})
    explain.note(ui.protection_caption(prot))
    with st.expander(f"Per person and on-call sprint ({len(prot.sprints)})", icon=":material/list:"):
        st.dataframe(prot.sprints, hide_index=True, width="stretch",
                     column_config={"person": "Person", "sprint": "Sprint",
                                    "start_date": st.column_config.DateColumn("Start"),
                                    "end_date": st.column_config.DateColumn("End"),
                                    "oncall_hours": st.column_config.NumberColumn("On-call hours in it", format="%.0f"),
                                    "points": st.column_config.NumberColumn("Points completed", format="%g"),
                                    "items": st.column_config.NumberColumn("Items"),
                                    "full_load": st.column_config.CheckboxColumn("≥ team median")})
explain.how(ui.protection_how())
