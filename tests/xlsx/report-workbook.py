#!/usr/bin/python3
"""report: run bin/report on tests/e2e/data/report/ and read the workbooks back with
openpyxl, asserting what a manager opening the file would see (SPEC §7, issue 3).
Prints "ok NAME" / "FAIL NAME: why" per assertion group."""
import datetime
import os
import subprocess
import sys
import tempfile
import zipfile

import openpyxl

TOP = os.environ.get("TOP") or os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
BINDIR = os.environ.get("BINDIR") or os.path.join(TOP, "bin")
DATA = os.path.join(TOP, "tests", "e2e", "data", "report")
WORK = tempfile.mkdtemp(prefix="report-xlsx.")
ENV = dict(os.environ, LC_ALL="C.UTF-8", TZ="UTC")
ENV.pop("SOURCE_DATE_EPOCH", None)


def report(*args, status=0, env=None, stdin=None):
    p = subprocess.run([os.path.join(BINDIR, "report"), *args], cwd=WORK, env=env or ENV,
                       stdin=stdin, capture_output=True)
    if p.returncode != status:
        raise AssertionError("report %s: exit %d, want %d: %s" % (
            " ".join(args), p.returncode, status, p.stderr.decode(errors="replace")))
    return p


def check(name, fn):
    try:
        fn()
        print("ok report-xlsx %s" % name)
    except Exception as e:  # an assertion or a crash both fail the group, with the reason
        print("FAIL report-xlsx %s: %s" % (name, str(e).replace("\n", " ")[:300]))


def eq(got, want, what=""):
    if got != want:
        raise AssertionError("%s: got %r, want %r" % (what, got, want))


def data(name):
    return os.path.join(DATA, name)


def out(name):
    return os.path.join(WORK, name)


# ---- one full run, inspected by several groups ----
report("-o", out("plan.xlsx"), "--totals", data("plan.csv"))
wb = openpyxl.load_workbook(out("plan.xlsx"))
wbv = openpyxl.load_workbook(out("plan.xlsx"), data_only=True)
ws = wb["plan"]
head = [c.value for c in ws[1]]
col = {h: i + 1 for i, h in enumerate(head)}


def cell(row, name):
    return ws.cell(row=row, column=col[name])


def types():
    # whole numbers, decimals, real dates; a column with one non-number is text
    eq(cell(2, "qty").value, 10, "qty")
    eq(cell(2, "qty").data_type, "n", "qty type")
    eq(cell(2, "weight_kg").value, 120.5, "weight")
    eq(cell(2, "ship_date").value, datetime.datetime(2026, 11, 23), "date")
    eq(cell(2, "ship_date").number_format, "yyyy-mm-dd", "date format")
    eq(cell(2, "mixed").value, "1", "mixed column stays text")
    eq(cell(3, "mixed").value, "abc", "mixed")
    eq(cell(5, "volume_m3").value, None, "blank cell")


def ids_text():
    # *_no, *_id, sku, phone and any leading zero stay text, zeros kept
    eq(cell(2, "order_no").value, "0001234", "order_no")
    # line numbers are numbers that sort 1, 2, 10 (issue 17); codes stay text
    eq(cell(2, "line_no").value, 1, "line_no is a number")
    eq(cell(2, "sku").value, "00123", "sku")
    eq(cell(3, "phone").value, "02168881234", "phone")
    eq(cell(2, "phone").value, "13800138000", "phone without zero is still text")
    eq(cell(2, "code").value, "0012", "leading zero column")
    eq(cell(3, "code").value, "12", "the whole column is text")
    eq(cell(2, "shipment_id").data_type, "s", "id")


