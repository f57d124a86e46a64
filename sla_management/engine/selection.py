"""Which agreement covers a ticket, and which of its target rows applies — pure, no ``frappe``.

Input is plain data: the ticket as a dict and candidate agreements as dicts (the shape the ticket
handler reads from ``SLA Agreement`` and its child tables). Rules (§5.3.1):

- an agreement is eligible when it is submitted (``docstatus`` 1, when given), its status is Active or
  Signed (or Expired: it was valid then) and ``valid_from <= opening date <= valid_to``;
- it covers the ticket when the ticket's project is the agreement's project, or — when the ticket names no
  project — when the ticket's customer is the agreement's customer; a project of another customer than the
  ticket's is not applied (the ticket's customer decides whose service levels count);
- with a service item on the ticket, the agreement must list that item (an agreement listing no items
  covers all items) and have a target for it; a target row for exactly that item beats an "all items" row
  (empty service item); an exact priority beats a default row (empty priority or ``default_target``);
- among several covering agreements the best target wins, then the project match, then the later
  ``valid_from``, then the higher version, then the name (so the choice is deterministic);
- a ticket without a service item is never guessed between different agreements (agreement codes; the
  versions of one agreement are one): when more than one would apply, it gets none until its service
  item is chosen (``CHOOSE_SERVICE_ITEM``).

Reasons for "no agreement" are returned as codes with parameters so that the caller can translate them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from .vocabulary import ELIGIBLE_AGREEMENT_STATUSES, EXPIRED, RESPONSE

ELIGIBLE_STATUSES = ELIGIBLE_AGREEMENT_STATUSES

# Reason codes (the caller maps them to translated messages).
NO_PARTY = "no_party"
NO_AGREEMENT = "no_agreement"
NO_ITEM = "no_item"
NO_TARGET = "no_target"
PROJECT_OF_OTHER_CUSTOMER = "project_of_other_customer"
CHOOSE_SERVICE_ITEM = "choose_service_item"


@dataclass(frozen=True)
class Selection:
	agreement: dict | None = None
	target: dict | None = None
	reason: str = ""
	params: dict = field(default_factory=dict)

	@property
	def found(self) -> bool:
		return self.agreement is not None and self.target is not None


def _as_date(value) -> date | None:
	if value is None or value == "":
		return None
	if isinstance(value, datetime):
		return value.date()
	if isinstance(value, date):
		return value
	return date.fromisoformat(str(value)[:10])


def is_valid_on(agreement: dict, on: date) -> bool:
	"""The agreement is signed/active and its validity period contains ``on``."""
	if agreement.get("docstatus", 1) != 1:
		return False
	if agreement.get("status") not in ELIGIBLE_STATUSES:
		return False
	start, end = _as_date(agreement.get("valid_from")), _as_date(agreement.get("valid_to"))
	return (start is None or start <= on) and (end is None or on <= end)


def covers_party(agreement: dict, ticket: dict) -> bool:
	"""Project match when the ticket has a project, else customer match."""
	if ticket.get("project"):
		return agreement.get("project") == ticket["project"]
	customer = ticket.get("customer")
	if not customer:
		return False
	ticket_type = ticket.get("customer_type")
	agreement_type = agreement.get("customer_type")
	if ticket_type and agreement_type and ticket_type != agreement_type:
		return False
	return agreement.get("customer") == customer


def same_customer(agreement: dict, ticket: dict) -> bool:
	"""The agreement is the ticket customer's (a ticket that names no customer: any)."""
	if not ticket.get("customer"):
		return True
	ticket_type, agreement_type = ticket.get("customer_type"), agreement.get("customer_type")
	if ticket_type and agreement_type and ticket_type != agreement_type:
		return False
	return agreement.get("customer") == ticket["customer"]


def covers_item(agreement: dict, service_item: str | None) -> bool:
	items = [i for i in (agreement.get("items") or []) if i]
	return not service_item or not items or service_item in items


def target_score(row: dict, service_item: str | None, priority: str | None) -> tuple[int, int] | None:
	"""(item score, priority score) of a target row for the ticket, or None when it does not apply."""
	row_item = row.get("service_item") or ""
	if row_item:
		if row_item != service_item:
			return None
		item_score = 2
	else:
		item_score = 1
	row_priority = row.get("priority") or ""
	if row_priority and priority and row_priority == priority:
		priority_score = 3
	elif not row_priority:
		priority_score = 2
	elif row.get("default_target"):
		priority_score = 1
	else:
		return None
	return item_score, priority_score


def select_target(agreement: dict, service_item: str | None, priority: str | None) -> dict | None:
	"""The target row of ``agreement`` for the ticket's service item and priority."""
	best, best_score = None, None
	for idx, row in enumerate(agreement.get("targets") or []):
		score = target_score(row, service_item, priority)
		if score is None:
			continue
		# earlier rows win ties: the order the agreement lists them in
		key = (*score, -idx)
		if best_score is None or key > best_score:
			best, best_score = row, key
	return best


def select_agreement(ticket: dict, agreements: list[dict]) -> Selection:
	"""Choose the agreement and target row covering ``ticket``.

	``ticket`` keys: customer_type, customer, project, service_item, priority, opening_date.
	"""
	if not ticket.get("customer") and not ticket.get("project"):
		return Selection(reason=NO_PARTY)
	on = _as_date(ticket.get("opening_date"))
	service_item = ticket.get("service_item") or None
	priority = ticket.get("priority") or None

	covering = [a for a in agreements if covers_party(a, ticket) and (on is None or is_valid_on(a, on))]
	if not covering:
		return Selection(reason=NO_AGREEMENT, params={"date": on})
	if ticket.get("project"):
		own = [a for a in covering if same_customer(a, ticket)]
		if not own:
			return Selection(
				reason=PROJECT_OF_OTHER_CUSTOMER,
				params={
					"project": ticket["project"],
					"project_customer": covering[0].get("customer"),
					"customer": ticket.get("customer"),
				},
			)
		covering = own
	with_item = [a for a in covering if covers_item(a, service_item)]
	if not with_item:
		return Selection(reason=NO_ITEM, params={"service_item": service_item})

	if not service_item:
		applicable = {
			str(a.get("agreement_code") or a.get("name") or ""): a
			for a in with_item
			if select_target(a, service_item, priority) is not None
		}
		if len(applicable) > 1:
			names = sorted(str(a.get("name") or "") for a in applicable.values())
			return Selection(reason=CHOOSE_SERVICE_ITEM, params={"agreements": names})

	best = None
	for agreement in with_item:
		target = select_target(agreement, service_item, priority)
		if target is None:
			continue
		key = (
			target_score(target, service_item, priority),
			1 if agreement.get("status") != EXPIRED else 0,
			_as_date(agreement.get("valid_from")) or date.min,
			int(agreement.get("version") or 0),
			str(agreement.get("name") or ""),
		)
		if best is None or key > best[0]:
			best = (key, agreement, target)
	if best is None:
		return Selection(
			reason=NO_TARGET,
			params={
				"agreement": with_item[0].get("name"),
				"priority": priority,
				"service_item": service_item,
			},
		)
	return Selection(agreement=best[1], target=best[2])


def target_seconds(target: dict, metric: str) -> float:
	"""Seconds of the target row for ``metric`` ("Response" or "Resolution"); 0 means no target."""
	value = target.get("response_time" if metric == RESPONSE else "resolution_time") or 0
	return float(value)
