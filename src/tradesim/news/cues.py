"""Cue lists of the news extractor: words and patterns, no rules (the rules are in
:mod:`tradesim.news.extract`). Lower-case phrases, matched on tokens unless a regular expression."""

from __future__ import annotations

import re


TRIGGERS: dict[str, list[str]] = {
    "tariff": ["tariff", "tariffs", "duty", "duties", "levy", "levies", "counter-tariffs", "import taxes",
               "reciprocal tariff", "reciprocal tariffs", "surtax", "surtaxes", "surcharge", "surcharges",
               "customs duty", "import duty", "import tariff", "import tariffs", "counter-tariff"],
    "anti_dumping": ["anti-dumping", "antidumping", "anti-dumping duties", "anti-dumping duty", "anti-dumping tariffs",
                     "dumping margins", "anti-dumping deposit", "anti-dumping measure", "cash deposits",
                     "pay deposits", "deposits of"],
    "countervailing": ["anti-subsidy", "countervailing duties", "countervailing duty", "anti-subsidy duty",
                       "anti-subsidy duties", "countervailing"],
    "safeguard": ["safeguard tariffs", "safeguard tariff", "safeguard duty", "safeguard duties", "safeguard measures",
                  "safeguard measure", "safeguard action"],
    "import_licensing": ["licensing regime", "import licence", "import licences", "import license",
                         "import licenses", "import licensing", "import permits", "import permit",
                         "import registration", "import approval", "registration requirement",
                         "registration requirements", "mandatory registration"],
    "import_ban": ["ban", "bans", "banned", "banning", "embargo", "import restrictions", "import restriction",
                   "import curbs", "import controls"],
    "export_control": ["export controls", "export control", "export restrictions", "export curbs", "chip curbs",
                       "export control list", "entity list", "trade blacklist", "export quotas", "export quota",
                       "restricted category", "white list", "whitelist", "list of trusted trading partners",
                       # an export duty restricts exports (MAST P): no import tariff
                       "export duty", "export duties", "export tax", "export taxes", "export levy", "export levies",
                       "export tariff", "export tariffs"],
    "export_ban": ["export ban", "export bans"],
    "export_licensing": ["export licences", "export licenses", "export licence", "export license", "licence",
                         "licences", "license", "licenses", "licensing requirement", "export permits",
                         "export permit", "licence requirement", "license requirement", "inspection certificates",
                         "approval", "permits"],
    "quota": ["quota", "quotas"],
    # tariff preferences: ending them raises tariffs, granting them lowers them (see PREFERENCE_END)
    "preference": ["preferential treatment", "preferential trade treatment", "duty-free treatment",
                   "trade preferences", "tariff preferences", "preferential access", "tariff concessions",
                   "preferential tariffs", "preferential tariff", "trade benefits"],
}
#: Verbs that end a tariff preference (a restrictive change) or grant one (a liberalising one).
PREFERENCE_END = {"end", "ends", "ended", "ending", "terminate", "terminated", "terminates", "revoke", "revoked",
                  "revokes", "withdraw", "withdrew", "withdrawn", "withdraws", "strip", "stripped", "strips",
                  "remove", "removed", "removes", "suspend", "suspended", "suspends", "scrap", "scrapped", "cancel",
                  "cancelled", "canceled", "stop", "stopped", "halt", "halted", "lose", "lost", "eliminate",
                  "eliminated"}
PREFERENCE_GRANT = {"grant", "granted", "grants", "restore", "restored", "restores", "reinstated", "extend",
                    "extended", "extends", "offer", "offered", "give", "gave", "given"}
#: Verbs before "imports of"/"exports of" that lift a ban ("will resume imports of seafood").
RESUME_VERBS = {"resume", "resumed", "resumes", "resuming", "reopen", "reopened", "reopens", "reopening"}
#: Verbs that make a measure of the following "imports"/"exports" (restrict exports of ...).
RESTRICT_VERBS = ("banning", "halting", "blocking", "limiting", "curbing", "stopping", "suspending", "prohibit",
                  "prohibits", "prohibited", "prohibiting", "bars", "barring", "restrict", "restricts",
                  "restricted", "restricting", "suspend", "suspends", "suspended", "halt", "halts", "halted",
                  "block", "blocked", "bar", "barred", "limit", "limits", "limited", "curb", "curbs", "curbed",
                  "stop", "stopped", "tighten", "tightened", "ban", "banned", "bans", "cap", "caps", "capped",
                  "capping")
