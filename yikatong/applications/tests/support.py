"""Application intake in tests: rw's policy marked for application intake, and an application walked
through the real services."""
import datetime

from yikatong.policies.models import Policy
from yikatong.rosters.tests.files import card, id_number

from .. import services

REVIEW = {"held_on": datetime.date(2026, 11, 2), "attendees": 30, "votes_for": 25, "votes_against": 3,
          "minutes": "村民代表会议评议，同意推荐"}


def application_policy(rw, *, democratic_review: bool = True):
    Policy.objects.filter(pk=rw.policy.pk).update(intake="application", democratic_review=democratic_review)
    rw.policy.refresh_from_db()
    return rw.policy


def submit(rw, regions, seq: int = 1, *, name: str | None = None, year: int = 2026, **kw):
    return services.application_submit(actor=rw.users["cun"], policy=rw.policy, year=year, village=regions["village1"],
                           name=name or f"申请人{seq}", id_number=id_number(seq), account_no=card(seq),
                           bank_name="洪洞农商行", phone="13812345678", **kw)


def walk(rw, app, to: str = "approved"):
    """The application moved by the right users up to state `to`."""
    steps = [("village_reviewed", lambda: services.application_village_review(actor=rw.users["cun"], application_id=app.pk,
                                                                  review=REVIEW)),
             ("township_verified", lambda: services.application_township_verify(actor=rw.users["zhan"], application_id=app.pk)),
             ("approved", lambda: services.application_approve(actor=rw.users["mz_rev"], application_id=app.pk))]
    order = ["submitted"] + [state for state, _ in steps]
    for state, step in steps:
        if order.index(state) <= order.index(app.state):
            continue
        app = step()
        if state == to:
            break
    return app
