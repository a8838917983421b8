from django.urls import path

from certifications.exams import admin_views

urlpatterns = [
    path("", admin_views.index, name="index"),
    path("<int:exam_id>/", admin_views.exam_report, name="exam_report"),
    path("<int:exam_id>/accommodations/", admin_views.accommodation_grant, name="accommodation_grant"),
    path("attempts/<int:attempt_id>/reopen/", admin_views.attempt_reopen, name="attempt_reopen"),
    path("pools/<int:pool_id>/import/", admin_views.pool_import, name="pool_import"),
    path("pools/<int:pool_id>/export.<str:fmt>", admin_views.pool_export, name="pool_export"),
]
