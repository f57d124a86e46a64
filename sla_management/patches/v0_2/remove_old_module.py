"""After the model sync: remove the old single module "SLA Management" once nothing belongs to it.

Users or module profiles that had blocked the old module get the stage modules blocked instead, so a
restriction set before the upgrade still holds after it.
"""

import frappe

from sla_management.patches.v0_2.move_to_stage_modules import APP, OLD_MODULE


def execute():
	if not frappe.db.exists("Module Def", OLD_MODULE):
		return
	carry_over_blocked_modules()
	if not references_to(OLD_MODULE):
		frappe.delete_doc("Module Def", OLD_MODULE, ignore_permissions=True, force=True)
	frappe.clear_cache()


def carry_over_blocked_modules() -> None:
	blocked = frappe.get_all(
		"Block Module", filters={"module": OLD_MODULE}, fields=["name", "parent", "parenttype", "parentfield"]
	)
	for row in blocked:
		for module in frappe.get_module_list(APP):
			exists = frappe.db.exists(
				"Block Module", {"parent": row.parent, "parenttype": row.parenttype, "module": module}
			)
			if not exists:
				frappe.get_doc(
					{
						"doctype": "Block Module",
						"parent": row.parent,
						"parenttype": row.parenttype,
						"parentfield": row.parentfield,
						"module": module,
					}
				).db_insert()
		frappe.db.delete("Block Module", {"name": row.name})


def references_to(module: str) -> list[str]:
	"""'DocType: name' of every record that still links to ``module`` through a Module Def link."""
	links = frappe.get_all(
		"DocField",
		filters={"fieldtype": "Link", "options": "Module Def", "parenttype": "DocType"},
		fields=["parent", "fieldname"],
	)
	found = []
	for link in links:
		if link.parent == "Module Def" or not frappe.db.table_exists(link.parent):
			continue
		if frappe.get_meta(link.parent).issingle:
			continue
		for name in frappe.get_all(link.parent, filters={link.fieldname: module}, pluck="name", limit=5):
			found.append(f"{link.parent}: {name}")
	return found
