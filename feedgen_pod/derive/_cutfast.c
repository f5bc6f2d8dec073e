/* feedgen_pod.derive._cutfast: ``cue_cutting.cut`` in C, for speed only.
 *
 * ``feedgen_pod/derive/cue_cutting.py`` is the reference: this file follows it function by function
 * (the same names, without the leading underscore) and must give the same pieces and the same
 * wrapped text for every input; tests/test_cutfast.py checks that on generated lines and on
 * every line of the corpus. Cutting a line is about a quarter of a build's CPU, and all of it
 * is small-integer work on word lengths, which Python does an object at a time.
 *
 * Words come from ``str.split()`` (PyUnicode_Split with no separator), lengths are in code
 * points, and ``ends[j] - ends[a] - 1`` is the length of ``" ".join(words[a:j])``. Every
 * helper returns -1 on a failed allocation, with MemoryError set.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <math.h>
#include <stdlib.h>

/* how many piece counts split_evenly tries before packing greedily (cue_cutting._EVEN_TRIES) */
#define EVEN_TRIES 20

typedef struct {
    Py_ssize_t a, b;
} Range;

typedef struct {
    Range *items;
    Py_ssize_t len, cap;
} Ranges;

static int
push(Ranges *r, Py_ssize_t a, Py_ssize_t b)
{
    if (r->len == r->cap) {
        Py_ssize_t cap = r->cap ? 2 * r->cap : 8;
        Range *items = PyMem_Realloc(r->items, (size_t)cap * sizeof(Range));
        if (items == NULL) {
            PyErr_NoMemory();
            return -1;
        }
        r->items = items;
        r->cap = cap;
    }
    r->items[r->len].a = a;
    r->items[r->len].b = b;
    r->len++;
    return 0;
}

static int
extend(Ranges *r, const Ranges *more)
{
    for (Py_ssize_t i = 0; i < more->len; i++) {
        if (push(r, more->items[i].a, more->items[i].b) < 0) {
            return -1;
        }
    }
    return 0;
}

/* cue_cutting._Words: one line's words, their prefix sums and its cut points (found once) */
typedef struct {
    PyObject *words; /* list of str */
    Py_ssize_t n;
    Py_ssize_t *ends; /* n + 1 sums */
    Py_ssize_t one_line, max_lines, too_long, max_cue_chars;
    Py_ssize_t *cuts[2];
    Py_ssize_t ncuts[2];
    int found[2];
} Words;

/* bisect.bisect_right(ends, x, lo, hi) */
static Py_ssize_t
bisect_right(const Py_ssize_t *ends, Py_ssize_t x, Py_ssize_t lo, Py_ssize_t hi)
{
    while (lo < hi) {
        Py_ssize_t mid = lo + (hi - lo) / 2;
        if (x < ends[mid]) {
            hi = mid;
        }
        else {
            lo = mid + 1;
        }
    }
    return lo;
}

static Py_ssize_t
line_end(const Py_ssize_t *ends, Py_ssize_t a, Py_ssize_t b, Py_ssize_t width)
{
    Py_ssize_t j = bisect_right(ends, ends[a] + width + 1, a + 1, b + 1) - 1;
    return j > a ? j : a + 1;
}

/* cue_cutting._greedy: 1 and the lines in ``lines`` (when not NULL) if they are at most
 * max_lines, else 0; ``grow`` is the next width at which a line would change. */
static int
greedy(const Py_ssize_t *ends, Py_ssize_t a, Py_ssize_t b, Py_ssize_t width,
       Py_ssize_t max_lines, Ranges *lines, Py_ssize_t *grow)
{
    Py_ssize_t count = 0;
    int bounded = 0;
    Py_ssize_t least = 0;
    while (a < b) {
        if (count == max_lines) {
            *grow = least;
            return 0;
        }
        Py_ssize_t j = line_end(ends, a, b, width);
        if (j < b) {
            Py_ssize_t wider = ends[j + 1] - ends[a] - 1;
            if (!bounded || wider < least) {
                least = wider;
                bounded = 1;
            }
        }
        if (lines != NULL && push(lines, a, j) < 0) {
            return -1;
        }
        count++;
        a = j;
    }
    *grow = bounded ? least : width + 1;
    return 1;
}

static Py_ssize_t
length(const Words *w, Py_ssize_t a, Py_ssize_t b)
{
    return b > a ? w->ends[b] - w->ends[a] - 1 : 0;
}

