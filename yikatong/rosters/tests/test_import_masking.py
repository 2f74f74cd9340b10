"""Issue 13: import errors showed full ID numbers to every role that could open the import. The uploader
sees what they typed; everyone else sees identifiers masked, in the cell and in the message."""
import pytest

from yikatong.rosters.importer.run import roster_import
from yikatong.rosters.selectors import import_problems_for

from .files import good_rows, to_csv

pytestmark = pytest.mark.django_db


def test_import_problems_are_masked_for_everyone_but_the_uploader(rw, batch):
    rows = good_rows(2)
    bad_id = rows[1][2][:-1]  # 17 digits: mistyped
    rows[1][2] = bad_id
    run = roster_import(actor=rw.users["zhan"], batch_id=batch.pk, data=to_csv(rows), filename="清册.csv",
                        mode="all_or_nothing")
    assert not run.imported
    own = [p for p in import_problems_for(rw.users["zhan"], run) if p["column"] == "身份证号码"]
    assert own and own[0]["value"] == bad_id
    for viewer in (rw.users["mz_rev"], rw.users["czs"], rw.users["fin"]):
        shown = import_problems_for(viewer, run)
        assert shown and bad_id not in str(shown)
        [p] = [p for p in shown if p["column"] == "身份证号码"]
        assert p["value"].startswith(bad_id[:4]) and "*" in p["value"]
