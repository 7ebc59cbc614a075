/* report's sheet names (report(1)): as Excel allows them, unique, and one per part of
 * an input too long for one sheet. */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "report.h"

/* Excel's rules: at most 31 characters, none of []:*?/\, no apostrophe first or last,
 * unique regardless of ASCII case.  Characters are replaced by '_'; a clash gets " (2)". */
char *sheet_name(const char *want, const char *suffix, char ***used, size_t *nused)
{
	char buf[256], out[256];
	size_t i, n = 0, k;
	int dup = 1;

	snprintf(buf, sizeof buf, "%s", *want ? want : "Sheet");
	for (;;) {
		char sfx[32];
		size_t room, w = 0;
		if (dup > 1)
			snprintf(sfx, sizeof sfx, " (%d)", dup);
		else
			snprintf(sfx, sizeof sfx, "%s", suffix);
		room = 31 - strlen(sfx);
		/* copy whole characters while they fit in room UTF-16 units */
		for (i = 0, n = 0; buf[i];) {
			unsigned char c = (unsigned char)buf[i];
			size_t len = u8len(c), units = len == 4 ? 2 : 1;
			if (w + units > room)
				break;
			for (k = 0; k < len && buf[i + k]; k++)
				out[n++] = strchr("[]:*?/\\", buf[i + k]) ? '_' : buf[i + k];
			i += k;
			w += units;
		}
		if (n && out[0] == '\'')
			out[0] = '_';
		if (n && out[n - 1] == '\'')
			out[n - 1] = '_';
		memcpy(out + n, sfx, strlen(sfx) + 1);
		for (i = 0; i < *nused; i++)
			if (!strcasecmp((*used)[i], out))
				break;
		if (i == *nused)
			break;
		dup++;
	}
	*used = tool_realloc(*used, (*nused + 1) * sizeof **used);
	return (*used)[(*nused)++] = xstrdup(out);
}

uint64_t rows_per_sheet(void)
{
	return LXW_ROW_MAX - 1 - (opt.title ? 1 : 0) - (opt.totals ? 1 : 0);
}

void name_sheets(char ***used, size_t *nused)
{
	size_t i, p;

	for (i = 0; i < ninputs; i++) {
		struct input *ip = &inputs[i];
		uint64_t per = rows_per_sheet(), left = ip->rows;
		if (split_col >= 0 && split_vals.count) {
			name_split(ip, used, nused);
			continue;
		}
		ip->nparts = ip->rows ? (size_t)((ip->rows + per - 1) / per) : 1;
		ip->names = tool_realloc(NULL, ip->nparts * sizeof *ip->names);
		ip->part_rows = tool_alloc(ip->nparts, sizeof *ip->part_rows);
		for (p = 0; p < ip->nparts; p++) {
			char sfx[32] = "";
			if (p > 0)
				snprintf(sfx, sizeof sfx, " (%zu)", p + 1);
			ip->names[p] = sheet_name(ip->base, sfx, used, nused);
			ip->part_rows[p] = left < per ? left : per;
			left -= ip->part_rows[p];
		}
	}
}
