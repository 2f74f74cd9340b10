"""A failed line's person whose account was changed through an approved, effective account change
request (registry 账户变更申请) is reissued to the new current account — never to one a pending or
not-yet-effective request names (registry.change_selectors reads only applied changes).
An explicit account correction of the line wins. A payee fix of a rejected file asks for the same account
with {"use_register_account": true} (payments.rejections)."""
from __future__ import annotations

from yikatong.core.crypto import vault
from yikatong.core.masking import mask_card
from yikatong.registry.change_selectors import accounts_from_applied_changes


def use_changed_accounts(lines, corrected: dict[str, tuple[dict, list[str]]]) -> None:
    """Update `corrected` (item_ref -> (fields, changed)) in place for lines without an account correction."""
    todo = [line for line in lines if "account" not in corrected[line.item_ref][1] and line.batch_item.person_id]
    accounts = accounts_from_applied_changes(line.batch_item.person_id for line in todo)
    v = vault()
    for line in todo:
        account = accounts.get(line.batch_item.person_id)
        if account is None or account.number_bidx == line.batch_item.account_bidx:
            continue
        number = v.decrypt(account.number_enc)
        fields, changed = corrected[line.item_ref]
        fields.update(account_enc=v.encrypt(number), account_bidx=account.number_bidx, account_masked=mask_card(number),
                      account_valid=True)
        if account.bank and "bank_name" not in changed:
            fields["bank_name"] = account.bank[:60]
            changed.append("bank_name")
        if account.holder_name and "account_holder" not in changed:
            fields["account_holder"] = account.holder_name
            changed.append("account_holder")
        changed.append("account")


def changed_account_correction(item) -> dict | None:
    """The payee correction {account, bank_name, account_holder} that pays a roster item into the account an
    applied change made current, or None when its person has none (or it is the item's account already)."""
    account = accounts_from_applied_changes([item.person_id]).get(item.person_id) if item.person_id else None
    if account is None or account.number_bidx == item.account_bidx:
        return None
    change = {"account": vault().decrypt(account.number_enc)}
    if account.bank:
        change["bank_name"] = account.bank
    if account.holder_name:
        change["account_holder"] = account.holder_name
    return change
