"""Users administered without a shell (issue 17): `yikatong users import FILE.xlsx` (all or nothing,
errors name rows) and `yikatong users deactivate USERNAME`; the same import on the users page (with
its template); and the API: GET/POST /api/accounts/users, POST /api/accounts/users/{id} — only a
system admin, only within their region."""
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command

from tests.support.env import as_user
from yikatong.accounts.models import ApiToken, User
from yikatong.accounts.roles import Role
from yikatong.accounts.tokens import issue_api_token
from yikatong.audit.models import AuditEvent
from yikatong.core.crypto import vault
from yikatong.core.xlsx import write_xlsx

pytestmark = pytest.mark.django_db
HEADERS = ("用户名", "姓名", "角色", "区划代码", "政策代码", "手机")
TOWN1, OTHER = "141024100000", "140702000000"


def _xlsx(rows) -> bytes:
    return write_xlsx(HEADERS, rows, title="洪洞县用户", text_columns=range(6))


def _users(*args) -> str:
    out = io.StringIO()
    call_command("users", *args, stdout=out)
    return out.getvalue()


GOOD = [("czs1", "王财", "乡镇财政所", TOWN1, "", "13800138000"),
        ("fin9", "李审", "finance_reviewer", "141024", "", ""),
        ("cun9", "赵村", "村(社区)经办", "141024100001", "", "")]


def test_cli_import_creates_every_user_with_role_region_and_masked_phone(regions, tmp_path):
    path = tmp_path / "users.xlsx"
    path.write_bytes(_xlsx(GOOD))
    out = _users("import", str(path))
    assert "已导入 3 个用户" in out and out.count("初始密码") == 3
    czs = User.objects.get(username="czs1")
    assert czs.role_set == {Role.TOWNSHIP_FINANCE} and czs.organization.region_id == TOWN1
    assert czs.full_name == "王财" and czs.must_change_password
    assert czs.phone_masked == "138****8000" and vault().decrypt(czs.phone_enc) == "13800138000"
    assert "13800138000" not in str(list(AuditEvent.objects.values_list("after", flat=True)))
    assert User.objects.get(username="fin9").role_set == {Role.FINANCE_REVIEWER}
    assert AuditEvent.objects.filter(action="accounts.users_import").count() == 1


def test_cli_import_is_all_or_nothing_and_names_the_rows(regions, tmp_path):
    path = tmp_path / "users.xlsx"
    path.write_bytes(_xlsx([*GOOD, ("bad1", "错角色", "厨师", TOWN1, "", ""),
                            ("bad2", "错区划", "乡镇财政所", "999999100000", "", ""),
                            ("czs1", "重复", "乡镇财政所", TOWN1, "", "")]))
    with pytest.raises(CommandError) as refused:
        _users("import", str(path))
    text = str(refused.value)
    assert "第6行" in text and "厨师" in text and "第8行" in text  # title line 1, header line 2, rows from 3
    assert "第7行" in text and "999999100000" in text  # refused by the provisioning: reported all the same
    assert not User.objects.filter(username__in=["czs1", "fin9", "cun9", "bad1", "bad2"]).exists()
    path.write_bytes(_xlsx([*GOOD[:2], ("bad2", "错区划", "乡镇财政所", "999999100000", "", "")]))
    with pytest.raises(CommandError) as refused:
        _users("import", str(path))
    assert "第5行" in str(refused.value) and "999999100000" in str(refused.value)
    assert not User.objects.filter(username__in=["czs1", "fin9"]).exists()  # the good rows rolled back too


def test_cli_deactivate(make_user):
    user = make_user("leaver", Role.FINANCE_REVIEWER)
    issue_api_token(user=user, name="t")
    assert "已停用" in _users("deactivate", "leaver")
    user.refresh_from_db()
    assert not user.is_active and not ApiToken.objects.filter(user=user, revoked_at__isnull=True).exists()
    with pytest.raises(CommandError, match="不存在"):
        _users("deactivate", "nobody")


# --- API ------------------------------------------------------------------------------------------

