/* xapian_wrap.cc - the C face of Xapian (see xapian_wrap.h).
 *
 * Modeled on leveldb's db/c.cc: each opaque handle is a struct holding the
 * Xapian object. Every exported function runs its body through guarded()
 * (or or_null() for pointer results), which turns any exception into an
 * ss_status plus message, so nothing is thrown across the C boundary.
 */
#include <sys/stat.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <new>
#include <string>
#include <utility>
#include <vector>

#include <xapian.h>

#include "status.h"
#include "xapian_wrap.h"

/* Reads retried after DatabaseModifiedError (each after a reopen()). */
#define SS_MODIFIED_RETRIES 3

struct ss_stemmer {
    Xapian::Stem stem;
};

struct ss_doc {
    Xapian::Document doc;
};

/* All changes since the last commit live in a Xapian transaction, because
 * ~WritableDatabase() and close() commit implicitly when none is active:
 * cancelling the transaction is the only way to discard on destroy. It is
 * begun lazily by the first change after create/commit. Note Xapian does not
 * auto-flush inside a transaction, so a huge import should commit now and
 * then to bound memory. */
struct ss_writer {
    Xapian::WritableDatabase db;
    std::string path;
    bool in_txn = false;
};

struct ss_db {
    Xapian::Database db;
    std::string path;
};

struct ss_query {
    Xapian::Query q;
};

/* Everything a hit exposes is copied at search time, so the accessors cannot
 * throw and stay valid however the index changes afterwards. */
struct ss_hit {
    Xapian::docid docid = 0;
    double weight = 0;
    /* matched terms, filled on first ss_results_terms() call */
    bool terms_done = false;
    std::vector<std::string> terms;
    std::vector<const char *> term_ptrs; /* into terms, built last */
};

struct ss_results {
    std::vector<ss_hit> hits;
    Xapian::doccount estimate = 0;
    /* kept for lazy matched terms: most callers explain only a few hits */
    std::unique_ptr<Xapian::Enquire> enq;
    Xapian::MSet mset;
};

/* ------------------------------------------------------ exception mapping */

static bool path_missing(const std::string &path)
{
    struct stat sb;
    return !path.empty() && stat(path.c_str(), &sb) != 0 && errno == ENOENT;
}

static ss_status xapian_error(char **errmsg, ss_status st,
                              const Xapian::Error &e, const std::string &path)
{
    const char *sys = e.get_error_string();
    return ss_set_error(errmsg, st, "%s%s%s (%s)%s%s", path.c_str(),
                        path.empty() ? "" : ": ", e.get_msg().c_str(),
                        e.get_type(), sys ? ": " : "", sys ? sys : "");
}

/* Maps the exception in flight to a status and message naming path (may be
 * empty). Only call from a catch block. Xapian::Error is not polymorphic,
 * hence rethrowing rather than dynamic_cast; subclasses come first. */
