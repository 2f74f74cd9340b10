"""The explicit public allow-list: URL names anyone may open without logging in.

Used by accounts.middleware.DenyByDefaultMiddleware and asserted by the URL-walk test.
Keep it short; add a name here only for a page meant for the public.
"""
PUBLIC_URL_NAMES = frozenset(
    {
        "login",
        "healthz",
        "api:openapi-json",
        # the published policy catalogue (补贴政策清单), yikatong/policies/public_urls.py
        "public_policy_index",
        "public_policy_list",
        "public_policy_export",
        "public_policy_detail",
        "public_policy_basis",
        # published lists (公示名单 / 发放结果公示), yikatong/disclosure/public_urls.py (issue 15, publish)
        "public_list_region",
        "public_list_detail",
        # self-query of one's own payments (本人发放查询), yikatong/disclosure/public_urls.py
        "public_self_query",
        # complaints/reports/questions (投诉举报咨询), yikatong/disclosure/public_urls.py
        "public_complaint_new",
        "public_complaint_track",
        # an objection to a running notice (公示异议), filed from its published list
        "public_list_objection",
    }
)
