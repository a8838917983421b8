"""Demo vendors, products, partner organisations and people. Called by `seed_demo`."""

from allauth.account.models import EmailAddress
from django.contrib.auth.models import Group
from wagtail.models import Locale, Site

from community import services
from community.models import HomePage, Membership, PartnerOrganisation, Product, SiteSettings, User, Vendor

DEMO_PASSWORD = "academy-demo"

# The home page in the site's other languages (the English one is the model's defaults).
HOME_TRANSLATIONS = {
    "zh-hans": {
        "title": "合作伙伴学院",
        "hero_title": "学习。认证。交付。",
        "hero_intro": "来自你所销售产品的厂商的培训、证明你能力的认证考试，以及客户可以核验的交付权。",
    }
}
FOOTER_TRANSLATIONS = {"zh-hans": {"footer_text": "合作伙伴学院：厂商在这里培训、认证并授权他们的合作伙伴。"}}

VENDORS = [
    {
        "name": "Nimbus Cloud",
        "slug": "nimbus-cloud",
        "website": "https://nimbus-cloud.example",
        "brand_colour": "#0e7490",
        "description": "Public cloud for regulated industries: managed databases, Kubernetes and object "
        "storage in 14 regions, sold and operated through certified partners.",
        "products": [
            (
                "Nimbus Managed PostgreSQL",
                "nimbus-managed-postgresql",
                "data",
                "Fully managed PostgreSQL with point-in-time recovery, read replicas and private networking.",
            ),
            (
                "Nimbus Kubernetes Engine",
                "nimbus-kubernetes-engine",
                "containers",
                "Managed Kubernetes with autoscaling node pools, GitOps deployments and built-in policy controls.",
            ),
            (
                "Nimbus Object Storage",
                "nimbus-object-storage",
                "cloud",
                "S3-compatible object storage with lifecycle rules, object lock and cross-region replication.",
            ),
        ],
    },
    {
        "name": "Arclight Networks",
        "slug": "arclight-networks",
        "website": "https://arclight.example",
        "brand_colour": "#7c3aed",
        "description": "Campus and branch networking: Wi-Fi 7 access points, SD-WAN and cloud-managed "
        "security appliances for enterprises and universities.",
        "products": [
            (
                "Arclight Campus Wi-Fi",
                "arclight-campus-wifi",
                "wireless",
                "Cloud-managed Wi-Fi 7 access points with AI-driven radio management and location services.",
            ),
            (
                "Arclight SD-WAN",
                "arclight-sd-wan",
                "networking",
                "Application-aware SD-WAN for branch offices with zero-touch provisioning.",
            ),
            (
                "Arclight Secure Edge",
                "arclight-secure-edge",
                "security",
                "Next-generation firewall and secure web gateway delivered from the branch edge.",
            ),
        ],
    },
]

ORGANISATIONS = [
    {
        "name": "Northwind Integrators",
        "slug": "northwind-integrators",
        "region": "eu",
        "country": "DE",
        "city": "Berlin",
        "website": "https://northwind-integrators.example",
        "description": "Systems integrator for public-sector and manufacturing customers in the DACH region.",
    },
    {
        "name": "Summit Cloud Services",
        "slug": "summit-cloud-services",
        "region": "na",
        "country": "US",
        "city": "Denver",
        "website": "https://summitcloud.example",
        "description": "Managed-service provider running cloud platforms for mid-size healthcare and retail companies.",
    },
    {
        "name": "上海云桥信息技术有限公司",
        "slug": "shanghai-cloudbridge",
        "region": "gc",
        "country": "CN",
        "city": "上海",
        "website": "https://cloudbridge.example",
        "description": "为金融和制造业客户提供云迁移、数据库运维和园区网络建设服务。",
    },
    {
        "name": "Baltic Systems",
        "slug": "baltic-systems",
        "region": "eu",
        "country": "LV",
        "city": "Riga",
        "website": "https://balticsystems.example",
        "description": "Network and security integrator for retail chains and logistics companies across the Baltics.",
    },
    {
        "name": "Andes Digital",
        "slug": "andes-digital",
        "region": "latam",
        "country": "CL",
        "city": "Santiago",
        "website": "https://andesdigital.example",
        "description": "Cloud consultancy helping Latin American banks and insurers modernise their data platforms.",
    },
    {
        "name": "Meridian Distribution",
        "slug": "meridian-distribution",
        "region": "mea",
        "country": "AE",
        "city": "Dubai",
        "kind": "distributor",
        "website": "https://meridian-distribution.example",
        "description": "Value-added distributor for cloud and networking vendors across the Middle East and Africa.",
    },
]

