"""To-do list (待办): each app registers providers in its `todo.py` with @register."""
from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class TodoItem:
    title: str
    url: str
    due: date | None = None
    overdue: bool = False
    category: str = ""


_PROVIDERS = []


def register(provider):
    """provider(user) -> iterable[TodoItem]"""
    _PROVIDERS.append(provider)
    return provider


def todos_for(user) -> list[TodoItem]:
    items: list[TodoItem] = []
    for provider in _PROVIDERS:
        items.extend(provider(user))
    return sorted(items, key=lambda i: (not i.overdue, i.due or date.max, i.title))
