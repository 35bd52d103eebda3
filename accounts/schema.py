import graphene
from graphene_django import DjangoObjectType

from accounts import selectors
from accounts.models import Organization, OrganizationKind, User
from accounts.roles import roles_of
from core.api.errors import require_user
from core.api.relay import CountableConnection, ScopedConnectionField

OrganizationKindEnum = graphene.Enum.from_enum(OrganizationKind, name="OrganizationKind")


class OrganizationNode(DjangoObjectType):
    kind = OrganizationKindEnum(required=True)

    class Meta:
        model = Organization
        name = "Organization"
        fields = ("id", "code", "name", "name_en", "parent", "active")
        interfaces = (graphene.relay.Node,)
        connection_class = CountableConnection

    def resolve_kind(root, info):
        return root.kind

    @classmethod
    def get_node(cls, info, id):
        require_user(info)
        return selectors.organization_list(active=None).filter(pk=id).first()


class Me(DjangoObjectType):
    """The signed-in user."""

    roles = graphene.List(graphene.NonNull(graphene.String), required=True)

    class Meta:
        model = User
        name = "Me"
        fields = ("id", "email", "display_name", "organization", "preferred_language")

    def resolve_roles(root, info):
        return sorted(roles_of(root))


class Query(graphene.ObjectType):
    me = graphene.Field(Me, description="The signed-in user, with organisation and roles.")
    organizations = ScopedConnectionField(
        OrganizationNode,
        kind=OrganizationKindEnum(),
        search=graphene.String(),
        description="Active bureaus, departments and municipalities.",
    )

    def resolve_me(root, info):
        return require_user(info)

    def resolve_organizations(root, info, kind=None, search=None, **_page):
        require_user(info)
        return selectors.organization_list(kind=kind.value if kind else None, search=search)
