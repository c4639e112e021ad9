/* fasttext_wrap.cc - fastText behind the C API of fasttext_wrap.h. */
#include "fasttext_wrap.h"

#include <immintrin.h>
#include <unistd.h>

#include <cmath>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <fstream>
#include <new>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include <fasttext/args.h>
#include <fasttext/dictionary.h>
#include <fasttext/fasttext.h>

/* fastText's own loadModel(path) reads a short file's missing end as
 * zeros; from our stream, its protected header check (which also sets
 * the version loadModel reads) and then the stream's state tell. */
struct checked_model : fasttext::FastText {
    bool load(std::istream &in)
    {
        if (!checkModel(in))
            return false;
        loadModel(in);
        return !in.fail();
    }
};

struct ss_ft {
    mutable checked_model model; /* getSentenceVector only reads */
    std::vector<std::string> labels;  /* without "__label__" */
    /* the output layer (labels x dim), read by our own loop: fastText's
     * predict costs a heap, a log per label and allocations per call */
    std::vector<float> out;
    int64_t dim = 0;
};

/* The body of every exported call: no exception leaves it. */
template <class F>
static ss_status guarded(char **errmsg, const char *what, F f)
{
    try {
        return f();
    } catch (const std::bad_alloc &) {
        return ss_set_error(errmsg, SS_ERR_NOMEM, "out of memory");
    } catch (const std::exception &e) {
        return ss_set_error(errmsg, SS_ERR_INTERNAL, "fasttext: %s: %s",
                            what, e.what());
    } catch (...) {
        return ss_set_error(errmsg, SS_ERR_INTERNAL,
                            "fasttext: %s: unknown error", what);
    }
}

extern "C" ss_status ss_ft_open(const char *path, ss_ft **out, char **errmsg)
{
    *out = NULL;
    if (access(path, R_OK) != 0)
        return ss_set_error(errmsg, SS_ERR_NOT_FOUND, "%s: no such model",
                            path);
    return guarded(errmsg, path, [&]() -> ss_status {
        ss_ft *ft = new ss_ft;
        std::ifstream in(path, std::ifstream::binary);
        bool ok = false;
        try {
            ok = in.is_open() && ft->model.load(in);
        } catch (const std::bad_alloc &) {
            ok = false; /* a damaged size */
        } catch (const std::exception &) {
            ok = false;
        }
        if (!ok) {
            delete ft;
            return ss_set_error(errmsg, SS_ERR_CORRUPT,
                                "%s: not a fastText model, or cut short",
                                path);
        }
        auto dict = ft->model.getDictionary();
        if (ft->model.getArgs().model != fasttext::model_name::sup ||
            dict->nlabels() <= 0) {
            delete ft;
            return ss_set_error(errmsg, SS_ERR_CORRUPT,
                                "%s: not a supervised fastText model", path);
        }
        auto om = ft->model.getOutputMatrix();
        if (!om || om->rows() != dict->nlabels() ||
            ft->model.getArgs().loss != fasttext::loss_name::softmax) {
            delete ft;
            return ss_set_error(errmsg, SS_ERR_CORRUPT,
                                "%s: not a softmax classifier", path);
        }
        ft->dim = om->cols();
        ft->out.assign(om->data(), om->data() + om->rows() * om->cols());
        const std::string &pfx = ft->model.getArgs().label;
        for (int32_t i = 0; i < dict->nlabels(); i++) {
            std::string l = dict->getLabel(i);
            ft->labels.push_back(l.compare(0, pfx.size(), pfx) == 0
                                     ? l.substr(pfx.size())
                                     : l);
        }
        *out = ft;
        return SS_OK;
    });
}

extern "C" void ss_ft_destroy(ss_ft *ft) { delete ft; }

extern "C" size_t ss_ft_nlabels(const ss_ft *ft) { return ft->labels.size(); }

extern "C" const char *ss_ft_label(const ss_ft *ft, size_t i)
{
    return i < ft->labels.size() ? ft->labels[i].c_str() : "";
}

/* z[i] = row i of w (n rows of d floats) . h */
static void logits(const float *w, const float *h, size_t n, size_t d,
                   float *z)
{
    for (size_t i = 0; i < n; i++, w += d) {
        float s = 0;
        for (size_t j = 0; j < d; j++)
            s += w[j] * h[j];
        z[i] = s;
    }
}

/* The same with eight lanes (d a multiple of 8): the output layer is
 * most of the classifier's time. */
