from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save
from django.utils.translation import gettext_lazy as _


class ReviewsConfig(AppConfig):
    name = "reviews"
    verbose_name = _("Review")

    def ready(self) -> None:
        from catalog.models import Certificate
        from institutions.models import Bureau, Institution
        from plans.models import Plan
        from reviews import signals
        from reviews.models import PlanCheck
        from reviews.queue_counts import counts_changed
        from rounds.models import Round

        for signal in (post_save, post_delete):
            name = "saved" if signal is post_save else "deleted"
            signal.connect(signals.certificate_changed, sender=Certificate, dispatch_uid=f"reviews.certificate_{name}")
            signal.connect(signals.bureau_changed, sender=Bureau, dispatch_uid=f"reviews.bureau_{name}")
            signal.connect(signals.round_changed, sender=Round, dispatch_uid=f"reviews.round_{name}")
            for model in (Plan, PlanCheck, Institution):
                signal.connect(counts_changed, sender=model, dispatch_uid=f"reviews.counts_{model.__name__}_{name}")
        post_save.connect(signals.plan_saved, sender=Plan, dispatch_uid="reviews.plan_saved")
