"""Masking of personal data for screens, logs, audit trails and public pages."""
import re

_DIGITS = re.compile(r"\D")


def mask_id_number(value: str | None) -> str:
    """14102419900101123X -> 1410**********123X (keep 4 first, 4 last)."""
    if not value:
        return ""
    v = str(value).strip().upper()
    if len(v) <= 8:
        return "*" * len(v)
    return v[:4] + "*" * (len(v) - 8) + v[-4:]


def mask_card(value: str | None) -> str:
    """6228480012345671234 -> 6228 **** **** 1234."""
    if not value:
        return ""
    v = _DIGITS.sub("", str(value))
    if len(v) <= 8:
        return "*" * len(v)
    return f"{v[:4]} **** **** {v[-4:]}"


def mask_phone(value: str | None) -> str:
    """13812345678 -> 138****5678; landlines keep their last 4 digits."""
    if not value:
        return ""
    v = re.sub(r"[\s-]", "", str(value))
    if len(v) == 11 and v.startswith("1"):
        return v[:3] + "****" + v[-4:]
    if len(v) <= 4:
        return "*" * len(v)
    return "*" * (len(v) - 4) + v[-4:]


def mask_name(value: str | None) -> str:
    """张三 -> 张*, 欧阳娜娜 -> 欧阳**; two-character compound surnames are kept."""
    if not value:
        return ""
    v = str(value).strip()
    if len(v) <= 1:
        return v
    keep = 2 if len(v) >= 3 and v[:2] in COMPOUND_SURNAMES else 1
    return v[:keep] + "*" * (len(v) - keep)


COMPOUND_SURNAMES = frozenset(
    "欧阳 太史 端木 上官 司马 东方 独孤 南宫 万俟 闻人 夏侯 诸葛 尉迟 公羊 赫连 澹台 皇甫 宗政 濮阳 公冶 "
    "太叔 申屠 公孙 慕容 仲孙 钟离 长孙 宇文 司徒 鲜于 司空 闾丘 子车 亓官 司寇 巫马 公西 颛孙 壤驷 公良 "
    "漆雕 乐正 宰父 谷梁 拓跋 夹谷 轩辕 令狐 段干 百里 呼延 东郭 南门 羊舌 微生 公户 公玉 公仪 梁丘 公仲 "
    "公上 公门 公山 公坚 左丘 公伯 西门 公祖 第五 公乘 贯丘 公皙 南荣 东里 东宫 仲长 子书 子桑 即墨 达奚 "
    "褚师 吴铭".split()
)

# Keys whose values are personal data wherever they appear in a dict (audit before/after, logs).
PERSONAL_KEYS = {
    "id_number": mask_id_number,
    "id_no": mask_id_number,
    "account_no": mask_card,
    "account_number": mask_card,
    "card_no": mask_card,
    "phone": mask_phone,
    "mobile": mask_phone,
}


def mask_personal(data):
    """Return a copy of a JSON-like structure with personal values masked by key."""
    if isinstance(data, dict):
        out = {}
        for k, v in data.items():
            masker = PERSONAL_KEYS.get(str(k))
            if masker and isinstance(v, str):
                out[k] = masker(v)
            elif str(k) in ("password", "totp_secret", "token", "secret"):
                out[k] = "***"
            else:
                out[k] = mask_personal(v)
        return out
    if isinstance(data, list):
        return [mask_personal(v) for v in data]
    return data
