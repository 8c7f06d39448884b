"""Generate the embedded sample: one Scrum team's last twelve months as real exports.

The story. Team "Checkout" (Jira project SHOP) runs two-week sprints from
2025-11-24. For eight sprints life is calm: 10-30% of what they finish is
unplanned. Then the payments provider starts timing out its webhooks, the DB
connection pool keeps running dry and an alert that should have paged nobody
never fires: sprints 9-13 are firefighting (more than half the points are
unplanned) and the 6-point reserve is blown every sprint. They raise the
reserve to 8, then 10, write post-incident reviews for most serious incidents
and recover partly - but the monitoring and configuration follow-ups stay in
the backlog, the same kinds of incident come back, and in the last three
sprints the unplanned share climbs again (at risk). Tom Becker quietly carries
far more on-call than anyone else. Sprint 27 is in progress: the data ends on
Wednesday 2026-11-25.

Files (data/sample/): jira_shop_export.csv (Jira Cloud "CSV (all fields)"),
pagerduty_incidents.csv (PagerDuty analytics raw incidents), oncall_schedule.ics
(PagerDuty WebCal feed), sprints.csv, README.md.

Run `python data/generate_sample.py` to (re)write them - the output is
byte-identical on every run - and add `--check` to print the per-sprint story.
"""
from __future__ import annotations

import argparse
import csv
import hashlib
import random
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, timezone
from pathlib import Path

OUT_DIR = Path(__file__).resolve().parent / "sample"
SEED = 42
SPRINT1_START = date(2025, 11, 24)   # a Monday; sprints are 14 days, end on Sunday
N_SPRINTS = 27
AS_OF = datetime(2026, 11, 25, 16, 30)  # nothing in the data is later than this
PROJECT = ("SHOP", "Shop Checkout")
ISSUE_ID_START = 10001
FIRST_PD_NUMBER = 2041

# Per sprint: (capacity, unplanned points done, planned points done).
SPRINT_PLAN = [
    (40, 5, 34), (40, 6, 31), (36, 4, 28), (42, 9, 31), (40, 6, 33), (44, 5, 37),
    (40, 7, 30), (42, 11, 29),                                          # calm
    (40, 21, 18), (38, 24, 15), (40, 27, 12), (40, 23, 16), (42, 21, 19),
    (40, 17, 21),                                                       # firefight
    (40, 14, 21), (38, 12, 22), (40, 11, 23), (40, 8, 22), (42, 8, 21),
    (40, 8, 23), (40, 10, 25), (42, 9, 26), (40, 10, 26), (40, 10, 24),
    (40, 13, 21), (40, 16, 17),                                         # partial recovery
    (40, 3, 0),                                                         # in progress
]
SPRINT27_COMMITTED = 34
INCIDENTS_PER_SPRINT = [2, 1, 1, 2, 1, 2, 2, 3, 5, 6, 6, 5, 4, 3,
                        3, 2, 2, 2, 1, 2, 2, 2, 1, 2, 3, 3, 1]
OTHER_INCIDENT_SPRINTS = (3, 11, 19, 24)     # first incident there has no category keyword


def reserve_for(n: int) -> int:
    return 6 if n <= 12 else 8 if n <= 20 else 10


ENGINEERS = ["Priya Nair", "Tom Becker", "Ana Souza", "Jonas Meyer", "Lena Fischer", "Sam Okafor"]
PRODUCT_OWNER = "Mara Lindqvist"
ROTATION = ["Priya Nair", "Ana Souza", "Jonas Meyer", "Lena Fischer", "Tom Becker"]  # not Sam
COVER_PERSON = "Tom Becker"      # covers holidays and swaps
SCHEDULE_URL = "https://example.pagerduty.com/schedules#PABC123"
SERVICES = ["checkout-api", "payments-gateway", "web-frontend", "search", "notifications"]
COMPONENTS = ["Checkout API", "Payments", "Web", "Search", "Notifications", "Platform"]
AREA_LABELS = ["frontend", "backend", "payments", "api"]
SERVICE_COMPONENT = {"checkout-api": "Checkout API", "payments-gateway": "Payments",
                     "web-frontend": "Web", "search": "Search", "notifications": "Notifications"}

