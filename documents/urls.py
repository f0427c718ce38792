from django.urls import path

from documents import views, views_bundles, views_scans

urlpatterns = [
    path("", views.documents_home, name="documents_home"),
    path("plan/<int:pk>/", views.plan_documents, name="plan_documents"),
    path("plan/<int:pk>/summary.xlsx", views.institution_summary_download, name="institution_summary_download"),
    path(
        "plan/<int:pk>/form/<int:certificate_id>.<str:fmt>",
        views.application_form_download,
        name="application_form_download",
    ),
    path("plan/<int:pk>/scans/", views_scans.plan_scan_upload, name="plan_scan_upload"),
    path("scans/<int:pk>/", views_scans.scan_download, name="scan_download"),
    path("round/<int:pk>/bureau/<int:bureau_id>/", views.bureau_documents, name="bureau_documents"),
    path(
        "round/<int:pk>/bureau/<int:bureau_id>/summary.xlsx",
        views.bureau_summary_download,
        name="bureau_summary_download",
    ),
    path("round/<int:pk>/bureau/<int:bureau_id>/scans/", views_scans.bureau_scan_upload, name="bureau_scan_upload"),
    path("round/<int:pk>/province/", views.province_documents, name="province_documents"),
    path("round/<int:pk>/province/summary.xlsx", views.provincial_summary_download, name="provincial_summary_download"),
    path("round/<int:pk>/bundles/", views_bundles.bundle_request, name="bundle_request"),
    path("bundles/<int:pk>/", views_bundles.bundle_detail, name="bundle_detail"),
    path("bundles/<int:pk>/progress/", views_bundles.bundle_progress, name="bundle_progress"),
    path("bundles/<int:pk>/download/", views_bundles.bundle_download, name="bundle_download"),
]
