from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoursesConfig(AppConfig):
    name = "courses"
    verbose_name = _("Courses")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from django.db.models.signals import post_delete, post_save
        from wagtail.images import get_image_model
        from wagtail.models import Page, PageViewRestriction
        from wagtail.signals import copy_for_translation_done, page_published, page_unpublished, post_page_move

        from community.models import Product, Vendor
        from courses.catalogue_cache import catalogue_results
        from courses.receivers import academy_translated

        copy_for_translation_done.connect(academy_translated, dispatch_uid="courses.academy.translated")

        catalogue_changed = catalogue_results.changed
        # Whatever a catalogue card or learning-path card shows (courses.catalogue_cache).
        page_published.connect(catalogue_changed, dispatch_uid="courses.catalogue.published")
        page_unpublished.connect(catalogue_changed, dispatch_uid="courses.catalogue.unpublished")
        post_page_move.connect(catalogue_changed, dispatch_uid="courses.catalogue.moved")
        post_delete.connect(catalogue_changed, sender=Page, dispatch_uid="courses.catalogue.page_deleted")
        for model in (PageViewRestriction, Product, Vendor, get_image_model()):
            name = model._meta.label_lower
            post_save.connect(catalogue_changed, sender=model, dispatch_uid=f"courses.catalogue.{name}.saved")
            post_delete.connect(catalogue_changed, sender=model, dispatch_uid=f"courses.catalogue.{name}.deleted")
