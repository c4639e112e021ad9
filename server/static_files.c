#include "static_files.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

struct ss_static {
    char *root; /* realpath of the folder */
    size_t rootlen;
};

static const struct {
    const char *ext, *type;
} k_types[] = {
    {".html", "text/html; charset=utf-8"},
    {".css", "text/css; charset=utf-8"},
    {".js", "text/javascript; charset=utf-8"},
    {".json", "application/json"},
    {".txt", "text/plain; charset=utf-8"},
    {".png", "image/png"},
    {".svg", "image/svg+xml"},
    {".ico", "image/x-icon"},
    {".woff2", "font/woff2"},
};

ss_status ss_static_open(const char *dir, ss_static **out, char **errmsg)
{
    char *root = realpath(dir, NULL);
    if (!root)
        return ss_set_error(errmsg, errno == ENOENT ? SS_ERR_NOT_FOUND
                                                    : SS_ERR_IO,
                            "web folder %s: %s", dir, strerror(errno));
    ss_static *st = calloc(1, sizeof *st);
    if (!st) {
        free(root);
        return ss_set_error(errmsg, SS_ERR_NOMEM, "out of memory");
    }
    st->root = root;
    st->rootlen = strlen(root);
    *out = st;
    return SS_OK;
}

void ss_static_destroy(ss_static *st)
{
    if (!st)
        return;
    free(st->root);
    free(st);
}

static int hexval(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

ss_status ss_static_clean_path(const char *raw, size_t len, char *buf,
                               size_t bufsize)
{
    if (len == 0 || raw[0] != '/')
        return SS_ERR_INVALID;
    size_t n = 0;
    for (size_t i = 1; i < len; i++) {
        char c = raw[i];
        if (c == '%') {
            int hi = i + 2 < len ? hexval(raw[i + 1]) : -1;
            int lo = hi >= 0 ? hexval(raw[i + 2]) : -1;
            if (lo < 0)
                return SS_ERR_INVALID;
            c = (char)(hi * 16 + lo);
            i += 2;
        }
        if (c == '\0' || c == '\\')
            return SS_ERR_INVALID;
        if (n + 1 >= bufsize)
            return SS_ERR_INVALID;
        buf[n++] = c;
    }
    buf[n] = '\0';
    /* Check segments: none empty (but a trailing '/'), none hidden. */
    for (const char *seg = buf; *seg;) {
        const char *end = strchr(seg, '/');
        size_t sl = end ? (size_t)(end - seg) : strlen(seg);
        if (sl == 0 || seg[0] == '.')
            return SS_ERR_INVALID;
        if (!end)
            break;
        seg = end + 1;
    }
    if (n == 0 || buf[n - 1] == '/') {
        static const char idx[] = "index.html";
        if (n + sizeof idx > bufsize)
            return SS_ERR_INVALID;
        memcpy(buf + n, idx, sizeof idx);
    }
    return SS_OK;
}

static const char *content_type(const char *path)
{
    const char *dot = strrchr(path, '.');
    if (!dot || strchr(dot, '/'))
        return NULL;
    for (size_t i = 0; i < sizeof k_types / sizeof k_types[0]; i++)
        if (strcmp(dot, k_types[i].ext) == 0)
            return k_types[i].type;
    return NULL;
}

ss_status ss_static_lookup(const ss_static *st, const char *raw_path,
                           size_t len, ss_static_file *out)
{
    char rel[1024], full[PATH_MAX], resolved[PATH_MAX];
    ss_status rc = ss_static_clean_path(raw_path, len, rel, sizeof rel);
    if (rc != SS_OK)
        return rc;
    if (!st)
        return SS_ERR_NOT_FOUND;
    if (snprintf(full, sizeof full, "%s/%s", st->root, rel) >=
        (int)sizeof full)
        return SS_ERR_INVALID;
    if (!realpath(full, resolved))
        return SS_ERR_NOT_FOUND;
    if (strncmp(resolved, st->root, st->rootlen) != 0 ||
        resolved[st->rootlen] != '/')
        return SS_ERR_NOT_FOUND; /* a symlink out of the folder */
    const char *type = content_type(resolved);
    if (!type)
        return SS_ERR_NOT_FOUND;
    int fd = open(resolved, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
    if (fd < 0)
        return SS_ERR_NOT_FOUND;
    struct stat sb;
    if (fstat(fd, &sb) != 0 || !S_ISREG(sb.st_mode)) {
        close(fd);
        return SS_ERR_NOT_FOUND;
    }
    out->fd = fd;
    out->size = (uint64_t)sb.st_size;
    out->content_type = type;
    return SS_OK;
}
