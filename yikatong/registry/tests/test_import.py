"""Base-register import: upsert by ID, atomic, per-row errors, no-op re-import, history."""
import datetime as dt

import pytest

from yikatong.core.crypto import vault
from yikatong.registry.choices import AccountStatus, EventKind, PersonStatus
from yikatong.registry.models import AccountEvent, BankAccount, Household, OrgPayee, Person, PersonEvent
from yikatong.registry.selectors import import_errors
from yikatong.registry.synthetic import REGISTER_HEADERS, register_row

from .conftest import csv_file, register_events, register_file

pytestmark = pytest.mark.django_db


def _snapshot():
    return (Person.objects.count(), BankAccount.objects.count(), Household.objects.count(), PersonEvent.objects.count(),
            AccountEvent.objects.count(), sorted(Person.objects.values_list("id", "name", "status", "import_digest")))


def test_first_import_creates_people_households_and_accounts(do_import, population, clerk):
    imp = do_import(register_file(population), actor=clerk)
    assert imp.state == "done", import_errors(imp)
    assert (imp.rows, imp.created, imp.updated, imp.unchanged) == (40, 40, 0, 0)
    assert Person.objects.count() == 40 and BankAccount.objects.filter(is_current=True).count() == 40
    m = population[0]
    p = Person.objects.get(id_bidx=vault().id_index(m.id_number))
    assert vault().decrypt(p.id_enc) == m.id_number and p.birth_date == m.birth and p.sex == m.sex
    assert p.household.number == m.household and p.household.head.relation == "户主"
    assert sorted(p.household.members.values_list("relation", flat=True))[0]
    (event,) = register_events("registry.register_import")
    assert event.after["created"] == 40 and event.actor == clerk


def test_reimporting_the_same_file_is_a_no_op(do_import, population, clerk):
    data = register_file(population)
    do_import(data, actor=clerk)
    before = _snapshot()
    again = do_import(data, actor=clerk)
    assert (again.created, again.updated, again.unchanged, again.events) == (0, 0, 40, 0)
    assert _snapshot() == before
    first, second = register_events("registry.register_import")
    assert second.after["created"] == 0 and second.after["updated"] == 0 and second.after["unchanged"] == 40


def test_gb18030_with_title_totals_and_full_width_digits(do_import, population, clerk):
    full = str.maketrans("0123456789X", "０１２３４５６７８９Ｘ")
    rows = [register_row(i, m) for i, m in enumerate(population[:5], 1)]
    for r in rows:
        r[2] = " " + r[2].translate(full) + "　"  # ID with full-width digits and spaces
        r[11] = r[11].translate(full)
        r[1] = r[1][0] + "　" + r[1][1:]  # a full-width space inside the name
        r[3] = "第一村委会"  # village by name
    data = csv_file(rows + [["合计", "5人"]] + [["经办人：王五", "", "审核人：赵六"]],
                    title="大槐树镇补贴对象基础信息底册", encoding="gb18030")
    imp = do_import(data, actor=clerk, name="底册.csv")
    assert imp.state == "done", import_errors(imp)
    assert imp.created == 5 and imp.summary["title"] == "大槐树镇补贴对象基础信息底册"
    names = set(Person.objects.values_list("name", flat=True))
    assert names == {m.name for m in population[:5]}
    assert set(Person.objects.values_list("id_bidx", flat=True)) == {vault().id_index(m.id_number) for m in population[:5]}
    assert set(Person.objects.values_list("village_id", flat=True)) == {"141024100001"}


def test_totals_row_that_disagrees_is_reported(do_import, population, clerk):
    rows = [register_row(i, m) for i, m in enumerate(population[:3], 1)]
    imp = do_import(csv_file(rows + [["合计", "4人"]]), actor=clerk)
    assert imp.state == "done" and "合计为4人，但文件中有3行数据" in imp.summary["warnings"][0]