static ss_status current_exception_status(char **errmsg,
                                          const std::string &path) noexcept
{
    try {
        throw;
    } catch (const Xapian::DatabaseNotFoundError &e) {
        return xapian_error(errmsg, SS_ERR_NOT_FOUND, e, path);
    } catch (const Xapian::DatabaseVersionError &e) {
        return xapian_error(errmsg, SS_ERR_CORRUPT, e, path);
    } catch (const Xapian::DatabaseOpeningError &e) {
        return xapian_error(errmsg,
                            path_missing(path) ? SS_ERR_NOT_FOUND : SS_ERR_CORRUPT,
                            e, path);
    } catch (const Xapian::DatabaseCorruptError &e) {
        return xapian_error(errmsg, SS_ERR_CORRUPT, e, path);
    } catch (const Xapian::DatabaseCreateError &e) {
        return xapian_error(errmsg, SS_ERR_IO, e, path);
    } catch (const Xapian::DatabaseLockError &e) {
        return xapian_error(errmsg, SS_ERR_LOCKED, e, path);
    } catch (const Xapian::DatabaseModifiedError &e) {
        return xapian_error(errmsg, SS_ERR_MODIFIED, e, path);
    } catch (const Xapian::DocNotFoundError &e) {
        return xapian_error(errmsg, SS_ERR_NOT_FOUND, e, path);
    } catch (const Xapian::QueryParserError &e) {
        /* the user's mistake, not the index's: the parser's words only */
        return ss_set_error(errmsg, SS_ERR_BAD_QUERY, "%s",
                            e.get_msg().c_str());
    } catch (const Xapian::InvalidArgumentError &e) {
        return xapian_error(errmsg, SS_ERR_INVALID, e, path);
    } catch (const Xapian::Error &e) {
        return xapian_error(errmsg, SS_ERR_INTERNAL, e, path);
    } catch (const std::bad_alloc &) {
        return ss_set_error(errmsg, SS_ERR_NOMEM, "out of memory");
    } catch (const std::exception &e) {
        return ss_set_error(errmsg, SS_ERR_INTERNAL, "%s", e.what());
    } catch (...) {
        return ss_set_error(errmsg, SS_ERR_INTERNAL, "unknown C++ exception");
    }
}

/* Runs body() (returning ss_status); any exception becomes a status. */
template <typename F>
static ss_status guarded(char **errmsg, const std::string &path, F &&body) noexcept
{
    try {
        return body();
    } catch (...) {
        return current_exception_status(errmsg, path);
    }
}

static ss_status null_arg(char **errmsg)
{
    return ss_set_error(errmsg, SS_ERR_INVALID, "NULL argument");
}

static const std::string no_path;

template <typename F>
static ss_status guarded(char **errmsg, F &&body) noexcept
{
    return guarded(errmsg, no_path, std::forward<F>(body));
}

/* guarded() for reads: on DatabaseModifiedError, reopen and rerun body
 * from scratch, so body must not publish anything before it succeeds. */
template <typename F>
static ss_status guarded_read(ss_db *db, char **errmsg, F &&body) noexcept
{
    if (!db)
        return null_arg(errmsg);
    return guarded(errmsg, db->path, [&]() -> ss_status {
        for (int attempt = 0;; attempt++) {
            try {
                return body();
            } catch (const Xapian::DatabaseModifiedError &) {
                if (attempt == SS_MODIFIED_RETRIES)
                    throw;
                db->db.reopen();
            }
        }
    });
}

/* For constructors: NULL on any exception. */
template <typename F>
static auto or_null(F &&body) noexcept -> decltype(body())
{
    try {
        return body();
    } catch (...) {
        return nullptr;
    }
}

/* --------------------------------------------------------- C string output */

/* malloc'd NUL-terminated copy (s may hold NULs); throws bad_alloc. */
static char *dup_bytes(const std::string &s)
{
    char *p = static_cast<char *>(malloc(s.size() + 1));
    if (!p)
        throw std::bad_alloc();
    memcpy(p, s.data(), s.size());
    p[s.size()] = '\0';
    return p;
}

/* Hands v over as a malloc'd string array; NULL when empty. */
static void to_strv(const std::vector<std::string> &v, char ***list, size_t *n)
{
    char **out = nullptr;
    if (!v.empty()) {
        out = static_cast<char **>(calloc(v.size(), sizeof *out));
        if (!out)
            throw std::bad_alloc();
        try {
            for (size_t i = 0; i < v.size(); i++)
                out[i] = dup_bytes(v[i]);
        } catch (...) {
            ss_strv_free(out, v.size());
            throw;
        }
    }
    *list = out;
    *n = v.size();
}

/* Collects the strings of a Xapian term range. */
static std::vector<std::string> collect(Xapian::TermIterator it,
                                        const Xapian::TermIterator &end)
{
    std::vector<std::string> v;
    for (; it != end; ++it)
        v.push_back(*it);
    return v;
}

