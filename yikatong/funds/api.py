from ninja import Router

router = Router(tags=["资金指标"])
