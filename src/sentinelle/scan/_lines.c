/*
 * sentinelle.scan._lines — the fast path's line walker (issue 7).
 *
 * One pass over a block of log lines (the block ends with a newline): it counts the lines,
 * checks each against the format's *usual* structure (a chain of character-class runs compiled
 * from the same Python description as the portable path's hyperscan complement pattern, see
 * sentinelle/scan/native.py), and copies the host name of every usual line into a compact
 * buffer (".host.\n" per line; ".a. .b.\n" when two elements may be the host, as a URL's
 * scheme and host: which one is depends on the method) on which the catalog prefilter runs.
 * It also keeps the earliest and latest time keys of the usual lines (a local time's with one
 * UTC offset: see local_key).
 *
 * The program is an int32 array of operations:
 *   ELEM   0 cls first min max role   a run of class `cls` (after a first byte of class `first`
 *                                     if >= 0), min..max long with it (max < 0: unbounded); role
 *                                     1 (HOST_ELEM): its span may be the line's host name,
 *                                     2 (ZONE): it is the line's UTC offset, 3 (KEY): the
 *                                     line's time key starts with it (a walk with key_at -1),
 *                                     4 (ADDR): a client's address (see client_address),
 *                                     5 (MARK): a usual line that passes it is counted apart
 *                                     (a FortiGate DNS filter record: its event is a query),
 *                                     6 (PAIRS): the rest of the line is `key=value` pairs,
 *                                     none of whose keys the parser reads but as the rules
 *                                     say (see free_pairs; or Check Point's `[key:"value"; ...]`,
 *                                     see colon_pairs, or a JSON object, see json_pairs, a time
 *                                     key among them); the host key's
 *                                     value is the line's host name; a usual line that passes
 *                                     it without one is an event without a host name (a
 *                                     FortiGate traffic record),
 *                                     7 (SKIP): a usual line that passes it is one the parser
 *                                     skips (no event, its time unread: FortiGate's DNS filter
 *                                     queries, logged again as responses),
 *                                     8 (COLUMNS): the rest of the line is CSV columns, the
 *                                     first of which whose 11th byte is 'T' is the line's time
 *                                     key and UTC offset (see free_columns; PAN-OS' trailing
 *                                     columns); a usual line that passes it without a host
 *                                     name is an event without one (a PAN-OS traffic record)
 *                                     9 (IP): an address the parser requires (ELFF's
 *                                     c-ip): a dotted IPv4 address or a whole IPv6 one
 *                                     (see strict_address); else the line is parsed,
 *                                     10 (LABELS): a DNS name written as length-prefixed
 *                                     labels (Windows DNS's `(7)chatgpt(3)com(0)`): its
 *                                     decoded name is the line's host name (see put_labels)
 *   BRANCH 1 n optional (cls pc)*n end   pick the alternative whose first class holds the byte
 *   JUMP   2 pc
 *   END    3 tail                     the line ends (\r* \n) or a byte of `tail` starts free text
 * Classes are 256-byte tables (1 = member), concatenated.  A host name longer than 253 bytes,
 * ending with '-' (trailing dots aside), holding "..", or equal to one of the program's reserved
 * words (Squid's "error:" pseudo-URLs) makes the line go through the parser like an unusual one;
 * so does, when the walk says so (dotted), one without a dot or whose last label has no letter.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <stdint.h>
#include <string.h>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

enum { OP_ELEM = 0, OP_BRANCH = 1, OP_JUMP = 2, OP_END = 3 };
enum { K_UNUSUAL = 1, K_HOST = 2 };
enum {
    HOST_ELEM = 1,
    ZONE = 2,
    KEY = 3,
    ADDR = 4,
    MARK = 5,
    PAIRS = 6,
    SKIP = 7,
    COLUMNS = 8,
    IP = 9,
    LABELS = 10
};
/* (an element's role: op[5]) */
/* op[5] of an element marked PAIRS: PAIRS | set << ROLE_BITS, its rules' set */
#define ROLE_BITS 4 /* native.ROLE_BITS */
#define ROLE(op5) ((op5) & ((1 << ROLE_BITS) - 1))
#define MAX_PAIR_SETS 4   /* native.MAX_PAIR_SETS */
#define MAX_PAIR_RULES 32 /* native.MAX_PAIR_RULES */
#define MAX_COLUMN_RULES 64 /* native.MAX_COLUMN_RULES */
#define MAX_VALUE 4000 /* colon_pairs' longest value */
#define CSV_FIELD_LIMIT 131072 /* formats._usual.CSV_FIELD_LIMIT: csv refuses longer fields */
/* the form of a checked time key (see local_key): local with an offset elsewhere, or UTC, or
 * local without an offset (the scanner checks the block's hours, see native.NAIVE_FORMS) */
enum {
    LOCAL_ISO = 1,
    LOCAL_CLF = 2,
    UTC_ISO = 3,
    NAIVE_ASCTIME = 4,
    NAIVE_DMY = 5,
    NAIVE_MDY = 6,
    NAIVE_SYSLOG = 7,
    NAIVE_DMY12 = 8,
    NAIVE_MDY12 = 9
};
/* a key form ordered by its number (key_order), not as text */
#define BY_ORDER(form) ((form) == LOCAL_CLF || (form) >= NAIVE_ASCTIME)
#define NAIVE(form) ((form) >= NAIVE_ASCTIME)
#define MAX_HOST 253
#define SHORT_MAX 32 /* a run this long at most is short (SHORT_RUN), as native.SHORT_MAX */

/* the classes of a program whose runs the AVX2 walk reads by vectors (a program of more walks
 * byte by byte): the generated programs have up to 71 (LEEF's, behind its syslog headers) */
#define MAX_TABLES 128

typedef struct {
    const int32_t *prog;
    Py_ssize_t prog_len;
    const uint8_t *tables;
    Py_ssize_t n_tables;
    const uint8_t *reserved; /* words separated by '\n', each ending with one */
    Py_ssize_t reserved_len;
    uint64_t reserved_lengths; /* bit n: a reserved word is n bytes long (63: 63 or more) */
    int dotted; /* a host name holds a dot and its last label a letter (Stormshield's dstname) */
    int hostless; /* a usual line names no host: an event without one (Zeek's conn.log) */
    int skip_timed; /* a skipped line's time key is checked (a syslog header's: dnsmasq's) */
    const uint8_t *zones; /* the names a zone may be written as, each ending with '\n' (Sophos'
                           * "CEST"); none: a zone is +HHMM or -HHMM */
    Py_ssize_t zones_len;
    /* the rules of each set of PAIRS runs (an element's set: its role's high bits), the keys
     * each ending with '\n': a key that may not be there; after '#', one whose value must be
     * digits; after '@', the one whose quoted value is the line's host name; after '/', one
     * whose value must be empty or a path (see free_pairs); and for each first byte, the
     * lengths (bit n) of the keys that start with it */
    const uint8_t *pairs[MAX_PAIR_SETS];
    Py_ssize_t pairs_len[MAX_PAIR_SETS];
    int pair_sets;
    uint32_t pair_lengths[MAX_PAIR_SETS][256];
    /* each set's rules (at most MAX_PAIR_RULES), and for each value of pair_hash the rules
     * (bit i) whose key has it */
    struct {
        const uint8_t *key;
        uint8_t len, kind;
        /* PAIR_WORDS: the words its value may be, each followed by '|' */
        const uint8_t *words;
        Py_ssize_t words_len;
    } pair_rules[MAX_PAIR_SETS][MAX_PAIR_RULES];
    uint32_t rules_by_hash[MAX_PAIR_SETS][256];
    /* a set read by a COLUMNS run (its keys column numbers, see free_columns): each column's
     * rule (the first MAX_COLUMN_RULES), the first column that may hold the time, and how many
     * columns the rules need at least */
    uint8_t column_rule[MAX_PAIR_SETS][MAX_COLUMN_RULES];
    /* a set of PAIRS rules whose pairs are ``[key:"value"; ...]`` (see colon_pairs), and
     * whether it names a key that must be there (PAIR_NEEDED) */
    uint8_t colon[MAX_PAIR_SETS], needs[MAX_PAIR_SETS];
    /* a set of PAIRS rules whose pairs are a JSON object's (see json_pairs): 1 + the number of
     * objects it closes after its own (0: not JSON); whether its keys' rules are the keys as
     * written (else their lowercase's); the rules it names (JSON_URL... bits: each needed) */
    uint8_t json[MAX_PAIR_SETS], json_exact[MAX_PAIR_SETS], json_names[MAX_PAIR_SETS];
    /* whether the next set is read where this one fails (alternatives of one element), and
     * whether the lines a set reads are DNS queries (counted apart, as a MARK element's) */
    uint8_t pair_next[MAX_PAIR_SETS], pair_dns[MAX_PAIR_SETS];
    /* the set's PAIR_WORDS rule, whose key a usual line must have (its index + 1; 0: none) */
    uint8_t pair_words[MAX_PAIR_SETS];
    Py_ssize_t key_len; /* the walk's key length (a JSON time value is that long) */
    int utc_z;          /* a UTC key's JSON time value: its key_len bytes, then its 'Z' */
    int time_from[MAX_PAIR_SETS], min_columns[MAX_PAIR_SETS];
    /* for the vector runs: per class, a bit mask of the high nibbles 0-7 for each low nibble
     * (twice, one per 128-bit lane), and whether bytes >= 0x80 belong to it */
    uint8_t nibbles[MAX_TABLES][32];
    uint8_t high[MAX_TABLES];
    /* for AVX-512: for each ASCII byte, the classes 8g..8g+7 that hold it (bit t - 8g), and
     * those that hold the bytes >= 0x80 */
    uint8_t classes[2][128];
    uint8_t high_classes[2];
} Program;

static void prepare(Program *pr)
{
    for (Py_ssize_t t = 0; t < pr->n_tables && t < MAX_TABLES; t++) {
        const uint8_t *cls = pr->tables + 256 * t;
        memset(pr->nibbles[t], 0, 32);
        for (int c = 0; c < 128; c++)
            if (cls[c]) {
                pr->nibbles[t][c & 15] |= (uint8_t)(1u << (c >> 4));
                pr->nibbles[t][16 + (c & 15)] |= (uint8_t)(1u << (c >> 4));
            }
        /* the vector run treats bytes >= 0x80 as one class: all in or all out */
        pr->high[t] = cls[0x80];
    }
    memset(pr->classes, 0, sizeof pr->classes);
    memset(pr->high_classes, 0, sizeof pr->high_classes);
    for (Py_ssize_t t = 0; t < pr->n_tables && t < 16; t++) {
        for (int c = 0; c < 128; c++)
            if (pr->tables[256 * t + c])
                pr->classes[t / 8][c] |= (uint8_t)(1u << (t % 8));
        if (pr->tables[256 * t + 0x80])
            pr->high_classes[t / 8] |= (uint8_t)(1u << (t % 8));
    }
}

static int uniform_high(const Program *pr)
{
    for (Py_ssize_t t = 0; t < pr->n_tables; t++)
        for (int c = 0x81; c < 256; c++)
            if (pr->tables[256 * t + c] != pr->tables[256 * t + 0x80])
                return 0;
    return pr->n_tables <= MAX_TABLES;
}

/* A host span the fast path cannot take as is (see the module comment). */
/* Whether h..e is one of the words of `words` (each followed by a newline). */
static int listed(const uint8_t *words, Py_ssize_t len, const uint8_t *h, const uint8_t *e)
{
    for (const uint8_t *w = words, *stop = w + len; w < stop;) {
        const uint8_t *nl = memchr(w, '\n', (size_t)(stop - w));
        if (!nl)
            break;
        if (nl - w == e - h && memcmp(w, h, (size_t)(e - h)) == 0)
            return 1;
        w = nl + 1;
    }
    return 0;
}

/* Whether h..t holds "..": eight bytes at a time, each load overlapping the one before by a
 * byte (so a pair across two loads is within one), the last one ending at t; shorter spans byte
 * by byte.  Bit 7 of byte i of `dots` is set exactly when byte i is '.' (no carry crosses bytes:
 * each byte adds at most 0xfe). */
static inline int dot_pair8(const uint8_t *d)
{
    const uint64_t low7 = 0x7f7f7f7f7f7f7f7full;
    uint64_t v;
    memcpy(&v, d, 8);
    v ^= 0x2e2e2e2e2e2e2e2eull; /* '.' bytes become zero */
    uint64_t dots = ~(((v & low7) + low7) | v | low7);
    return (dots & (dots >> 8)) != 0;
}

static inline int has_dot_pair(const uint8_t *h, const uint8_t *t)
{
    if (t - h < 8) {
        for (const uint8_t *d = h; d + 1 < t; d++)
            if (d[0] == '.' && d[1] == '.')
                return 1;
        return 0;
    }
    const uint8_t *d = h;
    for (; t - d > 8; d += 7)
        if (dot_pair8(d))
            return 1;
    return dot_pair8(t - 8);
}

