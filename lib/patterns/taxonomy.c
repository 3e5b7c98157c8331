/* taxonomy.c: the one table of failure categories, with their words, phrases
 * and what each says about the system when it recurs.
 *
 * Cues are phrases of cause, not topics: "the alert did not fire" is a
 * monitoring gap, "the alert fired within two minutes" is not. The
 * classifier hands the patterns one sentence at a time (the subject ends
 * where the sentence does), so a span such as [\s\S]{0,40} cannot run into
 * the next sentence, yet crosses soft line breaks and version numbers
 * ("v2.3"). Adding a category is a row here and its sentences in
 * tests/unit/test_patterns.c; teams add words in `.debrief.yml`. */
#include "taxonomy.h"

#define CAUSE DBF_TEXT_CAUSE
#define ACTION DBF_TEXT_ACTION
#define BOTH (DBF_TEXT_CAUSE | DBF_TEXT_ACTION)
#define CUE(roles, pattern) {DBF_RE(pattern), roles}
#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

/* Words that say something is missing or not enough, before what is missing. */
#define LACKING                                                                                    \
    "(?:no|missing|lack(?:ed|ing|s)?(?: of)?|without(?: any)?|absent|insufficient|inadequate|"    \
    "limited|poor|incomplete|gaps? in(?: our| the)?|had no|did not have(?: any)?|"                \
    "didn'?t have(?: any)?)"
/* A negated verb after its subject: "the alert did not fire". */
#define DID_NOT                                                                                    \
    "(?:did not|didn'?t|never|failed to|was not|wasn'?t|were not|weren'?t|does not|doesn'?t|"     \
    "do not|don'?t|could not|couldn'?t|would not|wouldn'?t)"
#define CHANGE_WORDS                                                                               \
    "(?:deploy\\w*|releas\\w*|change[ds]?|migrat\\w*|maintenance|upgrad\\w*|roll-?outs?|"         \
    "rolled out|push(?:ed)?|restart\\w*|failover|reindex\\w*|backfill\\w*|batch jobs?)"
#define PEAK_WORDS                                                                                 \
    "(?:peak|busiest|high[- ]traffic|highest[- ]traffic|heavy[- ]traffic|rush[- ]hour|holiday|"   \
    "black friday|cyber monday|sale|launch|business hours|prime[- ]time|busy)"

static struct dbf__cue monitoring_cues[] = {
    CUE(CAUSE, "\\b" LACKING "\\s+(?:\\w+[ -]){0,3}?(?:alert(?:s|ing)?|alarms?|monitor(?:s|ing)?|"
               "observability|visibility|telemetry|dashboards?|health[ -]?checks?|"
               "synthetic (?:checks?|probes?|monitoring)|paging|instrumentation)\\b"),
    CUE(CAUSE, "\\b(?:alert(?:s|ing)?|alarms?|monitor(?:s|ing)?|pages?|pager|health[ -]?checks?|"
               "probes?|dashboards?|metrics?)\\s+(?:\\w+\\s+){0,3}?" DID_NOT
               "\\s+(?:\\w+\\s+)?(?:fire|trigger|catch|detect|page|go off|notice|cover|alert|"
               "exist|show|reflect|see|include|measure|track)"),
    CUE(CAUSE, "\\b(?:not|never|wasn'?t|weren'?t|isn'?t|aren'?t) (?:being )?(?:monitored|"
               "alerted on|instrumented|covered by (?:any |our )?(?:monitoring|alerts?|alerting))"),
    CUE(CAUSE, "\\b(?:went|go|gone|was|were|remained|stayed|is|are) (?:\\w+ )?(?:unnoticed|"
               "undetected|unmonitored)\\b"),
    CUE(CAUSE, "\\balert\\w*\\b[\\s\\S]{0,40}?\\b(?:only (?:went|gone|sent) (?:out )?to|subset of|"
               "wrong (?:channel|team|person|people|rotation|address)|(?:went|sent) to nobody|"
               "no one (?:was paged|saw)|nobody (?:was paged|saw|noticed))"),
    CUE(CAUSE, "\\bblind ?spots?\\b|\\bsilent(?:ly)? (?:fail\\w*|errors?|drop\\w*|data loss)"),
    CUE(CAUSE, "\\b(?:detected|discovered|noticed|reported|found|spotted) (?:first )?by (?:a |an |"
               "our |the |several |multiple |many )?(?:customers?|users?|clients?|support|"
               "partners?)\\b"),
    CUE(CAUSE, "\\b(?:customers?|users?|clients?|support)\\b[\\s\\S]{0,50}?\\b(?:reported|noticed|"
               "told us|alerted us|notified us|flagged|raised)\\b[\\s\\S]{0,40}?\\b(?:before|first|"
               "ahead of)\\b"),
    CUE(CAUSE, "\\b(?:learned|found out|heard|became aware)\\b[\\s\\S]{0,30}?\\bfrom (?:a |an |our |"
               "the )?(?:customers?|users?|clients?|support (?:tickets?|team)|twitter|social "
               "media)"),
    CUE(ACTION, "\\b(?:add|adding|create|set up|setup|introduce|implement|configure|build|define|"
                "write|page on|alert on)\\s+(?:\\w+[ -]){0,4}?(?:alert(?:s|ing)?|alarms?|"
                "monitor(?:s|ing)?|dashboards?|health[ -]?checks?|synthetic (?:checks?|probes?|"
                "tests?|monitoring)|probes?|paging|SLOs?|instrumentation)\\b"),
    CUE(ACTION, "\\G\\s*(?:alert|page|monitor)\\s+(?:on|when|if|for)\\b"),
};
static struct dbf__re monitoring_vetoes[] = {
    DBF_RE("\\b(?:alert|alarm|monitor|page|pager)\\w*\\s+(?:\\w+\\s+){0,3}?(?:fired|worked|"
           "triggered|caught|detected|paged)\\s+(?:\\w+\\s+){0,3}?(?:as expected|as designed|"
           "correctly|promptly|immediately|within)"),
    DBF_RE("\\bno (?:monitoring|alerting|observability) (?:gap|issue|problem)s?\\b"),
    DBF_RE("\\bwithout alerting (?:customers|users|anyone|the)\\b"),
    DBF_RE("\\bno (?:metrics?|data|logs?) (?:was|were) (?:lost|dropped)\\b"),
};

