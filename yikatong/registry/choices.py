"""Status and kind vocabularies of the register, with the words townships write in their files."""
from django.db import models


class PersonStatus(models.TextChoices):
    NORMAL = "normal", "正常"
    DECEASED = "deceased", "死亡"
    MOVED_OUT = "moved_out", "迁出"
    OTHER = "other", "其他"


class AccountKind(models.TextChoices):
    SSC = "ssc", "社保卡金融账户"
    BANK_CARD = "card", "银行卡"
    PASSBOOK = "passbook", "存折"
    CORPORATE = "corporate", "对公账户"


class AccountStatus(models.TextChoices):
    ACTIVE = "active", "正常"
    UNACTIVATED = "unactivated", "未激活"
    FROZEN = "frozen", "冻结"
    LOST = "lost", "挂失"
    CLOSED = "closed", "已销户"


class EventKind(models.TextChoices):
    """Life events of a person (乡镇财政所 updates the register when they happen)."""

    MOVE_IN = "move_in", "迁入"
    MOVE_OUT = "move_out", "迁出"
    DEATH = "death", "死亡"
    ACCOUNT_CHANGE = "account_change", "账户变更"
    CARD_REISSUE = "card_reissue", "挂失补卡"
    ACCOUNT_STATUS = "account_status", "账户状态变更"
    CORRECTION = "correction", "信息更正"


class AccountEventKind(models.TextChoices):
    OPENED = "opened", "登记开户"
    STATUS = "status", "状态变更"
    CORRECTED = "corrected", "信息更正"
    CLOSED = "closed", "停用/销户"


class ImportState(models.TextChoices):
    QUEUED = "queued", "排队中"
    RUNNING = "running", "导入中"
    DONE = "done", "已导入"
    REJECTED = "rejected", "未导入（文件有错误）"
    FAILED = "failed", "失败"


class DatasetKind(models.TextChoices):
    """Reference datasets shared by other agencies (共享比对数据); columns in docs/datasets/README.md."""

    DEATHS = "deaths", "死亡人员"
    HOUSEHOLD = "household", "户籍人口"
    STATE_PAID = "state_paid", "财政供养人员"
    CADRES = "cadres", "村干部及其亲属"
    VEHICLES = "vehicles", "车辆登记"
    REAL_ESTATE = "real_estate", "不动产登记"
    BUSINESS = "business", "工商登记"
    SSC_STATUS = "ssc_status", "社保卡状态"


# Words found in township files -> values. Keys are compared after removing spaces.
PERSON_STATUS_WORDS = {
    "正常": PersonStatus.NORMAL, "在册": PersonStatus.NORMAL, "健在": PersonStatus.NORMAL, "迁入": PersonStatus.NORMAL,
    "死亡": PersonStatus.DECEASED, "已死亡": PersonStatus.DECEASED, "去世": PersonStatus.DECEASED,
    "迁出": PersonStatus.MOVED_OUT, "已迁出": PersonStatus.MOVED_OUT,
    "其他": PersonStatus.OTHER, "其它": PersonStatus.OTHER,
}
ACCOUNT_KIND_WORDS = {
    "社保卡": AccountKind.SSC, "社保卡金融账户": AccountKind.SSC, "社会保障卡": AccountKind.SSC,
    "社会保障卡金融账户": AccountKind.SSC, "银行卡": AccountKind.BANK_CARD, "借记卡": AccountKind.BANK_CARD,
    "一卡通": AccountKind.BANK_CARD, "存折": AccountKind.PASSBOOK, "对公账户": AccountKind.CORPORATE,
    "对公": AccountKind.CORPORATE, "基本户": AccountKind.CORPORATE,
}
ACCOUNT_STATUS_WORDS = {
    "正常": AccountStatus.ACTIVE, "已激活": AccountStatus.ACTIVE, "激活": AccountStatus.ACTIVE,
    "未激活": AccountStatus.UNACTIVATED, "冻结": AccountStatus.FROZEN, "已冻结": AccountStatus.FROZEN,
    "挂失": AccountStatus.LOST, "已挂失": AccountStatus.LOST, "销户": AccountStatus.CLOSED,
    "已销户": AccountStatus.CLOSED, "注销": AccountStatus.CLOSED, "已注销": AccountStatus.CLOSED,
}
INACTIVE_ACCOUNT_STATUSES = frozenset(
    {AccountStatus.UNACTIVATED, AccountStatus.FROZEN, AccountStatus.LOST, AccountStatus.CLOSED}
)


class FollowUpResult(models.TextChoices):
    """Outcome of contacting a person whose card is not usable (社保卡激活跟进)."""

    ACTIVATED = "activated", "已激活"
    PENDING = "pending", "仍未激活"
    OTHER = "other", "其他"


class AccountChangeState(models.TextChoices):
    """账户变更申请: requested by the township station, decided by a second person, applied on its date."""

    PENDING = "pending", "待审核"
    APPROVED = "approved", "已批准，待生效"
    APPLIED = "applied", "已生效"
    REFUSED = "refused", "不予批准"


# Bank reason codes (specs/bank-exchange.md) that say what state the card is in.
BANK_CODE_STATUS = {"E03": AccountStatus.CLOSED, "E04": AccountStatus.FROZEN, "E05": AccountStatus.UNACTIVATED}