static inline int bad_host(const Program *pr, const uint8_t *h, const uint8_t *e)
{
    const uint8_t *t = e;
    while (t > h && t[-1] == '.')
        t--;
    if (e - h > MAX_HOST || (t > h && t[-1] == '-'))
        return 1;
    if (has_dot_pair(h, t)) /* "a..b" is no host name to the key=value formats */
        return 1;
    if (pr->dotted) { /* else a firewall's object name ("Firewall_out"), or an address */
        const uint8_t *label = t;
        while (label > h && label[-1] != '.')
            label--;
        if (label == h)
            return 1;
        int letter = 0;
        for (const uint8_t *q = label; q < t; q++)
            letter |= (*q | 32) >= 'a' && (*q | 32) <= 'z';
        if (!letter)
            return 1;
    }
    /* a reserved word, maybe with trailing dots ("none." is no value to the parsers either) */
    if (!((pr->reserved_lengths >> (t - h < 63 ? t - h : 63)) & 1))
        return 0; /* no reserved word is that long */
    return listed(pr->reserved, pr->reserved_len, h, t);
}

/* A client field that the parser reads as an address, or else as a host name (Squid's
 * combined %>a): a span without a colon is the profile's to vouch for (its class and first
 * byte make it an IPv4 address or a host name to the parser), up to 253 bytes; a span with one
 * must be a whole IPv6 address: groups of 1-4 hex digits, eight of them, or fewer around one
 * "::" (no IPv4 tail, no zone).  0: the line is for the parser, which accepts or rejects it. */
static int client_address(const uint8_t *a, const uint8_t *b)
{
    const Py_ssize_t n = b - a;
    if (n > MAX_HOST)
        return 0;
    if (!memchr(a, ':', (size_t)n))
        return 1;
    int groups = 0, gap = 0;
    const uint8_t *p = a;
    if (n >= 2 && a[0] == ':' && a[1] == ':') {
        gap = 1;
        p += 2;
    } else if (n && a[0] == ':') {
        return 0;
    }
    while (p < b) {
        int digits = 0;
        while (p < b && digits < 5 &&
               ((*p >= '0' && *p <= '9') || ((*p | 32) >= 'a' && (*p | 32) <= 'f'))) {
            p++;
            digits++;
        }
        if (digits < 1 || digits > 4)
            return 0;
        groups++;
        if (p == b)
            break;
        if (*p != ':')
            return 0;
        p++;
        if (p < b && *p == ':') {
            if (gap)
                return 0;
            gap = 1;
            p++;
        } else if (p == b) {
            return 0; /* a single colon at the end */
        }
    }
    return gap ? groups <= 7 : groups == 8;
}

/* An address the parser requires (ELFF's c-ip, read by canonical_ip or rejected): a dotted
 * IPv4 address, four groups of digits 0-255 without a leading zero; or, with a colon, a whole
 * IPv6 address as client_address takes one.  0: the line is for the parser. */
static int strict_address(const uint8_t *a, const uint8_t *b)
{
    if (memchr(a, ':', (size_t)(b - a)))
        return client_address(a, b);
    int groups = 0;
    const uint8_t *p = a;
    while (p < b) {
        const uint8_t *g = p;
        int value = 0;
        while (p < b && p - g < 4 && *p >= '0' && *p <= '9')
            value = value * 10 + (*p++ - '0');
        if (p == g || p - g > 3 || value > 255 || (p - g > 1 && *g == '0'))
            return 0;
        if (++groups == 4)
            return p == b;
        if (p == b || *p != '.')
            return 0;
        p++;
    }
    return 0;
}

/* What the rules of a PAIRS run say of a key (see free_pairs). */
enum {
    PAIR_FREE,
    PAIR_FORBIDDEN,
    PAIR_DIGITS,
    PAIR_HOST,
    PAIR_PATH,
    PAIR_TIME,
    PAIR_URL,
    PAIR_NEEDED,
    PAIR_BESIDE_URL,
    PAIR_NAME,
    PAIR_EPOCH,
    PAIR_REQUIRED,
    PAIR_BARE_HOST,
    PAIR_WORDS,
    PAIR_MILLIS
};

/* A key's bucket among a set's rules: its first and last bytes and its length (the keys of one
 * log's pairs seldom share one with a rule: "srcport" and "subtype" do not). */
static inline unsigned pair_hash(const uint8_t *k, Py_ssize_t n)
{
    return (unsigned)(k[0] * 31u + k[n - 1] * 7u + (unsigned)n) & 255u;
}

/* The index of the rule of key [k, k + n) in the program's rules set `set`, or -1 (none). */
static inline int pair_rule_at(const Program *pr, int set, const uint8_t *k, Py_ssize_t n)
{
    if (n > 31 || !((pr->pair_lengths[set][*k] >> n) & 1))
        return -1;
    for (uint32_t m = pr->rules_by_hash[set][pair_hash(k, n)]; m; m &= m - 1) {
        const int i = __builtin_ctz(m);
        const uint8_t *r = pr->pair_rules[set][i].key;
        if (pr->pair_rules[set][i].len != n)
            continue;
        Py_ssize_t j = 0;
        while (j < n && r[j] == k[j])
            j++;
        if (j == n)
            return i;
    }
    return -1;
}

/* The rule of key [k, k + n) in the program's rules set `set` (PAIR_FREE: none). */
static inline int pair_rule(const Program *pr, int set, const uint8_t *k, Py_ssize_t n)
{
    const int i = pair_rule_at(pr, set, k, n);
    return i < 0 ? PAIR_FREE : pr->pair_rules[set][i].kind;
}

/* Whether [v, e) is one of a PAIR_WORDS rule's words (`words`: each followed by '|'). */
static int one_of_words(const uint8_t *words, Py_ssize_t len, const uint8_t *v, const uint8_t *e)
{
    const Py_ssize_t n = e - v;
    for (const uint8_t *w = words, *end = words + len; w < end;) {
        const uint8_t *bar = memchr(w, '|', (size_t)(end - w));
        if (!bar)
            return 0;
        if (bar - w == n && memcmp(w, v, (size_t)n) == 0)
            return 1;
        w = bar + 1;
    }
    return 0;
}

/* The bytes of free pairs (see free_pairs): a key's, a quoted value's, a bare value's, a digit */
enum { PC_KEY = 1, PC_QUOTED = 2, PC_BARE = 4, PC_DIGIT = 8 };
static uint8_t PAIR_CLASS[256];

/* The bytes of free columns (see free_columns): a quoted column's (no quote nor control byte
 * but tab), a bare one's (nor a comma), and the two free_columns looks for before the time */
enum { CC_QUOTED = 1, CC_BARE = 2, CC_HIGH = 4, CC_T = 8 };
static uint8_t COLUMN_CLASS[256];

static void pair_classes(void)
{
    for (int c = 0; c < 256; c++) {
        int key = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
        int quoted = c != '"' && c != '\\' && (c >= 0x20 || c == '\t') && c != 0x7f;
        int bare = c > 0x20 && c < 0x7f && c != '"' && c != '\\';
        PAIR_CLASS[c] = (uint8_t)(key * PC_KEY | quoted * PC_QUOTED | bare * PC_BARE |
                                  (c >= '0' && c <= '9') * PC_DIGIT);
        int in_quotes = c != '"' && (c >= 0x20 || c == '\t') && c != 0x7f;
        COLUMN_CLASS[c] = (uint8_t)(in_quotes * CC_QUOTED | (in_quotes && c != ',') * CC_BARE |
                                    (c >= 0x80) * CC_HIGH | (c == 'T') * CC_T);
    }
}

/* Whether [a, b), the rest of a line (after its walk up to an element marked PAIRS), is
 * `key=value` pairs separated by one blank, as the key=value tokenizer reads them (formats/_kv.py)
 * but stricter: a key of lowercase letters, digits and '_', a value quoted (without quotes,
 * backslashes or control bytes inside) or bare (printable ASCII without quotes or backslashes,
 * maybe empty), then a blank or the end.  No key may be one the program's rules keep out (those
 * the parser reads: where the walk does not look, a later duplicate would win), a key whose
 * value must be digits has a bare run of digits, and one whose value must be a path has an
 * empty one or one that starts with '/' (a URL the parser reads no host or port from).  The
 * quoted value of the host key, met once at most, is the line's host name: host[0..1] (left
 * NULL without one).  The rules are the program's set `set`.  False sends the line to the
 * parser. */
static int free_pairs(const Program *pr, int set, const uint8_t *a, const uint8_t *b,
                      const uint8_t **host)
{
    host[0] = host[1] = NULL;
    int words_seen = !pr->pair_words[set]; /* a PAIR_WORDS key is needed */
    while (a < b) {
        const uint8_t *k = a;
        while (a < b && (PAIR_CLASS[*a] & PC_KEY))
            a++;
        if (a == k || a == b || *a != '=')
            return 0;
        const Py_ssize_t n = a - k;
        const uint8_t *v = ++a;
        int digits = 0, quoted = a < b && *a == '"';
        if (quoted) {
            for (a++; a < b && (PAIR_CLASS[*a] & PC_QUOTED);)
                a++;
            if (a == b || *a != '"')
                return 0;
            a++;
        } else {
            uint8_t all = PC_DIGIT;
            for (; a < b && (PAIR_CLASS[*a] & PC_BARE); a++)
                all &= PAIR_CLASS[*a];
            digits = a > v && all;
        }
        const int at = pair_rule_at(pr, set, k, n);
        switch (at < 0 ? PAIR_FREE : pr->pair_rules[set][at].kind) {
        case PAIR_FORBIDDEN:
            return 0;
        case PAIR_DIGITS:
            if (!digits)
                return 0;
            break;
        case PAIR_HOST: /* quoted, once */
            if (!quoted || host[0])
                return 0;
            host[0] = v + 1;
            host[1] = a - 1;
            break;
        case PAIR_BARE_HOST: /* bare or quoted, once */
            if (host[0] || a - v == 2 * quoted)
                return 0;
            host[0] = v + quoted;
            host[1] = a - quoted;
            break;
        case PAIR_WORDS: /* one of its words, bare or quoted (every time it comes) */
            if (!one_of_words(pr->pair_rules[set][at].words, pr->pair_rules[set][at].words_len,
                              v + quoted, a - quoted))
                return 0;
            words_seen = 1;
            break;
        case PAIR_PATH: {
            const uint8_t *first = v + quoted, *last = a - quoted;
            if (first < last && *first != '/')
                return 0;
            break;
        }
        default:
            break;
        }
        if (a == b)
            return words_seen;
        if (*a != ' ' || a + 1 == b)
            return 0;
        a++;
    }
    return words_seen;
}

/* Whether [h, t), a host key's value among free pairs, may be taken as a host element's span:
 * a letter, then letters, digits, '.', '_' and '-' (the chains' host class), as the profile's
 * host elements are; anything else is for the parser. */
static int pairs_host(const uint8_t *h, const uint8_t *t)
{
    if (h == t || !((*h | 0x20) >= 'a' && (*h | 0x20) <= 'z'))
        return 0;
    for (; h < t; h++)
        if (!(((*h | 0x20) >= 'a' && (*h | 0x20) <= 'z') || (*h >= '0' && *h <= '9') ||
              *h == '.' || *h == '_' || *h == '-'))
            return 0;
    return 1;
}

static inline int two(const uint8_t *p)
{
    return (p[0] - '0') * 10 + (p[1] - '0');
}

static inline int all_digits(const uint8_t *p, int n)
{
    for (int i = 0; i < n; i++)
        if (p[i] < '0' || p[i] > '9')
            return 0;
    return 1;
}

/* A host name at h, before e: a letter, then letters, digits, '.', '_' and '-' (its end goes to
 * *host_end), maybe followed by a port of one to five digits after ':'.  Where they end, or
 * NULL (no letter first, a port of no digit or more than five). */
static const uint8_t *host_and_port(const uint8_t *h, const uint8_t *e, const uint8_t **host_end)
{
    const uint8_t *p = h;
    if (p == e || !((*p | 0x20) >= 'a' && (*p | 0x20) <= 'z'))
        return NULL;
    while (p < e && (((*p | 0x20) >= 'a' && (*p | 0x20) <= 'z') || (*p >= '0' && *p <= '9') ||
                     *p == '.' || *p == '_' || *p == '-'))
        p++;
    *host_end = p;
    if (p < e && *p == ':') {
        const uint8_t *d = ++p;
        while (p < e && *p >= '0' && *p <= '9')
            p++;
        if (p == d || p - d > 5)
            return NULL;
    }
    return p;
}

/* Whether [v, e), a quoted value, is a URL whose host split_url reads (formats/_url.py) as the
 * one at [*h0, *h1): a scheme (a letter, then letters, digits, '+', '.', '-'), "://", a host
 * of a letter then letters, digits, '.', '_', '-', maybe a port of one to five digits, then the
 * value's end or '/', '?', '#' and anything (no '@' before them: the authority's user). */
static int url_host(const uint8_t *v, const uint8_t *e, const uint8_t **h0, const uint8_t **h1)
{
    const uint8_t *p = v;
    if (p == e || !((*p | 0x20) >= 'a' && (*p | 0x20) <= 'z'))
        return 0;
    while (p < e && (((*p | 0x20) >= 'a' && (*p | 0x20) <= 'z') || (*p >= '0' && *p <= '9') ||
                     *p == '+' || *p == '.' || *p == '-'))
        p++;
    if (e - p < 4 || p[0] != ':' || p[1] != '/' || p[2] != '/')
        return 0;
    const uint8_t *h = p + 3;
    if (!(p = host_and_port(h, e, h1)))
        return 0;
    *h0 = h;
    return p == e || *p == '/' || *p == '?' || *p == '#';
}

