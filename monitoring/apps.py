from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save
from django.utils.translation import gettext_lazy as _


class MonitoringConfig(AppConfig):
    name = "monitoring"
    verbose_name = _("Exam progress monitoring")

    def ready(self) -> None:
        from catalog.models import Certificate
        from institutions.models import Bureau, Institution
        from monitoring import signals
        from monitoring.models import Checkpoint
        from plans.models import Plan, PlanLine

        for signal in (post_save, post_delete):
            name = "saved" if signal is post_save else "deleted"
            for model in (Checkpoint, Institution, Bureau, Certificate):
                uid = f"monitoring.figures_{model.__name__}_{name}"
                signal.connect(signals.source_changed, sender=model, dispatch_uid=uid)
            signal.connect(signals.line_changed, sender=PlanLine, dispatch_uid=f"monitoring.figures_line_{name}")
        post_save.connect(signals.plan_saved, sender=Plan, dispatch_uid="monitoring.figures_plan_saved")
