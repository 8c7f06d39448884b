"""Generate the embedded sample: one Scrum team's last twelve months, as real tools export them.

The story. Team "Checkout" (Jira project SHOP) runs two-week sprints from Monday
2025-11-24. For eight sprints life is calm: 10-30% of the points they finish are
unplanned. Then the payment provider's webhooks start timing out, the DB
connection pool keeps running dry and the alert for checkout errors never fires:
sprints 9-13 are firefighting (over half the points unplanned) and the 6-point
reserve is blown every sprint. They raise the reserve to 8, later 10, review most
serious incidents and recover partly - but the monitoring and configuration
follow-ups stay in the backlog, those incidents come back, and over the last three
sprints the unplanned share climbs again (at risk). Tom Becker quietly carries far
more on-call than anyone else. Sprint 27 is in progress; the data ends on
Wednesday 2026-11-25.

Writes into data/sample/: jira_shop_export.csv (Jira Cloud "CSV (all fields)"),
pagerduty_incidents.csv (PagerDuty analytics raw incidents), oncall_schedule.ics
(PagerDuty WebCal feed), sprints.csv. The output is byte-identical on every run
(fixed seed, fixed dates). `python data/generate_sample.py --check` also re-reads
the files and prints the per-sprint story.
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
SPRINT1_START = date(2025, 11, 24)       # a Monday; sprints last 14 days, Monday to Sunday
N_SPRINTS = 27
AS_OF = datetime(2026, 11, 25, 16, 30)   # nothing in the exports is later than this
PROJECT_KEY, PROJECT_NAME = "SHOP", "Shop Checkout"
FIRST_ISSUE_ID, FIRST_PD_NUMBER = 10001, 2041

# Per sprint: (capacity, unplanned points done, planned points done). Sprint 27 is under way.
SPRINT_PLAN = [(40, 5, 34), (40, 6, 31), (36, 4, 28), (42, 9, 31), (40, 6, 33), (44, 5, 37),
               (40, 6, 31), (42, 11, 29),                                           # calm
               (40, 21, 18), (38, 24, 15), (40, 27, 12), (40, 23, 16), (42, 21, 19),
               (40, 17, 21),                                                        # firefighting
               (40, 14, 21), (38, 12, 22), (40, 11, 23), (40, 8, 22), (42, 8, 21), (40, 8, 23),
               (40, 10, 25), (42, 9, 26), (40, 10, 26), (40, 10, 24), (40, 13, 21),
               (40, 16, 17),                                                        # partial recovery
               (40, 3, 0)]
SPRINT27_COMMITTED = 34
INCIDENTS_PER_SPRINT = [2, 1, 1, 2, 1, 2, 2, 3, 5, 6, 6, 5, 4, 3, 3, 2, 2, 2, 1, 2, 2, 2, 1, 2, 3, 3, 1]
OTHER_INCIDENT_SPRINTS = (3, 11, 19, 24)  # their first incident matches no category keyword


def reserve_for(n: int) -> int:
    return 6 if n <= 12 else 8 if n <= 20 else 10   # raised after the firefight


ENGINEERS = ["Priya Nair", "Tom Becker", "Ana Souza", "Jonas Meyer", "Lena Fischer", "Sam Okafor"]
PRODUCT_OWNER = "Mara Lindqvist"
ROTATION = ["Priya Nair", "Ana Souza", "Jonas Meyer", "Lena Fischer", "Tom Becker"]  # Sam is not on call
COVER_PERSON = "Tom Becker"
SCHEDULE_URL = "https://example.pagerduty.com/schedules#PABC123"
SERVICE_COMPONENT = {"checkout-api": "Checkout API", "payments-gateway": "Payments", "web-frontend": "Web",
                     "search": "Search", "notifications": "Notifications"}
COMPONENTS = list(SERVICE_COMPONENT.values()) + ["Platform"]
AREA_LABELS = ["frontend", "backend", "payments", "api"]

CATEGORY_KEYWORDS = {k: v.split(",") for k, v in {  # METRICS.md: first category whose keyword occurs wins
    "monitoring": "alert,monitoring,dashboard,metric,observability,paging",
    "error-handling": "exception,error handling,unhandled,crash,null,retry,timeout handling",
    "integration": "integration,third-party,partner,vendor,webhook,upstream,api contract",
    "configuration": "config,configuration,flag,setting,drift,secret,certificate",
    "capacity": "capacity,disk,memory,pool,exhausted,quota,throttl,saturat",
    "deployment": "deploy,rollout,release,migration,rollback"}.items()}
INCIDENT_THEMES = """
monitoring     4 checkout-api     Alert not firing for checkout errors
monitoring     1 web-frontend     Checkout latency dashboard showing stale data
monitoring     1 payments-gateway Paging storm from duplicate payment alerts
monitoring     1 payments-gateway Missing metrics for payments-gateway after agent upgrade
error-handling 2 checkout-api     Unhandled exception in cart total calculation
error-handling 1 notifications    Null pointer in order confirmation email
error-handling 1 checkout-api     Checkout worker crash loop on malformed basket
error-handling 1 payments-gateway Retry storm on declined card payments
integration    4 payments-gateway Payment provider webhook timeouts
integration    1 web-frontend     Third-party address lookup returning 503s
integration    1 checkout-api     Partner API rejecting new order payload
integration    1 checkout-api     Upstream tax service latency spike
configuration  2 checkout-api     Config drift between checkout-api pods
configuration  2 web-frontend     Feature flag enabled express checkout for all users
configuration  1 payments-gateway Expired TLS certificate on payments-gateway
configuration  1 web-frontend     Wrong currency setting after locale change
configuration  1 notifications    Rotated secret not picked up by notifications
capacity       5 checkout-api     DB connection pool exhausted
capacity       1 search           Disk full on search indexer
capacity       1 web-frontend     Memory leak in web-frontend SSR
capacity       1 notifications    SMS quota exceeded for order notifications
capacity       1 checkout-api     Redis saturated during flash sale
deployment     1 web-frontend     Bad release broke guest checkout
deployment     1 checkout-api     Schema migration locked orders table
deployment     1 search           Rollback after search deploy returned empty results
deployment     1 payments-gateway Failed rollout of payments-gateway canary
other          1 web-frontend     Checkout page slow for EU customers
other          1 notifications    Duplicate order confirmation emails
other          1 checkout-api     Promo codes not applied at checkout
other          1 search           Search results missing new products"""
PHASE_CATEGORY_WEIGHTS = {
    "calm": {"deployment": 3, "error-handling": 2, "integration": 2, "configuration": 1, "capacity": 1,
             "monitoring": 1},
    "firefight": {"capacity": 4, "integration": 3, "monitoring": 2, "deployment": 1, "error-handling": 1,
                  "configuration": 1},
    "recovery": {"monitoring": 3, "configuration": 3, "error-handling": 1, "integration": 1, "capacity": 1,
                 "deployment": 1}}
STUBBORN = ("monitoring", "configuration")   # their follow-ups mostly stay open
FOLLOW_UPS = {
    "monitoring": ["Add alert on checkout 5xx rate", "Page on-call when payment success rate drops",
                   "Add synthetic check for the checkout flow", "Fix dashboard query for checkout latency"],
    "error-handling": ["Handle empty basket in cart total calculation", "Bound retries on card declines",
                       "Add null checks to confirmation email templates",
                       "Reject malformed basket payloads at the API edge"],
    "integration": ["Add circuit breaker around payment provider webhooks", "Queue webhook processing",
                    "Contract tests with address lookup partner", "Cache tax rates when upstream is slow"],
    "configuration": ["Validate feature flags in CI", "Automate certificate renewal for payments-gateway",
                      "Detect config drift in the deploy pipeline", "Reload rotated secrets without restart"],
    "capacity": ["Raise DB connection pool limit and add headroom alert", "Load test flash sale traffic",
                 "Set memory limits on web-frontend pods", "Clean up old search index snapshots"],
    "deployment": ["Add canary analysis to checkout-api rollout", "Make schema migrations online-safe",
                   "One-click rollback for search deploys", "Smoke test guest checkout after each deploy"],
    "other": ["Profile checkout page for EU customers", "Deduplicate confirmation email sends"]}
FEATURES = ("saved addresses|gift cards|Apple Pay|promo code field|delivery slots|order notes|split payments|"
            "VAT breakdown|guest checkout|address autocomplete|currency selector|order tracking link|"
            "loyalty points|invoice download|express shipping|click and collect|basket sharing|"
            "PayPal Pay Later|3-D Secure v2|order cancellation|partial refunds").split("|")
SUMMARIES = {
    "Story": ["Add {f} to checkout", "Show {f} on the order summary", "Support {f} in the payment step",
              "Expose {f} via the checkout API", "Track analytics events for {f}", "Polish {f} on mobile",
              "A/B test {f}", "Localise {f} for DE and FR"],
    "Task": ["Upgrade {lib} in {svc}", "Remove dead code around {f}", "Write runbook for {svc}",
             "Migrate {svc} CI to the new runners", "Split {svc} integration tests", "Document {f} API"],
    "Bug": ["Cart total wrong when {f} is used", "Blank page after applying {f}", "Double charge with {f}",
            "{f} missing on order confirmation", "Safari layout broken for {f}", "Rounding error in {f}"],
    "Support": ["Customer cannot complete order #{n}", "Refund stuck for order #{n}",
                "Investigate missing confirmation for order #{n}", "Export failed payments for finance",
                "Merchant asks why order #{n} was declined", "Help support team with bulk address fix"]}
LIBS = ["Spring Boot", "React", "Node 22", "Postgres driver", "OpenTelemetry SDK", "Stripe SDK"]
TECH_DEBT = ("Replace hand-rolled HTTP client in checkout-api|Remove legacy basket v1 endpoints|"
             "Consolidate currency formatting helpers|Delete unused feature toggles|"
             "Move payments-gateway off Java 11|Add typed errors to checkout-api|Untangle order state machine|"
             "Split monolithic web-frontend bundle|Replace cron jobs with queue workers|"
             "Drop deprecated search index fields|Upgrade Postgres 13 to 16|Retire old notification templates|"
             "Make integration tests hermetic|Unify logging format across services|Replace Moment.js|"
             "Clean up flaky checkout e2e tests|Remove sleep() calls from payment polling|"
             "Extract pricing into its own module|Archive orders older than 7 years|Pin base images|"
             "Remove basket cache double writes|Replace polling with events in notifications|"
             "Add contract tests for the orders API").split("|")
COMMENTS = ["Looked into this, root cause is in the basket service.", "PR is up, needs a second review.",
            "Deployed to staging, QA please verify.", "Can't reproduce on staging, asking support for a HAR.",
            "Blocked until the provider answers our ticket.", "Done, verified in production.",
            "Talked to Mara: \"good enough for now\", follow-up ticket created.\nClosing this one."]
CARRY_COMMENT = "Moved to next sprint, we ran out of time.\nKeeping the estimate."

# Jira header in order; "xN" = repeated at least N times (more when a row needs it).
JIRA_HEADER = [(h.split(" x")[0], int(h.split(" x")[1]) if " x" in h else 1) for h in (
    "Summary|Issue key|Issue id|Issue Type|Status|Status Category|Project key|Project name|Project type|"
    "Priority|Resolution|Assignee|Assignee Id|Reporter|Created|Updated|Resolved|Due date|Labels x3|"
    "Component/s x2|Description|Original Estimate|Remaining Estimate|Time Spent|Σ Time Spent|Sprint x3|"
    "Custom field (Story point estimate)|Custom field (Severity)|Custom field (PagerDuty Incident)|"
    "Inward issue link (Relates) x2|Outward issue link (Relates) x2|Outward issue link (Blocks) x2|"
    "Parent|Parent key|Parent summary|Comment x2|Custom field (Rank)").split("|")]
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
    u_left: float          # unplanned points still to hand out for this sprint
    p_left: float          # planned points still to hand out
    start: date | None = None
    end: date | None = None
    followup_left: float = 0  # room for incident follow-ups and tech debt

    def __post_init__(self):
        self.start, self.end = sprint_dates(self.n)
        self.followup_left = round(self.p_left * 0.4)


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
    spent: int | None = None      # seconds
    estimate: int | None = None   # seconds
    due: date | None = None
    severity: str = ""
    pd_id: str = ""
    relates_out: list[Item] = field(default_factory=list)
    relates_in: list[Item] = field(default_factory=list)
    blocks: list[Item] = field(default_factory=list)
    parent: Item | None = None
    subtasks: list[Item] = field(default_factory=list)
    comments: list[tuple[datetime, str, str]] = field(default_factory=list)
    key: str = ""
    id: int = 0


# ---------------------------------------------------------------- small helpers

def sprint_dates(n: int) -> tuple[date, date]:
    start = SPRINT1_START + timedelta(days=14 * (n - 1))
    return start, start + timedelta(days=13)


def sprint_of(moment: datetime) -> int | None:
    n = (moment.date() - SPRINT1_START).days // 14 + 1
    return n if 1 <= n <= N_SPRINTS else None


def at_work(rng: random.Random, day: date) -> datetime:
    return datetime.combine(day, time(8, 30)) + timedelta(minutes=rng.randint(0, 555))


def weekday(rng: random.Random, first: date, last: date) -> date:
    days = [first + timedelta(d) for d in range((last - first).days + 1)]
    return rng.choice([d for d in days if d.weekday() < 5] or days)


def finish(rng: random.Random, created: datetime, first: date, last: date) -> datetime:
    """A resolution time after `created`, in working hours of a weekday in [first, last]."""
    moment = at_work(rng, weekday(rng, max(first, created.date()), last))
    if moment <= created:
        moment = created + timedelta(minutes=rng.randint(20, 180))
    return min(moment, datetime.combine(last, time(23, 50)), AS_OF)


def jira_date(moment: datetime | None) -> str:
    """Jira Cloud's `dd/MMM/yy h:mm a`, e.g. 05/Mar/26 2:07 PM."""
    if moment is None:
        return ""
    hour, ampm = moment.hour % 12 or 12, "AM" if moment.hour < 12 else "PM"
    return f"{moment.day:02d}/{MONTHS[moment.month - 1]}/{moment:%y} {hour}:{moment:%M} {ampm}"