/* Whether [a, b), the rest of a line (after its walk up to an element marked PAIRS whose set
 * is of the colon grammar), is ``[key:"value"; key:"value"]`` as Check Point's Log Exporter
 * writes it and its parser reads it (formats/checkpoint.py): a key of a letter or '_' then
 * letters, digits, '_', '.' and '-', a quoted value without quotes or control bytes but tab
 * (a backslash escapes the byte after it, which the parser then reads as written: only in the
 * values of keys without a rule), "; " between pairs, ']' last.  The rules of set `set` (each ruled key
 * once at most, as a later duplicate wins): no key kept out; a digits key's value digits (one
 * to eighteen); the time key's ten digits (epoch seconds: the line's key, *key); the URL key's
 * value a url_host, its host the line's host name (host[0..1]); the needed key there, its
 * value an address's start (a hexadecimal digit or ':'); a key the parser reads only without
 * the URL key (Check Point's http_host) beside it only.  A value of over MAX_VALUE bytes is
 * for the parser.  False sends the line to the parser. */
static int colon_pairs(const Program *pr, int set, const uint8_t *a, const uint8_t *b,
                       const uint8_t **host, const uint8_t **key)
{
    host[0] = host[1] = *key = NULL;
    int needed = 0, url = 0, beside = 0;
    if (a == b || *a++ != '[')
        return 0;
    for (;;) {
        const uint8_t *k = a;
        if (a == b || !(((*a | 0x20) >= 'a' && (*a | 0x20) <= 'z') || *a == '_'))
            return 0;
        while (a < b && (((*a | 0x20) >= 'a' && (*a | 0x20) <= 'z') || (*a >= '0' && *a <= '9') ||
                         *a == '_' || *a == '.' || *a == '-'))
            a++;
        const Py_ssize_t n = a - k;
        if (b - a < 2 || a[0] != ':' || a[1] != '"')
            return 0;
        const uint8_t *v = a += 2;
        int escaped = 0; /* a backslash escapes the byte after it (Check Point's policy tag) */
        for (;;) {
            while (a < b && (PAIR_CLASS[*a] & PC_QUOTED))
                a++;
            if (b - a < 2 || *a != '\\' || !(PAIR_CLASS[a[1]] & PC_QUOTED || a[1] == '"' ||
                                             a[1] == '\\'))
                break;
            escaped = 1;
            a += 2;
        }
        if (a == b || *a != '"')
            return 0;
        const uint8_t *e = a++;
        if (e - v > MAX_VALUE) /* (Python reads no int of over 4,300 digits: "service") */
            return 0;
        const int rule = pair_rule(pr, set, k, n);
        if (escaped && rule != PAIR_FREE) /* a ruled value is read as written */
            return 0;
        switch (rule) {
        case PAIR_FORBIDDEN:
            return 0;
        case PAIR_DIGITS:
            if (e == v || e - v > 18 || !all_digits(v, (int)(e - v)))
                return 0;
            break;
        case PAIR_TIME:
            if (*key || e - v != 10 || !all_digits(v, 10))
                return 0;
            *key = v;
            break;
        case PAIR_URL:
            if (url++ || !url_host(v, e, &host[0], &host[1]))
                return 0;
            break;
        case PAIR_NEEDED:
            if (e == v || !((*v >= '0' && *v <= '9') || ((*v | 0x20) >= 'a' && (*v | 0x20) <= 'f') ||
                            *v == ':'))
                return 0;
            needed = 1;
            break;
        case PAIR_BESIDE_URL:
            beside = 1;
            break;
        default:
            break;
        }
        if (a < b && *a == ']')
            return a + 1 == b && *key && (needed || !pr->needs[set]) && (url || !beside);
        if (b - a < 2 || a[0] != ';' || a[1] != ' ')
            return 0;
        a += 2;
    }
}

/* Whether [v, e), a CSV column, is ISO 8601's ``YYYY-MM-DDTHH:MM:SS.fff`` (milliseconds) then
 * ``Z`` or ``+HH:MM``/``-HH:MM``: the shape whose numbers key_order and offset then check. */
static int iso_millis(const uint8_t *v, const uint8_t *e)
{
    const Py_ssize_t n = e - v;
    if (n != 24 && n != 29)
        return 0;
    return all_digits(v, 4) && v[4] == '-' && all_digits(v + 5, 2) && v[7] == '-' &&
           all_digits(v + 8, 2) && v[10] == 'T' && all_digits(v + 11, 2) && v[13] == ':' &&
           all_digits(v + 14, 2) && v[16] == ':' && all_digits(v + 17, 2) && v[19] == '.' &&
           all_digits(v + 20, 3);
}

/* Whether [h, t), a URL/Filename column's text, is ``host[:port][/path]`` as split_loose_url
 * reads it (formats/_kv.py): a host of a letter, then letters, digits, '.', '_' and '-', maybe a
 * port of one to five digits, maybe a path from '/' without ':' (a "://" anywhere would make the
 * parser read a scheme there, and another host).  *end: the host's end. */
static int url_column(const uint8_t *h, const uint8_t *t, const uint8_t **end)
{
    const uint8_t *p = host_and_port(h, t, end);
    if (!p)
        return 0;
    if (p < t && *p != '/')
        return 0;
    for (; p < t; p++)
        if (*p == ':')
            return 0;
    return 1;
}

/* The end of a JSON string's text from a (after its opening quote), before b: at its closing
 * quote, or NULL (a control byte, the line's end).  Escapes (a backslash then one of '"\/bfnrt',
 * or 'u' and four hexadecimal digits, as json.loads takes them) only where `escapes`; *esc
 * tells whether there was one. */
static const uint8_t *json_string(const uint8_t *a, const uint8_t *b, int escapes, int *esc)
{
    *esc = 0;
    for (;;) {
        while (a < b && *a >= 0x20 && *a != '"' && *a != '\\')
            a++;
        if (a == b || *a < 0x20)
            return NULL;
        if (*a == '"')
            return a;
        if (!escapes || b - a < 2)
            return NULL;
        *esc = 1;
        if (a[1] == 'u') {
            if (b - a < 6)
                return NULL;
            for (int i = 2; i < 6; i++)
                if (!((a[i] >= '0' && a[i] <= '9') || ((a[i] | 0x20) >= 'a' && (a[i] | 0x20) <= 'f')))
                    return NULL;
            a += 6;
        } else if (memchr("\"\\/bfnrt", a[1], 8)) {
            a += 2;
        } else {
            return NULL;
        }
    }
}

static inline const uint8_t *json_blanks(const uint8_t *a, const uint8_t *b)
{
    while (a < b && *a == ' ')
        a++;
    return a;
}

/* The end of the run of digits at a. */
static inline const uint8_t *digits_end(const uint8_t *a, const uint8_t *b)
{
    while (a < b && *a >= '0' && *a <= '9')
        a++;
    return a;
}

/* The rules a JSON set names, each needed once (json_names' bits) */
enum { JSON_URL = 1, JSON_HOST = 2, JSON_NEEDED = 4, JSON_TIME = 8, JSON_REQUIRED = 16 };

/* The end of the JSON value at a (a string's closing quote excluded: see json_pairs), or NULL
 * when it is not one the walker reads as json.loads does: a string (escapes where `escapes`,
 * *esc telling whether there was one), a number (digits without a leading zero, 18 at most;
 * or with a sign, a fraction or an exponent, 64 bytes at most: never an integer json.loads
 * refuses for its length), true, false or null, or, where `arrays`, an array of them (not
 * nested).  *kind: '"' a string, '0' an integer of digits, '.' any other number, 'l' a
 * literal, '[' an array. */
static const uint8_t *json_value(const uint8_t *a, const uint8_t *b, int escapes, int arrays,
                                 int *esc, int *kind)
{
    *esc = 0;
    if (a == b)
        return NULL;
    if (*a == '"') {
        *kind = '"';
        return json_string(a + 1, b, escapes, esc);
    }
    if (*a == '[' && arrays) {
        *kind = '[';
        int inner, e;
        a = json_blanks(a + 1, b);
        if (a < b && *a == ']')
            return a + 1;
        for (;;) {
            const uint8_t *v = json_value(a, b, escapes, 0, &e, &inner);
            if (!v)
                return NULL;
            *esc |= e;
            a = json_blanks(v + (inner == '"'), b);
            if (a < b && *a == ']')
                return a + 1;
            if (a == b || *a != ',')
                return NULL;
            a = json_blanks(a + 1, b);
        }
    }
    static const char *const literals[] = {"true", "false", "null"};
    for (int i = 0; i < 3; i++) {
        const size_t n = strlen(literals[i]);
        if ((size_t)(b - a) >= n && memcmp(a, literals[i], n) == 0) {
            *kind = 'l';
            return a + n;
        }
    }
    const uint8_t *v = a;
    int other = *a == '-';
    const uint8_t *d = a + other;
    if ((a = digits_end(d, b)) == d || (*d == '0' && a - d > 1))
        return NULL;
    if (a < b && *a == '.') { /* a fraction */
        d = a + 1;
        if ((a = digits_end(d, b)) == d)
            return NULL;
        other = 1;
    }
    if (a < b && (*a | 0x20) == 'e') { /* an exponent */
        d = a + 1 + (a + 1 < b && (a[1] == '+' || a[1] == '-'));
        if ((a = digits_end(d, b)) == d)
            return NULL;
        other = 1;
    }
    *kind = other ? '.' : '0';
    return (other ? a - v > 64 : a - v > 18) ? NULL : a;
}

/* Whether [a, b), the rest of a line (after its walk up to an element marked PAIRS whose set
 * is of the JSON grammar), is one JSON object of pairs, then the set's number of '}' that
 * close the objects it is in, and the line's end, as json.loads reads it: blanks (spaces)
 * where JSON allows them; each key a string of printable ASCII without escapes, whose rule is
 * its lowercase's (Zscaler's NSS feed, formats/zscaler.py: the parser lowers keys) or, in a
 * set of keys as written, its own (Zeek, formats/zeek.py); each value one json_value reads
 * (escapes only in the values of keys without a rule; an array only for those too), in a set
 * of lowercased keys a string or an integer only.  The
 * rules of set `set`, each ruled key once at most (a later duplicate wins), each of the
 * time, URL, host and needed rules the set names there: no key kept out; a digits key's
 * value digits or nothing (a string), or an integer; the time key's string the walk's key
 * length long (a UTC key's then its 'Z', utc_z; the line's key, *key), or the epoch key's
 * number ``D{10}.D{n}`` that long (Zeek's ``ts``), or the milliseconds key's integer of 13
 * digits (Zeek's ``ts`` with JSON::TS_MILLIS); the URL key's string ``host[:port][/path]`` without a scheme (url_column:
 * the parser adds one, or reads a CONNECT authority; the same host either way), its host
 * the line's host name (host[0..1]), or the host key's string the line's host name (the
 * caller checks it as a host name); the needed key's string an address (strict_address);
 * a path key's string nothing or a path without a ':'; the required key there.  False sends
 * the line to the parser. */
static int json_pairs(const Program *pr, int set, const uint8_t *a, const uint8_t *b,
                      const uint8_t **host, const uint8_t **key)
{
    host[0] = host[1] = *key = NULL;
    int named = 0;
    const int exact = pr->json_exact[set];
    if (a == b || *a++ != '{')
        return 0;
    for (;;) {
        a = json_blanks(a, b);
        if (a == b || *a != '"')
            return 0;
        const uint8_t *k = ++a;
        while (a < b && *a > 0x20 - 1 && *a < 0x7f && *a != '"' && *a != '\\')
            a++;
        if (a == b || *a != '"')
            return 0;
        const Py_ssize_t n = a - k;
        uint8_t lower[32];
        for (Py_ssize_t i = 0; i < n && i < 32; i++)
            lower[i] = (uint8_t)(!exact && k[i] >= 'A' && k[i] <= 'Z' ? k[i] | 0x20 : k[i]);
        const int rule = n && n <= 31 ? pair_rule(pr, set, lower, n) : PAIR_FREE;
        a = json_blanks(a + 1, b);
        if (a == b || *a++ != ':')
            return 0;
        a = json_blanks(a, b);
        int esc, kind;
        const uint8_t *e = json_value(a, b, rule == PAIR_FREE, rule == PAIR_FREE, &esc, &kind);
        if (!e || (!exact && kind != '"' && kind != '0')) /* (Zscaler's: strings, integers) */
            return 0;
        const int string = kind == '"';
        const uint8_t *v = a + string;
        a = e + string;
        switch (rule) {
        case PAIR_FORBIDDEN:
            return 0;
        case PAIR_DIGITS:
            if ((kind != '"' && kind != '0') || e - v > 18 || !all_digits(v, (int)(e - v)))
                return 0;
            break;
        case PAIR_TIME: /* key_len bytes (a UTC key's then its Z: Zeek's ISO 8601 ts) */
            if (*key || !string || e - v != pr->key_len + pr->utc_z || (pr->utc_z && e[-1] != 'Z'))
                return 0;
            *key = v;
            named |= JSON_TIME;
            break;
        case PAIR_EPOCH: /* D{10}.D{n}, a number */
            if (*key || kind != '.' || e - v != pr->key_len || pr->key_len < 12 ||
                !all_digits(v, 10) || v[10] != '.' || !all_digits(v + 11, (int)(e - v - 11)))
                return 0;
            *key = v;
            named |= JSON_TIME;
            break;
        case PAIR_MILLIS: /* D{13}, an integer: milliseconds */
            if (*key || kind != '0' || e - v != pr->key_len || pr->key_len != 13 ||
                !all_digits(v, 13))
                return 0;
            *key = v;
            named |= JSON_TIME;
            break;
        case PAIR_URL: {
            const uint8_t *end;
            if ((named & JSON_URL) || !string || !url_column(v, e, &end))
                return 0;
            host[0] = v;
            host[1] = end;
            named |= JSON_URL;
            break;
        }
        case PAIR_HOST:
            if ((named & JSON_HOST) || !string)
                return 0;
            host[0] = v;
            host[1] = e;
            named |= JSON_HOST;
            break;
        case PAIR_NEEDED:
            if ((named & JSON_NEEDED) || !string || !strict_address(v, e))
                return 0;
            named |= JSON_NEEDED;
            break;
        case PAIR_REQUIRED: /* there, whatever its value (it tells the record's kind) */
            named |= JSON_REQUIRED;
            break;
        case PAIR_PATH: /* a string: nothing, or a path without a ':' (no URL in it) */
            if (!string || (e > v && (*v != '/' || memchr(v, ':', (size_t)(e - v)))))
                return 0;
            break;
        case PAIR_FREE:
            break;
        default: /* no other rule in this grammar */
            return 0;
        }
        a = json_blanks(a, b);
        if (a < b && *a == '}')
            break;
        if (a == b || *a++ != ',')
            return 0;
    }
    a++;
    for (int close = pr->json[set] - 1; close > 0; close--) {
        a = json_blanks(a, b);
        if (a == b || *a++ != '}')
            return 0;
    }
    return json_blanks(a, b) == b && named == pr->json_names[set];
}