def formats():
    eq(cell(2, "amount").value, 1234.5, "money with separator")
    eq(cell(2, "amount").number_format, "#,##0.00", "money format")
    eq(cell(4, "amount").value, -5, "negative money")
    eq(cell(2, "unit_price").number_format, "#,##0.00", "4-decimal prices: SPEC's format")
    eq(cell(5, "unit_price").value, 0.0033, "the cell keeps 4 decimals")
    eq(cell(3, "unit_price").value, 19.998, "price")
    eq(cell(2, "util_kg_pct").value, 0.855, "85.5 is 0.855")
    eq(cell(3, "util_kg_pct").value, 1, "100% is 1")
    eq(cell(2, "util_kg_pct").number_format, "0.00%", "pct format")
    # issue 17: weights and volumes with thousands separators like money
    eq(cell(2, "weight_kg").number_format, "#,##0.000", "weight format")
    eq(cell(2, "volume_m3").number_format, "#,##0.0000", "volume format")


def injection():
    for r, want in ((2, "=cmd|' /C calc'!A0"), (3, "+1"), (4, "@SUM(A1)"), (5, "-2+3")):
        c = cell(r, "remark")
        eq(c.value, want, "remark")
        eq(c.data_type, "s", "stored as a string")
    with zipfile.ZipFile(out("plan.xlsx")) as z:
        xml = z.read("xl/worksheets/sheet1.xml").decode()
    eq(xml.count("<f>"), 4, "only the totals row has formulas")


def header():
    eq(head[0], "shipment_id", "header as read")
    eq(ws["A1"].font.b, True, "bold header")
    eq(ws.freeze_panes, "A2", "frozen below the header")
    eq(ws.auto_filter.ref, "A1:R5", "autofilter over header and data")
    w_id = ws.column_dimensions["A"].width
    w_city = ws.column_dimensions["D"].width
    if not (w_id >= 17 and w_city < w_id):
        raise AssertionError("widths: id %r city %r" % (w_id, w_city))


def totals():
    r = 6
    eq(ws.cell(row=r, column=1).value, "Total", "label")
    eq(cell(r, "qty").value, "=SUBTOTAL(109,H2:H5)", "qty formula")
    eq(cell(r, "amount").value, "=SUBTOTAL(109,K2:K5)", "amount formula")
    v = wbv["plan"]
    # cached: 10+5+1+3; 1234.50+99.99-5.00+0.01; 123.45+19.998-5+0.0033
    eq(v.cell(row=r, column=col["qty"]).value, 19, "qty cached")
    eq(v.cell(row=r, column=col["amount"]).value, 1329.5, "amount cached")
    eq(v.cell(row=r, column=col["weight_kg"]).value, 181.75, "weight cached")
    # issue 17: only measures add up; a total of prices or line numbers means nothing
    eq(cell(r, "unit_price").value, None, "prices are not added up")
    eq(cell(r, "line_no").value, None, "line numbers are not added up")
    eq(cell(r, "util_kg_pct").value, None, "percentages are not added up")
    eq(cell(r, "order_no").value, None, "text is not added up")


def print_setup():
    # issue 17: A4, one page wide, the title and header rows on every page, page N of M
    report("-o", out("pr.xlsx"), "--title", "R&D 计划", "--labels", "zh", data("plan.csv"),
           env=dict(ENV, SOURCE_DATE_EPOCH="1796083200"))
    p = openpyxl.load_workbook(out("pr.xlsx"))["plan"]
    eq(p.page_setup.paperSize, 9, "A4")
    eq(p.page_setup.orientation, "landscape", "18 columns are wider than portrait")
    eq((p.page_setup.fitToWidth or 1, p.page_setup.fitToHeight), (1, 0), "one page wide")
    eq(p.sheet_properties.pageSetUpPr.fitToPage, True, "fit to page")
    eq(p.print_title_rows, "$1:$2", "title and header on every page")
    eq(p.oddHeader.left.text, "R&&D 计划", "title in the page header, & doubled")
    eq(p.oddHeader.right.text, "2026-12-01", "the workbook's date")
    eq(p.oddFooter.center.text, "第 &P 页，共 &N 页", "page N of M")
    eq(p.print_options.gridLines, True, "gridlines printed")
    with zipfile.ZipFile(out("pr.xlsx")) as z:
        xml = z.read("xl/worksheets/sheet1.xml").decode()
    eq('<ignoredError sqref="A1:XFD1048576" numberStoredAsText="1"/>' in xml, True,
       "codes are not marked as numbers stored as text")
    report("-o", out("narrow.xlsx"), data("empty.csv"))
    n = openpyxl.load_workbook(out("narrow.xlsx")).active
    eq(n.page_setup.orientation in (None, "portrait", "default"), True, "narrow: portrait")
    eq(n.print_title_rows, "$1:$1", "header on every page")
    eq(n.oddFooter.center.text, "Page &P of &N", "page N of M")


