from django.conf import settings

from institutions.importers import import_bureaus
from onex.management.commands._base import ImportCommand


class Command(ImportCommand):
    help = "Create the city bureaus from a file with a `city` column (default: the shared anhui_cities.csv)."
    what = "bureaus"
    default_file = "anhui_cities.csv"
    importer = staticmethod(import_bureaus)

    def default_path(self):
        return settings.SHARED_DATA_DIR / self.default_file