def iso_z(moment: datetime | None) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ") if moment else ""


def account_id(name: str) -> str:
    """Jira Cloud account ids: some `712020:<24 hex>`, some bare 24 hex."""
    digest = hashlib.md5(name.encode()).hexdigest()[:24]
    return f"712020:{digest}" if (ENGINEERS + [PRODUCT_OWNER]).index(name) % 2 == 0 else digest


def categorise(title: str) -> str:
    low = title.lower()
    return next((c for c, words in CATEGORY_KEYWORDS.items() if any(w in low for w in words)), "other")


def weighted(rng: random.Random, pairs):
    values, weights = zip(*pairs)
    return rng.choices(values, weights)[0]


def take_points(rng: random.Random, left: float, options=(1, 1, 2, 2, 3, 3, 5, 8)) -> float | None:
    """A story-point value that still fits in `left`, so a sprint's total comes out exact."""
    fitting = [p for p in options if p <= left]
    return float(rng.choice(fitting)) if fitting else (0.5 if left >= 0.5 else None)


def summary(rng: random.Random, kind: str) -> str:
    text = rng.choice(SUMMARIES[kind]).format(f=rng.choice(FEATURES), lib=rng.choice(LIBS),
                                              svc=rng.choice(list(SERVICE_COMPONENT)),
                                              n=rng.randint(480000, 990000))
    return text[0].upper() + text[1:]


