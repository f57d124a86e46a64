"""What the demo creates, as data shared by its stages: names, service items, metrics, customers, tickets.

Change the demo's content here; the stage modules only say how each record is made.
"""

from __future__ import annotations

from dataclasses import dataclass

from frappe.utils import add_days, add_months, get_first_day, getdate

CALENDAR_5X8 = "Demo 5x8 Beijing"
CALENDAR_7X24 = "Demo 7x24 UTC"
CATALOG = "Demo IT Service Catalog"
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


def agreement_period() -> tuple:
	"""One year from the first day of the month before last, so that recent tickets are covered."""
	start = get_first_day(add_months(getdate(), -2))
	return start, add_days(add_months(start, 12), -1)
