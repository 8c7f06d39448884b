"""Follow-through: are post-mortems written, are their action items done, what debt is left, what should the DoD add?"""

import streamlit as st

from analytics import dod, incidents, stability
from analytics import stability_charts as charts
from ui import cache, explain
from ui import stability as ui
from ui import summaries
from ui.controls import sidebar
from ui.explain import day, md, pct, plural
from ui.state import open_db

db = open_db()
knobs, projects = sidebar(db)

st.title("Follow-through")
table = ui.incident_table(db, knobs, projects)
if table.empty:
    explain.needs_data("No incidents in the store, so there is nothing to follow through. This page needs an "
                       "incident export (PagerDuty, ...) and the tracker export with its post-incident reviews "
                       "and follow-up items: upload them on the Upload page or import them with "
                       "`python -m analytics import FILE`, then reload this page.")
    st.stop()

as_of = cache.data_as_of(db)
actions = ui.action_view(db, knobs, projects)
summary = actions.summary
repeats = ui.repeats(db, knobs, projects)
top = stability.severe(table)
coverage_all = incidents.postmortem_coverage(table)
st.caption(f"{plural(len(table), 'incident')}, {len(top)} of severity 1–2 · "
           f"{plural(summary.total, 'action item')} · data as of {day(as_of)} · {ui.who(projects)}")

headline = st.container(horizontal=True, gap="small")
headline.metric("Post-mortem coverage (SEV1/2)", pct(coverage_all),
                f"{int(top['has_postmortem'].astype(bool).sum())} of {len(top)}" if len(top) else "no SEV1/2",
                delta_color="off", delta_arrow="off", border=True, width="content")
headline.metric("Action items done", f"{summary.done} / {summary.total}", pct(summary.completion_rate),
                delta_color="off", delta_arrow="off", border=True, width="content",
                help="Completion rate = done / all")
headline.metric("Open action items, median age", ui.days(summary.open_median_age_days),
                f"{summary.total - summary.done} open", delta_color="off", delta_arrow="off", border=True,
                width="content")
headline.metric("Repeats with open actions", str(len(repeats)), delta_color="off", border=True, width="content",
                help="Recurrences while an earlier incident's action item in their category was still open")

# --- post-mortems --------------------------------------------------------------------------------------------
st.subheader("Post-mortems of severity 1–2 incidents")
if top.empty:
    st.info("No incident has severity 1–2 (SEV1/SEV2, P1/P2, 1 - Critical/2 - High, critical/high), so there is no "
            "post-mortem coverage to show.", icon=":material/info:")
else:
    period = ui.period_choice(("quarter", "month"), "w.coverage_period", "quarter")
    coverage = stability.postmortem_coverage_over_time(table, period)
    st.plotly_chart(charts.coverage_chart(coverage), theme=None, config=charts.CONFIG,
                    alt="Post-mortem coverage of severity 1-2 incidents per period")
    explain.note(summaries.coverage_summary(coverage_all, int(top["has_postmortem"].astype(bool).sum()), len(top)))
    explain.note(ui.coverage_caption(coverage, len(top), period))
    missing = stability.severe_without_postmortem(table)
    st.markdown(f"**Severity 1–2 incidents without a post-mortem** ({len(missing)})")
    if missing.empty:
        st.caption("Every severity 1–2 incident has one.")
    else:
        st.dataframe(missing[["id", "created", "title", "severity", "category", "service"]], hide_index=True,
                     width="stretch",
                     column_config={"id": "Incident", "created": st.column_config.DatetimeColumn(
                         "Created", format="YYYY-MM-DD HH:mm"), "title": "Title", "severity": "Severity",
                         "category": "Category", "service": "Service"})
explain.how(ui.postmortem_how())

# --- action items --------------------------------------------------------------------------------------------
st.subheader("Action items")
if summary.total == 0:
    st.info("No action items: no work item (other than a post-mortem document) is linked to an incident or "
            "labelled `postmortem` / `incident-followup`.", icon=":material/info:")
