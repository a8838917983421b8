"""Certificate templates in the Wagtail admin: one per vendor, edited by that vendor's programme
managers only (who also regenerate its PDFs).

The form checks a template by rendering a sample certificate with it, so a mistake is a sentence
on the form, and previews the template as typed (before saving) as a PDF. The edit view also
offers the saved template's preview and the bulk regeneration of the vendor's PDFs, whose page
shows each regeneration's progress."""

from django import forms
from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_POST
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import FieldPanel, FieldRowPanel, ObjectList, Panel
from wagtail.admin.widgets.button import HeaderButton
from wagtail.snippets.views.snippets import SnippetViewSet

from certifications.certificates.regeneration import RegenerationRunning, certificate_pdfs_regenerate
from certifications.certificates.vendor_templates import (
    certificate_template_problems,
    certificate_template_try,
    certificates_to_regenerate_count,
    pdf_batches_for_vendor,
)
from certifications.models import CertificateTemplate
from community.admin_scoping import ScopedDeleteView, ScopedEditView
from community.errors import error_text
from community.selectors import vendors_for_managers

HTML_HELP = gettext_lazy(
    "A Django template for the whole A4 landscape page; leave it empty for the platform's layout, or "
    'start from it with {% extends "certifications/certificate_pdf.html" %} and restyle it in '
    "{% block extra_style %}. It must print {{ holder_name }}, {{ serial }} and {{ qr_svg }}, and may use "
    "{{ certification_name }}, {{ vendor_name }}, {{ products }}, {{ issued_on }}, {{ expires_on }}, "
    "{{ verification_url }}, {{ logo_data_uri }}, {{ brand_colour }}, {{ signatory_name }} and "
    '{{ signatory_title }}. Fonts: "Certificate Sans", "Certificate Serif", "Certificate Sans SC" '
    "(Chinese). Images must be data: URIs; nothing is loaded from the network."
)


class CertificateTemplateForm(WagtailAdminModelForm):
    """Only the person's own vendors are offered (on a new template, those without one yet); the
    vendor of an existing template is fixed. The template must render a sample certificate."""

    def __init__(self, *args, for_user=None, **kwargs):
        super().__init__(*args, for_user=for_user, **kwargs)
        self.fields["html"].help_text = HTML_HELP
        field = self.fields.get("vendor")
        if field is None or for_user is None:
            return
        vendors = vendors_for_managers(user=for_user)
        if self.instance.pk:
            field.disabled = True
        else:
            vendors = vendors.filter(certificate_template__isnull=True)
            if not vendors:
                field.help_text = _("Each of your vendors already has a template: open it from the list to edit it.")
        field.widget = forms.Select()
        field.queryset = vendors
        if not self.instance.pk and len(vendors) == 1:
            field.initial = vendors[0].pk

    def clean(self):
        cleaned = super().clean()
        vendor = cleaned.get("vendor") or (self.instance.vendor if self.instance.vendor_id else None)
        if vendor is None or "html" not in cleaned:
            return cleaned
        for problem in certificate_template_problems(
            vendor=vendor,
            html=cleaned["html"],
            signatory_name=cleaned.get("signatory_name", ""),
            signatory_title=cleaned.get("signatory_title", ""),
        ):
            self.add_error("html", problem)
        return cleaned

    def save(self, commit=True):
        self.instance.updated_by = self.for_user
        return super().save(commit)


class TemplatePreviewPanel(Panel):
    """A button that opens the template as it stands in the form (saved or not) as a PDF of a sample
    certificate in a new tab, so staff see a change before it reaches real certificates."""

    class BoundPanel(Panel.BoundPanel):
        template_name = "certifications/admin/certificate_template_preview_panel.html"

        def get_context_data(self, parent_context=None):
            context = super().get_context_data(parent_context)
            viewset = CertificateTemplate.snippet_viewset
            if self.instance.pk:
                context["preview_url"] = reverse(viewset.get_url_name("preview"), args=[self.instance.pk])
            else:
                context["preview_url"] = reverse(viewset.get_url_name("preview_new"))
            return context


class CertificateTemplateEditView(ScopedEditView):
    @cached_property
    def header_buttons(self):
        namespace = self.request.resolver_match.namespace
        return [
            *super().header_buttons,
            HeaderButton(
                _("Preview PDF"),
                url=reverse(f"{namespace}:preview", args=[self.object.pk]),
                icon_name="view",
                attrs={"target": "_blank", "rel": "noopener"},
            ),
            HeaderButton(
                _("Regenerate PDFs"),
                url=reverse(f"{namespace}:regenerate", args=[self.object.pk]),
                icon_name="rotate",
            ),
        ]


