#include "header.h"

#include <stdio.h>
#include <string.h>

#include "bucket.h"

/* The one table of what a column name means (salesdesk(7), COLUMNS): its Chinese caption,
 * which is also an input alias, the kind of its values and whether adding them up means
 * anything.  Exact names first; the entries with a '*' are the rules for the names the
 * table does not list ("*_no" a suffix, "*amount*" a part), tried in order. */
#define C(canon, zh, kind, add) { canon, zh, HK_##kind, add, 0 }
/* a column of code values, each with a Chinese caption in codes[] below */
#define V(canon, zh) { canon, zh, HK_PLAIN, 0, 1 }
static const struct hdr_sem sems[] = {
	C("order_no", "订单号", CODE, 0), C("line_no", "行号", NUMBER, 0),
	C("order_date", "订单日期", PLAIN, 0), C("ship_date", "发货日期", PLAIN, 0),
	C("customer_id", "客户编号", CODE, 0), C("customer_name", "客户名称", PLAIN, 0),
	C("region", "区域", PLAIN, 0), C("city", "城市", PLAIN, 0),
	C("office", "办事处", PLAIN, 0), C("sku", "产品编号", CODE, 0),
	C("product_name", "产品名称", PLAIN, 0), C("unit", "单位", PLAIN, 0),
	C("qty", "数量", NUMBER, 1), C("unit_price", "单价", MONEY, 0),
	C("list_price", "标准价", MONEY, 0), C("amount", "金额", MONEY, 1),
	C("weight_kg", "重量(kg)", WEIGHT, 1), C("volume_m3", "体积(m³)", VOLUME, 1),
	C("unit_weight_kg", "单位重量(kg)", WEIGHT, 0),
	C("unit_volume_m3", "单位体积(m³)", VOLUME, 0), V("status", "状态"),
	C("credit_limit", "信用额度", MONEY, 0), C("payment_terms_days", "账期(天)", NUMBER, 0),
	C("carrier", "承运商", PLAIN, 0), C("mode", "运输方式", PLAIN, 0),
	C("vehicle_type", "车型", PLAIN, 0), C("dest_city", "目的城市", PLAIN, 0),
	C("shipment_id", "运单号", CODE, 0), C("planned_freight", "计划运费", MONEY, 1),
	C("freight", "运费", MONEY, 1), C("bill_no", "账单号", CODE, 0),
	C("bill_date", "账单日期", PLAIN, 0), C("billed_weight_kg", "计费重量(kg)", WEIGHT, 1),
	C("freight_amount", "运费金额", MONEY, 1), C("expected_amount", "应付金额", MONEY, 1),
	C("billed_amount", "账单金额", MONEY, 1), C("variance", "差额", MONEY, 1),
	C("approved_amount", "核准金额", MONEY, 1), V("flags", "异常标记"),
	C("payment_no", "回单号", CODE, 0), C("payment_date", "回款日期", PLAIN, 0),
	C("reference", "参考单号", CODE, 0), C("invoice_no", "发票号", CODE, 0),
	C("invoice_date", "开票日期", PLAIN, 0), C("due_date", "到期日", PLAIN, 0),
	C("open_amount", "未收金额", MONEY, 1), C("paid", "已收金额", MONEY, 1),
	C("invoiced", "应收金额", MONEY, 1), C("days_overdue", "逾期天数", NUMBER, 0),
	C("late_fee", "滞纳金", MONEY, 1), C("net_balance", "净余额", MONEY, 1),
	C("unapplied_credit", "预收款", MONEY, 1), C("remark", "备注", PLAIN, 0),
	V("reject_reason", "拒收原因"),
	/* what the programs write besides (issue 17): every column has a caption */
	C("reject_file", "拒收文件", PLAIN, 0), C("reject_line", "拒收行号", NUMBER, 0),
	C("planned_weight_kg", "计划重量(kg)", WEIGHT, 1),
	C("fuel_amount", "燃油附加费", MONEY, 1), C("accessorial_code", "附加费代码", CODE, 0),
	C("accessorial_amount", "附加费金额", MONEY, 1), C("total_amount", "合计金额", MONEY, 1),
	C("orders", "订单数", NUMBER, 1), C("lines", "明细行数", NUMBER, 1),
	C("capacity_kg", "核定载重(kg)", WEIGHT, 1), C("capacity_m3", "核定容积(m³)", VOLUME, 1),
	C("util_kg_pct", "重量装载率", PCT, 0), C("util_m3_pct", "体积装载率", PCT, 0),
	C("bills", "账单数", NUMBER, 1), C("overcharge_amount", "多收金额", MONEY, 1),
	C("exceptions", "异常数", NUMBER, 1), C("confirmed_lines", "已确认行数", NUMBER, 1),
	C("held_lines", "暂挂行数", NUMBER, 1), C("rejected_lines", "拒收行数", NUMBER, 1),
	C("open_balance", "期初余额", MONEY, 1), V("bucket", "账龄段"),
	V("over_limit", "超信用额度"), C("current", "未到期", MONEY, 1),
	C("d1_30", "逾期1-30天", MONEY, 1), C("d31_60", "逾期31-60天", MONEY, 1),
	C("d61_90", "逾期61-90天", MONEY, 1), C("d90_plus", "逾期90天以上", MONEY, 1),
	C("date", "日期", PLAIN, 0), V("doc_type", "单据类型"), C("doc_no", "单据号", CODE, 0),
	C("debit", "借方", MONEY, 1), C("credit", "贷方", MONEY, 1), C("balance", "余额", MONEY, 0),
	C("amount_due", "应收合计", MONEY, 1),
	C("mobile", "手机", CODE, 0), C("phone", "电话", CODE, 0), C("tel", NULL, CODE, 0),
	/* the customers master's for statements and letters (receivables(1)) */
	C("contact", "联系人", PLAIN, 0), C("address", "地址", PLAIN, 0),
	/* the order book (salesdesk(7), THE ARCHIVE) */
	V("state", "执行状态"), C("since", "起始日期", PLAIN, 0), C("why", "原因", PLAIN, 0),
	/* complaints(1): the complaint log (投诉登记), its masters and its reports */
	C("complaint_no", "投诉编号", CODE, 0), C("received_at", "受理时间", PLAIN, 0),
	C("channel", "投诉渠道", PLAIN, 0), C("category", "投诉类别", PLAIN, 0),
	C("description", "投诉内容", PLAIN, 0), C("department", "责任部门", PLAIN, 0),
	C("resolved_date", "解决日期", PLAIN, 0), C("resolution", "处理结果", PLAIN, 0),
	C("callback_date", "回访日期", PLAIN, 0), C("satisfaction", "满意度", PLAIN, 0),
	C("response_days", "响应时限(工作日)", NUMBER, 0),
	C("resolve_days", "解决时限(工作日)", NUMBER, 0),
	C("callback_days", "回访时限(工作日)", NUMBER, 0), C("claim", "承运商索赔", PLAIN, 0),
	C("day_type", "日期类型", PLAIN, 0), C("received_date", "受理日期", PLAIN, 0),
	C("order_lines", "订单行数", NUMBER, 0), C("response_due", "响应期限", PLAIN, 0),
	C("resolve_due", "解决期限", PLAIN, 0), C("callback_due", "回访期限", PLAIN, 0),
	C("overdue_stage", "逾期环节", PLAIN, 0), C("escalation", "升级级别", NUMBER, 0),
	C("days_open", "已过工作日", NUMBER, 0), C("dimension", "统计维度", PLAIN, 0),
	C("group", "分组", PLAIN, 0), C("complaints", "投诉数", NUMBER, 1),
	C("resolved", "已解决数", NUMBER, 1), C("resolved_in_time", "按时解决数", NUMBER, 1),
	C("in_time_pct", "按时解决率", PCT, 0), C("base", "基数", NUMBER, 0),
	C("per_1000", "每千单投诉", NUMBER, 0), C("complaint_nos", "投诉编号列表", PLAIN, 0),
	C("hold_amount", "暂扣金额", MONEY, 1),
	/* rules for other names, in order: the first that matches */
	C("*_no", NULL, CODE, 0), C("*_id", NULL, CODE, 0), C("*phone", NULL, CODE, 0),
	C("*mobile", NULL, CODE, 0), C("*_tel", NULL, CODE, 0), C("*_pct", NULL, PCT, 0),
	C("*_rate", NULL, PLAIN, 0), C("*price*", NULL, MONEY, 0), C("*limit*", NULL, MONEY, 0),
	C("*amount*", NULL, MONEY, 1), C("*freight*", NULL, MONEY, 1),
	C("*charge*", NULL, MONEY, 1), C("*fee*", NULL, MONEY, 1), C("*balance*", NULL, MONEY, 1),
	C("*credit*", NULL, MONEY, 1), C("*_days", NULL, NUMBER, 0), C("*_line", NULL, NUMBER, 0),
	C("*_lines", NULL, NUMBER, 1), C("*weight*", NULL, WEIGHT, 1), C("*_kg", NULL, WEIGHT, 1),
	C("*volume*", NULL, VOLUME, 1), C("*_m3", NULL, VOLUME, 1),
};
#undef C
#undef V

