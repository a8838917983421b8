"""The two questions `/verify/` asks: a serial as typed, or the certificate PDF itself. They only
parse input; `certifications.verification.lookup` answers."""

from django import forms
from django.utils.translation import gettext_lazy as _

from certifications.certificates.serials import SerialStatus, serial_check
from certifications.verification.lookup import PDF_MAX_BYTES, pdf_too_large_message


class SerialForm(forms.Form):
    serial = forms.CharField(
        label=_("Certificate serial"),
        max_length=64,
        help_text=_(
            "As printed on the certificate, for example PA-7K3M-9QX2-WD4F. Case, spaces and dashes do not matter."
        ),
        widget=forms.TextInput(
            attrs={
                "autocomplete": "off",
                "autocapitalize": "characters",
                "spellcheck": "false",
                "placeholder": "PA-XXXX-XXXX-XXXX",
            }
        ),
    )

    def clean_serial(self) -> str:
        """The canonical serial; a malformed or mistyped one is an error that says which."""
        check = serial_check(self.cleaned_data["serial"])
        if check.status is SerialStatus.MALFORMED:
            raise forms.ValidationError(
                _(
                    "This is not a certificate serial. A serial has the letters PA followed by twelve letters "
                    "and digits."
                ),
                code="malformed",
            )
        if check.status is SerialStatus.MISTYPED:
            raise forms.ValidationError(
                _(
                    "This serial is mistyped: %(serial)s does not pass its check character. Check it against the "
                    "certificate and try again."
                ),
                code="mistyped",
                params={"serial": check.serial},
            )
        return check.serial


class PdfUploadForm(forms.Form):
    pdf = forms.FileField(
        label=_("Certificate PDF"), widget=forms.ClearableFileInput(attrs={"accept": "application/pdf,.pdf"})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["pdf"].help_text = _(
            "The PDF file as you received it, at most %(size)d MB. It is compared with the certificates we "
            "issued and not kept."
        ) % {"size": PDF_MAX_BYTES // (1024 * 1024)}

    @classmethod
    def too_large(cls) -> "PdfUploadForm":
        """The form as shown for an upload refused unread, its size being over the limit."""
        form = cls(data={}, files={})
        form.full_clean()
        form.errors["pdf"] = form.error_class([pdf_too_large_message()])
        return form
