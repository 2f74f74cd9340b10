from django.urls import path

from . import recovery_views as rv
from . import views
from . import views_inspections as vi

urlpatterns = [
    path("", views.findings, name="supervision_findings"),
    path("export/", views.findings_export, name="supervision_findings_export"),
    path("trends/", views.trends, name="supervision_trends"),
    path("trends/export/", views.trends_export, name="supervision_trends_export"),
    path("clues/", views.clues, name="supervision_clues"),
    path("clues/export/", views.clues_export, name="supervision_clues_export"),
    path("clues/<int:pk>/", views.clue_detail, name="supervision_clue"),
    path("clues/<int:pk>/start/", views.clue_start, name="supervision_clue_start"),
    path("clues/<int:pk>/note/", views.clue_note, name="supervision_clue_note"),
    path("clues/<int:pk>/conclude/", views.clue_conclude, name="supervision_clue_conclude"),
    path("clues/<int:pk>/casefile/", views.casefile, name="supervision_casefile"),
    path("evidence/<int:pk>/", views.evidence, name="supervision_evidence"),
    # inspections (抽查)
    path("inspections/", vi.plans, name="supervision_inspections"),
    path("inspections/new/", vi.plan_create, name="supervision_inspection_create"),
    path("inspections/<int:pk>/", vi.plan_detail, name="supervision_inspection"),
    path("inspections/<int:pk>/draw/", vi.plan_draw, name="supervision_inspection_draw"),
    path("inspections/<int:pk>/start/", vi.plan_start, name="supervision_inspection_start"),
    path("inspections/<int:pk>/close/", vi.plan_close, name="supervision_inspection_close"),
    path("inspections/samples/<int:pk>/result/", vi.result_record, name="supervision_inspection_result"),
    path("inspections/evidence/<int:pk>/", vi.evidence, name="supervision_inspection_evidence"),
    path("clues/<int:pk>/sanction/", rv.clue_sanction, name="supervision_clue_sanction"),
    # accountability (追回/问责)
    path("recoveries/", rv.recoveries, name="supervision_recoveries"),
    path("recoveries/open/", rv.recovery_open, name="supervision_recovery_open"),
    path("recoveries/<int:pk>/", rv.recovery_detail, name="supervision_recovery"),
    path("recoveries/<int:pk>/repay/", rv.recovery_repay, name="supervision_recovery_repay"),
    path("recoveries/<int:pk>/write-off/", rv.recovery_write_off, name="supervision_recovery_write_off"),
    path("recoveries/<int:pk>/transfer/", rv.recovery_transfer, name="supervision_recovery_transfer"),
    path("recoveries/<int:pk>/sanction/", rv.recovery_sanction, name="supervision_recovery_sanction"),
    path("repayments/<int:pk>/evidence/", rv.repayment_evidence, name="supervision_repayment_evidence"),
]
