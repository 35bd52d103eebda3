"""Static files storage for production: WhiteNoise's hashed, compressed files, without rewriting source-map comments.

Vendored minified files (Chart.js, Bootstrap, GraphiQL) end with `sourceMappingURL=…map` for maps we do not ship;
Django's manifest storage would refuse to collect them ("could not be found"). Browsers only fetch a map when the
developer tools are open, so those comments are left as they are; CSS url()/@import references are still hashed.
"""

from whitenoise.storage import CompressedManifestStaticFilesStorage


def _without_source_maps(patterns):
    kept = []
    for glob, rules in patterns:
        rules = tuple(
            rule for rule in rules if "sourceMappingURL" not in (rule[0] if isinstance(rule, tuple) else rule)
        )
        if rules:
            kept.append((glob, rules))
    return tuple(kept)


class StaticFilesStorage(CompressedManifestStaticFilesStorage):
    patterns = _without_source_maps(CompressedManifestStaticFilesStorage.patterns)