/* _Words.fits */
static int
fits(const Words *w, Py_ssize_t a, Py_ssize_t b)
{
    if (b - a <= 1) {
        return 1;
    }
    const Py_ssize_t *ends = w->ends;
    Py_ssize_t joined = ends[b] - ends[a] - 1;
    if (joined <= w->one_line) {
        return 1;
    }
    if (joined > w->too_long) {
        return 0;
    }
    if (w->max_lines == 2) {
        Py_ssize_t j = line_end(ends, a, b, w->one_line);
        return b - j <= 1 || ends[b] - ends[j] - 1 <= w->one_line;
    }
    Py_ssize_t grow;
    return greedy(ends, a, b, w->one_line, w->max_lines, NULL, &grow);
}

static int
is_closer(Py_UCS4 c)
{
    /* the characters the patterns allow after an end mark: ' " ” ’ ) ] */
    return c == '\'' || c == '"' || c == 0x201D || c == 0x2019 || c == ')' || c == ']';
}

/* the last character before any closing quotes and brackets, or 0 when there is none */
static Py_UCS4
mark_before_closers(PyObject *word)
{
    Py_ssize_t i = PyUnicode_GET_LENGTH(word);
    int kind = PyUnicode_KIND(word);
    const void *data = PyUnicode_DATA(word);
    while (i > 0 && is_closer(PyUnicode_READ(kind, data, i - 1))) {
        i--;
    }
    return i > 0 ? PyUnicode_READ(kind, data, i - 1) : 0;
}

/* cue_cutting.SENTENCE_END: [.!?…] then closers, to the end */
static int
sentence_end(PyObject *word)
{
    Py_UCS4 c = mark_before_closers(word);
    return c == '.' || c == '!' || c == '?' || c == 0x2026;
}

/* cue_cutting._CLAUSE_END: [,;:] then closers, or a dash as the last character */
static int
clause_end(PyObject *word)
{
    Py_ssize_t size = PyUnicode_GET_LENGTH(word);
    Py_UCS4 last = size ? PyUnicode_READ_CHAR(word, size - 1) : 0;
    if (last == 0x2014 || last == 0x2013) {
        return 1;
    }
    Py_UCS4 c = mark_before_closers(word);
    return c == ',' || c == ';' || c == ':';
}

/* cue_cutting._DASH: - -- — – as a word of its own */
static int
is_dash(PyObject *word)
{
    Py_ssize_t size = PyUnicode_GET_LENGTH(word);
    if (size == 1) {
        Py_UCS4 c = PyUnicode_READ_CHAR(word, 0);
        return c == '-' || c == 0x2014 || c == 0x2013;
    }
    return size == 2 && PyUnicode_READ_CHAR(word, 0) == '-' &&
           PyUnicode_READ_CHAR(word, 1) == '-';
}

/* _Words.boundaries: word indices where a piece may start, at ``level`` (found once) */
static int
boundaries(Words *w, int level)
{
    if (w->found[level]) {
        return 0;
    }
    Py_ssize_t *cuts = PyMem_Malloc((size_t)(w->n ? w->n : 1) * sizeof(Py_ssize_t));
    if (cuts == NULL) {
        PyErr_NoMemory();
        return -1;
    }
    Py_ssize_t count = 0;
    for (Py_ssize_t k = 1; k < w->n; k++) {
        PyObject *before = PyList_GET_ITEM(w->words, k - 1);
        int cut = level == 0 ? sentence_end(before)
                             : clause_end(before) || is_dash(PyList_GET_ITEM(w->words, k));
        if (cut) {
            cuts[count++] = k;
        }
    }
    w->cuts[level] = cuts;
    w->ncuts[level] = count;
    w->found[level] = 1;
    return 0;
}

static int split_unfit(Words *w, Py_ssize_t start, Py_ssize_t end, int level, Ranges *out);

/* cue_cutting._split_greedy */
static int
split_greedy(const Words *w, Py_ssize_t start, Py_ssize_t end, Ranges *out)
{
    Py_ssize_t a = start;
    for (Py_ssize_t k = start + 1; k <= end; k++) {
        if (k == end || !fits(w, a, k + 1)) {
            if (push(out, a, k) < 0) {
                return -1;
            }
            a = k;
        }
    }
    return 0;
}

