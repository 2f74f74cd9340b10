from django.shortcuts import render

from . import selectors


def received_list(request):
    if not selectors.can_view(request.user):
        return render(request, "web/forbidden.html", status=403)
    return render(request, "banksim/files.html", {"files": selectors.received_files_for(request.user)[:200]})
