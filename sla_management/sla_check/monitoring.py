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
  Error Log (title "Unmapped monitoring alert", with its labels) and listed in the answer; a payload of
  which no alert maps is refused (417, naming the alerts).
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
from frappe.model.naming import NamingSeries
from frappe.utils import get_system_timezone

from sla_management.common.permissions import has_any_role
from sla_management.engine.roles import INTEGRATION, SYSTEM_MANAGER
from sla_management.engine.vocabulary import DEGRADED, DOWN, ELIGIBLE_AGREEMENT_STATUSES, MONITORING

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
	result = record(alerts)
	if alerts and len(result["unmapped"]) == len(alerts):
		# nothing of the payload maps: refused, nothing recorded; each alert stays in the Error Log
		frappe.throw(
			_(
				"No alert of this payload names an existing service item and service project: {0}. Label the "
				"alerts with {1} and {2}, or add a monitoring rule in SLA Settings."
			).format(", ".join(str(u["fingerprint"]) for u in result["unmapped"]), ITEM_LABEL, PROJECT_LABEL),
			exc=frappe.ValidationError,
			title=_("Unmapped monitoring alert"),
		)
	return result


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


def parse_time(value, what, zone: ZoneInfo | None = None) -> datetime | None:
	"""An RFC 3339 / ISO 8601 instant as a naive datetime in the system time zone (a value without an
	offset is taken as system time); None for empty values and Alertmanager's zero time. ``what`` names the
	field in the message of a malformed value (a callable giving the name: built only then)."""
	if value in (None, "") or value == ZERO_TIME:
		return None
	match = _RFC3339.match(value) if isinstance(value, str) else None
	if not match:
		_bad_time(what, value)
	day, time, fraction, offset = match.groups()
	try:
		moment = datetime.fromisoformat(f"{day}T{time}.{(fraction or '0')[:6].ljust(6, '0')}")
	except ValueError:
		_bad_time(what, value)
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
		moment = moment.astimezone(zone or ZoneInfo(get_system_timezone())).replace(tzinfo=None)
	return moment


def _bad_time(what, value):
	what = what() if callable(what) else what
	_malformed(_("{0} is not a valid date and time: {1}").format(what, frappe.as_json(value)))


def parse_payload(payload) -> list[frappe._dict]:
	"""The alerts of a payload, checked all before anything is written."""
	zone = ZoneInfo(get_system_timezone())
	if isinstance(payload, dict) and "alerts" in payload:
		if str(payload.get("version", "4")) != "4":
			_malformed(_("Only version 4 of the Alertmanager webhook payload is supported."))
		if not isinstance(payload["alerts"], list):
			_malformed(_("The field {0} must be a list.").format("alerts"))
		return [_alertmanager_alert(a, i, zone) for i, a in enumerate(payload["alerts"])]
	if isinstance(payload, dict):
		payload = [payload]
	if not isinstance(payload, list) or not payload:
		_malformed(_("The payload must be an Alertmanager webhook message or plain outage objects."))
	return [_plain_alert(a, i, zone) for i, a in enumerate(payload)]


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


def _times(status: str, start, end, position: int, start_field: str, end_field: str, zone=None):
	def what(field):
		return lambda: "{}: {}".format(_("Alert {0}").format(position + 1), field)

	start = parse_time(start, what(start_field), zone)
	if start is None:
		_malformed(_("Alert {0}: the field {1} is missing.").format(position + 1, start_field))
	end = parse_time(end, what(end_field), zone) if status == RESOLVED else None
	if status == RESOLVED and end is None:
		_malformed(_("Alert {0}: a resolved alert needs its {1}.").format(position + 1, end_field))
	if end is not None and end <= start:
		_malformed(_("Alert {0}: {1} must be after {2}.").format(position + 1, end_field, start_field))
	return start, end


def _alertmanager_alert(alert, position: int, zone=None) -> frappe._dict:
	if not isinstance(alert, dict):
		_malformed(_("Alert {0} is not an object.").format(position + 1))
	status = _check_status(alert, position)
	labels, annotations = alert.get("labels") or {}, alert.get("annotations") or {}
	if not isinstance(labels, dict) or not isinstance(annotations, dict):
		_malformed(_("Alert {0}: labels and annotations must be objects.").format(position + 1))
	start, end = _times(
		status, alert.get("startsAt"), alert.get("endsAt"), position, "startsAt", "endsAt", zone
	)
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


def _plain_alert(alert, position: int, zone=None) -> frappe._dict:
	if not isinstance(alert, dict):
		_malformed(_("Alert {0} is not an object.").format(position + 1))
	status = _check_status(alert, position)
	start, end = _times(status, alert.get("start"), alert.get("end"), position, "start", "end", zone)
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