static struct dbf__cue test_cues[] = {
    CUE(CAUSE, "\\b" LACKING "\\s+(?:\\w+[ -]){0,3}?(?:tests?|testing|test coverage|coverage|"
               "test cases?|QA)\\b(?! environment)"),
    CUE(CAUSE, "(?<!no )\\b(?:tests?|test suite|CI|unit tests?|integration tests?|end-to-end "
               "tests?|e2e tests?|test cases?|QA|testing)\\s+(?:\\w+\\s+){0,3}?" DID_NOT
               "\\s+(?:\\w+\\s+)?(?:cover|catch|exercise|test|detect|include|check|reproduce|"
               "simulate|hit|flag|find)"),
    CUE(CAUSE, "\\b(?:untested|not (?:been )?tested|never (?:been )?tested|wasn'?t tested|"
               "weren'?t tested|not covered by (?:any |our |the )?(?:tests?|test suite)|"
               "(?:tests?|testing) (?:missed|overlooked))\\b"),
    CUE(CAUSE, "\\b(?:not|never|wasn'?t|weren'?t) (?:\\w+ )?(?:tested|validated|verified|tried|"
               "exercised) (?:in|on|against) (?:the |our |a )?(?:staging|pre-?prod)"),
    CUE(CAUSE, "\\b(?:missed|overlooked|unhandled|untested) (?:an? |the )?(?:edge|corner) cases?"
               "|\\b(?:edge|corner) cases?\\b[\\s\\S]{0,40}?\\b(?:not|never|untested|missed|"
               "overlooked|unhandled)\\b"),
    CUE(ACTION, "\\b(?:add|adding|write|create|introduce|extend|expand|improve|increase|build|"
                "develop|establish|automate)\\s+"
                "(?:\\w+[ -]){0,4}?(?<!\\bfor )(?<!\\bin )(?<!\\bon )(?:tests?|test cases?|test coverage|"
                "coverage|testing|fuzz(?:ing|ers?)?)\\b(?! environment)"),
};
static struct dbf__re test_vetoes[] = {
    DBF_RE("\\bno tests? (?:failed|broke|were (?:broken|skipped|flaky))"),
    DBF_RE("(?<!no )(?<!not )\\b(?:tests?|CI|test suite)\\s+(?:\\w+\\s+){0,2}?(?:caught|flagged|"
           "blocked|prevented)\\b"),
};

