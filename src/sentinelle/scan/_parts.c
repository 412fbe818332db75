/* Enrichment by parts of usual lines (see sentinelle.scan.fast._NativeScanner._grouped).
 *
 * group() records each usual line as the Python loop of _grouped would: it splits the line
 * into fields, looks up in the scanner's caches the parts its destination needs (the
 * destination by method and URL; for a service or a discovery candidate, the source by client
 * [and user]; for a service whose source is not excluded, the user's pseudonym and the action),
 * and records the line: a hit row recorded as enrich.HitRecords.add records it (a record of
 * numbers and the indices of its parts), a discovery counted, or a count.  A part not in the
 * caches yet is settled by the caller's `settle` (from the profile's readers or the parser's
 * event), and the line is then recorded here.  A line the Python loop reads differently (a
 * number beyond 64 bits, a field missing), or one `settle` finds is no event, is left to the
 * Python loop: group() returns the indices of those lines.
 *
 * Fields are split as the Python loop splits them: at runs of ASCII whitespace (bytes.split)
 * when the line holds no \x0b or \x0c, else at runs of spaces and tabs only.
 * tests/perf/test_parts_in_c.py compares the two loops on random blocks of lines.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <stdint.h>
#include <string.h>

/* what a destination is (scan.enrich: NOTHING, NO_HOST, CANDIDATE, SHARED, SERVICE) */
enum { NOTHING, NO_HOST, CANDIDATE, SHARED, SERVICE };
#define BY_HOST 5 /* native.BY_HOST: keyed by the URL up to its path */
#define MAX_FIELDS 64

static inline int is_sep(uint8_t c, int plain)
{
    return c == ' ' || c == '\t' || (plain && (c == '\n' || c == '\r'));
}

/* The first `want` fields of [p, e): starts and ends; 0 when the line has fewer, or starts with a
 * separator (the Python loop would read it otherwise: left to it). */
static int split(const uint8_t *p, const uint8_t *e, int want, const uint8_t **s,
                 const uint8_t **t)
{
    size_t n = (size_t)(e - p);
    int plain = memchr(p, '\x0b', n) == NULL && memchr(p, '\x0c', n) == NULL;
    if (p == e || is_sep(*p, plain))
        return 0;
    for (int i = 0; i < want; i++) {
        if (p == e)
            return 0;
        s[i] = p;
        while (p < e && !is_sep(*p, plain))
            p++;
        t[i] = p;
        while (p < e && is_sep(*p, plain))
            p++;
    }
    return 1;
}

/* The digits of [p, e) as a number; -1 when empty, not all ASCII digits, or more than 18. */
static inline int64_t digits(const uint8_t *p, const uint8_t *e)
{
    if (p == e || e - p > 18)
        return -1;
    int64_t v = 0;
    for (; p < e; p++) {
        if (*p < '0' || *p > '9')
            return -1;
        v = v * 10 + (*p - '0');
    }
    return v;
}

/* scan.fast.url_up_to_path: what comes before the first '/', '?' or '#' found from just after
 * the first "://" (or from the third byte when there is none). */
static const uint8_t *up_to_path(const uint8_t *p, const uint8_t *e)
{
    const uint8_t *q = p + 2;
    for (const uint8_t *r = p; r + 3 <= e; r++)
        if (r[0] == ':' && r[1] == '/' && r[2] == '/') {
            q = r + 3;
            break;
        }
    for (; q < e; q++)
        if (*q == '/' || *q == '?' || *q == '#')
            return q;
    return e;
}

static inline PyObject *span(const uint8_t *s, const uint8_t *t)
{
    return PyBytes_FromStringAndSize((const char *)s, t - s);
}

/* Appends a new reference to a list and drops it. */
static inline int append_new(PyObject *list, PyObject *item)
{
    if (item == NULL)
        return -1;
    int r = PyList_Append(list, item);
    Py_DECREF(item);
    return r;
}

typedef struct {
    int top, m, url, c, u, a, by_user, time, out, in;
} Spec;

#define RECORD 9                  /* enrich.RECORD: the numbers of a hit's record */
#define NO_COUNT INT64_MIN        /* enrich.NO_COUNT: a count that is None */
#define PARTS 4                   /* a hit's parts: local time, destination, source, user */

