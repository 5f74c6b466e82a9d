import Foundation

// Microseconds per parse of a typical admission body (and of one with a 196 KB image in
// base64), strict parser against the Foundation baseline, interleaved in rounds so that both
// see the same machine. Prints one line per round and side: "round side body µs".
let admission = Array(
    #"{"image_id":"ig_12345","source":"instagram","subject":{"id":"user-1","account_country":"US","age":34},"visibility":"public","captured_at":"2026-11-28T12:00:00Z","special_categories":[],"signals":{"gps":{"lat":40.7128,"lon":-74.006},"ip_country":"US"},"consent":{"basis":"legitimate_interest"}}"#
        .utf8)
let imageText = Data((0..<196_653).map { UInt8(truncatingIfNeeded: $0 &* 2_654_435_761 >> 13) }).base64EncodedString()
let withImage = Array(#"{"image_id":"ig_2","subject":{"id":"u"},"visibility":"public","image_base64":"\#(imageText)"}"#.utf8)
let rounds = Int(CommandLine.arguments.dropFirst().first ?? "") ?? 5

func microseconds(_ iterations: Int, _ body: () throws -> Void) rethrows -> Double {
    let start = ContinuousClock.now
    for _ in 0..<iterations { try body() }
    let elapsed = ContinuousClock.now - start
    return (Double(elapsed.components.seconds) * 1e6 + Double(elapsed.components.attoseconds) / 1e12) / Double(iterations)
}

for round in 1...rounds {
    for (name, body, iterations) in [("admission", admission, 50_000), ("image", withImage, 300)] {
        let baseline = try microseconds(iterations) { _ = try FoundationBaseline.parse(body) }
        let strict = try microseconds(iterations) { _ = try JSONValue.parse(body) }
        print("\(round) foundation \(name) \(String(format: "%.2f", baseline))")
        print("\(round) strict \(name) \(String(format: "%.2f", strict))")
    }
}
