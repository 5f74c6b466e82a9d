/// Writes one canonical JSON object member by member, for callers whose keys are known in
/// advance: no dictionary is built and no keys are sorted per call. The caller must give the
/// members in canonical order (keys ascending by UTF-8 bytes, as `CanonicalJSON` sorts them);
/// debug builds check it. Absent (`nil`) values are left out, as a dictionary would leave them.
public struct CanonicalObjectWriter {
    public private(set) var bytes: [UInt8]
    private var lastKey: String?

    /// Starts an object at the end of `bytes`.
    public init(appendingTo bytes: [UInt8] = []) {
        self.bytes = bytes
        self.bytes.append(UInt8(ascii: "{"))
    }

    /// The bytes with the object closed.
    public consuming func finished() -> [UInt8] {
        bytes.append(UInt8(ascii: "}"))
        return bytes
    }

    public mutating func string(_ key: String, _ value: String?) {
        guard let value else { return }
        member(key)
        CanonicalJSON.writeString(utf8: value.utf8, into: &bytes)
    }

    public mutating func number(_ key: String, _ value: Double?) {
        guard let value else { return }
        member(key)
        CanonicalJSON.writeNumber(value, into: &bytes)
    }

    public mutating func bool(_ key: String, _ value: Bool) {
        member(key)
        bytes.append(contentsOf: (value ? "true" : "false").utf8)
    }

    public mutating func strings(_ key: String, _ values: [String]) {
        member(key)
        bytes.append(UInt8(ascii: "["))
        for (index, value) in values.enumerated() {
            if index > 0 { bytes.append(UInt8(ascii: ",")) }
            CanonicalJSON.writeString(utf8: value.utf8, into: &bytes)
        }
        bytes.append(UInt8(ascii: "]"))
    }

    /// Any JSON value, `null` included, written as `CanonicalJSON` writes it.
    public mutating func value(_ key: String, _ value: JSONValue) {
        member(key)
        CanonicalJSON.write(value, into: &bytes)
    }

    /// A nested object, written by `write`.
    public mutating func object(_ key: String, _ write: (inout CanonicalObjectWriter) -> Void) {
        member(key)
        var nested = CanonicalObjectWriter(appendingTo: takeBytes())
        write(&nested)
        bytes = nested.finished()
    }

    /// An array of objects, each written by `write`.
    public mutating func objects<Item>(_ key: String, _ items: [Item], _ write: (Item, inout CanonicalObjectWriter) -> Void) {
        member(key)
        bytes.append(UInt8(ascii: "["))
        for (index, item) in items.enumerated() {
            if index > 0 { bytes.append(UInt8(ascii: ",")) }
            var nested = CanonicalObjectWriter(appendingTo: takeBytes())
            write(item, &nested)
            bytes = nested.finished()
        }
        bytes.append(UInt8(ascii: "]"))
    }

    private mutating func member(_ key: String) {
        assert(lastKey.map { $0.utf8.lexicographicallyPrecedes(key.utf8) } ?? true, "'\(key)' is out of canonical order")
        if lastKey != nil { bytes.append(UInt8(ascii: ",")) }
        lastKey = key
        CanonicalJSON.writeString(utf8: key.utf8, into: &bytes)
        bytes.append(UInt8(ascii: ":"))
    }

    /// Hands the buffer to a nested writer without copying it.
    private mutating func takeBytes() -> [UInt8] {
        var taken: [UInt8] = []
        swap(&taken, &bytes)
        return taken
    }
}
