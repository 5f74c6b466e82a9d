import Foundation

/// A strict reader of Prometheus's text exposition format (version 0.0.4), for tests: it
/// parses a scrape into samples and lists every way the scrape breaks the format or the
/// naming conventions (https://prometheus.io/docs/practices/naming/), so a test can insist
/// on none.
struct PrometheusExposition {
    struct Sample: Equatable {
        let name: String
        let labels: [String: String]
        let value: Double
    }

    private(set) var types: [String: String] = [:]
    private(set) var helps: [String: String] = [:]
    private(set) var samples: [Sample] = []
    private(set) var problems: [String] = []

    init(_ text: String) {
        for line in text.split(separator: "\n", omittingEmptySubsequences: true).map(String.init) {
            if line.hasPrefix("# HELP ") {
                let rest = line.dropFirst(7)
                let name = String(rest.prefix { $0 != " " })
                helps[name] = String(rest.dropFirst(name.count + 1))
            } else if line.hasPrefix("# TYPE ") {
                let parts = line.dropFirst(7).split(separator: " ").map(String.init)
                guard parts.count == 2 else {
                    problems.append("bad TYPE line: \(line)")
                    continue
                }
                if types[parts[0]] != nil { problems.append("\(parts[0]) has two TYPE lines") }
                types[parts[0]] = parts[1]
            } else if line.hasPrefix("#") {
                continue
            } else if let sample = Self.sample(line) {
                samples.append(sample)
            } else {
                problems.append("unparsable sample: \(line)")
            }
        }
        checkConventions()
    }

    /// The value of the one sample named `name` whose labels include `labels`.
    func value(_ name: String, _ labels: [String: String] = [:]) -> Double? {
        let matching = samples.filter { sample in sample.name == name && labels.allSatisfy { sample.labels[$0.key] == $0.value } }
        return matching.count == 1 ? matching[0].value : nil
    }

    /// Every sample of the family `name` (a histogram's `_bucket`, `_sum` and `_count` included).
    func family(_ name: String) -> [Sample] {
        samples.filter { Self.familyName(of: $0.name, types: types) == name }
    }

    // MARK: Parsing

    private static func sample(_ line: String) -> Sample? {
        var rest = Substring(line)
        let name = String(rest.prefix { $0.isLetter || $0.isNumber || $0 == "_" || $0 == ":" })
        guard !name.isEmpty else { return nil }
        rest = rest.dropFirst(name.count)
        var labels: [String: String] = [:]
        if rest.first == "{" {
            rest = rest.dropFirst()
            while rest.first != "}" {
                let key = String(rest.prefix { $0 != "=" })
                rest = rest.dropFirst(key.count)
                guard rest.hasPrefix("=\"") else { return nil }
                rest = rest.dropFirst(2)
                var value = ""
                while let character = rest.first, character != "\"" {
                    rest = rest.dropFirst()
                    if character == "\\", let escaped = rest.first {
                        rest = rest.dropFirst()
                        value.append(escaped == "n" ? "\n" : escaped)
                    } else {
                        value.append(character)
                    }
                }
                guard rest.first == "\"" else { return nil }
                rest = rest.dropFirst()
                guard labels[key] == nil else { return nil }
                labels[key] = value
                if rest.first == "," { rest = rest.dropFirst() }
                guard !rest.isEmpty else { return nil }
            }
            rest = rest.dropFirst()
        }
        guard rest.first == " " else { return nil }
        let fields = rest.dropFirst().split(separator: " ")
        guard (1...2).contains(fields.count), let value = Self.number(String(fields[0])) else { return nil }
        return Sample(name: name, labels: labels, value: value)
    }

    private static func number(_ text: String) -> Double? {
        switch text {
        case "+Inf": .infinity
        case "-Inf": -.infinity
        case "NaN": .nan
        default: Double(text)
        }
    }

    private static func familyName(of sample: String, types: [String: String]) -> String {
        for suffix in ["_bucket", "_sum", "_count"] where sample.hasSuffix(suffix) {
            let base = String(sample.dropLast(suffix.count))
            if types[base] == "histogram" || types[base] == "summary" { return base }
        }
        return sample
    }

    // MARK: Conventions

    private mutating func checkConventions() {
        let namePattern = /[a-zA-Z_:][a-zA-Z0-9_:]*/
        let labelPattern = /[a-zA-Z_][a-zA-Z0-9_]*/
        for sample in samples {
            let family = Self.familyName(of: sample.name, types: types)
            guard let type = types[family] else {
                problems.append("\(sample.name) has no TYPE line")
                continue
            }
            if (helps[family] ?? "").isEmpty { problems.append("\(family) has no HELP text") }
            if sample.name.wholeMatch(of: namePattern) == nil { problems.append("\(sample.name) is not a valid metric name") }
            for key in sample.labels.keys where key.wholeMatch(of: labelPattern) == nil || key.hasPrefix("__") {
                problems.append("\(sample.name) has an invalid label name \(key)")
            }
            if type == "counter", !family.hasSuffix("_total") { problems.append("counter \(family) does not end in _total") }
            if type != "counter", family.hasSuffix("_total") { problems.append("\(type) \(family) ends in _total") }
            if sample.value.isNaN || (type != "histogram" && sample.value.isInfinite) {
                problems.append("\(sample.name) has the value \(sample.value)")
            }
            if type == "counter", sample.value < 0 { problems.append("counter \(sample.name) is negative") }
            for unit in ["milliseconds", "_ms", "bytes_kb", "minutes"] where family.contains(unit) {
                problems.append("\(family) is not in a base unit")
            }
        }
        for (family, type) in types where type == "histogram" { checkHistogram(family) }
    }

    /// Buckets ascend to `+Inf`, their counts never fall, and `+Inf`'s equals `_count`, per series.
    private mutating func checkHistogram(_ family: String) {
        var series: [[String: String]: [(le: Double, count: Double)]] = [:]
        var counts: [[String: String]: Double] = [:]
        for sample in samples {
            if sample.name == family + "_bucket" {
                guard let bound = sample.labels["le"].flatMap(Self.number) else {
                    problems.append("\(family) has a bucket without a numeric le")
                    continue
                }
                series[sample.labels.filter { $0.key != "le" }, default: []].append((bound, sample.value))
            } else if sample.name == family + "_count" {
                counts[sample.labels] = sample.value
            }
        }
        for (labels, buckets) in series {
            if buckets.map(\.le) != buckets.map(\.le).sorted() { problems.append("\(family)\(labels) buckets do not ascend") }
            if buckets.last?.le != .infinity { problems.append("\(family)\(labels) has no +Inf bucket") }
            if zip(buckets, buckets.dropFirst()).contains(where: { $0.count > $1.count }) {
                problems.append("\(family)\(labels) bucket counts fall")
            }
            if buckets.last?.count != counts[labels] { problems.append("\(family)\(labels) +Inf bucket differs from _count") }
        }
    }
}
