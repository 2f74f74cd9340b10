"""Local profiles (DESIGN §4): the five seed documents as data, one chosen per deployment.

A profile is a settings object, never a code branch: services read parameters from
`current_profile()`. Fields not stated by a seed are None (the step does not apply).
"""
from dataclasses import dataclass, field

from django.conf import settings


@dataclass(frozen=True)
class Approver:
    """One step of an approval chain: who (role at a region level) and what they are called."""

    level: int  # region level of the approver: 1 province, 2 prefecture, 3 county
    org_kind: str  # accounts.OrgKind value
    label: str


@dataclass(frozen=True)
class ReportSpec:
    """A monitoring report (监测报表) a profile asks for, as data: who fills it, by which day, for whom.

    The report of month M is due on `due_day` of month M + `due_month_offset` (the month's last day if
    shorter), moved to the next working day of the calendar when that day is a rest day. `level` is
    "department" (each line department reports its own policies; the county finance bureau approves) or
    "county" (the finance bureau reports the whole county; a second finance reviewer approves and the
    approved version is exported for `next_level`, which is outside the county install)."""

    code: str
    title: str
    level: str  # "department" | "county"
    due_day: int
    due_month_offset: int = 0
    next_level: str = ""


REPORT_001_MONTHLY = ReportSpec("001_monthly", "惠民惠农补贴资金月监测表", "county", 25, 0, "州级联席会议办公室")
REPORT_003_DEPARTMENT = ReportSpec("003_department_monthly", "补贴资金发放情况月报（主管部门）", "department", 28, 0,
                                   "区(县)财政局")
REPORT_003_COUNTY = ReportSpec("003_county_monthly", "补贴资金发放情况月报（区县）", "county", 5, 1, "市财政局")


@dataclass(frozen=True)
class LocalProfile:
    code: str
    name: str
    seed: str
    # notices (公示)
    notice_min_working_days: int | None
    notice_before_import: bool = False
    notice_read_at_assembly: bool = False  # the list is also read out at villagers' assemblies
    # levels that must each hold a notice before approval (seed 000: the village notice of the
    # applicants and the township notice of the reviewed roster, ≥ N working days each); empty: one
    # notice at either level suffices
    notice_levels: tuple[str, ...] = ()
    post_payment_notice_working_days: int | None = None
    # 发放结果公开: the result list goes online within this many working days after the bank's answer (seed 001:
    # 发放后5个工作日内通过政府网站公示); on the last day the daily job publishes a list still unpublished. None: no
    # deadline stated, the 政务公开管理员 publishes by hand
    results_publish_working_days: int | None = None
    # 四公开 (seed 004): the notice also states the policy basis and the standard, not only recipients and amounts
    notice_four_public: bool = False
    # bank
    bank_pay_within_working_days: int | None = None
    bank_report_within_days: int | None = None
    failed_funds_return_working_days: int | None = None  # from the result file's arrival
    bank_service_survey: bool = False  # seed 003: a yearly survey of each agent bank's service (满意度调查)
    # funds (资金指标)
    quota_direct_days: int | None = None  # calendar days to pass down funds assigned per county
    quota_other_days: int | None = None  # calendar days otherwise
    quota_working_days_per_level: int | None = None
    # policy catalogue (补贴政策清单): (month, day) deadlines
    catalogue_filing_deadline: tuple[int, int] | None = None  # 备案 by, in the year before
    catalogue_publish_deadline: tuple[int, int] | None = None  # 公布 by, in the catalogue year
    change_request_chain: tuple[Approver, ...] = ()
    # monitoring reports (reports app): seed 001 §六(二) 月监测表 by the 25th; seed 003 §五(一) departments to
    # the county finance bureau on the 28th, the county to the city by the 5th; empty: no report
    monitoring_reports: tuple[ReportSpec, ...] = ()
    # flow specifics
    finance_office_compares_before_review: bool = True
    township_verify_working_days: int | None = None
    resubmit_after_notice: bool = False
    three_party_agreement: bool = False
    year_end_clearing: bool = False
    bans: tuple[str, ...] = ()
    # complaints/reports/questions (投诉举报咨询): working days to answer before the daily scan escalates one
    # level up; no seed states it, 15 follows the usual 信访 reply period
    complaint_reply_working_days: int = 15
    # self-query (本人发放查询): after the ID number and name, a 6-digit code is sent by SMS to the registered
    # phone and the answer is shown only for the right code. No seed asks for it (000 offers the query by ID
    # number and name, or QR code), so it is off in every profile; a deployment turns it on here.
    self_query_sms_code: bool = False
    # 抽查 of monthly payments each quarter (seed 003: 按月发放的补贴资金，原则上实行每季度核查核对一次): the share of
    # last quarter's monthly items the scheduled plan samples per county (at least 10, at most all). None: no
    # scheduled plan. The seed gives no rate; 2% is the house's default
    quarterly_inspection_rate: float | None = None
    # accountability (追回/问责, issue 16 §4): working days a debtor has to repay an improper payment once the
    # recovery is opened (no seed states a period; 20 working days is the house default), and whether concluded
    # cases (handled recoveries and clues, names masked) are published for the public (no seed asks for it)
    recovery_due_working_days: int = 20
    publish_handled_cases: bool = False
    notes: tuple[str, ...] = field(default_factory=tuple)