/* cue_cutting._split_evenly: ``cumulative[i]`` is ``ends[start + i] - ends[start]`` */
static int
split_evenly(const Words *w, Py_ssize_t start, Py_ssize_t end, Ranges *out)
{
    const Py_ssize_t *cumulative_base = w->ends + start;
    Py_ssize_t base = w->ends[start];
#define CUM(i) (cumulative_base[(i)] - base)
    Py_ssize_t count = end - start;
    Py_ssize_t total = CUM(count);
    Py_ssize_t first = (Py_ssize_t)ceil((double)total / (double)w->max_cue_chars);
    if (first < 2) {
        first = 2;
    }
    Py_ssize_t last = count < first + EVEN_TRIES ? count : first + EVEN_TRIES;
    Py_ssize_t *edges = PyMem_Malloc((size_t)(last + 2) * sizeof(Py_ssize_t));
    if (edges == NULL) {
        PyErr_NoMemory();
        return -1;
    }
    for (Py_ssize_t parts = first; parts <= last; parts++) {
        Py_ssize_t nedges = 0, previous = 0;
        edges[nedges++] = 0;
        for (Py_ssize_t j = 1; j < parts; j++) {
            double target = (double)(total * j) / (double)parts;
            /* bisect_left(cumulative, target, previous + 1, count) */
            Py_ssize_t lo = previous + 1, hi = count;
            while (lo < hi) {
                Py_ssize_t mid = lo + (hi - lo) / 2;
                if ((double)CUM(mid) < target) {
                    lo = mid + 1;
                }
                else {
                    hi = mid;
                }
            }
            Py_ssize_t k = lo;
            if (k >= count && previous + 1 >= count) {
                break;
            }
            if (k < previous + 1) {
                k = previous + 1;
            }
            if (k > count - 1) {
                k = count - 1;
            }
            if (k - 1 > previous &&
                fabs((double)CUM(k - 1) - target) <= fabs((double)CUM(k) - target)) {
                k -= 1;
            }
            edges[nedges++] = k;
            previous = k;
        }
        edges[nedges++] = count;
        int all = 1;
        for (Py_ssize_t i = 0; i + 1 < nedges && all; i++) {
            if (edges[i + 1] > edges[i]) {
                all = fits(w, start + edges[i], start + edges[i + 1]);
            }
        }
        if (all) {
            for (Py_ssize_t i = 0; i + 1 < nedges; i++) {
                if (edges[i + 1] > edges[i] &&
                    push(out, start + edges[i], start + edges[i + 1]) < 0) {
                    PyMem_Free(edges);
                    return -1;
                }
            }
            PyMem_Free(edges);
            return 0;
        }
    }
#undef CUM
    PyMem_Free(edges);
    return split_greedy(w, start, end, out);
}

/* cue_cutting._has_stub */
static int
has_stub(const Words *w, const Ranges *pieces)
{
    Py_ssize_t shortest = PY_SSIZE_T_MAX;
    for (Py_ssize_t i = 0; i < pieces->len; i++) {
        Py_ssize_t size = length(w, pieces->items[i].a, pieces->items[i].b);
        if (size < shortest) {
            shortest = size;
        }
    }
    return shortest < w->max_cue_chars / 4;
}

/* cue_cutting._split */
static int
split(Words *w, Py_ssize_t start, Py_ssize_t end, int level, Ranges *out)
{
    if (fits(w, start, end)) {
        return push(out, start, end);
    }
    return split_unfit(w, start, end, level, out);
}

/* cue_cutting._split_unfit: pieces of a range known not to fit one cue, appended to ``out`` */
static int
split_unfit(Words *w, Py_ssize_t start, Py_ssize_t end, int level, Ranges *out)
{
    Py_ssize_t first = 0, stop = 0; /* the cuts strictly inside start:end */
    while (level < 2) {
        if (boundaries(w, level) < 0) {
            return -1;
        }
        const Py_ssize_t *cuts = w->cuts[level];
        Py_ssize_t n = w->ncuts[level];
        first = bisect_right(cuts, start, 0, n);
        /* bisect_left(cuts, end) */
        Py_ssize_t lo = 0, hi = n;
        while (lo < hi) {
            Py_ssize_t mid = lo + (hi - lo) / 2;
            if (cuts[mid] < end) {
                lo = mid + 1;
            }
            else {
                hi = mid;
            }
        }
        stop = lo;
        if (stop > first) {
            break;
        }
        level++;
    }
    if (level >= 2) {
        return split_evenly(w, start, end, out);
    }
    const Py_ssize_t *cuts = w->cuts[level];
    Ranges pieces = {NULL, 0, 0};
    Ranges inner = {NULL, 0, 0};
    int status = -1;
    for (Py_ssize_t i = first - 1; i < stop; i++) {
        Py_ssize_t a = i < first ? start : cuts[i];
        Py_ssize_t b = i + 1 < stop ? cuts[i + 1] : end;
        if (!fits(w, a, b)) { /* a cut segment: its pieces stand on their own */
            inner.len = 0;
            if (split_unfit(w, a, b, level + 1, &inner) < 0 || extend(&pieces, &inner) < 0) {
                goto done;
            }
        }
        else if (pieces.len && fits(w, pieces.items[pieces.len - 1].a, b)) {
            pieces.items[pieces.len - 1].b = b; /* a whole one joins the piece before */
        }
        else if (push(&pieces, a, b) < 0) {
            goto done;
        }
    }
    if (level == 1 && has_stub(w, &pieces)) {
        Ranges even = {NULL, 0, 0};
        if (split_evenly(w, start, end, &even) < 0) {
            PyMem_Free(even.items);
            goto done;
        }
        if (even.len <= pieces.len) {
            status = extend(out, &even);
            PyMem_Free(even.items);
            goto done;
        }
        PyMem_Free(even.items);
    }
    status = extend(out, &pieces);
done:
    PyMem_Free(pieces.items);
    PyMem_Free(inner.items);
    return status;
}

