import io

import pytest
from django.core.management import CommandError, call_command

from yikatong.regions.models import Region

from .conftest import edit_line


def run(*args):
    out = io.StringIO()
    call_command("regions", *args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


@pytest.mark.django_db
def test_load_defaults_to_the_shipped_copy():
    output = run("load")
    assert Region.objects.count() == 1248
    assert "5 村(社区)\t1148" in output
    assert "4 乡(镇、街道)\t86" in output
    assert "合计\t1248（新增或更新 1248" in output
    assert "用时" in output and "秒" in output
    assert "新增或更新 0" in run("load")


@pytest.mark.django_db
def test_load_directory_and_counties(data_copy):
    output = run("load", str(data_copy), "--county", "141024", "--county", "650121")
    assert "限定县级区划：141024、650121" in output
    assert Region.objects.filter(level=4).count() == 15 + 8
    run("load", str(data_copy), "--county", "532301", "210381")
    assert Region.objects.filter(level=3).count() == 4


@pytest.mark.django_db
def test_load_error_is_a_command_error(data_copy):
    edit_line(data_copy / "streets.csv", 3, lambda line: "x" + line)
    with pytest.raises(CommandError, match="导入失败，未做任何修改：streets.csv 第 3 行"):
        run("load", str(data_copy))
    assert not Region.objects.exists()