/* The Chinese of the code values the programs write in the V() columns above
 * (salesdesk(7), COLUMNS); the ageing buckets' are their column captions. */
static const struct { const char *code, *zh; } codes[] = {
	{ "confirmed", "已确认" }, { "credit_hold", "信用冻结" }, { "ok", "正常" },
	{ "exception", "异常" }, { "yes", "是" }, { "no", "否" },
	{ "invoice", "发票" }, { "payment", "回款" }, { "opening", "期初余额" },
	{ "closing", "期末余额" },
	{ "overcharge", "多收" }, { "undercharge", "少收" },
	{ "accessorial_over_limit", "附加费超限" }, { "carrier_mismatch", "承运商不符" },
	{ "weight_discrepancy", "重量不符" }, { "unknown_accessorial", "未知附加费" },
	{ "total_mismatch", "合计不符" }, { "duplicate_bill", "重复账单" },
	{ "unplanned_shipment", "计划外运单" }, { "no_rate", "无运价" },
	{ "no_vehicle", "无合适车型" }, { "not_confirmed", "未确认" },
	{ "bad_date", "日期错误" }, { "bad_qty", "数量错误" }, { "bad_price", "单价错误" },
	{ "bad_amount", "金额错误" }, { "bad_weight", "重量错误" }, { "bad_volume", "体积错误" },
	{ "missing", "缺少" }, { "unknown_customer", "未知客户" }, { "unknown_sku", "未知产品" },
	{ "inactive_sku", "停用产品" }, { "blocked_customer", "冻结客户" },
	{ "duplicate_line", "重复行" }, { "ship_before_order", "发货早于订单" },
	{ "inconsistent_order", "订单不一致" }, { "price_deviation", "价格偏差" },
	{ "field_count", "字段数不符" }, { "bad_encoding", "编码错误" },
	/* the archive and the order book (salesdesk(7), THE ARCHIVE) */
	{ "confirmed_earlier", "此前已确认" }, { "amended_after_confirmation", "确认后修改" },
	{ "cancelled", "已取消" }, { "held", "信用冻结" }, { "unplanned", "未排运" },
	{ "claim_hold", "索赔暂扣" },
};

