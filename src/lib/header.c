#include "header.h"

#include <string.h>

static const struct {
	const char *canon, *zh;
} aliases[] = {
	{ "order_no", "订单号" }, { "line_no", "行号" }, { "order_date", "订单日期" },
	{ "ship_date", "发货日期" }, { "customer_id", "客户编号" },
	{ "customer_name", "客户名称" }, { "region", "区域" }, { "city", "城市" },
	{ "office", "办事处" }, { "sku", "产品编号" }, { "product_name", "产品名称" },
	{ "unit", "单位" }, { "qty", "数量" }, { "unit_price", "单价" },
	{ "list_price", "标准价" }, { "amount", "金额" }, { "weight_kg", "重量(kg)" },
	{ "volume_m3", "体积(m³)" }, { "unit_weight_kg", "单位重量(kg)" },
	{ "unit_volume_m3", "单位体积(m³)" }, { "status", "状态" },
	{ "credit_limit", "信用额度" }, { "payment_terms_days", "账期(天)" },
	{ "carrier", "承运商" }, { "mode", "运输方式" }, { "vehicle_type", "车型" },
	{ "dest_city", "目的城市" }, { "shipment_id", "运单号" },
	{ "planned_freight", "计划运费" }, { "freight", "运费" }, { "bill_no", "账单号" },
	{ "bill_date", "账单日期" }, { "billed_weight_kg", "计费重量(kg)" },
	{ "freight_amount", "运费金额" }, { "expected_amount", "应付金额" },
	{ "billed_amount", "账单金额" }, { "variance", "差额" },
	{ "approved_amount", "核准金额" }, { "flags", "异常标记" },
	{ "payment_no", "回单号" }, { "payment_date", "回款日期" },
	{ "reference", "参考单号" }, { "invoice_no", "发票号" },
	{ "invoice_date", "开票日期" }, { "due_date", "到期日" },
	{ "open_amount", "未收金额" }, { "paid", "已收金额" }, { "invoiced", "应收金额" },
	{ "days_overdue", "逾期天数" }, { "late_fee", "滞纳金" },
	{ "net_balance", "净余额" }, { "unapplied_credit", "预收款" }, { "remark", "备注" },
	{ "reject_reason", "拒收原因" },
	/* complaints(1): the complaint log (投诉登记), its masters and its reports */
	{ "complaint_no", "投诉编号" }, { "received_at", "受理时间" },
	{ "channel", "投诉渠道" }, { "category", "投诉类别" },
	{ "description", "投诉内容" }, { "department", "责任部门" },
	{ "resolved_date", "解决日期" }, { "resolution", "处理结果" },
	{ "callback_date", "回访日期" }, { "satisfaction", "满意度" },
	{ "response_days", "响应时限(工作日)" }, { "resolve_days", "解决时限(工作日)" },
	{ "callback_days", "回访时限(工作日)" }, { "claim", "承运商索赔" },
	{ "date", "日期" }, { "day_type", "日期类型" },
	{ "received_date", "受理日期" }, { "order_lines", "订单行数" },
	{ "response_due", "响应期限" }, { "resolve_due", "解决期限" },
	{ "callback_due", "回访期限" }, { "overdue_stage", "逾期环节" },
	{ "escalation", "升级级别" }, { "days_open", "已过工作日" },
	{ "dimension", "统计维度" }, { "group", "分组" }, { "complaints", "投诉数" },
	{ "resolved", "已解决数" }, { "resolved_in_time", "按时解决数" },
	{ "in_time_pct", "按时解决率" }, { "base", "基数" },
	{ "per_1000", "每千单投诉" }, { "complaint_nos", "投诉编号列表" },
	{ "hold_amount", "暂扣金额" },
};

const char *hdr_zh_label(const char *canon)
{
	size_t i;

	for (i = 0; i < sizeof aliases / sizeof aliases[0]; i++)
		if (!strcmp(aliases[i].canon, canon))
			return aliases[i].zh;
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
	for (i = 0; i < sizeof aliases / sizeof aliases[0]; i++) {
		if (alias_eq(out->buf + start, out->len - start, aliases[i].zh)) {
			out->len = start;
			return sbuf_addstr(out, aliases[i].canon);
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
