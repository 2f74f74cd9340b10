"""A published county catalogue and a quota received by the county (for the funds tests)."""
from types import SimpleNamespace

from tests.support.factories import make_spec
from tests.support.scenarios import publish
from yikatong.funds import services
from yikatong.funds.models import IssuingLevel


def county_policy(world):
    catalogue = publish(world, "county", "fin", "city_fin", [make_spec("HT-1", world.orgs["mz"], name="城乡低保")])
    return catalogue.policies.get()


def receive(world, policy, *, central=60000, province=40000, region="county", actor="fin", doc="晋财社〔2026〕1号",
            received_on=None, direct=False):
    import datetime

    return services.quota_receive(
        actor=world.users[actor], region=world.regions[region], doc_number=doc, issuing_level=IssuingLevel.PROVINCE,
        received_on=received_on or datetime.date(2026, 3, 2), policy=policy, year=2026,
        amounts_fen={"central_fen": central, "province_fen": province}, direct_to_county=direct,
    )


def fake_batch(policy, *, code="PC-1", total_fen=0, region_code="141024100000", department=None, period="2026-11"):
    """The attributes of rosters.Batch the funds services read."""
    return SimpleNamespace(code=code, total_fen=total_fen, region_id=region_code, policy=policy, period=period,
                           department_id=department.pk if department else None, pk=code)
