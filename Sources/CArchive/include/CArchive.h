// libarchive for Swift: archive_set_error is variadic. No logic lives here.
#ifndef REGISTRY_IMAGE_CARCHIVE_H
#define REGISTRY_IMAGE_CARCHIVE_H

#include <archive.h>
#include <archive_entry.h>

void ri_archive_set_error(struct archive *archive, int code, const char *message);

#endif
