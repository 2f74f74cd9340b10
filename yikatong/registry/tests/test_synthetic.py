"""The synthetic register (benchmarks, demo) makes valid identifiers."""
import datetime as dt

from yikatong.core.identifiers import parse_id_number, validate_card_number
from yikatong.registry.synthetic import Population, card_number, id_number


def test_synthetic_numbers_are_valid():
    import random

    rng = random.Random(1)
    for i in range(200):
        birth = dt.date(1930, 1, 1) + dt.timedelta(days=rng.randrange(30000))
        number = id_number("141024", birth, i, i % 2 == 0)
        assert parse_id_number(number).birth_date == birth
        assert validate_card_number(card_number(rng, "621799"))
    pop = Population("141024", ["141024100001"], seed=1)
    members = [m for hh in pop.households(300) for m in hh]
    assert len({m.id_number for m in members}) == 300
    assert all(3 <= len([x for x in members if x.household == h]) <= 5 for h in {m.household for m in members[:-5]})