def describe(rng: random.Random, item: Item) -> str:
    if item.type in ("Bug", "Hotfix", "Incident") and rng.random() < 0.7:
        return ("Steps to reproduce:\n1. Add 2 items to the basket, one of them discounted\n"
                f"2. Click \"Pay now\", then go back\n3. Pay again with {rng.choice(['Visa', 'PayPal'])}\n\n"
                "Expected: one charge, order confirmed.\n"
                f"Actual: {rng.choice(['two charges', 'spinner forever', 'HTTP 502'])}, see Sentry.")
    if item.type == "Post-incident review":
        return (f"Timeline, impact, root cause and actions.\n\nImpact: checkout degraded, about "
                f"{rng.randint(2, 40)}% of orders affected.\nOwner: {item.assignee}")
    if item.type == "Story" and rng.random() < 0.3:
        return (f"As a shopper I want this ({item.summary.lower()}) so that paying is quicker.\n\n"
                "Acceptance criteria:\n- works on mobile, tablet and desktop\n"
                "- copy reviewed by \"UX writing\"")
    return rng.choice(["", "See linked Confluence page.", f"{item.summary}. Agreed in refinement.",
                       "Small change, no design needed."])


def link(source: Item, target: Item) -> None:
    source.relates_out.append(target)
    target.relates_in.append(source)


# ---------------------------------------------------------------- on-call and incidents

