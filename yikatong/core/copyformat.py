"""PostgreSQL COPY text format of one value (bulk writes of registry, rosters and payments)."""
import datetime as dt

_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def copy_value(value) -> str:
    """`value` as a field of a COPY ... FROM STDIN text line: \\N for NULL, t/f, escaped text, ISO dates."""
    if value is None:
        return "\\N"
    if value is True:
        return "t"
    if value is False:
        return "f"
    if isinstance(value, str):
        if "\\" in value or "\t" in value or "\n" in value or "\r" in value:
            return value.translate(_ESCAPES)
        return value
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    return str(value)
