"""Refusals of monitoring reports with stable codes (messages in Chinese, looked up by code)."""
from yikatong.core.refusals import Refusal, register_messages


class ReportRefusal(Refusal):
    default_code = "REPORT_REFUSED"


register_messages({
    "REPORT_REFUSED": "操作未能完成",
    "MONITORING_NOT_IN_PROFILE": "本地流程配置“{profile}”没有规定报表“{definition}”",
    "MONITORING_ROLE_NOT_ALLOWED": "您的单位或角色不能填报“{title}”",
    "REPORT_READ_ROLE": "只有财政部门、主管部门或监督人员可以查看监测报表",
    "REPORT_PERIOD_INVALID": "报表期间无效：{period}（应为 YYYY-MM，且不晚于本月）",
    "REPORT_APPROVER_ROLE": "只有县级财政业务科室可以审核监测报表",
    "REPORT_SAME_PERSON": "报送人与审核人不能是同一人（双人复核）",
    "REPORT_LOCKED": "报表 {report} 当前为“{state}”，内容已锁定，不能修改",
    "REPORT_NOT_APPROVED": "报表 {report} 尚未审核，不能导出正式版本",
    "REPORT_REMARKS_TOO_LONG": "填报说明不能超过 2000 字",
    "WATCH_YEAR_INVALID": "年度无效：{year}（应为四位年份，如 2026）",
    "SHARED_ACCOUNT_ROLE": "只有财政部门或监督人员可以查看疑似一卡多人账户",
    "SHARED_ACCOUNT_THRESHOLD": "领取人数下限无效：{value}（应为不小于 2 的整数）",
    "SHARED_ACCOUNT_UNKNOWN": "没有找到该账户的发放明细，或不在您的查看范围内",
    "PERSON_YEAR_ROLE": "只有财政部门、主管部门或监督人员可以查询个人年度享受情况",
    "PERSON_YEAR_ID_INVALID": "请输入有效的 18 位居民身份证号码",
    "DASHBOARD_ROLE": "只有财政部门、主管部门、乡镇负责人或监督人员可以查看监管看板",
}, conflicts={"REPORT_LOCKED", "REPORT_NOT_APPROVED"})
