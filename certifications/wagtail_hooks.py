"""Registers the certification areas of the Wagtail admin, and nothing else: the Certification
exams menu (question pools, questions, exams; `certifications.exams.viewsets`) and exam results
(`certifications.exams.admin_views`), certificates and certificate templates
(`certifications.certificates`), certificate imports
(`certifications.certificates.import_admin`), delivery-right rules and the programme dashboard
(`certifications.rights`). Vendor staff (authors) see and change only their own vendors' question
banks and exams; the rest is for the vendor's programme managers."""

from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet

from certifications.certificates import admin_views as certificate_admin
from certifications.certificates import import_admin, name_correction_views
from certifications.certificates.template_admin import CertificateTemplateViewSet
from certifications.exams import admin_urls
from certifications.exams.viewsets import CertificationExamsGroup
from certifications.exports import archive_views
from certifications.exports import views as export_views
from certifications.models import CertificateTemplate, Exam, Question, QuestionPool
from certifications.rights import dashboard_views
from certifications.rights.rules_admin import DeliveryRuleViewSet
from community.admin_scoping import ManagerMenuItem, StaffMenuItem, VendorScopedPolicy

register_permission_policy(QuestionPool, VendorScopedPolicy(QuestionPool, "vendor"))
register_permission_policy(Question, VendorScopedPolicy(Question, "pool__vendor"))
register_permission_policy(Exam, VendorScopedPolicy(Exam, "certification__vendor"))
register_permission_policy(CertificateTemplate, VendorScopedPolicy(CertificateTemplate, "vendor", managers_only=True))


register_snippet(CertificationExamsGroup)
register_snippet(CertificateTemplateViewSet)
register_snippet(DeliveryRuleViewSet)


@hooks.register("register_admin_urls")
def register_exam_admin_urls():
    return [path("exams/", include((admin_urls.urlpatterns, "certifications_admin"), namespace="certifications_admin"))]


@hooks.register("register_admin_menu_item")
def register_exam_results_menu_item():
    return StaffMenuItem(
        _("Exam results"), reverse("certifications_admin:index"), icon_name="doc-full-inverse", order=260
    )


@hooks.register("register_admin_urls")
def register_certificate_admin_urls():
    return [
        path("certificates/name-corrections/", name_correction_views.queue, name="name_corrections"),
        path(
            "certificates/name-corrections/<int:correction_id>/decide/",
            name_correction_views.decide,
            name="name_correction_decide",
        ),
        path(
            "certificates/name-corrections/<int:correction_id>/superseded.pdf",
            name_correction_views.superseded_pdf,
            name="name_correction_superseded_pdf",
        ),
        path(
            "certificates/",
            include((certificate_admin.urlpatterns, "certificates_admin"), namespace="certificates_admin"),
        ),
    ]


@hooks.register("register_admin_menu_item")
def register_name_corrections_menu_item():
    return ManagerMenuItem(_("Name corrections"), reverse("name_corrections"), icon_name="user", order=266)


@hooks.register("register_admin_menu_item")
def register_certificates_menu_item():
    return ManagerMenuItem(_("Certificates"), reverse("certificates_admin:index"), icon_name="tick-inverse", order=265)


@hooks.register("register_admin_urls")
def register_certificate_import_urls():
    return [
        path(
            "certificate-imports/",
            include((import_admin.urlpatterns, "certificate_imports"), namespace="certificate_imports"),
        )
    ]


@hooks.register("register_admin_menu_item")
def register_certificate_imports_menu_item():
    return ManagerMenuItem(
        _("Import certificates"), reverse("certificate_imports:index"), icon_name="upload", order=266
    )


@hooks.register("register_admin_urls")
def register_programme_dashboard_url():
    return [
        path("programme/", dashboard_views.programme, name="programme_dashboard"),
        path("programme/authorised/", dashboard_views.authorised_on, name="programme_authorised_on"),
        path("programme/forecast/", dashboard_views.forecast_organisations, name="programme_forecast"),
        path("programme/export/<slug:kind>.csv", export_views.vendor_export, name="programme_export"),
        path("programme/archives/", archive_views.archive_list, name="certificate_archives"),
        path("programme/archives/<int:archive_id>/", archive_views.archive_download, name="certificate_archive"),
    ]


@hooks.register("register_admin_menu_item")
def register_programme_dashboard_menu_item():
    return ManagerMenuItem(_("Programme dashboard"), reverse("programme_dashboard"), icon_name="view", order=255)


@hooks.register("construct_homepage_summary_items")
def add_programme_summary_item(request, items):
    items.append(dashboard_views.ProgrammeSummaryItem(request))
