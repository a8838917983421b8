"""How partners are found: the public directory and partner pages."""

from django.urls import path

from partners import views

app_name = "partners"

urlpatterns = [
    path("partners/", views.directory, name="directory"),
    path("partners/<slug:slug>/", views.partner, name="partner"),
]