/* The free pairs of set `set` in [a, b), read in the set's grammar (free_pairs', colon_pairs'
 * or json_pairs'): host[0..1] the host key's span, *key the time key's start (colon_pairs',
 * json_pairs'). */
static inline int pairs_of_set(const Program *pr, int set, const uint8_t *a, const uint8_t *b,
                               const uint8_t **host, const uint8_t **key)
{
    if (pr->colon[set])
        return colon_pairs(pr, set, a, b, host, key);
    if (pr->json[set])
        return json_pairs(pr, set, a, b, host, key);
    *key = NULL;
    return free_pairs(pr, set, a, b, host);
}

/* The same, or, where set `set` fails, its alternatives' (the sets after it it names), in
 * order: 1 + the set that reads them (Zeek's ssl.log records, else http.log's, else
 * dns.log's), 0 when none does. */
static inline int pairs_of(const Program *pr, int set, const uint8_t *a, const uint8_t *b,
                           const uint8_t **host, const uint8_t **key)
{
    for (;; set++) {
        if (pairs_of_set(pr, set, a, b, host, key))
            return set + 1;
        if (!pr->pair_next[set])
            return 0;
    }
}


/* Whether [a, b), the rest of a line (after its walk up to an element marked COLUMNS, which
 * starts with a comma), is CSV columns as the PAN-OS parser splits them (formats/paloalto.py):
 * each bare (no ',', '"' nor control byte but tab) or quoted (no '"' nor control byte inside,
 * then ',' or the end), none longer than csv reads, as many as the rules of the program's set `set` need, each as its rule
 * says: the host column quoted, a url_column whose host is the line's host name (host[0..1]),
 * or the name column bare, a host name alone (the line's); a digits column empty or 1 to 18
 * digits.  From the rules' time column on, the first column
 * whose 11th byte is 'T' (the parser's test for its High Resolution Timestamp) has the shape of
 * iso_millis: found[0] is its start (the line's time key), [found[1], found[2]) its UTC offset.
 * A column there before it with a byte >= 0x80 and a 'T' (whose 11th character may be a 'T'
 * that its 11th byte is not: Unicode digits are ``\d`` to the parser) is for the parser, and so
 * is a line without such a column (its local time is the parser's to read).  False sends the
 * line to the parser. */
static int free_columns(const Program *pr, int set, const uint8_t *a, const uint8_t *b,
                        const uint8_t **host, const uint8_t **found)
{
    host[0] = host[1] = found[0] = found[1] = found[2] = NULL;
    if (a == b || *a != ',')
        return 0;
    a++;
    for (int i = 0;; i++) {
        const uint8_t *v, *e;
        const int quoted = a < b && *a == '"', in = quoted ? CC_QUOTED : CC_BARE;
        unsigned seen = 0; /* the classes of the column's bytes (CC_HIGH, CC_T) */
        for (v = a += quoted; a < b && (COLUMN_CLASS[*a] & in); a++)
            seen |= COLUMN_CLASS[*a];
        e = a;
        if (quoted) {
            if (a == b || *a != '"')
                return 0;
            a++;
        }
        const int high = (seen & CC_HIGH) != 0, t = (seen & CC_T) != 0;
        if (e - v > CSV_FIELD_LIMIT)
            return 0;
        switch (i < MAX_COLUMN_RULES ? pr->column_rule[set][i] : PAIR_FREE) {
        case PAIR_HOST:
            if (!quoted || !url_column(v, e, &host[1]))
                return 0;
            host[0] = v;
            break;
        case PAIR_NAME: /* a host name alone, bare (PAN-OS' Server Name Indication) */
            if (quoted || host_and_port(v, e, &host[1]) != e || host[1] != e)
                return 0;
            host[0] = v;
            break;
        case PAIR_DIGITS:
            if (quoted || e - v > 18 || !all_digits(v, (int)(e - v)))
                return 0;
            break;
        default:
            break;
        }
        if (!found[0] && i >= pr->time_from[set]) {
            if (high && t)
                return 0;
            if (e - v > 10 && v[10] == 'T') {
                if (!iso_millis(v, e))
                    return 0;
                found[0] = v;
                found[1] = v + 23;
                found[2] = e;
            }
        }
        if (a == b)
            return found[0] != NULL && i + 1 >= pr->min_columns[set];
        if (*a != ',')
            return 0;
        a++;
    }
}

/* -- runs of a class: the first byte at or after `p` that is not in class `t` -------------- */
static inline const uint8_t *run_scalar(const Program *pr, int32_t t, const uint8_t *p,
                                        const uint8_t *end)
{
    (void)end; /* the line's newline, in no class, stops every run */
    const uint8_t *cls = pr->tables + 256 * (Py_ssize_t)t;
    while (cls[*p])
        p++;
    return p;
}

/* A growable array of int64 */
typedef struct {
    int64_t *v;
    Py_ssize_t len, cap;
} Vec;

static int vec_push4(Vec *r, int64_t a, int64_t b, int64_t c, int64_t d)
{
    if (r->len + 4 > r->cap) {
        Py_ssize_t cap = r->cap ? 2 * r->cap : 1 << 14;
        int64_t *grown = PyMem_RawRealloc(r->v, (size_t)cap * sizeof(int64_t));
        if (!grown)
            return -1;
        r->v = grown;
        r->cap = cap;
    }
    int64_t *row = r->v + r->len;
    row[0] = a;
    row[1] = b;
    row[2] = c;
    row[3] = d;
    r->len += 4;
    return 0;
}

/* -- one block's walk ------------------------------------------------------------------------ */
/* The host table: what is known of the host entries met so far, kept by the caller across
 * blocks (a writable buffer of SLOT-byte slots; slot 0 holds the count of used slots).  A slot:
 * hash (8 bytes, 0 = empty), entry index during this walk (4), state (1), length (1), whether
 * the entry was met again since it was kept (1, see keep_met), and the entry itself (from byte
 * 16, up to KEY_MAX bytes; longer entries are never kept). */
#define SLOT 64
#define KEY_MAX 48
#define MAX_HOSTS 2 /* host elements a line's entry holds; more: the parser decides */
#define SCRATCH (MAX_HOSTS * (MAX_HOST + 3 + 32) + 64)
enum { S_EMPTY = 0, S_PENDING = 1, S_NO = 2, S_YES = 3 };

#define DEFERRED 4
typedef struct {
    uint8_t key[KEY_MAX + 16];
    Py_ssize_t n;
    uint64_t hash;
    int64_t line, start, at;
} Deferred;

typedef struct {
    const uint8_t *data;
    Py_ssize_t size, key_len, key_at; /* the time key: key_len bytes, key_at after the start
                                       * (-1: where the element marked KEY starts) */
    Py_ssize_t max_line; /* a longer line is for the parser (0: no limit) */
    /* a local-time key (see local_key): its line's UTC offset, pinned by the first line; its
     * form (LOCAL_ISO, LOCAL_CLF), and for a CLF key, which does not order lines as text, the
     * order of the line just checked and of the walk's earliest and latest keys */
    int local;
    uint8_t zone[8];
    Py_ssize_t zone_len;
    int64_t order, lo_order, hi_order;
    Vec rows;    /* (line, start, end, kind) of the lines that are not usual */
    Vec pending; /* (line, start, end, entry) of usual lines whose entry is new in this walk */
    Vec known;   /* (line, start, end, state) of usual lines whose entry was decided yes */
    Vec slots;   /* (slot or -1, end of the entry) of each new entry */
    uint8_t *hosts; /* the new entries, ".host.\n" each (grown as needed) */
    Py_ssize_t hosts_len, hosts_cap;
    uint8_t *table;
    uint64_t mask; /* slots - 1 (a power of two), 0: no table */
    int64_t lines, lo, hi, entries;
    int64_t marked; /* the usual lines that passed an element marked MARK */
    int64_t no_host; /* the usual lines without a host name that passed one marked PAIRS */
    int64_t skipped; /* the usual lines that passed an element marked SKIP: no events */
    /* where a line's walk writes its host names (see HOST_SPAN: at most MAX_HOSTS of them) */
    uint8_t scratch[SCRATCH];
    /* the usual lines waiting for their table slots, oldest first (their slots are fetched
     * from memory while the next DEFERRED lines are walked) */
    Deferred ring[DEFERRED];
    int ring_head, ring_count;
} Walk;

static inline uint64_t entry_hash(const uint8_t *p, Py_ssize_t n)
{
    uint64_t h = 0x9E3779B97F4A7C15ull ^ (uint64_t)n; /* p is readable up to p + KEY_MAX */
    for (; n >= 8; p += 8, n -= 8) {
        uint64_t v;
        memcpy(&v, p, 8);
        h = (h ^ v) * 0xff51afd7ed558ccdull;
        h ^= h >> 32;
    }
    if (n) { /* the scratch space after an entry is ours: read 8 bytes, keep n */
        uint64_t v;
        memcpy(&v, p, 8);
        v &= (1ull << (8 * n)) - 1;
        h = (h ^ v) * 0xc4ceb9fe1a85ec53ull;
        h ^= h >> 29;
    }
    return h | 1;
}

#if defined(__SSE2__) && KEY_MAX == 48
/* bit i: byte i of the 16 at a and b is the same */
static inline uint64_t same16(const uint8_t *a, const uint8_t *b)
{
    const __m128i x = _mm_loadu_si128((const __m128i *)a), y = _mm_loadu_si128((const __m128i *)b);
    return (uint32_t)_mm_movemask_epi8(_mm_cmpeq_epi8(x, y));
}
#endif

/* The first n bytes of a and b are equal (n <= KEY_MAX; both readable up to KEY_MAX bytes).
 * On x86-64, three 16-byte comparisons and one mask, whatever n: no loop whose end varies with
 * the length of the host names, so no branch to mispredict from line to line (thirtieth
 * session, the walk alone over the bench's month's first 150 blocks, interleaved: 86-90 ->
 * 80-83 ns a line; the month's scan, bench/scan_ab.py, 8 rounds: plain 1.544 -> 1.468 s,
 * .gz 2.146 -> 2.085 s, medians). */
static inline int key_eq(const uint8_t *a, const uint8_t *b, Py_ssize_t n)
{
#if defined(__SSE2__) && KEY_MAX == 48
    const uint64_t same = same16(a, b) | same16(a + 16, b + 16) << 16 | same16(a + 32, b + 32) << 32;
    const uint64_t want = (1ull << n) - 1; /* n <= 48 */
    return (same & want) == want;
#else
    uint64_t x, y;
    for (; n >= 8; a += 8, b += 8, n -= 8) {
        memcpy(&x, a, 8);
        memcpy(&y, b, 8);
        if (x != y)
            return 0;
    }
    if (!n)
        return 1;
    memcpy(&x, a, 8);
    memcpy(&y, b, 8);
    return ((x ^ y) & ((1ull << (8 * n)) - 1)) == 0;
#endif
}

/* Room for an entry of n bytes and its newline in w->hosts: -1 if memory ran out.  (Grown as
 * needed rather than sized for the worst case: a block's new entries are a small part of it,
 * and a buffer of twice the block, allocated for each walk, cost a fresh mapping and its page
 * faults every time.) */
static inline int hosts_room(Walk *w, Py_ssize_t n)
{
    if (w->hosts_len + n + 1 <= w->hosts_cap)
        return 0;
    Py_ssize_t cap = w->hosts_cap ? w->hosts_cap : 1 << 16;
    while (cap < w->hosts_len + n + 1)
        cap *= 2;
    uint8_t *grown = PyMem_RawRealloc(w->hosts, (size_t)cap);
    if (!grown)
        return -1;
    w->hosts = grown;
    w->hosts_cap = cap;
    return 0;
}

