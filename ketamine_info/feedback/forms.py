from django import forms
from django.core.exceptions import ValidationError
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .models import MESSAGE_MAX, Report

# A field people never see; a form-filling robot fills it in.
TRAP = "website"


class ReportForm(forms.Form):
    page = forms.CharField(max_length=300, widget=forms.HiddenInput)
    helped = forms.ChoiceField(
        label=gettext_lazy("Did this page help you?"),
        choices=Report.Helped.choices,
        required=False,
        widget=forms.RadioSelect,
    )
    message = forms.CharField(
        label=gettext_lazy("What is wrong, missing or unclear?"),
        max_length=MESSAGE_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4, "maxlength": MESSAGE_MAX}),
    )
    website = forms.CharField(required=False, max_length=300)

    def clean_page(self):
        page = self.cleaned_data["page"]
        # Only an address on this site, as a path: never a link elsewhere.
        if not page.startswith("/") or not url_has_allowed_host_and_scheme(page, None):
            raise ValidationError(_("This report is not about a page of this site."))
        return page

    def clean_message(self):
        return self.cleaned_data["message"].replace("\r\n", "\n").strip()

    def clean(self):
        data = super().clean()
        if not data.get("helped") and not data.get("message") and not self.errors:
            raise ValidationError(_("Choose Yes or No, or tell us what is wrong, then send."))
        return data

    @property
    def is_robot(self) -> bool:
        return bool(self.data.get(TRAP, "").strip())
