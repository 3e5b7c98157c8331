/* spill.c: a report's buffer written to its file whenever it grows large. */
#include "spill.h"

#define SPILL_AT (64 * 1024)

void dbf__spill(struct dbf_buf *out, FILE *f)
{
    if (!f || out->failed || out->len < SPILL_AT)
        return;
    if (fwrite(out->data, 1, out->len, f) != out->len)
        out->failed = true;
    else
        dbf_buf_reset(out);
}

bool dbf__spill_finish(struct dbf_buf *out, FILE *f)
{
    bool ok = !out->failed && fwrite(out->data, 1, out->len, f) == out->len;
    dbf_buf_release(out);
    return ok;
}
