"""Implement (§5.2): the service calendars and an SLA agreement per customer, taken through its lifecycle."""

from __future__ import annotations

import frappe
from frappe import _
from frappe.utils import getdate

from sla_management.demo.data import CALENDAR_5X8, CALENDAR_7X24, HOUR, METRICS, Customer, agreement_period
from sla_management.demo.users import OPS, PM, advance, as_user

WORKWEEK = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday")
WEEK = (*WORKWEEK, "Saturday", "Sunday")
UNIT_SECONDS = {"Minutes": 60, "Hours": HOUR}
# Agreement fields answering the metrics that are not a per-priority target
AGREEMENT_FIELDS = {
	"Availability": "availability_target",
	"Number of Failures": "max_failures",
	"Failure Frequency": "failure_frequency_limit",
	"Failure Duration": "max_failure_duration",
}


# --------------------------------------------------------------------------- calendars


def make_calendar_5x8() -> str:
	"""Mon–Fri 09:00–12:00 and 13:30–18:00 in Beijing time, with China's statutory days of this year and
	the next (the agreements run into it)."""
	windows = [
		{"weekday": day, "start_time": start, "end_time": end}
		for day in WORKWEEK
		for start, end in (("09:00:00", "12:00:00"), ("13:30:00", "18:00:00"))
	]
	ensure_calendar(CALENDAR_5X8, "Asia/Shanghai", windows, country="CN")
	for year in (getdate().year, getdate().year + 1):
		fill_statutory_days(CALENDAR_5X8, year)
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
	except (CalendarError, frappe.ValidationError) as exc:
		frappe.db.rollback(save_point=savepoint)
		print(
			_("Statutory holidays of {0} were not added to {1}: {2}. Add them by hand.").format(
				year, calendar, exc
			)
		)


# --------------------------------------------------------------------------- agreements


def make_agreement(
	customer: Customer, project: str, requirement: str, catalog: str, period: tuple | None = None
) -> str:
	"""Drafted by the project manager, approved by operations, signed on paper by the customer; valid for
	``period`` (from, to), by default ``agreement_period()``."""
	filters = {"project": project, "agreement_title": customer.agreement_title, "docstatus": ("<", 2)}
	name = frappe.db.get_value("SLA Agreement", filters) or draft_agreement(
		customer, project, requirement, catalog, period
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


def draft_agreement(
	customer: Customer, project: str, requirement: str, catalog: str, period: tuple | None = None
) -> str:
	valid_from, valid_to = period or agreement_period()
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
