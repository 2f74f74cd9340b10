"""Enumerations of the policy catalogue (补贴政策清单)."""
from django.db import models


class Frequency(models.TextChoices):
    MONTHLY = "monthly", "按月"
    QUARTERLY = "quarterly", "按季"
    YEARLY = "yearly", "按年"
    ONE_OFF = "one_off", "一次性"


class Unit(models.TextChoices):
    PERSON = "person", "人"
    HOUSEHOLD = "household", "户"
    MU = "mu", "亩"
    HEAD = "head", "头"


class Disburser(models.TextChoices):
    DEPARTMENT = "department", "主管部门发放"
    TOWNSHIP = "township", "乡镇发放"


class Carrier(models.TextChoices):
    SOCIAL_SECURITY_CARD = "sscard", "社会保障卡"
    ORG_ACCOUNT = "org_account", "单位对公账户"


class Intake(models.TextChoices):
    """How beneficiaries enter a roster: typed/imported by the township, or by application (申请) at the
    village, reviewed by the village, verified by the township and approved by the department."""

    ROSTER = "roster", "乡镇编制清册"
    APPLICATION = "application", "个人申请、逐级审核"


class TargetGroup(models.TextChoices):
    FARMER = "farmer", "农民/耕地承包者"
    ELDERLY = "elderly", "老年人"
    DISABLED = "disabled", "残疾人"
    LOW_INCOME = "low_income", "困难群众"
    VETERAN = "veteran", "优抚对象"
    FAMILY_PLANNING = "family_planning", "计划生育家庭"
    FOREST_GRASS = "forest_grass", "林农/牧民"
    CHILD = "child", "儿童"
    HOUSING = "housing", "住房困难户"
    OTHER = "other", "其他"


class Line(models.TextChoices):
    """业务条线: which kind of line department owns the policy at every level.

    The keys match the line departments of accounts/demo.py (organization code f"{county}-{KEY}")."""

    MZ = "mz", "民政"
    NYNC = "nync", "农业农村"
    RS = "rs", "人力资源和社会保障"
    WJ = "wj", "卫生健康"
    CL = "cl", "残联"
    TYJR = "tyjr", "退役军人事务"
    LC = "lc", "林业和草原"
    ZJ = "zj", "住房和城乡建设"
    OTHER = "other", "其他"


FUND_SOURCES = (
    ("share_central_bp", "中央"),
    ("share_province_bp", "省级"),
    ("share_prefecture_bp", "市(州)级"),
    ("share_county_bp", "县级"),
)
FULL_SHARE_BP = 10000  # 100.00 %