def record(alerts: list[frappe._dict]) -> dict:
	"""Record a checked batch: a handful of statements whatever its size.

	One non-locking read finds the outages the batch already has, by (source, fingerprint, start); the
	new ones are written with one multi-row INSERT whose names come from the naming series (reserved in one
	step); the closes are one UPDATE. The unique key (source, fingerprint, start) stays the idempotency
	guard: a parallel delivery that recorded an alert first makes the INSERT skip it (``ON DUPLICATE KEY``),
	and this delivery reports it ignored, or closes the other one's outage when its own alert is resolved.
	Nothing here takes a gap lock (no locking read of missing rows): two deliveries of new alerts queue on
	the naming series' row instead of deadlocking.
	"""
	result = {"opened": [], "closed": [], "ignored": [], "unmapped": []}
	alerts = _merge_repeats(_mapped(alerts, result), result)
	if not alerts:
		return result
	existing = _existing(alerts)
	new, closes = [], []
	for alert in alerts:
		row = existing.get(_key(alert))
		if row is None:
			new.append(alert)
		elif alert.end and not row.end:
			closes.append((row.name, alert.end, alert.fingerprint))
		else:
			result["ignored"].append(alert.fingerprint)
	for alert, name in _insert(new):
		if name:
			result["closed" if alert.end else "opened"].append(name)
		elif alert.end and (winner := _open_outage(alert)):
			closes.append((winner, alert.end, alert.fingerprint))  # a parallel delivery opened it first
		else:
			result["ignored"].append(alert.fingerprint)
	closed = _close(closes)
	for name, _end, fingerprint in closes:
		if name in closed:
			result["closed"].append(name)
		else:
			result["ignored"].append(fingerprint)
	return result


def _key(alert) -> tuple:
	return (alert.source, alert.fingerprint, alert.start)


def _mapped(alerts: list[frappe._dict], result: dict) -> list[frappe._dict]:
	"""The alerts whose service item and project exist (one query for both); the others are logged as
	unmapped. Each mapped alert gets its project's customer."""
	items = list({a.service_item for a in alerts if isinstance(a.service_item, str) and a.service_item})
	projects = list({a.project for a in alerts if isinstance(a.project, str) and a.project})
	known_items, known_projects = set(), {}
	if items and projects:
		rows = frappe.db.sql(
			"""SELECT 'item', `name`, NULL, NULL FROM `tabSLA Service Item` WHERE `name` IN %(items)s
			UNION ALL
			SELECT 'project', `name`, `customer_type`, `customer` FROM `tabSLA Service Project`
			WHERE `name` IN %(projects)s""",
			{"items": items, "projects": projects},
		)
		for what, name, customer_type, customer in rows:
			if what == "item":
				known_items.add(name)
			else:
				known_projects[name] = (customer_type, customer)
	mapped = []
	for alert in alerts:
		if alert.service_item in known_items and alert.project in known_projects:
			alert.customer_type, alert.customer = known_projects[alert.project]
			mapped.append(alert)
			continue
		frappe.log_error(
			title=_("Unmapped monitoring alert"),
			message=frappe.as_json(
				{"source": alert.source, "fingerprint": alert.fingerprint, "labels": alert.labels}
			),
			reference_doctype=OUTAGE,
		)
		result["unmapped"].append({"fingerprint": alert.fingerprint, "labels": alert.labels})
	return mapped


def _merge_repeats(alerts: list[frappe._dict], result: dict) -> list[frappe._dict]:
	"""One alert per (source, fingerprint, start): a repeat in the same batch is ignored, except that a
	resolved repeat gives the kept alert its end."""
	kept: dict[tuple, frappe._dict] = {}
	for alert in alerts:
		first = kept.get(_key(alert))
		if first is None:
			kept[_key(alert)] = alert
			continue
		if alert.end and not first.end:
			first.end, first.status = alert.end, alert.status
		result["ignored"].append(alert.fingerprint)
	return list(kept.values())


def _existing(alerts: list[frappe._dict]) -> dict[tuple, frappe._dict]:
	rows = frappe.db.sql(
		"""SELECT `name`, `source`, `fingerprint`, `start`, `end` FROM `tabSLA Outage`
		WHERE `source` IN %(sources)s AND `fingerprint` IN %(fingerprints)s""",
		{"sources": list({a.source for a in alerts}), "fingerprints": list({a.fingerprint for a in alerts})},
		as_dict=True,
	)
	return {(r.source, r.fingerprint, r.start): r for r in rows}


