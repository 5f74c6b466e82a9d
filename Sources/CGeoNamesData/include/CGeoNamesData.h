#ifndef CGEONAMESDATA_H
#define CGEONAMESDATA_H
#include <stdint.h>

// Functions rather than extern arrays: Swift cannot import arrays of unknown size.

/// Number of places (GeoNames populated places with at least 1000 inhabitants).
int32_t tg_city_count(void);
/// Latitude of each place in units of 1e-5 degrees.
const int32_t *tg_city_lat_e5(void);
/// Longitude of each place in units of 1e-5 degrees.
const int32_t *tg_city_lon_e5(void);
/// ISO 3166-1 alpha-2 code of each place, two characters per place, no separators.
const char *tg_city_country(void);

#endif
