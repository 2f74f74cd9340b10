"""End to end through the drop box: Yikatong delivers, the simulator answers, Yikatong collects and verifies."""
import os

import pytest
from django.core.management import CommandError, call_command

from tests.support.env import bank_boxes
from yikatong.payments.exchange.resultfile import parse_rejection_file, parse_result_file
from yikatong.payments.tests.support import DAY, KEY, payment_file

pytestmark = pytest.mark.django_db


@pytest.fixture
def boxes(tmp_path, settings):
    return bank_boxes(settings, tmp_path)


@pytest.fixture
def today(monkeypatch):
    from django.utils import timezone

    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: DAY)


def test_deliver_answer_collect_verify(agreement, boxes, today):
    name, data = payment_file()
    boxes.deliver(name, data)
    name2, data2 = payment_file(batch_no="141024-2026-000002", payer_account="6217000099999999")
    boxes.deliver(name2, data2)
    call_command("banksim", "run", "--fail", "2:E05")
    assert sorted(os.listdir(boxes.outbox / "processed")) == [name, name2]
    collected = dict(boxes.collect())
    result = parse_result_file(collected[name.replace("_P", "_R")], KEY, filename=name.replace("_P", "_R"))
    assert [r.reason_code for r in result.lines] == ["", "E05", ""]
    assert parse_rejection_file(collected[name2.replace("_P", "_X")]).code == "F02"
    call_command("banksim", "run")  # nothing left: nothing happens
    assert boxes.collect() == []


def test_command_output_names_files_and_counts_only(agreement, boxes, today, capsys):
    name, data = payment_file()
    boxes.deliver(name, data)
    call_command("banksim", "run", "--fail-ref", "ITEM-1:E01")
    out = capsys.readouterr().out
    assert name in out and "成功 2 笔 500 分，失败 1 笔 100 分" in out
    assert "6228480012345600001" not in out and "11010519491231002X" not in out
    call_command("banksim", "run")
    assert "没有待处理" in capsys.readouterr().out


@pytest.mark.parametrize("args", [["--fail", "x:E01"], ["--fail", "3:E42"], ["--reject", "F09"], ["--fail-rate", "2"],
                                  ["--fail-ref", "E01"]])
def test_command_refuses_bad_options(args, boxes):
    with pytest.raises(CommandError):
        call_command("banksim", "run", *args)
