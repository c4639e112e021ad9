#include "generation.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <libgen.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../core/schema.h"
#include "../synonyms/wordvec.h"

/* dirname/basename of index, malloc'd (both NULL on failure). */
static ss_status split_path(const char *index, char **dir, char **base)
{
    char *a = strdup(index), *b = strdup(index);
    *dir = a ? strdup(dirname(a)) : NULL;
    *base = b ? strdup(basename(b)) : NULL;
    free(a);
    free(b);
    if (*dir && *base)
        return SS_OK;
    free(*dir);
    free(*base);
    *dir = *base = NULL;
    return SS_ERR_NOMEM;
}

/* Generation number of name if it is "<base>.gen-<N>", else -1. */
static long gen_number(const char *name, const char *base)
{
    size_t bl = strlen(base);
    if (strncmp(name, base, bl) != 0 || strncmp(name + bl, ".gen-", 5) != 0)
        return -1;
    char *end;
    long n = strtol(name + bl + 5, &end, 10);
    return (*end || n < 0) ? -1 : n;
}

/* Generation the symlink points at, or -1. */
static long current_gen(const char *index, const char *base)
{
    char buf[PATH_MAX];
    ssize_t n = readlink(index, buf, sizeof buf - 1);
    if (n < 0)
        return -1;
    buf[n] = '\0';
    char *b = strrchr(buf, '/');
    return gen_number(b ? b + 1 : buf, base);
}

static int rm_entry(const char *path, const struct stat *sb, int flag,
                    struct FTW *ftw)
{
    (void)sb;
    (void)ftw;
    if (flag == FTW_DP)
        rmdir(path);
    else
        unlink(path);
    return 0;
}

void ss_gen_discard(const char *gendir)
{
    if (gendir)
        nftw(gendir, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
}

static unsigned long long total_size;
static int size_entry(const char *path, const struct stat *sb, int flag,
                      struct FTW *ftw)
{
    (void)path;
    (void)ftw;
    if (flag == FTW_F)
        total_size += (unsigned long long)sb->st_size;
    return 0;
}

unsigned long long ss_dir_size(const char *dir)
{
    total_size = 0;
    nftw(dir, size_entry, 16, FTW_PHYS);
    return total_size;
}

/* Removes generations numbered >= min other than keep1 and keep2. */
static void prune(const char *dir, const char *base, long keep1, long keep2,
                  long min)
{
    DIR *d = opendir(dir);
    if (!d)
        return;
    struct dirent *de;
    while ((de = readdir(d))) {
        long n = gen_number(de->d_name, base);
        if (n < 0 || n < min || n == keep1 || n == keep2)
            continue;
        char path[PATH_MAX];
        if (snprintf(path, sizeof path, "%s/%s", dir, de->d_name) <
            (int)sizeof path)
            ss_gen_discard(path);
    }
    closedir(d);
}

ss_status ss_gen_create(const char *index, char **gendir, char **errmsg)
{
    struct stat sb;
    if (lstat(index, &sb) == 0 && !S_ISLNK(sb.st_mode))
        return ss_set_error(errmsg, SS_ERR_INVALID,
                            "%s exists and is not an index symlink made by "
                            "skillsearch; move it away or pick another --out",
                            index);
    char *dir = NULL, *base = NULL;
    if (split_path(index, &dir, &base) != SS_OK)
        return SS_ERR_NOMEM;
    ss_status st = SS_OK;
    long cur = current_gen(index, base), max = cur;
    DIR *d = opendir(dir);
    if (!d) {
        st = ss_set_error(errmsg, SS_ERR_IO, "%s: %s", dir, strerror(errno));
    } else {
        struct dirent *de;
        while ((de = readdir(d))) {
            long n = gen_number(de->d_name, base);
            if (n > max)
                max = n;
        }
        closedir(d);
        /* leftovers of killed builds: newer than current, never published */
        prune(dir, base, cur, cur, cur + 1);
        if (asprintf(gendir, "%s/%s.gen-%ld", dir, base, max + 1) < 0) {
            *gendir = NULL;
            st = SS_ERR_NOMEM;
        } else if (mkdir(*gendir, 0755) != 0) {
            st = ss_set_error(errmsg, SS_ERR_IO, "%s: %s", *gendir,
                              strerror(errno));
            free(*gendir);
            *gendir = NULL;
        }
    }
    free(dir);
    free(base);
    return st;
}

static int fsync_path(const char *path)
{
    int fd = open(path, O_RDONLY | O_DIRECTORY);
    if (fd < 0)
        return -1;
    int rc = syncfs(fd);
    if (rc == 0)
        rc = fsync(fd);
    close(fd);
    return rc;
}

ss_status ss_gen_publish(const char *index, const char *gendir,
                         char **errmsg)
{
    char *dir = NULL, *base = NULL;
    if (split_path(index, &dir, &base) != SS_OK)
        return SS_ERR_NOMEM;
    ss_status st = SS_OK;
    long prev = current_gen(index, base);
    char *gb = strrchr(gendir, '/');
    const char *target = gb ? gb + 1 : gendir;
    char tmp[PATH_MAX];
    snprintf(tmp, sizeof tmp, "%s/.%s.link-%ld", dir, base, (long)getpid());
    unlink(tmp);
    if (fsync_path(gendir) != 0)
        st = ss_set_error(errmsg, SS_ERR_IO, "%s: sync failed: %s", gendir,
                          strerror(errno));
    else if (symlink(target, tmp) != 0)
        st = ss_set_error(errmsg, SS_ERR_IO, "%s: %s", tmp, strerror(errno));
    else if (rename(tmp, index) != 0) {
        st = ss_set_error(errmsg, SS_ERR_IO, "%s: %s", index,
                          strerror(errno));
        unlink(tmp);
    } else {
        fsync_path(dir);
        prune(dir, base, gen_number(target, base), prev, 0);
    }
    free(dir);
    free(base);
    return st;
}

ss_status ss_gen_add_file(const char *gendir, const char *src,
                          const char *name, char **errmsg)
{
    char *dst = NULL;
    if (asprintf(&dst, "%s/%s", gendir, name) < 0)
        return SS_ERR_NOMEM;
    /* the files we add are replaced by rename, so a link never changes */
    if (link(src, dst) == 0) {
        free(dst);
        return SS_OK;
    }
    FILE *in = fopen(src, "rb"), *out = in ? fopen(dst, "wb") : NULL;
    char buf[1 << 16];
    size_t n;
    int ok = in && out;
    while (ok && (n = fread(buf, 1, sizeof buf, in)) > 0)
        ok = fwrite(buf, 1, n, out) == n;
    ok = ok && !ferror(in);
    if (out && fclose(out) != 0)
        ok = 0;
    if (in)
        fclose(in);
    ss_status st = ok ? SS_OK
                      : ss_set_error(errmsg, SS_ERR_IO, "%s: %s", dst,
                                     strerror(errno));
    free(dst);
    return st;
}

ss_status ss_gen_add_vectors(const char *gendir, const char *src,
                             char **errmsg)
{
    ss_wordvec *v = NULL;
    ss_status st = ss_wordvec_open(src, &v, errmsg);
    ss_wordvec_destroy(v);
    return st == SS_OK ? ss_gen_add_file(gendir, src, SS_FILE_WORDVEC, errmsg)
                       : st;
}
