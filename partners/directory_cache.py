"""The partner directory's results (partners and the products each may deliver, their tiers,
pagination), cached. They show nothing personal, so every visitor asking the same thing (search,
product, region, tier, page) in the same language sees the same results. The generation is renewed
whenever a delivery right, a partner organisation, a product, a vendor, an engagement, a survey
answer (the trust profiles) or a tier definition is saved or deleted (`partners.apps`); every
change of a right goes through a save in `certifications.rights.services`. Organisations' tiers
are written in bulk, so `partners.tiers` renews it itself when it writes any."""

from community.fragment_cache import FragmentCache

directory_results = FragmentCache("partners:directory", seconds=5 * 60)
