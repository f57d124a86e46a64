# Copyright (c) 2026, sla_management developers
# For license information, please see license.txt

"""The monitoring endpoint (issue 12): who may call it, malformed and unmapped payloads, idempotent replay,
out-of-order delivery, and the project managers' view of the outages."""

import frappe
from frappe.client import get as client_get

from sla_management.engine.roles import INTEGRATION
from sla_management.sla_check.monitoring import UNMAPPED_TITLE, alertmanager
from sla_management.tests.compat import IntegrationTestCase
from sla_management.tests.factories.agreements import ITEMS, OTHER_PM, PM, make_agreement, setup_world, sign
from sla_management.tests.factories.plan import make_user
from sla_management.tests.parallel import run_parallel
from sla_management.tests.world import WorldTestCase

INTEGRATION_USER = "monitoring.integration@example.com"
PLAIN_USER = "monitoring.plain@example.com"
OUTAGE = "SLA Outage"


def alert(world, fingerprint="fp-1", status="firing", project=None, item=ITEMS[0], **values):
	return {
		"status": status,
		"labels": {
			"alertname": "EmailDown",
			"sla_service_item": item,
			"sla_project": project or world.project_a,
		},
		"annotations": {"summary": "Mail server does not answer"},
		"startsAt": "2026-03-02T08:00:00.123456789Z",
		"endsAt": "2026-03-02T09:30:00Z" if status == "resolved" else "0001-01-01T00:00:00Z",
		"fingerprint": fingerprint,
		**values,
	}


def batch(*alerts):
	return {"version": "4", "status": "firing", "receiver": "sla", "alerts": list(alerts)}


def outages(**filters):
	return frappe.get_all(
		OUTAGE, filters={"fingerprint": ["like", "fp-%"], **filters}, fields=["name", "start", "end"]
	)


