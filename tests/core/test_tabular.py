"""core.tabular: reading uploads in every encoding, headers in Japanese or as codes, export encodings, the kept
upload of a dry run, and files of a rolled-back write removed."""

import codecs
import datetime as dt
import io

import openpyxl
import pytest
import tablib
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.test import RequestFactory

from core.files import delete_on_rollback
from core.tabular import cells, exports, pending
from core.tabular.columns import Column, Columns
from core.tabular.files import read_table

ROWS = [["氏名", "メモ"], ["山田 太郎", "髙橋さん①～"], ["", ""], ["鈴木", "=1+1"]]


def csv_bytes(encoding: str) -> bytes:
    text = "\r\n".join(",".join(row) for row in ROWS) + "\r\n"
    if encoding == "utf-8-sig":
        return codecs.BOM_UTF8 + text.encode("utf-8")
    return text.encode(encoding)


def xlsx_bytes(rows) -> bytes:
    book = openpyxl.Workbook()
    for row in rows:
        book.active.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp932"])
def test_csv_in_every_encoding_reads_the_same(encoding):
    dataset = read_table(csv_bytes(encoding), "people.csv")
    assert (dataset.headers, list(dataset)) == (
        ["氏名", "メモ"],
        [("山田 太郎", "髙橋さん①～"), ("", ""), ("鈴木", "=1+1")],  # the blank row is kept: row numbers stay
    )


def test_xlsx_reads_first_sheet():
    dataset = read_table(xlsx_bytes(ROWS), "people.xlsx")
    assert (dataset.headers, dataset[0]) == (["氏名", "メモ"], ("山田 太郎", "髙橋さん①～"))


@pytest.mark.parametrize(
    ("content", "name", "code"),
    [
        (b"\x81\x20\x81", "bad.csv", "bad_encoding"),
        ("名前".encode("utf-16"), "utf16.csv", "bad_encoding"),
        (b"not a zip", "bad.xlsx", "bad_file"),
        (b"a,b\n", "data.txt", "bad_type"),
        (b"\r\n,\r\n", "empty.csv", "empty_file"),
    ],
    ids=["undecodable", "utf-16", "broken-xlsx", "unsupported-type", "empty"],
)
def test_unreadable_upload_is_a_clear_error(content, name, code):
    with pytest.raises(ValidationError) as caught:
        read_table(content, name)
    assert caught.value.code == code


COLUMNS = Columns(
    Column("email", "メールアドレス", required=True),
    Column("capacity", "稼働上限（時間/週）", aliases=("稼働上限",)),
)


@pytest.mark.parametrize(
    "header",
    ["email", "EMAIL", " Email ", "メールアドレス", "ｅｍａｉｌ"],
    ids=["code", "upper", "spaces", "ja", "wide"],
)
def test_header_in_japanese_or_as_code_is_understood(header):
    assert COLUMNS.normalise([header, "稼働上限", "extra"]) == ["email", "capacity", "extra"]


def test_missing_required_column_is_named():
    assert [c.code for c in COLUMNS.missing(["capacity"])] == ["email"]


def test_parsers_accept_spreadsheet_values_and_refuse_garbage():
    assert cells.date("2024/04/01") == dt.date(2024, 4, 1)
    assert cells.text(3.0) == "3"
    with pytest.raises(ValidationError):
        cells.date("2024-13-01")
    with pytest.raises(ValidationError):
        cells.decimal("abc")


# --- exports ------------------------------------------------------------------------------------------------------


def table() -> tablib.Dataset:
    data = tablib.Dataset(headers=["氏名", "メモ"])
    data.append(["山田 太郎", '=HYPERLINK("http://x")'])
    data.append(["髙橋〜", "①"])
    return data


def test_csv_export_has_bom_japanese_headers_and_neutralised_cells():
    body, content_type = exports.dataset_bytes(table(), exports.CSV)
    assert body.startswith(codecs.BOM_UTF8)
    lines = body.decode("utf-8-sig").splitlines()
    assert (lines[0], lines[1], content_type) == (
        "氏名,メモ",
        '山田 太郎,"\'=HYPERLINK(""http://x"")"',
        "text/csv; charset=utf-8",
    )


def test_sjis_export_decodes_with_cp932_and_never_fails():
    data = table()
    data.append(["emoji 😀", "ok"])  # CP932 has no emoji: written as "?" rather than failing
    body, content_type = exports.dataset_bytes(data, exports.CSV, exports.encoding_of("sjis"))
    text = body.decode("cp932")
    assert (text.splitlines()[0], "髙橋～" in text, "'=HYPERLINK" in text, "emoji ?" in text) == (
        "氏名,メモ",
        True,
        True,
        True,
    )
    assert content_type == "text/csv; charset=Shift_JIS"


def test_xlsx_export_neutralises_formula():
    body, _ = exports.dataset_bytes(table(), exports.XLSX)
    sheet = openpyxl.load_workbook(io.BytesIO(body)).active
    assert sheet["B2"].value == '\'=HYPERLINK("http://x")'


# --- dry run → confirm: the kept upload ---------------------------------------------------------------------------


def session_request():
    request = RequestFactory().post("/")
    request.session = {}
    return request


def test_kept_upload_is_returned_once_to_its_session():
    request = session_request()
    token = pending.keep(request, "demo", content=b"a,b\n1,2\n", filename="d.csv", kind="x")
    kept = pending.take(request, "demo", token)
    assert (kept.content, kept.filename, kept.meta, pending.take(request, "demo", token)) == (
        b"a,b\n1,2\n",
        "d.csv",
        {"kind": "x"},
        None,
    )
    assert not default_storage.exists(f"{pending.FOLDER}/{token}")


def test_kept_upload_refuses_another_token_or_session():
    request = session_request()
    token = pending.keep(request, "demo", content=b"x", filename="d.csv")
    assert pending.take(session_request(), "demo", token) is None
    assert pending.take(request, "demo", "0" * 32) is None
    assert pending.take(request, "other", token) is None


# --- files follow the transaction ---------------------------------------------------------------------------------


def write(name: str) -> str:
    saved = default_storage.save(name, ContentFile(b"data"))
    delete_on_rollback(default_storage, saved)
    return saved


@pytest.mark.django_db
def test_file_written_in_a_rolled_back_block_is_removed():
    with pytest.raises(RuntimeError), transaction.atomic():
        saved = write("rollback-test/a.txt")
        assert default_storage.exists(saved)
        raise RuntimeError
    assert not default_storage.exists(saved)


@pytest.mark.django_db
def test_file_written_in_set_rollback_block_is_removed():
    with transaction.atomic():
        saved = write("rollback-test/b.txt")
        transaction.set_rollback(True)
    assert not default_storage.exists(saved)


@pytest.mark.django_db(transaction=True)
def test_file_of_a_committed_block_stays():
    with transaction.atomic():
        saved = write("rollback-test/c.txt")
    assert default_storage.exists(saved)
    default_storage.delete(saved)


def test_report_csv_in_shift_jis(client_for, ict_manager):
    utf8 = client_for(ict_manager).get("/reports/export/dashboard.csv").content
    sjis = client_for(ict_manager).get("/reports/export/dashboard.csv", {"encoding": "sjis"}).content
    assert sjis.decode("cp932") == utf8.decode("utf-8-sig").translate(exports.CP932_LOOKALIKES)
