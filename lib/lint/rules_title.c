/* rules_title.c: the title rules: the title should say what the affected
 * people experienced, with its scope, rather than the mechanism.
 *
 * The title is the front matter's `title`, else the first H1 (doc->title).
 * Boilerplate around it ("Incident report:", "post mortem", a date, a bracketed tag)
 * says nothing either way and is read past. */
#include "rules.h"

#include <ctype.h>
#include <string.h>

/* The title's position, or the first line when there is no title. */
static struct dbf_pos title_pos(const struct dbf_doc *doc)
{
    if (doc->title && doc->title_pos.line > 0)
        return doc->title_pos;
    return (struct dbf_pos){1, 1};
}

/* People who use the service, by the role the service gives them: shoppers
 * and merchants, learners, readers and viewers, patients and passengers,
 * account holders and traders, developers and callers of an API. */
#define AFFECTED_PARTY                                                                             \
    "(users?|customers?|clients?|shoppers?|buyers?|sellers?|merchants?|visitors?|students?|"       \
    "learners?|players?|members?|subscribers?|developers?|people|everyone|readers?|viewers?|"      \
    "tenants?|patients?|drivers?|riders?|passengers?|guests?|holders?|depositors?|traders?|"       \
    "publishers?|contributors?|maintainers?|partners?|agents?|callers?|"                           \
    "(api|mobile|android|ios|web) (clients?|users?|apps?))"
static struct dbf__re affected_party = DBF_RE("\\b" AFFECTED_PARTY "\\b");
/* A party word that only qualifies a technical thing ("maintainer API token",
 * "customer database", "user table") names what broke, not who was hit. */
static struct dbf__re party_as_qualifier = DBF_RE(
    "^[\\s-]*(api|tokens?|keys?|credentials?|passwords?|secrets?|databases?|db|tables?|schema|"
    "tool(ing)?|scripts?|jobs?|services?|servers?|portal|registry|repo(sitory)?|queues?|caches?|"
    "endpoints?|clusters?|index(es)?)\\b");
/* What users see go wrong: things they cannot do, errors, waiting and
 * slowness, things unavailable or lost to them, wrong or duplicated
 * results, things that never reached them. */
static struct dbf__re visible_symptom = DBF_RE(
    "\\b(unable|cannot|can ?not|can't|could ?n[o']t|couldn't|not able|prevented from|blocked from|"
    "unavailable|not available|inaccessible|unreachable|not reachable|not loading|"
    "errors?|\\d{3} errors?|error pages?|failed (requests?|logins?|payments?|orders?|checkouts?|"
    "deploys?|builds?|launches?|transactions?)|failing (requests?|logins?|payments?|checkouts?)|"
    "timeouts?|timing out|timed out|delays?|delayed|slow(ness| responses?| page loads?)?|"
    "latency|queued|stuck|lost (access|data|work|files|funds)|logged out|double[- ]charged|"
    "charged twice|duplicate (e-?mails?|charges?|orders?|notifications?)|declined|rejected|"
    "stale (data|results?|prices?)|wrong (prices?|results?|balances?|data)|"
    /* something people use that stopped doing its job for them */
    "(stopped|stops|not) (working|syncing|loading|updating|saving|sending|uploading|"
    "downloading|arriving|showing|responding|playing|streaming)|"
    "(withdrawals?|deposits?|payments?|payouts?|transfers?|orders?|checkouts?|logins?|sign-?ins?|"
    "sign-?ups?|downloads?|uploads?|purchases?|trades?|trading|bookings?|deliveries|shipments?|"
    "messages?|notifications?|e-?mails?) (were |was |are |is )?(paused|halted|suspended|frozen|"
    "blocked|disabled)|"
    "missing (data|orders?|e-?mails?|notifications?)|"
    "(were|was) not (sent|delivered|processed)|not (delivered|processed|sent))\\b");
/* The affected people as the subject of what they met: "customers saw …",
 * "users received …", "merchants hit …". */
static struct dbf__re party_experience = DBF_RE(
    "\\b" AFFECTED_PARTY "\\b[^.,;:]{0,30}?\\b(saw|see|sees|seeing|got|get|gets|received|receive|"
    "receiving|experienced|experience|experiencing|encountered|faced|hit|were shown|were served|"
    "waited)\\b");
