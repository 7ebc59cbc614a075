#!/usr/bin/python3
# Writes the seed corpora tests/fuzz/corpus/TARGET/ (committed; rerun after changing a
# target's input format).  The first byte of each input is the target's selector (see
# the comment at the top of each fuzz_*.c).
import os
here = os.path.dirname(os.path.abspath(__file__))
def put(t, name, data):
    d = os.path.join(here, "corpus", t)
    os.makedirs(d, exist_ok=True)
    if isinstance(data, str):
        data = data.encode()
    with open(os.path.join(d, name), "wb") as f:
        f.write(data)

orders = ("order_no,order_date,customer_id,sku,qty,remark\nSO1,2026-11-02,C1,P1,3,\"急,送\"\n"
          "SO1,20261102,C1,00123,1,\"two\nlines\"\r\nSO2,2026/11/3,C2,X9,007,\n\n,,,,,\n")
put("csv", "utf8", b"\x00" + orders.encode())
put("csv", "utf8-bom-auto", b"\x00\xef\xbb\xbf" + orders.encode())
put("csv", "gb18030", b"\x02" + "订单号,数量\n订单一,\"三\n箱\"\n".encode("gb18030"))
put("csv", "gb18030-auto", b"\x00" + "订单号,数量\n订单一,3\n".encode("gb18030"))
put("csv", "utf16le-bom", b"\x00" + "\ufeffa,b\r\n甲,\"乙\r\n丙\"\r\n".encode("utf-16-le"))
put("csv", "utf16-explicit", b"\x04" + "a,b\n1,2\n".encode("utf-16"))
put("csv", "utf16be", b"\x06" + "a,b\n1,2\n".encode("utf-16-be"))
put("csv", "utf32", b"\x07" + "a,b\n1,2\n".encode("utf-32"))
put("csv", "semicolon", b"\x08a;b\n\"x;y\";2\n")
put("csv", "tab", b"\x18a\tb\n1\t2\n")
put("csv", "unterminated", b"\x00a,b\nc,\"d\ne\n")
put("csv", "quote-in-field", b"\x00a,b\nc,d\"e\n")
put("csv", "lone-cr", b"\x00a,b\rc,d\r\"e\rf\",g")
put("csv", "nul-invalid", b"\x01a,b\nc\x00,\xff\xc3\n")

for i, s in enumerate(["1,234.50", "-\u00a512.5", "\uffe5-0.01", "92233720368547758.07", "12.345"]):
    put("num", f"money2-{i}", b"\x00" + s.encode())
for i, s in enumerate(["36.5", "89.9999", "-1,000,000.1234"]):
    put("num", f"money4-{i}", b"\x01" + s.encode())
put("num", "weight", b"\x02" + b"13.200")
put("num", "volume", b"\x03" + b"0.0180")
put("num", "qty", b"\x04" + b"007")
put("num", "pct", b"\x05" + b"85.5%")
for i, s in enumerate(["2026-02-28", "2024/2/29", "2026.1.5", "20261102", "2026年11月2日",
                       "9999-12-31", "0001-01-01"]):
    put("num", f"date-{i}", b"\x06" + s.encode())
put("num", "uint", b"\x07" + b"30")
put("num", "arith", b"\x08" + bytes(range(1, 18)))

for i, s in enumerate(["订单号", " Order_No ", "重量（kg）", "体积(m³)",
                       "ORDER_NO,订单日期,客户编号,产品编号,数量,remark", "\t单价 ,x,,qty"]):
    put("header", f"h{i}", s)

put("master", "customers", "\x00customer_id,customer_name,city,credit_limit,payment_terms_days,status\n"
    "C1,华联,SH,\"50,000.00\",30,active\nC2,B,HZ,,,blocked\n")
put("master", "customers-dup", "\x00customer_id,customer_name,city\nC1,A,SH\nC1,B,HZ\n")
put("master", "products", "\x01sku,product_name,list_price,unit,unit_weight_kg,unit_volume_m3,status\n"
    "P1,A,36.5,box,13.2,0.018,active\nP2,B,1,,,,inactive\n")
put("master", "balances", "\x02customer_id,open_balance\nC1,49000.00\nC2,-200.00\n")
put("master", "rates", "\x03carrier,mode,dest_city,vehicle_type,capacity_kg,capacity_m3,trip_charge,"
    "vehicles,rate_per_kg,min_charge,kg_per_m3,fuel_pct\n顺丰,FTL,上海,9.6m,15000,55,2800,2,,,,5\n"
    "顺丰,LTL,*,,,,,,0.85,120,250,5%\n德邦,FTL,*,13m,25000,80,4200.5,,,,,\n")
put("master", "accessorials", b"\x80" + "code,description,max_amount\nUNLOAD,卸货费,200.00\nWAIT,,x\n".encode())
put("master", "shipment-ids", b"\x84shipment_id,carrier\nSH20261102-0001,A\n,B\n")
put("master", "claims", b"\x88shipment_id,hold_amount\nS1,12.50\nS1,1.00\nS2,-1\n")
put("master", "earlier", b"\x8corder_no,line_no,customer_id,sku,qty,unit_price,ship_date,order_date,status\n"
    b"SO1,1,C1,P1,3,36.5,2026-11-05,2026-11-02,confirmed\nSO1,2,C1,P2,0,1,2026-11-05,2026-11-02,confirmed\n"
    b"SO2,1,C2,P1,1,1,2026-11-05,2026-11-02,held\n")
put("master", "cancels", b"\x90order_no,reason,line_no\nSO1,dup,\nSO2,,1\n")
put("master", "categories", b"\x94" + "category,department,response_days,resolve_days,callback_days,claim\n"
    "破损,储运部,1,3,2,是\n质量,质量部,6,5,3,否\n".encode())
put("master", "calendar", b"\x98" + "date,day_type\n2026-10-01,休\n2026-10-10,班\n2026-10-01,休\n".encode())
put("master", "plan-loads", b"\x9cshipment_id,ship_date,carrier,mode,vehicle_type,dest_city,weight_kg,volume_m3\n"
    b"SH1,2026-11-02,A,FTL,9.6m,X,4130.59,43.11\nSH2,2026-11-02,A,LTL,,X,120,1\nSH3,,B,FTL,9.6m,X,1,\n")
put("master", "plan-lines", b"\xdcshipment_id,order_no,ship_date,carrier,mode,vehicle_type,dest_city,weight_kg,volume_m3\n"
    b"SH1,SO1,2026-11-02,A,FTL,9.6m,X,4130.59,43.11\nSH1,SO2,2026-11-02,A,FTL,9.6m,X,1,\n")

put("order-intake", "basic", "\x00SO1,2026-11-02,C1,P1,3\nSO1,2026-11-02,C1,00123,1\n"
    "SO2,2026-11-02,C3,P1,1\nSO3,20261102,C9,P1,1\nSO1,2026-11-03,C2,P1,1\n")
put("order-intake", "full", "\x05SO1,1,2026-11-02,C1,P1,3,36.5,2026-11-05,,急\nSO1,1,2026-11-02,C1,P1,3,,,,\n"
    "SO2,,2026-11-02,C1,00123,20,90,,京,\nSO3,1,2026-11-09,C2,X9,1,,2026-11-01,,\n"
    "SO4,x,2026-13-01,C2,P1,0,-1,,,\n")
put("order-intake", "chinese", "\x0aSO1,2026年11月2日,C1,P1,2,38,,\"a\nb\"\nSO1,2026-11-02,C2,P1,1,,,\n")
put("order-intake", "ragged", "\x031,P1,C1,2026-11-02,SO1,x,y,z\n1,P1\n,,,,,,,\n")