@pytest.fixture
def admins(make_user, regions):
    return {"admin": make_user("county_admin", Role.SYSADMIN),
            "other": make_user("other_admin", Role.SYSADMIN, region=regions["other_county"]),
            "auditor": make_user("county_auditor", Role.SUPERVISOR),
            "clerk": make_user("county_clerk", Role.FINANCE_REVIEWER)}


def _auth(user) -> dict:
    return {"HTTP_AUTHORIZATION": f"Bearer {issue_api_token(user=user, name='t')}"}


def _post(client, url, user, body):
    return client.post(url, data=body, content_type="application/json", **_auth(user))


def test_api_lists_users_of_the_admins_region_only(client, admins):
    seen = client.get("/api/accounts/users", **_auth(admins["admin"]))
    assert seen.status_code == 200
    names = {u["username"] for u in seen.json()}
    assert {"county_admin", "county_auditor", "county_clerk"} <= names and "other_admin" not in names
    assert client.get("/api/accounts/users", **_auth(admins["clerk"])).json() == []


def test_api_creates_then_changes_a_user(client, admins):
    made = _post(client, "/api/accounts/users", admins["admin"],
                 {"username": "czs7", "role": "township_finance", "region_code": TOWN1, "full_name": "钱出纳",
                  "phone": "13912345678"})
    assert made.status_code == 200, made.content
    body = made.json()
    assert body["initial_password"] and body["phone"] == "139****5678" and body["roles"] == ["township_finance"]
    assert body["organization"]["region_code"] == TOWN1
    user = User.objects.get(username="czs7")
    assert user.check_password(body["initial_password"])
    User.objects.filter(pk=user.pk).update(totp_enabled=True, totp_secret="x")
    changed = _post(client, f"/api/accounts/users/{user.pk}", admins["admin"],
                    {"roles": ["township_finance", "township_head"], "reset_second_factor": True})
    assert changed.status_code == 200, changed.content
    assert changed.json()["roles"] == ["township_finance", "township_head"] and not changed.json()["totp_enabled"]
    off = _post(client, f"/api/accounts/users/{user.pk}", admins["admin"], {"active": False})
    assert off.json()["active"] is False
    on = _post(client, f"/api/accounts/users/{user.pk}", admins["admin"], {"active": True})
    assert on.json()["active"] is True
    actions = set(AuditEvent.objects.filter(object_id=str(user.pk)).values_list("action", flat=True))
    assert {"accounts.user_create", "accounts.user_update", "accounts.totp_reset", "accounts.deactivate"} <= actions
    again = _post(client, "/api/accounts/users", admins["admin"],  # "like users add": an update, no new password
                  {"username": "czs7", "role": "township_finance", "region_code": TOWN1})
    assert again.status_code == 200 and again.json()["initial_password"] is None


def test_api_scope_and_role_refusals_carry_codes(client, admins, regions):
    target = admins["clerk"]
    other = _post(client, f"/api/accounts/users/{target.pk}", admins["other"], {"active": False})
    assert other.status_code == 404 and other.json()["code"] == "NOT_FOUND"
    auditor = _post(client, f"/api/accounts/users/{target.pk}", admins["auditor"], {"active": False})
    assert auditor.status_code == 403 and auditor.json()["code"] == "USER_ADMIN_ONLY"
    outside = _post(client, "/api/accounts/users", admins["admin"],
                    {"username": "x1", "role": "finance_reviewer", "region_code": OTHER})
    assert outside.status_code == 403 and outside.json()["code"] == "USER_ORG_NOT_IN_SCOPE"
    steal = _post(client, "/api/accounts/users", admins["other"],  # another county's admin takes our user
                  {"username": "county_clerk", "role": "finance_reviewer", "region_code": OTHER})
    assert steal.status_code == 403 and steal.json()["code"] == "USER_ORG_NOT_IN_SCOPE"
    clerk = _post(client, "/api/accounts/users", admins["clerk"],
                  {"username": "x2", "role": "finance_reviewer", "region_code": "141024"})
    assert clerk.status_code == 403 and clerk.json()["code"] == "USER_ADMIN_ONLY"
    demote = _post(client, f"/api/accounts/users/{admins['admin'].pk}", admins["admin"], {"roles": ["supervisor"]})
    assert demote.status_code == 400 and demote.json()["code"] == "USER_ADMIN_SELF_DEMOTE"
    unknown = _post(client, f"/api/accounts/users/{target.pk}", admins["admin"], {"roles": ["cook"]})
    assert unknown.status_code == 400 and unknown.json()["code"] == "ROLE_UNKNOWN"
    assert not User.objects.filter(username__in=["x1", "x2"]).exists()
    target.refresh_from_db()
    assert target.is_active and target.organization.region_id.startswith("141024")