CATEGORY_KEYWORDS = {  # METRICS.md, first match wins
    "monitoring": ["alert", "monitoring", "dashboard", "metric", "observability", "paging"],
    "error-handling": ["exception", "error handling", "unhandled", "crash", "null", "retry",
                       "timeout handling"],
    "integration": ["integration", "third-party", "partner", "vendor", "webhook", "upstream",
                    "api contract"],
    "configuration": ["config", "configuration", "flag", "setting", "drift", "secret", "certificate"],
    "capacity": ["capacity", "disk", "memory", "pool", "exhausted", "quota", "throttl", "saturat"],
    "deployment": ["deploy", "rollout", "release", "migration", "rollback"],
}
# category -> [(title, service, weight)]; the heavy first title is the chronic one.
INCIDENT_THEMES = {
    "monitoring": [("Alert not firing for checkout errors", "checkout-api", 4),
                   ("Checkout latency dashboard showing stale data", "web-frontend", 1),
                   ("Paging storm from duplicate payment alerts", "payments-gateway", 1),
                   ("Missing metrics for payments-gateway after agent upgrade", "payments-gateway", 1)],
    "error-handling": [("Unhandled exception in cart total calculation", "checkout-api", 2),
                       ("Null pointer in order confirmation email", "notifications", 1),
                       ("Checkout worker crash loop on malformed basket", "checkout-api", 1),
                       ("Retry storm on declined card payments", "payments-gateway", 1)],
    "integration": [("Payment provider webhook timeouts", "payments-gateway", 4),
                    ("Third-party address lookup returning 503s", "web-frontend", 1),
                    ("Partner API rejecting new order payload", "checkout-api", 1),
                    ("Upstream tax service latency spike", "checkout-api", 1)],
    "configuration": [("Config drift between checkout-api pods", "checkout-api", 2),
                      ("Feature flag enabled express checkout for all users", "web-frontend", 2),
                      ("Expired TLS certificate on payments-gateway", "payments-gateway", 1),
                      ("Wrong currency setting after locale change", "web-frontend", 1),
                      ("Rotated secret not picked up by notifications", "notifications", 1)],
    "capacity": [("DB connection pool exhausted", "checkout-api", 5),
                 ("Disk full on search indexer", "search", 1),
                 ("Memory leak in web-frontend SSR", "web-frontend", 1),
                 ("SMS quota exceeded for order notifications", "notifications", 1),
                 ("Redis saturated during flash sale", "checkout-api", 1)],
    "deployment": [("Bad release broke guest checkout", "web-frontend", 1),
                   ("Schema migration locked orders table", "checkout-api", 1),
                   ("Rollback after search deploy returned empty results", "search", 1),
                   ("Failed rollout of payments-gateway canary", "payments-gateway", 1)],
    "other": [("Checkout page slow for EU customers", "web-frontend", 1),
              ("Duplicate order confirmation emails", "notifications", 1),
              ("Promo codes not applied at checkout", "checkout-api", 1),
              ("Search results missing new products", "search", 1)],
}
PHASE_CATEGORY_WEIGHTS = {
    "calm": {"deployment": 3, "error-handling": 2, "integration": 2, "configuration": 1,
             "capacity": 1, "monitoring": 1},
    "firefight": {"capacity": 4, "integration": 3, "monitoring": 2, "deployment": 1,
                  "error-handling": 1, "configuration": 1},
    "recovery": {"monitoring": 3, "configuration": 3, "error-handling": 1, "integration": 1,
                 "capacity": 1, "deployment": 1},
}
FOLLOW_UPS = {
    "monitoring": ["Add alert on checkout 5xx rate", "Page on-call when payment success rate drops",
                   "Add synthetic check for the checkout flow", "Fix dashboard query for checkout latency"],
    "error-handling": ["Handle empty basket in cart total calculation",
                       "Add null checks to confirmation email templates",
                       "Bound retries on card declines", "Reject malformed basket payloads at the API edge"],
    "integration": ["Add circuit breaker around payment provider webhooks",
                    "Queue webhook processing with retries", "Contract tests with address lookup partner",
                    "Cache tax rates when upstream is slow"],
    "configuration": ["Validate feature flags in CI", "Automate certificate renewal for payments-gateway",
                      "Detect config drift in the deploy pipeline", "Reload rotated secrets without restart"],
    "capacity": ["Raise DB connection pool limit and add headroom alert", "Load test flash sale traffic",
                 "Set memory limits on web-frontend pods", "Clean up old search index snapshots"],
    "deployment": ["Add canary analysis to checkout-api rollout", "Make schema migrations online-safe",
                   "One-click rollback for search deploys", "Smoke test guest checkout after each deploy"],
    "other": ["Profile checkout page for EU customers", "Deduplicate confirmation email sends"],
}
FEATURES = ["saved addresses", "gift cards", "Apple Pay", "promo code field", "delivery slots",
            "order notes", "split payments", "VAT breakdown", "guest checkout", "address autocomplete",
            "currency selector", "order tracking link", "loyalty points", "invoice download",
            "express shipping", "click and collect", "basket sharing", "wish list transfer",
            "PayPal Pay Later", "3-D Secure v2", "order cancellation", "partial refunds"]
STORY_TEMPLATES = ["Add {f} to checkout", "Show {f} on the order summary", "Support {f} in the payment step",
                   "Expose {f} via the checkout API", "Track analytics events for {f}",
                   "Polish {f} on mobile", "A/B test {f}", "Localise {f} for DE and FR"]
TASK_TEMPLATES = ["Upgrade {lib} in {svc}", "Remove dead code around {f}", "Write runbook for {svc}",
                  "Migrate {svc} CI to the new runners", "Split {svc} integration tests",
                  "Rotate API keys for {svc}", "Document {f} API"]
LIBS = ["Spring Boot", "React", "Node 22", "Postgres driver", "OpenTelemetry SDK", "Stripe SDK", "Redis client"]
BUG_TEMPLATES = ["Cart total wrong when {f} is used", "Blank page after applying {f}",
                 "Double charge when retrying {f}", "{f} missing on order confirmation",
                 "Safari layout broken for {f}", "Rounding error in {f}", "Timeout on {f} endpoint"]
SUPPORT_TEMPLATES = ["Customer cannot complete order #{n}", "Refund stuck for order #{n}",
                     "Investigate missing confirmation for order #{n}", "Export failed payments for finance",
                     "Merchant asks why order #{n} was declined", "Help support team with bulk address fix"]
TECH_DEBT = ["Replace hand-rolled HTTP client in checkout-api", "Remove legacy basket v1 endpoints",
             "Consolidate currency formatting helpers", "Delete unused feature toggles",
             "Move payments-gateway off Java 11", "Add typed errors to checkout-api", "Untangle order state machine",
             "Split monolithic web-frontend bundle", "Replace cron jobs with queue workers",
             "Drop deprecated search index fields", "Upgrade Postgres 13 to 16", "Retire old notification templates",
             "Make integration tests hermetic", "Unify logging format across services",
             "Replace Moment.js in web-frontend", "Clean up flaky checkout e2e tests",
             "Remove sleep() calls from payment polling", "Extract pricing into its own module",
             "Archive orders older than 7 years", "Pin base images and add renovate"]
COMMENTS = ["Looked into this, root cause is in the basket service.", "PR is up, needs a second review.",
            "Deployed to staging, QA please verify.", "Can't reproduce on staging, asking support for a HAR file.",
            "Blocked until the provider answers our ticket.", "Done, verified in production.",
            "Moved to next sprint, we ran out of time.\nKeeping the estimate.",
            "Talked to Mara: \"good enough for now\", follow-up ticket created."]

JIRA_HEADER = [  # (name, minimum repeats)
    ("Summary", 1), ("Issue key", 1), ("Issue id", 1), ("Issue Type", 1), ("Status", 1),
    ("Status Category", 1), ("Project key", 1), ("Project name", 1), ("Project type", 1),
    ("Priority", 1), ("Resolution", 1), ("Assignee", 1), ("Assignee Id", 1), ("Reporter", 1),
    ("Created", 1), ("Updated", 1), ("Resolved", 1), ("Due date", 1), ("Labels", 3),
    ("Component/s", 2), ("Description", 1), ("Original Estimate", 1), ("Remaining Estimate", 1),
    ("Time Spent", 1), ("Σ Time Spent", 1), ("Sprint", 3), ("Custom field (Story point estimate)", 1),
    ("Custom field (Severity)", 1), ("Custom field (PagerDuty Incident)", 1),
    ("Inward issue link (Relates)", 2), ("Outward issue link (Relates)", 2),
    ("Outward issue link (Blocks)", 2), ("Parent", 1), ("Parent key", 1), ("Parent summary", 1),
    ("Comment", 2), ("Custom field (Rank)", 1),
]
PD_HEADER = ("id,incident_number,description,created_at,resolved_at,status,urgency,priority_name,major,"
             "service_name,team_name,escalation_policy_name,resolved_by_user_name,auto_resolved,"
             "seconds_to_first_ack,seconds_to_resolve,engaged_user_count,escalation_count,"
             "business_hour_interruptions,off_hour_interruptions,sleep_hour_interruptions").split(",")
