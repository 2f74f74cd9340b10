from yikatong.core.refusals import Refusal


class RosterError(Refusal):
    """A refused roster operation; `code` is stable, the message is Chinese and names the batch/row."""

    default_code = "ROSTER_REFUSED"


class TransitionRefused(RosterError):
    default_code = "TRANSITION_REFUSED"