static struct dbf__cue staging_cues[] = {
    CUE(CAUSE, "\\b(?:worked|passed|succeeded|ran|went|was fine|were fine|behaved|looked fine|"
               "tested|validated|verified)\\b[\\s\\S]{0,40}?\\b(?:in|on|against) (?:the |our )?"
               "(?:staging|pre-?prod(?:uction)?|test environments?|QA|UAT|dev(?:elopment)? "
               "environment|sandbox)\\b"),
    CUE(CAUSE, "\\b(?:staging|pre-?prod(?:uction)?|test environments?|QA environment|"
               "dev(?:elopment)? environment|UAT)\\b[\\s\\S]{0,60}?\\b(?:differ(?:s|ed|ent|ence|"
               "ences)?|drift(?:s|ed)?|mismatch(?:ed)?|diverge[ds]?|not (?:\\w+ )?(?:match|"
               "representative|identical|the same|like|mirror)|(?:did|does|do)(?: not|n'?t) "
               "(?:match|have|mirror|reflect|resemble|include|contain|use|run)|lack(?:s|ed)?|"
               "smaller|much less|out of (?:sync|date)|unlike)"),
    CUE(CAUSE, "\\b(?:differ(?:ence|ences|s|ed)?|drift|mismatch(?:es)?|discrepanc(?:y|ies)|"
               "parity|divergence)\\b[\\s\\S]{0,40}?\\b(?:between|from|with|and)\\b[\\s\\S]{0,30}?\\b"
               "(?:staging|pre-?prod)"),
    CUE(CAUSE, "\\b(?:staging|pre-?prod)\\b[\\s\\S]{0,30}?\\b(?:vs\\.?|versus|than) prod|\\bprod"
               "(?:uction)?\\b[\\s\\S]{0,30}?\\b(?:vs\\.?|versus|than|unlike) (?:in )?(?:staging|"
               "pre-?prod|the test environment)"),
    CUE(CAUSE, "\\b(?:could not|couldn'?t|unable to|did not|didn'?t|failed to|does not|"
               "doesn'?t|never) (?:be )?reproduc(?:e|ed)\\b[\\s\\S]{0,40}?\\b(?:staging|locally|in "
               "dev|test environment|pre-?prod)"),
    CUE(CAUSE, "\\bonly (?:\\w+ )?(?:happens|happened|occurs|occurred|appears|appeared|shows? "
               "up|showed up|reproduces|reproduced|manifests|manifested|triggered) (?:\\w+ )?"
               "(?:in|on|under) prod(?:uction)?\\b|\\bprod(?:uction)?[- ]only\\b"),
    CUE(CAUSE, "\\b(?:no|without(?: a)?|lack of(?: a)?|did not have(?: a)?|didn'?t have(?: a)?|"
               "there is no|there was no) (?:\\w+ )?(?:staging|pre-?prod(?:uction)?) "
               "(?:environment|cluster|stage)"),
    CUE(ACTION, "\\b(?:align|match|sync|synchroni[sz]e|mirror|make|bring|keep|update|upgrade|"
                "rebuild)\\b[\\s\\S]{0,40}?\\bstaging\\b[\\s\\S]{0,40}?\\b(?:prod(?:uction)?|parity|"
                "same)\\b|\\bstaging\\b[\\s\\S]{0,20}?\\bparity\\b|\\bproduction-like\\b"),
};
static struct dbf__re staging_vetoes[] = {
    DBF_RE("\\b(?:not|never|wasn'?t|weren'?t) (?:\\w+ )?(?:tested|validated|verified|tried|"
           "deployed|exercised) (?:in|on|to|against) (?:the |our |a )?(?:staging|pre-?prod)"),
};