MONTHS = "Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec".split()
STATUS_CATEGORY = {"Done": "Done", "In Progress": "In Progress", "To Do": "To Do", "In Review": "In Progress"}


# ---------------------------------------------------------------- model

@dataclass
class Sprint:
    n: int
    capacity: int
    unplanned: float
    planned: float
    u_left: float = 0
    p_left: float = 0
    followup_left: float = 0

    @property
    def name(self) -> str:
        return f"SHOP Sprint {self.n}"

    @property
    def start(self) -> date:
        return SPRINT1_START + timedelta(days=14 * (self.n - 1))

    @property
    def end(self) -> date:
        return self.start + timedelta(days=13)


@dataclass
class Incident:
    id: str
    created: datetime
    title: str
    category: str
    service: str
    priority: str
    resolved: datetime | None = None
    responder: str = ""


@dataclass
class Item:
    type: str
    summary: str
    created: datetime
    sprints: list[int] = field(default_factory=list)
    points: float | None = None
    resolved: datetime | None = None
    status: str = "To Do"
    labels: list[str] = field(default_factory=list)
    components: list[str] = field(default_factory=list)
    priority: str = "Medium"
    assignee: str | None = None
    reporter: str = PRODUCT_OWNER
    description: str = ""
    spent: int | None = None
    estimate: int | None = None
    due: date | None = None
    severity: str = ""
    pd_id: str = ""
    relates_out: list["Item"] = field(default_factory=list)
    relates_in: list["Item"] = field(default_factory=list)
    blocks: list["Item"] = field(default_factory=list)
    parent: "Item | None" = None
    subtasks: list["Item"] = field(default_factory=list)
    comments: list[tuple[datetime, str, str]] = field(default_factory=list)
    key: str = ""
    id: int = 0


# ---------------------------------------------------------------- time helpers

def sprint_of(moment: datetime | date) -> int | None:
    day = moment.date() if isinstance(moment, datetime) else moment
    n = (day - SPRINT1_START).days // 14 + 1
    return n if 1 <= n <= N_SPRINTS else None


def at_work(rng: random.Random, day: date) -> datetime:
    return datetime.combine(day, time(8, 30)) + timedelta(minutes=rng.randint(0, 555))


def weekday(rng: random.Random, first: date, last: date) -> date:
    days = [first + timedelta(d) for d in range((last - first).days + 1)]
    return rng.choice([d for d in days if d.weekday() < 5] or days)


def finish(rng: random.Random, created: datetime, first: date, last: date) -> datetime:
    """A resolution time after `created`, on a working day in [first, last]."""
    moment = at_work(rng, weekday(rng, max(first, created.date()), last))
    if moment <= created:
        moment = created + timedelta(minutes=rng.randint(20, 180))
    return min(moment, datetime.combine(last, time(23, 50)), AS_OF)


def jira_date(moment: datetime | None) -> str:
    if moment is None:
        return ""
    hour = moment.hour % 12 or 12
    ampm = "AM" if moment.hour < 12 else "PM"
    return f"{moment.day:02d}/{MONTHS[moment.month - 1]}/{moment.year % 100:02d} {hour}:{moment.minute:02d} {ampm}"


def iso_z(moment: datetime | None) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ") if moment else ""


def account_id(name: str) -> str:
    """Jira Cloud account ids: some `712020:<24 hex>`, some bare 24 hex."""
    digest = hashlib.md5(name.encode()).hexdigest()[:24]
    return f"712020:{digest}" if (ENGINEERS + [PRODUCT_OWNER]).index(name) % 2 == 0 else digest


def categorise(title: str) -> str:
    low = title.lower()
    for category, words in CATEGORY_KEYWORDS.items():
        if any(w in low for w in words):
            return category
    return "other"


def weighted(rng: random.Random, pairs) -> object:
    values, weights = zip(*pairs)
    return rng.choices(values, weights)[0]


def take_points(rng: random.Random, left: float, options=(1, 1, 2, 2, 3, 3, 5, 8)) -> float | None:
    fitting = [p for p in options if p <= left]
    return float(rng.choice(fitting)) if fitting else (0.5 if left >= 0.5 else None)


# ---------------------------------------------------------------- calendar, on-call, incidents

def build_sprints() -> list[Sprint]:
    sprints = [Sprint(n, *plan) for n, plan in enumerate(SPRINT_PLAN, start=1)]
    for s in sprints:
        s.u_left, s.p_left, s.followup_left = s.unplanned, s.planned, round(s.planned * 0.4)
    return sprints


def build_oncall(rng: random.Random) -> list[tuple[str, datetime, datetime]]:
    """Weekly Monday 09:00 UTC shifts; Tom covers a holiday week and a part-week for everyone."""
    weeks = 53
    weeks_of = {p: [w for w in range(weeks) if ROTATION[w % 5] == p] for p in ROTATION if p != COVER_PERSON}
    full_cover = [rng.choice(weeks_of[p]) for p in rng.sample(sorted(weeks_of), 1)]
    split_cover = [rng.choice([w for w in weeks_of[p] if w not in full_cover]) for p in weeks_of]
    shifts = []
    for w in range(weeks):
        start = datetime.combine(SPRINT1_START + timedelta(weeks=w), time(9))
        end, person = start + timedelta(weeks=1), ROTATION[w % 5]
        if w in full_cover:
            person = COVER_PERSON
        if w in split_cover:   # Tom takes the longer part of the week, before or after
            if rng.random() < 0.5:
                cut = start + timedelta(days=rng.randint(2, 3))
                shifts += [(person, start, cut), (COVER_PERSON, cut, end)]
            else:
                cut = start + timedelta(days=rng.randint(4, 5))
                shifts += [(COVER_PERSON, start, cut), (person, cut, end)]
        else:
            shifts.append((person, start, end))
    return shifts


def on_call_at(shifts, moment: datetime) -> str | None:
    return next((p for p, s, e in shifts if s <= moment < e), None)


