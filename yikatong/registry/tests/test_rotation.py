"""`yikatong registry rotate-key`: everything re-encrypted, blind indexes recomputed, atomically."""
import datetime as dt

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from yikatong.core import crypto
from yikatong.core.crypto import Vault
from yikatong.registry import services
from yikatong.registry.choices import DatasetKind
from yikatong.registry.models import BankAccount, Person, ReferenceRecord
from yikatong.registry.reference import reference_hits
from yikatong.registry.selectors import search_persons

from .conftest import csv_file, register_file

pytestmark = pytest.mark.django_db
NEW_KEY = "bmV3LWtleS1uZXcta2V5LW5ldy1rZXktbmV3LWtleTA="


@pytest.fixture
def loaded(do_import, population, clerk, settings):
    do_import(register_file(population), actor=clerk)
    services.reference_load(actor=None, dataset=DatasetKind.DEATHS, source_agency="民政局", as_of=dt.date(2026, 10, 1),
                            source=csv_file([[population[0].name, population[0].id_number, "2026-09-01"]],
                                            headers=["姓名", "身份证号码", "死亡日期"]),
                            file_name="deaths.csv", region_code="141024")
    clerk.totp_secret = crypto.encrypt("JBSWY3DPEHPK3PXP")
    clerk.save(update_fields=["totp_secret"])
    return settings.YKT_DATA_KEY


def test_rotation_reencrypts_everything_and_recomputes_indexes(loaded, population, clerk, settings, tmp_path):
    old_key = loaded
    key_file = tmp_path / "old.key"
    key_file.write_text(old_key)
    settings.YKT_DATA_KEY = NEW_KEY
    call_command("registry", "rotate-key", "--old-key-file", str(key_file))
    new, old = Vault(NEW_KEY), Vault(old_key)
    m = population[3]
    p = Person.objects.get(id_bidx=new.id_index(m.id_number))
    assert new.decrypt(p.id_enc) == m.id_number
    assert p.id_mask_bidx == new.id_mask_index(m.id_number) and p.import_digest == ""
    with pytest.raises(crypto.DecryptionError):
        old.decrypt(p.id_enc)
    acc = BankAccount.objects.get(person=p, is_current=True)
    assert new.decrypt(acc.number_enc) == m.card and acc.number_bidx == new.index(m.card)
    assert ReferenceRecord.objects.get().id_bidx == new.id_index(population[0].id_number)
    assert reference_hits(population[0].id_number)[0].dataset == DatasetKind.DEATHS
    rows, _ = search_persons(clerk, m.id_number)
    assert [r.id for r in rows] == [p.pk]
    clerk.refresh_from_db()
    assert crypto.decrypt(clerk.totp_secret) == "JBSWY3DPEHPK3PXP"
    # running it again changes nothing and does not fail
    before = list(Person.objects.values_list("id_enc", "id_bidx").order_by("id"))
    call_command("registry", "rotate-key", "--old-key", old_key)
    assert list(Person.objects.values_list("id_enc", "id_bidx").order_by("id")) == before


def test_rotation_is_atomic(loaded, settings):
    old_key = loaded
    first = Person.objects.order_by("id").first()
    Person.objects.filter(pk=Person.objects.order_by("-id").first().pk).update(phone_enc="v1:AAAAbroken")
    before = list(Person.objects.values_list("id_enc", "id_bidx").order_by("id"))
    settings.YKT_DATA_KEY = NEW_KEY
    with pytest.raises(CommandError, match="未做任何修改"):
        call_command("registry", "rotate-key", "--old-key", old_key)
    assert list(Person.objects.values_list("id_enc", "id_bidx").order_by("id")) == before
    assert Vault(old_key).decrypt(Person.objects.get(pk=first.pk).id_enc)


def test_rotation_needs_the_old_key(settings):
    with pytest.raises(CommandError, match="旧密钥"):
        call_command("registry", "rotate-key")
