"""Issue 12 points 8 and 7 (import side): payee data a bank file cannot carry is refused at import and
manual entry naming row and column, with a stable code; a 标准 other than the catalogue's is one
batch-level message in 元 that the operator corrects or explicitly confirms (recorded, audited)."""
from decimal import Decimal

import pytest

from yikatong.audit.models import AuditEvent
from yikatong.rosters import services
from yikatong.rosters.errors import RosterError
from yikatong.rosters.importer.run import roster_import, load_problems
from yikatong.rosters.models import Batch, ImportMode

from .files import card, id_number, to_csv

pytestmark = pytest.mark.django_db
HEADER = ["序号", "姓名", "身份证号码", "村(社区)", "联系电话", "银行账号", "账户户名", "补贴标准(元)", "发放金额(元)"]


def row(i, *, name=None, holder="", account=None, standard="", amount="500.00"):
    return [str(i), f"对象{i}" if name is None else name, id_number(i), "第一村委会", "", card(i) if account is None else account,
            holder, standard, amount]


def run(batch, rw, rows, **kw):
    return roster_import(actor=rw.users["zhan"], batch_id=batch.pk, data=to_csv(rows, header=HEADER), filename="清册.csv",
                         mode=kw.pop("mode", ImportMode.ALL_OR_NOTHING), **kw)


def errors(r):
    return [p for p in load_problems(r) if p["level"] == "error"]


def test_name_with_delimiter_is_refused_at_import_naming_row_and_column(batch, rw):
    """Regression (issue 12): a payee name containing "|" passed import (and later stuck the batch at the bank)."""
    r = run(batch, rw, [row(1), row(2, name="张|三")])
    batch.refresh_from_db()
    assert not r.imported and batch.item_count == 0
    [p] = errors(r)
    assert (p["line"], p["column"], p["code"]) == (3, "姓名", "PAYEE_DELIMITER")
    assert p["message"].startswith("第3行 “姓名”含有分隔符“|”")


@pytest.mark.parametrize(("kw", "column", "code"), [
    ({"holder": "张三|"}, "账户户名", "PAYEE_DELIMITER"),
    ({"name": "张\x07三"}, "姓名", "PAYEE_CONTROL_CHAR"),
    ({"name": "张\u200b三"}, "姓名", "PAYEE_CONTROL_CHAR"),
    ({"holder": "张\u2028三"}, "账户户名", "PAYEE_CONTROL_CHAR"),
    ({"account": "6228|480012345678"}, "银行账号", "PAYEE_DELIMITER"),
    ({"name": "张" * 101}, "姓名", "PAYEE_TOO_LONG"),
])
def test_each_kind_of_unfit_payee_data_has_its_code(batch, rw, kw, column, code):
    r = run(batch, rw, [row(1, **kw)], mode=ImportMode.VALID_ONLY)
    assert not r.imported
    [p] = errors(r)
    assert (p["line"], p["column"], p["code"]) == (2, column, code)
    assert f"第2行 “{column}”" in p["message"]


def test_valid_only_import_leaves_out_the_row_with_bad_payee_data(batch, rw):
    r = run(batch, rw, [row(1), row(2, name="李|四"), row(3)], mode=ImportMode.VALID_ONLY)
    assert r.imported and r.accepted == 2
    assert not Batch.objects.get(pk=batch.pk).items.filter(name__contains="|").exists()


def test_manual_entry_refuses_a_delimiter_with_its_code(batch, rw):
    values = {"姓名": "手工|甲", "身份证号码": id_number(7), "村(社区)": "第一村委会", "银行账号": card(7), "发放金额(元)": "500"}
    with pytest.raises(RosterError) as exc:
        services.item_add(actor=rw.users["zhan"], batch_id=batch.pk, values=values)
    assert exc.value.code == "PAYEE_DELIMITER" and "姓名" in exc.value.message
    assert not batch.items.exists()


