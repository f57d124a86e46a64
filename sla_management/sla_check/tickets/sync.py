"""Bring a ticket's SLA timers in line with the ticket: read it, run the pure cycle, write, stamp.

Every measurement goes through the engine in the agreement's calendar. Frappe stores naive datetimes
in the system time zone; the cycle makes them aware in that zone and converts them back.
"""

from __future__ import annotations

from datetime import datetime
from functools import lru_cache
from zoneinfo import ZoneInfo

import frappe
from frappe.utils import get_system_timezone

from sla_management.engine import ticket_cycle
from sla_management.engine.ticket_timer import as_datetime
from sla_management.sla_check.tickets import agreements, config
from sla_management.sla_check.tickets.reading import read_ticket
from sla_management.sla_check.tickets.stamp import stamp_ticket
from sla_management.sla_check.tickets.timer_store import load_timers, save_timers, timer_state


@lru_cache(maxsize=8)
def _zone(name: str) -> ZoneInfo:
	return ZoneInfo(name)


def system_tz() -> ZoneInfo:
	return _zone(get_system_timezone())


def sync_ticket(
	doc,
	cfg: dict,
	*,
	is_new: bool = False,
	at: datetime | None = None,
	responded_at=None,
	defer: bool = False,
	state: str | None = None,
) -> dict:
	"""Bring the ticket's SLA timers in line with the ticket; stamp the ticket. Returns the stamped values.

	``responded_at``: an outgoing reply was sent at that instant (first response).
	``defer``: called before the ticket is written (``before_save``): the SLA fields are only set on the
	document (its own INSERT/UPDATE stores them) and the timer writes are left in
	``doc.flags.sla_mgmt_staged`` for ``save_timers`` after the ticket is written.
	``state``: the ticket's ``sla_mgmt_timer_state`` as its locked row holds it (None: read the timers);
	the new state is stamped on the ticket with the other SLA fields.
	"""
	if cfg.get("settings_problem"):
		raise config.SettingsError(config.problem_text(cfg["settings_problem"]))
	stamp_now = at is None  # the records' time stamps are this instant too
	at = as_datetime(at or frappe.utils.now_datetime())
	ticket = read_ticket(doc, cfg)
	# the caller holds the ticket's row lock (a save: Frappe's load_doc_before_save; a reply:
	# on_communication reads the ticket for update) and read its timer state with it; without a state the
	# timers are read with a locking read, so two transactions never decide on the same timers (one lock
	# order everywhere: the ticket, then its timers)
	timers = [] if is_new else load_timers(ticket.doctype, ticket.name, for_update=True, state=state)
	predates_setup = bool(
		not timers and not is_new and doc.creation and as_datetime(doc.creation) < as_datetime(cfg["since"])
	)
	agreement_modified, calendar_modified = agreements.known_modified(
		ticket, {t.data.agreement for t in timers}
	)
	outcome = ticket_cycle.sync(
		ticket,
		timers,
		at=at,
		rules=cfg,
		levels=config.escalation_level_rules(),
		tz=system_tz(),
		ports=agreements.ports(agreement_modified, calendar_modified),
		responded_at=responded_at,
		predates_setup=predates_setup,
	)
	if outcome.timers:
		if defer:
			doc.flags.sla_mgmt_staged = (outcome.timers, at if stamp_now else None)
		else:
			save_timers(outcome.timers, at if stamp_now else None)
	return stamp_ticket(doc, write=not defer, timer_state=timer_state(outcome.timers), **outcome.fields)