/* Words that name how the system broke rather than what people saw. */
static struct dbf__re mechanism = DBF_RE(
    "\\b("
    /* a resource used up or a limit reached */
    "exhaust(ed|ion)?|starv(ed|ation)|overload(ed)?|overflow(ed)?|leak(ed|s|ing|age)?|oom|"
    "out of memory|disk full|full disk|quota|rate limit(ing)?|throttl(ed|ing)|"
    /* a software fault */
    "crash(ed|es|ing)?|dies|died|panic(ked)?|hang(s|ing)?|hung|deadlock(ed)?|race condition|bug|"
    "regression|recursion|infinite loop|flak(y|iness)|not ?ready|unhealthy|"
    /* data damaged, lost, out of date or diverging */
    "corrupt(ed|ion)?|inconsisten(t|cy)|overwr(ite|itten|ote)|deleted|deletion|destroyed|dropped|"
    "removed|wiped|truncated|data loss|stale|split(-brain)?|fork(ed)?|replication lag|lag|"
    /* a change or its configuration */
    "misconfigur(ed|ation)|config(uration)? (change|error|drift|push)|rules?|upgrade|migration|"
    "rollback|rollout|deploy(ment)?|release|rotation|failover|expir(ed|y|ation)|certificates?|"
    "cert|dns|bgp|partition(ed)?|"
    /* a security event, including vulnerabilities known by a coined name
     * ("…bleed", "…4Shell") */
    "compromised?|breach(ed)?|phishing|attack(ed|er)?|exploit(ed)?|injection|"
    "vulnerabilit(y|ies)|hijack(ed)?|takeover|malicious|malware|cve-\\d{4}-\\d+|\\w+bleed|"
    "\\w*4shell|shellshock|privileges?|permissions?|tokens?|passwords?|secrets?|credentials?|"
    "keys? (leak|rotation|exposure|exposed)|"
    /* load from outside: a surge, a flood, a crowd arriving at once (the
     * "hug of death" of a popular link) */
    "storm|flood(ed|s)?|surge|spike|stampede|thundering herd|overwhelm(ed|s)?|swamp(ed|s)?|"
    "hug(s|ged)?( of death)?|simultaneous|concurrent|"
    /* the cause said outright, or the change it followed */
    "due to|caused by|because of|"
    "(after|following) (an? |the )?([\\w-]+ ){0,3}(change|update|upgrade|edit|push))\\b");
/* Words that carry nothing about the incident itself. */
static struct dbf__re boilerplate = DBF_RE(
    "\\[[^\\]]*\\]|\\{\\{|\\}\\}|\\b(post[- ]?mortem|retrospective|incident (report|review|"
    "disclosure)|security incident|vulnerability disclosure|incident|disclosure|report|summary|"
    "review|analysis|on|of|the|a|an|and|for|at|in|-)\\b|"
    "\\b\\d{4}-\\d{2}-\\d{2}\\b|\\b\\d{1,2}[-/]\\d{1,2}([-/]\\d{2,4})?\\b|"
    "\\b(jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\\.? \\d{1,2}(st|nd|rd|th)?,? "
    "(\\d{4})?|\\b\\d{1,2}(st|nd|rd|th)? (jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)"
    "[a-z]*,? \\d{4}|\\b\\d{4}\\b|[:,.\xe2\x80\x93\xe2\x80\x94#()\"'!?]");

/* An event word that, beside a component's name, makes the title about the
 * component: its outage, failure or incident. */
static struct dbf__re component_event =
    DBF_RE("\\b(outage|down|downtime|fail(s|ed|ure|ing)?|broken|incident|incident response|issues?|"
           "problems?|event)\\b");

/* Does the title say what the affected people experienced? "All instances
 * unavailable" counts: the instances are what users use. */
static bool states_experience(const char *title)
{
    return dbf__re_test(&visible_symptom, title) || dbf__re_test(&party_experience, title);
}

/* Does TITLE name people the incident hit, not only as a qualifier of a thing? */
static bool names_affected_party(const char *title)
{
    size_t len = strlen(title), from = 0;
    struct dbf__match m;
    while (from < len && dbf__re_search(&affected_party, title, len, from, &m)) {
        if (!dbf__re_search(&party_as_qualifier, title + m.end, len - m.end, 0, NULL))
            return true;
        from = m.end;
    }
    return false;
}

static bool any_alnum(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (isalnum((unsigned char)s[i]))
            return true;
    return false;
}

/* Is anything left of TITLE once its boilerplate is read past? The first
 * letter or digit outside it answers: most titles have one before their
 * first "for" or "of". */
static bool has_substance(const char *title)
{
    size_t len = strlen(title);
    size_t from = 0;
    struct dbf__match m;
    while (from < len && dbf__re_search(&boilerplate, title, len, from, &m)) {
        if (any_alnum(title + from, m.start - from))
            return true;
        from = m.end > m.start ? m.end : m.start + 1;
    }
    return from < len && any_alnum(title + from, len - from);
}

/* title/states-cause: the title names the mechanism (exhaustion, leak,
 * expired certificate, a component's outage) and not what people saw. */