/* Runs a change of the writer's index inside its pending transaction. */
template <typename F>
static ss_status guarded_write(ss_writer *w, char **errmsg, F &&change) noexcept
{
    if (!w)
        return null_arg(errmsg);
    return guarded(errmsg, w->path, [&] {
        if (!w->in_txn) {
            w->db.begin_transaction(true);
            w->in_txn = true;
        }
        change();
        return SS_OK;
    });
}

/* ------------------------------------------------- query parser callbacks */

/* The parser's words become index terms through the caller's analyser. */
struct cb_stemmer : Xapian::StemImplementation {
    const ss_qp_config cfg;
    explicit cb_stemmer(const ss_qp_config *c) : cfg(*c) {}
    std::string operator()(const std::string &word) override
    {
        char buf[256];
        size_t n = cfg.stem(cfg.ctx, word.data(), word.size(), buf, sizeof buf);
        return n && n < sizeof buf ? std::string(buf, n) : word;
    }
    std::string get_description() const override { return "skillsearch"; }
};

struct cb_stopper : Xapian::Stopper {
    const ss_qp_config cfg;
    explicit cb_stopper(const ss_qp_config *c) : cfg(*c) {}
    bool operator()(const std::string &word) const override
    {
        return cfg.is_stop(cfg.ctx, word.c_str()) != 0;
    }
};

/* A boolean field: its value mapped by the caller, or the caller's
 * message kept in *error (the first one) for ss_query_parse to reject the
 * query with (throwing through the parser would leak its stack); notes
 * that the query names the field. */
struct cb_filter : Xapian::FieldProcessor {
    const ss_qp_field f;
    void *ctx;
    std::vector<bool> *used;
    size_t i;
    std::string *error;
    cb_filter(const ss_qp_field &field, void *c, std::vector<bool> *u,
              size_t idx, std::string *err)
        : f(field), ctx(c), used(u), i(idx), error(err) {}
    Xapian::Query operator()(const std::string &value) override
    {
        (*used)[i] = true;
        char buf[256];
        buf[0] = '\0';
        if (f.map(ctx, value.c_str(), buf, sizeof buf))
            return Xapian::Query(std::string(f.prefix) + buf);
        if (error->empty())
            *error = buf[0] ? buf : "bad filter value";
        return Xapian::Query();
    }
};

