/*
 * sentinelle.scan._lines — the fast path's line walker (issue 7).
 *
 * One pass over a block of log lines (the block ends with a newline): it counts the lines,
 * checks each against the format's *usual* structure (a chain of character-class runs compiled
 * from the same Python description as the portable path's hyperscan complement pattern, see
 * sentinelle/scan/native.py), and copies the host name of every usual line into a compact
 * buffer (".host.\n" per line; ".a.b.\n" when two elements may be the host, as a URL's scheme
 * and host, which one is depends on the method) on which the catalog prefilter then runs.
 * It also keeps the earliest and latest timestamp prefix of the usual lines.
 *
 * The program is an int32 array of operations:
 *   ELEM   0 cls first min max host   a run of class `cls` (first byte of class `first` if >= 0),
 *                                     min..max long (max < 0: unbounded); host: its span may be
 *                                     the line's host name
 *   BRANCH 1 n optional (cls pc)*n end   pick the alternative whose first class holds the byte
 *   JUMP   2 pc
 *   END    3 tail                     the line ends (\r* \n) or a byte of `tail` starts free text
 * Classes are 256-byte tables (1 = member), concatenated.  A host name longer than 253 bytes,
 * ending with '-' (trailing dots aside) or equal to one of the program's reserved words (Squid's
 * "error:" pseudo-URLs) makes the line go through the parser like an unusual one.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <stdint.h>
#include <string.h>

enum { OP_ELEM = 0, OP_BRANCH = 1, OP_JUMP = 2, OP_END = 3 };
enum { K_UNUSUAL = 1, K_HOST = 2 };
#define MAX_HOST 253

#define MAX_TABLES 64

typedef struct {
    const int32_t *prog;
    Py_ssize_t prog_len;
    const uint8_t *tables;
    Py_ssize_t n_tables;
    const uint8_t *reserved; /* words separated by '\n', each ending with one */
    Py_ssize_t reserved_len;
    /* for the vector runs: per class, a bit mask of the high nibbles 0-7 for each low nibble
     * (twice, one per 128-bit lane), and whether bytes >= 0x80 belong to it */
    uint8_t nibbles[MAX_TABLES][32];
    uint8_t high[MAX_TABLES];
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
static int bad_host(const Program *pr, const uint8_t *h, const uint8_t *e)
{
    const uint8_t *t = e;
    while (t > h && t[-1] == '.')
        t--;
    if (e - h > MAX_HOST || (t > h && t[-1] == '-'))
        return 1;
    for (const uint8_t *w = pr->reserved, *stop = w + pr->reserved_len; w < stop;) {
        const uint8_t *nl = memchr(w, '\n', (size_t)(stop - w));
        if (!nl)
            break;
        if (nl - w == e - h && memcmp(w, h, (size_t)(e - h)) == 0)
            return 1;
        w = nl + 1;
    }
    return 0;
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

#define CHECK_NAME check_scalar
#define CHECK_ATTR
#define RUN run_scalar
#include "_lines_check.h"
#undef CHECK_NAME
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
#define CHECK_ATTR __attribute__((target("avx2,bmi")))
#define RUN run_avx2
#include "_lines_check.h"
#undef CHECK_NAME
#undef CHECK_ATTR
#undef RUN
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
                 g[pc + 3] >= 0;
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

static PyObject *vec_bytes(const Vec *r)
{
    return PyBytes_FromStringAndSize((const char *)r->v, r->len * (Py_ssize_t)sizeof(int64_t));
}

PyDoc_STRVAR(walk_doc,
    "walk(program, tables, reserved, block, key_len)\n"
    "--\n\n"
    "Account for the lines of ``block`` (bytes-like, ending with a newline).\n\n"
    "``program``: int32 operations; ``tables``: 256-byte class tables; ``reserved``: words that\n"
    "are not host names, each followed by a newline.  Returns (number of lines, the lines that\n"
    "are not usual as int64 quadruples (line, start, end, kind), the usual lines' host names as\n"
    "one buffer of '.host.\\n' entries, those lines as int64 quadruples (line, start, end, end of\n"
    "the entry), start of the line with the smallest ``key_len``-byte prefix among usual lines\n"
    "or -1, start of the largest or -1).  Line ends exclude the newline.");

static PyObject *walk(PyObject *self, PyObject *args)
{
    (void)self;
    Py_buffer prog_b, tab_b, res_b, block_b;
    Py_ssize_t key_len;
    if (!PyArg_ParseTuple(args, "y*y*y*y*n", &prog_b, &tab_b, &res_b, &block_b, &key_len))
        return NULL;
    PyObject *result = NULL;
    Vec rows = {NULL, 0, 0}, usual = {NULL, 0, 0};
    uint8_t *hosts = NULL;
    Program pr;
    memset(&pr, 0, sizeof pr);
    pr.prog = prog_b.buf;
    pr.prog_len = prog_b.len / (Py_ssize_t)sizeof(int32_t);
    pr.tables = tab_b.buf;
    pr.n_tables = tab_b.len / 256;
    pr.reserved = res_b.buf;
    pr.reserved_len = res_b.len;
    const uint8_t *data = block_b.buf;
    Py_ssize_t size = block_b.len, hosts_len = 0;
    if (prog_b.len % 4 || tab_b.len % 256 || key_len < 0 || !valid_program(&pr)) {
        PyErr_SetString(PyExc_ValueError, "walk: malformed program or tables");
        goto done;
    }
    if (size && data[size - 1] != '\n') {
        PyErr_SetString(PyExc_ValueError, "walk: the block must end with a newline");
        goto done;
    }
    /* spans of one line do not overlap: an entry is at most its line plus one byte per host
     * element and two, and a usual line is longer than that */
    hosts = PyMem_RawMalloc((size_t)size * 4 + 64);
    if (!hosts) {
        PyErr_NoMemory();
        goto done;
    }
    int64_t lines = 0, lo = -1, hi = -1;
    int failed = 0;
    int (*check_line)(const Program *, const uint8_t *, const uint8_t *, const uint8_t **,
                      uint8_t **) = check_scalar;
#ifdef HAVE_AVX2_PATH
    prepare(&pr);
    if (uniform_high(&pr) && __builtin_cpu_supports("avx2") && __builtin_cpu_supports("bmi"))
        check_line = check_avx2;
#endif
    Py_BEGIN_ALLOW_THREADS
    const uint8_t *p = data, *end = data + size;
    while (p < end) {
        const uint8_t *stop;
        uint8_t *o = hosts + hosts_len;
        int kind = check_line(&pr, p, end, &stop, &o);
        const uint8_t *nl = *stop == '\n' ? stop : memchr(stop, '\n', (size_t)(end - stop));
        int64_t start = p - data, at = nl - data;
        if (kind) {
            failed = vec_push4(&rows, lines, start, at, kind) < 0;
        } else {
            hosts_len = o - hosts;
            hosts[hosts_len++] = '.';
            hosts[hosts_len++] = '\n';
            failed = vec_push4(&usual, lines, start, at, hosts_len - 1) < 0;
            if (at - start >= key_len) {
                if (lo < 0 || memcmp(p, data + lo, (size_t)key_len) < 0)
                    lo = start;
                if (hi < 0 || memcmp(p, data + hi, (size_t)key_len) > 0)
                    hi = start;
            }
        }
        if (failed)
            break;
        lines++;
        p = nl + 1;
    }
    Py_END_ALLOW_THREADS
    if (failed) {
        PyErr_NoMemory();
        goto done;
    }
    PyObject *a = vec_bytes(&rows), *b = vec_bytes(&usual);
    PyObject *c = PyBytes_FromStringAndSize((const char *)hosts, hosts_len);
    if (a && b && c)
        result = Py_BuildValue("LNNNLL", (long long)lines, a, c, b, (long long)lo, (long long)hi);
    else {
        Py_XDECREF(a);
        Py_XDECREF(b);
        Py_XDECREF(c);
    }
done:
    PyMem_RawFree(rows.v);
    PyMem_RawFree(usual.v);
    PyMem_RawFree(hosts);
    PyBuffer_Release(&prog_b);
    PyBuffer_Release(&tab_b);
    PyBuffer_Release(&res_b);
    PyBuffer_Release(&block_b);
    return result;
}

static PyMethodDef methods[] = {
    {"walk", walk, METH_VARARGS, walk_doc},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {
    PyModuleDef_HEAD_INIT, "_lines", "The fast path's line walker (see sentinelle.scan.native).",
    -1, methods, NULL, NULL, NULL, NULL,
};

PyMODINIT_FUNC PyInit__lines(void) { return PyModule_Create(&module); }