#: Nouns after "tariff" that make it a topic, not a measure ("tariff negotiations").
TOPIC_NOUNS = {"purposes", "purpose", "classification", "treatment", "commission", "committee", "board", "office",
               "agency", "authority", "bill", "act", "law", "code", "negotiator", "negotiators", "chief", "envoy",
               "czar", "official", "officials", "expert", "experts", "hike", "hikes", "rates", "schedule", "-free",
               "free", "negotiations", "talks", "issue", "issues", "war", "wars", "dispute", "friction", "truce",
               "deal", "fight", "threat", "threats", "policy", "battle", "concerns", "row", "tensions",
               "uncertainty", "regime", "revenue", "exemption", "exemptions"}

EVENTS: dict[str, tuple[str, str, list[str]]] = {
    # label: (PLOVER kind, subtype, phrases)
    "request": ("REQUEST", "request", ["urged", "urges", "urging", "called on", "calls on", "pressed", "pressing",
                                       "pressure on", "pressured", "pressuring", "seeking commitments",
                                       "sought commitments", "encouraging", "encouraged", "asked", "demanded", "called for",
                                       "calls for", "calling for",
                                       "demanding", "requested", "press for", "pressing for", "push for",
                                       "pushing for", "lobby for", "lobbying for", "lobbied", "lobbies"]),
    "exemption": ("REQUEST", "exemption", ["seeking an exemption", "sought an exemption", "seeks an exemption",
                                           "seeking exemption", "requested an exemption", "seek an exemption",
                                           "seek exemptions", "seeking exemptions", "seek relief", "seeking relief",
                                           "sought relief", "seeks relief"]),
    "threaten": ("THREATEN", "warning", ["warned", "warns", "warning", "cautioned", "cautions", "threatened",
                                         "threatens", "threatening", "vowed to retaliate", "vowed", "vows",
                                         "fight back", "pledged to retaliate", "take necessary measures",
                                         "take countermeasures", "take resolute countermeasures",
                                         "take firm countermeasures", "would retaliate", "will retaliate",
                                         "respond in kind"]),
    "visit": ("CONSULT", "visit", ["visit", "visits", "travel to", "will travel", "delegation", "arrived in",
                                   "landed in", "travelled to", "traveled to", "flew to", "trip to", "visiting",
                                   "visited"]),
    "host": ("CONSULT", "visit", ["hosted", "hosts", "hosting", "welcomed", "welcomes"]),  # the guest visits
    "letter": ("CONSULT", "letter", ["letter", "personal letter"]),
    "talks": ("CONSULT", "talks", ["talks", "negotiations", "consultations", "met with", "met", "meet", "meeting",
                                   "meetings",
                                   "phone call", "discuss"]),
    "wto": ("CONSULT", "WTO dispute", ["wto case", "wto complaint", "complaint with the world trade organization",
                                      "complaint with the wto", "case at the wto", "case with the wto",
                                      "dispute settlement"]),
    "investigate": ("INVESTIGATE", "investigation", ["investigation", "probe", "inquiry", "anti-dumping probe",
                                                     "anti-dumping investigation", "anti-subsidy investigation",
                                                     "investigating", "investigate", "probing"]),
    "agree": ("AGREE", "agreement", ["reached an understanding", "agreement", "agreed", "deal", "truce",
                                     "joint statement"]),
}

NEGATION = {"not", "n't", "never", "no", "denied", "deny", "denies", "ruled", "without"}
HYPOTHETICAL = {"could", "might", "may", "if", "speculated", "speculation", "rumoured", "rumored", "rumour",
                 "rumor", "considering", "mulling", "weighing", "fears", "possible", "potential", "argue",
                 "argues", "reportedly", "would", "studying", "exploring", "examining", "weighs", "mulls",
                 "considers", "eyeing", "contemplating", "mooted", "floated", "proposal", "proposed", "fear",
                 "feared", "fearing", "worried", "worry", "worries", "towards", "toward", "hopes", "hope",
                 "hoping", "ready", "expected", "likely", "whether", "thinking", "think", "decide", "familiar",
                 "sources", "preparing", "prepares", "probably"}
