"""What the demo year creates: three customers on three calendars, and the shape of a year of tickets.

The catalog, service items and users are the demo's own (``data``, ``users``); everything here is named
"Demo Year ..." so that ``make_demo`` and ``make_demo_year`` can live on one site and be removed apart.
"""

from __future__ import annotations

from sla_management.demo.data import DATABASE, DESKTOP, NETWORK, SERVER, Customer

CALENDAR_5X8 = "Demo Year 5x8 Shanghai"
CALENDAR_7X24 = "Demo Year 7x24 Shanghai"
CALENDAR_7X12 = "Demo Year 7x12 Shanghai"
TIMEZONE = "Asia/Shanghai"
SEED = 13
TICKETS = 5000
COMMIT_EVERY = 100  # tickets per transaction
# the demo's tickets are named "ISS-DY2026-00042" (idempotency and removal)
KEY_PREFIX = "DY"
WORKERS = 2  # processes playing tickets side by side (each its own database connection)

CUSTOMERS = (
	Customer(
		name="Demo Year Hospital",
		project="Demo Year Hospital IT Operations",
		agreement_title="Demo Year Hospital IT Operations SLA",
		calendar=CALENDAR_5X8,
		service_hours="5x8",
		items=(DESKTOP, NETWORK, SERVER),
		signed_by="Dr. Li, Head of Information Center",
		contact_email="it@demo-year-hospital.example.com",
		risk=(
			"The core switch of the inpatient building is a single point of failure",
			"Spare switch kept on site; vendor hardware replacement within 4 hours",
		),
	),
	Customer(
		name="Demo Year Bank",
		project="Demo Year Bank Data Center Operations",
		agreement_title="Demo Year Bank Data Center SLA",
		calendar=CALENDAR_7X24,
		service_hours="7x24",
		items=(SERVER, DATABASE, NETWORK),
		signed_by="Ms. Zhang, Data Center Manager",
		contact_email="dc@demo-year-bank.example.com",
		risk=(
			"Database backups run close to the start of business",
			"Backup window moved earlier; failed backups page the on-duty DBA",
		),
	),
	Customer(
		name="Demo Year Logistics",
		project="Demo Year Logistics Warehouse IT",
		agreement_title="Demo Year Logistics Warehouse IT SLA",
		calendar=CALENDAR_7X12,
		service_hours="7x12",
		items=(DESKTOP, NETWORK, DATABASE),
		signed_by="Mr. Wang, IT Director",
		contact_email="it@demo-year-logistics.example.com",
		risk=(
			"Handheld scanners depend on one Wi-Fi controller",
			"A second controller in standby; failover tested every quarter",
		),
	),
)

# share of the tickets per customer, and of the priorities
CUSTOMER_WEIGHTS = (0.4, 0.35, 0.25)
PRIORITY_WEIGHTS = {"P1": 0.08, "P2": 0.3, "P3": 0.62}

# what happens to a ticket (probabilities)
LATE_RESPONSE = 0.06  # the first reply comes after the response deadline
LATE_RESOLUTION = 0.07  # resolved after the resolution deadline
PAUSE = 0.22  # put On Hold (waiting for the customer), resumed by the customer's reply
CUSTOMER_REPLY = 0.15  # the customer writes back before the fix
CLOSE = 0.2  # closed some days after being resolved
REOPEN = 0.05  # the customer writes again after the fix: a new resolution cycle
STILL_OPEN_DAYS = 3  # tickets opened this close to the end of the year's data may still be open

SUBJECTS = {
	DESKTOP: (
		"Workstation cannot log in to the domain",
		"Printer offline on floor {n}",
		"Outlook keeps asking for the password",
		"New staff member needs an account and a PC",
		"Blue screen on a reception PC",
		"Office software licence expired",
	),
	NETWORK: (
		"Wi-Fi drops in building {n}",
		"Core switch port flapping",
		"VPN latency alarm",
		"Firewall rule needed for a supplier",
		"WAN link to branch {n} down",
	),
	SERVER: (
		"Disk almost full on app server {n}",
		"Virtual machine does not boot after patching",
		"Backup job failed overnight",
		"High CPU on the web cluster",
		"Certificate expires in 7 days",
	),
	DATABASE: (
		"Slow queries on the reporting database",
		"Nightly database backup failed",
		"Replication lag above threshold",
		"Tablespace {n} almost full",
		"Restore a table for an audit",
	),
}

# outages per project and month: (kind, probability per month, typical minutes)
OUTAGES = (("Down", 0.9, 50), ("Degraded", 1.1, 120))
PLANNED_MAINTENANCE_HOURS = 4
