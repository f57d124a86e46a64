"""Roles of the ITSS Service Level Management process (§4), as plain data.

Kept free of any ``frappe`` import so that the static checks can read it without a bench.
"""

PROJECT_MANAGER = "SLA Project Manager"
OPERATIONS_MANAGER = "SLA Operations Manager"

# Roles this app creates on install: name -> desk access.
APP_ROLES: dict[str, bool] = {
	PROJECT_MANAGER: True,
	OPERATIONS_MANAGER: True,
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
