/* feedgen_pod.load._listfast: ``listblock._read`` in C, for speed only.
 *
 * ``feedgen_pod/load/listblock.py`` is the reference: for every body this reader either gives
 * exactly what ``_read`` gives (items, their line numbers, where the list ends) or None, and
 * then the reference reads the body itself (and accepts it or sends the file to PyYAML). It
 * returns None for everything outside the usual shape, so it only has to agree with the
 * reference on that shape; tests/test_listfast.py compares the two on every corpus file and on
 * generated lists. Reading a transcript's list was a tenth of a build's CPU, nearly all of it
 * the interpreter stepping through hundreds of small values an episode.
 *
 * The body is scanned line by line as ``_entry``'s regular expression would match it at the
 * current position: blank lines, ``indent`` spaces, ``- `` (a new item) or two spaces (the
 * same item), a key, ``:``, an optional value after spaces, then the value's more-indented
 * lines. Values are read as ``_value`` reads them; a plain value that YAML might type (its
 * first character is one of ``typed_leads``) goes to the reference's ``_typed``, except a
 * plain decimal whole number, which is an int.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

/* a growable buffer of code points, for values folded over several lines */
typedef struct {
    Py_UCS4 *data;
    Py_ssize_t len, cap;
} Text;

static int
text_push(Text *t, Py_UCS4 ch)
{
    if (t->len == t->cap) {
        Py_ssize_t cap = t->cap ? 2 * t->cap : 256;
        Py_UCS4 *data = PyMem_Realloc(t->data, (size_t)cap * sizeof(Py_UCS4));
        if (data == NULL) {
            PyErr_NoMemory();
            return -1;
        }
        t->data = data;
        t->cap = cap;
    }
    t->data[t->len++] = ch;
    return 0;
}

typedef struct {
    PyObject *body;
    int kind;
    const void *data;
    Py_ssize_t n;
    PyObject *typed;    /* listblock._typed */
    char leads[128];    /* typed_leads, as a table of ASCII characters */
    Text buf;
} Reader;

#define AT(r, i) PyUnicode_READ((r)->kind, (r)->data, (i))

static int
is_indicator(Py_UCS4 ch)
{
    /* listblock._INDICATORS */
    return ch < 128 && ch != 0 && strchr("-?:,[]{}#&*!|>'\"%@`", (int)ch) != NULL;
}

static int
is_typed_lead(const Reader *r, Py_UCS4 ch)
{
    return ch < 128 && r->leads[ch];
}

/* ``_FOLD.sub(" ", ...)`` of the code points in buf[a:b] (no blank lines are in it: the
 * value's lines all hold text), appended to ``out`` */
static int
fold_into(const Py_UCS4 *src, Py_ssize_t a, Py_ssize_t b, Text *out)
{
    for (Py_ssize_t i = a; i < b; i++) {
        Py_UCS4 ch = src[i];
        if (ch == '\n') {
            while (out->len > 0 && out->data[out->len - 1] == ' ') {
                out->len--;
            }
            while (i + 1 < b && src[i + 1] == ' ') {
                i++;
            }
            ch = ' ';
        }
        if (text_push(out, ch) < 0) {
            return -1;
        }
    }
    return 0;
}

/* a plain whole number as ``_PLAIN_INT`` has it without a sign: ``0`` or ``[1-9][0-9]*`` */
static int
plain_decimal(const Py_UCS4 *s, Py_ssize_t len)
{
    if (len == 0 || (s[0] == '0' && len > 1)) {
        return 0;
    }
    for (Py_ssize_t i = 0; i < len; i++) {
        if (s[i] < '0' || s[i] > '9') {
            return 0;
        }
    }
    return 1;
}

static int
contains2(const Py_UCS4 *s, Py_ssize_t len, Py_UCS4 a, Py_UCS4 b)
{
    for (Py_ssize_t i = 0; i + 1 < len; i++) {
        if (s[i] == a && s[i + 1] == b) {
            return 1;
        }
    }
    return 0;
}

