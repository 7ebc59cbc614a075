# Helpers of tests/bench/run (sourced): the median, the table and the goals of issue 8
# from the results file (size, name, bytes, rows, wall, cpu, rss_kb, runs, status; TSV),
# and a small awk generator for when samples/gen is not built.

median() {          # numbers...
	printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END { if (NR) print v[int((NR + 1) / 2)] }'
}

# What each program is compared with (besides cat and libcsv on its own input).
RIVALS='order-intake=mlr join+put;report=python xlsxwriter;receivables=mlr stats1;freight-audit=mlr join (audit);pipeline=mlr join+put'

format_table() {    # results.tsv
	awk -F'\t' -v rivals="$RIVALS" '
	function ratio(base, prog) {    # how many times faster prog is than base
		return (base == "" || prog == "" || prog == 0) ? "" : sprintf("%.2f", base / prog)
	}
	function both(bw, bc, pw, pc,   a, b) {     # wall (CPU); CPU under 0.01 s is not a figure
		a = ratio(bw, pw); b = bc > 0 && pc > 0 ? ratio(bc, pc) : ""
		return a == "" ? "-" : b == "" ? a : a " (" b ")"
	}
	BEGIN {
		n = split(rivals, rv, ";")
		for (i = 1; i <= n; i++) { split(rv[i], kv, "="); rival[kv[1]] = kv[2] }
	}
	$9 == "ok" {
		key = $1 SUBSEP $2
		wall[key] = $5; cpu[key] = $6
		if ($2 ~ /^(cat|libcsv) /) { split($2, w, " "); bwall[$1, w[1], $3] = $5; bcpu[$1, w[1], $3] = $6 }
	}
	{ row[++nr] = $0 }
	END {
		print "| lines | program | runs | wall s | CPU s | MB/s | rows/s | peak MB | x cat | x libcsv | x rival (rival) | x csvkit |"
		print "|---|---|---|---|---|---|---|---|---|---|---|---|"
		for (i = 1; i <= nr; i++) {
			split(row[i], f, "\t")
			s = f[1]; p = f[2]
			if (s ~ /^mem/ || s == "month") continue
			if (f[9] != "ok") { printf "| %s | %s | - | failed | | | | | | | | |\n", s, p; continue }
			mbs = f[5] > 0 ? sprintf("%.1f", f[3] / 1e6 / f[5]) : "-"
			rps = f[5] > 0 ? sprintf("%.0f", f[4] / f[5]) : "-"
			xc = both(bwall[s, "cat", f[3]], bcpu[s, "cat", f[3]], f[5], f[6])
			xl = both(bwall[s, "libcsv", f[3]], bcpu[s, "libcsv", f[3]], f[5], f[6])
			if (p ~ /^(cat|libcsv) /) xc = xl = ""
			xr = ""
			if (p in rival && ((s, rival[p]) in wall))
				xr = both(wall[s, rival[p]], cpu[s, rival[p]], f[5], f[6]) " (" rival[p] ")"
			xk = ""
			if (p == "order-intake") {
				if ((s, "csvkit csvjoin") in wall)
					xk = both(wall[s, "csvkit csvjoin"], cpu[s, "csvkit csvjoin"], f[5], f[6])
				else if ((s / 10, "csvkit csvjoin") in wall)
					xk = "~" both(10 * wall[s / 10, "csvkit csvjoin"], 10 * cpu[s / 10, "csvkit csvjoin"], f[5], f[6])
			}
			printf "| %s | %s | %s | %s | %s | %s | %s | %.1f | %s | %s | %s | %s |\n", s, p, f[8], f[5], f[6], mbs, rps, f[7] / 1024, xc, xl, xr, xk
		}
	}' "$1"
}