typedef struct {
    PyObject *targets, *sources, *users, *actions, *locals, *hours, *local, *local_hour;
    PyObject *settle, *discovered;
    /* enrich.HitRecords: the records (a bytearray), and for each part, id -> index and the
     * parts; the last part met of each kind and its index (the same object line after line) */
    PyObject *numbers, *indexes[PARTS], *parts[PARTS];
    PyObject *last[PARTS];
    long long last_index[PARTS];
    long long base;
    /* the last minute looked up and its local fields; the last hour and its (or None) */
    long long minute, hour;
    PyObject *at, *hour_at;
    long long hits, unattributed, dns, no_host, shared, excluded;
} State;

/* A new reference to `cache[key]`, or to what `settle(key)` gives (it remembers it in `cache`),
 * or NULL with an error set. */
static PyObject *cached(PyObject *cache, PyObject *settle, long long number)
{
    PyObject *key = PyLong_FromLongLong(number);
    if (key == NULL)
        return NULL;
    PyObject *value = PyDict_GetItemWithError(cache, key);
    if (value != NULL)
        Py_INCREF(value);
    else if (!PyErr_Occurred())
        value = PyObject_CallOneArg(settle, key);
    Py_DECREF(key);
    return value;
}

/* The local fields (period, day, hour, weekday) of a UTC minute: a new reference.  Those of its
 * hour when the hour has one for all its minutes (`hours`, else None), else its own. */
static PyObject *local_fields(State *st, long long minute)
{
    if (st->at != NULL && st->minute == minute) {
        Py_INCREF(st->at);
        return st->at;
    }
    long long hour = minute >= 0 ? minute / 60 : -((-minute + 59) / 60);
    if (st->hour_at == NULL || st->hour != hour) {
        PyObject *h = cached(st->hours, st->local_hour, hour);
        if (h == NULL)
            return NULL;
        Py_XSETREF(st->hour_at, h);
        st->hour = hour;
    }
    PyObject *at = st->hour_at != Py_None ? Py_NewRef(st->hour_at)
                                          : cached(st->locals, st->local, minute);
    if (at == NULL)
        return NULL;
    if (!PyTuple_Check(at) || PyTuple_GET_SIZE(at) != 4) {
        PyErr_SetString(PyExc_TypeError, "group: local fields must be a 4-tuple");
        Py_DECREF(at);
        return NULL;
    }
    Py_XSETREF(st->at, Py_NewRef(at));
    st->minute = minute;
    return at;
}

/* A borrowed cache entry: a `size`-tuple (any size when 0), or NULL with an error set. */
static inline PyObject *entry(PyObject *value, Py_ssize_t size)
{
    if (!PyTuple_Check(value) || (size && PyTuple_GET_SIZE(value) != size)) {
        PyErr_SetString(PyExc_TypeError, "group: malformed cache entry");
        return NULL;
    }
    return value;
}

/* The index of `part` among the records' parts of kind `kind` (HitRecords.add): found by its
 * identity, or appended; -1 with an error set. */
static long long part_index(State *st, int kind, PyObject *part)
{
    if (st->last[kind] == part)
        return st->last_index[kind];
    PyObject *key = PyLong_FromVoidPtr(part), *found;
    if (key == NULL)
        return -1;
    long long index = -1;
    if ((found = PyDict_GetItemWithError(st->indexes[kind], key)) != NULL) {
        index = PyLong_AsLongLong(found);
    } else if (!PyErr_Occurred()) {
        PyObject *n = PyLong_FromSsize_t(PyList_GET_SIZE(st->parts[kind]));
        if (n != NULL && PyDict_SetItem(st->indexes[kind], key, n) == 0 &&
            PyList_Append(st->parts[kind], part) == 0)
            index = PyList_GET_SIZE(st->parts[kind]) - 1;
        Py_XDECREF(n);
    }
    Py_DECREF(key);
    if (index >= 0) { /* kept alive by the parts' list: its identity stays its own */
        st->last[kind] = part;
        st->last_index[kind] = index;
    }
    return index;
}

