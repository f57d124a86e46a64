"""An ITSS demo of the whole service level management process, built through the app's own controllers.

    bench --site SITE execute sla_management.demo.make_demo
    bench --site SITE execute sla_management.demo.make_demo --kwargs "{'reset': True}"

It creates two service calendars, four service items in a published catalog, two customers (a hospital
and a bank) with a service project each, a confirmed SLA requirement and an active, signed SLA agreement
per project, and — where ERPNext's Issue is a ticket DocType of this app — a few Issues whose SLA timers
run, pause, are met or breached. Each step is done by the role that does it in the process (§4): the
project manager drafts, the operations manager reviews and approves.

Idempotent: every record has a fixed name or is found by its unique fields, and a record left half-way
through its lifecycle is taken on from where it stopped. ``reset=True`` first deletes what the demo made,
in dependency order; published catalog versions (and what they link to) are kept, as the catalog keeps
every reviewed version by design.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import timedelta

import frappe
from frappe import _
from frappe.utils import add_days, add_months, get_first_day, getdate, now_datetime

from sla_management.engine.roles import OPERATIONS_MANAGER, PROJECT_MANAGER

PM = "demo-pm@example.com"
OPS = "demo-ops@example.com"
ADMIN = "Administrator"

CALENDAR_5X8 = "Demo 5x8 Beijing"
CALENDAR_7X24 = "Demo 7x24 UTC"
CATALOG = "Demo IT Service Catalog"
WORKWEEK = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday")
WEEK = (*WORKWEEK, "Saturday", "Sunday")
HOUR = 3600

DESKTOP = "Demo Desktop Support"
SERVER = "Demo Server Operations"
NETWORK = "Demo Network Monitoring"
DATABASE = "Demo Database Administration"

SERVICE_ITEMS = {
	DESKTOP: {
		"category": "Incident Handling",
		"delivery_hours": "5x8",
		"service_object": "Staff PCs, printers and office software",
		"content": "<p>Answer, diagnose and fix desktop incidents and requests, remotely or on site.</p>",
		"typical_response_time": HOUR // 2,
		"typical_resolution_time": 4 * HOUR,
		"typical_availability": 99.0,
	},
	SERVER: {
		"category": "Maintenance",
		"delivery_hours": "7x24",
		"service_object": "Physical and virtual servers in the data center",
		"content": "<p>Monitoring, patching, backup checks and incident handling of servers.</p>",
		"typical_response_time": HOUR // 2,
		"typical_resolution_time": 4 * HOUR,
		"typical_availability": 99.9,
	},
	NETWORK: {
		"category": "Inspection",
		"delivery_hours": "7x24",
		"service_object": "Core and access switches, routers, firewalls and WAN links",
		"content": "<p>Round-the-clock monitoring, alarm handling and a monthly network inspection.</p>",
		"typical_response_time": HOUR // 4,
		"typical_resolution_time": 4 * HOUR,
		"typical_availability": 99.9,
	},
	DATABASE: {
		"category": "Maintenance",
		"delivery_hours": "5x8",
		"service_object": "Production databases (Oracle, MySQL, SQL Server)",
		"content": "<p>Backup and recovery, performance tuning and database incident handling.</p>",
		"typical_response_time": HOUR,
		"typical_resolution_time": 8 * HOUR,
		"typical_availability": 99.5,
	},
}

# The measurable standards both customers ask for (§5.1.1): (metric, priority, value, unit, description)
METRICS = (
	("Availability", None, 99.5, "Percent", "Within the service hours"),
	("Response Time", "P1", 30, "Minutes", "Critical: a whole department cannot work"),
	("Response Time", "P2", 2, "Hours", "High: a service is degraded"),
	("Response Time", "P3", 4, "Hours", "Normal: a single user or a request"),
	("Resolution Time", "P1", 4, "Hours", None),
	("Resolution Time", "P2", 24, "Hours", "One day"),
	("Resolution Time", "P3", 72, "Hours", "Three days"),
	("Number of Failures", None, 2, "Count", "Per monthly report period"),
	("Failure Frequency", None, 2, "Count per Month", None),
	("Failure Duration", None, 4, "Hours", "Longest single failure"),
)
UNIT_SECONDS = {"Minutes": 60, "Hours": HOUR}
# Agreement fields answering the metrics that are not a per-priority target
AGREEMENT_FIELDS = {
	"Availability": "availability_target",
	"Number of Failures": "max_failures",
	"Failure Frequency": "failure_frequency_limit",
	"Failure Duration": "max_failure_duration",
}


@dataclass(frozen=True)
class Customer:
	name: str
	project: str
	agreement_title: str
	calendar: str
	service_hours: str
	items: tuple[str, ...]
	signed_by: str
	contact_email: str
	risk: tuple[str, str]


CUSTOMERS = (
	Customer(
		name="Demo Hospital",
		project="Demo Hospital IT Operations",
		agreement_title="Demo Hospital IT Operations SLA",
		calendar=CALENDAR_5X8,
		service_hours="5x8",
		items=(DESKTOP, NETWORK, SERVER),
		signed_by="Dr. Li, Head of Information Center",
		contact_email="it@demo-hospital.example.com",
		risk=(
			"The core switch of the inpatient building is a single point of failure",
			"Spare switch kept on site; vendor hardware replacement within 4 hours",
		),
	),
	Customer(
		name="Demo Bank",
		project="Demo Bank Data Center Operations",
		agreement_title="Demo Bank Data Center SLA",
		calendar=CALENDAR_7X24,
		service_hours="7x24",
		items=(SERVER, DATABASE, NETWORK),
		signed_by="Ms. Zhang, Data Center Manager",
		contact_email="dc@demo-bank.example.com",
		risk=(
			"Database backups run close to the start of business",
			"Backup window moved earlier; failed backups page the on-duty DBA",
		),
	),
)


@dataclass(frozen=True)
class Ticket:
	customer: str
	subject: str
	priority: str
	service_item: str
	opened_minutes_ago: int
	statuses: tuple[str, ...] = ()  # status changes after opening, in order


TICKETS = (
	Ticket("Demo Hospital", "Outpatient workstations cannot log in to HIS", "P1", DESKTOP, 10),
	Ticket("Demo Hospital", "Ward 3 printer offline", "P2", DESKTOP, 15, ("Replied",)),
	Ticket("Demo Hospital", "New doctor needs an e-mail account", "P3", DESKTOP, 20, ("Replied", "Resolved")),
	# back-dated ten days: its response and resolution targets are breached
	Ticket("Demo Hospital", "Core switch of the inpatient building down", "P1", NETWORK, 10 * 24 * 60),
	Ticket("Demo Bank", "Nightly database backup failed", "P3", DATABASE, 60, ("On Hold",)),
	Ticket("Demo Bank", "Core banking server disk almost full", "P2", SERVER, 5),
	Ticket("Demo Bank", "Branch VPN latency alarm", "P1", NETWORK, 10, ("Replied", "Resolved")),
)
PRIORITIES = ("P1", "P2", "P3")


# --------------------------------------------------------------------------- entry point


def make_demo(reset: bool = False) -> None:
	"""Create (or complete) the demo and print what it holds; ``reset`` deletes the demo records first."""
	if not frappe.db.exists("DocType", "Customer"):
		frappe.throw(_("The demo data needs ERPNext: its customers are ERPNext Customers."))
	kept = []
	with as_user(ADMIN):
		if reset:
			kept = delete_demo()
		summary = build_demo()
	print_summary(summary, kept)


def build_demo() -> dict:
	make_users()
	calendars = {CALENDAR_5X8: make_calendar_5x8(), CALENDAR_7X24: make_calendar_7x24()}
	make_service_items()
	catalog = make_catalog()
	projects = {c.name: make_project(c) for c in CUSTOMERS}
	requirements = {c.name: make_requirement(projects[c.name], c) for c in CUSTOMERS}
	agreements = {
		c.name: make_agreement(c, projects[c.name], requirements[c.name], catalog) for c in CUSTOMERS
	}
	tickets = make_tickets(projects)
	return {
		"calendars": calendars,
		"catalog": catalog,
		"projects": projects,
		"requirements": requirements,
		"agreements": agreements,
		"tickets": tickets,
	}


@contextmanager
def as_user(user: str):
	"""Act as ``user`` (permissions and roles apply), then return to the previous user."""
	previous = frappe.session.user
	frappe.set_user(user)
	try:
		yield
	finally:
		frappe.set_user(previous)


def advance(doctype: str, name: str, steps: dict[str, tuple[str, Callable]], state: Callable | None = None):
	"""Take a record through its lifecycle: while its state has a step, the step's user runs its action."""
	state = state or (lambda: frappe.db.get_value(doctype, name, "status"))
	for _step in range(len(steps)):
		step = steps.get(state())
		if not step:
			return
		user, action = step
		with as_user(user):
			action(frappe.get_doc(doctype, name))


