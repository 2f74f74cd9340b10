"""The audit trail as core sees it. Core is the lowest layer and audit sits above it (audit masks
payloads with core.masking), so core's own writes (the holiday calendar) cannot import
audit.services; audit plugs its `record` in here at start-up (AuditConfig.ready). Every other app
calls yikatong.audit.services.record directly."""

_recorder = None


def register_recorder(recorder) -> None:
    global _recorder
    _recorder = recorder


def record(**kwargs):
    """audit.services.record(**kwargs); refuses to write unaudited if audit never plugged in."""
    if _recorder is None:
        raise RuntimeError("core.audit_hook: no audit recorder registered (is yikatong.audit installed?)")
    return _recorder(**kwargs)
