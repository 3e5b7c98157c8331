/* text.c: finding a piece of flattened prose again in the line as written.
 *
 * Flattening keeps a code span's text but not its backticks, and drops
 * markup, so a rule that must tell prose from code, or wants the true column,
 * looks at the source line. */
#include "rules.h"

#include <ctype.h>
#include <string.h>
#include <strings.h>

static bool word_bounds(const char *s, size_t len, size_t i, size_t n)
{
    bool starts = i == 0 || !isalnum((unsigned char)s[i - 1]);
    size_t after = i + n;
    if (after < len && s[after] == '\'')
        after++;
    if (after < len && s[after] == 's')
        after++;
    if (after > i + n && after < len && isalnum((unsigned char)s[after]))
        after = i + n;
    return starts && (after == len || !isalnum((unsigned char)s[after]));
}

int dbf__prose_column(const struct dbf_doc *doc, int line, const char *needle, size_t n,
                      unsigned flags)
{
    size_t len;
    const char *s = dbf_doc_line(doc, line, &len);
    if (!s || n == 0)
        return 1;
    bool found = false, in_code = false;
    for (size_t i = 0; i + n <= len; i++) {
        if (s[i] == '`') {
            size_t run = 1;
            while (i + run < len && s[i + run] == '`')
                run++;
            in_code = !in_code;
            i += run - 1;
            continue;
        }
        bool same = flags & DBF__CASELESS ? strncasecmp(s + i, needle, n) == 0
                                          : memcmp(s + i, needle, n) == 0;
        if (!same || ((flags & DBF__WHOLE_WORD) && !word_bounds(s, len, i, n)))
            continue;
        if (!in_code)
            return (int)i + 1;
        found = true;
    }
    return found ? 0 : 1;
}
