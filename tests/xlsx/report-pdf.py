#!/usr/bin/python3
"""report: the `make demo` workbooks printed as a manager prints them (issue 17).

Runs samples/demo.sh into a scratch folder, converts every workbook to PDF with
LibreOffice headless (one soffice call, a private profile) and asserts from pdfinfo and
pdftotext: every page names its sheet in the footer and carries that sheet's header row
from its first to its last column (so the columns fit one page width and the header
repeats on page 2 and on), no page shows ### or an error value, and the chart's page
holds the chart; the open items split by customer as letters print one page per
customer, each headed 欠款通知单, without gridlines, its Chinese in a CJK font.  Prints "ok NAME" / "FAIL NAME: why"."""
import csv
import glob
import os
import re
import shutil
import subprocess
import sys
import tempfile

import openpyxl

TOP = os.environ.get("TOP") or os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
BINDIR = os.environ.get("BINDIR") or os.path.join(TOP, "bin")
WORK = tempfile.mkdtemp(prefix="report-pdf.")
ENV = dict(os.environ, LC_ALL="C.UTF-8", TZ="UTC", OUT=os.path.join(WORK, "out"), BINDIR=BINDIR)
ERRORS = ("###", "#VALUE!", "#REF!", "#NAME?", "#DIV/0!", "#N/A", "#NUM!", "Err:")


def check(name, fn):
    try:
        fn()
        print("ok report-pdf %s" % name)
    except Exception as e:  # an assertion or a crash both fail the check, with the reason
        print("FAIL report-pdf %s: %s" % (name, str(e).replace("\n", " ")[:400]))


def run(*cmd, **kw):
    return subprocess.run(cmd, capture_output=True, check=True, **kw).stdout.decode()


def pages(pdf):
    n = int(re.search(r"^Pages:\s+(\d+)", run("pdfinfo", pdf), re.M).group(1))
    text = run("pdftotext", "-layout", pdf, "-")
    got = text.split("\f")[:n]
    if len(got) != n:
        raise AssertionError("%s: %d pages, pdftotext gave %d" % (pdf, n, len(got)))
    return got


def squeeze(s):
    return re.sub(r"\s+", "", s)


def main():
    if not shutil.which("soffice") or not shutil.which("pdftotext"):
        print("FAIL report-pdf: soffice or pdftotext missing (make deps)")
        return
    subprocess.run(["sh", os.path.join(TOP, "samples", "demo.sh")], env=ENV,
                   capture_output=True, check=True)
    books = sorted(glob.glob(os.path.join(WORK, "out", "*.xlsx")))
    if len(books) < 5:
        print("FAIL report-pdf demo: %d workbooks, want 5" % len(books))
        return
    # one letter per customer (report --split-by --letter, issue 16), in the same call
    split = os.path.join(WORK, "split.xlsx")
    subprocess.run([os.path.join(BINDIR, "report"), "-o", split, "--labels", "zh", "--totals",
                    "--title", "欠费通知单", "--split-by", "customer_id", "--letter",
                    "--pay-by", "2026-12-15", "--bank", "开户行: 工商银行  账号: 1001 2345 6789",
                    os.path.join(WORK, "out", "open-items.csv")],
                   env=ENV, capture_output=True, check=True)
    pdfdir = os.path.join(WORK, "pdf")
    subprocess.run(["soffice", "-env:UserInstallation=file://" + os.path.join(WORK, "profile"),
                    "--headless", "--convert-to", "pdf", "--outdir", pdfdir, *books, split],
                   capture_output=True, timeout=300, env=dict(ENV, HOME=WORK))
    for book in books:
        name = os.path.basename(book)[:-5]
        check(name, lambda: one_book(book, os.path.join(pdfdir, name + ".pdf")))
    check("split-by", lambda: split_book(split, os.path.join(pdfdir, "split.pdf"),
                                         os.path.join(WORK, "out", "open-items.csv")))


