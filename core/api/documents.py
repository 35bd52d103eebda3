"""Parsing and validating a GraphQL document, once per valid text (an LRU cache bounded in bytes).

Only documents that parsed and passed validation are kept, so a caller sending ever new invalid (or huge) texts
costs no memory. Each entry counts the query text plus an estimate of its syntax tree (the tree of one short query
weighs about a hundred times its text); the total stays under `GRAPHQL_DOCUMENT_CACHE_BYTES`.
"""

import sys
from collections import OrderedDict
from threading import Lock

from django.conf import settings
from graphql import DocumentNode, GraphQLError, Node, parse, validate
from graphql.validation.validate import ValidationAbortedError

from core.api.limits import DocumentLimitRule

TOKEN_LIMIT_MARK = "tokens. Parsing aborted."
NESTING_MARK = "nested too deeply"
LIMIT_SETTINGS = (
    "GRAPHQL_MAX_TOKENS",
    "GRAPHQL_MAX_DEPTH",
    "GRAPHQL_MAX_ALIASES",
    "GRAPHQL_MAX_FIELDS",
    "GRAPHQL_MAX_COST",
    "GRAPHQL_LIST_SIZE_ESTIMATE",
)


def limits_in_force() -> tuple:
    """Part of the cache key: a document valid under some limits is not under stricter ones."""
    return tuple(getattr(settings, name) for name in LIMIT_SETTINGS)


def parse_document(query: str) -> DocumentNode:
    """The syntax tree, or a GraphQLError with code GRAPHQL_PARSE_FAILED, or QUERY_TOO_COMPLEX past the token limit."""
    try:
        return parse(query, max_tokens=settings.GRAPHQL_MAX_TOKENS)
    except GraphQLError as error:
        code = "GRAPHQL_PARSE_FAILED"
        if TOKEN_LIMIT_MARK in error.message:
            code = "QUERY_TOO_COMPLEX"
        elif NESTING_MARK in error.message:
            code = "DEPTH_LIMIT"
        raise GraphQLError(
            error.message, source=error.source, positions=error.positions, extensions={"code": code}
        ) from None
    except RecursionError:
        raise GraphQLError("The document is nested too deeply.", extensions={"code": "DEPTH_LIMIT"}) from None


def validate_document(schema, document: DocumentNode, rules) -> list[GraphQLError]:
    """The limits first (cheap, and they bound the work of the rest), then the full rule set."""
    errors = validate(schema, document, [DocumentLimitRule])
    if errors:
        return errors
    errors = validate(schema, document, rules)
    for error in errors:
        if not (error.extensions or {}).get("code"):
            # graphql-core gives up ("Validation aborted.") on documents too large or too nested to check
            code = (
                "QUERY_TOO_COMPLEX"
                if isinstance(error, ValidationAbortedError)
                else "GRAPHQL_VALIDATION_FAILED"
            )
            error.extensions = {**(error.extensions or {}), "code": code}
    return errors


def document_bytes(query: str, document: DocumentNode) -> int:
    """An estimate of the memory an entry holds: the text, the syntax-tree nodes and the lexer's token chain, plus
    half again for what the walk does not see (measured with tracemalloc: a parse retains ~1.25× the sum)."""
    size = sys.getsizeof(query)
    stack: list = [document]
    while stack:
        node = stack.pop()
        size += sys.getsizeof(node) + (sys.getsizeof(node.loc) if node.loc is not None else 0)
        for key in node.keys:
            value = getattr(node, key, None)
            if isinstance(value, Node):
                stack.append(value)
            elif isinstance(value, tuple | list):
                size += sys.getsizeof(value)
                stack.extend(item for item in value if isinstance(item, Node))
            elif isinstance(value, str):
                size += sys.getsizeof(value)
    token = document.loc.start_token if document.loc is not None else None
    while token is not None:
        size += sys.getsizeof(token) + (sys.getsizeof(token.value) if token.value else 0)
        token = token.next
    return size * 3 // 2


class DocumentCache:
    """Valid documents by (schema, rules, limits, query text), least recently used first out, at most `max_bytes` in all."""

    def __init__(self, max_bytes: int | None = None):
        self._max_bytes = max_bytes
        self.entries: OrderedDict = OrderedDict()
        self.bytes = 0
        self.lock = Lock()

    @property
    def max_bytes(self) -> int:
        return self._max_bytes if self._max_bytes is not None else settings.GRAPHQL_DOCUMENT_CACHE_BYTES

    def get(self, schema, query: str, rules) -> tuple[DocumentNode | None, list[GraphQLError]]:
        """(document, []) for a valid query, (document or None, errors) otherwise."""
        key = (id(schema), id(rules), limits_in_force(), query)
        with self.lock:
            entry = self.entries.get(key)
            if entry is not None:
                self.entries.move_to_end(key)
                return entry[0], []
        try:
            document = parse_document(query)
        except GraphQLError as error:
            return None, [error]
        errors = validate_document(schema, document, rules)
        if not errors:
            self._put(key, document, document_bytes(query, document))
        return document, errors

    def _put(self, key, document, size: int) -> None:
        with self.lock:
            if size > self.max_bytes or key in self.entries:
                return
            self.entries[key] = (document, size)
            self.bytes += size
            while self.bytes > self.max_bytes:
                _, (_, evicted) = self.entries.popitem(last=False)
                self.bytes -= evicted

    def clear(self) -> None:
        with self.lock:
            self.entries.clear()
            self.bytes = 0


DOCUMENTS = DocumentCache()
