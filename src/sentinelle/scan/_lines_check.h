/* The line checker of _lines.c, included once per instruction set (see there): it defines
 * CHECK_NAME and WALK_NAME (the interpreter), and CHECK_NAME_<profile> and WALK_NAME_<profile>
 * for each generated profile of _lines_usual.h.
 * Expects CHECK_NAME, WALK_NAME, CHECK_ATTR; RUN(table, p) -> the first byte after the run of
 * class `table` that starts at p; SHORT_RUN(table, p) -> the same for a run of SHORT_MAX bytes at
 * most (an element so bounded, a separator); IN(table, p) -> whether the byte at p is of class
 * `table`; and PROLOGUE (run once at the line's start; it may return early). */

/* Walks one line from `p`: 0 (usual), K_UNUSUAL, or K_HOST (usual, but a host name must go
 * through the parser).  `*stop` is where the walk stopped.  Each span of an element marked as a
 * host name is appended to `*out` as ".span", or ". .span" after another one (the caller ends a
 * usual line's entry with ".\n";
 * `*out` is left where the line's entry started otherwise).  The span of the element marked as
 * the line's UTC offset, if any, goes to zone[0..1], the start of the one marked as its time key
 * to zone[2], the start of one marked MARK to zone[3], of one marked PAIRS (whose span
 * free_pairs accepts, or COLUMNS, whose time column then gives zone[0..2]) to zone[4], of one
 * marked SKIP to zone[5]. */
CHECK_ATTR static inline int CHECK_NAME(const Program *pr, const uint8_t *p, const uint8_t *nl,
                                        const uint8_t *end, const uint8_t **stop, uint8_t **out,
                                        const uint8_t **zone)
{
    const Py_ssize_t n_tables_here = pr->n_tables;
    (void)n_tables_here;
    (void)nl;
    const int32_t *prog = pr->prog;
    Py_ssize_t pc = 0;
    int kind = 0, hosts = 0;
    uint8_t *entry = *out, *o = *out;
    PROLOGUE
    for (;;) {
        const int32_t *op = prog + pc;
        switch (op[0]) {
        case OP_ELEM: {
            const uint8_t *start = p;
            if (op[2] >= 0) {
                if (!IN(op[2], p)) {
                    *stop = p;
                    *out = entry;
                    return K_UNUSUAL;
                }
                p = op[4] >= 0 && op[4] <= SHORT_MAX ? SHORT_RUN(op[1], p + 1) : RUN(op[1], p + 1);
                Py_ssize_t n = p - start; /* the first byte and the run after it */
                if (n < op[3] || (op[4] >= 0 && n > op[4])) {
                    *stop = p;
                    *out = entry;
                    return K_UNUSUAL;
                }
            } else {
                p = op[4] >= 0 && op[4] <= SHORT_MAX ? SHORT_RUN(op[1], p) : RUN(op[1], p);
                Py_ssize_t n = p - start;
                if (n < op[3] || (op[4] >= 0 && n > op[4])) {
                    *stop = p;
                    *out = entry;
                    return K_UNUSUAL;
                }
            }
            const int role = ROLE(op[5]);
            if (role == ZONE) {
                zone[0] = start; /* the line's UTC offset (see local_key) */
                zone[1] = p;
            } else if (role == ADDR) {
                if (!client_address(start, p))
                    kind = K_HOST;
            } else if (role == IP) {
                if (!strict_address(start, p))
                    kind = K_HOST;
            } else if (role == KEY) {
                zone[2] = start; /* the line's time key starts here */
            } else if (role == MARK) {
                zone[3] = start; /* the line is counted apart if usual */
            } else if (role == PAIRS) {
                const uint8_t *named[2], *timed;
                const int read = pairs_of(pr, op[5] >> ROLE_BITS, start, p, named, &timed);
                if (!read) {
                    *stop = p;
                    *out = entry;
                    return K_UNUSUAL;
                }
                zone[4] = start; /* without a host name, an event without one */
                if (pr->pair_dns[read - 1])
                    zone[3] = start; /* the set's lines are DNS queries: counted apart */
                if (timed)
                    zone[2] = timed; /* the line's time key is a pair's value */
                if (named[0] && (hosts >= MAX_HOSTS || !pairs_host(named[0], named[1]) ||
                                 bad_host(pr, named[0], named[1]))) {
                    kind = K_HOST; /* its host key's value: for the parser to read */
                } else if (named[0]) { /* the host key's value: the line's host name */
                    o = put_host(o, named[0], named[1], end, hosts++);
                }
            } else if (role == SKIP) {
                zone[5] = start; /* the parser skips the line if usual */
            } else if (role == COLUMNS) {
                const uint8_t *named[2], *found[3];
                if (!free_columns(pr, op[5] >> ROLE_BITS, start, p, named, found)) {
                    *stop = p;
                    *out = entry;
                    return K_UNUSUAL;
                }
                zone[0] = found[1]; /* the time column's offset and key */
                zone[1] = found[2];
                zone[2] = found[0];
                zone[4] = start; /* without a host name, an event without one */
                if (named[0] && (hosts >= MAX_HOSTS || bad_host(pr, named[0], named[1])))
                    kind = K_HOST; /* its host column's host: for the parser to read */
                else if (named[0])
                    o = put_host(o, named[0], named[1], end, hosts++);
            } else if (role == LABELS) {
                uint8_t *named = hosts < MAX_HOSTS ? put_labels(pr, o, start, p, hosts) : NULL;
                if (named) { /* the decoded name: the line's host name */
                    o = named;
                    hosts++;
                } else {
                    kind = K_HOST; /* for the parser to read */
                }
            } else if (role && (hosts >= MAX_HOSTS || bad_host(pr, start, p))) {
                kind = K_HOST; /* not copied: the scratch space stays bounded */
            } else if (role) {
                o = put_host(o, start, p, end, hosts++);
            }
            pc += 6;
            break;
        }
        case OP_BRANCH: {
            int32_t n = op[1];
            Py_ssize_t next = -1;
            for (int32_t i = 0; i < n; i++) {
                if (IN(op[3 + 2 * i], p)) {
                    next = op[4 + 2 * i];
                    break;
                }
            }
            if (next < 0) {
                if (!op[2]) {
                    *stop = p;
                    *out = entry;
                    return K_UNUSUAL;
                }
                next = op[3 + 2 * n];
            }
            pc = next;
            break;
        }
        case OP_JUMP:
            pc = op[1];
            break;
        default: /* OP_END (valid_program allows nothing else) */
            if (IN(op[1], p)) {
                *stop = p; /* free text follows */
            } else {
                while (*p == '\r')
                    p++;
                *stop = p;
                if (*p != '\n') {
                    *out = entry;
                    return K_UNUSUAL;
                }
            }
            /* without a host name: the parser decides (but on a line that names none) */
            if (!hosts && !zone[4] && !zone[5] && !pr->hostless)
                kind = K_HOST;
            *out = kind ? entry : o;
            return kind;
        }
    }
}