def clerk_forms():
    # issue 17: the many decide a column's type; full-width digits and the money forms a
    # clerk writes are numbers; an odd value stays text in its own cell
    p = report("-o", out("clerk.xlsx"), "--totals", data("clerk.csv"))
    eq(p.stderr.decode().count("kept as text in its cell"), 2, "one warning per column")
    c = openpyxl.load_workbook(out("clerk.xlsx"))["clerk"]
    cv = openpyxl.load_workbook(out("clerk.xlsx"), data_only=True)["clerk"]
    eq([c.cell(row=r, column=5).value for r in range(2, 9)],
       [1234.5, 0, -2, 2, 3, "见附件", "待定"], "amounts")
    eq(c["D2"].value, 123, "full-width digits")
    eq(c["F2"].value, 1200.5, "weight with a thousands separator")
    eq(c["E2"].number_format, "#,##0.00", "money format kept")
    eq(c["E7"].data_type, "s", "the odd value is text")
    eq(c["C6"].value, "2026-11-31", "a bad date stays text")
    eq(c["C7"].value, datetime.datetime(2026, 11, 6), "the column stays dates")
    eq([c.cell(row=r, column=2).value for r in range(2, 5)], [1, 2, 10], "line_no numbers")
    eq(c["E9"].value, "=SUBTOTAL(109,E2:E8)", "money total kept")
    eq(cv["E9"].value, 1237.5, "total of the numbers")
    eq(cv["D9"].value, 168, "qty total")
    eq(c["B9"].value, None, "no total of line numbers")


def zh_values():
    # issue 17: every column has a caption; --labels zh shows code values in Chinese too
    # (highlighting still matches the code)
    report("-o", out("zh.xlsx"), "--labels", "zh", "--highlight", "status=exception",
           "--totals", data("audit-codes.csv"))
    z = openpyxl.load_workbook(out("zh.xlsx")).active
    eq([c.value for c in z[1]], ["状态", "异常标记", "拒收原因", "燃油附加费", "逾期1-30天",
                                 "超信用额度", "明细行数"], "captions")
    eq([c.value for c in z[2]][:3], ["异常", "多收、重量不符", "缺少：数量"], "codes in Chinese")
    eq(z["A3"].value, "正常", "ok")
    eq(z["C3"].value, "strange_code", "a code without a caption as written")
    eq(z["F2"].value, "是", "yes")
    eq(z["A2"].fill.fgColor.rgb, "FFFFEB9C", "highlighted by the code")
    eq(z["A4"].value, "合计", "totals label")
    eq(z["G4"].value, "=SUBTOTAL(109,G2:G3)", "lines add up")


def totals_below_title():
    # with a title the header is row 2, so the data rows, and the formulas, start at 3
    report("-o", out("tt.xlsx"), "--title", "T", "--totals", data("plan.csv"))
    t = openpyxl.load_workbook(out("tt.xlsx"))["plan"]
    eq(t.cell(row=7, column=col["qty"]).value, "=SUBTOTAL(109,H3:H6)", "formula")
    eq(t.auto_filter.ref, "A2:R6", "filter from the header row")
    eq(t.freeze_panes, "A3", "panes")