void dbf__check_title_states_cause(struct dbf__lint *lint)
{
    const char *title = lint->doc->title;
    if (!title || !has_substance(title))
        return;
    if (states_experience(title))
        return; /* the mechanism beside the symptom is context, not a substitute */
    struct dbf__match m;
    if (dbf__re_search(&mechanism, title, strlen(title), 0, &m)) {
        dbf__report(lint, title_pos(lint->doc),
                    "title names the mechanism ('%.*s'), not the problem people had; say who was "
                    "affected and what they experienced (e.g. 'Customers unable to check out for "
                    "41 minutes') and move the cause to the summary",
                    (int)(m.end - m.start), title + m.start);
    } else if (dbf__re_test(&component_event, title) && !names_affected_party(title)) {
        /* A component's name and its outage or failure, with nobody it hit. */
        dbf__report(lint, title_pos(lint->doc),
                    "title is centred on the component that broke, not on the problem people "
                    "had; say who was affected and what they experienced (e.g. 'Customers unable "
                    "to check out for 41 minutes')");
    }
}

/* title/no-customer-impact: no title, or one that names neither the people
 * affected nor a symptom they could see. */
void dbf__check_title_no_customer_impact(struct dbf__lint *lint)
{
    const char *title = lint->doc->title;
    if (!title) {
        dbf__report(lint, title_pos(lint->doc),
                    "the post mortem has no title; add one that says who was affected and what "
                    "they experienced (a 'title:' in the front matter or a first '# ' heading)");
        return;
    }
    if (states_experience(title) || names_affected_party(title))
        return;
    dbf__report(lint, title_pos(lint->doc),
                "title does not say who was affected or what they experienced; name the people "
                "and the symptom (e.g. 'Merchants unable to download payout reports')");
}

/* How long, or how much of the service: "for 41 minutes", "2-hour",
 * "overnight", "in eu-west-1", "for EU customers", "22% of", "all". */
static struct dbf__re duration_or_scope = DBF_RE(
    "\\b\\d+(\\.\\d+)?\\s*-?\\s*(s|secs?|seconds?|m|mins?|minutes?|h|hrs?|hours?|days?|weeks?)\\b|"
    "\\b(an?|one|two|three|four|five|six|several|half an?) "
    "(seconds?|minutes?|hours?|days?|weeks?)\\b|"
    "\\b(overnight|all day|all night|weekend|multi-?day)\\b|\\d+(\\.\\d+)?\\s*%|"
    "\\b(\\d+|one|two|three|all|every|most|half|some|few|many|several|multiple|partial)\\b|"
    "\\b(region|regions|regional|zone|datacenter|data cent(er|re)|global(ly)?|worldwide|"
    "eu|us|uk|emea|apac|latam|europe|european|asia|americas?|north america|africa|australia|"
    "[a-z]{2}-[a-z]+-\\d|eu-[a-z]+|us-[a-z]+|"
    "android|ios|iphone|mobile|web|desktop|windows|macos|linux|"
    "free|pro|enterprise|premium|paid|trial)\\b");

/* title/missing-scope: the title gives neither a duration nor a scope. */
void dbf__check_title_missing_scope(struct dbf__lint *lint)
{
    const char *title = lint->doc->title;
    if (!title)
        return;
    char stripped[512];
    size_t k = 0;
    struct dbf__match m;
    size_t len = strlen(title), from = 0;
    /* Dates in the title are when, not how long. */
    static struct dbf__re date = DBF_RE(
        "\\b\\d{4}-\\d{2}-\\d{2}\\b|\\b\\d{1,2}[-/]\\d{1,2}[-/]\\d{2,4}\\b|\\b\\d{1,2}/\\d{1,2}\\b|"
        "\\b(jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\\.? \\d{1,2}(st|nd|rd|th)?"
        ",? (\\d{4})?|\\b\\d{1,2}(st|nd|rd|th)? (jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|"
        "dec)[a-z]*,? (\\d{4})?|\\b(19|20)\\d{2}\\b|\\bv?\\d+(\\.\\d+)+\\b|#\\d+");
    while (from < len && dbf__re_search(&date, title, len, from, &m)) {
        for (size_t i = from; i < m.start && k + 1 < sizeof stripped; i++)
            stripped[k++] = title[i];
        from = m.end > m.start ? m.end : m.start + 1;
    }
    for (size_t i = from; i < len && k + 1 < sizeof stripped; i++)
        stripped[k++] = title[i];
    stripped[k] = '\0';
    if (dbf__re_test(&duration_or_scope, stripped))
        return;
    dbf__report(lint, title_pos(lint->doc),
                "title gives no duration or scope; add how long or how much of the service was "
                "affected (e.g. 'for 41 minutes', 'for EU customers', 'for 12%% of uploads')");
}
