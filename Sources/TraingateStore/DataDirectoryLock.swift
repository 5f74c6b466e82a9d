import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// An exclusive lock on a data directory (`flock` on `traingate.lock`), held by `traingate serve`
/// for as long as it runs and by commands that must not run beside it (a master key rotation).
/// The kernel drops it when the process ends, however it ends.
public final class DataDirectoryLock: Sendable {
    private let descriptor: Int32

    public struct Held: Error, CustomStringConvertible {
        public let directory: String
        public var description: String { "another traingate process (a running server?) holds \(directory)/traingate.lock; stop it first" }
    }

    /// - Throws: `Held` when another process holds it.
    public init(directory: URL) throws {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let path = directory.appendingPathComponent("traingate.lock").path
        let descriptor = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { throw StoreError(code: .writeFailed, description: "cannot open \(path): errno \(errno)") }
        guard flock(descriptor, LOCK_EX | LOCK_NB) == 0 else {
            close(descriptor)
            throw Held(directory: directory.path)
        }
        self.descriptor = descriptor
    }

    deinit {
        close(descriptor)
    }
}
