"""Certification pages and exam-taking. Included before Wagtail's catch-all, so these paths win
over page paths; certification pages themselves are served by Wagtail under their academy."""

from django.urls import path

from certifications.certificates import name_correction_views
from certifications.certificates import views as views_certificates
from certifications.exams import views
from certifications.exports import views as export_views
from certifications.rights import views as rights_views
from certifications.verification import views as verification_views

app_name = "certifications"

urlpatterns = [
    path("certifications/", views.certification_list, name="list"),
    path("certifications/my-attempts/", views.my_attempts, name="my_attempts"),
    path("certifications/exams/<int:exam_id>/start/", views.exam_start, name="exam_start"),
    path("certifications/attempts/<uuid:public_id>/", views.attempt_take, name="attempt_take"),
    path("certifications/attempts/<uuid:public_id>/answer/", views.attempt_answer, name="attempt_answer"),
    path("certifications/attempts/<uuid:public_id>/submit/", views.attempt_submit, name="attempt_submit"),
    path("certifications/attempts/<uuid:public_id>/result/", views.attempt_result, name="attempt_result"),
    path("certificates/", views_certificates.my_certificates, name="my_certificates"),
    path("certificates/<str:serial>/pdf/", views_certificates.certificate_pdf, name="certificate_pdf"),
    path("certificates/<str:serial>/name/", name_correction_views.request_form, name="name_correction"),
    path("organisation/<slug:slug>/certificates/", views_certificates.team_certificates, name="team_certificates"),
    path("verify/", verification_views.verify, name="verify"),
    path("verify/<str:serial>/", verification_views.verify_serial, name="verify_serial"),
    path("organisation/<slug:slug>/delivery-rights/", rights_views.gap, name="gap"),
    path("organisation/<slug:slug>/export/<slug:kind>.csv", export_views.team_export, name="team_export"),
]
