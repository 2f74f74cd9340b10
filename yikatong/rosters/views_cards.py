"""The pre-payment card check of a batch: items whose person's card is not usable (page and xlsx)."""
from django.shortcuts import render

from yikatong.audit.services import record_export
from yikatong.core.downloads import export_response
from yikatong.core.xlsx import write_xlsx

from . import card_check, exports
from .views import _batch


def batch_cards(request, batch_id: int):
    b = _batch(request, batch_id)
    return render(request, "rosters/cards.html", {"batch": b, "rows": card_check.batch_card_problems(b)})


def batch_cards_xlsx(request, batch_id: int):
    b = _batch(request, batch_id)
    problems = card_check.batch_card_problems(b)
    title = exports.title_of(b, "社保卡状态异常人员清单")
    data = write_xlsx(card_check.HEADERS, card_check.rows_for_export(problems), title=title, sheet_name="社保卡状态",
                      text_columns=(1, 3, 6))
    record_export(actor=request.user, what="batch_cards_xlsx", obj=b, rows=len(problems))
    return export_response(data, filename=f"{title}.xlsx")
