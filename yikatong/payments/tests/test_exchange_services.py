"""Batch numbers, the bank-file archive, agent banks and agreements (services of the exchange)."""
import hashlib

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.db import connection

from tests.support.concurrency import failed, race
from yikatong.accounts.models import Organization, OrgKind
from yikatong.accounts.roles import Role
from yikatong.audit.models import AuditEvent
from yikatong.payments import banks as services, selectors
from yikatong.payments.errors import PaymentError
from yikatong.payments.tests.support import DAY, KEY, payment_file
from yikatong.payments.models import AgentBank, BankAgreement, BankFile, BatchNumberSequence


@pytest.fixture
def bank_org(regions):
    return Organization.objects.create(name="洪洞农商行", kind=OrgKind.AGENT_BANK, region=regions["county"], code="B1")


@pytest.fixture
def admin(make_user):
    return make_user("admin", Role.SYSADMIN)


@pytest.fixture
def bank(admin, bank_org):
    return services.agent_bank_create(actor=admin, code="ABC01", name="洪洞农商行", organization=bank_org)


# ---- batch numbers --------------------------------------------------------------------------

@pytest.mark.django_db
def test_batch_numbers_count_up_per_county_and_year_and_are_audited():
    got = [services.next_batch_no(actor=None, county_code="141024", year=2026) for _ in range(3)]
    assert got == ["141024-2026-000001", "141024-2026-000002", "141024-2026-000003"]
    assert services.next_batch_no(actor=None, county_code="141024", year=2027) == "141024-2027-000001"
    assert services.next_batch_no(actor=None, county_code="652301", year=2026) == "652301-2026-000001"
    events = AuditEvent.objects.filter(action="payments.batch_no.allocate")
    assert [e.after["batch_no"] for e in events.order_by("seq")][:3] == got


@pytest.mark.django_db
@pytest.mark.parametrize("county,year", [("14102", 2026), ("14102x", 2026), ("141024", 1999), ("141024", "2026")])
def test_batch_numbers_refuse_bad_input(county, year):
    with pytest.raises(ValueError):
        services.next_batch_no(actor=None, county_code=county, year=year)
    assert not BatchNumberSequence.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_batch_numbers_are_unique_under_concurrency():
    if connection.vendor == "sqlite":
        pytest.skip("SQLite has no row locks and the test database is in memory, private to one connection: "
                    "concurrent allocation is proven on PostgreSQL (select_for_update)")
    per_thread, threads = 25, 2
    results = race(threads, lambda i: [services.next_batch_no(actor=None, county_code="652301", year=2026)
                                       for _ in range(per_thread)])
    errors = failed(results)
    assert not errors
    numbers = [n for r in results for n in r]
    assert len(set(numbers)) == per_thread * threads
    assert sorted(numbers) == [f"652301-2026-{n:06d}" for n in range(1, per_thread * threads + 1)]
    assert BatchNumberSequence.objects.get(county_code="652301", year=2026).last_value == per_thread * threads


# ---- bank-file archive ----------------------------------------------------------------------

@pytest.mark.django_db
def test_store_keeps_bytes_and_digest_and_detects_replays(bank):
    name, data = payment_file()
    stored, created = services.store_bank_file(actor=None, bank=bank, filename=name, content=data)
    assert created and stored.direction == "out" and stored.kind == "P" and stored.batch_no == "141024-2026-000001"
    stored.refresh_from_db()
    assert stored.data() == data and stored.sha256 == hashlib.sha256(data).hexdigest()
    assert stored.size == len(data)
    again, created = services.store_bank_file(actor=None, bank=bank, filename=name, content=data)
    assert again.pk == stored.pk and not created
    assert BankFile.objects.count() == 1
    assert AuditEvent.objects.filter(action="payments.bank_file.store").count() == 1


