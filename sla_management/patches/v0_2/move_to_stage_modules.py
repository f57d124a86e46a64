"""Before the model sync: move the app's DocTypes, reports and workspace from the old single module
"SLA Management" to the modules of the ITSS stages (modules.txt), and point scheduled jobs to the new
paths of their methods.

It must run before the sync: the sync imports each DocType's controller from the folder of its module,
and finds the old Scheduled Job Types by method. Records are moved to the module whose folder holds
their JSON file now, so the patch follows the code and needs no list of names. Idempotent.
"""

import json
from pathlib import Path

import frappe

APP = "sla_management"
OLD_MODULE = "SLA Management"
# Scheduled job methods that moved with the restructure: old dotted path -> new one.
MOVED_METHODS = {
	"sla_management.tickets.sweep.enqueue_due_timers": (
		"sla_management.sla_check.tickets.sweep.enqueue_due_timers"
	),
	"sla_management.sla_management.doctype.sla_agreement.lifecycle.run_daily_lifecycle": (
		"sla_management.sla_implement.doctype.sla_agreement.validity.run_daily_lifecycle"
	),
}
# Record types kept as JSON files in a module folder (folder name → DocType).
FILE_DOCTYPES = {"doctype": "DocType", "report": "Report", "workspace": "Workspace"}


def execute():
	for module in frappe.get_module_list(APP):
		ensure_module_def(module)
	for doctype, name, module in records_on_disk():
		if frappe.db.get_value(doctype, name, "module") not in (None, module):
			frappe.db.set_value(doctype, name, "module", module, update_modified=False)
	move_scheduled_jobs()
	frappe.clear_cache()


def ensure_module_def(module: str) -> None:
	if not frappe.db.exists("Module Def", module):
		frappe.get_doc({"doctype": "Module Def", "module_name": module, "app_name": APP}).insert(
			ignore_permissions=True
		)


def records_on_disk():
	"""(record DocType, name, module) for every DocType/Report/Workspace JSON of the app's modules."""
	app_path = Path(frappe.get_app_path(APP))
	for module in frappe.get_module_list(APP):
		folder = app_path / frappe.scrub(module)
		for kind, doctype in FILE_DOCTYPES.items():
			for path in sorted(folder.glob(f"{kind}/*/*.json")):
				if path.stem != path.parent.name:
					continue
				data = json.loads(path.read_text(encoding="utf-8"))
				if data.get("doctype") == doctype and data.get("name"):
					yield doctype, data["name"], module


def move_scheduled_jobs() -> None:
	"""Keep each job's record (and its last run) by giving it the method's new path; Frappe names a job
	after the last two parts of its method, so the name follows too."""
	for old, new in MOVED_METHODS.items():
		name = frappe.db.get_value("Scheduled Job Type", {"method": old}, "name")
		if not name:
			continue
		if frappe.db.exists("Scheduled Job Type", {"method": new}):
			frappe.delete_doc("Scheduled Job Type", name, ignore_permissions=True, force=True)
			continue
		frappe.db.set_value("Scheduled Job Type", name, "method", new, update_modified=False)
		new_name = ".".join(new.split(".")[-2:])
		if new_name != name and not frappe.db.exists("Scheduled Job Type", new_name):
			frappe.rename_doc("Scheduled Job Type", name, new_name, force=True)
