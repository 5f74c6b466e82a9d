import Foundation
import PolicyEngine
import StrictDocuments

/// Where the active policy comes from: a file when configured, else the one compiled in.
enum PolicySource {
    static func load(path: String?) throws -> Policy {
        guard let path else { return DefaultPolicy.policy }
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw DocumentError(path: "", message: "cannot read policy file \(path): \(error.localizedDescription)")
        }
        do {
            return try PolicyLoader.load(yaml: text)
        } catch let error as DocumentError {
            throw DocumentError(path: error.path, line: error.line, message: "\(path): \(error.message)")
        }
    }
}