/* The usual line of `d`: its entry decided, pending or new (then copied to w->hosts). */
static inline int settle(Walk *w, const Deferred *d)
{
    const uint8_t *e = d->key;
    const Py_ssize_t n = d->n;
    const uint64_t h = d->hash;
    const int64_t line = d->line, start = d->start, at = d->at;
    uint8_t *slot = NULL;
    if (h) {
        uint64_t count;
        memcpy(&count, w->table, 8);
        for (uint64_t i = h & w->mask, probes = 0; probes <= w->mask; i = (i + 1) & w->mask) {
            probes++;
            if (i == 0)
                continue; /* the header */
            uint8_t *s = w->table + SLOT * i;
            uint64_t sh;
            memcpy(&sh, s, 8);
            if (sh == 0) {
                if (count < w->mask - w->mask / 4) /* three quarters full: keep no more */
                    slot = s;
                break;
            }
            if (sh == h && s[13] == n && key_eq(s + 16, e, n)) {
                if (!s[14])
                    s[14] = 1; /* met again (the line is in the cache: no store once set) */
                if (s[12] == S_PENDING) {
                    uint32_t idx;
                    memcpy(&idx, s + 8, 4);
                    return vec_push4(&w->pending, line, start, at, idx);
                }
                if (s[12] == S_NO)
                    return 0;
                return vec_push4(&w->known, line, start, at, s[12]);
            }
        }
    }
    /* a new entry: keep it, and remember it as pending */
    if (hosts_room(w, n) < 0)
        return -1;
    int64_t idx = w->entries++;
    memcpy(w->hosts + w->hosts_len, e, (size_t)n);
    w->hosts_len += n;
    w->hosts[w->hosts_len++] = '\n';
    if (slot) {
        uint64_t count;
        memcpy(&count, w->table, 8);
        count++;
        memcpy(w->table, &count, 8);
        memcpy(slot, &h, 8);
        uint32_t i32 = (uint32_t)idx;
        memcpy(slot + 8, &i32, 4);
        slot[12] = S_PENDING;
        slot[13] = (uint8_t)n;
        memcpy(slot + 16, e, (size_t)n);
    }
    if (vec_push4(&w->slots, slot ? (slot - w->table) / SLOT : -1, w->hosts_len - 1, 0, 0) < 0)
        return -1;
    return vec_push4(&w->pending, line, start, at, idx);
}

/* Start a half-full table again, keeping the decided entries met again since they were kept
 * (at most a quarter of the slots, their flags cleared): a month's frequent hosts stay known,
 * its long tail of hosts met once is forgotten.  Emptied instead if memory runs out.  (Emptied
 * alone, the table of the bench's month, which names ~294,000 host entries, had every frequent
 * host decided again after each start: see fast.HOST_SLOTS.) */
static void keep_met(uint8_t *table, Py_ssize_t n_slots)
{
    const uint64_t mask = (uint64_t)n_slots - 1;
    const Py_ssize_t most = n_slots / 4;
    Py_ssize_t kept = 0;
    uint8_t *saved = PyMem_RawMalloc((size_t)most * SLOT);
    if (saved) {
        for (Py_ssize_t i = 1; i < n_slots && kept < most; i++) {
            uint8_t *s = table + SLOT * i;
            if (s[14] && s[12] >= S_NO) { /* met again, and decided */
                memcpy(saved + SLOT * kept, s, SLOT);
                saved[SLOT * kept + 14] = 0;
                kept++;
            }
        }
    }
    memset(table, 0, (size_t)n_slots * SLOT);
    for (Py_ssize_t k = 0; k < kept; k++) {
        uint64_t h;
        memcpy(&h, saved + SLOT * k, 8);
        uint64_t i = h & mask;
        for (;; i = (i + 1) & mask) {
            uint64_t sh;
            memcpy(&sh, table + SLOT * i, 8);
            if (i != 0 && sh == 0)
                break;
        }
        memcpy(table + SLOT * i, saved + SLOT * k, SLOT);
    }
    uint64_t count = (uint64_t)kept;
    memcpy(table, &count, 8);
    PyMem_RawFree(saved);
}

/* Settle the waiting lines, oldest first: -1 if memory ran out. */
static inline int settle_all(Walk *w)
{
    int failed = 0;
    for (; w->ring_count; w->ring_count--, w->ring_head = (w->ring_head + 1) % DEFERRED)
        failed |= settle(w, &w->ring[w->ring_head]) < 0;
    return failed ? -1 : 0;
}

/* A usual line's entry [e, e + n): its table slot is fetched now and looked at DEFERRED lines
 * later (settle), after the oldest waiting line's, so lines are settled in their order. */
static inline int defer(Walk *w, int64_t line, int64_t start, int64_t at, const uint8_t *e,
                        Py_ssize_t n)
{
    int failed = 0;
    if (n > KEY_MAX) { /* never kept in the table: its own new entry, after the waiting ones */
        failed = settle_all(w) < 0;
        if (hosts_room(w, n) < 0)
            return -1;
        int64_t idx = w->entries++;
        memcpy(w->hosts + w->hosts_len, e, (size_t)n);
        w->hosts_len += n;
        w->hosts[w->hosts_len++] = '\n';
        if (vec_push4(&w->slots, -1, w->hosts_len - 1, 0, 0) < 0)
            return -1;
        return failed ? -1 : vec_push4(&w->pending, line, start, at, idx);
    }
    if (w->ring_count == DEFERRED) {
        failed = settle(w, &w->ring[w->ring_head]) < 0;
        w->ring_head = (w->ring_head + 1) % DEFERRED;
        w->ring_count--;
    }
    Deferred *d = &w->ring[(w->ring_head + w->ring_count++) % DEFERRED];
    memcpy(d->key, e, KEY_MAX); /* the scratch space after the entry is ours to read */
    d->n = n;
    d->line = line;
    d->start = start;
    d->at = at;
    d->hash = w->mask ? entry_hash(d->key, n) : 0;
    if (d->hash)
        __builtin_prefetch(w->table + SLOT * (d->hash & w->mask));
    return failed ? -1 : 0;
}

static inline uint64_t be64(const uint8_t *p)
{
    uint64_t v;
    memcpy(&v, p, 8);
    return __builtin_bswap64(v);
}

/* memcmp(a, b, n) < 0, without a call for the usual 8..16-byte keys */
static inline int key_less(const uint8_t *a, const uint8_t *b, Py_ssize_t n)
{
    if (n < 8 || n > 16)
        return memcmp(a, b, (size_t)n) < 0;
    uint64_t x = be64(a), y = be64(b);
    if (x != y)
        return x < y;
    return be64(a + n - 8) < be64(b + n - 8); /* the overlap is equal: order of the rest */
}

/* -- local-time keys ------------------------------------------------------------------------ */

/* One or two digits at p (before end): their value in *v and the byte after them, or NULL. */
static inline const uint8_t *digits12(const uint8_t *p, const uint8_t *end, int *v)
{
    if (p >= end || *p < '0' || *p > '9')
        return NULL;
    *v = *p++ - '0';
    if (p < end && *p >= '0' && *p <= '9')
        *v = *v * 10 + (*p++ - '0');
    return p;
}

/* The time of a key as the number YYYYMMDDhhmmss (which orders keys in time), or -1 when it is
 * no possible time (years 1000-9998, seconds 00-59, real days of the month: the rest is for the
 * parser).  LOCAL_ISO: ``YYYY-MM-DD`` at the key's start and ``HH:MM:SS`` at its end (FortiGate's
 * ``2026-03-02 time=09:14:05``), or after a 'T' and before a fraction (``2026-03-02T09:14:05.123``);
 * LOCAL_CLF: ``DD/Mon/YYYY:HH:MM:SS``, the month as Apache and
 * Squid write it (``Jan`` .. ``Dec``); NAIVE_ASCTIME: ``Www Mmm DD HH:MM:SS YYYY`` (C's asctime,
 * the weekday any three letters, the day's tens maybe a space); NAIVE_DMY and NAIVE_MDY:
 * ``DD/MM/YYYY","HH:MM:SS`` and ``MM/DD/YYYY","HH:MM:SS`` (Forcepoint's quoted CSV date and time
 * columns), or the same with a space between the date and the time (19 bytes: Windows DNS's
 * debug log, day or month first as the server's locale writes it); NAIVE_SYSLOG: ``Mmm DD
 * HH:MM:SS`` (an RFC 3164 date, the day's tens maybe a space), which has no year: ordered as
 * in the leap year 2000 (Feb 29 a possible day), the scanner gives the block its year;
 * NAIVE_DMY12 and NAIVE_MDY12: ``D/M/YYYY h:MM:SS AM`` and ``M/D/YYYY h:MM:SS PM`` (Windows
 * DNS's debug log in a 12-hour locale, en-US's month first), the day, the month and the hour
 * of one or two digits, the hour 1-12: the window of 22 bytes (the longest) read no further. */
static int64_t key_order(int form, const uint8_t *k, Py_ssize_t n)
{
    static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    static const char months[] = "JanFebMarAprMayJunJulAugSepOctNovDec";
    int year, month = 0, day;
    const uint8_t *t = k + n - 8;
    uint8_t t24[8]; /* a 12-hour time as HH:MM:SS */
    if (form == NAIVE_DMY12 || form == NAIVE_MDY12) {
        const uint8_t *p = k, *end = k + n;
        int a, b, h;
        if (!(p = digits12(p, end, &a)) || end - p < 1 || *p++ != '/' ||
            !(p = digits12(p, end, &b)) || end - p < 5 || *p++ != '/' || !all_digits(p, 4))
            return -1;
        year = two(p) * 100 + two(p + 2);
        p += 4;
        if (end - p < 1 || *p++ != ' ' || !(p = digits12(p, end, &h)) || end - p < 9 ||
            p[0] != ':' || p[6] != ' ' || (p[7] != 'A' && p[7] != 'P') || p[8] != 'M' || h < 1 ||
            h > 12)
            return -1;
        h = h % 12 + (p[7] == 'P' ? 12 : 0);
        t24[0] = (uint8_t)('0' + h / 10);
        t24[1] = (uint8_t)('0' + h % 10);
        memcpy(t24 + 2, p, 6); /* :MM:SS */
        t = t24;
        day = form == NAIVE_DMY12 ? a : b;
        month = form == NAIVE_DMY12 ? b : a;
    } else if (form == NAIVE_ASCTIME) { /* Www Mmm DD HH:MM:SS YYYY (the day's tens may be a space) */
        if (n != 24 || !((k[0] | 0x20) >= 'a' && (k[0] | 0x20) <= 'z') ||
            !((k[1] | 0x20) >= 'a' && (k[1] | 0x20) <= 'z') ||
            !((k[2] | 0x20) >= 'a' && (k[2] | 0x20) <= 'z') || k[3] != ' ' || k[7] != ' ' ||
            !(k[8] == ' ' || (k[8] >= '0' && k[8] <= '9')) || !all_digits(k + 9, 1) ||
            k[10] != ' ' || k[19] != ' ' || !all_digits(k + 20, 4))
            return -1;
        for (int m = 0; m < 12 && !month; m++)
            if (memcmp(k + 4, months + 3 * m, 3) == 0)
                month = m + 1;
        year = two(k + 20) * 100 + two(k + 22);
        day = (k[8] == ' ' ? 0 : k[8] - '0') * 10 + (k[9] - '0');
        t = k + 11;
    } else if (form == NAIVE_SYSLOG) { /* Mmm DD HH:MM:SS (the day's tens may be a space) */
        if (n != 15 || k[3] != ' ' || !(k[4] == ' ' || (k[4] >= '0' && k[4] <= '9')) ||
            !all_digits(k + 5, 1) || k[6] != ' ')
            return -1;
        for (int m = 0; m < 12 && !month; m++)
            if (memcmp(k, months + 3 * m, 3) == 0)
                month = m + 1;
        year = 2000;
        day = (k[4] == ' ' ? 0 : k[4] - '0') * 10 + (k[5] - '0');
        t = k + 7;
    } else if (form == NAIVE_DMY || form == NAIVE_MDY) { /* DD/MM/YYYY","HH:MM:SS or a space */
        if (!all_digits(k, 2) || k[2] != '/' || !all_digits(k + 3, 2) || k[5] != '/' ||
            !all_digits(k + 6, 4) ||
            !(n == 21 ? memcmp(k + 10, "\",\"", 3) == 0 : n == 19 && k[10] == ' '))
            return -1;
        year = two(k + 6) * 100 + two(k + 8);
        day = two(form == NAIVE_DMY ? k : k + 3);
        month = two(form == NAIVE_DMY ? k + 3 : k);
    } else if (form == LOCAL_CLF) {
        if (n != 20 || !all_digits(k, 2) || k[2] != '/' || k[6] != '/' || !all_digits(k + 7, 4) ||
            k[11] != ':')
            return -1;
        for (int m = 0; m < 12 && !month; m++)
            if (memcmp(k + 3, months + 3 * m, 3) == 0)
                month = m + 1;
        year = two(k + 7) * 100 + two(k + 9);
        day = two(k);
    } else {
        if (n < 18 || !all_digits(k, 4) || k[4] != '-' || !all_digits(k + 5, 2) || k[7] != '-' ||
            !all_digits(k + 8, 2))
            return -1;
        if (k[10] == 'T' && n > 19) { /* ISO 8601's HH:MM:SS.fff (PAN-OS' High Resolution
                                       * Timestamp): the time after the T, then a fraction */
            t = k + 11;
            if (k[19] != '.' || n == 20 || !all_digits(k + 20, (int)(n - 20)))
                return -1;
        }
        year = two(k) * 100 + two(k + 2);
        month = two(k + 5);
        day = two(k + 8);
    }
    if (!all_digits(t, 2) || t[2] != ':' || !all_digits(t + 3, 2) || t[5] != ':' ||
        !all_digits(t + 6, 2))
        return -1;
    int hour = two(t), minute = two(t + 3), second = two(t + 6);
    if (year < 1000 || year > 9998 || month < 1 || month > 12 || day < 1 || hour > 23 ||
        minute > 59 || second > 59)
        return -1;
    int leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
    if (day > days[month - 1] + (month == 2 && leap))
        return -1;
    return ((((int64_t)year * 100 + month) * 100 + day) * 100 + hour) * 10000 + minute * 100 +
           second;
}