goals() {           # results.tsv
	awk -F'\t' '
	function ok(c) { return c ? "met" : "MISSED" }
	$9 == "ok" {
		wall[$1, $2] = $5; cpu[$1, $2] = $6; rss[$1, $2] = $7; bytes[$1, $2] = $3
		if ($1 ~ /^[0-9]+$/ && $1 + 0 > big) big = $1 + 0
	}
	$2 ~ /^libcsv / && $9 == "ok" { lw[$1, $3] = $5; lc[$1, $3] = $6 }
	END {
		print "## Goals (issue 8, issue 2)"
		print ""
		printf "Judged at %d lines, on wall time and (in parentheses) on CPU time.\n\n", big
		split("order-intake freight-audit receivables", t, " ")
		split("mlr join+put;mlr join (audit);mlr stats1", r, ";")
		for (i = 1; i <= 3; i++) {
			k = big SUBSEP t[i]
			if (!(k in wall)) { printf "- %s: not measured\n", t[i]; continue }
			b = bytes[k]
			if ((big, b) in lw)
				printf "- %s at least 50%% of raw libcsv throughput: %.0f%% (%.0f%%) — %s (%s)\n", t[i],
				       100 * lw[big, b] / wall[k], 100 * lc[big, b] / cpu[k],
				       ok(lw[big, b] / wall[k] >= 0.5), ok(lc[big, b] / cpu[k] >= 0.5)
			if ((big, r[i]) in wall)
				printf "- %s at least 10x %s: %.1fx (%.1fx) — %s (%s)\n", t[i], r[i],
				       wall[big, r[i]] / wall[k], cpu[big, r[i]] / cpu[k],
				       ok(wall[big, r[i]] / wall[k] >= 10), ok(cpu[big, r[i]] / cpu[k] >= 10)
		}
		if (("month", "dispatch-plan") in wall)
			printf "- dispatch-plan, a month of 50,000 lines under 2 s: %.2f s (%.2f s CPU), peak %.1f MB — %s (%s)\n",
			       wall["month", "dispatch-plan"], cpu["month", "dispatch-plan"], rss["month", "dispatch-plan"] / 1024,
			       ok(wall["month", "dispatch-plan"] < 2), ok(cpu["month", "dispatch-plan"] < 2)
		for (s = big; s >= 1; s = int(s / 10))
			if ((s, "report") in wall && (s, "python xlsxwriter") in wall) {
				lines = s > 100000 ? 100000 : s
				printf "- report at least 5x Python XlsxWriter (%d-line input): %.1fx (%.1fx) — %s (%s)\n", lines,
				       wall[s, "python xlsxwriter"] / wall[s, "report"], cpu[s, "python xlsxwriter"] / cpu[s, "report"],
				       ok(wall[s, "python xlsxwriter"] / wall[s, "report"] >= 5), ok(cpu[s, "python xlsxwriter"] / cpu[s, "report"] >= 5)
				break
			}
		if ((big, "pipeline") in wall && (big, "mlr join+put") in wall)
			printf "- whole pipeline faster than Miller'"'"'s join alone: %.1f s vs %.1f s (CPU %.1f s vs %.1f s) — %s (%s)\n",
			       wall[big, "pipeline"], wall[big, "mlr join+put"], cpu[big, "pipeline"], cpu[big, "mlr join+put"],
			       ok(wall[big, "pipeline"] < wall[big, "mlr join+put"]), ok(cpu[big, "pipeline"] < cpu[big, "mlr join+put"])
		# the floors that decide the two goals a libcsv + libxlsxwriter toolkit cannot meet
		if ((big, "zlib (pipeline sheet)") in wall && (big, "mlr join+put") in wall)
			printf "  - floor: deflating the pipeline workbook'"'"'s sheet XML alone (zlib level 6, fixed in libxlsxwriter) takes %.1f s (%.1f s CPU), %.1fx Miller'"'"'s whole join\n",
			       wall[big, "zlib (pipeline sheet)"], cpu[big, "zlib (pipeline sheet)"],
			       wall[big, "zlib (pipeline sheet)"] / wall[big, "mlr join+put"]
		k = big SUBSEP "receivables"
		if ((big, "mlr stats1") in wall && (k in bytes) && ((big, bytes[k]) in lw) && lw[big, bytes[k]] > 0) {
			x = wall[big, "mlr stats1"] / lw[big, bytes[k]]
			printf "  - floor: a bare libcsv parse of the receivables input is %.1fx mlr stats1 (wall)%s\n", x,
			       x < 10 ? ": no filter that parses with libcsv can reach 10x" : ""
		}
		if (("mem1000", "order-intake") in rss && ("mem1000000", "order-intake") in rss) {
			a = rss["mem1000", "order-intake"]; z = rss["mem1000000", "order-intake"]
			printf "- order-intake peak memory: %.1f MB at 1,000 lines, %.1f MB at 1,000,000 lines, %.0f bytes per line; 1M lines under 128 MB — %s\n",
			       a / 1024, z / 1024, (z - a) * 1024 / 999000, ok(z < 128 * 1024)
		}
	}' "$1"
}

