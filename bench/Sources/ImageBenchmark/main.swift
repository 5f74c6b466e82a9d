// Image speed, run by bench/images (which writes docs/benchmarks.md):
//   intake REPEAT FILE...    the whole intake (decode, EXIF, upright, downscale, SHA-256, pHash,
//                            re-encode) over the files, REPEAT times: megapixels per second
//   intake-rate SECONDS THREADS FILE
//                            the same intake of one file on THREADS threads at once for
//                            SECONDS: images per second (what admissions of that photo could
//                            reach if intake were all they did)
//   near-dup COUNT DIR       COUNT stored images with random pHashes; 1,000 searches within
//                            6 bits through the band indexes against a scan of every hash
import Foundation
import GRDB
import Synchronization
import Imaging
import TraingateStore

func seconds(_ duration: Duration) -> Double {
    Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
}

func intake(repeat count: Int, files: [String]) throws {
    let images = try files.map { Array(try Data(contentsOf: URL(fileURLWithPath: $0))) }
    var pixels = 0
    for image in images { let result = try ImageIntake.process(image); pixels += result.width * result.height }  // warm-up
    let start = ContinuousClock.now
    for _ in 0..<count {
        for image in images { _ = try ImageIntake.process(image) }
    }
    let elapsed = seconds(ContinuousClock.now - start)
    print(
        String(
            format: "RESULT images=%d megapixels=%.1f seconds=%.3f mp_per_s=%.1f", images.count * count,
            Double(pixels * count) / 1e6, elapsed, Double(pixels * count) / 1e6 / elapsed))
}

func intakeRate(seconds duration: Double, threads: Int, file: String) throws {
    let image = Array(try Data(contentsOf: URL(fileURLWithPath: file)))
    _ = try ImageIntake.process(image)  // warm-up
    let deadline = ContinuousClock.now + .milliseconds(Int(duration * 1000))
    let counts = Mutex([Int](repeating: 0, count: threads))
    let start = ContinuousClock.now
    DispatchQueue.concurrentPerform(iterations: threads) { thread in
        var done = 0
        while ContinuousClock.now < deadline {
            _ = try? ImageIntake.process(image)
            done += 1
        }
        counts.withLock { $0[thread] = done }
    }
    let elapsed = seconds(ContinuousClock.now - start)
    let images = counts.withLock { $0.reduce(0, +) }
    print(String(format: "RESULT threads=%d images=%d seconds=%.2f images_per_s=%.1f", threads, images, elapsed, Double(images) / elapsed))
}

func nearDuplicates(count: Int, directory: URL) async throws {
    let database = try AppDatabase.open(directory: directory)
    var state: UInt64 = 0x9E37_79B9_7F4A_7C15
    func next() -> UInt64 {
        state ^= state << 13; state ^= state >> 7; state ^= state << 17
        return state
    }
    let hashes = (0..<count).map { _ in next() }
    try await database.writer.write { db in
        for (index, hash) in hashes.enumerated() {
            let bands = PerceptualHashBands.bands(of: hash)
            try db.execute(
                sql: """
                    INSERT INTO image (sha256, content_type, byte_count, bytes, phash, phash_b0, phash_b1, phash_b2, phash_b3)
                    VALUES (?, 'image/jpeg', 1, x'00', ?, ?, ?, ?, ?)
                    """,
                arguments: [String(format: "%064x", index), Int64(bitPattern: hash), bands[0], bands[1], bands[2], bands[3]])
        }
    }
    let store = AdmissionStore(
        database: database, committer: GroupCommitWriter(writer: database.writer), keyring: SubjectKeyring(masterKey: .init(size: .bits256)))
    // Queries: stored hashes with 0-6 bits changed, so every search has an answer to find.
    let queries = (0..<1000).map { index in hashes[index * 37 % count] ^ (index % 7 == 0 ? 0 : 1 << UInt64(index % 64)) }
    var found = 0
    let start = ContinuousClock.now
    for query in queries { found += try await store.similarImages(to: query, distance: 6).count }
    let indexed = seconds(ContinuousClock.now - start) / Double(queries.count)

    let scanQueries = queries.prefix(20)
    var scanned = 0
    let scanStart = ContinuousClock.now
    for query in scanQueries {
        scanned += try await database.writer.read { db in
            try Int64.fetchAll(db, sql: "SELECT phash FROM image").filter { (UInt64(bitPattern: $0) ^ query).nonzeroBitCount <= 6 }.count
        }
    }
    let scan = seconds(ContinuousClock.now - scanStart) / Double(scanQueries.count)
    try database.close()
    print(String(format: "RESULT stored=%d indexed_us=%.1f scan_us=%.1f found=%d", count, indexed * 1e6, scan * 1e6, found))
}

let arguments = CommandLine.arguments
switch arguments.dropFirst().first {
case "intake": try intake(repeat: Int(arguments[2])!, files: Array(arguments.dropFirst(3)))
case "intake-rate": try intakeRate(seconds: Double(arguments[2])!, threads: Int(arguments[3])!, file: arguments[4])
case "near-dup": try await nearDuplicates(count: Int(arguments[2])!, directory: URL(fileURLWithPath: arguments[3]))
default:
    print("usage: ImageBenchmark intake REPEAT FILE... | intake-rate SECONDS THREADS FILE | near-dup COUNT DIR")
    exit(2)
}
