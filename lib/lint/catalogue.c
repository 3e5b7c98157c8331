/* catalogue.c: the rule and option tables built from rules.def. */
#include "config.h"

#include <string.h>

static const struct dbf_rule_info rules[] = {
#define RULE(name, id, sev, section, fn, summary) {id, sev, section, summary},
#define OPTION(rule, name, value)
#include "rules.def"
#undef RULE
#undef OPTION
};

const struct dbf__option_info dbf__options[] = {
#define RULE(name, id, sev, section, fn, summary)
#define OPTION(rule, name, value) {DBF_RULE_##rule, name, value},
#include "rules.def"
#undef RULE
#undef OPTION
};

const size_t dbf__option_count = sizeof dbf__options / sizeof dbf__options[0];

size_t dbf_rule_count(void)
{
    return DBF_RULE_COUNT;
}

const struct dbf_rule_info *dbf_rule_at(size_t index)
{
    return index < DBF_RULE_COUNT ? &rules[index] : NULL;
}

const struct dbf_rule_info *dbf_rule_find(const char *id)
{
    /* A finding's rule is the catalogue's own string: found by its address
     * before any text is compared. */
    for (size_t i = 0; i < DBF_RULE_COUNT; i++)
        if (rules[i].id == id)
            return &rules[i];
    for (size_t i = 0; i < DBF_RULE_COUNT; i++)
        if (strcmp(rules[i].id, id) == 0)
            return &rules[i];
    return NULL;
}

const char *dbf_severity_name(enum dbf_severity severity)
{
    switch (severity) {
    case DBF_INFO:
        return "info";
    case DBF_WARNING:
        return "warning";
    case DBF_ERROR:
        return "error";
    default:
        return "off";
    }
}

bool dbf_severity_parse(const char *name, enum dbf_severity *out)
{
    static const struct {
        const char *name;
        enum dbf_severity sev;
    } names[] = {{"off", DBF_OFF},      {"none", DBF_OFF},    {"false", DBF_OFF},
                 {"info", DBF_INFO},    {"notice", DBF_INFO}, {"warning", DBF_WARNING},
                 {"warn", DBF_WARNING}, {"error", DBF_ERROR}};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        if (strcmp(name, names[i].name) == 0) {
            *out = names[i].sev;
            return true;
        }
    }
    return false;
}
