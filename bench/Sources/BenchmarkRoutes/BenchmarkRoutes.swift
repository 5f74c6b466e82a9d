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
            return Self.json(["bytes": .number(Double(body.readableBytes))])
        }
        mount.route(.post, "/_bench/floor", allowing: [.admin]) { request, _ in
            let body = try await request.body.collect(upTo: maxBodyBytes)
            let seq = try await floor.record(Array(body.readableBytesView))
            return Self.json(["bytes": .number(Double(body.readableBytes)), "seq": .number(Double(seq))])
        }
        mount.route(.post, "/_bench/parse", allowing: [.admin]) { request, _ in
            Self.json(["image_id": .string(try await stages.decode(request))])
        }
        mount.route(.post, "/_bench/decide", allowing: [.admin]) { request, _ in
            let decided = try await stages.decide(request)
            return Self.json(["decision": .string(decided.verdict), "request_hash": .string(decided.requestHash)])
        }
    }

    /// A small JSON answer (`200 OK`), written as the app writes its own answers (canonical
    /// JSON), so that the baselines pay what a real answer pays and no more.
    private static func json(_ fields: [String: JSONValue]) -> Response {
        Response(
            status: .ok, headers: [.contentType: "application/json"],
            body: ResponseBody(byteBuffer: ByteBuffer(bytes: CanonicalJSON.encode(.object(fields)))))
    }
}
