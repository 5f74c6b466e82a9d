import CTurboJPEG

/// JPEG through libjpeg-turbo's TurboJPEG API (version 2, as on Debian 12).
enum JPEGCodec {
    struct Header {
        let width: Int
        let height: Int
        let colorspace: Int32
    }

    /// Width, height and colour space from the frame header, without decoding pixels.
    static func header(_ bytes: [UInt8]) throws -> Header {
        try withDecompressor { handle in
            var width: Int32 = 0
            var height: Int32 = 0
            var subsampling: Int32 = 0
            var colorspace: Int32 = 0
            let status = bytes.withUnsafeBufferPointer {
                tjDecompressHeader3(handle, $0.baseAddress, UInt($0.count), &width, &height, &subsampling, &colorspace)
            }
            guard status == 0, width > 0, height > 0 else { throw undecodable(handle) }
            return Header(width: Int(width), height: Int(height), colorspace: colorspace)
        }
    }

    /// Decodes to RGB, letting libjpeg-turbo scale by 1/2, 1/4 or 1/8 while decoding (far
    /// cheaper than decoding every pixel) as long as the result keeps `minimumLongestSide`.
    /// Warnings (a truncated file) are errors: half an image is not an image. Over 500 progressive
    /// scans is an error too: each scan costs a pass over the whole image (a "scan bomb").
    static func decode(_ bytes: [UInt8], header: Header, minimumLongestSide: Int) throws -> RGBImage {
        try withDecompressor { handle in
            var denominator = 1
            while denominator < 8, max(header.width, header.height) / (denominator * 2) >= minimumLongestSide { denominator *= 2 }
            // TJSCALED: ceil(dimension / denominator).
            let width = (header.width + denominator - 1) / denominator
            let height = (header.height + denominator - 1) / denominator
            let cmyk = header.colorspace == Int32(TJCS_CMYK.rawValue) || header.colorspace == Int32(TJCS_YCCK.rawValue)
            let channels = cmyk ? 4 : 3
            var pixels = [UInt8](repeating: 0, count: width * height * channels)
            let format = cmyk ? Int32(TJPF_CMYK.rawValue) : Int32(TJPF_RGB.rawValue)
            let status = bytes.withUnsafeBufferPointer { source in
                pixels.withUnsafeMutableBufferPointer { target in
                    tjDecompress2(
                        handle, source.baseAddress, UInt(source.count), target.baseAddress, Int32(width), 0, Int32(height),
                        format, TJFLAG_STOPONWARNING | TJFLAG_FASTDCT | TJFLAG_LIMITSCANS)
                }
            }
            guard status == 0 else { throw undecodable(handle) }
            return cmyk ? rgb(fromInvertedCMYK: pixels, width: width, height: height) : RGBImage(width: width, height: height, pixels: pixels)
        }
    }

    /// Encodes RGB as a baseline JPEG with nothing but pixels: no EXIF, XMP, ICC or comment.
    static func encode(_ image: RGBImage, quality: Int32 = 88) throws -> [UInt8] {
        guard let handle = tjInitCompress() else { throw ImageIntakeError.undecodable(format: .jpeg, reason: "cannot start the encoder") }
        defer { tjDestroy(handle) }
        var output: UnsafeMutablePointer<UInt8>?
        var size: UInt = 0
        let status = image.pixels.withUnsafeBufferPointer {
            tjCompress2(
                handle, $0.baseAddress, Int32(image.width), 0, Int32(image.height), Int32(TJPF_RGB.rawValue), &output, &size,
                Int32(TJSAMP_420.rawValue), quality, 0)
        }
        defer { tjFree(output) }
        guard status == 0, let output else { throw undecodable(handle) }
        return Array(UnsafeBufferPointer(start: output, count: Int(size)))
    }

    private static func withDecompressor<T>(_ body: (tjhandle) throws -> T) throws -> T {
        guard let handle = tjInitDecompress() else { throw ImageIntakeError.undecodable(format: .jpeg, reason: "cannot start the decoder") }
        defer { tjDestroy(handle) }
        return try body(handle)
    }

    private static func undecodable(_ handle: tjhandle) -> ImageIntakeError {
        .undecodable(format: .jpeg, reason: String(cString: tjGetErrorStr2(handle)))
    }

    /// Adobe's CMYK JPEGs (the common kind) store ink inverted: 255 means none.
    private static func rgb(fromInvertedCMYK cmyk: [UInt8], width: Int, height: Int) -> RGBImage {
        var rgb = [UInt8](repeating: 0, count: width * height * 3)
        for pixel in 0..<(width * height) {
            let key = UInt32(cmyk[4 * pixel + 3])
            for channel in 0..<3 { rgb[3 * pixel + channel] = UInt8((UInt32(cmyk[4 * pixel + channel]) * key + 127) / 255) }
        }
        return RGBImage(width: width, height: height, pixels: rgb)
    }
}
