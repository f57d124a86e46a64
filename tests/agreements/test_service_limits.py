"""Pure rules of the availability and failure limits per service item, and their traceability."""

from sla_management.engine import agreement_rules as r, plan_rules as p

ITEMS = ("Email", "VPN")


def kinds(problems):
	return [(x.kind, x.idx) for x in problems]


def test_valid_rows_have_no_problem():
	rows = [
		r.ServiceLimit(1, "Email", availability_target=99.5, max_failures=2),
		r.ServiceLimit(2, "VPN", max_failure_duration=3600, max_mttr=1800),
	]
	assert r.limit_problems(rows, ITEMS) == []


def test_item_must_be_one_of_the_agreement_and_once():
	rows = [
		r.ServiceLimit(1, "Email", availability_target=99),
		r.ServiceLimit(2, "Email", availability_target=98),
		r.ServiceLimit(3, "Printer", availability_target=98),
		r.ServiceLimit(4, None, availability_target=98),
	]
	assert kinds(r.limit_problems(rows, ITEMS)) == [
		(r.DUPLICATE_LIMIT, 2),
		(r.LIMIT_ITEM_NOT_IN_AGREEMENT, 3),
		(r.LIMIT_ITEM_REQUIRED, 4),
	]
	assert r.limit_problems(rows, ITEMS)[0].values == (1, "Email")


def test_percent_range_negative_and_empty_rows():
	rows = [
		r.ServiceLimit(1, "Email", availability_target=100.5),
		r.ServiceLimit(2, "VPN", availability_target=-1),
	]
	assert kinds(r.limit_problems(rows, ITEMS)) == [(r.PERCENT_OUT_OF_RANGE, 1), (r.PERCENT_OUT_OF_RANGE, 2)]
	assert kinds(r.limit_problems([r.ServiceLimit(1, "Email", max_failures=-1)], ITEMS)) == [
		(r.NEGATIVE_LIMIT, 1)
	]
	assert kinds(r.limit_problems([r.ServiceLimit(1, "Email", max_mttr=-5)], ITEMS)) == [
		(r.NEGATIVE_LIMIT, 1)
	]
	assert kinds(r.limit_problems([r.ServiceLimit(1, "Email")], ITEMS)) == [(r.EMPTY_LIMIT, 1)]
	assert r.limit_problems([r.ServiceLimit(1, "Email", availability_target=100)], ITEMS) == []


def test_credit_schedule_rules():
	ok = [r.CreditStep(1, 99.5, 5), r.CreditStep(2, 99, 10), r.CreditStep(3, 99.5, 8, "VPN")]
	assert r.credit_problems(ok, ITEMS, 1000) == []
	bad = [
		r.CreditStep(1, 0, 5),
		r.CreditStep(2, 99, 120),
		r.CreditStep(3, 99, 10),
		r.CreditStep(4, 99, 10, "Printer"),
	]
	assert kinds(r.credit_problems(bad, ITEMS, -1)) == [
		(r.NEGATIVE_FEE, 0),
		(r.CREDIT_OUT_OF_RANGE, 1),
		(r.CREDIT_OUT_OF_RANGE, 2),
		(r.DUPLICATE_CREDIT, 3),
		(r.CREDIT_ITEM_NOT_IN_AGREEMENT, 4),
	]


def test_limit_row_answers_its_line_before_the_agreement_level():
	availability = r.Metric("m1", p.AVAILABILITY, "Email")
	duration = r.Metric("m2", p.FAILURE_DURATION)
	frequency = r.Metric("m3", p.FAILURE_FREQUENCY, "VPN")
	limits = [
		r.ServiceLimit(1, "Email", availability_target=99.9),
		r.ServiceLimit(2, "VPN", max_failure_duration=7200, requirement_metric="m2"),
	]
	values = {"availability_target": 99, "max_failure_duration": 3600}
	assert r.answer(availability, [], values, limits) == r.Answer("availability_target", 99.9, limit_idx=1)
	# linked by its requirement line, though the line names no item
	assert r.answer(duration, [], values, limits) == r.Answer("max_failure_duration", 7200, limit_idx=2)
	# the VPN row sets no failure count: the agreement level answers, or nothing
	assert r.answer(frequency, [], values, limits) is None
	assert r.answer(frequency, [], {"failure_frequency_limit": 2}, limits) == r.Answer(
		"failure_frequency_limit", 2
	)
	# without limit rows, the agreement level as before
	assert r.answer(availability, [], values) == r.Answer("availability_target", 99)
	assert r.unanswered([availability, frequency], [], values, limits) == [frequency]
