#!/bin/sh
# Benchmark (not a test): a month of freight bills of a large distributor — 1,000,000 bill
# rows against a --loads plan of 900,000 loads on 4 carriers × 40 cities (FTL and LTL, '*'
# lanes), with accessorials, duplicates (~6%), unplanned shipments (~6%), over- and
# underbilling — timed against the raw libcsv floor (tests/bench/csvcount.c) on the same
# bills.  Prints wall time, MB/s and peak RSS (/usr/bin/time -v).
#   sh tests/bench/freight-audit.sh [BINDIR]
set -eu
top=$(cd "$(dirname "$0")/../.." && pwd)
bin=${1:-$top/bin}
work=$(mktemp -d /tmp/freight-audit-bench.XXXXXX)
trap 'rm -rf "$work"' EXIT
cd "$work"
cc -O2 -o csvcount "$top/tests/bench/csvcount.c" -lcsv
awk 'BEGIN { print "carrier,mode,dest_city,fuel_pct,vehicle_type,capacity_kg,capacity_m3,trip_charge,vehicles,rate_per_kg,min_charge,kg_per_m3"
	split("德邦物流 安能物流 顺丰快运 中通快运", ca, " ")
	for (c = 1; c <= 4; c++) {
		printf "%s,FTL,*,%d,9.6m,15000,55,%d.50,,,,\n", ca[c], c + 3, 3000 + 100 * c
		printf "%s,FTL,*,%d,6.8m,8000,35,%d,,,,\n", ca[c], c + 3, 1800 + 50 * c
		printf "%s,LTL,*,%d,,,,,,%d.%02d,80,250\n", ca[c], c, 1, 10 + c
		for (y = 1; y <= 40; y += 3)
			printf "%s,FTL,城市%02d,%d,9.6m,15000,55,%d,,,,\n", ca[c], y, c + 3, 2500 + 10 * y
	}
}' >rates.csv
awk 'BEGIN { print "code,description,max_amount"; print "UNLOAD,卸货费,150.00"; print "WAIT,等候费,200.00" }' >acc.csv
awk 'BEGIN { srand(11)
	print "shipment_id,ship_date,carrier,mode,vehicle_type,dest_city,orders,lines,weight_kg,volume_m3,capacity_kg,capacity_m3,util_kg_pct,util_m3_pct,freight"
	split("德邦物流 安能物流 顺丰快运 中通快运", ca, " ")
	for (i = 0; i < 900000; i++) {
		d = int(i / 30000) + 1; s = i % 30000 + 1
		c = ca[int(rand() * 4) + 1]; y = int(rand() * 40) + 1; r = rand()
		mode = r < 0.5 ? "FTL" : "LTL"; vt = r < 0.3 ? "9.6m" : r < 0.5 ? "6.8m" : ""
		kg = int(rand() * (vt == "9.6m" ? 15000 : vt == "6.8m" ? 8000 : 3000)) + 1
		printf "SH202611%02d-%05d,2026-11-%02d,%s,%s,%s,城市%02d,1,2,%d.000,%d.%04d,,,,,0.00\n",
		       d, s, d, c, mode, vt, y, kg, int(kg / 300), int(rand() * 10000)
	}
}' >loads.csv
# bills: each load's true cost is unknown to awk, so amounts are random around it; what
# is measured is the audit's throughput, not its verdicts
awk 'BEGIN { srand(12)
	print "carrier,bill_no,bill_date,shipment_id,billed_weight_kg,freight_amount,fuel_amount,accessorial_code,accessorial_amount,total_amount,remark"
	split("德邦物流 安能物流 顺丰快运 中通快运", ca, " ")
	for (n = 0; n < 1000000; n++) {
		r = rand()
		i = r < 0.06 ? int(rand() * 900000) : r < 0.12 ? 900000 + n : n % 900000
		d = int(i / 30000) + 1; s = i % 30000 + 1
		ac = rand() < 0.1 ? "UNLOAD" : rand() < 0.02 ? "NIGHT" : ""
		aa = ac == "" ? "" : sprintf("%d.00", int(rand() * 200))
		printf "%s,B%06d,2026-12-%02d,SH202611%02d-%05d,%d.%03d,\"¥%d,%03d.%02d\",%d.%02d,%s,%s,,备注%d\n",
		       ca[int(rand() * 4) + 1], int(n / 50), int(rand() * 28) + 1, d, s,
		       int(rand() * 15000), int(rand() * 1000), int(rand() * 5) + 1, int(rand() * 1000),
		       int(rand() * 100), int(rand() * 300), int(rand() * 100), ac, aa, n
	}
}' >bills.csv
ls -l loads.csv bills.csv | awk '{ printf "%-10s %6.1f MB\n", $NF, $5 / 1e6 }'
head -1 bills.csv >header-only.csv
mb=$(wc -c <bills.csv)
# The machine may be shared: user+system CPU seconds are the figure to compare; MB/s is
# the bills' size over that CPU time.
run() {
	name=$1; shift
	/usr/bin/time -f '%e %U %S %M' -o time.txt "$@" >out.csv || { cat time.txt; exit 1; }
	read -r wall user sys rss <time.txt
	awk -v n="$name" -v w="$wall" -v u="$user" -v s="$sys" -v r="$rss" -v b="$mb" \
		-v lines="$(wc -l <out.csv)" 'BEGIN {
		cpu = u + s
		printf "%-30s wall %6.2f s  cpu %6.2f s  %7.1f MB/s  peak RSS %7d kB  %d lines out\n",
		       n, w, cpu, (cpu > 0 ? b / 1e6 / cpu : 0), r, lines }'
}
run "csvcount bills (libcsv floor)" ./csvcount bills.csv
run "freight-audit, plan only" "$bin/freight-audit" -q --plan loads.csv -R rates.csv \
	--accessorials acc.csv header-only.csv
run "freight-audit" "$bin/freight-audit" -q --plan loads.csv -R rates.csv \
	--accessorials acc.csv --summary sum.csv bills.csv
run "freight-audit --unbilled" "$bin/freight-audit" -q --plan loads.csv -R rates.csv \
	--accessorials acc.csv --unbilled unbilled.csv bills.csv
cat sum.csv
echo "unbilled loads: $(($(wc -l <unbilled.csv) - 1))"
