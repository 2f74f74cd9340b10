from ninja import Router

router = Router(tags=["发放清册"])
