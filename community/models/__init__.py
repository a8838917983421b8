from .api_tokens import ApiToken
from .organisations import Invitation, Membership, PartnerOrganisation, Region
from .pages import BasePage, HomePage
from .site_settings import SiteSettings
from .users import User
from .vendors import Product, ProductCategory, Vendor
from .webhooks import WebhookAttempt, WebhookEndpoint, WebhookMessage

__all__ = [
    "ApiToken",
    "BasePage",
    "HomePage",
    "Invitation",
    "Membership",
    "PartnerOrganisation",
    "Product",
    "ProductCategory",
    "Region",
    "SiteSettings",
    "User",
    "Vendor",
    "WebhookAttempt",
    "WebhookEndpoint",
    "WebhookMessage",
]
