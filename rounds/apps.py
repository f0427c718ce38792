from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save
from django.utils.translation import gettext_lazy as _


class RoundsConfig(AppConfig):
    name = "rounds"
    verbose_name = _("Rounds and windows")

    def ready(self) -> None:
        from rounds.extension_cache import extension_changed
        from rounds.models import Extension

        post_save.connect(extension_changed, sender=Extension, dispatch_uid="rounds.extension_saved")
        post_delete.connect(extension_changed, sender=Extension, dispatch_uid="rounds.extension_deleted")
