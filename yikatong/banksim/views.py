from django.shortcuts import render

from yikatong.web.permissions import requires

from . import selectors


@requires(selectors.can_view)
def received_list(request):
    return render(request, "banksim/files.html", {"files": selectors.received_files_for(request.user)[:200]})
