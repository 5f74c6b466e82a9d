/// Area-average (box filter) downscaling: each output pixel is the mean of the input pixels
/// it covers, which keeps fine detail from aliasing, and costs one pass over the input.
enum Downscaler {
    /// The image with its longest side at most `longestSide` (never enlarged).
    static func fit(_ image: RGBImage, longestSide: Int) -> RGBImage {
        let longest = max(image.width, image.height)
        guard longest > longestSide else { return image }
        let width = max(1, (image.width * longestSide + longest / 2) / longest)
        let height = max(1, (image.height * longestSide + longest / 2) / longest)
        return resize(image, width: width, height: height)
    }

    static func resize(_ image: RGBImage, width: Int, height: Int) -> RGBImage {
        var pixels = [UInt8](repeating: 0, count: width * height * 3)
        image.pixels.withUnsafeBufferPointer { source in
            pixels.withUnsafeMutableBufferPointer { target in
                for oy in 0..<height {
                    let y0 = oy * image.height / height
                    let y1 = max(y0 + 1, (oy + 1) * image.height / height)
                    for ox in 0..<width {
                        let x0 = ox * image.width / width
                        let x1 = max(x0 + 1, (ox + 1) * image.width / width)
                        var sums: (UInt32, UInt32, UInt32) = (0, 0, 0)
                        for y in y0..<y1 {
                            var index = 3 * (y * image.width + x0)
                            for _ in x0..<x1 {
                                sums.0 += UInt32(source[index])
                                sums.1 += UInt32(source[index + 1])
                                sums.2 += UInt32(source[index + 2])
                                index += 3
                            }
                        }
                        let count = UInt32((y1 - y0) * (x1 - x0))
                        let to = 3 * (oy * width + ox)
                        target[to] = UInt8((sums.0 + count / 2) / count)
                        target[to + 1] = UInt8((sums.1 + count / 2) / count)
                        target[to + 2] = UInt8((sums.2 + count / 2) / count)
                    }
                }
            }
        }
        return RGBImage(width: width, height: height, pixels: pixels)
    }
}
