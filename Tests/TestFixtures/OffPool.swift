import Foundation

/// Runs blocking work (a child process and its wait, a file system filled byte by byte) on a
/// thread of its own: the cooperative pool has one thread per core, two here, and a test that
/// blocks them stalls every server and client of the tests running beside it.
public enum OffPool {
    public static func run<Result: Sendable>(_ body: @escaping @Sendable () throws -> Result) async throws -> Result {
        try await withCheckedThrowingContinuation { continuation in
            Thread { continuation.resume(with: Swift.Result { try body() }) }.start()
        }
    }
}