/* " ".join(words[a:b]) */
static PyObject *
joined(PyObject *words, Py_ssize_t a, Py_ssize_t b, PyObject *space)
{
    PyObject *slice = PyList_GetSlice(words, a, b);
    if (slice == NULL) {
        return NULL;
    }
    PyObject *text = PyUnicode_Join(space, slice);
    Py_DECREF(slice);
    return text;
}

/* "\n".join(" ".join(words[i:j]) for i, j in lines) */
static PyObject *
joined_lines(PyObject *words, const Ranges *lines, PyObject *space, PyObject *newline)
{
    PyObject *parts = PyList_New(lines->len);
    if (parts == NULL) {
        return NULL;
    }
    for (Py_ssize_t i = 0; i < lines->len; i++) {
        PyObject *line = joined(words, lines->items[i].a, lines->items[i].b, space);
        if (line == NULL) {
            Py_DECREF(parts);
            return NULL;
        }
        PyList_SET_ITEM(parts, i, line);
    }
    PyObject *text = PyUnicode_Join(newline, parts);
    Py_DECREF(parts);
    return text;
}

/* cue_cutting.greedy_lines over words[a:b]: fill word by word */
static PyObject *
greedy_fill(const Words *w, Py_ssize_t a, Py_ssize_t b, Py_ssize_t width, PyObject *space,
            PyObject *newline)
{
    Ranges lines = {NULL, 0, 0};
    Py_ssize_t begin = a;
    for (Py_ssize_t k = a + 1; k < b; k++) {
        /* the current line is words[begin:k]; it takes word k while it fits */
        if (w->ends[k + 1] - w->ends[begin] - 1 > width) {
            if (push(&lines, begin, k) < 0) {
                PyMem_Free(lines.items);
                return NULL;
            }
            begin = k;
        }
    }
    PyObject *text = NULL;
    if (push(&lines, begin, b) == 0) {
        text = joined_lines(w->words, &lines, space, newline);
    }
    PyMem_Free(lines.items);
    return text;
}

/* cue_cutting._two_lines */
static PyObject *
two_lines(const Words *w, Py_ssize_t a, Py_ssize_t b, Py_ssize_t width, PyObject *space,
          PyObject *newline)
{
    const Py_ssize_t *ends = w->ends;
    Py_ssize_t j = line_end(ends, a, b, width);
    if (j < b) {
        Py_ssize_t rest = ends[b] - ends[j] - 1;
        Py_ssize_t wider = ends[j + 1] - ends[a] - 1;
        Py_ssize_t least = rest < wider ? rest : wider;
        if (least > width) {
            width = least;
        }
        if (width >= w->one_line) {
            return greedy_fill(w, a, b, w->one_line, space, newline);
        }
        j = line_end(ends, a, b, width);
    }
    if (j >= b) {
        return joined(w->words, a, b, space);
    }
    Ranges lines = {NULL, 0, 0};
    PyObject *text = NULL;
    if (push(&lines, a, j) == 0 && push(&lines, j, b) == 0) {
        text = joined_lines(w->words, &lines, space, newline);
    }
    PyMem_Free(lines.items);
    return text;
}

/* cue_cutting._wrap_range */
static PyObject *
wrap_range(const Words *w, Py_ssize_t a, Py_ssize_t b, PyObject *space, PyObject *newline)
{
    Py_ssize_t size = w->ends[b] - w->ends[a] - 1;
    Py_ssize_t longest = w->one_line;
    if (size <= longest) {
        return joined(w->words, a, b, space);
    }
    Py_ssize_t width = (Py_ssize_t)ceil((double)size / (double)w->max_lines);
    if (width < 1) {
        width = 1;
    }
    if (w->max_lines == 2 && width < longest) {
        return two_lines(w, a, b, width, space, newline);
    }
    while (width < longest) {
        Ranges lines = {NULL, 0, 0};
        Py_ssize_t grow;
        int ok = greedy(w->ends, a, b, width, w->max_lines, &lines, &grow);
        if (ok < 0) {
            PyMem_Free(lines.items);
            return NULL;
        }
        if (ok) {
            PyObject *text = joined_lines(w->words, &lines, space, newline);
            PyMem_Free(lines.items);
            return text;
        }
        PyMem_Free(lines.items);
        width = grow;
    }
    return greedy_fill(w, a, b, longest, space, newline);
}

