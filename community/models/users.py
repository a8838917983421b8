import zoneinfo

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.core.validators import RegexValidator
from django.db import IntegrityError, models, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from community.handles import HANDLE_MAX_LENGTH, HANDLE_PATTERN, handle_base, handle_first_free

# How often a save looks again for a free handle when others took the one it found meanwhile.
_HANDLE_TRIES = 5

TIME_ZONE_CHOICES = [(name, name) for name in sorted(zoneinfo.available_timezones())]


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email, password, **extra_fields):
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        return self._create_user(email, password, **extra_fields)


class User(AbstractBaseUser, PermissionsMixin):
    """A person. Signs in by e-mail; names are free text because Chinese, Cyrillic and Latin
    names are all normal here and none of them splits cleanly into first and last."""

    email = models.EmailField(_("e-mail address"), unique=True)
    full_name = models.CharField(_("full name"), max_length=150)
    handle = models.CharField(
        _("handle"),
        max_length=HANDLE_MAX_LENGTH,
        unique=True,
        validators=[RegexValidator(rf"^{HANDLE_PATTERN}$")],
        help_text=_("How others mention you in the forums: @handle."),
    )
    certificate_name = models.CharField(
        _("name on certificates"),
        max_length=150,
        blank=True,
        help_text=_("Exactly as it must be printed on your certificates. Leave empty to use your full name."),
    )
    preferred_language = models.CharField(
        _("preferred language"), max_length=10, choices=settings.LANGUAGES, default="en"
    )
    time_zone = models.CharField(_("time zone"), max_length=64, choices=TIME_ZONE_CHOICES, default="UTC")
    public_profile = models.BooleanField(
        _("list me by name"),
        default=False,
        help_text=_("Show my name in the public partner directory next to my organisation."),
    )
    is_staff = models.BooleanField(_("staff status"), default=False)
    is_active = models.BooleanField(_("active"), default=True)
    date_joined = models.DateTimeField(_("date joined"), default=timezone.now)

    objects = UserManager()

    EMAIL_FIELD = "email"
    USERNAME_FIELD = "email"
    REQUIRED_FIELDS = ["full_name"]

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self):
        return self.full_name or self.email

    def save(self, *args, **kwargs):
        # Every way a person is created (sign-up, single sign-on, the admin, demo data) gets a
        # handle here rather than each remembering to; it is set once and never recomputed.
        if self.handle:
            return super().save(*args, **kwargs)
        base = handle_base(full_name=self.full_name, email=self.email)
        others = User.objects.exclude(pk=self.pk) if self.pk else User.objects.all()
        for _attempt in range(_HANDLE_TRIES):
            self.handle = handle_first_free(base=base, taken=lambda h: others.filter(handle__iexact=h).exists())
            try:
                # A savepoint: two people of one name signing up at once may both find the same
                # handle free; the later insert then takes the next one instead of failing.
                with transaction.atomic():
                    return super().save(*args, **kwargs)
            except IntegrityError:
                if not others.filter(handle=self.handle).exists():
                    raise  # another constraint (the e-mail address, say): not ours to retry
        raise IntegrityError(f"no free handle for {base!r} after {_HANDLE_TRIES} tries")

    def get_full_name(self):
        return self.full_name or self.email

    def get_short_name(self):
        return self.full_name or self.email

    @property
    def printed_name(self) -> str:
        """The name a certificate carries: the certificate name if set, else the full name."""
        return self.certificate_name or self.full_name
