import Foundation
import Imaging
import StrictDocuments

/// Everything `traingate serve` can be told. Precedence, highest first: command-line flags,
/// environment variables (`TRAINGATE_*`), the YAML config file, these defaults.
/// Every key is documented in `config/traingate.yaml`.
public struct AppConfiguration: Sendable {
    public var host = "127.0.0.1"
    public var port = 8080
    public var dataDirectory = "./data"
    /// `/metrics` without a key for clients on loopback (a local scraper).
    public var metricsOpenOnLoopback = false
    /// Whether the service records metrics and serves `/metrics` (off: 404, and nothing counted).
    public var metricsEnabled = true
    /// A connection with no complete request head, no body part and no answer pending for this
    /// long is closed (Hummingbird's idle timeout: a slow loris never completes a head).
    public var idleTimeoutSeconds = 30
    /// A request body must be read whole within this long of its head: the idle timeout alone
    /// never fires on a body that trickles a byte at a time.
    public var bodyTimeoutSeconds = 60
    /// PEM certificate chain and private key; both set serves HTTPS (HTTP/2 or HTTP/1.1 by ALPN).
    public var tlsCertificatePath: String?
    public var tlsKeyPath: String?
    /// Connections served at once (Hummingbird's `MaximumAvailableConnections`).
    public var maxConnections = 1000
    /// How long a graceful shutdown may take before what is left is cancelled.
    public var shutdownGraceSeconds = 30
    /// Requests per second per API key (token bucket); 0 turns the limit off.
    public var rateLimitPerKey = 1000
    /// Requests a key may make at once above its rate before the bucket runs dry.
    public var rateBurstPerKey = 2000
    /// Requests handled at once, probes excepted.
    public var maxRequestsInFlight = 512
    /// A policy YAML file; nil means the policy compiled into the binary.
    public var policyPath: String?
    /// Overrides the policy's `controller.established_in`: the regimes the operator is established
    /// in (comma-separated labels, `none` for no regime); nil keeps the policy's own setting.
    public var establishedIn: [String]?
    /// Largest admission metadata (JSON but the image), and body of a route without images.
    public var maxMetadataBytes = 64 * 1024
    /// Most parts of one multipart admission.
    public var maxMultipartParts = 8
    /// Memory request bodies and image decoding may hold at once (`MemoryBudget`).
    public var memoryBudgetBytes = 1 << 30
    /// Largest image accepted, in bytes (decoded size).
    public var maxImageBytes = 20 * 1024 * 1024
    /// Largest image in pixels (width × height), checked from the header before decoding.
    public var maxImagePixels = 40_000_000
    /// Largest EXIF block of an image, in bytes.
    public var maxExifBytes = 64 * 1024
    /// Longest side of the stored, minimised copy of an image, in pixels.
    public var storedImageLongestSide = 256
    /// Largest perceptual-hash distance (bits of 64) at which a photo counts as a copy of one.
    public var nearDuplicateDistance = 6
    /// Largest number of lines in one `POST /v1/admissions/batch`.
    public var maxBatchLines = 1000
    /// Largest body of one `POST /v1/admissions/batch`, in bytes.
    public var maxBatchBytes = 64 * 1024 * 1024
    /// `storage.url`: a PostgreSQL store (`postgres://…`); nil keeps SQLite in `dataDirectory`.
    public var storageURL: String?
    /// `storage.postgres_connections`: the PostgreSQL client's connections at most.
    public var postgresConnections = 8
    /// Most admissions committed in one transaction.
    public var groupCommitMaxBatch = 512
    /// Milliseconds between background WAL checkpoints. Each one's disk traffic slows the
    /// commits that overlap it; at half load p99/p50 measured 3.3–6.0 with 2 s against 3.5–10.4
    /// with 500 ms (docs/benchmarks.md).
    public var checkpointIntervalMilliseconds = 2000
    /// `storage.wal_rewind_pages`: the log size that makes the checkpointer rewind it (`WALCheckpointer`).
    public var walRewindPages = 65536
    /// Seconds between records of the audit chain's head in `audit-anchors.jsonl`.
    public var auditAnchorIntervalSeconds = 10
    /// Seconds between the service's own verifications of the whole audit chain; 0 runs none.
    public var auditVerifyIntervalSeconds = 3600
    /// OpenBLAS threads of the training worker. One by default: on a small machine the gate must
    /// keep answering admissions while a job runs.
    public var trainingBLASThreads = 1
    /// Most images a training job takes from the queue (the oldest first). Each costs
    /// 3 × image_size² floats while the job runs (12 KiB at 32 × 32).
    public var trainingMaxImages = 100_000
    /// Jobs that may wait for the trainer at once.
    public var trainingMaxQueuedJobs = 16
    /// Nice value of the training thread: 19 lets admissions win every contended core.
    public var trainingThreadNice = 19
    /// Key for subject pseudonyms (64 hex characters); nil means a key file in the data directory.
    public var masterKeyHex: String?
    /// Where `masterKeyHex` was read from when `security.master_key_file` gave it.
    public var masterKeyFile: String?
    public var logLevel = "info"
    /// `text` or `json` (JSON lines on stderr).
    public var logFormat = "text"

