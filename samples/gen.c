/* gen — realistic salesdesk data of any size from a seed.
 *
 *   gen [-s SEED] [-n LINES] -o DIR [--customers N] [--products N] [--days N]
 *       [--start YYYY-MM-DD] [--errors PCT]
 *
 * Writes DIR/customers.csv, products.csv, rates.csv, accessorials.csv, orders.csv and
 * payments.csv in the formats of salesdesk(7): UTF-8, LF, English header names.
 * The same options give byte-identical files.  Each file draws from its own random
 * stream (splitmix64 of the seed and the file), so the master files do not change with
 * -n, --days or --errors, and orders.csv does not change with the payments.
 *
 * Orders are streamed; only one small record per paid order is kept, because bank
 * receipts come out in payment-date order.  Money, weights and volumes are integers
 * (cents, grams, 1/10000 m³) throughout, as everywhere in salesdesk.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE     /* getopt_long and mkdir under -std=c11 */
#endif
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>

#include "date.h"

enum { EX_OK = 0, EX_USAGE = 64, EX_CANTCREAT = 73, EX_IOERR = 74 };

static struct {
	uint64_t seed;
	uint64_t lines;
	uint32_t customers, products, days;
	int32_t start;          /* days since 1970-01-01 */
	uint32_t errors_bp;     /* error rate in 1/10000 */
	const char *dir;
} opt = { 1, 1500, 200, 60, 14, 0, 0, NULL };

/* ---- random numbers: splitmix64, one stream per file ---- */
struct rng { uint64_t s; };

