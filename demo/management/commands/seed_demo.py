"""Load the demo district (船山分局) and one login per role.

Safe to run on every start (`make run` does): if the demo bureau is already there it says so
and changes nothing. `--reset` wipes units, people, schools, posts, timetables, terms,
calendar overrides and every account first, then loads the demo again."""

import time

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.db.models import ProtectedError, RestrictedError

from demo.district import (
    BUREAU_NAME,
    DEFAULT_DEMO_PASSWORD,
    DEFAULT_SEED,
    DEMO_OTP_SECRET,
    DEMO_USERNAMES,
    DEMO_USERS,
    build_demo,
    demo_present,
    reset_demo,
)
from org.models import Unit, User
from org.otp import second_factor_required


class Command(BaseCommand):
    help = (
        f"Load the demo district ({BUREAU_NAME}: stations, schools, 106 posts, people, "
        "timetables) and one login per role. Does nothing if the demo is already loaded."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--password", default=DEFAULT_DEMO_PASSWORD,
            help=f"Password of every demo account (default: {DEFAULT_DEMO_PASSWORD}).",
        )
        parser.add_argument("--seed", type=int, default=DEFAULT_SEED, help="Random seed of the demo data.")
        parser.add_argument(
            "--reset", action="store_true",
            help="First delete ALL units, people, schools, posts, timetables, terms, calendar "
            "overrides and user accounts (not only the demo's), then load the demo.",
        )
        parser.add_argument(
            "--noinput", "--no-input", action="store_false", dest="interactive",
            help="Do not ask for confirmation before --reset.",
        )

    def handle(self, *args, password, seed, reset, interactive, **options):
        if reset:
            if interactive and not self.confirm_reset():
                self.stdout.write("Reset cancelled; nothing changed.")
                return
        elif demo_present():
            self.stdout.write(f"Demo data is already there ({BUREAU_NAME} exists); nothing changed.")
            return
        elif Unit.objects.exists():
            self.stderr.write(
                "The database already holds units that are not the demo's; not adding demo data "
                "(use --reset to replace everything with the demo)."
            )
            return
        else:
            taken = sorted(
                User.objects.filter(username__in=DEMO_USERNAMES).values_list("username", flat=True)
            )
            if taken:
                raise CommandError(
                    f"Demo usernames already taken: {', '.join(taken)}. Remove those accounts or "
                    "use --reset."
                )

        progress = self.stdout if options["verbosity"] > 1 else None
        started = time.monotonic()
        try:
            with transaction.atomic():
                if reset:
                    reset_demo(stdout=progress)
                counts = build_demo(password=password, seed=seed, stdout=progress)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        except (ProtectedError, RestrictedError) as error:
            raise CommandError(f"Cannot reset: other data still refers to it ({error.args[0]})") from None
        self.report(counts, password, time.monotonic() - started)

    def confirm_reset(self) -> bool:
        answer = input(
            "This deletes ALL units, people, schools, posts, timetables, terms, calendar "
            "overrides, shifts, spot checks, bulletins and user accounts in the database, then "
            "loads the demo.\n"
            "Type 'yes' to continue: "
        )
        return answer.strip().lower() == "yes"

    def report(self, counts: dict, password: str, seconds: float) -> None:
        lines = [self.style.SUCCESS(f"Demo data loaded in {seconds:.1f} s:")]
        rows = [
            ("units", counts["units"]),
            ("schools", counts["schools"]),
            ("posts", counts["posts"]),
            ("people", counts["people"]),
            *[(f"  {kind}", number) for kind, number in counts["people_by_kind"].items()],
            ("  guards hired this term", counts["guards_hired_this_term"]),
            ("  guards dismissed", counts["guards_dismissed"]),
            ("timetables", counts["timetables"]),
            ("terms", counts["terms"]),
            ("calendar overrides", counts["calendar_overrides"]),
            ("users", counts["users"]),
        ]
        # Then what each app's demo hook added: its counts, named by their keys.
        for app_counts in counts["apps"].values():
            rows += [(key.replace("_", " "), number) for key, number in app_counts.items() if isinstance(number, int)]
        lines += [f"  {label:<26}{number:>6}" for label, number in rows]
        needs_code = {user.username for user in User.objects.filter(username__in=DEMO_USERNAMES)
                      if second_factor_required(user)}
        width = max(14, len(password) + 2)
        lines += ["", "Demo logins:", f"  {'username':<13}{'role':<12}{'password':<{width}}{'2FA code':<10}unit"]
        lines += [
            f"  {username:<13}{role:<12}{password:<{width}}{'yes' if username in needs_code else 'no':<10}{unit}"
            for username, role, unit, _name in DEMO_USERS
        ]
        lines += [
            "",
            "Accounts marked yes give a two-factor code after the password: add this secret key",
            f"(time-based, TOTP) to any authenticator app: {DEMO_OTP_SECRET}",
            "or print the current code with: manage.py demo_otp <username>",
        ]
        self.stdout.write("\n".join(lines))
