#!/bin/sh
# Carriers' freight bills (运费账单) for a dispatch plan, with the mistakes an audit
# should catch.
#
#   samples/make-bills.sh LOADS.csv RATES.csv OUTDIR
#
# LOADS.csv is `dispatch-plan --loads` output; RATES.csv the rate card it was planned
# with (used to split each load's freight into 运费 and 燃油附加费 as carriers bill it).
# Writes OUTDIR/<carrier>-<period>.csv: one bill (账单号) per carrier and half of the
# plan's date range, one row per shipment, Chinese headers for the required columns.
# Deterministic: the same plan gives the same bills.  Most loads are billed exactly; the
# rest, by position in the plan:
#   every 23rd load from the 5th   not billed (shows in --unbilled)
#   every 13th load from the 4th   overcharged by 5-12% of the freight     overcharge
#   every 29th load from the 9th   unloading fee 150.00 (within its max)   -
#   every 31st load from the 17th  waiting fee 260.00 (max 150.00)         accessorial_over_limit
# and once each: a shipment billed again in the next period's bill (duplicate_bill), a
# billed weight 8% above the plan (weight_discrepancy; LTL also charged on it), an
# unknown accessorial code (unknown_accessorial, overcharge), a total that does not add
# up (total_mismatch), a load billed by another carrier (carrier_mismatch), a freight
# 100.00 under the rate (undercharge) and a shipment id that is not in the plan
# (unplanned_shipment).  佳运快运 writes its amounts as ¥1,234.50 and its dates as
# 2026/11/9, as its billing software does.
set -eu
LC_ALL=C.UTF-8
export LC_ALL
if [ $# -ne 3 ]; then
	echo "usage: make-bills.sh LOADS.csv RATES.csv OUTDIR" >&2
	exit 64
fi
loads=$1 rates=$2 outdir=$3
for f in "$loads" "$rates"; do
	[ -r "$f" ] || { echo "make-bills.sh: cannot open '$f'" >&2; exit 66; }
done
mkdir -p "$outdir" || exit 73

awk -F, -v outdir="$outdir" '
# ---- fixed point: "1234.5" -> cents, grams; never floating point arithmetic on money ----
function fixed(s, scale,    p, f) {
	sub(/^[ \t]+/, "", s); sub(/[ \t]+$/, "", s)
	split(s, p, ".")
	f = substr(p[2] "0000", 1, scale)
	return p[1] * (scale == 2 ? 100 : scale == 3 ? 1000 : 10000) + f
}
function money(c) { return sprintf("%d.%02d", int(c / 100), c % 100) }
function kg(g) { return sprintf("%d.%03d", int(g / 1000), g % 1000) }
# ¥ and thousands separators, quoted because of the commas
function yuan(c,    s, i, n, head) {
	s = sprintf("%d", int(c / 100)); head = ""
	n = length(s)
	for (i = 1; i <= n; i++) {
		head = head substr(s, i, 1)
		if ((n - i) % 3 == 0 && i < n) head = head ","
	}
	return "\"¥" head sprintf(".%02d", c % 100) "\""
}
function days(s,    p, y, m, d, era, yoe, doy) {
	split(s, p, "-"); y = p[1] + 0; m = p[2] + 0; d = p[3] + 0
	y -= m <= 2
	era = int(y / 400); yoe = y - era * 400
	doy = int((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1
	return era * 146097 + yoe * 365 + int(yoe / 4) - int(yoe / 100) + doy
}
function civil(z,    era, doe, yoe, doy, mp, y, m, d) {
	era = int(z / 146097); doe = z - era * 146097
	yoe = int((doe - int(doe / 1460) + int(doe / 36524) - int(doe / 146096)) / 365)
	doy = doe - (365 * yoe + int(yoe / 4) - int(yoe / 100))
	mp = int((5 * doy + 2) / 153)
	d = doy - int((153 * mp + 2) / 5) + 1
	m = mp < 10 ? mp + 3 : mp - 9
	y = yoe + era * 400 + (m <= 2)
	return sprintf("%04d-%02d-%02d", y, m, d)
}
function slashed(iso,    p) { split(iso, p, "-"); return p[1] "/" (p[2] + 0) "/" (p[3] + 0) }
function code(c) {
	if (c == "安达物流") return "anda"
	if (c == "顺通运输") return "shuntong"
	if (c == "佳运快运") return "jiayun"
	if (!(c in codes)) codes[c] = "carrier" (++ncodes)
	return codes[c]
}
function prefix(c) {
	if (c == "安达物流") return "AD"
	if (c == "顺通运输") return "STYS"
	if (c == "佳运快运") return "JY"
	return "BILL"
}
function header(cols,    i) {
	for (i = 1; i <= NF; i++) {
		h = $i; sub(/^\357\273\277/, "", h); gsub(/^[ \t]+|[ \t\r]+$/, "", h)
		cols[h] = i
	}
}
# the rate row that prices a load: the city s own row, else the carrier s `*` lane
function lane(c, mode, city, vt,    k) {
	k = c SUBSEP mode SUBSEP city SUBSEP vt
	if (k in trip) return k
	k = c SUBSEP mode SUBSEP "*" SUBSEP vt
	return k
}
FNR == 1 { file++; if (file == 1) header(rc); else header(lc); next }
file == 1 {
	gsub(/\r$/, "")
	k = $rc["carrier"] SUBSEP $rc["mode"] SUBSEP $rc["dest_city"] SUBSEP ($rc["mode"] == "FTL" ? $rc["vehicle_type"] : "")
	trip[k] = $rc["mode"] == "FTL" ? fixed($rc["trip_charge"], 2) : 0
	fuel[k] = $rc["fuel_pct"] == "" ? 0 : fixed($rc["fuel_pct"], 2)   # percent x 100
	next
}
{
	gsub(/\r$/, "")
	n++
	sid[n] = $lc["shipment_id"]; sd[n] = $lc["ship_date"]; car[n] = $lc["carrier"]
	mode[n] = $lc["mode"]; vt[n] = $lc["vehicle_type"]; city[n] = $lc["dest_city"]
	wt[n] = fixed($lc["weight_kg"], 3); fr[n] = fixed($lc["freight"], 2)
	d = days(sd[n])
	if (n == 1 || d < first) first = d
	if (n == 1 || d > last) last = d
	if (!(car[n] in seen)) { seen[car[n]] = 1; carriers[++ncar] = car[n] }
}
END {
	mid = first + 7         # period 1: the first week of the plan
	for (i = 1; i <= n; i++) {
		per = days(sd[i]) < mid ? 1 : 2
		if (per == 2) any2 = 1
		# once-only cases go to the first load that qualifies
		kind = ""
		if (i % 23 == 5) continue
		else if (i % 13 == 4) kind = "over"
		else if (i % 31 == 17) kind = "wait"
		else if (i % 29 == 9) kind = "unload"
		else if (!dup && per == 1 && i > 10) { kind = "dup"; dup = i }
		else if (!heavy && mode[i] == "LTL" && i > 20) { kind = "heavy"; heavy = i }
		else if (!unk && i > 30) { kind = "unknown"; unk = i }
		else if (!tot && i > 40) { kind = "total"; tot = i }
		else if (!mis && ncar > 1 && i > 50) { kind = "mismatch"; mis = i }
		else if (!under && mode[i] == "FTL" && i > 60) { kind = "under"; under = i }
		bill(i, per, kind)
		if (kind == "dup")
			bill(i, 2, "")
	}
	# a shipment nobody planned: a typo of the last load s number
	if (n) {
		u = sid[n]; sub(/-[0-9]+$/, "-0999", u)
		row(car[n], 2, u, wt[n], fr[n], 0, "", 0, "车队补单")
	}
}
function bill(i, per, kind,    c, k, base, f, w, ac, aa, note) {
	c = car[i]
	if (kind == "mismatch")
		for (k = 1; k <= ncar; k++)
			if (carriers[k] != c) { c = carriers[k]; break }
	k = lane(car[i], mode[i], city[i], mode[i] == "FTL" ? vt[i] : "")
	# freight = base x (1 + fuel%): bill the base as 运费 and the rest as fuel
	base = fr[i]
	if (mode[i] == "FTL" && trip[k] > 0)
		base = trip[k]
	else if (fuel[k] > 0)
		base = int((fr[i] * 10000 * 2 + (10000 + fuel[k])) / (2 * (10000 + fuel[k])))
	f = fr[i] - base
	w = wt[i]; ac = ""; aa = 0; note = ""
	if (kind == "over") {
		base += int(base * (5 + i % 8) / 100 / 100) * 100 + 100
		note = "按原价表计费"
	} else if (kind == "wait") {
		ac = "WAIT"; aa = 26000; note = "卸货等待4小时"
	} else if (kind == "unload") {
		ac = "UNLOAD"; aa = 15000; note = "人工卸货"
	} else if (kind == "heavy") {
		w = int(w * 108 / 100)
		base = int(base * 108 / 100)
		f = int(f * 108 / 100)
		note = "过磅重量"
	} else if (kind == "unknown") {
		ac = "FORKLIFT"; aa = 8000; note = "叉车费"
	} else if (kind == "under") {
		base -= 10000
	}
	row(c, per, sid[i], w, base, f, ac, aa, note, kind == "total")
}
function row(c, per, id, w, base, f, ac, aa, note, badtotal,    file, t, fancy, bd) {
	file = outdir "/" code(c) "-" per ".csv"
	fancy = c == "佳运快运"
	if (!(file in started)) {
		started[file] = 1
		print "承运商,账单号,账单日期,运单号,计费重量(kg),运费金额,fuel_amount,accessorial_code,accessorial_amount,total_amount,备注" > file
	}
	bd = civil(per == 1 ? mid + 2 : last + 3)
	if (fancy) bd = slashed(bd)
	t = base + f + aa + (badtotal ? 10000 : 0)
	printf "%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s\n", c,
	       prefix(c) "-" substr(civil(first), 3, 2) substr(civil(first), 6, 2) "-0" per, bd, id, kg(w),
	       fancy ? yuan(base) : money(base), f ? (fancy ? yuan(f) : money(f)) : "",
	       ac, aa ? money(aa) : "", fancy ? yuan(t) : money(t), note > file
}
' "$rates" "$loads"