def _agreements(alerts: list[frappe._dict]) -> None:
	"""Each alert's agreement as ``find_agreement`` would find it, for the whole batch in one query."""
	rows = frappe.db.sql(
		"""
		SELECT a.name, a.project, i.service_item, a.valid_from, a.valid_to FROM `tabSLA Agreement` a
		JOIN `tabSLA Agreement Item` i
			ON i.parent = a.name AND i.parenttype = 'SLA Agreement' AND i.parentfield = 'items'
		WHERE a.docstatus = 1 AND a.status IN %(statuses)s AND a.project IN %(projects)s
			AND i.service_item IN %(items)s
		ORDER BY a.valid_from DESC, a.creation DESC
		""",
		{
			"statuses": ELIGIBLE_AGREEMENT_STATUSES,
			"projects": list({a.project for a in alerts}),
			"items": list({a.service_item for a in alerts}),
		},
		as_dict=True,
	)
	for alert in alerts:
		on = alert.start.date()
		alert.agreement = next(
			(
				r.name
				for r in rows
				if r.project == alert.project
				and r.service_item == alert.service_item
				and r.valid_from <= on <= r.valid_to
			),
			None,
		)


def _reserve_names(count: int) -> list[str]:
	"""``count`` names of the outage naming series, reserved in one step (the series row stays locked
	until the transaction ends, as with Frappe's own naming)."""
	series = frappe.get_meta(OUTAGE).get_field("naming_series").default
	prefix = NamingSeries(series).get_prefix()
	digits = series.count("#")
	frappe.db.sql(
		"""INSERT INTO `tabSeries` (`name`, `current`) VALUES (%(prefix)s, %(count)s)
		ON DUPLICATE KEY UPDATE `current` = `current` + %(count)s""",
		{"prefix": prefix, "count": count},
	)
	last = frappe.db.sql("SELECT `current` FROM `tabSeries` WHERE `name` = %s", prefix)[0][0]
	return [f"{prefix}{n:0{digits}d}" for n in range(int(last) - count + 1, int(last) + 1)]


_COLUMNS = (
	"name",
	"creation",
	"modified",
	"owner",
	"modified_by",
	"docstatus",
	"idx",
	"naming_series",
	"service_item",
	"project",
	"customer_type",
	"customer",
	"agreement",
	"kind",
	"start",
	"end",
	"cause",
	"found_by",
	"source",
	"fingerprint",
)


def _insert(alerts: list[frappe._dict]) -> list[tuple[frappe._dict, str | None]]:
	"""New outages of ``alerts`` in one INSERT: (alert, its outage's name), None for an alert a parallel
	delivery recorded first."""
	if not alerts:
		return []
	_agreements(alerts)
	names = _reserve_names(len(alerts))
	now, user = frappe.utils.now_datetime(), frappe.session.user
	series = frappe.get_meta(OUTAGE).get_field("naming_series").default
	fixed = {"creation": now, "modified": now, "owner": user, "modified_by": user, "docstatus": 0, "idx": 0}
	fixed.update(naming_series=series, found_by=MONITORING)
	values = [
		tuple({**fixed, **a, "name": name}.get(column) for column in _COLUMNS)
		for name, a in zip(names, alerts, strict=True)
	]
	row = "(" + ", ".join(["%s"] * len(_COLUMNS)) + ")"
	frappe.db.sql(
		f"INSERT INTO `tabSLA Outage` ({', '.join(f'`{c}`' for c in _COLUMNS)}) VALUES "
		+ ", ".join([row] * len(values))
		+ " ON DUPLICATE KEY UPDATE `name` = `name`",
		[v for value in values for v in value],
	)
	mine = {
		(r.name, r.fingerprint)
		for r in frappe.db.sql(
			"SELECT `name`, `fingerprint` FROM `tabSLA Outage` WHERE `name` IN %s", [names], as_dict=True
		)
	}
	return [
		(a, name if (name, a.fingerprint) in mine else None) for name, a in zip(names, alerts, strict=True)
	]


def _open_outage(alert) -> str | None:
	rows = frappe.db.sql(
		"""SELECT `name` FROM `tabSLA Outage` WHERE `source` = %s AND `fingerprint` = %s AND `start` = %s
		AND `end` IS NULL FOR UPDATE""",
		(alert.source, alert.fingerprint, alert.start),
	)
	return rows[0][0] if rows else None


def _close(closes: list[tuple[str, object, str]]) -> set[str]:
	"""Set the end of the open outages in one UPDATE; the names that now have this end (a parallel
	delivery may have closed some first: those keep their end)."""
	if not closes:
		return set()
	closes.sort()  # one lock order for every delivery
	ends = {name: end for name, end, _fp in closes}
	cases = " ".join(["WHEN %s THEN %s"] * len(ends))
	frappe.db.sql(
		f"""UPDATE `tabSLA Outage` SET `end` = CASE `name` {cases} END, `modified` = %s, `modified_by` = %s
		WHERE `name` IN %s AND `end` IS NULL""",
		[
			*(v for item in ends.items() for v in item),
			frappe.utils.now_datetime(),
			frappe.session.user,
			list(ends),
		],
	)
	rows = frappe.db.sql("SELECT `name`, `end` FROM `tabSLA Outage` WHERE `name` IN %s", [list(ends)])
	return {name for name, end in rows if end == ends[name]}
