"""`yikatong datakey check [--sample N]`: does the configured YKT_DATA_KEY open this database's data?

For every column an app declares in its pii_columns.py (core.keyed), the newest N values are
decrypted with the current key, and each blind index beside them recomputed and compared. Run it
after a restore (docs/operations.md §7): exit 0 and the counts when everything opens, exit 1 naming
the table and column otherwise. It prints no value, only counts."""
from django.apps import apps
from django.core.management.base import BaseCommand, CommandError

from yikatong.core.crypto import vault
from yikatong.core.keyed import Bytes, Index, Text, declared


class Command(BaseCommand):
    help = "校验当前数据密钥（YKT_DATA_KEY）能否解密本数据库中的个人信息（恢复备份后运行）"

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        check = sub.add_parser("check", help="每个加密列取最新的若干值解密并核对盲索引")
        check.add_argument("--sample", type=int, default=50, help="每列校验的值数（默认 50）")

    def handle(self, *args, action, sample=50, **options):
        v = vault()
        checked, broken = 0, []
        for label, columns in declared().items():
            model = apps.get_model(label)
            table = model._meta.db_table
            texts = [c for c in columns if isinstance(c, Text)]
            for c in columns:
                if not isinstance(c, (Text, Bytes)):
                    continue
                indexes = [i for i in columns if isinstance(i, Index) and i.of == c.column] if c in texts else []
                fields = [c.column, *(i.column for i in indexes)]
                rows = (model._default_manager.exclude(**{c.column: ""}) if isinstance(c, Text)
                        else model._default_manager.exclude(**{f"{c.column}__isnull": True}))
                n = bad = 0
                limit = max(1, sample if isinstance(c, Text) else min(sample, 5))  # sealed files may be large
                for row in rows.order_by("-pk").values_list(*fields)[:limit]:
                    value = row[0]
                    if not value:
                        continue
                    n += 1
                    try:
                        if isinstance(c, Text):
                            plain = v.decrypt(value)
                            for i, index in enumerate(indexes, 1):
                                if row[i] and plain and getattr(v, index.fn)(plain) != row[i]:
                                    raise ValueError("blind index differs")
                        else:
                            v.decrypt_bytes(bytes(value), purpose=c.purpose)
                    except Exception:  # noqa: BLE001 - any failure is a wrong key (or damaged data)
                        bad += 1
                checked += n
                if bad:
                    broken.append(f"{table}.{c.column}：{bad}/{n} 个值无法用当前密钥解密或核对")
                elif n:
                    self.stdout.write(f"{table}.{c.column}：校验 {n} 个值，全部可解密")
        if broken:
            raise CommandError("数据密钥与数据库不匹配：" + "；".join(broken))
        if not checked:
            self.stdout.write("数据库中没有加密的个人信息，无法据此校验密钥")
            return
        self.stdout.write(f"数据密钥校验通过：共校验 {checked} 个加密值")
