"""Outages from tickets (issue 12): SLA Settings' **Outage Rules** say which tickets are failures.

A ticket of a rule's DocType whose condition field holds the rule's value, and whose SLA found an agreement
(``sla_mgmt_agreement``, stamped by the ticket handler) that lists the ticket's service item, has one SLA
Outage (found by "Incident Ticket", linked to the ticket): from the rule's start field (else the ticket's
opening time) to its end field (else the moment the ticket reached a closing status); open while the
ticket is not in a closing status (the rule's, else the ticket type's Resolve statuses). Every save of the
ticket brings the outage up to date: a reopened ticket reopens it, edited times move it, and a ticket that
no longer matches (another condition value, no agreement, an item the agreement does not list) deletes it:
it was not a failure.

``on_ticket_update`` runs on every save of every DocType ("*" on_update, after the ticket handler): it
returns after one dictionary lookup unless the DocType has a rule (the rules are cached; saving SLA
Settings drops the cache). It never blocks the ticket's save: an error is rolled back to a savepoint,
written to the Error Log and said in a comment on the ticket; only deadlocks and lock wait timeouts are
raised (the request fails and can be retried). Lock order: the ticket's row (locked by its save), then the
outage's.
"""

from __future__ import annotations

from datetime import datetime

import frappe
from frappe import _

from sla_management.engine.ticket_timer import as_datetime
from sla_management.engine.vocabulary import INCIDENT_TICKET, RESOLVE
from sla_management.sla_check.tickets import config
from sla_management.sla_check.tickets.events import TRANSACTION_ERRORS
from sla_management.sla_check.tickets.reading import opening_of

CACHE_KEY = "sla_management:outage_ticket_rules"
RULE = "SLA Outage Ticket Rule"
OUTAGE = "SLA Outage"
SAVEPOINT = "sla_mgmt_ticket_outage"
RULE_FIELDS = (
	"ticket_doctype",
	"condition_field",
	"condition_value",
	"kind",
	"close_statuses",
	"start_field",
	"start_time_field",
	"end_field",
)


def rules() -> dict[str, list[dict]]:
	"""Ticket DocType → its outage rules in table order (empty without rules): from the Redis cache, kept
	for the rest of the request in ``frappe.local.flags`` (the handler's fast path is one attribute read)."""
	cached = (flags := frappe.local.flags).sla_mgmt_outage_rules
	if cached is None:
		if frappe.flags.in_install or frappe.flags.in_migrate:
			return {}  # the rule table may not exist yet: neither read nor cache it
		cached = flags.sla_mgmt_outage_rules = frappe.cache.get_value(CACHE_KEY, generator=_load) or {}
	return cached


def clear_cache() -> None:
	frappe.cache.delete_value(CACHE_KEY)
	frappe.local.flags.sla_mgmt_outage_rules = None


def _load() -> dict[str, list[dict]]:
	try:
		rows = frappe.get_all(
			RULE,
			filters={"parenttype": config.SETTINGS, "parentfield": "outage_rules"},
			fields=list(RULE_FIELDS),
			order_by="idx asc",
		)
	except Exception as exc:
		# the table may not exist yet (Frappe's column lookup raises TableMissingError("DocType", name))
		missing = isinstance(exc, frappe.db.TableMissingError) and exc.args[:1] == ("DocType",)
		if missing or frappe.db.is_table_missing(exc) or frappe.db.is_missing_column(exc):
			return {}
		raise
	out: dict[str, list[dict]] = {}
	for row in rows:
		out.setdefault(row.ticket_doctype, []).append(dict(row))
	return out


def on_ticket_update(doc, method=None):
	"""``doc_events["*"]["on_update"]``: keep the ticket's outage in step with the ticket."""
	doctype = doc.doctype
	if doctype not in (by_doctype := rules()):
		if doctype == config.SETTINGS:
			clear_cache()
		return
	if frappe.flags.in_install or frappe.flags.in_migrate or doc.flags.sla_mgmt_skip:
		return
	cfg = config.ticket_types().get(doctype)
	if cfg is None:
		return  # the ticket type is disabled, or SLA is switched off
	frappe.db.savepoint(SAVEPOINT)
	try:
		sync_outage(doc, cfg, by_doctype[doctype])
	except TRANSACTION_ERRORS:
		raise
	except Exception:
		frappe.db.rollback(save_point=SAVEPOINT)
		_report_error(doc)


