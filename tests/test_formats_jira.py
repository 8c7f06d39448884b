"""Jira variants: localized headers, `;` delimiter, mojibake, JSM incidents, sprint strings and the board-sprint JSON.

Fixtures are written from the facts in EXPORT_FORMATS.md §1-2 (header translations as seen in real
localized exports; dates in Jira's `dd/MMM/yy h:mm a`).
"""

import datetime as dt

import pytest

from analytics import incidents, store
from analytics.config import Knobs
from analytics.errors import ImportRejected
from analytics.importers import detect_format, stage_file
from analytics.importers.formats import JIRA_CSV
from analytics.importers.sqlgen import canonical_select
from analytics.importers.textfile import open_text
from tests.builders import FIXTURES, load, new_store, rows



def test_german_headers_custom_field_prefix_and_localized_month():
    con = new_store()
    r = load(con, "jira_de_localized.csv")
    assert (r.format, r.rows_loaded, r.rows_rejected) == ("jira_csv_de", 3, 0)
    bug, story, task = rows(con, "SELECT * FROM work_items ORDER BY key")
    assert bug["key"] == "ZAHL-11" and bug["project"] == "ZAHL" and bug["type"] == "Fehler"
    assert bug["summary"] == "Zahlung schlägt bei Safari fehl" and bug["assignee"] == "Jürgen Weiß"
    assert bug["created"] == dt.datetime(2026, 3, 3, 9, 15) and bug["resolved"] == dt.datetime(2026, 3, 5, 16, 40)
    assert bug["time_spent_hours"] == 2.0                        # Benötigte Zeit: 7200 seconds
    assert bug["points"] == 3.0                                  # Benutzerdefinierte Felder (Story Points)
    assert bug["labels"] == ["kunde", "interrupt"] and bug["status_category"] == "done"
    assert story["sprints"] == ["ZAHL Sprint 3", "ZAHL Sprint 4"] and story["status_category"] == "in_progress"
    assert story["parent"] == "20001"                            # Übergeordnet (Cloud parent id)
    assert task["created"] == dt.datetime(2026, 3, 2, 12, 0)     # `02/Mär/26 12:00 PM`
    assert task["status_category"] == "todo"                     # Statuskategorie `Zu erledigen`


def test_french_headers_links_and_localized_month():
    con = new_store()
    r = load(con, "jira_fr_localized.csv")
    assert (r.format, r.rows_loaded) == ("jira_csv_fr", 2)
    bug, story = rows(con, "SELECT * FROM work_items ORDER BY key")
    assert bug["summary"] == "Le paiement échoue sur Safari" and bug["assignee"] == "Élodie Martin"
    assert bug["points"] == 2.0 and bug["severity"] == "Sev-2"   # Champs personnalisés (...)
    assert bug["resolved"] == dt.datetime(2026, 3, 5, 16, 40) and bug["parent"] == "PAIE-1"
    assert {"type": "Blocks (inward)", "key": "PAIE-3"} in bug["links"]
    assert {"type": "Blocks (outward)", "key": "PAIE-9"} in bug["links"]
    assert story["created"] == dt.datetime(2026, 2, 20, 11, 2)   # `20/févr./26 11:02 AM`
    assert story["status_category"] == "in_progress"            # Catégorie d'état `En cours`


def test_spanish_semicolon_delimited_export():
    text = open_text("es.csv", path=FIXTURES / "jira_es_semicolon.csv")
    assert text.delimiter == ";"
    con = new_store()
    r = load(con, "jira_es_semicolon.csv")
    assert (r.format, r.rows_loaded, r.rows_rejected) == ("jira_csv_es", 2, 0)
    bug, story = rows(con, "SELECT * FROM work_items ORDER BY key")
    assert bug["summary"] == "El pago falla; Safari"             # a quoted `;` stays in the cell
    assert bug["points"] == 2.0 and story["points"] == 3.0        # decimal comma `2,0`
    assert bug["time_spent_hours"] == 1.5 and bug["assignee"] == "María López"
    assert bug["created"] == dt.datetime(2026, 3, 3, 9, 15) and bug["parent"] == "PAGO-1"


def test_portuguese_mojibake_is_repaired_in_the_whole_file():
    raw = (FIXTURES / "jira_pt_mojibake.csv").read_bytes()
    assert "ResponsÃ¡vel".encode() in raw
    con = new_store()
    r = load(con, "jira_pt_mojibake.csv")
    assert (r.format, r.rows_loaded) == ("jira_csv_pt", 2)
    assert r.encoding == "utf-8, mojibake repaired"
    bug, story = rows(con, "SELECT * FROM work_items ORDER BY key")
    assert bug["assignee"] == "João Conceição" and bug["summary"] == "Cartão recusado no Safari"
    assert bug["time_spent_hours"] == 3.0 and bug["points"] == 2.0   # Tempo gasto, Campo personalizado (...)
    assert bug["resolved"] == dt.datetime(2026, 3, 5, 16, 40)
    assert story["type"] == "História" and story["created"] == dt.datetime(2026, 2, 20, 11, 2)  # `20/fev/26`


def test_mojibake_header_only_is_repaired_when_the_body_does_not_round_trip():
    text = ("Tipo de item,Chave da item,Resumo,Criado,ResponsÃ¡vel\n"
            "Bug,PAG-1,Preço € 10,03/Mar/26 9:15 AM,Inês\n")   # proper UTF-8 body: only the header is mojibake
    con = new_store()
    r = store.import_file(con, "pt.csv", data=text.encode())
    assert r.format == "jira_csv_pt" and r.encoding == "utf-8, header mojibake repaired"
    assert rows(con, "SELECT assignee, summary FROM work_items") == [{"assignee": "Inês", "summary": "Preço € 10"}]