def build_oncall(rng: random.Random) -> list[tuple[str, datetime, datetime]]:
    """Weekly shifts from Monday 09:00 UTC; Tom covers a holiday week and part of a week for everyone."""
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
        if w not in split_cover:
            shifts.append((person, start, end))
        elif rng.random() < 0.5:    # Tom takes the longer part of the week, before or after
            cut = start + timedelta(days=rng.randint(2, 3))
            shifts += [(person, start, cut), (COVER_PERSON, cut, end)]
        else:
            cut = start + timedelta(days=rng.randint(4, 5))
            shifts += [(COVER_PERSON, start, cut), (person, cut, end)]
    return shifts


def on_call_at(shifts, moment: datetime) -> str | None:
    return next((p for p, s, e in shifts if s <= moment < e), None)


def incident_time(rng: random.Random, n: int) -> datetime:
    first, last = sprint_dates(n)
    last = min(last, AS_OF.date() - timedelta(days=1))
    day = first + timedelta(days=rng.randint(0, (last - first).days))
    kind = rng.choices(["business", "evening", "sleep"], [60, 25, 15])[0]
    seconds = timedelta(seconds=rng.randint(0, 59))
    if kind == "business":
        return at_work(rng, weekday(rng, day, last)) + seconds
    start, minutes = (time(18), 239) if kind == "evening" else (time(22), 599)
    return datetime.combine(day, start) + timedelta(minutes=rng.randint(0, minutes)) + seconds


def build_incidents(rng: random.Random, shifts) -> list[Incident]:
    themes = [line.split(maxsplit=3) for line in INCIDENT_THEMES.strip().splitlines()]
    incidents = []
    for n, count in enumerate(INCIDENTS_PER_SPRINT, start=1):
        phase = "calm" if n <= 8 else "firefight" if n <= 14 else "recovery"
        for i in range(count):
            category = weighted(rng, PHASE_CATEGORY_WEIGHTS[phase].items())
            category = "other" if i == 0 and n in OTHER_INCIDENT_SPRINTS else category
            _, _, service, title = weighted(rng, [(t, int(t[1])) for t in themes if t[0] == category])
            assert categorise(title) == category, title
            p1 = 10 if phase == "firefight" else 1
            priority = weighted(rng, zip(["P1", "P2", "P3", "P4", "P5"], [p1, 13, 55, 15, 8]))
            pd_id = "Q" + "".join(rng.choices("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789", k=13))
            incidents.append(Incident(pd_id, incident_time(rng, n), title, category,
                                      service, priority))
    incidents.sort(key=lambda inc: inc.created)
    for inc in incidents:
        hours = {"P1": (1, 5), "P2": (1, 10), "P3": (0.5, 24), "P4": (1, 60), "P5": (2, 72)}[inc.priority]
        inc.resolved = inc.created + timedelta(seconds=int(rng.uniform(*hours) * 3600))
        inc.responder = on_call_at(shifts, inc.created)
    incidents[-1].resolved = None   # still being worked on when the data was exported
    return incidents


def hour_bucket(moment: datetime) -> str:
    """PagerDuty's interruption buckets (team in UTC)."""
    if moment.hour >= 22 or moment.hour < 8:
        return "sleep"
    return "business" if moment.weekday() < 5 and moment.hour < 18 else "off"


def pd_rows(rng: random.Random, incidents: list[Incident]) -> list[list]:
    rows = []
    for number, inc in enumerate(incidents, start=FIRST_PD_NUMBER):
        high = inc.priority in ("P1", "P2") or (inc.priority == "P3" and rng.random() < 0.4)
        ack = rng.randint(60, 900 if hour_bucket(inc.created) == "business" else 1800)
        escalations = rng.choices([0, 1, 2], [70, 22, 8])[0]
        pages = {"business": 0, "off": 0, "sleep": 0}
        pages[hour_bucket(inc.created)] = 1 + escalations + (rng.random() < 0.3)
        to_resolve = int((inc.resolved - inc.created).total_seconds()) if inc.resolved else ""
        engaged = rng.randint(2, 5) if inc.priority == "P1" else rng.randint(1, 3)
        rows.append([inc.id, number, inc.title, iso_z(inc.created), iso_z(inc.resolved),
                     "resolved" if inc.resolved else "acknowledged", "high" if high else "low", inc.priority,
                     str(inc.priority == "P1").lower(), inc.service, "Checkout", "Checkout Primary",
                     inc.responder, "false", ack, to_resolve, engaged, escalations, *pages.values()])
    return rows


# ---------------------------------------------------------------- work items

