"""manage.py demo_otp <username>: the two-factor code a demo account's authenticator app would
show now (the demo's shared secret, demo.district.DEMO_OTP_SECRET), so the demo logs in
without a phone. Refuses any account that is not one of the demo's, or whose app is not the
demo's secret."""

from django.core.management.base import BaseCommand, CommandError
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from demo.district import DEMO_OTP_SECRET, DEMO_USERNAMES
from org.otp import key_from_secret


class Command(BaseCommand):
    help = "Print the current two-factor code of a demo account (demo accounts only)."

    def add_arguments(self, parser):
        parser.add_argument("username", help=f"One of the demo accounts: {', '.join(DEMO_USERNAMES)}.")

    def handle(self, *args, username, **options):
        if username not in DEMO_USERNAMES:
            raise CommandError(f"{username} is not a demo account; demo_otp prints demo accounts' codes only.")
        device = TOTPDevice.objects.filter(
            user__username=username, confirmed=True, key=key_from_secret(DEMO_OTP_SECRET)
        ).first()
        if device is None:
            raise CommandError(
                f"{username} has no demo authenticator (its role needs no code, or its app is its own)."
            )
        totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
        self.stdout.write(f"{totp.token():0{device.digits}d}")