# --------------------------------------------------------------------------- people and customers


def make_users():
	ensure_user(PM, "Project Manager", PROJECT_MANAGER)
	ensure_user(OPS, "Operations Manager", OPERATIONS_MANAGER)


def ensure_user(email: str, last_name: str, role: str):
	if not frappe.db.exists("User", email):
		frappe.get_doc(
			{
				"doctype": "User",
				"email": email,
				"first_name": "Demo",
				"last_name": last_name,
				"send_welcome_email": 0,
				"roles": [{"role": role}],
			}
		).insert()
	elif role not in frappe.get_roles(email):
		frappe.get_doc("User", email).add_roles(role)


def ensure_customer(customer_name: str) -> str:
	name = frappe.db.get_value("Customer", {"customer_name": customer_name})
	if name:
		return name
	doc = frappe.get_doc({"doctype": "Customer", "customer_name": customer_name, "customer_type": "Company"})
	return doc.insert().name


# --------------------------------------------------------------------------- calendars


def make_calendar_5x8() -> str:
	"""Mon–Fri 09:00–12:00 and 13:30–18:00 in Beijing time, with China's statutory days of this year."""
	windows = [
		{"weekday": day, "start_time": start, "end_time": end}
		for day in WORKWEEK
		for start, end in (("09:00:00", "12:00:00"), ("13:30:00", "18:00:00"))
	]
	ensure_calendar(CALENDAR_5X8, "Asia/Shanghai", windows, country="CN")
	fill_statutory_days(CALENDAR_5X8, getdate().year)
	return CALENDAR_5X8