/* Append a hit's record to the records' bytearray: 0, or -1 with an error set. */
static int record(State *st, const int64_t *numbers)
{
    Py_ssize_t n = PyByteArray_GET_SIZE(st->numbers), size = RECORD * sizeof(int64_t);
    if (PyByteArray_Resize(st->numbers, n + size) < 0)
        return -1;
    memcpy(PyByteArray_AS_STRING(st->numbers) + n, numbers, (size_t)size);
    return 0;
}

/* One line: 1 recorded, 0 left to the Python loop, 2 a part it needs is not settled yet,
 * -1 error.  Only the parts its destination
 * needs are looked up, as the Python loop settles them: the source for a service or a
 * discovery candidate, then the user and the action for a service whose source is not excluded.
 * Nothing is counted before every part needed is found. */
static int one(const Spec *sp, State *st, long long k, const uint8_t *p, const uint8_t *e,
               long long state)
{
    const uint8_t *s[MAX_FIELDS], *t[MAX_FIELDS];
    if (!split(p, e, sp->top, s, t))
        return 0;
    int found = 0;
    PyObject *method = NULL, *url = NULL, *where = NULL, *client = NULL, *user = NULL;
    PyObject *who = NULL, *action_key = NULL;
    PyObject *target, *source = NULL, *user_id = NULL, *action = NULL, *attribution = NULL;
    const uint8_t *url_end = state == BY_HOST ? up_to_path(s[sp->url], t[sp->url]) : t[sp->url];
    if (!(method = span(s[sp->m], t[sp->m])) || !(url = span(s[sp->url], url_end)) ||
        !(where = PyTuple_Pack(2, method, url)))
        goto fail;
    /* borrowed; a missing part is settled by the caller's `settle` (see group) */
    if (!(target = PyDict_GetItemWithError(st->targets, where)))
        goto missing;
    if (!entry(target, 4)) /* (what, DNS or not, host, fields) */
        goto fail;
    long what = PyLong_AsLong(PyTuple_GET_ITEM(target, 0));
    if (what == -1 && PyErr_Occurred())
        goto fail;
    int dns = PyObject_IsTrue(PyTuple_GET_ITEM(target, 1)), excluded = 0;
    if (dns < 0)
        goto fail;
    if (what == SERVICE || what == CANDIDATE) {
        if (!(client = span(s[sp->c], t[sp->c])) || !(user = span(s[sp->u], t[sp->u])) ||
            !(who = sp->by_user ? PyTuple_Pack(2, client, user) : Py_NewRef(client)))
            goto fail;
        if (!(source = PyDict_GetItemWithError(st->sources, who)))
            goto missing;
        if (!entry(source, 2) || !(attribution = entry(PyTuple_GET_ITEM(source, 1), 5)) ||
            (excluded = PyObject_IsTrue(PyTuple_GET_ITEM(source, 0))) < 0)
            goto fail;
    }
    int64_t seconds = -1, millis = 0, into = -1, out = -1;
    const uint8_t *ts = s[sp->time];
    if (what == CANDIDATE || (what == SERVICE && !excluded)) {
        /* the time as Values reads it (D{10}.D{3}); anything else is left to the Python loop */
        if (t[sp->time] - ts != 14 || ts[10] != '.' || (seconds = digits(ts, ts + 10)) < 0 ||
            (millis = digits(ts + 11, ts + 14)) < 0)
            goto done;
    }
    if (what == SERVICE && !excluded) {
        if ((sp->in >= 0 && (into = digits(s[sp->in], t[sp->in])) < 0) ||
            (sp->out >= 0 && (out = digits(s[sp->out], t[sp->out])) < 0))
            goto done;
        if (!(action_key = span(s[sp->a], t[sp->a])))
            goto fail;
        if (!(user_id = PyDict_GetItemWithError(st->users, user)) ||
            !(action = PyDict_GetItemWithError(st->actions, action_key)))
            goto missing;
    }
    /* every part needed is known: the line is recorded */
    st->dns += dns;
    if (what == SERVICE && excluded) {
        st->excluded++;
    } else if (what == SERVICE) {
        PyObject *fields = PyTuple_GET_ITEM(target, 3);
        if (!entry(fields, 0))
            goto fail;
        int64_t micros = (seconds * 1000 + millis) * 1000;
        PyObject *at = local_fields(st, micros / 60000000);
        if (at == NULL)
            goto fail;
        int known = PyObject_IsTrue(PyTuple_GET_ITEM(attribution, 4));
        int blocked = PyObject_IsTrue(action);
        int64_t numbers[RECORD] = {st->base + k + 1, micros, out < 0 ? NO_COUNT : out,
                                   into < 0 ? NO_COUNT : into};
        PyObject *parts[PARTS] = {at, fields, attribution, user_id};
        int bad = known < 0 || blocked < 0;
        for (int kind = 0; kind < PARTS && !bad; kind++)
            bad = (numbers[4 + kind] = part_index(st, kind, parts[kind])) < 0;
        numbers[8] = blocked;
        bad = bad || record(st, numbers) < 0;
        Py_DECREF(at);
        if (bad)
            goto fail;
        st->hits++;
        st->unattributed += !known;
    } else if (what == CANDIDATE) {
        PyObject *at = local_fields(st, seconds / 60);
        if (at == NULL)
            goto fail;
        PyObject *key = PyTuple_Pack(3, PyTuple_GET_ITEM(at, 0), PyTuple_GET_ITEM(target, 2),
                                     PyTuple_GET_ITEM(attribution, 0));
        Py_DECREF(at);
        if (key == NULL)
            goto fail;
        PyObject *n = PyDict_GetItemWithError(st->discovered, key), *more = NULL;
        PyObject *one_more = n != NULL || !PyErr_Occurred() ? PyLong_FromLong(1) : NULL;
        if (one_more != NULL)
            more = n != NULL ? PyNumber_Add(n, one_more) : Py_NewRef(one_more);
        int bad = more == NULL || PyDict_SetItem(st->discovered, key, more) < 0;
        Py_XDECREF(one_more);
        Py_XDECREF(more);
        Py_DECREF(key);
        if (bad)
            goto fail;
    } else if (what == NO_HOST) {
        st->no_host++;
    } else if (what == SHARED) {
        st->shared++;
    }
    found = 1;
    goto done;
missing:
    found = PyErr_Occurred() ? -1 : 2;
    goto done;
fail:
    found = -1;
done:
    Py_XDECREF(method);
    Py_XDECREF(url);
    Py_XDECREF(where);
    Py_XDECREF(client);
    Py_XDECREF(user);
    Py_XDECREF(who);
    Py_XDECREF(action_key);
    return found;
}

