"""BlindIndexField: a keyed hash column (64 hex characters) with a batched `__any` lookup.

`filter(id_bidx__any=keys)` is `= ANY(%s)` with one array parameter on PostgreSQL (one
round trip, no 10,000-placeholder statement to parse) and a plain IN elsewhere. Callers
chunk the keys with `chunks()` (large on PostgreSQL, under SQLite's variable limit there).
"""
from django.db import connection, models
from django.db.models import Lookup


class BlindIndexField(models.CharField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_length", 64)
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        if kwargs.get("max_length") == 64:
            del kwargs["max_length"]
        return name, path, args, kwargs


@BlindIndexField.register_lookup
class AnyOf(Lookup):
    lookup_name = "any"
    prepare_rhs = False

    def as_sql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        values = list(self.rhs)
        if connection.vendor == "postgresql":
            return f"{lhs} = ANY(%s)", [*lhs_params, values]
        if not values:
            return "1 = 0", list(lhs_params)
        return f"{lhs} IN ({', '.join(['%s'] * len(values))})", [*lhs_params, *values]


def chunks(keys, *, size: int | None = None):
    keys = list(keys)
    size = size or (20000 if connection.vendor == "postgresql" else 900)
    for i in range(0, len(keys), size):
        yield keys[i:i + size]
