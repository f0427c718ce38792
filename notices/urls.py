from django.urls import path

from notices import views

urlpatterns = [
    path("", views.notice_list, name="notice_list"),
    path("new/", views.notice_create, name="notice_create"),
    path("contacts/", views.contacts, name="contacts"),
    path("templates/", views.template_list, name="notice_templates"),
    path("templates/<int:year>/<slug:template>.<str:fmt>", views.template_download, name="notice_template"),
    path("<int:year>/<int:pk>/", views.notice_detail, name="notice_detail"),
    path("<int:year>/<int:pk>/edit/", views.notice_edit, name="notice_edit"),
    path("<int:year>/<int:pk>/publish/", views.notice_publish, name="notice_publish"),
    path("<int:year>/<int:pk>/withdraw/", views.notice_withdraw, name="notice_withdraw"),
    path("<int:year>/<int:pk>/confirm/", views.notice_confirm, name="notice_confirm"),
    path("<int:year>/<int:pk>/receipts/", views.notice_receipts, name="notice_receipts"),
    path("<int:year>/<int:pk>/remind/", views.notice_remind, name="notice_remind"),
    path("<int:year>/<int:pk>/attachments/", views.attachment_add, name="notice_attachment_add"),
    path("<int:year>/<int:pk>/attachments/<int:attachment_id>/", views.attachment_download, name="notice_attachment"),
    path(
        "<int:year>/<int:pk>/attachments/<int:attachment_id>/remove/",
        views.attachment_remove,
        name="notice_attachment_remove",
    ),
]
