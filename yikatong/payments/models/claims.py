"""The (policy, period, person) slots held by approved, in-flight or paid roster items."""
from django.db import models


class PaymentClaim(models.Model):
    """The (policy, period, person) slot an approved, in-flight or paid roster item holds (DESIGN §6.2,
    issue 12): inserted set-based when finance approves a batch (payments.claims, effect
    `claim_payments`), so the database refuses a second approved item for the same person, policy and
    period whatever the order of actions. A reissued item (补发) takes over its origin's claim (`item`
    moves to it; `origin` never changes). Never deleted."""

    policy = models.ForeignKey("policies.Policy", on_delete=models.PROTECT, related_name="+", verbose_name="补贴项目")
    period = models.CharField("发放期间", max_length=10)
    id_bidx = models.CharField("对象（证件号码盲索引）", max_length=64)
    origin = models.OneToOneField("rosters.BatchItem", on_delete=models.PROTECT, related_name="+",
                                  verbose_name="原始明细")
    item = models.OneToOneField("rosters.BatchItem", on_delete=models.PROTECT, related_name="payment_claim",
                                verbose_name="占用明细")
    batch = models.ForeignKey("rosters.Batch", on_delete=models.PROTECT, related_name="+", verbose_name="占用批次")
    claimed_at = models.DateTimeField("登记时间")

    class Meta:
        verbose_name = "发放资格占用"
        constraints = [
            models.UniqueConstraint(fields=["policy", "period", "id_bidx"], name="paymentclaim_one_per_person_period"),
        ]

    def __str__(self) -> str:
        return f"{self.policy_id} {self.period} → {self.item_id}"
