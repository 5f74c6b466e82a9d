import ArgumentParser
import Foundation
import StrictDocuments
import TraingateStore

/// `traingate keys create|list|revoke`: the API keys of a data directory (and `rotate-master`,
/// the master key). Create, list and revoke are safe while the server
/// runs (SQLite serialises the writes); the server picks a change up within a second.
struct KeysCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "keys", abstract: "Create, list and revoke API keys (docs/security.md).",
        subcommands: [Create.self, List.self, Revoke.self, RotateMasterKeyCommand.self])

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "create",
            abstract: "Create a key and print it once on stdout (only its SHA-256 is stored); an audit entry records it.")

        @Option(help: "submitter, auditor, trainer, dpo or admin.") var role: String
        @Option(help: "A unique name (letters, digits, . _ -; at most 64), recorded with everything the key does. Never reused.")
        var name: String
        @Option(help: "Expiry: an RFC 3339 instant or a date (midnight UTC), e.g. 2027-06-30.") var expires: String?
        @OptionGroup var store: StoreOptions

        func validate() throws {
            guard APIKey.roles.contains(role) else {
                throw ValidationError("--role must be one of \(APIKey.roles.joined(separator: ", "))")
            }
            try KeyName.validate(name)
            if let expires, KeyExpiry.parse(expires) == nil {
                throw ValidationError("--expires must be an RFC 3339 instant or a date like 2027-06-30, got '\(expires)'")
            }
        }

        func run() async throws {
            let now = Date()
            let expiry = expires.flatMap(KeyExpiry.parse)
            if let expiry, expiry <= now { throw ValidationError("--expires is in the past") }
            let created: (text: String, key: APIKey, audit: AuditEntry)
            do {
                created = try await store.withKeys(writing: true) { keys in
                    try await keys.create(name: name, role: role, expiresAt: expiry, at: now)
                }
            } catch let error as StoreError where error.code == .conflict {
                throw ValidationError(error.description)
            }
            FileHandle.standardError.write(
                Data(
                    ("key '\(name)' (\(role)) created, audit seq \(created.audit.seq); it is printed once, here, and stored only "
                        + "as a hash. Send it as Authorization: Bearer <key>.\n").utf8))
            print(created.text)
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "list", abstract: "List the keys: name, role, created, expires, last used, status (never the key).")

        @OptionGroup var store: StoreOptions

        func run() async throws {
            let keys = try await store.withKeys(writing: false) { try await $0.all() }
            let now = Date()
            var rows = [["NAME", "ROLE", "CREATED", "EXPIRES", "LAST USED", "STATUS"]]
            for key in keys {
                let status = key.revokedAt != nil ? "revoked" : (key.isUsable(at: now) ? "active" : "expired")
                rows.append([
                    key.name, key.role, Timestamp.format(key.createdAt), key.expiresAt.map(Timestamp.format) ?? "-",
                    key.lastUsedAt.map(Timestamp.format) ?? "never", status,
                ])
            }
            let widths = (0..<rows[0].count).map { column in rows.map { $0[column].count }.max() ?? 0 }
            for row in rows {
                print(zip(row, widths).map { $0.padding(toLength: $1, withPad: " ", startingAt: 0) }.joined(separator: "  "))
            }
            if keys.isEmpty { print("(no keys: the server runs in development mode, open on loopback only)") }
        }
    }

    struct Revoke: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "revoke", abstract: "Revoke a key; a running server refuses it within a second. An audit entry records it.")

        @Argument(help: "The key's name.") var name: String
        @OptionGroup var store: StoreOptions

        func run() async throws {
            guard let audit = try await store.withKeys(writing: true, { try await $0.revoke(name: name, at: Date()) }) else {
                print("no active key named '\(name)'")
                throw ExitCode.failure
            }
            print("key '\(name)' revoked, audit seq \(audit.seq)")
        }
    }
}
