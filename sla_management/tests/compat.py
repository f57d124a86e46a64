"""Test base classes that work on Frappe v15 and v16, and leave the site as they found it.

Frappe v16 moved the test case classes to ``frappe.tests``; v15 has them in ``frappe.tests.utils``.
``IntegrationTestCase`` adds ``hygiene.SiteHygiene``: rows a class committed (race tests, DDL) are deleted
after it and SLA Settings restored.
"""

from sla_management.tests.hygiene import SiteHygiene

try:  # Frappe >= 15.x late / v16
	from frappe.tests import IntegrationTestCase as _IntegrationTestCase, UnitTestCase
except ImportError:  # pragma: no cover - depends on the installed Frappe
	from frappe.tests.utils import FrappeTestCase as _IntegrationTestCase

	UnitTestCase = None


class IntegrationTestCase(SiteHygiene, _IntegrationTestCase):
	"""Frappe's integration test case (rolled back after the class) with the app's site hygiene."""


if UnitTestCase is None:  # v15: one database-backed test case
	UnitTestCase = IntegrationTestCase

__all__ = ["IntegrationTestCase", "UnitTestCase"]
