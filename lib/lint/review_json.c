/* review_json.c: a review as one file of `debrief lint --format json`. */
#include "debrief/json.h"

static const char *answer_name(int answer)
{
    return answer == DBF_ANSWER_YES ? "yes" : answer == DBF_ANSWER_PARTLY ? "partly" : "no";
}

static json_t *sections_json(const struct dbf_review *review)
{
    json_t *sections = json_object();
    for (int k = 0; k < DBF_SECTION_KIND_COUNT; k++) {
        if (k != DBF_SECTION_OTHER && review->section_score[k] >= 0)
            json_object_set_new(sections, dbf_section_kind_name((enum dbf_section_kind)k),
                                json_integer(review->section_score[k]));
    }
    return sections;
}

static json_t *findings_json(const struct dbf_review *review)
{
    json_t *findings = json_array();
    for (size_t i = 0; i < review->finding_count; i++) {
        const struct dbf_finding *f = &review->findings[i];
        json_array_append_new(findings,
                              json_pack("{s:s, s:s, s:i, s:i, s:s}", "rule", f->rule, "severity",
                                        dbf_severity_name(f->severity), "line", f->pos.line,
                                        "column", f->pos.column, "message", f->message));
    }
    return findings;
}

static json_t *checklist_json(const struct dbf_review *review)
{
    json_t *list = json_array();
    for (int q = 0; q < DBF_QUESTION_COUNT; q++) {
        const struct dbf_checklist_answer *a = &review->checklist[q];
        json_t *refs = json_array();
        for (size_t k = 0; k < a->finding_count; k++) {
            const struct dbf_finding *f = &review->findings[a->findings[k]];
            json_array_append_new(refs,
                                  json_pack("{s:s, s:i}", "rule", f->rule, "line", f->pos.line));
        }
        json_array_append_new(list, json_pack("{s:s, s:s, s:o}", "question", a->question, "answer",
                                              answer_name(a->answer), "findings", refs));
    }
    return list;
}

json_t *dbf_review_json(const struct dbf_review *review, const char *path, bool checklist)
{
    json_t *file = json_object();
    if (!file)
        return NULL;
    bool ok = !path || json_object_set_new(file, "path", json_string(path)) == 0;
    ok = ok && json_object_set_new(file, "score", json_integer(review->score)) == 0;
    ok = ok && json_object_set_new(file, "sections", sections_json(review)) == 0;
    ok = ok && json_object_set_new(file, "findings", findings_json(review)) == 0;
    if (checklist)
        ok = ok && json_object_set_new(file, "checklist", checklist_json(review)) == 0;
    if (!ok) {
        json_decref(file);
        return NULL;
    }
    return file;
}