def _template_for_manager(request, pk) -> CertificateTemplate:
    template = (
        CertificateTemplate.objects.filter(pk=pk, vendor__in=vendors_for_managers(user=request.user))
        .select_related("vendor__logo")
        .first()
    )
    if template is None:
        raise Http404
    return template


def _preview_response(request, *, vendor, html, signatory_name, signatory_title):
    """The sample certificate as a PDF shown in the browser; for text that cannot make one, a page
    listing what is wrong (as the form would)."""
    problems, rendered = certificate_template_try(
        vendor=vendor, html=html, signatory_name=signatory_name, signatory_title=signatory_title
    )
    if rendered is None:
        return render(
            request, "certifications/admin/certificate_template_problems.html", {"problems": problems}, status=400
        )
    response = HttpResponse(rendered.content, content_type="application/pdf")
    response["Content-Disposition"] = 'inline; filename="certificate-preview.pdf"'
    return response


def template_preview(request, pk):
    """GET: the saved template on a sample certificate. POST: the template as typed in the form."""
    template = _template_for_manager(request, pk)
    source = request.POST if request.method == "POST" else None
    return _preview_response(
        request,
        vendor=template.vendor,
        html=source.get("html", "") if source else template.html,
        signatory_name=source.get("signatory_name", "") if source else template.signatory_name,
        signatory_title=source.get("signatory_title", "") if source else template.signatory_title,
    )


@require_POST
def template_preview_new(request):
    """A template not saved yet, for one of the person's own vendors."""
    vendor = vendors_for_managers(user=request.user).filter(pk=request.POST.get("vendor") or None).first()
    if vendor is None:
        return render(
            request,
            "certifications/admin/certificate_template_problems.html",
            {"problems": [_("Choose the vendor first.")]},
            status=400,
        )
    return _preview_response(
        request,
        vendor=vendor,
        html=request.POST.get("html", ""),
        signatory_name=request.POST.get("signatory_name", ""),
        signatory_title=request.POST.get("signatory_title", ""),
    )


def template_regenerate(request, pk):
    """GET: what a regeneration covers, and the progress of the vendor's regenerations.
    POST: start one (tasks re-render the PDFs; serials, dates and printed names stay)."""
    template = _template_for_manager(request, pk)
    namespace = request.resolver_match.namespace
    if request.method == "POST":
        try:
            batch = certificate_pdfs_regenerate(vendor=template.vendor, requested_by=request.user)
        except RegenerationRunning as error:
            messages.error(request, error_text(error))
        else:
            message = ngettext(
                "Regenerating %(count)d PDF of %(vendor)s.", "Regenerating %(count)d PDFs of %(vendor)s.", batch.total
            )
            messages.success(request, message % {"count": batch.total, "vendor": template.vendor})
        return redirect(reverse(f"{namespace}:regenerate", args=[pk]))
    batches = list(pdf_batches_for_vendor(vendor=template.vendor))
    return render(
        request,
        "certifications/admin/certificate_regenerate.html",
        {
            "template": template,
            "count": certificates_to_regenerate_count(vendor=template.vendor),
            "batches": batches,
            "running": any(batch.finished_at is None for batch in batches),
            "edit_url": reverse(f"{namespace}:edit", args=[pk]),
        },
    )


class CertificateTemplateViewSet(SnippetViewSet):
    model = CertificateTemplate
    icon = "doc-full"
    menu_label = gettext_lazy("Certificate templates")
    menu_order = 270
    add_to_admin_menu = True
    edit_view_class = CertificateTemplateEditView
    delete_view_class = ScopedDeleteView
    list_display = ["vendor", "signatory_name", "updated_at"]
    edit_handler = ObjectList(
        [
            FieldPanel("vendor"),
            FieldRowPanel([FieldPanel("signatory_name"), FieldPanel("signatory_title")]),
            FieldPanel("html", widget=forms.Textarea(attrs={"rows": 24, "style": "font-family: monospace"})),
            TemplatePreviewPanel(),
        ],
        base_form_class=CertificateTemplateForm,
    )

    def get_queryset(self, request):
        return CertificateTemplate.objects.filter(vendor__in=vendors_for_managers(user=request.user)).select_related(
            "vendor"
        )

    def get_urlpatterns(self):
        return [
            *super().get_urlpatterns(),
            path("preview/", template_preview_new, name="preview_new"),
            path("preview/<int:pk>/", template_preview, name="preview"),
            path("regenerate/<int:pk>/", template_regenerate, name="regenerate"),
        ]