class Backlog:
    """Creates the work items, keeping every sprint's planned and unplanned points exact."""

    def __init__(self, rng: random.Random, shifts):
        self.rng, self.shifts = rng, shifts
        self.sprints = [Sprint(n, cap, u, p) for n, (cap, u, p) in enumerate(SPRINT_PLAN, start=1)]
        self.items: list[Item] = []
        self.epics: list[Item] = []

    def sprint(self, n: int) -> Sprint:
        return self.sprints[n - 1]

    def add(self, item: Item) -> Item:
        rng = self.rng
        item.assignee = item.assignee or rng.choice(ENGINEERS)
        item.reporter = rng.choice([PRODUCT_OWNER, item.assignee, rng.choice(ENGINEERS)])
        item.components = item.components or rng.sample(COMPONENTS, rng.choice([1, 1, 1, 2]))
        item.description = item.description or describe(rng, item)
        item.status = "Done" if item.resolved else item.status
        self.items.append(item)
        return item

    def epic_for(self, created: datetime) -> Item | None:
        epics = [e for e in self.epics if e.created < created]
        return self.rng.choice(epics) if epics and self.rng.random() < 0.45 else None

    def schedule(self, item: Item, sprint_numbers: range, earliest: bool = True) -> bool:
        """Plan a follow-up or tech-debt item into a sprint with room, and finish it there."""
        room = [n for n in sprint_numbers if self.sprint(n).followup_left >= item.points]
        if not room:
            return False
        s = self.sprint(room[0] if earliest else self.rng.choice(room))
        s.followup_left -= item.points
        s.p_left -= item.points
        item.sprints = [s.n]
        item.resolved = finish(self.rng, item.created, s.start + timedelta(1), s.end - timedelta(2))
        return True

    # -- incidents: fixes, reviews, follow-ups
    def add_epics(self) -> None:
        for title, created, done in [("Checkout redesign", date(2025, 10, 6), date(2026, 4, 30)),
                                     ("Buy now, pay later", date(2025, 11, 3), date(2026, 9, 18)),
                                     ("Payments provider resilience", date(2026, 2, 9), None),
                                     ("One-page checkout", date(2026, 4, 20), None),
                                     ("Observability for checkout", date(2026, 6, 15), None)]:
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
            if inc.priority in ("P1", "P2") or rng.random() < (0.45 if inc.priority == "P3" else 0.1):
                kind = rng.choice(["Hotfix", "Hotfix", "Bug"])
                fixes.append(self.incident_fix(inc, kind, f"Hotfix: {inc.title}"))
            if inc in reviewed:
                self.post_incident_review(inc, fixes)

    def incident_fix(self, inc: Incident, kind: str, title: str) -> Item:
        rng = self.rng
        created = inc.created + timedelta(minutes=rng.randint(5, 60))
        n = sprint_of(created)
        n += datetime.combine(self.sprint(n).end, time(23, 20)) < created   # too late: next sprint
        s = self.sprint(n)
        points = take_points(rng, s.u_left, (1, 2, 2, 3)) if rng.random() < 0.9 else None
        s.u_left -= points or 0
        resolved = min(created + timedelta(hours=rng.uniform(1, 30)), datetime.combine(s.end, time(23, 50)))
        severity = {"P1": "Sev-1", "P2": "Sev-2", "P3": "Sev-3"}.get(inc.priority, "Sev-4")
        return self.add(Item(kind, title, created, [n], points, resolved if resolved <= AS_OF else None,
                             status="In Progress", priority="Highest" if inc.priority == "P1" else "High",
                             assignee=inc.responder, pd_id=inc.id, components=[SERVICE_COMPONENT[inc.service]],
                             severity=severity if kind != "Hotfix" and rng.random() < 0.8 else "",
                             labels=["customer-reported"] if rng.random() < 0.2 else []))

    def post_incident_review(self, inc: Incident, fixes: list[Item]) -> None:
        rng = self.rng
        day = inc.created.date()
        created = min(at_work(rng, weekday(rng, day + timedelta(1), day + timedelta(5))),
                      AS_OF - timedelta(hours=3))
        resolved = at_work(rng, weekday(rng, created.date() + timedelta(2), created.date() + timedelta(6)))
        resolved = resolved if resolved <= AS_OF else None
        pir = self.add(Item("Post-incident review", f"PIR: {inc.title}", created,
                            [sprint_of(resolved)] if resolved and rng.random() < 0.5 else [], None, resolved,
                            status="In Progress", pd_id=inc.id, labels=["postmortem"],
                            components=[SERVICE_COMPONENT[inc.service]], assignee=inc.responder))
        for fix in fixes[-1:]:
            link(pir, fix)
        for title in rng.sample(FOLLOW_UPS[inc.category], rng.choice([1, 2, 2, 3])):
            self.follow_up(inc, pir, title, rng.random() < (0.25 if inc.category in STUBBORN else 0.65))

    def follow_up(self, inc: Incident, pir: Item, title: str, will_resolve: bool) -> None:
        rng = self.rng
        labels = ["incident-followup"] + (["postmortem"] if rng.random() < 0.3 else [])
        if inc.category in ("capacity", "deployment") and rng.random() < 0.35:
            labels.append("tech-debt")
        elif rng.random() < 0.25:
            labels.append(inc.category)
        created = pir.created + timedelta(minutes=rng.randint(10, 180))
        item = Item(rng.choice(["Task", "Task", "Story"]), title, created,
                    points=take_points(rng, 8, (1, 2, 3, 3, 5)), labels=labels, pd_id=inc.id,
                    components=[SERVICE_COMPONENT[inc.service]], priority="High")
        first = sprint_of(item.created) + 1 + rng.randint(0, 2)
        scheduled = will_resolve and self.schedule(item, range(first, N_SPRINTS))
        if not scheduled and first <= N_SPRINTS and rng.random() < 0.25:
            item.sprints = [rng.randint(first, N_SPRINTS)]   # planned in, then dropped or still open
        link(item, pir)
        self.add(item)

    def add_tech_debt(self) -> None:
        rng = self.rng
        for i, title in enumerate(TECH_DEBT):
            created = at_work(rng, SPRINT1_START + timedelta(days=rng.randint(-120, 330)))
            item = Item("Task", title, created, labels=["tech-debt"] + rng.sample(AREA_LABELS, 1),
                        points=take_points(rng, 8, (2, 3, 5, 8)), priority=rng.choice(["Medium", "Low"]))
            if i % 3 == 0:   # a third gets paid down, the rest waits in the backlog
                self.schedule(item, range(max((sprint_of(created) or 0) + 1, 2), N_SPRINTS), earliest=False)
            self.add(item)

    # -- sprint contents
    def fill_sprint(self, s: Sprint) -> None:
        rng = self.rng
        while s.u_left >= 0.5:
            points = take_points(rng, s.u_left, (1, 1, 2, 2, 3, 5))
            s.u_left -= points
            self.unplanned(s, points)
        for _ in range(rng.choice([0, 0, 1])):
            self.unplanned(s, None)     # logged hours, never estimated
        planned = []
        while s.p_left >= 0.5:
            planned.append(self.planned(s, take_points(rng, s.p_left)))
            s.p_left -= planned[-1].points
        if rng.random() < 0.2:
            planned.append(self.planned(s, None))
        self.carry_over(s, len(planned))
        for story in rng.sample(planned, rng.choice([0, 1, 1])):
            self.subtask(story)

    def unplanned(self, s: Sprint, points: float | None) -> None:
        """One of: a Bug/Support ticket, an `interrupt`-labelled story, or a story added mid-sprint."""
        rng = self.rng
        kind = rng.choices(["Bug", "Support", "interrupt", "mid-sprint"], [35, 20, 17, 28])[0]
        latest = min(s.start + timedelta(9), AS_OF.date())
        if kind == "interrupt":
            created = at_work(rng, s.start - timedelta(rng.randint(1, 10)))
        elif kind == "mid-sprint":
            created = at_work(rng, weekday(rng, min(s.start + timedelta(2), latest), latest))
        else:
            created = at_work(rng, weekday(rng, s.start - timedelta(3), latest))
        created = min(created, AS_OF - timedelta(hours=4))
        resolved = finish(rng, created, s.start, s.end - timedelta(1))
        if kind in ("Bug", "Support"):
            item = Item(kind, summary(rng, kind), created, [s.n], points, resolved,
                        priority=rng.choice(["High", "Medium", "Medium"]),
                        labels=["customer-reported"] if rng.random() < 0.4 else [],
                        severity=rng.choice(["", "Sev-3", "Sev-4"]) if kind == "Bug" else "")
        else:
            labels = [rng.choice(["interrupt", "unplanned"])] if kind == "interrupt" else []
            item = Item(rng.choice(["Story", "Task"]), summary(rng, "Story"), created, [s.n], points,
                        resolved, labels=labels + rng.sample(AREA_LABELS, 1), priority="High")
        on_call = on_call_at(self.shifts, created)
        item.assignee = on_call if rng.random() < 0.4 else None   # interrupts land on the on-call person
        self.add(item)

    def planned(self, s: Sprint, points: float | None, final: Sprint | None = None) -> Item:
        """A story or task refined before sprint planning, finished in `final` (default: s)."""
        rng = self.rng
        created = at_work(rng, s.start - timedelta(rng.randint(1, 30)))
        if rng.random() < 0.15:   # written during planning itself
            created = datetime.combine(s.start, time(9)) + timedelta(minutes=rng.randint(0, 90))
        final = final or s
        kind = rng.choice(["Story", "Story", "Story", "Task"])
        item = Item(kind, summary(rng, kind), created, list(range(s.n, final.n + 1)), points,
                    finish(rng, created, final.start + timedelta(1), final.end - timedelta(2)),
                    parent=self.epic_for(created), labels=rng.sample(AREA_LABELS, rng.choice([0, 1, 1, 2])),
                    priority=rng.choice(["High", "Medium", "Medium", "Medium", "Low"]))
        if rng.random() < 0.12:
            item.due = s.end - timedelta(2)
        if rng.random() < 0.08 and self.items[-1].type in ("Story", "Task"):
            item.blocks.append(self.items[-1])
        return self.add(item)

    def carry_over(self, s: Sprint, planned_count: int) -> None:
        """Stories committed to s but finished one or two sprints later (their points count there)."""
        rng = self.rng
        for _ in range(max(1, round(planned_count * 0.11))):
            hops = 2 if rng.random() < 0.15 and s.n + 2 <= N_SPRINTS else 1
            if s.n + hops > N_SPRINTS:
                return
            final = self.sprint(s.n + hops)
            points = take_points(rng, 8 if final.n == N_SPRINTS else final.p_left * 0.35, (2, 3, 5))
            if points is None:
                return
            item = self.planned(s, points, final)
            item.comments.append((at_work(rng, s.end - timedelta(2)), item.assignee, CARRY_COMMENT))
            if final.n == N_SPRINTS:
                item.resolved, item.status = None, rng.choice(["In Progress", "In Review"])
            else:
                final.p_left -= points

    def subtask(self, story: Item) -> None:
        rng = self.rng
        start = datetime.combine(self.sprint(story.sprints[-1]).start, time(9))
        created, resolved = max(story.created, start) + timedelta(minutes=rng.randint(10, 300)), None
        if story.resolved:
            created = min(created, story.resolved - timedelta(minutes=30))
            resolved = min(finish(rng, created, created.date(), story.resolved.date()), story.resolved)
        sub = Item("Sub-task", f"{rng.choice(['Backend', 'Frontend', 'Tests', 'Docs'])} for {story.summary}",
                   created, list(story.sprints), None, resolved, status="In Progress", parent=story,
                   assignee=story.assignee, components=story.components[:1])
        story.subtasks.append(self.add(sub))

    def fill_current_sprint(self, s: Sprint) -> None:
        """Sprint 27, two and a half days in: two small stories done, the rest open."""
        rng = self.rng
        carried_in = [i for i in self.items if s.n in i.sprints and i.sprints[0] < s.n]
        left = SPRINT27_COMMITTED - sum(i.points or 0 for i in carried_in)
        done = 0
        while left >= 1:
            item = self.planned(s, take_points(rng, left, (1, 2, 3, 5)))
            left -= item.points
            if done < 2 and item.points <= 2:
                item.resolved = AS_OF - timedelta(hours=2) if done else at_work(rng, s.start + timedelta(1))
                done += 1
            else:
                item.resolved, item.status = None, rng.choice(["To Do", "To Do", "In Progress", "In Review"])
        while s.u_left >= 0.5:
            points = take_points(rng, s.u_left, (1, 2, 3))
            s.u_left -= points
            self.unplanned(s, points)

    def add_backlog(self, count: int) -> None:
        """Refined but never pulled into a sprint."""
        rng = self.rng
        for _ in range(count):
            created = at_work(rng, SPRINT1_START + timedelta(days=rng.randint(-90, 364)))
            created = min(created, AS_OF - timedelta(hours=6))
            kind = rng.choices(["Story", "Task", "Bug"], [55, 25, 20])[0]
            points = take_points(rng, 8) if rng.random() < 0.96 else None
            self.add(Item(kind, summary(rng, kind), created, points=points,
                          priority=rng.choice(["Medium", "Low", "Low"]), parent=self.epic_for(created),
                          labels=rng.sample(AREA_LABELS, rng.choice([0, 1]))))

    def add_kanban_support(self, count: int) -> None:
        """Support requests handled outside any sprint (they count in no sprint)."""
        rng = self.rng
        for _ in range(count):
            created = at_work(rng, weekday(rng, SPRINT1_START, AS_OF.date() - timedelta(3)))
            self.add(Item("Support", summary(rng, "Support"), created,
                          points=take_points(rng, 2, (0.5, 1, 1, 2)),
                          resolved=finish(rng, created, created.date(), created.date() + timedelta(3)),
                          labels=["customer-reported"]))


