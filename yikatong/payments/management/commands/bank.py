"""`yikatong bank …`: the bank exchange from the command line.

    yikatong bank send ORDER_ID --as USER     write and deliver the payment file of a released order (国库科)
    yikatong bank collect [--as USER]         ingest every answer waiting in the bank inbox, then archive it

Thin: payments.services.order_send and bank_inbox_collect, as the pages call them. `collect` without
--as runs as the system (actor None), as the scheduled collection does; with --as the user's role
and region are checked per file. A refusal exits non-zero with `[CODE] message` (for `collect`: when
any file was refused; the others are still taken)."""
from yikatong.web.cli_support import ActingCommand, add_actor_option, refusal_text, scoped_get


class Command(ActingCommand):
    help = "银行文件：send 发送代发文件（须 --as 用户名）；collect 收取银行回盘文件（--as 可选，不给则以系统身份）"
    actor_optional = frozenset({"collect"})

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        send = sub.add_parser("send", help="生成并发送支付申请的代发文件")
        send.add_argument("order_id", type=int)
        add_actor_option(send)
        collect = sub.add_parser("collect", help="导入收件箱中的全部银行回盘文件，导入后归档")
        add_actor_option(collect, optional=True)

    def _send(self, actor, *, order_id, **_):
        from ... import selectors, services

        order = scoped_get(selectors.orders_for(actor), order_id, "ORDER_NOT_FOUND", order=order_id)
        order = services.order_send(actor=actor, order_id=order.pk)
        self.stdout.write(f"支付申请 {order.batch_no} 的代发文件 {order.payment_file.filename} 已发送")

    def _collect(self, actor, **_):
        from ... import services

        report = services.bank_inbox_collect(actor=actor)
        refused = []
        for name, outcome in report:
            if isinstance(outcome, Exception):
                refused.append(outcome)
                self.stderr.write(f"{name}：{refusal_text(outcome)}")
            else:
                self.stdout.write(f"{name}：{'已导入' if outcome.created else '此前已导入，未作改动'}")
        if not report:
            self.stdout.write("收件箱中没有新的银行文件")
        self.stdout.write(f"共 {len(report)} 个文件，导入 {len(report) - len(refused)} 个，拒收 {len(refused)} 个")
        if refused:
            raise refused[0]  # an IngestRefused: its code is the command's answer
