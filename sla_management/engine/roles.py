"""Roles of the ITSS Service Level Management process (§4), as plain data.

Kept free of any ``frappe`` import so that the static checks can read it without a bench.
"""

PROJECT_MANAGER = "SLA Project Manager"
OPERATIONS_MANAGER = "SLA Operations Manager"
# The user whose API key a monitoring system (Alertmanager) posts outages with: no desk, no DocType rights.
INTEGRATION = "SLA Integration"
SYSTEM_MANAGER = "System Manager"
# Frappe gives this role to the Administrator user only; it passes every role check of the app.
ADMINISTRATOR = "Administrator"

# Who decides: confirms capability, approves and publishes.
MANAGER_ROLES: tuple[str, ...] = (OPERATIONS_MANAGER, SYSTEM_MANAGER)
# Who plans: drafts catalogs, requirements and agreements and sends them to review.
PLANNER_ROLES: tuple[str, ...] = (PROJECT_MANAGER, OPERATIONS_MANAGER, SYSTEM_MANAGER)

# Roles this app creates on install: name -> desk access.
APP_ROLES: dict[str, bool] = {
	PROJECT_MANAGER: True,
	OPERATIONS_MANAGER: True,
	INTEGRATION: False,
}

# Roles that exist without this app (Frappe core, or ERPNext's portal role for customers).
STANDARD_ROLES: frozenset[str] = frozenset(
	{
		"Administrator",
		"System Manager",
		"All",
		"Guest",
		"Desk User",
		"Customer",
	}
)

# The role a customer's portal user has (ERPNext creates it; the app creates it where ERPNext is absent).
CUSTOMER = "Customer"
