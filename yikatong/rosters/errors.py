class RosterError(Exception):
    """A refused roster operation; the message is Chinese and names the batch/row."""


class TransitionRefused(RosterError):
    pass
