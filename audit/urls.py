from django.urls import path

from audit import views

urlpatterns = [
    path("", views.search, name="audit_search"),
    path("export.xlsx", views.export, name="audit_export"),
]
