// Erasure cost against the size of the store (issue 17's quality bar; bench/erasure drives it
// and writes docs/benchmarks.md):
//   run STORE_SIZE SUBJECT_IMAGES DIR   fills a store with STORE_SIZE decisions of other
//     subjects (one in 20 with an image, queued), then the subject with SUBJECT_IMAGES images,
//     and a checkpoint with lineage and embeddings for every queued image; then times, in the
//     same store, the baseline (recording SUBJECT_IMAGES decisions of a new subject, one
//     transaction each, as the gate does) and the erasure of the subject (one transaction,
//     then the log's truncation).
import BenchSupport
import Crypto
import Foundation
import GRDB
import PolicyEngine
import StrictDocuments
import TraingateStore

let masterKey = SymmetricKey(data: [UInt8](repeating: 9, count: 32))
let pseudonyms = PseudonymKey(masterKey)
let facts = AdmissionFacts(visibility: .public, signals: [CountrySignal(source: .accountCountry, country: CountryCode("US")!)])
let decision = Evaluator.evaluate(DefaultPolicy.policy, facts: facts, environment: EvaluationEnvironment(now: Date()))

/// A decision as the gate records it; with an image of `imageBytes` bytes when asked.
func submission(subject: String, imageID: String, imageBytes: Int?, seed: Int) -> AdmissionSubmission {
    let image = imageBytes.map { count -> ImageUpload in
        let bytes = noise(count, seed: seed)
        return ImageUpload(
            sha256: Hex.encode(SHA256.hash(data: bytes)), contentType: "image/jpeg", bytes: bytes, width: 256, height: 192,
            perceptualHash: UInt64(truncatingIfNeeded: seed &* 0x2545_F491_4F6C_DD1D))
    }
    return AdmissionSubmission(
        source: "bench", imageID: imageID, subjectRef: pseudonyms.pseudonym(source: "bench", subjectID: subject), subjectID: subject,
        sealedFacts: noise(340, seed: seed &+ 1), requestHash: Hex.encode(noise(32, seed: seed &+ 2)), facts: facts,
        policy: DefaultPolicy.policy, decision: decision,
        signals: [StoredSignal(source: "account_country", country: "US", distanceKm: nil)], decidedAt: Date(), image: image)
}

/// Records `count` submissions from `concurrency` tasks through group commit.
func record(_ count: Int, concurrency: Int, store: AdmissionStore, make: @escaping @Sendable (Int) -> AdmissionSubmission) async throws {
    try await withThrowingTaskGroup(of: Void.self) { group in
        for client in 0..<concurrency {
            group.addTask {
                for index in stride(from: client, to: count, by: concurrency) { _ = try await store.record(make(index)) }
            }
        }
        try await group.waitForAll()
    }
}

func run(storeSize: Int, subjectImages: Int, directory: URL) async throws {
    let database = try AppDatabase.open(directory: directory, backgroundCheckpoints: false)
    let committer = GroupCommitWriter(writer: database.writer)
    let store = AdmissionStore(database: database, committer: committer, keyring: SubjectKeyring(masterKey: masterKey))
    let writer = Task { try await committer.run() }
    defer { writer.cancel() }

    var clock = ContinuousClock.now
    try await record(storeSize, concurrency: 64, store: store) { index in
        submission(subject: "filler-\(index % 100_000)", imageID: "f\(index)", imageBytes: index % 20 == 0 ? 2048 : nil, seed: index)
    }
    try await record(subjectImages, concurrency: 16, store: store) { index in
        submission(subject: "the-subject", imageID: "s\(index)", imageBytes: 8192, seed: 10_000_000 + index)
    }
    let fill = seconds(ContinuousClock.now - clock)

    // A checkpoint trained on every queued image, with an embedding of each.
    let training = TrainingStore(database: database)
    _ = try await training.submit(parameters: .object([:]), at: Date())
    let job = try await training.startNext(at: Date())!
    let queued = try await database.writer.read { db in
        try Row.fetchAll(
            db, sql: "SELECT q.admission_id, q.image_sha256, a.policy_version FROM queue_item q JOIN admission a ON a.id = q.admission_id")
    }
    let checkpoint = TrainedCheckpoint(
        id: "ckpt_bench", format: 1, parameters: .object([:]), weights: noise(4096, seed: 1), embeddingDimension: 64,
        lineage: queued.map { .init(admissionID: $0[0], imageSHA256: $0[1], policyVersion: $0[2], epochs: 5) },
        embeddings: queued.map { ($0[0], (0..<64).map { Float($0) / 64 }) })
    try training.succeed(job, checkpoint: checkpoint, at: Date())

    // Baseline: the same number of decisions, with images, for a new subject.
    clock = ContinuousClock.now
    try await record(subjectImages, concurrency: 1, store: store) { index in
        submission(subject: "baseline-subject", imageID: "b\(index)", imageBytes: 8192, seed: 20_000_000 + index)
    }
    let admit = seconds(ContinuousClock.now - clock)

    let rights = SubjectRightsStore(database: database, keyring: SubjectKeyring(masterKey: masterKey))
    clock = ContinuousClock.now
    let receipt = try await rights.erase(
        subjectRef: pseudonyms.pseudonym(source: "bench", subjectID: "the-subject"), at: Date(), apiKey: nil)
    let erase = seconds(ContinuousClock.now - clock)
    let size = (try FileManager.default.attributesOfItem(atPath: database.path)[.size] as? Int) ?? 0
    print(
        "RESULT store=\(storeSize) subject_images=\(subjectImages) fill_s=\(String(format: "%.1f", fill))",
        "admit_s=\(String(format: "%.3f", admit)) erase_s=\(String(format: "%.3f", erase))",
        "removed_admissions=\(receipt.admissions) removed_images=\(receipt.images) removed_queue=\(receipt.queueItems)",
        "removed_embeddings=\(receipt.embeddings) db_mb=\(size >> 20)")
    try database.close()
}

let arguments = CommandLine.arguments
guard arguments.count == 5, arguments[1] == "run", let storeSize = Int(arguments[2]), let subjectImages = Int(arguments[3]) else {
    print("usage: ErasureBenchmark run STORE_SIZE SUBJECT_IMAGES DIR")
    exit(2)
}
try await run(storeSize: storeSize, subjectImages: subjectImages, directory: URL(fileURLWithPath: arguments[4]))
