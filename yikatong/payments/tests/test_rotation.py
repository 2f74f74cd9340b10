"""Data key rotation reaches payments: SMS phones and the agreement's payer account and MAC key
(core.crypto ciphertexts) are re-encrypted, and the bank exchange still works afterwards."""
import base64

import pytest

from tests.support.scenarios import pay_round, walk_to_approved
from yikatong.banksim.options import SimOptions
from yikatong.core import crypto
from yikatong.core.crypto import Vault, vault
from yikatong.payments.tests.support import HEADER, KEY
from yikatong.payments.models import BankAgreement, PaymentClaim, SmsNotice
from yikatong.registry.rotation import key_rotate
from yikatong.registry.tests.rotation_helpers import assert_all_under, snapshot

pytestmark = pytest.mark.django_db
NEW_KEY = "bmV3LWtleS1uZXcta2V5LW5ldy1rZXktbmV3LWtleTA="
PHONE = "13812345678"


def test_rotation_reencrypts_sms_phones_and_agreement_secrets(pw, batch, settings, django_capture_on_commit_callbacks):
    walk_to_approved(batch, pw, "000")
    item = batch.items.order_by("seq").first()
    type(item).objects.filter(pk=item.pk).update(phone_enc=vault().encrypt(PHONE), phone_bidx=vault().index(PHONE))
    with django_capture_on_commit_callbacks(execute=True):  # the notices are queued by a job after commit
        pay_round(batch, pw, SimOptions())
    assert SmsNotice.objects.count() == 1
    old_key = settings.YKT_DATA_KEY
    settings.YKT_DATA_KEY = NEW_KEY
    counts = key_rotate(old_key=old_key)
    assert counts["payments_smsnotice.phone_enc"] == 1 and counts["payments_bankagreement.mac_key_encrypted"] == 1
    new, old = Vault(NEW_KEY), Vault(old_key)
    assert all(assert_all_under(new, old)[k] for k in ("text", "index"))
    assert new.decrypt(SmsNotice.objects.get().phone_enc) == PHONE
    # the (policy, period, person) claims follow their items to the new blind index
    claims = list(PaymentClaim.objects.select_related("item"))
    assert len(claims) == 3 and all(c.id_bidx == c.item.id_bidx for c in claims)
    assert counts["payments_paymentclaim.id_bidx"] == 3
    agreement = BankAgreement.objects.get()
    assert agreement.payer_account == HEADER["payer_account"] and agreement.mac_key() == KEY  # core.crypto reads it
    with pytest.raises(crypto.DecryptionError):
        old.decrypt(agreement.mac_key_encrypted)
    assert base64.b64decode(new.decrypt(agreement.mac_key_encrypted)) == KEY
    state = snapshot()
    assert key_rotate(old_key=old_key) == {}
    assert snapshot() == state
