from ninja import Router

router = Router(tags=["大数据比对"])
