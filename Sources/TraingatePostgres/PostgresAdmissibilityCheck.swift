import PostgresNIO
import TraingateStore

/// Re-checks on PostgreSQL (SQLite's is `AdmissibilityCheck`): the same answers, in the same
/// order of precedence, for a whole batch in one statement.
public struct PostgresAdmissibilityCheck: AdmissibilityChecking {
    private let store: PostgresStore

    public init(store: PostgresStore) {
        self.store = store
    }

    public func check(_ admissionIDs: [String]) async throws -> [String: Admissibility] {
        var binds = PostgresBindings()
        binds.append(admissionIDs)
        let rows = try await store.openClient().query(
            PostgresQuery(
                unsafeSQL: """
                    SELECT a.id, \(AdmissibilityCheck.reason(consentWithdrawn: "e.reason_codes::jsonb ? 'CONSENT_WITHDRAWN'"))
                    FROM admission a WHERE a.id = ANY($1::text[])
                    """, binds: binds), logger: store.logger)
        var answers: [String: Admissibility] = [:]
        for try await (id, reason) in rows.decode((String, String).self) { answers[id] = Admissibility(rawValue: reason) ?? .notQueued }
        for id in admissionIDs where answers[id] == nil { answers[id] = .notFound }
        return answers
    }
}
