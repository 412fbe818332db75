/* The line checker of _lines.c, included once per instruction set (see there).
 * Expects CHECK_NAME, CHECK_ATTR and RUN(pr, table, p, end) -> the first byte after the run of
 * class `table` that starts at p. */

/* Walks one line from `p`: 0 (usual), K_UNUSUAL, or K_HOST (usual, but a host name must go
 * through the parser).  `*stop` is where the walk stopped.  Each span of an element marked as a
 * host name is appended to `*out` as ".span" (the caller ends a usual line's entry with ".\n";
 * `*out` is left where the line's entry started otherwise). */
CHECK_ATTR static int CHECK_NAME(const Program *pr, const uint8_t *p, const uint8_t *end,
                                 const uint8_t **stop, uint8_t **out)
{
    const int32_t *prog = pr->prog;
    Py_ssize_t pc = 0;
    int kind = 0, hosts = 0;
    uint8_t *entry = *out, *o = *out;
    for (;;) {
        const int32_t *op = prog + pc;
        switch (op[0]) {
        case OP_ELEM: {
            const uint8_t *start = p;
            if (op[2] >= 0) {
                if (!pr->tables[256 * (Py_ssize_t)op[2] + *p]) {
                    *stop = p;
                    *out = entry;
                    return K_UNUSUAL;
                }
                p = RUN(pr, op[1], p + 1, end);
            } else {
                p = RUN(pr, op[1], p, end);
                Py_ssize_t n = p - start;
                if (n < op[3] || (op[4] >= 0 && n > op[4])) {
                    *stop = p;
                    *out = entry;
                    return K_UNUSUAL;
                }
            }
            if (op[5]) {
                *o++ = '.';
                memcpy(o, start, (size_t)(p - start));
                o += p - start;
                hosts++;
                if (bad_host(pr, start, p))
                    kind = K_HOST;
            }
            pc += 6;
            break;
        }
        case OP_BRANCH: {
            int32_t n = op[1];
            Py_ssize_t next = -1;
            for (int32_t i = 0; i < n; i++) {
                if (pr->tables[256 * (Py_ssize_t)op[3 + 2 * i] + *p]) {
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
            if (pr->tables[256 * (Py_ssize_t)op[1] + *p]) {
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
            if (!hosts) /* a usual line without a host element: the parser decides */
                kind = K_HOST;
            *out = kind ? entry : o;
            return kind;
        }
    }
}