# ---------------------------------------------------------------- finishing touches and writers

def finalise(rng: random.Random, items: list[Item]) -> list[Item]:
    """Keys and ids in creation order, time tracking, comments."""
    items.sort(key=lambda i: i.created)
    for n, item in enumerate(items):
        item.key, item.id = f"{PROJECT_KEY}-{n + 1}", FIRST_ISSUE_ID + n
    for item in items:
        if item.resolved or item.status != "To Do":
            if item.points and rng.random() < 0.85:
                item.spent = int(item.points * rng.uniform(2, 6) * 4) * 900
            elif item.points is None and item.type != "Epic":
                item.spent = rng.randint(2, 24) * 1800
            if not item.resolved and item.spent:
                item.spent //= 2
        if item.points and rng.random() < 0.35:
            item.estimate = int(item.points * 4 * 3600)
        end = item.resolved or AS_OF
        if rng.random() < 0.35 and end > item.created + timedelta(hours=2):
            when = item.created + (end - item.created) * rng.uniform(0.2, 0.95)
            item.comments.append((when, rng.choice(ENGINEERS), rng.choice(COMMENTS)))
        item.comments.sort()
    return items


def jira_record(rng: random.Random, item: Item, rank: int) -> dict[str, list]:
    """Every header name -> this item's values for it, left to right."""
    last = max([item.created, item.resolved or item.created] + [c[0] for c in item.comments])
    updated = min(last + timedelta(minutes=rng.randint(1, 600)), AS_OF)
    remaining = ("" if item.estimate is None else 0 if item.resolved
                 else max(0, item.estimate - (item.spent or 0)))
    parent = item.parent
    values = {
        "Summary": item.summary, "Issue key": item.key, "Issue id": item.id, "Issue Type": item.type,
        "Status": item.status, "Status Category": STATUS_CATEGORY[item.status], "Project key": PROJECT_KEY,
        "Project name": PROJECT_NAME, "Project type": "software", "Priority": item.priority,
        "Resolution": "Done" if item.resolved else "", "Assignee": item.assignee or "",
        "Assignee Id": account_id(item.assignee) if item.assignee else "", "Reporter": item.reporter,
        "Created": jira_date(item.created), "Updated": jira_date(updated), "Resolved": jira_date(item.resolved),
        "Due date": jira_date(datetime.combine(item.due, time())) if item.due else "",
        "Labels": item.labels, "Component/s": item.components, "Description": item.description,
        "Original Estimate": item.estimate or "", "Remaining Estimate": remaining,
        "Time Spent": item.spent or "",
        "Σ Time Spent": ((item.spent or 0) + sum(s.spent or 0 for s in item.subtasks)) or "",
        "Sprint": [f"SHOP Sprint {n}" for n in item.sprints],
        "Custom field (Story point estimate)": "" if item.points is None else f"{item.points:.1f}",
        "Custom field (Severity)": item.severity, "Custom field (PagerDuty Incident)": item.pd_id,
        "Inward issue link (Relates)": [i.key for i in item.relates_in],
        "Outward issue link (Relates)": [i.key for i in item.relates_out],
        "Outward issue link (Blocks)": [i.key for i in item.blocks],
        "Parent": parent.id if parent else "", "Parent key": parent.key if parent else "",
        "Parent summary": parent.summary if parent else "",
        "Comment": [f"{jira_date(d)};{account_id(p)};{b}" for d, p, b in item.comments],
        "Custom field (Rank)": f"0|i{rank * 37 + 1296:05x}:"}
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
    for key, value in [("prodid", "-//PagerDuty Inc.//PagerDuty Calendar//EN"), ("version", "2.0"),
                       ("x-wr-calname", "Checkout Primary")]:
        cal.add(key, value)
    for n, (person, start, end) in enumerate(shifts):
        event = Event()
        event.add("uid", f"Q{start:%Y%m%d%H%M}PABC123{n:03d}@example.pagerduty.com")
        for key, moment in [("dtstamp", AS_OF), ("dtstart", start), ("dtend", end)]:
            event.add(key, moment.replace(tzinfo=timezone.utc))
        event.add("summary", f"On Call - {person} - Checkout Primary")
        event.add("url", SCHEDULE_URL)
        cal.add_component(event)
    path.write_bytes(cal.to_ical())