def incident_time(rng: random.Random, sprint: Sprint) -> datetime:
    last = min(sprint.end, AS_OF.date() - timedelta(days=1))
    day = sprint.start + timedelta(days=rng.randint(0, (last - sprint.start).days))
    kind = rng.choices(["business", "evening", "sleep"], [60, 25, 15])[0]
    seconds = timedelta(seconds=rng.randint(0, 59))
    if kind == "business":
        return at_work(rng, weekday(rng, day, last)) + seconds
    if kind == "evening":
        return datetime.combine(day, time(18)) + timedelta(minutes=rng.randint(0, 239)) + seconds
    return datetime.combine(day, time(22)) + timedelta(minutes=rng.randint(0, 599)) + seconds


def pd_id(rng: random.Random) -> str:
    return "Q" + "".join(rng.choices("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789", k=13))


def build_incidents(rng: random.Random, sprints: list[Sprint], shifts) -> list[Incident]:
    incidents = []
    for s, count in zip(sprints, INCIDENTS_PER_SPRINT):
        phase = "calm" if s.n <= 8 else "firefight" if s.n <= 14 else "recovery"
        for i in range(count):
            category = weighted(rng, PHASE_CATEGORY_WEIGHTS[phase].items())
            if i == 0 and s.n in OTHER_INCIDENT_SPRINTS:
                category = "other"
            title, service, _ = weighted(rng, [(t, t[2]) for t in INCIDENT_THEMES[category]])
            assert categorise(title) == category, title
            p1_weight = 8 if phase == "firefight" else 1
            priority = weighted(rng, [("P1", p1_weight), ("P2", 20), ("P3", 50), ("P4", 15), ("P5", 8)])
            created = incident_time(rng, s)
            incidents.append(Incident(pd_id(rng), created, title, category, service, priority))
    incidents.sort(key=lambda inc: inc.created)
    for inc in incidents:
        hours = {"P1": (1, 5), "P2": (1, 10), "P3": (0.5, 24), "P4": (1, 60), "P5": (2, 72)}[inc.priority]
        resolved = inc.created + timedelta(seconds=int(rng.uniform(*hours) * 3600))
        inc.resolved = resolved if resolved <= AS_OF else None
        inc.responder = on_call_at(shifts, inc.created)
    return incidents


def hour_bucket(moment: datetime) -> str:
    if moment.hour >= 22 or moment.hour < 8:
        return "sleep"
    return "business" if moment.weekday() < 5 and moment.hour < 18 else "off"


def pd_rows(rng: random.Random, incidents: list[Incident]) -> list[list]:
    rows = []
    for number, inc in enumerate(incidents, start=FIRST_PD_NUMBER):
        high = inc.priority in ("P1", "P2") or (inc.priority == "P3" and rng.random() < 0.4)
        ack = rng.randint(60, 1800 if hour_bucket(inc.created) != "business" else 900)
        escalations = rng.choices([0, 1, 2], [70, 22, 8])[0]
        pages = {"business": 0, "off": 0, "sleep": 0}
        pages[hour_bucket(inc.created)] = 1 + escalations + (rng.random() < 0.3)
        to_resolve = int((inc.resolved - inc.created).total_seconds()) if inc.resolved else ""
        rows.append([inc.id, number, inc.title, iso_z(inc.created), iso_z(inc.resolved),
                     "resolved" if inc.resolved else "acknowledged", "high" if high else "low",
                     inc.priority, str(inc.priority == "P1").lower(), inc.service, "Checkout",
                     "Checkout Primary", inc.responder, "false", ack, to_resolve,
                     rng.randint(2, 5) if inc.priority == "P1" else rng.randint(1, 3), escalations,
                     pages["business"], pages["off"], pages["sleep"]])
    return rows


# ---------------------------------------------------------------- work items

