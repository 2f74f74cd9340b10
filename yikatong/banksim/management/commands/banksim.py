from django.core.management.base import BaseCommand, CommandError

from yikatong.banksim.options import SimOptions, parse_pairs
from yikatong.banksim.runner import run


class Command(BaseCommand):
    help = ("代发银行模拟器（仅供演示和测试）：`banksim run` 读取发件箱中的代发文件，按银行的方式校验，"
            "把回盘文件或整批拒收文件写入收件箱。")

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        p = sub.add_parser("run", help="处理发件箱中所有待处理的代发文件")
        p.add_argument("--fail-rate", type=float, default=0.0, help="随机失败的比例（0–1），原因代码随机选取")
        p.add_argument("--fail", action="append", metavar="SEQ:CODE", help="让指定序号的明细失败，如 3:E01")
        p.add_argument("--fail-ref", action="append", metavar="ITEM_REF:CODE", help="让指定明细编号失败，如 R-1001:E05")
        p.add_argument("--reject", metavar="CODE", help="整批拒收，代码 F01–F05")
        p.add_argument("--seed", type=int, default=0, help="随机种子（相同种子结果相同）")

    def handle(self, *args, action, **opts):
        try:
            options = SimOptions(
                fail_rate=opts["fail_rate"], fail_seq=parse_pairs(opts["fail"], as_int=True),
                fail_ref=parse_pairs(opts["fail_ref"], as_int=False),
                reject=opts["reject"].upper() if opts["reject"] else None, seed=opts["seed"],
            )
        except ValueError as exc:
            raise CommandError(str(exc)) from None
        report = run(options=options)
        if not report:
            self.stdout.write("发件箱中没有待处理的代发文件。")
        for filename, answer, note in report:
            self.stdout.write(f"{filename} → {answer}：{note}")
