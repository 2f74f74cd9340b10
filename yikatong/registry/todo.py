"""To-do entries of the register: unusable social-security cards of the township before payment, and
account change requests waiting for a second person's decision."""
from django.urls import reverse

from yikatong.web.todo import TodoItem, register

from . import card_selectors, change_selectors
from .permissions import CARD_FOLLOWUP_ROLES


@register
def cards_to_follow(user):
    """Township (and village) users who notify people: how many cards of their area are not usable."""
    region = getattr(user, "region", None)
    if not user.has_role(*CARD_FOLLOWUP_ROLES) or region is None or region.level < 4:
        return
    n = card_selectors.card_count(user)
    if n:
        yield TodoItem(title=f"社保卡未激活、冻结、挂失或销户：{n} 人，请在发放前通知激活或办理账户变更",
                       url=reverse("registry_cards"), category="社保卡")


@register
def account_changes_to_decide(user):
    n = change_selectors.changes_to_decide(user).count()
    if n:
        yield TodoItem(title=f"待审核账户变更申请：{n} 条", url=reverse("registry_account_changes"), category="社保卡")