class Backlog:
    """Creates work items and keeps every sprint's point budget exact."""

    def __init__(self, rng: random.Random, sprints: list[Sprint], shifts):
        self.rng, self.sprints, self.shifts = rng, sprints, shifts
        self.items: list[Item] = []
        self.epics: list[Item] = []

    def sprint(self, n: int) -> Sprint:
        return self.sprints[n - 1]

    def add(self, item: Item) -> Item:
        rng = self.rng
        item.assignee = item.assignee or rng.choice(ENGINEERS)
        item.reporter = rng.choice([PRODUCT_OWNER, item.assignee, rng.choice(ENGINEERS)])
        item.components = item.components or rng.sample(COMPONENTS, rng.choice([1, 1, 1, 2]))
        if not item.description:
            item.description = describe(rng, item)
        if item.resolved:
            item.status = "Done"
        self.items.append(item)
        return item

    def epic_for(self, created: datetime) -> Item | None:
        epics = [e for e in self.epics if e.created < created]
        return self.rng.choice(epics) if epics and self.rng.random() < 0.45 else None

    # -- epics and incidents
    def add_epics(self) -> None:
        specs = [("Checkout redesign", date(2025, 10, 6), date(2026, 4, 30)),
                 ("Payments provider resilience", date(2026, 2, 9), None),
                 ("One-page checkout", date(2026, 4, 20), None),
                 ("Observability for checkout", date(2026, 6, 15), None),
                 ("Buy now, pay later", date(2025, 11, 3), date(2026, 9, 18))]
        for title, created, done in specs:
            epic = Item("Epic", title, at_work(self.rng, created), status="In Progress",
                        resolved=at_work(self.rng, done) if done else None)
            self.epics.append(self.add(epic))

    def add_incident_work(self, incidents: list[Incident]) -> None:
        rng = self.rng
        serious = [i for i in incidents if i.priority in ("P1", "P2")]
        skipped = rng.sample(serious, round(len(serious) * 0.2))
        reviewed = [i for i in serious if i not in skipped]
        reviewed += rng.sample([i for i in incidents if i.priority == "P3"], 2)
        for inc in incidents:
            fixes = []
            if inc.priority == "P1" or (inc.priority == "P2" and rng.random() < 0.3):
                fixes.append(self.incident_fix(inc, "Incident", inc.title))
            if inc.priority in ("P1", "P2") or rng.random() < {"P3": 0.45}.get(inc.priority, 0.1):
                kind = rng.choice(["Hotfix", "Hotfix", "Bug"])
                fixes.append(self.incident_fix(inc, kind, f"Hotfix: {inc.title}"))
            if inc in reviewed:
                self.post_incident_review(inc, fixes)

    def incident_fix(self, inc: Incident, kind: str, summary: str) -> Item:
        rng = self.rng
        created = inc.created + timedelta(minutes=rng.randint(5, 60))
        n = sprint_of(created)
        if datetime.combine(self.sprint(n).end, time(23, 20)) < created:
            n += 1
        s = self.sprint(n)
        points = take_points(rng, s.u_left, (1, 2, 2, 3)) if rng.random() < 0.9 else None
        s.u_left -= points or 0
        resolved = min(created + timedelta(hours=rng.uniform(1, 30)),
                       datetime.combine(s.end, time(23, 50)))
        severity = {"P1": "Sev-1", "P2": "Sev-2", "P3": "Sev-3"}.get(inc.priority, "Sev-4")
        item = Item(kind, summary, created, [n], points, resolved if resolved <= AS_OF else None,
                    status="In Progress", priority="Highest" if inc.priority == "P1" else "High",
                    assignee=inc.responder, pd_id=inc.id,
                    components=[SERVICE_COMPONENT[inc.service]],
                    severity=severity if kind != "Hotfix" and rng.random() < 0.8 else "",
                    labels=["customer-reported"] if rng.random() < 0.2 else [])
        return self.add(item)

    def post_incident_review(self, inc: Incident, fixes: list[Item]) -> None:
        rng = self.rng
        created = at_work(rng, weekday(rng, inc.created.date() + timedelta(1),
                                       inc.created.date() + timedelta(5)))
        created = min(created, AS_OF - timedelta(hours=3))
        resolved = at_work(rng, weekday(rng, created.date() + timedelta(2), created.date() + timedelta(6)))
        resolved = resolved if resolved <= AS_OF else None
        sprints = [sprint_of(resolved)] if resolved and rng.random() < 0.5 else []
        pir = self.add(Item("Post-incident review", f"PIR: {inc.title}", created, sprints, None, resolved,
                            status="In Progress", pd_id=inc.id, labels=["postmortem"],
                            components=[SERVICE_COMPONENT[inc.service]], assignee=inc.responder))
        for fix in fixes[-1:]:
            link(pir, fix)
        stubborn = inc.category in ("monitoring", "configuration")
        for title in rng.sample(FOLLOW_UPS[inc.category], rng.choice([1, 2, 2, 3])):
            self.follow_up(inc, pir, title, rng.random() < (0.4 if stubborn else 0.9))

    def follow_up(self, inc: Incident, pir: Item, title: str, will_resolve: bool) -> None:
        rng = self.rng
        created = pir.created + timedelta(minutes=rng.randint(10, 180))
        labels = ["incident-followup"] + (["postmortem"] if rng.random() < 0.3 else [])
        if inc.category in ("capacity", "deployment") and rng.random() < 0.35:
            labels.append("tech-debt")
        elif rng.random() < 0.25:
            labels.append(inc.category)
        points = take_points(rng, 8, (1, 2, 3, 3, 5))
        item = Item(rng.choice(["Task", "Task", "Story"]), title, created, points=points, labels=labels,
                    pd_id=inc.id, components=[SERVICE_COMPONENT[inc.service]], priority="High")
        first = (sprint_of(created) or N_SPRINTS) + 1 + rng.randint(0, 2)
        target = next((n for n in range(first, N_SPRINTS) if will_resolve
                       and self.sprint(n).followup_left >= points), None)
        if target:
            s = self.sprint(target)
            s.followup_left -= points
            s.p_left -= points
            item.sprints = [target]
            item.resolved = finish(rng, created, s.start + timedelta(1), s.end - timedelta(2))
        elif rng.random() < 0.25 and first <= N_SPRINTS:
            item.sprints = [rng.randint(first, N_SPRINTS)]   # planned in, then de-scoped or in progress
        link(item, pir)
        self.add(item)

    # -- tech debt, sprints, backlog
    def add_tech_debt(self) -> None:
        rng = self.rng
        for i, title in enumerate(TECH_DEBT):
            created = at_work(rng, SPRINT1_START + timedelta(days=rng.randint(-120, 330)))
            item = Item("Task", title, created, labels=["tech-debt"] + rng.sample(AREA_LABELS, 1),
                        points=take_points(rng, 8, (2, 3, 5, 8)), priority=rng.choice(["Medium", "Low"]))
            first = (sprint_of(created) or 0) + 1
            candidates = [n for n in range(max(first, 2), N_SPRINTS)
                          if self.sprint(n).followup_left >= (item.points or 0)]
            if i % 3 == 0 and candidates:
                s = self.sprint(rng.choice(candidates))
                s.followup_left -= item.points
                s.p_left -= item.points
                item.sprints = [s.n]
                item.resolved = finish(rng, created, s.start + timedelta(1), s.end - timedelta(2))
            self.add(item)

    def fill_sprint(self, s: Sprint) -> None:
        rng = self.rng
        while s.u_left >= 0.5:
            points = take_points(rng, s.u_left, (1, 1, 2, 2, 3, 5))
            s.u_left -= points
            self.unplanned(s, points)
        for _ in range(rng.choice([0, 0, 1])):
            self.unplanned(s, None)
        planned = []
        while s.p_left >= 0.5:
            planned.append(self.planned(s, take_points(rng, s.p_left)))
            s.p_left -= planned[-1].points
        if rng.random() < 0.2:
            planned.append(self.planned(s, None))
        self.carry_over(s, len(planned))
        for story in rng.sample(planned, min(len(planned), rng.choice([0, 1, 1]))):
            self.subtask(story)

    def unplanned(self, s: Sprint, points: float | None) -> None:
        rng = self.rng
        kind = rng.choices(["Bug", "Support", "interrupt", "mid-sprint"], [35, 20, 17, 28])[0]
        last_start = min(s.start + timedelta(9), AS_OF.date())
        if kind == "interrupt":
            created = at_work(rng, s.start - timedelta(rng.randint(1, 10)))
        elif kind == "mid-sprint":
            created = at_work(rng, weekday(rng, min(s.start + timedelta(2), last_start), last_start))
        else:
            created = at_work(rng, weekday(rng, s.start - timedelta(3), last_start))
        created = min(created, AS_OF - timedelta(hours=4))
        resolved = finish(rng, created, s.start, s.end - timedelta(1))
        if kind in ("Bug", "Support"):
            summary = rng.choice(BUG_TEMPLATES if kind == "Bug" else SUPPORT_TEMPLATES)
            item = Item(kind, summary.format(f=rng.choice(FEATURES), n=rng.randint(480000, 990000)).capitalize(),
                        created, [s.n], points, resolved, priority=rng.choice(["High", "Medium", "Medium"]),
                        labels=["customer-reported"] if rng.random() < 0.4 else [],
                        severity=rng.choice(["", "Sev-3", "Sev-4"]) if kind == "Bug" else "")
        else:
            labels = [rng.choice(["interrupt", "unplanned"])] if kind == "interrupt" else []
            item = Item(rng.choice(["Story", "Task"]), story_summary(rng), created, [s.n], points, resolved,
                        labels=labels + rng.sample(AREA_LABELS, 1), priority="High")
        on_call = on_call_at(self.shifts, created)
        item.assignee = on_call if rng.random() < 0.4 and on_call else None
        self.add(item)

    def planned(self, s: Sprint, points: float | None, sprints: list[int] | None = None,
                last: Sprint | None = None) -> Item:
        rng = self.rng
        created = at_work(rng, s.start - timedelta(rng.randint(1, 30)))
        if rng.random() < 0.15:
            created = datetime.combine(s.start, time(9)) + timedelta(minutes=rng.randint(0, 90))
        last = last or s
        resolved = finish(rng, created, last.start + timedelta(1), last.end - timedelta(2))
        kind = rng.choice(["Story", "Story", "Story", "Task"])
        item = Item(kind, story_summary(rng) if kind == "Story" else task_summary(rng), created,
                    sprints or [s.n], points, resolved, parent=self.epic_for(created),
                    labels=rng.sample(AREA_LABELS, rng.choice([0, 1, 1, 2])),
                    priority=rng.choice(["High", "Medium", "Medium", "Medium", "Low"]))
        if rng.random() < 0.12:
            item.due = s.end - timedelta(2)
        if rng.random() < 0.08 and self.items[-1].type in ("Story", "Task"):
            item.blocks.append(self.items[-1])
        return self.add(item)

    def carry_over(self, s: Sprint, planned_count: int) -> None:
        """Stories committed to s but finished in a later sprint (their points count there)."""
        rng = self.rng
        for _ in range(max(1, round(planned_count * 0.11))):
            hops = 2 if rng.random() < 0.15 and s.n + 2 <= N_SPRINTS else 1
            if s.n + hops > N_SPRINTS:
                return
            final = self.sprint(s.n + hops)
            points = take_points(rng, (final.p_left or 8) * 0.35, (2, 3, 5))
            if points is None:
                return
            chain = list(range(s.n, final.n + 1))
            item = self.planned(s, points, chain, final)
            item.comments.append((at_work(rng, s.end - timedelta(2)), item.assignee, COMMENTS[6]))
            if final.n == N_SPRINTS:
                item.resolved, item.status = None, rng.choice(["In Progress", "In Review"])
            else:
                final.p_left -= points

    def subtask(self, story: Item) -> None:
        rng = self.rng
        s = self.sprint(story.sprints[-1])
        created = max(story.created, datetime.combine(s.start, time(9))) + timedelta(minutes=rng.randint(10, 300))
        resolved = None
        if story.resolved:
            created = min(created, story.resolved - timedelta(minutes=30))
            resolved = min(finish(rng, created, created.date(), story.resolved.date()), story.resolved)
        sub = Item("Sub-task", f"{rng.choice(['Backend', 'Frontend', 'Tests', 'Docs'])} for {story.summary}",
                   created, list(story.sprints), None, resolved, status="In Progress", parent=story,
                   assignee=story.assignee, components=story.components[:1])
        story.subtasks.append(self.add(sub))

    def fill_current_sprint(self, s: Sprint) -> None:
        """Sprint 27, two and a half days in: little done yet."""
        rng = self.rng
        carried = sum(i.points or 0 for i in self.items if s.n in i.sprints and i.sprints[0] < s.n)
        left, done = SPRINT27_COMMITTED - carried, 0
        while left >= 1:
            item = self.planned(s, take_points(rng, left, (1, 2, 3, 5)))
            left -= item.points
            if done < 2 and item.points <= 2:
                item.resolved = at_work(rng, date(2026, 11, 24)) if done == 0 else AS_OF - timedelta(hours=2)
                done += 1
            else:
                item.resolved, item.status = None, rng.choice(["To Do", "To Do", "In Progress", "In Review"])
        while s.u_left >= 0.5:
            points = take_points(rng, s.u_left, (1, 2, 3))
            s.u_left -= points
            self.unplanned(s, points)

    def add_backlog(self, count: int) -> None:
        rng = self.rng
        for _ in range(count):
            created = at_work(rng, SPRINT1_START + timedelta(days=rng.randint(-90, 364)))
            kind = rng.choices(["Story", "Task", "Bug"], [55, 25, 20])[0]
            summary = {"Story": story_summary, "Task": task_summary, "Bug": bug_summary}[kind](rng)
            points = take_points(rng, 8) if rng.random() < 0.96 else None
            self.add(Item(kind, summary, min(created, AS_OF - timedelta(hours=6)), points=points,
                          priority=rng.choice(["Medium", "Low", "Low"]), parent=self.epic_for(created),
                          labels=rng.sample(AREA_LABELS, rng.choice([0, 1]))))

    def add_kanban_support(self, count: int) -> None:
        """Support requests handled outside any sprint (they count in no sprint)."""
        rng = self.rng
        for _ in range(count):
            created = at_work(rng, weekday(rng, SPRINT1_START, AS_OF.date() - timedelta(3)))
            resolved = finish(rng, created, created.date(), created.date() + timedelta(3))
            summary = rng.choice(SUPPORT_TEMPLATES).format(n=rng.randint(480000, 990000))
            self.add(Item("Support", summary, created, resolved=resolved, priority="Medium",
                          points=take_points(rng, 2, (0.5, 1, 1, 2)),
                          labels=["customer-reported"]))


