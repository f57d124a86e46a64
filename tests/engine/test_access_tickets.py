"""The ticket row rule and the role grants on other apps' DocTypes (engine.access), without a bench."""

from sla_management.engine import access
from sla_management.engine.roles import APP_ROLES, OPERATIONS_MANAGER, PROJECT_MANAGER, SYSTEM_MANAGER
from sla_management.setup.ticket_doctypes import KNOWN_TICKET_DOCTYPES

READERS = {"Support Team", PROJECT_MANAGER, OPERATIONS_MANAGER}


def test_project_manager_alone_is_narrowed_to_managed_tickets():
	assert access.ticket_scope({"All", PROJECT_MANAGER}, READERS) == access.TICKETS_MANAGED


def test_other_reading_roles_and_managers_are_not_narrowed():
	assert access.ticket_scope({PROJECT_MANAGER, "Support Team"}, READERS) == access.TICKETS_ALL
	assert access.ticket_scope({PROJECT_MANAGER, OPERATIONS_MANAGER}, READERS) == access.TICKETS_ALL
	assert access.ticket_scope({SYSTEM_MANAGER}, READERS) == access.TICKETS_ALL
	assert access.ticket_scope({"Administrator"}, set()) == access.TICKETS_ALL
	# no role rule for others: the role permissions decide
	assert access.ticket_scope({"Customer"}, READERS) == access.TICKETS_ALL


def test_ticket_doctypes_are_the_known_ones():
	assert set(access.TICKET_DOCTYPES) == set(KNOWN_TICKET_DOCTYPES)


def test_grants_only_select_customers_and_never_create_or_delete():
	assert {g.role for g in access.ROLE_GRANTS} <= set(APP_ROLES)
	for grant in access.ROLE_GRANTS:
		assert not {"create", "delete", "submit", "cancel", "amend", "import", "share"} & set(grant.ptypes)
		if grant.doctype in access.CUSTOMER_DOCTYPES:
			assert grant.ptypes == ("select",)
		elif grant.doctype == access.SUPPORT_SETTINGS:
			assert grant.ptypes == ("read",)  # the Issue form reads them; nobody changes them through this
		else:
			assert grant.doctype in access.TICKET_DOCTYPES
	pairs = [(g.doctype, g.role) for g in access.ROLE_GRANTS]
	assert len(pairs) == len(set(pairs))
