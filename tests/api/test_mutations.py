"""The one mutation base (core.api.mutations.BaseMutation) and the published error-code enums."""

import ast
import importlib
import inspect
from pathlib import Path
from types import SimpleNamespace

import graphene
import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ImproperlyConfigured, PermissionDenied, ValidationError

from core.api.mutations import DJANGO_CODES, BaseMutation, error_code_enum, error_code_values, signed_in

ROOT = Path(__file__).resolve().parents[2]
ToyErrorCode = error_code_enum("ToyErrorCode", ("known",), "toy")
CALLS: list[str] = []


class ToyPayloadMutation(BaseMutation):
    """A mutation for these tests: `outcome` picks what its 'service' does."""

    class Arguments:
        outcome = graphene.String(required=True)

    class Meta:
        permission = signed_in
        object_permission = lambda user, target: target != "locked"  # noqa: E731
        error_codes = ToyErrorCode

    done = graphene.Boolean()
    errors = graphene.List(graphene.NonNull("core.api.errors.FieldError"), required=True)

    @classmethod
    def get_target(cls, info, user, outcome):
        return outcome

    @classmethod
    def perform_mutation(cls, info, user, target, outcome):
        CALLS.append(outcome)
        if outcome == "invalid":
            raise ValidationError({"some_field": ValidationError("Bad.", code="known")})
        if outcome == "unlisted":
            raise ValidationError("Bad.", code="brand_new")
        if outcome == "denied":
            raise PermissionDenied("Not you.")
        return cls.success(done=True)


class Mutation(graphene.ObjectType):
    toy = ToyPayloadMutation.Field()


class Query(graphene.ObjectType):
    ping = graphene.Boolean()


SCHEMA = graphene.Schema(query=Query, mutation=Mutation)
TOY = "mutation($o: String!) { toy(outcome: $o) { done errors { field code message } } }"


def run(outcome, user):
    CALLS.clear()
    result = SCHEMA.execute(TOY, variable_values={"o": outcome}, context_value=SimpleNamespace(user=user))
    codes = [error.extensions.get("code") for error in result.errors or []]
    return result.data, codes


@pytest.fixture
def someone(requester):
    return requester


def test_success_runs_the_service_once_and_returns_an_empty_error_list(someone):
    assert run("ok", someone) == ({"toy": {"done": True, "errors": []}}, [])
    assert CALLS == ["ok"]


def test_anonymous_is_refused_before_the_service_runs(db):
    assert run("ok", AnonymousUser()) == ({"toy": None}, ["UNAUTHENTICATED"])
    assert CALLS == []


def test_object_permission_refuses_before_the_service_runs(someone):
    assert run("locked", someone) == ({"toy": None}, ["FORBIDDEN"])
    assert CALLS == []


def test_validation_error_becomes_the_payload_errors_with_field_and_code(someone):
    data, codes = run("invalid", someone)
    assert codes == []
    assert data == {
        "toy": {"done": None, "errors": [{"field": "someField", "code": "known", "message": "Bad."}]}
    }


def test_permission_denied_from_the_service_becomes_forbidden(someone):
    assert run("denied", someone) == ({"toy": None}, ["FORBIDDEN"])


def test_a_code_missing_from_the_enum_is_logged_and_still_returned(someone, caplog):
    data, _codes = run("unlisted", someone)
    assert data["toy"]["errors"][0]["code"] == "brand_new"
    assert "brand_new" in caplog.text and "ToyErrorCode" in caplog.text


@pytest.mark.parametrize(
    "meta, complaint",
    [
        ({"permission": signed_in, "error_codes": ToyErrorCode}, "description"),
        ({"description": "x", "error_codes": ToyErrorCode}, "permission"),
        ({"description": "x", "permission": signed_in}, "error_codes"),
    ],
)
def test_a_mutation_without_description_permission_or_error_codes_is_refused_at_import(meta, complaint):
    with pytest.raises(ImproperlyConfigured, match=complaint):
        type(
            "Incomplete",
            (BaseMutation,),
            {"Meta": type("Meta", (), meta), "perform_mutation": classmethod(print)},
        )


def test_every_mutation_of_the_schema_is_built_on_the_base_and_described():
    from config.schema import schema

    for name, field in schema.graphql_schema.mutation_type.fields.items():
        assert field.description, name
        owner = getattr(field.resolve, "__self__", None)
        assert isinstance(owner, type) and issubclass(owner, BaseMutation), name


# --- every code a mutation can return is in its app's enum ---------------------------------------------------------

# Per app: its enum, and the service functions its mutations call. Codes are collected from these functions and
# every function of the same app they call (following `helper(...)` and `module.helper(...)` calls), plus the
# app's model validation and the schema's own argument parsing.
APPS = {
    "support": (
        "support.schema.SupportErrorCode",
        {
            "support.services": [
                "request_submit",
                "request_update",
                "request_triage",
                "request_change_status",
                "request_withdraw",
                "satisfaction_submit",
                "comment_add",
            ]
        },
    ),
    "skills": (
        "skills.schema.SkillsErrorCode",
        {
            "skills.services": [
                "assessment_record_self",
                "assessment_record_manager",
                "assessment_validate",
                "certification_add",
            ]
        },
    ),
    "staffing": (
        "staffing.schema.StaffingErrorCode",
        {"staffing.services": ["assignment_create", "assignment_release", "backlog_plan_apply"]},
    ),
}


