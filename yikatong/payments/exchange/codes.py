"""Code tables of the YKT1 contract (specs/bank-exchange.md): item reasons, file rejections, ID types.

`meaning` and `meaning_en` / `fix_en` are the spec table's words exactly; `fix` is the
Chinese wording of the usual fix shown to operators.
"""
from dataclasses import dataclass

__all__ = ["ReasonCode", "REASON_CODES", "REJECTION_CODES", "ID_TYPES", "ID_CARD", "USCC"]


@dataclass(frozen=True)
class ReasonCode:
    code: str
    meaning: str
    meaning_en: str
    fix: str
    fix_en: str


def _table(*rows: ReasonCode) -> dict[str, ReasonCode]:
    return {row.code: row for row in rows}


REASON_CODES: dict[str, ReasonCode] = _table(
    ReasonCode("E01", "账户不存在", "account does not exist", "更正账号", "correct the account number"),
    ReasonCode("E02", "户名不符", "name does not match the account", "更正户名或账号", "correct name or account"),
    ReasonCode("E03", "账户已销户", "account closed", "更换新账户", "new account"),
    ReasonCode("E04", "账户冻结 / 只进不出", "frozen", "更换新账户或等待解冻", "new account or wait"),
    ReasonCode("E05", "社保卡金融功能未激活", "card not activated", "补贴对象激活后重新发放",
               "beneficiary activates; pay again"),
    ReasonCode("E06", "证件号码不符", "ID number does not match the account", "更正证件号码", "correct"),
    ReasonCode("E07", "账户状态异常 / 介质状态异常", "other account state", "与代发银行核实", "check with bank"),
    ReasonCode("E08", "重复明细", "duplicate item in this or an earlier file", "核查原因，不得再次发放",
               "investigate, do not pay again"),
    ReasonCode("E99", "其他", "other (text says)", "与代发银行核实（见失败说明）", "check with bank"),
)

# File-level rejection codes (X file): code -> (Chinese meaning, spec wording).
REJECTION_CODES: dict[str, tuple[str, str]] = {
    "F01": ("汇总笔数或金额与明细不符", "totals do not match"),
    "F02": ("MAC 校验失败", "MAC wrong"),
    "F03": ("批次号已接收过", "batch number already received"),
    "F04": ("文件格式错误", "malformed line"),
    "F05": ("业务日期不是当天", "business date not today"),
}

ID_CARD = "01"
USCC = "02"
ID_TYPES = {ID_CARD: "居民身份证", USCC: "统一社会信用代码"}
