"""Community's part of the benchmark dataset: vendors with products, partner organisations and
their engineers. Called by `generate_dataset`; later apps read what this creates from the
database. Bulk inserts only: one password hash shared by every generated person (they are signed
in with `force_login` by the benchmark, never by password).

Sizes at scale 1: 3 vendors, 40 products, 2,000 organisations, 50,000 engineers. Whatever the
scale, the first organisation has FLAGSHIP_TEAM current members (the partner admin team view is
measured on a 500-engineer company)."""

import random
from datetime import timedelta

from django.contrib.auth.hashers import make_password
from django.utils import timezone
from django.utils.text import slugify
from wagtail.models import Page

from community import services
from community.models import Membership, PartnerOrganisation, Product, ProductCategory, Region, User, Vendor

BATCH = 2000
FLAGSHIP_TEAM = 500
VENDOR_NAMES = ["Northwind Networks", "Nimbus Cloud", "Helix Security", "Quanta Data", "Orbital Wireless"]
COUNTRIES = {
    "na": ["US", "CA"],
    "latam": ["BR", "MX", "CL", "AR"],
    "eu": ["DE", "FR", "GB", "NL", "PL", "SE", "ES", "IT"],
    "mea": ["AE", "ZA", "SA", "EG"],
    "gc": ["CN", "HK", "TW"],
    "apac": ["JP", "AU", "SG", "IN", "KR"],
}
GIVEN = ["Ada", "Lena", "Marco", "Sofía", "Omar", "Priya", "Jonas", "Chloé", "Mateo", "Aiko", "Noah", "Ingrid"]
FAMILY = ["Lovelace", "Berg", "Rossi", "Rojas", "Haddad", "Sharma", "Weber", "Martin", "Silva", "Sato", "Kim"]
CHINESE = ["王伟", "李娜", "张敏", "刘洋", "陈静", "杨磊", "欧阳娜娜", "赵强", "黄丽", "周杰"]
CYRILLIC = ["Алексей Смирнов", "Ольга Иванова", "Дмитрий Козлов", "Мария Петрова"]
WORDS = [
    "cloud",
    "edge",
    "secure",
    "data",
    "fabric",
    "systems",
    "digital",
    "networks",
    "integration",
    "partners",
    "labs",
    "works",
]


def scaled(base: int, scale: float, minimum: int = 1) -> int:
    """`base` at scale 1, proportionally smaller or larger, never under `minimum`."""
    return max(minimum, round(base * scale))


def batched(objects: list, size: int = BATCH):
    for start in range(0, len(objects), size):
        yield objects[start : start + size]


def bulk(model, objects: list) -> list:
    """bulk_create in batches; primary keys are set on the objects (PostgreSQL and SQLite)."""
    for chunk in batched(objects):
        model.objects.bulk_create(chunk, batch_size=BATCH)
    return objects


def insert_rows(model, fields: list[str], rows: list[tuple]) -> None:
    """Insert plain value tuples (in `fields` order) with executemany: for the largest tables,
    where building model instances for bulk_create costs more than the database does. Only the
    values the backend stores differently (JSON, dates, decimals) go through the field."""
    from django.db import connection, models

    concrete = [model._meta.get_field(name) for name in fields]
    converted = (models.JSONField, models.DateTimeField, models.DecimalField)
    prepare = [
        (lambda v, f=f: f.get_db_prep_save(v, connection)) if isinstance(f, converted) else None for f in concrete
    ]
    columns = ", ".join(connection.ops.quote_name(f.column) for f in concrete)
    sql = (
        f"INSERT INTO {connection.ops.quote_name(model._meta.db_table)} ({columns}) "
        f"VALUES ({', '.join(['%s'] * len(concrete))})"
    )
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # COPY: several times faster than batched INSERTs for millions of rows.
            table = connection.ops.quote_name(model._meta.db_table)
            with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row([p(v) if p else v for p, v in zip(prepare, row, strict=True)])
            return
        for chunk in batched(rows, 5000):
            cursor.executemany(sql, [[p(v) if p else v for p, v in zip(prepare, row, strict=True)] for row in chunk])


def statistics_refresh() -> None:
    """PostgreSQL plans queries from table statistics, which a bulk load leaves stale until
    autovacuum catches up; without fresh ones it takes a 500-row table for a 1-row one and picks
    nested loops that are a hundred times slower. A production database has its statistics."""
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


def person_name(rng: random.Random) -> str:
    roll = rng.random()
    if roll < 0.2:
        return rng.choice(CHINESE)
    if roll < 0.27:
        return rng.choice(CYRILLIC)
    return f"{rng.choice(GIVEN)} {rng.choice(FAMILY)}"


