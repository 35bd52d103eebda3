import graphene
from django.db.models import Prefetch
from graphene_django import DjangoObjectType

from accounts import selectors
from accounts.models import Organization, OrganizationKind, User
from accounts.policies import can_view_audit_events
from accounts.roles import roles_of
from core.api.errors import Forbidden, require_user
from core.api.names import LocalizedNameField
from core.api.relay import CountableConnection, ScopedConnectionField
from core.models import AuditEvent

OrganizationKindEnum = graphene.Enum.from_enum(OrganizationKind, name="OrganizationKind")


class OrganizationNode(DjangoObjectType):
    localized_name = LocalizedNameField()
    kind = OrganizationKindEnum(required=True)
    children = graphene.List(
        graphene.NonNull(lambda: OrganizationNode),
        required=True,
        description="The active organisations directly below this one (a bureau's departments, a municipality's "
        "sections).",
    )

    class Meta:
        model = Organization
        name = "Organization"
        fields = ("id", "code", "name", "name_en", "parent", "active")
        interfaces = (graphene.relay.Node,)
        connection_class = CountableConnection

    def resolve_kind(root, info):
        return root.kind

    def resolve_children(root, info):
        prefetched = getattr(root, "active_children", None)  # the organizations list prefetches them
        return prefetched if prefetched is not None else list(selectors.organization_list(parent=root.code))

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


class AuditEventNode(DjangoObjectType):
    """One accounts audit event: who did what, when, from which address, with the values before and after."""

    actor_email = graphene.String(description="The e-mail address of the actor; null for system actions.")
    target = graphene.String(description="The object acted on, as `model:id` (e.g. `user:42`).")
    source_address = graphene.String(description="The address the request came from.")
    data = graphene.JSONString(required=True, description="The details, e.g. `before` and `after` values.")

    class Meta:
        model = AuditEvent
        name = "AuditEvent"
        fields = ("id", "verb", "created")
        interfaces = (graphene.relay.Node,)
        connection_class = CountableConnection

    @classmethod
    def get_node(cls, info, id):
        if not can_view_audit_events(require_user(info)):
            return None
        return selectors.audit_event_list().filter(pk=id).first()

    def resolve_actor_email(root, info):
        return root.actor.email if root.actor_id else None

    def resolve_target(root, info):
        return f"{root.target_type.model}:{root.target_id}" if root.target_type_id else None

    def resolve_source_address(root, info):
        return (root.data or {}).get("source_address")

    def resolve_data(root, info):
        return root.data or {}


class Query(graphene.ObjectType):
    me = graphene.Field(Me, description="The signed-in user, with organisation and roles.")
    organizations = ScopedConnectionField(
        OrganizationNode,
        kind=OrganizationKindEnum(),
        search=graphene.String(),
        parent=graphene.String(description="The code of a parent organisation: its children only."),
        description="Active bureaus, departments and municipalities.",
    )
    audit_events = ScopedConnectionField(
        AuditEventNode,
        verb=graphene.String(description="A verb, or the start of one (e.g. `auth.`)."),
        actor=graphene.String(description="The actor's e-mail address, or part of it."),
        since=graphene.DateTime(description="Events at or after this time."),
        until=graphene.DateTime(description="Events before this time."),
        description="The accounts audit, newest first (administrators only).",
    )

    def resolve_me(root, info):
        return require_user(info)

    def resolve_organizations(root, info, kind=None, search=None, parent=None, **_page):
        require_user(info)
        return selectors.organization_list(
            kind=kind.value if kind else None, search=search, parent=parent
        ).prefetch_related(
            Prefetch("children", queryset=selectors.organization_list(), to_attr="active_children")
        )

    def resolve_audit_events(root, info, verb=None, actor=None, since=None, until=None, **_page):
        if not can_view_audit_events(require_user(info)):
            raise Forbidden()
        return selectors.audit_event_list(verb=verb, actor=actor, since=since, until=until)