def make_calendar_7x24() -> str:
	windows = [{"weekday": day, "start_time": "00:00:00", "end_time": "00:00:00"} for day in WEEK]
	return ensure_calendar(CALENDAR_7X24, "UTC", windows)


def ensure_calendar(name: str, timezone: str, windows: list[dict], country: str | None = None) -> str:
	if not frappe.db.exists("SLA Service Calendar", name):
		with as_user(OPS):
			frappe.get_doc(
				{
					"doctype": "SLA Service Calendar",
					"calendar_name": name,
					"timezone": timezone,
					"country": country,
					"windows": windows,
				}
			).insert()
	return name


def fill_statutory_days(calendar: str, year: int):
	"""Holidays and make-up workdays through the calendar's own method, once per year."""
	start, end = f"{year}-01-01", f"{year}-12-31"
	if frappe.db.exists(
		"SLA Calendar Holiday",
		{"parenttype": "SLA Service Calendar", "parent": calendar, "holiday_date": ("between", (start, end))},
	):
		return
	from sla_management.engine import CalendarError

	savepoint = "sla_demo_statutory"
	frappe.db.savepoint(savepoint)
	try:
		with as_user(OPS):
			frappe.get_doc("SLA Service Calendar", calendar).fill_statutory_days(year)
	except CalendarError as exc:
		frappe.db.rollback(save_point=savepoint)
		print(
			_("Statutory holidays of {0} were not added to {1}: {2}. Add them by hand.").format(
				year, calendar, exc
			)
		)


# --------------------------------------------------------------------------- service catalog (Plan)


def make_service_items():
	for item_name, values in SERVICE_ITEMS.items():
		if not frappe.db.exists("SLA Service Item", item_name):
			with as_user(OPS):
				frappe.get_doc({"doctype": "SLA Service Item", "item_name": item_name, **values}).insert()


def make_catalog() -> str:
	"""The published demo catalog: drafted by the project manager, reviewed and published by operations."""
	versions = frappe.get_all(
		"SLA Service Catalog",
		filters={"catalog_name": CATALOG},
		fields=["name", "status"],
		order_by="version desc",
	)
	published = [v.name for v in versions if v.status == "Published"]
	if published:
		return published[0]
	open_versions = [v.name for v in versions if v.status in ("Draft", "In Review", "Approved")]
	name = open_versions[0] if open_versions else draft_catalog()
	advance(
		"SLA Service Catalog",
		name,
		{
			"Draft": (PM, lambda doc: doc.submit_for_review()),
			"In Review": (OPS, confirm_and_approve),
			"Approved": (OPS, lambda doc: doc.publish()),
		},
	)
	return name


def draft_catalog() -> str:
	fields = (
		"delivery_hours",
		"service_object",
		"content",
		"typical_response_time",
		"typical_resolution_time",
	)
	rows = [
		{"service_item": item, **{f: values[f] for f in fields}} for item, values in SERVICE_ITEMS.items()
	]
	with as_user(PM):
		doc = frappe.get_doc(
			{
				"doctype": "SLA Service Catalog",
				"catalog_name": CATALOG,
				"items": rows,
				"notes": "IT operations services offered to hospitals and banks.",
			}
		).insert()
	return doc.name


