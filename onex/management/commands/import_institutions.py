from institutions.importers import import_institutions
from onex.management.commands._base import ImportCommand


class Command(ImportCommand):
    help = "Upsert institutions from a CSV or XLSX file shaped like anhui_higher_institutions.csv."
    what = "institutions"
    importer = staticmethod(import_institutions)