/* Whether [z, z + n) is a UTC offset: ``+HHMM`` or ``-HHMM`` (HH <= 23, MM <= 59), as a zone
 * element holds one; or ISO 8601's ``+HH:MM``, ``-HH:MM`` or ``Z``, as free columns find it. */
static inline int offset(const uint8_t *z, Py_ssize_t n)
{
    if (n == 1)
        return z[0] == 'Z';
    if ((n != 5 && n != 6) || (z[0] != '+' && z[0] != '-') || !all_digits(z + 1, 2))
        return 0;
    const uint8_t *m = z + n - 2; /* the minutes: after the hours, or after their ':' */
    return (n == 5 || z[3] == ':') && all_digits(m, 2) && two(z + 1) <= 23 && two(m) <= 59;
}

/* A line whose time is local, with its UTC offset in another element (FortiGate's date, time
 * and tz; Squid's ``[%tl]``): its key is a possible time (key_order), and its offset is
 * ``+HHMM`` or ``-HHMM`` (HH <= 23, MM <= 59), or one of the program's zone names, equal to the
 * walk's: the first such line's, pinned.  Then the keys of the walk's usual lines order them in
 * time: as text (LOCAL_ISO), or by their order (LOCAL_CLF, kept in w->order).  A UTC key
 * (UTC_ISO: W3C's ``date time``, GMT without an offset written; LEEF's ``devTime``
 * ``YYYY-MM-DDTHH:MM:SS.fff``, its ``Z`` the chain's) need only be a possible time,
 * and orders lines as text; so does a local key without an offset anywhere (NAIVE_ASCTIME:
 * Zscaler's ``time``; NAIVE_DMY, NAIVE_MDY: Forcepoint's date and time columns; read in the
 * scan's time zone), ordered by its date: the scanner checks
 * that the walk's span of keys holds no DST change.  0: the line is for the parser. */
static int local_key(const Program *pr, Walk *w, const uint8_t *k, const uint8_t *nl,
                     const uint8_t **zone)
{
    const Py_ssize_t n = w->key_len;
    if (w->local == UTC_ISO) /* YYYY-MM-DD HH:MM:SS, or YYYY-MM-DDTHH:MM:SS.fff (then 'T') */
        return k && nl - k >= n && (n == 19 || k[10] == 'T') && key_order(LOCAL_ISO, k, n) >= 0;
    if (NAIVE(w->local)) /* the scanner reads the block's hours in --tz */
        return k && nl - k >= n && (w->order = key_order(w->local, k, n)) >= 0;
    const uint8_t *z = zone[0];
    const Py_ssize_t zn = z ? zone[1] - z : 0;
    if (!z || !k || zn < 1 || zn > 8 || nl - k < n)
        return 0;
    if (pr->zones_len ? !listed(pr->zones, pr->zones_len, z, zone[1]) : !offset(z, zn))
        return 0;
    if ((w->order = key_order(w->local, k, n)) < 0)
        return 0;
    if (!w->zone_len) {
        memcpy(w->zone, z, (size_t)zn);
        w->zone_len = zn;
        return 1;
    }
    return w->zone_len == zn && memcmp(w->zone, z, (size_t)zn) == 0;
}

/* Appends the host span [a, b) to a line's entry at `o`, after `hosts` others (". ." between
 * two spans: never inside a host name); returns the entry's new end. */
static inline uint8_t *put_host(uint8_t *o, const uint8_t *a, const uint8_t *b,
                                const uint8_t *end, int hosts)
{
    if (hosts) {
        *o++ = '.';
        *o++ = ' ';
    }
    *o++ = '.';
    if (b - a <= 32 && end - a >= 32)
        memcpy(o, a, 32); /* one vector copy: the scratch space has room after */
    else
        memcpy(o, a, (size_t)(b - a));
    return o + (b - a);
}

/* Appends a DNS name written as length-prefixed labels, [a, b), to a line's entry at `o`,
 * after `hosts` others, decoded as the parser's decode_qname reads it: each `(n)` (1 to 3
 * digits, whatever n says) a dot, `(7)chatgpt(3)com(0)` the entry's ".chatgpt.com" (see
 * put_host).  Only the names of the plain form: `(n)`, a label, any number of times, then
 * `(0)`; each label not empty and without parentheses (the span's class gives the rest of
 * its bytes, no dot); the name a good host name (bad_host; then within MAX_HOST bytes).
 * Returns the entry's new end, or NULL (the parser reads the line: `(3)www(0)(3)com(0)`, which
 * it rejects, a trailing `(00)` or `(5)(0)`, which it may read otherwise). */
static inline uint8_t *put_labels(const Program *pr, uint8_t *o, const uint8_t *a,
                                  const uint8_t *b, int hosts)
{
    if (hosts) {
        *o++ = '.';
        *o++ = ' ';
    }
    uint8_t *name = o;
    const uint8_t *p = a;
    for (;;) {
        if (p == b || *p != '(')
            return NULL;
        const uint8_t *d = ++p;
        while (p < b && p - d < 4 && *p >= '0' && *p <= '9')
            p++;
        if (p == d || p - d > 3 || p == b || *p != ')')
            return NULL;
        const int zero = p - d == 1 && *d == '0';
        if (++p == b) { /* the root's (0) ends a name of at least one label */
            if (!zero || o == name)
                return NULL;
            break;
        }
        const uint8_t *label = p;
        while (p < b && *p != '(') {
            if (*p == ')')
                return NULL;
            p++;
        }
        if (p == label || (o - name) + 1 + (p - label) > MAX_HOST + 1)
            return NULL;
        *o++ = '.';
        memcpy(o, label, (size_t)(p - label));
        o += p - label;
    }
    return bad_host(pr, name + 1, o) ? NULL : o;
}

#include "_lines_usual.h"

#define FIND_NL(p, end) ((const uint8_t *)memchr((p), '\n', (size_t)((end) - (p))))
#define IN_TABLE(t, p) (pr->tables[256 * (Py_ssize_t)(t) + *(p)])
#define CHECK_NAME check_scalar
#define WALK_NAME walk_scalar
#define CHECK_ATTR
#define RUN(t, p) run_scalar(pr, t, p, end)
/* a run of a few bytes at most: a bounded element, or a separator */
#define SHORT_RUN(t, p) RUN(t, p)
#define IN IN_TABLE
#define PROLOGUE
/* a top-level separator (see native._separators): walked as a short element here */
#define SEP_PROLOGUE(t)
#define SEP(k, t)                                                                              \
    do {                                                                                       \
        start = p;                                                                             \
        p = SHORT_RUN(t, p);                                                                   \
        if (p == start)                                                                        \
            FAIL;                                                                              \
    } while (0)
#include "_lines_check.h"
#undef CHECK_NAME
#undef WALK_NAME
#undef CHECK_ATTR
#undef RUN

#if defined(__x86_64__) && defined(__GNUC__)
#include <immintrin.h>
#define HAVE_AVX2_PATH 1

/* 32 bytes at a time: membership by two nibble lookups (pshufb), the run's end by tzcnt */
__attribute__((target("avx2,bmi"))) static inline const uint8_t *
run_avx2(const Program *pr, int32_t t, const uint8_t *p, const uint8_t *end)
{
    const __m256i table = _mm256_loadu_si256((const __m256i *)pr->nibbles[t]);
    const __m256i bits = _mm256_setr_epi8(1, 2, 4, 8, 16, 32, 64, -128, 0, 0, 0, 0, 0, 0, 0, 0,
                                          1, 2, 4, 8, 16, 32, 64, -128, 0, 0, 0, 0, 0, 0, 0, 0);
    const __m256i low = _mm256_set1_epi8(0x0f);
    const int high = pr->high[t];
    while (end - p >= 32) {
        __m256i v = _mm256_loadu_si256((const __m256i *)p);
        __m256i a = _mm256_shuffle_epi8(table, _mm256_and_si256(v, low));
        __m256i b = _mm256_shuffle_epi8(bits, _mm256_and_si256(_mm256_srli_epi16(v, 4), low));
        uint32_t out = (uint32_t)_mm256_movemask_epi8(
            _mm256_cmpeq_epi8(_mm256_and_si256(a, b), _mm256_setzero_si256()));
        if (high)
            out &= ~(uint32_t)_mm256_movemask_epi8(v);
        if (out)
            return p + _tzcnt_u32(out);
        p += 32;
    }
    return run_scalar(pr, t, p, end);
}

#define CHECK_NAME check_avx2
#define WALK_NAME walk_avx2
#define CHECK_ATTR __attribute__((target("avx2,bmi")))
#define RUN(t, p) run_avx2(pr, t, p, end)
/* A short run ends within a vector's first bytes, and the vector's set-up (its loads, two
 * lookups, a mask) costs more than looking up its few bytes one by one.  Straight code at this
 * level, the one of every profile with more than 16 classes (alternated in one process, the
 * fastest of 30 walks of 4 MiB, the eleventh session's Xeon): Squid 221 -> 160 ns a line
 * (scalar: 207), FortiGate 525 -> 441, Sophos XG 437 -> 386, Stormshield 480 -> 439, CEF
 * 374 -> 359, Squid combined 386 -> 313; the separators alone took Squid to 180, FortiGate
 * nowhere. */
#undef SHORT_RUN
#define SHORT_RUN(t, p) run_scalar(pr, t, p, end)
#include "_lines_check.h"
#undef CHECK_NAME
#undef WALK_NAME
#undef CHECK_ATTR
#undef RUN
#undef PROLOGUE

/* AVX-512 (VBMI): the class masks of the line (up to its first 256 bytes), for every class at
 * once (one byte lookup per 64 bytes gives each byte its classes), then each run is a shift and
 * a count of trailing zeros over two 64-bit words.  Only the 64-byte vectors up to the line's
 * newline are looked up.  Lines whose newline is not in the first 256 bytes (or near the
 * block's end) take the scalar walk. */
typedef unsigned __int128 u128;
#define VECTORS 4
#define WINDOW (64 * VECTORS)

/* bit i of out[w]: byte 64 w + i of the line is NOT in the class; the newline is in no class,
 * so a run always stops at or before it, and word w + 1 is read only while w holds no end */
static const uint8_t IOTA64[64] = {
    0,  1,  2,  3,  4,  5,  6,  7,  8,  9,  10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21,
    22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32, 33, 34, 35, 36, 37, 38, 39, 40, 41, 42, 43,
    44, 45, 46, 47, 48, 49, 50, 51, 52, 53, 54, 55, 56, 57, 58, 59, 60, 61, 62, 63};

__attribute__((target("bmi"))) static inline const uint8_t *
run_words(const uint64_t (*out_of)[VECTORS + 1], const uint8_t *line, int32_t t,
          const uint8_t *p)
{
    const uint64_t *m = out_of[t];
    size_t o = (size_t)(p - line);
    for (;;) {
        size_t w = o >> 6;
        uint64_t bits = (uint64_t)((((u128)m[w + 1] << 64) | m[w]) >> (o & 63));
        if (bits)
            return line + o + _tzcnt_u64(bits);
        o += 64;
    }
}

/* The line's newline: the four vectors of its window compared at once, and the first of them
 * that holds a newline picked without a branch (a line of the usual 100-250 bytes ends in its
 * second, third or fourth vector, from line to line in no order a predictor learns) */
__attribute__((target("avx512f,avx512bw,bmi"))) static inline const uint8_t *
find_nl512(const uint8_t *p, const uint8_t *end)
{
    if (end - p >= WINDOW) {
        const __m512i nl = _mm512_set1_epi8('\n');
        uint64_t m[VECTORS];
        unsigned any = 0;
        for (int v = 0; v < VECTORS; v++) {
            m[v] = _mm512_cmpeq_epi8_mask(_mm512_loadu_si512(p + 64 * v), nl);
            any |= (unsigned)(m[v] != 0) << v;
        }
        if (any) {
            const unsigned v = _tzcnt_u32(any);
            return p + 64 * v + _tzcnt_u64(m[v]);
        }
    }
    return memchr(p, '\n', (size_t)(end - p));
}

