import StrictDocuments
import TraingateStore

/// One line of the manifest (JSON Lines): the contract's `admission_id`, `sha256`, `image_url`,
/// `policy_version` and `shard`, plus the line's resume `cursor` and the subject's audit
/// pseudonym `subject_ref` (never the master-keyed lookup pseudonym, which outlives erasure).
struct ManifestLine: Sendable {
    let item: ManifestItem
    let shards: Int

    /// The item's shard among `shards`: from its content hash, so it never changes and the
    /// shards come out about equal.
    static func shard(ofSHA256 hex: String, among shards: Int) -> Int {
        Int(UInt32(hex.prefix(8), radix: 16) ?? 0) % shards
    }

    var shard: Int { Self.shard(ofSHA256: item.imageSHA256, among: shards) }

    var json: JSONValue {
        .object([
            "admission_id": .string(item.admissionID), "sha256": .string(item.imageSHA256),
            "image_url": .string("/v1/training/images/\(item.admissionID)"), "policy_version": .string(item.policyVersion),
            "shard": .integer(shard), "cursor": .integer(Int(item.cursor)),
            "subject_ref": item.subjectRef.map(JSONValue.string) ?? .null,
        ])
    }
}
