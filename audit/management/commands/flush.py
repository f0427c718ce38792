"""Django's `flush`, allowed to empty the audit table too (it empties every table; tests flush between cases)."""

from django.core.management.commands.flush import Command as FlushCommand
from django.db import connections

from audit.guard import flushing


class Command(FlushCommand):
    def handle(self, **options):
        connection = connections[options["database"]]
        token = flushing.set(True)
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET onex.flushing = 'on'")
        try:
            return super().handle(**options)
        finally:
            flushing.reset(token)
            if connection.vendor == "postgresql":
                with connection.cursor() as cursor:
                    cursor.execute("RESET onex.flushing")
