from django.apps import AppConfig
from django.contrib.admin.apps import AdminConfig


class OneXAdminConfig(AdminConfig):
    default_site = "onex.admin_site.OneXAdminSite"


class OneXConfig(AppConfig):
    """The project package as an app: the commands that use every room (load_demo, the imports) live here."""

    name = "onex"
    verbose_name = "OneX"