static struct dbf__cue manual_cues[] = {
    CUE(CAUSE, "\\b(?:human|operator|manual|typing|copy[- ]?paste|clerical)\\s+(?:error|mistake|"
               "slip|oversight)s?\\b"),
    CUE(CAUSE, "\\btypos?\\b|\\bfat[- ]?finger(?:ed|ing)?\\b|\\bmistyped\\b"),
    CUE(CAUSE, "\\b(?:engineer|operator|admin(?:istrator)?|developer|on-?call|someone|we|I|team "
               "member|SRE|person|staff)\\b[\\s\\S]{0,40}?\\b(?:accidentally|inadvertently|"
               "mistakenly|unintentionally|by mistake|by accident)\\b"),
    CUE(CAUSE, "\\b(?:accidentally|inadvertently|mistakenly) (?:ran|run|typed|entered|executed|"
               "clicked|pasted|issued|selected)\\b"),
    CUE(CAUSE, "\\b(?:ran|run|executed|typed|entered|issued|applied)\\b[\\s\\S]{0,50}?\\b(?:against|"
               "on|in|to) (?:the )?wrong\\b|\\bwrong (?:terminal|window|tab|shell)\\b"),
    CUE(CAUSE, "\\b(?:forgot|forgotten|forgetting|forget|neglected to)\\b|\\b(?:skipped|missed) "
               "(?:a |the |one )?(?:step|check|manual step)\\b"),
    CUE(CAUSE, "\\b(?:rel(?:y|ies|ied|iance|ying) on|depend(?:s|ed|ing)? on|required|requires|"
               "requiring)\\s+(?:\\w+\\s+){0,3}?(?:manual|human|someone|people|an? (?:engineer|"
               "operator|person)|engineers|operators)\\b"),
    CUE(CAUSE, "\\bmanual(?:ly)?\\s+(?:\\w+\\s+){0,2}?(?:steps?|process(?:es)?|procedures?|"
              "checklists?|runbooks?|renewals?|rotations?|edit(?:ed|ing|s)?|deploy(?:ment)?s?|"
              "operations?|updates?|cop(?:y|ies)|entr(?:y|ies)|configuration|provisioning|"
              "commands?|tasks?|toil|cleanup|migrations?)\\b"),
    CUE(ACTION, "\\bautomat(?:e|es|ing|ion of)\\b|\\b(?:two-person|four-eyes|guard ?rails?|"
                "confirmation prompt|dry[- ]run|safeguards?)\\b"),
};
static struct dbf__re manual_vetoes[] = {
    DBF_RE("\\b(?:not|no|wasn'?t|rather than|instead of|isn'?t|beyond)\\s+(?:a |an |the |simply "
           "|just |only )?(?:human|operator|manual) (?:error|mistake)"),
};

static struct dbf__cue deployment_cues[] = {
    CUE(CAUSE, "\\b(?:bad|faulty|broken|buggy|failed|botched|defective|incomplete|partial|"
               "half-finished|stuck)\\s+(?:\\w+\\s+)?(?:deploy(?:ment)?|release|roll-?out|build|"
               "upgrade)s?\\b"),
    CUE(CAUSE, "\\b(?:deploy(?:ment|ed|ing)?|release[ds]?|roll-?out|rolled out|upgrade[ds]?|new "
               "version|version \\d[\\w.]*|v\\d+(?:\\.\\d+)+|build)\\b[\\s\\S]{0,50}?\\b(?:introduced|"
               "shipped|contained|included|carried|brought|caused|triggered|broke|regressed)\\b"),
    CUE(CAUSE, "\\b(?:introduced|shipped|released|deployed|rolled out|went out)\\b[\\s\\S]{0,30}?\\b"
               "(?:in|with|by|as part of|during) (?:the |a |our |an )?(?:\\w+ )?(?:deploy(?:ment)?|"
               "release|roll-?out|upgrade|version|v\\d)"),
    CUE(CAUSE, "\\b(?:deployed|released|rolled out|pushed|shipped|went out)\\b[\\s\\S]{0,40}?\\b"
               "(?:to (?:all|every|the whole|the entire)\\b|at once|simultaneously|in one step|"
               "without (?:a |any )?(?:canary|staged|gradual|phased|progressive|review|testing|"
               "bake))"),
    CUE(BOTH, "\\b(?:canar(?:y|ies)|staged roll-?outs?|progressive (?:roll-?out|delivery)|"
              "blue[- ]green|deploy(?:ment)? (?:pipeline|process|tooling|system|scripts?|jobs?)|"
              "release (?:pipeline|process|train|tooling)|CI/CD|CD pipeline|bake time)\\b"),
    CUE(CAUSE, "\\b(?:after|since|following|once|when) [\\w-]+(?: [\\w-]+)? (?:was|were|got|had been) "
               "(?:updated|upgraded|deployed|released|rolled out)\\b"),
    CUE(CAUSE, "\\b(?:during|after|following|shortly after|minutes after|right after|as part of|"
               "caused by|triggered by|due to) (?:a |the |our |an |this )?(?:[\\w-]+ )?"
               "(?:deploy(?:ment)?|release|roll-?out|upgrade)\\b"),
};
static struct dbf__re deployment_vetoes[] = {
    DBF_RE("\\bno (?:recent |new )?(?:deploy(?:ment)?s?|releases?|changes?|roll-?outs?)\\b"),
    DBF_RE("\\b(?:not|wasn'?t|weren'?t) (?:\\w+ )?(?:related to|caused by|due to|triggered by) "
           "(?:a |the |any )?(?:deploy|release|change)"),
    DBF_RE("\\bcanar(?:y|ies)\\b[\\s\\S]{0,30}?\\b(?:caught|detected|stopped|halted|blocked|"
           "prevented)\\b"),
};

