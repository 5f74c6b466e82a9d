// libpng's simplified API (png_image_*), which handles palettes, transparency, 16-bit and
// gamma itself and reports errors in png_image.message instead of longjmp.
#include <png.h>

// Macros Swift cannot import (they are expressions).
static inline unsigned int cpng_image_version(void) { return PNG_IMAGE_VERSION; }
static inline unsigned int cpng_format_rgba(void) { return PNG_FORMAT_RGBA; }
static inline size_t cpng_image_size(png_image image) { return PNG_IMAGE_SIZE(image); }