/* ``_NOT_PLAIN_LINE.search``: a line that starts (after spaces) with ``#``, or with ``-`` or
 * ``?`` followed by a space, a line break or the end */
static int
not_plain_line(const Py_UCS4 *s, Py_ssize_t len)
{
    for (Py_ssize_t i = 0; i < len; i++) {
        if (s[i] != '\n') {
            continue;
        }
        Py_ssize_t j = i + 1;
        while (j < len && s[j] == ' ') {
            j++;
        }
        if (j < len && s[j] == '#') {
            return 1;
        }
        if (j < len && (s[j] == '-' || s[j] == '?')) {
            if (j + 1 == len || s[j + 1] == ' ' || s[j + 1] == '\n') {
                return 1;
            }
        }
    }
    return 0;
}

static PyObject *
from_text(const Py_UCS4 *s, Py_ssize_t len)
{
    return PyUnicode_FromKindAndData(PyUnicode_4BYTE_KIND, s, len);
}

/* ``_typed`` of a plain value: an int for a decimal whole number, else the reference's */
static PyObject *
typed_value(Reader *r, const Py_UCS4 *s, Py_ssize_t len)
{
    PyObject *text = from_text(s, len);
    if (text == NULL || !is_typed_lead(r, s[0])) {
        return text;
    }
    PyObject *value;
    if (plain_decimal(s, len)) {
        value = PyLong_FromUnicodeObject(text, 10);
    }
    else {
        value = PyObject_CallOneArg(r->typed, text);
    }
    Py_DECREF(text);
    return value;
}

/* The commonest one-line values, read as ``read_value`` reads them but without copying:
 * plain text with no colon, hash or quote in it, a decimal whole number, and a quoted value
 * with no quote inside. Py_NotImplemented (a new reference) for any other value. */
static PyObject *
one_line(Reader *r, Py_ssize_t fa, Py_ssize_t fb)
{
    while (fb > fa && AT(r, fb - 1) == ' ') {
        fb--;
    }
    Py_UCS4 lead = AT(r, fa), last = AT(r, fb - 1);
    if ((lead == '\'' || lead == '"') && fb - fa >= 2 && last == lead) {
        for (Py_ssize_t i = fa + 1; i < fb - 1; i++) {
            Py_UCS4 ch = AT(r, i);
            if (ch == '\'' || ch == '"' || ch == '\\') {
                Py_RETURN_NOTIMPLEMENTED;
            }
        }
        return PyUnicode_Substring(r->body, fa + 1, fb - 1);
    }
    if (is_indicator(lead) || last == ':') {
        Py_RETURN_NOTIMPLEMENTED;
    }
    int digits = 1;
    for (Py_ssize_t i = fa; i < fb; i++) {
        Py_UCS4 ch = AT(r, i);
        if (ch == ':' || ch == '#' || ch == '\'' || ch == '"') {
            Py_RETURN_NOTIMPLEMENTED;
        }
        digits &= ch >= '0' && ch <= '9';
    }
    if (is_typed_lead(r, lead) && !(digits && (lead != '0' || fb - fa == 1))) {
        Py_RETURN_NOTIMPLEMENTED; /* the reference's ``_typed`` decides */
    }
    PyObject *text = PyUnicode_Substring(r->body, fa, fb);
    if (text == NULL || !digits) {
        return text;
    }
    PyObject *number = PyLong_FromUnicodeObject(text, 10);
    Py_DECREF(text);
    return number;
}

/* ``_value(first, more)``: first is body[fa:fb] (fa < 0: no value on the key's line), more is
 * body[ma:mb] (empty when ma == mb). Returns a new reference, Py_None for YAML's null, or
 * NULL: with an exception set on an error, without one when the reference must decide. */
