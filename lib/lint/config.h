/* config.h: the inside of `struct dbf_config`, shared by config.c and the
 * engine. */
#ifndef DBF_CONFIG_H
#define DBF_CONFIG_H

#include "rules.h"

struct dbf__option_info {
    enum dbf__rule_id rule;
    const char *name;
    long value; /* the default */
};

extern const struct dbf__option_info dbf__options[];
extern const size_t dbf__option_count;

struct dbf_config {
    enum dbf_severity severity[DBF_RULE_COUNT];
    long *options; /* dbf__option_count values */
    char **acronyms;
    size_t acronym_count, acronym_cap;
    char **teams;
    size_t team_count, team_cap;
    struct dbf_date today;
    struct dbf_config_patterns patterns;    /* the `patterns:` settings */
    struct dbf_config_category *categories; /* owned; patterns.categories points here */
    size_t category_cap;
};

#endif
