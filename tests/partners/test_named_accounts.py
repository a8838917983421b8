"""Named accounts in the admin: only a vendor's programme managers keep them, for their own
vendors; domains are real, lower-case and one account's each; the CSV import stores the good
rows, names each bad row, and updates what is already there."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from partners.models import NamedAccount, NamedAccountDomain
from tests.factories.community import VendorFactory
from tests.factories.roles import people_in_every_role

pytestmark = pytest.mark.django_db

LIST = reverse("wagtailsnippets_partners_namedaccount:list")
ADD = reverse("wagtailsnippets_partners_namedaccount:add")
IMPORT = reverse("partners_admin:named_accounts_import")
HEADER = "company,domains,account manager name,account manager e-mail\n"


@pytest.fixture
def vendor():
    return VendorFactory(name="Northwind")


@pytest.fixture
def other_vendor():
    return VendorFactory(name="Contoso")


@pytest.fixture
def people(vendor, other_vendor):
    return people_in_every_role(vendor=vendor, other_vendor=other_vendor)


def account(vendor, company="Fabrikam", *domains):
    named = NamedAccount.objects.create(
        vendor=vendor, company=company, owner_name="Olga Owner", owner_email="olga@northwind.example"
    )
    for domain in domains or ("fabrikam.example",):
        NamedAccountDomain.objects.create(account=named, domain=domain)
    return named


def client_for(person):
    client = Client()
    if person is not None:
        client.force_login(person)
    return client


def form_data(vendor, *domains, company="Fabrikam", **changes):
    data = {
        "vendor": vendor.pk,
        "company": company,
        "owner_name": "Olga Owner",
        "owner_email": "olga@northwind.example",
        "domains-TOTAL_FORMS": str(len(domains)),
        "domains-INITIAL_FORMS": "0",
        "domains-MIN_NUM_FORMS": "1",
        "domains-MAX_NUM_FORMS": "1000",
    }
    for i, domain in enumerate(domains):
        data.update({f"domains-{i}-domain": domain, f"domains-{i}-id": "", f"domains-{i}-ORDER": str(i + 1)})
    data.update(changes)
    return data


def csv_file(text: str, *, name="accounts.csv", encoding="utf-8"):
    return SimpleUploadedFile(name, text.encode(encoding), content_type="text/csv")


def test_each_role_reaches_only_its_own_vendors_accounts(people, vendor, other_vendor):
    mine, theirs = account(vendor, "Fabrikam"), account(other_vendor, "Litware", "litware.example")
    edit = reverse("wagtailsnippets_partners_namedaccount:edit", args=[mine.pk])
    seen = {}
    for role, person in people.items():
        client = client_for(person)
        listing = client.get(LIST)
        body = listing.content.decode() if listing.status_code == 200 else ""
        seen[role] = (
            listing.status_code,
            "Fabrikam" in body,
            "Litware" in body,
            client.get(edit).status_code,
            client.get(IMPORT).status_code,
        )
    denied = (302, False, False, 302, 302)
    assert seen == {
        "anonymous": denied,
        "engineer": denied,
        "partner_admin": denied,
        "vendor_author": (302, False, False, 404, 404),
        "programme_manager": (200, True, False, 200, 200),
        "other_programme_manager": (200, False, True, 404, 200),
        "moderator": (302, False, False, 404, 404),
        "superuser": (200, True, True, 200, 200),
    }
    assert theirs.pk


def test_a_manager_adds_an_account_with_lower_case_domains(people, vendor, other_vendor):
    client = client_for(people["programme_manager"])
    form = client.get(ADD).content.decode()
    assert "Northwind" in form and "Contoso" not in form
    response = client.post(ADD, form_data(vendor, "Fabrikam.Example", "@mail.fabrikam.example"))
    assert response.status_code == 302, response.content.decode()[:3000]
    named = NamedAccount.objects.get()
    assert named.vendor == vendor and named.created_by == people["programme_manager"]
    assert sorted(named.domains.values_list("domain", flat=True)) == ["fabrikam.example", "mail.fabrikam.example"]


def test_a_manager_cannot_file_an_account_under_another_vendor(people, other_vendor):
    response = client_for(people["programme_manager"]).post(ADD, form_data(other_vendor, "fabrikam.example"))
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert not NamedAccount.objects.exists()


@pytest.mark.parametrize(
    ("domains", "message"),
    [
        (["not a domain"], "is not an e-mail domain"),
        (["localhost"], "is not an e-mail domain"),
        (["fabrikam.example", "FABRIKAM.example"], "fabrikam.example is listed twice."),
        (["taken.example"], "taken.example already belongs to the named account Tailspin"),
    ],
)
def test_bad_domains_get_a_clear_error_and_keep_what_was_typed(people, vendor, domains, message):
    account(vendor, "Tailspin", "taken.example")
    response = client_for(people["programme_manager"]).post(
        ADD, form_data(vendor, *domains, company="Fab <b>rikam</b>")
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert message in body.replace("&quot;", '"')
    assert "Fab &lt;b&gt;rikam&lt;/b&gt;" in body
    assert NamedAccount.objects.count() == 1


def test_the_same_domain_may_be_another_vendors_account(people, vendor, other_vendor):
    account(other_vendor, "Fabrikam", "fabrikam.example")
    response = client_for(people["programme_manager"]).post(ADD, form_data(vendor, "fabrikam.example"))
    assert response.status_code == 302
    assert NamedAccountDomain.objects.filter(domain="fabrikam.example").count() == 2


def test_a_second_account_of_the_same_company_is_refused(people, vendor):
    account(vendor, "Fabrikam")
    response = client_for(people["programme_manager"]).post(ADD, form_data(vendor, "other.example", company="fabrikam"))
    assert "Northwind already has a named account called fabrikam." in response.content.decode()


def test_the_import_stores_good_rows_and_names_each_bad_one(people, vendor):
    account(vendor, "Tailspin", "tailspin.example")
    text = (
        "company,domains,account manager name,account manager e-mail\n"
        "Fabrikam,fabrikam.example; FABRIKAM.co.example,Olga Owner,olga@northwind.example\n"
        ",nobody.example,Olga Owner,olga@northwind.example\n"
        "Litware,litware.example not_a_domain,Olga Owner,olga@northwind.example\n"
        "Wingtip,tailspin.example,Olga Owner,olga@northwind.example\n"
        "\n"
        "Adatum,adatum.example,Olga Owner,not-an-address\n"
        "<b>Proseware</b>,proseware.example,Pat Owner,pat@northwind.example\n"
    )
    response = client_for(people["programme_manager"]).post(IMPORT, {"vendor": vendor.pk, "file": csv_file(text)})
    body = response.content.decode()
    assert response.status_code == 200
    assert "Row 3: the company is missing" in body
    assert "Row 4: “not_a_domain” is not an e-mail domain" in body
    assert "Row 5: tailspin.example already belongs to the named account Tailspin" in body
    assert "Row 7: “not-an-address” is not an e-mail address" in body
    assert "&lt;b&gt;Proseware&lt;/b&gt;" not in body  # a good row is not listed
    assert "2 named accounts added" in body
    assert set(NamedAccount.objects.values_list("company", flat=True)) == {"Tailspin", "Fabrikam", "<b>Proseware</b>"}
    fabrikam = NamedAccount.objects.get(company="Fabrikam")
    assert sorted(fabrikam.domains.values_list("domain", flat=True)) == ["fabrikam.co.example", "fabrikam.example"]
    assert fabrikam.created_by == people["programme_manager"]


def test_a_byte_order_mark_and_semicolon_columns_are_read(people, vendor):
    text = (
        "Company;Domains;Account manager name;Account manager e-mail\r\n"
        "Fabrikam;fabrikam.example mail.fabrikam.example;Olga Owner;OLGA@northwind.example\r\n"
    )
    response = client_for(people["programme_manager"]).post(
        IMPORT, {"vendor": vendor.pk, "file": csv_file(text, encoding="utf-8-sig")}
    )
    assert response.status_code == 302 and response["Location"] == LIST
    named = NamedAccount.objects.get()
    assert named.owner_email == "olga@northwind.example"
    assert sorted(named.domains.values_list("domain", flat=True)) == ["fabrikam.example", "mail.fabrikam.example"]


def test_importing_again_updates_accounts_by_company(people, vendor):
    existing = account(vendor, "Fabrikam", "old.example", "fabrikam.example")
    text = HEADER + "FABRIKAM,fabrikam.example;new.example,Nina New,nina@northwind.example\n"
    client = client_for(people["programme_manager"])
    assert client.post(IMPORT, {"vendor": vendor.pk, "file": csv_file(text)}).status_code == 302
    existing.refresh_from_db()
    assert NamedAccount.objects.count() == 1
    assert (existing.company, existing.owner_name) == ("Fabrikam", "Nina New")
    assert sorted(existing.domains.values_list("domain", flat=True)) == ["fabrikam.example", "new.example"]


def test_a_company_twice_in_the_file_is_refused_on_its_second_row(people, vendor):
    text = (
        "company,domains,account manager name,account manager e-mail\n"
        "Fabrikam,fabrikam.example,Olga Owner,olga@northwind.example\n"
        "fabrikam,other.example,Olga Owner,olga@northwind.example\n"
        "Litware,fabrikam.example,Olga Owner,olga@northwind.example\n"
    )
    body = (
        client_for(people["programme_manager"])
        .post(IMPORT, {"vendor": vendor.pk, "file": csv_file(text)})
        .content.decode()
    )
    assert "Row 3: fabrikam is already on row 2" in body
    assert "Row 4: fabrikam.example already belongs to the named account Fabrikam" in body
    assert list(NamedAccount.objects.values_list("company", flat=True)) == ["Fabrikam"]


def test_a_file_without_the_columns_or_not_utf8_is_refused(people, vendor):
    client = client_for(people["programme_manager"])
    body = client.post(
        IMPORT, {"vendor": vendor.pk, "file": csv_file("name,email\nFabrikam,x@y.example\n")}
    ).content.decode()
    assert (
        "Row 1: Columns missing from the first row: company, domains, account manager name, account manager e-mail."
        in body
    )
    body = client.post(
        IMPORT, {"vendor": vendor.pk, "file": csv_file("company,domains\nBjörk,b.example\n", encoding="latin-1")}
    ).content.decode()
    assert "The file is not UTF-8 text" in body
    assert not NamedAccount.objects.exists()


def test_the_import_only_files_under_a_vendor_the_person_manages(people, vendor, other_vendor):
    text = HEADER + "Fabrikam,fabrikam.example,Olga,olga@northwind.example\n"
    response = client_for(people["programme_manager"]).post(IMPORT, {"vendor": other_vendor.pk, "file": csv_file(text)})
    assert response.status_code == 200 and "Select a valid choice" in response.content.decode()
    assert not NamedAccount.objects.exists()


def test_the_account_list_runs_a_constant_number_of_queries(people, vendor, count_queries):
    client = client_for(people["programme_manager"])
    account(vendor, "Fabrikam")
    client.get(LIST)
    with count_queries() as few:
        client.get(LIST)
    for i in range(5):
        account(vendor, f"Company {i}", f"c{i}.example")
    with count_queries() as many:
        assert client.get(LIST).status_code == 200
    assert len(many) == len(few), many.sql()
