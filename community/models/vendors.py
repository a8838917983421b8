from django.contrib.auth.models import Group
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.search import index


class Vendor(index.Indexed, models.Model):
    """A company (or distributor) whose products partners are certified on. Its staff are the
    members of `staff_group`; programme managers are also members of `manager_group`. Later
    features scope authoring and programme rights to these groups."""

    name = models.CharField(_("name"), max_length=120, unique=True)
    slug = models.SlugField(_("slug"), max_length=120, unique=True)
    website = models.URLField(_("website"), blank=True)
    description = models.TextField(_("description"), blank=True)
    logo = models.ForeignKey(
        "wagtailimages.Image",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("logo"),
    )
    brand_colour = models.CharField(
        _("brand colour"), max_length=7, default="#1d4ed8", help_text=_("Hex colour, e.g. #1d4ed8")
    )
    staff_group = models.OneToOneField(
        Group, null=True, blank=True, editable=False, on_delete=models.SET_NULL, related_name="vendor_staff_of"
    )
    manager_group = models.OneToOneField(
        Group, null=True, blank=True, editable=False, on_delete=models.SET_NULL, related_name="vendor_managers_of"
    )

    search_fields = [index.SearchField("name"), index.AutocompleteField("name")]

    class Meta:
        ordering = ["name"]
        verbose_name = _("vendor")
        verbose_name_plural = _("vendors")

    def __str__(self):
        return self.name


class ProductCategory(models.TextChoices):
    CLOUD = "cloud", _("Cloud platform")
    DATA = "data", _("Data and databases")
    CONTAINERS = "containers", _("Containers and DevOps")
    NETWORKING = "networking", _("Networking")
    WIRELESS = "wireless", _("Wireless")
    SECURITY = "security", _("Security")
    COLLABORATION = "collaboration", _("Collaboration")
    ANALYTICS = "analytics", _("Analytics and AI")


class Product(index.Indexed, models.Model):
    vendor = models.ForeignKey(Vendor, on_delete=models.PROTECT, related_name="products", verbose_name=_("vendor"))
    name = models.CharField(_("name"), max_length=120)
    slug = models.SlugField(_("slug"), max_length=120, unique=True)
    category = models.CharField(_("category"), max_length=20, choices=ProductCategory.choices)
    short_description = models.CharField(_("short description"), max_length=255, blank=True)
    logo = models.ForeignKey(
        "wagtailimages.Image",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("logo"),
    )

    search_fields = [
        index.SearchField("name"),
        index.AutocompleteField("name"),
        index.SearchField("short_description"),
        index.FilterField("vendor_id"),
        index.FilterField("id"),  # choosers narrow by primary key (community.admin_scoping)
    ]

    class Meta:
        ordering = ["vendor__name", "name"]
        constraints = [models.UniqueConstraint(fields=["vendor", "name"], name="product_unique_name_per_vendor")]
        verbose_name = _("product")
        verbose_name_plural = _("products")

    def __str__(self):
        return self.name
