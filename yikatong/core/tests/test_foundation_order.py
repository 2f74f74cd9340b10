"""Issue 19: the foundation apps form one strict order, lowest first, and each imports only apps
below it. Reverse needs go through hooks in the lower app (core.audit_hook, core.holiday_access),
plugged in by the upper app at start-up; these tests read the imports and prove the plugs are in."""
import ast
import datetime
from pathlib import Path

import pytest

from yikatong.accounts.scope import is_system_wide_admin
from yikatong.audit.models import AuditEvent
from yikatong.audit.services import record as audit_record
from yikatong.core import audit_hook, holiday_access
from yikatong.core.services import holiday_set

ORDER = ["core", "audit", "regions", "accounts", "jobs", "web"]
PACKAGE = Path(__file__).resolve().parents[2]


def _imported_apps(app: str) -> dict[str, str]:
    """{other yikatong app: 'file:line'} for every import in the app's code (tests and migrations
    left out; function-local imports included)."""
    found = {}
    for f in sorted((PACKAGE / app).rglob("*.py")):
        rel = f.relative_to(PACKAGE).parts
        if "tests" in rel or "migrations" in rel or rel[-1].startswith("test"):
            continue
        for node in ast.walk(ast.parse(f.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                mods = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module and node.level in (0, 2):
                mods = [node.module if node.level == 0 else f"yikatong.{node.module}"]
            else:
                continue
            for m in mods:
                parts = m.split(".")
                if parts[0] == "yikatong" and len(parts) > 1 and parts[1] != app and (PACKAGE / parts[1]).is_dir():
                    found.setdefault(parts[1], f"{'/'.join(rel)}:{node.lineno}")
    return found


@pytest.mark.parametrize("app", ORDER)
def test_foundation_app_imports_only_lower_foundation_apps(app):
    allowed = set(ORDER[: ORDER.index(app)]) | {"settings"}
    wrong = {other: where for other, where in _imported_apps(app).items() if other not in allowed}
    assert wrong == {}


def test_the_reader_sees_an_upward_import():
    """The check above can fail: web imports accounts, audit and jobs."""
    assert {"accounts", "audit", "jobs"} <= set(_imported_apps("web"))


def test_upper_apps_plug_their_hooks_into_core_at_start_up():
    assert audit_hook._recorder is audit_record
    assert holiday_access._system_admin_check is is_system_wide_admin


@pytest.mark.django_db
def test_core_writes_reach_the_audit_trail_through_the_hook():
    holiday_set(actor=None, date=datetime.date(2099, 5, 6), is_workday=False, name="测试")
    event = AuditEvent.objects.get(action="core.holiday.set")
    assert event.after == {"date": "2099-05-06", "is_workday": False, "name": "测试"}


def test_unplugged_hooks_fail_closed(monkeypatch, django_user_model):
    admin = django_user_model(username="a", is_superuser=True)  # unsaved: authenticated, no organization
    assert holiday_access.can_edit_calendar(admin) is True
    monkeypatch.setattr(audit_hook, "_recorder", None)
    with pytest.raises(RuntimeError):
        audit_hook.record(actor=None, action="x")
    monkeypatch.setattr(holiday_access, "_system_admin_check", None)
    assert holiday_access.can_edit_calendar(admin) is False