def test_localized_formats_do_not_change_the_english_sql():
    header = ["Summary", "Issue key", "Issue Type", "Created", "Resolved", "Sprint", "Custom field (Story Points)"]
    assert detect_format("x.csv", header) is JIRA_CSV
    sql = canonical_select(JIRA_CSV, header, "RAW", 1)
    assert "CASE lower(regexp_extract" not in sql      # no localized-month normalization on the English path
    assert sql.count("SELECT") == 3                     # still one statement: the inner, the outer, the wrapper


def test_jsm_incident_items_work_as_incidents_without_an_incident_export():
    con = new_store()
    r = load(con, "jira_jsm_incidents.csv")
    assert (r.format, r.rows_loaded) == ("jira_csv", 3)
    inc = rows(con, "SELECT * FROM work_items WHERE key = 'OPS-41'")[0]
    assert inc["severity"] == "Sev-1"                                       # Custom field (Severity)
    assert inc["components"] == ["checkout-api", "payments-gateway", "Web"]  # Affected services first
    assert inc["assignee"] == "Tom Becker"                                   # Custom field (Responders)
    assert rows(con, "SELECT assignee FROM work_items WHERE key = 'OPS-42'")[0]["assignee"] == "Priya Nair"
    table = incidents.incident_table(con, Knobs())
    assert list(table["id"]) == ["OPS-41", "OPS-42"]                         # the service request is no incident
    first = table.iloc[0]
    assert (first["severity"], first["service"], first["responder"], first["origin"]) == \
        ("Sev-1", "checkout-api", "Tom Becker", "work items")
    assert first["hours_to_resolve"] == pytest.approx(1.25)


def test_legacy_sprint_strings_fill_the_sprint_calendar():
    con = new_store()
    r = load(con, "jira_legacy_sprint_strings.csv")
    assert r.rows_loaded == 2
    story = rows(con, "SELECT * FROM work_items WHERE key = 'HOOK-5'")[0]
    assert story["sprints"] == ["HOOK Sprint 14", "HOOK Sprint 15"]
    # closed sprints carry their dates; the future one (dates <null>) names the item's sprint only
    assert con.execute("SELECT name, start_date, end_date FROM sprints ORDER BY name").fetchall() == [
        ("HOOK Sprint 14", dt.date(2022, 9, 27), dt.date(2022, 10, 11)),
        ("HOOK Sprint 15", dt.date(2022, 10, 11), dt.date(2022, 10, 25)),
    ]
    assert rows(con, "SELECT sprints FROM work_items WHERE key = 'HOOK-6'")[0]["sprints"] == ["HOOK Sprint 16"]


def test_board_sprint_json_gives_utc_dates_and_reports_future_sprints():
    con = new_store()
    r = load(con, "jira_board_sprints.json")
    assert (r.format, r.table, r.rows_read, r.rows_loaded, r.rows_rejected) == ("jira_sprints_json", "sprints", 3, 2, 1)
    assert con.execute("SELECT name, start_date, end_date FROM sprints ORDER BY start_date").fetchall() == [
        ("SHOP Sprint 6", dt.date(2026, 2, 16), dt.date(2026, 3, 1)),
        ("SHOP Sprint 7", dt.date(2026, 3, 1), dt.date(2026, 3, 15)),   # 00:30+10:00 is the 1st in UTC
    ]
    (reject,) = r.rejects
    assert (reject.file, reject.row, reject.column) == ("jira_board_sprints.json", 3, "startDate")
    assert reject.reason.startswith("sprint 'SHOP Sprint 8' is a future sprint without dates yet")


def test_board_sprint_json_page_and_wrong_json_are_explained():
    page = b'{"maxResults":1,"startAt":0,"isLast":false,"values":[{"id":1,"state":"closed","name":"S1",' \
           b'"startDate":"2026-01-05T09:00:00.000Z","endDate":"2026-01-18T17:00:00.000Z"}]}'
    r = store.import_file(new_store(), "page.json", data=page)
    assert r.rows_loaded == 1 and r.rows_rejected == 0
    assert r.rejects[0].column == "isLast" and "upload the other pages" in r.rejects[0].reason
    with pytest.raises(ImportRejected, match=r"^issues\.json: this JSON is not a Jira board-sprint response"):
        store.import_file(new_store(), "issues.json", data=b'{"issues": [{"key": "A-1"}]}')
    with pytest.raises(ImportRejected, match=r"^broken\.json: this is not readable JSON"):
        store.import_file(new_store(), "broken.json", data=b'{"values": [')


def test_a_required_column_missing_from_the_header_names_it():
    text = "Summary,Issue key,Issue Type,Status\nLogin slow,OPS-7,Bug,Open\n"
    with pytest.raises(ImportRejected, match=r"^nocreated\.csv, row 1: this looks like Jira .*the column 'Created' "
                                             r"is missing\. Export again with that column included"):
        store.import_file(new_store(), "nocreated.csv", data=text.encode())


def test_stage_file_can_be_told_the_localized_format():
    con = new_store()
    staged = stage_file(con, "de.csv", path=FIXTURES / "jira_de_localized.csv", format="jira_csv_de")
    assert (staged.format, staged.rows_ok) == ("jira_csv_de", 3)
