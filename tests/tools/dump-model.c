/* dump-model.c: prints the model debrief reads from a post mortem, for
 * looking at what the parser found (not installed). */
#include "debrief/debrief.h"

#include <stdio.h>
#include <string.h>

static void line(const char *s, size_t max)
{
    for (size_t i = 0; s && s[i] && i < max; i++)
        putchar(s[i] == '\n' ? ' ' : s[i]);
}

int main(int argc, char **argv)
{
    for (int a = 1; a < argc; a++) {
        char err[512];
        struct dbf_doc *doc = dbf_doc_load(argv[a], err, sizeof err);
        if (!doc) {
            fprintf(stderr, "%s:%s\n", argv[a], err);
            continue;
        }
        printf("== %s\ntitle: %s (line %d)\nzone: %s\n", argv[a],
               doc->title ? doc->title : "(none)", doc->title_pos.line,
               doc->timeline_zone ? doc->timeline_zone : "(none)");
        for (size_t i = 0; i < doc->section_count; i++) {
            const struct dbf_section *s = &doc->sections[i];
            printf("section L%d h%d %-13s (%s) parent=%d words=%zu '%s'\n", s->pos.line, s->level,
                   dbf_section_kind_name(s->effective), dbf_section_kind_name(s->kind), s->parent,
                   s->words, s->heading);
        }
        for (size_t i = 0; i < doc->timeline_count; i++) {
            const struct dbf_timeline_entry *e = &doc->timeline[i];
            printf("entry L%d ok=%d %04d-%02d-%02d %02d:%02d zone=%s at=%lld kinds=%#x '",
                   e->pos.line, e->time_ok, e->time.date.year, e->time.date.month, e->time.date.day,
                   e->time.hour, e->time.minute,
                   e->time.zone ? e->time.zone : (e->time.has_zone ? "?" : "-"), (long long)e->at,
                   e->kinds);
            line(e->text, 70);
            puts("'");
        }
        for (size_t i = 0; i < doc->why_count; i++) {
            printf("why L%d n=%s branch=%d depth=%d '", doc->whys[i].pos.line,
                   doc->whys[i].number ? doc->whys[i].number : "-", doc->whys[i].branch,
                   doc->whys[i].depth);
            line(doc->whys[i].text, 70);
            puts("'");
        }
        for (size_t i = 0; i < doc->lesson_count; i++) {
            printf("lesson L%d n=%d '", doc->lessons[i].pos.line, doc->lessons[i].number);
            line(doc->lessons[i].text, 70);
            puts("'");
        }
        for (size_t i = 0; i < doc->action_count; i++) {
            const struct dbf_action *x = &doc->actions[i];
            printf("action L%d n=%d owner=%s due=%04d-%02d-%02d prio=%s status=%d lessons=%zu "
                   "link=%s '",
                   x->pos.line, x->number, x->owner ? x->owner : "-", x->due.year, x->due.month,
                   x->due.day, x->priority ? x->priority : "-", x->status, x->lesson_count,
                   x->link ? "yes" : "-");
            line(x->description, 60);
            puts("'");
        }
        for (size_t i = 0; i < doc->figure_count; i++)
            printf("figure L%d %s '%s'\n", doc->figures[i].pos.line,
                   dbf_section_kind_name(doc->figures[i].section), doc->figures[i].text);
        dbf_doc_free(doc);
    }
    return 0;
}
