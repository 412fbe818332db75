/* The key=value tokenizer of sentinelle.formats._kv, for text without escapes.
 *
 * pairs(text) returns what dict(_PLAIN_PAIR.findall(text)) returns, where _PLAIN_PAIR is
 *
 *     ([^\s="]++)="?+((?<=")[^"]*+|\S*+)"?+
 *
 * on str (Unicode): \s is Py_UNICODE_ISSPACE, as in Python's re.  findall tries a match at each
 * position from left to right and goes on at the end of each match; a later duplicate key wins
 * in the dict.  A key is a maximal run (possessive), so when no '=' follows it, no shorter key
 * inside that run can match either: the scan goes on at the character that ended the run.
 * After '=', an opening quote makes the value everything up to the next quote (or the end),
 * and that closing quote is taken; without one, the value is the run of non-space characters
 * (quotes included).  tests/formats/test_kv.py compares it with the regular expression.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <string.h>

static inline int key_char(Py_UCS4 c)
{
    return c != '=' && c != '"' && !Py_UNICODE_ISSPACE(c);
}

static PyObject *pairs(PyObject *module, PyObject *text)
{
    (void)module;
    if (!PyUnicode_Check(text)) {
        PyErr_SetString(PyExc_TypeError, "pairs() takes a str");
        return NULL;
    }
    const int kind = PyUnicode_KIND(text);
    const void *data = PyUnicode_DATA(text);
    const Py_ssize_t n = PyUnicode_GET_LENGTH(text);
    PyObject *out = PyDict_New();
    if (out == NULL)
        return NULL;
    Py_ssize_t i = 0;
    while (i < n) {
        if (!key_char(PyUnicode_READ(kind, data, i))) {
            i++;
            continue;
        }
        const Py_ssize_t key_start = i;
        while (i < n && key_char(PyUnicode_READ(kind, data, i)))
            i++;
        const Py_ssize_t key_end = i;
        if (i >= n || PyUnicode_READ(kind, data, i) != '=')
            continue; /* no pair starts inside this run */
        i++;
        Py_ssize_t value_start, value_end;
        if (i < n && PyUnicode_READ(kind, data, i) == '"') {
            value_start = ++i;
            while (i < n && PyUnicode_READ(kind, data, i) != '"')
                i++;
            value_end = i;
            if (i < n)
                i++; /* the closing quote */
        } else {
            value_start = i;
            while (i < n && !Py_UNICODE_ISSPACE(PyUnicode_READ(kind, data, i)))
                i++;
            value_end = i;
        }
        PyObject *key = PyUnicode_Substring(text, key_start, key_end);
        PyObject *value = key ? PyUnicode_Substring(text, value_start, value_end) : NULL;
        int failed = value == NULL || PyDict_SetItem(out, key, value) < 0;
        Py_XDECREF(key);
        Py_XDECREF(value);
        if (failed) {
            Py_DECREF(out);
            return NULL;
        }
    }
    return out;
}

/* The spellings of "no value" (_kv._BLANKS), lower case; none is longer than BLANK_MAX. */
static const char *const BLANKS[] = {"", "-", "n/a", "(null)", "null", "none", "(empty)", "unknown"};
#define BLANK_MAX 7

static int is_blank_lower(PyObject *lower)
{
    for (size_t i = 0; i < sizeof BLANKS / sizeof BLANKS[0]; i++)
        if (PyUnicode_CompareWithASCIIString(lower, BLANKS[i]) == 0)
            return 1;
    return 0;
}

/* Whether the stripped str `value` is a blank spelling: value.lower() in _BLANKS (-1: error).
 * str.lower() never shortens a string, so a value longer than every spelling is no blank; an
 * ASCII value is lowered here, any other by str.lower() itself (Unicode's full mappings). */
