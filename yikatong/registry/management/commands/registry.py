"""`yikatong registry …`: operator commands of the beneficiary register.

    yikatong registry import FILE --region CODE         import a base-register file now (streamed)
    yikatong registry load-reference FILE --dataset deaths --agency 民政局 --as-of 2026-10-31 --region 141024
    yikatong registry rotate-key --old-key-file PATH     re-encrypt all personal data under YKT_DATA_KEY
"""
import datetime as dt
import os
import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from yikatong.registry import services
from yikatong.registry.choices import DatasetKind
from yikatong.registry.rotation import RotationError, key_rotate
from yikatong.registry.selectors import import_errors


class Command(BaseCommand):
    help = "Beneficiary register tools: import, load-reference, rotate-key (see module docstring)."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        imp = sub.add_parser("import", help="导入补贴对象底册文件（xlsx/xls/csv）")
        imp.add_argument("file")
        imp.add_argument("--region", required=True, help="乡镇(9位)或县(6位)区划代码")
        ref = sub.add_parser("load-reference", help="导入共享比对数据")
        ref.add_argument("file")
        ref.add_argument("--dataset", required=True, choices=DatasetKind.values)
        ref.add_argument("--agency", required=True, help="提供数据的单位，如 民政局")
        ref.add_argument("--as-of", required=True, help="数据截止日期 YYYY-MM-DD")
        ref.add_argument("--region", required=True)
        rot = sub.add_parser("rotate-key", help="用新密钥（YKT_DATA_KEY）重新加密全部个人信息")
        rot.add_argument("--old-key", help="旧密钥（会留在命令历史中，建议用 --old-key-file 或环境变量 YKT_OLD_DATA_KEY）")
        rot.add_argument("--old-key-file", help="存放旧密钥的文件")
        rot.add_argument("--new-key", help="新密钥，默认为当前配置的 YKT_DATA_KEY")

    def handle(self, *args, action, **opts):
        getattr(self, "_" + action.replace("-", "_"))(**opts)

    def _import(self, *, file, region, verbosity, **_):
        started = time.monotonic()

        def progress(done, total=None, msg=""):
            if verbosity >= 2:
                self.stdout.write(f"  {done}/{total or '?'}")

        imp = services.register_file_import(actor=None, path=file, region_code=region, progress=progress)
        seconds = time.monotonic() - started
        if imp.state != "done":
            for e in import_errors(imp)[:50]:
                self.stderr.write((f"第{e['line']}行 " if e["line"] else "") + e["message"])
            raise CommandError(f"未导入：共 {imp.error_count} 处错误，底册未做任何修改")
        self.stdout.write(
            f"已导入 {imp.file_name}：{imp.rows} 行，新增 {imp.created}，更新 {imp.updated}，未变 {imp.unchanged}，"
            f"变动记录 {imp.events}"
        )
        self.stdout.write(self.style.SUCCESS(f"用时 {seconds:.2f} 秒（{imp.rows / max(seconds, 1e-9):.0f} 行/秒）"))

    def _load_reference(self, *, file, dataset, agency, as_of, region, **_):
        try:
            snap = services.reference_load(actor=None, dataset=dataset, source_agency=agency,
                                           as_of=dt.date.fromisoformat(as_of), source=Path(file),
                                           file_name=Path(file).name, region_code=region)
        except services.ReferenceFileError as exc:
            for line in exc.errors_list[:50]:
                self.stderr.write(line)
            raise CommandError(f"未导入：共 {len(exc.errors_list)} 处错误") from exc
        for warning in snap.warnings:
            self.stderr.write(f"提示：{warning}")
        self.stdout.write(self.style.SUCCESS(f"已导入{snap}：{snap.row_count} 行"))

    def _rotate_key(self, *, old_key, old_key_file, new_key, **_):
        if old_key_file:
            old_key = Path(old_key_file).read_text().strip()
        old_key = old_key or os.environ.get("YKT_OLD_DATA_KEY", "")
        if not old_key:
            raise CommandError("请用 --old-key-file、--old-key 或环境变量 YKT_OLD_DATA_KEY 提供旧密钥")
        try:
            counts = key_rotate(old_key=old_key, new_key=new_key)
        except RotationError as exc:
            raise CommandError(f"密钥轮换失败，未做任何修改：{exc}") from exc
        for table, n in counts.items():
            self.stdout.write(f"  {table}\t{n}")
        self.stdout.write(self.style.SUCCESS("密钥轮换完成：全部个人信息已用新密钥重新加密，盲索引已重算"))
