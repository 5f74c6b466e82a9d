import StrictDocuments

extension FieldErrors {
    mutating func country(_ value: JSONValue?, at field: String) -> CountryCode? {
        guard let text = string(value, at: field, length: 1...8) else { return nil }
        guard let code = CountryCode(text) else {
            add(field, "'\(text)' is not an officially assigned ISO 3166-1 alpha-2 country code in upper case (e.g. FR, GB)")
            return nil
        }
        return code
    }
}
