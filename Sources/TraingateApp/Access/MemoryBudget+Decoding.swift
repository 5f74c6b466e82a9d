import Imaging

extension MemoryBudget {
    /// Runs `body` with the memory decoding `bytes` takes reserved: the header is read and the
    /// pixel limit checked first, so a decompression bomb is refused before it reserves anything.
    /// - Throws: `ImageIntakeError` for an unreadable header or too many pixels; the budget's
    ///   problems (413, 503) when the memory is not there.
    func withDecoding<Result>(
        of bytes: [UInt8], limits: ImageLimits, _ body: (ImageHeader) async throws -> Result
    ) async throws -> Result {
        let header = try ImageHeader(bytes)
        try header.checkPixels(limits)
        return try await withReservation(header.decodingBytes, for: "decoding the image") { try await body(header) }
    }
}
