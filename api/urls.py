from django.urls import path, re_path

from api import views

urlpatterns = [
    path("tokens/", views.token_list, name="api_tokens"),
    path("tokens/<int:pk>/revoke/", views.token_revoke, name="api_token_revoke"),
    re_path(r"^v1/(?P<rest>.*)$", views.not_found),
]
