from django.urls import path

from catalog import views

urlpatterns = [
    path("", views.certificate_list, name="catalog_list"),
    path("<int:certificate_id>/", views.certificate_detail, name="catalog_certificate"),
    path("<int:certificate_id>/restriction/", views.certificate_restriction, name="catalog_restriction"),
    path("<int:certificate_id>/levels/", views.certificate_levels, name="catalog_levels"),
    path("<int:certificate_id>/majors/", views.certificate_majors, name="catalog_majors"),
]