REPORTING = {"said", "says", "announced", "told", "stated", "confirmed"}
FUTURE = {"will", "plans", "planned", "set", "intends", "'ll", "poised"}
LIFT = {"dropped", "drops", "scrap", "scraps", "abolished", "abolish", "withdrew", "withdrawn", "rescinded",
        "revoked", "revoke", "lift", "lifted", "lifts", "lifting", "removed", "remove", "scrapped", "ended", "end",
        "eased", "resumed", "resume", "resumes", "resuming", "reopen", "reopened", "reopens", "reopening"}
CUT = {"cut", "cuts", "lowered", "lower", "reduced", "reduce", "reduces", "lowering"}
SUSPEND = {"suspend", "suspended", "suspends", "paused", "pause", "postponed", "delayed"}
IN_FORCE = {"imposed", "imposes", "imposing", "took", "effect", "force", "continued", "continuing", "implemented",
             "collecting", "raised", "raises", "applied", "applies", "banned", "halted", "hit", "slapped",
             "added", "adds", "placed", "tightened", "place", "since", "continues", "suspended"}
ANNOUNCE = {"announced", "announces", "unveiled", "said", "would", "will", "plans", "readied", "readies", "drew"}
PREP_AFFECTED = {"on", "against", "from", "to", "targeting", "toward", "towards", "for"}
PREP_IMPLEMENTER = {"by", "into"}
GOODS_WORDS = {"company", "firm", "chipmaker", "chipmakers", "maker", "makers", "automaker", "automakers",
               "winemakers", "farmers", "growers", "manufacturers", "steelmakers", "suppliers", "processors",
               "goods", "products", "imports", "exports", "import", "export", "shipments", "companies", "firms",
                "producers", "exporters", "items", "prefectures", "brands", "steel", "cars", "autos"}

MONTHS = ("January|February|March|April|May|June|July|August|September|October|November|December|"
           "Jan\\.|Feb\\.|Aug\\.|Sept\\.|Sep\\.|Oct\\.|Nov\\.|Dec\\.")
WEEKDAYS = "Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday"
DATE_RE = re.compile(
    rf"\b(?:(?P<d1>\d{{1,2}})\s+)?(?P<month>{MONTHS})(?:\s+(?P<d2>\d{{1,2}})(?:st|nd|rd|th)?)?(?:,?\s+(?P<y1>(?:19|20)\d{{2}}))?\b"
    rf"|\b(?:earlier |later )?(?:this|last|next) (?P<rel>week|month|year)\b"
    rf"|\b(?P<wd>{WEEKDAYS})\b"
    rf"|\b(?P<yd>yesterday|today)\b"
    rf"|\b(?:in|since|by|from|until|of|early|late|mid-?)\s+(?P<y2>(?:19|20)\d{{2}})\b")
PCT_RE = re.compile(r"(?P<num>\d+(?:\.\d+)?)\s*(?:%|percent\b|per cent\b)")
FROM_TO_RE = re.compile(r"from\s+(?P<a>\d+(?:\.\d+)?)\s*(?:%|percent|per cent)\s+to\s+(?P<b>\d+(?:\.\d+)?)\s*"
                         r"(?:%|percent|per cent)")
HS_RE = re.compile(r"\bHS\s*(?:code|heading|chapter|subheading)?\s*(?P<code>\d{4}\.\d{2}|\d{2,6})\b")
SHARE_RE = re.compile(r"(?:accounts? for|accounting for|makes? up|making up|represents?)\s+(?:approximately\s+|about\s+|"
                       r"around\s+|roughly\s+|nearly\s+|almost\s+|some\s+|over\s+|more than\s+)?"
                       r"(?P<num>\d+(?:\.\d+)?)\s*(?:%|percent|per cent)\s+of\s+(?P<whose>[^.,;]{0,40}?)"
                       r"\b(?P<what>trade|exports|imports)\b")



#: Lower-case phrases the HS terms would take for products but news does not mean as goods.
NOT_PRODUCTS = {"trade", "market", "bill", "cell", "tablet", "press", "power", "plant", "plants", "table", "letter",
                "letters",
                "service", "capital", "security", "interest", "record", "range", "face", "water", "chemicals",
                "china", "turkey", "jersey", "guinea", "chile", "java", "end", "short", "lid", "journal", "metal",
                "metals", "wax", "drinks", "list", "lists", "floor", "round", "step", "move", "rule", "rules",
                "deal", "charge", "house", "bay", "spring", "fall", "cap", "level", "levels", "mineral"}