static struct dbf__cue dependency_cues[] = {
    CUE(CAUSE, "\\b(?:third[- ]party|3rd[- ]party|upstream|external|vendor'?s?|provider'?s?|"
               "supplier|dependenc(?:y|ies)|partner'?s?|CDN|cloud provider|managed service|"
               "open[- ]source (?:library|package|project))\\b[\\s\\S]{0,60}?\\b(?:outage|went down|"
               "(?:was|were) down|failure|failed|failing|degrad\\w*|unavailable|unreachable|"
               "errors?|incident|broke|bug|breaking change|deprecat\\w*|timeouts?|timed out|"
               "slow(?:ed|ness)?|latency|regression|vulnerab\\w*|changed|rate[- ]limit\\w*|"
               "compromised|expired)"),
    CUE(CAUSE, "\\b(?:outage|failure|degradation|incident|bug|breaking change|regression|"
               "vulnerability)\\b[\\s\\S]{0,25}?\\b(?:at|in|of|from|on) (?:our |an? |the )?"
               "(?:third[- ]party|upstream|vendor|provider|dependency|library|package|partner|"
               "CDN|cloud provider|external)"),
    CUE(BOTH, "\\b(?:dependency|package|library|module|gem|crate|base image|SDK|client "
              "library)\\s+(?:upgrade|update|bump|version|release|change)s?\\b|\\b(?:upgrad|"
              "updat|bump)(?:e|ed|ing)\\b[\\s\\S]{0,30}?\\b(?:dependency|dependencies|library|"
              "package|SDK|base image)|\\btransitive dependenc|\\b(?:un)?pinned (?:version|"
              "dependenc)"),
    CUE(CAUSE, "\\b(?:AWS|Amazon|GCP|Google Cloud|Azure|Cloudflare|Fastly|Akamai|GitHub|Stripe|"
               "Twilio|PagerDuty|Okta|Auth0|Let'?s Encrypt|DigitalOcean|Heroku|Docker Hub)\\b[\\s\\S]{0,50}?"
               "\\b(?:outage|went down|was down|degrad\\w*|unavailable|broke|deprecat\\w*|"
               "rate[- ]limit\\w*|throttl\\w*)"),
    CUE(ACTION, "\\b(?:(?:add|implement|build|use|configure|introduce) (?:a |an )?(?:\\w+ )?"
                "fallback|circuit[- ]breakers?|second (?:provider|vendor)|multi-?(?:provider|vendor|"
                "CDN)|pin (?:the )?(?:version|dependenc\\w*)|vendor (?:the|our))\\b"),
};
static struct dbf__re dependency_vetoes[] = {
    DBF_RE("\\bno (?:external|third[- ]party|upstream|vendor) "),
    DBF_RE("\\b(?:not|wasn'?t) (?:an? )?(?:third[- ]party|upstream|vendor|provider) (?:issue|"
           "problem|outage)"),
};

