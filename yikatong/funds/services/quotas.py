"""Receiving a quota document (收到上级指标文件)."""
import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from yikatong.audit.services import record
from yikatong.policies.selectors import chain_codes
from yikatong.regions.models import Region

from ..models import SOURCE_FIELDS, FundQuota, IssuingLevel
from ..permissions import manages


@transaction.atomic
def receive_quota(
    *, actor, region: Region, doc_number: str, issuing_level: str, received_on: datetime.date, policy, year: int,
    amounts_fen: dict[str, int], title: str = "", issuer_name: str = "", direct_to_county: bool = False,
) -> FundQuota:
    """Register a quota document received by `region` from above. `amounts_fen` maps
    central_fen / province_fen / prefecture_fen / county_fen to integer fen."""
    if not manages(actor, region.code):
        raise PermissionDenied("只有本级财政部门业务科室可以登记资金指标")
    errors = []
    if not doc_number.strip():
        errors.append("请填写指标文号")
    if issuing_level not in IssuingLevel.values:
        errors.append("请选择下达层级")
    if policy.catalogue.year != year or policy.catalogue.region_id not in chain_codes(region.code):
        errors.append(f"补贴项目“{policy.name}”不在本地区{year}年的补贴政策清单中")
    unknown = set(amounts_fen) - {name for name, _ in SOURCE_FIELDS}
    if unknown:
        errors.append(f"未知的资金来源：{'、'.join(sorted(unknown))}")
    values = {name: amounts_fen.get(name, 0) for name, _ in SOURCE_FIELDS}
    if not all(type(v) is int and v >= 0 for v in values.values()):
        errors.append("各来源金额必须是不小于0的整数分")
    elif sum(values.values()) <= 0:
        errors.append("指标金额必须大于0")
    if FundQuota.objects.filter(region=region, holder=None, doc_number=doc_number.strip(), policy_code=policy.code).exists():
        errors.append(f"文号“{doc_number}”的该项目指标已登记，请勿重复登记")
    if errors:
        raise ValidationError(errors)
    quota = FundQuota.objects.create(
        region=region, doc_number=doc_number.strip(), title=title.strip(), issuing_level=issuing_level,
        issuer_name=issuer_name.strip(), received_on=received_on, policy=policy, policy_code=policy.code, year=year,
        direct_to_county=direct_to_county, received_fen=sum(values.values()), created_by=actor, **values,
    )
    record(actor=actor, action="funds.quota_receive", obj=quota,
           after={"region": region.code, "doc_number": quota.doc_number, "policy": policy.code, "year": year, **values})
    return quota
