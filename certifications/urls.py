"""Certification pages and exam-taking. Included before Wagtail's catch-all, so these paths win
over page paths; certification pages themselves are served by Wagtail under their academy."""

from django.urls import path

from certifications import views

app_name = "certifications"

urlpatterns = [
    path("certifications/", views.certification_list, name="list"),
    path("certifications/my-attempts/", views.my_attempts, name="my_attempts"),
    path("certifications/exams/<int:exam_id>/start/", views.exam_start, name="exam_start"),
    path("certifications/attempts/<uuid:public_id>/", views.attempt_take, name="attempt_take"),
    path("certifications/attempts/<uuid:public_id>/answer/", views.attempt_answer, name="attempt_answer"),
    path("certifications/attempts/<uuid:public_id>/submit/", views.attempt_submit, name="attempt_submit"),
    path("certifications/attempts/<uuid:public_id>/result/", views.attempt_result, name="attempt_result"),
]
