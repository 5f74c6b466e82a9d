// Admissions/s at the store, SQLite against PostgreSQL on one, two and three instances, in one
// run (issue 19, item 7; bench/store-scaling drives it and writes docs/benchmarks.md):
//   run DECISIONS CONCURRENCY DIR POSTGRES_URL
// Each configuration records DECISIONS metadata-only decisions of distinct subjects from
// CONCURRENCY tasks through group commit, as the gate's handlers do, on a store of its own (a
// new SQLite file under DIR; a new database on the cluster POSTGRES_URL names). The decisions
// are made before the clock starts: this measures the store (the write, the chain, the
// commit), not HTTP or the policy. PostgreSQL's instances are clients of their own in this
// process, each with its own connections and group committer, sharing the tasks round robin.
import Crypto
import Foundation
import Logging
import PolicyEngine
import PostgresNIO
import StrictDocuments
import TraingatePostgres
import TraingateStore

let masterKey = SymmetricKey(data: [UInt8](repeating: 9, count: 32))
let pseudonyms = PseudonymKey(masterKey)
let facts = AdmissionFacts(visibility: .public, signals: [CountrySignal(source: .accountCountry, country: CountryCode("US")!)])
let decision = Evaluator.evaluate(DefaultPolicy.policy, facts: facts, environment: EvaluationEnvironment(now: Date()))
let logger: Logger = {
    var logger = Logger(label: "store-scaling")
    logger.logLevel = .error
    return logger
}()

func submission(_ index: Int, run: String) -> AdmissionSubmission {
    let subject = "subject-\(index)"
    return AdmissionSubmission(
        source: "bench", imageID: "\(run)-\(index)", subjectRef: pseudonyms.pseudonym(source: "bench", subjectID: subject),
        subjectID: subject, sealedFacts: Array(#"{"subject_id":"\#(subject)","visibility":"public"}"#.utf8),
        requestHash: Hex.encode(Array(SHA256.hash(data: Array("\(run)-\(index)".utf8)))), facts: facts, policy: DefaultPolicy.policy,
        decision: decision, signals: [StoredSignal(source: "account_country", country: "US", distanceKm: nil)], decidedAt: Date(),
        image: nil)
}

/// Decisions/s recording `submissions` from `concurrency` tasks, task `t` using `stores[t % count]`.
func measure(_ submissions: [AdmissionSubmission], concurrency: Int, stores: [any AdmissionRecording]) async throws -> Double {
    let started = ContinuousClock.now
    try await withThrowingTaskGroup(of: Void.self) { group in
        for task in 0..<concurrency {
            let store = stores[task % stores.count]
            group.addTask {
                for index in stride(from: task, to: submissions.count, by: concurrency) { _ = try await store.record(submissions[index]) }
            }
        }
        try await group.waitForAll()
    }
    let elapsed = ContinuousClock.now - started
    return Double(submissions.count) / (Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18)
}

func sqlite(_ submissions: [AdmissionSubmission], concurrency: Int, directory: URL) async throws -> Double {
    let database = try AppDatabase.open(directory: directory, backgroundCheckpoints: false)
    let committer = GroupCommitWriter(writer: database.writer)
    let store = AdmissionStore(database: database, committer: committer, keyring: SubjectKeyring(masterKey: masterKey))
    let writer = Task { try await committer.run() }
    defer { writer.cancel() }
    return try await measure(submissions, concurrency: concurrency, stores: [store])
}

/// A new database on the cluster, dropped after `body`.
func withDatabase<T>(adminURL: String, _ body: (String) async throws -> T) async throws -> T {
    let admin = try PostgresLocation(url: adminURL)
    let name = "tg_scaling_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "")
    let connection = try await PostgresConnection.connect(
        configuration: .init(
            host: admin.host, port: admin.port, username: admin.username,
            password: ProcessInfo.processInfo.environment["PGPASSWORD"]
                ?? URLComponents(string: adminURL)?.password, database: admin.database, tls: .disable),
        id: 1, logger: logger)
    defer { Task { try? await connection.close() } }
    try await connection.query(PostgresQuery(unsafeSQL: "CREATE DATABASE \(name)"), logger: logger)
    var own = URLComponents(string: adminURL)!
    own.path = "/" + name
    let result = try await body(own.string!)
    try await connection.query(PostgresQuery(unsafeSQL: "DROP DATABASE \(name) WITH (FORCE)"), logger: logger)
    return result
}

func postgres(_ submissions: [AdmissionSubmission], concurrency: Int, instances: Int, url: String) async throws -> Double {
    try await withDatabase(adminURL: url) { url in
        let databases = try (0..<instances).map { _ in PostgresStore(location: try PostgresLocation(url: url), connections: 4, logger: logger) }
        return try await withThrowingTaskGroup(of: Void.self) { group in
            for database in databases { group.addTask { await database.run() } }
            defer { group.cancelAll() }
            try await databases[0].migrate()
            let stores = databases.map { PostgresAdmissionStore(store: $0, keyring: SubjectKeyring(masterKey: masterKey)) }
            for store in stores { group.addTask { try await store.committer.run() } }
            return try await measure(submissions, concurrency: concurrency, stores: stores)
        }
    }
}

let arguments = CommandLine.arguments
guard arguments.count == 6, arguments[1] == "run", let count = Int(arguments[2]), let concurrency = Int(arguments[3]) else {
    FileHandle.standardError.write(Data("usage: StoreScaling run DECISIONS CONCURRENCY DIR POSTGRES_URL\n".utf8))
    exit(2)
}
let directory = URL(fileURLWithPath: arguments[4])
let url = arguments[5]
let baseline = try await sqlite((0..<count).map { submission($0, run: "sqlite") }, concurrency: concurrency, directory: directory)
print(String(format: "sqlite 1 %.0f 1.00", baseline))
for instances in 1...3 {
    let rate = try await postgres(
        (0..<count).map { submission($0, run: "pg\(instances)") }, concurrency: concurrency, instances: instances, url: url)
    print(String(format: "postgres %d %.0f %.2f", instances, rate, rate / baseline))
}
