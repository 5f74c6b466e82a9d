import ArgumentParser
import Foundation
import TraingateStore

/// `traingate audit verify`: recompute the hash chain of a data directory (safe while the server runs).
struct AuditCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit", abstract: "Inspect the audit log.", subcommands: [Verify.self])

    struct Verify: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "verify", abstract: "Verify the audit chain; exit 0 when intact, 1 when broken.")

        @Option(help: "Data directory of the service (default ./data).") var dataDir = "./data"

        func run() async throws {
            let database = try AppDatabase.openReadOnly(directory: URL(fileURLWithPath: dataDir))
            let result = try await AuditStore(database: database).verify()
            let head = result.head.map { "seq \($0.seq) hash \($0.hash)" } ?? "empty"
            if result.ok {
                print("audit log intact: \(result.entries) entries, head \(head)")
            } else {
                print("audit log BROKEN at seq \(result.firstBadSeq ?? 0): \(result.entries) entries verify before it (last good: \(head))")
                throw ExitCode.failure
            }
        }
    }
}