@pytest.mark.django_db
def test_store_refuses_other_bytes_under_a_stored_name_and_same_bytes_under_another(bank):
    name, data = payment_file()
    services.store_bank_file(actor=None, bank=bank, filename=name, content=data)
    with pytest.raises(services.BankFileConflict) as exc:
        services.store_bank_file(actor=None, bank=bank, filename=name, content=data + b"x")
    assert exc.value.code == "BANK_FILE_NAME_CONFLICT"
    with pytest.raises(services.BankFileConflict) as exc:
        services.store_bank_file(actor=None, bank=bank, filename=name.replace("000001", "000002"), content=data)
    assert exc.value.code == "BANK_FILE_REPLAY"
    with pytest.raises(ValueError):
        services.store_bank_file(actor=None, bank=bank, filename=name.replace("ABC01", "ZZZ"), content=data)
    assert BankFile.objects.count() == 1


# ---- banks and agreements -------------------------------------------------------------------

@pytest.mark.django_db
def test_only_a_sysadmin_in_scope_registers_banks(make_user, bank_org, regions):
    for who in (make_user("op", Role.TREASURY), make_user("far", Role.SYSADMIN, region=regions["other_county"])):
        with pytest.raises(PermissionDenied):
            services.agent_bank_create(actor=who, code="ABC01", name="x", organization=bank_org)
    assert not AgentBank.objects.exists()


@pytest.fixture
def finance(regions):
    return Organization.objects.get_or_create(code="FIN", defaults=dict(
        name="洪洞县财政局", kind=OrgKind.FINANCE_BUREAU, region=regions["county"]))[0]


@pytest.mark.django_db
def test_agreement_encrypts_account_and_key_and_defaults_time_limits_from_the_profile(admin, bank, finance, settings):
    settings.YKT_PROFILE = "000"
    agreement = services.agreement_create(
        actor=admin, bank=bank, payer=finance, payer_account="6217000010001234", payer_name="洪洞县财政局",
        mac_key=KEY, valid_from=DAY,
    )
    agreement.refresh_from_db()
    assert "6217000010001234" not in agreement.payer_account_encrypted and agreement.payer_account_last4 == "1234"
    assert agreement.payer_account == "6217000010001234" and agreement.mac_key() == KEY
    assert KEY.decode() not in agreement.mac_key_encrypted
    assert (agreement.pay_within_working_days, agreement.report_within_days) == (3, 2)
    assert agreement.mac_alg == "HMAC-SM3"
    event = AuditEvent.objects.get(action="payments.agreement.create")
    assert "6217000010001234" not in str(event.after) and KEY.decode() not in str(event.after)
    assert selectors.agreement_for(bank_code="ABC01", payer_account="6217000010001234", day=DAY) == agreement
    assert selectors.agreement_for(bank_code="ABC01", payer_account="6217000010009999", day=DAY) is None


@pytest.mark.django_db
def test_three_party_profile_requires_department_and_signed_text(
    admin, bank, finance, settings, tmp_path, regions, monkeypatch
):
    settings.YKT_PROFILE = "003"
    kwargs = dict(actor=admin, bank=bank, payer=finance, payer_account="6217000010001234", payer_name="财政局",
                  mac_key=KEY, valid_from=DAY)
    with pytest.raises(PaymentError) as exc:
        services.agreement_create(**kwargs)
    assert exc.value.code == "AGREEMENT_THREE_PARTY_REQUIRED"
    assert not BankAgreement.objects.exists()
    dept = Organization.objects.create(name="民政局", kind=OrgKind.LINE_DEPARTMENT, region=regions["county"], code="D1")
    signed = b"%PDF-1.4 three-party agreement"
    agreement = services.agreement_create(**kwargs, department=dept, document=ContentFile(signed, name="协议.pdf"))
    assert agreement.document_sha256 == hashlib.sha256(signed).hexdigest()
    assert agreement.signed_text.data() == signed  # sealed at rest (core.sealed), digest of the plaintext
    assert signed not in bytes(agreement.signed_text.content_enc)
    assert agreement.signed_text.content_type == "application/pdf" and agreement.signed_text.filename == "协议.pdf"
    assert (agreement.pay_within_working_days, agreement.report_within_days) == (3, 1)