def split_book(book, pdf, csvfile):
    """Each customer's letter prints on one page of its own: N customers in the CSV, N
    pages, each with the heading 欠款通知单, its name, the table's header, the pay-by
    and bank lines, and no gridlines (a letter, not a table)."""
    with open(csvfile, encoding="utf-8-sig", newline="") as f:
        customers = {row["customer_id"] for row in csv.DictReader(f)}
    wb = openpyxl.load_workbook(book)
    names = wb.sheetnames
    got = pages(pdf)
    if len(customers) < 2 or len(got) != len(customers) or len(names) != len(customers):
        raise AssertionError("%d customers, %d sheets, %d pages" %
                             (len(customers), len(names), len(got)))
    for i, (name, page) in enumerate(zip(names, got), 1):
        lines = [l for l in page.splitlines() if l.strip()]
        flat = squeeze("".join(lines[:-1]))
        if not lines or lines[-1].split()[0] != name or name not in flat:
            raise AssertionError("page %d is not customer %s's alone" % (i, name))
        for want in ("欠款通知单", "客户名称:", "未收金额", "合计", "请于2026-12-15前付清",
                     "账号:100123456789"):
            if want not in flat:
                raise AssertionError("page %d (%s) lacks %s" % (i, name, want))
        if wb[name].print_options.gridLines:
            raise AssertionError("sheet %s prints its gridlines" % name)
    # the Chinese is printed in glyphs, not as boxes: a CJK font is embedded (make deps
    # installs fonts-wqy-microhei; pdftotext alone reads the text even when it is boxes)
    fonts = run("pdffonts", pdf)
    if not re.search(r"WenQuanYi|CJK|Droid ?Sans ?Fallback|AR ?PL", fonts, re.I):
        raise AssertionError("no CJK font in the PDF: the Chinese prints as boxes: " +
                             " ".join(l.split()[0] for l in fonts.splitlines()[2:]))


def one_book(book, pdf):
    if not os.path.exists(pdf):
        raise AssertionError("soffice wrote no %s" % pdf)
    wb = openpyxl.load_workbook(book)
    heads = {}
    for ws in wb.worksheets:
        hr = 2 if ws.max_row > 1 and ws.cell(row=2, column=1).font.b else 1
        row = [c.value for c in ws[hr] if c.value is not None]
        heads[ws.title] = (squeeze(str(row[0])), squeeze(str(row[-1])), ws)
    seen = {}
    for i, page in enumerate(pages(pdf), 1):
        lines = [l for l in page.splitlines() if l.strip()]
        if not lines:
            raise AssertionError("page %d is blank" % i)
        # the footer: sheet name on the left, page N of M in the middle
        sheet = lines[-1].split()[0]
        if sheet not in heads:
            raise AssertionError("page %d: footer %r names no sheet" % (i, lines[-1]))
        seen[sheet] = seen.get(sheet, 0) + 1
        first, last, ws = heads[sheet]
        flat = squeeze(page)
        if ws._charts:
            # the chart sheet: each chart with its table on a page of its own
            if not re.search("（按[周月]）|（前15位）", flat) or "2026-W" not in flat:
                raise AssertionError("page %d (%s): no chart title or no periods" % (i, sheet))
            continue
        if first not in flat or last not in flat:
            raise AssertionError("page %d (%s, its page %d): header %s…%s not all there" %
                                 (i, sheet, seen[sheet], first, last))
        for e in ERRORS:
            if e in page:
                raise AssertionError("page %d (%s) shows %s" % (i, sheet, e))
    for sheet, (_, _, ws) in heads.items():
        if ws._charts and seen.get(sheet) != len(ws._charts):
            raise AssertionError("%s: %d charts on %s pages" % (sheet, len(ws._charts),
                                                                seen.get(sheet)))
    missing = [s for s in heads if s not in seen]
    if missing:
        raise AssertionError("sheets never printed: %s" % missing)
    if not any(n > 1 for n in seen.values()):
        raise AssertionError("no sheet has a page 2: the header repeat is untested")


main()
shutil.rmtree(WORK, ignore_errors=True)
