"""Enrolments in the Wagtail admin: a read-only list for each vendor's programme managers,
showing learners of their own academy's courses only. Records change only through
`courses.services`, so the admin offers no add, edit or delete."""

from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.views.generic import IndexView
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permissions import register_permission_policy

from community.admin_scoping import VendorScopedPolicy
from community.selectors import vendors_for_managers
from courses.models import AcademyPage, Enrolment


class EnrolmentIndexView(IndexView):
    def get_base_queryset(self):
        queryset = super().get_base_queryset().select_related("user", "course")
        user = self.request.user
        if user.is_superuser:
            return queryset
        paths = AcademyPage.objects.filter(vendor__in=vendors_for_managers(user=user)).values_list("path", flat=True)
        scope = Q(pk__in=[])
        for path in paths:
            scope |= Q(course__path__startswith=path)
        return queryset.filter(scope)


class EnrolmentViewSet(ModelViewSet):
    model = Enrolment
    index_view_class = EnrolmentIndexView
    icon = "user"
    menu_label = _("Enrolments")
    menu_order = 210
    add_to_admin_menu = True
    list_display = ["user", "course", "enrolled_at", "last_activity_at", "completed_at"]
    list_filter = ["completed_at"]
    search_fields = ["user__full_name", "user__email", "course__title"]
    form_fields = ["completed_at"]


# View only, with Django's model permission; the index narrows the rows to the academies the
# person manages (an enrolment reaches its vendor through the page tree).
register_permission_policy(
    Enrolment, VendorScopedPolicy(Enrolment, vendor_path=None, actions=("view",), model_permissions=True)
)
enrolment_viewset = EnrolmentViewSet("enrolments")


@hooks.register("register_admin_viewset")
def register_enrolments():
    return enrolment_viewset