static int blank(PyObject *value)
{
    const Py_ssize_t n = PyUnicode_GET_LENGTH(value);
    if (n > BLANK_MAX)
        return 0;
    if (PyUnicode_IS_ASCII(value)) {
        char low[BLANK_MAX];
        const Py_UCS1 *d = PyUnicode_1BYTE_DATA(value);
        for (Py_ssize_t i = 0; i < n; i++)
            low[i] = (char)(d[i] >= 'A' && d[i] <= 'Z' ? d[i] + 32 : d[i]);
        for (size_t i = 0; i < sizeof BLANKS / sizeof BLANKS[0]; i++) /* (a value may hold NUL) */
            if (strlen(BLANKS[i]) == (size_t)n && memcmp(low, BLANKS[i], (size_t)n) == 0)
                return 1;
        return 0;
    }
    PyObject *lower = PyObject_CallMethod(value, "lower", NULL);
    if (lower == NULL)
        return -1;
    const int found = is_blank_lower(lower);
    Py_DECREF(lower);
    return found;
}

/* value.strip() (a new reference): the value itself when neither end is a blank character. */
static PyObject *stripped(PyObject *value)
{
    if (PyUnicode_CheckExact(value)) {
        const Py_ssize_t n = PyUnicode_GET_LENGTH(value);
        const int kind = PyUnicode_KIND(value);
        const void *data = PyUnicode_DATA(value);
        if (n > 0 && !Py_UNICODE_ISSPACE(PyUnicode_READ(kind, data, 0)) &&
            !Py_UNICODE_ISSPACE(PyUnicode_READ(kind, data, n - 1))) {
            Py_INCREF(value);
            return value;
        }
    }
    return PyObject_CallMethod(value, "strip", NULL);
}

/* text(fields, *keys): the first non-blank value among keys, stripped; None when all are
 * blank.  The same as _kv.text in Python (tests/formats/test_parser_speedups.py compares them),
 * which the key=value formats call about ten times a line. */
static PyObject *text(PyObject *module, PyObject *const *args, Py_ssize_t nargs)
{
    (void)module;
    if (nargs < 1) {
        PyErr_SetString(PyExc_TypeError, "text() needs the fields");
        return NULL;
    }
    PyObject *fields = args[0];
    const int is_dict = PyDict_CheckExact(fields);
    for (Py_ssize_t k = 1; k < nargs; k++) {
        PyObject *value; /* a new reference, or NULL with or without an error */
        if (is_dict) {
            value = PyDict_GetItemWithError(fields, args[k]);
            if (value == NULL && PyErr_Occurred())
                return NULL;
            Py_XINCREF(value);
        } else {
            value = PyObject_CallMethod(fields, "get", "O", args[k]);
            if (value == NULL)
                return NULL;
            if (value == Py_None) {
                Py_DECREF(value);
                value = NULL;
            }
        }
        if (value == NULL)
            continue;
        PyObject *s = stripped(value);
        Py_DECREF(value);
        if (s == NULL)
            return NULL;
        int b;
        if (PyUnicode_Check(s)) {
            b = blank(s);
        } else { /* not a str: as Python would, with the object's own lower() */
            PyObject *lower = PyObject_CallMethod(s, "lower", NULL);
            b = lower == NULL ? -1 : PyUnicode_Check(lower) && is_blank_lower(lower);
            Py_XDECREF(lower);
        }
        if (b < 0) {
            Py_DECREF(s);
            return NULL;
        }
        if (!b)
            return s;
        Py_DECREF(s);
    }
    Py_RETURN_NONE;
}

static PyMethodDef methods[] = {
    {"pairs", pairs, METH_O,
     "pairs(text) -> dict: the key=value pairs of text, as dict(_PLAIN_PAIR.findall(text))."},
    {"text", (PyCFunction)(void (*)(void))text, METH_FASTCALL,
     "text(fields, *keys) -> str | None: the first non-blank value among keys, stripped."},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {
    PyModuleDef_HEAD_INIT,
    .m_name = "_kvfast",
    .m_doc = "The key=value tokenizer for text without escapes, and its value reader.",
    .m_size = -1,
    .m_methods = methods,
};

PyMODINIT_FUNC PyInit__kvfast(void)
{
    return PyModule_Create(&module);
}
