"""One rule for the API's status of a refusal (core.refusals.http_status)."""
from django.core.exceptions import ValidationError

from yikatong.core.refusals import Forbidden, Refusal, http_status, invalid, is_conflict
from yikatong.payments.errors import PaymentError
from yikatong.rosters.errors import RosterError


def test_a_code_registered_as_a_conflict_is_409_whatever_raises_it():
    assert is_conflict("ORDER_EXISTS") and is_conflict("ITEM_NOT_ACTIVE") and is_conflict("CATALOGUE_EXISTS")
    assert http_status(PaymentError("ORDER_EXISTS", batch="B1", order="P1")) == 409
    assert http_status(RosterError("ITEM_NOT_ACTIVE", seq=3)) == 409
    assert http_status(invalid("CATALOGUE_EXISTS", region="洪洞县", year=2026)) == 409


def test_other_refusals_keep_their_status():
    assert http_status(invalid("FUND_AMOUNT_NOT_POSITIVE", label="金额")) == 400
    assert http_status(Forbidden("FORBIDDEN")) == 403
    assert http_status(ValidationError("x")) == 400
    explicit = Refusal("ORDER_EXISTS", "m")
    explicit.http_status = 502  # set on the exception: wins over the code's class
    assert http_status(explicit) == 502
