"""`yikatong upward …`: the upward exchange (payments.upward, docs/exchange/upward.md) from the command line.

    yikatong upward export COUNTY PERIOD --as USER              a new version of the county's month (财政业务科室)
    yikatong upward save EXPORT_ID csv|json --out PATH --as USER  write one file of an export to PATH

Thin: payments.upward.upward_export and upward_download, as the page calls them (role, region scope,
audit). The file carries full ID numbers: `save` writes it only where --out says (mode 0600), never to
the terminal. A refusal exits non-zero with `[CODE] message`."""
import os

from yikatong.web.cli_support import ActingCommand, add_actor_option, scoped_get


class Command(ActingCommand):
    help = "上报数据文件：export 生成某县某月的新版本；save 保存某版本的 CSV 或 JSON 文件（均须 --as 用户名）"

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        export = sub.add_parser("export", help="生成某县某月的上报数据文件（新版本，旧版本保留）")
        export.add_argument("county", help="县级区划代码（6 位或 12 位）")
        export.add_argument("period", help="支付月份 YYYY-MM")
        add_actor_option(export)
        save = sub.add_parser("save", help="把某版本的文件写到 --out 指定的路径（权限 0600）")
        save.add_argument("export_id", type=int)
        save.add_argument("fmt", choices=["csv", "json"])
        save.add_argument("--out", required=True)
        add_actor_option(save)

    def _export(self, actor, *, county, period, **_):
        from ... import upward

        e = upward.upward_export(actor=actor, county_code=county, period=period)
        self.stdout.write(f"已生成 {e.county.name} {e.period} 第 {e.version} 版（编号 {e.pk}）：{e.row_count} 笔，"
                          f"合计 {e.total_fen} 分；CSV SHA-256 {e.csv_sha256}，JSON SHA-256 {e.json_sha256}")

    def _save(self, actor, *, export_id, fmt, out, **_):
        from ... import upward, upward_selectors

        scoped_get(upward_selectors.exports_for(actor), export_id, "UPWARD_EXPORT_NOT_FOUND", export=export_id)
        export, data = upward.upward_download(actor=actor, export_id=export_id, fmt=fmt)
        fd = os.open(out, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        self.stdout.write(f"已保存 {export.filename(fmt)} 到 {out}（{len(data)} 字节）")