else:
    if actions.open_total == 0:
        st.success("Every action item is done.", icon=":material/task_alt:")
    else:
        st.plotly_chart(ui.action_chart(db, knobs, projects), theme=None, config=charts.CONFIG,
                        alt="Age in days of each open action item, scheduled or not")
        st.markdown(f"**Open action items, oldest first** ({actions.open_total})")
        if actions.open_total > len(actions.open_rows):
            st.caption(f"The {len(actions.open_rows)} oldest of {actions.open_total}; the download below has all "
                       "action items.")
        st.dataframe(
            actions.open_rows, hide_index=True, width="stretch",
            column_config={"key": "Item", "summary": "Summary", "status": "Status",
                           "age_days": st.column_config.NumberColumn("Age (days)", format="%.0f"),
                           "scheduled": st.column_config.CheckboxColumn("In a sprint"),
                           "incidents": "Linked incidents", "points": st.column_config.NumberColumn("Points")},
        )
    explain.note(actions.caption)
    with st.expander(f"All action items ({summary.total})", icon=":material/list:"):
        if summary.total > len(actions.rows):
            st.caption(f"The first {len(actions.rows)} of {summary.total} (open ones first, oldest first); the "
                       "download has all of them.")
        st.dataframe(
            actions.rows, hide_index=True, width="stretch",
            column_config={"key": "Item", "type": "Type", "summary": "Summary", "status": "Status",
                           "done": st.column_config.CheckboxColumn("Done"),
                           "created": st.column_config.DatetimeColumn("Created", format="YYYY-MM-DD"),
                           "resolved": st.column_config.DatetimeColumn("Resolved", format="YYYY-MM-DD"),
                           "age_days": st.column_config.NumberColumn("Age (days)", format="%.0f"),
                           "days_to_done": st.column_config.NumberColumn("Days to done", format="%.0f"),
                           "sprints": "Sprints", "incidents": "Linked incidents"},
        )
        st.download_button("Download every action item (CSV)", ui.actions_csv(db, knobs, projects),
                           file_name="action-items.csv", mime="text/csv", icon=":material/download:",
                           on_click="ignore")
explain.how(ui.action_items_how())

# --- the forgotten list --------------------------------------------------------------------------------------
st.subheader("Repeats while the list was open")
if repeats.empty:
    st.success("No recurrence happened while an earlier incident's action item was still open.",
               icon=":material/task_alt:")
else:
    forgotten, repeats_total, cut = ui.forgotten(db, knobs, projects)
    if repeats_total > len(forgotten):
        st.caption(f"The latest {len(forgotten)} of {repeats_total}.")
    st.dataframe(
        forgotten, hide_index=True, width="stretch",
        column_config={"id": "Recurrence", "created": st.column_config.DatetimeColumn("Created",
                                                                                      format="YYYY-MM-DD HH:mm"),
                       "category": "Category", "title": "Title",
                       "earlier": st.column_config.ListColumn("Earlier incidents (with action items)"),
                       "open_items": st.column_config.ListColumn("Action items open at the time")},
    )
    if cut:
        st.caption(f"A cell lists at most {ui.LIST_LIMIT} incidents or items, then how many more there are.")
explain.note(ui.repeats_caption(repeats, knobs))

# --- tech debt -----------------------------------------------------------------------------------------------
st.subheader("Tech debt from incidents in the backlog")
costs = ui.category_costs(db, knobs, projects)
debt = ui.debt_view(db, knobs, projects)
if debt.items == 0:
    st.info("No work item is linked to an incident or labelled `tech-debt`, `techdebt` or `debt`.",
            icon=":material/info:")