const char *hdr_zh_value(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < sizeof codes / sizeof codes[0]; i++)
		if (strlen(codes[i].code) == n && !memcmp(codes[i].code, s, n))
			return codes[i].zh;
	for (i = 0; i < sizeof sems / sizeof sems[0]; i++)
		if (sems[i].zh && strlen(sems[i].canon) == n && !memcmp(sems[i].canon, s, n))
			return sems[i].zh;      /* a bucket, or the column in "missing:qty" */
	return NULL;
}

/* Does canon match a rule of the table: "*x" a suffix, "*x*" a part, else the name. */
static int sem_match(const char *rule, const char *canon)
{
	size_t n, k;

	if (rule[0] != '*')
		return !strcmp(rule, canon);
	rule++;
	k = strlen(rule);
	if (k && rule[k - 1] == '*') {
		char part[32];
		snprintf(part, sizeof part, "%.*s", (int)(k - 1), rule);
		return strstr(canon, part) != NULL;
	}
	n = strlen(canon);
	return n >= k && !strcmp(canon + n - k, rule);
}

const struct hdr_sem *hdr_sem(const char *canon)
{
	static const struct hdr_sem plain = { NULL, NULL, HK_PLAIN, 0, 0 },
	                            bucket = { NULL, NULL, HK_MONEY, 1, 0 };
	size_t i;

	for (i = 0; i < sizeof sems / sizeof sems[0]; i++)
		if (sem_match(sems[i].canon, canon))
			return &sems[i];
	/* receivables' ageing buckets under any --buckets: money, added up */
	return bucket_is_label(canon) ? &bucket : &plain;
}

const char *hdr_zh_label(const char *canon)
{
	size_t i;

	for (i = 0; i < sizeof sems / sizeof sems[0]; i++)
		if (sems[i].zh && !strcmp(sems[i].canon, canon))
			return sems[i].zh;
	return NULL;
}

/* Compares a trimmed, folded cell with a Chinese alias, treating the full-width
 * parentheses （） that Chinese input methods type as the ASCII ones. */
static int alias_eq(const char *s, size_t n, const char *zh)
{
	size_t i = 0;

	while (i < n && *zh) {
		if (!strncmp(s + i, "\xEF\xBC\x88", 3) && i + 3 <= n && *zh == '(') {
			i += 3;
			zh++;
		} else if (!strncmp(s + i, "\xEF\xBC\x89", 3) && i + 3 <= n && *zh == ')') {
			i += 3;
			zh++;
		} else if (s[i] == *zh) {
			i++;
			zh++;
		} else {
			return 0;
		}
	}
	return i == n && !*zh;
}

