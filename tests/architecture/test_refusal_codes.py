"""Every user-facing refusal carries a stable code, and every code raised has its Chinese message
in the catalogue (ADR 0012). Read from the source of the production modules."""
from __future__ import annotations

import ast
import importlib
import re
import sys
from pathlib import Path

import pytest

from yikatong.core.refusals import catalogue
from yikatong.web.management.commands import errors as errors_command

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "yikatong"
# Exceptions that reach a user as a refusal (a page, a flash, a JSON answer)
REFUSING = {"PermissionDenied", "ValidationError", "Refusal", "RosterError", "TransitionRefused", "PaymentError",
            "IngestRefused", "BankFileConflict", "DisposeRefused", "Forbidden", "UploadRefused",
            "CalendarRefused", "HttpError"}
CODED_CALLS = REFUSING | {"invalid", "conflict", "Problem"}
CODE = re.compile(r"[A-Z][A-Z0-9_]+$")


def production_files() -> list[Path]:
    return [p for p in sorted(PACKAGE.rglob("*.py"))
            if errors_command.SKIP_PARTS.isdisjoint(p.relative_to(ROOT).with_suffix("").parts)]


def _name(call: ast.Call) -> str:
    func = call.func
    return func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")


def _first_text(call: ast.Call):
    args = call.args[1:] if _name(call) == "HttpError" else call.args
    return args[0] if args else None


def uncoded_refusals() -> list[str]:
    found = []
    for path in production_files():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not (isinstance(node, ast.Raise) and isinstance(node.exc, ast.Call)) or _name(node.exc) not in REFUSING:
                continue
            first = _first_text(node.exc)
            if isinstance(first, ast.Constant) and isinstance(first.value, str) and CODE.match(first.value):
                continue
            if isinstance(first, (ast.Constant, ast.JoinedStr, ast.BinOp)) or (
                    isinstance(first, ast.Call) and getattr(first.func, "attr", "") == "format"):
                found.append(f"{path.relative_to(ROOT)}:{node.lineno} {_name(node.exc)}")
    return found


def raised_codes() -> dict[str, str]:
    codes = {}
    for path in production_files():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and _name(node) in CODED_CALLS:
                first = _first_text(node)
                if isinstance(first, ast.Constant) and isinstance(first.value, str) and CODE.match(first.value):
                    codes.setdefault(first.value, f"{path.relative_to(ROOT)}:{node.lineno}")
    return codes


def test_every_user_facing_refusal_has_a_code():
    assert uncoded_refusals() == []


def test_every_raised_code_has_a_chinese_message():
    for name in errors_command.production_modules():
        importlib.import_module(name)
    known = catalogue()
    missing = {code: where for code, where in raised_codes().items() if code not in known}
    assert missing == {}


def test_the_scan_sees_a_refusal_without_code(tmp_path, monkeypatch):
    # the scan itself can fail: a raise with text and no code is reported
    fake = tmp_path / "yikatong" / "fakeapp"
    fake.mkdir(parents=True)
    (fake / "services.py").write_text('from django.core.exceptions import PermissionDenied\n'
                                      'def f():\n    raise PermissionDenied("无权操作")\n', encoding="utf-8")
    module = sys.modules[__name__]
    monkeypatch.setattr(module, "ROOT", tmp_path)
    monkeypatch.setattr(module, "PACKAGE", tmp_path / "yikatong")
    assert uncoded_refusals() == ["yikatong/fakeapp/services.py:3 PermissionDenied"]


def test_api_error_catalogue_is_up_to_date():
    """docs/api/errors.md is what `yikatong errors` prints."""
    assert (ROOT / "docs" / "api" / "errors.md").read_text(encoding="utf-8") == errors_command.render()


@pytest.mark.parametrize("code", ["FORBIDDEN", "NOT_FOUND", "INTERNAL_ERROR"])
def test_catalogue_names_the_owner_app(code):
    errors_command.render()
    owner, message = catalogue()[code]
    assert owner.startswith("yikatong.") and message
