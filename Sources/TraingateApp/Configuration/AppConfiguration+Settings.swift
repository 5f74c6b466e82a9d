import StrictDocuments

extension AppConfiguration {
    /// Every setting, in the order `config/traingate.yaml` documents them.
    static let settings: [ConfigurationSetting] = [
        .init(key: "http.host", environment: "TRAINGATE_HOST", flag: "--host", defaultText: "127.0.0.1", help: "address to bind") {
            $0.host = $1
        },
        .init(key: "http.port", environment: "TRAINGATE_PORT", flag: "--port", defaultText: "8080", help: "port to bind (0 picks a free port)") {
            $0.port = try ConfigurationSetting.integer(0...65535, $1)
        },
        .init(
            key: "http.metrics_open_on_loopback", environment: "TRAINGATE_METRICS_OPEN_ON_LOOPBACK", flag: nil, defaultText: "false",
            help: "serve /metrics without a key to clients on 127.0.0.0/8 or ::1 (a local Prometheus scraper); elsewhere it needs a key"
        ) { $0.metricsOpenOnLoopback = try ConfigurationSetting.boolean($1) },
        .init(
            key: "http.metrics_enabled", environment: "TRAINGATE_METRICS_ENABLED", flag: nil, defaultText: "true",
            help: "record metrics and serve them on /metrics (docs/operations.md lists them); false records nothing and /metrics answers 404"
        ) { $0.metricsEnabled = try ConfigurationSetting.boolean($1) },
        .init(
            key: "http.idle_timeout_seconds", environment: "TRAINGATE_IDLE_TIMEOUT_SECONDS", flag: nil, defaultText: "30",
            help:
                "close a connection that sends no complete request head, no body part, and awaits no answer for this long (slow clients, idle keep-alives)"
        ) { $0.idleTimeoutSeconds = try ConfigurationSetting.integer(1...3600, $1) },
        .init(
            key: "http.body_timeout_seconds", environment: "TRAINGATE_BODY_TIMEOUT_SECONDS", flag: nil, defaultText: "60",
            help: "a request body must arrive whole within this long of its head, however it trickles (else the connection is closed)"
        ) { $0.bodyTimeoutSeconds = try ConfigurationSetting.integer(1...3600, $1) },
        .init(
            key: "http.tls_certificate", environment: "TRAINGATE_TLS_CERTIFICATE", flag: "--tls-certificate", defaultText: "",
            help: "PEM certificate chain (server first); with http.tls_key, serves HTTPS only, HTTP/2 or HTTP/1.1 by ALPN; empty = plain HTTP"
        ) { $0.tlsCertificatePath = $1.isEmpty ? nil : $1 },
        .init(
            key: "http.tls_key", environment: "TRAINGATE_TLS_KEY", flag: "--tls-key", defaultText: "",
            help: "PEM private key of http.tls_certificate (keep it 0600, outside the data directory's backups)"
        ) { $0.tlsKeyPath = $1.isEmpty ? nil : $1 },
        .init(
            key: "http.max_connections", environment: "TRAINGATE_MAX_CONNECTIONS", flag: nil, defaultText: "1000",
            help: "connections served at once; more wait in the listen backlog (lowered at start to fit the open-file limit)"
        ) { $0.maxConnections = try ConfigurationSetting.integer(1...1_000_000, $1) },
        .init(
            key: "http.shutdown_grace_seconds", environment: "TRAINGATE_SHUTDOWN_GRACE_SECONDS", flag: nil, defaultText: "30",
            help: "on SIGTERM or SIGINT, how long in-flight requests and the training job may take to finish before they are cut off"
        ) { $0.shutdownGraceSeconds = try ConfigurationSetting.integer(1...3600, $1) },
        .init(
            key: "http.rate_limit_per_key", environment: "TRAINGATE_RATE_LIMIT_PER_KEY", flag: nil, defaultText: "1000",
            help: "requests a second per API key (a token bucket; 429 with Retry-After beyond it); 0 = no limit"
        ) { $0.rateLimitPerKey = try ConfigurationSetting.integer(0...1_000_000, $1) },
        .init(
            key: "http.rate_burst_per_key", environment: "TRAINGATE_RATE_BURST_PER_KEY", flag: nil, defaultText: "2000",
            help: "requests a key may make at once, above its rate, before it is limited"
        ) { $0.rateBurstPerKey = try ConfigurationSetting.integer(1...10_000_000, $1) },
        .init(
            key: "http.max_requests_in_flight", environment: "TRAINGATE_MAX_REQUESTS_IN_FLIGHT", flag: nil, defaultText: "512",
            help: "requests handled at once, /healthz and /readyz excepted (503 with Retry-After beyond it)"
        ) { $0.maxRequestsInFlight = try ConfigurationSetting.integer(1...1_000_000, $1) },
        .init(
            key: "data.dir", environment: "TRAINGATE_DATA_DIR", flag: "--data-dir", defaultText: "./data",
            help: "traingate.sqlite and keys/ live here"
        ) {
            $0.dataDirectory = $1
        },
        .init(
            key: "policy.path", environment: "TRAINGATE_POLICY", flag: "--policy", defaultText: "",
            help: "a policy YAML file; empty = the compiled-in default"
        ) {
            $0.policyPath = $1.isEmpty ? nil : $1
        },
        .init(
            key: "policy.established_in", environment: "TRAINGATE_ESTABLISHED_IN", flag: "--established-in", defaultText: "",
            help:
                "regimes the operator is established in, a list or comma-separated (e.g. EU), or none; empty = the policy's controller.established_in"
        ) {
            let labels = $1.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
            $0.establishedIn = $1.isEmpty ? nil : labels == ["none"] ? [] : labels
        },
        .init(
            key: "limits.max_metadata_bytes", environment: "TRAINGATE_MAX_METADATA_BYTES", flag: nil, defaultText: "65536",
            help:
                "an admission's metadata (its JSON but image_base64, or its multipart metadata part), and any body of a route that takes no image (training jobs); more gets 413"
        ) { $0.maxMetadataBytes = try ConfigurationSetting.integer(1024...(16 << 20), $1) },
        .init(
            key: "limits.max_multipart_parts", environment: "TRAINGATE_MAX_MULTIPART_PARTS", flag: nil, defaultText: "8",
            help: "parts in one multipart admission (it needs 2: metadata and image); more gets 413 as soon as they are counted"
        ) { $0.maxMultipartParts = try ConfigurationSetting.integer(2...1000, $1) },
        .init(
            key: "limits.memory_budget_bytes", environment: "TRAINGATE_MEMORY_BUDGET_BYTES", flag: nil, defaultText: "1073741824",
            help:
                "1 GiB: memory request bodies and image decoding may hold at once, over all requests; beyond it 503 with Retry-After (a single request that could never fit: 413)"
        ) { $0.memoryBudgetBytes = try ConfigurationSetting.integer((16 << 20)...(1 << 40), $1) },
        .init(
            key: "limits.max_image_bytes", environment: "TRAINGATE_MAX_IMAGE_BYTES", flag: nil, defaultText: "20971520",
            help: "20 MiB; larger images get 413"
        ) {
            $0.maxImageBytes = try ConfigurationSetting.integer(1...(1 << 30), $1)
        },
        .init(
            key: "limits.max_image_pixels", environment: "TRAINGATE_MAX_IMAGE_PIXELS", flag: nil, defaultText: "40000000",
            help: "width × height, read from the header before decoding; more gets 413"
        ) { $0.maxImagePixels = try ConfigurationSetting.integer(1...1_000_000_000, $1) },
        .init(
            key: "limits.max_exif_bytes", environment: "TRAINGATE_MAX_EXIF_BYTES", flag: nil, defaultText: "65536",
            help: "largest EXIF block; larger gets 413"
        ) {
            $0.maxExifBytes = try ConfigurationSetting.integer(0...(16 << 20), $1)
        },
        .init(
            key: "limits.max_batch_lines", environment: "TRAINGATE_MAX_BATCH_LINES", flag: nil, defaultText: "1000",
            help: "lines per POST /v1/admissions/batch"
        ) {
            $0.maxBatchLines = try ConfigurationSetting.integer(1...100_000, $1)
        },
        .init(
            key: "limits.max_batch_bytes", environment: "TRAINGATE_MAX_BATCH_BYTES", flag: nil, defaultText: "67108864",
            help: "64 MiB per batch body; larger batches get 413"
        ) { $0.maxBatchBytes = try ConfigurationSetting.integer(1...(1 << 34), $1) },
        .init(
            key: "images.stored_longest_side", environment: "TRAINGATE_STORED_IMAGE_SIDE", flag: nil, defaultText: "256",
            help: "the stored copy is re-encoded with no metadata, at most this many pixels on its longest side"
        ) { $0.storedImageLongestSide = try ConfigurationSetting.integer(8...4096, $1) },
        .init(
            key: "images.near_duplicate_distance", environment: "TRAINGATE_NEAR_DUPLICATE_DISTANCE", flag: nil, defaultText: "6",
            help: "a photo within this many bits (of 64) of an erased one's pHash is ERASED_CONTENT (0-12)"
        ) { $0.nearDuplicateDistance = try ConfigurationSetting.integer(0...12, $1) },
        .init(
            key: "training.blas_threads", environment: "TRAINGATE_TRAINING_BLAS_THREADS", flag: nil, defaultText: "1",
            help: "OpenBLAS threads of the training worker (1-256); more trains faster but takes cores from admissions"
        ) { $0.trainingBLASThreads = try ConfigurationSetting.integer(1...256, $1) },
        .init(
            key: "training.thread_nice", environment: "TRAINGATE_TRAINING_THREAD_NICE", flag: nil, defaultText: "19",
            help: "nice value of the training thread (0-19); 19 lets admissions win contended cores"
        ) { $0.trainingThreadNice = try ConfigurationSetting.integer(0...19, $1) },
        .init(
            key: "training.max_images", environment: "TRAINGATE_TRAINING_MAX_IMAGES", flag: nil, defaultText: "100000",
            help: "most images one job takes from the queue, oldest first (each holds 3 x image_size^2 floats while it runs)"
        ) { $0.trainingMaxImages = try ConfigurationSetting.integer(2...10_000_000, $1) },
        .init(
            key: "training.max_queued_jobs", environment: "TRAINGATE_TRAINING_MAX_QUEUED_JOBS", flag: nil, defaultText: "16",
            help: "jobs that may wait for the trainer; beyond it POST /v1/training/jobs answers 409 (each job is an audit entry forever)"
        ) { $0.trainingMaxQueuedJobs = try ConfigurationSetting.integer(1...10_000, $1) },
        .init(
            key: "storage.url", environment: "TRAINGATE_STORAGE_URL", flag: "--storage-url", defaultText: "",
            help:
                "postgres://user@host:port/database?sslmode=require for a PostgreSQL store shared by several instances (password from PGPASSWORD; docs/postgres.md); empty = SQLite in data.dir"
        ) { $0.storageURL = $1.isEmpty ? nil : $1 },
        .init(
            key: "storage.postgres_connections", environment: "TRAINGATE_POSTGRES_CONNECTIONS", flag: nil, defaultText: "8",
            help: "connections this instance opens to PostgreSQL at most (1-1000), besides one for the training lead; unused with SQLite"
        ) { $0.postgresConnections = try ConfigurationSetting.integer(1...1000, $1) },
        .init(
            key: "storage.group_commit_max_batch", environment: "TRAINGATE_GROUP_COMMIT_MAX_BATCH", flag: nil, defaultText: "512",
            help: "most admissions per transaction"
        ) { $0.groupCommitMaxBatch = try ConfigurationSetting.integer(1...10_000, $1) },
        .init(
            key: "storage.checkpoint_interval_ms", environment: "TRAINGATE_CHECKPOINT_INTERVAL_MS", flag: nil, defaultText: "2000",
            help:
                "ms between background copies of the WAL into the database (50-60000); each fsyncs the database file, and commits wait behind that fsync"
        ) { $0.checkpointIntervalMilliseconds = try ConfigurationSetting.integer(50...60_000, $1) },
        .init(
            key: "storage.wal_rewind_pages", environment: "TRAINGATE_WAL_REWIND_PAGES", flag: nil, defaultText: "65536",
            help:
                "WAL size in pages (4 KiB) above which the writer rewinds the log between two group commits (16-1048576); small values only for stress tests"
        ) { $0.walRewindPages = try ConfigurationSetting.integer(16...1_048_576, $1) },
        .init(
            key: "audit.anchor_interval_seconds", environment: "TRAINGATE_AUDIT_ANCHOR_INTERVAL", flag: nil, defaultText: "10",
            help: "seconds between records of the chain head in data/audit-anchors.jsonl (1-86400)"
        ) { $0.auditAnchorIntervalSeconds = try ConfigurationSetting.integer(1...86_400, $1) },
        .init(
            key: "audit.verify_interval_seconds", environment: "TRAINGATE_AUDIT_VERIFY_INTERVAL", flag: nil, defaultText: "3600",
            help:
                "seconds between the service's own verifications of the whole audit chain (0-604800; 0 = none), reported in /metrics; the first runs at start"
        ) { $0.auditVerifyIntervalSeconds = try ConfigurationSetting.integer(0...604_800, $1) },
        .init(
            key: "security.master_key", environment: "TRAINGATE_MASTER_KEY", flag: nil, defaultText: "",
            help: "64 hex characters; empty = data/keys/master.key (created 0600)"
        ) {
            guard Hex.decode($1)?.count == 32 else { throw ConfigurationSetting.SettingError(message: "must be 64 hex characters (a 256-bit key)") }
            guard $0.masterKeyFile == nil else { throw MasterKeyFile.twoSources }
            $0.masterKeyHex = $1
        },
        .init(
            key: "security.master_key_file", environment: "TRAINGATE_MASTER_KEY_FILE", flag: nil, defaultText: "",
            help:
                "a file holding the master key as 64 hex characters (a Kubernetes Secret volume, a systemd credential), not readable by others; instead of security.master_key"
        ) {
            guard !$1.isEmpty else { return }
            guard $0.masterKeyHex == nil || $0.masterKeyFile != nil else { throw MasterKeyFile.twoSources }
            $0.masterKeyHex = try MasterKeyFile.configuredKeyText(path: $1)
            $0.masterKeyFile = $1
        },
        .init(
            key: "log.level", environment: "TRAINGATE_LOG_LEVEL", flag: nil, defaultText: "info",
            help: "trace, debug, info, notice, warning, error, critical"
        ) { $0.logLevel = try ConfigurationSetting.oneOf(["trace", "debug", "info", "notice", "warning", "error", "critical"], $1) },
        .init(
            key: "log.format", environment: "TRAINGATE_LOG_FORMAT", flag: nil, defaultText: "text",
            help: "text (one readable line per event) or json (one JSON object per line, for a log shipper)"
        ) { $0.logFormat = try ConfigurationSetting.oneOf(["text", "json"], $1) },
    ]

    /// The text of `config/traingate.yaml`: every setting under its section with its default,
    /// its environment variable, its flag and its line of documentation (a test holds the file to it).
    public static var documentedYAML: String {
        var lines = [
            "# traingate configuration. Every key is optional; the values below are the defaults.",
            "# Precedence, highest first: command-line flags, environment variables, this file, defaults.",
            "# Use it with: traingate serve --config config/traingate.yaml",
            "# Generated from the settings table (Sources/TraingateApp/Configuration/AppConfiguration+Settings.swift):",
            "# traingate config example > config/traingate.yaml",
        ]
        var section = ""
        for setting in settings {
            if setting.section != section {
                section = setting.section
                lines += ["", "\(section):"]
            }
            let entry = "  \(setting.name): \(setting.defaultText)"
            let origin = ([setting.environment] + (setting.flag.map { [$0] } ?? [])).joined(separator: ", ")
            lines.append(entry.padding(toLength: max(entry.count + 1, 34), withPad: " ", startingAt: 0) + "# \(origin): \(setting.help)")
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
