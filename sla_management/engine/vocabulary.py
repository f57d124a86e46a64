"""The app's one vocabulary: statuses, metrics and status-rule effects, as stored in the database.

Both sides use these names: the pure core decides with them and the Frappe layer stores and shows them
(the DocType JSON options list the same strings; a static check compares them). Each is the English
source string that ``_()`` / ``__()`` translate.
"""

from __future__ import annotations

# --- documents whose status moves only through named actions (engine/lifecycle.py) ------------------
DRAFT = "Draft"
IN_REVIEW = "In Review"
APPROVED = "Approved"
PUBLISHED = "Published"
ARCHIVED = "Archived"
CONFIRMED = "Confirmed"
SIGNED = "Signed"
ACTIVE = "Active"
EXPIRED = "Expired"
SUPERSEDED = "Superseded"
CANCELLED = "Cancelled"  # an agreement cancelled after signing, or a timer no agreement covers any more

CATALOG_STATUSES: tuple[str, ...] = (DRAFT, IN_REVIEW, APPROVED, PUBLISHED, ARCHIVED)
REQUIREMENT_STATUSES: tuple[str, ...] = (DRAFT, CONFIRMED)
AGREEMENT_STATUSES: tuple[str, ...] = (
	DRAFT,
	IN_REVIEW,
	APPROVED,
	SIGNED,
	ACTIVE,
	EXPIRED,
	SUPERSEDED,
	CANCELLED,
)
# A submitted agreement in one of these statuses binds the provider (it may cover tickets now or later).
LIVE_AGREEMENT_STATUSES: tuple[str, ...] = (SIGNED, ACTIVE)
# Agreements whose targets a ticket may get (Expired: it was valid on the ticket's opening date).
ELIGIBLE_AGREEMENT_STATUSES: tuple[str, ...] = (ACTIVE, SIGNED, EXPIRED)

# --- SLA timers and the ticket's SLA status ---------------------------------------------------------
RESPONSE = "Response"
RESOLUTION = "Resolution"
TIMER_METRICS: tuple[str, ...] = (RESPONSE, RESOLUTION)

RUNNING = "Running"
PAUSED = "Paused"
MET = "Met"
BREACHED = "Breached"
TIMER_STATUSES: tuple[str, ...] = (RUNNING, PAUSED, MET, BREACHED, CANCELLED)

NOT_APPLIED = "Not Applied"
ERROR = "Error"
TICKET_SLA_STATUSES: tuple[str, ...] = (NOT_APPLIED, RUNNING, PAUSED, MET, BREACHED, ERROR)

# --- what a ticket status means for its timers (SLA Ticket Status Rule.effect) -------------------------
PAUSE = "Pause"
RESPOND = "Respond"
RESOLVE = "Resolve"
REOPEN = "Reopen"
STATUS_EFFECTS: tuple[str, ...] = (PAUSE, RESPOND, RESOLVE, REOPEN)

# --- measurable standards of a requirement (§5.1.1) -------------------------------------------------
AVAILABILITY_HOURS = "Availability Hours"
AVAILABILITY = "Availability"
NUMBER_OF_FAILURES = "Number of Failures"
FAILURE_FREQUENCY = "Failure Frequency"
FAILURE_DURATION = "Failure Duration"
RESPONSE_TIME = "Response Time"
RESOLUTION_TIME = "Resolution Time"
REQUIREMENT_METRICS: tuple[str, ...] = (
	AVAILABILITY_HOURS,
	AVAILABILITY,
	NUMBER_OF_FAILURES,
	FAILURE_FREQUENCY,
	FAILURE_DURATION,
	RESPONSE_TIME,
	RESOLUTION_TIME,
)

# --- outages (SLA Outage.kind, .found_by; engine/availability.py counts them) ---------------------------
DOWN = "Down"
DEGRADED = "Degraded"
PLANNED_MAINTENANCE = "Planned Maintenance"
OUTAGE_KINDS: tuple[str, ...] = (DOWN, DEGRADED, PLANNED_MAINTENANCE)

INCIDENT_TICKET = "Incident Ticket"
INSPECTION = "Inspection"
MONITORING = "Monitoring"
MANUAL = "Manual"
OUTAGE_SOURCES: tuple[str, ...] = (INCIDENT_TICKET, INSPECTION, MONITORING, MANUAL)
