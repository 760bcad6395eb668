import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from duty.services.generation import shift_generate
from org.models import Unit


class Command(BaseCommand):
    help = "Generate shifts from the timetables and the school calendar (the same service as the roster page)."

    def add_arguments(self, parser):
        parser.add_argument("--start", type=datetime.date.fromisoformat, help="first date (default: today)")
        parser.add_argument("--end", type=datetime.date.fromisoformat,
                            help="last date (default: start + ROSTER_GENERATE_DAYS_AHEAD - 1)")
        parser.add_argument("--unit", help="a unit's name or id (default: every unit)")

    def handle(self, *args, start, end, unit, **options):
        start = start or timezone.localdate()
        end = end or start + datetime.timedelta(days=settings.ROSTER_GENERATE_DAYS_AHEAD - 1)
        target = None
        if unit:
            target = Unit.objects.filter(pk=int(unit)).first() if unit.isdigit() else Unit.objects.filter(name=unit).first()
            if target is None:
                raise CommandError(f"No unit {unit!r}.")
        try:
            result = shift_generate(start=start, end=end, unit=target)
        except ValidationError as exc:
            raise CommandError("; ".join(f"{k}: {' '.join(v)}" for k, v in exc.message_dict.items())) from None
        self.stdout.write(
            f"{start}..{end}: created {result.created}, unchanged {result.existing}, re-timed {result.retimed}, "
            f"cancelled {result.cancelled}, restored {result.restored}, left (started) {result.left}, "
            f"standing assignments applied {result.standing_assigned}, days guessed {result.guessed_days}"
        )
        for line in result.standing_skipped:
            self.stdout.write(f"  skipped: {line}")