#undef FIND_NL
#define FIND_NL find_nl512
#define CHECK_NAME check_avx512
#define WALK_NAME walk_avx512
#define CHECK_ATTR __attribute__((target("avx512f,avx512bw,avx512vbmi,avx512vbmi2,bmi,bmi2,popcnt")))
#define RUN(t, p) run_words(out_of, line, t, p)
#undef SHORT_RUN
#define SHORT_RUN(t, p) RUN(t, p)
#undef IN
#define IN(t, p) ((int)((out_of[t][((p) - line) >> 6] >> (((p) - line) & 63)) & 1) ^ 1)
#define PROLOGUE                                                                               \
    const uint8_t *line = p;                                                                   \
    uint64_t out_of[16][VECTORS + 1];                                                          \
    const int vectors = (int)((nl - p) >> 6) + 1; /* those that hold the newline, and before */ \
    if (vectors > VECTORS || end - p < 64 * vectors || n_tables_here > 16)                    \
        return check_scalar(pr, p, nl, end, stop, out, zone);                                  \
    for (int v = 0; v < vectors; v++) {                                                        \
        const __m512i x = _mm512_loadu_si512(p + 64 * v);                                     \
        const __mmask64 high = _mm512_movepi8_mask(x);                                         \
        for (int g = 0; g < 2 && 8 * g < n_tables_here; g++) {                                 \
            const __m512i ta = _mm512_loadu_si512(pr->classes[g]);                             \
            const __m512i tb = _mm512_loadu_si512(pr->classes[g] + 64);                        \
            const __m512i hb = _mm512_set1_epi8((char)pr->high_classes[g]);                    \
            const __m512i c = _mm512_mask_mov_epi8(_mm512_permutex2var_epi8(ta, x, tb), high, hb); \
            for (int t = 8 * g; t < 8 * g + 8 && t < n_tables_here; t++)                       \
                out_of[t][v] = ~(uint64_t)_mm512_test_epi8_mask(                               \
                    c, _mm512_set1_epi8((char)(1u << (t & 7))));                               \
        }                                                                                      \
    }                                                                                          \
    for (int t = 0; t < n_tables_here && t < 16; t++)                                         \
        out_of[t][vectors] = ~0ull;
/* Every separator run of the line at once (its starts and ends, in order, by compressing the
 * byte offsets of the run boundaries): the fields between separators are then checked without
 * waiting for each other (the k-th separator of a usual line is its k-th run, see
 * native._separators) */
#undef SEP_PROLOGUE
#define SEP_PROLOGUE(t)                                                                        \
    uint8_t sep_at[256], sep_end[256];                                                         \
    int n_seps = 0;                                                                            \
    {                                                                                          \
        const uint64_t last = (uint64_t)(nl - line) & 63;                                      \
        const __m512i iota = _mm512_loadu_si512(IOTA64);                                       \
        uint64_t carry = 0;                                                                    \
        int n_ends = 0;                                                                        \
        for (int v = 0; v < vectors; v++) {                                                    \
            uint64_t s = ~out_of[t][v];                                                        \
            if (v == vectors - 1)                                                              \
                s &= (1ull << last) - 1; /* the newline and what follows it: none */           \
            const uint64_t prev = (s << 1) | carry;                                            \
            carry = s >> 63;                                                                   \
            const uint64_t st = s & ~prev, en = ~s & prev;                                     \
            const __m512i at = _mm512_add_epi8(iota, _mm512_set1_epi8((char)(64 * v)));       \
            _mm512_storeu_si512(sep_at + n_seps, _mm512_maskz_compress_epi8(st, at));         \
            _mm512_storeu_si512(sep_end + n_ends, _mm512_maskz_compress_epi8(en, at));        \
            n_seps += __builtin_popcountll(st);                                                \
            n_ends += __builtin_popcountll(en);                                                \
        }                                                                                      \
    }
#undef SEP
#define SEP(k, t)                                                                              \
    do {                                                                                       \
        if ((k) >= n_seps || p != line + sep_at[k])                                            \
            FAIL;                                                                              \
        p = line + sep_end[k];                                                                 \
    } while (0)
#include "_lines_check.h"
#undef CHECK_NAME
#undef WALK_NAME
#undef CHECK_ATTR
#undef RUN
#undef IN
#undef PROLOGUE
#endif

/* A program every walk of which ends at an END within bounds: known operations, valid tables,
 * targets that are operation starts further on, and an END last.  Classes never hold '\n', so
 * every run stops at the line's end. */
static int valid_program(const Program *pr)
{
    const int32_t *g = pr->prog;
    Py_ssize_t n = pr->prog_len, pc = 0, last = -1;
    int ok = 1;
    if (n < 2 || pr->n_tables < 1)
        return 0;
    for (Py_ssize_t t = 0; t < pr->n_tables; t++)
        if (pr->tables[256 * t + '\n'])
            return 0;
    uint8_t *starts = PyMem_RawCalloc((size_t)n, 1);
    if (!starts)
        return 0;
#define TABLE_OK(t) ((t) >= 0 && (t) < pr->n_tables)
    while (ok && pc < n) {
        starts[pc] = 1;
        last = pc;
        switch (g[pc]) {
        case OP_ELEM:
            ok = pc + 6 <= n && TABLE_OK(g[pc + 1]) && (g[pc + 2] < 0 || TABLE_OK(g[pc + 2])) &&
                 g[pc + 3] >= 0 && g[pc + 5] >= 0 && ROLE(g[pc + 5]) <= LABELS &&
                 (g[pc + 5] >> ROLE_BITS == 0 ||
                  ((ROLE(g[pc + 5]) == PAIRS || ROLE(g[pc + 5]) == COLUMNS) &&
                   g[pc + 5] >> ROLE_BITS < pr->pair_sets));
            pc += 6;
            break;
        case OP_BRANCH:
            ok = pc + 4 <= n && g[pc + 1] >= 1 && pc + 4 + 2 * (Py_ssize_t)g[pc + 1] <= n;
            for (int32_t i = 0; ok && i < g[pc + 1]; i++)
                ok = TABLE_OK(g[pc + 3 + 2 * i]);
            pc += ok ? 4 + 2 * (Py_ssize_t)g[pc + 1] : 0;
            break;
        case OP_JUMP:
        case OP_END:
            ok = pc + 2 <= n && (g[pc] == OP_JUMP || TABLE_OK(g[pc + 1]));
            pc += 2;
            break;
        default:
            ok = 0;
        }
    }
    ok = ok && pc == n && g[last] == OP_END;
    /* every target is the start of an operation after the one that jumps */
#define TARGET_OK(x, from) ((x) > (from) && (x) < n && starts[x])
    for (pc = 0; ok && pc < n;) {
        switch (g[pc]) {
        case OP_ELEM:
            pc += 6;
            break;
        case OP_BRANCH:
            for (int32_t i = 0; ok && i <= g[pc + 1]; i++)
                ok = TARGET_OK(g[pc + 4 + 2 * i - (i == g[pc + 1])], pc);
            pc += 4 + 2 * (Py_ssize_t)g[pc + 1];
            break;
        case OP_JUMP:
            ok = TARGET_OK(g[pc + 1], pc);
            pc += 2;
            break;
        default:
            pc += 2;
        }
    }
#undef TABLE_OK
#undef TARGET_OK
    PyMem_RawFree(starts);
    return ok;
}

static PyObject *vec_bytes(const Vec *r)
{
    return PyBytes_FromStringAndSize((const char *)r->v, r->len * (Py_ssize_t)sizeof(int64_t));
}

/* The generated walks, by instruction set (none, AVX2, AVX-512) */
typedef int (*Walker)(const Program *, Walk *);
typedef struct {
    const int32_t *ops;
    size_t ops_size;
    const uint8_t *tables;
    size_t tables_size;
    Walker walk[3];
} Straight;

