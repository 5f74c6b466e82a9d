import StrictDocuments

/// Reads the reservations against AI training that an image carries inside itself (DSM
/// Directive Art. 4(3), AI Act Art. 53(1)(c)): the IPTC/PLUS `plus:DataMining` property of its
/// XMP packets and the training-and-mining assertions of its C2PA manifest. Metadata that is
/// too large, malformed or hostile is skipped with a note; it never fails the upload.
public enum EmbeddedRightsReader {
    /// PLUS Data Mining codes that prohibit AI/ML training. The `SEE…` codes point at a
    /// constraint or rights expression that cannot be evaluated here: read as prohibitions.
    static let prohibitions: Set<String> = [
        "DMI-PROHIBITED", "DMI-PROHIBITED-AIMLTRAINING", "DMI-PROHIBITED-EXCEPTSEARCHENGINEINDEXING",
        "DMI-PROHIBITED-SEECONSTRAINT", "DMI-PROHIBITED-SEEEMBEDDEDRIGHTSEXPR", "DMI-PROHIBITED-SEELINKEDRIGHTSEXPR",
    ]
    static let generativeProhibition = "DMI-PROHIBITED-GENAIMLTRAINING"
    static let permissions: Set<String> = ["DMI-ALLOWED", "DMI-UNSPECIFIED"]

    /// At most this many reservations and notes are kept, each signal at most 128 characters:
    /// hostile metadata must not grow a decision's record (a signal is quoted in its reason).
    static let maxReservations = 16
    static let maxNotes = 32
    static let maxSignalLength = 128

    static func read(_ blocks: [MetadataBlock], format: ImageFormat, limits: ImageLimits) -> EmbeddedRights {
        bounded(unbounded(blocks, format: format, limits: limits))
    }

    private static func bounded(_ rights: EmbeddedRights) -> EmbeddedRights {
        var bounded = EmbeddedRights(
            reservations: Array(rights.reservations.prefix(maxReservations)).map {
                TrainingReservation(signal: String($0.signal.prefix(maxSignalLength)), location: $0.location, generativeOnly: $0.generativeOnly)
            },
            notes: Array(rights.notes.prefix(maxNotes)))
        if rights.reservations.count > maxReservations || rights.notes.count > maxNotes {
            bounded.notes.append("more reservations or notes than kept (\(rights.reservations.count), \(rights.notes.count))")
        }
        return bounded
    }

    private static func unbounded(_ blocks: [MetadataBlock], format: ImageFormat, limits: ImageLimits) -> EmbeddedRights {
        var rights = EmbeddedRights()
        for found in XMPPacketLocator.packets(in: blocks, format: format) {
            switch found {
            case .compressed(let location):
                rights.notes.append("compressed XMP packet in \(location) not read")
            case .packet(let packet, let location):
                read(xmpPacket: packet, location: location, limits: limits, into: &rights)
            }
        }
        for store in C2PAManifestLocator.stores(in: blocks, format: format) {
            read(c2paStore: store.bytes, location: store.location, limits: limits, into: &rights)
        }
        return rights
    }

    /// One XMP packet on its own (the fuzzer's entry point; images go through `read(_:format:limits:)`).
    public static func read(xmpPacket: [UInt8], limits: ImageLimits = ImageLimits()) -> EmbeddedRights {
        var rights = EmbeddedRights()
        read(xmpPacket: xmpPacket[...], location: "packet", limits: limits, into: &rights)
        return bounded(rights)
    }

    /// One C2PA manifest store on its own (the fuzzer's entry point).
    public static func read(c2paStore: [UInt8], limits: ImageLimits = ImageLimits()) -> EmbeddedRights {
        var rights = EmbeddedRights()
        read(c2paStore: c2paStore, location: "store", limits: limits, into: &rights)
        return bounded(rights)
    }

    private static func read(xmpPacket packet: ArraySlice<UInt8>, location: String, limits: ImageLimits, into rights: inout EmbeddedRights) {
        let (values, note) = XMPDataMiningReader.values(in: packet, maxBytes: limits.maxXMPBytes, maxDepth: limits.maxXMPDepth)
        if let note { rights.notes.append("\(note) (\(location))") }
        for code in values { classify(code, location: "XMP plus:DataMining (\(location))", into: &rights) }
    }

    private static func read(c2paStore store: [UInt8], location: String, limits: ImageLimits, into rights: inout EmbeddedRights) {
        guard store.count <= limits.maxC2PABytes else {
            rights.notes.append("C2PA manifest store of \(store.count) bytes not read (limit \(limits.maxC2PABytes)) (\(location))")
            return
        }
        do {
            rights.reservations += try C2PATrainingMiningReader.reservations(in: store, location: location)
        } catch {
            rights.notes.append("C2PA manifest store malformed: \(error) (\(location))")
        }
    }

    /// What given `plus:DataMining` codes and C2PA training-and-mining entries amount to, as if
    /// read from a file (policy test cases state them without an image).
    public static func rights(xmpDataMining codes: [String], c2paEntries: JSONValue?) -> EmbeddedRights {
        var rights = EmbeddedRights()
        for code in codes { classify(XMPDataMiningReader.code(code), location: "XMP plus:DataMining", into: &rights) }
        if let c2paEntries {
            rights.reservations += C2PATrainingMiningReader.reservations(
                in: .object(["entries": c2paEntries]), label: "c2pa.training-mining", location: "manifest")
        }
        return rights
    }

    private static func classify(_ code: String, location: String, into rights: inout EmbeddedRights) {
        if prohibitions.contains(code) || (code.hasPrefix("DMI-PROHIBITED") && code != generativeProhibition) {
            // An unknown DMI-PROHIBITED… code is still a prohibition.
            rights.reservations.append(TrainingReservation(signal: code, location: location, generativeOnly: false))
        } else if code == generativeProhibition {
            rights.reservations.append(TrainingReservation(signal: code, location: location, generativeOnly: true))
        } else if !permissions.contains(code) {
            rights.notes.append("unknown plus:DataMining value \(code.prefix(64)) in \(location) (not a prohibition)")
        }
    }
}
