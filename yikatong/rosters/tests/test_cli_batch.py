"""`yikatong batch …` (rosters/management/commands/batch.py): the same services as the pages, as the
--as user; a refusal is a CommandError carrying the refusal's code."""
import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from yikatong.audit.models import AuditEvent
from yikatong.jobs.models import Job
from yikatong.rosters.models import Batch

from .files import good_rows, id_number, to_csv

pytestmark = pytest.mark.django_db


def run(*args):
    out, err = io.StringIO(), io.StringIO()
    call_command("batch", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def roster_file(tmp_path, rows, name="清册.csv"):
    path = tmp_path / name
    path.write_bytes(to_csv(rows))
    return str(path)


def test_create_prints_the_batch_id_on_the_last_line_and_audits_the_user(rw, regions):
    out, _ = run("create", "--policy", "DB01", "--period", "2026-11", "--region", "141024100", "--as", "zhan")
    batch_id = int(out.strip().splitlines()[-1])
    batch = Batch.objects.get(pk=batch_id)
    assert (batch.policy.code, batch.period, batch.region_id, batch.state) == ("DB01", "2026-11", "141024100000", "draft")
    assert batch.created_by == rw.users["zhan"]
    assert AuditEvent.objects.filter(action="rosters.create", actor=rw.users["zhan"], object_id=str(batch_id)).exists()


def test_create_refused_by_the_service_exits_with_its_code(rw, regions):
    # the county finance reviewer may not create batches: the service's own refusal
    with pytest.raises(CommandError, match=r"\[ROLE_NOT_ALLOWED\]") as exc:
        run("create", "--policy", "DB01", "--period", "2026-11", "--region", "141024100", "--as", "fin")
    assert exc.value.returncode != 0
    assert not Batch.objects.exists()


def test_create_with_an_unknown_policy_names_the_code(rw, regions):
    with pytest.raises(CommandError, match=r"\[POLICY_UNKNOWN\]"):
        run("create", "--policy", "NOPE", "--period", "2026-11", "--region", "141024100", "--as", "zhan")


def test_unknown_or_inactive_user_is_a_clear_error(rw, regions):
    with pytest.raises(CommandError, match=r"\[CLI_ACTOR_UNKNOWN\].*nobody"):
        run("create", "--policy", "DB01", "--period", "2026-11", "--region", "141024100", "--as", "nobody")
    rw.users["zhan"].is_active = False
    rw.users["zhan"].save(update_fields=["is_active"])
    with pytest.raises(CommandError, match=r"\[CLI_ACTOR_INACTIVE\]"):
        run("create", "--policy", "DB01", "--period", "2026-11", "--region", "141024100", "--as", "zhan")
    assert not Batch.objects.exists()


def test_as_is_required(rw, regions):
    with pytest.raises(CommandError, match="--as"):
        run("create", "--policy", "DB01", "--period", "2026-11", "--region", "141024100")


def test_import_wait_imports_and_reports(rw, batch, tmp_path):
    out, _ = run("import", str(batch.pk), roster_file(tmp_path, good_rows(3)), "--as", "zhan", "--wait")
    batch.refresh_from_db()
    assert batch.item_count == 3 and batch.total_fen == 150000
    assert "导入 3 行" in out
    run_ = batch.imports.get()
    assert run_.created_by == rw.users["zhan"] and Job.objects.get(pk=run_.job_id).state == "done"


def test_import_wait_with_errors_names_the_rows_and_exits_non_zero(rw, batch, tmp_path):
    rows = good_rows(3)
    rows[1][2] = id_number(2)[:-2]  # file row 3: an ID number too short
    with pytest.raises(CommandError, match=r"\[ROSTER_NOT_IMPORTED\]"):
        out, err = io.StringIO(), io.StringIO()
        try:
            call_command("batch", "import", str(batch.pk), roster_file(tmp_path, rows), "--as", "zhan", "--wait",
                         stdout=out, stderr=err)
        finally:
            assert "第3行" in err.getvalue()
            assert "导入 0 行" in out.getvalue()
    batch.refresh_from_db()
    assert batch.item_count == 0


def test_import_into_a_batch_out_of_scope_is_not_found(rw, batch, tmp_path, regions, make_user):
    from yikatong.accounts.models import OrgKind
    from yikatong.accounts.roles import Role

    make_user("zhan2", Role.TOWNSHIP_OPERATOR, region=regions["town2"], kind=OrgKind.TOWNSHIP_STATION)
    with pytest.raises(CommandError, match=r"\[BATCH_NOT_FOUND\]"):
        run("import", str(batch.pk), roster_file(tmp_path, good_rows(1)), "--as", "zhan2")
    assert not batch.imports.exists()


def test_check_wait_runs_the_checks(rw, batch, tmp_path):
    run("import", str(batch.pk), roster_file(tmp_path, good_rows(2)), "--as", "zhan", "--wait")
    out, _ = run("check", str(batch.pk), "--as", "zhan", "--wait")
    assert "比对完成" in out
    from yikatong.checks.models import RuleRun

    assert RuleRun.objects.filter(batch=batch).count() == 1


def test_advance_lists_then_runs_a_transition(rw, batch, tmp_path):
    run("import", str(batch.pk), roster_file(tmp_path, good_rows(2)), "--as", "zhan", "--wait")
    out, _ = run("advance", str(batch.pk), "--as", "zhan")
    assert "send_compare" in out
    out, _ = run("advance", str(batch.pk), "send_compare", "--as", "zhan")
    batch.refresh_from_db()
    assert batch.state == "comparing"
    assert AuditEvent.objects.filter(actor=rw.users["zhan"], object_id=str(batch.pk),
                                     action__endswith="send_compare").exists()


def test_advance_refused_exits_with_the_engine_code_and_lists_the_allowed(rw, batch):
    err = io.StringIO()
    with pytest.raises(CommandError, match=r"\[TRANSITION_NOT_ALLOWED\]"):
        call_command("batch", "advance", str(batch.pk), "finance_approve", "--as", "zhan",
                     stdout=io.StringIO(), stderr=err)
    assert "您现在可以执行的流转" in err.getvalue()
    batch.refresh_from_db()
    assert batch.state == "draft"


def test_split_prints_the_summary_per_township_and_the_batch_ids(rw, regions, villages, make_user, tmp_path):
    from yikatong.accounts.models import OrgKind
    from yikatong.accounts.roles import Role

    from .files import card

    make_user("xian", Role.TOWNSHIP_OPERATOR, region=regions["county"], kind=OrgKind.TOWNSHIP_STATION)
    rows = [["1", "大槐树镇", "甲", id_number(1), "第一村委会", card(1), "500"],
            ["2", "甘亭镇", "乙", id_number(2), "东村村民委员会", card(2), "500"]]
    path = tmp_path / "全县.csv"
    path.write_bytes(to_csv(rows, header=["序号", "乡镇名称", "姓名", "身份证号码", "村(社区)", "银行账号", "发放金额(元)"]))
    out, _ = run("split", str(path), "--policy", "DB01", "--period", "2026-11", "--region", "141024", "--as", "xian")
    ids = {int(x) for x in out.strip().splitlines()[-1].split()}
    assert ids == set(Batch.objects.values_list("pk", flat=True)) and len(ids) == 2
    assert "大槐树镇" in out and "甘亭镇" in out
    with pytest.raises(CommandError, match=r"\[COUNTY_ROSTER_NOT_IN_SCOPE\]"):
        run("split", str(path), "--policy", "DB01", "--period", "2026-11", "--region", "141024", "--as", "zhan")
