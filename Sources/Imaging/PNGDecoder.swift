import CPNG

/// PNG through libpng's simplified API: palettes, transparency, 16-bit samples and gamma are
/// handled by libpng; errors come back as a message, not a longjmp.
enum PNGDecoder {
    static func header(_ bytes: [UInt8]) throws -> (width: Int, height: Int) {
        try withImage(bytes) { image in (Int(image.pointee.width), Int(image.pointee.height)) }
    }

    static func decode(_ bytes: [UInt8]) throws -> RGBImage {
        try withImage(bytes) { image in
            image.pointee.format = cpng_format_rgba()
            let width = Int(image.pointee.width)
            let height = Int(image.pointee.height)
            var rgba = [UInt8](repeating: 0, count: Int(cpng_image_size(image.pointee)))
            let status = rgba.withUnsafeMutableBytes { png_image_finish_read(image, nil, $0.baseAddress, 0, nil) }
            guard status != 0 else { throw failure(image) }
            return RGBImage.compositingOnWhite(width: width, height: height, rgba: rgba)
        }
    }

    /// libpng keeps the address of the `png_image` for its error handling, so the struct lives
    /// at one heap address from begin to free and is never copied.
    private static func withImage<T>(_ bytes: [UInt8], _ body: (UnsafeMutablePointer<png_image>) throws -> T) throws -> T {
        let image = UnsafeMutablePointer<png_image>.allocate(capacity: 1)
        image.initialize(to: png_image())
        defer {
            png_image_free(image)
            image.deallocate()
        }
        image.pointee.version = cpng_image_version()
        let status = bytes.withUnsafeBytes { png_image_begin_read_from_memory(image, $0.baseAddress, $0.count) }
        guard status != 0, image.pointee.width > 0, image.pointee.height > 0 else { throw failure(image) }
        return try body(image)
    }

    private static func failure(_ image: UnsafeMutablePointer<png_image>) -> ImageIntakeError {
        let text = withUnsafeBytes(of: &image.pointee.message) { String(decoding: $0.prefix(while: { $0 != 0 }), as: UTF8.self) }
        return .undecodable(format: .png, reason: text.isEmpty ? "not a readable PNG" : text)
    }
}
