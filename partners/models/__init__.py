from .accounts import LeadResponder, NamedAccount, NamedAccountDomain
from .engagements import Engagement, EngagementPartner, SatisfactionResponse
from .events import MarketplaceEvent, MarketplaceNotification
from .opportunities import CustomerDomain, Opportunity, OpportunityConflict
from .requests import CompanySize, CustomerRequest, DeclineReason, Offer
from .settings import VendorMarketplace
from .tiers import OrganisationTier, OrganisationTierEvent, PartnerTier, PartnerTierChange

__all__ = [
    "CompanySize",
    "CustomerDomain",
    "CustomerRequest",
    "DeclineReason",
    "Engagement",
    "EngagementPartner",
    "LeadResponder",
    "MarketplaceEvent",
    "MarketplaceNotification",
    "NamedAccount",
    "NamedAccountDomain",
    "Offer",
    "Opportunity",
    "OpportunityConflict",
    "OrganisationTier",
    "OrganisationTierEvent",
    "PartnerTier",
    "PartnerTierChange",
    "SatisfactionResponse",
    "VendorMarketplace",
]
