"""Every column that depends on the data key is declared in its app's pii_columns.py."""
import re

from django.apps import apps

from yikatong.core.keyed import Bytes, Index, Mapped, Text, declared

KEYED_NAME = re.compile(r"(_enc|_encrypted|_bidx)$")


def test_every_encrypted_or_indexed_column_is_declared():
    names = {label: {c.column for c in cols} for label, cols in declared().items()}
    missing = [f"{m._meta.label}.{f.name}" for m in apps.get_models() for f in m._meta.concrete_fields
               if KEYED_NAME.search(f.name) and f.name not in names.get(m._meta.label, set())]
    assert not missing, f"declare these in the app's pii_columns.py (core/keyed.py): {missing}"


def test_declarations_name_real_columns_and_their_plaintext():
    for label, cols in declared().items():
        model = apps.get_model(label)
        texts = {c.column for c in cols if isinstance(c, Text)}
        for c in cols:
            model._meta.get_field(c.column)  # raises FieldDoesNotExist
            if isinstance(c, Index):
                assert c.of in texts, f"{label}.{c.column}: {c.of} is not a declared Text column"
            if isinstance(c, (Index, Mapped)):
                assert c.fn in ("index", "id_index", "id_mask_index")
            if isinstance(c, Bytes):
                assert c.purpose


def test_the_known_tables_are_covered():
    d = declared()
    for label in ("registry.Person", "rosters.BatchItem", "rosters.ImportRun", "checks.Finding",
                  "checks.FindingEvidence", "payments.SmsNotice", "payments.BankAgreement", "accounts.User"):
        assert label in d
    assert {c.column for c in d["rosters.BatchItem"]} >= {"id_bidx", "phone_bidx", "account_bidx", "phone_enc"}