static struct dbf__cue capacity_cues[] = {
    CUE(CAUSE, "\\b(?:capacity|resources?|memory|RAM|disk(?: space)?|storage|CPU|connections?|"
               "connection pool|threads?|thread pool|file descriptors?|file handles?|inodes?|IP "
               "addresses|IPs|ports?|quotas?|heap|queue|bandwidth|IOPS|worker pool|workers|"
               "sockets?|inotify (?:watches|watchers))\\b[\\s\\S]{0,30}?\\b(?:exhaust(?:ed|ion)?|ran "
               "out|run out|running out|full|filled(?: up)?|maxed(?: out)?|saturat\\w*|starv\\w*|"
               "leak\\w*|pressure|insufficient|too (?:small|low|few)|(?:are |is |were |was )?(?:limited|"
               "capped|throttled)\\b|limits? (?:was |were )?"
               "(?:reached|hit|exceeded)|overflow\\w*|overwhelm\\w*|depleted|at (?:its |their )?"
               "(?:limit|maximum|max))"),
    CUE(CAUSE, "\\b(?:out of (?:memory|disk|space|capacity|connections|file descriptors|threads|"
               "inodes|IPs|IP addresses|quota)|OOM(?:[- ]?kill(?:ed|er|s)?)?|disk (?:was |is )?"
               "full|no space left|under-?provision\\w*|over-?load(?:ed)?|exhaustion|hit (?:the|"
               "a|its|our|their) (?:\\w+ )?(?:limit|quota|cap|ceiling|max(?:imum)?)|(?:exceeded|"
               "reached) (?:the|a|its|our|their) (?:\\w+ )?(?:limit|quota|capacity|"
               "max(?:imum)?)|thundering herd|insufficient capacity|capacity (?:planning|limits?|"
               "headroom|issue|problem|shortfall)|not enough (?:capacity|memory|disk|nodes|"
               "instances|replicas|workers|headroom)|(?:ran|run|running) out of)\\b"),
    CUE(CAUSE, "\\b(?:traffic|load|request|usage) (?:spike|surge|burst)s?\\b|\\b(?:spike|surge|"
               "burst|flood) (?:in|of) (?:traffic|load|requests|users|launches|sign-?ups)\\b|\\b"
               "(?:unexpected|sudden|unprecedented|record) (?:load|traffic|demand)\\b|\\bhug of "
               "death\\b|\\bwent viral\\b|\\b(?:large|huge|unexpected|unprecedented) "
               "(?:numbers?|volumes?|amounts?) of (?:users|requests|traffic|connections|launches)"),
    CUE(CAUSE, "\\bautoscal\\w*\\b[\\s\\S]{0,30}?\\b(?:did not|didn'?t|failed|too slow|could not|"
               "couldn'?t|not enabled|lagged|maxed)"),
    CUE(ACTION, "\\b(?:increase|raise|add|scale(?: up| out)?|bump|double|provision|grow|"
                "expand)\\b[\\s\\S]{0,30}?\\b(?:capacity|limits?|quotas?|memory|disk|replicas|"
                "nodes|instances|servers|workers|pool size|headroom|shards|partitions|CPU)\\b|"
                "\\b(?:load[- ]test|capacity plan|autoscal)\\w*"),
};
static struct dbf__re capacity_vetoes[] = {
    DBF_RE("(?<!not )(?<!n't )\\b(?:plenty of|sufficient|ample|spare) (?:capacity|headroom|"
           "memory|disk|resources)"),
    DBF_RE("\\bnot (?:a |related to )?capacity\\b|\\bno (?:resource|capacity) (?:exhaustion|"
           "issues?|problems?|constraints?)"),
};

static struct dbf__cue config_cues[] = {
    CUE(BOTH, "\\b(?:mis-?configur\\w*|incorrect(?:ly)? configur\\w*|wrong(?:ly)? configur\\w*|"
              "improperly configur\\w*|bad config\\w*|invalid config\\w*|broken config\\w*|"
              "config(?:uration)? (?:error|drift|mistake|push|change|update|rollout|deploy\\w*|"
              "typo|bug|regression|flag|setting)s?)\\b"),
    CUE(CAUSE, "\\b(?:config(?:uration)?s?|settings?|feature flags?|flags?|parameters?|"
               "env(?:ironment)? var(?:iable)?s?|DNS (?:record|entry|entries|records)|firewall "
               "rules?|security groups?|ACLs?|(?:IAM |access )?polic(?:y|ies)|routing rules?|helm "
               "values|terraform|ingress rules?|timeouts?|thresholds?|TTL|sysctl|kernel "
               "parameters?|YAML)\\b[\\s\\S]{0,40}?\\b(?:(?:was|were|had been|got) (?:\\w+ )?"
               "(?:changed|updated|edited|modified|flipped|toggled|set|lowered|raised|reduced|"
               "increased|removed|deleted|overwritten|enabled|disabled)|change[ds]? (?:to|from)|"
               "set (?:to|too)|typo|wrong|incorrect|invalid|mis-?set|pointed to)"),
    CUE(CAUSE, "\\b(?:changed|updated|modified|edited|flipped|toggled|tweaked|altered|pushed|"
               "applied)\\s+(?:\\w+\\s+){0,3}?(?:config(?:uration)?|settings?|feature flags?|"
               "flags?|timeouts?|thresholds?|limits?|parameters?|DNS records?|firewall rules?|"
               "polic(?:y|ies)|TTL|terraform)\\b"),
    CUE(CAUSE, "\\b(?:change|update|edit|modification|tweak)s? (?:to|of|in) (?:the |a |our |an )?"
               "(?:\\w+ ){0,2}?(?:config(?:uration)?|settings?|feature flags?|flags?|DNS|firewall|"
               "timeouts?|thresholds?|load balancer rules?|routing|polic(?:y|ies)|terraform|"
               "YAML)\\b"),
    CUE(ACTION, "\\b(?:validat\\w*|lint\\w*|review\\w*|check\\w*|test\\w*|schema|dry[- ]run|"
                "diff)\\b[\\s\\S]{0,30}?\\bconfig(?:uration)?s?\\b|\\bconfig(?:uration)?s?\\b"
                "[\\s\\S]{0,30}?\\b(?:validation|linting|review|checks?|tests?|schema|as code)\\b"),
};
static struct dbf__re config_vetoes[] = {
    DBF_RE("\\bno (?:recent )?config(?:uration)? changes?"),
    DBF_RE("\\b(?:not|wasn'?t) (?:\\w+ )?(?:a |related to a )?config(?:uration)? (?:change|issue|"
           "problem)"),
};

