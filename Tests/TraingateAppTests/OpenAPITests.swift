import Foundation
import Testing
import Yams
@testable import TraingateApp

/// openapi.yaml must describe exactly the routes the server registers.
@Suite struct OpenAPITests {
    @Test func everyRouteIsInTheSpecAndEverySpecRouteExists() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        let text = try String(contentsOf: root.appendingPathComponent("openapi.yaml"), encoding: .utf8)
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
}
