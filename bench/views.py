"""Django's floor: a page in the portal's layout without queries, and a bare insert."""

from django.db import connection
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.csrf import csrf_exempt

PARAGRAPHS = [f"Absatz {i}: " + "Lenze Remote Support via TeamViewer. " * 18 for i in range(12)]


def baseline_page(request: HttpRequest) -> HttpResponse:
    return render(request, "bench/page.html", {"paragraphs": PARAGRAPHS})


@csrf_exempt
def baseline_insert(request: HttpRequest) -> HttpResponse:
    with connection.cursor() as cursor:
        cursor.execute("INSERT INTO bench_row (payload) VALUES (%s)", ["x" * 64])
    return HttpResponse("ok", content_type="text/plain")
