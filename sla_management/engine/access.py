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

A write (save, submit, cancel, delete) is judged on the row as stored and as changed: both must be the
user's, so that nobody takes over a row they cannot read, or moves their own row out of their reach.

Child tables (``CHILD_RULES``) are read only through their parent: Frappe checks the parent's role
permission, and the row condition is the parent's rule (rows whose parent the user may read), or, for
``managers_only`` tables, none for anyone but the managers.

Rows that other documents bind (``BOUND_ROWS``): a service calendar used by a signed or active agreement
may be changed or deleted only by the managers (the agreement's deadlines depend on it); anyone else makes
a new calendar for the agreement's next version.
"""

from __future__ import annotations

from dataclasses import dataclass

from .roles import MANAGER_ROLES
from .vocabulary import LIVE_AGREEMENT_STATUSES

# Permission types that change a row: judged on the stored row too.
WRITE_PTYPES: frozenset[str] = frozenset({"write", "submit", "cancel", "delete", "amend"})


@dataclass(frozen=True)
class RowRule:
	manager_field: str | None = None
	project_field: str | None = None
	customers: bool = False
	submitted_only: bool = False

	@property
	def fields(self) -> tuple[str, ...]:
		"""The fields a row is judged on (read from the database for its stored version)."""
		fields = [f for f in (self.manager_field, self.project_field) if f]
		if self.customers:
			fields += ["customer_type", "customer"]
		return (*fields, "docstatus")


ROW_RULES: dict[str, RowRule] = {
	"SLA Service Project": RowRule(manager_field="project_manager", customers=True),
	"SLA Requirement": RowRule(project_field="project"),
	"SLA Agreement": RowRule(project_field="project", customers=True, submitted_only=True),
	# Customers get no role permission on timers; should a site grant one, they see only their own.
	"SLA Timer": RowRule(project_field="project", customers=True),
}


@dataclass(frozen=True)
class ChildRule:
	"""A child table read through ``parent``; ``managers_only``: no rows for anyone but the managers."""

	parent: str
	managers_only: bool = False


CHILD_RULES: dict[str, ChildRule] = {
	# the agreement's rows: the agreement's rule (project managers: their projects; customers: signed, own)
	"SLA Agreement Item": ChildRule("SLA Agreement"),
	"SLA Agreement Target": ChildRule("SLA Agreement"),
	"SLA Agreement Pause Status": ChildRule("SLA Agreement"),
	"SLA Agreement Contact": ChildRule("SLA Agreement"),
	"SLA Agreement Risk": ChildRule("SLA Agreement"),
	"SLA Requirement Metric": ChildRule("SLA Requirement"),
	"SLA Timer Pause": ChildRule("SLA Timer"),
	# shared configuration without row rules: whoever may read the parent reads its rows
	"SLA Calendar Window": ChildRule("SLA Service Calendar"),
	"SLA Calendar Holiday": ChildRule("SLA Service Calendar"),
	"SLA Calendar Workday": ChildRule("SLA Service Calendar"),
	"SLA Service Catalog Item": ChildRule("SLA Service Catalog"),
	"SLA Ticket Status Rule": ChildRule("SLA Ticket Type"),
	# who is notified and reassigned on escalation: the managers' settings only
	"SLA Escalation Level": ChildRule("SLA Settings", managers_only=True),
}


@dataclass(frozen=True)
class BindingRule:
	"""While a submitted ``by_doctype`` row in one of ``statuses`` links the row through ``by_field``, only
	``editors`` may change or delete it."""

	by_doctype: str
	by_field: str
	statuses: tuple[str, ...]
	editors: tuple[str, ...]


BOUND_ROWS: dict[str, BindingRule] = {
	"SLA Service Calendar": BindingRule("SLA Agreement", "calendar", LIVE_AGREEMENT_STATUSES, MANAGER_ROLES),
}
