// OpenBLAS's CBLAS interface (Debian 12: libopenblas-dev; cblas.h is an alternatives symlink).
#include <cblas.h>