static struct dbf__cue rollback_cues[] = {
    CUE(CAUSE, "\\b(?:roll-?backs?|rolling back|roll(?:ed)? back|revert(?:s|ed|ing)?|"
               "downgrad\\w*|back-?out)\\b[\\s\\S]{0,60}?(?:(?<!the )(?<!a )\\bfail(?:ed|s|ure|ing)?"
               "\\b(?! (?:deploy|release|change|version|build|rollout|update|upgrade|commit|"
               "migration))|\\b(?:did not|didn'?t) (?:work|help|succeed|complete|restore|fix|"
               "resolve)|\\bcould not\\b|\\bcouldn'?t\\b|\\bnot possible\\b|\\bimpossible\\b|"
               "\\bmade (?:it|things|the situation) worse|\\b(?:was not|wasn'?t) (?:possible|"
               "available|tested|an option)|\\bunable\\b|\\bincompatible\\b|\\bno effect\\b|"
               "\\bdid nothing\\b|\\bhung\\b|\\bstuck\\b|\\bitself (?:failed|caused))"),
    CUE(CAUSE, "\\b(?:unable|could not|couldn'?t|not able|no way|impossible|not possible|cannot|"
               "can'?t|were not able|was not able) to (?:\\w+ )?(?:roll ?back|revert|downgrade|"
               "back out|undo)"),
    CUE(CAUSE, "\\b(?:no|without(?: a| an| any)?|untested|missing|lack of(?: a)?|never tested "
               "(?:the |our )?|had no) (?:\\w+ )?(?:roll-?back|revert|back-?out|undo|downgrade) "
               "(?:plan|path|procedure|mechanism|option|script|strategy|process|step|runbook)s?"),
    CUE(CAUSE, "\\b(?:irreversible|one-way|not reversible|non-?reversible|backwards?[- ]"
               "incompatible|not backwards?[- ]compatible) (?:\\w+ )?(?:migration|change|schema|"
               "upgrade|update|format)"),
    CUE(ACTION, "\\b(?:test|practi[cs]e|rehearse|exercise|automate|document|add|write|verify|"
                "drill)\\w*\\b[\\s\\S]{0,30}?\\b(?:roll-?backs?|revert|back-?out|downgrade)\\b|\\b"
                "(?:roll-?back|revert) (?:plan|path|procedure|runbook|script|drill|tests?)"),
};
static struct dbf__re rollback_vetoes[] = {
    DBF_RE("\\G(?![\\s\\S]*\\b(?:fail|could not|couldn'?t|unable|not possible|impossible))[\\s\\S]*?\\b"
           "(?:roll-?backs?|revert\\w*|rolled back)\\b[\\s\\S]{0,40}?\\b(?:succeeded|worked|restored|"
           "fixed|resolved|completed successfully|mitigated|recovered)\\b"),
};

static struct dbf__cue peak_cues[] = {
    CUE(CAUSE, "\\b" CHANGE_WORDS "\\b[\\s\\S]{0,60}?\\b(?:during|at|near|over|ahead of) (?:the |our |"
               "a |its )?(?:\\w+ )?" PEAK_WORDS "\\b"),
    CUE(CAUSE, "\\b(?:during|at|near|over|in the middle of) (?:the |our |a |its )?(?:\\w+ )?"
               PEAK_WORDS "\\b[\\s\\S]{0,60}?\\b" CHANGE_WORDS "\\b"),
    CUE(CAUSE, "\\G(?=[\\s\\S]*?\\b" CHANGE_WORDS "\\b)[\\s\\S]*?\\bpeak[- ](?:traffic|hours?|season|"
               "period|time|load|day|window)\\b"),
    CUE(ACTION, "\\b(?:change|code|deploy(?:ment)?|release|production) freezes?\\b|\\b(?:avoid|"
                "no|block|forbid|prevent|restrict|disallow|stop|schedule)\\w*\\b[\\s\\S]{0,30}?\\b"
                "(?:deploy\\w*|changes?|releases?|maintenance|migrations?)\\b[\\s\\S]{0,40}?\\b"
                "(?:peak|busy|busiest|high[- ]traffic|holiday|business hours|off-?peak|"
                "low[- ]traffic|quiet)"),
};
static struct dbf__re peak_vetoes[] = {
    DBF_RE("\\bnot (?:\\w+ )?(?:during|at) (?:the |a )?peak"),
};

