from django.urls import path

from reviews import views, views_extensions

urlpatterns = [
    path("", views.queue, name="review_queue"),
    path("plans/<int:pk>/", views.review_plan, name="review_plan"),
    path("plans/<int:pk>/decisions/", views.decisions, name="review_decisions"),
    path("plans/<int:pk>/timeline/", views.timeline, name="plan_timeline"),
    path("plans/<int:pk>/approve/", views.approve, name="review_approve"),
    path("plans/<int:pk>/return/", views.return_plan, name="review_return"),
    path("plans/<int:pk>/adopt/", views.adopt_preview, name="review_adopt"),
    path("plans/<int:pk>/adopt/confirm/", views.adopt_confirm, name="review_adopt_confirm"),
    path("plans/<int:pk>/publish/", views.publish, name="review_publish"),
    path("lines/<int:line_id>/recommend/", views.recommend_line, name="review_recommend_line"),
    path("lines/<int:line_id>/decide/", views.decide_line, name="review_decide_line"),
    path("bulk/preview/", views.bulk_preview, name="review_bulk_preview"),
    path("bulk/confirm/", views.bulk_confirm, name="review_bulk_confirm"),
    path("extensions/", views_extensions.extension_list, name="review_extensions"),
    path("extensions/<int:pk>/revoke/", views_extensions.extension_revoke, name="review_extension_revoke"),
]