def child_pages_bulk_create(*, parent: Page, pages: list[Page]) -> list[Page]:
    """Insert `pages` (instances of one specific Page subclass, unsaved, title and slug set) as
    live children of `parent` after its existing children, in a few queries: treebeard's path,
    depth and url_path are computed here instead of one `add_child` (several queries) per page.
    The caller guarantees unique slugs among the siblings."""
    if not pages:
        return pages
    model = type(pages[0])
    from django.contrib.contenttypes.models import ContentType

    content_type = ContentType.objects.get_for_model(model)
    parent.refresh_from_db()
    last = parent.get_last_child()
    start = Page._str2int(last.path[-Page.steplen :]) + 1 if last else 1
    depth = parent.depth + 1
    now = timezone.now()
    for offset, page in enumerate(pages):
        page.path = Page._get_path(parent.path, depth, start + offset)
        page.depth, page.numchild = depth, 0
        page.url_path = f"{parent.url_path}{page.slug}/"
        page.content_type = content_type
        page.locale_id = parent.locale_id
        page.draft_title = page.title
        page.live, page.has_unpublished_changes = True, False
        page.first_published_at = page.last_published_at = page.latest_revision_created_at = now
    page_fields = [f for f in Page._meta.local_concrete_fields if not f.primary_key]
    child_fields = model._meta.local_concrete_fields
    for chunk in batched(pages, 500):
        # Multi-table inheritance: bulk_create refuses it, so insert the two tables in turn.
        base_rows = [Page(**{f.attname: getattr(p, f.attname) for f in page_fields}) for p in chunk]
        Page.objects.bulk_create(base_rows)
        for page, row in zip(chunk, base_rows, strict=True):
            page.pk = page.page_ptr_id = page.id = row.pk
        model._base_manager._insert(chunk, fields=child_fields, using="default")
    Page.objects.filter(pk=parent.pk).update(numchild=parent.numchild + len(pages))
    return pages


def generate(*, scale: float, rng: random.Random, stdout) -> dict:
    password = make_password("dataset-not-for-sign-in")
    now = timezone.now()
    vendors = []
    for index in range(scaled(3, scale, minimum=3)):
        name = VENDOR_NAMES[index % len(VENDOR_NAMES)] + ("" if index < len(VENDOR_NAMES) else f" {index}")
        vendor = Vendor.objects.create(
            name=name, slug=slugify(name), website=f"https://{slugify(name)}.example", brand_colour="#0b5cad"
        )
        services.vendor_ensure_groups(vendor=vendor)
        vendors.append(vendor)
        staff = [
            User.objects.create(email=f"{kind}@{vendor.slug}.example", full_name=f"{name} {kind}", password=password)
            for kind in ("author", "programme")
        ]
        services.vendor_staff_add(vendor=vendor, user=staff[0])
        services.vendor_staff_add(vendor=vendor, user=staff[1], manager=True)
    categories = list(ProductCategory.values)
    products = [
        Product(
            vendor=vendors[i % len(vendors)],
            name=f"{vendors[i % len(vendors)].name} {rng.choice(WORDS).title()} {i + 1}",
            slug=f"product-{i + 1}",
            category=rng.choice(categories),
            short_description="Generated product for benchmarks.",
        )
        for i in range(scaled(40, scale, minimum=len(vendors)))
    ]
    bulk(Product, products)

    organisation_count = scaled(2000, scale, minimum=2)
    regions = list(Region.values)
    organisations = []
    for i in range(organisation_count):
        region = rng.choice(regions)
        name = f"{rng.choice(WORDS).title()} {rng.choice(WORDS).title()} {i + 1}"
        organisations.append(
            PartnerOrganisation(
                name=name,
                slug=f"org-{i + 1}",
                kind="distributor" if rng.random() < 0.05 else "partner",
                region=region,
                country=rng.choice(COUNTRIES[region]),
                city="",
                created_at=now - timedelta(days=rng.randint(30, 2000)),
            )
        )
    bulk(PartnerOrganisation, organisations)

    engineer_count = max(scaled(50_000, scale), FLAGSHIP_TEAM + organisation_count - 1)
    users = [
        User(
            email=f"engineer{i + 1}@dataset.example",
            # bulk_create skips save(), which gives everyone else their handle.
            handle=f"engineer{i + 1}",
            full_name=person_name(rng),
            password=password,
            preferred_language="zh-hans" if rng.random() < 0.15 else "en",
            public_profile=rng.random() < 0.4,
            date_joined=now - timedelta(days=rng.randint(1, 1500)),
        )
        for i in range(engineer_count)
    ]
    bulk(User, users)
    # The flagship company takes the first FLAGSHIP_TEAM people; every other organisation gets one
    # admin, the rest are spread at random (a few large partners, many small ones).
    owners = [organisations[0]] * FLAGSHIP_TEAM + organisations[1:]
    rest = engineer_count - len(owners)
    weights = [1 / (rank + 1) for rank in range(len(organisations) - 1)] or [1]
    owners += rng.choices(organisations[1:] or organisations, weights=weights, k=rest)
    memberships, seen = [], set()
    former = []
    for user, organisation in zip(users, owners, strict=True):
        first = organisation.pk not in seen
        seen.add(organisation.pk)
        joined = user.date_joined + timedelta(days=1)
        memberships.append(
            Membership(user=user, organisation=organisation, role="admin" if first else "engineer", joined_at=joined)
        )
        if rng.random() < 0.03:
            previous = rng.choice(organisations)
            former.append(
                Membership(
                    user=user,
                    organisation=previous,
                    role="engineer",
                    joined_at=joined - timedelta(days=400),
                    left_at=joined - timedelta(days=2),
                )
            )
    bulk(Membership, memberships + former)
    return {
        "counts": {
            "vendors": len(vendors),
            "products": len(products),
            "partner organisations": organisation_count,
            "engineers": engineer_count,
            "memberships (current + former)": len(memberships) + len(former),
        },
        "notes": [f"Organisation '{organisations[0].name}' has {FLAGSHIP_TEAM} current members."],
    }