def link(source: Item, target: Item) -> None:
    source.relates_out.append(target)
    target.relates_in.append(source)


def story_summary(rng: random.Random) -> str:
    return rng.choice(STORY_TEMPLATES).format(f=rng.choice(FEATURES))


def task_summary(rng: random.Random) -> str:
    return rng.choice(TASK_TEMPLATES).format(f=rng.choice(FEATURES), lib=rng.choice(LIBS),
                                             svc=rng.choice(SERVICES))


def bug_summary(rng: random.Random) -> str:
    return rng.choice(BUG_TEMPLATES).format(f=rng.choice(FEATURES)).capitalize()


def describe(rng: random.Random, item: Item) -> str:
    if item.type in ("Bug", "Hotfix", "Incident") and rng.random() < 0.7:
        return ("Steps to reproduce:\n1. Add 2 items to the basket, one of them discounted\n"
                f"2. Click \"Pay now\", then go back\n3. Pay again with a {rng.choice(['Visa', 'Mastercard', 'PayPal'])}"
                " card\n\nExpected: one charge, order confirmed.\nActual: "
                f"{rng.choice(['two charges', 'spinner forever', 'HTTP 502'])}, see Sentry.")
    if item.type == "Post-incident review":
        return ("Timeline, impact, root cause and actions.\n\nImpact: checkout degraded, "
                f"about {rng.randint(2, 40)}% of orders affected.\nOwner: {item.assignee}")
    if item.type == "Story" and rng.random() < 0.3:
        return (f"As a shopper I want {item.summary.lower()} so that paying is quicker.\n\n"
                "Acceptance criteria:\n- works on mobile, tablet and desktop\n- copy reviewed by \"UX writing\"")
    return rng.choice(["", "See linked Confluence page.", f"{item.summary}. Agreed in refinement.",
                       "Small change, no design needed."])


