#include "docmap.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char MAGIC[8] = {'S', 'S', 'D', 'O', 'C', 'M', 'A', 'P'};

ss_status ss_docmap_push(ss_docmap *m, uint32_t concept, uint16_t label,
                         uint8_t kind)
{
    if (m->n == m->cap) {
        size_t cap = m->cap ? m->cap * 2 : 4096;
        ss_docmap_entry *v = realloc(m->v, cap * sizeof *v);
        if (!v)
            return SS_ERR_NOMEM;
        m->v = v;
        m->cap = cap;
    }
    m->v[m->n++] = (ss_docmap_entry){concept, label, kind, 0};
    return SS_OK;
}

ss_status ss_docmap_write(const ss_docmap *m, const char *path,
                          char **errmsg)
{
    FILE *f = fopen(path, "wb");
    if (!f)
        return ss_set_error(errmsg, SS_ERR_IO, "%s: %s", path,
                            strerror(errno));
    uint32_t n = (uint32_t)m->n;
    int ok = fwrite(MAGIC, sizeof MAGIC, 1, f) == 1 &&
             fwrite(&n, sizeof n, 1, f) == 1 &&
             (n == 0 || fwrite(m->v, sizeof *m->v, n, f) == n);
    if (fflush(f) != 0)
        ok = 0;
    if (fclose(f) != 0)
        ok = 0;
    if (!ok)
        return ss_set_error(errmsg, SS_ERR_IO, "%s: write failed: %s", path,
                            strerror(errno));
    return SS_OK;
}

ss_status ss_docmap_read(ss_docmap *m, const char *path, char **errmsg)
{
    memset(m, 0, sizeof *m);
    FILE *f = fopen(path, "rb");
    if (!f)
        return ss_set_error(errmsg,
                            errno == ENOENT ? SS_ERR_NOT_FOUND : SS_ERR_IO,
                            "%s: %s", path, strerror(errno));
    char magic[8];
    uint32_t n = 0;
    ss_status st = SS_OK;
    if (fread(magic, sizeof magic, 1, f) != 1 ||
        memcmp(magic, MAGIC, sizeof magic) != 0 ||
        fread(&n, sizeof n, 1, f) != 1 || n > (1u << 28))
        st = ss_set_error(errmsg, SS_ERR_CORRUPT, "%s: not a docmap", path);
    if (st == SS_OK && n) {
        m->v = malloc((size_t)n * sizeof *m->v);
        if (!m->v)
            st = SS_ERR_NOMEM;
        else if (fread(m->v, sizeof *m->v, n, f) != n)
            st = ss_set_error(errmsg, SS_ERR_CORRUPT, "%s: truncated", path);
        else
            m->n = m->cap = n;
    }
    fclose(f);
    if (st != SS_OK)
        ss_docmap_free(m);
    return st;
}

void ss_docmap_free(ss_docmap *m)
{
    if (!m)
        return;
    free(m->v);
    m->v = NULL;
    m->n = m->cap = 0;
}

const ss_docmap_entry *ss_docmap_get(const ss_docmap *m, unsigned docid)
{
    return docid >= 1 && docid <= m->n ? &m->v[docid - 1] : NULL;
}