#: Words before a trigger that make it the object of an investigation, a complaint or an avoidance, not a
#: measure taken ("an anti-dumping probe into", "to avoid U.S. duties", "to review China's duties").
INVESTIGATION = {"investigation", "investigations", "probe", "probes", "inquiry", "inquiries", "investigate",
                 "investigating", "review", "reviews", "reviewing", "petition", "petitions", "petitioned", "petitioning",
                 "hearing", "hearings", "complaint", "complaints"}
MENTION_VERBS = {"avoid", "avoiding", "evade", "evading", "circumvent", "circumventing", "review", "challenge",
                 "challenging", "diverting", "dodge", "escape", "spare", "hurt", "hit by", "exempt", "keeping",
                 "retaining", "leaving", "breaching", "breached", "violating", "violated", "violate", "breach",
                 "strained", "battered", "roiled", "rattled", "weighed", "complaint", "complaints"}
#: Words before a trigger that make it the cause of an effect or the object of a relief sought ("the hit from
#: Washington's levy", "seeking relief from U.S. steel tariffs"), not a measure taken.
EFFECT_BEFORE_RE = re.compile(r"\b(hit|impact|cost|blow|fallout|effect|effects|damage|toll|pain|burden|evidence|lessons|"
                              r"experience) (from|of)\b|\b(hit|hurt|battered|affected|squeezed|stung) (hard |badly )?by\b")
RELIEF_BEFORE_RE = re.compile(r"\b(relief|reprieve|exemptions?|waivers?|exclusions?) from\b")
#: Verbs after a sentence-opening trigger that make the sentence a statement about measures in general
#: ("Tariffs are a tax paid by importers").
GENERIC_AFTER = {"are", "is", "remain", "were"}
#: Verbs before "from selling/exporting ..." that bar a state's own firms: an export control ("banned American
#: companies from selling components to ZTE").
SELLING = {"selling", "exporting", "supplying", "shipping", "providing"}
#: Past verbs that make a measure taken, whatever condition a later part of the sentence states ("imposed
#: duties of 11.8%, which will rise ... unless").
TAKEN = {"imposed", "slapped", "introduced", "levied", "enacted", "raised", "signed"}
#: Words after two remedies that give their sum, one measure ("anti-dumping and anti-subsidy duties totalling 80.5%").
COMBINED = {"totalling", "totaling", "combined", "together"}
#: Phrases that open a stated reason: a trigger inside one (up to the next comma) is the cause, not the measure.
REASON_OPENERS = ("retaliated against", "retaliates against", "retaliated for", "retaliate against", "retaliate for",
                  "response to", "penalty for",
                  "punishment for", "on top of", "in response to", "in retaliation for", "in retaliation against",
                  "retaliating against", "hitting back at", "hit back at", "in reply to", "answering", "to avoid",
                  "linked to", "as a result of", "because of", "due to", "in protest at", "in protest against",
                  "after", "over", "despite", "in spite of", " amid ", "answer to", "riposte to", "saying",
                  "citing", "accusing", "alleging", "follows", "following", "comes after", "came after",
                  "in the wake of")
#: A condition or a threat in the sentence (or the next one) makes a mentioned measure hypothetical.
CONDITION = {"unless", "otherwise", "if"}
THREAT_VERBS = {"threatened", "threatens", "threatening", "threaten", "pledged", "pledges", "vowed", "vows",
                "warned", "warns", "recommending", "recommended", "proposed", "proposes", "coming", "demanded"}
#: Words that make a trigger's sentence an opinion, an estimate or market commentary.
OPINION = {"argued", "argue", "argues", "contend", "contends", "poll", "economists", "economist", "analysts",
           "analyst", "study", "ruled", "panel", "researchers", "critics"}

#: Instruments read as import tariffs (rates, lists of goods, one family when matching mentions).
TARIFF_LIKE = {"tariff", "anti_dumping", "countervailing", "safeguard"}

#: Verbs on a country and a "white list" of trusted partners: removal tightens export controls, restoring lifts.
WHITELIST_REMOVE = {"removed", "removes", "removing", "remove", "dropped", "struck", "downgraded", "excluded", "removal",
                    "exclusion", "downgrading"}
