#include <stddef.h>
#include <libexif/exif-data.h>
#include <libexif/exif-utils.h>

// exif_data_get_entry is a macro over ExifData.ifd (a C array Swift sees as a tuple).
static inline ExifEntry *cexif_get_entry(ExifData *data, ExifIfd ifd, ExifTag tag) {
    if (!data || ifd < 0 || ifd >= EXIF_IFD_COUNT) return NULL;
    return exif_content_get_entry(data->ifd[ifd], tag);
}