# ---------------------------------------------------------------- finishing touches and writers

def finalise(rng: random.Random, items: list[Item]) -> list[Item]:
    items.sort(key=lambda i: i.created)
    for n, item in enumerate(items, start=1):
        item.key, item.id = f"{PROJECT[0]}-{n}", ISSUE_ID_START + n - 1
    for item in items:
        end = item.resolved or AS_OF
        if item.resolved or item.status != "To Do":
            if item.points and rng.random() < 0.85:
                item.spent = int(item.points * rng.uniform(2, 6) * 4) * 900
            elif item.points is None and item.type not in ("Epic",):
                item.spent = rng.randint(2, 24) * 1800
            if not item.resolved and item.spent:
                item.spent //= 2
        if item.points and rng.random() < 0.35:
            item.estimate = int(item.points * 4 * 3600)
        if rng.random() < 0.35 and end > item.created + timedelta(hours=2):
            span = (end - item.created).total_seconds()
            when = item.created + timedelta(seconds=rng.uniform(0.2, 0.95) * span)
            body = rng.choice(COMMENTS[:6] + COMMENTS[7:])
            item.comments.append((when, rng.choice(ENGINEERS), body))
        item.comments.sort()
    return items


def updated_at(rng: random.Random, item: Item) -> datetime:
    last = max([item.created, item.resolved or item.created] + [c[0] for c in item.comments])
    return min(last + timedelta(minutes=rng.randint(1, 600)), AS_OF)


def jira_record(rng: random.Random, item: Item, rank: int) -> dict[str, list]:
    """Every header name -> the values of that item, left to right."""
    spent_total = (item.spent or 0) + sum(s.spent or 0 for s in item.subtasks)
    remaining = "" if item.estimate is None else 0 if item.resolved else max(0, item.estimate - (item.spent or 0))
    parent = item.parent
    values = {
        "Summary": item.summary, "Issue key": item.key, "Issue id": item.id, "Issue Type": item.type,
        "Status": item.status, "Status Category": STATUS_CATEGORY[item.status],
        "Project key": PROJECT[0], "Project name": PROJECT[1], "Project type": "software",
        "Priority": item.priority, "Resolution": "Done" if item.resolved else "",
        "Assignee": item.assignee or "", "Assignee Id": account_id(item.assignee) if item.assignee else "",
        "Reporter": item.reporter, "Created": jira_date(item.created),
        "Updated": jira_date(updated_at(rng, item)), "Resolved": jira_date(item.resolved),
        "Due date": jira_date(datetime.combine(item.due, time())) if item.due else "",
        "Labels": item.labels, "Component/s": item.components, "Description": item.description,
        "Original Estimate": item.estimate or "", "Remaining Estimate": remaining,
        "Time Spent": item.spent or "", "Σ Time Spent": spent_total or "",
        "Sprint": [f"SHOP Sprint {n}" for n in item.sprints],
        "Custom field (Story point estimate)": "" if item.points is None else f"{item.points:.1f}",
        "Custom field (Severity)": item.severity, "Custom field (PagerDuty Incident)": item.pd_id,
        "Inward issue link (Relates)": [i.key for i in item.relates_in],
        "Outward issue link (Relates)": [i.key for i in item.relates_out],
        "Outward issue link (Blocks)": [i.key for i in item.blocks],
        "Parent": parent.id if parent else "", "Parent key": parent.key if parent else "",
        "Parent summary": parent.summary if parent else "",
        "Comment": [f"{jira_date(d)};{account_id(p)};{b}" for d, p, b in item.comments],
        "Custom field (Rank)": f"0|i{rank * 37 + 1296:05x}:",
    }
    return {k: v if isinstance(v, list) else [v] for k, v in values.items()}


def jira_rows(rng: random.Random, items: list[Item]) -> tuple[list[str], list[list[str]]]:
    records = [jira_record(rng, item, rank) for rank, item in enumerate(items)]
    widths = [(name, max([minimum] + [len(r[name]) for r in records])) for name, minimum in JIRA_HEADER]
    header = [name for name, width in widths for _ in range(width)]
    rows = [[str(v) for name, width in widths for v in r[name] + [""] * (width - len(r[name]))]
            for r in records]
    return header, rows


