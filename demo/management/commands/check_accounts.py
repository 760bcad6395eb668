"""manage.py check_accounts [--production]: fails (exit 1, naming the accounts) when an active
account is a superuser or holds two of the three administrator roles (三权分立); with
--production also when a demo account, the demo password or the demo's two-factor secret is there.

It lives with the demo because it must know the demo's accounts; the rules on roles are
org's (org.selectors.account_separation_breaches)."""

from django.core.management.base import BaseCommand, CommandError

from django_otp.plugins.otp_totp.models import TOTPDevice

from demo.district import DEFAULT_DEMO_PASSWORD, DEMO_OTP_SECRET, DEMO_USERNAMES
from org.models import User
from org.otp import key_from_secret
from org.selectors import account_separation_breaches


class Command(BaseCommand):
    help = (
        "Fail when an active account is a superuser or holds two of the administrator roles "
        "(system, security, audit); with --production, also when a demo account or password is present."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--production", action="store_true",
            help="Also refuse the demo's accounts and any account with the demo's default password.",
        )

    def handle(self, *args, production, **options):
        problems = account_separation_breaches()
        if production:
            problems += demo_accounts_left()
        if problems:
            raise CommandError(
                "Accounts that break the rules:\n" + "\n".join(f"  {name}: {why}" for name, why in problems)
            )
        checked = User.objects.filter(is_active=True).count()
        self.stdout.write(self.style.SUCCESS(f"{checked} active accounts checked: no superuser, "
                                             "no account holding two administrator roles."))


def demo_accounts_left() -> list[tuple[str, str]]:
    found = []
    demo_secret = set(TOTPDevice.objects.filter(key=key_from_secret(DEMO_OTP_SECRET)).values_list("user", flat=True))
    for user in User.objects.filter(is_active=True).order_by("username"):
        if user.username in DEMO_USERNAMES:
            found.append((user.username, "is a demo account"))
        elif user.check_password(DEFAULT_DEMO_PASSWORD):
            found.append((user.username, "has the demo password"))
        elif user.pk in demo_secret:
            found.append((user.username, "has the demo two-factor secret"))
    return found
