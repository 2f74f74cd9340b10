"""Demo batches: one taken through the whole review cycle to finance approval, one waiting on the
department, one draft — built with the real services by the demo users. Idempotent."""
import datetime
import io

from django.utils import timezone

from yikatong.core.csvfile import csv_writer
from yikatong.core import calendar
from yikatong.core.profiles import get_profile

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def _policy(town):
    from yikatong.funds.models import FundQuota
    from yikatong.policies.selectors import payable_policies

    year = timezone.localdate().year
    funded = set(FundQuota.objects.filter(year=year, region_id=town.code[:6].ljust(12, "0")).values_list("policy_code", flat=True))
    candidates = payable_policies(town.code, year).filter(disburser="township", line="mz", frequency="monthly")
    return next((p for p in candidates if p.code in funded), None)


def _roster_csv(town, n: int, offset: int) -> bytes:
    from yikatong.registry.models import Person
    from yikatong.core.crypto import vault

    v = vault()
    buf = io.StringIO()
    w = csv_writer(buf)
    w.writerow(["序号", "姓名", "身份证号码", "村(社区)", "银行账号", "手机号码", "发放金额(元)"])
    people = (Person.objects.filter(village__parent=town, status="normal", accounts__status="active")
              .select_related("village").order_by("pk").distinct()[offset:offset + n])
    for i, p in enumerate(people, start=1):
        acct = p.accounts.filter(status="active").first()
        w.writerow([i, p.name, v.decrypt(p.id_enc), p.village.name, v.decrypt(acct.number_enc),
                    v.decrypt(p.phone_enc) if p.phone_enc else "", "{amount}"])
    return buf.getvalue()


def _notice_window():
    end = timezone.localdate() - datetime.timedelta(days=1)
    while not calendar.is_workday(end):
        end -= datetime.timedelta(days=1)
    start, counted = end, 1
    while counted < 7:
        start -= datetime.timedelta(days=1)
        counted += calendar.is_workday(start)
    return start, end


def _fix_after_comparison(batch, users, reason: str) -> None:
    """As the finance office would: return the roster; the station removes the blocked rows (`walk` then
    takes it through the profile's steps again)."""
    from . import services, transitions
    from .guards import BLOCKING_COMPARE

    transitions.batch_transition(actor=users["czs"], batch_id=batch.pk, action="return", reason=reason)
    for item in batch.items.filter(status="active"):
        codes = {c.get("code") for c in item.compare}
        if codes & BLOCKING_COMPARE:
            services.item_remove(actor=users["zhan"], batch_id=batch.pk, item_id=item.pk,
                                 reason="复核比对：" + "、".join(c["message"] for c in item.compare if c["code"] in BLOCKING_COMPARE))


# Who takes each step of the demo: the first demo user holding one of the transition's roles.
_ACTORS = ("zhan", "czs", "mz_shenhe", "mz_fzr", "czj_ks")


def _actor(users, tr):
    return next(users[name] for name in _ACTORS if name in users and users[name].has_role(*tr.roles))


def _next_step(profile, state: str, *, reissue: bool = False):
    """The forward step out of `state` in the profile's own table (no return, no system or treasury step);
    a reissue batch takes its own step where the table has one (补发批次 skips the notice)."""
    from . import flows

    people = flows.OPERATOR | flows.FINANCE_OFFICE | flows.DEPT | flows.FINANCE
    forward = [tr for tr in flows.available(profile, state) if not tr.is_return and not tr.roles.isdisjoint(people)]
    own = [tr for tr in forward if ("is_reissue" in tr.guards) == reissue]
    return (own or forward or [None])[0]


def _record_notice(batch, users, town, profile) -> None:
    from . import notices, services
    from .models import Batch

    proof = services.attachment_add(actor=users["zhan"], batch_id=batch.pk, kind="notice_photo", filename="公示照片.png", data=PNG)
    start, _ = _notice_window()
    # demo history: the batch entered its notice step on the first day of a notice that is over
    Batch.objects.filter(pk=batch.pk).update(
        state_since=timezone.make_aware(datetime.datetime.combine(start, datetime.time(9, 0))))
    for level in profile.notice_levels or ("village",):
        place = f"{town.name}各村村务公开栏" if level == "village" else f"{town.name}政务公开栏"
        notices.notice_record(actor=users["zhan"], batch_id=batch.pk, level=level, start=start, working_days=7,
                               place=place, phone="0357-6221234", read_at_assembly=True, proof_id=proof.pk,
                               assembly_on=start, assembly_place=f"{town.name}村民大会", assembly_attendees=120)


def walk(batch, users, town, target: str) -> None:
    """Take the batch forward through its profile's own steps (verification, comparison, notice, re-submission
    ... as the profile switches them on) until it reaches `target`."""
    from . import services, transitions
    from .errors import TransitionRefused
    from .models import Batch

    profile = get_profile(batch.profile_code)
    for _ in range(20):
        state = Batch.objects.get(pk=batch.pk).state
        if state == target:
            return
        tr = _next_step(profile, state, reissue=batch.kind == "reissue")
        if tr is None:
            raise RuntimeError(f"演示批次停在 {state}，配置 {profile.code} 没有通往 {target} 的下一步")
        if tr.action == "finish_notice":
            _record_notice(batch, users, town, profile)
        if "summary_attached" in tr.guards:
            services.attachment_add(actor=users["mz_fzr"], batch_id=batch.pk, kind="summary", filename="汇总表签字盖章.png",
                                    data=PNG)
        try:
            transitions.batch_transition(actor=_actor(users, tr), batch_id=batch.pk, action=tr.action)
        except TransitionRefused as exc:
            if tr.action != "compare_pass" or exc.code != "COMPARE_BLOCKED":
                raise
            _fix_after_comparison(batch, users, str(exc))
    raise RuntimeError(f"演示批次未能到达 {target}")


def build(county_code: str, *, size: int, stdout) -> None:
    from yikatong.accounts.models import User
    from yikatong.core.money import Money

    from . import services
    from .importer.run import roster_import
    from .models import Batch

    users = {u.username: u for u in User.objects.filter(username__in=["zhan", "czs", "mz_shenhe", "mz_fzr", "czj_ks"])}
    if len(users) < 5 or users["zhan"].region is None:
        stdout.write("发放批次：缺少演示用户，跳过")
        return
    town = users["zhan"].region
    if Batch.objects.filter(region=town).exists():
        stdout.write("发放批次：已存在，未改动")
        return
    policy = _policy(town)
    if policy is None:
        stdout.write("发放批次：没有可发放且有资金指标的民政按月项目，跳过")
        return
    rate = policy.rate_fen if policy.rate_fen is not None else policy.tiers.order_by("rate_fen").first().rate_fen
    amount = Money.from_fen(rate).yuan_str()
    plan = [("2026-09", "approved"), ("2026-10", "dept_review"), ("2026-11", "draft")]
    for k, (period, target) in enumerate(plan):
        batch = services.batch_create(actor=users["zhan"], policy=policy, period=period, region=town)
        data = _roster_csv(town, 12, k * 12).replace("{amount}", amount).encode("utf-8-sig")
        roster_import(actor=users["zhan"], batch_id=batch.pk, data=data, filename=f"{town.name}{period}清册.csv",
                      mode="valid_only")
        if not Batch.objects.get(pk=batch.pk).item_count:
            stdout.write("发放批次：演示人口太少，后续批次未生成")
            return
        if target == "draft":
            continue
        walk(batch, users, town, target)
    stdout.write(f"发放批次：{policy.name} 3 个批次（已审核通过 / 待部门审核 / 草稿）")
