import StrictDocuments

/// One setting of `traingate serve`, declared once: its YAML key, its environment variable, its
/// flag, its default as written in the config file, one line of documentation, and how a value
/// is checked and applied. Loading, environment overrides, validation errors and the text of
/// `config/traingate.yaml` all come from `AppConfiguration.settings`.
struct ConfigurationSetting: Sendable {
    /// `section.name`, e.g. `http.port`.
    let key: String
    let environment: String
    /// The `serve` flag that sets it, if any.
    let flag: String?
    /// The default as the config file shows it (empty for "not set").
    let defaultText: String
    let help: String
    /// Checks `value` and stores it; throws a message naming the accepted values.
    let apply: @Sendable (inout AppConfiguration, String) throws -> Void

    var section: String { String(key.prefix { $0 != "." }) }
    var name: String { String(key.drop { $0 != "." }.dropFirst()) }

    /// The value is refused; `message` says what is accepted.
    struct SettingError: Error {
        let message: String
    }

    static func integer(_ range: ClosedRange<Int>, _ text: String) throws -> Int {
        guard let number = Int(text), range.contains(number) else {
            throw SettingError(message: "must be an integer in \(range.lowerBound)...\(range.upperBound), got '\(text)'")
        }
        return number
    }

    static func boolean(_ text: String) throws -> Bool {
        guard let flag = Bool(text.lowercased()) else { throw SettingError(message: "must be true or false, got '\(text)'") }
        return flag
    }

    static func oneOf(_ choices: [String], _ text: String) throws -> String {
        guard choices.contains(text) else { throw SettingError(message: "must be one of \(choices.joined(separator: ", "))") }
        return text
    }
}
