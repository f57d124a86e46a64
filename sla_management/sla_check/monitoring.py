# Copyright (c) 2026, sla_management developers
# For license information, please see license.txt

"""Outages from monitoring (issue 12): ``alertmanager`` takes Prometheus Alertmanager webhook payloads
(version 4) and a plain JSON form, and opens and closes SLA Outages idempotently.

Contract (README, "Outages and monitoring"):

- ``POST /api/method/sla_management.sla_check.monitoring.alertmanager`` with a JSON body, authenticated
  with the API key and secret of a user holding the role ``SLA Integration`` (or System Manager); Guest
  and other users get 403.
- Alertmanager form: ``{"version": "4", "status": ..., "alerts": [{"status": "firing"|"resolved",
  "labels": {...}, "annotations": {...}, "startsAt": RFC 3339, "endsAt": RFC 3339, "fingerprint": ...}]}``.
  The labels ``sla_service_item`` and ``sla_project`` name the service item and the service project;
  ``sla_kind`` (optional) ``down`` (default) or ``degraded``. The annotation ``summary`` (else
  ``description``, else the label ``alertname``) becomes the cause.
- Plain form: one object or a list of ``{"service_item": ..., "project": ..., "status": "firing"|"resolved",
  "start": ISO 8601, "end": ISO 8601 | null, "id": ..., "kind": "down"|"degraded", "cause": ...}``.
- The whole batch is checked first: a malformed one is refused (417) and nothing is recorded.
- An alert is identified by (source, fingerprint/id, start). Firing: a new outage, open; the same alert
  again: nothing. Resolved: the open outage of that alert gets its end; none recorded yet (resolved
  arriving first): an outage with start and end; already closed: nothing.
- Matching rules (SLA Settings, table "Monitoring Rules", read once per request): an Alertmanager alert
  that lacks the label ``sla_service_item`` or ``sla_project`` takes the missing one from the first rule,
  in table order, whose label has exactly the rule's value (a rule may name only the item or only the
  project; the literal labels always come first).
- Alerts whose labels name no existing service item and project are not recorded: each is written to the
  Error Log (title "Unmapped monitoring alert", with its labels) and listed in the answer.
- Answer: ``{"opened": [names], "closed": [names], "ignored": [fingerprints], "unmapped": [{"fingerprint",
  "labels"}]}``.
"""

from __future__ import annotations

import json
import re
from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import frappe
from frappe import _
from frappe.utils import get_system_timezone

from sla_management.common.permissions import has_any_role
from sla_management.engine.roles import INTEGRATION, SYSTEM_MANAGER
from sla_management.engine.vocabulary import DEGRADED, DOWN, MONITORING

OUTAGE = "SLA Outage"
ALERTMANAGER, PLAIN = "alertmanager", "plain"
FIRING, RESOLVED = "firing", "resolved"
ITEM_LABEL, PROJECT_LABEL, KIND_LABEL = "sla_service_item", "sla_project", "sla_kind"
KINDS = {"down": DOWN, "degraded": DEGRADED}
UNMAPPED_TITLE = "Unmapped monitoring alert"
# Alertmanager's endsAt of an alert still firing
ZERO_TIME = "0001-01-01T00:00:00Z"
_RFC3339 = re.compile(
	r"^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2}:\d{2})(?:\.(\d+))?(Z|[+-]\d{2}:?\d{2})?$", re.IGNORECASE
)


@frappe.whitelist(methods=["POST"])
def alertmanager(payload=None):
	"""Record the outages of an Alertmanager (v4) or plain JSON payload; see the module docstring."""
	check_caller()
	if payload is None:
		payload = _request_json()
	elif isinstance(payload, str):
		payload = _loads(payload)
	alerts = parse_payload(payload)
	apply_rules(alerts, frappe.get_cached_doc("SLA Settings").get("monitoring_rules") or [])
	return record(alerts)


def check_caller() -> None:
	if frappe.session.user == "Guest" or not has_any_role((INTEGRATION, SYSTEM_MANAGER)):
		frappe.throw(
			_("Only a user with the role {0} may report outages from monitoring.").format(INTEGRATION),
			exc=frappe.PermissionError,
			title=_("Not Permitted"),
		)


def _malformed(message: str):
	frappe.throw(message, exc=frappe.ValidationError, title=_("Malformed Monitoring Payload"))