_CHAIN_001 = (
    Approver(3, "line_department", "县级补贴项目主管部门"),
    Approver(2, "township", "州（市）人民政府"),  # government approval at prefecture level
    Approver(1, "line_department", "省级主管部门"),
    Approver(1, "finance_bureau", "省财政厅"),
)
_CHAIN_DEFAULT = (
    Approver(3, "line_department", "县级补贴项目主管部门"),
    Approver(3, "finance_bureau", "县财政局"),
)

PROFILES: dict[str, LocalProfile] = {
    "000": LocalProfile(
        code="000", name="新疆维吾尔自治区（通用流程）", seed="000",
        notice_min_working_days=5, notice_levels=("village", "township"), bank_pay_within_working_days=3,
        bank_report_within_days=2, post_payment_notice_working_days=None, finance_office_compares_before_review=True,
        change_request_chain=_CHAIN_DEFAULT,
        notes=("失败资金原渠道退回", "发放后在乡镇及网上公示"),
    ),
    "001": LocalProfile(
        code="001", name="云南省楚雄州", seed="001",
        notice_min_working_days=3, bank_pay_within_working_days=2, failed_funds_return_working_days=1,
        post_payment_notice_working_days=5, results_publish_working_days=5, quota_direct_days=15, quota_other_days=30,
        catalogue_filing_deadline=(12, 20), change_request_chain=_CHAIN_001,
        monitoring_reports=(REPORT_001_MONTHLY,), township_verify_working_days=3,
    ),
    "002": LocalProfile(
        code="002", name="辽宁省海城市", seed="002",
        notice_min_working_days=None, notice_before_import=True, finance_office_compares_before_review=True,
        resubmit_after_notice=True, change_request_chain=_CHAIN_DEFAULT,
        notes=("12步发放流程", "5步错误数据更正流程"),
    ),
    "003": LocalProfile(
        code="003", name="新疆乌鲁木齐市", seed="003",
        notice_min_working_days=5, bank_pay_within_working_days=3, bank_report_within_days=1,
        quota_working_days_per_level=3, three_party_agreement=True,
        monitoring_reports=(REPORT_003_DEPARTMENT, REPORT_003_COUNTY),
        notice_read_at_assembly=True, bank_service_survey=True, quarterly_inspection_rate=0.02,
        change_request_chain=_CHAIN_DEFAULT,
        notes=("公示并在群众大会上宣读", "按季度检查按月发放项目", "每年开展代发银行满意度调查"),
    ),
    "004": LocalProfile(
        code="004", name="山西省洪洞县", seed="004",
        notice_min_working_days=5, catalogue_publish_deadline=(3, 31), year_end_clearing=True, notice_four_public=True,
        bans=("cash", "others_account", "transfer_to_township"), change_request_chain=_CHAIN_DEFAULT,
        notes=("四公开", "年底清算，结余资金收回"),
    ),
}


def get_profile(code: str) -> LocalProfile:
    try:
        return PROFILES[code]
    except KeyError:
        raise ValueError(f"未知的地方配置：{code}（可选 {'、'.join(sorted(PROFILES))}）") from None


def current_profile() -> LocalProfile:
    return get_profile(settings.YKT_PROFILE)
