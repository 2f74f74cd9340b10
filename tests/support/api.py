"""HTTP calls of the JSON API in tests: bearer-token headers and a JSON request helper."""
from yikatong.accounts.tokens import issue_api_token


def bearer(user) -> dict:
    """Client kwargs authenticating `user` with a fresh API token."""
    return {"HTTP_AUTHORIZATION": f"Bearer {issue_api_token(user=user, name='test')}"}


class Tokens:
    """tokens("fin") -> the headers of world user "fin", one token per user per test."""

    def __init__(self, world):
        self.world, self.cache = world, {}

    def __call__(self, username: str) -> dict:
        if username not in self.cache:
            self.cache[username] = bearer(self.world.users[username])
        return self.cache[username]


def call(client, method: str, url: str, auth: dict, body=None):
    """A JSON request (body given) or a plain one."""
    kw = {"data": body, "content_type": "application/json"} if body is not None else {}
    return getattr(client, method)(url, **kw, **auth)
