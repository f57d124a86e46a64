"""Test base classes that work on Frappe v15 and v16.

Frappe v16 moved the test case classes to ``frappe.tests``; v15 has them in ``frappe.tests.utils``.
"""

try:  # Frappe >= 15.x late / v16
	from frappe.tests import IntegrationTestCase, UnitTestCase
except ImportError:  # pragma: no cover - depends on the installed Frappe
	from frappe.tests.utils import FrappeTestCase as IntegrationTestCase

	UnitTestCase = IntegrationTestCase

__all__ = ["IntegrationTestCase", "UnitTestCase"]