def write_csv(path: Path, header: list[str], rows: list[list]) -> None:
    with path.open("w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)


def write_ics(path: Path, shifts) -> None:
    from icalendar import Calendar, Event
    cal = Calendar()
    cal.add("prodid", "-//PagerDuty Inc.//PagerDuty Calendar//EN")
    cal.add("version", "2.0")
    cal.add("x-wr-calname", "Checkout Primary")
    utc = timezone.utc
    for n, (person, start, end) in enumerate(shifts):
        event = Event()
        event.add("uid", f"Q{start:%Y%m%d%H%M}PABC123{n:03d}@example.pagerduty.com")
        event.add("dtstamp", AS_OF.replace(tzinfo=utc))
        event.add("dtstart", start.replace(tzinfo=utc))
        event.add("dtend", end.replace(tzinfo=utc))
        event.add("summary", f"On Call - {person} - Checkout Primary")
        event.add("url", SCHEDULE_URL)
        cal.add_component(event)
    path.write_bytes(cal.to_ical())


def generate(out_dir: Path = OUT_DIR) -> None:
    rng = random.Random(SEED)
    sprints = build_sprints()
    shifts = build_oncall(rng)
    incidents = build_incidents(rng, sprints, shifts)
    backlog = Backlog(rng, sprints, shifts)
    backlog.add_epics()
    backlog.add_incident_work(incidents)
    backlog.add_tech_debt()
    for s in sprints[:-1]:
        backlog.fill_sprint(s)
    backlog.fill_current_sprint(sprints[-1])
    backlog.add_backlog(190)
    backlog.add_kanban_support(45)
    items = finalise(rng, backlog.items)
    latest = max(max(i.created, i.resolved or i.created) for i in items)
    assert latest.date() == AS_OF.date() and latest <= AS_OF, latest
    out_dir.mkdir(parents=True, exist_ok=True)
    write_csv(out_dir / "jira_shop_export.csv", *jira_rows(rng, items))
    write_csv(out_dir / "pagerduty_incidents.csv", PD_HEADER, pd_rows(rng, incidents))
    write_ics(out_dir / "oncall_schedule.ics", shifts)
    write_csv(out_dir / "sprints.csv", ["Sprint", "Start", "End", "Capacity", "Reserve"],
              [[s.name, s.start, s.end, s.capacity, reserve_for(s.n)] for s in sprints])
    print(f"wrote {len(items)} work items, {len(incidents)} incidents, {len(shifts)} shifts to {out_dir}")


# ---------------------------------------------------------------- --check: re-read the files, tell the story

UNPLANNED_TYPES = {"incident", "bug", "hotfix", "support", "problem"}
UNPLANNED_LABELS = {"unplanned", "interrupt", "incident", "hotfix", "support", "firefight"}


def read_jira(path: Path):
    import pandas as pd
    raw = pd.read_csv(path, header=None, dtype=str, keep_default_na=False)
    header, body = list(raw.iloc[0]), raw.iloc[1:]

    def cols(name: str) -> list[int]:
        return [i for i, h in enumerate(header) if h == name]

    def many(name: str):
        return body.iloc[:, cols(name)].apply(lambda r: [v for v in r if v], axis=1)

    def one(name: str):
        return body.iloc[:, cols(name)[0]]

    when = lambda name: pd.to_datetime(one(name), format="%d/%b/%y %I:%M %p", errors="coerce")
    return pd.DataFrame({"key": one("Issue key"), "type": one("Issue Type"), "status": one("Status"),
                         "created": when("Created"), "resolved": when("Resolved"),
                         "points": pd.to_numeric(one("Custom field (Story point estimate)")).fillna(0),
                         "labels": many("Labels"), "sprints": many("Sprint"),
                         "pd": one("Custom field (PagerDuty Incident)")})


def sprint_table(items, sprints):
    import pandas as pd
    start = dict(zip(sprints.Sprint, sprints.Start))
    end = dict(zip(sprints.Sprint, sprints.End))

    def unplanned(row) -> bool:
        first = row.sprints[0] if row.sprints else None
        return (row.type.lower() in UNPLANNED_TYPES or bool(UNPLANNED_LABELS & set(row.labels))
                or (first is not None and row.created.date() > start[first].date()))

    def completion(row):
        if pd.isna(row.resolved):
            return None
        return next((s for s in row.sprints if start[s] <= row.resolved.normalize() <= end[s]), None)

    items = items.assign(unplanned=items.apply(unplanned, axis=1), done_in=items.apply(completion, axis=1))
    rows = []
    for s in sprints.itertuples():
        done = items[items.done_in == s.Sprint]
        u, p = done[done.unplanned].points.sum(), done[~done.unplanned].points.sum()
        rows.append({"sprint": s.Sprint.replace("SHOP ", ""), "start": s.Start.date(), "cap": s.Capacity,
                     "planned_done": p, "unplanned": u, "share": round(u / (u + p), 3) if u + p else None,
                     "reserve": s.Reserve, "overrun": max(0.0, u - s.Reserve)})
    return items, pd.DataFrame(rows)


def summarise(out_dir: Path = OUT_DIR) -> None:
    import pandas as pd
    from icalendar import Calendar
    pd.set_option("display.width", 160)
    sprints = pd.read_csv(out_dir / "sprints.csv", parse_dates=["Start", "End"])
    items, table = sprint_table(read_jira(out_dir / "jira_shop_export.csv"), sprints)
    print(f"{len(items)} work items, {(items.points == 0).sum()} without points")
    print(table.to_string(index=False))
    last3 = table.iloc[-4:-1].share.tolist()
    fire = sum(x >= 0.5 for x in last3)
    rising = last3[0] < last3[1] < last3[2]
    print("last 3 completed:", last3, "->", "firefighting" if fire >= 2 else
          "at_risk" if fire == 1 or rising else "healthy")

    inc = pd.read_csv(out_dir / "pagerduty_incidents.csv", parse_dates=["created_at", "resolved_at"])
    inc["category"] = inc.description.map(categorise)
    inc = inc.sort_values("created_at")
    inc["recurrence"] = [((same.created_at < r.created_at) & (same.created_at >= r.created_at
                          - pd.Timedelta(days=90))).any() for r in inc.itertuples()
                         for same in [inc[inc.category == r.category]]]
    print(inc.groupby("category").agg(incidents=("id", "size"), recurrences=("recurrence", "sum"))
          .to_string())
    pirs = set(items[items.type == "Post-incident review"].pd)
    serious = inc[inc.priority_name.isin(["P1", "P2"])]
    print(f"P1/P2: {len(serious)}, with PIR: {serious.id.isin(pirs).sum()};"
          f" all incidents with PIR: {inc.id.isin(pirs).sum()}; unresolved: {inc.resolved_at.isna().sum()}")
    actions = items[items.labels.map(lambda ls: bool({"incident-followup", "postmortem"} & set(ls)))
                    & (items.type != "Post-incident review")]
    print(f"action items: {len(actions)}, done {actions.resolved.notna().sum()}")

    hours: dict[str, float] = {}
    for ev in Calendar.from_ical((out_dir / "oncall_schedule.ics").read_bytes()).walk("VEVENT"):
        person = str(ev["SUMMARY"]).split(" - ")[1]
        hours[person] = hours.get(person, 0) + (ev.decoded("DTEND") - ev.decoded("DTSTART")).total_seconds() / 3600
    print("shift hours:", dict(sorted(hours.items(), key=lambda kv: -kv[1])))


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="print the per-sprint story after writing")
    args = parser.parse_args()
    generate()
    if args.check:
        summarise()
