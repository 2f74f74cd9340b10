"""Self-query (本人发放查询, /public/query/): own payments only, one answer for unknown ID and wrong name,
rate limits, challenge after misses, audit without the clear ID or name, masking."""
import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.support import factories
from yikatong.audit.models import AuditEvent
from yikatong.disclosure import query_guard
from yikatong.disclosure.errors import DisclosureError
from yikatong.disclosure.query_service import self_query
from yikatong.payments.models import PaymentOrder, PaymentOrderItem
from yikatong.policies.models import Policy


def _id(body: str) -> str:
    check = (12 - sum(int(d) * pow(2, 17 - i, 11) for i, d in enumerate(body)) % 11) % 11
    return body + ("X" if check == 10 else str(check))


ID_A = _id("14102419600101002")
ID_B = _id("14102419650202003")
ID_NOBODY = _id("14102419700303005")
ACCOUNT_A, ACCOUNT_B = "6228480012345671234", "6228480098765435678"


def _policy_copy(policy, code, name, **extra):
    copy = Policy.objects.get(pk=policy.pk)
    copy.pk, copy.code, copy.name = None, code, name
    for key, value in extra.items():
        setattr(copy, key, value)
    copy.save()
    return copy


def _pay(batch, agreement, user, lines):
    """An answered order of `batch` with (item, status, reason_code) lines, written directly (test data)."""
    order = PaymentOrder.objects.create(batch=batch, agreement=agreement, batch_no=f"Q{batch.pk:06d}", state="answered",
                                        item_count=len(lines), total_fen=sum(i.amount_fen for i, _, _ in lines),
                                        created_by=user)
    for seq, (item, status, code) in enumerate(lines, 1):
        PaymentOrderItem.objects.create(order=order, seq=seq, batch_item=item, origin=item, item_ref=item.item_ref,
                                        amount_fen=item.amount_fen, status=status, reason_code=code,
                                        paid_at=timezone.make_aware(dt.datetime(2026, 11, 20, 10)))
    return order


@pytest.fixture
def people(pw, batch, regions):
    """A in DB01 2026-11 (paid) and in GD01 2026 (failed E05); B in DB01 2026-11 (paid); A in a confidential
    policy (never shown)."""
    zhan = pw.users["zhan"]
    gd = _policy_copy(batch.policy, "GD01", "耕地地力保护补贴")
    secret = _policy_copy(batch.policy, "SM01", "涉密补贴", confidential=True)
    b_gd = factories.clone_batch(batch, regions["town1"], "GD", policy=gd, period="2026")
    b_sm = factories.clone_batch(batch, regions["town1"], "SM", policy=secret)
    a1 = factories.add_item(batch, 1, "张三", ID_A, ACCOUNT_A, 50000)
    b1 = factories.add_item(batch, 2, "李四", ID_B, ACCOUNT_B, 60000)
    a2 = factories.add_item(b_gd, 1, "张三", ID_A, ACCOUNT_A, 12345)
    a3 = factories.add_item(b_sm, 1, "张三", ID_A, ACCOUNT_A, 99900)
    _pay(batch, pw.agreement, zhan, [(a1, "paid", ""), (b1, "paid", "")])
    _pay(b_gd, pw.agreement, zhan, [(a2, "failed", "E05")])
    _pay(b_sm, pw.agreement, zhan, [(a3, "paid", "")])
    return pw


def _ask(id_number, name, client="10.0.0.1", **kw):
    return self_query(client=client, id_number=id_number, name=name, **kw)


def test_finds_exactly_own_payments_with_failure_reason(people):
    answer = _ask(ID_A, "张三")
    rows = {(r.policy, r.period): r for r in answer.payments}
    assert set(rows) == {("城乡居民最低生活保障", "2026-11"), ("耕地地力保护补贴", "2026")}  # not B's, not 涉密
    paid, failed = rows[("城乡居民最低生活保障", "2026-11")], rows[("耕地地力保护补贴", "2026")]
    assert (paid.status, paid.amount_yuan, paid.paid_on, paid.account_last4) == ("paid", "500.00", dt.date(2026, 11, 20), "1234")
    assert (failed.status, failed.amount_yuan, failed.paid_on) == ("failed", "123.45", None)
    assert failed.reason == "社保卡金融功能未激活" and "激活" in failed.advice and "经办站所" in failed.advice
    b = _ask(ID_B, "李四", client="10.0.0.2")
    assert [(r.policy, r.amount_fen) for r in b.payments] == [("城乡居民最低生活保障", 60000)]


def _body(response) -> str:
    text = response.content.decode()
    return re.sub(r'(csrfmiddlewaretoken" value="|X-CSRFToken": ")[^"]+', r"\1", text)


