import Foundation
#if canImport(Glibc)
    import Glibc
#endif

/// Connections to a local port that are opened and then left silent, as a client that
/// exhausts a server's connections would.
final class IdleSockets {
    private var descriptors: [Int32] = []

    struct Failure: Error { let step: String }

    init(port: Int, count: Int) throws {
        for _ in 0..<count {
            let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            guard fd >= 0 else { throw Failure(step: "socket") }
            descriptors.append(fd)
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_port = in_port_t(UInt16(port).bigEndian)
            address.sin_addr.s_addr = inet_addr("127.0.0.1")
            // Connects complete in the kernel's backlog even when the server accepts no more.
            let connected = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
            }
            guard connected == 0 else { throw Failure(step: "connect") }
        }
    }

    func closeAll() {
        for fd in descriptors { close(fd) }
        descriptors = []
    }
}
