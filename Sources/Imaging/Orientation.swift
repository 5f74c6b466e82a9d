/// Turns pixels upright according to the EXIF orientation (1...8), so that the stored copy,
/// which has no EXIF left to say how to show it, shows what the photographer saw.
enum Orientation {
    static func upright(_ image: RGBImage, orientation: Int) -> RGBImage {
        guard (2...8).contains(orientation) else { return image }
        let (w, h) = (image.width, image.height)
        let swaps = orientation >= 5
        let (outWidth, outHeight) = swaps ? (h, w) : (w, h)
        var pixels = [UInt8](repeating: 0, count: image.pixels.count)
        image.pixels.withUnsafeBufferPointer { source in
            pixels.withUnsafeMutableBufferPointer { target in
                for oy in 0..<outHeight {
                    for ox in 0..<outWidth {
                        // Where the output pixel comes from in the stored (sensor) image.
                        let (sx, sy): (Int, Int) =
                            switch orientation {
                            case 2: (w - 1 - ox, oy)
                            case 3: (w - 1 - ox, h - 1 - oy)
                            case 4: (ox, h - 1 - oy)
                            case 5: (oy, ox)
                            case 6: (oy, h - 1 - ox)
                            case 7: (w - 1 - oy, h - 1 - ox)
                            default: (w - 1 - oy, ox)  // 8
                            }
                        let from = 3 * (sy * w + sx)
                        let to = 3 * (oy * outWidth + ox)
                        target[to] = source[from]
                        target[to + 1] = source[from + 1]
                        target[to + 2] = source[from + 2]
                    }
                }
            }
        }
        return RGBImage(width: outWidth, height: outHeight, pixels: pixels)
    }
}
