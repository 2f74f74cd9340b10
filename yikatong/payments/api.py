from ninja import Router

router = Router(tags=["资金支付"])
