#!/usr/bin/python3
"""The Python baseline of `report` for make bench: XlsxWriter in constant_memory mode
writing the same cells as `report -o OUT.xlsx IN.csv` — the column types inferred over the
whole column first (a pass over the file, as report's spool does), then numbers, money
(#,##0.00), ISO dates (yyyy-mm-dd) and text, header bold and frozen.

    xlsx-python.py IN.csv OUT.xlsx
"""
import csv
import datetime
import re
import sys

import xlsxwriter

NUM = re.compile(r"-?(0|[1-9][0-9]*)(\.[0-9]+)?$")
DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}$")
MONEY = re.compile(r"amount|price|freight|charge|fee|balance|credit|^invoiced$|^paid$")
TEXT = re.compile(r"(_no|_id)$|^sku$|^phone$")


def kinds(path):
    """Per column: "d" all dates, "n" all numbers, else "s" (blank cells do not count)."""
    with open(path, newline="", encoding="utf-8") as f:
        rd = csv.reader(f)
        head = next(rd)
        kind = ["s" if TEXT.search(h) else "?" for h in head]
        for row in rd:
            for c, v in enumerate(row):
                k = kind[c]
                if k == "s" or v == "":
                    continue
                if DATE.match(v):
                    kind[c] = "d" if k in "?d" else "s"
                elif NUM.match(v) and not (len(v) > 1 and v[0] == "0" and v[1] != "."):
                    kind[c] = "n" if k in "?n" else "s"
                else:
                    kind[c] = "s"
    return head, [k if k != "?" else "s" for k in kind]


def main():
    src, out = sys.argv[1], sys.argv[2]
    head, kind = kinds(src)
    wb = xlsxwriter.Workbook(out, {"constant_memory": True})
    ws = wb.add_worksheet()
    bold = wb.add_format({"bold": True})
    money = wb.add_format({"num_format": "#,##0.00"})
    day = wb.add_format({"num_format": "yyyy-mm-dd"})
    fmt = [money if MONEY.search(h) else None for h in head]
    for c, h in enumerate(head):
        ws.write_string(0, c, h, bold)
    ws.freeze_panes(1, 0)
    with open(src, newline="", encoding="utf-8") as f:
        rd = csv.reader(f)
        next(rd)
        for r, row in enumerate(rd, 1):
            for c, v in enumerate(row):
                k = kind[c]
                if v == "":
                    continue
                if k == "n":
                    ws.write_number(r, c, float(v), fmt[c])
                elif k == "d":
                    ws.write_datetime(r, c, datetime.datetime.strptime(v, "%Y-%m-%d"), day)
                else:
                    ws.write_string(r, c, v)
    ws.autofilter(0, 0, r, len(head) - 1)
    wb.close()


main()