static PyObject *
read_value(Reader *r, Py_ssize_t fa, Py_ssize_t fb, Py_ssize_t ma, Py_ssize_t mb)
{
    int more = mb > ma;
    int blank = 1;
    for (Py_ssize_t i = fa; fa >= 0 && i < fb; i++) {
        if (AT(r, i) != ' ') {
            blank = 0;
            break;
        }
    }
    if (blank) {
        if (more) {
            return NULL; /* a nested list or mapping */
        }
        Py_RETURN_NONE;
    }
    if (!more) {
        PyObject *value = one_line(r, fa, fb);
        if (value != Py_NotImplemented) {
            return value;
        }
        Py_DECREF(value);
    }
    /* raw: first, and when there is more, a line break and the more-indented lines,
     * right-stripped of spaces (and line breaks) */
    Text *raw = &r->buf;
    raw->len = 0;
    for (Py_ssize_t i = fa; i < fb; i++) {
        if (text_push(raw, AT(r, i)) < 0) {
            return NULL;
        }
    }
    if (more) {
        if (text_push(raw, '\n') < 0) {
            return NULL;
        }
        for (Py_ssize_t i = ma; i < mb; i++) {
            if (text_push(raw, AT(r, i)) < 0) {
                return NULL;
            }
        }
    }
    while (raw->len > 0 &&
           (raw->data[raw->len - 1] == ' ' || (more && raw->data[raw->len - 1] == '\n'))) {
        raw->len--;
    }
    const Py_UCS4 *s = raw->data;
    Py_ssize_t len = raw->len;
    Py_UCS4 lead = s[0];
    if (lead == '\'' || lead == '"') {
        if (len < 2 || s[len - 1] != lead) {
            return NULL;
        }
        for (Py_ssize_t i = 1; i < len - 1; i++) {
            if (lead == '"' && (s[i] == '"' || s[i] == '\\')) {
                return NULL;
            }
            if (lead == '\'' && s[i] == '\'') {
                if (i + 1 < len - 1 && s[i + 1] == '\'') {
                    i++; /* a doubled quote */
                }
                else {
                    return NULL;
                }
            }
        }
        Text out = {NULL, 0, 0};
        PyObject *value = NULL;
        if (more ? fold_into(s, 1, len - 1, &out) == 0 : 1) {
            const Py_UCS4 *inner = more ? out.data : s + 1;
            Py_ssize_t inner_len = more ? out.len : len - 2;
            if (lead == '\'') { /* '' is one quote */
                Py_ssize_t k = 0;
                Py_UCS4 *w = more ? out.data : (Py_UCS4 *)s + 1;
                for (Py_ssize_t i = 0; i < inner_len; i++) {
                    w[k++] = inner[i];
                    if (inner[i] == '\'' && i + 1 < inner_len && inner[i + 1] == '\'') {
                        i++;
                    }
                }
                inner_len = k;
                inner = w;
            }
            value = from_text(inner, inner_len);
        }
        PyMem_Free(out.data);
        return value;
    }
    if (is_indicator(lead) || contains2(s, len, ':', ' ') || contains2(s, len, ' ', '#') ||
        s[len - 1] == ':') {
        return NULL;
    }
    if (!more) {
        return typed_value(r, s, len);
    }
    if (contains2(s, len, ':', '\n') || not_plain_line(s, len)) {
        return NULL;
    }
    Text out = {NULL, 0, 0};
    PyObject *value = NULL;
    if (fold_into(s, 0, len, &out) == 0) {
        value = typed_value(r, out.data, out.len);
    }
    PyMem_Free(out.data);
    return value;
}

