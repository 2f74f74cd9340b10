"""The database-backed fixed-window counter behind the personal-data lookup limits (issue 13)."""
import datetime as dt

import pytest
from django.db import connection

from tests.support.concurrency import race
from yikatong.core.models import RateCounter
from yikatong.core.ratelimit import Rate, take, used

T0 = dt.datetime(2026, 12, 3, 9, 30, 5, tzinfo=dt.timezone.utc)


@pytest.mark.parametrize("text,rate", [("30/min", Rate(30, 60)), ("1000/hour", Rate(1000, 3600)),
                                       ("5/10s", Rate(5, 10)), (" 2 / day ", Rate(2, 86400))])
def test_rates_parse(text, rate):
    assert Rate.parse(text) == rate


@pytest.mark.parametrize("text", ["30", "x/min", "30/fortnight", ""])
def test_a_bad_rate_is_refused(text):
    with pytest.raises(ValueError):
        Rate.parse(text)


@pytest.mark.django_db
def test_the_n_plus_first_take_in_a_window_is_refused_and_the_next_window_starts_afresh():
    assert all(take("k", limit=3, window=60, now=T0) for _ in range(3))
    assert not take("k", limit=3, window=60, now=T0 + dt.timedelta(seconds=50))
    assert used("k", window=60, now=T0) == 3  # a refusal spends nothing
    assert take("k", limit=3, window=60, now=T0 + dt.timedelta(seconds=60))
    assert RateCounter.objects.filter(key="k").count() == 1  # the old window was dropped
    assert take("other", limit=3, window=60, now=T0)


@pytest.mark.django_db
def test_amounts_are_spent_whole_or_not_at_all():
    assert take("rows", limit=10, window=3600, amount=7, now=T0)
    assert not take("rows", limit=10, window=3600, amount=4, now=T0)
    assert take("rows", limit=10, window=3600, amount=3, now=T0)
    assert not take("big", limit=10, window=3600, amount=11, now=T0)
    assert used("rows", window=3600, now=T0) == 10


@pytest.mark.django_db(transaction=True)
def test_concurrent_takes_never_overspend():
    """Eight threads (separate connections, as separate web workers would have) race for 5 takes."""
    if connection.vendor == "sqlite" and connection.settings_dict["NAME"] in ("", ":memory:") or \
            "mode=memory" in str(connection.settings_dict["NAME"]):
        pytest.skip("in-memory SQLite is one connection per thread without shared data; PostgreSQL runs this")
    results = race(8, lambda i: take("race", limit=5, window=60, now=T0))
    assert sorted(results) == [False] * 3 + [True] * 5
    assert used("race", window=60, now=T0) == 5


@pytest.mark.parametrize("seconds,label", [(60, "1分钟"), (3600, "1小时"), (600, "10分钟"), (86400, "1天"),
                                           (45, "45秒")])
def test_window_labels_are_chinese(seconds, label):
    from yikatong.core.ratelimit import window_label

    assert window_label(seconds) == label


@pytest.mark.django_db
def test_throttle_raises_the_callers_refusal_with_limit_window_and_used(settings):
    from yikatong.core.ratelimit import setting_rate, throttle
    from yikatong.core.refusals import Refusal

    class Held(Refusal):
        http_status = 429

    settings.YKT_TEST_RATE = "2/hour"
    rate = setting_rate("YKT_TEST_RATE", "9/min")
    assert rate == Rate(2, 3600) and setting_rate("YKT_ABSENT_RATE", "9/min") == Rate(9, 60)
    throttle("t", rate, Held, "SOME_CODE")
    throttle("t", rate, Held, "SOME_CODE")
    with pytest.raises(Held) as exc:
        throttle("t", rate, Held, "SOME_CODE", extra=1)
    assert exc.value.code == "SOME_CODE"
    assert exc.value.params == {"limit": 2, "window": "1小时", "used": 2, "extra": 1}
