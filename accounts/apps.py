from django.apps import AppConfig, apps
from django.contrib.auth.signals import user_logged_in
from django.db.models.signals import post_delete, post_save, pre_delete
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Accounts")

    def ready(self) -> None:
        from django_otp.plugins.otp_totp.models import TOTPDevice

        from accounts import signals
        from accounts.models import User

        # By label, as User's own foreign keys name them: institutions sits above accounts (ARCHITECTURE.md).
        Institution = apps.get_model("institutions", "Institution")
        Bureau = apps.get_model("institutions", "Bureau")

        post_save.connect(signals.user_changed, sender=User, dispatch_uid="accounts.user_saved")
        post_delete.connect(signals.user_changed, sender=User, dispatch_uid="accounts.user_deleted")
        post_save.connect(signals.device_changed, sender=TOTPDevice, dispatch_uid="accounts.device_saved")
        post_delete.connect(signals.device_changed, sender=TOTPDevice, dispatch_uid="accounts.device_deleted")
        user_logged_in.connect(signals.signed_in, dispatch_uid="accounts.signed_in")
        for model in (Institution, Bureau):
            post_save.connect(signals.scope_changed, sender=model, dispatch_uid=f"accounts.{model.__name__}_saved")
            # Before: after the delete its people are gone (or it was refused, PROTECT) and cannot be listed.
            pre_delete.connect(signals.scope_changed, sender=model, dispatch_uid=f"accounts.{model.__name__}_deleted")
