from django.http import JsonResponse
from django.shortcuts import render

from .health import health
from .todo import todos_for


def home(request):
    return render(request, "web/home.html", {"todos": todos_for(request.user)})


def healthz(request):
    """Public: database and worker state, ok or not, no detail. 200 when the database answers, 503 otherwise."""
    report = health()
    return JsonResponse(report, status=200 if report["database"]["state"] == "ok" else 503)