def generate(out_dir: Path = OUT_DIR) -> None:
    rng = random.Random(SEED)
    shifts = build_oncall(rng)
    incidents = build_incidents(rng, shifts)
    backlog = Backlog(rng, shifts)
    backlog.add_epics()
    backlog.add_incident_work(incidents)
    backlog.add_tech_debt()
    for s in backlog.sprints[:-1]:
        backlog.fill_sprint(s)
    backlog.fill_current_sprint(backlog.sprints[-1])
    backlog.add_backlog(200)
    backlog.add_kanban_support(45)
    items = finalise(rng, backlog.items)
    latest = max(max(i.created, i.resolved or i.created) for i in items)
    assert latest.date() == AS_OF.date() and latest <= AS_OF, latest
    out_dir.mkdir(parents=True, exist_ok=True)
    write_csv(out_dir / "jira_shop_export.csv", *jira_rows(rng, items))
    write_csv(out_dir / "pagerduty_incidents.csv", PD_HEADER, pd_rows(rng, incidents))
    write_ics(out_dir / "oncall_schedule.ics", shifts)
    write_csv(out_dir / "sprints.csv", ["Sprint", "Start", "End", "Capacity", "Reserve"],
              [[f"SHOP Sprint {s.n}", s.start, s.end, s.capacity, reserve_for(s.n)] for s in backlog.sprints])
    print(f"wrote {len(items)} work items, {len(incidents)} incidents, {len(shifts)} shifts to {out_dir}")