PyDoc_STRVAR(group_doc,
    "group(block, rows, spec, caches, records, discovered, local, local_hour, settle, base)\n"
    "--\n\n"
    "Record the usual lines ``rows`` (int64 (line, start, end, state) rows of ``block``) whose\n"
    "parts are in ``caches`` = (targets, sources, users, actions, locals, hours), as\n"
    "``_NativeScanner._grouped`` records them: hit rows recorded in ``records`` = (numbers,\n"
    "indexes, parts) of an ``enrich.HitRecords`` as its ``add`` does, discoveries counted in\n"
    "``discovered``.  ``spec`` = (fields split, method, URL, client, user,\n"
    "action, by user, time, bytes out, bytes in; -1: none).  The local fields of a minute are\n"
    "its hour's in ``hours`` (``local_hour(hour)`` when missing) unless that is None, then its\n"
    "own in ``locals`` (``local(minute)`` when missing).  A line with a part not in the caches\n"
    "is given to ``settle(start, end, state)`` (unless None), which settles its parts and says\n"
    "whether the line is an event, and is then recorded.  Returns (the indices of the rows left\n"
    "to the Python loop, hits, unattributed, DNS, no host, shared, excluded).");

static PyObject *group(PyObject *self, PyObject *args)
{
    (void)self;
    Py_buffer block_b, rows_b;
    Spec sp;
    State st;
    memset(&st, 0, sizeof st);
    PyObject *indexes, *parts;
    if (!PyArg_ParseTuple(args, "y*y*(iiiiiiiiii)(O!O!O!O!O!O!)(O!O!O!)O!OOOL", &block_b,
                          &rows_b, &sp.top, &sp.m, &sp.url, &sp.c, &sp.u, &sp.a, &sp.by_user,
                          &sp.time, &sp.out, &sp.in, &PyDict_Type, &st.targets, &PyDict_Type,
                          &st.sources, &PyDict_Type, &st.users, &PyDict_Type, &st.actions,
                          &PyDict_Type, &st.locals, &PyDict_Type, &st.hours, &PyByteArray_Type,
                          &st.numbers, &PyTuple_Type, &indexes, &PyTuple_Type, &parts,
                          &PyDict_Type, &st.discovered, &st.local, &st.local_hour, &st.settle,
                          &st.base))
        return NULL;
    int parts_ok = PyTuple_GET_SIZE(indexes) == PARTS && PyTuple_GET_SIZE(parts) == PARTS &&
                   PyByteArray_GET_SIZE(st.numbers) % (RECORD * sizeof(int64_t)) == 0;
    for (int kind = 0; kind < PARTS && parts_ok; kind++) {
        st.indexes[kind] = PyTuple_GET_ITEM(indexes, kind);
        st.parts[kind] = PyTuple_GET_ITEM(parts, kind);
        parts_ok = PyDict_Check(st.indexes[kind]) && PyList_Check(st.parts[kind]);
    }
    if (!parts_ok) {
        PyBuffer_Release(&block_b);
        PyBuffer_Release(&rows_b);
        PyErr_SetString(PyExc_TypeError, "group: malformed records");
        return NULL;
    }
    PyObject *left = NULL, *result = NULL;
    int fields[] = {sp.m, sp.url, sp.c, sp.u, sp.a, sp.time, sp.out, sp.in};
    int ok = sp.top > 0 && sp.top <= MAX_FIELDS && rows_b.len % 32 == 0;
    for (size_t i = 0; i < sizeof fields / sizeof *fields; i++)
        ok = ok && fields[i] < sp.top && (fields[i] >= 0 || i >= 6);
    if (!ok) {
        PyErr_SetString(PyExc_ValueError, "group: malformed spec or rows");
        goto done;
    }
    if (!(left = PyList_New(0)))
        goto done;
    const int64_t *rows = rows_b.buf;
    const uint8_t *data = block_b.buf;
    Py_ssize_t n = rows_b.len / 32;
    for (Py_ssize_t i = 0; i < n; i++) {
        const int64_t *r = rows + 4 * i;
        if (r[1] < 0 || r[2] < r[1] || r[2] > block_b.len) {
            PyErr_SetString(PyExc_ValueError, "group: a row is outside the block");
            goto done;
        }
        int got = one(&sp, &st, r[0], data + r[1], data + r[2], r[3]);
        if (got == 2 && st.settle != Py_None) { /* settled in Python, then recorded here */
            PyObject *settled = PyObject_CallFunction(st.settle, "LLL", (long long)r[1],
                                                      (long long)r[2], (long long)r[3]);
            int again = settled == NULL ? -1 : PyObject_IsTrue(settled);
            Py_XDECREF(settled);
            if (again < 0)
                goto done;
            got = again ? one(&sp, &st, r[0], data + r[1], data + r[2], r[3]) : 0;
        }
        if (got < 0)
            goto done;
        if (got != 1 && append_new(left, PyLong_FromSsize_t(i)) < 0)
            goto done;
    }
    result = Py_BuildValue("OLLLLLL", left, st.hits, st.unattributed, st.dns, st.no_host,
                           st.shared, st.excluded);
done:
    Py_XDECREF(left);
    Py_XDECREF(st.at);
    Py_XDECREF(st.hour_at);
    PyBuffer_Release(&block_b);
    PyBuffer_Release(&rows_b);
    return result;
}

static PyMethodDef methods[] = {
    {"group", group, METH_VARARGS, group_doc},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {
    PyModuleDef_HEAD_INIT, "_parts", "Enrichment by parts of usual lines (see scan.fast).",
    -1, methods, NULL, NULL, NULL, NULL,
};

PyMODINIT_FUNC PyInit__parts(void) { return PyModule_Create(&module); }