def summary_and_labels():
    report("-o", out("weekly.xlsx"), "--title", "发货月报表", "--labels", "zh", "--group-by",
           "dest_city", "--sum", "weight_kg,amount", "--period", "ship_date:month",
           "--chart", "column", data("plan.csv"))
    w = openpyxl.load_workbook(out("weekly.xlsx"))
    eq(w.sheetnames, ["图表", "plan", "汇总"], "sheets: the chart first")
    eq(w.active.title, "图表", "opens on the chart sheet, not the summary after it")
    s = w["汇总"]
    eq(s["A1"].value, "发货月报表", "title")
    rows = [[c.value for c in r] for r in s.iter_rows(min_row=2)]
    # issue 17: pinyin order, bei before shang (UTF-8 byte order had 上 E4 before 北 E5)
    eq(rows, [["月份", "目的城市", "行数", "重量(kg)", "金额"],
              ["2026-11", "北京", 1, 60, 99.99],
              ["2026-11", "上海", 2, 121.5, 1229.5],
              ["2026-12", "广州", 1, 0.25, 0.01]], "summary")
    eq(s["E3"].number_format, "#,##0.00", "summary money format")
    eq(s.freeze_panes, "A3", "summary panes")
    p = w["plan"]
    eq(p["A1"].value, "发货月报表", "title in A1")
    eq(p["A2"].value, "运单号", "Chinese label")
    eq(p["B2"].value, "发货日期", "Chinese label")
    eq(p.freeze_panes, "A3", "panes below the header in row 2")
    eq(w.properties.title, "发货月报表", "document title")
    report("-o", out("props.xlsx"), "--author", "销售内勤", "--company", "样例商贸", data("empty.csv"))
    with zipfile.ZipFile(out("props.xlsx")) as z:
        app, core = z.read("docProps/app.xml").decode(), z.read("docProps/core.xml").decode()
    eq("<dc:creator>销售内勤</dc:creator>" in core, True, "author: " + core)
    eq("<Company>样例商贸</Company>" in app, True, "company: " + app)
    with zipfile.ZipFile(out("weekly.xlsx")) as z:
        eq("xl/charts/chart1.xml" in z.namelist(), True, "chart present")
        xml = z.read("xl/charts/chart1.xml").decode()
    eq("<c:barChart>" in xml and '<c:barDir val="col"/>' in xml, True, "column chart")
    # one chart per measure, periods as categories, the cities as series
    eq(xml.count("<c:ser>"), 3, "three cities as series")
    eq("'图表'!$A$25:$A$26" in xml, True, "categories: the two months")
    # text categories said to be text: a numRef over text cells shows 1, 2 in Excel
    eq("<c:cat><c:strRef><c:f>'图表'!$A$25:$A$26</c:f>" in xml, True, "categories as text")
    eq('formatCode="#,##0"' in xml, True, "formatted axis")
    eq("重量(kg)（按月）" in xml, True, "chart title")
    c = w["图表"]
    eq([[x.value for x in r] for r in c.iter_rows(min_row=24, max_row=26, max_col=4)],
       [["月份", "上海", "北京", "广州"], ["2026-11", 121.5, 60, 0],
        ["2026-12", 0, 0, 0.25]], "the chart's table")
    with zipfile.ZipFile(out("weekly.xlsx")) as z:
        eq("xl/charts/chart2.xml" in z.namelist(), True, "a second chart for amount")


