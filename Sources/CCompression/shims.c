#include "CCompression.h"

#include <stdlib.h>

struct inflate_state *ri_isal_inflate_state_new(void) {
    return calloc(1, sizeof(struct inflate_state));
}
void ri_isal_inflate_state_free(struct inflate_state *state) {
    free(state);
}

struct isal_zstream *ri_isal_zstream_new(void) {
    return calloc(1, sizeof(struct isal_zstream));
}
void ri_isal_zstream_free(struct isal_zstream *stream) {
    free(stream);
}
const uint32_t RI_ISAL_DEF_LVL1_DEFAULT = ISAL_DEF_LVL1_DEFAULT;
