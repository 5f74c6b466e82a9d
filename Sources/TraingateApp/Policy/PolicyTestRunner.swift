import Foundation
import Imaging
import PolicyEngine
import StrictDocuments

/// Runs a policy test file (`traingate policy test PATH`, and the test suite): each case is an
/// admission body, a time and the expected decision, evaluated exactly as the server would
/// (same request parser, same GPS resolution, same engine) but without storage.
public struct PolicyTestRunner {
    public struct Outcome: Sendable {
        public let name: String
        /// The reason codes the case expects, in order.
        public let expectedReasons: [String]
        /// Lines describing each mismatch; empty when the case passed.
        public let differences: [String]
        public var passed: Bool { differences.isEmpty }
    }

    private let positions = PositionResolver()

    public init() {}

    /// - Throws: `DocumentError` when the file itself is malformed (with line and key).
    public func run(file path: String) throws -> [Outcome] {
        let text = try String(contentsOfFile: path, encoding: .utf8)
        let root = try YAMLValue.parse(text, documentName: path)
        let top = try root.mapping(allowed: ["policy", "cases"], required: ["cases"])
        let basePolicy =
            try top["policy"].map { value in
                let relative = try value.string()
                let resolved = URL(fileURLWithPath: path).deletingLastPathComponent().appendingPathComponent(relative).path
                return try PolicySource.load(path: relative.hasPrefix("/") ? relative : resolved)
            } ?? DefaultPolicy.policy
        var names = Set<String>()
        return try top["cases"]!.sequence().map { item in
            let fields = try item.mapping(
                allowed: ["name", "now", "controller", "options", "environment", "image", "input", "expect"],
                required: ["name", "now", "input", "expect"])
            let name = try fields["name"]!.string()
            guard names.insert(name).inserted else { throw fields["name"]!.error("duplicate case name '\(name)'") }
            return try runCase(name: name, fields: fields, basePolicy: basePolicy)
        }
    }

    private func runCase(name: String, fields: [String: YAMLValue], basePolicy: Policy) throws -> Outcome {
        let nowValue = fields["now"]!
        guard let now = Timestamp.parse(try nowValue.string()) else { throw nowValue.error("is not an RFC 3339 timestamp") }
        var policy = try fields["options"].map { try PolicyLoader.overriding(basePolicy, with: $0) } ?? basePolicy
        if let controller = fields["controller"] { policy = try PolicyLoader.overriding(policy, controller: controller) }
        var environment = EvaluationEnvironment(now: now)
        if let value = fields["environment"] {
            let flags = try value.mapping(allowed: ["objection_registered", "content_erased"])
            environment.objectionRegistered = try flags["objection_registered"]?.bool() ?? false
            environment.contentErased = try flags["content_erased"]?.bool() ?? false
        }
        // What the image file carries, stated as the file would: plus:DataMining codes, C2PA entries.
        var rights = EmbeddedRights()
        if let value = fields["image"] {
            let image = try value.mapping(allowed: ["xmp_data_mining", "c2pa_training_mining"])
            rights = EmbeddedRightsReader.rights(
                xmpDataMining: try image["xmp_data_mining"]?.sequence().map { try $0.string() } ?? [],
                c2paEntries: try image["c2pa_training_mining"]?.json())
        }
        let expect = try fields["expect"]!.mapping(
            allowed: ["decision", "reasons", "jurisdictions", "articles"], required: ["decision"])
        let expectedDecision = try expect["decision"]!.string()
        let expectedReasons = try expect["reasons"]?.sequence().map { try $0.string() } ?? []
        let expectedJurisdictions = try expect["jurisdictions"]?.sequence().map { try $0.string() }
        let expectedArticles = try expect["articles"]?.entries().map { ($0.key, try $0.value.string()) } ?? []

        let request: AdmissionRequest
        switch AdmissionRequestParser.parse(try fields["input"]!.json(), allowImageField: false, now: now) {
        case .failure(let failure):
            return Outcome(
                name: name, expectedReasons: expectedReasons, differences: failure.errors.map { "input is invalid: \($0)" })
        case .success(let parsed):
            request = parsed
        }
        let positionSignals =
            request.gps.map {
                positions.signals(for: $0, source: .gps, borderDistanceKm: policy.options.gpsBorderDistanceKm)
            } ?? []
        var facts = request.facts(positionSignals: positionSignals)
        facts.rightsReservations = rights.reservations.map(RightsReservation.init)
        let decision = Evaluator.evaluate(policy, facts: facts, environment: environment)

        var differences: [String] = []
        if decision.verdict.rawValue != expectedDecision {
            differences.append("decision: expected \(expectedDecision), got \(decision.verdict.rawValue)")
        }
        let codes = decision.reasonCodes.map(\.rawValue)
        if codes != expectedReasons {
            differences.append("reasons: expected \(expectedReasons), got \(codes)")
            for reason in decision.reasons { differences.append("  \(reason.code.rawValue): \(reason.message)") }
        }
        if let expectedJurisdictions, expectedJurisdictions != decision.jurisdictions {
            differences.append("jurisdictions: expected \(expectedJurisdictions), got \(decision.jurisdictions)")
        }
        for (code, article) in expectedArticles {
            let cited = decision.reasons.first { $0.code.rawValue == code }?.article
            if cited != article { differences.append("article of \(code): expected '\(article)', got '\(cited ?? "no such reason")'") }
        }
        return Outcome(name: name, expectedReasons: expectedReasons, differences: differences)
    }
}