def test_standard_different_from_the_catalogue_is_one_batch_level_message_in_yuan(batch, rw):
    rows = [row(i, standard="520.00", amount="520.00") for i in range(1, 301)]
    r = run(batch, rw, rows)
    batch.refresh_from_db()
    assert not r.imported and batch.item_count == 0
    [p] = errors(r)  # one message for the batch, not 300 row findings
    assert (p["line"], p["code"]) == (0, "STANDARD_MISMATCH")
    assert p["message"].startswith("清册标准 520.00 元/人 与政策目录标准 500.00 元/人 不一致（共 300 行）")
    assert "分" not in p["message"].replace("部分", "")
    assert not [w for w in load_problems(r) if w["level"] == "warning" and "标准" in w["message"]]
    assert "标准" in r.message


def test_confirmed_standard_imports_and_is_recorded_and_audited(batch, rw):
    rows = [row(1, standard="480.00", amount="480.00"), row(2, standard="480.00", amount="480.00"), row(3)]
    r = run(batch, rw, rows, confirm_standard=True)
    batch.refresh_from_db()
    assert r.imported and r.confirm_standard and batch.item_count == 3 and batch.total_fen == 146000
    [p] = [p for p in load_problems(r) if p.get("code")]
    assert (p["level"], p["code"]) == ("warning", "STANDARD_CONFIRMED")
    assert "清册标准 480.00 元/人 与政策目录标准 500.00 元/人 不一致（共 2 行）" in p["message"]
    event = AuditEvent.objects.filter(action="rosters.import").latest("pk")
    assert event.after["confirm_standard"] is True and event.after["standard"]["code"] == "STANDARD_CONFIRMED"
    assert sorted(batch.items.values_list("standard_fen", flat=True)) == [48000, 48000, 50000]


def test_a_standard_above_the_catalogue_cannot_be_confirmed_at_import(batch, rw):
    """Paying more than the published standard needs a catalogue change, not a tick at import; the
    refusal is one batch-level message in 元, and nothing is written (no per-row findings later)."""
    rows = [row(1, standard="520.00", amount="520.00"), row(2, standard="520.00", amount="520.00"), row(3)]
    r = run(batch, rw, rows, confirm_standard=True)
    batch.refresh_from_db()
    assert not r.imported and batch.item_count == 0
    [p] = errors(r)
    assert p["code"] == "STANDARD_ABOVE_CATALOGUE"
    assert "清册标准 520.00 元/人 高于政策目录标准 500.00 元/人（共 2 行）" in p["message"]


def test_several_roster_standards_are_listed_in_one_message(batch, rw):
    rows = [row(1, standard="520.00", amount="520.00"), row(2, standard="480.50", amount="480.50"), row(3)]
    [p] = errors(run(batch, rw, rows))
    assert p["code"] == "STANDARD_MISMATCH"
    assert "520.00 元/人（1 行）" in p["message"] and "480.50 元/人（1 行）" in p["message"]


def test_item_standard_is_per_unit_when_the_roster_states_none(batch, rw):
    """The catalogue rate per unit (not rate × quantity) is kept, as the AMOUNT_STANDARD rule reads it."""
    header = ["序号", "姓名", "身份证号码", "村(社区)", "联系电话", "银行账号", "补贴数量", "发放金额(元)"]
    data = to_csv([["1", "对象1", id_number(1), "第一村委会", "", card(1), "2", "1000.00"]], header=header)
    r = roster_import(actor=rw.users["zhan"], batch_id=batch.pk, data=data, filename="清册.csv",
                      mode=ImportMode.ALL_OR_NOTHING)
    assert r.imported and not [p for p in load_problems(r) if p["level"] == "warning" and "标准" in p["message"]]
    item = batch.items.get()
    assert (item.quantity, item.standard_fen, item.amount_fen) == (Decimal(2), 50000, 100000)


