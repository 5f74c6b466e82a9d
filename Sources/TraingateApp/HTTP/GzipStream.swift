import CompressNIO
import NIOCore

/// gzip (RFC 1952) over a stream of buffers, through zlib (compress-nio), for responses too
/// large to hold: each call returns the compressed bytes ready so far.
final class GzipStream {
    private let compressor: any NIOCompressor

    init() throws {
        compressor = CompressionAlgorithm.gzip().compressor
        compressor.window = ByteBufferAllocator().buffer(capacity: 64 * 1024)
        try compressor.startStream()
    }

    func compress(_ input: ByteBuffer) throws -> [ByteBuffer] {
        try run(input, flush: .no)
    }

    /// The rest of the stream, gzip trailer included.
    func finish() throws -> [ByteBuffer] {
        try run(ByteBuffer(), flush: .finish)
    }

    // zlib's state is freed however the stream ended: finished, or abandoned when a client
    // went away in the middle of an export.
    deinit {
        try? compressor.finishStream()
    }

    private func run(_ input: ByteBuffer, flush: CompressNIOFlush) throws -> [ByteBuffer] {
        var input = input
        var output: [ByteBuffer] = []
        try input.compressStream(with: compressor, flush: flush) { output.append($0) }
        return output
    }
}
