"""ProvinceSettings.current() is cached and forgotten whenever the row is saved or deleted."""

from core.models import PROVINCE_SETTINGS_KEY, ProvinceSettings


def test_province_settings_are_read_from_the_cache_once_read(db, django_assert_num_queries):
    ProvinceSettings.current()

    with django_assert_num_queries(0):
        assert ProvinceSettings.current().default_min_headcount == 30


def test_province_settings_are_forgotten_when_saved(db):
    ProvinceSettings.current()
    row = ProvinceSettings.objects.get(pk=1)
    row.default_min_headcount = 45
    row.reminder_days = "5,2"
    row.save()

    current = ProvinceSettings.current()

    assert (current.default_min_headcount, current.reminder_day_list) == (45, [5, 2])


def test_province_settings_are_forgotten_when_deleted(db):
    row = ProvinceSettings.current()
    row.default_min_headcount = 45
    row.save()
    ProvinceSettings.current()

    ProvinceSettings.objects.get(pk=1).delete()

    assert ProvinceSettings.current().default_min_headcount == 30


def test_province_settings_are_forgotten_again_when_the_transaction_commits(db, django_capture_on_commit_callbacks):
    from django.core.cache import cache

    with django_capture_on_commit_callbacks() as callbacks:
        row = ProvinceSettings.current()
        row.default_min_headcount = 45
        row.save()
    cache.set(PROVINCE_SETTINGS_KEY, ProvinceSettings(pk=1, default_min_headcount=30))  # read before the commit

    for callback in callbacks:
        callback()

    assert ProvinceSettings.current().default_min_headcount == 45
