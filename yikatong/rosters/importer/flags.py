"""Check flags of an item computed from its plaintext at write time, so that the cross-checks
(checks/rules.py), which only see ciphertext and blind indexes, can test them in SQL."""
import datetime as dt

from yikatong.core.identifiers import IdentifierError, parse_id_number, validate_account_number, validate_uscc


def id_flags(id_number: str, *, is_org: bool) -> tuple[bool, dt.date | None]:
    """(the ID number / USCC is valid, birth date read from a resident ID number or None)."""
    try:
        if is_org:
            validate_uscc(id_number)
            return True, None
        return True, parse_id_number(id_number).birth_date
    except IdentifierError:
        return False, None


def account_valid(account_no: str, *, is_org: bool) -> bool:
    """A person's account is a card (16-19 digits, Luhn); an organisation's is exempt from Luhn."""
    try:
        validate_account_number(account_no, card=not is_org)
    except IdentifierError:
        return False
    return True
