"""Roles of DESIGN §1. Each user holds one or more; scope is the organization's region subtree."""
from django.db import models


class Role(models.TextChoices):
    VILLAGE_CLERK = "village_clerk", "村(社区)经办"
    TOWNSHIP_OPERATOR = "township_operator", "乡镇经办站所"
    TOWNSHIP_FINANCE = "township_finance", "乡镇财政所"
    TOWNSHIP_HEAD = "township_head", "乡镇负责人"
    DEPT_REVIEWER = "dept_reviewer", "主管部门审核员"
    DEPT_HEAD = "dept_head", "主管部门负责人"
    FINANCE_REVIEWER = "finance_reviewer", "财政业务科室"
    TREASURY = "treasury", "国库科"
    BANK = "bank", "代发金融机构"
    SUPERVISOR = "supervisor", "审计/纪检/监管"
    DISCLOSURE_ADMIN = "disclosure_admin", "政务公开管理员"
    SYSADMIN = "sysadmin", "系统管理员"


# Roles that approve money or rosters: production settings require TOTP two-factor for them.
APPROVING_ROLES = frozenset(
    {Role.TOWNSHIP_HEAD, Role.DEPT_HEAD, Role.FINANCE_REVIEWER, Role.TREASURY, Role.SYSADMIN}
)
# Roles that may read across their whole region without changing anything.
READ_ONLY_ROLES = frozenset({Role.SUPERVISOR})