static PyObject *
piece(Py_ssize_t a, Py_ssize_t b, PyObject *text)
{
    if (text == NULL) {
        return NULL;
    }
    PyObject *item = Py_BuildValue("(nnN)", a, b, text);
    return item;
}

PyDoc_STRVAR(cut_doc,
             "cut(text, max_line_length, max_lines)\n--\n\n"
             "cue_cutting.cut with the settings' two numbers: each piece's word range and its "
             "wrapped text.");

static PyObject *
cut(PyObject *module, PyObject *args)
{
    PyObject *text;
    Py_ssize_t one_line, max_lines;
    if (!PyArg_ParseTuple(args, "Unn:cut", &text, &one_line, &max_lines)) {
        return NULL;
    }
    if (one_line < 1 || max_lines < 1 || one_line > (1 << 24) || max_lines > (1 << 24)) {
        PyErr_SetString(PyExc_ValueError, "max_line_length and max_lines: 1 to 2**24");
        return NULL;
    }
    PyObject *words = PyUnicode_Split(text, NULL, -1);
    if (words == NULL) {
        return NULL;
    }
    PyObject *result = NULL, *space = NULL, *newline = NULL;
    Words w = {0};
    Ranges ranges = {NULL, 0, 0};
    w.words = words;
    w.n = PyList_GET_SIZE(words);
    if (w.n == 0) {
        result = PyList_New(0);
        goto done;
    }
    space = PyUnicode_FromString(" ");
    newline = PyUnicode_FromString("\n");
    w.ends = PyMem_Malloc((size_t)(w.n + 1) * sizeof(Py_ssize_t));
    if (space == NULL || newline == NULL || w.ends == NULL) {
        if (w.ends == NULL) {
            PyErr_NoMemory();
        }
        goto done;
    }
    Py_ssize_t widest = 0;
    w.ends[0] = 0;
    for (Py_ssize_t i = 0; i < w.n; i++) {
        Py_ssize_t size = PyUnicode_GET_LENGTH(PyList_GET_ITEM(words, i));
        w.ends[i + 1] = w.ends[i] + size + 1;
        if (size > widest) {
            widest = size;
        }
    }
    w.one_line = one_line;
    w.max_lines = max_lines;
    w.max_cue_chars = one_line * max_lines;
    w.too_long = max_lines * (one_line + 1) - 1;
    if (widest > one_line) {
        w.too_long = w.ends[w.n];
    }
    if (w.ends[w.n] - 1 <= one_line) {
        PyObject *item = piece(0, w.n, PyUnicode_Join(space, words));
        if (item != NULL) {
            result = PyList_New(1);
            if (result == NULL) {
                Py_DECREF(item);
            }
            else {
                PyList_SET_ITEM(result, 0, item);
            }
        }
        goto done;
    }
    if (split(&w, 0, w.n, 0, &ranges) < 0) {
        goto done;
    }
    result = PyList_New(ranges.len);
    if (result == NULL) {
        goto done;
    }
    for (Py_ssize_t i = 0; i < ranges.len; i++) {
        Py_ssize_t a = ranges.items[i].a, b = ranges.items[i].b;
        PyObject *item = piece(a, b, wrap_range(&w, a, b, space, newline));
        if (item == NULL) {
            Py_CLEAR(result);
            goto done;
        }
        PyList_SET_ITEM(result, i, item);
    }
done:
    PyMem_Free(ranges.items);
    PyMem_Free(w.ends);
    PyMem_Free(w.cuts[0]);
    PyMem_Free(w.cuts[1]);
    Py_XDECREF(space);
    Py_XDECREF(newline);
    Py_DECREF(words);
    return result;
}

static PyMethodDef methods[] = {
    {"cut", cut, METH_VARARGS, cut_doc},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {
    PyModuleDef_HEAD_INIT,
    "feedgen_pod.derive._cutfast",
    "cue_cutting.cut in C (see feedgen_pod/derive/cue_cutting.py, the reference).",
    -1,
    methods,
    NULL,
    NULL,
    NULL,
    NULL,
};

PyMODINIT_FUNC
PyInit__cutfast(void)
{
    return PyModule_Create(&module);
}
