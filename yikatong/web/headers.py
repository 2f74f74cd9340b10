"""`Cache-Control: no-store` on every answer to a signed-in user (pages and API answers carry personal
data: a shared computer's browser cache or a proxy must not keep them). Static files are answered by
WhiteNoise before this middleware and keep their long cache lifetime."""
from django.utils.cache import add_never_cache_headers


class NoStoreMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)  # the API's bearer authentication sets it in the view
        if (user is not None and user.is_authenticated) or request.path.startswith("/api/"):
            add_never_cache_headers(response)
        return response