# ---------------------------------------------------------------- --check: re-read the files, tell the story

UNPLANNED_TYPES = {"incident", "bug", "hotfix", "support", "problem"}
UNPLANNED_LABELS = {"unplanned", "interrupt", "incident", "hotfix", "support", "firefight"}


def read_jira(path: Path):
    """The Jira export with plain pandas; repeated headers are collected by position."""
    import pandas as pd
    raw = pd.read_csv(path, header=None, dtype=str, keep_default_na=False)
    header, body = list(raw.iloc[0]), raw.iloc[1:]
    cols = lambda name: [i for i, h in enumerate(header) if h == name]
    one = lambda name: body.iloc[:, cols(name)[0]]
    many = lambda name: body.iloc[:, cols(name)].apply(lambda r: [v for v in r if v], axis=1)
    when = lambda name: pd.to_datetime(one(name), format="%d/%b/%y %I:%M %p")
    return pd.DataFrame({"type": one("Issue Type"), "created": when("Created"),
                         "resolved": when("Resolved"),
                         "points": pd.to_numeric(one("Custom field (Story point estimate)")),
                         "labels": many("Labels"), "sprints": many("Sprint"),
                         "pd": one("Custom field (PagerDuty Incident)")})


def sprint_table(items, sprints):
    """METRICS.md: unplanned by type, label or mid-sprint creation; points count in the completion sprint."""
    import pandas as pd
    span = {s.Sprint: (s.Start, s.End) for s in sprints.itertuples()}
    unplanned = lambda r: (r.type.lower() in UNPLANNED_TYPES or bool(UNPLANNED_LABELS & set(r.labels))
                           or (bool(r.sprints) and r.created.normalize() > span[r.sprints[0]][0]))
    completion = lambda r: None if pd.isna(r.resolved) else next(
        (s for s in r.sprints if span[s][0] <= r.resolved.normalize() <= span[s][1]), None)
    items = items.assign(unplanned=items.apply(unplanned, axis=1), done_in=items.apply(completion, axis=1))
    rows = []
    for s in sprints.itertuples():
        done = items[items.done_in == s.Sprint]
        u, p = done[done.unplanned].points.sum(), done[~done.unplanned].points.sum()
        rows.append({"sprint": s.Sprint, "start": s.Start.date(), "capacity": s.Capacity, "planned_done": p,
                     "unplanned": u, "share": round(u / (u + p), 3) if u + p else None, "reserve": s.Reserve,
                     "overrun": max(0.0, u - s.Reserve)})
    return pd.DataFrame(rows)


def summarise(out_dir: Path = OUT_DIR) -> None:
    import pandas as pd
    from icalendar import Calendar
    sprints = pd.read_csv(out_dir / "sprints.csv", parse_dates=["Start", "End"])
    items = read_jira(out_dir / "jira_shop_export.csv")
    table = sprint_table(items, sprints)
    print(f"{len(items)} work items, {items.points.isna().sum()} without points")
    print(table.to_string(index=False))
    last3 = table.share.iloc[-4:-1].tolist()    # sprint 27 is not completed
    status = ("firefighting" if sum(x >= 0.5 for x in last3) >= 2 else "at_risk"
              if any(x >= 0.5 for x in last3) or last3[0] < last3[1] < last3[2] else "healthy")
    print(f"last three completed sprints: {last3} -> {status}")

    inc = pd.read_csv(out_dir / "pagerduty_incidents.csv", parse_dates=["created_at"])
    inc = inc.sort_values("created_at")
    inc["category"] = inc.description.map(categorise)
    inc["recurrence"] = [((inc.category == r.category) & (inc.created_at < r.created_at)
                          & (inc.created_at >= r.created_at - pd.Timedelta(days=90))).any()
                         for r in inc.itertuples()]
    print(inc.groupby("category").agg(incidents=("id", "size"), recurrences=("recurrence", "sum")).to_string())
    pirs = set(items[items.type == "Post-incident review"].pd)
    serious = inc[inc.priority_name.isin(["P1", "P2"])]
    print(f"P1/P2 incidents: {len(serious)}, with a PIR: {serious.id.isin(pirs).sum()}; "
          f"PIRs in total: {len(pirs)}; unresolved incidents: {inc.resolved_at.isna().sum()}")
    actions = items[items.labels.map(lambda ls: "incident-followup" in ls or "postmortem" in ls)
                    & (items.type != "Post-incident review")]
    print(f"action items: {len(actions)}, done {actions.resolved.notna().sum()}")
    hours: dict[str, float] = {}
    for ev in Calendar.from_ical((out_dir / "oncall_schedule.ics").read_bytes()).walk("VEVENT"):
        person = str(ev["SUMMARY"]).split(" - ")[1]
        shift = ev.decoded("DTEND") - ev.decoded("DTSTART")
        hours[person] = hours.get(person, 0) + shift.total_seconds() / 3600
    print("on-call shift hours:", dict(sorted(hours.items(), key=lambda kv: -kv[1])))


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description="Write the sample exports into data/sample/.")
    parser.add_argument("--check", action="store_true", help="re-read the files and print the story")
    check = parser.parse_args().check
    generate()
    if check:
        summarise()
