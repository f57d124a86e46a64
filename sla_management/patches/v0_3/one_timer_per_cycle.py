"""SLA Timer's unique (ticket_doctype, ticket, metric, cycle) constraint on existing sites: remove the
duplicates that concurrent replies could create before 0.3 (the oldest timer of each group is kept, with
its pauses), add the constraint, and drop the (ticket_doctype, ticket) index it covers as its prefix."""

import frappe

from sla_management.sla_check.doctype.sla_timer.sla_timer import on_doctype_update

TIMER, TIMER_PAUSE = "SLA Timer", "SLA Timer Pause"
OLD_INDEX = "ticket_doctype_ticket_index"


def execute():
	if not frappe.db.table_exists(TIMER):
		return
	rows = frappe.db.sql(
		f"""SELECT name, ticket_doctype, ticket, metric, cycle FROM `tab{TIMER}` t
		WHERE (ticket_doctype, ticket, metric, cycle) IN (
			SELECT ticket_doctype, ticket, metric, cycle FROM `tab{TIMER}`
			GROUP BY ticket_doctype, ticket, metric, cycle HAVING COUNT(*) > 1)
		ORDER BY ticket_doctype, ticket, metric, cycle, creation, name""",
		as_dict=True,
	)
	seen, extra = set(), []
	for row in rows:
		key = (row.ticket_doctype, row.ticket, row.metric, row.cycle)
		if key in seen:
			extra.append(row.name)
		seen.add(key)
	if extra:
		frappe.db.delete(TIMER_PAUSE, {"parenttype": TIMER, "parent": ("in", extra)})
		frappe.db.delete(TIMER, {"name": ("in", extra)})
	on_doctype_update()
	if frappe.db.sql(f"SHOW INDEX FROM `tab{TIMER}` WHERE Key_name = %s", OLD_INDEX):
		frappe.db.sql_ddl(f"ALTER TABLE `tab{TIMER}` DROP INDEX `{OLD_INDEX}`")