/* The length of a folded column name without its unit, for hdr_meant(): cut at a
 * bracket, ASCII or full-width ("账期(天)", "账期（日）" and "账期" are all 账期), then
 * without an English unit suffix ("payment_terms_days" is payment_terms). */
static size_t stem_len(const char *s)
{
	static const char *const units[] = { "_days", "_kg", "_m3", "_pct" };
	const char *fw = strstr(s, "\xEF\xBC\x88");
	size_t n = strcspn(s, "(["), i, k;

	if (fw && (size_t)(fw - s) < n)
		n = (size_t)(fw - s);
	while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '_'))
		n--;
	for (i = 0; i < sizeof units / sizeof units[0]; i++) {
		k = strlen(units[i]);
		if (n > k && !strncmp(s + n - k, units[i], k))
			return n - k;
	}
	return n;
}

static int same_stem(const char *a, size_t na, const char *b)
{
	size_t nb = b ? stem_len(b) : 0;

	return na && na == nb && !strncmp(a, b, na);
}

int hdr_meant(const char *name, const char *canon)
{
	size_t k = stem_len(name);

	return strcmp(name, canon) &&
	       (same_stem(name, k, canon) || same_stem(name, k, hdr_zh_label(canon)));
}

int hdr_canon(const char *s, size_t n, struct sbuf *out)
{
	struct csv_field f = { s, n };
	size_t i, start = out->len;

	f = field_trim(f);
	for (i = 0; i < f.n; i++) {
		char c = f.s[i];
		if (c >= 'A' && c <= 'Z')
			c = (char)(c - 'A' + 'a');
		if (sbuf_addch(out, c) < 0)
			return -1;
	}
	for (i = 0; i < sizeof sems / sizeof sems[0]; i++) {
		if (sems[i].zh && alias_eq(out->buf + start, out->len - start, sems[i].zh)) {
			out->len = start;
			return sbuf_addstr(out, sems[i].canon);
		}
	}
	return 0;
}

int hdrmap_build(struct hdrmap *m, const struct csv_record *hdr)
{
	size_t i;

	memset(m, 0, sizeof *m);
	sbuf_init(&m->names);
	m->off = sd_realloc(NULL, (hdr->nf ? hdr->nf : 1) * sizeof *m->off);
	if (!m->off)
		return -1;
	for (i = 0; i < hdr->nf; i++) {
		m->off[i] = m->names.len;
		if (hdr_canon(hdr->f[i].s, hdr->f[i].n, &m->names) < 0 ||
		    sbuf_addch(&m->names, '\0') < 0)
			return -1;
	}
	m->n = hdr->nf;
	return 0;
}

void hdrmap_free(struct hdrmap *m)
{
	sbuf_release(&m->names);
	sd_free(m->off);
	m->off = NULL;
	m->n = 0;
}

int hdrmap_col(const struct hdrmap *m, const char *canon)
{
	size_t i;

	for (i = 0; i < m->n; i++)
		if (!strcmp(hdrmap_name(m, i), canon))
			return (int)i;
	return -1;
}

const char *hdrmap_lookup(const struct hdrmap *m, const char *const *names, int *cols,
                          size_t n, size_t required)
{
	const char *missing = NULL;
	size_t i;

	for (i = 0; i < n; i++) {
		cols[i] = hdrmap_col(m, names[i]);
		if (cols[i] < 0 && i < required && !missing)
			missing = names[i];
	}
	return missing;
}

size_t hdrmap_passthrough(const struct hdrmap *m, const char *const *outcols, size_t nout,
                          size_t *idx)
{
	size_t i, j, k = 0;

	for (i = 0; i < m->n; i++) {
		for (j = 0; j < nout; j++)
			if (!strcmp(hdrmap_name(m, i), outcols[j]))
				break;
		if (j == nout)
			idx[k++] = i;
	}
	return k;
}

int hdrmap_add(struct hdrmap *m, const char *s, size_t n)
{
	size_t *off = sd_realloc(m->off, (m->n + 1) * sizeof *off);

	if (!off)
		return -1;
	m->off = off;
	off[m->n] = m->names.len;
	if (hdr_canon(s, n, &m->names) < 0 || sbuf_addch(&m->names, '\0') < 0)
		return -1;
	m->n++;
	return 0;
}

int hdrmap_same(const struct hdrmap *a, const struct hdrmap *b)
{
	size_t i;

	if (a->n != b->n)
		return 0;
	for (i = 0; i < a->n; i++)
		if (strcmp(hdrmap_name(a, i), hdrmap_name(b, i)))
			return 0;
	return 1;
}
