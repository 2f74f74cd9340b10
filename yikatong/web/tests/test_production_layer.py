"""Production settings hold production apps only: no bank simulator, no demo, no synthetic data
reachable from the URLs; the demo and test settings add them (settings/demo.py)."""
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core.management import CommandError, call_command
from django.urls import resolve, reverse

from yikatong.accounts.models import User

ROOT = Path(__file__).resolve().parents[3]

PROBE = r"""
import json, sys
import django
django.setup()
from django.conf import settings
from django.urls import NoReverseMatch, Resolver404, resolve, reverse
import yikatong.urls  # everything the production URLs import
from django.core.management import CommandError, call_command
out = {"apps": settings.INSTALLED_APPS, "demo_enabled": settings.YKT_DEMO_ENABLED}
try:
    resolve("/banksim/")
    out["resolves"] = True
except Resolver404:
    out["resolves"] = False
try:
    reverse("banksim_files")
    out["reverses"] = True
except NoReverseMatch:
    out["reverses"] = False
out["loaded"] = sorted(m for m in sys.modules if m.startswith("yikatong.") and not m.startswith("yikatong.settings") and (
    m.startswith("yikatong.banksim") or m.endswith((".demo", ".synthetic"))))
if not settings.YKT_DEMO_ENABLED:
    try:
        call_command("demo", "--county", "650121")  # refused before it touches the (unmigrated) database
        out["demo"] = "ran"
    except CommandError as exc:
        out["demo"] = str(exc)
print(json.dumps(out))
"""


def _probe(tmp_path, module):
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": module, "PYTHONPATH": str(ROOT),
           "YKT_SECRET_KEY": "x" * 50, "YKT_DATA_KEY": "dGVzdC1rZXktdGVzdC1rZXktdGVzdC1rZXktdGVzdDA=",
           "DATABASE_URL": f"sqlite:///{tmp_path / 'prod.sqlite3'}", "YKT_VAR_DIR": str(tmp_path / "var")}
    done = subprocess.run([sys.executable, "-c", PROBE], env=env, cwd=ROOT, capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_production_settings_have_no_simulator_no_demo(tmp_path):
    out = _probe(tmp_path, "yikatong.settings.production")
    assert "yikatong.banksim" not in out["apps"]
    assert out["demo_enabled"] is False
    assert out["resolves"] is False and out["reverses"] is False
    assert out["loaded"] == []  # the production URLs import no simulator, demo builder or synthetic data
    assert "DEMO_DISABLED" in out["demo"]


def test_default_settings_keep_the_simulator_for_make_run(tmp_path):
    out = _probe(tmp_path, "yikatong.settings")
    assert "yikatong.banksim" in out["apps"] and out["demo_enabled"] is True
    assert out["resolves"] is True and out["reverses"] is True


def test_test_settings_include_the_simulator():
    assert "yikatong.banksim" in django_settings.INSTALLED_APPS
    assert resolve(reverse("banksim_files")).url_name == "banksim_files"


@pytest.mark.django_db
def test_demo_refuses_when_demo_is_disabled(settings):
    settings.YKT_DEMO_ENABLED = False
    with pytest.raises(CommandError, match="DEMO_DISABLED"):
        call_command("demo", "--county", "650121", "--size", "100")
    assert not User.objects.exists()
