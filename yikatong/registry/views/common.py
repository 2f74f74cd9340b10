from django.shortcuts import render


def forbidden(request):
    return render(request, "web/forbidden.html", status=403)
