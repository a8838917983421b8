"""How partners are found and reached: the directory, partner pages, customers' requests,
partners' leads, engagements and opportunity registrations, customers' surveys and the vendor's
view. Fixed paths come before `partners/<slug>/`."""

from django.urls import path

from partners import (
    views,
    views_badges,
    views_engagements,
    views_leads,
    views_notices,
    views_opportunities,
    views_requests,
    views_team,
    views_vendor,
)

app_name = "partners"

urlpatterns = [
    path("partners/", views.directory, name="directory"),
    path("partners/request/", views_requests.request_new, name="request_new"),
    path("partners/request/sent/", views_requests.request_sent, name="request_sent"),
    path("partners/request/confirm/<str:token>/", views_requests.request_confirm, name="request_confirm"),
    path("partners/request/follow/<str:token>/", views_requests.request_follow, name="request_follow"),
    path("partners/notices/", views_notices.notices, name="notices"),
    path("partners/leads/", views_leads.leads, name="leads"),
    path("partners/leads/<int:pk>/", views_leads.lead, name="lead"),
    path("partners/leads/<int:pk>/answer/", views_leads.lead_answer, name="lead_answer"),
    path("partners/engagements/<int:pk>/team/", views_team.engagement_team, name="engagement_team"),
    path("partners/team/<int:pk>/", views_team.team_invitation, name="team_invitation"),
    path("partners/team/<int:pk>/answer/", views_team.team_invitation_answer, name="team_invitation_answer"),
    path("partners/opportunities/", views_opportunities.opportunity_list, name="opportunities"),
    path("partners/opportunities/new/", views_opportunities.opportunity_new, name="opportunity_new"),
    path("partners/opportunities/<int:pk>/", views_opportunities.opportunity_detail, name="opportunity"),
    path("partners/opportunities/<int:pk>/renew/", views_opportunities.opportunity_renew, name="opportunity_renew"),
    path("partners/vendor/opportunities/", views_opportunities.vendor_opportunity_list, name="vendor_opportunities"),
    path(
        "partners/vendor/opportunities/<int:pk>/",
        views_opportunities.vendor_opportunity_detail,
        name="vendor_opportunity",
    ),
    path(
        "partners/vendor/opportunities/<int:pk>/decide/",
        views_opportunities.vendor_opportunity_decide,
        name="vendor_opportunity_decide",
    ),
    path("partners/vendor/", views_vendor.vendor_requests, name="vendor"),
    path("partners/vendor/requests/<int:pk>/", views_vendor.vendor_request, name="vendor_request"),
    path("partners/engagements/", views_engagements.engagement_list, name="engagements"),
    path("partners/engagements/<int:pk>/", views_engagements.engagement, name="engagement"),
    path("partners/engagements/<int:pk>/deliver/", views_engagements.engagement_deliver, name="engagement_deliver"),
    path("partners/engagements/<int:pk>/reply/", views_engagements.response_reply, name="response_reply"),
    path("partners/survey/<str:token>/", views_engagements.survey, name="survey"),
    path("partners/vendor/responses/", views_engagements.vendor_responses, name="vendor_responses"),
    path("partners/vendor/responses/<int:pk>/hide/", views_engagements.response_hide, name="response_hide"),
    path("partners/<slug:slug>/", views.partner, name="partner"),
    path("partners/<slug:slug>/badges/", views_badges.badge_list, name="badges"),
    path("partners/<slug:slug>/badges/<slug:product_slug>.svg", views_badges.badge, name="badge"),
]
