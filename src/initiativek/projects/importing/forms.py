from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .reading import IMPORT_MAX_BYTES, table_read


class ImportUploadForm(forms.Form):
    """The organization and the file; a valid form carries the file's ``content`` and
    ``table`` in ``cleaned_data``."""

    organization = forms.ModelChoiceField(
        label=gettext_lazy("Für welche Organisation?"), queryset=None
    )
    file = forms.FileField(
        label=gettext_lazy("Datei"),
        help_text=gettext_lazy("CSV (UTF-8) oder Excel-Arbeitsmappe (XLSX), höchstens 2 MB."),
    )

    def __init__(self, *args, organizations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = organizations
        if organizations.count() == 1:
            self.fields["organization"].initial = organizations.first()
            self.fields["organization"].widget = forms.HiddenInput()

    def clean_file(self):
        uploaded = self.cleaned_data["file"]
        if uploaded.size > IMPORT_MAX_BYTES:
            raise ValidationError(_("Die Datei ist zu groß; erlaubt sind höchstens 2 MB."))
        content = uploaded.read(IMPORT_MAX_BYTES + 1)
        self.cleaned_data["table"] = table_read(content)
        self.cleaned_data["content"] = content
        return uploaded
