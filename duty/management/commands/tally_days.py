from django.core.management.base import BaseCommand, CommandError

from duty.models import TalliedDay
from duty.tallies import tally_check, tally_closed_days, tally_days


class Command(BaseCommand):
    help = ("Keep the closed days' duty counts (duty.tallies): tally the days closed since the last run "
            "(what the close-ended-shifts task does after each run), count every tallied day again "
            "(--rebuild), or compare every kept row with a fresh count (--check; exits 1 on a difference).")

    def add_arguments(self, parser):
        what = parser.add_mutually_exclusive_group()
        what.add_argument("--check", action="store_true", help="compare the kept counts with a fresh count")
        what.add_argument("--rebuild", action="store_true", help="count every tallied day again")

    def handle(self, *args, check, rebuild, **options):
        if check:
            problems = tally_check()
            for line in problems:
                self.stderr.write(line)
            if problems:
                raise CommandError(f"{len(problems)} kept counts differ from a fresh count; run --rebuild.")
            self.stdout.write(f"{TalliedDay.objects.count()} tallied days agree with a fresh count.")
            return
        if rebuild:
            days = list(TalliedDay.objects.values_list("date", flat=True))
            rows = tally_days(days)
            self.stdout.write(f"counted {len(days)} tallied days again: {rows} rows.")
        days = tally_closed_days()
        self.stdout.write(f"tallied {len(days)} closed days" + (f" ({days[0]}..{days[-1]})." if days else "."))