def confirm_and_approve(doc):
	"""The operations manager confirms each item is within the company's capability, then approves."""
	for row in doc.items:
		row.capability_confirmed = 1
		row.review_note = row.review_note or "Staffed by the operations team; on-call roster in place."
	doc.save()
	doc.approve()


# --------------------------------------------------------------------------- projects and requirements


def make_project(customer: Customer) -> str:
	if not frappe.db.exists("SLA Service Project", customer.project):
		customer_name = ensure_customer(customer.name)
		with as_user(OPS):
			frappe.get_doc(
				{
					"doctype": "SLA Service Project",
					"project_name": customer.project,
					"customer_type": "Customer",
					"customer": customer_name,
					"project_manager": PM,
					"status": "Active",
					"start_date": agreement_period()[0],
					"description": f"IT operations and maintenance for {customer.name}.",
				}
			).insert()
	return customer.project


def make_requirement(project: str, customer: Customer) -> str:
	name = frappe.db.get_value("SLA Requirement", {"project": project})
	if not name:
		with as_user(PM):
			name = (
				frappe.get_doc(
					{
						"doctype": "SLA Requirement",
						"project": project,
						"service_days_hours": customer.service_hours,
						"customer_expectations": "Stable IT services for daily operations; "
						"critical incidents answered within 30 minutes.",
						"departments_involved": "IT department, service desk, operations team",
						"delivery_method": "Service desk (phone, e-mail, portal), remote and on-site support",
						"metrics": [
							{
								"metric": metric,
								"priority": priority,
								"target_value": value,
								"unit": unit,
								"description": description,
							}
							for metric, priority, value, unit, description in METRICS
						],
					}
				)
				.insert()
				.name
			)
	advance("SLA Requirement", name, {"Draft": (PM, lambda doc: doc.confirm())})
	return name


# --------------------------------------------------------------------------- agreements (Implement)


def agreement_period() -> tuple:
	"""One year from the first day of the month before last, so that recent tickets are covered."""
	start = get_first_day(add_months(getdate(), -2))
	return start, add_days(add_months(start, 12), -1)


def make_agreement(customer: Customer, project: str, requirement: str, catalog: str) -> str:
	"""Drafted by the project manager, approved by operations, signed on paper by the customer."""
	filters = {"project": project, "agreement_title": customer.agreement_title, "docstatus": ("<", 2)}
	name = frappe.db.get_value("SLA Agreement", filters) or draft_agreement(
		customer, project, requirement, catalog
	)

	def state():
		status, reviewed_by = frappe.db.get_value("SLA Agreement", name, ["status", "reviewed_by"])
		return "Approved" if status == "In Review" and reviewed_by else status

	def sign(doc):
		doc.signed_by_customer = customer.signed_by
		doc.submit()

	advance(
		"SLA Agreement",
		name,
		{
			"Draft": (PM, lambda doc: doc.submit_for_review()),
			"In Review": (OPS, lambda doc: doc.approve_review()),
			"Approved": (OPS, sign),
		},
		state,
	)
	return name


def draft_agreement(customer: Customer, project: str, requirement: str, catalog: str) -> str:
	valid_from, valid_to = agreement_period()
	with as_user(PM):
		doc = frappe.get_doc(
			{
				"doctype": "SLA Agreement",
				"agreement_title": customer.agreement_title,
				"project": project,
				"requirement": requirement,
				"catalog": catalog,
				"calendar": customer.calendar,
				"valid_from": valid_from,
				"valid_to": valid_to,
				"items": [{"service_item": item} for item in customer.items],
				"targets": agreed_targets(requirement),
				"report_period": "Monthly",
				"report_content": "Attainment per target, availability, failures, open problems",
				"scope": f"<p>IT operations services for {customer.name}: {', '.join(customer.items)}.</p>",
				"contacts": [
					{
						"party": "Provider",
						"contact_name": "Demo Project Manager",
						"role": "Project Manager",
						"email": PM,
						"user": PM,
					},
					{
						"party": "Customer",
						"contact_name": customer.signed_by,
						"role": "Customer representative",
						"email": customer.contact_email,
					},
				],
				"risks": [
					{"risk": customer.risk[0], "countermeasure": customer.risk[1], "risk_owner": "Demo Ops"}
				],
				"review_participants": "Demo Project Manager, Demo Operations Manager",
				"review_supplier_capability": "All items are delivered by the in-house operations team.",
				**agreed_levels(),
			}
		).insert()
	return doc.name


