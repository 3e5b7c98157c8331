/* rules_communication.c: the communication rule.
 *
 * The record counts wherever it is written (front matter, a communication
 * section, a timeline entry, the summary) except in the action items and
 * lessons, where "set up a status page" is a plan, not a record. Words
 * such as "announcement" or "e-mail" alone are not enough: incidents are
 * often triggered by an announcement or noticed through an e-mail alert, so
 * the pattern asks for something said to the people affected. */
#include "rules.h"

static struct dbf__re told_people = DBF_RE(
    "\\bstatus[ -]?page\\b|\\bstatuspage\\b|\\bstatus\\.[a-z0-9-]+\\.[a-z]{2,}\\b|"
    "\\b(?:in-app |site |web ?site )?banner\\b|"
    "\\b(?:announced|tweeted|public (?:statement|announcement|notice|disclosure))\\b|"
    "\\ball[- ]clear\\s+(?:was\\s+)?(?:given|signall?ed|sent|posted|announced|e-?mail)|"
    "\\b(?:giving|gave|give|sent|posted|announced)\\s+(?:an?\\s+|the\\s+)?all[- ]clear\\b|"
    "\\b(?:made|posted|published|sent|wrote|put up)\\b[^.\\n]{0,40}?\\b(?:post|update|"
    "announcement|notice|message|statement|e-?mail|tweet|blog)s?\\b[^.\\n]{0,40}?\\b(?:in|on|to|via)"
    "\\b[^.\\n]{0,30}?\\b(?:announcements?|status|twitter|blog|forum|discord|community|"
    "users?|customers?|clients?|owners|public|mailing list|newsletter|channel|subscribers|"
    "members|students|everyone)\\b|"
    "\\b(?:notif(?:ied|y|ying)|inform(?:ed|ing)?|alert(?:ed|ing)|warn(?:ed|ing)|e-?mail(?:ed|ing)|"
    "contact(?:ed|ing)|reach(?:ed|ing)? out to|apologi[sz]ed? to|updat(?:ed|ing)|advis(?:ed|ing)|"
    "communicat(?:ed|ing|e)(?: with| to)?|told)\\s+(?:the |our |all |affected |impacted )*"
    "(?:\\w+\\s+)?(?:users?|customers?|clients?|community|owners|user ?base|"
    "subscribers|members|students|developers|contributors|maintainers|merchants|partners|"
    "public|downstream|farmers|stakeholders)\\b|"
    "\\b(?:users?|customers?|clients?|community|owners|students|subscribers|members)\\b"
    "\\s+(?:were|was|are|have been|had been)\\s+(?:\\w+\\s+)?(?:told|notified|informed|advised|"
    "e-?mailed|contacted|warned|updated)\\b|"
    "\\b(?:e-?mails?|messages?|notices?|notifications?|announcements?|comms|updates?)\\s+"
    "(?:was |were )?(?:sent|distributed|posted|published|went out)\\b|"
    "\\b(?:mailing list|customers?|users?|community)\\s+(?:is|was|were)\\s+notified\\b|"
    "\\b(?:did not|didn't|never) communicate\\b|\\bsupport (?:briefing|macro)\\b");

static bool is_plan(enum dbf_section_kind kind)
{
    return kind == DBF_SECTION_ACTIONS || kind == DBF_SECTION_LESSONS;
}

/* Does the document record what the affected people were told? */
static bool has_communication_record(const struct dbf_doc *doc)
{
    if (doc->meta.communication_count > 0)
        return true;
    for (size_t i = 0; i < doc->section_count; i++) {
        const struct dbf_section *s = &doc->sections[i];
        if (s->kind == DBF_SECTION_COMMUNICATION && s->words > 3)
            return true;
    }
    for (size_t i = 0; i < doc->block_count; i++) {
        const struct dbf_block *b = &doc->blocks[i];
        if (!dbf__is_prose(b) || is_plan(dbf_doc_block_kind(doc, b)))
            continue;
        if (dbf__re_search(&told_people, b->text, b->len, 0, NULL))
            return true;
    }
    return false;
}

/* communication/missing: customers or users were hit and the document has
 * no record of what they were told. */
void dbf__check_communication_missing(struct dbf__lint *lint)
{
    const struct dbf_doc *doc = lint->doc;
    if (!lint->facts.customer_facing || has_communication_record(doc))
        return;
    struct dbf_pos pos = doc->title ? doc->title_pos : (struct dbf_pos){1, 1};
    dbf__report(lint, pos,
                "customers were affected but nothing says what they were told; record the "
                "status page updates, e-mails or support briefings with their times (or "
                "'communication:' in the front matter)");
}
