"""One fixture per rule of specs/roster-template.md, each asserting the exact message."""
from pathlib import Path

import pytest

from yikatong.audit.models import AuditEvent
from yikatong.rosters.importer.run import roster_import, load_problems
from yikatong.rosters.models import Batch, ImportMode

from .files import card, good_rows, id_number, to_csv, to_xlsx

pytestmark = pytest.mark.django_db
ALL = ImportMode.ALL_OR_NOTHING
VALID = ImportMode.VALID_ONLY
XLS = Path(__file__).resolve().parents[2] / "core" / "tests" / "fixtures" / "roster_sample.xls"


def run(batch, rw, data, name="清册.csv", mode=ALL):
    return roster_import(actor=rw.users["zhan"], batch_id=batch.pk, data=data, filename=name, mode=mode)


def messages(r, level=None):
    return [p["message"] for p in load_problems(r) if level is None or p["level"] == level]


def row(i=1, **kw):
    base = {"no": str(i), "name": f"对象{i}", "id": id_number(i), "village": "第一村委会", "phone": "", "card": card(i),
            "amount": "500.00"}
    base.update(kw)
    return [base["no"], base["name"], base["id"], base["village"], base["phone"], base["card"], base["amount"]]


def test_clean_csv_imports_every_row_with_totals(batch, rw):
    r = run(batch, rw, to_csv(good_rows(3)))
    batch.refresh_from_db()
    assert r.imported and r.accepted == 3 and batch.item_count == 3 and batch.total_fen == 150000
    assert r.message == "已导入 3 行，合计 ¥1,500.00"


def test_gb18030_csv_with_title_rows_totals_and_signatures(batch, rw):
    data = to_csv(good_rows(2), title=["大槐树镇2026年11月城乡低保发放清册", "填报单位：大槐树镇民政办  单位：元"],
                  totals=["合计", "2人", "", "", "", "", "1000.00"], trailer=["经办人：王五  审核人：赵六"],
                  encoding="gb18030")
    r = run(batch, rw, data)
    assert r.imported and r.accepted == 2 and r.rows == 2 and not messages(r, "error")  # title, totals, signatures ignored


def test_xlsx_with_numbers_stored_as_numbers_and_text(batch, rw):
    rows = good_rows(2)
    r = run(batch, rw, to_xlsx(rows, numeric_columns=[6]), name="清册.xlsx")
    assert r.imported and r.accepted == 2


def test_old_xls_file_reports_the_id_stored_as_a_number(batch, rw):
    r = run(batch, rw, XLS.read_bytes(), name="清册.xls", mode=VALID)
    errors = [m for m in messages(r, "error") if m.startswith("第5行")]
    assert errors[0].startswith("第5行 公民身份号码“1.41024E+17”被表格软件存成了数字（科学计数法），末几位已丢失")
    assert not any("身份证号码为空" in m for m in errors)  # one message per bad cell
    assert r.rows == 2


def test_aliases_in_header(batch, rw):
    header = ["序号", "户主姓名", "公民身份号码", "村组", "手机号码", "社会保障卡金融账号", "补贴金额"]
    r = run(batch, rw, to_csv(good_rows(1), header=header))
    assert r.imported


def test_missing_required_column_names_it(batch, rw):
    header = ["序号", "姓名", "身份证号码", "村(社区)", "联系电话", "银行账号", "备注"]
    r = run(batch, rw, to_csv(good_rows(1), header=header))
    assert not r.imported
    assert messages(r, "error") == ["第1行像是表头，但缺少必填列：“发放金额(元)”（也可写作：发放金额、补贴金额、金额）"]


def test_full_width_digits_and_spaces_are_normalised(batch, rw):
    fw = str.maketrans("0123456789", "０１２３４５６７８９")
    r = run(batch, rw, to_csv([row(1, name="张\u3000三", id=id_number(1).translate(fw), card=card(1).translate(fw),
                                   amount="５００．００")]))
    assert r.imported, messages(r)
    item = batch.items.get()
    assert item.name == "张三" and item.amount_fen == 50000


def test_wrong_id_length(batch, rw):
    r = run(batch, rw, to_csv([row(1, id="14102419900101001")]))
    assert messages(r, "error") == ["第2行 身份证号码“14102419900101001”位数不对，应为18位（现为17位）"]


def test_wrong_id_checksum(batch, rw):
    bad = id_number(1)[:-1] + ("0" if id_number(1)[-1] != "0" else "1")
    r = run(batch, rw, to_csv([row(1, id=bad)]))
    assert messages(r, "error") == [f"第2行 身份证号码“{bad}”校验位不正确，请核对是否有数字录错"]


def test_lower_case_x_is_accepted(batch, rw):
    from .files import id_check_digit

    body = next(b for n in range(100, 200) if id_check_digit(b := f"14102419500101{n:03d}") == "X")
    r = run(batch, rw, to_csv([row(1, id=(body + "x"))]))
    assert r.imported, messages(r)


def test_unknown_village(batch, rw):
    r = run(batch, rw, to_csv([row(1, village="不存在村")]))
    assert messages(r, "error") == [
        "第2行 村(社区)“不存在村”在大槐树镇找不到或有重名，请填写村(居)委会的全称或12位区划代码"]


def test_bad_phone(batch, rw):
    r = run(batch, rw, to_csv([row(1, phone="12345")]))
    assert messages(r, "error") == ["第2行 联系电话“12345”不是有效的手机号码（11位）或固定电话"]


