# Copyright (c) 2026, sla_management developers
# For license information, please see license.txt

"""Bench test: the SLA Service Availability report shows only the months in which an agreement is valid
(an agreement valid from 1 April has no March row)."""

from sla_management.sla_check.report.sla_service_availability.sla_service_availability import execute
from sla_management.tests.factories.agreements import agreement_doc, frozen, sign
from sla_management.tests.world import WorldTestCase


class TestAvailabilityMonthsOfValidity(WorldTestCase):
	def test_no_row_for_the_month_before_the_agreement_starts_or_after_it_ends(self):
		agreement = sign(
			agreement_doc(
				self.world, valid_from="2026-04-01", valid_to="2026-05-31", availability_target=99
			).insert()
		)
		with frozen("2026-07-15", "12:00:00"):
			_columns, rows, *_ = execute({"year": 2026, "agreement": agreement.name})
		self.assertEqual([r["month"] for r in rows], ["2026-04", "2026-05"])
