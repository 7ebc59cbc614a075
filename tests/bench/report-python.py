#!/usr/bin/python3
"""Python XlsxWriter in constant_memory mode writing the same cells as report-floor.c.
   report-python.py IN.csv OUT.xlsx"""
import csv
import datetime
import sys

import xlsxwriter

TYPES = "sdsssSnnns"
wb = xlsxwriter.Workbook(sys.argv[2], {"constant_memory": True})
ws = wb.add_worksheet()
datefmt = wb.add_format({"num_format": "yyyy-mm-dd"})
with open(sys.argv[1], newline="", encoding="utf-8") as f:
    for r, row in enumerate(csv.reader(f)):
        for c, v in enumerate(row):
            t = TYPES[c]
            if r == 0 or t in "sS":
                ws.write_string(r, c, v)
            elif t == "n":
                ws.write_number(r, c, float(v))
            else:
                ws.write_datetime(r, c, datetime.datetime.strptime(v, "%Y-%m-%d"), datefmt)
wb.close()
