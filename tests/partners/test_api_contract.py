"""The API does what its OpenAPI document says: schemathesis generates requests from
`/api/v1/openapi.json` (the documented examples, boundary values, valid and invalid data) and runs
every one of its checks on the answers, in-process against the site's WSGI application, on factory
data so that the documented 200s are exercised as well as the errors."""

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from schemathesis.specs.openapi.checks import positive_data_acceptance

from certifications.certificates.serials import ALPHABET, PAYLOAD_LENGTH, SERIAL_EXAMPLE, serial_check_symbol
from partners import tiers
from partners.models import PartnerTier
from tests.certifications.rights.test_rights import give_right, make_rule
from tests.factories import certifications as factories
from tests.factories.community import OrganisationFactory, ProductFactory, UserFactory


def _typed(payload: str, spelling) -> str:
    symbols = payload + serial_check_symbol(payload)
    return spelling(f"PA-{symbols[:4]}-{symbols[4:8]}-{symbols[8:]}")


# The document's `certificate-serial` format: serials whose check character is right, typed as
# people do (any case, with or without the dashes).
schemathesis.openapi.format(
    "certificate-serial",
    st.builds(
        _typed,
        st.text(alphabet=ALPHABET, min_size=PAYLOAD_LENGTH, max_size=PAYLOAD_LENGTH),
        st.sampled_from([str, str.lower, lambda serial: serial.replace("-", "")]),
    ),
)

schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", get_wsgi_application())


@pytest.fixture
def api_data(db, certification_page):
    """A right in force held with a tier, and the certificate of the documented example serial,
    so that the document's examples are answered with data."""
    product = ProductFactory(slug="edge-router")
    make_rule(product=product)
    give_right(OrganisationFactory(slug="berlin-net", region="eu"), product)
    tier = PartnerTier(vendor=product.vendor, name="Registered", slug="registered", rank=1)
    tiers.partner_tier_save(tier=tier, changed_by=None)
    tiers.tiers_recompute_all(cause=tiers.Cause.TIER_CHANGED)
    factories.certificate(holder=UserFactory(), certification_page=certification_page, serial=SERIAL_EXAMPLE)


@pytest.fixture
def _test_transaction_kept_open():
    """The site's WSGI handler closes the database connection when a request ends, and with it
    the test's transaction (on PostgreSQL); Django's test client holds it open the same way."""
    for signal in (request_started, request_finished):
        signal.disconnect(close_old_connections)
    yield
    for signal in (request_started, request_finished):
        signal.connect(close_old_connections)


@schema.parametrize()
# The same requests every run, so that a failure reproduces; the data is read-only, so one
# fixture per operation serves all of its examples.
@settings(
    max_examples=25,
    derandomize=True,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@pytest.mark.usefixtures("_test_transaction_kept_open")
def test_api_answers_as_its_openapi_document_says(case, api_data):
    # A customer's request has rules JSON Schema cannot state (an address Django's validator
    # takes, product slugs that exist, products of one vendor), so a schema-valid body may get its
    # documented 400: for that operation only, "every schema-valid body is accepted" is not asked.
    # Likewise a well-formed `as_of` outside the records (before the first, after today) gets the
    # delivery rights' documented 400.
    operation = (case.operation.method.upper(), case.operation.path)
    refusable = operation == ("POST", "/api/v1/requests") or (
        operation == ("GET", "/api/v1/delivery-rights") and bool((case.query or {}).get("as_of"))
    )
    case.call_and_validate(excluded_checks=[positive_data_acceptance] if refusable else [])
