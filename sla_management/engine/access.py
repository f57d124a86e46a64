"""Who may see which rows (§4), declared as data: one entry per DocType, read by hooks.py and evaluated by
``sla_management.common.permissions``.

Role permissions (the DocType JSON) decide what a role may do at all; these rules only narrow it to rows:

- SLA Operations Manager and System Manager: every row;
- SLA Project Manager: rows of the service projects they manage (``manager_field`` on the project itself,
  ``project_field`` on what belongs to a project); a new row without a project yet passes, its
  mandatory project is checked when it is saved;
- Customer (portal user): with ``customers``, rows of the customers their Contact links to
  (``customer_type`` / ``customer`` fields), only submitted ones with ``submitted_only``; else none;
- anyone else: no row restriction here.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class RowRule:
	manager_field: str | None = None
	project_field: str | None = None
	customers: bool = False
	submitted_only: bool = False


ROW_RULES: dict[str, RowRule] = {
	"SLA Service Project": RowRule(manager_field="project_manager", customers=True),
	"SLA Requirement": RowRule(project_field="project"),
	"SLA Agreement": RowRule(project_field="project", customers=True, submitted_only=True),
}
