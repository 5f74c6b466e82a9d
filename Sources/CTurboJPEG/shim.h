// libjpeg-turbo's TurboJPEG API (version 2 on Debian 12: tjInitDecompress, tjDecompress2, ...).
#include <turbojpeg.h>
