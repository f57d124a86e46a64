"""Ticket and Communication hooks (declared in hooks.py).

``on_ticket_change`` is registered for every DocType ("*"): its first statements return at once unless the
document is a configured ticket. SLA processing never blocks saving a ticket or sending a reply: any
exception is rolled back to a savepoint, written to the Error Log, and the ticket is marked "Error".
"""

from __future__ import annotations

import frappe
from frappe import _

from sla_management.engine.vocabulary import ERROR
from sla_management.sla_check.tickets import config
from sla_management.sla_check.tickets.reading import lock_ticket
from sla_management.sla_check.tickets.stamp import stamp_ticket
from sla_management.sla_check.tickets.sync import sync_ticket
from sla_management.sla_check.tickets.timer_store import STATE_FIELD, save_timers

SAVEPOINT = "sla_mgmt_ticket"


def on_ticket_change(doc, method=None):
	"""Hooked on before_save (optional), after_insert and on_update of every DocType.

	With the before_save hook the SLA state is computed before the ticket is written, the SLA fields go
	into the ticket's own INSERT/UPDATE, and after_insert/on_update only write the timers. Without it,
	after_insert/on_update do everything and stamp the ticket with one extra UPDATE.
	"""
	flags = doc.flags
	if flags.sla_mgmt_prepared and method != "before_save":
		# the first hook after before_save's write (after_insert, or on_update when after_insert is not
		# hooked): only the staged timer writes are left
		flags.sla_mgmt_prepared = False
		staged = flags.pop("sla_mgmt_staged", None) or pending_inserts().pop((doc.doctype, doc.name), None)
		if staged and staged[0]:
			run_safely(doc, save_timers, *staged)
		keep_state_out_of_history(doc)
		return
	if method == "on_update" and flags.in_insert:
		return  # the insert was handled by after_insert (the cheapest exit, for any DocType)
	if method == "before_save" and STATE_FIELD in doc.__dict__:
		# the timer state is the app's, never the client's: as stored (SLA processing below replaces it)
		doc.set(STATE_FIELD, stored_state(doc))
	if doc.doctype not in (types := config.ticket_types()):
		return
	if flags.sla_mgmt_skip or frappe.flags.in_install or frappe.flags.in_migrate:
		return

	if method == "before_save":
		flags.sla_mgmt_prepared = True
		is_new = doc.is_new()
		if not is_new:
			run_safely(doc, flush_pending_insert, doc.doctype, doc.name)
		run_safely(
			doc,
			sync_ticket,
			doc,
			types[doc.doctype],
			is_new=is_new,
			defer=True,
			state=stored_state(doc),
			_in_db=not is_new,
		)
		if is_new and flags.get("sla_mgmt_staged"):
			# kept outside the document until after_insert: see flush_pending_insert
			pending_inserts()[(doc.doctype, doc.name)] = flags.pop("sla_mgmt_staged")
		return
	if method != "after_insert":
		run_safely(doc, flush_pending_insert, doc.doctype, doc.name)
	is_new = method == "after_insert"
	state = None if is_new else stored_state(doc)
	run_safely(doc, sync_ticket, doc, types[doc.doctype], is_new=is_new, state=state)
	keep_state_out_of_history(doc)


def keep_state_out_of_history(doc) -> None:
	"""The timer state is the app's bookkeeping, not a change of the ticket: the copy Frappe compares the
	saved ticket with for its Version (after on_update) gets the new state too."""
	before = doc.get_doc_before_save()
	if before is not None and STATE_FIELD in doc.__dict__:
		before.set(STATE_FIELD, doc.get(STATE_FIELD))


def stored_state(doc) -> str | None:
	"""The ticket's timer state as its row held it when Frappe read it for update (None: new)."""
	before = None if doc.is_new() else doc.get_doc_before_save()
	return before.get(STATE_FIELD) if before is not None else None


def pending_inserts() -> dict:
	"""Timer writes staged by new tickets' before_save, by (doctype, name), until their after_insert."""
	if frappe.flags.sla_mgmt_pending_inserts is None:
		frappe.flags.sla_mgmt_pending_inserts = {}
	return frappe.flags.sla_mgmt_pending_inserts


