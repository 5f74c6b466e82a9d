import Crypto
import Foundation
import StrictDocuments
import Testing
@testable import TraingateStore
import TestFixtures

@Suite struct AuditChainTests {
    /// The worked example of docs/audit-format.md, rebuilt from its fields.
    private static let documentedEntries = [
        AuditChain.Content(
            version: 1, seq: 1, at: "2026-11-28T12:00:00Z", kind: .decision, admissionID: "adm_5f0c6f1d2a8b4e3c9d7a1b2c3d4e5f60",
            decision: "rejected", reasonCodes: ["RESIDENCY_RESTRICTED", "LAWFUL_BASIS_MISSING"],
            policyVersion: "sha256:abc138c60d60c06bd51bfbc72a5aebd7bfacdb71c72cd6bc78c94c3b1f96d6c5",
            subjectRef: "b280b4e1031fccba6f1e4c1a9f0b7d5e2c8a4f6b1d3e5a7c9b0d2f4e6a8c0b1d"),
        AuditChain.Content(
            version: 1, seq: 2, at: "2026-11-28T12:00:00.250Z", kind: .decision, admissionID: "adm_0a1b2c3d4e5f60718293a4b5c6d7e8f9",
            decision: "admitted", reasonCodes: [],
            policyVersion: "sha256:abc138c60d60c06bd51bfbc72a5aebd7bfacdb71c72cd6bc78c94c3b1f96d6c5",
            subjectRef: "4d4920f010e812d07c2b9e8f1a3c5e7d9b1f3a5c7e9d0b2f4a6c8e0d2b4f6a8c"),
    ]

    /// `name: value` lines of the docs' examples (those starting with "seq " or "v2 ").
    static func documentedLines() throws -> [String: String] {
        let doc = try String(contentsOf: Repository.root.appendingPathComponent("docs/audit-format.md"), encoding: .utf8)
        var documented: [String: String] = [:]
        for line in doc.split(separator: "\n") where line.hasPrefix("seq ") || line.hasPrefix("v2 ") {
            let parts = line.split(separator: ": ", maxSplits: 1)
            documented[String(parts[0])] = String(parts[1]).trimmingCharacters(in: .whitespaces)
        }
        return documented
    }

    @Test func theWorkedExampleInTheDocsIsWhatTheCodeComputes() throws {
        let documented = try Self.documentedLines()
        var head: (seq: Int64, hash: String)?
        for content in Self.documentedEntries {
            let entry = AuditChain.entry(after: head, content: content)
            #expect(String(decoding: AuditChain.canonicalBytes(content), as: UTF8.self) == documented["seq \(content.seq) canonical"])
            #expect(entry.hash == documented["seq \(content.seq) hash"])
            #expect(entry.prevHash == (head?.hash ?? String(repeating: "0", count: 64)))
            head = (entry.seq, entry.hash)
        }
    }