def _loads(text):
	try:
		return json.loads(text)
	except (TypeError, ValueError) as e:
		_malformed(_("The request body is not valid JSON: {0}").format(e))


def _request_json():
	request = getattr(frappe.local, "request", None)
	data = request.get_data(as_text=True) if request is not None else ""
	if not data:
		_malformed(_("The request has no JSON body."))
	return _loads(data)


def parse_time(value, what: str) -> datetime | None:
	"""An RFC 3339 / ISO 8601 instant as a naive datetime in the system time zone (a value without an
	offset is taken as system time); None for empty values and Alertmanager's zero time."""
	if value in (None, "") or value == ZERO_TIME:
		return None
	match = _RFC3339.match(value) if isinstance(value, str) else None
	if not match:
		_malformed(_("{0} is not a valid date and time: {1}").format(what, frappe.as_json(value)))
	day, time, fraction, offset = match.groups()
	try:
		moment = datetime.fromisoformat(f"{day}T{time}.{(fraction or '0')[:6].ljust(6, '0')}")
	except ValueError:
		_malformed(_("{0} is not a valid date and time: {1}").format(what, frappe.as_json(value)))
	if moment.year < 1900:
		return None
	if offset:
		if offset.upper() == "Z":
			moment = moment.replace(tzinfo=timezone.utc)
		else:
			sign = -1 if offset[0] == "-" else 1
			digits = offset[1:].replace(":", "")
			minutes = sign * (int(digits[:2]) * 60 + int(digits[2:]))
			moment = moment.replace(tzinfo=timezone(timedelta(minutes=minutes)))
		moment = moment.astimezone(ZoneInfo(get_system_timezone())).replace(tzinfo=None)
	return moment


def parse_payload(payload) -> list[frappe._dict]:
	"""The alerts of a payload, checked all before anything is written."""
	if isinstance(payload, dict) and "alerts" in payload:
		if str(payload.get("version", "4")) != "4":
			_malformed(_("Only version 4 of the Alertmanager webhook payload is supported."))
		if not isinstance(payload["alerts"], list):
			_malformed(_("The field {0} must be a list.").format("alerts"))
		return [_alertmanager_alert(a, i) for i, a in enumerate(payload["alerts"])]
	if isinstance(payload, dict):
		payload = [payload]
	if not isinstance(payload, list) or not payload:
		_malformed(_("The payload must be an Alertmanager webhook message or plain outage objects."))
	return [_plain_alert(a, i) for i, a in enumerate(payload)]


def _check_status(alert: dict, position: int) -> str:
	status = alert.get("status")
	if status not in (FIRING, RESOLVED):
		_malformed(
			_("Alert {0}: the status must be firing or resolved, not {1}.").format(
				position + 1, frappe.as_json(status)
			)
		)
	return status


def _identity(value, position: int, field: str) -> str:
	if not isinstance(value, str | int) or isinstance(value, bool) or not str(value).strip():
		_malformed(_("Alert {0}: the field {1} is missing.").format(position + 1, field))
	return str(value).strip()[:140]


def _kind(value, position: int) -> str:
	kind = KINDS.get(str(value or "down").lower())
	if kind is None:
		_malformed(
			_("Alert {0}: the kind must be down or degraded, not {1}.").format(
				position + 1, frappe.as_json(value)
			)
		)
	return kind


def _times(status: str, start, end, position: int, start_field: str, end_field: str):
	what = _("Alert {0}").format(position + 1)
	start = parse_time(start, f"{what}: {start_field}")
	if start is None:
		_malformed(_("Alert {0}: the field {1} is missing.").format(position + 1, start_field))
	end = parse_time(end, f"{what}: {end_field}") if status == RESOLVED else None
	if status == RESOLVED and end is None:
		_malformed(_("Alert {0}: a resolved alert needs its {1}.").format(position + 1, end_field))
	if end is not None and end <= start:
		_malformed(_("Alert {0}: {1} must be after {2}.").format(position + 1, end_field, start_field))
	return start, end