# --- the users page -------------------------------------------------------------------------------

def test_page_import_and_template(client, admins):
    page = as_user(client, admins["admin"])
    template = page.get("/admin/users/import/template/")
    assert template.status_code == 200 and template["Content-Type"].startswith("application/vnd.openxmlformats")
    done = page.post("/admin/users/import/", {"file": SimpleUploadedFile("u.xlsx", _xlsx(GOOD))}, follow=True)
    assert "已导入 3 个用户" in done.content.decode()
    assert User.objects.filter(username__in=["czs1", "fin9", "cun9"]).count() == 3
    refused = page.post("/admin/users/import/", {"file": SimpleUploadedFile(
        "u.xlsx", _xlsx([("x9", "外县", "finance_reviewer", OTHER, "", "")]))}, follow=True)
    assert 'data-code="USERS_IMPORT_ROWS"' in refused.content.decode() and not User.objects.filter(username="x9").exists()
    assert as_user(client, admins["auditor"]).post(
        "/admin/users/import/", {"file": SimpleUploadedFile("u.xlsx", _xlsx(GOOD))}).status_code == 403


def test_the_first_administrator_as_docs_operations_says(regions):
    out = _users("add", "admin", "--role", "sysadmin", "--region", "141024", "--full-name", "系统管理员")
    admin = User.objects.get(username="admin")
    assert admin.role_set == {Role.SYSADMIN} and admin.organization.region_id == "141024000000"
    assert admin.must_change_password and "初始密码" in out


def test_organization_tree_page_and_api(client, admins, make_user):
    User.objects.filter(username="county_clerk").update(is_active=False)
    page = as_user(client, admins["admin"]).get("/admin/organizations/")
    assert page.status_code == 200
    body = page.content.decode()
    org = admins["clerk"].organization
    assert f'data-org="{org.code}"' in body and admins["other"].organization.code not in body
    total = User.objects.filter(organization=org).count()
    active = User.objects.filter(organization=org, is_active=True).count()
    assert f'data-users="{active}/{total}"' in body and active < total
    tree = client.get("/api/accounts/organizations", **_auth(admins["auditor"])).json()
    assert {o["code"] for node in tree for o in node["organizations"]} >= {org.code}
    assert all(node["region_code"].startswith("141024") for node in tree)
    treasury = make_user("county_treasury", Role.TREASURY)
    assert as_user(client, treasury).get("/admin/organizations/").status_code == 403
    assert client.get("/api/accounts/organizations", **_auth(treasury)).json() == []


def test_api_bulk_import_all_or_nothing_with_codes(client, admins):
    url = "/api/accounts/users/import"
    bad = SimpleUploadedFile("u.xlsx", _xlsx([*GOOD, ("bad1", "错角色", "厨师", TOWN1, "", "")]))
    refused = client.post(url, {"file": bad}, **_auth(admins["admin"]))
    assert refused.status_code == 400 and refused.json()["code"] == "USERS_IMPORT_ROWS"
    assert "第6行" in refused.json()["message"]
    assert not User.objects.filter(username__in=["czs1", "fin9", "cun9"]).exists()
    clerk = client.post(url, {"file": SimpleUploadedFile("u.xlsx", _xlsx(GOOD))}, **_auth(admins["clerk"]))
    assert clerk.status_code == 403 and clerk.json()["code"] == "USER_ADMIN_ONLY"
    done = client.post(url, {"file": SimpleUploadedFile("u.xlsx", _xlsx(GOOD))}, **_auth(admins["admin"]))
    assert done.status_code == 200, done.content
    assert [u["username"] for u in done.json()] == ["czs1", "fin9", "cun9"]
    assert all(u["initial_password"] for u in done.json()) and done.json()[0]["phone"] == "138****8000"
    assert AuditEvent.objects.filter(action="accounts.users_import").count() == 1