#ifdef HAVE_AVX2_PATH
#define X(name)                                                                                \
    {usual_##name##_ops,                                                                       \
     sizeof usual_##name##_ops,                                                                \
     usual_##name##_tables,                                                                    \
     sizeof usual_##name##_tables,                                                             \
     {walk_scalar_##name, walk_avx2_##name, walk_avx512_##name}},
#else
#define X(name)                                                                                \
    {usual_##name##_ops,                                                                       \
     sizeof usual_##name##_ops,                                                                \
     usual_##name##_tables,                                                                    \
     sizeof usual_##name##_tables,                                                             \
     {walk_scalar_##name, walk_scalar_##name, walk_scalar_##name}},
#endif
static const Straight STRAIGHT[] = {USUAL_PROGRAMS(X)};
#undef X

/* The generated walk of a program equal to the one given, or NULL. */
static Walker straight(const Py_buffer *ops, const Py_buffer *tables, int level)
{
    for (size_t i = 0; i < sizeof STRAIGHT / sizeof STRAIGHT[0]; i++) {
        const Straight *s = &STRAIGHT[i];
        if ((size_t)ops->len == s->ops_size && (size_t)tables->len == s->tables_size &&
            memcmp(ops->buf, s->ops, s->ops_size) == 0 &&
            memcmp(tables->buf, s->tables, s->tables_size) == 0)
            return s->walk[level];
    }
    return NULL;
}

PyDoc_STRVAR(walk_doc,
    "walk(program, tables, reserved, block, key_len, table=None, simd=2, generic=False,\n"
    "     key_at=0, local=False, dotted=False, zones=b'', pairs=b'', max_line=0,\n"
    "     hostless=False, skip_timed=False)\n"
    "--\n\n"
    "Account for the lines of ``block`` (bytes-like, ending with a newline).\n\n"
    "``program``: int32 operations; ``tables``: 256-byte class tables; ``reserved``: words that\n"
    "are not host names, each followed by a newline; ``table``: the host table (a writable\n"
    "buffer of 2**k 64-byte slots, zeroed at first) or None.  Returns (number of lines, the\n"
    "lines that are not usual as int64 quadruples (line, start, end, kind), the new host\n"
    "entries as one buffer of '.host.\\n', their (slot or -1, end, 0, 0), the usual lines\n"
    "whose entry is new as (line, start, end, entry), those whose entry was decided 'yes' or\n"
    "'by line' as (line, start, end, state), start of the smallest ``key_len``-byte time key\n"
    "of a usual line (``key_at`` bytes after its start) or -1, start of the largest or -1,\n"
    "the UTC offset of the walk's usual lines or None; ``key_at`` -1: the key starts where the\n"
    "element marked as the key does).  Line ends exclude the newline; the\n"
    "caller sets the state of each new entry's slot.  ``local``: the key is a local time whose\n"
    "offset an element of the program holds (the first usual line's offset is pinned; a line\n"
    "with another, or an impossible time, is for the parser): 1 ``YYYY-MM-DD…HH:MM:SS``, which\n"
    "orders lines as text, 2 ``DD/Mon/YYYY:HH:MM:SS`` (CLF), ordered by its date; 3 a UTC\n"
    "``YYYY-MM-DD HH:MM:SS`` (or ``YYYY-MM-DDTHH:MM:SS.fff``) without an offset (a possible\n"
    "time, ordered as text); 4 a local ``Www Mmm DD HH:MM:SS YYYY`` without an offset\n"
    "anywhere (a possible time, ordered by its date: the caller checks the hours), 5 and 6\n"
    "likewise ``DD/MM/YYYY\",\"HH:MM:SS`` and ``MM/DD/YYYY\",\"HH:MM:SS``; 0 none.\n"
    "``dotted``: a host name without\n"
    "a dot, or whose last label has no letter, is for the parser; ``zones``: the names a zone\n"
    "may be written as, each followed by a newline (none: +HHMM); ``pairs``: the rules of the\n"
    "PAIRS elements, a set per element (its role's high bits; sets separated by NUL bytes, at\n"
    "most four of 32 rules each): the keys its pairs may not have, or after '#' those whose\n"
    "value must be digits, after '@' the one whose quoted value is the line's host name, after\n"
    "'/' those whose value must be empty or start with '/', after '$' the one whose bare or\n"
    "quoted value is the host name, after '&' ``key=word|word|`` the key a line must have, its\n"
    "value one of the words, each followed by a newline; a set\n"
    "that starts with ':' and a newline reads ``[key:\"value\"; ...]`` (colon_pairs), where\n"
    "'*' names the time key, '^' the URL key, '!' the key a line must have, '~' a key it may\n"
    "have only beside the URL key; a set that starts with '{', a digit and a newline reads a\n"
    "JSON object then that many '}' (json_pairs), '*' and '^' naming its time and URL keys,\n"
    "'%' its epoch key (D{10}.D{n}), ';' its milliseconds key (D{13}), '+' a key it must have;\n"
    "the sets of the\n"
    "COLUMNS elements follow, their keys column numbers (free_columns).  ``max_line``: a line\n"
    "longer than that many bytes is for the parser (0: no limit; csv's field limit).\n"
    "``hostless``: a usual line names no host (no element marked as one): an event without\n"
    "one, counted with those that passed PAIRS or COLUMNS without a host name.  ``skip_timed``:\n"
    "the time key of a line that passed an element marked SKIP is checked as a counted line's\n"
    "(the parser reads it: a syslog header's).\n"
    "Returns also the usual lines marked MARK, those without a host name that\n"
    "passed an element marked PAIRS or COLUMNS, and those that passed one marked SKIP (not events; in no\n"
    "array, their time keys unread).  ``simd``: the widest\n"
    "instructions to use where the processor has them (0 none, 1 AVX2, 2 AVX-512); ``generic``:\n"
    "interpret the program even if a straight version of it was generated.  Both for tests.");

static PyObject *walk(PyObject *self, PyObject *args)
{
    (void)self;
    Py_buffer prog_b, tab_b, res_b, block_b, table_b = {0}, zones_b = {0}, pairs_b = {0};
    Py_ssize_t key_len, key_at = 0, max_line = 0;
    PyObject *table_o = Py_None;
    int simd = 2, generic = 0, local = 0, dotted = 0, hostless = 0, skip_timed = 0;
    if (!PyArg_ParseTuple(args, "y*y*y*y*n|Oipnipy*y*npp", &prog_b, &tab_b, &res_b, &block_b,
                          &key_len, &table_o, &simd, &generic, &key_at, &local, &dotted, &zones_b,
                          &pairs_b, &max_line, &hostless, &skip_timed))
        return NULL;
    if (table_o != Py_None && PyObject_GetBuffer(table_o, &table_b, PyBUF_WRITABLE) < 0) {
        PyBuffer_Release(&prog_b);
        PyBuffer_Release(&tab_b);
        PyBuffer_Release(&res_b);
        PyBuffer_Release(&block_b);
        if (zones_b.buf)
            PyBuffer_Release(&zones_b);
        if (pairs_b.buf)
            PyBuffer_Release(&pairs_b);
        return NULL;
    }
    PyObject *result = NULL;
    Program pr;
    memset(&pr, 0, sizeof pr);
    pr.prog = prog_b.buf;
    pr.prog_len = prog_b.len / (Py_ssize_t)sizeof(int32_t);
    pr.tables = tab_b.buf;
    pr.n_tables = tab_b.len / 256;
    pr.reserved = res_b.buf;
    pr.reserved_len = res_b.len;
    pr.dotted = dotted;
    pr.hostless = hostless;
    pr.skip_timed = skip_timed;
    pr.zones = zones_b.buf;
    pr.zones_len = zones_b.buf ? zones_b.len : 0;
    /* the rules' sets, separated by NUL bytes, each empty or ending with a newline */
    int pairs_ok = 1;
    const uint8_t *r = pairs_b.buf ? pairs_b.buf : (const uint8_t *)"";
    const uint8_t *const rules_end = r + (pairs_b.buf ? pairs_b.len : 0);
    for (;;) {
        const uint8_t *nul = memchr(r, '\0', (size_t)(rules_end - r)), *e = nul ? nul : rules_end;
        pairs_ok = pr.pair_sets < MAX_PAIR_SETS && (e == r || e[-1] == '\n');
        if (!pairs_ok)
            break;
        const int set = pr.pair_sets++;
        if (e - r >= 2 && r[0] == '|' && r[1] == '\n') { /* an alternative follows */
            pr.pair_next[set] = 1;
            r += 2;
        }
        if (e - r >= 2 && r[0] == '?' && r[1] == '\n') { /* its lines are DNS queries */
            pr.pair_dns[set] = 1;
            r += 2;
        }
        if (e - r >= 2 && r[0] == ':' && r[1] == '\n') { /* the colon grammar's mark */
            pr.colon[set] = 1;
            r += 2;
        } else if (e - r >= 3 && r[0] == '{' && r[1] >= '0' && r[1] <= '9' &&
                   (r[2] == '\n' || (e - r >= 4 && r[2] == '=' && r[3] == '\n'))) {
            pr.json[set] = (uint8_t)(1 + r[1] - '0'); /* JSON's, and the objects it closes */
            pr.json_exact[set] = r[2] == '='; /* its keys' rules as written */
            r += 3 + pr.json_exact[set];
        }
        pr.pairs[set] = r;
        pr.pairs_len[set] = e - r;
        int rules = 0;
        for (const uint8_t *q = r, *a = r; pairs_ok && q < e; q++)
            if (*q == '\n') {
                const int kind = *a == '#'   ? PAIR_DIGITS
                                 : *a == '@' ? PAIR_HOST
                                 : *a == '/' ? PAIR_PATH
                                 : *a == '*' ? PAIR_TIME
                                 : *a == '^' ? PAIR_URL
                                 : *a == '!' ? PAIR_NEEDED
                                 : *a == '~' ? PAIR_BESIDE_URL
                                 : *a == '=' ? PAIR_NAME
                                 : *a == '%' ? PAIR_EPOCH
                                 : *a == ';' ? PAIR_MILLIS
                                 : *a == '+' ? PAIR_REQUIRED
                                 : *a == '$' ? PAIR_BARE_HOST
                                 : *a == '&' ? PAIR_WORDS
                                             : PAIR_FORBIDDEN;
                pr.needs[set] |= kind == PAIR_NEEDED;
                pr.json_names[set] |= (uint8_t)(kind == PAIR_URL     ? JSON_URL
                                                : kind == PAIR_HOST  ? JSON_HOST
                                                : kind == PAIR_NEEDED ? JSON_NEEDED
                                                : kind == PAIR_REQUIRED ? JSON_REQUIRED
                                                : kind == PAIR_TIME || kind == PAIR_EPOCH ||
                                                          kind == PAIR_MILLIS
                                                    ? JSON_TIME
                                                    : 0);
                const uint8_t *k = a + (kind != PAIR_FORBIDDEN);
                /* a PAIR_WORDS rule: key=word|word|...| (its key ends at '=') */
                const uint8_t *kend = q;
                if (kind == PAIR_WORDS) {
                    kend = memchr(k, '=', (size_t)(q - k));
                    pairs_ok = kend != NULL && q > kend + 1 && q[-1] == '|' &&
                               !pr.pair_words[set] && !pr.colon[set] && !pr.json[set];
                    if (!pairs_ok)
                        kend = q;
                }
                if (kind == PAIR_BARE_HOST) /* the plain grammar's only */
                    pairs_ok = !pr.colon[set] && !pr.json[set];
                pairs_ok = pairs_ok && kend > k && kend - k <= 31 && rules < MAX_PAIR_RULES;
                if (pairs_ok) {
                    pr.pair_lengths[set][*k] |= 1u << (kend - k);
                    pr.pair_rules[set][rules].key = k;
                    pr.pair_rules[set][rules].len = (uint8_t)(kend - k);
                    pr.pair_rules[set][rules].kind = (uint8_t)kind;
                    if (kind == PAIR_WORDS) {
                        pr.pair_rules[set][rules].words = kend + 1;
                        pr.pair_rules[set][rules].words_len = q - (kend + 1);
                        pr.pair_words[set] = (uint8_t)(rules + 1);
                    }
                    pr.rules_by_hash[set][pair_hash(k, kend - k)] |= 1u << rules;
                    rules++;
                    int column = 0; /* a column's number (a COLUMNS run's set) */
                    for (const uint8_t *d = k; d < kend && column < 1000; d++)
                        column = *d >= '0' && *d <= '9' ? column * 10 + (*d - '0') : 1000;
                    if (column < MAX_COLUMN_RULES) {
                        if (kind == PAIR_TIME)
                            pr.time_from[set] = column;
                        else
                            pr.column_rule[set][column] = (uint8_t)kind;
                        if (column + 1 > pr.min_columns[set])
                            pr.min_columns[set] = column + 1;
                    }
                }
                a = q + 1;
            }
        if (!pairs_ok || !nul)
            break;
        r = nul + 1;
    }
    if (pr.pair_sets && pr.pair_next[pr.pair_sets - 1])
        pairs_ok = 0; /* an alternative that is not there */
    for (const uint8_t *r = pr.reserved, *stop = r + pr.reserved_len, *a = r; r < stop; r++)
        if (*r == '\n') {
            pr.reserved_lengths |= 1ull << (r - a < 63 ? r - a : 63);
            a = r + 1;
        }
    const uint8_t *data = block_b.buf;
    Py_ssize_t size = block_b.len;
    pr.key_len = key_len;
    pr.utc_z = local == UTC_ISO;
    if (prog_b.len % 4 || tab_b.len % 256 || key_len < 0 || key_at < -1 || local < 0 ||
        local > NAIVE_MDY12 || !pairs_ok || !valid_program(&pr)) {
        PyErr_SetString(PyExc_ValueError, "walk: malformed program or tables");
        goto done;
    }
    if (size && data[size - 1] != '\n') {
        PyErr_SetString(PyExc_ValueError, "walk: the block must end with a newline");
        goto done;
    }
    uint64_t n_slots = table_b.buf ? (uint64_t)table_b.len / SLOT : 0;
    if (table_b.buf && (n_slots < 2 || (n_slots & (n_slots - 1)) || table_b.len % SLOT)) {
        PyErr_SetString(PyExc_ValueError, "walk: the host table must be 2**k slots of 64 bytes");
        goto done;
    }
    int failed = 0, level = 0;
    Walker walk_lines = walk_scalar;
#ifdef HAVE_AVX2_PATH
    prepare(&pr);
    if (simd >= 1 && uniform_high(&pr) && __builtin_cpu_supports("avx2") &&
        __builtin_cpu_supports("bmi"))
        walk_lines = walk_avx2, level = 1;
    if (simd >= 2 && uniform_high(&pr) && pr.n_tables <= 16 && __builtin_cpu_supports("avx512f") &&
        __builtin_cpu_supports("avx512bw") && __builtin_cpu_supports("avx512vbmi") &&
        __builtin_cpu_supports("avx512vbmi2") && __builtin_cpu_supports("popcnt") &&
        __builtin_cpu_supports("bmi2"))
        walk_lines = walk_avx512, level = 2;
#endif
    Walker fast = straight(&prog_b, &tab_b, level);
    if (fast && !generic)
        walk_lines = fast;
    Walk w;
    memset(&w, 0, sizeof w);
    w.data = data;
    w.size = size;
    w.key_len = key_len;
    w.key_at = key_at;
    w.local = local;
    w.max_line = max_line < 0 ? 0 : max_line;
    w.table = table_b.buf;
    w.mask = n_slots ? n_slots - 1 : 0;
    w.lo = w.hi = -1;
    if (w.table) {
        uint64_t count;
        memcpy(&count, w.table, 8);
        if (count >= n_slots / 2) /* half full: start again, keeping the entries met again */
            keep_met(w.table, (Py_ssize_t)n_slots);
    }
    Py_BEGIN_ALLOW_THREADS
    failed = walk_lines(&pr, &w);
    if (!failed)
        failed = settle_all(&w) < 0;
    Py_END_ALLOW_THREADS
    if (failed) {
        PyErr_NoMemory();
    } else {
        PyObject *r = vec_bytes(&w.rows), *sl = vec_bytes(&w.slots);
        PyObject *pe = vec_bytes(&w.pending), *kn = vec_bytes(&w.known);
        PyObject *en = PyBytes_FromStringAndSize((const char *)w.hosts, w.hosts_len);
        PyObject *zo = w.zone_len ? PyBytes_FromStringAndSize((const char *)w.zone, w.zone_len)
                                  : Py_NewRef(Py_None);
        if (r && sl && pe && kn && en && zo)
            result = Py_BuildValue("LNNNNNLLNLLL", (long long)w.lines, r, en, sl, pe, kn,
                                   (long long)w.lo, (long long)w.hi, zo, (long long)w.marked,
                                   (long long)w.no_host, (long long)w.skipped);
        else {
            Py_XDECREF(zo);
            Py_XDECREF(r);
            Py_XDECREF(sl);
            Py_XDECREF(pe);
            Py_XDECREF(kn);
            Py_XDECREF(en);
        }
    }
    PyMem_RawFree(w.rows.v);
    PyMem_RawFree(w.slots.v);
    PyMem_RawFree(w.pending.v);
    PyMem_RawFree(w.known.v);
    PyMem_RawFree(w.hosts);
done:
    PyBuffer_Release(&prog_b);
    PyBuffer_Release(&tab_b);
    PyBuffer_Release(&res_b);
    PyBuffer_Release(&block_b);
    if (table_b.buf)
        PyBuffer_Release(&table_b);
    if (zones_b.buf)
        PyBuffer_Release(&zones_b);
    if (pairs_b.buf)
        PyBuffer_Release(&pairs_b);
    return result;
}

PyDoc_STRVAR(key_eq_doc, "key_eq(a, b, n, /) -> bool\n\n"
                         "Whether the first n bytes of a and b are equal, as the host table\n"
                         "compares its entries (a and b of at least 48 bytes, n at most 48):\n"
                         "for the tests.");

static PyObject *key_eq_py(PyObject *self, PyObject *args)
{
    (void)self;
    Py_buffer a, b;
    Py_ssize_t n;
    if (!PyArg_ParseTuple(args, "y*y*n:key_eq", &a, &b, &n))
        return NULL;
    int ok = n >= 0 && n <= KEY_MAX && a.len >= KEY_MAX && b.len >= KEY_MAX;
    int eq = ok && key_eq(a.buf, b.buf, n);
    PyBuffer_Release(&a);
    PyBuffer_Release(&b);
    if (!ok) {
        PyErr_SetString(PyExc_ValueError, "key_eq: buffers of 48 bytes or more, n in 0..48");
        return NULL;
    }
    return PyBool_FromLong(eq);
}

static PyMethodDef methods[] = {
    {"walk", walk, METH_VARARGS, walk_doc},
    {"key_eq", key_eq_py, METH_VARARGS, key_eq_doc},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {
    PyModuleDef_HEAD_INIT, "_lines", "The fast path's line walker (see sentinelle.scan.native).",
    -1, methods, NULL, NULL, NULL, NULL,
};

PyMODINIT_FUNC PyInit__lines(void)
{
    pair_classes();
    return PyModule_Create(&module);
}
