/* The floor for report's benchmark: the same cells through libxlsxwriter in
 * constant_memory mode, with the column types fixed in advance (no inference, no
 * formats, no widths, no spool).  Reads the benchmark's CSV, which has no quoted fields.
 *   report-floor IN.csv OUT.xlsx */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <xlsxwriter.h>

/* shipment_id ship_date carrier dest_city order_no sku qty weight_kg amount remark */
static const char types[] = "sdsssSnnns";   /* s text, d date, n number */

int main(int argc, char *argv[])
{
	lxw_workbook_options wo = { .constant_memory = 1 };
	lxw_workbook *wb;
	lxw_worksheet *ws;
	char line[4096];
	lxw_row_t r = 0;
	FILE *in;

	if (argc != 3 || !(in = fopen(argv[1], "r")))
		return 64;
	wb = workbook_new_opt(argv[2], &wo);
	ws = workbook_add_worksheet(wb, NULL);
	while (fgets(line, sizeof line, in)) {
		char *p = line, *f;
		lxw_col_t c = 0;
		line[strcspn(line, "\n")] = '\0';
		while ((f = strsep(&p, ","))) {
			if (r == 0 || types[c] == 's' || types[c] == 'S') {
				worksheet_write_string(ws, r, c, f, NULL);
			} else if (types[c] == 'n') {
				worksheet_write_number(ws, r, c, strtod(f, NULL), NULL);
			} else {
				lxw_datetime dt = { 0, 0, 0, 0, 0, 0 };
				sscanf(f, "%d-%d-%d", &dt.year, &dt.month, &dt.day);
				worksheet_write_datetime(ws, r, c, &dt, NULL);
			}
			c++;
		}
		r++;
	}
	fclose(in);
	return workbook_close(wb) == LXW_NO_ERROR ? 0 : 74;
}
