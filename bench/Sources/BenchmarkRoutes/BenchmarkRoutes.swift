import Foundation
import Hummingbird
import Logging
import StrictDocuments
import TraingateApp

/// The baselines of bench/admissions, mounted on the real app so that they run in the same
/// server, the same process and the same run as the admissions they are measured against.
///
/// Each route does a prefix of an admission's work, so that one benchmark run shows what each
/// stage costs:
/// - `POST /_bench/noop` reads the body and answers at once (HTTP, NIO and the kernel only);
/// - `POST /_bench/floor` also does the least storage work an admission can do, durably, in a
///   scratch database (`BenchmarkFloor`): insert an audit row and a decision row whose
///   idempotency key is checked by its unique index;
/// - `POST /_bench/parse` also decodes and validates the admission request;
/// - `POST /_bench/decide` also decides it and builds the write (pseudonym, sealed facts,
///   request hash), then answers the decision without recording anything.
public struct BenchmarkRoutes: ApplicationExtension {
    let logger: Logger

    public init(logger: Logger = Logger(label: "traingate.bench")) {
        self.logger = logger
    }

    public func mount(_ mount: inout ApplicationMount) throws {
        let configuration = mount.configuration
        let maxBodyBytes = configuration.maxAdmissionBodyBytes
        let floor = try BenchmarkFloor.open(
            directory: URL(fileURLWithPath: configuration.dataDirectory), maxBatchSize: configuration.groupCommitMaxBatch,
            checkpointInterval: .milliseconds(configuration.checkpointIntervalMilliseconds))
        for service in floor.services(logger: logger) { mount.addService(service) }
        let stages = mount.admissionStages

        mount.route(.post, "/_bench/noop", allowing: [.admin]) { request, _ in
            let body = try await request.body.collect(upTo: maxBodyBytes)
            return try Self.encoded(["bytes": body.readableBytes])
        }
        mount.route(.post, "/_bench/floor", allowing: [.admin]) { request, _ in
            let body = try await request.body.collect(upTo: maxBodyBytes)
            let seq = try await floor.record(Array(body.readableBytesView))
            return try Self.encoded(["bytes": body.readableBytes, "seq": Int(seq)])
        }
        mount.route(.post, "/_bench/parse", allowing: [.admin]) { request, _ in
            Self.json(["image_id": .string(try await stages.decode(request))])
        }
        mount.route(.post, "/_bench/decide", allowing: [.admin]) { request, _ in
            let decided = try await stages.decide(request)
            return Self.json(["decision": .string(decided.verdict), "request_hash": .string(decided.requestHash)])
        }
    }

    /// The answers are written as they were when these routes lived in the app (the same bytes,
    /// the same writers), so that a build can be compared with an earlier one: the no-op and the
    /// floor through `JSONEncoder`, the stages through the canonical writer.
    private static func encoded(_ fields: [String: Int]) throws -> Response {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return answer(Array(try encoder.encode(fields)))
    }

    private static func json(_ fields: [String: JSONValue]) -> Response {
        answer(CanonicalJSON.encode(.object(fields)))
    }

    private static func answer(_ bytes: [UInt8]) -> Response {
        Response(
            status: .ok, headers: [.contentType: "application/json; charset=utf-8"], body: ResponseBody(byteBuffer: ByteBuffer(bytes: bytes)))
    }
}
