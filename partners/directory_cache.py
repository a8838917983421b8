"""The partner directory's results (partners and the products each may deliver, their tiers,
pagination), cached. They show nothing personal, so every visitor asking the same thing (search,
product, region, tier, page) in the same language sees the same results. The generation is renewed
whenever a delivery right, a partner organisation, a product, a vendor, an engagement, a survey
answer (the trust profiles) or a tier definition is saved or deleted (`partners.apps`); every
change of a right goes through a save in `certifications.rights.services`. Organisations' tiers
are written in bulk, so `partners.tiers` renews it itself when it writes any."""

from django.core.cache import cache

from community import generations
from community.fragment_cache import FragmentCache
from partners.trust import TrustProfile, trust_profiles

directory_results = FragmentCache("partners:directory", seconds=5 * 60)


def trust_profile(organisation, *, comments: int = 0) -> TrustProfile:
    """One partner's trust profile (`partners.trust.trust_profiles`), as its page and the API show
    it, cached under the directory's generation: the directory's cards show the same figures and
    lag no more than they do (accepted forum answers and answer times, up to five minutes)."""
    key = f"partners:trust:{organisation.pk}:{comments}:{generations.current(directory_results.generation_key)}"
    profile = cache.get(key)
    if profile is None:
        profile = trust_profiles([organisation], comments=comments)[organisation.pk]
        cache.set(key, profile, directory_results.seconds)
    return profile