def test_wrong_name_and_unknown_id_render_identically(people, client, settings):
    settings.YKT_SELF_QUERY_CHALLENGE_AFTER = 100
    url = reverse("public_self_query")
    hit = client.post(url, {"id_number": ID_A, "name": "张三"})
    wrong = client.post(url, {"id_number": ID_A, "name": "张四"})
    unknown = client.post(url, {"id_number": ID_NOBODY, "name": "张三"})
    assert hit.status_code == wrong.status_code == unknown.status_code == 200
    assert _body(wrong) == _body(unknown)
    assert 'data-testid="not-found"' in _body(wrong)
    page = _body(hit)
    assert "500.00" in page and "尾号 1234" in page and "社保卡金融功能未激活" in page
    for secret in (ID_A, ACCOUNT_A, ACCOUNT_A[:6], "李四", "600.00", "涉密补贴"):
        assert secret not in page
    assert client.get(url).status_code == 200  # anonymous GET


def test_invalid_checksum_refused_as_input(people):
    with pytest.raises(DisclosureError) as exc:
        _ask(ID_A[:-1] + ("0" if ID_A[-1] != "0" else "1"), "张三")
    assert exc.value.code == "SELF_QUERY_INVALID_ID"


def test_rate_limit_per_client(people, settings):
    settings.YKT_SELF_QUERY_IP_RATE, settings.YKT_SELF_QUERY_CHALLENGE_AFTER = "2/hour", 100
    _ask(ID_A, "张三", client="10.9.0.1")
    _ask(ID_B, "李四", client="10.9.0.1")
    with pytest.raises(DisclosureError) as exc:
        _ask(ID_A, "张三", client="10.9.0.1")
    assert exc.value.code == "SELF_QUERY_RATE_LIMITED" and exc.value.http_status == 429
    assert _ask(ID_A, "张三", client="10.9.0.2").found  # another client is not held


def test_rate_limit_per_id_number(people, settings):
    settings.YKT_SELF_QUERY_ID_RATE, settings.YKT_SELF_QUERY_CHALLENGE_AFTER = "2/day", 100
    _ask(ID_A, "张三", client="10.8.0.1")
    _ask(ID_A, "错名", client="10.8.0.2")
    with pytest.raises(DisclosureError) as exc:
        _ask(ID_A, "张三", client="10.8.0.3")  # from a third address: still held for this ID number
    assert exc.value.code == "SELF_QUERY_ID_RATE_LIMITED"
    assert _ask(ID_B, "李四", client="10.8.0.3").found


def test_challenge_after_misses(people, settings, client):
    settings.YKT_SELF_QUERY_CHALLENGE_AFTER = 2
    for _ in range(2):
        assert not _ask(ID_NOBODY, "某人", client="10.7.0.1").found
    with pytest.raises(DisclosureError) as exc:
        _ask(ID_A, "张三", client="10.7.0.1")
    assert exc.value.code == "SELF_QUERY_CHALLENGE"
    challenge = query_guard.new_challenge()
    a, b = (int(n) for n in re.findall(r"\d+", challenge.question))
    with pytest.raises(DisclosureError):
        _ask(ID_A, "张三", client="10.7.0.1", challenge_token=challenge.token, challenge_answer=str(a + b + 1))
    assert _ask(ID_A, "张三", client="10.7.0.1", challenge_token=challenge.token, challenge_answer=str(a + b)).found
    assert "验证问题" in client.post(reverse("public_self_query"), {"id_number": ID_A, "name": "张三"},
                                  REMOTE_ADDR="10.7.0.1").content.decode()


def test_audit_holds_no_clear_id_or_name(people):
    before = AuditEvent.objects.count()
    _ask(ID_A, "张三")
    _ask(ID_A, "王五")
    events = list(AuditEvent.objects.order_by("seq")[before:])
    assert [e.after["outcome"] for e in events] == ["hit", "miss"]
    from yikatong.core.crypto import vault
    assert events[0].object_id == vault().id_index(ID_A)
    text = " ".join(f"{e.object_id} {e.object_repr} {e.before} {e.after}" for e in events)
    for clear in (ID_A, ID_A[-6:], "张三", "王五", ACCOUNT_A[-4:]):
        assert clear not in text


def test_lookup_is_a_few_indexed_queries(people, django_assert_max_num_queries):
    """Every read goes by an indexed blind index or key (BatchItem.id_bidx, Person.id_bidx unique,
    PaymentOrderItem.batch_item, Application.id_bidx): a fixed number of queries, whatever the register's size."""
    from yikatong.disclosure.query import lookup

    with django_assert_max_num_queries(5):
        assert lookup(ID_A, "张三").found
