"""Upload: bring a team's own tracker, incident, on-call and sprint exports into the store, see what each file
brings before it goes in, and undo an import."""

import streamlit as st

from ui import cache, upload
from ui.controls import sidebar
from ui.export_guide import export_guide
from ui.state import open_db

db = open_db()
knobs, _ = sidebar(db)

st.title("Upload")
st.caption("Import exports into the store. Each file is checked and summarised first; nothing is written "
           "until you confirm, and a file that cannot be imported leaves the store as it was.")
if cache.imports(db).empty:
    st.info("The store is empty, so every page is waiting for data. Start with your tracker's export (Jira, Azure "
            "DevOps, Linear or GitHub Projects): it alone gives the unplanned share, the reserve and the "
            "investment case. Add an incident export for recurrence and follow-through, and an on-call schedule "
            "(.ics) for the on-call load. How to get each file from your tool is below.",
            icon=":material/rocket_launch:")
upload.explain_kinds()
export_guide()
upload.show_outcome()

# --- new files -----------------------------------------------------------------------------------------------
files = upload.uploaded_files()
if files:
    ready, waiting = upload.review(db, knobs, files)
    if upload.confirm_button(ready, waiting):
        upload.import_files(db, ready, keep_files=waiting > 0)

# --- sprint calendar -----------------------------------------------------------------------------------------
st.subheader("Sprint calendar")
upload.calendar_section(db, knobs)

# --- import history ------------------------------------------------------------------------------------------
st.subheader("Import history")
upload.history_section(db)
