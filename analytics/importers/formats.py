"""Declarative descriptions of the export formats Firebreak reads.

A format names the canonical table it fills, the headers that identify it,
and for each canonical column the export headers that may carry it (matched
case-insensitively, every copy of a repeated header by position) and how to
read the text. `analytics.importers.sqlgen` turns a format plus a concrete
header row into one DuckDB SELECT, so parsing runs at DuckDB's speed.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

# Kinds of field reading (see sqlgen for their SQL):
#   text       first non-empty value among the matched columns
#   timestamp  text parsed with the format's timestamp patterns; unreadable -> reject
#   date       same, kept as a DATE
#   number     decimal number; unreadable -> reject
#   seconds_as_hours  a number of seconds, stored as hours
#   list       every non-empty value of every matched column, in column order,
#              each cell split on `sep` when one is given
#   bool       true/false, yes/no, 1/0
#   plus_seconds  the timestamp of `base` plus this many seconds (times `scale`: 0.001 for
#              milliseconds); a cell that is itself a date and time is read as one
#   hours / minutes_as_hours  a duration in hours / minutes, stored as hours
#   person     a name, with a trailing `<email>` removed (Azure DevOps identities)
#   nonempty   true when the cell has any text, false when it is empty (a post-mortem document URL)
# Text and person fields given a `sep` keep the first element of the split cell (Shortcut owners);
# a `transform` (see sqlgen._ELEMENT_TRANSFORMS) rewrites text values and list elements alike.
# `patterns` add every header matching a regular expression (over the lower-cased header) after the
# named candidates, in file order (Azure DevOps tree queries: `Title 1`, `Title 2`, ...).
# A target starting with `_` is a hidden field: kept in the staging table for a
# derived output (e.g. Linear cycles -> the sprint calendar), never stored itself.

CANONICAL_COLUMNS: dict[str, tuple[str, ...]] = {
    "work_items": ("key", "project", "type", "summary", "status", "status_category", "created",
                   "resolved", "points", "time_spent_hours", "labels", "components", "priority",
                   "severity", "assignee", "parent", "sprints", "links"),
    "incidents": ("id", "title", "created", "acknowledged", "resolved", "severity", "service",
                  "category", "responder", "postmortem", "related_keys", "labels", "components"),
    "oncall_shifts": ("person", "start", "end"),
    "sprints": ("name", "start_date", "end_date", "capacity_points", "reserve_points"),
}

# Canonical column -> DuckDB type, shared by the schema and the importers.
COLUMN_TYPES: dict[str, str] = {
    "key": "VARCHAR", "project": "VARCHAR", "type": "VARCHAR", "summary": "VARCHAR",
    "status": "VARCHAR", "status_category": "VARCHAR", "created": "TIMESTAMP",
    "resolved": "TIMESTAMP", "points": "DOUBLE", "time_spent_hours": "DOUBLE",
    "labels": "VARCHAR[]", "components": "VARCHAR[]", "priority": "VARCHAR",
    "severity": "VARCHAR", "assignee": "VARCHAR", "parent": "VARCHAR", "sprints": "VARCHAR[]",
    "links": "STRUCT(type VARCHAR, key VARCHAR)[]",
    "id": "VARCHAR", "title": "VARCHAR", "acknowledged": "TIMESTAMP", "service": "VARCHAR",
    "category": "VARCHAR", "responder": "VARCHAR", "postmortem": "BOOLEAN",
    "related_keys": "VARCHAR[]",
    "person": "VARCHAR", "start": "TIMESTAMP", "end": "TIMESTAMP",
    "name": "VARCHAR", "start_date": "DATE", "end_date": "DATE", "capacity_points": "DOUBLE",
    "reserve_points": "DOUBLE",
}

ISO_TIMESTAMP = "iso"  # ISO 8601, with or without offset; an offset converts to UTC
JS_TIMESTAMP = "js"    # JavaScript Date.toString(): Wed May 13 2026 11:21:41 GMT+0000 (GMT+00:00)

JIRA_TIMESTAMPS = (
    "%d/%b/%y %-I:%M %p",  # Cloud default: 28/Sep/20 9:31 AM
    "%d/%b/%y %H:%M",      # Server/DC default: 25/Jun/20 12:44
    "%d/%b/%Y %-I:%M %p",
    "%d/%b/%Y %H:%M",
    "%d/%m/%Y %H:%M",      # admin-configured UK style
    ISO_TIMESTAMP,
)


@dataclass(frozen=True)
class Field:
    target: str
    headers: tuple[str, ...]
    kind: str = "text"
    sep: str | None = None
    base: str | None = None          # plus_seconds: the timestamp it adds to
    required: bool = False           # a row without it is rejected
    transform: str | None = None     # list elements: jira_sprint, path_leaf, person (see sqlgen)
    value_map: tuple[tuple[str, str], ...] = ()  # text: exported value -> canonical value
    patterns: tuple[str, ...] = ()   # regular expressions over lower-cased headers, after `headers`
    coalesce: bool = False           # timestamps: first non-empty of every present candidate (not the first column)
    scale: float = 1.0               # plus_seconds: seconds per unit of the value (0.001 = milliseconds)
    offset: str | None = None        # timestamps: hidden field holding the row's UTC offset (`+01:00`)
    empty_reason: str | None = None  # required: the reject reason when the value is empty


@dataclass(frozen=True)
class Format:
    name: str
    label: str
    table: str
    # Groups of alternative headers; every group must be present to detect the format.
    signature: tuple[tuple[str, ...], ...]
    fields: tuple[Field, ...]
    timestamp_formats: tuple[str, ...] = (ISO_TIMESTAMP,)
    # Headers whose presence rules the format out (a sprints file is not a Jira export).
    excludes: tuple[str, ...] = ()
    # Canonical column filled from another one when the export has no column for it at all.
    fallbacks: tuple[tuple[str, str], ...] = ()
    extras: tuple[str, ...] = field(default=())  # format-specific readers in sqlgen
    # Single columns holding several linked keys: (header, link type, separator).
    link_columns: tuple[tuple[str, str, str], ...] = ()
    formula_guard: bool = False      # strip the ' that guards formula-like text (Linear)
    skip_when: str | None = None     # SQL over the text-level fields: rows the tool itself ignores
    timestamp_example: str = "2026-03-04 09:30"
    derived: tuple[str, ...] = ()    # further outputs built from the staged rows (see importers.derived)
    # Final SQL over the staged columns replacing a canonical column (e.g. a sprint named by number).
    # A `status_category` set here wins over the one derived from status and resolution (when not NULL).
    post: tuple[tuple[str, str], ...] = ()
    # Localized month abbreviations -> English, tried on values the timestamp patterns cannot read.
    month_names: tuple[tuple[str, str], ...] = ()
    # Told to the user when a required column is missing from the header altogether.
    missing_hint: str | None = None
    # What this reader assumes about the export (shown with the format; the docstring of the format).
    notes: str = ""


JIRA_CSV = Format(
    name="jira_csv",
    label="Jira (CSV export, all or current fields)",
    table="work_items",
    signature=(("Issue key",), ("Summary",), ("Issue Type",)),
    timestamp_formats=JIRA_TIMESTAMPS,
    timestamp_example="28/Sep/20 9:31 AM",
    fields=(
        Field("key", ("Issue key",), required=True),
        Field("project", ("Project key", "Project name")),
        Field("type", ("Issue Type",)),
        Field("summary", ("Summary",)),
        Field("status", ("Status",)),
        Field("status_category", ("Status Category",)),
        Field("created", ("Created",), "timestamp", required=True),
        Field("resolved", ("Resolved",), "timestamp"),
        Field("points", ("Custom field (Story Points)", "Custom field (Story point estimate)",
                         "Story Points", "Story point estimate"), "number"),
        Field("time_spent_hours", ("Time Spent",), "seconds_as_hours"),
        Field("labels", ("Labels",), "list"),
        # JSM: the services an incident affected come first, so an Incident item's first component
        # (its service in the incident fallback) is the affected service.
        Field("components", ("Custom field (Affected services)", "Component/s", "Components"), "list"),
        Field("priority", ("Priority",)),
        Field("severity", ("Custom field (Severity)", "Severity")),
        Field("assignee", ("Assignee", "Custom field (Responders)")),  # JSM responders when unassigned
        Field("parent", ("Parent key", "Custom field (Epic Link)", "Custom field (Parent Link)", "Parent")),
        Field("sprints", ("Sprint", "Custom field (Sprint)"), "list", transform="jira_sprint"),
        Field("_sprint_strings", ("Sprint", "Custom field (Sprint)"), "list"),
    ),
    fallbacks=(("severity", "priority"),),
    extras=("jira_links",),
    derived=("jira_sprint_strings",),
)

PAGERDUTY_CSV = Format(
    name="pagerduty_csv",
    label="PagerDuty incidents (CSV, analytics field names)",
    table="incidents",
    signature=(("created_at", "created_on"), ("incident_number", "id"),
               ("service_name", "escalation_policy_name", "urgency", "priority_name")),
    fields=(
        Field("id", ("id", "incident_number"), required=True),
        Field("title", ("description", "title", "summary")),
        Field("created", ("created_at", "created_on"), "timestamp", required=True),
        Field("acknowledged", ("seconds_to_first_ack",), "plus_seconds", base="created"),
        Field("resolved", ("resolved_at", "resolved_on"), "timestamp"),
        Field("severity", ("priority_name", "priority")),
        Field("service", ("service_name", "service")),
        Field("responder", ("resolved_by_user_name", "assigned_to", "assignee")),
    ),
)

SPRINTS_CSV = Format(
    name="sprints_csv",
    label="Sprint calendar (CSV: sprint, start, end, capacity, reserve)",
    table="sprints",
    signature=(("Sprint", "Name", "Sprint name", "sprint_name"),
               ("Start", "Start date", "startDate", "start_date", "Starts"),
               ("End", "End date", "endDate", "end_date", "Finish", "Finish date", "Ends")),
    excludes=("Issue key", "Summary"),
    fields=(
        Field("name", ("Sprint", "Name", "Sprint name", "sprint_name"), required=True),
        Field("start_date", ("Start", "Start date", "startDate", "start_date", "Starts"), "date", required=True),
        Field("end_date", ("End", "End date", "endDate", "end_date", "Finish", "Finish date", "Ends"), "date",
              required=True),
        Field("capacity_points", ("Capacity", "capacity_points", "Capacity points", "Capacity (points)"), "number"),
        Field("reserve_points", ("Reserve", "reserve_points", "Reserve points", "Reserve (points)"), "number"),
    ),
    timestamp_formats=(ISO_TIMESTAMP, "%d/%m/%Y", "%d/%b/%y", "%d/%b/%y %-I:%M %p", "%d/%b/%y %H:%M"),
)

ONCALL_CSV = Format(
    name="oncall_csv",
    label="On-call shifts (CSV: person, start, end)",
    table="oncall_shifts",
    signature=(("person", "name", "user", "user_name", "engineer", "on call"),
               ("start", "starts", "start_time", "shift_start", "from"),
               ("end", "ends", "end_time", "shift_end", "to")),
    excludes=("Issue key", "Sprint"),
    fields=(
        Field("person", ("person", "name", "user", "user_name", "engineer", "on call"), required=True),
        Field("start", ("start", "starts", "start_time", "shift_start", "from"), "timestamp", required=True),
        Field("end", ("end", "ends", "end_time", "shift_end", "to"), "timestamp", required=True),
    ),
    timestamp_formats=(ISO_TIMESTAMP, "%d/%m/%Y %H:%M", "%d/%b/%y %-I:%M %p", "%d/%b/%y %H:%M"),
)


# --- Jira with localized headers ------------------------------------------------------------
# Jira writes the header row in the exporting user's language. The translations below are the
# ones seen in real exports consumed by public code (EXPORT_FORMATS.md §1 [l10n]); the English
# headers stay candidates too, because some columns (Sprint, Status, `Parent summary`) stay
# English in localized exports. Each language is its own format so that the English format keeps
# its short candidate lists and its English-only date patterns (nothing here touches its SQL).

# Month abbreviations Java writes for de/fr/es/pt (with and without the trailing dot), lower-cased.
# Jira's use of them in CSV dates is UNCONFIRMED (every real export seen has English months); they
# are accepted so that a localized date reads instead of being rejected.
LOCALIZED_MONTHS: tuple[tuple[str, str], ...] = tuple(
    (local, english)
    for english, names in (
        ("Jan", ("jan", "janv", "ene", "jän")),
        ("Feb", ("feb", "févr", "fevr", "fév", "fev")),
        ("Mar", ("mär", "märz", "mrz", "mars", "mar")),
        ("Apr", ("apr", "avr", "abr")),
        ("May", ("mai", "may")),
        ("Jun", ("jun", "juni", "juin")),
        ("Jul", ("jul", "juli", "juil")),
        ("Aug", ("aug", "août", "aout", "ago")),
        ("Sep", ("sep", "sept", "set")),
        ("Oct", ("okt", "oct", "out")),
        ("Nov", ("nov",)),
        ("Dec", ("dez", "déc", "dec", "dic")),
    )
    for local in names
)

# Day-first numeric dates (seen in consumers of Portuguese and German exports); two-digit years
# first, because `%Y` would read `25` as the year 25.
LOCALIZED_JIRA_TIMESTAMPS = JIRA_TIMESTAMPS + (
    "%d/%m/%y %H:%M", "%d.%m.%y %H:%M", "%d.%m.%Y %H:%M", "%d/%m/%y", "%d.%m.%Y",
)

# English header -> localized headers, per language. Custom fields are handled by prefix.
_JIRA_L10N: dict[str, dict[str, tuple[str, ...]]] = {
    "de": {
        "Issue key": ("Vorgangsschlüssel",), "Issue id": ("Vorgangs-ID",), "Summary": ("Zusammenfassung",),
        "Issue Type": ("Vorgangstyp",), "Status Category": ("Statuskategorie",),
        "Project key": ("Projektschlüssel",), "Project name": ("Projektname",), "Priority": ("Priorität",),
        "Assignee": ("Zugewiesene Person", "Bearbeiter"), "Created": ("Erstellt",), "Resolved": ("Erledigt",),
        "Time Spent": ("Benötigte Zeit",), "Labels": ("Stichwörter",), "Component/s": ("Komponenten",),
        "Parent": ("Übergeordnet",), "Parent key": ("Übergeordneter Schlüssel",),
    },
    "fr": {
        "Issue key": ("Clé de ticket",), "Issue id": ("ID de ticket",), "Summary": ("Résumé",),
        "Issue Type": ("Type de ticket",), "Status": ("État", "Etat", "Statut"),
        "Status Category": ("Catégorie d'état", "Catégorie d’état"), "Project key": ("Clé de projet",),
        "Project name": ("Nom du projet",), "Priority": ("Priorité",),
        "Assignee": ("Personne assignée", "Responsable"), "Created": ("Création",),
        "Resolved": ("Résolue", "Résolu", "Date de résolution"), "Time Spent": ("Temps consacré",),
        "Labels": ("Étiquettes",), "Component/s": ("Composants",), "Parent key": ("Clé parent",),
    },
    "es": {
        "Issue key": ("Clave de incidencia",), "Issue id": ("ID de la incidencia",), "Summary": ("Resumen",),
        "Issue Type": ("Tipo de Incidencia",), "Status": ("Estado",), "Status Category": ("Categoría de estado",),
        "Project key": ("Clave de proyecto",), "Project name": ("Nombre del proyecto",),
        "Priority": ("Prioridad",), "Assignee": ("Persona asignada",), "Created": ("Creada",),
        "Resolved": ("Resuelta",), "Time Spent": ("Tiempo Trabajado", "Tiempo empleado"),
        "Labels": ("Etiquetas",), "Component/s": ("Componentes",), "Parent key": ("Clave principal",),
        "Parent": ("Principal",),
    },
    "pt": {
        "Issue key": ("Chave da item", "Chave do item"), "Issue id": ("ID da item", "ID do item"),
        "Summary": ("Resumo",), "Issue Type": ("Tipo de item",), "Status Category": ("Categoria do status",),
        "Project key": ("Chave do projeto",), "Project name": ("Nome do projeto",), "Priority": ("Prioridade",),
        "Assignee": ("Responsável",), "Created": ("Criado",), "Resolved": ("Resolvido",),
        "Time Spent": ("Tempo gasto", "Tempo Gasto"), "Labels": ("Rótulos", "Etiquetas"),
        "Component/s": ("Componentes",), "Parent key": ("Chave pai",),
    },
}
# `Custom field (X)` in each language (de: seen as `Benutzerdefinierte Felder (…)`; fr: `Champs
# personnalisés (…)`; es/pt: `Campo personalizado (…)`); the singular forms are accepted too.
_JIRA_CUSTOM_FIELD_PREFIXES: dict[str, tuple[str, ...]] = {
    "de": ("Benutzerdefinierte Felder", "Benutzerdefiniertes Feld"),
    "fr": ("Champs personnalisés", "Champ personnalisé"),
    "es": ("Campo personalizado", "Campos personalizados"),
    "pt": ("Campo personalizado", "Campos personalizados"),
}
# Localized status category names (Jira's To Do / In Progress / Done) -> the English ones the
# status-category reader knows. UNCONFIRMED in exports; the resolution date decides "done" anyway.
_JIRA_STATUS_CATEGORIES: dict[str, tuple[tuple[str, str], ...]] = {
    "de": (("Zu erledigen", "To Do"), ("In Arbeit", "In Progress"), ("Fertig", "Done")),
    "fr": (("À faire", "To Do"), ("A faire", "To Do"), ("En cours", "In Progress"), ("Terminé", "Done"),
           ("Terminé(e)", "Done")),
    "es": (("Por hacer", "To Do"), ("Tareas por hacer", "To Do"), ("En curso", "In Progress"),
           ("En progreso", "In Progress"), ("Listo", "Done"), ("Finalizada", "Done"), ("Hecho", "Done")),
    "pt": (("Itens pendentes", "To Do"), ("A fazer", "To Do"), ("Em andamento", "In Progress"),
           ("Itens concluídos", "Done"), ("Concluído", "Done")),
}
_LANGUAGE_NAMES = {"de": "German", "fr": "French", "es": "Spanish", "pt": "Portuguese"}

# The localized headers of link columns, as `(inward, outward)` prefixes before ` (<link type>)`.
JIRA_LINK_PREFIXES: tuple[tuple[str, str], ...] = (
    ("inward issue link", "outward issue link"),
    ("lien du ticket entrant", "lien de ticket sortant"),
)
# Every known way of writing `Custom field` (lower-case), for readers matching custom fields by prefix.
JIRA_CUSTOM_FIELD_PREFIXES: tuple[str, ...] = ("custom field",) + tuple(
    dict.fromkeys(p.lower() for prefixes in _JIRA_CUSTOM_FIELD_PREFIXES.values() for p in prefixes))


def _localized_jira(lang: str) -> Format:
    words, prefixes = _JIRA_L10N[lang], _JIRA_CUSTOM_FIELD_PREFIXES[lang]

    def localized(headers: tuple[str, ...]) -> tuple[str, ...]:
        out: list[str] = []
        for h in headers:
            out.extend(words.get(h, ()))
            if h.startswith("Custom field ("):
                out.extend(f"{p} {h[len('Custom field '):]}" for p in prefixes)
            out.append(h)
        return tuple(dict.fromkeys(out))

    fields = []
    for f in JIRA_CSV.fields:
        extra = _JIRA_STATUS_CATEGORIES[lang] if f.target == "status_category" else ()
        fields.append(replace(f, headers=localized(f.headers), value_map=f.value_map + extra))
    return replace(
        JIRA_CSV,
        name=f"jira_csv_{lang}",
        label=f"Jira (CSV export, {_LANGUAGE_NAMES[lang]} headers)",
        signature=tuple(words[h] for h in ("Issue key", "Summary", "Issue Type")),
        fields=tuple(fields),
        timestamp_formats=LOCALIZED_JIRA_TIMESTAMPS,
        month_names=LOCALIZED_MONTHS,
        notes=("Header translations as seen in real localized exports; English headers are read too. "
               "Dates: English month names as in every export seen; localized month abbreviations and "
               "day-first numeric dates are accepted as well (UNCONFIRMED in Jira's CSV output). A mojibake "
               "header (UTF-8 read as Latin-1) is repaired before detection."),
    )


JIRA_CSV_DE, JIRA_CSV_FR, JIRA_CSV_ES, JIRA_CSV_PT = (_localized_jira(lang) for lang in ("de", "fr", "es", "pt"))

# Labels that name an item's type in tools without a type column (Linear, GitHub): the first label
# that is one of these becomes the type, so that `Bug` counts as unplanned like a Jira bug.
TYPE_LABELS = ("bug", "defect", "incident", "hotfix", "support", "problem", "feature", "improvement",
               "enhancement", "story", "task", "chore", "epic")
_TYPE_FROM_LABELS = ("coalesce(type, list_filter(labels, lambda l: lower(l) IN ("
                     + ", ".join(f"'{t}'" for t in TYPE_LABELS) + "))[1])")


# --- Azure DevOps ---------------------------------------------------------------------------

AZURE_DEVOPS_CSV = Format(
    name="azure_devops_csv",
    label="Azure DevOps Boards (query results, Export to CSV)",
    table="work_items",
    signature=(("ID",), ("Work Item Type",), ("Title", "Title 1")),
    timestamp_formats=("%m/%d/%Y %I:%M:%S %p", "%m/%d/%Y %I:%M %p", "%m/%d/%Y %H:%M:%S", "%m/%d/%Y %H:%M",
                       ISO_TIMESTAMP),
    timestamp_example="3/4/2026 6:55:03 PM",
    fields=(
        Field("key", ("ID",), required=True),
        # `Project\Team` -> the project (the root of the path); `Team Project` when the query shows it.
        Field("project", ("Team Project", "Area Path"), transform="path_root"),
        Field("type", ("Work Item Type",)),
        # Tree queries put the title of each level in its own column: the first filled one.
        Field("summary", ("Title",), patterns=(r"title \d+",)),
        Field("status", ("State",)),
        Field("created", ("Created Date",), "timestamp", required=True),
        Field("resolved", ("Closed Date", "Resolved Date"), "timestamp", coalesce=True),
        Field("points", ("Story Points", "Effort", "Size"), "number"),   # Agile / Scrum / CMMI
        Field("time_spent_hours", ("Completed Work",), "hours"),
        Field("labels", ("Tags",), "list", sep=";"),
        Field("priority", ("Priority",)),
        Field("severity", ("Severity",)),
        Field("assignee", ("Assigned To",), "person"),
        Field("parent", ("Parent",)),
        # `Project\Sprint 1` -> `Sprint 1`; the root alone (no iteration) is no sprint.
        Field("sprints", ("Iteration Path",), "list", transform="path_leaf"),
    ),
    # A Removed item is closed but was never completed: it must not count as done in a sprint
    # even when it carries a Resolved/Closed date from an earlier state.
    post=(("resolved", "CASE WHEN lower(status) = 'removed' THEN NULL ELSE resolved END"),),
    notes=("Key = the ID; project = the root of Area Path; sprint = the leaf of Iteration Path (only the "
           "current iteration is exported, so carry-over history is not available). Dates are read as US "
           "M/D/YYYY (locale dependence UNCONFIRMED); Completed Work is hours; Tags split on ';'. Removed "
           "items are closed without a resolution date."),
)


# --- Linear ---------------------------------------------------------------------------------

LINEAR_CSV = Format(
    name="linear_csv",
    label="Linear (Export CSV)",
    table="work_items",
    signature=(("ID",), ("Team",), ("Title",), ("Created",),
               ("Cycle Number", "Cycle Name", "Canceled", "Triaged")),
    timestamp_formats=(ISO_TIMESTAMP, JS_TIMESTAMP),
    timestamp_example="2024-05-14T08:53:33Z",
    fields=(
        Field("key", ("ID",), required=True),           # `ID` or `Id`: headers match case-insensitively
        Field("project", ("Team",)),
        Field("summary", ("Title",)),
        Field("status", ("Status",)),
        Field("created", ("Created",), "timestamp", required=True),
        Field("resolved", ("Completed",), "timestamp"),
        Field("points", ("Estimate",), "number"),
        Field("labels", ("Labels",), "list", sep=", "),
        Field("priority", ("Priority",)),
        Field("assignee", ("Assignee",), "person"),
        Field("parent", ("Parent issue",)),
        Field("_cycle_name", ("Cycle Name",)),
        Field("_cycle_number", ("Cycle Number",)),
        Field("_cycle_start", ("Cycle Start",), "timestamp"),
        Field("_cycle_end", ("Cycle End",), "timestamp"),
        Field("_canceled", ("Canceled",), "timestamp"),
        Field("_archived", ("Archived",)),
    ),
    formula_guard=True,
    skip_when='"_archived" IS NOT NULL',                  # Linear's own importer skips archived issues
    link_columns=(("Related to", "relates to", ","), ("Blocked by", "is blocked by", ","),
                  ("Blocks", "blocks", ","), ("Duplicate of", "duplicate of", ",")),
    post=(
        # The cycle is the item's sprint: its name, or `Cycle <number>` when the cycle has no name
        # (how Linear itself shows an unnamed cycle; a bare number would read as a quantity).
        ("sprints", "CASE WHEN _cycle_name IS NOT NULL THEN [_cycle_name] "
                    "WHEN _cycle_number IS NOT NULL THEN ['Cycle ' || _cycle_number] ELSE CAST([] AS VARCHAR[]) END"),
        ("type", _TYPE_FROM_LABELS),
        # Choice: a canceled issue is closed (status category done) but is not completed work, so it
        # keeps no resolution date and never counts as done in a cycle.
        ("resolved", "CASE WHEN _canceled IS NOT NULL THEN NULL ELSE resolved END"),
        ("status_category", "CASE WHEN _canceled IS NOT NULL THEN 'done' END"),
    ),
    derived=("linear_cycles",),
    notes=("Archived issues are skipped (as Linear's own importer does). The cycle is the sprint, and the "
           "cycles' dates become the sprint calendar. A canceled issue is closed but not completed: it keeps "
           "no resolution date. The type is the first label naming one (Bug, Feature, ...)."),
)


# --- GitHub Projects ------------------------------------------------------------------------

# GitHub Projects "Export view data" (tab-separated): the columns are the view's visible fields.
# Without a `Created` column the file is refused (the hint says which fields to add); separators inside
# Assignees/Labels cells are UNCONFIRMED (`, ` assumed).
GITHUB_PROJECTS_TSV = Format(
    name="github_projects_tsv",
    label="GitHub Projects (Export view data, TSV)",
    table="work_items",
    signature=(("Title",), ("URL",), ("Assignees",), ("Status",)),
    timestamp_formats=(ISO_TIMESTAMP, "%b %d, %Y", "%B %d, %Y", "%m/%d/%Y", "%Y-%m-%d"),
    timestamp_example="2026-03-04",
    fields=(
        # https://github.com/owner/repo/issues/123 -> owner/repo#123; the project is owner/repo.
        Field("key", ("URL",), required=True, transform="github_key",
              empty_reason="no issue or pull request URL: draft items have none (convert the draft to an "
                           "issue to import it)"),
        Field("project", ("URL",), transform="github_repo"),
        Field("summary", ("Title",)),
        Field("status", ("Status",)),
        Field("type", ("Type", "Issue Type", "Issue type")),
        # Created/closed are not in the default view: they must be added as date fields (see the hint).
        Field("created", ("Created", "Created at", "Created date", "Opened", "Opened at"), "timestamp",
              required=True, coalesce=True),
        Field("resolved", ("Closed", "Closed at", "Closed date", "Completed", "Completed at", "Done date"),
              "timestamp", coalesce=True),
        Field("points", ("Estimate", "Story Points", "Points"), "number"),
        Field("labels", ("Labels",), "list", sep=","),
        Field("priority", ("Priority",)),
        Field("assignee", ("Assignees",), "person", sep=","),
        Field("parent", ("Parent issue", "Parent")),
        Field("sprints", ("Iteration", "Sprint"), "list"),
    ),
    post=(("type", _TYPE_FROM_LABELS),),
    notes=("The default view has no created or closed date. Choice: a file without a 'Created' column is "
           "refused with a message naming the column, rather than inventing dates; a row whose Created cell "
           "is empty is rejected. Items without a type column take their type from a label such as 'bug'. "
           "In-cell separators of Assignees/Labels are UNCONFIRMED (', ' assumed); iteration dates are not in "
           "the export (give a sprints file or let the calendar be inferred)."),
    missing_hint=("GitHub Projects' default view has no created date, and Firebreak does not invent dates: "
                  "add date fields named 'Created' and 'Closed' to the project, show them in this view, and "
                  "use 'Export view data' again."),
)


# --- Shortcut -------------------------------------------------------------------------------

SHORTCUT_CSV = Format(
    name="shortcut_csv",
    label="Shortcut stories (CSV export)",
    table="work_items",
    signature=(("id",), ("name",), ("type",), ("created_at",), ("owners", "requester"),
               ("iteration", "is_completed", "epic")),
    # Dates carry no offset (UNCONFIRMED layout; JS-parsable): the row's offset is in `utc_offset`.
    timestamp_formats=("%Y/%m/%d %H:%M:%S", "%Y/%m/%d %H:%M", "%m/%d/%Y %H:%M:%S", "%m/%d/%Y %H:%M",
                       ISO_TIMESTAMP),
    timestamp_example="2026/03/04 09:30:00",
    fields=(
        Field("key", ("id",), required=True),
        Field("project", ("project", "team")),
        Field("type", ("type",)),                       # feature / bug / chore
        Field("summary", ("name",)),
        Field("status", ("state",)),
        Field("created", ("created_at",), "timestamp", required=True, offset="_utc_offset"),
        Field("resolved", ("completed_at",), "timestamp", offset="_utc_offset"),
        Field("points", ("estimate",), "number"),
        Field("labels", ("labels",), "list", sep=";"),
        Field("priority", ("priority",)),
        Field("severity", ("severity",)),
        Field("assignee", ("owners",), sep=";"),        # the first owner
        Field("parent", ("epic",)),
        Field("sprints", ("iteration",), "list"),
        Field("_utc_offset", ("utc_offset",)),
        Field("_is_completed", ("is_completed",), "bool"),   # TRUE / FALSE
    ),
    # A story in a done-type workflow state is done whatever the state is called.
    post=(("status_category", "CASE WHEN _is_completed THEN 'done' END"),),
    notes=("Dates have no offset; the row's utc_offset (+01:00) converts them to UTC. The date layout is "
           "UNCONFIRMED (year-first and US month-first layouts are read). Owners and labels are ';'-separated; "
           "the first owner is the assignee. Archived stories are kept (they may be finished work)."),
)


# --- Incident tools -------------------------------------------------------------------------

# Opsgenie has no documented CSV export: the columns are taken to be the alert API's field names.
OPSGENIE_CSV = Format(
    name="opsgenie_csv",
    label="Opsgenie alerts (CSV with the API field names)",
    table="incidents",
    signature=(("tinyId",), ("message",), ("createdAt",)),
    timestamp_formats=(ISO_TIMESTAMP, "%Y/%m/%d %H:%M:%S", "%Y-%m-%d %H:%M:%S"),
    timestamp_example="2026-03-04T09:30:00Z",
    fields=(
        Field("id", ("tinyId", "alias"), required=True),
        Field("title", ("message",)),
        Field("created", ("createdAt",), "timestamp", required=True),
        # report.ackTime / report.closeTime: assumed MILLISECONDS after createdAt (UNCONFIRMED units;
        # public API clients divide them by 1000 to get seconds). A date-time value is read as one.
        Field("acknowledged", ("report.ackTime", "ackTime"), "plus_seconds", base="created", scale=0.001),
        Field("resolved", ("report.closeTime", "closeTime"), "plus_seconds", base="created", scale=0.001),
        Field("severity", ("priority",)),               # P1..P5
        Field("service", ("service", "entity")),
        Field("responder", ("owner", "report.closedBy", "report.acknowledgedBy", "responders")),
        Field("labels", ("tags",), "list", sep=","),
    ),
    notes=("No documented CSV export: the columns are the alert API's field names. report.ackTime and "
           "report.closeTime are taken as MILLISECONDS after createdAt (UNCONFIRMED unit; API clients divide "
           "them by 1000); a date-time in those cells is read as the time itself. Tags split on ','."),
)

# incident.io: CSV column names are UNCONFIRMED; the API field names and their title-case forms are read.
INCIDENT_IO_CSV = Format(
    name="incident_io_csv",
    label="incident.io incidents (CSV)",
    table="incidents",
    signature=(("reference", "incident_type", "Incident type"), ("name",),
               ("created_at", "Created at", "reported_at", "Reported at"), ("severity",)),
    timestamp_formats=(ISO_TIMESTAMP, "%Y-%m-%d %H:%M:%S", "%d/%m/%Y %H:%M"),
    timestamp_example="2026-03-04T09:30:00Z",
    fields=(
        Field("id", ("reference", "id"), required=True),   # INC-123, else the API id
        Field("title", ("name",)),
        Field("created", ("created_at", "Created at", "reported_at", "Reported at"), "timestamp",
              required=True, coalesce=True),
        Field("acknowledged", ("acknowledged_at", "Acknowledged at", "accepted_at", "Accepted at"), "timestamp",
              coalesce=True),
        Field("resolved", ("resolved_at", "Resolved at", "closed_at", "Closed at"), "timestamp", coalesce=True),
        Field("severity", ("severity",)),
        Field("category", ("category", "Custom field: Category", "Category (custom field)")),
        Field("service", ("affected_services", "Affected services", "Affected service", "service", "services"),
              sep=","),
        Field("responder", ("incident_lead", "Incident Lead", "Incident lead", "lead")),
        # A post-mortem exists when its document link is filled; no such column: unknown (NULL).
        Field("postmortem", ("postmortem_document_url", "Postmortem document URL", "Post-mortem document URL",
                             "postmortem_url", "Postmortem"), "nonempty"),
        Field("labels", ("incident_type", "Incident type"), "list"),
        Field("_status", ("status",)),
        Field("_status_category", ("status_category", "Status category")),
    ),
    # Declined, merged and canceled incidents were never incidents (incident.io's status categories).
    skip_when=("lower(coalesce(\"_status_category\", \"_status\", '')) IN "
               "('declined', 'merged', 'canceled', 'cancelled')"),
    notes=("CSV column names are UNCONFIRMED: the API field names and their title-case forms are read. "
           "Resolved comes from a 'Resolved at'/'closed_at' column; the post-mortem flag is true when a "
           "post-mortem document link is filled; declined, merged and canceled incidents are skipped."),
)

SERVICENOW_CSV = Format(
    name="servicenow_csv",
    label="ServiceNow incident list (CSV export)",
    table="incidents",
    signature=(("number",), ("short_description",), ("opened_at", "sys_created_on")),
    timestamp_formats=("%m/%d/%y %H:%M", "%m/%d/%y %H:%M:%S", "%m/%d/%Y %H:%M:%S", "%m/%d/%Y %H:%M",
                       "%Y-%m-%d %H:%M:%S", ISO_TIMESTAMP),
    timestamp_example="12/2/24 8:16",
    fields=(
        Field("id", ("number",), required=True),
        Field("title", ("short_description",)),
        Field("created", ("opened_at", "sys_created_on"), "timestamp", required=True, coalesce=True),
        Field("resolved", ("resolved_at", "closed_at"), "timestamp", coalesce=True),
        Field("severity", ("severity",)),               # `3 - Low`; priority only without a severity column
        Field("category", ("category",)),
        Field("service", ("business_service", "cmdb_ci", "service_offering")),
        Field("responder", ("assigned_to", "resolved_by")),
        # Keys of linked records (a Jira key in correlation_id, problem, change, parent incident).
        Field("related_keys", ("correlation_id", "problem_id", "rfc", "parent_incident", "caused_by"), "list"),
        Field("_priority", ("priority",)),
    ),
    fallbacks=(("severity", "_priority"),),
    notes=("Internal field names as headers; dates M/D/YY H:MM as exported; severity from `severity` "
           "(from `priority` only when the list has no severity column); service from business_service, "
           "else cmdb_ci; linked keys from correlation_id, problem_id, rfc, parent_incident."),
)

CSV_FORMATS: tuple[Format, ...] = (
    JIRA_CSV, JIRA_CSV_DE, JIRA_CSV_FR, JIRA_CSV_ES, JIRA_CSV_PT, AZURE_DEVOPS_CSV, LINEAR_CSV,
    GITHUB_PROJECTS_TSV, SHORTCUT_CSV, PAGERDUTY_CSV, OPSGENIE_CSV, INCIDENT_IO_CSV, SERVICENOW_CSV,
    SPRINTS_CSV, ONCALL_CSV,
)
FORMATS_BY_NAME: dict[str, Format] = {f.name: f for f in CSV_FORMATS}
