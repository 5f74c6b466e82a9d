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
    /// A policy YAML file; nil means the policy compiled into the binary.
    public var policyPath: String?
    /// Overrides the policy's `controller.established_in`: the regimes the operator is established
    /// in (comma-separated labels, `none` for no regime); nil keeps the policy's own setting.
    public var establishedIn: [String]?
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
    /// Most admissions committed in one transaction.
    public var groupCommitMaxBatch = 512
    /// Milliseconds between background WAL checkpoints. Each one's disk traffic slows the
    /// commits that overlap it; at half load p99/p50 measured 3.3–6.0 with 2 s against 3.5–10.4
    /// with 500 ms (docs/benchmarks.md).
    public var checkpointIntervalMilliseconds = 2000
    /// Seconds between records of the audit chain's head in `audit-anchors.jsonl`.
    public var auditAnchorIntervalSeconds = 10
    /// OpenBLAS threads of the training worker. One by default: on a small machine the gate must
    /// keep answering admissions while a job runs.
    public var trainingBLASThreads = 1
    /// Most images a training job takes from the queue (the oldest first). Each costs
    /// 3 × image_size² floats while the job runs (12 KiB at 32 × 32).
    public var trainingMaxImages = 100_000
    /// Nice value of the training thread: 19 lets admissions win every contended core.
    public var trainingThreadNice = 19
    /// Key for subject pseudonyms (64 hex characters); nil means a key file in the data directory.
    public var masterKeyHex: String?
    /// Adds `POST /_bench/noop`, `/_bench/floor`, `/_bench/parse` and `/_bench/decide`, the
    /// baselines of bench/admissions (the floor writes a scratch `benchmark-floor.sqlite` in the
    /// data directory). Off in production.
    public var benchmarkRoutes = false
    public var logLevel = "info"

    public init() {}

    /// Environment variable → key, as documented in config/traingate.yaml.
    static let environmentKeys: [(variable: String, key: String)] = [
        ("TRAINGATE_HOST", "http.host"), ("TRAINGATE_PORT", "http.port"), ("TRAINGATE_DATA_DIR", "data.dir"),
        ("TRAINGATE_POLICY", "policy.path"), ("TRAINGATE_ESTABLISHED_IN", "policy.established_in"), ("TRAINGATE_MAX_IMAGE_BYTES", "limits.max_image_bytes"),
        ("TRAINGATE_MAX_BATCH_LINES", "limits.max_batch_lines"), ("TRAINGATE_MAX_BATCH_BYTES", "limits.max_batch_bytes"), ("TRAINGATE_MASTER_KEY", "security.master_key"),
        ("TRAINGATE_BENCHMARK_ROUTES", "http.benchmark_routes"), ("TRAINGATE_LOG_LEVEL", "log.level"),
        ("TRAINGATE_GROUP_COMMIT_MAX_BATCH", "storage.group_commit_max_batch"),
        ("TRAINGATE_CHECKPOINT_INTERVAL_MS", "storage.checkpoint_interval_ms"),
        ("TRAINGATE_AUDIT_ANCHOR_INTERVAL", "audit.anchor_interval_seconds"),
        ("TRAINGATE_MAX_IMAGE_PIXELS", "limits.max_image_pixels"), ("TRAINGATE_MAX_EXIF_BYTES", "limits.max_exif_bytes"),
        ("TRAINGATE_STORED_IMAGE_SIDE", "images.stored_longest_side"),
        ("TRAINGATE_NEAR_DUPLICATE_DISTANCE", "images.near_duplicate_distance"),
        ("TRAINGATE_TRAINING_BLAS_THREADS", "training.blas_threads"), ("TRAINGATE_TRAINING_MAX_IMAGES", "training.max_images"),
        ("TRAINGATE_TRAINING_THREAD_NICE", "training.thread_nice"),
    ]

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
        for (variable, key) in environmentKeys {
            if let value = environment[variable] { try configuration.set(key, to: value, origin: variable) }
        }
        for (key, value) in overrides.sorted(by: { $0.key < $1.key }) {
            try configuration.set(key, to: value, origin: key)
        }
        return configuration
    }

    private mutating func apply(yaml root: YAMLValue) throws {
        let sections = try root.mapping(allowed: ["http", "data", "policy", "limits", "images", "security", "storage", "audit", "training", "log"])
        let known: [String: Set<String>] = [
            "http": ["host", "port", "benchmark_routes"], "data": ["dir"], "policy": ["path", "established_in"],
            "limits": ["max_image_bytes", "max_image_pixels", "max_exif_bytes", "max_batch_lines", "max_batch_bytes"],
            "security": ["master_key"],
            "storage": ["group_commit_max_batch", "checkpoint_interval_ms"], "audit": ["anchor_interval_seconds"], "images": ["stored_longest_side", "near_duplicate_distance"], "training": ["blas_threads", "max_images", "thread_nice"], "log": ["level"],
        ]
        for (section, value) in sections {
            for (name, field) in try value.mapping(allowed: known[section]!) {
                if case .null = try field.json() { continue }
                do {
                    // The establishment may be written as the policy writes it, a list of labels.
                    let text = name == "established_in" && !field.isScalar
                        ? try field.sequence().map { try $0.string() }.joined(separator: ",") : try field.string()
                    try set("\(section).\(name)", to: text, origin: field.path)
                } catch let error as DocumentError {
                    throw DocumentError(path: field.path, line: field.line, message: error.message)
                }
            }
        }
    }

    mutating func set(_ key: String, to value: String, origin: String) throws {
        func integer(_ range: ClosedRange<Int>) throws -> Int {
            guard let number = Int(value), range.contains(number) else {
                throw DocumentError(path: origin, message: "must be an integer in \(range.lowerBound)...\(range.upperBound), got '\(value)'")
            }
            return number
        }
        switch key {
        case "http.host": host = value
        case "http.port": port = try integer(0...65535)
        case "http.benchmark_routes":
            guard let flag = Bool(value.lowercased()) else {
                throw DocumentError(path: origin, message: "must be true or false, got '\(value)'")
            }
            benchmarkRoutes = flag
        case "data.dir": dataDirectory = value
        case "policy.path": policyPath = value.isEmpty ? nil : value
        case "policy.established_in":
            let labels = value.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
            establishedIn = value.isEmpty ? nil : labels == ["none"] ? [] : labels
        case "limits.max_image_bytes": maxImageBytes = try integer(1...(1 << 30))
        case "limits.max_image_pixels": maxImagePixels = try integer(1...1_000_000_000)
        case "limits.max_exif_bytes": maxExifBytes = try integer(0...(16 << 20))
        case "images.stored_longest_side": storedImageLongestSide = try integer(8...4096)
        case "images.near_duplicate_distance": nearDuplicateDistance = try integer(0...12)
        case "limits.max_batch_lines": maxBatchLines = try integer(1...100_000)
        case "limits.max_batch_bytes": maxBatchBytes = try integer(1...(1 << 34))
        case "storage.group_commit_max_batch": groupCommitMaxBatch = try integer(1...10_000)
        case "storage.checkpoint_interval_ms": checkpointIntervalMilliseconds = try integer(50...60_000)
        case "audit.anchor_interval_seconds": auditAnchorIntervalSeconds = try integer(1...86_400)
        case "training.blas_threads": trainingBLASThreads = try integer(1...256)
        case "training.max_images": trainingMaxImages = try integer(2...10_000_000)
        case "training.thread_nice": trainingThreadNice = try integer(0...19)
        case "security.master_key":
            guard Hex.decode(value)?.count == 32 else {
                throw DocumentError(path: origin, message: "must be 64 hex characters (a 256-bit key)")
            }
            masterKeyHex = value
        case "log.level":
            let levels = ["trace", "debug", "info", "notice", "warning", "error", "critical"]
            guard levels.contains(value) else {
                throw DocumentError(path: origin, message: "must be one of \(levels.joined(separator: ", "))")
            }
            logLevel = value
        default:
            throw DocumentError(path: origin, message: "unknown configuration key \(key)")
        }
    }

    /// What image intake may spend on one upload.
    var imageLimits: ImageLimits {
        ImageLimits(
            maxBytes: maxImageBytes, maxPixels: maxImagePixels, maxExifBytes: maxExifBytes, storedLongestSide: storedImageLongestSide)
    }

    /// Largest admission body accepted: the image cap grown by base64 (4/3), plus room for metadata.
    var maxAdmissionBodyBytes: Int { maxImageBytes / 3 * 4 + 4 + 1024 * 1024 }
}
