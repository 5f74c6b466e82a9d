import Foundation
import PostgresTesting
import Testing
import TestFixtures

/// The maintenance commands on a PostgreSQL store: keys and the audit log through
/// `--storage-url`; the commands that need a SQLite data directory refuse one.
@Suite struct PostgresCommandTests {
    private func run(_ arguments: [String], environment: [String] = []) throws -> (status: Int32, output: String) {
        try Subprocess.run(URL(fileURLWithPath: "/usr/bin/env"), environment + [TraingateExecutable.url.path] + arguments)
    }

    @Test(.enabled(if: PostgresTestDatabase.enabled)) func keysAndTheAuditLogAreManagedThroughTheStorageURL() async throws {
        try await PostgresTestDatabase.withURL { url in
            let created = try run(["keys", "create", "--role", "auditor", "--name", "ops", "--storage-url", url])
            #expect(created.status == 0, "\(created.output)")
            #expect(created.output.contains("tg_"))
            // The URL may come from the environment instead, as for the server.
            let listed = try run(["keys", "list"], environment: ["TRAINGATE_STORAGE_URL=\(url)"])
            #expect(listed.output.contains("ops") && listed.output.contains("auditor") && listed.output.contains("active"), "\(listed.output)")
            #expect(try run(["keys", "revoke", "ops", "--storage-url", url]).status == 0)
            let verified = try run(["audit", "verify", "--storage-url", url])
            #expect(verified.status == 0)
            #expect(verified.output.contains("audit log intact: 2 entries"), "\(verified.output)")  // created, revoked
            let exported = try run(["audit", "export", "--storage-url", url]).output.split(separator: "\n")
            #expect(exported.count == 2 && exported.allSatisfy { $0.contains(#""kind":"api_key""#) })
        }
    }

    @Test func commandsForADataDirectoryRefuseAPostgresStore() throws {
        let environment = ["TRAINGATE_STORAGE_URL=postgres://traingate@127.0.0.1:1/traingate"]
        for command in [["backup", "--to", "/nonexistent"], ["restore", "--from", "/nonexistent"], ["keys", "rotate-master"]] {
            let refused = try run(command, environment: environment)
            #expect(refused.status != 0)
            #expect(refused.output.contains("storage.url names a PostgreSQL store"), "\(refused.output)")
        }
    }
}
