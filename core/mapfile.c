#include "mapfile.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

ss_status ss_file_map(const char *path, size_t min_size, void **map,
                      size_t *size, char **errmsg)
{
    *map = NULL;
    *size = 0;
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return ss_set_error(errmsg,
                            errno == ENOENT ? SS_ERR_NOT_FOUND : SS_ERR_IO,
                            "%s: %s", path, strerror(errno));
    struct stat sb;
    if (fstat(fd, &sb) != 0 || !S_ISREG(sb.st_mode)) {
        close(fd);
        return ss_set_error(errmsg, SS_ERR_IO, "%s: not a regular file",
                            path);
    }
    if ((size_t)sb.st_size < min_size ||
        sb.st_size == 0) {
        close(fd);
        return ss_set_error(errmsg, SS_ERR_CORRUPT, "%s: too short", path);
    }
    void *m = mmap(NULL, (size_t)sb.st_size, PROT_READ, MAP_SHARED, fd, 0);
    close(fd);
    if (m == MAP_FAILED)
        return ss_set_error(errmsg, SS_ERR_IO, "%s: mmap: %s", path,
                            strerror(errno));
    *map = m;
    *size = (size_t)sb.st_size;
    return SS_OK;
}

void ss_file_unmap(void *map, size_t size)
{
    if (map)
        munmap(map, size);
}
