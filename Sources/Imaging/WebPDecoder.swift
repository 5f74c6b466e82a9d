import CWebP

/// WebP (lossy, lossless, with alpha) through libwebp.
enum WebPDecoder {
    static func header(_ bytes: [UInt8]) throws -> (width: Int, height: Int) {
        var width: Int32 = 0
        var height: Int32 = 0
        let ok = bytes.withUnsafeBufferPointer { WebPGetInfo($0.baseAddress, $0.count, &width, &height) }
        guard ok != 0, width > 0, height > 0 else { throw ImageIntakeError.undecodable(format: .webp, reason: "not a readable WebP header") }
        return (Int(width), Int(height))
    }

    static func decode(_ bytes: [UInt8], width: Int, height: Int) throws -> RGBImage {
        var rgba = [UInt8](repeating: 0, count: width * height * 4)
        let decoded = bytes.withUnsafeBufferPointer { source in
            rgba.withUnsafeMutableBufferPointer { target in
                WebPDecodeRGBAInto(source.baseAddress, source.count, target.baseAddress, target.count, Int32(width * 4))
            }
        }
        guard decoded != nil else { throw ImageIntakeError.undecodable(format: .webp, reason: "the WebP bitstream is corrupt or truncated") }
        return RGBImage.compositingOnWhite(width: width, height: height, rgba: rgba)
    }
}
