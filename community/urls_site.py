from django.urls import path

from community import views, views_api_tokens

app_name = "community"

urlpatterns = [
    path("accounts/profile/", views.profile, name="profile"),
    path("accounts/api-tokens/", views_api_tokens.api_token_list, name="api_tokens"),
    path("accounts/api-tokens/<int:token_id>/revoke/", views_api_tokens.api_token_revoke, name="api_token_revoke"),
    path("language/", views.set_language, name="set_language"),
    path("organisation/", views.organisation_overview, name="organisation"),
    path("organisation/new/", views.organisation_create, name="organisation_create"),
    path("organisation/leave/", views.organisation_leave, name="organisation_leave"),
    path("organisation/<slug:slug>/members/", views.organisation_members, name="organisation_members"),
    path("organisation/<slug:slug>/settings/", views.organisation_settings, name="organisation_settings"),
    path("organisation/<slug:slug>/members/<int:membership_id>/role/", views.member_role, name="member_role"),
    path("organisation/<slug:slug>/members/<int:membership_id>/remove/", views.member_remove, name="member_remove"),
    path(
        "organisation/<slug:slug>/invitations/<int:invitation_id>/revoke/",
        views.invitation_revoke,
        name="invitation_revoke",
    ),
    path(
        "organisation/<slug:slug>/invitations/<int:invitation_id>/resend/",
        views.invitation_resend,
        name="invitation_resend",
    ),
    path("invitations/<str:token>/", views.invitation_accept, name="invitation_accept"),
]
