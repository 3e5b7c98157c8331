/* rules_communication.c: the communication rule.
 *
 * The record counts wherever it is written (front matter, a communication
 * section, a timeline entry, the summary) except in the action items, where
 * "set up a status page" is a plan, not a record, and in lessons that say
 * what should be done rather than what was. Words such as "announcement" or
 * "e-mail" alone are not enough: incidents are often triggered by an
 * announcement or noticed through an e-mail alert, so the pattern asks for
 * something said to the people affected; a banner counts when it was put
 * where they look. An admission that they were not told ("we did not
 * communicate the status to users") is a record too: the document has faced
 * the question. E-mails the product sends ("invoice e-mails went out late")
 * are its output, not a word to the people affected. */
#include "rules.h"

static struct dbf__re told_people = DBF_RE_PARTS(
    "\\bstatus[ -]?page\\b|\\bstatuspage\\b|\\bstatus\\.[a-z0-9-]+\\.[a-z]{2,}\\b|"
    "\\b(?:in-app|site|web ?site|maintenance|warning|status) banner\\b|"
    "\\bbanner\\b[^.\\n]{0,30}?\\b(?:added|enabled|posted|shown|displayed|put up|published|"
    "(?:on|to) (?:the|our) (?:[\\w-]+ ){0,2}(?:site|website|page|app|portal|dashboard))\\b|"
    "\\b(?:added|enabled|posted|showed|displayed|put up)\\s+(?:an?|the)\\s+(?:[\\w-]+\\s+){0,2}"
    "banner\\b|"
    "\\b(?:announced|tweeted|public (?:statement|announcement|notice|disclosure))\\b|"
    "\\ball[- ]clear\\s+(?:was\\s+)?(?:given|signall?ed|sent|posted|announced|e-?mail)|"
    "\\b(?:giving|gave|give|sent|posted|announced)\\s+(?:an?\\s+|the\\s+)?all[- ]clear\\b|"
    "\\b(?:made|posted|published|sent|wrote|put up)\\b[^.\\n]{0,40}?\\b(?:post|update|"
    "announcement|notice|message|statement|e-?mail|tweet|blog)s?\\b[^.\\n]{0,40}?\\b(?:in|on|to|"
    "via)"
    "\\b[^.\\n]{0,30}?\\b(?:announcements?|status|twitter|blog|forum|discord|community|"
    "users?|customers?|clients?|owners|public|mailing list|newsletter|channel|subscribers|"
    "members|students|everyone)\\b|"
    "\\b(?:notif(?:ied|y|ying)|inform(?:ed|ing)?|alert(?:ed|ing)|warn(?:ed|ing)|e-?mail(?:ed|ing)|"
    "contact(?:ed|ing)|reach(?:ed|ing)? out to|apologi[sz]ed? to|updat(?:ed|ing)|advis(?:ed|ing)|"
    "communicat(?:ed|ing|e)(?: with| to)?|told)\\s+(?:the |our |all |affected |impacted )*"
    "(?:[\\w-]+\\s+){0,3}?(?:users?|customers?|clients?|community|owners|user ?base|"
    "subscribers|members|students|developers|contributors|maintainers|merchants|partners|"
    "public|downstream|partners|tenants|stakeholders)\\b|"
    "\\b(?:users?|customers?|clients?|community|owners|students|subscribers|members)\\b"
    "\\s+(?:were|was|are|have been|had been)\\s+(?:\\w+\\s+)?(?:told|notified|informed|advised|"
    "e-?mailed|contacted|warned|updated)\\b|"
    /* The words first, as a lookahead: else PCRE2 tries the ten lookbehinds
     * at every byte that could start one of them, eight times as long. */
    "\\b(?=e-?mail|message|notice|notification|announcement|comms|update)"
    "(?<!invoice\\s)(?<!scheduled\\s)(?<!transactional\\s)(?<!marketing\\s)(?<!receipt\\s)"
    "(?<!order\\s)(?<!reminder\\s)(?<!digest\\s)(?<!confirmation\\s)(?<!push\\s)"
    "\\b(?:e-?mails?|messages?|notices?|notifications?|announcements?|comms|updates?)\\s+"
    "(?:was |were )?(?:sent|distributed|posted|published|went out)\\b|"
    "\\b(?:mailing list|customers?|users?|community)\\s+(?:is|was|were)\\s+notified\\b|"
    "\\b(?:did not|didn't|never|failed to) (?:communicate|notify|inform|update|tell)\\b|"
    "\\bsupport (?:briefing|macro)\\b");

/* Words of a wish or a plan: "we should post to the status page sooner". */
static struct dbf__re wish =
    DBF_RE("\\b(?:should|shall|will|would|could|must|need(?:s|ed)? to|plan(?:s|ned)? to|going to|"
           "next time|in the future)\\b");

/* Does B record something said to the people affected? The action items
 * are plans; a lesson counts when it recounts what was done ("what went
 * well: support e-mailed the affected customers"), not what should be. */
static bool records_telling(const struct dbf_doc *doc, const struct dbf_block *b)
{
    enum dbf_section_kind kind = dbf_doc_block_kind(doc, b);
    if (kind == DBF_SECTION_ACTIONS)
        return false;
    if (!dbf__re_search(&told_people, b->text, b->len, 0, NULL))
        return false;
    return kind != DBF_SECTION_LESSONS || !dbf__re_search(&wish, b->text, b->len, 0, NULL);
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
        if (dbf__is_prose(b) && records_telling(doc, b))
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