    @Test func everyFieldIsCoveredByTheHash() {
        let base = Self.documentedEntries[0]
        let original = AuditChain.hash(prevHash: AuditChain.genesisHash, content: base)
        var variants: [AuditChain.Content] = []
        var changed = base
        changed.seq = 2; variants.append(changed); changed = base
        changed.at = "2026-11-28T12:00:01Z"; variants.append(changed); changed = base
        changed.kind = .erasure; variants.append(changed); changed = base
        changed.admissionID = nil; variants.append(changed); changed = base
        changed.decision = "admitted"; variants.append(changed); changed = base
        changed.reasonCodes.reverse(); variants.append(changed); changed = base
        changed.policyVersion = "sha256:00"; variants.append(changed); changed = base
        changed.subjectRef = "ff"; variants.append(changed)
        for variant in variants { #expect(AuditChain.hash(prevHash: AuditChain.genesisHash, content: variant) != original) }
        #expect(AuditChain.hash(prevHash: String(repeating: "1", count: 64), content: base) != original)
    }

    /// Version 2 test vectors (docs/audit-format.md): a decision whose facts are sealed under a
    /// known subject key and nonce, chained after the version 1 example, then a policy change.
    static func version2Vectors() throws -> [String: String] {
        let subjectKey = SubjectKey(bytes: Array(0..<32))
        let subjectRef = subjectKey.reference(source: "instagram", subjectID: "u-1001")
        let facts = Array(#"{"image_id":"ig_1","subject_id":"u-1001"}"#.utf8)
        let nonce = try AES.GCM.Nonce(data: [UInt8](repeating: 0, count: 11) + [1])
        let sealed = try SubjectKey.seal(facts, using: subjectKey.key, nonce: nonce)
        let policyVersion = "sha256:abc138c60d60c06bd51bfbc72a5aebd7bfacdb71c72cd6bc78c94c3b1f96d6c5"
        var head: (seq: Int64, hash: String)?
        for content in documentedEntries { head = (content.seq, AuditChain.entry(after: head, content: content).hash) }
        let decision = AuditChain.Content(
            seq: 3, at: "2026-11-28T12:00:01Z", kind: .decision, admissionID: "adm_19ac8a2b3c4d5e6f708192a3b4c5d6e7",
            decision: "admitted", policyVersion: policyVersion, subjectRef: subjectRef, sealed: sealed)
        let third = AuditChain.entry(after: head, content: decision)
        let change = AuditChain.Content(
            seq: 4, at: "2026-11-28T12:05:00Z", kind: .policyChange, policyVersion: "sha256:" + String(repeating: "1", count: 64),
            details: .object(["policy_id": .string("default"), "previous_version": .string(policyVersion)]))
        let fourth = AuditChain.entry(after: (third.seq, third.hash), content: change)
        return [
            "v2 subject_ref": subjectRef, "v2 sealed": Data(sealed).base64EncodedString(),
            "v2 seq 3 canonical": String(decoding: AuditChain.canonicalBytes(decision), as: UTF8.self),
            "v2 seq 3 hash": third.hash,
            "v2 seq 4 canonical": String(decoding: AuditChain.canonicalBytes(change), as: UTF8.self),
            "v2 seq 4 hash": fourth.hash,
        ]
    }

    @Test func theVersion2VectorsInTheDocsAreWhatTheCodeComputes() throws {
        let documented = try Self.documentedLines()
        let computed = try Self.version2Vectors()
        for (name, value) in computed { #expect(documented[name] == value, "\(name)") }
    }

    @Test func sealedFactsOpenOnlyUnderTheirSubjectsKey() throws {
        let key = SubjectKey(bytes: Array(0..<32))
        let sealed = try key.seal(Array("facts".utf8))
        #expect(try key.open(sealed) == Array("facts".utf8))
        #expect(throws: (any Error).self) { try SubjectKey(bytes: Array(1...32)).open(sealed) }
        var altered = sealed
        altered[14] ^= 1
        #expect(throws: (any Error).self) { try key.open(altered) }
    }

    /// The fast writer used for appends and verification gives exactly the bytes of the
    /// definition (a dictionary through the general canonical encoder), escapes included.
    @Test(arguments: 0..<200)
    func theFastCanonicalWriterMatchesTheDefinition(seed: Int) {
        var generator = SeededGenerator(seed: UInt64(seed))
        func text() -> String {
            let pieces = ["adm_", "é", "\"", "\\", "\n", "\u{01}", "x", "😀", "sha256:", " ", "\t", "\u{7F}"]
            return (0..<Int.random(in: 0...6, using: &generator)).map { _ in pieces.randomElement(using: &generator)! }.joined()
        }
        func maybe() -> String? { Bool.random(using: &generator) ? text() : nil }
        let content = AuditChain.Content(
            version: Int.random(in: 1...2, using: &generator), seq: Int64.random(in: 1...Int64(1) << 50, using: &generator),
            at: text(), kind: AuditEntry.Kind.allCases.randomElement(using: &generator)!, admissionID: maybe(), decision: maybe(),
            reasonCodes: (0..<Int.random(in: 0...3, using: &generator)).map { _ in text() }, policyVersion: maybe(),
            subjectRef: maybe(),
            sealed: Bool.random(using: &generator)
                ? (0..<Int.random(in: 0...40, using: &generator)).map { _ in UInt8.random(in: 0...255, using: &generator) } : nil,
            details: Bool.random(using: &generator) ? .object(["k": .string(text()), "n": .number(3), "z": .null]) : nil)
        #expect(AuditChain.canonicalBytes(content) == AuditChain.canonicalBytesByDefinition(content))
    }
}

/// SplitMix64: reproducible inputs for parameterised tests.
struct SeededGenerator: RandomNumberGenerator {
    private var state: UInt64

    init(seed: UInt64) {
        state = seed &+ 0x9E37_79B9_7F4A_7C15
    }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