def test_errors_name_row_and_column_and_nothing_is_imported(do_import, population, clerk):
    rows = [register_row(i, m) for i, m in enumerate(population[:6], 1)]
    rows[1][2] = rows[1][2][:-1]  # 17 digits
    rows[2][2] = "1.41024E+17"
    rows[3][3] = "不存在村"
    rows[4][11] = rows[4][11][:-1] + str((int(rows[4][11][-1]) + 1) % 10)  # Luhn
    rows[5][7] = "失踪"
    imp = do_import(csv_file(rows), actor=clerk)
    assert imp.state == "rejected" and imp.error_count == 5
    assert Person.objects.count() == 0 and BankAccount.objects.count() == 0 and Household.objects.count() == 0
    errors = {(e["line"], e["column"]): e["message"] for e in import_errors(imp)}
    assert "位数不对，应为18位" in errors[(3, "身份证号码")]
    assert "被表格软件存成了数字" in errors[(4, "身份证号码")]
    assert "“不存在村”在大槐树镇找不到" in errors[(5, "村(社区)")]
    assert "校验位不正确" in errors[(6, "银行账号")]
    assert "人员状态“失踪”无法识别" in errors[(7, "人员状态")]
    (event,) = register_events("registry.register_import_rejected")
    assert event.after["errors"] == 5 and event.after["created"] == 0
    assert not register_events("registry.register_import")


def test_an_error_after_a_written_chunk_still_rolls_everything_back(do_import, clerk, villages, monkeypatch):
    from yikatong.registry import importer
    from yikatong.registry.synthetic import Population

    monkeypatch.setattr(importer, "CHUNK", 10)
    pop = [m for hh in Population("141024", [villages["v1"].code], seed=3).households(35) for m in hh]
    rows = [register_row(i, m) for i, m in enumerate(pop, 1)]
    rows[-1][1] = ""  # the very last row: empty name
    imp = do_import(csv_file(rows), actor=clerk)
    assert imp.state == "rejected" and Person.objects.count() == 0
    assert import_errors(imp)[0]["message"] == "姓名不能为空" and import_errors(imp)[0]["line"] == len(rows) + 1


def test_duplicate_id_in_a_file_names_both_rows(do_import, population, clerk):
    rows = [register_row(i, m) for i, m in enumerate(population[:3], 1)] + [register_row(4, population[0])]
    imp = do_import(csv_file(rows), actor=clerk)
    (err,) = import_errors(imp)
    assert err["line"] == 5 and "与第2行重复" in err["message"]


def test_changes_are_recorded_as_history_and_old_accounts_kept(do_import, population, clerk):
    do_import(register_file(population), actor=clerk)
    a, b, c, d = [m for m in population if m.status == "正常" and m.card_status == "正常"][:4]
    old_card = a.card
    a.card = "6228480012345678900"[:-1]
    from stdnum import luhn
    a.card += luhn.calc_check_digit(a.card)
    b.status, b.status_date = "死亡", dt.date(2026, 9, 1)
    c.village = "141024100002" if c.village != "141024100002" else "141024100001"
    d.card_status, d.phone = "挂失", "13900001111"
    imp = do_import(register_file(population), actor=clerk)
    assert (imp.created, imp.updated, imp.unchanged) == (0, 4, 36)
    pa = Person.objects.get(id_bidx=vault().id_index(a.id_number))
    accounts = list(pa.accounts.order_by("id"))
    assert len(accounts) == 2 and not accounts[0].is_current and accounts[0].status == AccountStatus.CLOSED
    assert vault().decrypt(accounts[0].number_enc) == old_card and vault().decrypt(accounts[1].number_enc) == a.card
    ev = pa.events.get()
    assert ev.kind == EventKind.ACCOUNT_CHANGE and ev.changes["账号"]["after"].endswith(a.card[-4:])
    assert "底册导入" in ev.source and ev.register_import_id == imp.pk
    assert [e.kind for e in accounts[0].events.all()] == ["closed"] and [e.kind for e in accounts[1].events.all()] == ["opened"]
    pb = Person.objects.get(id_bidx=vault().id_index(b.id_number))
    assert pb.status == PersonStatus.DECEASED and pb.status_since == dt.date(2026, 9, 1)
    assert pb.events.get().kind == EventKind.DEATH and pb.events.get().effective_date == dt.date(2026, 9, 1)
    pc = Person.objects.get(id_bidx=vault().id_index(c.id_number))
    assert pc.village_id == c.village and pc.household.village_id == c.village
    assert sorted(pc.events.values_list("kind", flat=True)) == [EventKind.CORRECTION, EventKind.MOVE_IN]
    pd = Person.objects.get(id_bidx=vault().id_index(d.id_number))
    kinds = sorted(pd.events.values_list("kind", flat=True))
    assert kinds == [EventKind.ACCOUNT_STATUS, EventKind.CORRECTION]
    correction = pd.events.get(kind=EventKind.CORRECTION)
    assert correction.changes["联系电话"]["after"] == "139****1111" and "13900001111" not in str(correction.changes)
    assert vault().decrypt(pd.phone_enc) == "13900001111"
    assert pd.accounts.get(is_current=True).status == AccountStatus.LOST