__attribute__((target("avx2,fma"))) static void
logits_avx2(const float *w, const float *h, size_t n, size_t d, float *z)
{
    for (size_t i = 0; i < n; i++, w += d) {
        __m256 a = _mm256_setzero_ps();
        for (size_t j = 0; j < d; j += 8)
            a = _mm256_fmadd_ps(_mm256_loadu_ps(w + j), _mm256_loadu_ps(h + j),
                                a);
        __m128 q = _mm_add_ps(_mm256_castps256_ps128(a),
                              _mm256_extractf128_ps(a, 1));
        q = _mm_add_ps(q, _mm_movehl_ps(q, q));
        q = _mm_add_ss(q, _mm_shuffle_ps(q, q, 1));
        z[i] = _mm_cvtss_f32(q);
    }
}

extern "C" ss_status ss_ft_predict(const ss_ft *ft, const char *text,
                                   size_t k, uint32_t *label, float *prob,
                                   size_t *n, char **errmsg)
{
    *n = 0;
    if (k == 0 || text[strspn(text, " \t\r\n")] == '\0')
        return SS_OK; /* fastText would guess from the line end alone */
    return guarded(errmsg, "predict", [&]() -> ss_status {
        /* a line as in training, where each one ends with fastText's
         * end-of-sentence word; the hidden layer is the mean of its
         * words' and n-grams' input vectors */
        std::istringstream in(std::string(text) + "\n");
        fasttext::Vector h(ft->dim);
        ft->model.getSentenceVector(in, h);
        size_t nl = ft->labels.size(), d = static_cast<size_t>(ft->dim);
        std::vector<float> z(nl);
        const float *w = ft->out.data(), *hv = h.data();
        float zmax = -1e30f;
        if (d % 8 == 0 && __builtin_cpu_supports("avx2") &&
            __builtin_cpu_supports("fma"))
            logits_avx2(w, hv, nl, d, z.data());
        else
            logits(w, hv, nl, d, z.data());
        for (size_t i = 0; i < nl; i++)
            zmax = z[i] > zmax ? z[i] : zmax;
        /* softmax, and the k best by insertion; a label 16 below the best
         * weighs under 1.2e-7 of it, all 3,000 together under 4e-4 */
        double sum = 0;
        for (size_t i = 0; i < nl; i++)
            if (z[i] - zmax > -16.0f)
                sum += std::exp(z[i] - zmax);
        for (size_t i = 0; i < nl; i++) {
            if (*n == k && z[i] <= z[label[k - 1]])
                continue;
            size_t j = *n < k ? (*n)++ : k - 1;
            while (j > 0 && z[label[j - 1]] < z[i]) {
                label[j] = label[j - 1];
                j--;
            }
            label[j] = static_cast<uint32_t>(i);
        }
        for (size_t i = 0; i < *n; i++)
            prob[i] = static_cast<float>(
                std::exp(static_cast<double>(z[label[i]] - zmax)) / sum);
        return SS_OK;
    });
}

extern "C" ss_status ss_ft_train(const char *input, const char *out_path,
                                 const ss_ft_train_opts *o, char **errmsg)
{
    return guarded(errmsg, "train", [&]() -> ss_status {
        if (access(input, R_OK) != 0)
            return ss_set_error(errmsg, SS_ERR_NOT_FOUND, "%s: cannot read",
                                input);
        auto s = [](double v) {
            std::ostringstream o;
            o << v;
            return o.str();
        };
        /* parseArgs reads a command line as the fasttext tool's */
        std::vector<std::string> av = {
            "fasttext", "supervised", "-input", input, "-output", out_path,
            "-loss", "softmax", "-thread", "1", "-seed", "1", "-verbose", "0",
            "-dim", s(o->dim), "-epoch", s(o->epoch), "-lr", s(o->lr),
            "-bucket", s(o->bucket), "-minn", s(o->minn), "-maxn",
            s(o->maxn), "-wordNgrams", s(o->word_ngrams)};
        fasttext::Args a;
        a.parseArgs(av);
        fasttext::FastText ft;
        /* training, then quantization's retraining, share the bar */
        double share = o->cutoff > 0 ? 0.8 : 1.0, base = 0;
        auto cb = [&](float progress, float, double, double, int64_t) {
            if (o->progress)
                o->progress(o->ctx, base + share * progress);
        };
        ft.train(a, cb);
        if (ft.getDictionary()->nlabels() == 0)
            return ss_set_error(errmsg, SS_ERR_INVALID,
                                "%s: no line names a label (__label__X)",
                                input);
        if (o->cutoff > 0) {
            std::vector<std::string> qv = {
                "fasttext", "quantize", "-input", input, "-output", out_path,
                "-thread", "1", "-verbose", "0", "-qnorm", "-retrain",
                "-cutoff", s(o->cutoff)};
            fasttext::Args q;
            q.parseArgs(qv);
            base = share;
            share = 1 - share;
            ft.quantize(q, cb);
        }
        ft.saveModel(out_path);
        if (o->progress)
            o->progress(o->ctx, 1);
        return SS_OK;
    });
}
