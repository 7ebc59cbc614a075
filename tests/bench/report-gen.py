#!/usr/bin/python3
"""The benchmark input: N rows (default 1,000,000) of 10 columns like a dispatch plan."""
import random
import sys

n = int(sys.argv[1]) if len(sys.argv) > 1 else 1000000
rnd = random.Random(7)
cities = ["上海", "北京", "广州", "深圳", "杭州", "成都", "武汉", "南京"]
carriers = ["顺丰", "德邦", "安能", "中通快运"]
out = sys.stdout
out.write("shipment_id,ship_date,carrier,dest_city,order_no,sku,qty,weight_kg,amount,remark\n")
for i in range(n):
    d = 1 + i * 30 // n
    out.write("SH202611%02d-%04d,2026-11-%02d,%s,%s,SO%07d,%05d,%d,%d.%03d,%d.%02d,%s\n" % (
        d, i % 10000, d, rnd.choice(carriers), rnd.choice(cities), i // 3, rnd.randrange(99999),
        rnd.randrange(1, 500), rnd.randrange(2000), rnd.randrange(1000), rnd.randrange(99999),
        rnd.randrange(100), "" if i % 5 else "加急"))
