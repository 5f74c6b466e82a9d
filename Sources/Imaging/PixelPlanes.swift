/// An encoder's input from a stored copy: the centre square of the picture, resampled to
/// `side` × `side`, as three planes (R, G, B) of values in [0, 1].
public enum PixelPlanes {
    /// - Throws: `ImageIntakeError.undecodable` when the bytes are not a JPEG that decodes.
    public static func fromJPEG(_ bytes: [UInt8], side: Int) throws -> [Float] {
        let header = try JPEGCodec.header(bytes)
        let image = try JPEGCodec.decode(bytes, header: header, minimumLongestSide: side)
        return planes(of: centreSquare(image), side: side)
    }

    static func centreSquare(_ image: RGBImage) -> RGBImage {
        let edge = min(image.width, image.height)
        guard image.width != image.height else { return image }
        let left = (image.width - edge) / 2
        let top = (image.height - edge) / 2
        var pixels = [UInt8]()
        pixels.reserveCapacity(edge * edge * 3)
        for y in top..<(top + edge) {
            let start = 3 * (y * image.width + left)
            pixels += image.pixels[start..<(start + 3 * edge)]
        }
        return RGBImage(width: edge, height: edge, pixels: pixels)
    }

    static func planes(of square: RGBImage, side: Int) -> [Float] {
        let resized = square.width == side ? square : Downscaler.resize(square, width: side, height: side)
        var planes = [Float](repeating: 0, count: 3 * side * side)
        for pixel in 0..<(side * side) {
            for channel in 0..<3 {
                planes[channel * side * side + pixel] = Float(resized.pixels[3 * pixel + channel]) / 255
            }
        }
        return planes
    }
}
