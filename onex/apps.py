from django.contrib.admin.apps import AdminConfig


class OneXAdminConfig(AdminConfig):
    default_site = "onex.admin_site.OneXAdminSite"
