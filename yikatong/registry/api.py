from ninja import Router

router = Router(tags=["补贴对象信息库"])
