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

static PyMethodDef methods[] = {
    {"pairs", pairs, METH_O,
     "pairs(text) -> dict: the key=value pairs of text, as dict(_PLAIN_PAIR.findall(text))."},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {
    PyModuleDef_HEAD_INIT,
    .m_name = "_kvfast",
    .m_doc = "The key=value tokenizer for text without escapes.",
    .m_size = -1,
    .m_methods = methods,
};

PyMODINIT_FUNC PyInit__kvfast(void)
{
    return PyModule_Create(&module);
}
