from django.urls import path

from adjustments import views

urlpatterns = [
    path("", views.index, name="adjustment_index"),
    path("plan/<int:pk>/", views.plan_adjustments, name="plan_adjustments"),
    path("plan/<int:pk>/new/", views.request_create, name="adjustment_create"),
    path("plan/<int:pk>/preview/", views.request_preview, name="adjustment_preview"),
    path("<int:pk>/", views.request_detail, name="adjustment_detail"),
    path("<int:pk>/edit/", views.request_edit, name="adjustment_edit"),
    path("<int:pk>/send/", views.request_send, name="adjustment_send"),
    path("<int:pk>/sign/office-head/", views.request_sign_office_head, name="adjustment_sign_office_head"),
    path("<int:pk>/sign/leader/", views.request_sign_leader, name="adjustment_sign_leader"),
    path("<int:pk>/send-back/", views.request_send_back, name="adjustment_send_back"),
    path("<int:pk>/withdraw/", views.request_withdraw, name="adjustment_withdraw"),
    path("<int:pk>/bureau/forward/", views.bureau_forward, name="adjustment_bureau_forward"),
    path("<int:pk>/bureau/return/", views.bureau_return, name="adjustment_bureau_return"),
    path("<int:pk>/decide/", views.request_decide, name="adjustment_decide"),
    path("<int:pk>/request.<str:fmt>", views.request_download, name="adjustment_download"),
    path("<int:pk>/scan/", views.request_scan, name="adjustment_scan"),
]