# A stand-in for samples/gen: customers, products, rates, accessorials, orders, payments.
awkgen() {          # N DIR [--days D]
	local n=$1 dir=$2 days=14
	[ "${3:-}" = --days ] && days=$4
	awk -v n="$n" -v dir="$dir" -v days="$days" 'BEGIN {
		srand(1)
		split("上海 北京 广州 深圳 杭州 南京 成都 武汉 西安 沈阳", city, " ")
		c = dir "/customers.csv"; print "customer_id,customer_name,city,region,office,credit_limit,payment_terms_days,status" > c
		for (i = 1; i <= 200; i++) printf "C%05d,客户%d,%s,,%s办事处,,30,active\n", 10000 + i, i, city[i % 10 + 1], city[i % 10 + 1] > c
		p = dir "/products.csv"; print "sku,product_name,unit,list_price,unit_weight_kg,unit_volume_m3,status" > p
		for (i = 1; i <= 60; i++) printf "%05d,产品%d,箱,%d.%02d,%d.%03d,0.%04d,active\n", i, i, 20 + i, i, 2 + i % 20, i * 7 % 1000, 100 + i * 13 % 900 > p
		r = dir "/rates.csv"; print "carrier,mode,dest_city,vehicle_type,capacity_kg,capacity_m3,trip_charge,vehicles,rate_per_kg,min_charge,kg_per_m3,fuel_pct" > r
		print "安达物流,FTL,*,4.2m,2000,16,380.00,,,,,5" > r
		print "安达物流,FTL,*,9.6m,15000,55,1200.00,,,,,5" > r
		print "安达物流,FTL,*,13m,28000,80,1800.00,,,,,5" > r
		print "顺心快运,LTL,*,,,,,,0.85,60.00,250,3" > r
		a = dir "/accessorials.csv"; print "code,description,max_amount" > a; print "UNLOAD,卸货费,200.00" > a
		o = dir "/orders.csv"; print "order_no,line_no,order_date,customer_id,sku,qty,unit_price,ship_date,office,remark" > o
		y = dir "/payments.csv"; print "payment_no,payment_date,customer_id,amount,reference" > y
		for (k = 0; k < n; ) {
			ord++; d = int(rand() * days); cu = 10001 + int(rand() * 200); m = 1 + int(rand() * 6)
			date = sprintf("2026-11-%02d", 1 + d % 28); ship = sprintf("2026-11-%02d", 2 + d % 28)
			for (l = 1; l <= m && k < n; l++) {
				s = 1 + int(rand() * 60)
				printf "SO%07d,%d,%s,C%05d,%05d,%d,,%s,,\n", ord, l, date, cu, s, 1 + int(rand() * 50), ship > o; k++
			}
			if (ord % 3 == 0) printf "HK%07d,%s,C%05d,%d.00,SO%07d\n", ord, ship, cu, 100 + int(rand() * 5000), ord > y
		}
	}'
}
