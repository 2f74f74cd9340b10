"""The printed notice (issue 14 point 6): one sheet per village with a page break between, each with title,
notice dates, place, supervision phone, the rows (name, masked ID, amount), 合计 (count and total, yuan from
fen) and a QR code (segno, inline SVG) to YKT_PUBLIC_BASE_URL + the batch's public path; never a full ID."""
import re

import pytest
from django.urls import reverse

from tests.support.scenarios import PHONE, entered_notice_on, notice_window
from yikatong.rosters import notice_print, notices
from yikatong.rosters.importer.run import roster_import
from yikatong.rosters.models import Batch, BatchItem
from yikatong.rosters.tests.files import good_rows, id_number, to_csv

pytestmark = pytest.mark.django_db

AMOUNTS = {1: 50000, 2: 1234, 3: 5, 4: 10010, 5: 20001}  # fen; items 4 and 5 in the second village


@pytest.fixture
def printed(rw, batch, villages, client):
    roster_import(actor=rw.users["zhan"], batch_id=batch.pk, data=to_csv(good_rows(5)), filename="清册.csv",
                  mode="all_or_nothing")
    for seq, fen in AMOUNTS.items():
        BatchItem.objects.filter(batch=batch, seq=seq).update(
            amount_fen=fen, **({"village": villages["v2"]} if seq >= 4 else {}))
    Batch.objects.filter(pk=batch.pk).update(state="notice")
    start, _ = notice_window(5)
    entered_notice_on(batch, start)
    notice = notices.notice_record(actor=rw.users["zhan"], batch_id=batch.pk, level="village", start=start,
                                    working_days=5, place="村委会公示栏", phone=PHONE)
    client.force_login(rw.users["zhan"])
    page = client.get(reverse("batch_print", args=[batch.pk, "notice"])).content.decode()
    return batch, notice, page


def _sheets(page: str) -> list[str]:
    return re.findall(r'<section class="notice-sheet".*?</section>', page, flags=re.S)


def test_one_sheet_per_village_with_its_own_total(printed):
    batch, notice, page = printed
    first, second = _sheets(page)
    assert 'data-village="第一村委会"' in first and 'data-village="第二村委会"' in second
    assert "对象4" not in first and "对象1" not in second
    # 合计: count and yuan formatted from fen (500.00 + 12.34 + 0.05; 100.10 + 200.01)
    assert re.search(r'data-testid="notice-total".*?3 人.*?512\.39', first, flags=re.S)
    assert re.search(r'data-testid="notice-total".*?2 人.*?300\.11', second, flags=re.S)
    sheets = notice_print.sheets(batch)
    assert [(s.count, s.total_fen, s.total_yuan) for s in sheets] == [(3, 51239, "512.39"), (2, 30011, "300.11")]


def test_each_sheet_has_dates_place_phone_and_qr(printed, settings):
    batch, notice, page = printed
    for sheet in _sheets(page):
        assert f"{notice.start.year}年{notice.start.month}月{notice.start.day}日" in sheet
        assert f"{notice.end.year}年{notice.end.month}月{notice.end.day}日" in sheet
        assert "村委会公示栏" in sheet and PHONE in sheet
        assert 'data-testid="notice-qr"' in sheet and "<svg" in sheet
    url = notice_print.public_url(batch)
    # the registered notice went online at once (disclosure.publish_auto): the QR opens that list
    digest = notice_print.published_digest(batch)
    assert url.startswith("http://localhost:8000/public/notices/list/") and len(digest) == 64 and digest in page
    assert notice_print.qr_svg(url) in page  # the QR encodes the public link
    settings.YKT_PUBLIC_BASE_URL = "https://ykt.example.gov.cn/"
    assert notice_print.public_url(batch).startswith("https://ykt.example.gov.cn/public/notices/")
    assert batch.code not in notice_print.public_id(batch)


def test_masked_ids_only(printed):
    batch, _, page = printed
    for item in batch.items.all():
        assert item.id_masked in page
    for seq in AMOUNTS:
        assert id_number(seq) not in page