def agreed_targets(requirement: str) -> list[dict]:
	"""A target per priority answering the requirement's response and resolution lines."""
	lines = frappe.get_all(
		"SLA Requirement Metric",
		filters={"parenttype": "SLA Requirement", "parent": requirement},
		fields=["name", "metric", "priority", "target_value", "unit"],
		order_by="idx asc",
	)
	targets = {}
	for line in lines:
		if line.metric not in ("Response Time", "Resolution Time") or not line.priority:
			continue
		target = targets.setdefault(line.priority, {"priority": line.priority})
		seconds = line.target_value * UNIT_SECONDS[line.unit]
		if line.metric == "Response Time":
			target.update(response_time=seconds, requirement_metric=line.name)
		else:
			target["resolution_time"] = seconds
	return [targets[p] for p in sorted(targets)]


def agreed_levels() -> dict:
	"""Availability and failure limits as requested (durations in seconds)."""
	values = {}
	for metric, _priority, value, unit, _description in METRICS:
		if metric in AGREEMENT_FIELDS:
			values[AGREEMENT_FIELDS[metric]] = value * UNIT_SECONDS.get(unit, 1)
	return values


# --------------------------------------------------------------------------- tickets (Check)


def issue_tickets_enabled() -> bool:
	"""Whether ERPNext's Issue exists and this app's ticket integration is enabled for it."""
	if not frappe.db.exists("DocType", "Issue"):
		return False
	try:
		from sla_management.sla_check.tickets import config
	except ImportError:
		return False
	return "Issue" in config.ticket_types()


def make_tickets(projects: dict[str, str]) -> list[str]:
	if not issue_tickets_enabled():
		return []
	ensure_issue_priorities()
	now = now_datetime()
	names = []
	for ticket in TICKETS:
		customer = ensure_customer(ticket.customer)
		name = frappe.db.get_value("Issue", {"subject": ticket.subject, "customer": customer})
		names.append(name or open_issue(ticket, customer, projects[ticket.customer], now))
	return names


def ensure_issue_priorities():
	for priority in PRIORITIES:
		if not frappe.db.exists("Issue Priority", priority):
			frappe.get_doc({"doctype": "Issue Priority"}).insert(set_name=priority)


def open_issue(ticket: Ticket, customer: str, project: str, now) -> str:
	"""The service desk records the ticket (opened ``opened_minutes_ago``), then moves it on."""
	opened = now - timedelta(minutes=ticket.opened_minutes_ago)
	values = {
		"doctype": "Issue",
		"subject": ticket.subject,
		"customer": customer,
		"priority": ticket.priority,
		"raised_by": next(c.contact_email for c in CUSTOMERS if c.name == ticket.customer),
		"opening_date": opened.date(),
		"opening_time": opened.time().replace(microsecond=0),
		"description": f"<p>{ticket.subject} (demo ticket).</p>",
	}
	meta = frappe.get_meta("Issue")
	for fieldname, value in (("sla_mgmt_project", project), ("sla_mgmt_service_item", ticket.service_item)):
		if meta.has_field(fieldname):
			values[fieldname] = value
	doc = frappe.get_doc(values).insert()
	for status in ticket.statuses:
		doc = frappe.get_doc("Issue", doc.name)
		doc.status = status
		doc.save()
	return doc.name


def demo_timers(tickets: list[str], field: str = "name") -> list:
	"""A field (``name`` or e.g. ``status``) of each SLA Timer of the demo Issues."""
	if not tickets or not frappe.db.exists("DocType", "SLA Timer"):
		return []
	return frappe.get_all(
		"SLA Timer", filters={"ticket_doctype": "Issue", "ticket": ("in", tickets)}, pluck=field
	)


# --------------------------------------------------------------------------- reset