else:
    st.plotly_chart(charts.tech_debt_chart(debt.by_category), theme=None, config=charts.CONFIG,
                    alt="Open debt points and unplanned points caused per category")
    st.dataframe(
        debt.by_category, hide_index=True, width="stretch",
        column_config={"category": "Category", "open_items": st.column_config.NumberColumn("Open items"),
                       "open_points": st.column_config.NumberColumn("Open points", format="%g"),
                       "median_age_days": st.column_config.NumberColumn("Median age (days)", format="%.0f"),
                       "oldest_age_days": st.column_config.NumberColumn("Oldest (days)", format="%.0f"),
                       "done_items": st.column_config.NumberColumn("Done items"),
                       "unplanned_points": st.column_config.NumberColumn("Unplanned points caused", format="%g"),
                       "recurrences": st.column_config.NumberColumn("Recurrences")},
    )
    explain.note(debt.caption)
    with st.expander(f"Debt items in the backlog, oldest first ({debt.backlog_total})", icon=":material/list:"):
        if debt.backlog_total > len(debt.backlog):
            st.caption(f"The {len(debt.backlog)} oldest of {debt.backlog_total}; the download has all of them.")
        st.dataframe(
            debt.backlog, hide_index=True, width="stretch",
            column_config={"key": "Item", "summary": "Summary", "status": "Status", "category": "Category",
                           "category_rule": "Why this category",
                           "age_days": st.column_config.NumberColumn("Age (days)", format="%.0f"),
                           "points": st.column_config.NumberColumn("Points", format="%g"),
                           "incidents": "Linked incidents", "labels": "Labels"},
        )
        if debt.backlog_total:
            st.download_button("Download every open debt item (CSV)", ui.backlog_csv(db, knobs, projects),
                               file_name="tech-debt-backlog.csv", mime="text/csv", icon=":material/download:",
                               on_click="ignore")
explain.how(ui.debt_how())

# --- Definition of Done --------------------------------------------------------------------------------------
st.subheader("Definition-of-Done gaps")
mapping = ui.dod_mapping()
gaps = dod.dod_gaps(costs, table, mapping)
if gaps.empty:
    st.info("No category has recurring incidents, so no Definition-of-Done item is called for.",
            icon=":material/info:")
else:
    st.dataframe(
        gaps.assign(recurrence_rate=gaps["recurrence_rate"] * 100)[
            ["dod_item", "category", "incidents", "recurrences", "recurrence_rate", "unplanned_points",
             "example_incidents", "last_recurrence"]],
        hide_index=True, width="stretch",
        column_config={"dod_item": st.column_config.TextColumn("Definition-of-Done item", width=330),
                       "category": st.column_config.TextColumn("Category"),
                       "incidents": st.column_config.NumberColumn("Incidents"),
                       "recurrences": st.column_config.NumberColumn("Recurrences"),
                       "recurrence_rate": st.column_config.NumberColumn("Rate", format="%.0f%%"),
                       "unplanned_points": st.column_config.NumberColumn("Unplanned points", format="%g"),
                       "example_incidents": st.column_config.ListColumn("Recurring incidents (most frequent)"),
                       "last_recurrence": st.column_config.DatetimeColumn("Last recurrence", format="YYYY-MM-DD")},
    )
    downloads = st.container(horizontal=True, gap="small")
    downloads.download_button("Checklist (Markdown)", dod.checklist_markdown(gaps, knobs.recurrence_days, day(as_of)),
                              file_name="dod-checklist.md", mime="text/markdown", icon=":material/download:",
                              on_click="ignore")
    downloads.download_button("Checklist (CSV)", dod.checklist_csv(gaps), file_name="dod-checklist.csv",
                              mime="text/csv", icon=":material/download:", on_click="ignore")
explain.note(ui.dod_caption(gaps, dod.other_recurrences(costs), knobs))
with st.expander("Edit the mapping from category to Definition-of-Done item", icon=":material/edit:"):
    ui.dod_editor(list(costs["category"]))
    if ui.DOD_MAPPING in st.session_state:
        st.caption(f"An edited mapping is in use ({plural(len(mapping), 'row')}).")
    else:
        st.caption("The default mapping: " + "; ".join(f"{md(c)} → {md(i)}" for c, i in dod.DEFAULT_DOD) + ".")