def test_empty_optional_cells_never_erase(do_import, population, clerk):
    do_import(register_file(population[:3]), actor=clerk)
    rows = [register_row(i, m) for i, m in enumerate(population[:3], 1)]
    for r in rows:
        r[6] = r[11] = r[4] = ""  # no phone, no account, no household
    imp = do_import(csv_file(rows), actor=clerk)
    assert imp.updated == 0 and imp.unchanged == 3
    assert BankAccount.objects.filter(is_current=True).count() == 3


def test_person_of_another_township_cannot_be_changed(do_import, population, clerk, regions, villages, make_user):
    other = make_user("czs2", "township_finance", region=regions["town2"], kind="township_finance")
    do_import(register_file(population[:2]), actor=clerk)
    rows = [register_row(1, population[0])]
    rows[0][3] = villages["v3"].code
    imp = do_import(csv_file(rows), actor=other, region=regions["town2"])
    assert imp.state == "rejected" and "登记在其他乡镇" in import_errors(imp)[0]["message"]
    # once the first township records the move-out, the second may take the person in (迁入)
    p = Person.objects.get(id_bidx=vault().id_index(population[0].id_number))
    Person.objects.filter(pk=p.pk).update(status=PersonStatus.MOVED_OUT, import_digest="")
    imp = do_import(csv_file(rows), actor=other, region=regions["town2"])
    assert imp.state == "done" and imp.updated == 1
    p.refresh_from_db()
    assert p.village_id == villages["v3"].code and p.status == PersonStatus.NORMAL
    assert EventKind.MOVE_IN in set(p.events.values_list("kind", flat=True))


def test_organizations_are_registered_by_uscc(do_import, clerk):
    from stdnum.cn import uscc

    base = "N2141024MA0123456"
    code = base + uscc.calc_check_digit(base)
    headers = ["姓名", "统一社会信用代码", "村(社区)", "账户类型", "开户银行", "银行账号"]
    imp = do_import(csv_file([["第一村股份经济合作社", code, "第一村委会", "对公账户", "农村信用合作联社", "140001234567890"]],
                             headers=headers), actor=clerk)
    assert imp.state == "done", import_errors(imp)
    org = OrgPayee.objects.get()
    assert org.uscc == code and org.accounts.get().kind == "corporate"
    bad = code[:-1] + ("0" if code[-1] != "0" else "1")
    imp = do_import(csv_file([["某合作社", bad, "第一村委会", "对公账户", "", "140001234567890"]], headers=headers), actor=clerk)
    assert imp.state == "rejected" and "统一社会信用代码" in import_errors(imp)[0]["message"]


def test_xlsx_register(do_import, population, clerk):
    from yikatong.core.xlsx import write_xlsx

    data = write_xlsx(REGISTER_HEADERS, [register_row(i, m) for i, m in enumerate(population[:4], 1)],
                      title="底册", text_columns=[2, 6, 11], footer=["经办人："])
    imp = do_import(data, actor=clerk, name="底册.xlsx")
    assert imp.state == "done" and imp.created == 4


@pytest.mark.django_db(transaction=True)
def test_upload_runs_as_a_background_job_with_progress(population, clerk):
    from yikatong.jobs.models import Job
    from yikatong.registry import services

    imp = services.register_import_start(actor=clerk, data=register_file(population), file_name="底册.csv")
    imp.refresh_from_db()
    job = Job.objects.get(pk=imp.job_id)
    assert imp.state == "done" and imp.created == 40 and imp.upload_enc == b""
    assert job.state == "done" and job.done == job.total == 40 and "新增 40" in job.message
    services.register_import_run(import_id=imp.pk)  # delivered twice: nothing happens
    assert len(register_events("registry.register_import")) == 1