    public init() {}

    /// Builds the configuration from a YAML file (optional), the environment, and flag overrides.
    /// - Throws: `DocumentError` naming the key (and line, for the file) of a bad value.
    public static func load(
        file: String?, environment: [String: String] = ProcessInfo.processInfo.environment,
        overrides: [String: String] = [:]
    ) throws -> AppConfiguration {
        var configuration = AppConfiguration()
        if let file {
            let text: String
            do {
                text = try String(contentsOfFile: file, encoding: .utf8)
            } catch {
                throw DocumentError(path: "", message: "cannot read config file \(file): \(error.localizedDescription)")
            }
            try configuration.apply(yaml: YAMLValue.parse(text, documentName: "config file \(file)"))
        }
        for setting in settings {
            if let value = environment[setting.environment] { try configuration.set(setting.key, to: value, origin: setting.environment) }
        }
        for (key, value) in overrides.sorted(by: { $0.key < $1.key }) {
            try configuration.set(key, to: value, origin: key)
        }
        return configuration
    }

    private mutating func apply(yaml root: YAMLValue) throws {
        let sections = Dictionary(grouping: Self.settings, by: \.section)
        for (section, value) in try root.mapping(allowed: Set(sections.keys)) {
            for (name, field) in try value.mapping(allowed: Set(sections[section]!.map(\.name))) {
                if case .null = try field.json() { continue }
                do {
                    // A list (the establishment, as the policy writes it) is read as its items, comma-separated.
                    let text = field.isScalar ? try field.string() : try field.sequence().map { try $0.string() }.joined(separator: ",")
                    try set("\(section).\(name)", to: text, origin: field.path)
                } catch let error as DocumentError {
                    throw DocumentError(path: field.path, line: field.line, message: error.message)
                }
            }
        }
    }

    mutating func set(_ key: String, to value: String, origin: String) throws {
        guard let setting = Self.settings.first(where: { $0.key == key }) else {
            throw DocumentError(path: origin, message: "unknown configuration key \(key)")
        }
        do {
            try setting.apply(&self, value)
        } catch let error as ConfigurationSetting.SettingError {
            throw DocumentError(path: origin, message: error.message)
        }
    }

    /// What image intake may spend on one upload.
    var imageLimits: ImageLimits {
        ImageLimits(
            maxBytes: maxImageBytes, maxPixels: maxImagePixels, maxExifBytes: maxExifBytes, storedLongestSide: storedImageLongestSide)
    }

    /// Largest admission body accepted: the image cap grown by base64 (4/3), plus the metadata's.
    /// (A multipart body carries the image raw, so it fits too, headers and all.)
    public var maxAdmissionBodyBytes: Int { maxImageBytes / 3 * 4 + 4 + maxMetadataBytes }
}