#define CATEGORY(id, name, meaning, cues, vetoes)                                                  \
    {id, name, meaning, cues, COUNT(cues), vetoes, COUNT(vetoes)}

struct dbf__builtin_category dbf__builtin_categories[] = {
    CATEGORY("monitoring-gap", "Monitoring gap",
             "there is no framework for deciding what to monitor: alerts are added after each "
             "incident instead of from what users need (SLOs, golden signals per service)",
             monitoring_cues, monitoring_vetoes),
    CATEGORY("test-gap", "Test gap",
             "the testing practice lets failures through: coverage is decided case by case, not "
             "by a rule for what a change must be tested against",
             test_cues, test_vetoes),
    CATEGORY("staging-drift", "Staging differs from production",
             "the staging strategy does not predict production: its data, scale or "
             "configuration differ, so changes that pass there fail in production",
             staging_cues, staging_vetoes),
    CATEGORY("manual-error", "Manual process error",
             "operations rely on human perfection: manual steps with no guard rail, "
             "automation or review will keep failing now and then",
             manual_cues, manual_vetoes),
    CATEGORY("deployment", "Deployment",
             "the deployment pipeline needs investment: changes reach production without "
             "enough gating, canarying or automatic rollback",
             deployment_cues, deployment_vetoes),
    CATEGORY("dependency", "Dependency failure",
             "the system is not resilient to its dependencies: failures upstream become "
             "outages here for want of timeouts, fallbacks or an understanding of the "
             "dependency",
             dependency_cues, dependency_vetoes),
    CATEGORY("capacity", "Capacity",
             "capacity is not planned ahead of demand: limits are found by hitting them, so "
             "capacity planning, load testing and saturation alerts are missing",
             capacity_cues, capacity_vetoes),
    CATEGORY("config-change", "Configuration change",
             "configuration changes are not treated like code: they reach production without "
             "validation, review, staged rollout or a quick way back",
             config_cues, config_vetoes),
    CATEGORY("rollback-failure", "Rollback failure",
             "the way back is not exercised: rollbacks and reverts are untested, so the "
             "safety net fails when it is needed",
             rollback_cues, rollback_vetoes),
    CATEGORY("peak-traffic", "Change during peak traffic",
             "changes are not scheduled around load: there is no change calendar or freeze "
             "for peak periods, so risky work meets the most traffic",
             peak_cues, peak_vetoes),
};
const size_t dbf__builtin_category_count = COUNT(dbf__builtin_categories);

struct dbf__re dbf__generic_vetoes[] = {
    DBF_RE("\\b(?:ruled out|(?:was|were|is|are) not (?:the |a )?(?:cause|factor|related|"
           "involved)|not (?:a )?(?:contributing )?factor|not (?:due to|caused by|because of|"
           "related to|the result of|a result of)|no evidence (?:of|that)|unrelated to|had "
           "nothing to do with|did not contribute|didn'?t contribute)\\b"),
};
const size_t dbf__generic_veto_count = COUNT(dbf__generic_vetoes);

bool dbf__taxonomy_check(char *err, size_t errlen)
{
    for (size_t i = 0; i < dbf__builtin_category_count; i++) {
        struct dbf__builtin_category *c = &dbf__builtin_categories[i];
        for (size_t j = 0; j < c->cue_count; j++)
            if (!dbf__re_check(&c->cues[j].re, err, errlen))
                return false;
        for (size_t j = 0; j < c->veto_count; j++)
            if (!dbf__re_check(&c->vetoes[j], err, errlen))
                return false;
    }
    for (size_t i = 0; i < dbf__generic_veto_count; i++)
        if (!dbf__re_check(&dbf__generic_vetoes[i], err, errlen))
            return false;
    return true;
}
