import Foundation
import Testing
import Yams
@testable import TraingateApp
import TraingateTesting
import TestFixtures

/// openapi.yaml must describe exactly the routes the server registers.
@Suite struct OpenAPITests {
    @Test func everyRouteIsInTheSpecAndEverySpecRouteExists() throws {
        let text = try String(contentsOf: Repository.root.appendingPathComponent("openapi.yaml"), encoding: .utf8)
        let spec = try #require(try Yams.load(yaml: text) as? [String: Any])
        #expect((spec["openapi"] as? String)?.hasPrefix("3.1") == true)
        let paths = try #require(spec["paths"] as? [String: Any])
        let methods: Set<String> = ["get", "post", "put", "patch", "delete", "head", "options"]
        var documented = Set<String>()
        for (path, item) in paths {
            for key in (item as? [String: Any] ?? [:]).keys where methods.contains(key) {
                documented.insert("\(key.uppercased()) \(path)")
            }
        }
        let (traingate, directory) = try TestApp.make()
        defer { try? FileManager.default.removeItem(at: directory) }
        let registered = Set(traingate.routes.map { "\($0.method) \($0.path)" })
        #expect(registered.subtracting(documented).sorted() == [], "routes missing from openapi.yaml")
        #expect(documented.subtracting(registered).sorted() == [], "openapi.yaml names routes that do not exist")
        #expect(registered.count >= 8)
    }

    /// Each operation's `x-roles` are the roles its route is registered with; operations open to
    /// anyone say `security: []`, every other one needs the bearer key (the spec's default),
    /// and documents the 401 and 403 answers.
    @Test func theSpecsRolesAreTheRouteTablesRoles() throws {
        let text = try String(contentsOf: Repository.root.appendingPathComponent("openapi.yaml"), encoding: .utf8)
        let spec = try #require(try Yams.load(yaml: text) as? [String: Any])
        let schemes = (spec["components"] as? [String: Any])?["securitySchemes"] as? [String: Any]
        #expect((schemes?["apiKey"] as? [String: Any])?["scheme"] as? String == "bearer")
        #expect((spec["security"] as? [[String: Any]])?.first?.keys.first == "apiKey")
        let paths = try #require(spec["paths"] as? [String: [String: Any]])
        let (traingate, directory) = try TestApp.make()
        defer { try? FileManager.default.removeItem(at: directory) }
        for route in traingate.accessMap {
            let operation = try #require(paths[route.path]?[route.method.lowercased()] as? [String: Any], "\(route.method) \(route.path)")
            let documented = try #require(operation["x-roles"] as? [String], "\(route.method) \(route.path) has no x-roles")
            #expect(documented == route.roles.map(\.rawValue), "\(route.method) \(route.path)")
            let responses = operation["responses"] as? [String: Any] ?? [:]
            if route.roles == [.anyone] {
                #expect((operation["security"] as? [Any])?.isEmpty == true, "\(route.method) \(route.path) should be open")
            } else {
                #expect(operation["security"] == nil, "\(route.method) \(route.path) should need a key")
                #expect(responses["401"] != nil && responses["403"] != nil, "\(route.method) \(route.path) answers 401 and 403")
            }
        }
    }

    /// The route table reads as the access map the security issue will enforce: probes are open,
    /// each family of routes names its role, and nothing is left to a default.
    @Test func everyRouteNamesTheRolesThatMayCallIt() throws {
        let (traingate, directory) = try TestApp.make()
        defer { try? FileManager.default.removeItem(at: directory) }
        let map = Dictionary(uniqueKeysWithValues: traingate.accessMap.map { ("\($0.method) \($0.path)", Set($0.roles)) })
        #expect(map["GET /healthz"] == [.anyone] && map["GET /readyz"] == [.anyone])
        #expect(map["POST /v1/admissions"] == [.submitter] && map["POST /v1/admissions/batch"] == [.submitter])
        #expect(map.filter { $0.key.contains("/v1/audit") }.values.allSatisfy { $0 == [.auditor] })
        #expect(map.filter { $0.key.contains("/v1/training") || $0.key.contains("/v1/embeddings") }.values.allSatisfy { $0 == [.trainer] })
        #expect(map.values.allSatisfy { !$0.isEmpty })
    }
}
