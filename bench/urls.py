from django.urls import path

from bench import views
from lenze_support.urls import handler404, handler500, urlpatterns  # noqa: F401

urlpatterns = [
    path("__bench__/page", views.baseline_page),
    path("__bench__/insert", views.baseline_insert),
    *urlpatterns,
]
