from yikatong.core.refusals import Refusal, register_messages


class RosterError(Refusal):
    """A refused roster operation; `code` is stable, the message is Chinese and names the batch/row."""

    default_code = "ROSTER_REFUSED"


class TransitionRefused(RosterError):
    default_code = "TRANSITION_REFUSED"


# codes of the batch API's own input checks (rosters.api); REGION_UNKNOWN is the register's (registry.errors)
register_messages({
    "POLICY_UNKNOWN": "补贴项目“{policy}”在 {year} 年本地区已公布的目录中不存在或不可发放",
})