class TestMonitoring(WorldTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		make_user(INTEGRATION_USER, INTEGRATION)
		make_user(PLAIN_USER)

	def post(self, payload, user=INTEGRATION_USER):
		frappe.set_user(user)
		try:
			return alertmanager(payload=payload)
		finally:
			frappe.set_user("Administrator")

	def test_guest_and_other_users_are_refused(self):
		for user in ("Guest", PLAIN_USER, PM):
			with self.subTest(user=user), self.assertRaises(frappe.PermissionError):
				self.post(batch(alert(self.world)), user=user)
		self.assertEqual(outages(), [])

	def test_endpoint_is_post_only_and_not_for_guests(self):
		from frappe import allowed_http_methods_for_whitelisted_func, guest_methods

		self.assertEqual(allowed_http_methods_for_whitelisted_func[alertmanager], ["POST"])
		self.assertNotIn(alertmanager, guest_methods)

	def test_firing_opens_and_replay_records_once(self):
		first = self.post(batch(alert(self.world), alert(self.world, "fp-2", item=ITEMS[1])))
		self.assertEqual(len(first["opened"]), 2)
		again = self.post(batch(alert(self.world), alert(self.world, "fp-2", item=ITEMS[1])))
		self.assertEqual(again["opened"], [])
		self.assertEqual(sorted(again["ignored"]), ["fp-1", "fp-2"])
		rows = outages(fingerprint="fp-1")
		self.assertEqual(len(rows), 1)
		self.assertIsNone(rows[0].end)
		doc = frappe.get_doc(OUTAGE, rows[0].name)
		self.assertEqual((doc.kind, doc.found_by, doc.source), ("Down", "Monitoring", "alertmanager"))
		self.assertEqual(doc.customer, self.world.customer_a)
		self.assertEqual(doc.cause, "Mail server does not answer")

	def test_resolved_closes_the_open_outage(self):
		(name,) = self.post(batch(alert(self.world)))["opened"]
		result = self.post(batch(alert(self.world, status="resolved")))
		self.assertEqual(result["closed"], [name])
		(row,) = outages()
		self.assertIsNotNone(row.end)
		self.assertGreater(row.end, row.start)
		# the same resolution again changes nothing
		self.assertEqual(self.post(batch(alert(self.world, status="resolved")))["ignored"], ["fp-1"])

	def test_resolved_before_firing(self):
		result = self.post(batch(alert(self.world, status="resolved")))
		self.assertEqual(len(result["closed"]), 1)
		late = self.post(batch(alert(self.world)))
		self.assertEqual(late["opened"], [])
		self.assertEqual(late["ignored"], ["fp-1"])
		(row,) = outages()
		self.assertIsNotNone(row.end)

	def test_malformed_batch_records_nothing(self):
		good = alert(self.world)
		for bad in (
			batch(good, alert(self.world, "fp-2", status="burning")),
			batch(good, alert(self.world, "fp-2", startsAt="yesterday")),
			batch(good, alert(self.world, "")),
			batch(good, alert(self.world, "fp-2", status="resolved", endsAt="0001-01-01T00:00:00Z")),
			{"version": "4", "alerts": "none"},
			{"version": "3", "alerts": [good]},
			"{not json",
			[],
		):
			with self.subTest(bad=bad), self.assertRaises(frappe.ValidationError):
				self.post(bad)
		self.assertEqual(outages(), [])

	def test_unknown_labels_are_logged_and_listed(self):
		unknown = alert(self.world, "fp-9", item="No Such Item")
		result = self.post(batch(unknown, alert(self.world)))
		self.assertEqual(len(result["opened"]), 1)
		self.assertEqual(result["unmapped"], [{"fingerprint": "fp-9", "labels": unknown["labels"]}])
		self.assertEqual(outages(fingerprint="fp-9"), [])
		logs = frappe.get_all(
			"Error Log", filters={"method": UNMAPPED_TITLE, "error": ["like", "%No Such Item%"]}, pluck="name"
		)
		# Error Log is a MyISAM table: its rows outlive the test's rollback, so they are deleted here
		self.addCleanup(frappe.db.delete, "Error Log", {"name": ["in", logs]})
		self.assertEqual(len(logs), 1)

	def test_plain_json_form(self):
		item = {
			"service_item": ITEMS[0],
			"project": self.world.project_a,
			"status": "firing",
			"start": "2026-03-02T10:00:00+08:00",
			"end": None,
			"id": "fp-plain",
		}
		(name,) = self.post(item)["opened"]
		self.assertEqual(self.post([item])["ignored"], ["fp-plain"])
		closed = self.post({**item, "status": "resolved", "end": "2026-03-02T11:00:00+08:00"})
		self.assertEqual(closed["closed"], [name])
		doc = frappe.get_doc(OUTAGE, name)
		self.assertEqual(doc.source, "plain")
		self.assertEqual((doc.get("end") - doc.start).total_seconds(), 3600)

	def test_agreement_is_found_and_end_must_follow_start(self):
		agreement = sign(make_agreement(self.world))
		(name,) = self.post(batch(alert(self.world)))["opened"]
		self.assertEqual(frappe.db.get_value(OUTAGE, name, "agreement"), agreement.name)
		doc = frappe.get_doc(OUTAGE, name)
		doc.end = "2026-03-01 00:00:00"
		with self.assertRaises(frappe.ValidationError):
			doc.save()

	def test_project_managers_see_their_projects_outages(self):
		self.post(batch(alert(self.world), alert(self.world, "fp-b", project=self.world.project_b)))
		for user, project in ((PM, self.world.project_a), (OTHER_PM, self.world.project_b)):
			frappe.set_user(user)
			rows = frappe.get_list(OUTAGE, fields=["project"], filters={"fingerprint": ["like", "fp-%"]})
			self.assertEqual({r.project for r in rows}, {project}, user)
		frappe.set_user(PM)
		other = frappe.get_all(OUTAGE, filters={"project": self.world.project_b}, pluck="name")
		with self.assertRaises(frappe.PermissionError):
			client_get(OUTAGE, other[0])

	def test_request_body_is_read_when_no_payload_is_given(self):
		from werkzeug.test import EnvironBuilder

		previous = getattr(frappe.local, "request", None)
		self.addCleanup(setattr, frappe.local, "request", previous)
		frappe.local.request = EnvironBuilder(method="POST", json=batch(alert(self.world))).get_request()
		self.assertEqual(len(self.post(None)["opened"]), 1)
		frappe.local.request = EnvironBuilder(
			method="POST", data="{broken", content_type="text/plain"
		).get_request()
		with self.assertRaises(frappe.ValidationError):
			self.post(None)

	def set_rules(self, *rules):
		"""SLA Settings with these monitoring rules (WorldTestCase rolls them back to its savepoint after the
		test; the cached settings are dropped with them)."""
		self.addCleanup(frappe.clear_document_cache, "SLA Settings", "SLA Settings")
		settings = frappe.get_doc("SLA Settings")
		settings.set("monitoring_rules", [dict(r) for r in rules])
		settings.save()

	def db_alert(self, fingerprint="fp-rule", **labels):
		return {
			**alert(self.world, fingerprint),
			"labels": {"alertname": "MySQLDown", "job": "mysql", "instance": "db1", **labels},
		}

	def test_unmatched_labels_without_a_rule_are_unmapped(self):
		# nothing of the payload maps: a 4xx naming the alert, nothing recorded, the alert kept in the log
		self.addCleanup(
			frappe.db.delete, "Error Log", {"method": UNMAPPED_TITLE, "error": ["like", "%fp-rule%"]}
		)
		with self.assertRaises(frappe.ValidationError) as refused:
			self.post(batch(self.db_alert()))
		self.assertIn("fp-rule", str(refused.exception))
		self.assertEqual(outages(fingerprint="fp-rule"), [])
		logs = frappe.get_all("Error Log", filters={"method": UNMAPPED_TITLE, "error": ["like", "%fp-rule%"]})
		self.assertEqual(len(logs), 1)

	def test_a_rule_maps_labels_to_item_and_project(self):
		self.set_rules(
			{"label": "job", "value": "mysq", "service_item": ITEMS[1], "project": self.world.project_b},
			{"label": "job", "value": "mysql", "service_item": ITEMS[0], "project": self.world.project_a},
			{"label": "instance", "value": "db1", "service_item": ITEMS[1], "project": self.world.project_b},
		)
		(name,) = self.post(batch(self.db_alert()))["opened"]
		doc = frappe.get_doc(OUTAGE, name)
		self.assertEqual((doc.service_item, doc.project), (ITEMS[0], self.world.project_a))
		self.assertIsNone(doc.get("end"))

	def test_literal_labels_come_first_and_a_rule_may_give_one_of_them(self):
		self.set_rules(
			{"label": "job", "value": "mysql", "project": self.world.project_b},
			{"label": "instance", "value": "db1", "service_item": ITEMS[1], "project": self.world.project_a},
		)
		literal = self.db_alert("fp-literal", sla_service_item=ITEMS[0], sla_project=self.world.project_a)
		only_item = self.db_alert("fp-item", sla_service_item=ITEMS[0])
		opened = self.post(batch(literal, only_item))["opened"]
		got = [frappe.db.get_value(OUTAGE, n, ["service_item", "project"]) for n in opened]
		self.assertEqual(got, [(ITEMS[0], self.world.project_a), (ITEMS[0], self.world.project_b)])


class TestMonitoringRaces(IntegrationTestCase):
	"""Two deliveries of the same batch at once (real parallel connections): each alert is recorded once,
	neither delivery fails. The world is committed (the other connections must see it); the site hygiene
	deletes it after the class, the outages are deleted here."""

	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		cls.world = setup_world()
		make_user(INTEGRATION_USER, INTEGRATION)
		frappe.db.commit()

	def setUp(self):
		self.addCleanup(self.delete_outages)

	@staticmethod
	def delete_outages():
		frappe.db.rollback()
		frappe.db.delete(OUTAGE, {"fingerprint": ["like", "race-%"]})
		frappe.db.commit()

	def test_the_same_batch_twice_at_once_is_recorded_once(self):
		firing = batch(*(alert(self.world, f"race-{i}", item=ITEMS[i % 2]) for i in range(40)))
		resolved = batch(*(alert(self.world, f"race-{i}", status="resolved") for i in range(40, 60)))
		payload = {**firing, "alerts": firing["alerts"] + resolved["alerts"]}
		outcomes = run_parallel(
			lambda: alertmanager(payload=payload),
			lambda: alertmanager(payload=payload),
			user=INTEGRATION_USER,
			timeout=60,
		)
		for outcome in outcomes:
			self.assertIsNone(outcome.error, repr(outcome.error))
		rows = frappe.get_all(
			OUTAGE, filters={"fingerprint": ["like", "race-%"]}, fields=["fingerprint", "end"]
		)
		self.assertEqual(len(rows), 60)
		self.assertEqual(len({r.fingerprint for r in rows}), 60)
		self.assertEqual(sum(1 for r in rows if r.end), 20)
		opened = [n for o in outcomes for n in o.value["opened"]]
		self.assertEqual(len(opened), 40, "each firing alert is opened by one of the two deliveries")
		self.assertEqual(len(set(opened)), 40)
