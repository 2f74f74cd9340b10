"""The disbursement cycle (DESIGN §3) as data: states and one table of transitions per profile.

A profile (core.profiles.LocalProfile) switches optional steps on; nothing here branches on a
profile code. Every transition names the roles allowed and the guards that must hold
(guards are looked up by name in rosters/guards.py).
"""
from dataclasses import dataclass

from yikatong.accounts.roles import Role
from yikatong.core.profiles import LocalProfile
from yikatong.core.statemachine import SYSTEM, Transition

from .models.batch import BatchState

R = Role
S = BatchState

__all__ = ["STATES", "SYSTEM", "State", "Transition", "transitions_for", "find", "available", "state_label"]


@dataclass(frozen=True)
class State:
    code: str
    label: str
    holders: frozenset[str]  # roles whose to-do list shows a batch in this state
    due_working_days: int | None = None  # deadline of the step, in working days from entry


def _roles(*roles) -> frozenset[str]:
    return frozenset(str(r) for r in roles)


OPERATOR = _roles(R.TOWNSHIP_OPERATOR)
FINANCE_OFFICE = _roles(R.TOWNSHIP_FINANCE)
DEPT = _roles(R.DEPT_REVIEWER, R.DEPT_HEAD)
DEPT_HEAD = _roles(R.DEPT_HEAD)
FINANCE = _roles(R.FINANCE_REVIEWER)
TREASURY = _roles(R.TREASURY)
# Steps taken by the system on a bank's answer use core.statemachine.SYSTEM: no user holds this
# role, so no screen offers them.
_HOLDERS = {
    S.DRAFT: OPERATOR, S.VERIFYING: OPERATOR, S.DRAFT_VERIFIED: OPERATOR, S.COMPARING: FINANCE_OFFICE,
    S.COMPARED: OPERATOR, S.DEPT_REVIEW: DEPT, S.NOTICE: OPERATOR, S.NOTICE_DONE: FINANCE_OFFICE,
    S.DEPT_APPROVAL: DEPT_HEAD, S.FINANCE_REVIEW: FINANCE, S.PARTLY_FAILED: OPERATOR,
}
_DUE = {S.COMPARING: 2, S.DEPT_REVIEW: 5, S.DEPT_APPROVAL: 3, S.FINANCE_REVIEW: 3}
STATES: dict[str, State] = {
    s.value: State(s.value, s.label, _HOLDERS.get(s, frozenset()), _DUE.get(s)) for s in BatchState
}


def transitions_for(profile: LocalProfile) -> list[Transition]:
    """The transition table of a profile. Order matters only for display."""
    t: list[Transition] = []
    start = "draft"
    if profile.township_verify_working_days:
        # e.g. seed 001: the township verifies applicants on site within 3 working days
        t += [
            Transition("draft", "start_verify", "verifying", OPERATOR, "提交入户核实", ("has_items",)),
            Transition("verifying", "verified", "draft_verified", OPERATOR, "核实完成"),
            Transition("verifying", "return", "draft", OPERATOR, "退回修改", needs_reason=True, is_return=True),
        ]
        start = "draft_verified"
    if profile.finance_office_compares_before_review:
        # seed 002 steps 3-4 (and 000/001/003): the township finance office compares before the department
        t += [
            Transition(start, "send_compare", "comparing", OPERATOR, "提交财政所复核比对", ("has_items",)),
            Transition("comparing", "compare_pass", "compared", FINANCE_OFFICE, "比对通过", ("compared_all",)),
            Transition("comparing", "return", "draft", FINANCE_OFFICE, "退回经办站所", needs_reason=True, is_return=True),
        ]
        start = "compared"
    t += [
        Transition(start, "submit", "dept_review", OPERATOR, "上报主管部门",
                   ("has_items", "checks_run", "reissue_matches_origin")),
        Transition("dept_review", "approve_notice", "notice", DEPT, "审核通过，组织公示", ("approver_not_maker",)),
        Transition("dept_review", "return", "draft", DEPT, "退回经办站所", needs_reason=True, is_return=True),
        Transition(
            "notice", "finish_notice",
            "notice_done" if profile.resubmit_after_notice else "dept_approval",
            OPERATOR, "公示期满，确认无异议", ("notice_recorded", "notice_long_enough", "objections_resolved"),
        ),
        Transition("notice", "return", "draft", DEPT | OPERATOR, "公示有异议，退回修改", needs_reason=True, is_return=True),
    ]
    if profile.resubmit_after_notice:
        # seed 002 step 6: after the notice the finance office imports the roster and re-submits it
        t += [
            Transition("notice_done", "resubmit", "dept_approval", FINANCE_OFFICE, "导入系统并再次上报主管部门",
                       ("notice_before_import", "compared_all", "objections_resolved", "checks_run")),
            Transition("notice_done", "return", "draft", FINANCE_OFFICE, "退回经办站所", needs_reason=True, is_return=True),
        ]
    t += [
        Transition("dept_approval", "dept_approve", "finance_review", DEPT_HEAD, "审批通过，提交财政",
                   ("approver_not_maker", "notice_before_import", "summary_attached", "objections_resolved",
                    "checks_current")),
        Transition("dept_approval", "return", "dept_review", DEPT_HEAD, "退回重审", needs_reason=True, is_return=True),
        Transition("finance_review", "finance_approve", "approved", FINANCE, "程序性复核通过",
                   ("approver_not_maker", "objections_resolved", "reissue_matches_origin", "checks_current",
                    "quota_sufficient", "policy_payable", "payment_bans"),
                   effects=("claim_payments",)),
        Transition("finance_review", "return", "dept_approval", FINANCE, "退回主管部门", needs_reason=True, is_return=True),
    ]
    # The payment leg (yikatong.payments registers these guards). A reissue batch (补发) skips the
    # notice: station corrects -> finance office re-compares -> department re-reviews -> finance re-checks.
    t += [
        Transition("dept_review", "approve_reissue", "finance_review", DEPT, "补发批次审核通过，提交财政复核",
                   ("approver_not_maker", "is_reissue", "reissue_matches_origin", "checks_current")),
        Transition("approved", "pay", "paying", TREASURY, "国库科支付（发送代发银行）",
                   ("payment_order_released", "reissue_matches_origin", "checks_current")),
        Transition("paying", "result_paid", "paid", SYSTEM, "银行回盘：全部发放成功"),
        Transition("paying", "result_partly_failed", "partly_failed", SYSTEM, "银行回盘：部分发放失败"),
        Transition("partly_failed", "close", "closed", SYSTEM, "失败明细均已补发成功或核销", ("failures_settled",)),
    ]
    return t


def state_label(code: str) -> str:
    return STATES[code].label if code in STATES else code


def due_working_days(profile: LocalProfile, code: str) -> int | None:
    """Deadline of a step in working days from entering it (profile first, then the default)."""
    if code == "verifying":
        return profile.township_verify_working_days
    return STATES[code].due_working_days if code in STATES else None


def find(profile: LocalProfile, source: str, action: str) -> Transition | None:
    for tr in transitions_for(profile):
        if tr.source == source and tr.action == action:
            return tr
    return None


def available(profile: LocalProfile, source: str) -> list[Transition]:
    return [tr for tr in transitions_for(profile) if tr.source == source]
