from catalog.importers import import_certificates
from onex.management.commands._base import ImportCommand


class Command(ImportCommand):
    help = "Upsert certificates from CSV/XLSX (like certificates_sample.csv) or the national platform's JSON."
    what = "certificates"
    importer = staticmethod(import_certificates)