# (e-mail, full name, printed name, language, organisation slug, role, public profile)
PEOPLE = [
    ("anna.schmidt@northwind.example", "Anna Schmidt", "", "en", "northwind-integrators", "admin", True),
    ("jonas.weber@northwind.example", "Jonas Weber", "", "en", "northwind-integrators", "engineer", True),
    ("lea.fischer@northwind.example", "Lea Fischer", "", "en", "northwind-integrators", "engineer", False),
    ("maria.garcia@summitcloud.example", "Maria Garcia", "", "en", "summit-cloud-services", "admin", True),
    ("david.chen@summitcloud.example", "David Chen", "", "en", "summit-cloud-services", "engineer", True),
    ("wang.wei@cloudbridge.example", "王伟", "王伟", "zh-hans", "shanghai-cloudbridge", "admin", True),
    ("li.na@cloudbridge.example", "李娜", "李娜", "zh-hans", "shanghai-cloudbridge", "engineer", True),
    ("zhang.min@cloudbridge.example", "张敏", "张敏", "zh-hans", "shanghai-cloudbridge", "engineer", False),
    (
        "alexei.smirnov@balticsystems.example",
        "Алексей Смирнов",
        "Алексей Смирнов",
        "en",
        "baltic-systems",
        "admin",
        True,
    ),
    ("olga.ivanova@balticsystems.example", "Ольга Иванова", "Ольга Иванова", "en", "baltic-systems", "engineer", True),
    ("sofia.rojas@andesdigital.example", "Sofía Rojas", "", "en", "andes-digital", "admin", True),
    ("mateo.silva@andesdigital.example", "Mateo Silva", "", "en", "andes-digital", "engineer", False),
    ("omar.haddad@meridian.example", "Omar Haddad", "", "en", "meridian-distribution", "admin", True),
]


def ensure_user(email: str, full_name: str, **fields) -> User:
    """A demo person who can sign in at once (verified primary address, demo password)."""
    user = User.objects.filter(email=email).first()
    if user is None:
        user = User.objects.create_user(email=email, password=DEMO_PASSWORD, full_name=full_name, **fields)
    EmailAddress.objects.update_or_create(user=user, email=email, defaults={"verified": True, "primary": True})
    return user


def seed(*, stdout) -> dict:
    logins: list[tuple[str, str]] = []
    services.site_sync_with_settings()
    ensure_user("admin@partner-academy.example", "Academy Administrator", is_staff=True, is_superuser=True)
    logins.append(("site administrator", "admin@partner-academy.example"))

    for spec in VENDORS:
        spec = dict(spec)
        products = spec.pop("products")
        vendor, _created = Vendor.objects.update_or_create(slug=spec["slug"], defaults=spec)
        services.vendor_ensure_groups(vendor=vendor)
        for name, slug, category, description in products:
            Product.objects.update_or_create(
                slug=slug,
                defaults={"vendor": vendor, "name": name, "category": category, "short_description": description},
            )
        domain = spec["website"].split("//")[1]
        author = ensure_user(f"author@{domain}", f"{vendor.name} Author", is_staff=True)
        manager = ensure_user(f"programme@{domain}", f"{vendor.name} Programme Manager", is_staff=True)
        services.vendor_staff_add(vendor=vendor, user=author)
        services.vendor_staff_add(vendor=vendor, user=manager, manager=True)
        logins += [
            (f"vendor author ({vendor.name})", author.email),
            (f"programme manager ({vendor.name})", manager.email),
        ]

    moderators, _created = Group.objects.get_or_create(name="Moderators")
    moderator = ensure_user("moderator@partner-academy.example", "Community Moderator")
    moderator.groups.add(moderators)
    logins.append(("forum moderator", moderator.email))

    organisations = {}
    for spec in ORGANISATIONS:
        organisations[spec["slug"]], _created = PartnerOrganisation.objects.update_or_create(
            slug=spec["slug"], defaults=spec
        )
    for email, name, printed, language, org_slug, role, public in PEOPLE:
        user = ensure_user(email, name, certificate_name=printed, preferred_language=language, public_profile=public)
        current = Membership.objects.current().filter(user=user).first()
        if current is None or current.organisation.slug != org_slug or current.role != role:
            services.membership_start(organisation=organisations[org_slug], user=user, role=role)
        if role == "admin":
            logins.append((f"partner admin ({organisations[org_slug].name})", email))
    # Someone who left Northwind: the team page lists them under former members.
    former = ensure_user("max.braun@northwind.example", "Max Braun", preferred_language="en")
    if not Membership.objects.filter(user=former).exists():
        membership = services.membership_start(
            organisation=organisations["northwind-integrators"], user=former, role="engineer"
        )
        services.membership_end(membership=membership)
    logins.append(("partner engineer", "jonas.weber@northwind.example"))
    logins.append(("partner engineer (中文)", "li.na@cloudbridge.example"))

    home = HomePage.objects.filter(locale=Locale.get_default()).first()
    if home is not None:
        for language, fields in HOME_TRANSLATIONS.items():
            services.page_translation_ensure(page=home, language=language, fields=fields)
    for site in Site.objects.all():
        site_settings, _created = SiteSettings.objects.get_or_create(site=site)
        site_settings.translations = {**site_settings.translations, **FOOTER_TRANSLATIONS}
        site_settings.save()
    return {"logins": logins}
