from django.contrib import admin
from django.urls import include, path

from api.main import api as api_v1
from onex import bulletins, views

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("accounts/", include("accounts.urls")),
    path("rounds/", include("rounds.urls")),
    path("manage/catalog/", include("catalog.urls")),
    path("manage/", include("institutions.urls")),
    path("plans/", include("plans.urls")),
    path("documents/", include("documents.urls")),
    path("monitoring/bulletins/<int:pk>/publish/", bulletins.bulletin_publish, name="bulletin_publish"),
    path("monitoring/", include("monitoring.urls")),
    path("reviews/", include("reviews.urls")),
    path("adjustments/", include("adjustments.urls")),
    path("inbox/", include("notifications.urls")),
    path("notices/", include("notices.urls")),
    path("audit/", include("audit.urls")),
    path("api/v1/", api_v1.urls),
    path("api/", include("api.urls")),
    path("admin/", admin.site.urls),
]

handler400 = "onex.errors.bad_request"
handler403 = "onex.errors.permission_denied"
handler404 = "onex.errors.page_not_found"
handler500 = "onex.errors.server_error"
