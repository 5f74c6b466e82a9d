import Foundation
import TestFixtures

#if canImport(Glibc)
    import Glibc
#endif

/// Connections to a local port that are opened and then left silent, as a client that
/// exhausts a server's connections would.
final class IdleSockets {
    private var descriptors: [Int32] = []

    init(port: Int, count: Int) throws {
        for _ in 0..<count { descriptors.append(try LoopbackSocket.connect(port: port)) }
    }

    func closeAll() {
        for fd in descriptors { close(fd) }
        descriptors = []
    }
}