/* The straight version of a generated profile's walk (_lines_usual.h), same contract. */
#define FAIL                                                                                   \
    do {                                                                                       \
        *stop = p;                                                                             \
        *out = entry;                                                                          \
        return K_UNUSUAL;                                                                      \
    } while (0)
#define HOST_SPAN(a, b)                                                                        \
    do {                                                                                       \
        if (hosts >= MAX_HOSTS || bad_host(pr, (a), (b)))                                      \
            kind = K_HOST; /* the span is not copied: the scratch space stays bounded */       \
        else                                                                                   \
            o = put_host(o, (a), (b), end, hosts++);                                           \
    } while (0)
#define LABELS_SPAN(a, b)                                                                      \
    do {                                                                                       \
        uint8_t *named_ = hosts < MAX_HOSTS ? put_labels(pr, o, (a), (b), hosts) : NULL;       \
        if (named_) {                                                                          \
            o = named_;                                                                        \
            hosts++;                                                                           \
        } else {                                                                               \
            kind = K_HOST;                                                                     \
        }                                                                                      \
    } while (0)
#define ZONE_SPAN(a, b)                                                                        \
    do {                                                                                       \
        zone[0] = (a);                                                                         \
        zone[1] = (b);                                                                         \
    } while (0)
#define KEY_SPAN(a) (zone[2] = (a))
#define MARK_SPAN(a) (zone[3] = (a))
#define SKIP_SPAN(a) (zone[5] = (a))
#define PAIRS_SPAN(a, b, set)                                                                  \
    do {                                                                                       \
        const uint8_t *named[2], *timed;                                                       \
        const int read = pairs_of(pr, (set), (a), (b), named, &timed);                         \
        if (!read)                                                                             \
            FAIL;                                                                              \
        zone[4] = (a);                                                                         \
        if (pr->pair_dns[read - 1])                                                            \
            zone[3] = (a); /* the set's lines are DNS queries: counted apart */                \
        if (timed)                                                                             \
            zone[2] = timed;                                                                   \
        if (named[0] && !pairs_host(named[0], named[1]))                                       \
            kind = K_HOST; /* its host key's value: for the parser to read */                  \
        else if (named[0])                                                                     \
            HOST_SPAN(named[0], named[1]);                                                     \
    } while (0)
#define COLUMNS_SPAN(a, b, set)                                                                \
    do {                                                                                       \
        const uint8_t *named[2], *found[3];                                                    \
        if (!free_columns(pr, (set), (a), (b), named, found))                                  \
            FAIL;                                                                              \
        zone[0] = found[1];                                                                    \
        zone[1] = found[2];                                                                    \
        zone[2] = found[0];                                                                    \
        zone[4] = (a);                                                                         \
        if (named[0])                                                                          \
            HOST_SPAN(named[0], named[1]);                                                     \
    } while (0)
#define ADDR_SPAN(a, b)                                                                        \
    do {                                                                                       \
        if (!client_address((a), (b)))                                                         \
            kind = K_HOST;                                                                     \
    } while (0)
#define IP_SPAN(a, b)                                                                          \
    do {                                                                                       \
        if (!strict_address((a), (b)))                                                         \
            kind = K_HOST;                                                                     \
    } while (0)
