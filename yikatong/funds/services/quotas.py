"""Receiving a quota document (收到上级指标文件)."""
import datetime

from django.core.exceptions import ValidationError
from django.db import transaction

from yikatong.audit.services import record
from yikatong.core.refusals import Forbidden, invalid
from yikatong.policies.selectors import chain_codes
from yikatong.regions.models import Region

from .. import errors  # noqa: F401  (registers the refusal messages)
from ..models import SOURCE_FIELDS, FundQuota, IssuingLevel
from ..permissions import manages


@transaction.atomic
def quota_receive(
    *, actor, region: Region, doc_number: str, issuing_level: str, received_on: datetime.date, policy, year: int,
    amounts_fen: dict[str, int], title: str = "", issuer_name: str = "", direct_to_county: bool = False,
) -> FundQuota:
    """Register a quota document received by `region` from above. `amounts_fen` maps
    central_fen / province_fen / prefecture_fen / county_fen to integer fen."""
    if not manages(actor, region.code):
        raise Forbidden("QUOTA_RECEIVE_NOT_MANAGER")
    problems = []  # every problem at once, each with its code
    if not doc_number.strip():
        problems.append(invalid("QUOTA_DOC_NUMBER_REQUIRED"))
    if issuing_level not in IssuingLevel.values:
        problems.append(invalid("QUOTA_LEVEL_REQUIRED"))
    if policy.catalogue.year != year or policy.catalogue.region_id not in chain_codes(region.code):
        problems.append(invalid("QUOTA_POLICY_NOT_IN_CATALOGUE", policy=policy.name, year=year))
    unknown = set(amounts_fen) - {name for name, _ in SOURCE_FIELDS}
    if unknown:
        problems.append(invalid("QUOTA_SOURCE_UNKNOWN", sources="、".join(sorted(unknown))))
    values = {name: amounts_fen.get(name, 0) for name, _ in SOURCE_FIELDS}
    if not all(type(v) is int and v >= 0 for v in values.values()):
        problems.append(invalid("QUOTA_AMOUNTS_INVALID"))
    elif sum(values.values()) <= 0:
        problems.append(invalid("QUOTA_AMOUNT_NOT_POSITIVE"))
    if FundQuota.objects.filter(region=region, holder=None, doc_number=doc_number.strip(), policy_code=policy.code).exists():
        problems.append(invalid("QUOTA_DOC_DUPLICATE", doc_number=doc_number))
    if problems:
        raise problems[0] if len(problems) == 1 else ValidationError(problems)
    quota = FundQuota.objects.create(
        region=region, doc_number=doc_number.strip(), title=title.strip(), issuing_level=issuing_level,
        issuer_name=issuer_name.strip(), received_on=received_on, policy=policy, policy_code=policy.code, year=year,
        direct_to_county=direct_to_county, received_fen=sum(values.values()), created_by=actor, **values,
    )
    record(actor=actor, action="funds.quota_receive", obj=quota,
           after={"region": region.code, "doc_number": quota.doc_number, "policy": policy.code, "year": year, **values})
    return quota
