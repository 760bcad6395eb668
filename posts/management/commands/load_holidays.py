from django.core.management.base import BaseCommand

from posts.holidays import load_package_holidays, package_years
from posts.models import Holiday, HolidayYear


class Command(BaseCommand):
    help = "Copy the public holidays the chinesecalendar package knows into the holiday tables (years already there are kept)."

    def handle(self, *args, **options):
        loaded = load_package_holidays(HolidayYear, Holiday)
        years = package_years()
        self.stdout.write(f"The package knows {years[0]}–{years[-1]}; loaded: {', '.join(map(str, loaded)) or 'nothing new'}.")
