from django.contrib.auth.base_user import BaseUserManager
from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from accounts.validators import validate_local_government_code
from core.names import LocalizedName


class OrganizationKind(models.TextChoices):
    BUREAU = "bureau", _("Bureau")
    DEPARTMENT = "department", _("Department / division")
    WARD = "municipality_ward", _("Special ward")
    CITY = "municipality_city", _("City")
    TOWN = "municipality_town", _("Town")
    VILLAGE = "municipality_village", _("Village")
    MUNICIPAL_SECTION = "municipal_section", _("Municipal section")
    POLICY_BODY = "policy_body", _("Policy-linked body")

    @classmethod
    def municipal(cls) -> tuple[str, ...]:
        return (cls.WARD, cls.CITY, cls.TOWN, cls.VILLAGE)

    @classmethod
    def allowed_parents(cls) -> dict[str, tuple[str, ...]]:
        """The hierarchy: a department belongs to a bureau, a municipal section to a municipality; the others
        (bureaus, municipalities, policy-linked bodies such as GovTech東京) stand at the top."""
        return {cls.DEPARTMENT: (cls.BUREAU,), cls.MUNICIPAL_SECTION: cls.municipal()}


class Organization(LocalizedName, models.Model):
    """A requesting organisation: a bureau (局) or one of its departments (部), a municipality (区市町村) or one of its
    sections, or a policy-linked body (政策連携団体, e.g. GovTech東京). `parent` makes the hierarchy (two levels)."""

    kind = models.CharField(_("kind"), max_length=32, choices=OrganizationKind.choices, db_index=True)
    code = models.CharField(
        _("code"),
        max_length=16,
        unique=True,
        help_text=_(
            "For municipalities the 6-digit national local-government code (e.g. 131016 for Chiyoda)."
        ),
    )
    name = models.CharField(_("name"), max_length=128)
    name_en = models.CharField(_("English name"), max_length=128, blank=True)
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
        verbose_name=_("parent organisation"),
    )
    active = models.BooleanField(_("active"), default=True)
    password_login_allowed = models.BooleanField(
        _("password sign-in allowed"),
        default=True,
        help_text=_(
            "Turn off when this organisation's staff sign in with their organisation's account (SSO)."
        ),
    )

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["kind", "code"]

    def __str__(self) -> str:
        return self.localized_name  # name_en in English (core.names)

    @property
    def is_municipality(self) -> bool:
        return self.kind in OrganizationKind.municipal()

    def clean(self) -> None:
        super().clean()
        errors = {}
        if self.is_municipality and self.code:
            try:
                validate_local_government_code(self.code)
            except ValidationError as error:
                errors["code"] = error.error_list
        parents = OrganizationKind.allowed_parents().get(self.kind, ())
        if parents and not self.parent_id:
            errors["parent"] = [
                ValidationError(
                    _("A department belongs to a bureau; a municipal section to a municipality."),
                    code="parent_required",
                )
            ]
        elif self.parent_id and self.parent_id != self.pk and self.parent.kind not in parents:
            errors["parent"] = [
                ValidationError(
                    _("A %(kind)s cannot belong to a %(parent)s."),
                    code="parent_kind",
                    params={"kind": self.get_kind_display(), "parent": self.parent.get_kind_display()},
                )
            ]
        if self.parent_id and self.parent_id == self.pk:
            errors["parent"] = [
                ValidationError(_("An organisation cannot be its own parent."), code="self_parent")
            ]
        if errors:
            raise ValidationError(errors)


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email, password, **extra):
        if not email:
            raise ValueError("An e-mail address is required")
        email = self.normalize_email(email).lower()
        user = self.model(email=email, **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra):
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra)

    def create_superuser(self, email, password=None, **extra):
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        return self._create_user(email, password, **extra)


class Language(models.TextChoices):
    JA = "ja", "日本語"
    EN = "en", "English"


class User(AbstractUser):
    """A person who signs in with an e-mail address. Roles are groups; the organisation scopes what they see."""

    username = None
    email = models.EmailField(_("e-mail address"), unique=True)
    display_name = models.CharField(_("display name"), max_length=128, blank=True)
    organization = models.ForeignKey(
        Organization,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="members",
        verbose_name=_("organisation"),
    )
    preferred_language = models.CharField(
        _("preferred language"), max_length=8, choices=Language.choices, default=Language.JA
    )
    sees_suborganizations = models.BooleanField(
        _("sees the requests of sub-organisations"),
        default=False,
        help_text=_(
            "A requester who oversees their organisation (e.g. a bureau's DX lead) also sees the requests of its "
            "departments or sections. Acting on them stays with the filing organisation."
        ),
    )

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []
    objects = UserManager()

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["email"]

    def __str__(self) -> str:
        return self.display_name or self.email

    @property
    def label(self) -> str:
        return self.display_name or self.email


class ApiToken(models.Model):
    """A revocable token for scripts and BI tools. Only a hash is stored; it acts with its owner's permissions."""

    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="api_tokens", verbose_name=_("user")
    )
    name = models.CharField(_("name"), max_length=100)
    prefix = models.CharField(_("prefix"), max_length=12, db_index=True)
    key_hash = models.CharField(_("key hash"), max_length=64, unique=True)
    created = models.DateTimeField(_("created"), auto_now_add=True)
    last_used = models.DateTimeField(_("last used"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-created"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"
