from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ForumsConfig(AppConfig):
    name = "forums"
    verbose_name = _("Forums")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from django.contrib.auth.models import Group
        from django.db.models.signals import m2m_changed, post_delete, post_save

        from certifications.certificates.signals import certificate_changed
        from community.models import PartnerOrganisation, User, Vendor
        from community.signals import membership_changed
        from forums.post_stream_cache import people_changed
        from forums.selectors import accepted_answers_by_organisation
        from partners.trust_facts import register_fact

        # The trust profile counts the answers partners' current engineers had accepted.
        register_fact("accepted_answers", accepted_answers_by_organisation)

        # Whatever can change an author's trust marks (forums.selectors.author_facts).
        certificate_changed.connect(people_changed, dispatch_uid="forums.people.certificate")
        membership_changed.connect(people_changed, dispatch_uid="forums.people.membership")
        post_save.connect(people_changed, sender=PartnerOrganisation, dispatch_uid="forums.people.organisation")
        post_save.connect(people_changed, sender=Vendor, dispatch_uid="forums.people.vendor")
        post_delete.connect(people_changed, sender=Group, dispatch_uid="forums.people.group")
        for through in (User.groups.through, User.user_permissions.through, Group.permissions.through):
            m2m_changed.connect(people_changed, sender=through, dispatch_uid=f"forums.people.{through.__name__}")
