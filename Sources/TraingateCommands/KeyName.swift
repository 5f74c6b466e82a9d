import ArgumentParser

/// What a key's name may be: it is written into decisions and audit entries, and typed in shells.
enum KeyName {
    static let maxLength = 64

    static func validate(_ name: String) throws {
        let allowed = name.unicodeScalars.allSatisfy { scalar in
            scalar.isASCII && (scalar.properties.isAlphabetic || ("0"..."9").contains(scalar) || "._-".unicodeScalars.contains(scalar))
        }
        guard !name.isEmpty, name.count <= maxLength, allowed else {
            throw ValidationError("--name must be 1 to \(maxLength) letters, digits, '.', '_' or '-', got '\(name)'")
        }
    }
}
