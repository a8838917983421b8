import pytest
from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from tests.factories import certifications as certification_factories
from tests.factories.community import MembershipFactory, OrganisationFactory, ProductFactory, UserFactory, VendorFactory


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _fresh_cache():
    """The cache outlives a test (rate-limit counters, used TOTP codes, rendered forum posts whose
    ids a later test may reuse): every test starts clean."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _default_language():
    """A request leaves its language active in the thread, and `reverse()` prefixes URLs with
    it: every test starts in English, as a request without a language prefix does."""
    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture
def user(db):
    return UserFactory()


@pytest.fixture
def organisation(db):
    return OrganisationFactory()


@pytest.fixture
def partner_admin(organisation):
    return MembershipFactory(organisation=organisation, role="admin").user


@pytest.fixture
def engineer(organisation):
    return MembershipFactory(organisation=organisation, role="engineer").user


class QueryCounter:
    """Counts the SQL of a block and shows every statement when an assertion about it fails."""

    def __init__(self):
        self.context = CaptureQueriesContext(connection)

    def __enter__(self):
        self.context.__enter__()
        return self

    def __exit__(self, *exc):
        self.context.__exit__(*exc)

    def __len__(self):
        return len(self.context.captured_queries)

    def sql(self) -> str:
        return "\n".join(f"{i}. {q['sql']}" for i, q in enumerate(self.context.captured_queries, 1))

    def assert_at_most(self, limit: int):
        assert len(self) <= limit, f"{len(self)} queries (limit {limit}):\n{self.sql()}"


@pytest.fixture
def count_queries(db):
    """`with count_queries() as q: ...; q.assert_at_most(8)`, printing the SQL on failure."""
    return QueryCounter


@pytest.fixture
def home_page(db):
    """The site's HomePage and default Site. Migrations create them, but transactional tests
    (browser, integration) flush every table afterwards, so this puts them back when missing."""
    from wagtail.models import Locale, Page, Site

    from community.models import HomePage

    home = HomePage.objects.first()
    if home is None:
        Locale.objects.get_or_create(language_code="en")
        root = Page.get_first_root_node() or Page.add_root(instance=Page(title="Root", slug="root"))
        home = root.add_child(instance=HomePage(title="Partner Academy", slug="home"))
    Site.objects.update_or_create(
        is_default_site=True, defaults={"hostname": "localhost", "port": 80, "root_page": home}
    )
    return home


@pytest.fixture
def certification_page():
    vendor = VendorFactory(name="Northwind Networks")
    certification = certification_factories.certification(vendor=vendor, title="Certified SD-WAN Engineer")
    certification.products.set([ProductFactory(vendor=vendor, name="Northwind SD-WAN")])
    return certification