def _codes_in_call(call: ast.Call, functions: dict) -> set[str]:
    """`code="x"` keywords, and a literal passed to a local function's parameter named `code` (`_error(f, "x")`)."""
    found = {k.value.value for k in call.keywords if k.arg == "code" and isinstance(k.value, ast.Constant)}
    callee = functions.get(call.func.id) if isinstance(call.func, ast.Name) else None
    if callee is not None:
        params = [a.arg for a in callee.args.args]
        for index, arg in enumerate(call.args):
            if index < len(params) and params[index] == "code" and isinstance(arg, ast.Constant):
                found.add(arg.value)
    return found


def _module_functions(module_name: str) -> tuple[dict, dict, dict]:
    module = importlib.import_module(module_name)
    tree = ast.parse(inspect.getsource(module))
    functions = {node.name: node for node in tree.body if isinstance(node, ast.FunctionDef)}
    app = module_name.split(".")[0]
    aliases = {}  # local name → module of the same app (`from support import lifecycle`)
    package = ".".join(module_name.split(".")[:2])  # a services package: its modules re-export each other
    origins = {}  # imported function → the module defining it (`from support.services.workflow import _move`)
    for node in tree.body:
        if isinstance(node, ast.ImportFrom) and node.module == app:
            for alias in node.names:
                aliases[alias.asname or alias.name] = f"{app}.{alias.name}"
        elif isinstance(node, ast.ImportFrom) and (node.module or "").startswith(f"{package}."):
            others, _aliases, other_origins = _module_functions(node.module)
            for alias in node.names:
                if alias.name in others:
                    functions[alias.asname or alias.name] = others[alias.name]
                    origins[alias.asname or alias.name] = other_origins.get(alias.name, node.module)
    return functions, aliases, origins


def reachable_codes(roots: dict[str, list[str]]) -> set[str]:
    codes: set[str] = set()
    todo = [(module, name) for module, names in roots.items() for name in names]
    seen = set()
    while todo:
        module_name, name = todo.pop()
        module_name = _module_functions(module_name)[2].get(name, module_name)  # where it is defined
        if (module_name, name) in seen:
            continue
        seen.add((module_name, name))
        functions, aliases, _origins = _module_functions(module_name)
        function = functions[name]
        for node in ast.walk(function):
            if not isinstance(node, ast.Call):
                continue
            codes |= _codes_in_call(node, functions)
            if isinstance(node.func, ast.Name) and node.func.id in functions:
                todo.append((module_name, node.func.id))
            elif (
                isinstance(node.func, ast.Attribute)
                and isinstance(node.func.value, ast.Name)
                and node.func.value.id in aliases
            ):
                other = aliases[node.func.value.id]
                if node.func.attr in _module_functions(other)[0]:
                    todo.append((other, node.func.attr))
    return codes


def literal_codes(path: Path) -> set[str]:
    """Every `ValidationError(..., code="x")` in a file (a model's clean(), a schema's own argument checks); a
    query's ExpectedError codes are GraphQL error codes, not payload codes."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return {
        keyword.value.value
        for node in ast.walk(tree)
        if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "ValidationError"
        for keyword in node.keywords
        if keyword.arg == "code" and isinstance(keyword.value, ast.Constant)
    }


def _schema_files(app: str) -> list[Path]:
    package = ROOT / app / "schema"
    return sorted(package.glob("*.py")) if package.is_dir() else [ROOT / app / "schema.py"]


@pytest.mark.parametrize("app", sorted(APPS))
def test_every_code_the_mutations_can_return_is_in_the_apps_enum(app):
    enum_path, roots = APPS[app]
    module_name, enum_name = enum_path.rsplit(".", 1)
    enum = getattr(importlib.import_module(module_name), enum_name)
    produced = reachable_codes(roots)
    for path in [*_schema_files(app), *(ROOT / app).glob("models.py")]:
        produced |= literal_codes(path)
    assert produced, "the scan found no codes at all: it is broken"
    assert produced - error_code_values(enum) == set()


def test_the_scan_follows_helpers_and_other_modules_of_the_app():
    """The collector sees codes raised two calls deep and in another module (support.lifecycle via _move)."""
    codes = reachable_codes({"support.services": ["request_change_status"]})
    assert {"transition_not_permitted", "invalid_transition"} <= codes
    assert "level_out_of_range" in reachable_codes({"skills.services": ["assessment_record_self"]})


def test_error_code_enums_are_published_in_the_schema():
    sdl = (ROOT / "graphql" / "schema.graphql").read_text(encoding="utf-8")
    for name in ("SupportErrorCode", "SkillsErrorCode", "StaffingErrorCode"):
        assert f"enum {name} {{" in sdl
    assert "  UNKNOWN_CATEGORY\n" in sdl and "  OVER_CAPACITY\n" in sdl
    assert set(DJANGO_CODES) <= error_code_values(ToyErrorCode)
