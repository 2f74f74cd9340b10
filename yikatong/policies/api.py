from ninja import Router

router = Router(tags=["补贴政策"])