def flush_pending_insert(doctype: str, name) -> None:
	"""Write the timers a ticket's insert staged, when the ticket is synced again before its after_insert
	hook ran.

	Helpdesk does that: HD Ticket.after_insert (the controller, which runs before the hooks) adds the
	description as a Communication, whose on_update saves a fresh copy of the ticket and runs
	``on_communication``. Without this, that save finds no timers and creates a second set, and the
	after_insert hook then writes the staged set as well.
	"""
	staged = pending_inserts().pop((doctype, name), None)
	if staged and staged[0]:
		save_timers(*staged)


def on_communication(doc, method=None):
	"""An outgoing reply on a ticket is its first response; an incoming one may have reopened it."""
	if doc.reference_doctype not in (types := config.ticket_types()):
		return
	if doc.communication_type != "Communication" or not doc.reference_name:
		return
	cfg = types[doc.reference_doctype]
	# a locking read: the ticket's row first (the app's one lock order), and its latest committed state;
	# only the fields SLA processing needs
	ticket = lock_ticket(doc.reference_doctype, doc.reference_name, cfg)
	if ticket is None:
		return
	responded_at = (doc.communication_date or doc.creation) if doc.sent_or_received == "Sent" else None
	run_safely(ticket, flush_pending_insert, ticket.doctype, ticket.name)
	run_safely(ticket, sync_ticket, ticket, cfg, responded_at=responded_at, state=ticket.get(STATE_FIELD))


# Errors after which the database has rolled the transaction back (or must): they fail the request, so
# that the client sees the failure and can retry, instead of the rest of the request committing alone.
TRANSACTION_ERRORS = (frappe.QueryDeadlockError, frappe.QueryTimeoutError)


def run_safely(ticket, fn, *args, _in_db: bool = True, **kwargs):
	"""Run SLA processing for ``ticket``; on an error log it and mark the ticket, never raise — except for
	``TRANSACTION_ERRORS`` (a deadlock or lock wait timeout), which are raised.

	On PostgreSQL a failed statement aborts the whole transaction, so the work runs inside a savepoint
	that is rolled back on error. MariaDB keeps the transaction usable after a failed statement; there
	the savepoint's round trip is saved: SLA processing reads first and writes last (timers, then the
	ticket's SLA fields), so an error leaves at most timers without the ticket's stamp.
	"""
	savepoint = frappe.db.db_type == "postgres"
	if savepoint:
		frappe.db.savepoint(SAVEPOINT)
	try:
		return fn(*args, **kwargs)
	except TRANSACTION_ERRORS:
		raise
	except Exception as exc:
		if savepoint:
			frappe.db.rollback(save_point=SAVEPOINT)
		mark_error(ticket, in_db=_in_db, reason=str(exc) if isinstance(exc, config.SettingsError) else "")


def mark_error(ticket, in_db: bool = True, reason: str = "") -> None:
	"""Log the exception being handled and mark the ticket (``in_db`` False: not yet written); ``reason``,
	when known, is said in the ticket's note."""
	try:
		log = frappe.log_error(
			title=_("SLA processing failed for {0} {1}").format(_(ticket.doctype), ticket.name),
			reference_doctype=ticket.doctype,
			reference_name=ticket.name,
		)
		note = _("SLA was not applied because of an error; see Error Log {0}.").format(
			getattr(log, "name", "")
		)
		if reason:
			note = f"{reason} {note}"
		stamp_ticket(ticket, status=ERROR, note=note, write=in_db)
	except Exception:
		# never let the error path itself break the save
		pass


def on_timer_change(doc, method=None):
	"""doc_events of SLA Timer: a timer saved or deleted as a document (SLA processing and the sweep write
	timer rows directly and keep the ticket's timer state themselves) — the ticket's state no longer
	matches its timers. It is cleared right after the commit, in a transaction of its own that locks only
	the ticket (the timer's row is locked already: clearing it now would take the locks in the reverse
	of the app's one order); the ticket's next save then reads its timers."""
	doctype, name = doc.get("ticket_doctype"), doc.get("ticket")
	if doctype in config.ticket_types() and name:
		frappe.db.after_commit.add(lambda: clear_timer_state(doctype, name))


def clear_timer_state(doctype: str, name: str) -> None:
	if frappe.get_meta(doctype).has_field(STATE_FIELD):
		frappe.db.sql(f"UPDATE `tab{doctype}` SET `{STATE_FIELD}` = NULL WHERE `name` = %s", (name,))
		frappe.db.commit()
