"""The two-factor pages (org/otp.py): enrol an authenticator app from a QR code drawn here (no
third party sees the secret), give the code at each login, and see the recovery codes once.
Mounted under /login/ by huxue/urls.py, reachable before the second factor is given."""

import base64
from urllib.parse import urlencode

import qrcode
import qrcode.image.svg
from django import forms
from django.contrib.auth.mixins import LoginRequiredMixin
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _
from django.views import View

from org.otp import (
    RECOVERY_CODES_SESSION_KEY,
    has_app,
    otp_enrolment_confirm,
    otp_enrolment_start,
    otp_verify,
    second_factor_pending,
    secret_text,
)


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_("Code"), max_length=16, strip=True,
        widget=forms.TextInput(attrs={
            "autocomplete": "one-time-code", "inputmode": "text", "autofocus": True,
            "class": "form-control form-control-lg text-center", "autocapitalize": "off",
        }),
    )


def qr_data_uri(text: str) -> str:
    """`text` as a QR code, an SVG in a data: address (the Content-Security-Policy allows data:
    images; nothing is fetched from elsewhere)."""
    image = qrcode.make(text, image_factory=qrcode.image.svg.SvgPathImage, box_size=8, border=2)
    return "data:image/svg+xml;base64," + base64.b64encode(image.to_string()).decode()


def next_url(request) -> str:
    """Where to go once the second factor is given: the page asked for, if it is this site's."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                       require_https=request.is_secure()):
        return target
    return "/"


class SecondFactorView(LoginRequiredMixin, View):
    def context(self, request, form, **extra) -> dict:
        return {"form": form, "next": next_url(request), **extra}


class VerifyView(SecondFactorView):
    """The code from the app, or a recovery code, after the password."""

    template_name = "registration/otp_verify.html"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            if not second_factor_pending(request.user):
                return redirect(next_url(request))
            if not has_app(request.user):
                return redirect(f"{reverse('otp_enrol')}?{request.GET.urlencode()}")
        return super().dispatch(request, *args, **kwargs)

    def get(self, request):
        return render(request, self.template_name, self.context(request, CodeForm()))

    def post(self, request):
        form = CodeForm(request.POST)
        if form.is_valid():
            if otp_verify(request=request, code=form.cleaned_data["code"]) is not None:
                return redirect(next_url(request))
            form.add_error("code", _("Wrong or already used code. Wait for the next code in the app and try again."))
        return render(request, self.template_name, self.context(request, form), status=200)


class EnrolView(SecondFactorView):
    """The first login of an account that needs a second factor: scan the QR code (or type the
    secret) into an authenticator app, then give its code to confirm it."""

    template_name = "registration/otp_enrol.html"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            if not second_factor_pending(request.user):
                return redirect(next_url(request))
            if has_app(request.user):
                return redirect(f"{reverse('otp_verify')}?{request.GET.urlencode()}")
        return super().dispatch(request, *args, **kwargs)

    def render_page(self, request, form):
        device = otp_enrolment_start(user=request.user)
        return render(request, self.template_name, self.context(
            request, form, qr=qr_data_uri(device.config_url), secret=secret_text(device),
        ))

    def get(self, request):
        return self.render_page(request, CodeForm())

    def post(self, request):
        form = CodeForm(request.POST)
        if form.is_valid():
            codes = otp_enrolment_confirm(
                request=request, device=otp_enrolment_start(user=request.user), code=form.cleaned_data["code"],
            )
            if codes is not None:
                request.session[RECOVERY_CODES_SESSION_KEY] = codes
                return redirect(f"{reverse('otp_recovery_codes')}?{urlencode({'next': next_url(request)})}")
            form.add_error("code", _("Wrong code. Wait a moment, then type the code the app shows now."))
        return self.render_page(request, form)


class RecoveryCodesView(LoginRequiredMixin, View):
    """The recovery codes just made, once: a reload shows them no more."""

    def get(self, request):
        codes = request.session.pop(RECOVERY_CODES_SESSION_KEY, None)
        if not codes:
            return redirect(next_url(request))
        return render(request, "registration/otp_recovery_codes.html", {"codes": codes, "next": next_url(request)})


urlpatterns = [
    path("otp/", VerifyView.as_view(), name="otp_verify"),
    path("otp/enrol/", EnrolView.as_view(), name="otp_enrol"),
    path("otp/recovery-codes/", RecoveryCodesView.as_view(), name="otp_recovery_codes"),
]
