from django.apps import AppConfig


class PlansConfig(AppConfig):
    name = "innesto.portal.plans"
    label = "plans"
    verbose_name = "innesto plans"

    def ready(self) -> None:
        from django.db.models.signals import m2m_changed, post_delete, post_save

        from innesto.portal.plans import truth
        from innesto.portal.site.cache import bump_content_version

        for model in self.get_models():
            # statuses and documents follow every change of plan content (the truth)
            post_save.connect(truth.changed, sender=model,
                              dispatch_uid=f"innesto-truth-save-{model.__name__}")
            post_delete.connect(truth.changed, sender=model,
                                dispatch_uid=f"innesto-truth-delete-{model.__name__}")
            post_save.connect(bump_content_version, sender=model,
                              dispatch_uid=f"innesto-bump-save-{model.__name__}")
            post_delete.connect(bump_content_version, sender=model,
                                dispatch_uid=f"innesto-bump-delete-{model.__name__}")
        m2m_changed.connect(bump_content_version, dispatch_uid="innesto-bump-m2m")
        # Not on many-to-many changes (a node's sectors): they change no status, and a
        # backup's restore sets them outside its raw saves, half-way through its rows.
