"""Demo of the public half, with the real services: a notice running now (a batch in its notice step whose
notice, registered today, went online at once), the result list of the paid batch published by the 政务公开
管理员, and four complaints in different states (received; answered; closed; overdue and escalated). Runs after
the payments demo; idempotent (each part only when the county has none yet)."""
from __future__ import annotations

import datetime

from django.utils import timezone

NOTICE_PERIOD = "2026-12"


def _running_notice(town, users, stdout) -> None:
    from yikatong.core.money import Money
    from yikatong.core.profiles import get_profile
    from yikatong.rosters import notices, services
    from yikatong.rosters.demo import _roster_csv, walk
    from yikatong.rosters.importer.run import roster_import
    from yikatong.rosters.models import Batch, BatchKind

    if Batch.objects.filter(region=town, state="notice").exists():
        return
    model = Batch.objects.filter(region=town, kind=BatchKind.NORMAL).select_related("policy").order_by("pk").first()
    if model is None or Batch.objects.filter(region=town, period=NOTICE_PERIOD, kind=BatchKind.NORMAL).exists():
        return
    policy = model.policy
    rate = policy.rate_fen if policy.rate_fen is not None else policy.tiers.order_by("rate_fen").first().rate_fen
    batch = services.batch_create(actor=users["zhan"], policy=policy, period=NOTICE_PERIOD, region=town)
    data = _roster_csv(town, 12, 0).replace("{amount}", Money.from_fen(rate).yuan_str()).encode("utf-8-sig")
    roster_import(actor=users["zhan"], batch_id=batch.pk, data=data, filename=f"{town.name}{NOTICE_PERIOD}清册.csv",
                  mode="valid_only")
    walk(batch, users, town, "notice")
    profile = get_profile(batch.profile_code)
    today = timezone.localdate()
    for level in profile.notice_levels or ("village",):
        place = f"{town.name}各村村务公开栏" if level == "village" else f"{town.name}政务公开栏"
        notices.notice_record(actor=users["zhan"], batch_id=batch.pk, level=level, start=today, place=place,
                              phone="0357-6221234")  # goes online at once (publish_auto.notice_recorded)
    stdout.write(f"公开公示：批次 {batch.code} 公示中（{today:%Y-%m-%d} 起），公示名单已在网上公开")


def _result_list(town, users, stdout) -> None:
    from yikatong.rosters.models import Batch, BatchKind

    from .models import ListKind, PublishedList
    from .publish import list_publish

    paid = (Batch.objects.filter(region=town, kind=BatchKind.NORMAL, state__in=("paid", "partly_failed", "closed"))
            .order_by("period", "pk").first())
    if paid is None or PublishedList.objects.filter(batch=paid, kind=ListKind.RESULT).exists():
        return
    pl = list_publish(actor=users["gongkai"], batch_id=paid.pk, kind=ListKind.RESULT)
    stdout.write(f"结果公开：批次 {paid.code} 发放结果已公开（{pl.row_count} 人，校验码 {pl.digest[:12]}…）")


def _complaints(town, users, stdout) -> None:
    from yikatong.rosters.models import Batch

    from .complaints import complaint_file, complaint_reply, complaints_escalate, public_policies
    from .models import Complaint

    if Complaint.objects.filter(region__code__startswith=town.code[:9]).exists():
        return
    village = town.children.order_by("code").first() or town
    policy_id = public_policies().filter(pk__in=Batch.objects.filter(region=town).values("policy_id")) \
        .values_list("pk", flat=True).first()
    zhan = users["zhan"]
    contact = {"contact_name": "王先生", "phone": "13900001234"}
    # overdue: filed long ago, never answered; the daily scan escalates it to the county (as its job would)
    old = complaint_file(kind="report", region_code=village.code, now=timezone.now() - datetime.timedelta(days=40),
                         text=f"反映{village.name}有人冒领低保补贴，请核查。")
    complaints_escalate()
    received = complaint_file(kind="complaint", region_code=village.code, policy_id=policy_id, **contact,
                              text="本人符合条件，今年的补贴至今没有到账，请帮忙查一下。")
    answered = complaint_file(kind="question", region_code=village.code, policy_id=policy_id, **contact,
                              text="补贴是每月几号发放？发到哪张卡上？")
    complaint_reply(actor=zhan, complaint_id=answered.complaint.pk,
                    text="每月15日前发放到您的社会保障卡（一卡通）账户，可在“个人查询”页面查看到账情况。")
    closed = complaint_file(kind="complaint", region_code=village.code, **contact,
                            text="公示名单上我的名字写错了一个字。")
    complaint_reply(actor=zhan, complaint_id=closed.complaint.pk, close=True,
                    text="已核实并更正姓名，下期公示名单将使用正确姓名。")
    stdout.write("投诉举报：4 件（已接收、已答复、已办结、逾期已升级），公众可凭受理编号和查询码查看：")
    for label, f in (("逾期升级", old), ("已接收", received), ("已答复", answered), ("已办结", closed)):
        stdout.write(f"  {label:<6} 受理编号 {f.complaint.tracking_no}  查询码 {f.code}")


def build(county_code: str, *, size: int, stdout) -> None:
    from yikatong.accounts.models import User

    names = ["zhan", "czs", "mz_shenhe", "mz_fzr", "czj_ks", "gongkai"]
    users = {u.username: u for u in User.objects.filter(username__in=names)}
    if len(users) < len(names) or users["zhan"].region is None:
        stdout.write("信息公开：缺少演示用户，跳过")
        return
    town = users["zhan"].region
    _running_notice(town, users, stdout)
    _result_list(town, users, stdout)
    _complaints(town, users, stdout)