def delete_demo() -> list[str]:
	"""Delete the demo records, dependants first; returns what had to be kept (and why)."""
	customers = [
		c for c in (frappe.db.get_value("Customer", {"customer_name": c.name}) for c in CUSTOMERS) if c
	]
	projects = [c.project for c in CUSTOMERS if frappe.db.exists("SLA Service Project", c.project)]
	issues = (
		frappe.get_all("Issue", filters={"customer": ("in", customers)}, pluck="name")
		if customers and frappe.db.exists("DocType", "Issue")
		else []
	)
	kept = []
	delete_all("SLA Timer", demo_timers(issues))
	delete_all("Issue", issues)
	for name in frappe.get_all("SLA Agreement", filters={"project": ("in", projects)}, pluck="name"):
		delete_agreement(name)
	for name in frappe.get_all("SLA Requirement", filters={"project": ("in", projects)}, pluck="name"):
		if frappe.db.get_value("SLA Requirement", name, "status") == "Confirmed":
			frappe.get_doc("SLA Requirement", name).reopen()
		frappe.delete_doc("SLA Requirement", name)
	delete_all("SLA Service Project", projects)
	kept += delete_catalog()
	for doctype, names in (
		("SLA Service Item", list(SERVICE_ITEMS)),
		("SLA Service Calendar", [CALENDAR_5X8, CALENDAR_7X24]),
		("Customer", customers),
		("User", [PM, OPS]),
	):
		kept += [f"{_(doctype)} {name}" for name in names if not try_delete(doctype, name)]
	return kept


def delete_all(doctype: str, names: list[str]):
	for name in names:
		frappe.delete_doc(doctype, name)


def delete_agreement(name: str):
	doc = frappe.get_doc("SLA Agreement", name)
	if doc.docstatus == 1:
		doc.cancel()
	frappe.delete_doc("SLA Agreement", name)


def delete_catalog() -> list[str]:
	"""Drafts and versions in review go; reviewed and published versions are kept by design."""
	kept = []
	for name, status in frappe.get_all(
		"SLA Service Catalog", filters={"catalog_name": CATALOG}, fields=["name", "status"], as_list=True
	):
		if status == "In Review":
			frappe.get_doc("SLA Service Catalog", name).return_to_draft()
			status = "Draft"
		if status == "Draft":
			frappe.delete_doc("SLA Service Catalog", name)
		else:
			kept.append(f"{_('SLA Service Catalog')} {name}")
	return kept


def try_delete(doctype: str, name: str) -> bool:
	"""Delete unless other records still link to it (then nothing of it changes); True if gone."""
	if not frappe.db.exists(doctype, name):
		return True
	savepoint = "sla_demo_delete"
	frappe.db.savepoint(savepoint)
	try:
		frappe.delete_doc(doctype, name)
	except frappe.LinkExistsError:
		frappe.db.rollback(save_point=savepoint)
		frappe.clear_messages()
		return False
	return True


# --------------------------------------------------------------------------- summary


def print_summary(summary: dict, kept: list[str]):
	lines = [_("SLA Management demo")]
	if kept:
		lines.append(_("Kept (still referenced): {0}").format(", ".join(kept)))
	for name in summary["calendars"].values():
		doc = frappe.get_doc("SLA Service Calendar", name)
		lines.append(
			_("Calendar {0} ({1}): {2} holidays, {3} make-up workdays").format(
				name, doc.timezone, len(doc.holidays), len({w.workday_date for w in doc.workdays})
			)
		)
	catalog = frappe.get_doc("SLA Service Catalog", summary["catalog"])
	lines.append(
		_("Catalog {0}: {1}, {2} service items").format(catalog.name, _(catalog.status), len(catalog.items))
	)
	for customer in CUSTOMERS:
		agreement = frappe.db.get_value(
			"SLA Agreement",
			summary["agreements"][customer.name],
			["name", "status", "valid_from", "valid_to"],
			as_dict=True,
		)
		lines.append(
			_("{0}: project {1}, requirement {2}, agreement {3} ({4}, {5} to {6})").format(
				customer.name,
				summary["projects"][customer.name],
				summary["requirements"][customer.name],
				agreement.name,
				_(agreement.status),
				agreement.valid_from,
				agreement.valid_to,
			)
		)
	lines.append(ticket_line(summary["tickets"]))
	lines.append(_("Users: {0} ({1}), {2} ({3})").format(PM, _(PROJECT_MANAGER), OPS, _(OPERATIONS_MANAGER)))
	print("\n".join(lines))


def ticket_line(tickets: list[str]) -> str:
	if not tickets:
		return _(
			"Tickets: none. Enable the SLA Ticket Type for Issue (ERPNext) and run the demo again to see SLA timers."
		)
	counts = Counter(demo_timers(tickets, "status"))
	by_status = ", ".join(f"{_(status)} {count}" for status, count in sorted(counts.items()))
	return _("Tickets: {0} Issues, {1} SLA Timers ({2})").format(
		len(tickets), sum(counts.values()), by_status or "-"
	)