WHITELIST_RESTORE = {"restored", "restores", "restoring", "returned", "reinstated", "readmitted"}

#: Words that refer to another state's measure ("aligning itself with U.S. curbs on China"): what follows
#: is that measure, not the one in the sentence.
REFERENCE_VERBS = {"aligning", "aligned", "mirroring", "mirrored", "echoing", "joining", "emulating", "replaces",
                   "replacing", "replaced", "opposes", "opposed", "oppose", "condemned", "condemns", "criticised",
                   "criticized", "criticises", "criticizes", "slammed", "denounced", "protested"}
#: Words after a trigger that make the sentence a scope limit of a measure, not a measure.
SCOPE_AFTER = ("do not apply", "does not apply", "will not apply", "won't apply", "would not apply", "are exempt",
               "is exempt", "will be exempt", "exempted", "are excluded", "will exclude", "spared",
               "exclude ", "excludes ", "do not cover", "does not cover", "will not cover", "stay in place",
               "stays in place", "remain in place", "remains in place", "remain in force", "remains in force",
               "remain in effect", "remains in effect", "stay in effect", "stays in effect")
#: Participles before "in X" that make X the goods' origin ("goods originating in Vietnam").
ORIGIN_VERBS = {"originating", "made", "produced", "manufactured", "grown", "built", "assembled", "caught",
                "mined", "sourced"}

#: Nouns after a product word that make it a modifier of firms or markets ("meat processors", "chip industry").
NOT_GOODS_HEADS = {"processors", "processor", "producers", "producer", "makers", "maker", "companies", "company",
                   "firms", "firm", "industry", "industries", "sector", "prices", "price", "market", "markets",
                   "plant", "plants", "futures", "stocks", "shares", "farmers", "growers", "workers", "giant",
                   "software", "services", "technology", "technologies", "data", "apps", "app", "sector's",
                   "residues", "residue"}
#: Verbs opening a purpose clause after a measure ("..., to cut reliance on China"): its countries are not the
#: measure's.
PURPOSE_VERBS = {"cut", "reduce", "curb", "protect", "stem", "shield", "counter", "fight", "ease", "calm", "tame",
                 "avoid", "support", "boost", "help", "keep", "ensure", "safeguard", "push", "encourage", "promote"}
#: Words after which a product is what a thing is used for, not what the measure covers.
USE_OPENERS = {"used", "applications", "uses"}

#: Words before an agreement cue that make it an agreement sought or described, not one reached.
AGREE_NOT = {"toward", "towards", "closer", "on", "for", "negotiations", "negotiate", "negotiating", "signing",
             "seek", "seeking", "pursue", "period", "wind-down", "under", "of", "without", "no", "from", "withdrew",
             "quit", "exited", "scrapped", "any", "such", "fragile", "threatens", "threatened"}
#: Words before an investigation cue that close or halt it ("end its investigation"): no investigation opened.
INVESTIGATION_CLOSED = {"end", "ended", "ending", "ends", "close", "closed", "closing", "terminate", "terminated",
                        "concluded", "conclude", "suspended", "suspend", "drop", "dropped"}
#: Words after a request cue that make it no request between states ("called for calm", "asked not to be named").
REQUEST_NOT_AFTER = {"calm", "restraint", "ahead", "not", "patience"}
#: Words that make the parties of talks or an agreement both sides, with no single actor.
JOINT = {"both", "two"}

#: Words before a trigger that make it the topic of talks ("consultations on the export curbs").
TALKS_WORDS = {"talks", "consultations", "negotiations", "dispute", "discussions", "discuss", "discussed", "row",
               "spat", "feud"}
#: Spellings the news uses beside the nomenclature's: a term with the left word is also found with the right one.
SPELLINGS = {"aluminium": "aluminum", "fertilizer": "fertiliser", "sulphur": "sulfur", "fibre": "fiber",
             "tyre": "tire", "jewellery": "jewelry", "colour": "color", "mould": "mold", "moulded": "molded"}