def pivot_chart():
    # --chart with --pivot: the chart beside each block refers to the block's own cells;
    # one series per column value up to 12, the row totals beyond; the workbook opens
    # on the summary
    path = out("days.csv")
    with open(path, "w") as f:
        f.write("office,ship_date,amount,weight_kg\n")
        for d in range(1, 14):
            for o in ("华东", "华北"):
                f.write("%s,2026-11-%02d,%d.50,1.250\n" % (o, d, d))
    report("-o", out("pw.xlsx"), "--labels", "zh", "--title", "发货周报", "--pivot",
           "office:ship_date@week", "--sum", "amount,weight_kg", "--chart", "column", path)
    w = openpyxl.load_workbook(out("pw.xlsx"))
    eq(w.sheetnames, ["days", "汇总"], "no chart sheet: the chart is beside the table")
    eq(w.active.title, "汇总", "opens on the summary")
    s = w["汇总"]
    # title row 1, caption 金额 row 2, header row 3, 华北 华东 rows 4-5, totals row 6;
    # weeks 2026-W44 (1st), W45 (2-8), W46 (9-13): columns B-D, total E
    eq([c.value for c in s[3]], ["办事处", "2026-W44", "2026-W45", "2026-W46", "合计"], "header")
    ch = s._charts
    eq(len(ch), 2, "one chart per block")
    a, b = ch
    eq((a.anchor._from.col, a.anchor._from.row), (6, 1), "beside the first block, after a gap")
    eq([(x.tx.strRef.f, x.cat.strRef.f, x.val.numRef.f) for x in a.series],
       [("'汇总'!$%s$3" % c, "'汇总'!$A$4:$A$5", "'汇总'!$%s$4:$%s$5" % (c, c))
        for c in "BCD"], "a series per week, the offices as categories")
    eq(a.y_axis.numFmt.formatCode, "#,##0.00", "the amount's format on the value axis")
    eq(a.x_axis.title.tx.rich.p[0].r[0].t, "办事处", "category axis title")
    eq(a.y_axis.title.tx.rich.p[0].r[0].t, "金额", "value axis title")
    eq(a.title.tx.rich.p[0].r[0].t, "金额（办事处×周）", "chart title")
    # the second block starts at row 8 (a blank row 7) but its chart below the first
    eq(b.anchor._from.row, 23, "the second chart below the first, not over it")
    eq([x.val.numRef.f for x in b.series][0], "'汇总'!$B$10:$B$11", "weights' cells")
    eq(b.y_axis.numFmt.formatCode, "#,##0.000", "the weight's format")
    # 13 days are more than 12 series: the row totals alone, named by the caption
    report("-o", out("pd.xlsx"), "--pivot", "office:ship_date@day", "--sum", "amount",
           "--chart", "bar", path)
    d = openpyxl.load_workbook(out("pd.xlsx"))["Summary"]
    (c,) = d._charts
    eq([(x.tx.strRef.f, x.cat.strRef.f, x.val.numRef.f) for x in c.series],
       [("Summary!$A$1", "Summary!$A$3:$A$4", "Summary!$O$3:$O$4")], "row totals")
    eq(d["O2"].value, "Total", "column O is the total")
    eq(c.y_axis.numFmt.formatCode, "#,##0.00", "the value axis (openpyxl's y, drawn across)")
    eq(c.y_axis.title.tx.rich.p[0].r[0].t, "amount", "value axis title")
    eq(c.x_axis.title.tx.rich.p[0].r[0].t, "office", "category axis title")
    eq(c.title.tx.rich.p[0].r[0].t, "amount by office", "title without the columns")
    # a pie: the row totals
    report("-o", out("pp.xlsx"), "--pivot", "office:ship_date@week", "--chart", "pie", path)
    (c,) = openpyxl.load_workbook(out("pp.xlsx"))["Summary"]._charts
    eq([x.val.numRef.f for x in c.series], ["Summary!$E$3:$E$4"], "a pie of the row totals")
    # the widest table, 16,382 column values: no room beside it, the chart over its last
    # columns rather than past Excel's last one (an error)
    wide = out("wide.csv")
    with open(wide, "w") as f:
        f.write("office,sku,amount\n")
        for i in range(16382):
            f.write("O%d,S%05d,1.00\n" % (i % 3, i))
    report("-o", out("wide.xlsx"), "--pivot", "office:sku", "--sum", "amount", "--chart",
           "column", wide)
    with zipfile.ZipFile(out("wide.xlsx")) as z:
        xml = z.read("xl/drawings/drawing1.xml").decode()
    eq("<xdr:from><xdr:col>16371</xdr:col>" in xml, True, "the chart at column 16372")


def pinyin_order():
    path = out("cities.csv")
    with open(path, "w") as f:
        f.write("city,amount\n上海,1\n北京,1\n广州,1\n,1\nAnshan,1\n成都,1\n杭州,1\n")
    report("-o", out("cities.xlsx"), "--group-by", "city", path)
    s = openpyxl.load_workbook(out("cities.xlsx"))["Summary"]
    eq([r[0].value for r in s.iter_rows(min_row=2)],
       [None, "Anshan", "北京", "成都", "广州", "杭州", "上海"], "pinyin, blank first")