def test_edit_item_corrects_payee_data_with_the_import_checks(batch, rw):
    run(batch, rw, [row(1), row(2)])
    item = batch.items.get(seq=2)
    zhan = rw.users["zhan"]
    for values, reason, code in [({"账户户名": "对象|2"}, "更正", "PAYEE_DELIMITER"), ({"姓名": "别人"}, "更正", "ITEM_EDIT_FIELD"),
                                 ({"账户户名": "对象2"}, " ", "ITEM_EDIT_REASON"), ({}, "更正", "ITEM_EDIT_EMPTY"),
                                 ({"银行账号": "1234"}, "更正", "ITEM_ACCOUNT_INVALID"),
                                 ({"发放金额(元)": "0"}, "更正", "ITEM_AMOUNT_INVALID")]:
        with pytest.raises(RosterError) as exc:
            services.item_edit(actor=zhan, batch_id=batch.pk, item_id=item.pk, values=values, reason=reason)
        assert exc.value.code == code, values
        assert "1234" not in exc.value.message
    item = services.item_edit(actor=zhan, batch_id=batch.pk, item_id=item.pk, reason="户名和账号更正",
                              values={"银行账号": card(55), "账户户名": "对象2", "发放金额(元)": "450.00"})
    batch.refresh_from_db()
    assert (item.account_holder, item.amount_fen, batch.total_fen) == ("对象2", 45000, 95000)
    assert item.account_masked.endswith(card(55)[-4:]) and item.account_valid
    event = AuditEvent.objects.get(action="rosters.item_edit")
    assert event.after["amount_fen"] == 45000 and card(55) not in str(event.after)


def test_item_edit_through_the_page(client, batch, rw):
    from django.urls import reverse

    from conftest import PASSWORD

    run(batch, rw, [row(1), row(2)])
    url = reverse("item_edit", args=[batch.pk])
    assert client.login(username="other_fin", password=PASSWORD)
    assert client.post(url, {"seq": "2", "e1": "对象2", "reason": "x"}).status_code == 404  # not in scope
    assert client.login(username="zhan", password=PASSWORD)
    page = client.get(reverse("batch_detail", args=[batch.pk])).content.decode()
    assert 'data-testid="item-edit"' in page
    resp = client.post(url, {"seq": "2", "e1": "对象|2", "reason": "户名更正"}, follow=True)
    assert 'data-code="PAYEE_DELIMITER"' in resp.content.decode() and batch.items.get(seq=2).account_holder == "对象2"
    resp = client.post(url, {"seq": "2", "e3": "480.00", "reason": "金额更正"}, follow=True)
    assert "已更正第 2 条" in resp.content.decode() and batch.items.get(seq=2).amount_fen == 48000


def test_amounts_all_at_another_rate_are_one_standard_message_not_row_warnings(batch, rw):
    header = ["序号", "姓名", "身份证号码", "村(社区)", "联系电话", "银行账号", "补贴数量", "发放金额(元)"]
    rows = [[str(i), f"对象{i}", id_number(i), "第一村委会", "", card(i), q, amount]
            for i, (q, amount) in enumerate([("1", "480.00"), ("2", "960.00"), ("1", "480.00"), ("1", "450.00")], 1)]

    def go(**kw):
        return roster_import(actor=rw.users["zhan"], batch_id=batch.pk, data=to_csv(rows, header=header),
                             filename="清册.csv", mode=ImportMode.ALL_OR_NOTHING, **kw)

    r = go()
    assert not r.imported
    [p] = errors(r)
    assert p["code"] == "STANDARD_MISMATCH"
    assert "清册标准 480.00 元/人（3 行，按发放金额÷数量折算） 与政策目录标准 500.00 元/人 不一致（共 3 行）" in p["message"]
    amount_warnings = [w for w in load_problems(r) if w.get("code") == "AMOUNT_NOT_STANDARD"]
    assert [w["line"] for w in amount_warnings] == [5]  # the odd row keeps its own warning
    r = go(confirm_standard=True)
    assert r.imported
    assert dict(batch.items.values_list("seq", "standard_fen")) == {1: 48000, 2: 48000, 3: 48000, 4: 50000}
