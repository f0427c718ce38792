from django.urls import path

from plans import views

urlpatterns = [
    path("", views.plan_list, name="plan_list"),
    path("open/<int:round_id>/", views.plan_open, name="plan_open"),
    path("<int:pk>/", views.plan_detail, name="plan_detail"),
    path("<int:pk>/workspace/", views.plan_workspace, name="plan_workspace"),
    path("<int:pk>/lines/add/", views.line_add, name="line_add"),
    path("<int:pk>/lines/preview/", views.line_preview, name="line_preview"),
    path("<int:pk>/lines/copy-last-year/", views.plan_copy_last_year, name="plan_copy_last_year"),
    path("<int:pk>/lines/template.xlsx", views.lines_template, name="lines_template"),
    path("<int:pk>/lines/upload/", views.lines_upload, name="lines_upload"),
    path("<int:pk>/lines/upload/confirm/", views.lines_upload_confirm, name="lines_upload_confirm"),
    path("lines/<int:line_id>/edit/", views.line_edit, name="line_edit"),
    path("lines/<int:line_id>/update/", views.line_update, name="line_update"),
    path("lines/<int:line_id>/delete/", views.line_delete, name="line_delete"),
    path("<int:pk>/forms/<int:certificate_id>/", views.form_edit, name="form_edit"),
    path("<int:pk>/send-for-signoff/", views.plan_send_for_signoff, name="plan_send_for_signoff"),
    path("<int:pk>/sign-off/", views.plan_sign_off, name="plan_sign_off"),
    path("<int:pk>/send-back/", views.plan_send_back, name="plan_send_back"),
    path("certificates/", views.certificate_search, name="certificate_search"),
    path("certificates/<int:certificate_id>/levels/", views.certificate_levels, name="certificate_levels"),
]