extern "C" {

void ss_strv_free(char **list, size_t n)
{
    if (!list)
        return;
    for (size_t i = 0; i < n; i++)
        free(list[i]);
    free(list);
}

/* ---------------------------------------------------------------- stemmer */

ss_status ss_stemmer_create(const char *lang, ss_stemmer **out, char **errmsg)
{
    if (!lang || !out)
        return null_arg(errmsg);
    /* Xapian::Stem takes ISO 639-1 codes and Snowball names alike and throws
     * InvalidArgumentError (-> SS_ERR_INVALID) for anything else. */
    return guarded(errmsg, [&] {
        *out = new ss_stemmer{Xapian::Stem(lang)};
        return SS_OK;
    });
}

void ss_stemmer_destroy(ss_stemmer *st)
{
    delete st;
}

ss_status ss_stemmer_stem(ss_stemmer *st, const char *word, size_t len,
                          char *buf, size_t bufsz, size_t *outlen)
{
    if (!st || !word || !buf || bufsz == 0)
        return SS_ERR_INVALID;
    return guarded(nullptr, [&] {
        std::string stem = st->stem(std::string(word, len));
        const char *src = stem.data();
        size_t n = stem.size();
        if (n >= bufsz) {
            src = word;
            n = len < bufsz ? len : bufsz - 1;
        }
        memcpy(buf, src, n);
        buf[n] = '\0';
        if (outlen)
            *outlen = n;
        return SS_OK;
    });
}

/* -------------------------------------------------------------- documents */

ss_doc *ss_doc_create(void)
{
    return or_null([] { return new ss_doc; });
}

void ss_doc_destroy(ss_doc *doc)
{
    delete doc;
}

ss_status ss_doc_add_term(ss_doc *doc, const char *term, unsigned wdf_inc)
{
    if (!doc || !term)
        return SS_ERR_INVALID;
    return guarded(nullptr, [&] {
        doc->doc.add_term(term, wdf_inc);
        return SS_OK;
    });
}

ss_status ss_doc_add_posting(ss_doc *doc, const char *term, unsigned pos,
                             unsigned wdf_inc)
{
    if (!doc || !term)
        return SS_ERR_INVALID;
    return guarded(nullptr, [&] {
        doc->doc.add_posting(term, pos, wdf_inc);
        return SS_OK;
    });
}

ss_status ss_doc_add_boolean_term(ss_doc *doc, const char *term)
{
    if (!doc || !term)
        return SS_ERR_INVALID;
    return guarded(nullptr, [&] {
        doc->doc.add_boolean_term(term);
        return SS_OK;
    });
}

/* ----------------------------------------------------------------- writer */

ss_status ss_writer_create(const char *path, ss_writer **out, char **errmsg)
{
    if (!path || !out)
        return null_arg(errmsg);
    std::string p(path);
    return guarded(errmsg, p, [&] {
        *out = new ss_writer{
            Xapian::WritableDatabase(p, Xapian::DB_CREATE_OR_OVERWRITE), p};
        return SS_OK;
    });
}

void ss_writer_destroy(ss_writer *w)
{
    if (!w)
        return;
    try {
        if (w->in_txn)
            w->db.cancel_transaction();
        w->db.close();
    } catch (...) {
        /* Nothing to report to; the pending changes are lost either way. */
    }
    delete w;
}

ss_status ss_writer_add_document(ss_writer *w, const ss_doc *doc,
                                 unsigned *docid_out, char **errmsg)
{
    if (!doc)
        return null_arg(errmsg);
    return guarded_write(w, errmsg, [&] {
        Xapian::docid id = w->db.add_document(doc->doc);
        if (docid_out)
            *docid_out = id;
    });
}

ss_status ss_writer_add_synonym(ss_writer *w, const char *term,
                                const char *synonym, char **errmsg)
{
    if (!term || !synonym)
        return null_arg(errmsg);
    return guarded_write(w, errmsg, [&] { w->db.add_synonym(term, synonym); });
}

ss_status ss_writer_add_spelling(ss_writer *w, const char *word,
                                 unsigned freq_inc, char **errmsg)
{
    if (!word)
        return null_arg(errmsg);
    return guarded_write(w, errmsg,
                         [&] { w->db.add_spelling(word, freq_inc); });
}

ss_status ss_writer_set_metadata(ss_writer *w, const char *key,
                                 const char *value, char **errmsg)
{
    if (!key || !value)
        return null_arg(errmsg);
    return guarded_write(w, errmsg, [&] { w->db.set_metadata(key, value); });
}

ss_status ss_writer_commit(ss_writer *w, char **errmsg)
{
    if (!w)
        return null_arg(errmsg);
    return guarded(errmsg, w->path, [&] {
        if (w->in_txn) {
            /* The transaction ends whether this succeeds or throws. */
            w->in_txn = false;
            w->db.commit_transaction();
        }
        return SS_OK;
    });
}

/* ------------------------------------------------------------------ reader */

ss_status ss_db_open(const char *path, ss_db **out, char **errmsg)
{
    if (!path || !out)
        return null_arg(errmsg);
    std::string p(path);
    return guarded(errmsg, p, [&] {
        *out = new ss_db{Xapian::Database(p), p};
        return SS_OK;
    });
}

void ss_db_destroy(ss_db *db)
{
    delete db;
}

ss_status ss_db_doccount(ss_db *db, unsigned *out, char **errmsg)
{
    if (!out)
        return null_arg(errmsg);
    return guarded_read(db, errmsg, [&] {
        *out = db->db.get_doccount();
        return SS_OK;
    });
}

ss_status ss_db_get_metadata(ss_db *db, const char *key, char **value,
                             char **errmsg)
{
    if (!key || !value)
        return null_arg(errmsg);
    return guarded_read(db, errmsg, [&] {
        *value = dup_bytes(db->db.get_metadata(key));
        return SS_OK;
    });
}

ss_status ss_db_spelling_suggestion(ss_db *db, const char *word,
                                    unsigned max_edit_distance, char **out,
                                    char **errmsg)
{
    if (!word || !out)
        return null_arg(errmsg);
    return guarded_read(db, errmsg, [&] {
        std::string s = db->db.get_spelling_suggestion(word, max_edit_distance);
        *out = s.empty() ? nullptr : dup_bytes(s);
        return SS_OK;
    });
}

ss_status ss_db_spellings(ss_db *db, char **words, size_t *bytes,
                          unsigned **freqs, size_t *n, char **errmsg)
{
    if (!words || !bytes || !freqs || !n)
        return null_arg(errmsg);
    *words = nullptr;
    *freqs = nullptr;
    *bytes = *n = 0;
    return guarded_read(db, errmsg, [&] {
        /* collected whole first: a retry after reopen starts afresh */
        std::string pool;
        std::vector<unsigned> fv;
        for (auto it = db->db.spellings_begin(); it != db->db.spellings_end();
             ++it) {
            pool += *it;
            pool += '\0';
            fv.push_back(it.get_termfreq());
        }
        if (fv.empty())
            return SS_OK;
        char *w = static_cast<char *>(malloc(pool.size()));
        unsigned *f = static_cast<unsigned *>(malloc(fv.size() * sizeof *f));
        if (!w || !f) {
            free(w);
            free(f);
            throw std::bad_alloc();
        }
        memcpy(w, pool.data(), pool.size());
        memcpy(f, fv.data(), fv.size() * sizeof *f);
        *words = w;
        *freqs = f;
        *bytes = pool.size();
        *n = fv.size();
        return SS_OK;
    });
}

ss_status ss_db_synonyms(ss_db *db, const char *key, char ***list, size_t *n,
                         char **errmsg)
{
    if (!key || !list || !n)
        return null_arg(errmsg);
    return guarded_read(db, errmsg, [&] {
        to_strv(collect(db->db.synonyms_begin(key), db->db.synonyms_end(key)),
                list, n);
        return SS_OK;
    });
}

/* ----------------------------------------------------------------- queries */

void ss_query_destroy(ss_query *q)
{
    delete q;
}

ss_status ss_query_parse(ss_db *db, const char *text, const ss_qp_config *cfg,
                         ss_query **out, char **errmsg)
{
    if (!text || !cfg || !cfg->stem || !out ||
        (cfg->nfields && !cfg->fields) || (cfg->nfilters && !cfg->filters))
        return null_arg(errmsg);
    return guarded_read(db, errmsg, [&] {
        Xapian::QueryParser qp;
        qp.set_database(db->db);
        qp.set_stemmer(Xapian::Stem(new cb_stemmer(cfg)));
        qp.set_stemming_strategy(Xapian::QueryParser::STEM_ALL);
        if (cfg->is_stop)
            qp.set_stopper((new cb_stopper(cfg))->release());
        qp.set_default_op(Xapian::Query::OP_AND);
        qp.set_max_expansion(cfg->max_wildcard ? cfg->max_wildcard : 100,
                             Xapian::Query::WILDCARD_LIMIT_MOST_FREQUENT);
        if (cfg->default_prefix)
            qp.add_prefix("", cfg->default_prefix);
        std::vector<bool> used(cfg->nfields, false);
        std::string error;
        for (size_t i = 0; i < cfg->nfields; i++) {
            const ss_qp_field &f = cfg->fields[i];
            if (f.map)
                qp.add_boolean_prefix(
                    f.name, (new cb_filter(f, cfg->ctx, &used, i, &error))
                             ->release());
            else
                qp.add_prefix(f.name, f.prefix);
        }
        unsigned flags = Xapian::QueryParser::FLAG_DEFAULT |
                         Xapian::QueryParser::FLAG_WILDCARD |
                         Xapian::QueryParser::FLAG_PURE_NOT;
        Xapian::Query q = qp.parse_query(text, flags);
        if (!error.empty())
            return ss_set_error(errmsg, SS_ERR_BAD_QUERY, "%s",
                                error.c_str());
        std::vector<Xapian::Query> filters;
        for (size_t i = 0; i < cfg->nfields; i++)
            if (cfg->fields[i].map && cfg->fields[i].fallback && !used[i])
                filters.emplace_back(cfg->fields[i].fallback);
        for (size_t i = 0; i < cfg->nfilters; i++)
            filters.emplace_back(cfg->filters[i]);
        if (!filters.empty())
            q = Xapian::Query(Xapian::Query::OP_FILTER, q,
                              Xapian::Query(Xapian::Query::OP_AND,
                                            filters.begin(), filters.end()));
        *out = new ss_query{q};
        return SS_OK;
    });
}

/* ----------------------------------------------------------------- search */

void ss_search_opts_init(ss_search_opts *opts)
{
    if (!opts)
        return;
    opts->offset = 0;
    opts->limit = 10;
    opts->check_at_least = 0;
    opts->want_terms = 0;
}

ss_status ss_db_search(ss_db *db, const ss_query *q,
                       const ss_search_opts *opts, ss_results **out,
                       char **errmsg)
{
    if (!q || !out)
        return null_arg(errmsg);
    ss_search_opts o;
    if (opts)
        o = *opts;
    else
        ss_search_opts_init(&o);
    return guarded_read(db, errmsg, [&] {
        std::unique_ptr<ss_results> r(new ss_results);
        r->enq.reset(new Xapian::Enquire(db->db));
        Xapian::Enquire &enq = *r->enq;
        enq.set_query(q->q);
        r->mset = enq.get_mset(o.offset, o.limit, o.check_at_least);
        r->estimate = r->mset.get_matches_estimated();
        r->hits.reserve(r->mset.size());
        for (Xapian::MSetIterator it = r->mset.begin(); it != r->mset.end();
             ++it) {
            r->hits.emplace_back();
            r->hits.back().docid = *it;
            r->hits.back().weight = it.get_weight();
        }
        if (!o.want_terms)
            r->enq.reset();
        *out = r.release();
        return SS_OK;
    });
}

void ss_results_destroy(ss_results *r)
{
    delete r;
}

size_t ss_results_count(const ss_results *r)
{
    return r ? r->hits.size() : 0;
}

unsigned ss_results_estimate(const ss_results *r)
{
    return r ? r->estimate : 0;
}

static const ss_hit *hit_at(const ss_results *r, size_t i)
{
    return r && i < r->hits.size() ? &r->hits[i] : nullptr;
}

unsigned ss_results_docid(const ss_results *r, size_t i)
{
    const ss_hit *h = hit_at(r, i);
    return h ? h->docid : 0;
}

double ss_results_weight(const ss_results *r, size_t i)
{
    const ss_hit *h = hit_at(r, i);
    return h ? h->weight : 0;
}

const char *const *ss_results_terms(const ss_results *r, size_t i, size_t *n)
{
    const ss_hit *h = hit_at(r, i);
    if (h && !h->terms_done && r->enq) {
        ss_hit *mh = const_cast<ss_hit *>(h);
        mh->terms_done = true;
        try {
            Xapian::MSetIterator it = r->mset[static_cast<Xapian::doccount>(i)];
            mh->terms = collect(r->enq->get_matching_terms_begin(it),
                                r->enq->get_matching_terms_end(it));
            for (const std::string &t : mh->terms)
                mh->term_ptrs.push_back(t.c_str());
        } catch (...) {
            /* explanations are best effort: no terms rather than a throw */
            mh->terms.clear();
            mh->term_ptrs.clear();
        }
    }
    if (n)
        *n = h ? h->term_ptrs.size() : 0;
    return h ? h->term_ptrs.data() : nullptr;
}

} /* extern "C" */
