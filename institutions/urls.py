from django.urls import path

from institutions import views

urlpatterns = [
    path("import/", views.import_data, name="import_data"),
    path("institutions/<int:pk>/", views.institution_detail, name="institution_detail"),
    path("institutions/<int:pk>/contacts/", views.institution_contacts, name="institution_contacts"),
    path("institutions/mine/", views.my_institution, name="my_institution"),
]
