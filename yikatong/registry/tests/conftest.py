"""Register fixtures: a synthetic population of the villages (root conftest), register files."""
import csv
import io

import pytest

from yikatong.accounts.models import OrgKind
from yikatong.accounts.roles import Role
from yikatong.registry.synthetic import REGISTER_HEADERS, Population, register_row


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    """Users are made per test here: a fast hasher keeps the register tests quick."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def population(villages):
    """40 people of town1 (two villages), deterministic."""
    pop = Population("141024", [villages["v1"].code, villages["v2"].code], seed=7)
    return [m for hh in pop.households(40) for m in hh]


def csv_file(rows, headers=REGISTER_HEADERS, *, encoding="utf-8", title=None) -> bytes:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    if title:
        w.writerow([title])
    w.writerow(headers)
    w.writerows(rows)
    return buf.getvalue().encode(encoding)


def register_file(members, **kwargs) -> bytes:
    return csv_file([register_row(i, m) for i, m in enumerate(members, start=1)], **kwargs)


@pytest.fixture
def clerk(make_user, regions):
    """乡镇财政所 of town1: keeps the register."""
    return make_user("czs1", Role.TOWNSHIP_FINANCE, region=regions["town1"], kind=OrgKind.TOWNSHIP_FINANCE)


@pytest.fixture
def do_import(tmp_path, regions):
    """Import register bytes synchronously (the service the job and the command use)."""
    from yikatong.registry import services

    counter = {"n": 0}

    def run(data: bytes, *, actor=None, region=None, name="底册.csv"):
        counter["n"] += 1
        path = tmp_path / f"{counter['n']}-{name}"
        path.write_bytes(data)
        return services.register_file_import(actor=actor, path=path, region_code=(region or regions["town1"]).code)

    return run


def register_events(action: str):
    from yikatong.audit.models import AuditEvent

    return list(AuditEvent.objects.filter(action=action).order_by("seq"))
