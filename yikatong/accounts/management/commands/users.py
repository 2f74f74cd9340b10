"""`yikatong users add USERNAME --role ROLE --region CODE [--policy CODE] [--password-file F]` and
`yikatong users token USERNAME [--scope read|write] [--days N]`, `yikatong users import FILE.xlsx`
(columns 用户名, 姓名, 角色, 区划代码, 政策代码, 手机; all or nothing) and
`yikatong users deactivate USERNAME` (administrators and scripts). Thin: the work is
accounts.provisioning.user_provision / users_import, accounts.services.user_deactivate and
accounts.tokens.issue_api_token."""
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from yikatong.core.refusals import Refusal


class Command(BaseCommand):
    help = "管理用户：add 新建或更新用户（角色、区划、政策）；token 为用户签发 API 令牌（末行输出令牌）"

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        add = sub.add_parser("add", help="新建或更新用户，授予角色，归入该角色在该区划的单位（没有则新建）")
        add.add_argument("username")
        add.add_argument("--role", required=True, help="角色代码，如 township_operator、dept_reviewer")
        add.add_argument("--region", required=True, help="区划代码（12位，或省2/市4/县6/乡镇9位）")
        add.add_argument("--policy", default=None, help="政策代码：乡镇经办站所和主管部门角色据此确定主管部门")
        add.add_argument("--password-file", default=None, help="密码文件（首行为密码）；不给则生成首次登录须修改的密码")
        add.add_argument("--full-name", default="", help="姓名")
        token = sub.add_parser("token", help="为用户签发 API 令牌，末行只输出令牌")
        token.add_argument("username")
        token.add_argument("--scope", default="write", choices=["read", "write"])
        token.add_argument("--days", type=int, default=None)
        token.add_argument("--name", default="命令行签发")
        imp = sub.add_parser("import", help="从 Excel 批量新建或更新用户（列：用户名、姓名、角色、区划代码、政策代码、手机）；"
                                           "任何一行有误则全部不导入，并列出出错的行")
        imp.add_argument("file")
        off = sub.add_parser("deactivate", help="停用用户：不能再登录，其 API 令牌全部作废")
        off.add_argument("username")

    def handle(self, *args, **options):
        try:
            if options["action"] == "add":
                return self._add(options)
            if options["action"] == "import":
                return self._import(options)
            if options["action"] == "deactivate":
                return self._deactivate(options)
            return self._token(options)
        except (Refusal, ValidationError) as exc:
            text = exc.message if isinstance(exc, Refusal) else "；".join(exc.messages)
            raise CommandError(text) from exc

    def _add(self, o):
        from yikatong.accounts.provisioning import user_provision

        password = None
        if o["password_file"]:
            with open(o["password_file"], encoding="utf-8") as f:
                password = f.readline().rstrip("\r\n")
        user, generated = user_provision(actor=None, username=o["username"], role=o["role"], region_code=o["region"],
                                         policy_code=o["policy"], password=password, full_name=o["full_name"])
        self.stdout.write(f"用户 {user.username}：{user.organization}（{user.organization.code}），"
                          f"角色 {'、'.join(sorted(user.role_set))}")
        if generated:
            self.stdout.write(f"初始密码（首次登录须修改）：{generated}")

    def _token(self, o):
        from yikatong.accounts.provisioning import user_named
        from yikatong.accounts.tokens import issue_api_token

        raw = issue_api_token(user=user_named(o["username"]), name=o["name"], scope=o["scope"], days=o["days"])
        self.stdout.write(raw)

    def _import(self, o):
        from pathlib import Path

        from yikatong.accounts.provisioning import users_import

        path = Path(o["file"])
        if not path.is_file():
            raise CommandError(f"文件不存在：{path}")
        done = users_import(actor=None, data=path.read_bytes(), filename=path.name)
        for user, generated in done:
            line = f"用户 {user.username}：{user.organization}，角色 {'、'.join(sorted(user.role_set))}"
            if generated:
                line += f"，初始密码（首次登录须修改）：{generated}"
            self.stdout.write(line)
        self.stdout.write(f"已导入 {len(done)} 个用户")

    def _deactivate(self, o):
        from yikatong.accounts.provisioning import user_named
        from yikatong.accounts.services import user_deactivate

        user = user_named(o["username"])
        user_deactivate(actor=None, user=user)
        self.stdout.write(f"用户 {user.username} 已停用，其 API 令牌已全部作废")
