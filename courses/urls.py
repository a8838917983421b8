"""Learner actions. Wagtail serves /courses/ and the pages below it; these paths sit under
/courses/ too but are matched first (this module is included before Wagtail's catch-all)."""

from django.urls import path

from courses import views
from courses.scorm import views as scorm_views

app_name = "courses"

urlpatterns = [
    path("courses/my-learning/", views.my_learning, name="my_learning"),
    path("courses/enrol/<int:course_id>/", views.course_enrol, name="enrol"),
    path("courses/lessons/<int:lesson_id>/complete/", views.lesson_complete, name="lesson_complete"),
    path("courses/lessons/<int:lesson_id>/scorm-data/", scorm_views.cmi_commit, name="scorm_commit"),
]
