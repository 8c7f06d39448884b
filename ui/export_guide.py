"""The Upload page's "How to export" guide: where each tool keeps the export Firebreak reads.

Menu names change between tool versions; steps we could confirm in the vendor's
documentation are stated plainly, the rest say "typically".
"""

from __future__ import annotations

import streamlit as st

# (tool, what it gives, steps as Markdown list items)
EXPORT_GUIDE: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("Jira Cloud / Data Center", "work items",
     ("**Filters** → open (or search for) a filter over the team's project, covering the sprints you want.",
      "**Export** → **Export CSV (all fields)**. *Current fields* also works if the view shows Sprint, Created, "
      "Resolved, the story points field, Labels and Issue links.",
      "The board's sprint dates are not in the issue export: add a sprints file (template below) or let "
      "Firebreak infer the calendar.")),
    ("Azure DevOps Boards", "work items",
     ("**Queries** → run a flat query over the team's work items (add the Iteration Path, Created Date, "
      "Closed Date, Story Points and Tags columns).",
      "Typically: the **…** (more actions) menu of the results → **Export to CSV**.")),
    ("Linear", "work items",
     ("Typically: **Settings** → **Workspace** → **Import / Export** → **Export CSV**.",
      "Linear's cycles are read as sprints.")),
    ("GitHub Projects", "work items",
     ("First add the **Created** and **Closed** fields (and your Iteration and size fields) to the view: "
      "the export contains the view's fields only.",
      "The view's menu (▾ next to the view name) → **Export view data**: a tab-separated .tsv file, read as it "
      "is.")),
    ("PagerDuty", "incidents and on-call schedules",
     ("Incidents: typically **Analytics** / **Insights** → the incidents list → export CSV; or the analytics "
      "raw incidents API (`/analytics/raw/incidents`) saved as CSV.",
      "On-call: **Schedule** → **Export** → copy the **WebCal / iCal feed** link and save what it returns as an "
      ".ics file.")),
    ("Opsgenie", "incidents (alerts) and on-call schedules",
     ("Alerts: typically the **Alerts** list, filtered to the period → export as CSV.",
      "On-call: typically the schedule → **Export** (.ics).")),
    ("incident.io", "incidents",
     ("Typically **Incidents** → filter to the period → **Export** CSV.",)),
    ("ServiceNow", "incidents",
     ("Open the **Incident** list filtered to the period, right-click a column header → **Export** → **CSV**.",
      "Add Category, Priority/Severity, Opened, Resolved and Business service columns to the list first.")),
)


def export_guide() -> None:
    """One expander per tool with the steps to get the export Firebreak reads."""
    st.markdown("**How to export from your tool**")
    for tool, gives, steps in EXPORT_GUIDE:
        with st.expander(f"{tool}: {gives}", icon=":material/ios_share:"):
            st.markdown("\n".join(f"1. {step}" for step in steps))
