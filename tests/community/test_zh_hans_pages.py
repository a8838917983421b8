"""Every visible string of the main pages is Chinese in zh-hans: the site's own pages and
allauth's (sign-in, sign-up, password reset, e-mail addresses, two-factor), whose own Chinese
leaves words such as "Email" untranslated (locale/allauth/ corrects them). What editors write
(the home page, the footer text, vendor names) is content, not interface, and is left out."""

import re
from html.parser import HTMLParser

import pytest
from allauth.account.models import EmailAddress
from django.test import Client

from community.models import HomePage, SiteSettings
from tests.factories.community import UserFactory

# Names, standards and units that stay as they are in Chinese.
KEPT = ["Partner Academy", "English", "Open Badges", "JSON", "API", "PDF", "TOTP", "UTC", "MB", "ID", "IP"]
# E-mail and web addresses, forum handles (@lina) and certificate serials (PA-7K3M-9QX2-WD4F).
ADDRESS = re.compile(r"\S+@\S+|https?://\S+|@[\w.-]+|PA-[0-9A-Z-]+")
ENGLISH_WORD = re.compile(r"[A-Za-z]{2,}")
ATTRIBUTES = {"placeholder", "title", "aria-label", "alt"}

SIGNED_OUT = [
    "/",
    "/forums/",
    "/forums/collaboration/",
    "/partners/",
    "/verify/",
    "/search/",
    "/accounts/login/",
    "/accounts/signup/",
    "/accounts/password/reset/",
    "/accounts/password/reset/done/",
    "/accounts/password/reset/key/1-bad-key/",
    "/accounts/confirm-email/",
]
SIGNED_IN = [
    "/",
    "/accounts/email/",
    "/accounts/password/change/",
    "/accounts/reauthenticate/",
    "/accounts/2fa/",
    "/accounts/3rdparty/",
    "/accounts/logout/",
    "/accounts/profile/",
    "/organisation/",
    "/courses/my-learning/",
    "/certificates/",
    "/certifications/my-attempts/",
    "/forums/notifications/",
]


class VisibleText(HTMLParser):
    """Text a person reads or hears on the page: text outside scripts and styles and the time-zone
    list (zone names are identifiers), and the attributes that browsers show or read out."""

    def __init__(self):
        super().__init__()
        self.hidden_depth = 0
        self.texts: list[str] = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag in ("script", "style") or (tag == "select" and attributes.get("name") == "time_zone"):
            self.hidden_depth += 1
        self.texts += [value for name, value in attrs if name in ATTRIBUTES and value]
        if tag in ("input", "button") and attributes.get("type") in ("submit", "button") and attributes.get("value"):
            self.texts.append(attributes["value"])

    def handle_endtag(self, tag):
        if tag in ("script", "style", "select") and self.hidden_depth:
            self.hidden_depth -= 1

    def handle_data(self, data):
        if not self.hidden_depth and data.strip():
            self.texts.append(data.strip())


def _content() -> list[str]:
    """What editors wrote, longest first, so that no shorter piece is removed from inside it."""
    home = HomePage.objects.first()
    site = SiteSettings.objects.first() or SiteSettings()
    pieces = [home.title, home.hero_title, home.hero_intro, site.footer_text, site.tagline]
    return sorted(filter(None, pieces), key=len, reverse=True)


def english_left(html: str, *, content: list[str]) -> list[str]:
    parser = VisibleText()
    parser.feed(html)
    left = []
    for text in parser.texts:
        rest = ADDRESS.sub("", text)
        for piece in [*content, *KEPT]:
            rest = rest.replace(piece, "")
        if ENGLISH_WORD.search(rest):
            left.append(text)
    return left


def _get_in_chinese(client: Client, path: str):
    """The page in Chinese by the language prefix where the site has one, else by the cookie."""
    response = client.get("/zh-hans" + path, follow=True)
    if response.status_code == 404:
        response = client.get(path, follow=True)
    return response


def _chinese_client() -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
    client.cookies["django_language"] = "zh-hans"
    return client


@pytest.mark.django_db
def test_signed_out_pages_have_no_english_interface_left(home_page):
    client, content = _chinese_client(), _content()
    left = {}
    for path in SIGNED_OUT:
        response = _get_in_chinese(client, path)
        assert response.status_code in (200, 401), path
        if found := english_left(response.content.decode(), content=content):
            left[path] = found
    assert left == {}


@pytest.mark.django_db
def test_signed_in_account_pages_have_no_english_interface_left(home_page):
    person = UserFactory(full_name="李娜", preferred_language="zh-hans")
    EmailAddress.objects.create(user=person, email="li.na.second@example.com", verified=False, primary=False)
    client, content = _chinese_client(), _content()
    client.force_login(person)
    left = {}
    for path in SIGNED_IN:
        response = _get_in_chinese(client, path)
        assert response.status_code == 200, path
        if found := english_left(response.content.decode(), content=content):
            left[path] = found
    # allauth's own page and message after removing an address.
    removed = client.post("/accounts/email/", {"action_remove": "", "email": "li.na.second@example.com"}, follow=True)
    assert "li.na.second@example.com" in removed.content.decode()
    if found := english_left(removed.content.decode(), content=content):
        left["/accounts/email/ (removed)"] = found
    assert left == {}


def test_the_check_finds_english_inside_chinese():
    assert english_left("<p>添加Email地址</p><input placeholder='Search'>", content=[]) == ["添加Email地址", "Search"]
    assert english_left("<p>添加电子邮件地址</p><p>Partner Academy · li@example.com</p>", content=[]) == []
