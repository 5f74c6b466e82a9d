import Tensors

/// The weights of an `EncoderModel` as bytes, in a versioned format that any language can read:
///
///     "TGWEIGHT"            8 bytes, ASCII
///     format                UInt32, little-endian (1)
///     tensor count          UInt32
///     per tensor, in `encoder.parameters + head.parameters` order:
///       rank                UInt32
///       dimensions          rank × UInt32
///       values              product(dimensions) × Float32, little-endian
///
/// Loading checks every shape against the model it is loaded into, so weights never land in
/// a model of another architecture.
public enum CheckpointWeights {
    public static let format = 1
    static let magic = Array("TGWEIGHT".utf8)

    public struct FormatError: Error, CustomStringConvertible {
        public let description: String

        public init(description: String) { self.description = description }
    }

    public static func encode(_ model: EncoderModel) -> [UInt8] {
        let tensors = model.encoder.parameters + model.head.parameters
        var bytes = magic
        append(UInt32(format), to: &bytes)
        append(UInt32(tensors.count), to: &bytes)
        for tensor in tensors {
            append(UInt32(tensor.shape.count), to: &bytes)
            for dimension in tensor.shape { append(UInt32(dimension), to: &bytes) }
            bytes.reserveCapacity(bytes.count + 4 * tensor.count)
            for value in tensor.values { append(value.bitPattern, to: &bytes) }
        }
        return bytes
    }

    /// Replaces the model's parameters with the stored ones.
    public static func load(_ bytes: [UInt8], into model: EncoderModel) throws {
        var reader = Reader(bytes: bytes)
        guard try reader.bytes(magic.count) == magic else { throw FormatError(description: "not traingate weights") }
        let version = try reader.uint32()
        guard version == format else { throw FormatError(description: "weights format \(version); this build reads \(format)") }
        let expected = model.encoder.parameters + model.head.parameters
        guard try reader.uint32() == expected.count else { throw FormatError(description: "tensor count does not match the model") }
        var loaded: [Tensor] = []
        for tensor in expected {
            let rank = Int(try reader.uint32())
            guard rank == tensor.shape.count else { throw FormatError(description: "tensor rank \(rank), the model has \(tensor.shape.count)") }
            let shape = try (0..<rank).map { _ in Int(try reader.uint32()) }
            guard shape == tensor.shape else { throw FormatError(description: "tensor shape \(shape), the model has \(tensor.shape)") }
            let values = try (0..<tensor.count).map { _ in Float(bitPattern: try reader.uint32()) }
            loaded.append(Tensor(shape: shape, values: values))
        }
        guard reader.offset == bytes.count else { throw FormatError(description: "trailing bytes after the last tensor") }
        let encoderCount = model.encoder.parameters.count
        model.encoder.parameters = Array(loaded[..<encoderCount])
        model.head.parameters = Array(loaded[encoderCount...])
    }

    private static func append(_ value: UInt32, to bytes: inout [UInt8]) {
        withUnsafeBytes(of: value.littleEndian) { bytes.append(contentsOf: $0) }
    }

    private struct Reader {
        let bytes: [UInt8]
        var offset = 0

        mutating func bytes(_ count: Int) throws -> [UInt8] {
            guard count <= bytes.count - offset else { throw FormatError(description: "weights end early at byte \(offset)") }
            defer { offset += count }
            return Array(bytes[offset..<(offset + count)])
        }

        mutating func uint32() throws -> UInt32 {
            let raw = try bytes(4)
            return UInt32(raw[0]) | UInt32(raw[1]) << 8 | UInt32(raw[2]) << 16 | UInt32(raw[3]) << 24
        }
    }
}