static int
is_key_start(Py_UCS4 ch)
{
    return (ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z') || ch == '_';
}

static int
is_key_char(Py_UCS4 ch)
{
    return is_key_start(ch) || (ch >= '0' && ch <= '9');
}

/* Returns 1 when an entry starts at pos (its parts set), 0 when the list ends there. */
typedef struct {
    Py_ssize_t line_start, key_a, key_b, first_a, first_b, more_a, more_b, end;
    int dash, blank_lines;
} Entry;

static int
match_entry(const Reader *r, Py_ssize_t pos, Py_ssize_t indent, Entry *e)
{
    Py_ssize_t n = r->n, p = pos;
    e->blank_lines = 0;
    for (;;) { /* (?: *\n)* */
        Py_ssize_t q = p;
        while (q < n && AT(r, q) == ' ') {
            q++;
        }
        if (q < n && AT(r, q) == '\n') {
            p = q + 1;
            e->blank_lines++;
            continue;
        }
        break;
    }
    e->line_start = p;
    Py_ssize_t q = p;
    for (Py_ssize_t k = 0; k < indent; k++, q++) {
        if (q >= n || AT(r, q) != ' ') {
            return 0;
        }
    }
    if (q + 1 >= n) {
        return 0;
    }
    Py_UCS4 c0 = AT(r, q), c1 = AT(r, q + 1);
    if (c0 == '-' && c1 == ' ') {
        e->dash = 1;
    }
    else if (c0 == ' ' && c1 == ' ') {
        e->dash = 0;
    }
    else {
        return 0;
    }
    q += 2;
    if (q >= n || !is_key_start(AT(r, q))) {
        return 0;
    }
    e->key_a = q;
    while (q < n && is_key_char(AT(r, q))) {
        q++;
    }
    e->key_b = q;
    if (q >= n || AT(r, q) != ':') {
        return 0;
    }
    q++;
    e->first_a = e->first_b = -1;
    if (q < n && AT(r, q) == ' ') {
        while (q < n && AT(r, q) == ' ') {
            q++;
        }
        e->first_a = q;
        while (q < n && AT(r, q) != '\n') {
            q++;
        }
        e->first_b = q;
    }
    if (q >= n || AT(r, q) != '\n') {
        return 0;
    }
    q++;
    e->more_a = q;
    for (;;) { /* lines indented past indent + 2, each holding text and ending in \n */
        Py_ssize_t s = q;
        while (s < n && AT(r, s) == ' ') {
            s++;
        }
        if (s - q < indent + 3 || s >= n || AT(r, s) == '\n') {
            break;
        }
        while (s < n && AT(r, s) != '\n') {
            s++;
        }
        if (s >= n) {
            break;
        }
        q = s + 1;
    }
    e->more_b = e->end = q;
    return 1;
}

static int
set_line(PyObject *lines, PyObject *name, Py_ssize_t line)
{
    PyObject *number = PyLong_FromSsize_t(line);
    if (number == NULL) {
        return -1;
    }
    int failed = PyDict_SetItem(lines, name, number);
    Py_DECREF(number);
    return failed;
}

/* the items, lines and end, or NULL (error set: an error; not set: the reference decides) */
static PyObject *
read_list(Reader *r, Py_ssize_t first)
{
    Py_ssize_t n = r->n, indent = 0;
    while (indent < n && AT(r, indent) == ' ') {
        indent++;
    }
    if (indent + 1 >= n || AT(r, indent) != '-' || AT(r, indent + 1) != ' ') {
        return NULL;
    }
    PyObject *items = PyList_New(0), *lines = PyDict_New();
    PyObject *item = NULL; /* borrowed: the list holds it */
    PyObject *index = NULL, *prefix = NULL, *key = NULL, *name = NULL, *value = NULL;
    PyObject *result = NULL, *plain_key = NULL;
    if (items == NULL || lines == NULL) {
        goto done;
    }
    Py_ssize_t pos = 0, line = first;
    Entry e;
    while (match_entry(r, pos, indent, &e)) {
        line += e.blank_lines;
        if (e.dash) {
            item = PyDict_New();
            if (item == NULL) {
                goto done;
            }
            int failed = PyList_Append(items, item);
            Py_DECREF(item);
            if (failed < 0) {
                goto done;
            }
            Py_XSETREF(index, PyUnicode_FromFormat("%zd", PyList_GET_SIZE(items) - 1));
            if (index == NULL || set_line(lines, index, line) < 0) {
                goto done;
            }
            Py_XSETREF(prefix, PyUnicode_FromFormat("%U.", index));
            if (prefix == NULL) {
                goto done;
            }
        }
        else if (item == NULL) {
            goto done; /* a key before the first item */
        }
        Py_XSETREF(key, PyUnicode_Substring(r->body, e.key_a, e.key_b));
        if (key == NULL) {
            goto done;
        }
        PyUnicode_InternInPlace(&key); /* the same few keys in every item */
        int known = PyDict_Contains(item, key);
        if (known != 0) {
            goto done; /* a duplicate key (or an error) */
        }
        if (is_typed_lead(r, AT(r, e.key_a)) && key != plain_key) {
            /* a key YAML might read as a bool or a number: the reference decides (once for
             * the one such key a transcript has, ``time``: keys are interned) */
            PyObject *typed = PyObject_CallOneArg(r->typed, key);
            if (typed == NULL) {
                goto done;
            }
            Py_DECREF(typed);
            if (typed != key) {
                goto done;
            }
            plain_key = key; /* borrowed: the items hold it */
        }
        Py_XSETREF(name, PyUnicode_Concat(prefix, key));
        if (name == NULL || set_line(lines, name, line) < 0) {
            goto done;
        }
        Py_XSETREF(value, read_value(r, e.first_a, e.first_b, e.more_a, e.more_b));
        if (value == NULL || PyDict_SetItem(item, key, value) < 0) {
            goto done;
        }
        line += 1;
        for (Py_ssize_t i = e.more_a; i < e.more_b; i++) {
            line += AT(r, i) == '\n';
        }
        pos = e.end;
    }
    /* what follows must be the end or the next top-level key */
    Py_ssize_t after = pos;
    for (;;) {
        Py_ssize_t q = after;
        while (q < n && AT(r, q) == ' ') {
            q++;
        }
        if (q < n && AT(r, q) == '\n') {
            after = q + 1;
            continue;
        }
        break;
    }
    if (after < n) {
        Py_UCS4 ch = AT(r, after);
        if (ch == ' ' || ch == '#' || ch == '-') {
            goto done;
        }
    }
    result = Py_BuildValue("(OOn)", items, lines, pos);
done:
    Py_XDECREF(items);
    Py_XDECREF(lines);
    Py_XDECREF(index);
    Py_XDECREF(prefix);
    Py_XDECREF(key);
    Py_XDECREF(name);
    Py_XDECREF(value);
    return result;
}

PyDoc_STRVAR(read_doc,
             "read(body, first, typed, typed_leads) -> (items, lines, end) or None\n\n"
             "listblock._read in C; None where the reference must read the body.");

static PyObject *
listfast_read(PyObject *self, PyObject *args)
{
    PyObject *body, *typed, *leads;
    Py_ssize_t first;
    if (!PyArg_ParseTuple(args, "UnOU", &body, &first, &typed, &leads)) {
        return NULL;
    }
    Reader r;
    memset(&r, 0, sizeof(r));
    r.body = body;
    r.kind = PyUnicode_KIND(body);
    r.data = PyUnicode_DATA(body);
    r.n = PyUnicode_GET_LENGTH(body);
    r.typed = typed;
    for (Py_ssize_t i = 0; i < PyUnicode_GET_LENGTH(leads); i++) {
        Py_UCS4 ch = PyUnicode_READ_CHAR(leads, i);
        if (ch < 128) {
            r.leads[ch] = 1;
        }
    }
    PyObject *result = read_list(&r, first);
    PyMem_Free(r.buf.data);
    if (result == NULL && !PyErr_Occurred()) {
        Py_RETURN_NONE;
    }
    return result;
}

static PyMethodDef methods[] = {
    {"read", listfast_read, METH_VARARGS, read_doc},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {
    PyModuleDef_HEAD_INIT,
    .m_name = "feedgen_pod.load._listfast",
    .m_doc = "listblock._read in C (see feedgen_pod/load/listblock.py, the reference).",
    .m_size = -1,
    .m_methods = methods,
};

PyMODINIT_FUNC
PyInit__listfast(void)
{
    return PyModule_Create(&module);
}
