"""The product's URLs plus two bench-only views, the load test's baselines (bench/load_test.py): a bare response
(no query, no template) and, signed in, the site's base template alone (its navigation, no page content)."""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import path

from onex.urls import urlpatterns as product_urlpatterns


def bare(request):
    return HttpResponse("ok", content_type="text/plain")


@login_required
def base(request):
    return render(request, "base.html")


urlpatterns = [path("bench/bare", bare), path("bench/base", base), *product_urlpatterns]