def chart_top():
    # issue 17: at most 15 categories, the top ones by the measure and 其他 for the rest
    path = out("many.csv")
    with open(path, "w") as f:
        f.write("dest_city,amount\n")
        for i in range(1, 41):
            f.write("C%02d,%d.00\n" % (i, i))
    report("-o", out("many.xlsx"), "--labels", "zh", "--group-by", "dest_city", "--sum",
           "amount", "--chart", "bar", path)
    c = openpyxl.load_workbook(out("many.xlsx"))["图表"]
    rows = [[x.value for x in r] for r in c.iter_rows(min_row=23, max_row=39, max_col=2)]
    eq(rows[0], ["目的城市", "金额"], "table header")
    eq(rows[1], ["C40", 40], "the biggest first")
    eq(rows[15], ["C26", 26], "the 15th")
    eq(rows[16], ["其他", sum(range(1, 26))], "the rest as 其他")
    eq(c.page_setup.paperSize, 9, "A4")
    eq(c.page_setup.scale, 65, "a print scale that keeps the chart on its page")
    eq(bool(c.print_options.gridLines), False, "no gridlines printed under the chart")


def weeks():
    report("-o", out("w.xlsx"), "--period", "发货日期:week", "--sum", "重量(kg)",
           data("发货.csv"))
    w = openpyxl.load_workbook(out("w.xlsx"))
    rows = [[c.value for c in r] for r in w["Summary"].iter_rows()]
    # 2026-11-02 is a Monday of ISO week 45; 2026-11-09 of week 46
    eq(rows, [["week", "rows", "重量(kg)"], ["2026-W45", 1, 10.5], ["2026-W46", 1, 2]], "weeks")
    eq(w["发货"]["A1"].value, "订单号", "headers shown as read by default")
    eq(w["发货"]["F2"].number_format, "#,##0.00", "金额 is a money column")


def sheets():
    report("-o", out("multi.xlsx"), "--sheet", "运费/审核[1]=" + data("audit.csv"), "--sheet",
           "plan=" + data("plan.csv"), data("plan.csv"), data("empty.csv"),
           "--sheet", "a" * 40 + "=" + data("audit.csv"))
    w = openpyxl.load_workbook(out("multi.xlsx"))
    eq(w.sheetnames, ["运费_审核_1_", "plan", "a" * 31, "plan (2)", "empty"], "names")
    e = w["empty"]
    eq([c.value for c in e[1]], ["carrier", "bill_no", "freight_amount"], "header-only sheet")
    eq(e.max_row, 1, "no data rows")


def highlight():
    report("-o", out("hl.xlsx"), "--highlight", "status=exception", "--highlight", "qty=1",
           data("plan.csv"))
    p = openpyxl.load_workbook(out("hl.xlsx"))["plan"]
    fills = [p.cell(row=r, column=1).fill.fgColor.rgb for r in range(2, 6)]
    eq(fills, ["00000000", "FFFFEB9C", "FFFFEB9C", "FFFFEB9C"], "rows 3-5 filled")
    eq(p["J5"].fill.fgColor.rgb, "FFFFEB9C", "blank cell of a filled row is filled")
    eq(p["K3"].number_format, "#,##0.00", "a filled cell keeps its number format")


def stdout_and_reproducible():
    env = dict(ENV, SOURCE_DATE_EPOCH="1764460800")
    a = report("-o", "-", data("plan.csv"), env=env).stdout
    report("-o", out("r.xlsx"), "--title", "x", data("plan.csv"), env=env)
    b = report("-o", "-", "--title", "x", data("plan.csv"), env=env).stdout
    eq(open(out("r.xlsx"), "rb").read() == b, True, "byte-identical with SOURCE_DATE_EPOCH")
    eq(a[:2], b"PK", "a zip on standard output")
    w = openpyxl.load_workbook(out("r.xlsx"))
    eq(w.properties.created, datetime.datetime(2025, 11, 30), "created from SOURCE_DATE_EPOCH")
    # -o - builds the workbook in $TMPDIR (here, not under valgrind, which needs it too)
    p = report("-o", "-", data("audit.csv"), env=dict(ENV, TMPDIR="/nonexistent/tmp"), status=73)
    eq(p.stderr, b"report: cannot create a temporary file in '/nonexistent/tmp': "
       b"No such file or directory\n", "missing TMPDIR")
    eq(p.stdout, b"", "nothing on standard output")


