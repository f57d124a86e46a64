"""Plan (§5.1): service items, the published catalog, and a project and confirmed requirement per customer."""

from __future__ import annotations

import frappe

from sla_management.demo.data import CATALOG, METRICS, SERVICE_ITEMS, Customer, agreement_period
from sla_management.demo.users import OPS, PM, advance, as_user, ensure_customer

# --------------------------------------------------------------------------- service items and catalog


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


def make_project(customer: Customer, start_date=None, project_manager: str = PM) -> str:
	if not frappe.db.exists("SLA Service Project", customer.project):
		customer_name = ensure_customer(customer.name)
		with as_user(OPS):
			frappe.get_doc(
				{
					"doctype": "SLA Service Project",
					"project_name": customer.project,
					"customer_type": "Customer",
					"customer": customer_name,
					"project_manager": project_manager,
					"status": "Active",
					"start_date": start_date or agreement_period()[0],
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
