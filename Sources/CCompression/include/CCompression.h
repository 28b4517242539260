// ISA-L (gzip) and libzstd for Swift. No logic lives here: only heap
// allocation of ISA-L's large state structs and a macro Swift cannot import.
#ifndef REGISTRY_IMAGE_CCOMPRESSION_H
#define REGISTRY_IMAGE_CCOMPRESSION_H

#include <stdint.h>
#include <isa-l/igzip_lib.h>
#include <zstd.h>

// ISA-L's inflate state holds a large window; allocate it on the heap.
struct inflate_state *ri_isal_inflate_state_new(void);
void ri_isal_inflate_state_free(struct inflate_state *state);

// ISA-L's deflate stream embeds its hash tables; allocate it on the heap.
struct isal_zstream *ri_isal_zstream_new(void);
void ri_isal_zstream_free(struct isal_zstream *stream);
// ISAL_DEF_LVL1_DEFAULT: the level-1 buffer size (a macro expression Swift cannot import).
extern const uint32_t RI_ISAL_DEF_LVL1_DEFAULT;

#endif
