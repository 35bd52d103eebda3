"""One tabular import/export framework for every app (core knows no domain; the apps declare columns and rows).

* files.py     — reading an upload: .xlsx, or CSV in UTF-8, UTF-8 with BOM or CP932/Shift_JIS; a clear error otherwise.
* columns.py   — a file's columns: English code + translated header (+ choices). Imports accept the code or the
                 header in either language (case- and width-insensitive); exports write headers and choice labels in
                 the user's language (Japanese by default).
* cells.py     — parsing one cell (text, dates, numbers, yes/no, choices); a bad cell raises CellError.
* report.py    — the import report: every error of every row, with the spreadsheet's own row number (the header is
                 row 1, the first data row is row 2) and the column's header.
* resource.py  — TabularResource (django-import-export): each row is read cell by cell, every bad cell is collected,
                 then the row goes to the app's services; `run_import` runs a dry run or the all-or-nothing import.
* pending.py   — the dry run → confirm flow without a second upload: the checked file is kept server-side under a
                 token held in the session; confirm imports exactly that file in one transaction.
* exports.py   — downloads: .xlsx (named sheets, bold frozen header, widths fitted to the content), CSV in UTF-8
                 with BOM, or CSV in Shift_JIS (CP932) for old Excel; dates in the language's one format
                 (config/formats); every cell neutralised against formula injection (core.spreadsheet).
"""
