// Audit log speed, each against a baseline measured in the same run (bench/audit drives it
// and writes docs/benchmarks.md):
//   appends COUNT CONCURRENCY DIR  group-committed appends (synchronous=FULL) against raw SQLite
//                                  inserts of the same rows in transactions of the same size
//   fill COUNT DIR                 a log of COUNT realistic entries (for verify and export)
//   verify DIR                     full-chain verification; prints the bytes hashed per entry
import BenchSupport
import Crypto
import Foundation
import GRDB
import StrictDocuments
import TraingateStore

/// A decision entry as the gate writes it: a sealed blob of typical size, a pseudonym, reasons.
func record(_ index: Int) -> AuditRecord {
    let rejected = index % 3 == 0
    return AuditRecord(
        kind: .decision, at: Timestamp.format(Date(timeIntervalSince1970: 1_795_000_000 + Double(index) / 1000)),
        admissionID: "adm_" + Hex.encode(noise(16, seed: index)),
        decision: rejected ? "rejected" : "admitted",
        reasonCodes: rejected ? ["RESIDENCY_RESTRICTED", "LAWFUL_BASIS_MISSING"] : [],
        policyVersion: "sha256:abc138c60d60c06bd51bfbc72a5aebd7bfacdb71c72cd6bc78c94c3b1f96d6c5",
        subjectRef: Hex.encode(noise(32, seed: index &+ 1)),
        sealed: noise(340, seed: index &+ 2))
}

func appends(count: Int, concurrency: Int, directory: URL) async throws {
    let database = try AppDatabase.open(directory: directory.appendingPathComponent("grouped"))
    let committer = GroupCommitWriter(writer: database.writer)
    let store = AuditStore(database: database)
    let records = (0..<count).map(record)
    let writer = Task { try await committer.run() }
    let start = ContinuousClock.now
    try await withThrowingTaskGroup(of: Void.self) { group in
        for client in 0..<concurrency {
            group.addTask {
                for index in stride(from: client, to: count, by: concurrency) {
                    try await store.append(records[index], committer: committer)
                }
            }
        }
        try await group.waitForAll()
    }
    let grouped = seconds(ContinuousClock.now - start)
    let transactions = committer.committedTransactions
    writer.cancel()
    _ = try? await writer.value
    let verified = try await store.verify().entries
    precondition(verified == count)

    // Baseline: the same rows, hashes computed beforehand, inserted with one prepared statement
    // in transactions of the size group commit reached, on the same settings.
    let batch = max(1, count / max(1, transactions))
    let entries = try await database.writer.read { db in try AuditLog.entries(AuditQuery(limit: count), in: db) }
    try database.close()
    let raw = try AppDatabase.open(directory: directory.appendingPathComponent("raw"))
    let rawStart = ContinuousClock.now
    for chunk in stride(from: 0, to: entries.count, by: batch) {
        try await raw.writer.write { db in
            let statement = try db.cachedStatement(
                sql: """
                    INSERT INTO audit_entry (seq, v, at, kind, admission_id, decision, reason_codes, policy_version,
                        subject_ref, sealed, details, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """)
            // As the log stores them: hashes and pseudonyms as bytes, the policy version by reference.
            func bytes(_ hex: String?) -> Data? { hex.flatMap(Hex.decode).map { Data($0) } }
            for entry in entries[chunk..<min(chunk + batch, entries.count)] {
                try statement.execute(arguments: [
                    entry.seq, entry.version, entry.at, entry.kind.rawValue, entry.admissionID, entry.decision,
                    String(decoding: CanonicalJSON.encode(.array(entry.reasonCodes.map(JSONValue.string))), as: UTF8.self),
                    entry.policyVersion.map { _ in 1 }, bytes(entry.subjectRef), entry.sealed.map { Data($0) }, nil as String?,
                    bytes(entry.hash),
                ])
            }
        }
    }
    let rawSeconds = seconds(ContinuousClock.now - rawStart)
    try raw.close()
    print(
        String(
            format: "RESULT appends=%d concurrency=%d grouped_per_s=%.0f transactions=%d batch=%d raw_per_s=%.0f",
            count, concurrency, Double(count) / grouped, transactions, batch, Double(count) / rawSeconds))
}

func fill(count: Int, directory: URL) async throws {
    let database = try AppDatabase.open(directory: directory)
    let store = AuditStore(database: database)
    for start in stride(from: 0, to: count, by: 10_000) {
        try await store.append(contentsOf: (start..<min(start + 10_000, count)).map(record))
    }
    try database.close()
    print("RESULT filled=\(count)")
}

func verify(directory: URL) async throws {
    let database = try AppDatabase.openReadOnly(directory: directory)
    let store = AuditStore(database: database)
    let sample = try await store.entries(AuditQuery(limit: 1000))
    let bytesPerEntry = sample.map { 32 + AuditChain.canonicalBytes($0.content).count }.reduce(0, +) / max(1, sample.count)
    let start = ContinuousClock.now
    let result = try await store.verify()
    let elapsed = seconds(ContinuousClock.now - start)
    precondition(result.ok)
    print(
        String(
            format: "RESULT verified=%d seconds=%.3f per_s=%.0f bytes_per_entry=%d", result.entries, elapsed,
            Double(result.entries) / elapsed, bytesPerEntry))
}

let arguments = CommandLine.arguments
switch arguments.dropFirst().first {
case "appends":
    try await appends(count: Int(arguments[2])!, concurrency: Int(arguments[3])!, directory: URL(fileURLWithPath: arguments[4]))
case "fill":
    try await fill(count: Int(arguments[2])!, directory: URL(fileURLWithPath: arguments[3]))
case "verify":
    try await verify(directory: URL(fileURLWithPath: arguments[2]))
default:
    print("usage: AuditBenchmark appends COUNT CONCURRENCY DIR | fill COUNT DIR | verify DIR")
    exit(2)
}
