// OpenBLAS's CBLAS interface (Debian 12: libopenblas-dev; cblas.h is an alternatives symlink).
#include <cblas.h>
// mallopt, for AllocatorTuning: the trainer's large buffers are kept between steps.
#include <malloc.h>
