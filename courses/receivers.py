"""Signal wiring for courses: each handler hands over to a service."""

from courses import services
from courses.models import AcademyPage


def academy_translated(sender, source_obj, target_obj, **kwargs):
    """An academy's translation (made by editors in the admin, or by the demo) is a subtree of its
    own: give it the vendor groups' permissions and review workflow the original has."""
    if isinstance(target_obj, AcademyPage):
        services.academy_access_ensure(academy=target_obj)