def _alertmanager_alert(alert, position: int) -> frappe._dict:
	if not isinstance(alert, dict):
		_malformed(_("Alert {0} is not an object.").format(position + 1))
	status = _check_status(alert, position)
	labels, annotations = alert.get("labels") or {}, alert.get("annotations") or {}
	if not isinstance(labels, dict) or not isinstance(annotations, dict):
		_malformed(_("Alert {0}: labels and annotations must be objects.").format(position + 1))
	start, end = _times(status, alert.get("startsAt"), alert.get("endsAt"), position, "startsAt", "endsAt")
	cause = annotations.get("summary") or annotations.get("description") or labels.get("alertname") or ""
	return frappe._dict(
		source=ALERTMANAGER,
		fingerprint=_identity(alert.get("fingerprint"), position, "fingerprint"),
		status=status,
		service_item=labels.get(ITEM_LABEL),
		project=labels.get(PROJECT_LABEL),
		kind=_kind(labels.get(KIND_LABEL), position),
		start=start,
		end=end,
		cause=str(cause),
		labels=labels,
	)


def _plain_alert(alert, position: int) -> frappe._dict:
	if not isinstance(alert, dict):
		_malformed(_("Alert {0} is not an object.").format(position + 1))
	status = _check_status(alert, position)
	start, end = _times(status, alert.get("start"), alert.get("end"), position, "start", "end")
	return frappe._dict(
		source=PLAIN,
		fingerprint=_identity(alert.get("id"), position, "id"),
		status=status,
		service_item=alert.get("service_item"),
		project=alert.get("project"),
		kind=_kind(alert.get("kind"), position),
		start=start,
		end=end,
		cause=str(alert.get("cause") or ""),
		labels={k: alert.get(k) for k in ("service_item", "project", "id")},
	)


def apply_rules(alerts: list[frappe._dict], rules) -> None:
	"""Fill the service item and project an Alertmanager alert's literal labels leave out from the first
	rule (in table order) whose label has exactly its value."""
	rules = [(r.label, r.value, r.service_item, r.project) for r in rules if r.label]
	if not rules:
		return
	for alert in alerts:
		if alert.source != ALERTMANAGER or (alert.service_item and alert.project):
			continue
		for label, value, item, project in rules:
			if label in alert.labels and str(alert.labels[label]) == value:
				alert.service_item = alert.service_item or item
				alert.project = alert.project or project
				break


def _mapped(alert) -> bool:
	return bool(
		isinstance(alert.service_item, str)
		and isinstance(alert.project, str)
		and frappe.db.exists("SLA Service Item", alert.service_item)
		and frappe.db.exists("SLA Service Project", alert.project)
	)


def record(alerts: list[frappe._dict]) -> dict:
	result = {"opened": [], "closed": [], "ignored": [], "unmapped": []}
	for alert in alerts:
		if not _mapped(alert):
			frappe.log_error(
				title=_("Unmapped monitoring alert"),
				message=frappe.as_json(
					{"source": alert.source, "fingerprint": alert.fingerprint, "labels": alert.labels}
				),
				reference_doctype=OUTAGE,
			)
			result["unmapped"].append({"fingerprint": alert.fingerprint, "labels": alert.labels})
			continue
		key = {"source": alert.source, "fingerprint": alert.fingerprint, "start": alert.start}
		existing = frappe.db.get_value(OUTAGE, key, ["name", "end"], as_dict=True, for_update=True)
		if existing is None:
			name = _insert(alert)
			if name is None:
				result["ignored"].append(alert.fingerprint)
			else:
				result["closed" if alert.end else "opened"].append(name)
		elif alert.end and not existing.end:
			frappe.db.set_value(OUTAGE, existing.name, "end", alert.end)
			result["closed"].append(existing.name)
		else:
			result["ignored"].append(alert.fingerprint)
	return result


def _insert(alert) -> str | None:
	"""A new outage of the alert; None when a parallel delivery of the same alert recorded it first."""
	doc = frappe.get_doc(
		{
			"doctype": OUTAGE,
			"service_item": alert.service_item,
			"project": alert.project,
			"kind": alert.kind,
			"start": alert.start,
			"end": alert.end,
			"cause": alert.cause,
			"found_by": MONITORING,
			"source": alert.source,
			"fingerprint": alert.fingerprint,
		}
	)
	frappe.db.savepoint("sla_outage_insert")
	try:
		doc.insert(ignore_permissions=True)
	except frappe.UniqueValidationError:
		frappe.db.rollback(save_point="sla_outage_insert")
		if frappe.local.message_log:  # Frappe's "must be unique" for the user: not an error here
			frappe.local.message_log.pop()
		return None
	return doc.name
