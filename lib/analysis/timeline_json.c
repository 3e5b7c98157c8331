/* timeline_json.c: a timeline analysis as `debrief timeline --format json`. */
#include "debrief/json.h"

static const char *source_name(enum dbf_moment_source source)
{
    switch (source) {
    case DBF_SOURCE_FRONT_MATTER:
        return "front matter";
    case DBF_SOURCE_TIMELINE:
        return "timeline";
    case DBF_SOURCE_ASSUMED:
        return "assumed";
    case DBF_SOURCE_NONE:
        break;
    }
    return "none";
}

static json_t *iso_or_null(const struct dbf_timeline_analysis *a, const struct dbf_moment *m)
{
    char iso[64];
    return m->known ? json_string(dbf_timeline_format(a, m->at, iso, sizeof iso)) : json_null();
}

static json_t *gaps_json(const struct dbf_timeline_analysis *a)
{
    json_t *gaps = json_array();
    for (size_t i = 0; i < a->gap_count; i++) {
        char from[64], to[64];
        const struct dbf_gap *g = &a->gaps[i];
        json_array_append_new(gaps, json_pack("{s:s, s:s, s:I, s:i}", "from",
                                              dbf_timeline_format(a, g->from, from, sizeof from),
                                              "to", dbf_timeline_format(a, g->to, to, sizeof to),
                                              "seconds", (json_int_t)g->seconds, "line", g->line));
    }
    return gaps;
}

static json_t *sources_json(const struct dbf_timeline_analysis *a)
{
    json_t *sources = json_object();
    for (int m = 0; m < DBF_MILESTONE_COUNT; m++) {
        const struct dbf_moment *mo = &a->milestone[m];
        json_object_set_new(
            sources, dbf_milestone_name((enum dbf_milestone)m),
            mo->known ? json_pack("{s:s, s:i}", "source", source_name(mo->source), "line", mo->line)
                      : json_null());
    }
    return sources;
}

json_t *dbf_timeline_json(const struct dbf_timeline_analysis *a)
{
    json_t *root = json_object();
    if (!root)
        return NULL;
    bool ok = true;
    for (int m = 0; m < DBF_MILESTONE_COUNT; m++)
        ok = ok && json_object_set_new(root, dbf_milestone_name((enum dbf_milestone)m),
                                       iso_or_null(a, &a->milestone[m])) == 0;
    for (int d = 0; d < DBF_DURATION_COUNT; d++)
        ok = ok && json_object_set_new(root, dbf_duration_name((enum dbf_duration)d),
                                       a->has_duration[d] ? json_integer(a->duration[d])
                                                          : json_null()) == 0;
    ok = ok && json_object_set_new(root, "gaps", gaps_json(a)) == 0;
    ok = ok && json_object_set_new(root, "zone", json_string(a->zone)) == 0;
    ok = ok && json_object_set_new(root, "sources", sources_json(a)) == 0;
    if (!ok) {
        json_decref(root);
        return NULL;
    }
    return root;
}
