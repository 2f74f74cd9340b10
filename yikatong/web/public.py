"""The explicit public allow-list: URL names anyone may open without logging in.

Used by accounts.middleware.DenyByDefaultMiddleware and asserted by the URL-walk test.
Keep it short; add a name here only for a page meant for the public.
"""
PUBLIC_URL_NAMES = frozenset(
    {
        "login",
        "healthz",
        "api:openapi-json",
    }
)