static uint64_t rnd(struct rng *r)
{
	uint64_t z = (r->s += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static struct rng stream(uint64_t which)
{
	struct rng r = { opt.seed ^ (which * 0xd1342543de82ef95ULL) };

	(void)rnd(&r);
	return r;
}

/* 0..n-1 without modulo bias worth speaking of (Lemire's multiply-shift). */
static uint32_t below(struct rng *r, uint32_t n)
{
	return (uint32_t)(((rnd(r) >> 32) * (uint64_t)n) >> 32);
}

static int chance(struct rng *r, uint32_t per10000)
{
	return below(r, 10000) < per10000;
}

/* ---- dates: days since 1970-01-01, converted by the core (src/lib/date.c) ---- */
/* 0 Monday .. 6 Sunday; 1970-01-01 was a Thursday. */
static int weekday(int32_t day)
{
	return (int)(((day % 7) + 7 + 3) % 7);
}

/* ---- buffered output; a failed write ends the program with 74 ---- */
struct out {
	FILE *fp;
	char path[4096];
	size_t len;
	char buf[1 << 16];
};
/* One file is written at a time; the buffer is too big for the stack. */
static struct out outfile;

static _Noreturn void die(int status, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static _Noreturn void die(int status, const char *fmt, ...)
{
	va_list ap;

	fputs("gen: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(status);
}

static void o_open(struct out *o, const char *name)
{
	snprintf(o->path, sizeof o->path, "%s/%s", opt.dir, name);
	o->len = 0;
	if (!(o->fp = fopen(o->path, "w")))
		die(EX_CANTCREAT, "cannot create '%s': %s", o->path, strerror(errno));
}

static void o_flush(struct out *o)
{
	if (o->len && fwrite(o->buf, 1, o->len, o->fp) != o->len)
		die(EX_IOERR, "cannot write '%s': %s", o->path, strerror(errno));
	o->len = 0;
}

static void o_close(struct out *o)
{
	o_flush(o);
	if (fflush(o->fp) != 0 || ferror(o->fp)) {
		int e = errno;

		fclose(o->fp);
		die(EX_IOERR, "cannot write '%s': %s", o->path, strerror(e));
	}
	if (fclose(o->fp) != 0)
		die(EX_IOERR, "cannot close '%s': %s", o->path, strerror(errno));
}

static void o_mem(struct out *o, const char *s, size_t n)
{
	if (o->len + n > sizeof o->buf) {
		o_flush(o);
		if (n > sizeof o->buf) {
			if (fwrite(s, 1, n, o->fp) != n)
				die(EX_IOERR, "cannot write '%s': %s", o->path, strerror(errno));
			return;
		}
	}
	memcpy(o->buf + o->len, s, n);
	o->len += n;
}

static void o_str(struct out *o, const char *s)
{
	o_mem(o, s, strlen(s));
}

static void o_chr(struct out *o, char c)
{
	if (o->len == sizeof o->buf)
		o_flush(o);
	o->buf[o->len++] = c;
}

/* A field as RFC 4180 wants it: quoted only when it holds a comma, quote, CR or LF. */
static void o_field(struct out *o, const char *s)
{
	if (!strpbrk(s, ",\"\r\n")) {
		o_str(o, s);
		return;
	}
	o_chr(o, '"');
	for (; *s; s++) {
		if (*s == '"')
			o_chr(o, '"');
		o_chr(o, *s);
	}
	o_chr(o, '"');
}

static void o_uint(struct out *o, uint64_t v)
{
	char tmp[24];
	int i = sizeof tmp;

	do {
		tmp[--i] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	o_mem(o, tmp + i, sizeof tmp - (size_t)i);
}

/* Zero-padded to width digits. */
static void o_uintw(struct out *o, uint64_t v, int width)
{
	char tmp[24];
	int i = sizeof tmp;

	do {
		tmp[--i] = (char)('0' + v % 10);
		v /= 10;
	} while (v || (int)sizeof tmp - i < width);
	o_mem(o, tmp + i, sizeof tmp - (size_t)i);
}

/* A fixed-point value with `scale` decimals (cents: 2, grams as kg: 3, m³: 4). */
static void o_fixed(struct out *o, int64_t v, int scale)
{
	static const uint64_t pow10[] = { 1, 10, 100, 1000, 10000 };
	uint64_t a;

	if (v < 0) {
		o_chr(o, '-');
		a = (uint64_t)0 - (uint64_t)v;
	} else {
		a = (uint64_t)v;
	}
	o_uint(o, a / pow10[scale]);
	if (scale) {
		o_chr(o, '.');
		o_uintw(o, a % pow10[scale], scale);
	}
}

static void o_date(struct out *o, int32_t day)
{
	int y, m, d;

	civil_from_days(day, &y, &m, &d);
	o_uintw(o, (uint64_t)y, 4);
	o_chr(o, '-');
	o_uintw(o, (uint64_t)m, 2);
	o_chr(o, '-');
	o_uintw(o, (uint64_t)d, 2);
}

/* Document numbers: PREFIX + YYMMDD + a sequence of at least 4 digits. */
static void o_docno(struct out *o, const char *prefix, int32_t day, uint64_t seq)
{
	int y, m, d;

	civil_from_days(day, &y, &m, &d);
	o_str(o, prefix);
	o_uintw(o, (uint64_t)(y % 100), 2);
	o_uintw(o, (uint64_t)m, 2);
	o_uintw(o, (uint64_t)d, 2);
	o_uintw(o, seq, 4);
}

/* ---- the country: cities, their region, the office that serves them, road km from
 * the warehouse near Shanghai, and how much business they bring ---- */
struct city {
	const char *name, *region, *office;
	int km, weight;
	int ltl_only;   /* no FTL lanes: far and small */
};

static const struct city cities[] = {
	{ "上海", "华东", "上海办事处", 30, 10, 0 },
	{ "苏州", "华东", "上海办事处", 100, 7, 0 },
	{ "无锡", "华东", "南京办事处", 130, 5, 0 },
	{ "杭州", "华东", "杭州办事处", 180, 8, 0 },
	{ "宁波", "华东", "杭州办事处", 220, 5, 0 },
	{ "温州", "华东", "杭州办事处", 460, 3, 0 },
	{ "南京", "华东", "南京办事处", 300, 7, 0 },
	{ "合肥", "华东", "南京办事处", 470, 4, 0 },
	{ "济南", "华东", "济南办事处", 850, 4, 0 },
	{ "青岛", "华东", "济南办事处", 690, 4, 0 },
	{ "福州", "华南", "广州办事处", 770, 3, 0 },
	{ "厦门", "华南", "广州办事处", 1000, 3, 0 },
	{ "广州", "华南", "广州办事处", 1450, 8, 0 },
	{ "深圳", "华南", "广州办事处", 1480, 7, 0 },
	{ "东莞", "华南", "广州办事处", 1450, 4, 0 },
	{ "南宁", "华南", "广州办事处", 1700, 2, 0 },
	{ "北京", "华北", "北京办事处", 1210, 8, 0 },
	{ "天津", "华北", "北京办事处", 1100, 5, 0 },
	{ "石家庄", "华北", "北京办事处", 1100, 3, 0 },
	{ "太原", "华北", "北京办事处", 1300, 2, 0 },
	{ "武汉", "华中", "武汉办事处", 830, 6, 0 },
	{ "长沙", "华中", "武汉办事处", 1100, 4, 0 },
	{ "郑州", "华中", "武汉办事处", 950, 4, 0 },
	{ "南昌", "华中", "武汉办事处", 700, 3, 0 },
	{ "成都", "西南", "成都办事处", 1950, 6, 0 },
	{ "重庆", "西南", "成都办事处", 1700, 5, 0 },
	{ "贵阳", "西南", "成都办事处", 1900, 2, 0 },
	{ "昆明", "西南", "成都办事处", 2400, 2, 1 },
	{ "西安", "西北", "西安办事处", 1400, 4, 0 },
	{ "兰州", "西北", "西安办事处", 2000, 1, 1 },
	{ "乌鲁木齐", "西北", "西安办事处", 4000, 0, 1 },
	{ "沈阳", "东北", "沈阳办事处", 1500, 3, 0 },
	{ "大连", "东北", "沈阳办事处", 1300, 2, 0 },
	{ "哈尔滨", "东北", "沈阳办事处", 2300, 2, 0 },
};
#define NCITIES (sizeof cities / sizeof cities[0])
/* The rare city: one customer, and with --errors no lane at all (no_rate). */
#define RARE_CITY (NCITIES - 4)

static const char *const offices[] = {
	"上海办事处", "杭州办事处", "南京办事处", "济南办事处", "广州办事处",
	"北京办事处", "武汉办事处", "成都办事处", "西安办事处", "沈阳办事处",
};
#define NOFFICES (sizeof offices / sizeof offices[0])

#define N(a) (sizeof (a) / sizeof (a)[0])

/* ---- customers ---- */
struct customer {
	uint16_t city;
	uint8_t blocked;
	uint8_t terms;          /* 0 = blank (the tool's --terms, 30) */
};
static struct customer *cust;
static uint32_t *pickable, npickable;   /* not blocked */
static uint32_t *blockedc, nblocked;

static const char *const brands[] = {
	"恒达", "华盛", "金鼎", "宏远", "鑫源", "瑞丰", "永泰", "博雅", "天成", "佳美",
	"百川", "顺发", "隆昌", "东方", "汇通", "嘉禾", "万家", "福临", "兴旺", "联华",
	"新世纪", "乐购", "惠民", "信达", "盛世", "长青", "利民", "安康", "同福", "益丰",
	"海纳", "君悦", "明珠", "润发", "和美", "祥瑞", "康达", "世纪", "广源", "众诚",
};
static const char *const trades[] = {
	"商贸", "贸易", "百货", "超市", "食品", "日化", "实业", "商行", "连锁超市", "酒店用品",
	"便利店", "批发",
};
static const char *const suffixes[] = { "有限公司", "有限公司", "有限责任公司", "经营部" };
static const char *const surnames[] = {
	"王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周", "徐", "孙", "马", "朱",
	"胡", "郭", "何", "林", "罗", "高",
};
static const char *const given[] = {
	"伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟",
	"涛", "明", "超", "秀英", "霞", "平", "刚", "桂英", "建华", "志强", "海燕", "晓东",
	"春梅", "国庆", "红霞", "文斌",
};
static const char *const roads[] = {
	"人民路", "解放路", "中山路", "建设路", "长江路", "和平路", "新华路", "胜利路",
	"青年路", "文化路", "朝阳路", "东风路", "工业园区", "经济开发区", "物流园",
};
static const uint32_t limits[] = {   /* yuan */
	30000, 50000, 80000, 100000, 150000, 200000, 300000, 500000, 800000, 1000000,
};

static uint16_t pick_city(struct rng *r)
{
	static uint32_t total;
	uint32_t x;
	size_t i;

	if (!total)
		for (i = 0; i < NCITIES; i++)
			total += (uint32_t)cities[i].weight;
	x = below(r, total);
	for (i = 0; i < NCITIES; i++) {
		if (x < (uint32_t)cities[i].weight)
			return (uint16_t)i;
		x -= (uint32_t)cities[i].weight;
	}
	return 0;
}

static void cust_id(char *buf, size_t n, uint32_t i)
{
	snprintf(buf, n, "C%05" PRIu32, 10001 + i);
}

static void gen_customers(void)
{
	struct rng r = stream(1);
	struct out *o = &outfile;
	char id[16];
	uint32_t i, nblock_min = opt.customers >= 20 ? 2 : 0;

	cust = calloc(opt.customers, sizeof *cust);
	pickable = calloc(opt.customers, sizeof *pickable);
	blockedc = calloc(opt.customers, sizeof *blockedc);
	if (!cust || !pickable || !blockedc)
		die(EX_IOERR, "out of memory");
	o_open(o, "customers.csv");
	o_str(o, "customer_id,customer_name,city,region,office,credit_limit,"
	      "payment_terms_days,status,contact,phone,address\n");
	for (i = 0; i < opt.customers; i++) {
		struct customer *c = &cust[i];
		const struct city *ct;
		uint32_t t;

		c->city = pick_city(&r);
		if (opt.customers >= 20 && i == opt.customers / 2)
			c->city = RARE_CITY;
		ct = &cities[c->city];
		/* a couple of blocked accounts among the middle-sized ones, then ~3% */
		c->blocked = (i == 7 || i == 23) && nblock_min ? 1 : i >= 10 && chance(&r, 300);
		t = below(&r, 100);
		c->terms = t < 40 ? 30 : t < 55 ? 45 : t < 80 ? 60 : 0;
		if (c->blocked)
			blockedc[nblocked++] = i;
		else
			pickable[npickable++] = i;

		cust_id(id, sizeof id, i);
		o_str(o, id);
		o_chr(o, ',');
		o_str(o, ct->name);
		o_str(o, brands[(i + below(&r, 7)) % N(brands)]);
		o_str(o, trades[below(&r, N(trades))]);
		o_str(o, suffixes[below(&r, N(suffixes))]);
		o_chr(o, ',');
		o_str(o, ct->name);
		o_chr(o, ',');
		o_str(o, ct->region);
		o_chr(o, ',');
		o_str(o, ct->office);
		o_chr(o, ',');
		if (!chance(&r, 1500)) {
			/* the big accounts (low ids, who order most) get the big limits */
			uint32_t k = below(&r, 6) + (i < opt.customers / 10 ? 4 : i < opt.customers / 3 ? 2 : 0);

			o_fixed(o, (int64_t)limits[k] * 100, 2);
		}
		o_chr(o, ',');
		if (c->terms)
			o_uint(o, c->terms);
		o_chr(o, ',');
		o_str(o, c->blocked ? "blocked" : chance(&r, 8500) ? "active" : "");
		o_chr(o, ',');
		o_str(o, surnames[below(&r, N(surnames))]);
		o_str(o, given[below(&r, N(given))]);
		o_chr(o, ',');
		{
			static const uint16_t pre[] = { 135, 136, 137, 138, 139, 150, 151, 152, 158, 159,
			                                186, 187, 188, 189, 130, 131, 132, 133, 180, 181 };
			o_uint(o, pre[below(&r, N(pre))]);
			o_uintw(o, below(&r, 100000000), 8);
		}
		o_chr(o, ',');
		o_str(o, ct->name);
		o_str(o, "市");
		o_str(o, roads[below(&r, N(roads))]);
		o_uint(o, 1 + below(&r, 888));
		o_str(o, "号\n");
	}
	o_close(o);
}

/* ---- products ---- */
struct product_tpl {
	int cat;
	const char *name, *spec, *unit;
	int32_t grams, vol;     /* vol in 1/10000 m³ */
	int32_t cents;
};
static const struct product_tpl tpls[] = {
	{ 0, "洗衣液", "2kg×6瓶", "箱", 12500, 300, 8900 },
	{ 0, "洗洁精", "1.5kg×8瓶", "箱", 12800, 280, 7600 },
	{ 0, "洗衣粉", "1.7kg×6袋", "箱", 10600, 350, 6800 },
	{ 0, "消毒液", "4.5kg×4桶", "箱", 19200, 300, 12000 },
	{ 0, "牙膏", "120g×72支", "箱", 10200, 240, 28800 },
	{ 0, "洗发水", "750ml×12瓶", "箱", 10100, 230, 33600 },
	{ 1, "抽纸", "130抽×24包", "箱", 4200, 850, 5500 },
	{ 1, "卷纸", "4层×48卷", "件", 6300, 1100, 7800 },
	{ 1, "湿巾", "80片×24包", "箱", 12000, 450, 9600 },
	{ 1, "一次性纸杯", "1000只", "箱", 5200, 650, 5800 },
	{ 1, "垃圾袋", "50卷", "箱", 8000, 400, 9500 },
	{ 1, "保鲜膜", "30cm×24卷", "箱", 7500, 290, 16800 },
	{ 2, "食用油", "5L×4桶", "箱", 18900, 380, 26500 },
	{ 2, "大米", "10kg", "袋", 10050, 150, 5200 },
	{ 2, "酱油", "1.9L×6瓶", "箱", 12600, 190, 7200 },
	{ 2, "方便面", "24袋", "箱", 2800, 450, 3600 },
	{ 2, "饼干", "2kg", "箱", 2300, 300, 4800 },
	{ 3, "矿泉水", "550ml×24瓶", "箱", 13600, 220, 2800 },
	{ 3, "纯牛奶", "250ml×24盒", "箱", 6500, 120, 6200 },
	{ 3, "啤酒", "500ml×12罐", "箱", 6900, 140, 4500 },
};
static const char *const pbrands[4][3] = {
	{ "洁宝", "净达", "优品" },
	{ "柔森", "清雅", "优品" },
	{ "金鼎", "丰禾", "优品" },
	{ "泉源", "优乐", "优品" },
};

struct product {
	char sku[12];
	int32_t cents, grams, vol;
	uint8_t inactive;
};
static struct product *prod;
static uint32_t *active, nactive;
static uint32_t *inactivep, ninactive;

static void gen_products(void)
{
	struct rng r = stream(2);
	struct out *o = &outfile;
	uint32_t i, serial[4] = { 0 };

	prod = calloc(opt.products, sizeof *prod);
	active = calloc(opt.products, sizeof *active);
	inactivep = calloc(opt.products, sizeof *inactivep);
	if (!prod || !active || !inactivep)
		die(EX_IOERR, "out of memory");
	o_open(o, "products.csv");
	o_str(o, "sku,product_name,unit,list_price,unit_weight_kg,unit_volume_m3,status\n");
	for (i = 0; i < opt.products; i++) {
		const struct product_tpl *t = &tpls[i % N(tpls)];
		struct product *p = &prod[i];
		uint32_t variant = i / N(tpls);
		static const int price_pct[3] = { 100, 92, 108 };

		/* category digit + serial: category 0 gives the leading zeros (00101) */
		snprintf(p->sku, sizeof p->sku, "%d%04" PRIu32, t->cat, 101 + 17 * serial[t->cat]++);
		p->cents = (int32_t)((int64_t)t->cents * price_pct[variant % 3] / 100 / 10 * 10);
		p->grams = t->grams + (variant ? (int32_t)below(&r, 400) - 200 : 0);
		p->vol = t->vol;
		p->inactive = opt.products >= 10 && (i == 41 || chance(&r, 600));
		if (p->inactive)
			inactivep[ninactive++] = i;
		else
			active[nactive++] = i;

		o_str(o, p->sku);
		o_chr(o, ',');
		o_str(o, pbrands[t->cat][variant % 3]);
		o_str(o, t->name);
		o_chr(o, ' ');
		o_str(o, t->spec);
		if (variant >= 3) {
			o_str(o, " 型号");
			o_uint(o, variant / 3 + 1);
		}
		o_chr(o, ',');
		o_str(o, t->unit);
		o_chr(o, ',');
		o_fixed(o, p->cents, 2);
		o_chr(o, ',');
		o_fixed(o, p->grams, 3);
		o_chr(o, ',');
		o_fixed(o, p->vol, 4);
		o_chr(o, ',');
		o_str(o, p->inactive ? "inactive" : "active");
		o_chr(o, '\n');
	}
	if (!nactive)
		die(EX_USAGE, "--products: too few for any active product");
	o_close(o);
}

/* ---- rates: FTL by vehicle type, LTL per kg ---- */
struct vehicle {
	const char *type;
	int kg, m3;
	int base, cents_per_km;         /* yuan, cents */
};
static const struct vehicle vehicles[] = {
	{ "4.2m", 2000, 16, 300, 300 },
	{ "6.8m", 8000, 38, 500, 450 },
	{ "9.6m", 15000, 55, 800, 600 },
	{ "13m", 28000, 80, 1200, 780 },
	{ "17.5m", 32000, 110, 1500, 900 },
};

static void rate_ftl(struct out *o, struct rng *r, const char *carrier, const char *city,
                     const struct vehicle *v, int km, int pct, const char *fuel)
{
	/* trip charge: base + per km, the carrier's level, rounded to 10 yuan */
	int64_t yuan = ((int64_t)v->base * 100 + (int64_t)v->cents_per_km * km) * pct / 100 / 100;

	yuan = (yuan + 5) / 10 * 10;
	o_str(o, carrier);
	o_str(o, ",FTL,");
	o_str(o, city);
	o_chr(o, ',');
	o_str(o, v->type);
	o_chr(o, ',');
	o_uint(o, (uint64_t)v->kg);
	o_chr(o, ',');
	o_uint(o, (uint64_t)v->m3);
	o_chr(o, ',');
	o_fixed(o, yuan * 100, 2);
	o_chr(o, ',');
	/* the big trucks are scarce on some lanes */
	if (v->kg >= 28000 && chance(r, 5000))
		o_uint(o, 1 + below(r, 2));
	else if (chance(r, 1000))
		o_uint(o, 2 + below(r, 4));
	o_str(o, ",,,,");
	o_str(o, fuel);
	o_chr(o, '\n');
}

/* rate_per_kg in 1/10000 yuan, min_charge in yuan */
static void rate_ltl(struct out *o, const char *carrier, const char *city, int64_t rate,
                     int min, const char *factor, const char *fuel)
{
	o_str(o, carrier);
	o_str(o, ",LTL,");
	o_str(o, city);
	o_str(o, ",,,,,,");
	o_fixed(o, rate / 100, 2);
	o_chr(o, ',');
	o_fixed(o, (int64_t)min * 100, 2);
	o_chr(o, ',');
	o_str(o, factor);
	o_chr(o, ',');
	o_str(o, fuel);
	o_chr(o, '\n');
}

static void gen_rates(void)
{
	struct rng r = stream(3);
	struct out *o = &outfile;
	size_t c, v;

	o_open(o, "rates.csv");
	o_str(o, "carrier,mode,dest_city,vehicle_type,capacity_kg,capacity_m3,trip_charge,"
	      "vehicles,rate_per_kg,min_charge,kg_per_m3,fuel_pct\n");
	/* 安达物流: trucks of every size it runs to the city, fuel surcharge 5% */
	for (c = 0; c < NCITIES; c++) {
		const struct city *ct = &cities[c];
		int pct = 95 + (int)below(&r, 14);

		if (ct->ltl_only)
			continue;
		for (v = 0; v < N(vehicles); v++) {
			if ((ct->km < 400 && v > 3) || (ct->km > 1500 && v < 2))
				continue;
			rate_ftl(o, &r, "安达物流", ct->name, &vehicles[v], ct->km, pct, "5");
		}
	}
	/* 顺通运输: long haul only, the mid-size and big trucks, fuel included */
	for (c = 0; c < NCITIES; c++) {
		const struct city *ct = &cities[c];
		int pct = 92 + (int)below(&r, 16);

		if (ct->ltl_only || ct->km < 400)
			continue;
		for (v = 1; v < N(vehicles); v++)
			rate_ftl(o, &r, "顺通运输", ct->name, &vehicles[v], ct->km, pct, "");
	}
	/* 安达物流 LTL everywhere but the rare city; volumetric 333 kg/m³ */
	for (c = 0; c < NCITIES; c++) {
		const struct city *ct = &cities[c];
		int64_t rate = 6000 + (int64_t)ct->km * 9;      /* 0.60 + 0.0009/km */
		int min = 50 + ct->km / 30;

		if (c == RARE_CITY)
			continue;
		if (rate > 25000)
			rate = 25000;
		rate = rate / 100 * 100;
		min = min > 150 ? 150 : min / 10 * 10;
		rate_ltl(o, "安达物流", ct->name, rate, min, "333", "5");
	}
	/* 佳运快运: cheaper LTL in the big cities, and a `*` lane for all the others.
	 * With --errors the `*` lane is left out so that the rare city has no lane. */
	for (c = 0; c < NCITIES; c++) {
		const struct city *ct = &cities[c];

		if (ct->weight < 6)
			continue;
		rate_ltl(o, "佳运快运", ct->name, 6000 + (int64_t)ct->km * 8 / 100 * 100,
		         80, "250", "3");
	}
	if (!opt.errors_bp)
		rate_ltl(o, "佳运快运", "*", 18000, 120, "250", "3");
	o_close(o);
}

static void gen_accessorials(void)
{
	struct out *o = &outfile;

	o_open(o, "accessorials.csv");
	o_str(o, "code,description,max_amount\n"
	      "UNLOAD,卸货费,200.00\n"
	      "WAIT,等待费,150.00\n"
	      "STAIR,上楼费,100.00\n"
	      "PALLET,托盘费,80.00\n"
	      "NIGHT,夜间配送费,120.00\n"
	      "RETURN,退货返程费,300.00\n");
	o_close(o);
}

/* ---- orders, streamed; one payment record per order worth paying ---- */
struct pay {
	int32_t pay_day, order_day;
	uint32_t cust, seq;
	int64_t cents;
};
static struct pay *pays;
static size_t npays, cappays;

static void add_pay(const struct pay *p)
{
	if (npays == cappays) {
		size_t ncap = cappays ? cappays * 2 : 4096;
		struct pay *np = realloc(pays, ncap * sizeof *np);

		if (!np)
			die(EX_IOERR, "out of memory");
		pays = np;
		cappays = ncap;
	}
	pays[npays++] = *p;
}

static const char *const remarks[] = {
	"加急", "送货前请电话联系", "周六不收货", "请带回签收单", "开增值税专用发票",
	"随货附质检报告", "促销活动订单", "月底前送达", "仓库在园区东门，货车限高3.5米",
	"客户要求\"当天\"送达", "上午送货,下午不收", "整托发货",
};

enum err {
	E_NONE, E_UNKNOWN_SKU, E_PRICE, E_DUP, E_BAD_DATE, E_BAD_QTY, E_SHIP_BEFORE,
	E_INACTIVE, E_OTHER_CUSTOMER, E_UNKNOWN_CUSTOMER, E_NERR
};

static uint32_t pick_customer(struct rng *r)
{
	/* below(below(n)+1) leans towards the first customers: a few big accounts
	 * place most of the orders */
	return pickable[below(r, below(r, npickable) + 1)];
}

static uint32_t qty_of(struct rng *r)
{
	uint32_t x = below(r, 100);

	return x < 60 ? 1 + below(r, 20) : x < 90 ? 20 + below(r, 60) :
	       x < 98 ? 80 + below(r, 120) : 200 + below(r, 300);
}

static void gen_orders(void)
{
	struct rng r = stream(4), pr = stream(5);
	struct out *o = &outfile;
	uint64_t wtotal = 0, wcum = 0, done = 0;
	uint32_t d;

	o_open(o, "orders.csv");
	o_str(o, "order_no,line_no,order_date,customer_id,sku,qty,unit_price,ship_date,office,"
	      "remark\n");
	for (d = 0; d < opt.days; d++) {
		int wd = weekday(opt.start + (int32_t)d);

		wtotal += wd < 5 ? 10 : wd == 5 ? 5 : 2;
	}
	for (d = 0; d < opt.days; d++) {
		int32_t day = opt.start + (int32_t)d;
		int wd = weekday(day);
		uint64_t upto, left, seq = 0;

		wcum += wd < 5 ? 10 : wd == 5 ? 5 : 2;
		upto = opt.lines * wcum / wtotal;       /* lines up to the end of this day */
		left = upto - done;
		done = upto;
		while (left) {
			uint32_t c, k, line, chosen[12];
			const char *office;
			char cid[16];
			int32_t ship = day + 1;
			int ship_blank = 0, blocked = 0;
			int64_t value = 0;
			uint32_t x;

			seq++;
			if (opt.errors_bp && nblocked && chance(&r, opt.errors_bp / 10)) {
				c = blockedc[below(&r, nblocked)];
				blocked = 1;
			} else {
				c = pick_customer(&r);
			}
			k = 1 + below(&r, 6) + (chance(&r, 2000) ? below(&r, 6) : 0);
			if (k > left)
				k = (uint32_t)left;
			if (k > nactive)
				k = nactive;
			x = below(&r, 100);
			office = x < 88 ? cities[cust[c].city].office : x < 96 ? "" :
			         offices[below(&r, NOFFICES)];
			x = below(&r, 100);
			if (x < 12)
				ship = day + 2;
			else if (x < 22)
				ship_blank = 1;
			else if (x < 25)
				ship = day;
			cust_id(cid, sizeof cid, c);
			for (line = 1; line <= k; line++) {
				const struct product *p;
				uint32_t pi, qty = qty_of(&r), j;
				enum err e = E_NONE;

				/* distinct products within an order */
				do {
					pi = active[below(&r, nactive)];
					for (j = 1; j < line && chosen[j] != pi; j++)
						;
				} while (j < line);
				chosen[line] = pi;
				p = &prod[pi];
				if (opt.errors_bp && chance(&r, opt.errors_bp))
					e = (enum err)(1 + below(&r, E_NERR - 1));
				if (e == E_INACTIVE && !ninactive)
					e = E_UNKNOWN_SKU;
				if (e == E_INACTIVE)    /* a product off the list, at its old price */
					p = &prod[inactivep[below(&r, ninactive)]];
				if (e == E_OTHER_CUSTOMER && (line == 1 || npickable < 2))
					e = E_UNKNOWN_CUSTOMER;

				o_docno(o, "SO", day, seq);
				o_chr(o, ',');
				o_uint(o, line);
				o_chr(o, ',');
				if (e == E_BAD_DATE) {
					static const char *const bad[] = {
						"2026-11-31", "2026-13-02", "02/11/2026", "2026-11-", "11月5日",
					};
					o_str(o, bad[below(&r, N(bad))]);
				} else {
					o_date(o, day);
				}
				o_chr(o, ',');
				if (e == E_OTHER_CUSTOMER) {
					uint32_t c2 = pick_customer(&r);
					char id2[16];

					if (c2 == c)
						c2 = pickable[(below(&r, npickable - 1) + 1 + c) % npickable];
					if (c2 == c)
						c2 = pickable[0] == c ? pickable[1] : pickable[0];
					cust_id(id2, sizeof id2, c2);
					o_str(o, id2);
				} else if (e == E_UNKNOWN_CUSTOMER) {
					/* a typo, or the id in lower case (ids are case-sensitive) */
					if (chance(&r, 5000)) {
						o_str(o, "C0");
						o_uintw(o, below(&r, 10000), 4);
					} else {
						o_chr(o, 'c');
						o_str(o, cid + 1);
					}
				} else {
					o_str(o, cid);
				}
				o_chr(o, ',');
				if (e == E_UNKNOWN_SKU) {
					/* Excel ate the leading zeros, or a made-up code */
					const char *s = p->sku;

					if (*s == '0') {
						while (*s == '0')
							s++;
						o_str(o, s);
					} else {
						o_str(o, "9");
						o_uintw(o, below(&r, 10000), 4);
					}
				} else {
					o_str(o, p->sku);
				}
				o_chr(o, ',');
				if (e == E_BAD_QTY) {
					static const char *const bad[] = { "0", "-5", "1,000", "12.5", "十", "" };

					o_field(o, bad[below(&r, N(bad))]);
				} else {
					o_uint(o, qty);
				}
				o_chr(o, ',');
				if (e == E_PRICE) {
					/* last year's price, or a discount nobody approved */
					int64_t wrong = (int64_t)p->cents * (80 + below(&r, 15)) / 100;

					if (chance(&r, 3000))
						wrong = (int64_t)p->cents * 115 / 100;
					if (wrong == p->cents)
						wrong++;
					o_fixed(o, wrong, 2);
				} else {
					x = below(&r, 100);
					if (x < 82)
						o_fixed(o, p->cents, 2);
					else if (x < 85 && p->cents % 100 == 0)
						o_uint(o, (uint64_t)p->cents / 100);
					/* else blank: the list price */
				}
				o_chr(o, ',');
				if (e == E_SHIP_BEFORE)
					o_date(o, day - 1 - (int32_t)below(&r, 3));
				else if (!ship_blank)
					o_date(o, ship);
				o_chr(o, ',');
				o_str(o, office);
				o_chr(o, ',');
				if (chance(&r, 600))
					o_field(o, remarks[below(&r, N(remarks))]);
				o_chr(o, '\n');
				left--;

				if (e == E_DUP || e == E_NONE)
					value += (int64_t)qty * p->cents;
				if (e == E_DUP && left) {
					/* the same line keyed twice: copy it once more */
					o_docno(o, "SO", day, seq);
					o_chr(o, ',');
					o_uint(o, line);
					o_chr(o, ',');
					o_date(o, day);
					o_chr(o, ',');
					o_str(o, cid);
					o_chr(o, ',');
					o_str(o, p->sku);
					o_chr(o, ',');
					o_uint(o, qty);
					o_str(o, ",,");
					if (!ship_blank)
						o_date(o, ship);
					o_chr(o, ',');
					o_str(o, office);
					o_str(o, ",\n");
					left--;
				}
				if (!left && line < k)
					break;
			}
			if (!blocked && value > 0) {
				/* when and how much the customer pays for it */
				struct pay py = { 0, day, c, (uint32_t)seq, value };
				uint32_t terms = cust[c].terms ? cust[c].terms : 30;

				x = below(&pr, 100);
				if (x < 12) {
					py.pay_day = day + 3 + (int32_t)below(&pr, 12);
				} else if (x < 88) {
					py.pay_day = day + (int32_t)terms - 5 + (int32_t)below(&pr, 21);
					if (x >= 76) {  /* part now, the rest some day */
						py.cents = value * (50 + below(&pr, 41)) / 100;
						if (py.cents > 10000)
							py.cents = py.cents / 10000 * 10000;
					}
				} else {
					continue;       /* not paid yet */
				}
				add_pay(&py);
			}
		}
	}
	o_close(o);
}

static int pay_cmp(const void *a, const void *b)
{
	const struct pay *x = a, *y = b;

	if (x->pay_day != y->pay_day)
		return x->pay_day < y->pay_day ? -1 : 1;
	if (x->cust != y->cust)
		return x->cust < y->cust ? -1 : 1;
	if (x->order_day != y->order_day)
		return x->order_day < y->order_day ? -1 : 1;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

/* Bank receipts (银行回单) in date order.  Some customers pay each order with its
 * number as reference, others send one transfer a day for everything due. */
static void gen_payments(void)
{
	struct rng r = stream(6);
	struct out *o = &outfile;
	size_t i, j;
	int32_t day = INT32_MIN;
	uint64_t seq = 0;

	qsort(pays, npays, sizeof *pays, pay_cmp);
	o_open(o, "payments.csv");
	o_str(o, "payment_no,payment_date,customer_id,amount,reference\n");
	for (i = 0; i < npays; i = j) {
		const struct pay *p = &pays[i];
		int batch = (p->cust * 2654435761u >> 16) % 10 < 4;
		int64_t cents = p->cents;
		char cid[16];
		int e = 0;

		j = i + 1;
		if (batch)
			while (j < npays && pays[j].pay_day == p->pay_day && pays[j].cust == p->cust)
				cents += pays[j++].cents;
		if (p->pay_day != day) {
			day = p->pay_day;
			seq = 0;
		}
		if (opt.errors_bp && chance(&r, opt.errors_bp / 2))
			e = 1 + (int)below(&r, 4);
		cust_id(cid, sizeof cid, p->cust);
		o_docno(o, "HK", day, ++seq);
		o_chr(o, ',');
		if (e == 1) {   /* a foreign day/month/year export */
			int y, m, dd;

			civil_from_days(day, &y, &m, &dd);
			o_uintw(o, (uint64_t)dd, 2);
			o_chr(o, '/');
			o_uintw(o, (uint64_t)m, 2);
			o_chr(o, '/');
			o_uint(o, (uint64_t)y);
		} else
			o_date(o, day);
		o_chr(o, ',');
		if (e == 2) {
			o_str(o, "C0");
			o_uintw(o, below(&r, 10000), 4);
		} else {
			o_str(o, cid);
		}
		o_chr(o, ',');
		if (e == 3)
			cents = 0;
		else if (e == 4)        /* paid twice, or rounded up generously */
			cents += (cents / 10 + 100000) / 100000 * 100000;
		o_fixed(o, cents, 2);
		o_chr(o, ',');
		if (j == i + 1 && chance(&r, 5000))
			o_docno(o, "SO", p->order_day, p->seq);
		o_chr(o, '\n');
	}
	o_close(o);
}

/* ---- options ---- */
static _Noreturn void usage(int status)
{
	fprintf(status ? stderr : stdout,
	        "usage: gen [-s SEED] [-n LINES] -o DIR [--customers N] [--products N]\n"
	        "           [--days N] [--start YYYY-MM-DD] [--errors PCT]\n");
	exit(status);
}

static uint64_t num_arg(const char *name, const char *s, uint64_t min, uint64_t max)
{
	char *end;
	uint64_t v;

	errno = 0;
	if (*s < '0' || *s > '9')
		goto bad;
	v = strtoull(s, &end, 10);
	if (errno || *end || v < min || v > max)
		goto bad;
	return v;
bad:
	fprintf(stderr, "gen: %s: '%s' is not a whole number in %" PRIu64 "-%" PRIu64 "\n",
	        name, s, min, max);
	exit(EX_USAGE);
}

/* "5", "2.5", "0.25" or "5%" as 1/10000. */
static uint32_t pct_arg(const char *s)
{
	uint32_t v = 0;
	int frac = -1;
	const char *p;

	for (p = s; *p && *p != '%'; p++) {
		if (*p == '.' && frac < 0 && p > s && p[1] >= '0' && p[1] <= '9') {
			frac = 0;
		} else if (*p >= '0' && *p <= '9' && frac < 2 && v <= 10000) {
			v = v * 10 + (uint32_t)(*p - '0');
			if (frac >= 0)
				frac++;
		} else {
			goto bad;
		}
	}
	if (p == s || (*p == '%' && p[1]))
		goto bad;
	for (frac = frac < 0 ? 0 : frac; frac < 2; frac++)
		v *= 10;
	if (v <= 10000)
		return v;
bad:
	fprintf(stderr, "gen: --errors: '%s' is not a percentage in 0-100 (up to 2 decimals)\n", s);
	exit(EX_USAGE);
}

static int32_t date_arg(const char *s)
{
	int y, m, d, n = 0;

	if (strlen(s) != 10 || sscanf(s, "%4d-%2d-%2d%n", &y, &m, &d, &n) != 3 || n != 10 ||
	    y < 1900 || y > 9000 || !date_valid(y, m, d)) {
		fprintf(stderr, "gen: --start: '%s' is not a date YYYY-MM-DD\n", s);
		exit(EX_USAGE);
	}
	return days_from_civil(y, m, d);
}

int main(int argc, char *argv[])
{
	static const struct option longopts[] = {
		{ "customers", required_argument, NULL, 'C' },
		{ "days", required_argument, NULL, 'D' },
		{ "errors", required_argument, NULL, 'e' },
		{ "help", no_argument, NULL, 'h' },
		{ "lines", required_argument, NULL, 'n' },
		{ "output", required_argument, NULL, 'o' },
		{ "products", required_argument, NULL, 'P' },
		{ "seed", required_argument, NULL, 's' },
		{ "start", required_argument, NULL, 'S' },
		{ NULL, 0, NULL, 0 },
	};
	int ch;

	opt.start = days_from_civil(2026, 11, 2);
	while ((ch = getopt_long(argc, argv, "hn:o:s:", longopts, NULL)) != -1) {
		switch (ch) {
		case 'C':
			opt.customers = (uint32_t)num_arg("--customers", optarg, 1, 10000000);
			break;
		case 'D':
			opt.days = (uint32_t)num_arg("--days", optarg, 1, 3660);
			break;
		case 'e':
			opt.errors_bp = pct_arg(optarg);
			break;
		case 'h':
			usage(EX_OK);
		case 'n':
			opt.lines = num_arg("-n", optarg, 0, 1000000000);
			break;
		case 'o':
			opt.dir = optarg;
			break;
		case 'P':
			opt.products = (uint32_t)num_arg("--products", optarg, 1, 1000000);
			break;
		case 's':
			opt.seed = num_arg("-s", optarg, 0, UINT64_MAX);
			break;
		case 'S':
			opt.start = date_arg(optarg);
			break;
		default:
			usage(EX_USAGE);
		}
	}
	if (optind != argc) {
		fprintf(stderr, "gen: unexpected argument '%s'\n", argv[optind]);
		usage(EX_USAGE);
	}
	if (!opt.dir) {
		fprintf(stderr, "gen: -o DIR is required\n");
		usage(EX_USAGE);
	}
	if (mkdir(opt.dir, 0777) != 0 && errno != EEXIST)
		die(EX_CANTCREAT, "cannot create '%s': %s", opt.dir, strerror(errno));

	gen_customers();
	gen_products();
	gen_rates();
	gen_accessorials();
	gen_orders();
	gen_payments();
	free(pays);
	free(cust);
	free(pickable);
	free(blockedc);
	free(prod);
	free(active);
	free(inactivep);
	return EX_OK;
}