def stdin_sheet():
    with open(data("audit.csv"), "rb") as f:
        report("-o", out("s.xlsx"), stdin=f)
    eq(openpyxl.load_workbook(out("s.xlsx")).sheetnames, ["Sheet1"], "stdin sheet")


def encodings_and_delimiter():
    # auto-detection reads a GB18030 export (what Excel on Chinese Windows saves)
    report("-o", out("gb.xlsx"), "--labels", "en", data("gb18030.csv"))
    g = openpyxl.load_workbook(out("gb.xlsx"))["gb18030"]
    eq([c.value for c in g[1]][:3], ["order_no", "ship_date", "city"], "English labels")
    eq(g["C2"].value, "上海", "GB18030 text")
    report("-o", out("semi.xlsx"), "-d", ";", data("semicolon.csv"))
    s = openpyxl.load_workbook(out("semi.xlsx"))["semicolon"]
    eq([c.value for c in s[2]], ["顺丰", "B001", 100], "semicolon-separated")


def no_partial():
    target = out("keep.xlsx")
    with open(target, "wb") as f:
        f.write(b"old")
    p = report("-o", target, data("plan.csv"), data("ragged.csv"), status=65)
    eq(p.stderr.decode(), "report: %s:5: row has 2 fields, the header has 3\n" % data("ragged.csv"),
       "message")
    eq(open(target, "rb").read(), b"old", "the old file is untouched")
    report("-o", out("new.xlsx"), data("badbyte.csv"), status=65)
    eq(os.path.exists(out("new.xlsx")), False, "no new file")
    eq(sorted(f for f in os.listdir(WORK) if f.startswith(".")), [], "no temporary left")


def continuation():
    # 1,048,575 data rows fit under the header; the next two go to "big (2)"
    n = 1048577
    path = out("big.csv")
    with open(path, "w") as f:
        f.write("n,t\n")
        f.writelines("%d,x\n" % i for i in range(1, n + 1))
    report("-o", out("big.xlsx"), path)
    os.unlink(path)
    w = openpyxl.load_workbook(out("big.xlsx"), read_only=True)
    eq(w.sheetnames, ["big", "big (2)"], "continuation sheet")
    eq(w["big"].max_row, 1048576, "first sheet is full")
    rows = [[c.value for c in r] for r in w["big (2)"].iter_rows()]
    eq(rows, [["n", "t"], [1048576, "x"], [1048577, "x"]], "second sheet, with its header")
    os.unlink(out("big.xlsx"))


for name, fn in [("types", types), ("ids-text", ids_text), ("formats", formats),
                 ("formula-injection", injection), ("header-panes-filter-widths", header),
                 ("totals", totals), ("print-setup", print_setup), ("clerk-forms", clerk_forms),
                 ("zh-values", zh_values),
                 ("totals-below-title", totals_below_title),
                 ("summary-labels-title-chart", summary_and_labels), ("chart-top", chart_top),
                 ("pivot-chart", pivot_chart),
                 ("pinyin-order", pinyin_order),
                 ("iso-weeks", weeks), ("sheet-names", sheets), ("highlight", highlight),
                 ("stdout-reproducible", stdout_and_reproducible), ("stdin-sheet", stdin_sheet),
                 ("encodings-delimiter", encodings_and_delimiter),
                 ("no-partial-file", no_partial), ("continuation-sheet", continuation)]:
    if name == "continuation-sheet" and os.environ.get("REPORT_QUICK"):
        continue
    check(name, fn)
subprocess.run(["rm", "-rf", WORK])
sys.exit(0)
