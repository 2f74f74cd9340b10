"""Demo step: quota documents the demo county received this year, partly allocated to its
townships and departments and passed down; one allocation is overdue. Idempotent."""
import datetime

from django.db import transaction
from django.utils import timezone

from yikatong.accounts.models import User
from yikatong.accounts.roles import Role
from yikatong.core.money import Money
from yikatong.policies.demo import policy_code
from yikatong.policies.selectors import payable_policies
from yikatong.regions.models import Region
from yikatong.regions.selectors import ancestors

from . import services
from .models import FundAllocation, FundQuota, IssuingLevel

# (level of the policy's catalogue, policy key, 文号, received (month, day), level, direct, yuan per source)
QUOTAS = (
    (1, "NY-01", "财农〔{y}〕8号", (3, 2), IssuingLevel.CENTRAL, True, {"central_fen": "4410000"}),
    (1, "MZ-01", "财社〔{y}〕15号", (2, 10), IssuingLevel.PROVINCE, False,
     {"central_fen": "6300000", "province_fen": "1800000", "county_fen": "900000"}),
    (1, "CL-01", "财社〔{y}〕22号", (2, 2), IssuingLevel.PROVINCE, False, {"province_fen": "360000", "county_fen": "360000"}),
    (3, "MZ-21", "县财社〔{y}〕3号", (1, 20), IssuingLevel.COUNTY, False, {"county_fen": "1500000"}),
)


def _finance_reviewer(county: Region) -> User | None:
    return User.objects.filter(organization__region=county, organization__kind="finance_bureau",
                               role_grants__role=Role.FINANCE_REVIEWER).first()


def build(county_code: str, *, size: int = 0, stdout=None) -> int:
    today = timezone.localdate()
    year = today.year
    county = Region.objects.get(code=Region.full_code(county_code))
    actor = _finance_reviewer(county)
    if actor is None or FundQuota.objects.filter(region=county, year=year, created_by=actor).exists():
        if stdout is not None:
            stdout.write("资金指标：已存在或缺少财政业务科室用户，未改动")
        return 0
    by_level = {r.level: r for r in ancestors(county.code, include_self=True)}
    townships = list(county.children.order_by("code")[:3])
    mz = county.organizations.filter(kind="line_department", code__endswith="-MZ").first()
    with transaction.atomic():
        quotas = []
        for level, key, doc, (month, day), issuing, direct, amounts in QUOTAS:
            policy = payable_policies(county.code, year).get(code=policy_code(by_level[level], key))
            received = min(datetime.date(year, month, day), today)
            quotas.append(services.quota_receive(
                actor=actor, region=county, doc_number=doc.format(y=year), title=f"关于下达{year}年{policy.name}资金的通知",
                issuing_level=issuing, issuer_name="", received_on=received, policy=policy, year=year,
                amounts_fen={k: Money.parse(v).fen for k, v in amounts.items()}, direct_to_county=direct,
            ))
        farmland, dibao, disabled, elderly = quotas
        # farmland: two townships passed down, the third still to do (within its deadline)
        for n, town in enumerate(townships):
            due = farmland.received_on + datetime.timedelta(days=30) if n < 2 else today + datetime.timedelta(days=10)
            allocation = services.allocation_create(actor=actor, quota=farmland, amount_fen=farmland.received_fen // 4,
                                           target_region=town, deadline=due)
            if n < 2:
                services.allocation_issue(actor=actor, allocation=allocation, doc_number=f"县财农〔{year}〕{11 + n}号",
                                          issued_on=min(farmland.received_on + datetime.timedelta(days=5 + n), today))
        if mz is not None:
            allocation = services.allocation_create(actor=actor, quota=dibao, amount_fen=dibao.received_fen * 9 // 10, target_org=mz)
            services.allocation_issue(actor=actor, allocation=allocation, doc_number=f"县财社〔{year}〕21号",
                                      issued_on=min(dibao.received_on + datetime.timedelta(days=12), today))
        if townships:  # overdue: received early in the year, still not passed down
            services.allocation_create(actor=actor, quota=disabled, amount_fen=disabled.received_fen // 2, target_region=townships[0],
                              deadline=disabled.received_on + datetime.timedelta(days=30))
        services.commit_funds(actor=actor, quota=elderly, amount_fen=Money.parse("125000").fen, ref=f"demo:{year}-10")
        services.record_paid(actor=actor, quota=elderly, amount_fen=Money.parse("125000").fen, ref=f"demo:{year}-10")
    if stdout is not None:
        overdue = sum(a.is_overdue for a in FundAllocation.objects.filter(quota__in=quotas))
        stdout.write(f"资金指标：登记{len(quotas)}份{year}年指标文件及其分配下达记录，其中{overdue}笔逾期未下达")
    return len(quotas)
