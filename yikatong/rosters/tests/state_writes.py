"""A static scan for writes of Batch.state or PaymentOrder.state outside the engine.

Only core.statemachine.apply writes a state; the tables that drive it live in rosters.flows and
payments.flow. Creating a row in its initial state (draft / created) is allowed. The scan reads the
syntax tree of every non-test module and reports (path, line, what) for:

* ``<Batch|PaymentOrder or a batch/order queryset>.update(state=…)`` and ``.create/…(state=<not initial>)``;
* ``Batch(state=…)`` / ``PaymentOrder(state=…)`` with a state other than the initial one;
* ``<batch/order object>.state = …`` and ``setattr(<obj>, "state", …)``;
* ``<batch/order>.save(update_fields=[… "state" …])``;
* bulk helpers or raw SQL naming a batch/order model or table together with a ``state`` column.
"""
from __future__ import annotations

import ast
import re
from pathlib import Path

MODELS = {"Batch", "PaymentOrder"}
# names and attributes through which code reaches batches or payment orders
RELATED_ATTRS = {"batches", "batch", "payment_orders", "reissues", "parent", "order", "orders", "replaces",
                 "replaced_by"}
INITIAL = {"draft", "created", "DRAFT", "CREATED"}
TABLES = re.compile(r"rosters_batch\b|payments_paymentorder\b", re.I)
CREATORS = {"create", "get_or_create", "update_or_create"}
ALLOWED_FILES = {"core/statemachine.py"}


def _chain(node) -> tuple[str | None, list[str]]:
    """Root name and attribute names of a call chain like Batch.objects.filter(...).update."""
    attrs = []
    while True:
        if isinstance(node, ast.Attribute):
            attrs.append(node.attr)
            node = node.value
        elif isinstance(node, ast.Call):
            node = node.func
        elif isinstance(node, ast.Subscript):
            node = node.value
        elif isinstance(node, ast.Name):
            return node.id, attrs
        else:
            return None, attrs


QUERY_ATTRS = {"objects", "filter", "exclude", "all", "select_for_update", "select_related", "prefetch_related",
               "only", "defer", "order_by", "using", "distinct", "annotate", "none", "get", "first", "last"}


def _about_batch_or_order(root: str | None, attrs: list[str]) -> bool:
    """Whether the chain reaches a batch or a payment order (not a row under it: batch.findings…)."""
    subject = next((a for a in attrs if a not in QUERY_ATTRS), None)  # the nearest manager/attribute
    if subject is not None:
        return subject in MODELS or subject in RELATED_ATTRS
    if root in MODELS:
        return True
    return bool(root) and any(w in root.lower() for w in ("batch", "order", "reissue"))


def _is_initial(value) -> bool:
    if isinstance(value, ast.Constant):
        return value.value in INITIAL
    if isinstance(value, ast.Attribute):
        return value.attr in INITIAL
    return False


def _strings(node) -> list[str]:
    return [n.value for n in ast.walk(node) if isinstance(n, ast.Constant) and isinstance(n.value, str)]


def scan_source(source: str, path: str = "<string>") -> list[tuple[str, int, str]]:
    found = []
    tree = ast.parse(source)
    for node in ast.walk(tree):
        if isinstance(node, (ast.Assign, ast.AugAssign, ast.AnnAssign)):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            for t in ast.walk(ast.Tuple(elts=list(targets), ctx=ast.Store())):
                if isinstance(t, ast.Attribute) and t.attr == "state":
                    root, attrs = _chain(t.value)
                    if _about_batch_or_order(root, attrs):
                        found.append((path, node.lineno, "assigns .state"))
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        kwargs = {k.arg: k.value for k in node.keywords if k.arg}
        if isinstance(func, ast.Name) and func.id == "setattr" and len(node.args) >= 2:
            if isinstance(node.args[1], ast.Constant) and node.args[1].value == "state":
                root, attrs = _chain(node.args[0])
                if _about_batch_or_order(root, attrs):
                    found.append((path, node.lineno, "setattr state"))
        if isinstance(func, ast.Name) and func.id in MODELS and "state" in kwargs and not _is_initial(kwargs["state"]):
            found.append((path, node.lineno, f"{func.id}(state=…) not in the initial state"))
        if isinstance(func, ast.Attribute):
            root, attrs = _chain(func.value)
            about = _about_batch_or_order(root, attrs)
            if func.attr == "update" and "state" in kwargs and about:
                found.append((path, node.lineno, ".update(state=…)"))
            if func.attr in CREATORS and about:
                for key in ("state", "defaults"):
                    v = kwargs.get(key)
                    if key == "state" and v is not None and not _is_initial(v):
                        found.append((path, node.lineno, f".{func.attr}(state=…) not in the initial state"))
                    if key == "defaults" and v is not None and "state" in _strings(v):
                        found.append((path, node.lineno, f".{func.attr}(defaults={{'state': …}})"))
            fields = kwargs.get("update_fields")
            if func.attr == "save" and about and fields is not None and "state" in _strings(fields):
                found.append((path, node.lineno, ".save(update_fields=[…'state'…])"))
            if func.attr == "bulk_update" and about and "state" in _strings(node):
                found.append((path, node.lineno, ".bulk_update(…'state'…)"))
        arg_names = {a.id for a in node.args if isinstance(a, ast.Name)}
        if arg_names & MODELS and any(s == "state" for s in _strings(node)):
            found.append((path, node.lineno, "bulk write of a state column"))
    for lineno, line in enumerate(source.splitlines(), 1):
        if re.search(r"\bUPDATE\b", line, re.I) and TABLES.search(line) and re.search(r"\bstate\b", line):
            found.append((path, lineno, "raw SQL UPDATE of a state"))
    return found


def scan_tree(package_dir: Path) -> list[tuple[str, int, str]]:
    found = []
    for py in sorted(package_dir.rglob("*.py")):
        rel = py.relative_to(package_dir).as_posix()
        parts = rel.split("/")
        if "tests" in parts or "migrations" in parts or rel in ALLOWED_FILES or parts[0] == "benchmarks":
            continue
        found += scan_source(py.read_text(encoding="utf-8"), rel)
    return found
