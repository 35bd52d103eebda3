"""Production static files: hashed names for cache-busting, vendored files that name a missing source map accepted."""

import json

from django.core.management import call_command
from django.test import override_settings


def test_collectstatic_hashes_files_and_keeps_missing_source_map_comments(tmp_path):
    source, target = tmp_path / "static", tmp_path / "collected"
    (source / "vendor").mkdir(parents=True)
    (source / "vendor/lib.min.js").write_text("var x=1;\n//# sourceMappingURL=lib.min.js.map\n")
    (source / "img.svg").write_text("<svg xmlns='http://www.w3.org/2000/svg'/>")
    rules = "".join(f".c{n}{{margin:{n}px}}\n" for n in range(200))  # big enough to be worth compressing
    (source / "app.css").write_text(
        f"body{{background:url('img.svg')}}\n{rules}/*# sourceMappingURL=app.css.map */\n"
    )

    with override_settings(
        STATICFILES_DIRS=[source],
        STATIC_ROOT=target,
        STATICFILES_FINDERS=["django.contrib.staticfiles.finders.FileSystemFinder"],
        STORAGES={
            "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
            "staticfiles": {"BACKEND": "core.staticfiles.StaticFilesStorage"},
        },
    ):
        call_command("collectstatic", interactive=False, verbosity=0)

    manifest = json.loads((target / "staticfiles.json").read_text())["paths"]
    hashed_css = target / manifest["app.css"]
    assert manifest["vendor/lib.min.js"] != "vendor/lib.min.js"  # content-hashed name
    assert manifest["img.svg"] in hashed_css.read_text()  # CSS references still point at the hashed file
    assert "sourceMappingURL=lib.min.js.map" in (target / manifest["vendor/lib.min.js"]).read_text()
    assert (target / (manifest["app.css"] + ".gz")).exists()  # compressed copy for WhiteNoise