def test_card_failing_luhn(batch, rw):
    bad = card(1)[:-1] + str((int(card(1)[-1]) + 1) % 10)
    r = run(batch, rw, to_csv([row(1, card=bad)]))
    assert messages(r, "error") == [f"第2行 银行卡号“{bad}”校验位不正确，请核对是否有数字录错"]


def test_amount_with_three_decimals(batch, rw):
    r = run(batch, rw, to_csv([row(1, amount="500.001")]))
    assert messages(r, "error") == ["第2行 发放金额(元) 金额“500.001”最多两位小数"]


def test_amount_must_be_positive(batch, rw):
    r = run(batch, rw, to_csv([row(1, amount="0")]))
    assert messages(r, "error") == ["第2行 发放金额“0”必须大于0"]


def test_amount_differs_from_standard_is_a_warning(batch, rw):
    r = run(batch, rw, to_csv([row(1, amount="450.00")]))
    assert r.imported
    assert "第2行 发放金额 ¥450.00 与标准×数量 ¥500.00 不符" in messages(r, "warning")


def test_account_holder_differs_is_a_warning(batch, rw):
    header = ["序号", "姓名", "身份证号码", "村(社区)", "联系电话", "银行账号", "账户户名", "发放金额(元)"]
    r = run(batch, rw, to_csv([[*row(1)[:6], "王五", "500"]], header=header))
    assert r.imported and "第2行 账户户名“王五”与姓名“对象1”不一致" in messages(r, "warning")


def test_person_not_in_register_is_a_warning(batch, rw):
    r = run(batch, rw, to_csv([row(1)]))
    assert any(m.startswith("第2行 复核比对：") for m in messages(r, "warning"))


def test_duplicate_person_in_file(batch, rw):
    r = run(batch, rw, to_csv([row(1), row(2, id=id_number(1))]))
    assert messages(r, "error") == [f"第3行 身份证号码“{id_number(1)}”与第2行重复，同一对象在本批次只能发放一次"]


def test_totals_row_mismatch(batch, rw):
    r = run(batch, rw, to_csv(good_rows(2), totals=["合计", "3人", "", "", "", "", "900.00"]))
    assert messages(r, "error") == ["第4行 合计行金额 ¥900.00 与明细金额合计 ¥1,000.00 不符", "第4行 合计行人数 3 与明细行数 2 不符"]
    assert not r.imported


def test_empty_rows_are_skipped(batch, rw):
    rows = good_rows(2)
    r = run(batch, rw, to_csv([rows[0], [""] * 7, rows[1]]))
    assert r.accepted == 2 and not messages(r, "error")


def test_organization_payee_with_uscc(batch, rw):
    r = run(batch, rw, to_csv([row(1, name="某某村股份经济合作社", id="91350100M000100Y43", card="1234567890123")]))
    assert r.imported, messages(r)
    assert batch.items.get().is_org


def test_all_or_nothing_changes_nothing_on_error(batch, rw):
    run(batch, rw, to_csv(good_rows(2)))
    events = AuditEvent.objects.count()
    r = run(batch, rw, to_csv([row(1), row(2, amount="abc")]))
    batch.refresh_from_db()
    assert not r.imported and batch.item_count == 2
    assert AuditEvent.objects.count() == events + 1  # the refused import is itself recorded


def test_valid_rows_only_imports_the_good_rows(batch, rw):
    r = run(batch, rw, to_csv([row(1), row(2, amount="abc")]), mode=VALID)
    assert r.imported and r.accepted == 1 and r.error_count == 1


def test_reimport_replaces_the_draft(batch, rw):
    run(batch, rw, to_csv(good_rows(3)))
    run(batch, rw, to_csv(good_rows(2)))
    batch.refresh_from_db()
    assert batch.items.count() == 2 and batch.item_count == 2 and batch.total_fen == 100000


def test_submitted_batch_refuses_import(batch, rw):
    from yikatong.rosters.errors import RosterError

    run(batch, rw, to_csv(good_rows(1)))
    Batch.objects.filter(pk=batch.pk).update(state="dept_review")
    with pytest.raises(RosterError) as exc:
        run(batch, rw, to_csv(good_rows(2)))
    assert exc.value.code == "BATCH_SUBMITTED_NO_IMPORT"


def test_stored_file_and_problems_hold_no_plaintext_id(batch, rw):
    r = run(batch, rw, to_csv([row(1, id="14102419900101001")]))
    assert b"14102419900101001" not in bytes(r.content_enc) and "14102419900101001" not in r.problems_enc


def test_manual_entry_is_validated_like_an_imported_row(batch, rw):
    from django.core.exceptions import ValidationError

    from yikatong.rosters import services

    values = {"姓名": "手工甲", "身份证号码": id_number(7), "村(社区)": "第一村委会", "银行账号": card(7), "发放金额(元)": "500"}
    item = services.item_add(actor=rw.users["zhan"], batch_id=batch.pk, values=values)
    batch.refresh_from_db()
    assert item.seq == 1 and batch.item_count == 1 and batch.total_fen == 50000
    with pytest.raises(ValidationError) as exc:
        services.item_add(actor=rw.users["zhan"], batch_id=batch.pk, values=values)
    assert exc.value.code == "ITEM_DUPLICATE_IN_BATCH"
    with pytest.raises(ValidationError) as exc:
        services.item_add(actor=rw.users["zhan"], batch_id=batch.pk, values={**values, "身份证号码": "1410241950"})
    assert exc.value.code == "ITEM_ROW_INVALID"