def _report_error(doc) -> None:
	"""Log the exception being handled and say so on the ticket; never raise."""
	try:
		log = frappe.log_error(
			title=_("Outage from ticket failed for {0} {1}").format(_(doc.doctype), doc.name),
			reference_doctype=doc.doctype,
			reference_name=doc.name,
		)
		doc.add_comment(
			"Comment",
			_("The outage of this ticket was not updated because of an error; see Error Log {0}.").format(
				getattr(log, "name", "")
			),
		)
	except Exception:
		pass


def matching_rule(doc, doctype_rules: list[dict]) -> dict | None:
	"""The first rule (in table order) whose condition field holds exactly its value."""
	for rule in doctype_rules:
		value = doc.get(rule["condition_field"])
		if value is not None and str(value) == rule["condition_value"]:
			return rule
	return None


def sync_outage(doc, cfg: dict, doctype_rules: list[dict]) -> str | None:
	"""Create, update or delete the ticket's outage; its name, or None when the ticket has none."""
	existing = frappe.db.get_value(
		OUTAGE, {"ticket_doctype": doc.doctype, "ticket": doc.name}, ["name", "end"], as_dict=True
	)
	wanted = _wanted(doc, cfg, doctype_rules, existing)
	if wanted is None:
		if existing:
			frappe.delete_doc(OUTAGE, existing.name, ignore_permissions=True, force=True)
		return None
	if existing:
		outage = frappe.get_doc(OUTAGE, existing.name, for_update=True)  # after the ticket's row lock
		if all(_same(outage.get(k), v) for k, v in wanted.items()):
			return outage.name
		outage.update(wanted)
	else:
		outage = frappe.get_doc({"doctype": OUTAGE, "ticket_doctype": doc.doctype, "ticket": doc.name})
		outage.update({**wanted, "found_by": INCIDENT_TICKET})
	outage.flags.ignore_permissions = True
	outage.save()
	return outage.name


def _same(current, value) -> bool:
	if isinstance(value, datetime) and current:
		return as_datetime(current) == value
	return (current or None) == (value or None)


def _wanted(doc, cfg: dict, doctype_rules: list[dict], existing) -> dict | None:
	"""The outage the ticket should have now (its field values), or None."""
	rule = matching_rule(doc, doctype_rules)
	agreement = doc.get("sla_mgmt_agreement")
	item_field = cfg.get("service_item_field")
	item = doc.get(item_field) if item_field else None
	if rule is None or not agreement or not item:
		return None
	project = frappe.db.sql(
		"""
		SELECT a.project FROM `tabSLA Agreement` a
		JOIN `tabSLA Agreement Item` i
			ON i.parent = a.name AND i.parenttype = 'SLA Agreement' AND i.parentfield = 'items'
		WHERE a.name = %s AND i.service_item = %s
		LIMIT 1
		""",
		(agreement, item),
	)
	if not project:
		return None  # the agreement does not cover the item
	start = _start(doc, cfg, rule)
	end = None
	if _closed(doc, cfg, rule):
		end = _end_field(doc, rule) or (existing.end if existing and existing.end else None)
		end = as_datetime(end) if end else frappe.utils.now_datetime()
	return {
		"service_item": item,
		"project": project[0][0],
		"agreement": agreement,
		"kind": rule["kind"] or "Down",
		"start": start,
		"end": end,
	}


def _closed(doc, cfg: dict, rule: dict) -> bool:
	statuses = [s.strip() for s in (rule.get("close_statuses") or "").splitlines() if s.strip()]
	status = doc.get(cfg.get("status_field") or "status")
	return status in (statuses or cfg.get(RESOLVE) or ())


def _start(doc, cfg: dict, rule: dict) -> datetime:
	if rule.get("start_field"):
		return opening_of(
			doc, {"opening_field": rule["start_field"], "opening_time_field": rule.get("start_time_field")}
		)
	return opening_of(doc, cfg)


def _end_field(doc, rule: dict):
	return doc.get(rule["end_field"]) if rule.get("end_field") else None
