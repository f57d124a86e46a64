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

Tickets of other apps (``TICKET_DOCTYPES``: Issue, HD Ticket): ``ROLE_GRANTS`` gives the app's roles what
their work needs there (Custom DocPerm rows, setup/role_permissions.py): select on the customer DocTypes,
read/write on the tickets; ``ticket_scope`` narrows a project manager to the tickets of their projects
(the ticket type's project field), unless another role of theirs reads the tickets anyway.
"""

from __future__ import annotations

from dataclasses import dataclass

from .roles import ADMINISTRATOR, MANAGER_ROLES, OPERATIONS_MANAGER, PROJECT_MANAGER
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
	"SLA Outage": RowRule(project_field="project"),
	# inspections (巡检): the project's managers; customers none (§4 gives them agreements and reports)
	"SLA Inspection Plan": RowRule(project_field="project"),
	"SLA Inspection": RowRule(project_field="project"),
	# frozen period results: customers read the submitted results of their own projects
	"SLA Period Result": RowRule(project_field="project", customers=True, submitted_only=True),
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
	"SLA Agreement Service Limit": ChildRule("SLA Agreement"),
	"SLA Agreement Service Credit": ChildRule("SLA Agreement"),
	"SLA Requirement Metric": ChildRule("SLA Requirement"),
	"SLA Timer Pause": ChildRule("SLA Timer"),
	"SLA Inspection Plan Check": ChildRule("SLA Inspection Plan"),
	"SLA Inspection Result": ChildRule("SLA Inspection"),
	"SLA Period Result Line": ChildRule("SLA Period Result"),
	# shared configuration without row rules: whoever may read the parent reads its rows
	"SLA Calendar Window": ChildRule("SLA Service Calendar"),
	"SLA Calendar Holiday": ChildRule("SLA Service Calendar"),
	"SLA Calendar Workday": ChildRule("SLA Service Calendar"),
	"SLA Service Catalog Item": ChildRule("SLA Service Catalog"),
	"SLA Ticket Status Rule": ChildRule("SLA Ticket Type"),
	# who is notified and reassigned on escalation: the managers' settings only
	"SLA Escalation Level": ChildRule("SLA Settings", managers_only=True),
	# which alert labels map to which service item and project: the managers' settings only
	"SLA Monitoring Rule": ChildRule("SLA Settings", managers_only=True),
	# which tickets open outages: the managers' settings only
	"SLA Outage Ticket Rule": ChildRule("SLA Settings", managers_only=True),
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


# Tickets of other apps (§4, §5.3.1): the row rule of the ticket DocTypes the app knows out of the box.
# Hooks are static, so these are registered in hooks.py; the project field of each comes from its SLA
# Ticket Type at run time (a ticket type switched off or missing: a project manager sees none of them).
TICKET_DOCTYPES: tuple[str, ...] = ("Issue", "HD Ticket")
# The customer DocTypes of those tickets (ERPNext, Helpdesk).
CUSTOMER_DOCTYPES: tuple[str, ...] = ("Customer", "HD Customer")
SUPPORT_SETTINGS = "Support Settings"

TICKETS_ALL, TICKETS_MANAGED = "all", "managed"


def ticket_scope(user_roles, read_roles) -> str:
	"""How the rows of a ticket DocType are restricted for a user with ``user_roles``.

	``read_roles``: the roles that may read the DocType (its role permissions). Only what the project
	manager role gives is narrowed to the managed projects' tickets: a user with any other role that reads
	the DocType (a support agent, the managers) keeps that role's access; everyone else is left to the role
	permissions.
	"""
	user_roles = set(user_roles)
	if user_roles & {*MANAGER_ROLES, ADMINISTRATOR}:
		return TICKETS_ALL
	if PROJECT_MANAGER in user_roles and not (user_roles & (set(read_roles) - {PROJECT_MANAGER})):
		return TICKETS_MANAGED
	return TICKETS_ALL


@dataclass(frozen=True)
class Grant:
	"""Role permissions (Custom DocPerm, permlevel 0) the app gives its roles on another app's DocType."""

	doctype: str
	role: str
	ptypes: tuple[str, ...]


# What the app's roles need of other apps' DocTypes, and nothing more: customers to pick (select: search
# and validate a link; no read of the customer's record, no change), and tickets to work on (project
# managers: their projects' rows, by the rule above; operations managers: every row). Nobody creates or
# deletes a customer or a ticket through these.
TICKET_PTYPES: tuple[str, ...] = ("read", "write", "email", "print")
ROLE_GRANTS: tuple[Grant, ...] = (
	*(
		Grant(dt, role, ("select",))
		for dt in CUSTOMER_DOCTYPES
		for role in (PROJECT_MANAGER, OPERATIONS_MANAGER)
	),
	*(
		Grant(dt, role, TICKET_PTYPES)
		for dt in TICKET_DOCTYPES
		for role in (PROJECT_MANAGER, OPERATIONS_MANAGER)
	),
	# ERPNext's Issue form reads its Support Settings when it opens (no change of them)
	*(Grant(SUPPORT_SETTINGS, role, ("read",)) for role in (PROJECT_MANAGER, OPERATIONS_MANAGER)),
)
