"""The product's URLs plus one bare view, the load test's baseline (bench/load_test.py)."""

from django.http import HttpResponse
from django.urls import path

from onex.urls import urlpatterns as product_urlpatterns


def bare(request):
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [path("bench/bare", bare), *product_urlpatterns]