#define END_OF_LINE(t)                                                                         \
    do {                                                                                       \
        if (IN(t, p)) {                                                                        \
            *stop = p;                                                                         \
        } else {                                                                               \
            while (*p == '\r')                                                                \
                p++;                                                                           \
            *stop = p;                                                                         \
            if (*p != '\n')                                                                   \
                FAIL;                                                                          \
        }                                                                                      \
        if (!hosts && !zone[4] && !zone[5] && !pr->hostless)                                   \
            kind = K_HOST;                                                                     \
        *out = kind ? entry : o;                                                               \
        return kind;                                                                           \
    } while (0)
#define DEFINE_USUAL(NAME, BODY, TABLES)                                                       \
    CHECK_ATTR static inline int NAME(const Program *pr, const uint8_t *p, const uint8_t *nl,  \
                                      const uint8_t *end, const uint8_t **stop, uint8_t **out, \
                                      const uint8_t **zone)                                    \
    {                                                                                          \
        enum { n_tables_here = TABLES };                                                       \
        (void)nl;                                                                              \
        int kind = 0, hosts = 0;                                                               \
        uint8_t *entry = *out, *o = *out;                                                      \
        const uint8_t *start;                                                                  \
        (void)end;                                                                             \
        (void)zone;                                                                            \
        PROLOGUE                                                                               \
        BODY                                                                                   \
    }

/* The block's lines, one by one, with CHECK: 1 if memory ran out. */
#define DEFINE_WALK(NAME, CHECK)                                                               \
    CHECK_ATTR static int NAME(const Program *pr, Walk *w)                                     \
    {                                                                                          \
        const uint8_t *data = w->data, *p = data, *end = data + w->size;                       \
        const Py_ssize_t key_len = w->key_len, key_at = w->key_at;                             \
        while (p < end) {                                                                      \
            const uint8_t *stop;                                                               \
            uint8_t *o = w->scratch;                                                           \
            /* UTC offset, its end, the key, the mark, the free pairs, the skip */             \
            const uint8_t *zone[6] = {NULL, NULL, NULL, NULL, NULL, NULL};                     \
            /* the line's end first: the next line does not wait for this one's walk */        \
            const uint8_t *nl = FIND_NL(p, end);                                               \
            int kind = CHECK(pr, p, nl, end, &stop, &o, zone);                                 \
            if (!kind && w->max_line && nl - p > w->max_line)                                  \
                kind = K_UNUSUAL; /* longer than its reader takes (csv's field limit) */       \
            int64_t start = p - data, at = nl - data;                                          \
            const uint8_t *k = key_at < 0 ? zone[2] : p + key_at;                             \
            /* (a skipped line's time is unread, but a syslog header's: none without it) */   \
            if (!kind && (!zone[5] || pr->skip_timed) &&                                       \
                (!k || nl - k < key_len || (w->local && !local_key(pr, w, k, nl, zone))))       \
                kind = K_HOST; /* its time is for the parser to read */                        \
            if (kind) {                                                                        \
                if (vec_push4(&w->rows, w->lines, start, at, kind) < 0)                        \
                    return 1;                                                                  \
            } else if (zone[5]) { /* skipped by the parser: no event, no time */               \
                w->skipped++;                                                                  \
            } else {                                                                           \
                uint8_t *e = w->scratch;                                                       \
                if (o == e) { /* no host name (PAIRS, hostless): an event without one */       \
                    w->no_host++;                                                              \
                } else {                                                                       \
                    *o++ = '.';                                                                \
                    if (defer(w, w->lines, start, at, e, o - e) < 0)                           \
                        return 1;                                                              \
                }                                                                              \
                w->marked += zone[3] != NULL;                                                  \
                if (BY_ORDER(w->local)) { /* ordered by its date (see local_key) */           \
                    if (w->lo < 0 || w->order < w->lo_order)                                   \
                        w->lo = k - data, w->lo_order = w->order;                              \
                    if (w->hi < 0 || w->order > w->hi_order)                                   \
                        w->hi = k - data, w->hi_order = w->order;                              \
                } else {                                                                       \
                    if (w->lo < 0 || key_less(k, data + w->lo, key_len))                       \
                        w->lo = k - data;                                                      \
                    if (w->hi < 0 || key_less(data + w->hi, k, key_len))                       \
                        w->hi = k - data;                                                      \
                }                                                                              \
            }                                                                                  \
            w->lines++;                                                                        \
            p = nl + 1;                                                                        \
        }                                                                                      \
        return 0;                                                                              \
    }

#define PASTE_(a, b) a##b
#define PASTE(a, b) PASTE_(a, b)
DEFINE_WALK(WALK_NAME, CHECK_NAME)
#define X(name)                                                                                \
    DEFINE_USUAL(PASTE(CHECK_NAME, PASTE(_, name)), USUAL_##name, USUAL_##name##_TABLES)       \
    DEFINE_WALK(PASTE(WALK_NAME, PASTE(_, name)), PASTE(CHECK_NAME, PASTE(_, name)))
USUAL_PROGRAMS(X)
#undef X
