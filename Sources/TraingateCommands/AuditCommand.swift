import ArgumentParser
import Foundation
import TraingateApp
import TraingateStore

/// `traingate audit verify|export`: check or dump the audit log (of a data directory, or of the
/// PostgreSQL store `--storage-url` names), read-only, so both are safe while the server runs.
struct AuditCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit", abstract: "Inspect the audit log.", subcommands: [Verify.self, Export.self])

    struct Verify: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "verify", abstract: "Verify the audit chain; exit 0 when intact, 1 when broken.")

        @OptionGroup var store: StoreOptions

        func run() async throws {
            let result = try await store.withAudit { try await $0.verify() }
            let head = result.head.map { "seq \($0.seq) hash \($0.hash)" } ?? "empty"
            if result.ok {
                print("audit log intact: \(result.entries) entries, \(result.anchorsChecked) anchors checked, head \(head)")
            } else {
                print(
                    "audit log BROKEN at seq \(result.firstBadSeq ?? 0): \(result.problem ?? "does not verify"); "
                        + "\(result.entries) entries verify before it (last good: \(head))")
                throw ExitCode.failure
            }
        }
    }

    struct Export: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "export", abstract: "Write the whole audit log as JSON Lines or CSV (to stdout by default).")

        @OptionGroup var store: StoreOptions
        @Option(help: "jsonl or csv.") var format: String = "jsonl"
        @Option(help: "Write to this file instead of stdout.") var output: String?

        func validate() throws {
            guard AuditExporter.Format(rawValue: format) != nil else { throw ValidationError("--format must be jsonl or csv") }
        }

        func run() async throws {
            let handle: FileHandle
            if let output {
                guard FileManager.default.createFile(atPath: output, contents: nil) else {
                    throw ValidationError("cannot create \(output)")
                }
                handle = try FileHandle(forWritingTo: URL(fileURLWithPath: output))
            } else {
                handle = FileHandle.standardOutput
            }
            let format = AuditExporter.Format(rawValue: format)!
            try await store.withAudit { audit in
                try await AuditExporter(store: audit).export(format) { chunk in try handle.write(contentsOf: Data(chunk.readableBytesView)) }
            }
            if output != nil { try handle.close() }
        }
    }
}
