import CExif
import Foundation
import StrictDocuments

/// Reads GPS position, capture time and orientation from an EXIF block with libexif.
enum ExifReader {
    static func read(_ block: ArraySlice<UInt8>) -> ExifMetadata {
        var metadata = ExifMetadata()
        metadata.byteCount = block.count
        guard let data = block.withUnsafeBufferPointer({ exif_data_new_from_data($0.baseAddress, UInt32($0.count)) }) else {
            return metadata
        }
        defer { exif_data_unref(data) }
        let order = exif_data_get_byte_order(data)

        if let latitude = coordinate(data, order, value: EXIF_TAG_GPS_LATITUDE, reference: EXIF_TAG_GPS_LATITUDE_REF, negative: "S"),
            let longitude = coordinate(data, order, value: EXIF_TAG_GPS_LONGITUDE, reference: EXIF_TAG_GPS_LONGITUDE_REF, negative: "W"),
            abs(latitude) <= 90, abs(longitude) <= 180
        {
            metadata.gps = (latitude, longitude)
        }
        if let entry = cexif_get_entry(data, EXIF_IFD_0, EXIF_TAG_ORIENTATION), entry.pointee.format == EXIF_FORMAT_SHORT,
            entry.pointee.components >= 1, let bytes = entry.pointee.data
        {
            let value = Int(exif_get_short(bytes, order))
            if (1...8).contains(value) { metadata.orientation = value }
        }
        if let original = text(data, EXIF_IFD_EXIF, EXIF_TAG_DATE_TIME_ORIGINAL) {
            // EXIF 2.31 OffsetTimeOriginal (0x9011), e.g. "+02:00"; without it the time is read as UTC.
            let offset = text(data, EXIF_IFD_EXIF, ExifTag(rawValue: 0x9011)) ?? "Z"
            metadata.capturedAt = captureTime(original, offset: offset)
        }
        return metadata
    }

    /// Degrees, minutes, seconds as three rationals, signed by the hemisphere reference.
    private static func coordinate(_ data: UnsafeMutablePointer<ExifData>, _ order: ExifByteOrder, value: Int32, reference: Int32, negative: String)
        -> Double?
    {
        guard let entry = cexif_get_entry(data, EXIF_IFD_GPS, ExifTag(rawValue: UInt32(value))),
            entry.pointee.format == EXIF_FORMAT_RATIONAL, entry.pointee.components == 3, let bytes = entry.pointee.data,
            entry.pointee.size >= 24
        else { return nil }
        var degrees = 0.0
        for (index, scale) in [1.0, 60.0, 3600.0].enumerated() {
            let rational = exif_get_rational(bytes + 8 * index, order)
            guard rational.denominator != 0 else { return nil }
            degrees += Double(rational.numerator) / Double(rational.denominator) / scale
        }
        let hemisphere = text(data, EXIF_IFD_GPS, ExifTag(rawValue: UInt32(reference)))
        return hemisphere?.uppercased().hasPrefix(negative) == true ? -degrees : degrees
    }

    private static func text(_ data: UnsafeMutablePointer<ExifData>, _ ifd: ExifIfd, _ tag: ExifTag) -> String? {
        guard let entry = cexif_get_entry(data, ifd, tag), entry.pointee.format == EXIF_FORMAT_ASCII,
            let bytes = entry.pointee.data, entry.pointee.size > 0
        else { return nil }
        let buffer = UnsafeBufferPointer(start: bytes, count: Int(entry.pointee.size))
        let value = String(decoding: buffer.prefix(while: { $0 != 0 }), as: UTF8.self).trimmingCharacters(in: .whitespaces)
        return value.isEmpty ? nil : value
    }

    /// "2024:07:14 09:30:00" and "+02:00" → the instant.
    static func captureTime(_ value: String, offset: String) -> Date? {
        let parts = value.split(separator: " ")
        guard parts.count == 2, parts[0].count == 10, parts[1].count == 8 else { return nil }
        let day = parts[0].replacingOccurrences(of: ":", with: "-")
        let zone = offset == "Z" || offset.range(of: #"^[+-]\d\d:\d\d$"#, options: .regularExpression) != nil ? offset : "Z"
        return Timestamp.parse("\(day)T\(parts[1])\(zone)")
    }
}