#: Words before a single product word that make it a unit of measure ("$60 a barrel", "per tonne").
UNIT_BEFORE = {"per", "a", "each", "every"}
#: Words after a measure where a stated reason or comment begins: its products are not the measure's.
REASON_AFTER = {"saying", "accusing", "arguing", "alleging", "claiming", "hitting", "retaliating", "amid", "following"}
#: Words before "to X" that make X the destination of goods: an import measure there is X's.
SENT_TO = {"exported", "exports", "export", "shipped", "shipments", "sold", "sales", "sent"}
#: Words around "quota" that make it part of a tariff measure or a topic ("tariff-rate quotas above which a 25%
#: duty applies", "quota deals"), not a quota of its own.
QUOTA_PART_BEFORE = {"tariff-rate", "rate", "trq", "trqs"}
QUOTA_PART_AFTER = {"deals", "deal", "agreements", "agreement", "arrangements", "system", "above", "beyond"}
#: Title-case words after "X's" that name X's government, not a firm of X ("China's Commerce Ministry").
OFFICE_WORDS = {"ministry", "commerce", "foreign", "trade", "customs", "state", "cabinet", "government", "finance",
                "economy", "president", "prime", "premier", "parliament", "congress", "central", "national",
                "department", "general", "top", "chief", "new", "first", "largest", "biggest"}
#: Nouns of an agreement: "under a trade deal announced by X" names the deal's parties, not the measure's.
DEAL_WORDS = {"deal", "agreement", "pact", "accord", "arrangement", "framework"}
#: Verbs after a single product word that make it the subject of a report ("the letters said"), not goods.
SAID = {"said", "says", "showed", "show", "shows", "stated", "read", "reads"}
#: Verbs after a country that make it the one a measure hits ("Switzerland faces a 39% tariff").
FACE = {"faces", "face", "faced", "facing"}
#: Words after a measure that open a scope limit or a contrast: its goods are not the measure's ("though copper
#: ore was exempt").
SCOPE_OPENERS = {"though", "although", "except", "excluding", "but"}
#: Determiners that make a bare measure word in the next sentence a mention of the last measure ("The ban aims").
DEFINITE = {"the", "this", "that", "these", "those", "such"}
#: Nouns after "export"/"import" that make it part of a measure's name ("export controls"), not a verb's object.
MEASURE_NOUNS = {"controls", "control", "curbs", "ban", "bans", "duty", "duties", "licences", "licenses", "licence",
                 "license", "rules", "restrictions", "quotas", "quota", "permits", "taxes", "tax", "levy", "tariffs",
                 "tariff", "licensing", "regime", "registration", "approval"}
#: Words just before a trigger that make it any measure that may come, not one taken ("to any U.S. tariffs").
ANY = {"any", "possible", "potential", "future"}
#: Nouns before a trigger that make it proposed, not taken ("introduced a bill to ban imports"), unless passed.
PROPOSAL = {"bill", "proposal", "draft", "legislation", "motion", "amendment"}
ENACTED = {"signed", "passed", "approved", "enacted", "adopted"}
#: Words before a country that make it the addressee of a letter or notice: the country a measure hits.
ADDRESSEE = {"informing", "informed", "informs", "telling", "told", "tells", "notifying", "notified", "notifies"}
#: Passive verbs after a country (and "will be"/"would be") that make it the one a measure hits.
HIT_PASSIVE = {"charged", "hit", "subject", "taxed", "levied"}
#: Chemical words after an element that name its compound, chapter 28 ("titanium dioxide", "lithium carbonate").
SALT_WORDS = {"oxide", "oxides", "dioxide", "hydroxide", "hydroxides", "chloride", "chlorides", "sulphate",
              "sulfate", "sulphates", "sulfates", "carbonate", "carbonates", "nitrate", "nitrates", "fluoride",
              "fluorides", "silicate", "silicates", "trioxide", "sulphide", "sulfide"}
#: Forms of "to be" before a ban verb that make it passive ("will be barred from Russia": Russia bars).
BE = {"be", "been", "are", "is", "were", "was", "being"}
#: A ruling that a remedy authority makes about dumping or subsidies is its measure, not an opinion.
REMEDY_RULING = re.compile(r"\b(dumped|dumping|subsidi[sz]ed|subsidies|injury)\b")
#: Words after a country (or its goods) that make it the importing side ("Chinese soybean buyers must pay").
IMPORTER_WORDS = {"buyers", "importers", "consumers", "crushers", "customs"}
