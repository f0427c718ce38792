from django.urls import path

from notifications import views

urlpatterns = [
    path("", views.inbox, name="inbox"),
    path("<int:pk>/open/", views.open_notification, name="notification_open"),
    path("read-all/", views.read_all, name="notifications_read_all"),
]
