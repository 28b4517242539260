#include "CArchive.h"

void ri_archive_set_error(struct archive *archive, int code, const char *message) {
    archive_set_error(archive, code, "%s", message);
}
