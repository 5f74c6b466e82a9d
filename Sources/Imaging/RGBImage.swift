/// 8-bit RGB pixels, row by row, no padding.
public struct RGBImage: Sendable, Equatable {
    public let width: Int
    public let height: Int
    public var pixels: [UInt8]

    public init(width: Int, height: Int, pixels: [UInt8]) {
        precondition(pixels.count == width * height * 3, "pixel buffer does not match \(width)×\(height)")
        self.width = width
        self.height = height
        self.pixels = pixels
    }

    /// Flattens RGBA onto white: the stored copy has no alpha channel.
    static func compositingOnWhite(width: Int, height: Int, rgba: [UInt8]) -> RGBImage {
        var rgb = [UInt8](repeating: 0, count: width * height * 3)
        rgba.withUnsafeBufferPointer { source in
            rgb.withUnsafeMutableBufferPointer { target in
                for pixel in 0..<(width * height) {
                    let alpha = UInt32(source[4 * pixel + 3])
                    for channel in 0..<3 {
                        let value = UInt32(source[4 * pixel + channel])
                        target[3 * pixel + channel] = UInt8((value * alpha + 255 * (255 - alpha) + 127) / 255)
                    }
                }
            }
        }
        return RGBImage(width: width, height: height, pixels: rgb)
    }
}
