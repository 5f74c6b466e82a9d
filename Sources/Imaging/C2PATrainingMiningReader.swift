import StrictDocuments

/// Reads the training-and-mining assertions (`c2pa.training-mining`, `cawg.training-mining`) of
/// a C2PA manifest store. Every manifest in the store is read, the active one and its
/// ingredients' alike, and any of them that does not allow AI training counts: a reservation
/// once made is honoured. Signatures are not checked (docs/images.md): an unsigned or
/// untrusted reservation is still someone reserving their rights, and an "allowed" never
/// overrides a reservation found elsewhere, so a forged manifest cannot admit anything.
enum C2PATrainingMiningReader {
    static let labels: Set<String> = ["c2pa.training-mining", "cawg.training-mining"]

    static func reservations(in store: [UInt8], location: String) throws -> [TrainingReservation] {
        var found: [TrainingReservation] = []
        try JUMBFBoxes.walk(store[...]) { label, content in
            // A store may hold several instances of one assertion: `c2pa.training-mining__1`.
            guard let label, let base = label.split(separator: "_").first.map(String.init), labels.contains(base) else { return }
            for box in content {
                let assertion: JSONValue
                switch box.type {
                case "cbor": assertion = try CBORReader.read(box.payload)
                case "json": assertion = try JSONValue.parse(Array(box.payload))
                default: continue
                }
                found += reservations(in: assertion, label: base, location: location)
            }
        }
        return found
    }

    /// Entries whose `use` is not `allowed`: `notAllowed`, and `constrained` (its constraint
    /// cannot be evaluated here, so it is read as a prohibition).
    static func reservations(in assertion: JSONValue, label: String, location: String) -> [TrainingReservation] {
        guard case .object(let fields) = assertion, case .object(let entries)? = fields["entries"] else { return [] }
        return entries.keys.sorted().compactMap { key in
            guard case .object(let entry)? = entries[key], case .string(let use)? = entry["use"], use != "allowed" else { return nil }
            let purpose = key.split(separator: ".").last.map(String.init) ?? key
            guard ["ai_training", "ai_generative_training", "data_mining"].contains(purpose) else { return nil }
            return TrainingReservation(
                signal: "\(key): \(use)", location: "C2PA \(label) (\(location))", generativeOnly: purpose == "ai_generative_training")
        }
    }
}
