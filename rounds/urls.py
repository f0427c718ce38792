from django.urls import path

from rounds import views

urlpatterns = [
    path("", views.round_list, name="round_list"),
    path("<int:pk>/", views.round_detail, name="round_detail"),
]
