"""Beneficiary base register (补贴对象基础信息库): people, households, organization payees,
accounts, their history, register imports and reference datasets of other agencies.

ID numbers, account numbers and phones are stored only as AES-GCM ciphertext (`*_enc`) plus
a keyed blind index (`*_bidx`, HMAC) for exact lookup and joins; see core/crypto.py.
"""

from .accounts import BankAccount
from .cards import AccountChangeRequest, CardFollowUp
from .events import AccountEvent, PersonEvent
from .imports import RegisterImport
from .people import Household, OrgPayee, Person
from .reference import ReferenceRecord, ReferenceSnapshot

__all__ = [
    "AccountChangeRequest", "AccountEvent", "BankAccount", "CardFollowUp", "Household", "OrgPayee", "Person", "PersonEvent",
    "ReferenceRecord", "ReferenceSnapshot", "RegisterImport",
]
