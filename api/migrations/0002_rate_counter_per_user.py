"""The API rate limit counts per person, across all their tokens: counters are keyed by user, not by token.
The counters of the current window are dropped (at most one window's allowance is given back once)."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def forget_counters(apps, schema_editor):
    apps.get_model("api", "RateCounter").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [
        ("api", "0001_initial"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RunPython(forget_counters, migrations.RunPython.noop),
        migrations.RemoveConstraint(model_name="ratecounter", name="api_rate_counter_one_per_window"),
        migrations.RemoveField(model_name="ratecounter", name="token"),
        migrations.AddField(
            model_name="ratecounter",
            name="user",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE, related_name="+", to=settings.AUTH_USER_MODEL
            ),
            preserve_default=False,
        ),
        migrations.AddConstraint(
            model_name="ratecounter",
            constraint=models.UniqueConstraint(fields=("user", "window"), name="api_rate_counter_one_per_window"),
        ),
    ]
