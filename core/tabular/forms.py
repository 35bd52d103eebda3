"""The upload field of every import form: .csv or .xlsx, at most MAX_BYTES."""

from django import forms
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from core.tabular.files import SUPPORTED_EXTENSIONS

MAX_BYTES = 10 * 1024 * 1024


class TableFileField(forms.FileField):
    def __init__(self, **kwargs):
        kwargs.setdefault("label", _("File"))
        kwargs.setdefault(
            "help_text",
            _(
                ".xlsx, or CSV in UTF-8 or Shift_JIS (CP932). The first row holds the column names "
                "(the headers of an export, in Japanese or English, or the column codes)."
            ),
        )
        kwargs.setdefault(
            "widget", forms.ClearableFileInput(attrs={"accept": ",".join(SUPPORTED_EXTENSIONS)})
        )
        super().__init__(**kwargs)

    def clean(self, data, initial=None):
        upload = super().clean(data, initial)
        if upload and not upload.name.lower().endswith(SUPPORTED_EXTENSIONS):
            raise ValidationError(_("Upload a .csv or .xlsx file."), code="bad_type")
        if upload and upload.size > MAX_BYTES:
            raise ValidationError(
                _("The file is larger than %(limit)s."),
                code="too_large",
                params={"limit": filesizeformat(MAX_BYTES)},
            )
        return upload
